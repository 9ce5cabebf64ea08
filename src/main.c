/* scarlett-midi: drive ALSA card controls from a MIDI control surface. */

#include <sys/inotify.h>
#include <sys/stat.h>

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "config.h"
#include "log.h"
#include "loop.h"
#include "learn.h"
#include "map.h"
#include "midi.h"
#include "mixer.h"
#include "notify.h"
#include "snapshot.h"
#include "xmalloc.h"


struct app;

/* A card the mapping files name, open or waited for. */
struct card {
	struct app		*app;
	char			*want;		/* name, id or ctl device */
	struct mixer		*mixer;		/* NULL while closed */
	struct map		*map;		/* its bindings */
	struct watch		*open_timer;
	unsigned int		 open_tries;
};

struct app {
	struct loop		*loop;
	struct config		*conf;
	struct card		**cards;
	unsigned int		 ncards;
	struct midi		*midi;
	struct watch		*hold_timer;
	char			*snapdir;

	struct notify		*notify;
	int			 conf_wd;	/* the mapping directory */
	char			*conf_name;	/* the file in it, or NULL */
	struct watch		*reload_timer;
	int			 dev_wd;	/* /dev, until /dev/snd is */
	int			 snd_wd;	/* /dev/snd */

	enum { CMD_RUN, CMD_LIST, CMD_CHECK, CMD_LEARN, CMD_MONITOR } cmd;
	struct learn		 learn;		/* CMD_LEARN */
	const char		*learn_control;
	struct watch		*learn_timer;

	const char		*conf_path;
	char			*conf_default;
	const char		*device;
	const char		*simulate;
	const char		*midi_in;
	const char		*midi_out;
};

/*
 * Edits come as bursts of events (write, close, rename): reload once
 * they settle.
 */
#define RELOAD_MS	150

/*
 * A control device appears before the driver is done with it, and its
 * permissions come later still: try to open it a few times, sooner
 * first.  (alsa-scarlett-gui sleeps a second; we do not sleep.)
 */
#define OPEN_MS		100
#define OPEN_TRIES	6

#define DEV_SND		"/dev/snd"

/* Learn: how long the surface is quiet before the control is done. */
#define LEARN_QUIET_MS	700

static const struct mixer_ops	main_mixer_ops;
static void			main_hold_cb(void *);
static void			main_open_later(struct card *);
static void			main_learn_done(struct app *, struct elem *);

static __dead void
usage(void)
{
	fprintf(stderr,
	    "usage: scarlett-midi [-dnv] [-D device] [-f file|dir] "
	    "[--simulate statefile]\n"
	    "                     [--midi-in path] [--midi-out path]\n"
	    "       scarlett-midi monitor [options as above]\n"
	    "       scarlett-midi learn [options as above] [control]\n"
	    "       scarlett-midi check [-f file|dir] "
	    "[-D device | --simulate statefile]\n"
	    "       scarlett-midi list [-D device | --simulate statefile]\n");
	exit(2);
}

/* Milliseconds on the monotonic clock. */
static long long
main_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The value of an element that a binding shows. */
static long
main_value(const struct binding *b)
{
	int	 ch = b->m->elem_channel;

	if (b->elem == NULL)
		return (0);
	return (mixer_elem_value(b->elem, ch < 0 ? 0 : ch));
}

/* A binding's MIDI message, for messages: "cc 7 channel 1". */
static const char *
main_msg_name(const struct binding *b, char *buf, size_t len)
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

/* A message as text, for monitor: "cc 7 channel 1 = 127". */
static const char *
main_midi_text(const struct midi_msg *msg, char *buf, size_t len)
{
	int	 ch = MIDI_CHANNEL(msg) + 1;

	switch (MIDI_TYPE(msg)) {
	case MIDI_NOTE_OFF:
		snprintf(buf, len, "note-off %d channel %d = %d", msg->data1,
		    ch, msg->data2);
		break;
	case MIDI_NOTE_ON:
		snprintf(buf, len, "note %d channel %d = %d", msg->data1, ch,
		    msg->data2);
		break;
	case MIDI_POLY_AT:
		snprintf(buf, len, "poly-aftertouch %d channel %d = %d",
		    msg->data1, ch, msg->data2);
		break;
	case MIDI_CC:
		snprintf(buf, len, "cc %d channel %d = %d", msg->data1, ch,
		    msg->data2);
		break;
	case MIDI_PROGRAM:
		snprintf(buf, len, "program %d channel %d", msg->data1, ch);
		break;
	case MIDI_CHAN_AT:
		snprintf(buf, len, "aftertouch channel %d = %d", ch,
		    msg->data1);
		break;
	default:
		snprintf(buf, len, "pitchbend channel %d = %d", ch,
		    msg->data2 << 7 | msg->data1);
		break;
	}
	return (buf);
}

/*
 * Send a binding's feedback now, unless the surface shows it.  A value
 * that one surface set is not echoed to it, but the other surfaces of a
 * mapping that all surfaces share have not seen it: they are sent it.
 */
static void
main_send(struct card *c, struct binding *b)
{
	struct app	*app = c->app;
	struct midi_msg	 msg[MAP_OUT_MAX];
	char		 buf[64];
	long		 v = main_value(b);
	size_t		 i, n;
	uint32_t	 to = b->surfaces, echo = b->echo;

	b->echo = 0;
	if (app->midi == NULL || (b->elem == NULL &&
	    b->m->action == ACTION_NONE))
		return;
	if ((n = map_out(c->map, b, v, msg)) == 0) {
		if (b->surfaces != 0 || echo == 0 ||
		    (to = midi_surfaces(app->midi) & ~echo) == 0 ||
		    (n = map_show(c->map, b, v, msg)) == 0)
			return;
	}
	if (b->elem != NULL)
		log_debug("'%s' = %ld -> %s = %ld", mixer_elem_name(b->elem),
		    v, main_msg_name(b, buf, sizeof(buf)), b->surface);
	if (app->cmd == CMD_MONITOR)
		printf("feedback [%s] %s = %ld\n", b->m->name,
		    main_msg_name(b, buf, sizeof(buf)), b->surface);
	for (i = 0; i < n; i++)
		midi_send_to(app->midi, to, &msg[i]);
	b->sent_ms = main_now();
}

/* Arm the hold timer unless it is armed. */
static void
main_hold_arm(struct app *app, long long ms)
{
	if (app->hold_timer == NULL)
		app->hold_timer = loop_add_timer(app->loop, ms, main_hold_cb,
		    app);
}

/*
 * When a binding's feedback may go: not while a hand moves its control
 * (MAP_HOLD_MS after its input), and not sooner than the feedback
 * interval after the last message, which paces slow surfaces.
 */
static long long
main_due(const struct app *app, const struct binding *b)
{
	long long	 hold = b->input_ms + MAP_HOLD_MS;
	long long	 pace = b->sent_ms + app->conf->feedback_interval;

	return (hold > pace ? hold : pace);
}

/*
 * An element changed: show it on the surface now, or hold it back and
 * send the latest value once it is due.  Nothing is queued but a flag:
 * a fast fader never builds a backlog, and the last value always goes.
 */
static void
main_feedback(struct card *c, struct binding *b)
{
	struct app	*app = c->app;
	long long	 now, due;

	if (!map_active(c->map, b))
		return;
	if (b->touching) {
		b->held = 1;		/* sent when the hand lets go */
		return;
	}
	now = main_now();
	if ((due = main_due(app, b)) > now) {
		b->held = 1;
		main_hold_arm(app, due - now);
		return;
	}
	b->held = 0;
	main_send(c, b);
}

/* Feedback that was held back: send what is due, wait for the rest. */
static void
main_hold_cb(void *arg)
{
	struct app	*app = arg;
	struct card	*c;
	struct binding	*b;
	long long	 now = main_now(), due, left = 0;
	unsigned int	 k;
	size_t		 i;

	app->hold_timer = NULL;
	for (k = 0; k < app->ncards; k++) {
		c = app->cards[k];
		for (i = 0; (b = map_binding(c->map, i)) != NULL; i++) {
			if (!b->held || b->touching)
				continue;
			if ((due = main_due(app, b)) > now) {
				if (left == 0 || due - now < left)
					left = due - now;
				continue;
			}
			b->held = 0;
			main_send(c, b);
		}
	}
	if (left > 0)
		main_hold_arm(app, left);
}

/* Send the full state: every active value, whatever the surface shows. */
static void
main_card_full_state(struct card *c)
{
	struct binding	*b;
	size_t		 i;

	for (i = 0; (b = map_binding(c->map, i)) != NULL; i++) {
		if (!map_active(c->map, b))
			continue;
		b->surface = -1;
		b->held = 0;
		main_send(c, b);
	}
}

/* The same for every card. */
static void
main_full_state(struct app *app)
{
	unsigned int	 k;

	for (k = 0; k < app->ncards; k++)
		main_card_full_state(app->cards[k]);
}

/* An element changed: tell the surface, unless a hand is on it. */
static void
main_changed_cb(struct elem *e, void *arg)
{
	struct card	*c = arg;
	struct app	*app = c->app;
	struct binding	*b;

	if (app->cmd == CMD_LEARN) {
		if (app->learn.n > 0 && app->learn_control == NULL)
			main_learn_done(app, e);
		return;
	}
	for (b = mixer_elem_data(e); b != NULL; b = b->elem_next) {
		map_changed(b, main_value(b));
		main_feedback(c, b);
	}
}

/* Forget the bindings of a card. */
static void
main_card_unbind(struct card *c)
{
	struct binding	*b;
	size_t		 i;

	if (c->map != NULL) {
		for (i = 0; (b = map_binding(c->map, i)) != NULL; i++)
			if (b->elem != NULL)
				mixer_elem_set_data(b->elem, NULL);
	}
	map_free(c->map);
	c->map = NULL;
}

/* Forget every binding. */
static void
main_unbind(struct app *app)
{
	unsigned int	 k;

	for (k = 0; k < app->ncards; k++)
		main_card_unbind(app->cards[k]);
	loop_del(app->hold_timer);
	app->hold_timer = NULL;
}

/* An element is going away: its bindings go quiet. */
static void
main_removed_cb(struct elem *e, void *arg)
{
	struct card	*c = arg;
	struct binding	*b, *next;

	for (b = mixer_elem_data(e); b != NULL; b = next) {
		next = b->elem_next;
		log_warnx("%s:%u: '%s' was removed", b->m->file,
		    b->m->controls[0].line, mixer_elem_name(e));
		map_remove(c->map, b);
	}
	mixer_elem_set_data(e, NULL);
}

/* The card vanished: close it and keep running without it. */
static void
main_gone_cb(struct mixer *mx, void *arg)
{
	struct card	*c = arg;
	struct app	*app = c->app;

	if (app->simulate != NULL || app->snd_wd < 0)
		log_warnx("%s: closed; send SIGHUP to open it again",
		    mixer_name(mx));
	else
		log_warnx("%s: closed; waiting for it to come back",
		    mixer_name(mx));
	main_card_unbind(c);
	mixer_close(c->mixer);
	c->mixer = NULL;
	c->map = map_create(app->conf);
}

static int		 main_bind_elem(struct card *, const struct mapping *,
			    const struct control *, struct elem *);
static struct card	*main_card_of(struct app *, const struct mapping *);
static uint32_t		 main_surfaces(struct app *, const struct mapping *);

/* Whether a control line names an element. */
static int
main_control_matches(const struct control *c, struct elem *e)
{
	if (mixer_elem_index(e) != c->index)
		return (0);
	if (c->pattern)
		return (fnmatch(c->name, mixer_elem_name(e), 0) == 0);
	return (strcmp(c->name, mixer_elem_name(e)) == 0);
}

/*
 * An element appeared after the card was opened (Gen 4 big models get
 * their mixer controls from fcp-server after the card): bind what names
 * it and show it on the surface.
 */
static void
main_added_cb(struct elem *e, void *arg)
{
	struct card		*c = arg;
	struct app		*app = c->app;
	const struct mapping	*m;
	struct binding		*b;
	unsigned int		 i;

	TAILQ_FOREACH(m, &app->conf->mappings, entry) {
		if (main_card_of(app, m) != c)
			continue;
		for (i = 0; i < m->ncontrols; i++) {
			if (!main_control_matches(&m->controls[i], e))
				continue;
			if (main_bind_elem(c, m, &m->controls[i], e))
				log_info("%s:%u: '%s' appeared and is bound",
				    m->file, m->controls[i].line,
				    mixer_elem_name(e));
			break;
		}
	}
	for (b = mixer_elem_data(e); b != NULL; b = b->elem_next)
		main_feedback(c, b);
}

/*
 * A write was refused or given up: show the card's value, whatever the
 * surface shows (motor faders return, LEDs show the truth).
 */
static void
main_resync_cb(struct elem *e, void *arg)
{
	struct binding	*b;

	for (b = mixer_elem_data(e); b != NULL; b = b->elem_next)
		b->surface = -1;
	main_changed_cb(e, arg);
}

static const struct mixer_ops main_mixer_ops = {
	.changed = main_changed_cb,
	.added = main_added_cb,
	.removed = main_removed_cb,
	.gone = main_gone_cb,
	.resync = main_resync_cb,
};

/*
 * Bind a mapping to one element.  Returns 1 if bound, 0 if the mapping
 * does not fit the element (reported).
 */
static int
main_bind_elem(struct card *card, const struct mapping *m,
    const struct control *c, struct elem *e)
{
	const struct elem_info	*info = mixer_elem_info(e);
	struct binding		*b;
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
		b->elem_next = mixer_elem_data(e);
		mixer_elem_set_data(e, b);
		b->value = main_value(b);
		b->surfaces = main_surfaces(card->app, m);
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
main_bind_control(struct card *card, const struct mapping *m,
    const struct control *c, unsigned int *ok)
{
	struct mixer	*mx = card->mixer;
	struct elem	*e;
	unsigned int	 j, found = 0, bad = 0;

	for (j = 0; j < mixer_count(mx); j++) {
		/* A plain name is one lookup; a pattern scans them all. */
		e = c->pattern ? mixer_elem_at(mx, j) :
		    mixer_find(mx, c->name, c->index);
		if (e != NULL && main_control_matches(c, e)) {
			found++;
			if (main_bind_elem(card, m, c, e))
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
 * The surfaces a mapping's file names, as MIDI surface bits; 0 if it
 * names none (then every surface drives it and is shown it).
 */
static uint32_t
main_surfaces(struct app *app, const struct mapping *m)
{
	const struct port	*p;
	uint32_t		 bits = 0;

	if (app->midi == NULL)
		return (0);
	TAILQ_FOREACH(p, &app->conf->ports, entry) {
		if (strcmp(p->file, m->file) == 0)
			bits |= midi_surface(app->midi, p->pattern);
	}
	return (bits);
}

/* The card a mapping drives: its file's, its own, -D's; or NULL. */
static struct card *
main_card_of(struct app *app, const struct mapping *m)
{
	const char	*name;
	unsigned int	 k;

	if (app->simulate != NULL || app->device != NULL)
		return (app->ncards > 0 ? app->cards[0] : NULL);
	name = m->card != -1 ? app->conf->cards[m->card] : app->conf->card;
	for (k = 0; name != NULL && k < app->ncards; k++) {
		if (strcmp(app->cards[k]->want, name) == 0)
			return (app->cards[k]);
	}
	return (NULL);
}

/*
 * Bind the mappings of the configuration to the elements of one open
 * card.  A control the card lacks is reported and left out; it is not an
 * error.  Returns how many controls could not be bound.
 */
static unsigned int
main_card_bind(struct card *c)
{
	struct app		*app = c->app;
	const struct mapping	*m;
	const char		*why;
	unsigned int		 i, bound = 0, ok, bad = 0, n = 0;

	c->map = map_create(app->conf);
	if (c->mixer == NULL)
		return (0);
	TAILQ_FOREACH(m, &app->conf->mappings, entry) {
		if (main_card_of(app, m) != c)
			continue;
		n++;
		if (m->action != ACTION_NONE) {
			map_add(c->map, m, NULL, NULL, -1, &why)->surfaces =
			    main_surfaces(app, m);
			bound++;
			continue;
		}
		ok = 0;
		for (i = 0; i < m->ncontrols; i++)
			bad += main_bind_control(c, m, &m->controls[i], &ok);
		if (ok > 0)
			bound++;
	}
	log_info("%s: %u of %u mappings bound (%zu elements)",
	    mixer_name(c->mixer), bound, n, map_count(c->map));
	return (bad);
}

/* Bind every card; returns how many controls could not be bound. */
static unsigned int
main_bind(struct app *app)
{
	unsigned int	 k, bad = 0;

	for (k = 0; k < app->ncards; k++)
		bad += main_card_bind(app->cards[k]);
	return (bad);
}

/*
 * Open a card: the simulated one, or the one its name finds.  A failure
 * is a warning, or only a debug message when quiet.
 */
static int
main_open_card(struct card *c, int quiet)
{
	struct app	*app = c->app;
	int		 err;

	if (app->simulate != NULL)
		err = mixer_open_sim(&c->mixer, app->loop, c->want,
		    &main_mixer_ops, c);
	else
		err = mixer_open(&c->mixer, app->loop, c->want,
		    &main_mixer_ops, c);
	if (err < 0) {
		if (quiet)
			log_debug("%s: cannot open card: %s", c->want,
			    snd_strerror(err));
		else
			log_warnx("%s: cannot open card: %s", c->want,
			    snd_strerror(err));
		return (err);
	}
	log_info("%s: opened '%s', %u controls", mixer_name(c->mixer),
	    mixer_card_name(c->mixer), mixer_count(c->mixer));
	return (0);
}

/* Close a card and free it. */
static void
main_card_free(struct card *c)
{
	main_card_unbind(c);
	loop_del(c->open_timer);
	mixer_close(c->mixer);
	free(c->want);
	free(c);
}

/*
 * Make the cards those the configuration names (or -D, or --simulate):
 * cards still named stay open, cards no longer named are closed, new
 * ones are opened.  Returns how many could not be opened.
 */
static unsigned int
main_cards(struct app *app, const struct config *conf)
{
	struct card	**cards, *c;
	const char	*want;
	unsigned int	  i, k, n, failed = 0;

	n = app->simulate != NULL || app->device != NULL ? 1 : conf->ncards;
	cards = xcalloc(n + 1, sizeof(*cards));
	for (i = 0; i < n; i++) {
		want = app->simulate != NULL ? app->simulate :
		    app->device != NULL ? app->device : conf->cards[i];
		for (c = NULL, k = 0; k < app->ncards; k++) {
			if (app->cards[k] != NULL &&
			    strcmp(app->cards[k]->want, want) == 0) {
				c = app->cards[k];
				app->cards[k] = NULL;
				break;
			}
		}
		if (c == NULL) {
			c = xcalloc(1, sizeof(*c));
			c->app = app;
			c->want = xstrdup(want);
		}
		cards[i] = c;
	}
	for (k = 0; k < app->ncards; k++) {
		if (app->cards[k] != NULL)
			main_card_free(app->cards[k]);
	}
	free(app->cards);
	app->cards = cards;
	app->ncards = n;
	if (n == 0)
		log_warnx("no card: name one in [card] or with -D");
	for (i = 0; i < n; i++) {
		if (cards[i]->mixer == NULL && main_open_card(cards[i], 0) < 0)
			failed++;
	}
	return (failed);
}

/* Connect the surfaces the configuration names. */
static void
main_connect(struct app *app, const struct config *conf)
{
	const struct port	*p;

	if (app->midi == NULL || app->midi_in != NULL || app->midi_out != NULL)
		return;
	TAILQ_FOREACH(p, &conf->ports, entry) {
		if (midi_connect(app->midi, p->pattern) == 0)
			log_info("%s:%u: no port matches '%s' yet", p->file,
			    p->line, p->pattern);
	}
}

/* Load the configuration from the path given or the default one. */
static struct config *
main_load(struct app *app)
{
	struct config	*conf;

	conf = config_create();
	if (config_load(conf, app->conf_path) < 0) {
		config_free(conf);
		return (NULL);
	}
	return (conf);
}

/*
 * Reload: a new configuration replaces the old one only if it loads
 * without error; the card is reopened if it is closed.
 */
static void
main_reload(struct app *app)
{
	struct config	*conf;
	char		*layer = NULL;
	unsigned int	 i, k;
	int		 old;

	log_info("reloading %s", app->conf_path);
	if ((conf = main_load(app)) == NULL) {
		log_warnx("%s: keeping the previous configuration",
		    app->conf_path);
		return;
	}
	if (app->ncards > 0 && app->cards[0]->map != NULL &&
	    (old = map_layer(app->cards[0]->map)) != -1)
		layer = xstrdup(app->conf->layers[old]);
	main_unbind(app);
	config_free(app->conf);
	app->conf = conf;
	main_cards(app, conf);
	free(app->snapdir);
	app->snapdir = snapshot_dir(conf->snapshots);
	main_bind(app);
	/* The active layer stays active if it still exists. */
	for (i = 0; layer != NULL && i < conf->nlayers; i++) {
		if (strcmp(conf->layers[i], layer) == 0)
			for (k = 0; k < app->ncards; k++)
				map_set_layer(app->cards[k]->map, i);
	}
	free(layer);
	main_connect(app, conf);
	main_full_state(app);
}

/* Snapshot saving: one line per element worth restoring. */
static void
main_snapshot_fill(FILE *fp, void *arg)
{
	struct card		*c = arg;
	const struct elem_info	*info;
	struct elem		*e;
	long			 v[SNAPSHOT_VALUES_MAX];
	unsigned int		 i, ch, n;

	for (i = 0; i < mixer_count(c->mixer); i++) {
		if ((e = mixer_elem_at(c->mixer, i)) == NULL)
			continue;
		info = mixer_elem_info(e);
		if (info->type == ELEM_OTHER || !info->writable)
			continue;
		n = info->count < nitems(v) ? info->count : nitems(v);
		for (ch = 0; ch < n; ch++)
			v[ch] = mixer_elem_value(e, ch);
		snapshot_write_elem(fp, mixer_elem_name(e),
		    mixer_elem_index(e), v, n);
	}
}

/* Snapshot recall: queue each value that differs from the card's. */
static void
main_snapshot_elem(const char *name, unsigned int index, const long *v,
    unsigned int n, void *arg)
{
	struct card		*c = arg;
	const struct elem_info	*info;
	struct elem		*e;
	unsigned int		 ch;

	if ((e = mixer_find(c->mixer, name, index)) == NULL) {
		log_debug("snapshot: no control '%s'", name);
		return;
	}
	info = mixer_elem_info(e);
	if (info->type == ELEM_OTHER || !info->writable)
		return;
	for (ch = 0; ch < n && ch < info->count; ch++) {
		if (v[ch] < info->min || v[ch] > info->max)
			continue;
		if (mixer_elem_value(e, ch) != v[ch])
			mixer_elem_set(e, ch, v[ch]);
	}
}

/* Save or recall a snapshot of the card. */
static void
main_snapshot(struct card *c, const struct mapping *m)
{
	struct app	*app = c->app;
	char		*path;
	int		 err;

	if (c->mixer == NULL || app->snapdir == NULL) {
		log_warnx("%s:%u: no card or no snapshot directory",
		    m->file, m->line);
		return;
	}
	path = snapshot_path(app->snapdir, m->action_arg);
	if (m->action == ACTION_SAVE) {
		if ((err = snapshot_save(path, main_snapshot_fill, c)) < 0)
			log_warnx("%s: cannot save: %s", path,
			    strerror(-err));
		else
			log_info("saved snapshot %s", path);
	} else {
		if ((err = snapshot_load(path, main_snapshot_elem, c)) ==
		    -EINVAL)
			log_warnx("%s: recalled, but for the lines above",
			    path);
		else if (err < 0)
			log_warnx("%s: cannot recall: %s", path,
			    strerror(-err));
		else
			log_info("recalled snapshot %s", path);
	}
	free(path);
}

/* Make a layer active and show the surface what it now drives. */
static void
main_set_layer(struct app *app, int layer)
{
	unsigned int	 k, changed = 0;

	for (k = 0; k < app->ncards; k++)
		changed |= map_set_layer(app->cards[k]->map, layer);
	if (!changed)
		return;
	log_info("layer %s", layer == -1 ? "none" : app->conf->layers[layer]);
	main_full_state(app);
}

/* An action's button was pressed or released. */
static void
main_action(struct card *c, struct binding *b, enum map_result r)
{
	struct app		*app = c->app;
	const struct mapping	*m = b->m;

	switch (m->action) {
	case ACTION_LAYER:
		if (r == MAP_PRESS) {
			if (b->prev_layer == -1 && m->mode == MODE_MOMENTARY)
				b->prev_layer = map_layer(c->map);
			main_set_layer(app, m->action_layer);
		} else if (b->prev_layer != -1) {
			main_set_layer(app, b->prev_layer);
			b->prev_layer = -1;
		}
		break;
	case ACTION_RECALL:
	case ACTION_SAVE:
		main_snapshot(c, m);
		break;
	case ACTION_NONE:
		break;
	}
}

/* Learn: the surface control is done moving; name the guess. */
static void
main_learn_done(struct app *app, struct elem *e)
{
	struct learn_guess	 g;
	const char		*name = app->learn_control;
	unsigned int		 index = 0;

	if (learn_guess(&app->learn, &g) < 0)
		return;
	if (e != NULL) {
		name = mixer_elem_name(e);
		index = mixer_elem_index(e);
	} else if (app->ncards > 0 && app->cards[0]->mixer != NULL &&
	    (e = mixer_find(app->cards[0]->mixer, name, 0)) == NULL)
		log_warnx("learn: %s has no control '%s'",
		    mixer_name(app->cards[0]->mixer), name);
	learn_print(stdout, &g, name, index, e != NULL ?
	    mixer_elem_value(e, 0) : 0);
	fflush(stdout);
	loop_exit(app->loop);
}

static void
main_learn_timer_cb(void *arg)
{
	struct app	*app = arg;

	app->learn_timer = NULL;
	if (app->learn_control != NULL)
		main_learn_done(app, NULL);
	else
		log_info("learn: now change the control on the interface "
		    "(alsa-scarlett-gui, amixer or its knob)");
}

/*
 * Learn: collect what the surface sends; once it has been quiet for a
 * moment, the control named on the command line, or the next one that
 * changes on the card, gets the mapping.
 */
static void
main_learn_msg(struct app *app, const struct midi_msg *msg)
{
	char	 buf[64];

	if (app->learn.n == 0)
		log_info("learn: heard %s", main_midi_text(msg, buf,
		    sizeof(buf)));
	learn_add(&app->learn, msg);
	loop_del(app->learn_timer);
	app->learn_timer = loop_add_timer(app->loop, LEARN_QUIET_MS,
	    main_learn_timer_cb, app);
}

/* What a message does to the mappings of one card. */
static void
main_card_msg(struct card *c, const struct midi_msg *msg)
{
	struct app		*app = c->app;
	struct map_event	 ev[MAP_EVENTS_MAX];
	const struct map_slot	*slots;
	struct binding		*b;
	enum map_result		 r;
	long long		 now = main_now();
	char			 buf[64];
	size_t			 i, j, n, ne;
	uint32_t		 src;
	long			 v;

	src = midi_source(app->midi);
	ne = map_decode(c->map, msg, ev);
	for (j = 0; j < ne; j++) {
		n = map_lookup(c->map, &ev[j], &slots);
		for (i = 0; i < n; i++) {
			b = slots[i].b;
			/* A file's mappings hear its own surfaces only. */
			if (b->surfaces != 0 && src != 0 &&
			    !(b->surfaces & src))
				continue;
			if (slots[i].touch) {
				if (map_touch(b, &ev[j]) && b->held)
					main_feedback(c, b);
				continue;
			}
			if (b->elem == NULL && b->m->action == ACTION_NONE)
				continue;
			r = map_in(c->map, b, &ev[j], now, main_value(b), &v);
			if (r == MAP_PRESS || r == MAP_RELEASE) {
				main_action(c, b, r);
				continue;
			}
			if (r != MAP_WRITE)
				continue;
			b->echo = src;
			log_debug("%s = %ld -> '%s' = %ld",
			    main_msg_name(b, buf, sizeof(buf)),
			    ev[j].delta != 0 ? ev[j].delta : ev[j].value,
			    mixer_elem_name(b->elem), v);
			if (app->cmd == CMD_MONITOR)
				printf("write [%s] '%s' = %ld\n", b->m->name,
				    mixer_elem_name(b->elem), v);
			mixer_elem_set(b->elem, b->m->elem_channel, v);
		}
	}
}

/* A MIDI message arrived: queue the values of what it reaches. */
static void
main_msg_cb(const struct midi_msg *msg, void *arg)
{
	struct app		*app = arg;
	char			 buf[64];
	unsigned int		 k;

	if (app->cmd == CMD_LEARN) {
		main_learn_msg(app, msg);
		return;
	}
	if (app->cmd == CMD_MONITOR)
		printf("midi %s\n", main_midi_text(msg, buf, sizeof(buf)));
	for (k = 0; k < app->ncards; k++)
		main_card_msg(app->cards[k], msg);
}

/* The MIDI input is drained: write what this pass queued. */
static void
main_drained_cb(void *arg)
{
	struct app	*app = arg;
	unsigned int	 k;

	for (k = 0; k < app->ncards; k++) {
		if (app->cards[k]->mixer != NULL)
			mixer_flush(app->cards[k]->mixer);
	}
}

/* A surface connected: show it everything. */
static void
main_connected_cb(void *arg)
{
	main_full_state(arg);
}

static const struct midi_ops main_midi_ops = {
	.msg = main_msg_cb,
	.drained = main_drained_cb,
	.connected = main_connected_cb,
	.overrun = main_connected_cb,	/* lost input: full state too */
};

/* Open MIDI: raw files if named, else the sequencer. */
static int
main_open_midi(struct app *app)
{
	int	 err;

	app->midi = midi_create(app->loop, &main_midi_ops, app);
	if (app->midi_in != NULL || app->midi_out != NULL) {
		if ((err = midi_open_raw(app->midi, app->midi_in,
		    app->midi_out)) < 0) {
			log_warnx("%s: %s", app->midi_in != NULL ?
			    app->midi_in : app->midi_out, strerror(-err));
			return (err);
		}
		log_info("raw MIDI: in %s, out %s",
		    app->midi_in != NULL ? app->midi_in : "none",
		    app->midi_out != NULL ? app->midi_out : "none");
		return (0);
	}
	if ((err = midi_open_seq(app->midi)) < 0) {
		log_warnx("cannot open the ALSA sequencer: %s (--midi-in and "
		    "--midi-out take raw MIDI instead)", snd_strerror(err));
		return (err);
	}
	return (0);
}

/* The mapping files settled after an edit: reload them. */
static void
main_reload_cb(void *arg)
{
	struct app	*app = arg;

	app->reload_timer = NULL;
	log_info("%s changed", app->conf_path);
	main_reload(app);
}

/* A card may have appeared: try to open it, again later if need be. */
static void
main_open_cb(void *arg)
{
	struct card	*c = arg;

	c->open_timer = NULL;
	if (c->mixer != NULL)
		return;
	if (main_open_card(c, c->open_tries + 1 < OPEN_TRIES) < 0) {
		if (++c->open_tries < OPEN_TRIES)
			main_open_later(c);
		else
			c->open_tries = 0;
		return;
	}
	c->open_tries = 0;
	main_card_unbind(c);
	main_card_bind(c);
	main_card_full_state(c);
}

/* Arm the card opening timer, backing off with each try. */
static void
main_open_later(struct card *c)
{
	if (c->mixer != NULL || c->open_timer != NULL ||
	    c->app->simulate != NULL)
		return;
	c->open_timer = loop_add_timer(c->app->loop,
	    OPEN_MS << c->open_tries, main_open_cb, c);
}

/* Follow /dev/snd, or /dev until /dev/snd exists. */
static void
main_watch_snd(struct app *app)
{
	app->snd_wd = notify_add(app->notify, DEV_SND, IN_CREATE |
	    IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
	if (app->snd_wd >= 0) {
		notify_rm(app->notify, app->dev_wd);
		app->dev_wd = -1;
		return;
	}
	if (app->dev_wd < 0)
		app->dev_wd = notify_add(app->notify, "/dev", IN_CREATE);
	if (app->dev_wd < 0)
		log_debug("cannot follow /dev: %s", strerror(-app->dev_wd));
}

/* An inotify event: a mapping file, or a sound device. */
static void
main_notify_cb(int wd, uint32_t mask, const char *name, void *arg)
{
	struct app	*app = arg;
	unsigned int	 k;

	if (wd == -1 || (wd == app->conf_wd && (app->conf_name != NULL ?
	    strcmp(name, app->conf_name) == 0 : config_is_ini_name(name)))) {
		loop_del(app->reload_timer);
		app->reload_timer = loop_add_timer(app->loop, RELOAD_MS,
		    main_reload_cb, app);
	}
	if (wd == app->dev_wd && strcmp(name, "snd") == 0)
		main_watch_snd(app);
	if (wd == app->snd_wd && (mask & (IN_DELETE_SELF | IN_MOVE_SELF))) {
		app->snd_wd = -1;
		main_watch_snd(app);
	}
	if (wd == -1 || wd == app->dev_wd || (wd == app->snd_wd &&
	    strncmp(name, "controlC", 8) == 0)) {
		for (k = 0; k < app->ncards; k++) {
			app->cards[k]->open_tries = 0;
			main_open_later(app->cards[k]);
		}
	}
}

/*
 * Follow the mapping files (their directory, for editors that replace a
 * file by renaming another over it) and the sound devices.
 */
static void
main_watch(struct app *app)
{
	struct stat	 st;
	char		*dir, *slash;

	app->conf_wd = app->dev_wd = app->snd_wd = -1;
	if ((app->notify = notify_create(app->loop, main_notify_cb,
	    app)) == NULL) {
		log_warn("inotify: mapping files and cards are not followed");
		return;
	}
	if (stat(app->conf_path, &st) == 0 && S_ISDIR(st.st_mode))
		dir = xstrdup(app->conf_path);
	else {
		dir = xstrdup(app->conf_path);
		if ((slash = strrchr(dir, '/')) == NULL) {
			free(dir);
			dir = xstrdup(".");
			app->conf_name = xstrdup(app->conf_path);
		} else {
			app->conf_name = xstrdup(slash + 1);
			if (slash == dir)
				slash++;
			*slash = '\0';
		}
	}
	app->conf_wd = notify_add(app->notify, dir, IN_CLOSE_WRITE |
	    IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE);
	if (app->conf_wd < 0)
		log_warnx("%s: cannot follow: %s", dir,
		    strerror(-app->conf_wd));
	free(dir);
	if (app->simulate == NULL)
		main_watch_snd(app);
}

static void
main_signal_cb(int sig, void *arg)
{
	struct app	*app = arg;

	switch (sig) {
	case SIGHUP:
		main_reload(app);
		break;
	default:
		log_info("exiting on signal %d", sig);
		loop_exit(app->loop);
		break;
	}
}

/*
 * alsa-lib's own messages, and those of plugins such as the simulated
 * card ("bad range"), go to our log, one line each, not to stderr in
 * alsa-lib's format.
 */
static void
main_alsa_error(const char *file, int line, const char *func, int err,
    const char *fmt, ...)
{
	char	 buf[256];
	va_list	 ap;

	(void)file;
	(void)line;
	(void)func;
	(void)err;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_warnx("%s", buf);
}

/* Find the default mapping directory, $XDG_CONFIG_HOME/scarlett-midi. */
static const char *
main_default_conf(struct app *app)
{
	const char	*xdg, *home;

	if ((xdg = getenv("XDG_CONFIG_HOME")) != NULL && *xdg == '/')
		xasprintf(&app->conf_default, "%s/scarlett-midi", xdg);
	else if ((home = getenv("HOME")) != NULL)
		xasprintf(&app->conf_default, "%s/.config/scarlett-midi",
		    home);
	else
		fatalx("neither XDG_CONFIG_HOME nor HOME is set: use -f");
	return (app->conf_default);
}

/* Resolve --simulate: a path, or the name of a shipped state file. */
static const char *
main_find_state(const char *name, char **buf)
{
	struct stat	 st;

	if (stat(name, &st) == 0 || strchr(name, '/') != NULL)
		return (name);
	xasprintf(buf, "%s/%s%s", STATEDIR, name,
	    strstr(name, ".state") != NULL ? "" : ".state");
	return (*buf);
}

/* "scarlett-midi list": print every control of a card. */
static int
main_list(struct app *app)
{
	struct mixer	*mx;
	int		 err;

	/* No event is read: the callbacks never run. */
	if (app->simulate != NULL)
		err = mixer_open_sim(&mx, app->loop, app->simulate,
		    &main_mixer_ops, NULL);
	else
		err = mixer_open(&mx, app->loop, app->device != NULL ?
		    app->device : "default", &main_mixer_ops, NULL);
	if (err < 0) {
		log_warnx("%s: %s", app->simulate != NULL ? app->simulate :
		    app->device != NULL ? app->device : "default",
		    snd_strerror(err));
		return (1);
	}
	mixer_list(mx, stdout);
	mixer_close(mx);
	return (fflush(stdout) == 0 ? 0 : 1);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "simulate",	required_argument,	NULL,	'S' },
		{ "midi-in",	required_argument,	NULL,	'I' },
		{ "midi-out",	required_argument,	NULL,	'O' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	static const char	*cmds[] = { "", "list", "check", "learn",
				    "monitor" };
	struct app	 app;
	char		*statebuf = NULL;
	unsigned int	 i;
	int		 ch, debug = 0, noaction = 0, verbose = 0;
	int		 rv = 0;

	memset(&app, 0, sizeof(app));
	for (i = 1; argc > 1 && i < nitems(cmds); i++) {
		if (strcmp(argv[1], cmds[i]) == 0) {
			app.cmd = i;
			argv++;
			argc--;
			break;
		}
	}
	while ((ch = getopt_long(argc, argv, "dD:f:nv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'D':
			app.device = optarg;
			break;
		case 'f':
			app.conf_path = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'S':
			app.simulate = optarg;
			break;
		case 'I':
			app.midi_in = optarg;
			break;
		case 'O':
			app.midi_out = optarg;
			break;
		default:
			usage();
		}
	}
	if (app.cmd == CMD_LEARN && optind + 1 == argc)
		app.learn_control = argv[optind++];
	if (optind != argc || (noaction && app.cmd != CMD_RUN))
		usage();
	if (app.simulate != NULL && app.device != NULL) {
		fprintf(stderr, "scarlett-midi: -D and --simulate exclude "
		    "each other\n");
		usage();
	}
	log_init(debug || noaction || app.cmd != CMD_RUN, LOG_DAEMON);
	log_setverbose(verbose);
	snd_lib_error_set_handler(main_alsa_error);
	if (app.simulate != NULL)
		app.simulate = main_find_state(app.simulate, &statebuf);

	if (app.cmd == CMD_LIST) {
		app.loop = loop_create();
		rv = main_list(&app);
		goto out;
	}

	/* learn needs no mapping file when it is told the card. */
	if (app.cmd == CMD_LEARN && app.conf_path == NULL &&
	    (app.device != NULL || app.simulate != NULL))
		app.conf = config_create();
	else {
		if (app.conf_path == NULL)
			app.conf_path = main_default_conf(&app);
		if ((app.conf = main_load(&app)) == NULL) {
			rv = 1;
			goto out;
		}
	}
	app.snapdir = snapshot_dir(app.conf->snapshots);
	if (noaction) {
		if (verbose)
			config_print(app.conf, stdout);
		fprintf(stderr, "configuration OK\n");
		goto out;
	}

	signal(SIGPIPE, SIG_IGN);
	if (app.cmd == CMD_MONITOR)
		setvbuf(stdout, NULL, _IOLBF, 0);
	app.loop = loop_create();
	if (loop_add_signal(app.loop, SIGINT, main_signal_cb, &app) == NULL ||
	    loop_add_signal(app.loop, SIGTERM, main_signal_cb, &app) == NULL ||
	    loop_add_signal(app.loop, SIGHUP, main_signal_cb, &app) == NULL)
		fatal("signalfd");

	/* MIDI first: the bindings learn which surfaces they are for. */
	if (app.cmd != CMD_CHECK && main_open_midi(&app) < 0) {
		rv = 1;
		goto out;
	}
	/* Only the service waits for cards that are not there. */
	if ((main_cards(&app, app.conf) > 0 || app.ncards == 0) &&
	    (app.simulate != NULL || app.cmd != CMD_RUN)) {
		rv = 1;
		goto out;
	}
	if (app.cmd == CMD_LEARN) {
		/* Listen to every surface; show nothing. */
		for (i = 0; i < app.ncards; i++)
			app.cards[i]->map = map_create(app.conf);
	} else if (main_bind(&app) > 0 && app.cmd == CMD_CHECK)
		rv = 1;
	if (app.cmd == CMD_CHECK) {
		if (rv == 0)
			log_info("every control is there");
		goto out;
	}
	if (app.cmd == CMD_LEARN) {
		if (app.midi_in == NULL && app.midi_out == NULL &&
		    midi_connect(app.midi, "") < 0)
			log_warnx("learn: cannot connect the surfaces");
		log_info("learn: move one control on the surface");
	} else {
		main_connect(&app, app.conf);
		main_watch(&app);
		main_full_state(&app);
		log_info("ready");
	}

	if (loop_run(app.loop) < 0)
		rv = 1;
out:
	main_unbind(&app);
	for (i = 0; i < app.ncards; i++)
		main_card_free(app.cards[i]);
	free(app.cards);
	loop_del(app.reload_timer);
	loop_del(app.learn_timer);
	notify_free(app.notify);
	free(app.conf_name);
	midi_free(app.midi);
	loop_free(app.loop);
	config_free(app.conf);
	free(app.conf_default);
	free(app.snapdir);
	free(statebuf);
	snd_config_update_free_global();
	return (rv);
}
