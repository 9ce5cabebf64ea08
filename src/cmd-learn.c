/*
 * "scarlett-midi learn": listen to one surface control and print the
 * mapping it wants, for the control named or the next one that changes.
 */

#include <stdio.h>

#include "action.h"
#include "app.h"
#include "bind.h"
#include "card.h"
#include "cmd.h"
#include "config.h"
#include "learn.h"
#include "log.h"
#include "loop.h"
#include "midi.h"
#include "mixer.h"
#include "route.h"

/* Learn: how long the surface is quiet before the control is done. */
#define LEARN_QUIET_MS	700

/* What learn collects; one learn runs in a process. */
static struct {
	struct learn	 learn;		/* the messages heard */
	const char	*control;	/* named on the command line, or NULL */
	struct watch	*timer;		/* until the surface is quiet */
} cmd_learn_state;

/* Learn: the surface control is done moving; name the guess. */
static void
cmd_learn_done(struct app *app, struct elem *e)
{
	struct learn_guess	 g;
	const char		*name = cmd_learn_state.control;
	unsigned int		 index = 0;

	if (learn_guess(&cmd_learn_state.learn, &g) < 0)
		return;
	if (e != NULL) {
		name = mixer_elem_name(e);
		index = mixer_elem_index(e);
	} else if (app->ncards > 0 && app->cards[0]->mixer != NULL)
		e = mixer_find(app->cards[0]->mixer, name, 0);
	learn_print(stdout, &g, name, index, e != NULL ?
	    mixer_elem_value(e, 0) : 0);
	fflush(stdout);
	loop_exit(app->loop);
}

/* The surface has been quiet for a moment. */
static void
cmd_learn_timer_cb(void *arg)
{
	struct app	*app = arg;

	cmd_learn_state.timer = NULL;
	if (cmd_learn_state.control != NULL)
		cmd_learn_done(app, NULL);
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
cmd_learn_heard(struct app *app, const struct midi_msg *msg)
{
	char	 buf[64];

	if (cmd_learn_state.learn.n == 0)
		log_info("learn: heard %s", route_msg_text(msg, buf,
		    sizeof(buf)));
	learn_add(&cmd_learn_state.learn, msg);
	loop_del(cmd_learn_state.timer);
	cmd_learn_state.timer = loop_add_timer(app->loop, LEARN_QUIET_MS,
	    cmd_learn_timer_cb, app);
}

/* A control changed on the card: the one learnt, if the surface spoke. */
static void
cmd_learn_changed(struct app *app, struct elem *e)
{
	if (cmd_learn_state.learn.n > 0 && cmd_learn_state.control == NULL)
		cmd_learn_done(app, e);
}

static const struct app_hooks cmd_learn_hooks = {
	.heard = cmd_learn_heard,
	.changed = cmd_learn_changed,
};

/*
 * Hear the surface: the port -p names (software or not), else the files'
 * surfaces, else every hardware port; never Midi Through nor another
 * scarlett-midi, whose feedback would pass for a control that moved.
 */
static void
cmd_learn_connect(struct app *app)
{
	if (app->port != NULL) {
		if (midi_connect(app->midi, app->port, 1) == 0)
			log_warnx("learn: no port matches '%s'", app->port);
	} else if (!TAILQ_EMPTY(&app->conf->ports))
		route_connect(app);
	else if (midi_connect(app->midi, "", 0) < 0)
		log_warnx("learn: cannot connect the surfaces");
}

/* Open the cards with no bindings, listen to the surfaces, then guess. */
static int
cmd_learn_exec(struct app *app)
{
	unsigned int	 i;
	int		 rv;

	if (app->argc > 0)
		cmd_learn_state.control = app->argv[0];
	/* learn needs no mapping file when it is told the card. */
	if (app->conf_path == NULL &&
	    (app->device != NULL || app->simulate != NULL)) {
		app->conf = config_create();
		action_set_dir(app);
	} else if (cmd_load(app) < 0)
		return (1);
	app->hooks = &cmd_learn_hooks;
	if (cmd_start(app, 1, 0) < 0)
		return (1);
	/*
	 * A control the card lacks would make a section that names it: no
	 * use appended to a mapping file (learn >> file.ini).
	 */
	if (cmd_learn_state.control != NULL && app->ncards > 0 &&
	    app->cards[0]->mixer != NULL && mixer_find(app->cards[0]->mixer,
	    cmd_learn_state.control, 0) == NULL) {
		log_warnx("learn: %s has no control '%s' ('scarlett-midi list' "
		    "names them)", mixer_name(app->cards[0]->mixer),
		    cmd_learn_state.control);
		return (1);
	}

	/* Listen to every surface; show nothing. */
	for (i = 0; i < app->ncards; i++)
		bind_card_clear(app->cards[i]);
	if (app->midi_in == NULL && app->midi_out == NULL)
		cmd_learn_connect(app);
	log_info("learn: move one control on the surface");
	rv = loop_run(app->loop) < 0 ? 1 : 0;
	loop_del(cmd_learn_state.timer);
	cmd_learn_state.timer = NULL;
	return (rv);
}

const struct cmd_entry cmd_learn_entry = {
	.name = "learn",
	.usage = "learn [-v] [-p port] [-D device | --simulate statefile]\n"
	    "[-f file|dir] [--midi-in path] [control]",
	.maxargs = 1,
	.exec = cmd_learn_exec,
};
