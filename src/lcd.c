/* Mackie Control LCD bytes: text at a place of the display, short names. */

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "lcd.h"

/*
 * Make the SysEx that writes n characters of text at position pos of
 * the display (0-55 the top line, 56-111 the bottom): F0 00 00 66 dev 12
 * pos text F7, as the Logic Control MIDI implementation gives it and
 * Ardour's libs/surfaces/mackie/surface.cc sends it.  Characters the
 * display has not (outside ASCII 0x20-0x7e) become spaces.  Returns the
 * length, at most LCD_SYSEX_MAX, or 0 if the text does not fit.
 */
size_t
lcd_write(uint8_t dev, unsigned int pos, const char *text, size_t n,
    uint8_t *out)
{
	size_t	 i, len = 0;

	if (pos + n > 2 * LCD_WIDTH)
		return (0);
	out[len++] = 0xf0;
	out[len++] = 0x00;
	out[len++] = 0x00;
	out[len++] = 0x66;
	out[len++] = dev & 0x7f;
	out[len++] = 0x12;
	out[len++] = pos;
	for (i = 0; i < n; i++)
		out[len++] = text[i] >= 0x20 && text[i] <= 0x7e ? text[i] : ' ';
	out[len++] = 0xf7;
	return (len);
}

/*
 * Write one strip's cell of a line (0 top, 1 bottom): the text cut or
 * padded with spaces to 7 characters.
 */
size_t
lcd_cell(uint8_t dev, unsigned int strip, int line, const char *text,
    uint8_t *out)
{
	char	 cell[LCD_CELL];
	size_t	 n = strlen(text);

	if (strip >= LCD_STRIPS)
		return (0);
	memset(cell, ' ', sizeof(cell));
	memcpy(cell, text, n < sizeof(cell) ? n : sizeof(cell));
	return (lcd_write(dev, line * LCD_WIDTH + strip * LCD_CELL, cell,
	    sizeof(cell), out));
}

/* Whether a word of a control name says nothing on a strip. */
static int
lcd_filler(const char *w, size_t n)
{
	static const char	*words[] = { "Playback", "Capture", "Volume",
				    "Switch", "Enum", "Route", NULL };
	int			 i;

	for (i = 0; words[i] != NULL; i++) {
		if (strlen(words[i]) == n && strncmp(words[i], w, n) == 0)
			return (1);
	}
	return (0);
}

/*
 * A short form of a control name that fits width - 1 characters, so
 * that strips stay apart: the words that say nothing on a strip
 * (Playback, Volume, ...) and the punctuation go, then the spaces, then
 * lower-case vowels and then lower-case letters from the end, and what
 * is left is cut.  "Mix A Input 01 Playback Volume" is "MxAI01".
 */
void
lcd_short(const char *name, char *buf, size_t width)
{
	char		 s[128];
	const char	*p, *w;
	size_t		 n = 0, len, i, want = width > 1 ? width - 1 : 0;
	int		 pass;

	for (p = name; *p != '\0' && n + 1 < sizeof(s);) {
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		for (w = p; isalnum((unsigned char)*p); p++)
			;
		if (lcd_filler(w, p - w))
			continue;
		if (n > 0 && n + 1 < sizeof(s))
			s[n++] = ' ';
		for (; w < p && n + 1 < sizeof(s); w++)
			s[n++] = *w;
	}
	s[n] = '\0';
	/* Spaces, then vowels, then any lower-case letter, from the end. */
	for (pass = 0; pass < 3 && (len = strlen(s)) > want; pass++) {
		for (i = len; i-- > 0 && strlen(s) > want;) {
			if ((pass == 0 && s[i] == ' ') || (pass == 1 &&
			    strchr("aeiou", s[i]) != NULL && i > 0) ||
			    (pass == 2 && islower((unsigned char)s[i]) &&
			    i > 0))
				memmove(s + i, s + i + 1, strlen(s + i));
		}
	}
	s[want < sizeof(s) ? want : sizeof(s) - 1] = '\0';
	if (width > 0) {
		strncpy(buf, s, width - 1);
		buf[width - 1] = '\0';
	}
}
