/* Actions: layers, and snapshots of a card saved and recalled. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "app.h"
#include "card.h"
#include "compat.h"
#include "config.h"
#include "feedback.h"
#include "log.h"
#include "map.h"
#include "mixer.h"
#include "snapshot.h"

/* Where snapshots go, from the configuration. */
void
action_set_dir(struct app *app)
{
	free(app->snapdir);
	app->snapdir = snapshot_dir(app->conf->snapshots);
}

/* Save or recall a snapshot of the card. */
static void
action_snapshot(struct card *c, const struct mapping *m)
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
		if ((err = snapshot_save(path, c->mixer, m->snapshot_all)) < 0)
			log_warnx("%s: cannot save: %s", path,
			    strerror(-err));
		else
			log_info("saved snapshot %s", path);
	} else {
		if ((err = snapshot_recall(path, c->mixer,
		    m->snapshot_all)) == -EINVAL)
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

/*
 * Make a layer a surface's active one, on every card, and show the
 * surfaces what they now drive.  Another surface keeps its own layer.
 */
static void
action_set_layer(struct app *app, int surface, int layer)
{
	const char	*ports = app->conf->surfaces[surface].ports;
	unsigned int	 k, changed = 0;

	for (k = 0; k < app->ncards; k++)
		changed |= map_set_layer(app->cards[k]->map, surface, layer);
	if (!changed)
		return;
	log_info("layer %s%s%.*s", layer == -1 ? "none" :
	    app->conf->layers[layer], *ports != '\0' ? " on " : "",
	    (int)strcspn(ports, "\n"), ports);
	feedback_full_state(app);
}

/* An action's button was pressed or released. */
void
action_run(struct card *c, struct binding *b, enum map_result r)
{
	struct app		*app = c->app;
	const struct mapping	*m = b->m;

	switch (m->action) {
	case ACTION_LAYER:
		if (r == MAP_PRESS) {
			if (b->prev_layer == -1 && m->mode == MODE_MOMENTARY)
				b->prev_layer = map_layer(c->map, m->surface);
			action_set_layer(app, m->surface, m->action_layer);
		} else if (b->prev_layer != -1) {
			action_set_layer(app, m->surface, b->prev_layer);
			b->prev_layer = -1;
		}
		break;
	case ACTION_RECALL:
	case ACTION_SAVE:
		action_snapshot(c, m);
		break;
	case ACTION_NONE:
		break;
	}
}
