/*
 * scarlett-midi: drive ALSA card controls from a MIDI control surface.
 * This file reads the command line and runs the command it names.
 */

#include <sys/stat.h>

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <alsa/asoundlib.h>

#include "app.h"
#include "cmd.h"
#include "compat.h"
#include "log.h"
#include "paths.h"
#include "xmalloc.h"

/* A wrong command line: the command's synopsis, and exit 2. */
static __dead void
usage(const struct cmd_entry *cmd)
{
	cmd_usage(cmd, stderr);
	exit(2);
}

/*
 * alsa-lib's own messages, and those of plugins such as the simulated
 * card ("bad range"), go to our log, one line each, not to stderr in
 * alsa-lib's format.  alsa-lib's own are shown only with -v, since each
 * failure they tell of is reported once more, plainly, by the caller
 * ("cannot find card '0'" and three lines of its internals are no news
 * to a user); the simulated card's say what is wrong with a state file,
 * which nobody else says.
 */
static void
main_alsa_error(const char *file, int line, const char *func, int err,
    const char *fmt, ...)
{
	char	 buf[256];
	va_list	 ap;

	(void)file;
	(void)line;
	(void)func;
	(void)err;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strncmp(buf, "scarlett_sim: ", 14) == 0)
		log_warnx("%s", buf);
	else
		log_debug("alsa-lib: %s", buf);
}

/* Resolve --simulate: a path, or the name of a shipped state file. */
static const char *
main_find_state(const char *name, char **buf)
{
	struct stat	 st;

	if (stat(name, &st) == 0 || strchr(name, '/') != NULL)
		return (name);
	xasprintf(buf, "%s/%s%s", paths_devices(), name,
	    strstr(name, ".state") != NULL ? "" : ".state");
	return (*buf);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "simulate",	required_argument,	NULL,	'S' },
		{ "midi-in",	required_argument,	NULL,	'I' },
		{ "midi-out",	required_argument,	NULL,	'O' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "version",	no_argument,		NULL,	'V' },
		{ NULL,		0,			NULL,	0 }
	};
	const struct cmd_entry	*cmd = &cmd_run_entry;
	struct app		 app;
	char			*statebuf = NULL;
	int			 ch, debug = 0, rv;

	memset(&app, 0, sizeof(app));
	if (argc > 1 && (cmd = cmd_find(argv[1])) != NULL) {
		argv++;
		argc--;
	} else
		cmd = &cmd_run_entry;
	while ((ch = getopt_long(argc, argv, "dD:f:np:vV", longopts,
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
			app.noaction = 1;
			break;
		case 'p':
			if (cmd != &cmd_learn_entry)
				usage(cmd);
			app.port = optarg;
			break;
		case 'v':
			app.verbose++;
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
		case 'h':
			cmd_usage(cmd, stdout);
			exit(fflush(stdout) == 0 ? 0 : 1);
		case 'V':
			printf("scarlett-midi %s\n", PACKAGE_VERSION);
			exit(fflush(stdout) == 0 ? 0 : 1);
		default:
			usage(cmd);
		}
	}
	app.argc = argc - optind;
	app.argv = argv + optind;
	if (app.argc > cmd->maxargs || (app.noaction && cmd != &cmd_run_entry))
		usage(cmd);
	if (app.simulate != NULL && app.device != NULL) {
		fprintf(stderr, "scarlett-midi: -D and --simulate exclude "
		    "each other\n");
		usage(cmd);
	}
	log_init(debug || app.noaction || cmd != &cmd_run_entry, LOG_DAEMON);
	log_setverbose(app.verbose);
	snd_lib_error_set_handler(main_alsa_error);
	if (app.simulate != NULL)
		app.simulate = main_find_state(app.simulate, &statebuf);

	rv = cmd->exec(&app);

	cmd_free(&app);
	free(statebuf);
	snd_config_update_free_global();
	return (rv);
}
