/* Bind the mappings to the elements of an open card, as they come and go. */

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "bind.h"
#include "card.h"
#include "compat.h"
#include "config.h"
#include "log.h"
#include "map.h"
#include "midi.h"
#include "mixer.h"
#include "xmalloc.h"

/* The value of an element that a binding shows. */
long
bind_value(const struct binding *b)
{
	int	 ch = b->m->elem_channel;

	if (b->elem == NULL)
		return (0);
	return (mixer_elem_value(b->elem, ch < 0 ? 0 : ch));
}

/* A binding's MIDI message, for messages: "cc 7 channel 1". */
const char *
bind_msg_name(const struct binding *b, char *buf, size_t len)
{
	const struct mapping	*m = b->m;

	if (config_kind_numbered(m->kind))
		snprintf(buf, len, "%s %d channel %d",
		    config_kind_name(m->kind), m->number, b->channel + 1);
	else
		snprintf(buf, len, "%s channel %d", config_kind_name(m->kind),
		    b->channel + 1);
	return (buf);
}

/* The first of an element's bindings, or NULL; ->elem_next has the rest. */
struct bound *
bind_elem_first(const struct elem *e)
{
	return (mixer_elem_data(e));
}

/*
 * The surfaces a file names, as MIDI surface bits; 0 if it names none
 * (then every surface drives its mappings and is shown them).
 */
uint32_t
bind_file_surfaces(struct app *app, const char *file)
{
	const struct port	*p;
	uint32_t		 bits = 0;

	if (app->midi == NULL)
		return (0);
	TAILQ_FOREACH(p, &app->conf->ports, entry) {
		if (strcmp(p->file, file) == 0)
			bits |= midi_surface(app->midi, p->pattern,
			    p->software);
	}
	return (bits);
}

/* Keep bind's state beside a new binding. */
static struct bound *
bind_keep(struct app *app, struct binding *b)
{
	struct bound	*bd;

	bd = xcalloc(1, sizeof(*bd));
	bd->b = b;
	bd->surfaces = bind_file_surfaces(app, b->m->file);
	b->data = bd;
	return (bd);
}

/* Forget the bindings of a card. */
void
bind_card_unbind(struct card *c)
{
	struct binding	*b;
	size_t		 i;

	if (c->map != NULL) {
		for (i = 0; (b = map_binding(c->map, i)) != NULL; i++) {
			if (b->elem != NULL)
				mixer_elem_set_data(b->elem, NULL);
			free(b->data);
		}
	}
	map_free(c->map);
	c->map = NULL;
}

/* Forget a card's bindings: it drives nothing (gone, or for learn). */
void
bind_card_clear(struct card *c)
{
	bind_card_unbind(c);
	c->map = map_create(c->app->conf);
}

/* Forget every binding. */
void
bind_unbind_all(struct app *app)
{
	unsigned int	 k;

	for (k = 0; k < app->ncards; k++)
		bind_card_unbind(app->cards[k]);
}

/* An element is going away: its bindings go quiet. */
void
bind_elem_removed(struct card *c, struct elem *e)
{
	struct bound	*bd, *next;

	for (bd = mixer_elem_data(e); bd != NULL; bd = next) {
		next = bd->elem_next;
		log_warnx("%s:%u: '%s' was removed", bd->b->m->file,
		    bd->b->m->controls[0].line, mixer_elem_name(e));
		map_remove(c->map, bd->b);
		free(bd);
	}
	mixer_elem_set_data(e, NULL);
}

static int		 bind_elem(struct card *, const struct mapping *,
			    const struct control *, struct elem *);

/* Whether a control line names an element. */
static int
bind_control_matches(const struct control *c, struct elem *e)
{
	if (mixer_elem_index(e) != c->index ||
	    !mixer_elem_is(e, c->iface, c->device, c->subdevice))
		return (0);
	if (c->pattern)
		return (fnmatch(c->name, mixer_elem_name(e), 0) == 0);
	return (strcmp(c->name, mixer_elem_name(e)) == 0);
}

/*
 * An element appeared after the card was opened (Gen 4 big models get
 * their mixer controls from fcp-server after the card): bind what names
 * it.  The caller shows it on the surface.
 */
void
bind_elem_added(struct card *c, struct elem *e)
{
	struct app		*app = c->app;
	const struct mapping	*m;
	unsigned int		 i;

	TAILQ_FOREACH(m, &app->conf->mappings, entry) {
		if (card_of(app, m) != c)
			continue;
		for (i = 0; i < m->ncontrols; i++) {
			if (!bind_control_matches(&m->controls[i], e))
				continue;
			if (bind_elem(c, m, &m->controls[i], e))
				log_info("%s:%u: '%s' appeared and is bound",
				    m->file, m->controls[i].line,
				    mixer_elem_name(e));
			break;
		}
	}
}

/*
 * Bind a mapping to one element.  Returns 1 if bound, 0 if the mapping
 * does not fit the element (reported).
 */
static int
bind_elem(struct card *card, const struct mapping *m,
    const struct control *c, struct elem *e)
{
	const struct elem_info	*info = mixer_elem_info(e);
	struct binding		*b;
	struct bound		*bd;
	const char		*why = NULL;
	long			 item = -1;

	if (info->type == ELEM_OTHER)
		why = "is not a number, switch or enumeration";
	else if (m->elem_channel >= (int)info->count) {
		log_warnx("%s:%u: '%s' has %u channel%s", m->file, c->line,
		    mixer_elem_name(e), info->count,
		    info->count == 1 ? "" : "s");
		return (0);
	}
	if (why == NULL && m->value.type == VAL_NAME)
		item = mixer_elem_item(e, m->value.name);
	if (why == NULL &&
	    (b = map_add(card->map, m, e, info, item, &why)) != NULL) {
		bd = bind_keep(card->app, b);
		bd->elem_next = mixer_elem_data(e);
		mixer_elem_set_data(e, bd);
		b->value = bind_value(b);
		return (1);
	}
	log_warnx("%s:%u: '%s' %s", m->file, c->line, mixer_elem_name(e),
	    why);
	return (0);
}

/*
 * Bind a mapping to the elements a control line names; counts those
 * bound in *ok and returns how many could not be (or 1 if none is
 * there).
 */
static unsigned int
bind_control(struct card *card, const struct mapping *m,
    const struct control *c, unsigned int *ok)
{
	struct mixer	*mx = card->mixer;
	struct elem	*e;
	unsigned int	 j, found = 0, bad = 0;

	for (j = 0; j < mixer_count(mx); j++) {
		/* A plain name is one lookup; a pattern scans them all. */
		e = c->pattern ? mixer_elem_at(mx, j) :
		    mixer_find_id(mx, c->iface, c->device, c->subdevice,
		    c->name, c->index);
		if (e != NULL && bind_control_matches(c, e)) {
			found++;
			if (bind_elem(card, m, c, e))
				(*ok)++;
			else
				bad++;
		}
		if (!c->pattern)
			break;
	}
	if (found == 0) {
		log_warnx("%s:%u: %s has no control %s'%s'", m->file, c->line,
		    mixer_name(mx), c->pattern ? "matching " : "", c->name);
		bad++;
	}
	return (bad);
}

/*
 * Bind the mappings of the configuration to the elements of one open
 * card.  A control the card lacks is reported and left out; it is not an
 * error.  Returns how many controls could not be bound.
 */
unsigned int
bind_card(struct card *c)
{
	struct app		*app = c->app;
	const struct mapping	*m;
	const char		*why;
	unsigned int		 i, bound = 0, ok, bad = 0, n = 0;

	c->map = map_create(app->conf);
	if (c->mixer == NULL)
		return (0);
	TAILQ_FOREACH(m, &app->conf->mappings, entry) {
		if (card_of(app, m) != c)
			continue;
		n++;
		if (m->action != ACTION_NONE) {
			bind_keep(app, map_add(c->map, m, NULL, NULL, -1,
			    &why));
			bound++;
			continue;
		}
		ok = 0;
		for (i = 0; i < m->ncontrols; i++)
			bad += bind_control(c, m, &m->controls[i], &ok);
		if (ok > 0)
			bound++;
	}
	log_info("%s: %u of %u mappings bound (%zu elements)",
	    mixer_name(c->mixer), bound, n, map_count(c->map));
	return (bad);
}

/*
 * Bind every card; returns how many controls could not be bound.  The
 * surfaces the files name get their bits first, so that each binding
 * knows whose it is.
 */
unsigned int
bind_all(struct app *app)
{
	const struct port	*p;
	unsigned int		 k, bad = 0;

	TAILQ_FOREACH(p, &app->conf->ports, entry) {
		if (app->midi != NULL)
			midi_surface_add(app->midi, p->pattern,
			    p->software);
	}
	for (k = 0; k < app->ncards; k++)
		bad += bind_card(app->cards[k]);
	return (bad);
}
