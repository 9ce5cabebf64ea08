/* Unit tests of snapshot.c: the controls left out, and the file's lines. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "snapshot.h"

/*
 * Names of the real dumps in devices/: the safety controls are left
 * out, the mixer's are not.
 */
static void
test_excluded(void **state)
{
	static const char	*out[] = {
		"Line In 1 Phantom Power Capture Switch",
		"Line In 1-4 Phantom Power Capture Switch",
		"Phantom Power Persistence Capture Switch",
		"MSD Mode Switch",
		"Clock Source Clock Source",
		"Sample Clock Source",
		"Scarlett 18i20 USB-Sync Clock Source",
		"Standalone Switch",
		"Digital I/O Mode Capture Enum",
		"S/PDIF Mode Capture Enum",
		"Line In 2 Autogain Capture Switch",
		NULL
	};
	static const char	*in[] = {
		"Mix A Input 01 Playback Volume",
		"Speaker Switching Playback Enum",
		"Line In 1 Safe Capture Switch",
		"Line In 1 Air Capture Enum",
		"Autogain Mean Target",
		"Line In 1 Gain Capture Volume",
		"Talkback Mix A Playback Switch",
		NULL
	};
	size_t			 i;

	(void)state;
	for (i = 0; out[i] != NULL; i++) {
		if (!snapshot_excluded(out[i]))
			fail_msg("not left out: %s", out[i]);
	}
	for (i = 0; in[i] != NULL; i++) {
		if (snapshot_excluded(in[i]))
			fail_msg("left out: %s", in[i]);
	}
}

/* What a read saw, one line of text per control. */
struct seen {
	char	 text[1024];
	size_t	 len;
};

static const char *
record_cb(const char *name, unsigned int index,
    const struct snapshot_value *v, unsigned int n, void *arg)
{
	struct seen	*s = arg;
	unsigned int	 i;

	s->len += snprintf(s->text + s->len, sizeof(s->text) - s->len,
	    "%s/%u:", name, index);
	for (i = 0; i < n; i++) {
		if (v[i].item != NULL)
			s->len += snprintf(s->text + s->len,
			    sizeof(s->text) - s->len, " <%s>", v[i].item);
		else
			s->len += snprintf(s->text + s->len,
			    sizeof(s->text) - s->len, " %ld", v[i].number);
	}
	s->len += snprintf(s->text + s->len, sizeof(s->text) - s->len, "\n");
	return (strcmp(name, "Refused") == 0 ? "refused" : NULL);
}

/* Read text as a snapshot; what was logged goes into errs. */
static int
read_text(const char *text, struct seen *s, char *errs, size_t size)
{
	FILE	*in, *tmp;
	size_t	 n;
	int	 saved, rv;

	in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	rv = snapshot_read(in, "s.snapshot", record_cb, s);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(errs, 1, size - 1, tmp);
	errs[n] = '\0';
	fclose(tmp);
	fclose(in);
	return (rv);
}

/*
 * Numbers (older files) and quoted item names (enums now) both read;
 * quotes may hold '=' and the other quote; an index is kept.
 */
static void
test_read(void **state)
{
	struct seen	 s;
	char		 errs[1024];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(read_text("# scarlett-midi snapshot\n"
	    "Mix A Input 01 Playback Volume = 100\n"
	    "Speaker Switching Playback Enum = 2\n"
	    "Speaker Switching Playback Enum = 'Main'\n"
	    "PCM 01 Capture Enum = 'Analogue 1' \"Mix A=B\" \"It's\"\n"
	    "name='Line In 1 Pad Capture Switch',index=2 = 1 0\n",
	    &s, errs, sizeof(errs)), 0);
	assert_string_equal(errs, "");
	assert_string_equal(s.text,
	    "Mix A Input 01 Playback Volume/0: 100\n"
	    "Speaker Switching Playback Enum/0: 2\n"
	    "Speaker Switching Playback Enum/0: <Main>\n"
	    "PCM 01 Capture Enum/0: <Analogue 1> <Mix A=B> <It's>\n"
	    "Line In 1 Pad Capture Switch/2: 1 0\n");
}

/* Bad lines are reported with their line, the others still read. */
static void
test_read_errors(void **state)
{
	struct seen	 s;
	char		 errs[1024];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(read_text("A = 'Main\n"
	    "B = 'Main'x\n"
	    "C = 1\n"
	    "D = five\n"
	    "Refused = 3\n"
	    "no separator\n", &s, errs, sizeof(errs)), -22);
	assert_string_equal(errs,
	    "s.snapshot:1: an item's name has no closing quote\n"
	    "s.snapshot:2: a value is not a number or a quoted name\n"
	    "s.snapshot:4: a value is not a number\n"
	    "s.snapshot:5: refused\n"
	    "s.snapshot:6: expected 'control = value ...'\n");
	assert_string_equal(s.text, "C/0: 1\nRefused/0: 3\n");
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
		cmocka_unit_test(test_excluded),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_errors),
	};

	return (cmocka_run_group_tests_name("snapshot", tests, setup, NULL));
}
