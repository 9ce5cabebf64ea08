/* Unit tests of config.c: what a file turns into, and its error text. */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "log.h"

/* Load a buffer; what was logged goes into errs (stderr is swapped). */
static int
load(struct config *conf, const char *text, char *errs, size_t size)
{
	FILE	*tmp;
	size_t	 n;
	int	 saved, rv;

	tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	rv = config_load_buffer(conf, "t.ini", text, strlen(text));
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(errs, 1, size - 1, tmp);
	errs[n] = '\0';
	fclose(tmp);
	return (rv);
}

/* Connect messages: the bytes of each line, in order, and bad lines. */
static void
test_connect(void **state)
{
	static const uint8_t		 sysex[] = { 0xf0, 0x00, 0x20, 0x29,
	    0x02, 0x11, 0x77, 0x08, 0xf7 };
	static const uint8_t		 cc[] = { 0xb0, 0x7f, 0x00 };
	static const uint8_t		 pc[] = { 0xc1, 0x03 };
	static const uint8_t		 pb[] = { 0xe2, 0x00, 0x40 };
	static const uint8_t		 note[] = { 0x9f, 0x08, 0x01 };
	struct config			*conf;
	const struct config_surface	*cs;
	char				 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "[surface]\nport = LCXL\n"
	    "connect = F0 00 20 29 02 11 77 08 f7\n"
	    "connect = cc 127 = 0\nconnect = program 3 channel 2\n"
	    "connect = pitchbend channel 3 = 8192\n"
	    "connect = note 8 channel 16 = 1\n", errs, sizeof(errs)), 0);
	assert_string_equal(errs, "");
	cs = config_surface_of(conf, "t.ini");
	assert_non_null(cs);
	assert_int_equal(cs->nconnect, 5);
	assert_int_equal(cs->connect[0].len, sizeof(sysex));
	assert_memory_equal(cs->connect[0].bytes, sysex, sizeof(sysex));
	assert_int_equal(cs->connect[0].line, 3);
	assert_int_equal(cs->connect[1].len, sizeof(cc));
	assert_memory_equal(cs->connect[1].bytes, cc, sizeof(cc));
	assert_int_equal(cs->connect[2].len, sizeof(pc));
	assert_memory_equal(cs->connect[2].bytes, pc, sizeof(pc));
	assert_int_equal(cs->connect[3].len, sizeof(pb));
	assert_memory_equal(cs->connect[3].bytes, pb, sizeof(pb));
	assert_memory_equal(cs->connect[4].bytes, note, sizeof(note));
	assert_null(config_surface_of(conf, "other.ini"));
	config_free(conf);

	conf = config_create();
	assert_int_equal(load(conf, "[surface]\n"
	    "connect = F0 00 80 F7\nconnect = F0 01\nconnect = cc 1 = 200\n"
	    "connect = nrpn 5 = 1\nconnect = program 3 = 1\n"
	    "connect = cc 3\nconnect = F0 1 2 xx F7\n", errs, sizeof(errs)),
	    -EINVAL);
	assert_string_equal(errs,
	    "t.ini:2: connect: a SysEx is F0, data bytes 00-7F, then F7: 80\n"
	    "t.ini:3: connect: a SysEx is F0, data bytes 00-7F, then F7: 01\n"
	    "t.ini:4: connect value is too large: 200\n"
	    "t.ini:5: connect takes a SysEx or one cc, note, poly-aftertouch, "
	    "program, aftertouch or pitchbend on one channel: nrpn 5 = 1\n"
	    "t.ini:6: connect: a program change has no '= value'\n"
	    "t.ini:7: connect: the message wants '= value'\n"
	    "t.ini:8: connect: not a hex byte: xx\n"
	    "7 errors in t.ini\n");
	config_free(conf);
}

/* Scribble strips: the display, the strip and label keys, and errors. */
static void
test_strips(void **state)
{
	struct config			*conf;
	const struct config_surface	*cs;
	const struct mapping		*m;
	char				 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "[surface]\ndisplay = mackie\n"
	    "display-hold = 500\n[f]\nmidi = pitchbend\ncontrol = x\n"
	    "strip = 8\nlabel = Mix A1\n", errs, sizeof(errs)), 0);
	assert_string_equal(errs, "");
	cs = config_surface_of(conf, "t.ini");
	assert_int_equal(cs->display, DISPLAY_MACKIE);
	assert_int_equal(cs->display_hold, 500);
	m = TAILQ_FIRST(&conf->mappings);
	assert_int_equal(m->strip, 7);
	assert_string_equal(m->label, "Mix A1");
	config_free(conf);

	conf = config_create();
	assert_int_equal(load(conf, "[surface]\ndisplay-hold = 50\n"
	    "[f]\nmidi = cc 1\ncontrol = x\nstrip = 1\n"
	    "[g]\nmidi = cc 2\ncontrol = x\nlabel = abc\n"
	    "[h]\nmidi = cc 3\ncontrol = x\nstrip = 2\nlabel = \t\x01\n",
	    errs, sizeof(errs)), -EINVAL);
	assert_string_equal(errs,
	    "t.ini:2: display-hold is too small: 50\n"
	    "t.ini:10: label is only for a mapping with a strip\n"
	    "t.ini:15: label is not printable ASCII: \x01\n"
	    "t.ini:6: strip: [surface] of this file has no display\n"
	    "t.ini:14: strip: [surface] of this file has no display\n"
	    "5 errors in t.ini\n");
	config_free(conf);
}

/* Meters: the rate, a Mackie meter's strip, and what it excludes. */
static void
test_meters(void **state)
{
	struct config		*conf;
	char			 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "[surface]\nmeter-rate = 25\n"
	    "[m]\nmidi = aftertouch\ncontrol = Level Meter\n"
	    "control-channel = 2\nmackie-meter = 8\n", errs, sizeof(errs)),
	    0);
	assert_string_equal(errs, "");
	assert_int_equal(config_surface_of(conf, "t.ini")->meter_rate, 25);
	assert_int_equal(TAILQ_FIRST(&conf->mappings)->mackie_meter, 7);
	config_free(conf);

	conf = config_create();
	assert_int_equal(load(conf, "[surface]\nmeter-rate = 60\n"
	    "[m]\nmidi = cc 1\ncontrol = x\nmackie-meter = 9\n"
	    "[n]\nmidi = cc 2\ncontrol = x\nmackie-meter = 1\nring = dot\n",
	    errs, sizeof(errs)), -EINVAL);
	assert_string_equal(errs,
	    "t.ini:2: meter-rate is too large: 60\n"
	    "t.ini:6: mackie-meter is too large: 9\n"
	    "t.ini:10: mackie-meter is its own feedback: a value, with no "
	    "ring or feedback-midi\n"
	    "3 errors in t.ini\n");
	config_free(conf);
}

static void
test_mapping_fields(void **state)
{
	struct config		*conf;
	const struct mapping	*m;
	const struct port	*p;
	char			 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf,
	    "[card]\nname = Scarlett 18i20 ; a comment\n"
	    "[surface]\nport = X-TOUCH\nport = nano\n"
	    "[fader]\nmidi = cc 7\ncontrol = Line 05 Playback Volume\n"
	    "[any]\nmidi = NOTE 36 channel any\n"
	    "control = name='Extension Unit Switch',index=1\n"
	    "control-channel = 2\n", errs, sizeof(errs)), 0);
	assert_string_equal(errs, "");
	assert_string_equal(conf->card, "Scarlett 18i20");
	assert_int_equal(conf->card_line, 2);
	p = TAILQ_FIRST(&conf->ports);
	assert_string_equal(p->pattern, "X-TOUCH");
	assert_string_equal(TAILQ_NEXT(p, entry)->pattern, "nano");
	assert_int_equal(conf->nmappings, 2);

	m = TAILQ_FIRST(&conf->mappings);
	assert_string_equal(m->name, "fader");
	assert_int_equal(m->line, 6);
	assert_int_equal(m->kind, KIND_CC);
	assert_int_equal(m->number, 7);
	assert_int_equal(m->channel, 0);
	assert_int_equal(m->ncontrols, 1);
	assert_string_equal(m->controls[0].name, "Line 05 Playback Volume");
	assert_int_equal(m->controls[0].index, 0);
	assert_int_equal(m->elem_channel, -1);
	assert_int_equal(m->controls[0].line, 8);
	assert_int_equal(m->mode, MODE_ABSOLUTE);
	assert_int_equal(m->midi_min, 0);
	assert_int_equal(m->midi_max, 127);

	m = TAILQ_NEXT(m, entry);
	assert_int_equal(m->kind, KIND_NOTE);
	assert_int_equal(m->number, 36);
	assert_int_equal(m->channel, -1);
	assert_string_equal(m->controls[0].name, "Extension Unit Switch");
	assert_int_equal(m->controls[0].index, 1);
	assert_int_equal(m->elem_channel, 1);
	assert_int_equal(m->mode, MODE_MOMENTARY);
	config_free(conf);
}

/* Each error names its line; all are reported; the count comes last. */
static void
test_errors(void **state)
{
	struct config	*conf;
	char		 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf,
	    "[a]\n"
	    "midi = cc 128\n"
	    "control = x\n"
	    "[b]\n"
	    "midi = cc 1 channel 0\n"
	    "control = numid=4\n"
	    "[c]\n"
	    "control = x\n", errs, sizeof(errs)), -22);
	assert_string_equal(errs,
	    "t.ini:2: controller is too large: 128\n"
	    "t.ini:5: channel is too small: 0\n"
	    "t.ini:6: name controls, not numids (numids change between "
	    "kernels): numid=4\n"
	    "t.ini:7: [c] has no midi\n"
	    "4 errors in t.ini\n");
	config_free(conf);
}

static void
test_errors_syntax(void **state)
{
	struct config	*conf;
	char		 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "[a\nmidi = cc 1\ncontrol = x\n",
	    errs, sizeof(errs)), -22);
	assert_string_equal(errs, "t.ini:1: syntax error: no ] after [\n"
	    "1 error in t.ini\n");
	config_free(conf);

	/*
	 * Every bad line is reported, not only the first; indenting is
	 * ok; a section with no keys is only warned about.
	 */
	conf = config_create();
	assert_int_equal(load(conf, "[a]\n  midi = cc 1\nfoo\n"
	    "\tcontrol = x\nbar\n[empty]\n; comment\n[b]\nmidi = cc 2\n"
	    "control = y\n", errs, sizeof(errs)), -22);
	assert_string_equal(errs,
	    "t.ini:3: syntax error: not a [section] nor a key = value\n"
	    "t.ini:5: syntax error: not a [section] nor a key = value\n"
	    "t.ini:6: [empty] has no keys\n"
	    "2 errors in t.ini\n");
	assert_int_equal(conf->nmappings, 2);
	config_free(conf);
}

/*
 * A file may start with a UTF-8 byte order mark; a section with no keys
 * (its only key commented out) is a warning, and the file loads.
 */
static void
test_bom_empty(void **state)
{
	struct config	*conf;
	char		 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "\xef\xbb\xbf[card]\nname = A\n"
	    "[surface]\n;port = X\n[x]\nmidi = cc 1\ncontrol = x\n",
	    errs, sizeof(errs)), 0);
	assert_string_equal(errs, "t.ini:3: [surface] has no keys\n");
	assert_string_equal(conf->card, "A");
	assert_int_equal(conf->nmappings, 1);
	config_free(conf);
}

/*
 * A line that begins with white space after a key continues it, as
 * libinih reads it: one more control, or one more port; continuing a
 * key that takes one value is an error.  An indented line that reads as
 * a key or a section header is one.
 */
static void
test_continuation(void **state)
{
	struct config		*conf;
	const struct mapping	*m;
	const struct port	*p;
	char			 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "[surface]\nport = A\n\tB ; c\n"
	    "[x]\nmidi = cc 1\ncontrol = Line 01\n  Line 02\n"
	    "# a comment\n  name='Line 03',index=1\nmode = toggle\n",
	    errs, sizeof(errs)), 0);
	assert_string_equal(errs, "");
	p = TAILQ_FIRST(&conf->ports);
	assert_string_equal(p->pattern, "A");
	assert_string_equal(TAILQ_NEXT(p, entry)->pattern, "B");
	m = TAILQ_FIRST(&conf->mappings);
	assert_int_equal(m->ncontrols, 3);
	assert_string_equal(m->controls[1].name, "Line 02");
	assert_string_equal(m->controls[2].name, "Line 03");
	assert_int_equal(m->controls[2].index, 1);
	assert_int_equal(m->mode, MODE_TOGGLE);
	config_free(conf);

	/* Indented keys and section headers are keys and headers. */
	conf = config_create();
	assert_int_equal(load(conf, "  [x]\n  midi = cc 1\n"
	    "  control = a\n\tmode = toggle\n  [y]\n    midi = cc 2\n"
	    "    control = b\n", errs, sizeof(errs)), 0);
	assert_string_equal(errs, "");
	assert_int_equal(conf->nmappings, 2);
	m = TAILQ_FIRST(&conf->mappings);
	assert_int_equal(m->ncontrols, 1);
	assert_int_equal(m->mode, MODE_TOGGLE);
	assert_string_equal(TAILQ_NEXT(m, entry)->name, "y");
	config_free(conf);

	conf = config_create();
	assert_int_equal(load(conf, "[x]\nmidi = cc 1\n  cc 2\n"
	    "control = a\n[surface]\nlayer = a\n  b\n", errs,
	    sizeof(errs)), -22);
	assert_string_equal(errs,
	    "t.ini:3: midi takes one value (a line that begins with white "
	    "space continues the key before it): cc 2\n"
	    "t.ini:7: layer takes one value (a line that begins with white "
	    "space continues the key before it): b\n"
	    "2 errors in t.ini\n");
	config_free(conf);
}

/* A line of 200 characters or more is an error; 199 is fine. */
static void
test_line_length(void **state)
{
	struct config	*conf;
	char		 text[512], errs[4096];

	(void)state;
	conf = config_create();
	snprintf(text, sizeof(text), "[a]\nmidi = cc 1\ncontrol = %.*s\n",
	    199 - 10, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
	assert_int_equal(load(conf, text, errs, sizeof(errs)), -22);
	/* 199 characters fit the line; the name is too long for ALSA. */
	assert_non_null(strstr(errs, "t.ini:3: control name is too long"));
	config_free(conf);

	conf = config_create();
	snprintf(text, sizeof(text), "[a]\nmidi = cc 1\ncontrol = %.*s\n",
	    200 - 10, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
	assert_int_equal(load(conf, text, errs, sizeof(errs)), -22);
	assert_string_equal(errs,
	    "t.ini:3: line is too long (199 characters at most)\n"
	    "t.ini:1: [a] has no control\n"
	    "2 errors in t.ini\n");
	config_free(conf);
}

/* Loading more files adds to the config; a second card is an error. */
static void
test_two_files(void **state)
{
	struct config	*conf;
	char		 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "[card]\nname = A\n[x]\nmidi = cc 1\n"
	    "control = x\n", errs, sizeof(errs)), 0);
	assert_int_equal(load(conf, "[card]\nname = A\n[x]\nmidi = cc 2\n"
	    "control = y\n", errs, sizeof(errs)), 0);
	assert_int_equal(conf->nmappings, 2);
	/* Each file names the card of its mappings, wherever [card] is. */
	assert_int_equal(load(conf, "[z]\nmidi = cc 3\ncontrol = z\n"
	    "[card]\nname = B\n[w]\nmidi = cc 4\ncontrol = w\n"
	    "card = C\n", errs, sizeof(errs)), 0);
	assert_int_equal(conf->ncards, 3);
	assert_string_equal(conf->card, "A");
	assert_string_equal(conf->cards[TAILQ_FIRST(&conf->mappings)->card],
	    "A");
	assert_string_equal(conf->cards[TAILQ_LAST(&conf->mappings,
	    mappings)->card], "C");
	assert_string_equal(conf->cards[TAILQ_PREV(TAILQ_LAST(
	    &conf->mappings, mappings), mappings, entry)->card], "B");
	/* One file names one card. */
	assert_int_equal(load(conf, "[card]\nname = D\n[card2]\n"
	    "midi = cc 5\ncontrol = v\n", errs, sizeof(errs)), 0);
	assert_int_equal(load(conf, "[card]\nname = D\nname = E\n", errs,
	    sizeof(errs)), -22);
	assert_string_equal(errs, "t.ini:3: card is set twice\n"
	    "1 error in t.ini\n");
	config_free(conf);
}

/* The index of a layer's name, or -1. */
static int
layer(const struct config *conf, const char *name)
{
	unsigned int	 i;

	for (i = 0; i < conf->nlayers; i++) {
		if (strcmp(conf->layers[i], name) == 0)
			return (i);
	}
	return (-1);
}

/*
 * Each surface (the files naming the same ports) has its own [surface]
 * settings; those of the files with no port are the others' defaults.
 */
static void
test_surfaces(void **state)
{
	struct config		*conf;
	const struct mapping	*m;
	const struct surface	*a, *b, *all;
	char			 errs[4096];

	(void)state;
	conf = config_create();
	assert_int_equal(load(conf, "[surface]\nport = A\n"
	    "feedback-interval = 20\nlayer = x\n[a]\nmidi = cc 1\n"
	    "control = a\nlayer = y\n[a2]\nmidi = cc 2\ncontrol = a\n"
	    "layer = x\n", errs, sizeof(errs)), 0);
	assert_int_equal(load(conf, "[surface]\nport = B\n"
	    "takeover = pickup\n[b]\nmidi = cc 1\ncontrol = b\n"
	    "layer = y\n", errs, sizeof(errs)), 0);
	assert_int_equal(load(conf, "[surface]\nfeedback-interval = 30\n"
	    "pickup-threshold = 5\n[c]\nmidi = cc 9\ncontrol = c\n",
	    errs, sizeof(errs)), 0);
	assert_int_equal(conf->nsurfaces, 3);
	m = TAILQ_FIRST(&conf->mappings);
	a = &conf->surfaces[m->surface];
	b = &conf->surfaces[TAILQ_NEXT(TAILQ_NEXT(m, entry), entry)->surface];
	all = &conf->surfaces[TAILQ_LAST(&conf->mappings, mappings)->surface];
	assert_ptr_equal(all, &conf->surfaces[0]);
	assert_true(a != b && a != all && b != all);
	assert_string_equal(a->ports, "port = A\n");
	assert_int_equal(a->feedback_interval, 20);
	assert_int_equal(a->takeover, TAKEOVER_JUMP);
	assert_int_equal(a->pickup_threshold, 5);
	assert_int_equal(a->layer, layer(conf, "x"));
	assert_int_equal(b->feedback_interval, 30);
	assert_int_equal(b->takeover, TAKEOVER_PICKUP);
	assert_int_equal(b->pickup_threshold, 5);
	/* Not set: the first layer its mappings use. */
	assert_int_equal(b->layer, layer(conf, "y"));
	assert_int_equal(all->feedback_interval, 30);
	assert_int_equal(all->takeover, TAKEOVER_JUMP);
	assert_int_equal(all->layer, -1);

	/* Another file for A's ports may repeat a setting, not change it. */
	assert_int_equal(load(conf, "[surface]\nport = A\n"
	    "feedback-interval = 20\n", errs, sizeof(errs)), 0);
	assert_int_equal(conf->nsurfaces, 3);
	assert_int_equal(load(conf, "[surface]\nport = A\n"
	    "feedback-interval = 25\n", errs, sizeof(errs)), -22);
	assert_string_equal(errs, "t.ini:3: feedback-interval differs from "
	    "the one set at t.ini:3 for the same ports\n1 error in t.ini\n");
	/* Within one file, the same. */
	assert_int_equal(load(conf, "[surface]\nport = C\ntakeover = jump\n"
	    "takeover = pickup\n", errs, sizeof(errs)), -22);
	assert_string_equal(errs, "t.ini:4: takeover differs from the one set "
	    "at t.ini:3\n1 error in t.ini\n");
	config_free(conf);
}

static int
setup(void **state)
{
	(void)state;
	log_init(1, LOG_USER);
	return (0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapping_fields),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_syntax),
		cmocka_unit_test(test_bom_empty),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_two_files),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_strips),
		cmocka_unit_test(test_meters),
		cmocka_unit_test(test_surfaces),
	};

	return (cmocka_run_group_tests_name("config", tests, setup, NULL));
}
