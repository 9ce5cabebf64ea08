/* Route MIDI messages to bound elements and scale values both ways. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "config.h"
#include "map.h"
#include "midi.h"
#include "xmalloc.h"

/* The bindings one (kind, channel, number) triggers. */
struct map_cell {
	struct binding	**v;
	size_t		  n;
};

/*
 * A direct-indexed table: finding the bindings of a message is one array
 * access, whatever the number of mappings.
 */
#define MAP_CELLS	(KIND_MAX * 16 * 128)

struct map {
	struct map_cell	  cells[MAP_CELLS];
	struct binding	**all;
	size_t		  nall;
};

/* The table index of a kind, channel and number. */
static size_t
map_index(enum midi_kind kind, int channel, int number)
{
	return (((size_t)kind * 16 + channel) * 128 + number);
}

/* Allocate an empty map. */
struct map *
map_create(void)
{
	return (xcalloc(1, sizeof(struct map)));
}

/* Free a map and its bindings.  NULL is a no-op. */
void
map_free(struct map *map)
{
	size_t	 i;

	if (map == NULL)
		return;
	for (i = 0; i < MAP_CELLS; i++)
		free(map->cells[i].v);
	for (i = 0; i < map->nall; i++)
		free(map->all[i]);
	free(map->all);
	free(map);
}

/* Append a binding to one cell. */
static void
map_cell_add(struct map_cell *cell, struct binding *b)
{
	cell->v = xreallocarray(cell->v, cell->n + 1, sizeof(*cell->v));
	cell->v[cell->n++] = b;
}

/*
 * Bind a mapping to an element.  The element pointer is the caller's and
 * the info is read at each use, so the owner may update it in place.
 */
struct binding *
map_add(struct map *map, const struct mapping *m, void *elem,
    const struct elem_info *info)
{
	struct binding	*b;
	int		 ch;

	b = xcalloc(1, sizeof(*b));
	b->m = m;
	b->elem = elem;
	b->info = info;
	b->surface = -1;
	b->channel = m->channel == -1 ? 0 : m->channel;

	map->all = xreallocarray(map->all, map->nall + 1, sizeof(*map->all));
	map->all[map->nall++] = b;
	if (m->channel != -1) {
		map_cell_add(&map->cells[map_index(m->kind, m->channel,
		    m->number)], b);
		return (b);
	}
	for (ch = 0; ch < 16; ch++)
		map_cell_add(&map->cells[map_index(m->kind, ch, m->number)],
		    b);
	return (b);
}

/* Find the bindings a message triggers; returns how many. */
size_t
map_lookup(const struct map *map, const struct midi_msg *msg,
    struct binding *const **out)
{
	const struct map_cell	*cell;
	enum midi_kind		 kind;

	switch (MIDI_TYPE(msg)) {
	case MIDI_CC:
		kind = KIND_CC;
		break;
	case MIDI_NOTE_ON:
	case MIDI_NOTE_OFF:
		kind = KIND_NOTE;
		break;
	default:
		return (0);
	}
	cell = &map->cells[map_index(kind, MIDI_CHANNEL(msg), msg->data1)];
	*out = cell->v;
	return (cell->n);
}

/* Round a / b to nearest for a >= 0, b > 0. */
static long
map_div(int64_t a, int64_t b)
{
	return ((long)((2 * a + b) / (2 * b)));
}

/*
 * Scale v in 0..vmax to the element's range, snapped to its step.  The
 * ends map to the ends exactly.
 */
long
map_scale(const struct elem_info *info, long v, long vmax)
{
	int64_t	 range = (int64_t)info->max - info->min;
	long	 e;

	if (v <= 0 || range <= 0)
		return (info->min);
	if (v >= vmax)
		return (info->max);
	e = map_div((int64_t)v * range, vmax);
	if (info->step > 1)
		e = map_div(e, info->step) * info->step;
	return (info->min + e > info->max ? info->max : info->min + e);
}

/*
 * Scale an element value back to 0..vmax.  Values outside the element's
 * range are clamped.  For ranges of at most vmax steps the round trip
 * e -> v -> e is exact; for larger ones v -> e -> v is.
 */
long
map_unscale(const struct elem_info *info, long e, long vmax)
{
	int64_t	 range = (int64_t)info->max - info->min;

	if (range <= 0 || e <= info->min)
		return (0);
	if (e >= info->max)
		return (vmax);
	return (map_div(((int64_t)e - info->min) * vmax, range));
}

/*
 * Turn a message into an element value for a binding it triggered.
 * Returns 1 with the value set, or 0 if the message sets nothing.
 */
int
map_in(struct binding *b, const struct midi_msg *msg, long *value)
{
	int	 v;

	switch (MIDI_TYPE(msg)) {
	case MIDI_CC:
		v = msg->data2;
		break;
	case MIDI_NOTE_ON:
		v = msg->data2 > 0 ? 127 : 0;
		break;
	case MIDI_NOTE_OFF:
		v = 0;
		break;
	default:
		return (0);
	}
	b->surface = v;
	b->channel = MIDI_CHANNEL(msg);
	*value = map_scale(b->info, v, 127);
	return (1);
}

/*
 * Make the feedback message that shows an element value on the surface.
 * Returns 0 when the surface shows that value already: in particular, a
 * value that came from this control is not echoed back to it, so a
 * motorized fader never fights the hand on it.
 */
int
map_out(struct binding *b, long value, struct midi_msg *msg)
{
	const struct mapping	*m = b->m;
	int			 v;

	v = map_unscale(b->info, value, 127);
	if (m->kind == KIND_NOTE)
		v = value > b->info->min ? 127 : 0;
	/*
	 * The surface shows the value if it is where we would move it, or
	 * if where it is means this value (a fader at 100 on a switch).
	 */
	if (b->surface != -1 && (b->surface == v ||
	    map_scale(b->info, b->surface, 127) == value))
		return (0);
	b->surface = v;
	msg->status = (m->kind == KIND_CC ? MIDI_CC : MIDI_NOTE_ON) |
	    b->channel;
	msg->data1 = m->number;
	msg->data2 = v;
	return (1);
}
