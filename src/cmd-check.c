/* "scarlett-midi check": is every control the files name on the card? */

#include "app.h"
#include "bind.h"
#include "cmd.h"
#include "config.h"
#include "log.h"
#include "midi.h"

/* One port a pattern matches. */
static void
cmd_check_port_cb(const char *name, int usable, void *arg)
{
	const struct port	*p = arg;

	if (usable)
		log_info("%s:%u: '%s' matches '%s'", p->file, p->line,
		    p->pattern, name);
	else
		log_warnx("%s:%u: '%s' matches '%s', which is left out: it is "
		    "a software port or another scarlett-midi%s", p->file,
		    p->line, p->pattern, name, p->software ? "" :
		    " (software-port = connects software ports)");
}

/*
 * Which ports each pattern matches now, with a warning for those it
 * leaves out.  Without a sequencer, nothing is said.
 */
static void
cmd_check_ports(struct app *app)
{
	const struct port	*p;
	struct midi		*m;

	if (app->midi_in != NULL || app->midi_out != NULL)
		return;
	m = midi_create(app->loop, NULL, NULL);
	if (midi_open_seq(m) == 0) {
		TAILQ_FOREACH(p, &app->conf->ports, entry) {
			if (midi_match(m, p->pattern, p->software,
			    cmd_check_port_cb, (void *)p) == 0)
				log_info("%s:%u: no port matches '%s' now",
				    p->file, p->line, p->pattern);
		}
	}
	midi_free(m);
}

/*
 * Bind the files to the cards, without MIDI; fail if a control is not.
 * Then tell what the surface patterns match.
 */
static int
cmd_check_exec(struct app *app)
{
	unsigned int	 bad;

	if (cmd_load(app) < 0 || cmd_start(app, 0, 0) < 0)
		return (1);
	bad = bind_all(app);
	cmd_check_ports(app);
	if (bad > 0)
		return (1);
	log_info("every control is there");
	return (0);
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "check [-v] [-f file|dir] [-D device | --simulate statefile]",
	.maxargs = 0,
	.exec = cmd_check_exec,
};
