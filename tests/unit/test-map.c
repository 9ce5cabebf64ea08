/* Unit tests of map.c: lookup, scaling both ways, the echo guard. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "config.h"
#include "map.h"
#include "compat.h"
#include "midi.h"

/* Element ranges of real cards (see devices/README.md). */
static const struct elem_info ranges[] = {
	{ ELEM_INTEGER, 1, 0, 127, 1, 1, NULL },	/* scarlett2 line volume */
	{ ELEM_INTEGER, 1, 0, 184, 1, 1, NULL },	/* scarlett2 mix gain */
	{ ELEM_INTEGER, 1, 0, 172, 1, 1, NULL },	/* older kernels' mix gain */
	{ ELEM_INTEGER, 1, -127, 0, 1, 1, NULL },	/* FCP volume */
	{ ELEM_INTEGER, 1, 0, 32613, 1, 1, NULL },	/* FCP mix gain */
	{ ELEM_INTEGER, 1, 0, 134, 1, 1, NULL },	/* Gen 1 level */
	{ ELEM_INTEGER, 1, 0, 70, 0, 1, NULL },	/* Gen 4 input gain */
	{ ELEM_BOOLEAN, 1, 0, 1, 0, 1, NULL },
	{ ELEM_ENUMERATED, 1, 0, 1, 0, 1, NULL },	/* Line / Inst */
	{ ELEM_ENUMERATED, 1, 0, 2, 0, 1, NULL },	/* Off / Main / Alt */
	{ ELEM_ENUMERATED, 1, 0, 26, 0, 1, NULL },	/* a routing source */
};

static void
test_scale_ends(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		assert_int_equal(map_scale(&ranges[i], 0, 127), ranges[i].min);
		assert_int_equal(map_scale(&ranges[i], 127, 127),
		    ranges[i].max);
		assert_int_equal(map_unscale(&ranges[i], ranges[i].min, 127),
		    0);
		assert_int_equal(map_unscale(&ranges[i], ranges[i].max, 127),
		    127);
		/* Out of range values are clamped, not wrapped. */
		assert_int_equal(map_unscale(&ranges[i], ranges[i].max + 5,
		    127), 127);
		assert_int_equal(map_unscale(&ranges[i], ranges[i].min - 5,
		    127), 0);
	}
}

static void
test_scale_monotonic(void **state)
{
	size_t	 i;
	long	 v, e, prev;

	(void)state;
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		prev = ranges[i].min;
		for (v = 0; v <= 127; v++) {
			e = map_scale(&ranges[i], v, 127);
			assert_true(e >= prev);
			assert_true(e >= ranges[i].min && e <= ranges[i].max);
			prev = e;
		}
	}
}

/*
 * Round trips do not drift: where the element has at most 128 values,
 * element -> MIDI -> element is exact; where it has more, MIDI -> element
 * -> MIDI is.
 */
static void
test_scale_round_trip(void **state)
{
	size_t	 i;
	long	 v, e, range;

	(void)state;
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		range = ranges[i].max - ranges[i].min;
		if (range <= 127) {
			for (e = ranges[i].min; e <= ranges[i].max; e++)
				assert_int_equal(map_scale(&ranges[i],
				    map_unscale(&ranges[i], e, 127), 127), e);
		} else {
			for (v = 0; v <= 127; v++)
				assert_int_equal(map_unscale(&ranges[i],
				    map_scale(&ranges[i], v, 127), 127), v);
		}
	}
}

static void
test_scale_values(void **state)
{
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1, NULL };
	struct elem_info	 stepped = { ELEM_INTEGER, 1, 0, 100, 10, 1, NULL };
	struct elem_info	 fcp = { ELEM_INTEGER, 1, -127, 0, 1, 1, NULL };
	long			 v;

	(void)state;
	/* 64/127 of 184 is 92.7: rounds to 93. */
	assert_int_equal(map_scale(&mix, 64, 127), 93);
	assert_int_equal(map_unscale(&mix, 160, 127), 110);
	assert_int_equal(map_scale(&fcp, 64, 127), -63);
	for (v = 0; v <= 127; v++)
		assert_int_equal(map_scale(&stepped, v, 127) % 10, 0);
	assert_int_equal(map_scale(&stepped, 64, 127), 50);
}

/* dB scales of real cards, as their drivers report them. */
static unsigned int tlv_vol[] = {		/* -127..0 dB, 1 dB a step */
	SND_CTL_TLVT_DB_SCALE, 8, (unsigned int)-12700, 100 };
static unsigned int tlv_mix[] = {		/* -80..+12 dB */
	SND_CTL_TLVT_DB_MINMAX, 8, (unsigned int)-8000, 1200 };
static unsigned int tlv_fcp_vol[] = {
	SND_CTL_TLVT_DB_SCALE, 8, (unsigned int)-12700, 100 };
static unsigned int tlv_fcp_mix[] = {		/* linear gain, mute..+12 */
	SND_CTL_TLVT_DB_LINEAR, 8, (unsigned int)-9999999, 1200 };
static unsigned int tlv_gen1[] = {		/* -128..+6 dB */
	SND_CTL_TLVT_DB_MINMAX, 8, (unsigned int)-12800, 600 };

static const struct elem_info db_ranges[] = {
	{ ELEM_INTEGER, 1, 0, 127, 1, 1, tlv_vol },
	{ ELEM_INTEGER, 1, 0, 184, 1, 1, tlv_mix },
	{ ELEM_INTEGER, 1, -127, 0, 1, 1, tlv_fcp_vol },
	{ ELEM_INTEGER, 1, 0, 32613, 1, 1, tlv_fcp_mix },
	{ ELEM_INTEGER, 1, 0, 134, 1, 1, tlv_gen1 },
};

/* Parse a mapping file from text; fails the test on any error. */
static struct config *
parse(const char *text)
{
	struct config	*conf = config_create();

	assert_int_equal(config_load_buffer(conf, "t.ini", text,
	    strlen(text)), 0);
	return (conf);
}

/* The n-th mapping of a configuration. */
static const struct mapping *
nth(const struct config *conf, int n)
{
	const struct mapping	*m = TAILQ_FIRST(&conf->mappings);

	while (n-- > 0)
		m = TAILQ_NEXT(m, entry);
	return (m);
}

/* Bind a mapping, which must fit. */
static struct binding *
bind(struct map *map, const struct mapping *m, const struct elem_info *info,
    long item)
{
	struct binding	*b;
	const char	*why = NULL;

	b = map_add(map, m, NULL, info, item, &why);
	if (b == NULL)
		fail_msg("map_add: %s", why);
	return (b);
}

/* Feed a message; returns what it did to b and sets *v. */
static enum map_result
feed(struct map *map, struct binding *b, uint8_t st, uint8_t d1, uint8_t d2,
    long long now, long cur, long *v)
{
	struct midi_msg		 msg = { st, d1, d2 };
	struct map_event	 ev[MAP_EVENTS_MAX];
	const struct map_slot	*slots;
	enum map_result		 r = MAP_NONE;
	size_t			 i, j, n, ne;

	ne = map_decode(map, &msg, ev);
	for (j = 0; j < ne; j++) {
		n = map_lookup(map, &ev[j], &slots);
		for (i = 0; i < n; i++) {
			if (slots[i].b != b || slots[i].touch)
				continue;
			r = map_in(map, b, &ev[j], now, cur, v);
		}
	}
	return (r);
}

/*
 * An element that leaves the card and comes back gets a new binding; as
 * map_remove (from bind_elem_removed) clears the old one's primary, the
 * new one is shown.
 */
static void
test_primary_again(void **state)
{
	struct elem_info	 info = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*b1, *b2;
	struct midi_msg		 out[MAP_OUT_MAX];

	(void)state;
	conf = parse("[a]\nmidi = cc 7\ncontrol = x\n");
	map = map_create(conf);
	b1 = bind(map, nth(conf, 0), &info, -1);
	assert_true(b1->primary);
	b1->primary = 0;
	b2 = bind(map, nth(conf, 0), &info, -1);
	assert_true(b2->primary);
	assert_int_equal(map_out(map, b2, 64, out), 1);
	assert_false(bind(map, nth(conf, 0), &info, -1)->primary);
	map_free(map);
	config_free(conf);
}

/* A removed binding is gone from lookups, and its pair shows the mapping. */
static void
test_remove(void **state)
{
	struct elem_info	 info = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*b1, *b2;
	struct map_event	 ev = { KIND_CC, 0, 7, 10, 0 };
	const struct map_slot	*s;

	(void)state;
	conf = parse("[a]\nmidi = cc 7\ncontrol = x\ncontrol = y\n");
	map = map_create(conf);
	b1 = bind(map, nth(conf, 0), &info, -1);
	b2 = bind(map, nth(conf, 0), &info, -1);
	assert_false(b2->primary);
	map_remove(map, b1);
	assert_true(b2->primary);
	assert_int_equal(map_count(map), 1);
	assert_int_equal(map_lookup(map, &ev, &s), 1);
	assert_ptr_equal(s[0].b, b2);
	map_remove(map, b2);
	assert_int_equal(map_count(map), 0);
	assert_int_equal(map_lookup(map, &ev, &s), 0);
	map_free(map);
	config_free(conf);
}

static void
test_lookup(void **state)
{
	struct elem_info	 info = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*b1, *b2, *b3, *b4;
	struct map_event	 ev;
	const struct map_slot	*s;
	int			 ch;

	(void)state;
	conf = parse("[a]\nmidi = cc 7\ncontrol = x\ncontrol = y\n"
	    "[b]\nmidi = note 36 channel any\ncontrol = z\n"
	    "[c]\nmidi = nrpn14 5000 channel 16\ncontrol = z\n");
	map = map_create(conf);
	b1 = bind(map, nth(conf, 0), &info, -1);
	b2 = bind(map, nth(conf, 0), &info, -1);
	b3 = bind(map, nth(conf, 1), &info, -1);
	b4 = bind(map, nth(conf, 2), &info, -1);
	assert_true(b1->primary);
	assert_false(b2->primary);
	assert_true(b3->primary);

	/* One CC driving two elements: a stereo pair. */
	ev = (struct map_event){ KIND_CC, 0, 7, 10, 0 };
	assert_int_equal(map_lookup(map, &ev, &s), 2);
	assert_ptr_equal(s[0].b, b1);
	assert_ptr_equal(s[1].b, b2);
	ev = (struct map_event){ KIND_CC, 1, 7, 10, 0 };
	assert_int_equal(map_lookup(map, &ev, &s), 0);
	ev = (struct map_event){ KIND_NOTE, 0, 7, 10, 0 };
	assert_int_equal(map_lookup(map, &ev, &s), 0);
	for (ch = 0; ch < 16; ch++) {
		ev = (struct map_event){ KIND_NOTE, ch, 36, 100, 0 };
		assert_int_equal(map_lookup(map, &ev, &s), 1);
		assert_ptr_equal(s[0].b, b3);
	}
	ev = (struct map_event){ KIND_NRPN14, 15, 5000, 1, 0 };
	assert_int_equal(map_lookup(map, &ev, &s), 1);
	assert_ptr_equal(s[0].b, b4);
	ev.kind = KIND_NRPN;
	assert_int_equal(map_lookup(map, &ev, &s), 0);
	map_free(map);
	config_free(conf);
}

/* Absolute CC and momentary notes, and the echo guard. */
static void
test_cc_note(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 184, 1, 1, NULL };
	struct elem_info	 sw = { ELEM_BOOLEAN, 1, 0, 1, 0, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*cc, *note, *fsw;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v;

	(void)state;
	conf = parse("[a]\nmidi = cc 7 channel 3\ncontrol = x\n"
	    "[b]\nmidi = note 36 channel any\ncontrol = y\n"
	    "[c]\nmidi = cc 9\ncontrol = y\n");
	map = map_create(conf);
	cc = bind(map, nth(conf, 0), &vol, -1);
	note = bind(map, nth(conf, 1), &sw, -1);
	fsw = bind(map, nth(conf, 2), &sw, -1);

	assert_int_equal(feed(map, cc, MIDI_CC | 2, 7, 127, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 184);
	assert_int_equal(feed(map, cc, MIDI_CC | 2, 7, 64, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 93);
	/* The value just sent is not echoed; another value is shown. */
	assert_int_equal(map_out(map, cc, 93, out), 0);
	/* Other surfaces may still be shown it, whatever this one shows. */
	assert_int_equal(map_show(map, cc, 93, out), 1);
	assert_int_equal(out[0].data2, 64);
	assert_int_equal(map_out(map, cc, 93, out), 0);
	assert_int_equal(map_out(map, cc, 160, out), 1);
	assert_int_equal(out[0].status, MIDI_CC | 2);
	assert_int_equal(out[0].data1, 7);
	assert_int_equal(out[0].data2, 110);
	assert_int_equal(map_out(map, cc, 160, out), 0);

	/* Note on with velocity: on; velocity 0 or note off: off. */
	assert_int_equal(feed(map, note, MIDI_NOTE_ON | 5, 36, 1, 1000, 0,
	    &v), MAP_WRITE);
	assert_int_equal(v, 1);
	assert_int_equal(feed(map, note, MIDI_NOTE_ON | 5, 36, 0, 1000, 1,
	    &v), MAP_WRITE);
	assert_int_equal(v, 0);
	assert_int_equal(feed(map, note, MIDI_NOTE_OFF | 5, 36, 64, 1000, 1,
	    &v), MAP_WRITE);
	assert_int_equal(v, 0);
	/* The LED follows, on the channel last heard. */
	assert_int_equal(map_out(map, note, 1, out), 1);
	assert_int_equal(out[0].status, MIDI_NOTE_ON | 5);
	assert_int_equal(out[0].data2, 127);
	assert_int_equal(map_out(map, note, 1, out), 0);

	/* A fader on a switch: resting at 100 means on; no snap to 127. */
	assert_int_equal(feed(map, fsw, MIDI_CC, 9, 100, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 1);
	assert_int_equal(map_out(map, fsw, 1, out), 0);
	assert_int_equal(map_out(map, fsw, 0, out), 1);
	assert_int_equal(out[0].data2, 0);
	map_free(map);
	config_free(conf);
}

/* 14-bit CC: MSB first, LSB first, and a lone MSB all end exact. */
static void
test_cc14(void **state)
{
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v, want;

	(void)state;
	conf = parse("[a]\nmidi = cc14 1\ncontrol = x\n"
	    "[b]\nmidi = cc14 2\ncontrol = y\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), &mix, -1);

	/* 8192 of 16383 on 0..184: 92.006 -> 92. */
	want = (8192L * 184 * 2 + 16383) / (2 * 16383);
	feed(map, b, MIDI_CC, 1, 64, 1000, 0, &v);
	assert_int_equal(feed(map, b, MIDI_CC, 33, 0, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, want);
	/* MSB first: 0x50 0x11. */
	feed(map, b, MIDI_CC, 1, 0x50, 1000, 0, &v);
	feed(map, b, MIDI_CC, 33, 0x11, 1000, 0, &v);
	assert_int_equal(v, map_to_elem(b, 0x50 << 7 | 0x11));
	/* LSB first: 0x22 then 0x30. */
	feed(map, b, MIDI_CC, 33, 0x22, 1000, 0, &v);
	feed(map, b, MIDI_CC, 1, 0x30, 1000, 0, &v);
	assert_int_equal(v, map_to_elem(b, 0x30 << 7 | 0x22));
	/* A surface that sends only MSBs still reaches the top. */
	b = bind(map, nth(conf, 1), &mix, -1);
	feed(map, b, MIDI_CC, 2, 127, 1000, 0, &v);
	assert_int_equal(v, 184);
	feed(map, b, MIDI_CC, 2, 0, 1000, 0, &v);
	assert_int_equal(v, 0);
	/* Feedback: MSB then LSB. */
	assert_int_equal(map_out(map, b, 160, out), 2);
	v = map_to_midi(b, 160);
	assert_int_equal(out[0].data1, 2);
	assert_int_equal(out[0].data2, v >> 7);
	assert_int_equal(out[1].data1, 34);
	assert_int_equal(out[1].data2, v & 127);
	map_free(map);
	config_free(conf);
}

/* NRPN and RPN: 7- and 14-bit data, increments, the null parameter. */
static void
test_nrpn(void **state)
{
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*n14, *n7, *r;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v = -1;

	(void)state;
	conf = parse("[a]\nmidi = nrpn14 300\ncontrol = x\n"
	    "[b]\nmidi = nrpn 301\ncontrol = x\nstep = 2\n"
	    "[c]\nmidi = rpn 0\ncontrol = x\n");
	map = map_create(conf);
	n14 = bind(map, nth(conf, 0), &mix, -1);
	n7 = bind(map, nth(conf, 1), &mix, -1);
	r = bind(map, nth(conf, 2), &mix, -1);

	/* 300 = 2 << 7 | 44. */
	feed(map, n14, MIDI_CC, 99, 2, 1000, 0, &v);
	feed(map, n14, MIDI_CC, 98, 44, 1000, 0, &v);
	feed(map, n14, MIDI_CC, 6, 127, 1000, 0, &v);
	assert_int_equal(feed(map, n14, MIDI_CC, 38, 127, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 184);
	assert_int_equal(feed(map, n7, MIDI_CC, 6, 127, 1000, 0, &v),
	    MAP_NONE);
	/* Parameter 301, 7-bit data. */
	feed(map, n7, MIDI_CC, 98, 45, 1000, 0, &v);
	assert_int_equal(feed(map, n7, MIDI_CC, 6, 127, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 184);
	/* Increment and decrement by the mapping's step. */
	assert_int_equal(feed(map, n7, MIDI_CC, 97, 0, 5000, 100, &v),
	    MAP_WRITE);
	assert_int_equal(v, 98);
	assert_int_equal(feed(map, n7, MIDI_CC, 96, 3, 5010, 100, &v),
	    MAP_WRITE);
	assert_int_equal(v, 104);
	/* RPN 0, then the null RPN stops data entry reaching it. */
	feed(map, r, MIDI_CC, 101, 0, 1000, 0, &v);
	feed(map, r, MIDI_CC, 100, 0, 1000, 0, &v);
	assert_int_equal(feed(map, r, MIDI_CC, 6, 0, 1000, 50, &v),
	    MAP_WRITE);
	assert_int_equal(v, 0);
	feed(map, r, MIDI_CC, 101, 127, 1000, 0, &v);
	feed(map, r, MIDI_CC, 100, 127, 1000, 0, &v);
	assert_int_equal(feed(map, r, MIDI_CC, 6, 9, 1000, 50, &v), MAP_NONE);
	/* Feedback selects the parameter, then sends data. */
	assert_int_equal(map_out(map, n14, 92, out), 4);
	assert_int_equal(out[0].data1, 99);
	assert_int_equal(out[0].data2, 2);
	assert_int_equal(out[1].data1, 98);
	assert_int_equal(out[1].data2, 44);
	assert_int_equal(out[2].data1, 6);
	assert_int_equal(out[3].data1, 38);
	assert_int_equal((out[2].data2 << 7 | out[3].data2),
	    map_to_midi(n14, 92));
	assert_int_equal(map_out(map, n7, 0, out), 3);
	assert_int_equal(map_out(map, r, 184, out), 3);
	assert_int_equal(out[0].data1, 101);
	map_free(map);
	config_free(conf);
}

/* Pitch bend with the X-Touch's top of 15935, and aftertouch. */
static void
test_pitchbend(void **state)
{
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*pb, *at;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v;

	(void)state;
	conf = parse("[a]\nmidi = pitchbend channel 2\nmidi-max = 15935\n"
	    "control = x\n[b]\nmidi = aftertouch\ncontrol = y\n");
	map = map_create(conf);
	pb = bind(map, nth(conf, 0), &mix, -1);
	at = bind(map, nth(conf, 1), &mix, -1);
	feed(map, pb, MIDI_PITCHBEND | 1, 0x7f, 0x7c, 1000, 0, &v);
	assert_int_equal(v, 184);
	feed(map, pb, MIDI_PITCHBEND | 1, 0x7f, 0x7f, 1000, 0, &v);
	assert_int_equal(v, 184);
	feed(map, pb, MIDI_PITCHBEND | 1, 0, 0, 1000, 0, &v);
	assert_int_equal(v, 0);
	assert_int_equal(map_out(map, pb, 184, out), 1);
	assert_int_equal(out[0].status, MIDI_PITCHBEND | 1);
	assert_int_equal(out[0].data1 | out[0].data2 << 7, 15935);
	assert_int_equal(feed(map, at, MIDI_CHAN_AT, 127, 0, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 184);
	map_free(map);
	config_free(conf);
}

/* Relative encoders: four codings, acceleration, steps in dB. */
static void
test_encoders(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 127, 1, 1,
				    tlv_vol };
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1,
				    tlv_mix };
	static const struct {
		const char	*name;
		int		 up1, up3, down1, down3;
	} codings[] = {
		{ "twos-complement", 1, 3, 127, 125 },
		{ "sign-magnitude", 1, 3, 65, 67 },
		{ "sign-magnitude-inverted", 65, 67, 1, 3 },
		{ "binary-offset", 65, 67, 63, 61 },
	};
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	char			 text[256];
	long			 v;
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(codings); i++) {
		snprintf(text, sizeof(text), "[e]\nmidi = cc 16\ncontrol = x\n"
		    "encoder = %s\n", codings[i].name);
		conf = parse(text);
		map = map_create(conf);
		b = bind(map, nth(conf, 0), &vol, -1);
		/* Far apart in time: each step starts from the card's. */
		feed(map, b, MIDI_CC, 16, codings[i].up1, 1000, 50, &v);
		assert_int_equal(v, 51);
		feed(map, b, MIDI_CC, 16, codings[i].up3, 2000, 50, &v);
		assert_int_equal(v, 53);
		feed(map, b, MIDI_CC, 16, codings[i].down1, 3000, 50, &v);
		assert_int_equal(v, 49);
		feed(map, b, MIDI_CC, 16, codings[i].down3, 4000, 50, &v);
		assert_int_equal(v, 47);
		/* Quick steps add up before the card reports them. */
		feed(map, b, MIDI_CC, 16, codings[i].up1, 5000, 50, &v);
		feed(map, b, MIDI_CC, 16, codings[i].up1, 5001, 50, &v);
		assert_int_equal(v, 52);
		/* Ends stop, not wrap. */
		feed(map, b, MIDI_CC, 16, codings[i].down3, 9000, 1, &v);
		assert_int_equal(v, 0);
		map_free(map);
		config_free(conf);
	}
	/* A step of 1.5 dB on a 0.5 dB scale is 3 values. */
	conf = parse("[e]\nmidi = cc 16\ncontrol = x\n"
	    "encoder = twos-complement\nstep = 1.5dB\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), &mix, -1);
	feed(map, b, MIDI_CC, 16, 1, 1000, 160, &v);
	assert_int_equal(v, 163);
	feed(map, b, MIDI_CC, 16, 126, 2000, 160, &v);
	assert_int_equal(v, 154);
	/* Rest: no change. */
	assert_int_equal(feed(map, b, MIDI_CC, 16, 0, 3000, 160, &v),
	    MAP_NONE);
	map_free(map);
	config_free(conf);
	/* invert turns the direction round. */
	conf = parse("[e]\nmidi = cc 16\ncontrol = x\n"
	    "encoder = twos-complement\ninvert = yes\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), &vol, -1);
	feed(map, b, MIDI_CC, 16, 2, 1000, 50, &v);
	assert_int_equal(v, 48);
	map_free(map);
	config_free(conf);
}

/* Buttons: toggle, set an enum item, step, and LED values. */
static void
test_buttons(void **state)
{
	struct elem_info	 sw = { ELEM_BOOLEAN, 1, 0, 1, 0, 1, NULL };
	struct elem_info	 spk = { ELEM_ENUMERATED, 1, 0, 2, 0, 1, NULL };
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1,
				    tlv_mix };
	struct config		*conf;
	struct map		*map;
	struct binding		*tog, *alt, *next, *zero;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v;

	(void)state;
	conf = parse("[mute]\nmidi = note 45\ncontrol = x\nmode = toggle\n"
	    "on = 5\noff = 1\n"
	    "[alt]\nmidi = cc 20\ncontrol = y\nmode = set\nvalue = Alt\n"
	    "[next]\nmidi = note 46\ncontrol = y\nmode = up\n"
	    "[zero]\nmidi = program 3\ncontrol = z\nvalue = 0dB\n");
	map = map_create(conf);
	tog = bind(map, nth(conf, 0), &sw, -1);
	alt = bind(map, nth(conf, 1), &spk, 2);
	next = bind(map, nth(conf, 2), &spk, -1);
	zero = bind(map, nth(conf, 3), &mix, -1);

	/* Toggle on press; release does nothing. */
	assert_int_equal(feed(map, tog, MIDI_NOTE_ON, 45, 127, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 1);
	assert_int_equal(feed(map, tog, MIDI_NOTE_OFF, 45, 0, 1010, 1, &v),
	    MAP_NONE);
	assert_int_equal(feed(map, tog, MIDI_NOTE_ON, 45, 127, 2000, 1, &v),
	    MAP_WRITE);
	assert_int_equal(v, 0);
	/* The LED values of the mapping. */
	assert_int_equal(map_out(map, tog, 1, out), 1);
	assert_int_equal(out[0].data2, 5);
	assert_int_equal(map_out(map, tog, 0, out), 1);
	assert_int_equal(out[0].data2, 1);

	/* A button that selects an enum item; its LED is lit when so. */
	assert_int_equal(feed(map, alt, MIDI_CC, 20, 127, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 2);
	assert_int_equal(feed(map, alt, MIDI_CC, 20, 0, 1000, 2, &v),
	    MAP_NONE);
	assert_int_equal(map_out(map, alt, 2, out), 1);
	assert_int_equal(out[0].data2, 127);
	assert_int_equal(map_out(map, alt, 1, out), 1);
	assert_int_equal(out[0].data2, 0);

	/* Up through the items, wrapping. */
	feed(map, next, MIDI_NOTE_ON, 46, 100, 1000, 1, &v);
	assert_int_equal(v, 2);
	feed(map, next, MIDI_NOTE_ON, 46, 100, 2000, 2, &v);
	assert_int_equal(v, 0);

	/* A program change sets a fader to 0 dB: 160 of -80..+12. */
	assert_int_equal(feed(map, zero, MIDI_PROGRAM, 3, 0, 1000, 0, &v),
	    MAP_WRITE);
	assert_int_equal(v, 160);
	assert_int_equal(map_out(map, zero, 160, out), 0);
	map_free(map);
	config_free(conf);
}

/* min and max in dB, inversion. */
static void
test_range(void **state)
{
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1,
				    tlv_mix };
	struct config		*conf;
	struct map		*map;
	struct binding		*b, *inv;
	long			 v;

	(void)state;
	conf = parse("[a]\nmidi = cc 1\ncontrol = x\nmin = -60dB\n"
	    "max = 0dB\n[b]\nmidi = cc 2\ncontrol = x\ninvert = yes\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), &mix, -1);
	inv = bind(map, nth(conf, 1), &mix, -1);
	feed(map, b, MIDI_CC, 1, 0, 1000, 0, &v);
	assert_int_equal(v, 40);
	feed(map, b, MIDI_CC, 1, 127, 1000, 0, &v);
	assert_int_equal(v, 160);
	/* Values outside the range show at its ends. */
	assert_int_equal(map_to_midi(b, 184), 127);
	assert_int_equal(map_to_midi(b, 0), 0);
	feed(map, inv, MIDI_CC, 2, 0, 1000, 0, &v);
	assert_int_equal(v, 184);
	feed(map, inv, MIDI_CC, 2, 127, 1000, 0, &v);
	assert_int_equal(v, 0);
	assert_int_equal(map_to_midi(inv, 184), 0);
	map_free(map);
	config_free(conf);
}

/*
 * Every curve on every real dB range, at 7 and 14 bits: monotonic, ends
 * exact, and round trips stable: a value shown on the surface and sent
 * back lands where it was, so feedback never drifts.
 */
static void
test_curves_round_trip(void **state)
{
	static const char	*curves[] = { "linear", "db", "taper" };
	static const char	*tops[] = { "", "midi-max = 16383\n" };
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	char			 text[256];
	long			 v, e, e2, v2, prev, vmax;
	size_t			 i, c, t;

	(void)state;
	for (i = 0; i < nitems(db_ranges); i++)
	for (c = 0; c < nitems(curves); c++)
	for (t = 0; t < nitems(tops); t++) {
		snprintf(text, sizeof(text), "[a]\nmidi = %s 1\ncontrol = x\n"
		    "curve = %s\n%s", t == 0 ? "cc" : "cc14", curves[c],
		    tops[t]);
		conf = parse(text);
		map = map_create(conf);
		b = bind(map, nth(conf, 0), &db_ranges[i], -1);
		vmax = t == 0 ? 127 : 16383;
		assert_int_equal(map_to_elem(b, 0), db_ranges[i].min);
		assert_int_equal(map_to_elem(b, vmax), db_ranges[i].max);
		prev = db_ranges[i].min;
		for (v = 0; v <= vmax; v++) {
			e = map_to_elem(b, v);
			assert_true(e >= prev);
			prev = e;
			v2 = map_to_midi(b, e);
			assert_int_equal(map_to_elem(b, v2), e);
		}
		for (e = db_ranges[i].min; e <= db_ranges[i].max;
		    e += 1 + (db_ranges[i].max - db_ranges[i].min) / 4000) {
			v = map_to_midi(b, e);
			e2 = map_to_elem(b, v);
			assert_int_equal(map_to_midi(b, e2), v);
		}
		map_free(map);
		config_free(conf);
	}
}

/*
 * The ends meet on every curve: the top element value is shown as the
 * top MIDI value and the bottom as the bottom, at 7 and 14 bits, with
 * the X-Touch's top of 15935, and with min and max in dB.
 */
static void
test_curve_ends(void **state)
{
	static const char	*curves[] = { "linear", "db", "taper" };
	static const char	*kinds[] = { "cc 1", "pitchbend",
				    "pitchbend\nmidi-max = 15935" };
	static const long	 tops[] = { 127, 16383, 15935 };
	static const char	*ranges_db[] = { "",
				    "min = -60dB\nmax = 0dB\n" };
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	char			 text[256];
	size_t			 i, c, k, r;

	(void)state;
	for (i = 0; i < nitems(db_ranges); i++)
	for (c = 0; c < nitems(curves); c++)
	for (k = 0; k < nitems(kinds); k++)
	for (r = 0; r < nitems(ranges_db); r++) {
		snprintf(text, sizeof(text), "[a]\nmidi = %s\ncontrol = x\n"
		    "curve = %s\n%s", kinds[k], curves[c], ranges_db[r]);
		conf = parse(text);
		map = map_create(conf);
		b = bind(map, nth(conf, 0), &db_ranges[i], -1);
		assert_int_equal(map_to_midi(b, b->hi), tops[k]);
		assert_int_equal(map_to_midi(b, db_ranges[i].max), tops[k]);
		assert_int_equal(map_to_midi(b, b->lo), 0);
		assert_int_equal(map_to_elem(b, tops[k]), b->hi);
		assert_int_equal(map_to_elem(b, 0), b->lo);
		map_free(map);
		config_free(conf);
	}
}

/*
 * curve = db is even in dB exactly: each position lands on the element
 * value nearest its dB point, not on one a rounding to 0.01 dB made as
 * near (CC 9 of -60..0 dB is -55.748 dB: -55.5, not -56).
 */
static void
test_db_exact(void **state)
{
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	const struct elem_info	*info = &db_ranges[1];
	long			 v, e, db, dbn;
	double			 want;

	(void)state;
	conf = parse("[a]\nmidi = cc 1\ncontrol = x\ncurve = db\n"
	    "min = -60dB\nmax = 0dB\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), info, -1);
	for (v = 0; v <= 127; v++) {
		want = -6000 + 6000.0 * v / 127;
		e = map_to_elem(b, v);
		snd_tlv_convert_to_dB((unsigned int *)info->tlv, info->min,
		    info->max, e, &db);
		if (e < b->hi) {
			snd_tlv_convert_to_dB((unsigned int *)info->tlv,
			    info->min, info->max, e + 1, &dbn);
			assert_true(fabs(db - want) <= fabs(dbn - want));
		}
		if (e > b->lo) {
			snd_tlv_convert_to_dB((unsigned int *)info->tlv,
			    info->min, info->max, e - 1, &dbn);
			assert_true(fabs(db - want) <= fabs(dbn - want));
		}
	}
	/* -80..+12 dB in 0.5 dB steps: -55.5 dB is value 49. */
	assert_int_equal(map_to_elem(b, 9), 49);
	map_free(map);
	config_free(conf);
}

/*
 * A gain whose minimum is mute (4th Gen mix, 0..32613, -inf..+12 dB) as
 * Ardour has it: position 0 is mute, and only it.  The taper starts at
 * its own zero, so 0 dB sits where Ardour's fader puts it; db is even
 * from the lowest finite dB, at position 1, to the top.
 */
static void
test_mute_bottom(void **state)
{
	const struct elem_info	*info = &db_ranges[3];
	struct config		*conf;
	struct map		*map;
	struct binding		*taper, *db;
	long			 e0, e, v, d, d1, dn;
	double			 want;

	(void)state;
	conf = parse("[a]\nmidi = pitchbend\ncontrol = x\ncurve = taper\n"
	    "[b]\nmidi = cc 1\ncontrol = x\ncurve = db\n");
	map = map_create(conf);
	taper = bind(map, nth(conf, 0), info, -1);
	db = bind(map, nth(conf, 1), info, -1);
	assert_true(taper->mute);
	assert_int_equal(map_to_elem(taper, 0), 0);
	assert_int_equal(map_to_elem(taper, 1), 1);
	assert_int_equal(map_to_midi(taper, 0), 0);
	/* 0 dB is 8192 of 32613. */
	e0 = 8192;
	snd_tlv_convert_to_dB((unsigned int *)info->tlv, info->min,
	    info->max, e0, &d);
	assert_int_equal(d, 0);
	/* Where Ardour's taper has 0 dB, within alsa-lib's 0.01 dB. */
	want = 1200 - 19800 + 19800 * pow(map_to_midi(taper, e0) / 16383.0,
	    1 / 8.0);
	assert_true(fabs(want) <= 1);

	assert_int_equal(map_to_elem(db, 0), 0);
	assert_int_equal(map_to_elem(db, 1), 1);
	snd_tlv_convert_to_dB((unsigned int *)info->tlv, info->min,
	    info->max, 1, &d1);
	for (v = 1; v <= 127; v++) {
		want = d1 + (1200.0 - d1) * (v - 1) / 126;
		e = map_to_elem(db, v);
		snd_tlv_convert_to_dB((unsigned int *)info->tlv, info->min,
		    info->max, e, &d);
		snd_tlv_convert_to_dB((unsigned int *)info->tlv, info->min,
		    info->max, e - 1, &dn);
		assert_true(fabs(d - want) <= fabs(dn - want));
		if (e < info->max) {
			snd_tlv_convert_to_dB((unsigned int *)info->tlv,
			    info->min, info->max, e + 1, &dn);
			assert_true(fabs(d - want) <= fabs(dn - want));
		}
	}
	map_free(map);
	config_free(conf);
}

/* The taper is finer near the top than near the bottom. */
static void
test_taper(void **state)
{
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	long			 top, bottom;

	(void)state;
	conf = parse("[a]\nmidi = cc 1\ncontrol = x\ncurve = taper\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), &db_ranges[1], -1);
	/* Element values are 0.5 dB each on this scale. */
	top = map_to_elem(b, 127) - map_to_elem(b, 117);
	bottom = map_to_elem(b, 20) - map_to_elem(b, 10);
	assert_true(top < bottom);
	/* 0 dB (160) is reachable and shown at a position of its own. */
	assert_int_equal(map_to_elem(b, map_to_midi(b, 160)), 160);
	map_free(map);
	config_free(conf);
}

/* Soft takeover: nothing until the control reaches the value. */
static void
test_pickup(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	long			 v;

	(void)state;
	conf = parse("[surface]\ntakeover = pickup\n"
	    "[a]\nmidi = cc 1\ncontrol = x\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), &vol, -1);
	/* The card is at 100; the knob at 10 moves slowly up. */
	assert_int_equal(feed(map, b, MIDI_CC, 1, 10, 1000, 100, &v),
	    MAP_NONE);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 60, 2000, 100, &v),
	    MAP_NONE);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 96, 3000, 100, &v),
	    MAP_NONE);
	/* Within 3/128 of it: caught, and it follows from then on. */
	assert_int_equal(feed(map, b, MIDI_CC, 1, 98, 4000, 100, &v),
	    MAP_WRITE);
	assert_int_equal(v, 98);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 20, 5000, 98, &v),
	    MAP_WRITE);
	/* Someone else moves the element: it must be caught again. */
	map_changed(b, 120);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 30, 6000, 120, &v),
	    MAP_NONE);
	/* A fast move across the value within 50 ms catches it. */
	assert_int_equal(feed(map, b, MIDI_CC, 1, 110, 7000, 120, &v),
	    MAP_NONE);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 127, 7020, 120, &v),
	    MAP_WRITE);
	/* Our own value coming back keeps it caught. */
	map_changed(b, 127);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 0, 8000, 127, &v),
	    MAP_WRITE);
	map_free(map);
	config_free(conf);
}

/* Layers, shift actions, touch. */
/* Each surface has its own layer: switching one leaves the other's. */
static void
test_layers_surfaces(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	static const char	*a = "[surface]\nport = A\n"
	    "[a1]\nmidi = cc 1\ncontrol = x\nlayer = a1\n"
	    "[a2]\nmidi = cc 1\ncontrol = y\nlayer = a2\n";
	static const char	*b = "[surface]\nport = B\n"
	    "[b1]\nmidi = cc 1\ncontrol = z\nlayer = b1\n"
	    "[b2]\nmidi = cc 1\ncontrol = w\nlayer = b2\n";
	struct config		*conf;
	struct map		*map;
	struct binding		*a1, *a2, *b1, *b2;
	int			 sa, sb;

	(void)state;
	conf = config_create();
	assert_int_equal(config_load_buffer(conf, "a.ini", a, strlen(a)), 0);
	assert_int_equal(config_load_buffer(conf, "b.ini", b, strlen(b)), 0);
	map = map_create(conf);
	a1 = bind(map, nth(conf, 0), &vol, -1);
	a2 = bind(map, nth(conf, 1), &vol, -1);
	b1 = bind(map, nth(conf, 2), &vol, -1);
	b2 = bind(map, nth(conf, 3), &vol, -1);
	sa = nth(conf, 0)->surface;
	sb = nth(conf, 2)->surface;
	assert_true(sa != sb);
	/* Each starts in the first layer its own mappings use. */
	assert_true(map_active(map, a1) && !map_active(map, a2));
	assert_true(map_active(map, b1) && !map_active(map, b2));
	assert_int_equal(map_set_layer(map, sa, nth(conf, 1)->layer), 1);
	assert_true(!map_active(map, a1) && map_active(map, a2));
	assert_true(map_active(map, b1) && !map_active(map, b2));
	assert_int_equal(map_layer(map, sb), nth(conf, 2)->layer);
	map_free(map);
	config_free(conf);
}

static void
test_layers_touch(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*a, *b, *shift, *fader;
	struct map_event	 ev;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v;

	(void)state;
	conf = parse("[a]\nmidi = cc 1\ncontrol = x\nlayer = mix-a\n"
	    "[b]\nmidi = cc 1\ncontrol = y\nlayer = mix-b\n"
	    "[shift]\nmidi = note 1\naction = layer mix-b\n"
	    "mode = momentary\n"
	    "[fader]\nmidi = pitchbend\ncontrol = z\ntouch = note 104\n");
	map = map_create(conf);
	a = bind(map, nth(conf, 0), &vol, -1);
	b = bind(map, nth(conf, 1), &vol, -1);
	shift = map_add(map, nth(conf, 2), NULL, NULL, -1, NULL);
	fader = bind(map, nth(conf, 3), &vol, -1);

	/* The first layer named is active. */
	assert_int_equal(map_layer(map, 0), 0);
	assert_int_equal(feed(map, a, MIDI_CC, 1, 5, 1000, 0, &v), MAP_WRITE);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 5, 1000, 0, &v), MAP_NONE);
	assert_int_equal(feed(map, shift, MIDI_NOTE_ON, 1, 127, 1000, 0, &v),
	    MAP_PRESS);
	assert_int_equal(feed(map, shift, MIDI_NOTE_OFF, 1, 0, 1000, 0, &v),
	    MAP_RELEASE);
	/* The layer button's LED shows whether its layer is active. */
	assert_int_equal(map_out(map, shift, 0, out), 1);
	assert_int_equal(out[0].data2, 0);
	assert_int_equal(map_set_layer(map, 0, 1), 1);
	assert_int_equal(map_set_layer(map, 0, 1), 0);
	assert_int_equal(map_out(map, shift, 0, out), 1);
	assert_int_equal(out[0].data2, 127);
	assert_int_equal(feed(map, a, MIDI_CC, 1, 5, 1000, 0, &v), MAP_NONE);
	assert_int_equal(feed(map, b, MIDI_CC, 1, 5, 1000, 0, &v), MAP_WRITE);
	assert_false(map_active(map, a));
	assert_true(map_active(map, fader));

	/* Touch: on, then off reports the release. */
	ev = (struct map_event){ KIND_NOTE, 0, 104, 127, 0 };
	assert_int_equal(map_touch(fader, &ev), 0);
	assert_true(fader->touching);
	ev.value = 0;
	assert_int_equal(map_touch(fader, &ev), 1);
	assert_false(fader->touching);
	map_free(map);
	config_free(conf);
}

/* Whether a note on a channel reaches b's touch. */
static int
touch_reaches(struct map *map, const struct binding *b, int ch, int note)
{
	struct map_event	 ev = { KIND_NOTE, ch, note, 127, 0 };
	const struct map_slot	*slots;
	size_t			 i, n;

	n = map_lookup(map, &ev, &slots);
	for (i = 0; i < n; i++)
		if (slots[i].b == b && slots[i].touch)
			return (1);
	return (0);
}

/*
 * Mackie surfaces send every touch note on channel 1, whatever the
 * fader's channel; a mapping may name another.  A fader let go shows
 * what it was last sent (a Mackie one falls back there), so a value the
 * hand set is sent to it on release.
 */
/*
 * Feedback in another form, byte for byte: a Mackie V-Pot ring on its
 * own CC (Ardour's pot.cc: mode << 4 | position 1-11, centre bit 6), a
 * spread ring, an LED on another note with the X-Touch Mini's 0 and 1,
 * and a 14-bit value on a 7-bit message.
 */
static void
test_feedback_form(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct elem_info	 sw = { ELEM_BOOLEAN, 1, 0, 1, 0, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*pot, *spread, *led, *pb;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v;

	(void)state;
	conf = parse("[pot]\nmidi = cc 16\nencoder = sign-magnitude\n"
	    "control = x\nfeedback-midi = cc 48\nring = wrap\n"
	    "[spread]\nmidi = cc 17\ncontrol = x\nfeedback-midi = cc 49\n"
	    "ring = spread\n"
	    "[led]\nmidi = note 8 channel 11\nmode = toggle\ncontrol = s\n"
	    "feedback-midi = note 0 channel 1\non = 1\n"
	    "[pb]\nmidi = pitchbend channel 2\ncontrol = x\n"
	    "feedback-midi = cc 9\n");
	map = map_create(conf);
	pot = bind(map, nth(conf, 0), &vol, -1);
	spread = bind(map, nth(conf, 1), &vol, -1);
	led = bind(map, nth(conf, 2), &sw, -1);
	pb = bind(map, nth(conf, 3), &vol, -1);

	/* Wrap (mode 2): 0 is position 1, the top 11, the middle 6. */
	assert_int_equal(map_out(map, pot, 0, out), 1);
	assert_int_equal(out[0].status, MIDI_CC);
	assert_int_equal(out[0].data1, 48);
	assert_int_equal(out[0].data2, 0x21);
	assert_int_equal(map_out(map, pot, 127, out), 1);
	assert_int_equal(out[0].data2, 0x2b);
	assert_int_equal(map_out(map, pot, 64, out), 1);
	assert_int_equal(out[0].data2, 0x26);
	/* The V-Pot's own turn still gets the ring: it is another message. */
	assert_int_equal(feed(map, pot, MIDI_CC, 16, 0x01, 1000, 115, &v),
	    MAP_WRITE);
	assert_int_equal(v, 116);
	assert_int_equal(map_out(map, pot, 116, out), 1);
	assert_int_equal(out[0].data1, 48);
	assert_int_equal(out[0].data2, 0x2a);
	/* A value on the same LED: the ring shows it already. */
	assert_int_equal(map_out(map, pot, 117, out), 0);

	/* Spread (mode 3): positions 1 to 6, the centre LED lit midway. */
	assert_int_equal(map_out(map, spread, 0, out), 1);
	assert_int_equal(out[0].data1, 49);
	assert_int_equal(out[0].data2, 0x31);
	assert_int_equal(map_out(map, spread, 127, out), 1);
	assert_int_equal(out[0].data2, 0x36);
	assert_int_equal(map_out(map, spread, 64, out), 1);
	assert_int_equal(out[0].data2, 0x40 | 0x34);

	/* The LED: note 0 on channel 1, 1 on and 0 off, after each press. */
	assert_int_equal(map_out(map, led, 0, out), 1);
	assert_int_equal(out[0].status, MIDI_NOTE_ON);
	assert_int_equal(out[0].data1, 0);
	assert_int_equal(out[0].data2, 0);
	assert_int_equal(feed(map, led, MIDI_NOTE_ON | 10, 8, 127, 2000, 0,
	    &v), MAP_WRITE);
	assert_int_equal(v, 1);
	assert_int_equal(map_out(map, led, 1, out), 1);
	assert_int_equal(out[0].status, MIDI_NOTE_ON);
	assert_int_equal(out[0].data1, 0);
	assert_int_equal(out[0].data2, 1);

	/* A 14-bit fader shown on a 7-bit CC, on its input's channel. */
	assert_int_equal(map_out(map, pb, 0, out), 1);
	assert_int_equal(out[0].status, MIDI_CC | 1);
	assert_int_equal(out[0].data1, 9);
	assert_int_equal(out[0].data2, 0);
	assert_int_equal(map_out(map, pb, 127, out), 1);
	assert_int_equal(out[0].data2, 127);
	assert_int_equal(map_out(map, pb, 64, out), 1);
	assert_int_equal(out[0].data2, 64);

	map_free(map);
	config_free(conf);
}

/*
 * A Mackie meter: D0, strip << 4 | level, level 0-12 at 5 dB a segment
 * from -60 dB of a 0-4095 Level Meter, sent again at the same level.
 */
static void
test_mackie_meter(void **state)
{
	static const struct {
		long	 e;
		int	 level;
	} cases[] = {
		{ 4095, 12 }, { 2048, 11 }, { 130, 6 }, { 5, 0 }, { 0, 0 },
		{ 1295, 10 },
	};
	struct elem_info	 meter = { ELEM_INTEGER, 65, 0, 4095, 1, 0, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*b;
	struct midi_msg		 out[MAP_OUT_MAX];
	size_t			 i;

	(void)state;
	conf = parse("[m]\nmidi = aftertouch\ncontrol = Level Meter\n"
	    "control-channel = 3\nmackie-meter = 3\n");
	map = map_create(conf);
	b = bind(map, nth(conf, 0), &meter, -1);
	for (i = 0; i < nitems(cases); i++) {
		assert_int_equal(map_out(map, b, cases[i].e, out), 1);
		assert_int_equal(out[0].status, MIDI_CHAN_AT);
		assert_int_equal(out[0].data1, 2 << 4 | cases[i].level);
	}
	/* The same level again still goes: the meter would fall back. */
	assert_int_equal(map_out(map, b, 1295, out), 1);
	map_free(map);
	config_free(conf);
}

/* Values as a scribble strip shows them: 7 characters at most. */
static void
test_text(void **state)
{
	static const struct {
		const struct elem_info	*info;
		long			 e;
		const char		*want;
	} cases[] = {
		{ &db_ranges[0], 127, "0.0dB" },
		{ &db_ranges[0], 121, "-6.0dB" },
		{ &db_ranges[0], 0, "-127dB" },
		{ &db_ranges[1], 184, "+12.0dB" },
		{ &db_ranges[1], 0, "-80.0dB" },
		{ &db_ranges[3], 0, "-inf" },
	};
	struct elem_info	 sw = { ELEM_BOOLEAN, 1, 0, 1, 0, 1, NULL };
	struct elem_info	 num = { ELEM_INTEGER, 1, 0, 70, 0, 1, NULL };
	struct elem_info	 en = { ELEM_ENUMERATED, 1, 0, 2, 0, 1, NULL };
	char			 buf[8];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		assert_int_equal(map_text(cases[i].info, cases[i].e, buf,
		    sizeof(buf)), 1);
		assert_string_equal(buf, cases[i].want);
	}
	assert_int_equal(map_text(&sw, 1, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "on");
	assert_int_equal(map_text(&sw, 0, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "off");
	assert_int_equal(map_text(&num, 42, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "42");
	/* An item name is the mixer's. */
	assert_int_equal(map_text(&en, 1, buf, sizeof(buf)), 0);
}

static void
test_touch(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct config		*conf;
	struct map		*map;
	struct binding		*f2, *f3;
	struct map_event	 ev;
	struct midi_msg		 out[MAP_OUT_MAX];
	long			 v;

	(void)state;
	conf = parse("[f2]\nmidi = pitchbend channel 2\ncontrol = x\n"
	    "touch = note 105\n"
	    "[f3]\nmidi = pitchbend channel 3\ncontrol = y\n"
	    "touch = note 106 channel 3\n");
	map = map_create(conf);
	f2 = bind(map, nth(conf, 0), &vol, -1);
	f3 = bind(map, nth(conf, 1), &vol, -1);
	assert_int_equal(nth(conf, 0)->touch_channel, 0);
	assert_true(touch_reaches(map, f2, 0, 105));
	assert_false(touch_reaches(map, f2, 1, 105));
	assert_true(touch_reaches(map, f3, 2, 106));
	assert_false(touch_reaches(map, f3, 0, 106));

	/* The card is at 20, and the fader is sent it. */
	assert_int_equal(map_out(map, f2, 20, out), 1);
	assert_int_equal(out[0].status, MIDI_PITCHBEND | 1);
	/* Touched, moved to 64 and let go: 64 goes back to it. */
	ev = (struct map_event){ KIND_NOTE, 0, 105, 127, 0 };
	assert_int_equal(map_touch(f2, &ev), 0);
	assert_int_equal(feed(map, f2, MIDI_PITCHBEND | 1, 0, 64, 1000, 20,
	    &v), MAP_WRITE);
	assert_int_equal(v, 64);
	assert_int_equal(map_out(map, f2, 64, out), 0);
	ev.value = 0;
	assert_int_equal(map_touch(f2, &ev), 1);
	assert_int_equal(map_out(map, f2, 64, out), 1);
	assert_int_equal(out[0].data1 | out[0].data2 << 7,
	    map_to_midi(f2, 64));
	/* Touched and let go without a move: nothing to send. */
	ev.value = 127;
	assert_int_equal(map_touch(f2, &ev), 0);
	ev.value = 0;
	assert_int_equal(map_touch(f2, &ev), 1);
	assert_int_equal(map_out(map, f2, 64, out), 0);
	map_free(map);
	config_free(conf);
}

/* What cannot bind says why. */
static void
test_bind_errors(void **state)
{
	struct elem_info	 nodb = { ELEM_INTEGER, 1, 0, 127, 1, 1, NULL };
	struct elem_info	 spk = { ELEM_ENUMERATED, 1, 0, 2, 0, 1, NULL };
	struct config		*conf;
	struct map		*map;
	const char		*why;

	(void)state;
	conf = parse("[a]\nmidi = cc 1\ncontrol = x\ncurve = db\n"
	    "[b]\nmidi = cc 2\ncontrol = x\nmin = -10dB\n"
	    "[c]\nmidi = cc 3\ncontrol = x\nmode = set\nvalue = Nowhere\n"
	    "[d]\nmidi = cc 4\ncontrol = x\nmax = 500\n");
	map = map_create(conf);
	why = NULL;
	assert_null(map_add(map, nth(conf, 0), NULL, &nodb, -1, &why));
	assert_string_equal(why, "has no dB scale for the curve");
	assert_null(map_add(map, nth(conf, 1), NULL, &nodb, -1, &why));
	assert_string_equal(why, "is in dB, but the element has no dB scale");
	assert_null(map_add(map, nth(conf, 2), NULL, &spk, -1, &why));
	assert_string_equal(why, "names no item of the element");
	assert_null(map_add(map, nth(conf, 3), NULL, &nodb, -1, &why));
	assert_string_equal(why, "is outside the element's range");
	assert_int_equal(map_count(map), 0);
	map_free(map);
	config_free(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_ends),
		cmocka_unit_test(test_scale_monotonic),
		cmocka_unit_test(test_scale_round_trip),
		cmocka_unit_test(test_scale_values),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_primary_again),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_cc_note),
		cmocka_unit_test(test_cc14),
		cmocka_unit_test(test_nrpn),
		cmocka_unit_test(test_pitchbend),
		cmocka_unit_test(test_encoders),
		cmocka_unit_test(test_buttons),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_curves_round_trip),
		cmocka_unit_test(test_curve_ends),
		cmocka_unit_test(test_db_exact),
		cmocka_unit_test(test_mute_bottom),
		cmocka_unit_test(test_taper),
		cmocka_unit_test(test_pickup),
		cmocka_unit_test(test_layers_touch),
		cmocka_unit_test(test_layers_surfaces),
		cmocka_unit_test(test_touch),
		cmocka_unit_test(test_feedback_form),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_mackie_meter),
		cmocka_unit_test(test_bind_errors),
	};

	return (cmocka_run_group_tests_name("map", tests, NULL, NULL));
}
