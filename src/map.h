/*
 * Routing and scaling between MIDI messages and element values.
 * Pure: no I/O, no ALSA, no clock.
 */

#ifndef MAP_H
#define MAP_H

#include <stddef.h>

struct mapping;
struct midi_msg;

enum elem_type {
	ELEM_INTEGER,
	ELEM_BOOLEAN,
	ELEM_ENUMERATED,
	ELEM_OTHER,			/* bytes, IEC958, ...: not mappable */
};

/* What scaling needs to know of an element. */
struct elem_info {
	enum elem_type	 type;
	unsigned int	 count;		/* values (channels) */
	long		 min;		/* 0 for booleans and enums */
	long		 max;		/* 1 for booleans, items - 1 for enums */
	long		 step;		/* 0 or 1: any value */
	int		 writable;
};

/* A mapping bound to an element of an open card. */
struct binding {
	const struct mapping	*m;
	void			*elem;		/* the mixer's; opaque here */
	const struct elem_info	*info;		/* owned by the mixer */
	int			 surface;	/* value the surface shows, or -1 */
	int			 channel;	/* channel to send feedback on */
	struct binding		*elem_next;	/* the element's next binding */

	/* The caller's, for holding feedback back while a control moves. */
	long long		 touched;	/* ms of the last input */
	int			 held;		/* feedback is waiting */
};

struct map;

struct map	*map_create(void);
void		 map_free(struct map *);
struct binding	*map_add(struct map *, const struct mapping *, void *,
		    const struct elem_info *);
size_t		 map_lookup(const struct map *, const struct midi_msg *,
		    struct binding *const **);
int		 map_in(struct binding *, const struct midi_msg *, long *);
int		 map_out(struct binding *, long, struct midi_msg *);
long		 map_scale(const struct elem_info *, long, long);
long		 map_unscale(const struct elem_info *, long, long);

#endif
