/* scarlett-midi: drive ALSA card controls from a MIDI control surface. */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "config.h"
#include "log.h"
#include "loop.h"
#include "map.h"
#include "midi.h"
#include "mixer.h"
#include "xmalloc.h"

/*
 * How long feedback to a control waits after input from it: while a hand
 * moves a motorized fader, values of ours that are already old when they
 * arrive would pull it back.  Mixxx's soft takeover uses 50 ms for the
 * same kind of decision (softtakeover.cpp).
 */
#define HOLD_MS		50

struct app {
	struct loop		*loop;
	struct config		*conf;
	struct mixer		*mixer;
	struct map		*map;
	struct midi		*midi;
	struct binding		**bindings;
	unsigned int		 nbindings;
	struct watch		*hold_timer;

	const char		*conf_path;
	char			*conf_default;
	const char		*device;
	const char		*simulate;
	const char		*midi_in;
	const char		*midi_out;
};

static const struct mixer_ops	main_mixer_ops;
static void			main_hold_cb(void *);

static __dead void
usage(void)
{
	fprintf(stderr,
	    "usage: scarlett-midi [-dnv] [-D device] [-f file|dir] "
	    "[--simulate statefile]\n"
	    "                     [--midi-in path] [--midi-out path]\n"
	    "       scarlett-midi list [-D device | --simulate statefile]\n");
	exit(2);
}

/* Milliseconds on the monotonic clock. */
static long long
main_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The value of an element that a binding shows. */
static long
main_value(const struct binding *b)
{
	int	 ch = b->m->elem_channel;

	return (mixer_elem_value(b->elem, ch < 0 ? 0 : ch));
}

/* Send a binding the element's value, unless the surface shows it. */
static void
main_feedback(struct app *app, struct binding *b)
{
	struct midi_msg	 msg;
	long		 v = main_value(b);

	if (app->midi == NULL || !map_out(b, v, &msg))
		return;
	log_debug("'%s' = %ld -> %s %d channel %d = %d",
	    mixer_elem_name(b->elem), v, config_kind_name(b->m->kind),
	    b->m->number, b->channel + 1, msg.data2);
	midi_send(app->midi, &msg);
}

/* Send the full state: every bound value, whatever the surface shows. */
static void
main_full_state(struct app *app)
{
	unsigned int	 i;

	for (i = 0; i < app->nbindings; i++) {
		app->bindings[i]->surface = -1;
		main_feedback(app, app->bindings[i]);
	}
}

/* Arm the hold timer unless it is armed. */
static void
main_hold_arm(struct app *app, unsigned int ms)
{
	if (app->hold_timer == NULL)
		app->hold_timer = loop_add_timer(app->loop, ms, main_hold_cb,
		    app);
}

/* Feedback that waited for a control to rest: send what is still due. */
static void
main_hold_cb(void *arg)
{
	struct app	*app = arg;
	struct binding	*b;
	long long	 now = main_now(), wait, left = 0;
	unsigned int	 i;

	app->hold_timer = NULL;
	for (i = 0; i < app->nbindings; i++) {
		b = app->bindings[i];
		if (!b->held)
			continue;
		wait = b->touched + HOLD_MS - now;
		if (wait > 0) {
			if (left == 0 || wait < left)
				left = wait;
			continue;
		}
		b->held = 0;
		main_feedback(app, b);
	}
	if (left > 0)
		main_hold_arm(app, left);
}

/* An element changed: tell the surface, unless a hand is on it. */
static void
main_changed_cb(struct elem *e, void *arg)
{
	struct app	*app = arg;
	struct binding	*b;
	long long	 now = 0;

	for (b = mixer_elem_data(e); b != NULL; b = b->elem_next) {
		if (b->touched != 0) {
			if (now == 0)
				now = main_now();
			if (now - b->touched < HOLD_MS) {
				b->held = 1;
				main_hold_arm(app, b->touched + HOLD_MS - now);
				continue;
			}
		}
		main_feedback(app, b);
	}
}

/* Forget every binding. */
static void
main_unbind(struct app *app)
{
	unsigned int	 i;

	for (i = 0; i < app->nbindings; i++) {
		if (app->bindings[i]->elem != NULL)
			mixer_elem_set_data(app->bindings[i]->elem, NULL);
	}
	free(app->bindings);
	app->bindings = NULL;
	app->nbindings = 0;
	map_free(app->map);
	app->map = NULL;
	loop_del(app->hold_timer);
	app->hold_timer = NULL;
}

/* An element is going away: its bindings go quiet. */
static void
main_removed_cb(struct elem *e, void *arg)
{
	struct binding	*b;

	(void)arg;
	for (b = mixer_elem_data(e); b != NULL; b = b->elem_next) {
		log_warnx("%s:%u: '%s' was removed", b->m->file,
		    b->m->control_line, mixer_elem_name(e));
		b->elem = NULL;
		b->held = 0;
	}
	mixer_elem_set_data(e, NULL);
}

/* The card vanished: close it and keep running without it. */
static void
main_gone_cb(struct mixer *mx, void *arg)
{
	struct app	*app = arg;

	log_warnx("%s: closed; send SIGHUP to open it again", mixer_name(mx));
	main_unbind(app);
	mixer_close(app->mixer);
	app->mixer = NULL;
	app->map = map_create();
}

static const struct mixer_ops main_mixer_ops = {
	.changed = main_changed_cb,
	.removed = main_removed_cb,
	.gone = main_gone_cb,
};

/*
 * Bind every mapping of conf to the elements of the open card.  A control
 * the card lacks is reported and left out; it is not an error.
 */
static void
main_bind(struct app *app, const struct config *conf)
{
	const struct mapping	*m;
	const struct elem_info	*info;
	struct binding		*b;
	struct elem		*e;

	app->map = map_create();
	if (app->mixer == NULL)
		return;
	TAILQ_FOREACH(m, &conf->mappings, entry) {
		if ((e = mixer_find(app->mixer, m->control, m->index)) ==
		    NULL) {
			log_warnx("%s:%u: %s has no control '%s'", m->file,
			    m->control_line, mixer_name(app->mixer),
			    m->control);
			continue;
		}
		info = mixer_elem_info(e);
		if (info->type == ELEM_OTHER) {
			log_warnx("%s:%u: '%s' is not a number, switch or "
			    "enumeration", m->file, m->control_line,
			    m->control);
			continue;
		}
		if (m->elem_channel >= (int)info->count) {
			log_warnx("%s:%u: '%s' has %u channel%s", m->file,
			    m->control_line, m->control, info->count,
			    info->count == 1 ? "" : "s");
			continue;
		}
		b = map_add(app->map, m, e, info);
		b->elem_next = mixer_elem_data(e);
		mixer_elem_set_data(e, b);
		app->bindings = xreallocarray(app->bindings,
		    app->nbindings + 1, sizeof(*app->bindings));
		app->bindings[app->nbindings++] = b;
	}
	log_info("%s: %u of %u mappings bound", mixer_name(app->mixer),
	    app->nbindings, conf->nmappings);
}

/* Open the card: the simulated one, -D, or the configuration's. */
static int
main_open_card(struct app *app, const struct config *conf)
{
	const char	*want;
	int		 err;

	if (app->simulate != NULL) {
		err = mixer_open_sim(&app->mixer, app->loop, app->simulate,
		    &main_mixer_ops, app);
		want = app->simulate;
	} else {
		if ((want = app->device) == NULL)
			want = conf->card;
		if (want == NULL) {
			log_warnx("no card: name one in [card] or with -D");
			return (-ENODEV);
		}
		err = mixer_open(&app->mixer, app->loop, want,
		    &main_mixer_ops, app);
	}
	if (err < 0) {
		log_warnx("%s: cannot open card: %s", want, snd_strerror(err));
		return (err);
	}
	log_info("%s: opened '%s', %u controls", mixer_name(app->mixer),
	    mixer_card_name(app->mixer), mixer_count(app->mixer));
	return (0);
}

/* Connect the surfaces the configuration names. */
static void
main_connect(struct app *app, const struct config *conf)
{
	const struct port	*p;

	if (app->midi == NULL || app->midi_in != NULL || app->midi_out != NULL)
		return;
	TAILQ_FOREACH(p, &conf->ports, entry) {
		if (midi_connect(app->midi, p->pattern) == 0)
			log_info("%s:%u: no port matches '%s' yet", p->file,
			    p->line, p->pattern);
	}
}

/* Load the configuration from the path given or the default one. */
static struct config *
main_load(struct app *app)
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
static void
main_reload(struct app *app)
{
	struct config	*conf;

	log_info("reloading %s", app->conf_path);
	if ((conf = main_load(app)) == NULL) {
		log_warnx("%s: keeping the previous configuration",
		    app->conf_path);
		return;
	}
	main_unbind(app);
	if (app->mixer == NULL)
		main_open_card(app, conf);
	config_free(app->conf);
	app->conf = conf;
	main_bind(app, conf);
	main_connect(app, conf);
	main_full_state(app);
}

/* A MIDI message arrived: queue the values of what it is bound to. */
static void
main_msg_cb(const struct midi_msg *msg, void *arg)
{
	struct app		*app = arg;
	struct binding *const	*bs;
	struct binding		*b;
	size_t			 i, n;
	long			 v;

	n = map_lookup(app->map, msg, &bs);
	for (i = 0; i < n; i++) {
		b = bs[i];
		if (b->elem == NULL || !map_in(b, msg, &v))
			continue;
		b->touched = main_now();
		log_debug("%s %d channel %d = %d -> '%s' = %ld",
		    config_kind_name(b->m->kind), msg->data1,
		    MIDI_CHANNEL(msg) + 1, msg->data2,
		    mixer_elem_name(b->elem), v);
		mixer_elem_set(b->elem, b->m->elem_channel, v);
	}
}

/* The MIDI input is drained: write what this pass queued. */
static void
main_drained_cb(void *arg)
{
	struct app	*app = arg;

	if (app->mixer != NULL)
		mixer_flush(app->mixer);
}

/* A surface connected: show it everything. */
static void
main_connected_cb(void *arg)
{
	main_full_state(arg);
}

static const struct midi_ops main_midi_ops = {
	.msg = main_msg_cb,
	.drained = main_drained_cb,
	.connected = main_connected_cb,
};

/* Open MIDI: raw files if named, else the sequencer. */
static int
main_open_midi(struct app *app)
{
	int	 err;

	app->midi = midi_create(app->loop, &main_midi_ops, app);
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

static void
main_signal_cb(int sig, void *arg)
{
	struct app	*app = arg;

	switch (sig) {
	case SIGHUP:
		main_reload(app);
		break;
	default:
		log_info("exiting on signal %d", sig);
		loop_exit(app->loop);
		break;
	}
}

/* Find the default mapping directory, $XDG_CONFIG_HOME/scarlett-midi. */
static const char *
main_default_conf(struct app *app)
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

/* Resolve --simulate: a path, or the name of a shipped state file. */
static const char *
main_find_state(const char *name, char **buf)
{
	struct stat	 st;

	if (stat(name, &st) == 0 || strchr(name, '/') != NULL)
		return (name);
	xasprintf(buf, "%s/%s%s", STATEDIR, name,
	    strstr(name, ".state") != NULL ? "" : ".state");
	return (*buf);
}

/* "scarlett-midi list": print every control of a card. */
static int
main_list(struct app *app)
{
	int	 err;

	if (app->simulate != NULL)
		err = mixer_open_sim(&app->mixer, app->loop, app->simulate,
		    &main_mixer_ops, app);
	else
		err = mixer_open(&app->mixer, app->loop, app->device != NULL ?
		    app->device : "default", &main_mixer_ops, app);
	if (err < 0) {
		log_warnx("%s: %s", app->simulate != NULL ? app->simulate :
		    app->device != NULL ? app->device : "default",
		    snd_strerror(err));
		return (1);
	}
	mixer_list(app->mixer, stdout);
	mixer_close(app->mixer);
	app->mixer = NULL;
	return (fflush(stdout) == 0 ? 0 : 1);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "simulate",	required_argument,	NULL,	'S' },
		{ "midi-in",	required_argument,	NULL,	'I' },
		{ "midi-out",	required_argument,	NULL,	'O' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	struct app	 app;
	char		*statebuf = NULL;
	int		 ch, debug = 0, noaction = 0, verbose = 0, list = 0;
	int		 rv = 0;

	memset(&app, 0, sizeof(app));
	if (argc > 1 && strcmp(argv[1], "list") == 0) {
		list = 1;
		argv++;
		argc--;
	}
	while ((ch = getopt_long(argc, argv, "dD:f:nv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'D':
			app.device = optarg;
			break;
		case 'f':
			app.conf_path = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'S':
			app.simulate = optarg;
			break;
		case 'I':
			app.midi_in = optarg;
			break;
		case 'O':
			app.midi_out = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (app.simulate != NULL && app.device != NULL) {
		fprintf(stderr, "scarlett-midi: -D and --simulate exclude "
		    "each other\n");
		usage();
	}
	log_init(debug || noaction || list, LOG_DAEMON);
	log_setverbose(verbose);
	if (app.simulate != NULL)
		app.simulate = main_find_state(app.simulate, &statebuf);

	if (list) {
		app.loop = loop_create();
		rv = main_list(&app);
		goto out;
	}

	if (app.conf_path == NULL)
		app.conf_path = main_default_conf(&app);
	if ((app.conf = main_load(&app)) == NULL) {
		rv = 1;
		goto out;
	}
	if (noaction) {
		if (verbose)
			config_print(app.conf, stdout);
		fprintf(stderr, "configuration OK\n");
		goto out;
	}

	signal(SIGPIPE, SIG_IGN);
	app.loop = loop_create();
	if (loop_add_signal(app.loop, SIGINT, main_signal_cb, &app) == NULL ||
	    loop_add_signal(app.loop, SIGTERM, main_signal_cb, &app) == NULL ||
	    loop_add_signal(app.loop, SIGHUP, main_signal_cb, &app) == NULL)
		fatal("signalfd");

	if (main_open_card(&app, app.conf) < 0 && app.simulate != NULL) {
		rv = 1;
		goto out;
	}
	main_bind(&app, app.conf);
	if (main_open_midi(&app) < 0) {
		rv = 1;
		goto out;
	}
	main_connect(&app, app.conf);
	main_full_state(&app);
	log_info("ready");

	if (loop_run(app.loop) < 0)
		rv = 1;
out:
	main_unbind(&app);
	midi_free(app.midi);
	mixer_close(app.mixer);
	loop_free(app.loop);
	config_free(app.conf);
	free(app.conf_default);
	free(statebuf);
	snd_config_update_free_global();
	return (rv);
}
