/* Feedback: what goes back to the surfaces, and when. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "bind.h"
#include "card.h"
#include "config.h"
#include "feedback.h"
#include "lcd.h"
#include "log.h"
#include "loop.h"
#include "meter.h"
#include "map.h"
#include "midi.h"
#include "mixer.h"

static void	feedback_hold_cb(void *);
static void	feedback_strip_cb(void *);

/*
 * Milliseconds on the monotonic clock: the clock of holds and pacing,
 * which route.c stamps input with too.
 */
long long
feedback_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * Send a binding's feedback now, unless the surface shows it.  A value
 * that one surface set is not echoed to it, but the other surfaces of a
 * mapping that all surfaces share have not seen it: they are sent it.
 */
static void
feedback_send(struct card *c, struct binding *b)
{
	struct app	*app = c->app;
	struct bound	*bd = b->data;
	struct midi_msg	 msg[MAP_OUT_MAX];
	char		 buf[64];
	long		 v = bind_value(b);
	size_t		 i, n;
	uint32_t	 to = bd->surfaces, echo = bd->echo;

	bd->echo = 0;
	if (app->midi == NULL || (b->elem == NULL &&
	    b->m->action == ACTION_NONE))
		return;
	if ((n = map_out(c->map, b, v, msg)) == 0) {
		if (bd->surfaces != 0 || echo == 0 ||
		    (to = midi_surfaces(app->midi) & ~echo) == 0 ||
		    (n = map_show(c->map, b, v, msg)) == 0)
			return;
	}
	if (b->elem != NULL)
		log_debug("'%s' = %ld -> %s = %ld", mixer_elem_name(b->elem),
		    v, bind_msg_name(b, buf, sizeof(buf)), b->surface);
	if (app->hooks != NULL && app->hooks->sent != NULL)
		app->hooks->sent(app, b);
	for (i = 0; i < n; i++)
		midi_send_to(app->midi, to, &msg[i]);
	bd->sent_ms = feedback_now();
}

/* Arm the hold timer unless it is armed. */
static void
feedback_hold_arm(struct app *app, long long ms)
{
	if (app->hold_timer == NULL)
		app->hold_timer = loop_add_timer(app->loop, ms,
		    feedback_hold_cb, app);
}

/*
 * When a binding's feedback may go: not while a hand moves its control
 * (MAP_HOLD_MS after its input), and not sooner than the feedback
 * interval after the last message, which paces slow surfaces.
 */
static long long
feedback_due(const struct app *app, const struct binding *b)
{
	const struct bound	*bd = b->data;
	long long		 hold, pace;

	hold = b->input_ms + MAP_HOLD_MS;
	pace = bd->sent_ms +
	    app->conf->surfaces[b->m->surface].feedback_interval;

	return (hold > pace ? hold : pace);
}

/*
 * An element changed: show it on the surface now, or hold it back and
 * send the latest value once it is due.  Nothing is queued but a flag:
 * a fast fader never builds a backlog, and the last value always goes.
 */
void
feedback_binding(struct card *c, struct binding *b)
{
	struct app	*app = c->app;
	struct bound	*bd = b->data;
	long long	 now, due;

	if (!map_active(c->map, b))
		return;
	if (b->touching) {
		bd->held = 1;		/* sent when the hand lets go */
		return;
	}
	now = feedback_now();
	if ((due = feedback_due(app, b)) > now) {
		bd->held = 1;
		feedback_hold_arm(app, due - now);
		return;
	}
	bd->held = 0;
	feedback_send(c, b);
}

/* Feedback that was held back: send what is due, wait for the rest. */
static void
feedback_hold_cb(void *arg)
{
	struct app	*app = arg;
	struct card	*c;
	struct binding	*b;
	struct bound	*bd;
	long long	 now = feedback_now(), due, left = 0;
	unsigned int	 k;
	size_t		 i;

	app->hold_timer = NULL;
	for (k = 0; k < app->ncards; k++) {
		c = app->cards[k];
		for (i = 0; (b = map_binding(c->map, i)) != NULL; i++) {
			bd = b->data;
			if (!bd->held || b->touching)
				continue;
			if ((due = feedback_due(app, b)) > now) {
				if (left == 0 || due - now < left)
					left = due - now;
				continue;
			}
			bd->held = 0;
			feedback_send(c, b);
		}
	}
	if (left > 0)
		feedback_hold_arm(app, left);
}

/* Drop the feedback held back: the bindings it was for are gone. */
void
feedback_cancel(struct app *app)
{
	loop_del(app->hold_timer);
	app->hold_timer = NULL;
	loop_del(app->strip_timer);
	app->strip_timer = NULL;
	meter_stop(app);
}

/*
 * The display of a binding's surface, as the device byte of its LCD
 * SysEx, or 0 if it shows nothing on a strip.  Only the binding its
 * mapping shows (the primary) writes the strip.
 */
static uint8_t
feedback_display(const struct app *app, const struct binding *b,
    int *hold)
{
	const struct config_surface	*cs;

	if (b->m->strip == -1 || !b->primary || app->midi == NULL ||
	    (cs = config_surface_of(app->conf, b->m->file)) == NULL)
		return (0);
	if (hold != NULL)
		*hold = cs->display_hold;
	switch (cs->display) {
	case DISPLAY_MACKIE:
		return (LCD_MACKIE);
	case DISPLAY_EXTENDER:
		return (LCD_EXTENDER);
	case DISPLAY_NONE:
		break;
	}
	return (0);
}

/* Write one line of a binding's strip (0 the top, 1 the bottom). */
static void
feedback_strip_write(struct app *app, const struct binding *b, int line,
    const char *text)
{
	const struct bound	*bd = b->data;
	uint8_t			 out[LCD_SYSEX_MAX], dev;
	size_t			 n;

	if ((dev = feedback_display(app, b, NULL)) != 0 &&
	    (n = lcd_cell(dev, b->m->strip, line, text, out)) > 0)
		midi_send_bytes_to(app->midi, bd->surfaces, out, n);
}

/*
 * An element changed: show its value in dB, or its item name, on the
 * bottom line of its strip, until the file's display-hold has passed
 * since the last change.  The timer runs only while a value is shown.
 */
static void
feedback_strip_value(struct card *c, struct binding *b)
{
	struct app	*app = c->app;
	struct bound	*bd = b->data, *other;
	struct binding	*ob;
	char		 text[64];
	long		 v;
	size_t		 i;
	int		 hold;

	/* A meter changes all the time: it is no strip's value. */
	if (b->elem == NULL || feedback_display(app, b, &hold) == 0 ||
	    !map_active(c->map, b) || mixer_elem_volatile(b->elem))
		return;
	v = bind_value(b);
	if (!map_text(b->info, v, text, sizeof(text)) &&
	    mixer_elem_item_name(b->elem, v, text, sizeof(text)) < 0)
		return;
	/* The strip shows this value now, not another one's of the strip. */
	for (i = 0; (ob = map_binding(c->map, i)) != NULL; i++) {
		other = ob->data;
		if (ob->m->strip == b->m->strip && ob->m->file == b->m->file)
			other->strip_until = 0;
	}
	feedback_strip_write(app, b, 1, text);
	bd->strip_until = feedback_now() + hold;
	if (app->strip_timer == NULL)
		app->strip_timer = loop_add_timer(app->loop, hold,
		    feedback_strip_cb, app);
}

/* The values shown on strips: clear those whose hold has passed. */
static void
feedback_strip_cb(void *arg)
{
	struct app	*app = arg;
	struct binding	*b;
	struct bound	*bd;
	long long	 now = feedback_now(), left = 0;
	unsigned int	 k;
	size_t		 i;

	app->strip_timer = NULL;
	for (k = 0; k < app->ncards; k++) {
		for (i = 0; (b = map_binding(app->cards[k]->map, i)) != NULL;
		    i++) {
			bd = b->data;
			if (bd->strip_until == 0)
				continue;
			if (bd->strip_until > now) {
				if (left == 0 || bd->strip_until - now < left)
					left = bd->strip_until - now;
				continue;
			}
			bd->strip_until = 0;
			feedback_strip_write(app, b, 1, "");
		}
	}
	if (left > 0)
		app->strip_timer = loop_add_timer(app->loop, left,
		    feedback_strip_cb, app);
}

/*
 * Write every strip of the card's active layer: the label of the first
 * active mapping of each strip on the top line (its label, or a short
 * form of its control's name), the bottom line blank.  A layer switch
 * comes here too, so it rewrites them all.
 */
static void
feedback_card_strips(struct card *c)
{
	struct app	*app = c->app;
	struct binding	*b, *ob;
	struct bound	*bd;
	char		 label[LCD_CELL + 1];
	size_t		 i, j;

	for (i = 0; (b = map_binding(c->map, i)) != NULL; i++) {
		bd = b->data;
		bd->strip_until = 0;
		if (feedback_display(app, b, NULL) == 0 ||
		    !map_active(c->map, b))
			continue;
		for (j = 0; j < i; j++) {
			ob = map_binding(c->map, j);
			if (ob->m->strip == b->m->strip &&
			    ob->m->file == b->m->file && ob->primary &&
			    map_active(c->map, ob))
				break;
		}
		if (j < i)
			continue;
		if (b->m->label != NULL)
			snprintf(label, sizeof(label), "%s", b->m->label);
		else if (b->elem != NULL)
			lcd_short(mixer_elem_name(b->elem), label,
			    LCD_CELL);
		else
			label[0] = '\0';
		feedback_strip_write(app, b, 0, label);
		feedback_strip_write(app, b, 1, "");
	}
}

/* Send the full state: every active value, whatever the surface shows. */
void
feedback_card_full_state(struct card *c)
{
	struct binding	*b;
	struct bound	*bd;
	size_t		 i;

	for (i = 0; (b = map_binding(c->map, i)) != NULL; i++) {
		if (!map_active(c->map, b))
			continue;
		bd = b->data;
		b->surface = -1;
		bd->held = 0;
		feedback_send(c, b);
	}
	feedback_card_strips(c);
	meter_update(c->app);
}

/* The same for every card. */
void
feedback_full_state(struct app *app)
{
	unsigned int	 k;

	for (k = 0; k < app->ncards; k++)
		feedback_card_full_state(app->cards[k]);
}

/*
 * Surfaces connected (their bits; 0: all, at start and reload): send
 * each the connect messages of its file, in order, then the full state.
 * A file that names no port sends its messages to every surface.
 */
void
feedback_connect(struct app *app, uint32_t surfaces)
{
	const struct config_surface	*cs;
	unsigned int			 i;
	uint32_t			 bits, to;

	TAILQ_FOREACH(cs, &app->conf->fsurfaces, entry) {
		if (app->midi == NULL || cs->nconnect == 0)
			continue;
		bits = bind_file_surfaces(app, cs->file);
		to = surfaces == 0 ? bits : bits != 0 ? bits & surfaces :
		    surfaces;
		if (surfaces != 0 && to == 0)
			continue;
		log_debug("%s: %u connect message%s", cs->file, cs->nconnect,
		    cs->nconnect == 1 ? "" : "s");
		for (i = 0; i < cs->nconnect; i++)
			midi_send_bytes_to(app->midi, to, cs->connect[i].bytes,
			    cs->connect[i].len);
	}
	feedback_full_state(app);
}

/* An element changed: tell the surface, unless a hand is on it. */
static void
feedback_changed(struct card *c, struct elem *e)
{
	struct app	*app = c->app;
	struct bound	*bd;

	if (app->hooks != NULL && app->hooks->changed != NULL)
		app->hooks->changed(app, e);
	for (bd = bind_elem_first(e); bd != NULL; bd = bd->elem_next) {
		map_changed(bd->b, bind_value(bd->b));
		feedback_binding(c, bd->b);
		feedback_strip_value(c, bd->b);
	}
}

/*
 * A write was refused or given up: show the card's value, whatever the
 * surface shows (motor faders return, LEDs show the truth).
 */
static void
feedback_resync(struct card *c, struct elem *e)
{
	struct bound	*bd;

	for (bd = bind_elem_first(e); bd != NULL; bd = bd->elem_next)
		bd->b->surface = -1;
	feedback_changed(c, e);
}

/* A write reached the card: the command's hook may tell of it. */
static void
feedback_written(struct card *c, struct elem *e)
{
	struct app	*app = c->app;

	if (app->hooks != NULL && app->hooks->written != NULL)
		app->hooks->written(app, e);
}

/* An element appeared: bind what names it and show it. */
static void
feedback_added(struct card *c, struct elem *e)
{
	struct bound	*bd;

	bind_elem_added(c, e);
	for (bd = bind_elem_first(e); bd != NULL; bd = bd->elem_next)
		feedback_binding(c, bd->b);
}

/* A card that was waited for opened: bind it and show it all. */
static void
feedback_opened(struct card *c)
{
	bind_card_unbind(c);
	bind_card(c);
	feedback_card_full_state(c);
}

/*
 * What the cards' events mean for the surfaces; the bindings follow the
 * elements in bind.c.
 */
const struct card_ops feedback_card_ops = {
	.opened = feedback_opened,
	.gone = bind_card_clear,
	.changed = feedback_changed,
	.added = feedback_added,
	.removed = bind_elem_removed,
	.resync = feedback_resync,
	.written = feedback_written,
};
