/* Unit tests of learn.c: what a mapping is guessed from. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "learn.h"
#include "midi.h"

/* Feed "status data1 data2" triples. */
static void
feed(struct learn *l, const uint8_t *b, size_t n)
{
	struct midi_msg	 m;
	size_t		 i;

	learn_init(l);
	for (i = 0; i + 3 <= n; i += 3) {
		m.status = b[i];
		m.data1 = b[i + 1];
		m.data2 = b[i + 2];
		learn_add(l, &m);
	}
}

static void
test_nothing(void **state)
{
	struct learn		 l;
	struct learn_guess	 g;

	(void)state;
	learn_init(&l);
	assert_int_equal(learn_guess(&l, &g), -1);
}

static void
test_fader(void **state)
{
	static const uint8_t	 b[] = { 0xb2, 7, 10, 0xb2, 7, 40, 0xb2, 7,
				    90, 0xb2, 7, 127 };
	struct learn		 l;
	struct learn_guess	 g;

	(void)state;
	feed(&l, b, sizeof(b));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.kind, KIND_CC);
	assert_int_equal(g.number, 7);
	assert_int_equal(g.channel, 2);
	assert_int_equal(g.encoder, ENC_NONE);
	assert_int_equal(g.mode, MODE_DEFAULT);
}

static void
test_cc14(void **state)
{
	static const uint8_t	 b[] = { 0xb0, 3, 10, 0xb0, 35, 99, 0xb0, 3,
				    11, 0xb0, 35, 1 };
	struct learn		 l;
	struct learn_guess	 g;

	(void)state;
	feed(&l, b, sizeof(b));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.kind, KIND_CC14);
	assert_int_equal(g.number, 3);
}

static void
test_nrpn(void **state)
{
	static const uint8_t	 b[] = { 0xb0, 99, 2, 0xb0, 98, 44, 0xb0, 6,
				    10, 0xb0, 38, 5, 0xb0, 6, 11 };
	static const uint8_t	 r[] = { 0xb0, 101, 0, 0xb0, 100, 1, 0xb0, 96,
				    0 };
	struct learn		 l;
	struct learn_guess	 g;

	(void)state;
	feed(&l, b, sizeof(b));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.kind, KIND_NRPN14);
	assert_int_equal(g.number, 300);
	feed(&l, r, sizeof(r));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.kind, KIND_RPN);
	assert_int_equal(g.number, 1);
}

static void
test_encoders(void **state)
{
	static const uint8_t	 twos[] = { 0xb0, 16, 1, 0xb0, 16, 2, 0xb0,
				    16, 127, 0xb0, 16, 126 };
	static const uint8_t	 sm[] = { 0xb0, 16, 1, 0xb0, 16, 3, 0xb0, 16,
				    65, 0xb0, 16, 66 };
	static const uint8_t	 off[] = { 0xb0, 16, 65, 0xb0, 16, 66, 0xb0,
				    16, 63 };
	struct learn		 l;
	struct learn_guess	 g;

	(void)state;
	feed(&l, twos, sizeof(twos));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.encoder, ENC_TWOS);
	feed(&l, sm, sizeof(sm));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.encoder, ENC_SIGNMAG);
	feed(&l, off, sizeof(off));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.encoder, ENC_OFFSET);
}

static void
test_buttons(void **state)
{
	static const uint8_t	 cc[] = { 0xb0, 20, 127, 0xb0, 20, 0 };
	static const uint8_t	 note[] = { 0x93, 36, 100, 0x83, 36, 0 };
	static const uint8_t	 pb[] = { 0xe1, 0, 0, 0xe1, 0x3f, 0x7c };
	struct learn		 l;
	struct learn_guess	 g;

	(void)state;
	feed(&l, cc, sizeof(cc));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.mode, MODE_TOGGLE);
	feed(&l, note, sizeof(note));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.kind, KIND_NOTE);
	assert_int_equal(g.number, 36);
	assert_int_equal(g.channel, 3);
	assert_int_equal(g.mode, MODE_TOGGLE);
	/* Pitch bend wins, and its short top is kept. */
	feed(&l, pb, sizeof(pb));
	assert_int_equal(learn_guess(&l, &g), 0);
	assert_int_equal(g.kind, KIND_PITCHBEND);
	assert_int_equal(g.channel, 1);
	assert_int_equal(g.midi_max, 15935);
}

/* What is printed reads back as a mapping. */
static void
test_print(void **state)
{
	static const uint8_t	 b[] = { 0xb0, 16, 1, 0xb0, 16, 2, 0xb0, 16, 127 };
	struct learn		 l;
	struct learn_guess	 g;
	struct config		*conf;
	char			 buf[512];
	FILE			*fp;
	size_t			 n;

	(void)state;
	feed(&l, b, sizeof(b));
	assert_int_equal(learn_guess(&l, &g), 0);
	fp = fmemopen(buf, sizeof(buf), "w");
	learn_print(fp, &g, "Line 07 (Headphones 1 L) Playback Volume", 0,
	    0);
	n = ftell(fp);
	fclose(fp);
	buf[n] = '\0';
	assert_string_equal(buf,
	    "[line-07-headphones-1-l-playback-volume]\n"
	    "midi = cc 16 channel 1\n"
	    "encoder = twos-complement\n"
	    "control = Line 07 (Headphones 1 L) Playback Volume\n");
	conf = config_create();
	assert_int_equal(config_load_buffer(conf, "learned", buf, n), 0);
	config_free(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_fader),
		cmocka_unit_test(test_cc14),
		cmocka_unit_test(test_nrpn),
		cmocka_unit_test(test_encoders),
		cmocka_unit_test(test_buttons),
		cmocka_unit_test(test_print),
	};

	return (cmocka_run_group_tests_name("learn", tests, NULL, NULL));
}
