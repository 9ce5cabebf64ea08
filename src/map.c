/*
 * Route MIDI messages to bound elements and scale values both ways.  It
 * is long for one concern: decoding, lookup and scaling share struct
 * map's private state, and are the pure arithmetic the unit tests cover.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "config.h"
#include "map.h"
#include "midi.h"
#include "xmalloc.h"

/* The bindings one (kind, channel, number) reaches. */
struct map_cell {
	uint32_t	 key;		/* 0: empty */
	struct map_slot	*v;
	size_t		 n;
};

/* What the decoder remembers of one channel. */
struct map_chan {
	uint8_t		 msb[32];	/* 14-bit CC halves */
	uint8_t		 lsb[32];
	uint32_t	 lsb_seen;	/* pairs whose LSB came once */
	int		 last_cc;	/* the previous CC, or -1 */
	int		 param_kind;	/* KIND_NRPN, KIND_RPN, or -1 */
	uint8_t		 param_msb;
	uint8_t		 param_lsb;
	uint8_t		 data_msb;
	uint8_t		 data_lsb;
	int		 data_lsb_seen;
};

/*
 * An open-addressing hash of cells keyed by kind, channel and number:
 * finding the bindings of a message is one probe on average, whatever
 * the number of mappings.
 */
struct map {
	const struct config	*conf;
	struct map_cell		*cells;
	size_t			 ncells;	/* a power of 2 */
	size_t			 nused;
	struct binding		**all;
	size_t			 nall;
	struct map_chan		 chan[16];
	uint32_t		 cc14[16];	/* CC pairs mapped as 14-bit */
	uint16_t		 nrpn;		/* channels with NRPN/RPN */
	int			*layers;	/* each surface's active one */
};

/* The taper: position = ((dB - top + 198) / 198) ^ 8, as Ardour's fader. */
#define TAPER_SPAN	19800		/* 0.01 dB */
#define TAPER_POWER	8.0

static uint32_t
map_key(int kind, int channel, int number)
{
	return (((uint32_t)kind << 18 | (uint32_t)channel << 14 |
	    (uint32_t)number) + 1);
}

static size_t
map_hash(uint32_t key, size_t ncells)
{
	return ((key * 2654435761u) & (ncells - 1));
}

/* Find the cell of a key, or the empty one where it would go. */
static struct map_cell *
map_cell(const struct map *map, uint32_t key)
{
	size_t	 i;

	for (i = map_hash(key, map->ncells);; i = (i + 1) & (map->ncells - 1))
		if (map->cells[i].key == key || map->cells[i].key == 0)
			return (&map->cells[i]);
}

/* Double the table when it is half full. */
static void
map_grow(struct map *map)
{
	struct map_cell	*old = map->cells, *c;
	size_t		 i, n = map->ncells;

	map->ncells = n * 2;
	map->cells = xcalloc(map->ncells, sizeof(*map->cells));
	for (i = 0; i < n; i++) {
		if (old[i].key == 0)
			continue;
		c = map_cell(map, old[i].key);
		*c = old[i];
	}
	free(old);
}

/* Make a binding reachable by a key. */
static void
map_insert(struct map *map, int kind, int channel, int number,
    struct binding *b, int touch)
{
	struct map_cell	*c;
	uint32_t	 key = map_key(kind, channel, number);

	if ((map->nused + 1) * 2 > map->ncells)
		map_grow(map);
	c = map_cell(map, key);
	if (c->key == 0) {
		c->key = key;
		map->nused++;
	}
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n].b = b;
	c->v[c->n].touch = touch;
	c->n++;
}

/* Allocate an empty map for a configuration, each surface in its layer. */
struct map *
map_create(const struct config *conf)
{
	struct map	*map;
	unsigned int	 i;
	int		 ch;

	map = xcalloc(1, sizeof(*map));
	map->conf = conf;
	map->ncells = 64;
	map->cells = xcalloc(map->ncells, sizeof(*map->cells));
	for (ch = 0; ch < 16; ch++) {
		map->chan[ch].last_cc = -1;
		map->chan[ch].param_kind = -1;
	}
	map->layers = xcalloc(conf->nsurfaces, sizeof(*map->layers));
	for (i = 0; i < conf->nsurfaces; i++)
		map->layers[i] = conf->surfaces[i].layer;
	return (map);
}

/* Free a map and its bindings.  NULL is a no-op. */
void
map_free(struct map *map)
{
	size_t	 i;

	if (map == NULL)
		return;
	for (i = 0; i < map->ncells; i++)
		free(map->cells[i].v);
	free(map->cells);
	for (i = 0; i < map->nall; i++)
		free(map->all[i]);
	free(map->all);
	free(map->layers);
	free(map);
}

size_t
map_count(const struct map *map)
{
	return (map->nall);
}

struct binding *
map_binding(const struct map *map, size_t i)
{
	return (i < map->nall ? map->all[i] : NULL);
}

/* The dB of an element value, in 0.01 dB. */
static long
map_db(const struct elem_info *info, long e)
{
	long	 db;

	if (snd_tlv_convert_to_dB((unsigned int *)info->tlv, info->min,
	    info->max, e, &db) < 0)
		return (0);
	return (db);
}

/*
 * The element value whose dB is nearest to db, in 0.01 dB but not
 * rounded to it (the lower on an exact tie): curves land on the value
 * nearest their point, not on one a rounding made as near.
 */
static long
map_from_db_exact(const struct elem_info *info, double db)
{
	long	 c, e, best = 0;
	double	 d, dbest = -1;

	/*
	 * alsa-lib's inverse may be one value off its forward conversion
	 * (DB_LINEAR rounds): look at the neighbours of its answer too.
	 */
	if (snd_tlv_convert_from_dB((unsigned int *)info->tlv, info->min,
	    info->max, lround(db), &c, -1) < 0)
		return (info->min);
	for (e = c - 1; e <= c + 2; e++) {
		if (e < info->min || e > info->max)
			continue;
		d = fabs(map_db(info, e) - db);
		if (dbest < 0 || d < dbest) {
			best = e;
			dbest = d;
		}
	}
	if (dbest < 0)
		return (c < info->min ? info->min : info->max);
	return (best);
}

/* The element value whose dB is nearest to db (the lower on a tie). */
static long
map_from_db(const struct elem_info *info, long db)
{
	return (map_from_db_exact(info, db));
}

/*
 * The dB at the bottom of the range for curves.  A scale whose minimum
 * means "mute" has no finite dB there.  Ardour's convention holds: the
 * bottom position is mute, and only it; the taper then starts at its own
 * zero, 198 dB below the top, and db at the lowest finite value.
 */
static long
map_db_floor(const struct binding *b, const struct elem_info *info)
{
	long	 db = map_db(info, b->lo);

	if (db > SND_CTL_TLV_DB_GAIN_MUTE)
		return (db);
	if (b->m->curve == CURVE_TAPER)
		return (map_db(info, b->hi) - TAPER_SPAN);
	return (map_db(info, b->lo + 1));
}

/* Whether an element value of a dB scale means mute (-inf dB). */
static int
map_is_mute(const struct elem_info *info, long e)
{
	return (map_db(info, e) <= SND_CTL_TLV_DB_GAIN_MUTE);
}

/*
 * An element value as a scribble strip shows it: its dB ("-12.5dB",
 * "+6.0dB", "-127dB", "-inf" for mute), on or off, or its number.  An
 * enumeration's item names are the mixer's: returns 0 for one, else 1.
 */
int
map_text(const struct elem_info *info, long e, char *buf, size_t len)
{
	long	 db;

	switch (info->type) {
	case ELEM_ENUMERATED:
	case ELEM_OTHER:
		return (0);
	case ELEM_BOOLEAN:
		snprintf(buf, len, "%s", e ? "on" : "off");
		return (1);
	case ELEM_INTEGER:
		break;
	}
	if (info->tlv == NULL) {
		snprintf(buf, len, "%ld", e);
		return (1);
	}
	if (e == info->min && map_is_mute(info, e)) {
		snprintf(buf, len, "-inf");
		return (1);
	}
	/* To tenths, away from zero on a half. */
	db = map_db(info, e);
	db = db < 0 ? -((-db + 5) / 10) : (db + 5) / 10;
	if (db == 0)
		snprintf(buf, len, "0.0dB");
	else if (labs(db) >= 1000)	/* no tenths past 100 dB: 7 fit */
		snprintf(buf, len, "%s%lddB", db < 0 ? "-" : "+",
		    (labs(db) + 5) / 10);
	else
		snprintf(buf, len, "%s%ld.%lddB", db < 0 ? "-" : "+",
		    labs(db) / 10, labs(db) % 10);
	return (1);
}

/* Turn a value of a file into element units; 0 or -1 with *why set. */
static int
map_resolve(const struct elem_info *info, const struct config_value *cv,
    long item, long *out, const char **why)
{
	switch (cv->type) {
	case VAL_NONE:
		return (0);
	case VAL_NUMBER:
		if (cv->number < info->min || cv->number > info->max) {
			*why = "is outside the element's range";
			return (-1);
		}
		*out = cv->number;
		return (0);
	case VAL_DB:
		if (info->tlv == NULL) {
			*why = "is in dB, but the element has no dB scale";
			return (-1);
		}
		*out = map_from_db(info, cv->number);
		return (0);
	case VAL_NAME:
		if (info->type == ELEM_BOOLEAN) {
			if (strcasecmp(cv->name, "on") == 0 ||
			    strcasecmp(cv->name, "yes") == 0) {
				*out = 1;
				return (0);
			}
			if (strcasecmp(cv->name, "off") == 0 ||
			    strcasecmp(cv->name, "no") == 0) {
				*out = 0;
				return (0);
			}
		} else if (info->type == ELEM_ENUMERATED && item >= 0) {
			*out = item;
			return (0);
		}
		*why = "names no item of the element";
		return (-1);
	}
	return (0);
}

/*
 * Bind a mapping to an element (NULL for an action).  The element pointer
 * is the caller's and the info is read at each use, so the owner may
 * update it in place.  item is the index of the enum item that "value"
 * names, or -1.  Returns NULL with *why set if the mapping cannot drive
 * this element.
 */
struct binding *
map_add(struct map *map, const struct mapping *m, void *elem,
    const struct elem_info *info, long item, const char **why)
{
	const struct surface	*sf;
	struct binding		*b;
	long			 range, span;
	size_t			 i;
	int			 ch;

	b = xcalloc(1, sizeof(*b));
	b->m = m;
	b->elem = elem;
	b->info = info;
	b->surface = -1;
	b->sent = -1;
	b->channel = m->channel == -1 ? 0 : m->channel;
	b->prev_layer = -1;
	if (info != NULL) {
		b->lo = info->min;
		b->hi = info->max;
		b->set = info->min;
		if (map_resolve(info, &m->min, -1, &b->lo, why) < 0 ||
		    map_resolve(info, &m->max, -1, &b->hi, why) < 0 ||
		    map_resolve(info, &m->value, item, &b->set, why) < 0)
			goto bad;
		if (b->lo >= b->hi) {
			*why = "min is not below max for this element";
			goto bad;
		}
		if (m->curve != CURVE_LINEAR && (info->tlv == NULL ||
		    info->type != ELEM_INTEGER)) {
			*why = "has no dB scale for the curve";
			goto bad;
		}
		if (m->step.type == VAL_DB && info->tlv == NULL) {
			*why = "has no dB scale for a step in dB";
			goto bad;
		}
		if (info->tlv != NULL && info->type == ELEM_INTEGER) {
			b->db_lo = map_db_floor(b, info);
			b->db_hi = map_db(info, b->hi);
			b->mute = map_is_mute(info, b->lo);
		}
		range = b->hi - b->lo;
		b->step = info->step > 1 ? info->step : 1;
		if (m->step.type == VAL_NUMBER)
			b->step = m->step.number;
		else if (m->step.type == VAL_DB)
			b->step_db = m->step.number;
		else if (info->type == ELEM_INTEGER && range / 127 > b->step)
			b->step = (range + 63) / 127;
		sf = &map->conf->surfaces[m->surface];
		b->pickup = (m->takeover == TAKEOVER_DEFAULT ?
		    sf->takeover : m->takeover) == TAKEOVER_PICKUP;
		span = m->midi_max - m->midi_min + 1;
		b->pickup_thr = span * sf->pickup_threshold / 128;
		if (b->pickup_thr < 1)
			b->pickup_thr = 1;
	}
	/*
	 * The first element of a mapping is the one its control shows; one
	 * bound after that primary was removed from the card takes its place.
	 */
	b->primary = 1;
	for (i = map->nall; i > 0; i--) {
		if (map->all[i - 1]->m == m && map->all[i - 1]->primary) {
			b->primary = 0;
			break;
		}
	}

	map->all = xreallocarray(map->all, map->nall + 1, sizeof(*map->all));
	map->all[map->nall++] = b;
	for (ch = 0; ch < 16; ch++) {
		if (m->channel != -1 && m->channel != ch)
			continue;
		map_insert(map, m->kind, ch, m->number, b, 0);
		if (m->kind == KIND_CC14)
			map->cc14[ch] |= 1U << m->number;
		if (m->kind >= KIND_NRPN && m->kind <= KIND_RPN14)
			map->nrpn |= 1U << ch;
	}
	if (m->touch != -1)
		map_insert(map, KIND_NOTE, m->touch_channel, m->touch, b, 1);
	return (b);
bad:
	free(b);
	return (NULL);
}

/*
 * Forget a binding whose element went away, and free it.  If it showed
 * its mapping, the next binding of that mapping shows it now.
 */
void
map_remove(struct map *map, struct binding *b)
{
	struct map_cell	*c;
	size_t		 i, j;

	for (i = 0; i < map->ncells; i++) {
		c = &map->cells[i];
		for (j = 0; j < c->n; j++) {
			if (c->v[j].b != b)
				continue;
			memmove(&c->v[j], &c->v[j + 1],
			    (c->n - j - 1) * sizeof(*c->v));
			c->n--;
			j--;
		}
	}
	for (i = 0; i < map->nall; i++) {
		if (map->all[i] != b)
			continue;
		memmove(&map->all[i], &map->all[i + 1],
		    (map->nall - i - 1) * sizeof(*map->all));
		map->nall--;
		break;
	}
	for (i = 0; b->primary && i < map->nall; i++) {
		if (map->all[i]->m == b->m) {
			map->all[i]->primary = 1;
			break;
		}
	}
	free(b);
}

/* A 14-bit value from an MSB alone: spread over the whole range. */
static long
map_lone_msb(uint8_t msb)
{
	return (((long)msb * 16383 + 63) / 127);
}

/*
 * The value of a 14-bit pair when its MSB arrives: with the LSB that just
 * came before it (LSB-first senders), with a zero LSB that will follow
 * (MSB-first senders), or spread if this sender never sent an LSB.
 */
static long
map_msb_value(uint8_t msb, uint8_t lsb, int lsb_before, int lsb_seen)
{
	if (lsb_before)
		return ((long)msb << 7 | lsb);
	return (lsb_seen ? (long)msb << 7 : map_lone_msb(msb));
}

/* Decode a control change: the CC itself, and what it completes. */
static size_t
map_decode_cc(struct map *map, int ch, int n, int v, struct map_event *ev)
{
	struct map_chan	*c = &map->chan[ch];
	size_t		 k = 0;
	int		 pair, kind7;

	ev[k++] = (struct map_event){ KIND_CC, ch, n, v, 0 };
	if (n < 32 && (map->cc14[ch] & (1U << n))) {
		c->msb[n] = v;
		ev[k++] = (struct map_event){ KIND_CC14, ch, n,
		    map_msb_value(v, c->lsb[n], c->last_cc == n + 32,
		    (c->lsb_seen >> n) & 1), 0 };
	} else if (n >= 32 && n < 64 &&
	    (map->cc14[ch] & (1U << (pair = n - 32)))) {
		c->lsb[pair] = v;
		c->lsb_seen |= 1U << pair;
		ev[k++] = (struct map_event){ KIND_CC14, ch, pair,
		    (long)c->msb[pair] << 7 | v, 0 };
	} else if (map->nrpn & (1U << ch)) {
		kind7 = c->param_kind;
		switch (n) {
		case 99:
		case 98:
		case 101:
		case 100:
			if (n == 99 || n == 101)
				c->param_msb = v;
			else
				c->param_lsb = v;
			c->param_kind = n >= 100 ? KIND_RPN : KIND_NRPN;
			/* RPN 127/127 is the null parameter. */
			if (c->param_kind == KIND_RPN && c->param_msb == 127 &&
			    c->param_lsb == 127)
				c->param_kind = -1;
			break;
		case 6:
			if (kind7 == -1)
				break;
			c->data_msb = v;
			ev[k++] = (struct map_event){ kind7, ch,
			    c->param_msb << 7 | c->param_lsb, v, 0 };
			ev[k++] = (struct map_event){ kind7 + 1, ch,
			    c->param_msb << 7 | c->param_lsb,
			    map_msb_value(v, c->data_lsb, c->last_cc == 38,
			    c->data_lsb_seen), 0 };
			break;
		case 38:
			if (kind7 == -1)
				break;
			c->data_lsb = v;
			c->data_lsb_seen = 1;
			ev[k++] = (struct map_event){ kind7 + 1, ch,
			    c->param_msb << 7 | c->param_lsb,
			    (long)c->data_msb << 7 | v, 0 };
			break;
		case 96:
		case 97:
			if (kind7 == -1)
				break;
			/* The value is a count; many senders send 0 for 1. */
			ev[k] = (struct map_event){ kind7, ch,
			    c->param_msb << 7 | c->param_lsb, 0,
			    (v == 0 ? 1 : v) * (n == 96 ? 1 : -1) };
			ev[k + 1] = ev[k];
			ev[k + 1].kind = kind7 + 1;
			k += 2;
			break;
		}
	}
	c->last_cc = n;
	return (k);
}

/*
 * Decode a message into events (at most MAP_EVENTS_MAX): the message as
 * it is, and the 14-bit or NRPN/RPN value it completes, if any.
 */
size_t
map_decode(struct map *map, const struct midi_msg *msg, struct map_event *ev)
{
	int	 ch = MIDI_CHANNEL(msg);

	switch (MIDI_TYPE(msg)) {
	case MIDI_CC:
		return (map_decode_cc(map, ch, msg->data1, msg->data2, ev));
	case MIDI_NOTE_ON:
		ev[0] = (struct map_event){ KIND_NOTE, ch, msg->data1,
		    msg->data2, 0 };
		return (1);
	case MIDI_NOTE_OFF:
		ev[0] = (struct map_event){ KIND_NOTE, ch, msg->data1, 0, 0 };
		return (1);
	case MIDI_PITCHBEND:
		ev[0] = (struct map_event){ KIND_PITCHBEND, ch, 0,
		    (long)msg->data2 << 7 | msg->data1, 0 };
		return (1);
	case MIDI_CHAN_AT:
		ev[0] = (struct map_event){ KIND_AFTERTOUCH, ch, 0,
		    msg->data1, 0 };
		return (1);
	case MIDI_POLY_AT:
		ev[0] = (struct map_event){ KIND_POLY_AT, ch, msg->data1,
		    msg->data2, 0 };
		return (1);
	case MIDI_PROGRAM:
		ev[0] = (struct map_event){ KIND_PROGRAM, ch, msg->data1,
		    127, 0 };
		return (1);
	}
	return (0);
}

/* Find the bindings an event reaches; returns how many. */
size_t
map_lookup(const struct map *map, const struct map_event *ev,
    const struct map_slot **out)
{
	const struct map_cell	*c;

	c = map_cell(map, map_key(ev->kind, ev->channel, ev->number));
	*out = c->v;
	return (c->key == 0 ? 0 : c->n);
}

/* Round a / b to nearest for a >= 0, b > 0. */
static long
map_div(int64_t a, int64_t b)
{
	return ((long)((2 * a + b) / (2 * b)));
}

/*
 * Linear scaling of num/den onto lo..hi, snapped to the element's step
 * counted from its minimum.  The ends map to the ends exactly.
 */
static long
map_lin(const struct elem_info *info, long lo, long hi, long num, long den)
{
	long	 e;

	if (num <= 0)
		return (lo);
	if (num >= den)
		return (hi);
	e = lo + map_div((int64_t)num * (hi - lo), den);
	if (info->step > 1)
		e = info->min + map_div(e - info->min, info->step) *
		    info->step;
	return (e < lo ? lo : e > hi ? hi : e);
}

/* The inverse of map_lin, clamped: a position 0..den for an element. */
static long
map_unlin(long lo, long hi, long e, long den)
{
	if (e <= lo)
		return (0);
	if (e >= hi)
		return (den);
	return (map_div((int64_t)(e - lo) * den, hi - lo));
}

/* Scale v in 0..vmax onto the element's whole range. */
long
map_scale(const struct elem_info *info, long v, long vmax)
{
	return (map_lin(info, info->min, info->max, v, vmax));
}

/*
 * Scale an element value back to 0..vmax.  Values outside the element's
 * range are clamped.  For ranges of at most vmax steps the round trip
 * e -> v -> e is exact; for larger ones v -> e -> v is.
 */
long
map_unscale(const struct elem_info *info, long e, long vmax)
{
	if (info->max <= info->min)
		return (0);
	return (map_unlin(info->min, info->max, e, vmax));
}

/* The dB at position num/den of a curve, in 0.01 dB, unrounded. */
static double
map_curve_db(const struct binding *b, long num, long den)
{
	double	 p = (double)num / den, lo, pos;

	if (b->m->curve == CURVE_DB) {
		/* Over mute, position 1 is the lowest finite dB. */
		if (b->mute)
			p = den > 1 ? (double)(num - 1) / (den - 1) : 1;
		return (b->db_lo + p * (b->db_hi - b->db_lo));
	}
	/* CURVE_TAPER: positions from the bottom's to 1. */
	lo = (double)(b->db_lo - b->db_hi + TAPER_SPAN) / TAPER_SPAN;
	lo = lo <= 0 ? 0 : pow(lo, TAPER_POWER);
	pos = lo + p * (1 - lo);
	return (b->db_hi - TAPER_SPAN + TAPER_SPAN * pow(pos,
	    1 / TAPER_POWER));
}

/* The element value at a position 0..den of a binding's range. */
static long
map_pos_elem(const struct binding *b, long num, long den)
{
	long	 e;

	if (b->m->curve == CURVE_LINEAR)
		return (map_lin(b->info, b->lo, b->hi, num, den));
	if (num <= 0)
		return (b->lo);
	if (num >= den)
		return (b->hi);
	e = map_from_db_exact(b->info, map_curve_db(b, num, den));
	return (e < b->lo ? b->lo : e > b->hi ? b->hi : e);
}

/* The first position whose element value is at least e. */
static long
map_first_ge(const struct binding *b, long e, long den)
{
	long	 l = 0, h = den, mid;

	while (l < h) {
		mid = l + (h - l) / 2;
		if (map_pos_elem(b, mid, den) >= e)
			h = mid;
		else
			l = mid + 1;
	}
	return (l);
}

/*
 * The position 0..den that shows element value e: for curves, the first
 * of the positions whose value is nearest to e.  That choice makes the
 * round trip stable: a position from an element value maps to a value
 * that maps back to the same position, so feedback never drifts.
 */
static long
map_elem_pos(const struct binding *b, long e, long den)
{
	long	 p, below;

	if (b->m->curve == CURVE_LINEAR)
		return (map_unlin(b->lo, b->hi, e, den));
	/*
	 * The ends meet: the top value is shown at the top even where the
	 * taper gives it several positions below.
	 */
	if (e >= b->hi)
		return (den);
	p = map_first_ge(b, e, den);
	if (p > 0 && (p > den || labs(map_pos_elem(b, p - 1, den) - e) <=
	    labs(map_pos_elem(b, p, den) - e))) {
		below = map_pos_elem(b, p - 1, den);
		p = map_first_ge(b, below, den);
	}
	return (p > den ? den : p);
}

/* A MIDI value of the binding's mapping to an element value. */
long
map_to_elem(const struct binding *b, long v)
{
	const struct mapping	*m = b->m;
	long			 den = m->midi_max - m->midi_min;
	long			 num = v - m->midi_min;

	if (m->invert)
		num = den - num;
	return (map_pos_elem(b, num, den));
}

/* An element value to the MIDI value that shows it. */
long
map_to_midi(const struct binding *b, long e)
{
	const struct mapping	*m = b->m;
	long			 den = m->midi_max - m->midi_min;
	long			 num = map_elem_pos(b, e, den);

	return (m->midi_min + (m->invert ? den - num : num));
}

/* Whether an event is a button press for a mapping. */
static int
map_pressed(const struct mapping *m, const struct map_event *ev)
{
	if (m->kind == KIND_NOTE)
		return (ev->value > 0);
	if (m->kind == KIND_PROGRAM)
		return (1);
	return (ev->value * 2 > m->midi_min + m->midi_max);
}

/* The delta a relative encoder's 7-bit value codes. */
static long
map_encoder_delta(enum encoder enc, long v)
{
	switch (enc) {
	case ENC_TWOS:
		return (v < 64 ? v : v - 128);
	case ENC_SIGNMAG:
		return (v & 64 ? -(v & 63) : v & 63);
	case ENC_SIGNMAG_INV:
		return (v & 64 ? v & 63 : -(v & 63));
	case ENC_OFFSET:
		return (v - 64);
	case ENC_NONE:
		break;
	}
	return (0);
}

/*
 * Step from base by n steps: in element units, or in dB, then always at
 * least one element value on.  Integers stop at the ends; enumerations
 * stepped by buttons wrap around.
 */
static long
map_step(const struct binding *b, long base, long n, int wrap)
{
	long	 e, items;

	if (b->step_db != 0) {
		e = map_from_db(b->info, map_db(b->info, base) +
		    n * b->step_db);
		if (e == base)
			e = base + (n > 0 ? 1 : -1);
	} else
		e = base + n * b->step;
	if (wrap && b->info->type == ELEM_ENUMERATED) {
		items = b->hi - b->lo + 1;
		return (b->lo + (((e - b->lo) % items) + items) % items);
	}
	return (e < b->lo ? b->lo : e > b->hi ? b->hi : e);
}

/*
 * Soft takeover: a control whose position differs from the element's
 * value does nothing until it comes within the threshold of it, or
 * crosses it between two quick moves.
 */
static int
map_pickup(struct binding *b, long v, long base, long long now)
{
	long	 cv = map_to_midi(b, base);
	int	 crossed;

	crossed = b->pick_ms != 0 && now - b->pick_ms < MAP_HOLD_MS &&
	    (b->pick_v - cv) * (v - cv) <= 0;
	b->pick_v = v;
	b->pick_ms = now;
	if (labs(v - cv) <= b->pickup_thr || crossed)
		b->picked = 1;
	return (b->picked);
}

/*
 * What an event does to a binding it reached.  cur is the element's
 * value as the card last reported it; while the hand is on the control
 * the value it set itself is the base instead, so that quick relative
 * steps add up.  Returns MAP_WRITE with *value set, MAP_PRESS or
 * MAP_RELEASE for actions, or MAP_NONE.
 */
enum map_result
map_in(struct map *map, struct binding *b, const struct map_event *ev,
    long long now, long cur, long *value)
{
	const struct mapping	*m = b->m;
	long			 base, e, v;
	int			 pressed;

	if (!map_active(map, b))
		return (MAP_NONE);
	pressed = map_pressed(m, ev);
	if (m->action != ACTION_NONE) {
		if (pressed)
			return (MAP_PRESS);
		return (m->mode == MODE_MOMENTARY && m->kind != KIND_PROGRAM ?
		    MAP_RELEASE : MAP_NONE);
	}
	base = b->input_ms != 0 && now - b->input_ms < MAP_HOLD_MS ?
	    b->value : cur;
	switch (m->mode) {
	case MODE_MOMENTARY:
		/* The button shows its own state while it is held. */
		e = pressed ? b->hi : b->lo;
		/* Unless its LED is another message's. */
		if (m->fb_kind == KIND_MAX)
			b->surface = pressed ? m->on : m->off;
		break;
	case MODE_TOGGLE:
		if (!pressed)
			return (MAP_NONE);
		e = base == b->lo ? b->hi : b->lo;
		break;
	case MODE_SET:
		if (!pressed)
			return (MAP_NONE);
		e = b->set;
		break;
	case MODE_UP:
	case MODE_DOWN:
		if (!pressed)
			return (MAP_NONE);
		e = map_step(b, base, m->mode == MODE_UP ? 1 : -1, 1);
		break;
	default:
		if (ev->delta != 0 || m->encoder != ENC_NONE) {
			v = ev->delta != 0 ? ev->delta :
			    map_encoder_delta(m->encoder, ev->value);
			if (v == 0)
				return (MAP_NONE);
			/* invert turns relative steps round too. */
			e = map_step(b, base, m->invert ? -v : v, 0);
		} else {
			v = ev->value < m->midi_min ? m->midi_min :
			    ev->value > m->midi_max ? m->midi_max : ev->value;
			if (b->pickup && !map_pickup(b, v, base, now))
				return (MAP_NONE);
			if (m->fb_kind == KIND_MAX)
				b->surface = v;
			e = map_to_elem(b, v);
		}
		break;
	}
	b->channel = ev->channel;
	b->value = e;
	b->input_ms = now;
	*value = e;
	return (MAP_WRITE);
}

/*
 * A touch note: returns 1 if the hand left the fader.  A Mackie motor
 * fader let go returns to the last position it was sent, not where the
 * hand left it, so that is what the surface shows now: the caller sends
 * the value unless it is the one sent last.
 */
int
map_touch(struct binding *b, const struct map_event *ev)
{
	int	 was = b->touching;

	b->touching = ev->value > 0;
	if (!was || b->touching)
		return (0);
	b->surface = b->sent;
	return (1);
}

/*
 * The element changed.  A value that is not the one we set came from
 * elsewhere: a control in soft takeover must catch it again.
 */
void
map_changed(struct binding *b, long value)
{
	if (value != b->value)
		b->picked = 0;
}

/* Encode a value of a mapping's kind as MIDI messages. */
static size_t
map_encode(int kind, int number, int ch, long v, struct midi_msg *out)
{
	int	 pm = number >> 7, pl = number & 127;
	int	 sel = kind <= KIND_NRPN14 ? 99 : 101;

	switch (kind) {
	case KIND_CC:
		out[0] = (struct midi_msg){ MIDI_CC | ch, number, v };
		return (1);
	case KIND_CC14:
		out[0] = (struct midi_msg){ MIDI_CC | ch, number, v >> 7 };
		out[1] = (struct midi_msg){ MIDI_CC | ch, number + 32,
		    v & 127 };
		return (2);
	case KIND_NRPN:
	case KIND_RPN:
	case KIND_NRPN14:
	case KIND_RPN14:
		out[0] = (struct midi_msg){ MIDI_CC | ch, sel, pm };
		out[1] = (struct midi_msg){ MIDI_CC | ch, sel - 1, pl };
		if (kind == KIND_NRPN || kind == KIND_RPN) {
			out[2] = (struct midi_msg){ MIDI_CC | ch, 6, v };
			return (3);
		}
		out[2] = (struct midi_msg){ MIDI_CC | ch, 6, v >> 7 };
		out[3] = (struct midi_msg){ MIDI_CC | ch, 38, v & 127 };
		return (4);
	case KIND_NOTE:
		out[0] = (struct midi_msg){ MIDI_NOTE_ON | ch, number, v };
		return (1);
	case KIND_PITCHBEND:
		out[0] = (struct midi_msg){ MIDI_PITCHBEND | ch, v & 127,
		    v >> 7 };
		return (1);
	case KIND_AFTERTOUCH:
		out[0] = (struct midi_msg){ MIDI_CHAN_AT | ch, v, 0 };
		return (1);
	case KIND_POLY_AT:
		out[0] = (struct midi_msg){ MIDI_POLY_AT | ch, number, v };
		return (1);
	case KIND_PROGRAM:
		break;
	}
	return (0);
}

/*
 * The feedback messages of a binding for a value already in feedback
 * units: on its feedback-midi message if it has one, else on its own,
 * and on the channel heard last unless one is given.
 */
static size_t
map_encode_fb(const struct binding *b, long v, struct midi_msg *out)
{
	const struct mapping	*m = b->m;

	/* A Mackie meter: channel pressure, strip << 4 | level. */
	if (m->mackie_meter != -1) {
		out[0] = (struct midi_msg){ MIDI_CHAN_AT,
		    m->mackie_meter << 4 | v, 0 };
		return (1);
	}
	if (m->fb_kind == KIND_MAX)
		return (map_encode(m->kind, m->number, b->channel, v, out));
	return (map_encode(m->fb_kind, m->fb_number, m->fb_channel != -1 ?
	    m->fb_channel : b->channel, v, out));
}

/*
 * A value's position, v between midi-min and midi-max, as its feedback
 * shows it: a Mackie V-Pot ring byte, or the feedback message's range.
 * The ring byte is as Ardour's libs/surfaces/mackie/pot.cc and the Logic
 * Control protocol make it: bit 6 the centre LED, bits 4-5 the mode,
 * bits 0-3 the position, 1 to 11 (1 to 6 spread).
 */
long
map_fb_value(const struct mapping *m, long v)
{
	long	 den = m->midi_max - m->midi_min, num = v - m->midi_min;
	long	 steps, r;
	double	 db;

	/*
	 * A Mackie meter's level, 0 to 12 (Ardour's meter.cc sends 0 to
	 * 0x0c): 5 dB a segment from -60 dB, of the value's place in its
	 * range taken as an amplitude, as a Scarlett's Level Meter is.
	 */
	if (m->mackie_meter != -1) {
		if (num <= 0)
			return (0);
		db = 20 * log10((double)num / den);
		r = lround((db + 60) / 5);
		return (r < 0 ? 0 : r > 12 ? 12 : r);
	}
	if (m->ring != RING_NONE) {
		steps = m->ring == RING_SPREAD ? 5 : 10;
		r = (long)(m->ring - RING_DOT) << 4 |
		    ((num * steps * 2 + den) / (2 * den) + 1);
		/*
		 * The centre LED within 5% of the middle, as Ardour lights
		 * it, where the middle is the rings' zero.
		 */
		if ((m->ring == RING_BOOST_CUT || m->ring == RING_SPREAD) &&
		    labs(2 * num - den) * 10 < den)
			r |= 0x40;
		return (r);
	}
	return (m->fb_min + (num * (m->fb_max - m->fb_min) * 2 + den) /
	    (2 * den));
}

/*
 * The MIDI value that shows an element value (or, for a layer button,
 * whether its layer is active), or -1 if the binding shows nothing.
 */
static long
map_shown(const struct map *map, const struct binding *b, long value)
{
	const struct mapping	*m = b->m;

	if (!m->feedback || !b->primary || (m->kind == KIND_PROGRAM &&
	    m->fb_kind == KIND_MAX))
		return (-1);
	if (m->action != ACTION_NONE) {
		if (m->action != ACTION_LAYER)
			return (-1);
		return (map->layers[m->surface] == m->action_layer ? m->on :
		    m->off);
	}
	switch (m->mode) {
	case MODE_MOMENTARY:
	case MODE_TOGGLE:
		return (value != b->lo ? m->on : m->off);
	case MODE_SET:
		return (value == b->set ? m->on : m->off);
	case MODE_UP:
	case MODE_DOWN:
		return (-1);
	default:
		return (map_fb_value(m, map_to_midi(b, value)));
	}
}

/*
 * Make the feedback that shows an element value on the surface: at most
 * MAP_OUT_MAX messages.  Returns 0 when the surface shows that value
 * already: in particular, a value that came from this control is not
 * echoed back to it, so a motorized fader never fights the hand on it.
 */
size_t
map_out(const struct map *map, struct binding *b, long value,
    struct midi_msg *out)
{
	const struct mapping	*m = b->m;
	long			 v;

	if ((v = map_shown(map, b, value)) == -1)
		return (0);
	/*
	 * A fader shows the value if it is where we would move it, or if
	 * where it is means this value (a fader at 100 on a switch).
	 */
	if (m->action == ACTION_NONE && m->mode == MODE_ABSOLUTE &&
	    b->surface != -1 && m->encoder == ENC_NONE &&
	    m->fb_kind == KIND_MAX && m->ring == RING_NONE &&
	    m->mackie_meter == -1 && map_to_elem(b, b->surface) == value)
		return (0);
	/* A Mackie meter falls back unless it is sent its level again. */
	if (b->surface == v && m->mackie_meter == -1)
		return (0);
	b->surface = b->sent = v;
	return (map_encode_fb(b, v, out));
}

/*
 * The same messages whatever the surface shows, for other surfaces than
 * the one whose input set the value; nothing is remembered.
 */
size_t
map_show(const struct map *map, const struct binding *b, long value,
    struct midi_msg *out)
{
	long	 v;

	if ((v = map_shown(map, b, value)) == -1)
		return (0);
	return (map_encode_fb(b, v, out));
}

/* A surface's active layer, or -1. */
int
map_layer(const struct map *map, int surface)
{
	return (map->layers[surface]);
}

/*
 * Make a layer a surface's active one; the other surfaces keep theirs.
 * Its controls in soft takeover must catch the values of the layer they
 * now drive.  Returns 1 if it changed.
 */
int
map_set_layer(struct map *map, int surface, int layer)
{
	size_t	 i;

	if (layer == map->layers[surface])
		return (0);
	map->layers[surface] = layer;
	for (i = 0; i < map->nall; i++) {
		if (map->all[i]->m->surface != surface)
			continue;
		map->all[i]->picked = 0;
		map->all[i]->pick_ms = 0;
	}
	return (1);
}

/* Whether a binding is in its surface's active layer (or in none). */
int
map_active(const struct map *map, const struct binding *b)
{
	return (b->m->layer == -1 ||
	    b->m->layer == map->layers[b->m->surface]);
}
