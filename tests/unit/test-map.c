/* Unit tests of map.c: lookup, scaling both ways, the echo guard. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "map.h"
#include "midi.h"

/* Element ranges of real cards (see devices/README.md). */
static const struct elem_info ranges[] = {
	{ ELEM_INTEGER, 1, 0, 127, 1, 1 },	/* scarlett2 line volume */
	{ ELEM_INTEGER, 1, 0, 184, 1, 1 },	/* scarlett2 mix gain */
	{ ELEM_INTEGER, 1, 0, 172, 1, 1 },	/* older kernels' mix gain */
	{ ELEM_INTEGER, 1, -127, 0, 1, 1 },	/* FCP volume */
	{ ELEM_INTEGER, 1, 0, 32613, 1, 1 },	/* FCP mix gain */
	{ ELEM_INTEGER, 1, 0, 134, 1, 1 },	/* Gen 1 level */
	{ ELEM_INTEGER, 1, 0, 70, 0, 1 },	/* Gen 4 input gain */
	{ ELEM_BOOLEAN, 1, 0, 1, 0, 1 },
	{ ELEM_ENUMERATED, 1, 0, 1, 0, 1 },	/* Line / Inst */
	{ ELEM_ENUMERATED, 1, 0, 2, 0, 1 },	/* Off / Main / Alt */
	{ ELEM_ENUMERATED, 1, 0, 26, 0, 1 },	/* a routing source */
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
	struct elem_info	 mix = { ELEM_INTEGER, 1, 0, 184, 1, 1 };
	struct elem_info	 stepped = { ELEM_INTEGER, 1, 0, 100, 10, 1 };
	struct elem_info	 fcp = { ELEM_INTEGER, 1, -127, 0, 1, 1 };
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

/* A mapping as the config module makes it. */
static struct mapping *
mk_mapping(struct mapping *m, enum midi_kind kind, int channel, int number)
{
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->channel = channel;
	m->number = number;
	m->elem_channel = -1;
	m->control = (char *)"x";
	return (m);
}

static void
test_lookup(void **state)
{
	struct elem_info	 info = { ELEM_INTEGER, 1, 0, 127, 1, 1 };
	struct mapping		 m1, m2, m3, m4;
	struct map		*map;
	struct binding		*b1, *b2, *b3, *b4;
	struct binding *const	*bs;
	struct midi_msg		 msg;
	int			 ch;

	(void)state;
	map = map_create();
	b1 = map_add(map, mk_mapping(&m1, KIND_CC, 0, 7), NULL, &info);
	b2 = map_add(map, mk_mapping(&m2, KIND_CC, 0, 7), NULL, &info);
	b3 = map_add(map, mk_mapping(&m3, KIND_NOTE, -1, 36), NULL, &info);
	b4 = map_add(map, mk_mapping(&m4, KIND_CC, 15, 127), NULL, &info);

	/* Two mappings on one CC: a stereo pair. */
	msg = (struct midi_msg){ MIDI_CC | 0, 7, 10 };
	assert_int_equal(map_lookup(map, &msg, &bs), 2);
	assert_ptr_equal(bs[0], b1);
	assert_ptr_equal(bs[1], b2);
	/* Another channel, another number: nothing. */
	msg = (struct midi_msg){ MIDI_CC | 1, 7, 10 };
	assert_int_equal(map_lookup(map, &msg, &bs), 0);
	msg = (struct midi_msg){ MIDI_CC | 0, 8, 10 };
	assert_int_equal(map_lookup(map, &msg, &bs), 0);
	/* A note is not a CC of the same number. */
	msg = (struct midi_msg){ MIDI_NOTE_ON | 0, 7, 10 };
	assert_int_equal(map_lookup(map, &msg, &bs), 0);
	/* Any channel, note on and note off alike. */
	for (ch = 0; ch < 16; ch++) {
		msg = (struct midi_msg){ MIDI_NOTE_ON | ch, 36, 100 };
		assert_int_equal(map_lookup(map, &msg, &bs), 1);
		assert_ptr_equal(bs[0], b3);
		msg = (struct midi_msg){ MIDI_NOTE_OFF | ch, 36, 0 };
		assert_int_equal(map_lookup(map, &msg, &bs), 1);
	}
	msg = (struct midi_msg){ MIDI_CC | 15, 127, 0 };
	assert_int_equal(map_lookup(map, &msg, &bs), 1);
	assert_ptr_equal(bs[0], b4);
	/* Messages no mapping kind covers. */
	msg = (struct midi_msg){ MIDI_PITCHBEND | 0, 7, 10 };
	assert_int_equal(map_lookup(map, &msg, &bs), 0);
	msg = (struct midi_msg){ MIDI_PROGRAM | 0, 7, 0 };
	assert_int_equal(map_lookup(map, &msg, &bs), 0);
	map_free(map);
}

static void
test_in(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 184, 1, 1 };
	struct elem_info	 sw = { ELEM_BOOLEAN, 1, 0, 1, 0, 1 };
	struct mapping		 m1, m2;
	struct map		*map;
	struct binding		*cc, *note;
	struct midi_msg		 msg;
	long			 v;

	(void)state;
	map = map_create();
	cc = map_add(map, mk_mapping(&m1, KIND_CC, 0, 7), NULL, &vol);
	note = map_add(map, mk_mapping(&m2, KIND_NOTE, 0, 36), NULL, &sw);

	msg = (struct midi_msg){ MIDI_CC, 7, 127 };
	assert_int_equal(map_in(cc, &msg, &v), 1);
	assert_int_equal(v, 184);
	assert_int_equal(cc->surface, 127);
	msg = (struct midi_msg){ MIDI_CC, 7, 0 };
	assert_int_equal(map_in(cc, &msg, &v), 1);
	assert_int_equal(v, 0);

	msg = (struct midi_msg){ MIDI_NOTE_ON, 36, 1 };
	assert_int_equal(map_in(note, &msg, &v), 1);
	assert_int_equal(v, 1);
	msg = (struct midi_msg){ MIDI_NOTE_ON, 36, 0 };
	assert_int_equal(map_in(note, &msg, &v), 1);
	assert_int_equal(v, 0);
	msg = (struct midi_msg){ MIDI_NOTE_ON, 36, 127 };
	assert_int_equal(map_in(note, &msg, &v), 1);
	msg = (struct midi_msg){ MIDI_NOTE_OFF, 36, 64 };
	assert_int_equal(map_in(note, &msg, &v), 1);
	assert_int_equal(v, 0);
	map_free(map);
}

/* Feedback: never echo what a control just sent; do show other values. */
static void
test_out_echo_guard(void **state)
{
	struct elem_info	 vol = { ELEM_INTEGER, 1, 0, 184, 1, 1 };
	struct elem_info	 sw = { ELEM_BOOLEAN, 1, 0, 1, 0, 1 };
	struct mapping		 m1, m2, m3;
	struct map		*map;
	struct binding		*cc, *fader_sw, *omni;
	struct midi_msg		 msg, out;
	long			 v;

	(void)state;
	map = map_create();
	cc = map_add(map, mk_mapping(&m1, KIND_CC, 2, 7), NULL, &vol);
	fader_sw = map_add(map, mk_mapping(&m2, KIND_CC, 0, 9), NULL, &sw);
	omni = map_add(map, mk_mapping(&m3, KIND_NOTE, -1, 36), NULL, &sw);

	/* Unknown surface state: always send. */
	assert_int_equal(map_out(cc, 160, &out), 1);
	assert_int_equal(out.status, MIDI_CC | 2);
	assert_int_equal(out.data1, 7);
	assert_int_equal(out.data2, 110);
	/* The same value again: the surface shows it already. */
	assert_int_equal(map_out(cc, 160, &out), 0);

	/* A value from the control comes back as an event: no echo. */
	msg = (struct midi_msg){ MIDI_CC | 2, 7, 100 };
	assert_int_equal(map_in(cc, &msg, &v), 1);
	assert_int_equal(map_out(cc, v, &out), 0);
	/* Someone else changes it: feedback. */
	assert_int_equal(map_out(cc, 0, &out), 1);
	assert_int_equal(out.data2, 0);

	/*
	 * A fader on a switch: 100 means on.  Feedback must not snap the
	 * fader to 127 while it rests at 100.
	 */
	msg = (struct midi_msg){ MIDI_CC, 9, 100 };
	assert_int_equal(map_in(fader_sw, &msg, &v), 1);
	assert_int_equal(v, 1);
	assert_int_equal(map_out(fader_sw, 1, &out), 0);
	assert_int_equal(map_out(fader_sw, 0, &out), 1);
	assert_int_equal(out.data2, 0);

	/* Any-channel notes answer on the channel last heard. */
	msg = (struct midi_msg){ MIDI_NOTE_ON | 5, 36, 127 };
	assert_int_equal(map_in(omni, &msg, &v), 1);
	assert_int_equal(map_out(omni, 1, &out), 0);
	assert_int_equal(map_out(omni, 0, &out), 1);
	assert_int_equal(out.status, MIDI_NOTE_ON | 5);
	assert_int_equal(out.data1, 36);
	assert_int_equal(out.data2, 0);
	assert_int_equal(map_out(omni, 1, &out), 1);
	assert_int_equal(out.data2, 127);
	map_free(map);
}

/* Enumerations: positions across the MIDI range, and back. */
static void
test_enum(void **state)
{
	struct elem_info	 e3 = { ELEM_ENUMERATED, 1, 0, 2, 0, 1 };
	struct mapping		 m;
	struct map		*map;
	struct binding		*b;
	struct midi_msg		 msg, out;
	long			 v;

	(void)state;
	map = map_create();
	b = map_add(map, mk_mapping(&m, KIND_CC, 0, 20), NULL, &e3);
	msg = (struct midi_msg){ MIDI_CC, 20, 0 };
	map_in(b, &msg, &v);
	assert_int_equal(v, 0);
	msg.data2 = 60;
	map_in(b, &msg, &v);
	assert_int_equal(v, 1);
	msg.data2 = 127;
	map_in(b, &msg, &v);
	assert_int_equal(v, 2);
	assert_int_equal(map_out(b, 1, &out), 1);
	assert_int_equal(out.data2, 64);
	map_free(map);
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
		cmocka_unit_test(test_in),
		cmocka_unit_test(test_out_echo_guard),
		cmocka_unit_test(test_enum),
	};

	return (cmocka_run_group_tests_name("map", tests, NULL, NULL));
}
