/*
 * The cards the mapping files name: open (simulated or real), reopen
 * after unplug, close, and the /dev/snd watch that sees them come.
 */

#ifndef CARD_H
#define CARD_H

struct app;
struct config;
struct elem;
struct map;
struct mapping;
struct mixer;
struct watch;

/* A card the mapping files name, open or waited for. */
struct card {
	struct app		*app;
	char			*want;		/* name, id or ctl device */
	struct mixer		*mixer;		/* NULL while closed */
	struct map		*map;		/* bind.c's: its bindings */
	struct watch		*open_timer;
	unsigned int		 open_tries;
};

/* What the cards' owner is told, through app->card_ops. */
struct card_ops {
	/* A card that was waited for opened (not those card_update opens). */
	void	(*opened)(struct card *);
	/* A card vanished; it is closed once this returns. */
	void	(*gone)(struct card *);
	/* An element changed (any source, ours included). */
	void	(*changed)(struct card *, struct elem *);
	/* An element appeared after the card was opened. */
	void	(*added)(struct card *, struct elem *);
	/* An element is about to vanish. */
	void	(*removed)(struct card *, struct elem *);
	/* A write was refused or given up: show the card's value. */
	void	(*resync)(struct card *, struct elem *);
	/* A write of ours reached the card (may be NULL). */
	void	(*written)(struct card *, struct elem *);
};

int		 card_open_mixer(struct app *, const char *, struct mixer **,
		    struct card *);
unsigned int	 card_update(struct app *, const struct config *);
struct card	*card_of(struct app *, const struct mapping *);
void		 card_free_all(struct app *);
void		 card_watch(struct app *);
void		 card_unwatch(struct app *);

#endif
