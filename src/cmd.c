/* What the commands share: start the service, run it, tear it down. */

#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>

#include "action.h"
#include "app.h"
#include "bind.h"
#include "card.h"
#include "cmd.h"
#include "compat.h"
#include "config.h"
#include "control.h"
#include "feedback.h"
#include "log.h"
#include "loop.h"
#include "midi.h"
#include "reload.h"
#include "route.h"
#include "xmalloc.h"

/* The commands a word names; without one, cmd_run_entry. */
static const struct cmd_entry	*cmd_table[] = {
	&cmd_list_entry,
	&cmd_check_entry,
	&cmd_learn_entry,
	&cmd_monitor_entry,
	&cmd_status_entry,
};

/* The command a word names, or NULL. */
const struct cmd_entry *
cmd_find(const char *name)
{
	unsigned int	 i;

	for (i = 0; i < nitems(cmd_table); i++) {
		if (strcmp(cmd_table[i]->name, name) == 0)
			return (cmd_table[i]);
	}
	return (NULL);
}

/*
 * Print the synopsis of one command, or of all for the service's entry,
 * which --help of the program shows.
 */
static void
cmd_usage_line(FILE *fp, const char *lead, const char *usage)
{
	const char	*nl;

	fprintf(fp, "%s scarlett-midi ", lead);
	/* A synopsis of two lines goes on under its first option. */
	while ((nl = strchr(usage, '\n')) != NULL) {
		fprintf(fp, "%.*s\n%26s", (int)(nl - usage), usage, "");
		usage = nl + 1;
	}
	fprintf(fp, "%s\n", usage);
}

void
cmd_usage(const struct cmd_entry *cmd, FILE *fp)
{
	unsigned int	 i;

	cmd_usage_line(fp, "usage:", cmd->usage);
	for (i = 0; cmd == &cmd_run_entry && i < nitems(cmd_table); i++)
		cmd_usage_line(fp, "      ", cmd_table[i]->usage);
}

/* Find the default mapping directory, $XDG_CONFIG_HOME/scarlett-midi. */
static const char *
cmd_default_conf(struct app *app)
{
	const char	*xdg, *home;

	if ((xdg = getenv("XDG_CONFIG_HOME")) != NULL && *xdg == '/')
		xasprintf(&app->conf_default, "%s/scarlett-midi", xdg);
	else if ((home = getenv("HOME")) != NULL)
		xasprintf(&app->conf_default, "%s/.config/scarlett-midi",
		    home);
	else
		fatalx("neither XDG_CONFIG_HOME nor HOME is set: use -f");
	return (app->conf_default);
}

/*
 * Load the configuration from the path given or the default one.
 * Returns 0, or -1 if it has errors (reported).
 */
int
cmd_load(struct app *app)
{
	struct stat	 st;

	if (app->conf_path == NULL) {
		app->conf_path = cmd_default_conf(app);
		/* The first run: say what to do, not only what is missing. */
		if (stat(app->conf_path, &st) == -1 && errno == ENOENT) {
			log_warnx("%s: no mapping files yet; start from an "
			    "example of %s (mkdir -p %s; cp %s/scarlett-3rd-gen-"
			    "18i20.ini %s/), or write one with 'scarlett-midi "
			    "learn'; 'scarlett-midi list' names the card's "
			    "controls", app->conf_path, MAPPINGSDIR,
			    app->conf_path, MAPPINGSDIR, app->conf_path);
			return (-1);
		}
	}
	if ((app->conf = reload_load(app)) == NULL)
		return (-1);
	action_set_dir(app);
	return (0);
}

/* SIGHUP reloads; SIGINT and SIGTERM stop the loop. */
static void
cmd_signal_cb(int sig, void *arg)
{
	struct app	*app = arg;

	switch (sig) {
	case SIGHUP:
		reload_request(app);
		break;
	default:
		log_info("exiting on signal %d", sig);
		loop_exit(app->loop);
		break;
	}
}

/* Open MIDI: raw files if named, else the sequencer. */
static int
cmd_open_midi(struct app *app)
{
	int	 err;

	app->midi = midi_create(app->loop, &route_midi_ops, app);
	if (app->midi_in != NULL || app->midi_out != NULL) {
		if ((err = midi_open_raw(app->midi, app->midi_in,
		    app->midi_out)) < 0) {
			log_warnx("%s: %s", app->midi_in != NULL ?
			    app->midi_in : app->midi_out, strerror(-err));
			return (err);
		}
		log_info("raw MIDI: in %s, out %s",
		    app->midi_in != NULL ? app->midi_in : "none",
		    app->midi_out != NULL ? app->midi_out : "none");
		return (0);
	}
	if ((err = midi_open_seq(app->midi)) < 0) {
		log_warnx("cannot open the ALSA sequencer: %s (--midi-in and "
		    "--midi-out take raw MIDI instead)", snd_strerror(err));
		return (err);
	}
	return (0);
}

static const struct control_ops cmd_control_ops = {
	.status = cmd_status_print,
};

/*
 * Take the instance lock and open the control socket.  Returns 0, or
 * -1 if another instance runs (reported); without a socket the service
 * still runs, but unlocked.
 */
static int
cmd_control(struct app *app)
{
	char	*path;
	pid_t	 running;
	int	 err;

	if ((err = control_path(&path)) < 0) {
		log_warnx("no control socket: %s", strerror(-err));
		return (0);
	}
	err = control_open(&app->control, app->loop, path,
	    &cmd_control_ops, app, &running);
	if (err == -EADDRINUSE) {
		log_warnx("scarlett-midi is running already (pid %ld); "
		    "'scarlett-midi status' tells what it does",
		    (long)running);
		free(path);
		return (-1);
	}
	if (err < 0)
		log_warnx("%s: no control socket: %s", path, strerror(-err));
	free(path);
	return (0);
}

/*
 * Start the service: the loop and its signals, MIDI (if midi) and the
 * cards.  Only the service itself (wait) takes the instance lock and
 * runs while its cards are not there.  Returns 0, or -1 if it cannot
 * start (reported).
 */
int
cmd_start(struct app *app, int midi, int wait)
{
	signal(SIGPIPE, SIG_IGN);
	app->loop = loop_create();
	if (loop_add_signal(app->loop, SIGINT, cmd_signal_cb, app) == NULL ||
	    loop_add_signal(app->loop, SIGTERM, cmd_signal_cb, app) == NULL ||
	    loop_add_signal(app->loop, SIGHUP, cmd_signal_cb, app) == NULL)
		fatal("signalfd");
	app->card_ops = &feedback_card_ops;
	if (wait && cmd_control(app) < 0)
		return (-1);

	/* MIDI first: the bindings learn which surfaces they are for. */
	if (midi && cmd_open_midi(app) < 0)
		return (-1);
	if ((card_update(app, app->conf) > 0 || app->ncards == 0) &&
	    (app->simulate != NULL || !wait))
		return (-1);
	return (0);
}

/*
 * Serve: bind the cards, connect the surfaces, follow the files and the
 * cards, show the surfaces everything and run until told to stop.
 */
int
cmd_serve(struct app *app)
{
	bind_all(app);
	route_connect(app);
	reload_watch(app);
	card_watch(app);
	feedback_connect(app, 0);
	log_info("ready");
	return (loop_run(app->loop) < 0 ? 1 : 0);
}

/* Tear down what the commands started, in reverse. */
void
cmd_free(struct app *app)
{
	control_close(app->control);
	bind_unbind_all(app);
	feedback_cancel(app);
	card_free_all(app);
	reload_unwatch(app);
	card_unwatch(app);
	midi_free(app->midi);
	loop_free(app->loop);
	config_free(app->conf);
	free(app->conf_default);
	free(app->snapdir);
}
