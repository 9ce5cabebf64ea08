/* "scarlett-midi list": print every control of a card. */

#include <stdio.h>

#include <alsa/asoundlib.h>

#include "app.h"
#include "card.h"
#include "cmd.h"
#include "log.h"
#include "loop.h"
#include "mixer.h"

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
		log_warnx("%s: %s", want, snd_strerror(err));
		return (1);
	}
	mixer_list(mx, stdout);
	mixer_close(mx);
	return (fflush(stdout) == 0 ? 0 : 1);
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.maxargs = 0,
	.exec = cmd_list_exec,
};
