/* libFuzzer target: the raw MIDI byte parser, midi_parser_feed(). */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "midi.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Feed every byte to one parser.  Each message it returns must be a
 * channel voice message with 7-bit data, and must come back unchanged
 * when encoded and parsed again by a fresh parser.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct midi_parser	 p, q;
	struct midi_msg		 msg, again;
	uint8_t			 buf[3];
	size_t			 i, j, len;
	int			 got;

	midi_parser_init(&p);
	for (i = 0; i < size; i++) {
		if (!midi_parser_feed(&p, data[i], &msg))
			continue;
		if (msg.status < 0x80 || msg.status >= 0xf0 ||
		    msg.data1 > 0x7f || msg.data2 > 0x7f)
			abort();
		if (midi_msg_datalen(msg.status) == 1 && msg.data2 != 0)
			abort();
		if ((len = midi_msg_encode(&msg, buf)) == 0)
			abort();
		midi_parser_init(&q);
		got = 0;
		for (j = 0; j < len; j++)
			got += midi_parser_feed(&q, buf[j], &again);
		if (got != 1 || again.status != msg.status ||
		    again.data1 != msg.data1 || again.data2 != msg.data2)
			abort();
	}
	return (0);
}
