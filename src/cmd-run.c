/* The service itself: "scarlett-midi [-dnv] ...". */

#include <stdio.h>

#include "app.h"
#include "cmd.h"
#include "config.h"

/* Check the files (-n), or drive the cards from the surfaces. */
static int
cmd_run_exec(struct app *app)
{
	if (cmd_load(app) < 0)
		return (1);
	if (app->noaction) {
		if (app->verbose)
			config_print(app->conf, stdout);
		fprintf(stderr, "configuration OK\n");
		return (0);
	}
	app->hooks = &cmd_monitor_hooks;
	if (cmd_start(app, 1, 1) < 0)
		return (1);
	return (cmd_serve(app));
}

const struct cmd_entry cmd_run_entry = {
	.name = "",
	.usage = "[-dnv] [-D device] [-f file|dir] [--simulate statefile]\n"
	    "[--midi-in path] [--midi-out path]",
	.maxargs = 0,
	.exec = cmd_run_exec,
};
