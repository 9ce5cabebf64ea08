/* "scarlett-midi check": is every control the files name on the card? */

#include "app.h"
#include "bind.h"
#include "cmd.h"
#include "log.h"

/* Bind the files to the cards, without MIDI; fail if a control is not. */
static int
cmd_check_exec(struct app *app)
{
	if (cmd_load(app) < 0 || cmd_start(app, 0, 0) < 0)
		return (1);
	if (bind_all(app) > 0)
		return (1);
	log_info("every control is there");
	return (0);
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.maxargs = 0,
	.exec = cmd_check_exec,
};
