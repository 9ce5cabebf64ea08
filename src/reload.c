/* Reload the configuration, once, when the files or SIGHUP ask for it. */

#include <sys/inotify.h>
#include <sys/stat.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "app.h"
#include "bind.h"
#include "card.h"
#include "config.h"
#include "feedback.h"
#include "log.h"
#include "loop.h"
#include "map.h"
#include "midi.h"
#include "notify.h"
#include "reload.h"
#include "route.h"
#include "xmalloc.h"

/*
 * Edits come as bursts of events (write, close, rename), and a SIGHUP
 * often follows an edit: reload once they settle.
 */
#define RELOAD_MS	150

/* Load the configuration from the path given. */
struct config *
reload_load(struct app *app)
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
/*
 * Each surface's active layer stays active if the new files still have
 * that surface (the same ports) and that layer.
 */
static void
reload_keep_layers(struct app *app, const struct config *old,
    const int *layers)
{
	const struct config	*conf = app->conf;
	unsigned int		 i, j, k, l;

	for (i = 0; i < old->nsurfaces; i++) {
		if (layers[i] == -1)
			continue;
		for (j = 0; j < conf->nsurfaces; j++) {
			if (strcmp(conf->surfaces[j].ports,
			    old->surfaces[i].ports) != 0)
				continue;
			for (l = 0; l < conf->nlayers; l++) {
				if (strcmp(conf->layers[l],
				    old->layers[layers[i]]) != 0)
					continue;
				for (k = 0; k < app->ncards; k++)
					map_set_layer(app->cards[k]->map, j, l);
			}
		}
	}
}

static void
reload_now(struct app *app)
{
	struct config	*conf, *old;
	int		*layers;
	unsigned int	 i;

	log_info("reloading %s", app->conf_path);
	if ((conf = reload_load(app)) == NULL) {
		log_warnx("%s: keeping the previous configuration",
		    app->conf_path);
		return;
	}
	old = app->conf;
	layers = xcalloc(old->nsurfaces, sizeof(*layers));
	for (i = 0; i < old->nsurfaces; i++)
		layers[i] = app->ncards > 0 && app->cards[0]->map != NULL ?
		    map_layer(app->cards[0]->map, i) : -1;
	bind_unbind_all(app);
	feedback_cancel(app);
	app->conf = conf;
	card_update(app, conf);
	action_set_dir(app);
	/* The surfaces become exactly those the new files name. */
	if (app->midi != NULL)
		midi_replace_begin(app->midi);
	bind_all(app);
	reload_keep_layers(app, old, layers);
	config_free(old);
	free(layers);
	route_connect(app);
	if (app->midi != NULL)
		midi_replace_end(app->midi);
	feedback_connect(app, 0);
}

/* The requests settled: reload. */
static void
reload_cb(void *arg)
{
	struct app	*app = arg;

	app->reload_timer = NULL;
	if (app->reload_edit)
		log_info("%s changed", app->conf_path);
	app->reload_edit = 0;
	reload_now(app);
}

/*
 * Ask for a reload (SIGHUP, or a file changed): it happens once the
 * requests have settled, so that an edit and a SIGHUP reload once.
 */
void
reload_request(struct app *app)
{
	loop_del(app->reload_timer);
	app->reload_timer = loop_add_timer(app->loop, RELOAD_MS, reload_cb,
	    app);
}

/* An inotify event in the mapping directory. */
static void
reload_notify_cb(int wd, uint32_t mask, const char *name, void *arg)
{
	struct app	*app = arg;

	(void)mask;
	if (wd == -1 || (wd == app->conf_wd && (app->conf_name != NULL ?
	    strcmp(name, app->conf_name) == 0 : config_is_ini_name(name)))) {
		app->reload_edit = 1;
		reload_request(app);
	}
}

/*
 * Follow the mapping files: their directory, for editors that replace a
 * file by renaming another over it.
 */
void
reload_watch(struct app *app)
{
	struct stat	 st;
	char		*dir, *slash;

	app->conf_wd = -1;
	if ((app->notify = notify_create(app->loop, reload_notify_cb,
	    app)) == NULL) {
		log_warn("inotify: mapping files are not followed");
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
}

/* Stop following the files, and forget a reload not done yet. */
void
reload_unwatch(struct app *app)
{
	loop_del(app->reload_timer);
	app->reload_timer = NULL;
	notify_free(app->notify);
	app->notify = NULL;
	free(app->conf_name);
	app->conf_name = NULL;
}
