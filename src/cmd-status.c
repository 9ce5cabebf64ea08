/*
 * "scarlett-midi status": what the running service does, asked over its
 * control socket; and the page the service answers with.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "card.h"
#include "cmd.h"
#include "config.h"
#include "control.h"
#include "log.h"
#include "map.h"
#include "midi.h"
#include "mixer.h"
#include "xmalloc.h"

/* The service's side: its files, cards, surfaces, layer, last warning. */
void
cmd_status_print(FILE *fp, void *arg)
{
	struct app	*app = arg;
	const struct surface	*sf;
	struct card		*c;
	struct map		*map = NULL;
	unsigned int		 k;
	int			 layer;

	fprintf(fp, "scarlett-midi %s, pid %ld\n", PACKAGE_VERSION,
	    (long)getpid());
	fprintf(fp, "files: %s, %u mappings\n", app->conf_path,
	    app->conf->nmappings);
	for (k = 0; k < app->ncards; k++) {
		c = app->cards[k];
		if (c->mixer == NULL) {
			fprintf(fp, "card '%s': not open, waiting for it\n",
			    c->want);
			continue;
		}
		fprintf(fp, "card '%s': %s '%s', %u controls, %zu bound\n",
		    c->want, mixer_name(c->mixer), mixer_card_name(c->mixer),
		    mixer_count(c->mixer), c->map != NULL ?
		    map_count(c->map) : 0);
		if (map == NULL)
			map = c->map;
	}
	if (app->midi != NULL)
		midi_print(app->midi, fp);
	/* The files with no port first, then each surface's own. */
	for (k = 0; k < app->conf->nsurfaces; k++) {
		sf = &app->conf->surfaces[k];
		layer = map != NULL ? map_layer(map, k) : sf->layer;
		fprintf(fp, "layer%s%.*s: %s\n", k > 0 ? " of " : "",
		    (int)strcspn(sf->ports, "\n"), sf->ports, layer == -1 ?
		    "none" : app->conf->layers[layer]);
	}
	fprintf(fp, "last warning: %s\n", *log_last_warning() != '\0' ?
	    log_last_warning() : "none");
}

/*
 * Ask the running service over its socket; say so if none runs.
 * Shared with monitor, which asks for a stream instead of a page.
 */
int
cmd_status_request(const char *what)
{
	char	*path;
	int	 err;

	if ((err = control_path(&path)) < 0) {
		log_warnx("cannot find the control socket: %s",
		    strerror(-err));
		return (1);
	}
	err = control_request(path, what, STDOUT_FILENO);
	if (err == -ENOENT || err == -ECONNREFUSED)
		log_warnx("no scarlett-midi service is running (%s)", path);
	else if (err < 0)
		log_warnx("%s: %s", path, strerror(-err));
	free(path);
	return (err < 0 ? 1 : 0);
}

static int
cmd_status_exec(struct app *app)
{
	(void)app;
	return (cmd_status_request("status"));
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "status",
	.maxargs = 0,
	.exec = cmd_status_exec,
};
