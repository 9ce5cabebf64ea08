/* "scarlett-midi monitor": the service, printing what it hears and does. */

#include <stdio.h>

#include "app.h"
#include "bind.h"
#include "cmd.h"
#include "config.h"
#include "map.h"
#include "mixer.h"
#include "route.h"

/* A message came in. */
static void
cmd_monitor_heard(struct app *app, const struct midi_msg *msg)
{
	char	 buf[64];

	(void)app;
	printf("midi %s\n", route_msg_text(msg, buf, sizeof(buf)));
}

/* A binding writes its element. */
static void
cmd_monitor_written(struct app *app, const struct binding *b, long v)
{
	(void)app;
	printf("write [%s] '%s' = %ld\n", b->m->name,
	    mixer_elem_name(b->elem), v);
}

/* A binding's feedback goes out. */
static void
cmd_monitor_sent(struct app *app, const struct binding *b)
{
	char	 buf[64];

	(void)app;
	printf("feedback [%s] %s = %ld\n", b->m->name,
	    bind_msg_name(b, buf, sizeof(buf)), b->surface);
}

static const struct app_hooks cmd_monitor_hooks = {
	.heard = cmd_monitor_heard,
	.written = cmd_monitor_written,
	.sent = cmd_monitor_sent,
};

/* Run the service, one line on stdout for each message, write, feedback. */
static int
cmd_monitor_exec(struct app *app)
{
	if (cmd_load(app) < 0)
		return (1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	app->hooks = &cmd_monitor_hooks;
	if (cmd_start(app, 1, 0) < 0)
		return (1);
	return (cmd_serve(app));
}

const struct cmd_entry cmd_monitor_entry = {
	.name = "monitor",
	.maxargs = 0,
	.exec = cmd_monitor_exec,
};
