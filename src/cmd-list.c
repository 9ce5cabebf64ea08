/* "scarlett-midi list": print every control of a card. */

#include <stdio.h>
#include <stdlib.h>

#include <alsa/asoundlib.h>

#include "app.h"
#include "card.h"
#include "cmd.h"
#include "log.h"
#include "loop.h"
#include "mixer.h"
#include "xmalloc.h"

/*
 * The default card could not be opened: say in one line whether there
 * is any card at all, and which, so the next command is plain.
 */
static void
cmd_list_no_default(void)
{
	char		*name, *all = NULL, *prev;
	int		 card = -1, n = 0;

	while (snd_card_next(&card) == 0 && card >= 0) {
		if (snd_card_get_name(card, &name) < 0)
			continue;
		prev = all;
		xasprintf(&all, "%s%shw:%d '%s'", prev != NULL ? prev : "",
		    prev != NULL ? ", " : "", card, name);
		free(prev);
		free(name);
		n++;
	}
	if (n == 0)
		log_warnx("no sound card was found; 'scarlett-midi list "
		    "--simulate Scarlett-Gen-3-18i20' lists a simulated one");
	else
		log_warnx("the default card cannot be opened; the cards are "
		    "%s: name one with -D", all);
	free(all);
}

/* Open the card -D or --simulate names, print its controls, close it. */
static int
cmd_list_exec(struct app *app)
{
	struct mixer	*mx;
	const char	*want;
	int		 err;

	app->loop = loop_create();
	want = app->simulate != NULL ? app->simulate :
	    app->device != NULL ? app->device : "default";
	/* No event is read: the callbacks never run. */
	if ((err = card_open_mixer(app, want, &mx, NULL)) < 0) {
		if (app->simulate == NULL && app->device == NULL)
			cmd_list_no_default();
		else
			log_warnx("%s: %s", want, snd_strerror(err));
		return (1);
	}
	mixer_list(mx, stdout);
	mixer_close(mx);
	return (fflush(stdout) == 0 ? 0 : 1);
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "list [-v] [-D device | --simulate statefile]",
	.maxargs = 0,
	.exec = cmd_list_exec,
};
