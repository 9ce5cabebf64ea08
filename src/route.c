/* Route one incoming MIDI message to its bindings and their writes. */

#include <stdint.h>
#include <stdio.h>

#include "action.h"
#include "app.h"
#include "bind.h"
#include "card.h"
#include "compat.h"
#include "config.h"
#include "feedback.h"
#include "log.h"
#include "map.h"
#include "midi.h"
#include "mixer.h"
#include "route.h"

/* A message as text, for monitor and learn: "cc 7 channel 1 = 127". */
const char *
route_msg_text(const struct midi_msg *msg, char *buf, size_t len)
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

/* What a message does to the mappings of one card. */
static void
route_card_msg(struct card *c, const struct midi_msg *msg)
{
	struct app		*app = c->app;
	struct map_event	 ev[MAP_EVENTS_MAX];
	const struct map_slot	*slots;
	struct binding		*b;
	struct bound		*bd;
	enum map_result		 r;
	long long		 now = feedback_now();
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
			bd = b->data;
			/* A file's mappings hear its own surfaces only. */
			if (bd->surfaces != 0 && src != 0 &&
			    !(bd->surfaces & src))
				continue;
			if (slots[i].touch) {
				if (map_touch(b, &ev[j]))
					feedback_binding(c, b);
				continue;
			}
			if (b->elem == NULL && b->m->action == ACTION_NONE)
				continue;
			r = map_in(c->map, b, &ev[j], now, bind_value(b), &v);
			if (r == MAP_PRESS || r == MAP_RELEASE) {
				action_run(c, b, r);
				continue;
			}
			if (r != MAP_WRITE)
				continue;
			bd->echo = src;
			log_debug("%s = %ld -> '%s' = %ld",
			    bind_msg_name(b, buf, sizeof(buf)),
			    ev[j].delta != 0 ? ev[j].delta : ev[j].value,
			    mixer_elem_name(b->elem), v);
			mixer_elem_set(b->elem, b->m->elem_channel, v);
		}
	}
}

/* A MIDI message arrived: queue the values of what it reaches. */
static void
route_msg_cb(const struct midi_msg *msg, void *arg)
{
	struct app	*app = arg;
	unsigned int	 k;

	if (app->hooks != NULL && app->hooks->heard != NULL)
		app->hooks->heard(app, msg);
	for (k = 0; k < app->ncards; k++)
		route_card_msg(app->cards[k], msg);
}

/* The MIDI input is drained: write what this pass queued. */
static void
route_drained_cb(void *arg)
{
	struct app	*app = arg;
	unsigned int	 k;

	for (k = 0; k < app->ncards; k++) {
		if (app->cards[k]->mixer != NULL)
			mixer_flush(app->cards[k]->mixer);
	}
}

/* Surfaces connected: their connect messages, then everything. */
static void
route_connected_cb(uint32_t surfaces, void *arg)
{
	feedback_connect(arg, surfaces);
}

/* Input was lost: show the surfaces the card's values again. */
static void
route_overrun_cb(void *arg)
{
	feedback_full_state(arg);
}

const struct midi_ops route_midi_ops = {
	.msg = route_msg_cb,
	.drained = route_drained_cb,
	.connected = route_connected_cb,
	.overrun = route_overrun_cb,
};

/* Connect the surfaces the configuration names. */
void
route_connect(struct app *app)
{
	const struct port	*p;

	if (app->midi == NULL || app->midi_in != NULL || app->midi_out != NULL)
		return;
	TAILQ_FOREACH(p, &app->conf->ports, entry) {
		if (midi_connect(app->midi, p->pattern, p->software) == 0)
			log_info("%s:%u: no port matches '%s' yet", p->file,
			    p->line, p->pattern);
	}
}
