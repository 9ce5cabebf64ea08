/*
 * The running service's shared state: the loop, the configuration, MIDI,
 * the cards, the command line and the hooks a command observes through.
 * Each group of fields names the file that owns it; others only read it.
 */

#ifndef APP_H
#define APP_H

struct app;
struct binding;
struct card;
struct card_ops;
struct config;
struct control;
struct elem;
struct loop;
struct midi;
struct midi_msg;
struct notify;
struct watch;

/*
 * What a command (monitor, learn) observes of the service, so that the
 * paths it observes need no check of their own.  Any may be NULL.
 */
struct app_hooks {
	/* A MIDI message arrived; it is routed once this returns. */
	void	(*heard)(struct app *, const struct midi_msg *);
	/* An element of a card changed; its feedback follows. */
	void	(*changed)(struct app *, struct elem *);
	/*
	 * A write reached an element of a card: its value is what was
	 * written (a burst of input for it is one write, a snapshot recall
	 * one for each element it changes).
	 */
	void	(*written)(struct app *, struct elem *);
	/* A binding's feedback goes to the surfaces. */
	void	(*sent)(struct app *, const struct binding *);
};

struct app {
	/* cmd.c's: the loop, MIDI (NULL for check), the default path. */
	struct loop		*loop;
	struct midi		*midi;
	char			*conf_default;
	const struct card_ops	*card_ops;	/* what the cards' events do */
	struct control		*control;	/* the service's socket */

	/* The command's (cmd-monitor.c, cmd-learn.c), or NULL. */
	const struct app_hooks	*hooks;

	/* reload.c's (the commands load the first): the files, their watch. */
	struct config		*conf;
	struct notify		*notify;
	int			 conf_wd;	/* the mapping directory */
	char			*conf_name;	/* the file in it, or NULL */
	struct watch		*reload_timer;
	int			 reload_edit;	/* a file asked for it */

	/* card.c's: the cards the files name, and the /dev/snd watch. */
	struct card		**cards;
	unsigned int		 ncards;
	struct notify		*snd_notify;
	int			 dev_wd;	/* /dev, until /dev/snd is */
	int			 snd_wd;	/* /dev/snd */

	/* feedback.c's: feedback held back until it is due; strip values. */
	struct watch		*hold_timer;
	struct watch		*strip_timer;

	/* meter.c's: the meters' timer, and how many reads it asked. */
	struct watch		*meter_timer;
	unsigned long		 meter_reads;

	/* action.c's: where snapshots go. */
	char			*snapdir;

	/* main.c's: the command line. */
	const char		*conf_path;
	const char		*device;
	const char		*simulate;
	const char		*midi_in;
	const char		*midi_out;
	const char		*port;		/* learn -p */
	int			 noaction;
	int			 verbose;
	int			 argc;		/* the command's arguments */
	char			**argv;
};

#endif
