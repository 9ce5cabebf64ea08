/*
 * The commands, one per cmd-*.c behind a table (as tmux keeps them), and
 * what they share: the configuration, starting and running the service,
 * and its teardown.
 */

#ifndef CMD_H
#define CMD_H

#include <stdio.h>

struct app;
struct app_hooks;

struct cmd_entry {
	const char	*name;		/* the word after "scarlett-midi" */
	const char	*usage;		/* its synopsis, after the name */
	int		 maxargs;	/* arguments after the options */
	int		(*exec)(struct app *);	/* returns the exit status */
};

/* The service itself, which no word names. */
extern const struct cmd_entry	cmd_run_entry;
extern const struct cmd_entry	cmd_list_entry;
extern const struct cmd_entry	cmd_check_entry;
extern const struct cmd_entry	cmd_learn_entry;
extern const struct cmd_entry	cmd_monitor_entry;
extern const struct cmd_entry	cmd_status_entry;

/* The service's monitor lines, and its status page (cmd-*.c). */
extern const struct app_hooks	cmd_monitor_hooks;
void			 cmd_status_print(FILE *, void *);
int			 cmd_status_request(const char *);

const struct cmd_entry	*cmd_find(const char *);
void			 cmd_usage(const struct cmd_entry *, FILE *);
int			 cmd_load(struct app *);
int			 cmd_start(struct app *, int, int);
int			 cmd_serve(struct app *);
void			 cmd_free(struct app *);

#endif
