/*
 * The cards: two snd_ctl_t each (the loop's, and the writer thread's for
 * element writes, which block in the driver), its elements indexed by
 * name and index, its events, and coalesced writes.
 */

#ifndef MIXER_H
#define MIXER_H

#include <stdio.h>

struct loop;
struct mixer;
struct elem;

enum elem_type {
	ELEM_INTEGER,
	ELEM_BOOLEAN,
	ELEM_ENUMERATED,
	ELEM_OTHER,			/* bytes, IEC958, ...: not mappable */
};

/* What scaling needs to know of an element. */
struct elem_info {
	enum elem_type		 type;
	unsigned int		 count;		/* values (channels) */
	long			 min;		/* 0 for booleans and enums */
	long			 max;		/* 1 for booleans, items - 1 */
	long			 step;		/* 0 or 1: any value */
	int			 writable;
	const unsigned int	*tlv;		/* dB scale, or NULL */
};

/* What the owner of a mixer is told. */
struct mixer_ops {
	/* An element's value or info changed (any source, ours included). */
	void	(*changed)(struct elem *, void *);
	/* An element appeared after the card was opened. */
	void	(*added)(struct elem *, void *);
	/* An element is about to vanish. */
	void	(*removed)(struct elem *, void *);
	/* The card is gone; the owner must call mixer_close(). */
	void	(*gone)(struct mixer *, void *);
	/*
	 * A write of ours was refused, or failed and was given up: show
	 * the element's value (the card's) whatever the surfaces show now.
	 * If NULL, changed is called instead.
	 */
	void	(*resync)(struct elem *, void *);
	/* A write of ours reached the card; the element holds its value. */
	void	(*written)(struct elem *, void *);
};

int			 mixer_open(struct mixer **, struct loop *,
			    const char *, const struct mixer_ops *, void *);
int			 mixer_open_sim(struct mixer **, struct loop *,
			    const char *, const struct mixer_ops *, void *);
void			 mixer_close(struct mixer *);
const char		*mixer_name(const struct mixer *);
const char		*mixer_card_name(const struct mixer *);
unsigned int		 mixer_count(const struct mixer *);
void			 mixer_list(struct mixer *, FILE *);
void			 mixer_flush(struct mixer *);
int			 mixer_idle(struct mixer *);

struct elem		*mixer_find(struct mixer *, const char *,
			    unsigned int);
struct elem		*mixer_find_id(struct mixer *, int, int, int,
			    const char *, unsigned int);
struct elem		*mixer_elem_at(struct mixer *, unsigned int);
unsigned int		 mixer_elem_index(const struct elem *);
int			 mixer_elem_is(const struct elem *, int, int, int);
long			 mixer_elem_item(struct elem *, const char *);
int			 mixer_elem_item_name(struct elem *, long, char *,
			    size_t);
const char		*mixer_elem_name(const struct elem *);
const struct elem_info	*mixer_elem_info(const struct elem *);
long			 mixer_elem_value(const struct elem *, unsigned int);
int			 mixer_elem_read_now(struct elem *);
void			 mixer_elem_set(struct elem *, int, long);
int			 mixer_elem_refresh(struct elem *);
int			 mixer_elem_volatile(const struct elem *);
void			*mixer_elem_data(const struct elem *);
void			 mixer_elem_set_data(struct elem *, void *);

#endif
