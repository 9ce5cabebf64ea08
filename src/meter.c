/* Meters: volatile elements read on a timer while a surface shows them. */

#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "bind.h"
#include "card.h"
#include "config.h"
#include "log.h"
#include "loop.h"
#include "map.h"
#include "meter.h"
#include "midi.h"
#include "mixer.h"

static void	meter_tick_cb(void *);

/*
 * Whether a binding shows a meter now: a volatile element, with
 * feedback, in the active layer, to a surface that is connected.
 */
static int
meter_shown(const struct app *app, const struct card *c,
    const struct binding *b)
{
	const struct bound	*bd = b->data;

	return (b->elem != NULL && b->m->feedback && b->primary &&
	    mixer_elem_volatile(b->elem) && map_active(c->map, b) &&
	    app->midi != NULL && midi_connected_to(app->midi, bd->surfaces));
}

/*
 * The interval of the meter timer, in ms: that of the fastest meter-rate
 * of the files whose meters are shown; 0 if none is.  With read, read
 * each shown element once (an element that several channels share is
 * read once, and one still being read is not read again).
 */
static unsigned int
meter_scan(struct app *app, int read)
{
	const struct config_surface	*cs;
	struct card			*c;
	struct binding			*b;
	unsigned int			 k, rate = 0;
	size_t				 i;

	for (k = 0; k < app->ncards; k++) {
		c = app->cards[k];
		for (i = 0; c->map != NULL &&
		    (b = map_binding(c->map, i)) != NULL; i++) {
			if (!meter_shown(app, c, b))
				continue;
			cs = config_surface_of(app->conf, b->m->file);
			if (cs == NULL && rate < CONFIG_METER_RATE)
				rate = CONFIG_METER_RATE;
			else if (cs != NULL && (unsigned int)cs->meter_rate >
			    rate)
				rate = cs->meter_rate;
			if (read && mixer_elem_refresh(b->elem) == 0)
				app->meter_reads++;
		}
	}
	return (rate == 0 ? 0 : 1000 / rate);
}

/* Time to read the meters again; the timer goes on while they show. */
static void
meter_tick_cb(void *arg)
{
	struct app	*app = arg;
	unsigned int	 ms;

	app->meter_timer = NULL;
	if ((ms = meter_scan(app, 1)) != 0)
		app->meter_timer = loop_add_timer(app->loop, ms,
		    meter_tick_cb, app);
	else
		log_debug("meters: none shown, the timer stops");
}

/*
 * Start the meter timer if a meter is bound and its surface connected
 * (after a bind, a connect, a layer change); it stops by itself at the
 * first tick with none.  With no meter, no timer: idle stays asleep.
 */
void
meter_update(struct app *app)
{
	unsigned int	 ms;

	if (app->meter_timer != NULL || (ms = meter_scan(app, 0)) == 0)
		return;
	log_debug("meters: read every %u ms", ms);
	app->meter_timer = loop_add_timer(app->loop, ms, meter_tick_cb, app);
}

/* Stop reading meters: the bindings are going. */
void
meter_stop(struct app *app)
{
	loop_del(app->meter_timer);
	app->meter_timer = NULL;
}
