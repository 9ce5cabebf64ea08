/*
 * Routing and scaling between MIDI messages and element values.
 * Pure: no I/O, no clock (the caller passes the time), no ALSA handle;
 * only alsa-lib's TLV arithmetic.
 */

#ifndef MAP_H
#define MAP_H

#include <stddef.h>
#include <stdint.h>

#include "mixer.h"

struct config;
struct mapping;
struct midi_msg;

/*
 * How long input from a control keeps it in the hand's charge: feedback
 * waits that long after it, and the value the input set, not the card's
 * older one, is the base for relative steps.  Mixxx's soft takeover uses
 * 50 ms for the same kind of decision (softtakeover.cpp).
 */
#define MAP_HOLD_MS	50

/*
 * A message decoded into what mappings are keyed on: 14-bit pairs and
 * NRPN/RPN sequences are put together, so one event has one value.
 */
struct map_event {
	int		 kind;		/* enum midi_kind */
	int		 channel;	/* 0..15 */
	int		 number;	/* CC, note, parameter, ... */
	long		 value;		/* in the kind's range */
	long		 delta;		/* NRPN/RPN increment: +n or -n */
};

/* A mapping bound to an element of an open card (or to an action). */
struct binding {
	const struct mapping	*m;
	void			*elem;		/* the mixer's; opaque here */
	const struct elem_info	*info;		/* owned by the mixer */
	int			 primary;	/* the one its mapping shows */
	void			*data;		/* the caller's; opaque here */

	/* Resolved from the mapping for this element. */
	long			 lo;		/* range used, element units */
	long			 hi;
	long			 set;		/* MODE_SET's value */
	long			 step;		/* per step, element units */
	long			 step_db;	/* or 0.01 dB, if not 0 */
	long			 db_lo;		/* 0.01 dB at lo and hi */
	long			 db_hi;
	int			 mute;		/* lo is mute, -inf dB */
	int			 pickup;	/* soft takeover */
	long			 pickup_thr;	/* in MIDI units */

	/* State. */
	long			 surface;	/* what the surface shows, -1 */
	long			 sent;		/* the feedback sent last, -1 */
	int			 channel;	/* to send feedback on */
	long			 value;		/* the last value we set */
	long long		 input_ms;	/* time of the last input */
	int			 picked;	/* pickup: caught the value */
	long			 pick_v;	/* pickup: last value seen */
	long long		 pick_ms;
	int			 touching;	/* a hand is on the fader */
	int			 prev_layer;	/* shift: the layer to go back to */
};

/* What an event did to a binding. */
enum map_result {
	MAP_NONE,
	MAP_WRITE,		/* write *value to the element */
	MAP_PRESS,		/* an action's button went down */
	MAP_RELEASE,		/* and up */
};

/* A binding as a lookup finds it: for its value, or for its touch. */
struct map_slot {
	struct binding	*b;
	int		 touch;
};

struct map;

struct map		*map_create(const struct config *);
void			 map_free(struct map *);
struct binding		*map_add(struct map *, const struct mapping *, void *,
			    const struct elem_info *, long, const char **);
void			 map_remove(struct map *, struct binding *);
struct binding		*map_binding(const struct map *, size_t);
size_t			 map_count(const struct map *);

size_t			 map_decode(struct map *, const struct midi_msg *,
			    struct map_event *);
#define MAP_EVENTS_MAX	3
size_t			 map_lookup(const struct map *,
			    const struct map_event *,
			    const struct map_slot **);
enum map_result		 map_in(struct map *, struct binding *,
			    const struct map_event *, long long, long, long *);
int			 map_touch(struct binding *, const struct map_event *);
void			 map_changed(struct binding *, long);
size_t			 map_out(const struct map *, struct binding *, long,
			    struct midi_msg *);
size_t			 map_show(const struct map *, const struct binding *,
			    long, struct midi_msg *);
#define MAP_OUT_MAX	4

int			 map_layer(const struct map *, int);
int			 map_set_layer(struct map *, int, int);
int			 map_active(const struct map *, const struct binding *);

long			 map_scale(const struct elem_info *, long, long);
long			 map_unscale(const struct elem_info *, long, long);
long			 map_to_elem(const struct binding *, long);
long			 map_to_midi(const struct binding *, long);
long			 map_fb_value(const struct mapping *, long);
int			 map_text(const struct elem_info *, long, char *,
			    size_t);

#endif
