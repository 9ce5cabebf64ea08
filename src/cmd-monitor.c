/*
 * "scarlett-midi monitor": what the running service hears and does, one
 * line each, streamed over its control socket; and the hooks through
 * which the service says it.  monitor itself writes nothing anywhere.
 */

#include <stdio.h>

#include "app.h"
#include "bind.h"
#include "cmd.h"
#include "config.h"
#include "control.h"
#include "map.h"
#include "mixer.h"
#include "route.h"

/* A message came in. */
static void
cmd_monitor_heard(struct app *app, const struct midi_msg *msg)
{
	char	 buf[64];

	if (control_monitoring(app->control))
		control_monitor(app->control, "midi %s",
		    route_msg_text(msg, buf, sizeof(buf)));
}

/*
 * A write reached the card: the element's values, and the mapping that
 * shows it, if one does ("[fader]"; a snapshot writes others too).
 */
static void
cmd_monitor_written(struct app *app, struct elem *e)
{
	const struct elem_info	*info = mixer_elem_info(e);
	const struct bound	*bd = bind_elem_first(e);
	char			 vals[64], name[80] = "";
	unsigned int		 ch;
	int			 n = 0;

	if (!control_monitoring(app->control))
		return;
	for (ch = 0; ch < info->count && n < (int)sizeof(vals) - 24; ch++)
		n += snprintf(vals + n, sizeof(vals) - n, "%s%ld",
		    ch > 0 ? "," : "", mixer_elem_value(e, ch));
	if (bd != NULL)
		snprintf(name, sizeof(name), "[%s] ", bd->b->m->name);
	control_monitor(app->control, "write %s'%s' = %s", name,
	    mixer_elem_name(e), vals);
}

/* A binding's feedback goes out. */
static void
cmd_monitor_sent(struct app *app, const struct binding *b)
{
	char	 buf[64];

	if (control_monitoring(app->control))
		control_monitor(app->control, "feedback [%s] %s = %ld",
		    b->m->name, bind_msg_name(b, buf, sizeof(buf)),
		    b->surface);
}

/* What the service says to its monitors. */
const struct app_hooks cmd_monitor_hooks = {
	.heard = cmd_monitor_heard,
	.written = cmd_monitor_written,
	.sent = cmd_monitor_sent,
};

/* Attach to the running service and print what it says until it ends. */
static int
cmd_monitor_exec(struct app *app)
{
	(void)app;
	return (cmd_status_request("monitor"));
}

const struct cmd_entry cmd_monitor_entry = {
	.name = "monitor",
	.usage = "monitor",
	.maxargs = 0,
	.exec = cmd_monitor_exec,
};
