/*
 * The Mackie Control LCD, two lines of 56 characters, 7 a strip: the
 * SysEx that writes text at a place of it, and short names that fit a
 * strip.  Pure: no I/O.
 */

#ifndef LCD_H
#define LCD_H

#include <stddef.h>
#include <stdint.h>

#define LCD_WIDTH	56	/* characters of a line */
#define LCD_CELL	7	/* characters of a strip */
#define LCD_STRIPS	8
#define LCD_MACKIE	0x14	/* the device byte of a Mackie Control */
#define LCD_EXTENDER	0x15	/* of a Mackie Control Extender */
/* The most bytes lcd_write() makes: a header of 7, the text, F7. */
#define LCD_SYSEX_MAX	(8 + 2 * LCD_WIDTH)

size_t	lcd_write(uint8_t, unsigned int, const char *, size_t, uint8_t *);
size_t	lcd_cell(uint8_t, unsigned int, int, const char *, uint8_t *);
void	lcd_short(const char *, char *, size_t);

#endif
