/* Unit tests of lcd.c: the Mackie LCD SysEx, byte for byte, and names. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "lcd.h"

/*
 * F0 00 00 66 14 12 pos text F7: the top line of strip 1 at 0, strip 3
 * at 14, the bottom line of strip 8 at 56 + 49 = 105 (0x69).
 */
static void
test_cells(void **state)
{
	static const uint8_t	 top1[] = { 0xf0, 0x00, 0x00, 0x66, 0x14,
	    0x12, 0x00, 'M', 'i', 'x', 'A', '1', ' ', ' ', 0xf7 };
	static const uint8_t	 top3[] = { 0xf0, 0x00, 0x00, 0x66, 0x14,
	    0x12, 0x0e, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 0xf7 };
	static const uint8_t	 bot8[] = { 0xf0, 0x00, 0x00, 0x66, 0x15,
	    0x12, 0x69, '-', '1', '2', '.', '5', 'd', 'B', 0xf7 };
	uint8_t			 out[LCD_SYSEX_MAX];

	(void)state;
	assert_int_equal(lcd_cell(LCD_MACKIE, 0, 0, "MixA1", out),
	    sizeof(top1));
	assert_memory_equal(out, top1, sizeof(top1));
	/* Longer than a cell: cut at 7. */
	assert_int_equal(lcd_cell(LCD_MACKIE, 2, 0, "ABCDEFGHIJ", out),
	    sizeof(top3));
	assert_memory_equal(out, top3, sizeof(top3));
	assert_int_equal(lcd_cell(LCD_EXTENDER, 7, 1, "-12.5dB", out),
	    sizeof(bot8));
	assert_memory_equal(out, bot8, sizeof(bot8));
	/* No ninth strip. */
	assert_int_equal(lcd_cell(LCD_MACKIE, 8, 0, "x", out), 0);
}

/* Whole lines, and characters the display has not. */
static void
test_write(void **state)
{
	char		 line[LCD_WIDTH];
	uint8_t		 out[LCD_SYSEX_MAX];

	(void)state;
	memset(line, 'x', sizeof(line));
	line[3] = '\n';
	line[4] = (char)0xe9;
	assert_int_equal(lcd_write(LCD_MACKIE, LCD_WIDTH, line, sizeof(line),
	    out), 8 + LCD_WIDTH);
	assert_int_equal(out[6], 0x38);
	assert_int_equal(out[7 + 3], ' ');
	assert_int_equal(out[7 + 4], ' ');
	assert_int_equal(out[7 + 5], 'x');
	assert_int_equal(out[7 + LCD_WIDTH], 0xf7);
	/* Past the end of the bottom line. */
	assert_int_equal(lcd_write(LCD_MACKIE, LCD_WIDTH + 1, line,
	    sizeof(line), out), 0);
}

/* Short names fit a strip with a space to spare. */
static void
test_short(void **state)
{
	static const struct {
		const char	*name;
		const char	*want;
	} cases[] = {
		{ "Mix A Input 01 Playback Volume", "MxAI01" },
		{ "Line 07 (Headphones 1 L) Playback Volume", "L07H1L" },
		{ "Mute Playback Switch", "Mute" },
		{ "Line In 1 Air Capture Switch", "LnIn1A" },
		{ "Master", "Master" },
		{ "Speaker Switching Playback Enum", "SpkrSw" },
	};
	char	 buf[LCD_CELL];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lcd_short(cases[i].name, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].want);
		assert_true(strlen(buf) < LCD_CELL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_short),
	};

	return (cmocka_run_group_tests_name("lcd", tests, NULL, NULL));
}
