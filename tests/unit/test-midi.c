/* Unit tests of midi.c: the byte parser, the encoder and raw transport. */

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "log.h"
#include "loop.h"
#include "midi.h"

#define MAXMSGS		64

/* Feed bytes to a parser; returns the number of messages, kept in out. */
static size_t
feed(struct midi_parser *p, const uint8_t *b, size_t n,
    struct midi_msg *out, size_t max)
{
	struct midi_msg	 msg;
	size_t		 i, got = 0;

	for (i = 0; i < n; i++) {
		memset(&msg, 0xaa, sizeof(msg));
		if (midi_parser_feed(p, b[i], &msg)) {
			assert_true(got < max);
			out[got++] = msg;
		}
	}
	return (got);
}

/* Parse bytes with a fresh parser. */
static size_t
parse(const uint8_t *b, size_t n, struct midi_msg *out, size_t max)
{
	struct midi_parser	 p;

	midi_parser_init(&p);
	return (feed(&p, b, n, out, max));
}

#define PARSE(out, ...) do {						\
	static const uint8_t	 b_[] = { __VA_ARGS__ };		\
	nmsg = parse(b_, sizeof(b_), (out), MAXMSGS);			\
} while (0)

static void
assert_msg(const struct midi_msg *m, int status, int d1, int d2)
{
	assert_int_equal(m->status, status);
	assert_int_equal(m->data1, d1);
	assert_int_equal(m->data2, d2);
}

static void
test_cc(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xb0, 0x07, 0x64);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xb0, 0x07, 0x64);
	assert_int_equal(MIDI_TYPE(&out[0]), MIDI_CC);
	assert_int_equal(MIDI_CHANNEL(&out[0]), 0);

	PARSE(out, 0xbf, 0x7f, 0x00);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xbf, 0x7f, 0x00);
	assert_int_equal(MIDI_CHANNEL(&out[0]), 15);
}

static void
test_running_status(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xb1, 0x07, 0x10, 0x08, 0x20, 0x09, 0x30, 0x0a, 0x40);
	assert_int_equal(nmsg, 4);
	assert_msg(&out[0], 0xb1, 0x07, 0x10);
	assert_msg(&out[1], 0xb1, 0x08, 0x20);
	assert_msg(&out[2], 0xb1, 0x09, 0x30);
	assert_msg(&out[3], 0xb1, 0x0a, 0x40);
}

/* Note on with velocity 0 is delivered as it is. */
static void
test_notes(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0x90, 0x3c, 0x7f, 0x80, 0x3c, 0x40, 0x92, 0x24, 0x01,
	    0x24, 0x00, 0xa3, 0x30, 0x55);
	assert_int_equal(nmsg, 5);
	assert_msg(&out[0], 0x90, 0x3c, 0x7f);
	assert_msg(&out[1], 0x80, 0x3c, 0x40);
	assert_msg(&out[2], 0x92, 0x24, 0x01);
	assert_msg(&out[3], 0x92, 0x24, 0x00);
	assert_msg(&out[4], 0xa3, 0x30, 0x55);
}

/* Program change and channel pressure have one data byte. */
static void
test_one_data_byte(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xc2, 0x05, 0x06, 0x07, 0xd3, 0x40, 0x41, 0xb0, 0x01,
	    0x02);
	assert_int_equal(nmsg, 6);
	assert_msg(&out[0], 0xc2, 0x05, 0);
	assert_msg(&out[1], 0xc2, 0x06, 0);
	assert_msg(&out[2], 0xc2, 0x07, 0);
	assert_msg(&out[3], 0xd3, 0x40, 0);
	assert_msg(&out[4], 0xd3, 0x41, 0);
	assert_msg(&out[5], 0xb0, 0x01, 0x02);
}

static void
test_pitchbend(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xe0, 0x00, 0x40, 0x7f, 0x7f, 0xe5, 0x00, 0x00);
	assert_int_equal(nmsg, 3);
	assert_msg(&out[0], 0xe0, 0x00, 0x40);
	assert_msg(&out[1], 0xe0, 0x7f, 0x7f);
	assert_msg(&out[2], 0xe5, 0x00, 0x00);
}

/* Real-time bytes disturb neither a message nor running status. */
static void
test_realtime(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xf8, 0xb0, 0xf8, 0x07, 0xfe, 0x64, 0xf8, 0xfa, 0x08,
	    0xff, 0x7f, 0xfc, 0xc1, 0xfe, 0x09, 0xf9, 0xfd, 0xfb);
	assert_int_equal(nmsg, 3);
	assert_msg(&out[0], 0xb0, 0x07, 0x64);
	assert_msg(&out[1], 0xb0, 0x08, 0x7f);
	assert_msg(&out[2], 0xc1, 0x09, 0);
}

/* SysEx is skipped and cancels running status. */
static void
test_sysex_short(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xb0, 0x01, 0x02, 0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7,
	    0x03, 0x04, 0x90, 0x40, 0x7f);
	assert_int_equal(nmsg, 2);
	assert_msg(&out[0], 0xb0, 0x01, 0x02);
	assert_msg(&out[1], 0x90, 0x40, 0x7f);

	/* Real-time inside SysEx, and an empty SysEx. */
	PARSE(out, 0xf0, 0x01, 0xf8, 0x02, 0xf7, 0xf0, 0xf7, 0xb2, 0x03,
	    0x04);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xb2, 0x03, 0x04);
}

/* A SysEx of a million bytes needs no memory and yields nothing. */
static void
test_sysex_long(void **state)
{
	struct midi_parser	 p;
	struct midi_msg		 msg;
	uint32_t		 i;
	int			 got = 0;

	(void)state;
	midi_parser_init(&p);
	assert_int_equal(midi_parser_feed(&p, 0xb0, &msg), 0);
	assert_int_equal(midi_parser_feed(&p, 0xf0, &msg), 0);
	for (i = 0; i < 1000000; i++)
		got += midi_parser_feed(&p, i & 0x7f, &msg);
	assert_int_equal(got, 0);
	/* Still in SysEx, with running status gone. */
	assert_int_not_equal(p.skip, 0);
	assert_int_equal(p.status, 0);
	assert_int_equal(midi_parser_feed(&p, 0xf7, &msg), 0);
	assert_int_equal(p.skip, 0);
	assert_int_equal(midi_parser_feed(&p, 0x90, &msg), 0);
	assert_int_equal(midi_parser_feed(&p, 0x3c, &msg), 0);
	assert_int_equal(midi_parser_feed(&p, 0x7f, &msg), 1);
	assert_msg(&msg, 0x90, 0x3c, 0x7f);
}

/* A channel status ends SysEx and starts a message. */
static void
test_sysex_channel_status(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xf0, 0x01, 0x02, 0x03, 0xb0, 0x07, 0x10, 0x08, 0x11);
	assert_int_equal(nmsg, 2);
	assert_msg(&out[0], 0xb0, 0x07, 0x10);
	assert_msg(&out[1], 0xb0, 0x08, 0x11);

	/* A system common status ends it too, and skips its own data. */
	PARSE(out, 0xf0, 0x01, 0xf3, 0x05, 0x06, 0x07, 0xc0, 0x08);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xc0, 0x08, 0);
}

/* System common data is not taken for running-status data. */
static void
test_system_common(void **state)
{
	struct midi_parser	 p;
	struct midi_msg		 out[MAXMSGS], msg;
	size_t			 nmsg;

	(void)state;
	PARSE(out, 0xb0, 0x07, 0x10, 0xf2, 0x05, 0x06, 0x08, 0x20, 0xb0,
	    0x09, 0x30);
	assert_int_equal(nmsg, 2);
	assert_msg(&out[0], 0xb0, 0x07, 0x10);
	assert_msg(&out[1], 0xb0, 0x09, 0x30);

	/* Each of F1, F3, F4, F5, F6 cancels running status. */
	PARSE(out, 0x90, 0x01, 0x02, 0xf1, 0x03, 0x04, 0x05,
	    0x91, 0x01, 0x02, 0xf3, 0x03, 0x04, 0x05,
	    0x92, 0x01, 0x02, 0xf4, 0x03, 0x04,
	    0x93, 0x01, 0x02, 0xf5, 0x03, 0x04,
	    0x94, 0x01, 0x02, 0xf6, 0x03, 0x04);
	assert_int_equal(nmsg, 5);
	assert_msg(&out[0], 0x90, 0x01, 0x02);
	assert_msg(&out[1], 0x91, 0x01, 0x02);
	assert_msg(&out[2], 0x92, 0x01, 0x02);
	assert_msg(&out[3], 0x93, 0x01, 0x02);
	assert_msg(&out[4], 0x94, 0x01, 0x02);

	/* The parser counts the data it skips. */
	midi_parser_init(&p);
	assert_int_equal(midi_parser_feed(&p, 0xf2, &msg), 0);
	assert_int_equal(p.skip, 2);
	assert_int_equal(midi_parser_feed(&p, 0x05, &msg), 0);
	assert_int_equal(p.skip, 1);
	assert_int_equal(midi_parser_feed(&p, 0x06, &msg), 0);
	assert_int_equal(p.skip, 0);
	assert_int_equal(p.status, 0);

	/* A system common message cut short by a channel status. */
	PARSE(out, 0xf2, 0x05, 0xb3, 0x01, 0x02);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xb3, 0x01, 0x02);
}

/* Data bytes before any status are dropped. */
static void
test_stray_data(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0x01, 0x02, 0x03, 0x7f, 0xb0, 0x01, 0x02);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xb0, 0x01, 0x02);
}

/* An EOX outside SysEx changes nothing. */
static void
test_stray_eox(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xf7, 0xb0, 0x07, 0xf7, 0x10, 0x08, 0x11);
	assert_int_equal(nmsg, 2);
	assert_msg(&out[0], 0xb0, 0x07, 0x10);
	assert_msg(&out[1], 0xb0, 0x08, 0x11);
}

/* A status byte in the middle of a message drops the partial message. */
static void
test_interrupted(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xb0, 0x07, 0x90, 0x3c, 0x7f, 0x3d, 0xc0, 0x05);
	assert_int_equal(nmsg, 2);
	assert_msg(&out[0], 0x90, 0x3c, 0x7f);
	assert_msg(&out[1], 0xc0, 0x05, 0);

	/* The same status again restarts the message. */
	PARSE(out, 0xb0, 0x07, 0xb0, 0x08, 0x09);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xb0, 0x08, 0x09);
}

/* A message cut off by the end of input yields nothing. */
static void
test_truncated(void **state)
{
	struct midi_msg	 out[MAXMSGS];
	size_t		 nmsg;

	(void)state;
	PARSE(out, 0xb0, 0x07);
	assert_int_equal(nmsg, 0);
	PARSE(out, 0xe0);
	assert_int_equal(nmsg, 0);
	PARSE(out, 0xb0, 0x07, 0x01, 0x08);
	assert_int_equal(nmsg, 1);
	assert_msg(&out[0], 0xb0, 0x07, 0x01);
}

static void
test_datalen(void **state)
{
	int	 s;

	(void)state;
	for (s = 0; s < 256; s++) {
		if (s < 0x80 || s >= 0xf0)
			assert_int_equal(midi_msg_datalen(s), 0);
		else if ((s & 0xf0) == 0xc0 || (s & 0xf0) == 0xd0)
			assert_int_equal(midi_msg_datalen(s), 1);
		else
			assert_int_equal(midi_msg_datalen(s), 2);
	}
}

/* Every channel message type and channel survives encode and parse. */
static void
test_roundtrip(void **state)
{
	static const int	 vals[] = { 0, 1, 0x3f, 0x40, 0x7e, 0x7f };
	struct midi_parser	 p;
	struct midi_msg		 in, out[MAXMSGS];
	uint8_t			 buf[4];
	size_t			 len, nmsg;
	int			 type, ch, i, j, one;

	(void)state;
	midi_parser_init(&p);
	for (type = 0x80; type <= 0xe0; type += 0x10) {
		one = type == MIDI_PROGRAM || type == MIDI_CHAN_AT;
		for (ch = 0; ch < 16; ch++) {
			for (i = 0; i < (int)nitems(vals); i++) {
				for (j = 0; j < (int)nitems(vals); j++) {
					in.status = type | ch;
					in.data1 = vals[i];
					in.data2 = one ? 0 : vals[j];
					memset(buf, 0xee, sizeof(buf));
					len = midi_msg_encode(&in, buf);
					assert_int_equal(len, one ? 2 : 3);
					assert_int_equal(buf[0], type | ch);
					assert_int_equal(buf[1], vals[i]);
					assert_int_equal(buf[len], 0xee);
					nmsg = feed(&p, buf, len, out,
					    MAXMSGS);
					assert_int_equal(nmsg, 1);
					assert_memory_equal(&out[0], &in,
					    sizeof(in));
				}
			}
		}
	}
}

/* Bad status bytes encode to nothing; data is cut to 7 bits. */
static void
test_encode_bad(void **state)
{
	static const uint8_t	 bad[] = { 0x00, 0x7f, 0xf0, 0xf2, 0xf7,
	    0xf8, 0xff };
	struct midi_msg		 msg;
	uint8_t			 buf[3];
	size_t			 i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		msg.status = bad[i];
		msg.data1 = msg.data2 = 1;
		assert_int_equal(midi_msg_encode(&msg, buf), 0);
	}
	msg.status = 0xb4;
	msg.data1 = 0x81;
	msg.data2 = 0xff;
	assert_int_equal(midi_msg_encode(&msg, buf), 3);
	assert_int_equal(buf[0], 0xb4);
	assert_int_equal(buf[1], 0x01);
	assert_int_equal(buf[2], 0x7f);
}

/* A fixed-seed xorshift, so garbage is the same on every run. */
static uint32_t
test_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

/* Random bytes only ever yield well-formed channel messages. */
static void
test_garbage(void **state)
{
	struct midi_parser	 p;
	struct midi_msg		 msg;
	uint32_t		 seed = 0x5ca41e77;
	int			 i, n = 0;

	(void)state;
	midi_parser_init(&p);
	for (i = 0; i < 100000; i++) {
		memset(&msg, 0, sizeof(msg));
		if (!midi_parser_feed(&p, test_rand(&seed) & 0xff, &msg))
			continue;
		n++;
		assert_in_range(msg.status, 0x80, 0xef);
		assert_in_range(msg.data1, 0, 127);
		assert_in_range(msg.data2, 0, 127);
		if (midi_msg_datalen(msg.status) == 1)
			assert_int_equal(msg.data2, 0);
	}
	/* Half the bytes are data, so messages must come out. */
	assert_true(n > 1000);
}

/* Every channel message survives the trip through a sequencer event. */
static void
test_seq_roundtrip(void **state)
{
	static const int	 vals[] = { 0, 1, 0x40, 0x7f };
	snd_seq_event_t		 ev;
	struct midi_msg		 in, out;
	int			 type, ch, i, j, one;

	(void)state;
	for (type = 0x80; type <= 0xe0; type += 0x10) {
		one = type == MIDI_PROGRAM || type == MIDI_CHAN_AT;
		for (ch = 0; ch < 16; ch++) {
			for (i = 0; i < (int)nitems(vals); i++) {
				for (j = 0; j < (int)nitems(vals); j++) {
					in.status = type | ch;
					in.data1 = vals[i];
					in.data2 = one ? 0 : vals[j];
					memset(&ev, 0, sizeof(ev));
					assert_int_equal(midi_seq_encode(&in,
					    &ev), 1);
					memset(&out, 0xaa, sizeof(out));
					assert_int_equal(midi_seq_decode(&ev,
					    &out), 1);
					assert_memory_equal(&out, &in,
					    sizeof(in));
				}
			}
		}
	}
}

/* The events themselves, as ALSA defines them. */
static void
test_seq_events(void **state)
{
	snd_seq_event_t	 ev;
	struct midi_msg	 msg;

	(void)state;
	msg = (struct midi_msg){ 0xb3, 0x07, 0x64 };
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(midi_seq_encode(&msg, &ev), 1);
	assert_int_equal(ev.type, SND_SEQ_EVENT_CONTROLLER);
	assert_int_equal(ev.data.control.channel, 3);
	assert_int_equal(ev.data.control.param, 7);
	assert_int_equal(ev.data.control.value, 100);

	msg = (struct midi_msg){ 0x9f, 0x3c, 0x00 };
	assert_int_equal(midi_seq_encode(&msg, &ev), 1);
	assert_int_equal(ev.type, SND_SEQ_EVENT_NOTEON);
	assert_int_equal(ev.data.note.channel, 15);
	assert_int_equal(ev.data.note.note, 0x3c);
	assert_int_equal(ev.data.note.velocity, 0);

	msg = (struct midi_msg){ 0xc0, 0x05, 0x00 };
	assert_int_equal(midi_seq_encode(&msg, &ev), 1);
	assert_int_equal(ev.type, SND_SEQ_EVENT_PGMCHANGE);
	assert_int_equal(ev.data.control.value, 5);

	/* ALSA centres pitch bend on 0, the wire on 0x2000. */
	msg = (struct midi_msg){ 0xe1, 0x00, 0x40 };
	assert_int_equal(midi_seq_encode(&msg, &ev), 1);
	assert_int_equal(ev.type, SND_SEQ_EVENT_PITCHBEND);
	assert_int_equal(ev.data.control.channel, 1);
	assert_int_equal(ev.data.control.value, 0);
	msg = (struct midi_msg){ 0xe1, 0x00, 0x00 };
	assert_int_equal(midi_seq_encode(&msg, &ev), 1);
	assert_int_equal(ev.data.control.value, -8192);
	msg = (struct midi_msg){ 0xe1, 0x7f, 0x7f };
	assert_int_equal(midi_seq_encode(&msg, &ev), 1);
	assert_int_equal(ev.data.control.value, 8191);
	msg = (struct midi_msg){ 0xe1, 0x01, 0x00 };
	assert_int_equal(midi_seq_encode(&msg, &ev), 1);
	assert_int_equal(ev.data.control.value, -8191);

	/* Values out of range from software clients are clamped. */
	ev.data.control.value = 9000;
	assert_int_equal(midi_seq_decode(&ev, &msg), 1);
	assert_msg(&msg, 0xe1, 0x7f, 0x7f);
	ev.data.control.value = -9000;
	assert_int_equal(midi_seq_decode(&ev, &msg), 1);
	assert_msg(&msg, 0xe1, 0x00, 0x00);
	memset(&ev, 0, sizeof(ev));
	ev.type = SND_SEQ_EVENT_CONTROLLER;
	ev.data.control.channel = 2;
	ev.data.control.param = 1;
	ev.data.control.value = 300;
	assert_int_equal(midi_seq_decode(&ev, &msg), 1);
	assert_msg(&msg, 0xb2, 0x01, 0x7f);
	ev.data.control.value = -1;
	assert_int_equal(midi_seq_decode(&ev, &msg), 1);
	assert_msg(&msg, 0xb2, 0x01, 0x00);

	/* No equivalent either way. */
	ev.type = SND_SEQ_EVENT_PORT_START;
	assert_int_equal(midi_seq_decode(&ev, &msg), 0);
	ev.type = SND_SEQ_EVENT_SYSEX;
	assert_int_equal(midi_seq_decode(&ev, &msg), 0);
	ev.type = SND_SEQ_EVENT_CONTROL14;
	assert_int_equal(midi_seq_decode(&ev, &msg), 0);
	msg = (struct midi_msg){ 0xf8, 0x00, 0x00 };
	assert_int_equal(midi_seq_encode(&msg, &ev), 0);
}

/* What the raw transport tests share. */
struct ctx {
	char		 dir[64];
	char		 in[96];
	char		 out[96];
	struct loop	*loop;
	struct midi	*midi;
	struct watch	*timer;
	struct midi_msg	 msgs[MAXMSGS];
	size_t		 nmsgs;
	int		 drained;
	int		 connected;
	int		 timedout;
};

static void
ctx_msg_cb(const struct midi_msg *msg, void *arg)
{
	struct ctx	*ctx = arg;

	assert_true(ctx->nmsgs < MAXMSGS);
	ctx->msgs[ctx->nmsgs++] = *msg;
}

static void
ctx_drained_cb(void *arg)
{
	struct ctx	*ctx = arg;

	ctx->drained++;
	loop_exit(ctx->loop);
}

static void
ctx_connected_cb(uint32_t surfaces, void *arg)
{
	struct ctx	*ctx = arg;

	(void)surfaces;
	ctx->connected++;
}

static const struct midi_ops ctx_ops = {
	.msg = ctx_msg_cb,
	.drained = ctx_drained_cb,
	.connected = ctx_connected_cb,
};

static void
ctx_timeout_cb(void *arg)
{
	struct ctx	*ctx = arg;

	ctx->timer = NULL;
	ctx->timedout = 1;
	loop_exit(ctx->loop);
}

/* Run the loop until a drain or until ms milliseconds passed. */
static void
ctx_run(struct ctx *ctx, unsigned int ms)
{
	ctx->timedout = 0;
	ctx->timer = loop_add_timer(ctx->loop, ms, ctx_timeout_cb, ctx);
	assert_non_null(ctx->timer);
	assert_int_equal(loop_run(ctx->loop), 0);
	loop_del(ctx->timer);
	ctx->timer = NULL;
}

/* Count the open file descriptors of this process. */
static int
count_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	d = opendir("/proc/self/fd");
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			n++;
	}
	closedir(d);
	return (n);
}

static int
ctx_setup(void **state)
{
	struct ctx	*ctx;
	const char	*tmp;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return (-1);
	if ((tmp = getenv("TMPDIR")) == NULL || strlen(tmp) > 30)
		tmp = "/tmp";
	snprintf(ctx->dir, sizeof(ctx->dir), "%s/test-midi.XXXXXX", tmp);
	if (mkdtemp(ctx->dir) == NULL)
		return (-1);
	snprintf(ctx->in, sizeof(ctx->in), "%s/in", ctx->dir);
	snprintf(ctx->out, sizeof(ctx->out), "%s/out", ctx->dir);
	ctx->loop = loop_create();
	ctx->midi = midi_create(ctx->loop, &ctx_ops, ctx);
	*state = ctx;
	return (0);
}

static int
ctx_teardown(void **state)
{
	struct ctx	*ctx = *state;

	midi_free(ctx->midi);
	loop_free(ctx->loop);
	unlink(ctx->in);
	unlink(ctx->out);
	rmdir(ctx->dir);
	free(ctx);
	return (0);
}

/* Write all bytes to an fd. */
static void
write_all(int fd, const uint8_t *b, size_t n)
{
	assert_int_equal(write(fd, b, n), (ssize_t)n);
}

/* Raw input from a FIFO: messages, one drain, and no EOF on close. */
static void
test_raw_fifo_in(void **state)
{
	static const uint8_t	 b1[] = { 0xb0, 0x07, 0x64, 0x08, 0x65,
	    0x90, 0x3c, 0x7f, 0xf8, 0xc1, 0x05, 0xe2 };
	static const uint8_t	 b2[] = { 0x00, 0x40, 0xb3, 0x01, 0x02 };
	struct ctx		*ctx = *state;
	int			 fd;

	assert_int_equal(mkfifo(ctx->in, 0600), 0);
	assert_int_equal(midi_open_raw(ctx->midi, ctx->in, NULL), 0);
	assert_int_equal(midi_open_raw(ctx->midi, ctx->in, NULL), -EBUSY);

	fd = open(ctx->in, O_WRONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	write_all(fd, b1, sizeof(b1));
	ctx_run(ctx, 5000);
	assert_int_equal(ctx->timedout, 0);
	assert_int_equal(ctx->drained, 1);
	assert_int_equal(ctx->nmsgs, 4);
	assert_msg(&ctx->msgs[0], 0xb0, 0x07, 0x64);
	assert_msg(&ctx->msgs[1], 0xb0, 0x08, 0x65);
	assert_msg(&ctx->msgs[2], 0x90, 0x3c, 0x7f);
	assert_msg(&ctx->msgs[3], 0xc1, 0x05, 0);

	/* The writer goes away: no end of file, no spinning. */
	close(fd);
	ctx_run(ctx, 100);
	assert_int_equal(ctx->timedout, 1);
	assert_int_equal(ctx->drained, 1);

	/* A new writer finishes the message the old one started. */
	fd = open(ctx->in, O_WRONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	write_all(fd, b2, sizeof(b2));
	ctx_run(ctx, 5000);
	assert_int_equal(ctx->timedout, 0);
	assert_int_equal(ctx->drained, 2);
	assert_int_equal(ctx->nmsgs, 6);
	assert_msg(&ctx->msgs[4], 0xe2, 0x00, 0x40);
	assert_msg(&ctx->msgs[5], 0xb3, 0x01, 0x02);
	close(fd);
}

/* More than one read's worth of input is drained in one pass. */
static void
test_raw_big_input(void **state)
{
	struct ctx	*ctx = *state;
	uint8_t		 b[10000];
	int		 fd;

	assert_int_equal(mkfifo(ctx->in, 0600), 0);
	assert_int_equal(midi_open_raw(ctx->midi, ctx->in, NULL), 0);
	fd = open(ctx->in, O_WRONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	/* A SysEx longer than the read buffer, then one message. */
	memset(b, 0x11, sizeof(b));
	b[0] = 0xf0;
	b[sizeof(b) - 4] = 0xf7;
	b[sizeof(b) - 3] = 0xb5;
	b[sizeof(b) - 2] = 0x06;
	b[sizeof(b) - 1] = 0x07;
	write_all(fd, b, sizeof(b));
	ctx_run(ctx, 5000);
	assert_int_equal(ctx->timedout, 0);
	assert_int_equal(ctx->drained, 1);
	assert_int_equal(ctx->nmsgs, 1);
	assert_msg(&ctx->msgs[0], 0xb5, 0x06, 0x07);
	close(fd);
}

/* Raw output to a FIFO: full status bytes, no running status. */
static void
test_raw_fifo_out(void **state)
{
	static const struct midi_msg	 msgs[] = {
		{ 0xb0, 0x07, 0x64 },
		{ 0xb0, 0x08, 0x00 },
		{ 0xc1, 0x05, 0x00 },
		{ 0xe2, 0x00, 0x40 },
		{ 0x9f, 0x3c, 0x00 },
		{ 0xf8, 0x00, 0x00 },	/* not a channel message: dropped */
		{ 0xd3, 0x7f, 0x00 },
	};
	static const uint8_t		 want[] = { 0xb0, 0x07, 0x64,
	    0xb0, 0x08, 0x00, 0xc1, 0x05, 0xe2, 0x00, 0x40, 0x9f, 0x3c, 0x00,
	    0xd3, 0x7f };
	struct ctx			*ctx = *state;
	uint8_t				 got[64];
	size_t				 i;
	int				 fd;

	assert_int_equal(mkfifo(ctx->out, 0600), 0);
	/* Nobody reads the FIFO yet, and opening it must still work. */
	assert_int_equal(midi_open_raw(ctx->midi, NULL, ctx->out), 0);
	for (i = 0; i < nitems(msgs); i++)
		midi_send(ctx->midi, &msgs[i]);
	fd = open(ctx->out, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, got, sizeof(got)), sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(read(fd, got, sizeof(got)), -1);
	assert_int_equal(errno, EAGAIN);
	close(fd);
}

/*
 * Connect messages: a SysEx goes out whole, a channel message as one,
 * and bytes that are neither (a SysEx without its F7) not at all.
 */
static void
test_raw_send_bytes(void **state)
{
	static const uint8_t	 sysex[] = { 0xf0, 0x00, 0x20, 0x29, 0x02,
	    0x11, 0x77, 0x08, 0xf7 };
	static const uint8_t	 cc[] = { 0xb0, 0x7f, 0x00 };
	static const uint8_t	 pc[] = { 0xc1, 0x03 };
	static const uint8_t	 bad[] = { 0xf0, 0x00, 0x01 };
	struct ctx		*ctx = *state;
	uint8_t			 got[64];
	int			 fd;

	assert_int_equal(mkfifo(ctx->out, 0600), 0);
	assert_int_equal(midi_open_raw(ctx->midi, NULL, ctx->out), 0);
	fd = open(ctx->out, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	midi_send_bytes_to(ctx->midi, 0, sysex, sizeof(sysex));
	midi_send_bytes_to(ctx->midi, 1, cc, sizeof(cc));
	midi_send_bytes_to(ctx->midi, 0, bad, sizeof(bad));
	midi_send_bytes_to(ctx->midi, 0, pc, sizeof(pc));
	assert_int_equal(read(fd, got, sizeof(got)), sizeof(sysex) +
	    sizeof(cc) + sizeof(pc));
	assert_memory_equal(got, sysex, sizeof(sysex));
	assert_memory_equal(got + sizeof(sysex), cc, sizeof(cc));
	assert_memory_equal(got + sizeof(sysex) + sizeof(cc), pc,
	    sizeof(pc));
	close(fd);
}

/* A full output drops whole messages, never parts of one. */
static void
test_raw_out_full(void **state)
{
	struct ctx	*ctx = *state;
	struct midi_msg	 msg;
	uint8_t		 buf[4096];
	ssize_t		 n;
	size_t		 total = 0, j;
	int		 fd, i;

	assert_int_equal(mkfifo(ctx->out, 0600), 0);
	assert_int_equal(midi_open_raw(ctx->midi, NULL, ctx->out), 0);
	fd = open(ctx->out, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	/* Far more than a pipe holds (64 KiB by default). */
	for (i = 0; i < 200000; i++) {
		msg.status = 0xb0 | (i & 0x0f);
		msg.data1 = i & 0x7f;
		msg.data2 = (i >> 7) & 0x7f;
		midi_send(ctx->midi, &msg);
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (j = 0; j < (size_t)n; j++) {
			if ((total + j) % 3 == 0)
				assert_int_equal(buf[j] & 0xf0, 0xb0);
			else
				assert_true(buf[j] < 0x80);
		}
		total += n;
	}
	assert_int_equal(n, -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(total % 3, 0);
	assert_true(total > 0 && total < 200000 * 3);

	/* Once read, the output works again. */
	msg.status = 0xc9;
	msg.data1 = 0x11;
	midi_send(ctx->midi, &msg);
	assert_int_equal(read(fd, buf, sizeof(buf)), 2);
	assert_int_equal(buf[0], 0xc9);
	assert_int_equal(buf[1], 0x11);
	close(fd);
}

/*
 * A regular file, which epoll cannot watch (a captured stream), is read
 * to its end once the loop runs, then closed; so is /dev/null.
 */
static void
test_raw_file_in(void **state)
{
	static const uint8_t	 b[] = { 0xb0, 0x07, 0x64, 0x08, 0x65,
	    0xf0, 0x11, 0xf7, 0x90, 0x3c, 0x7f };
	struct ctx		*ctx = *state;
	int			 fd, nfds;

	nfds = count_fds();
	fd = open(ctx->in, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	write_all(fd, b, sizeof(b));
	close(fd);
	assert_int_equal(midi_open_raw(ctx->midi, ctx->in, NULL), 0);
	assert_int_equal(ctx->nmsgs, 0);
	ctx_run(ctx, 5000);
	assert_int_equal(ctx->timedout, 0);
	assert_int_equal(ctx->drained, 1);
	assert_int_equal(ctx->nmsgs, 3);
	assert_msg(&ctx->msgs[0], 0xb0, 0x07, 0x64);
	assert_msg(&ctx->msgs[1], 0xb0, 0x08, 0x65);
	assert_msg(&ctx->msgs[2], 0x90, 0x3c, 0x7f);
	/* Read and closed: the loop goes on, nothing is left open. */
	ctx_run(ctx, 100);
	assert_int_equal(ctx->timedout, 1);
	assert_int_equal(count_fds(), nfds);

	assert_int_equal(midi_open_raw(ctx->midi, "/dev/null", NULL), 0);
	ctx_run(ctx, 5000);
	assert_int_equal(ctx->timedout, 0);
	assert_int_equal(ctx->drained, 2);
	assert_int_equal(ctx->nmsgs, 3);
	ctx_run(ctx, 100);
	assert_int_equal(count_fds(), nfds);
}

/* Failed opens return -errno and leave nothing open. */
static void
test_raw_open_errors(void **state)
{
	struct ctx	*ctx = *state;
	char		 missing[128];
	int		 fd, nfds;

	nfds = count_fds();
	snprintf(missing, sizeof(missing), "%s/missing", ctx->dir);
	assert_int_equal(midi_open_raw(ctx->midi, missing, NULL), -ENOENT);
	assert_int_equal(midi_open_raw(ctx->midi, NULL, missing), -ENOENT);

	/* The input opens, the output does not: the input is closed. */
	assert_int_equal(mkfifo(ctx->in, 0600), 0);
	assert_int_equal(midi_open_raw(ctx->midi, ctx->in, missing),
	    -ENOENT);
	assert_int_equal(count_fds(), nfds);

	/* Nothing stayed half-open, so both open now. */
	fd = open(ctx->out, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(midi_open_raw(ctx->midi, ctx->in, ctx->out), 0);
	assert_int_equal(count_fds(), nfds + 2);
	midi_free(ctx->midi);
	ctx->midi = NULL;
	assert_int_equal(count_fds(), nfds);
}

/* A terminal that hangs up ends the input, once, and the loop goes on. */
static void
test_raw_tty_eof(void **state)
{
	static const uint8_t	 b[] = { 0xb0, 0x07, 0x64, 0xf8, 0x90, 0x3c,
	    0x7f };
	struct ctx		*ctx = *state;
	struct termios		 t;
	char			 errs[512], *pts;
	FILE			*tmp;
	size_t			 n;
	int			 master, slave, saved;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	assert_non_null(pts = ptsname(master));
	/* Raw mode, so the line discipline passes bytes untouched. */
	slave = open(pts, O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	assert_int_equal(tcgetattr(slave, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(slave, TCSANOW, &t), 0);
	assert_int_equal(midi_open_raw(ctx->midi, pts, NULL), 0);
	close(slave);

	write_all(master, b, sizeof(b));
	ctx_run(ctx, 5000);
	assert_int_equal(ctx->timedout, 0);
	assert_int_equal(ctx->nmsgs, 2);
	assert_msg(&ctx->msgs[0], 0xb0, 0x07, 0x64);
	assert_msg(&ctx->msgs[1], 0x90, 0x3c, 0x7f);

	/* Hang up; what is logged goes into errs. */
	tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	close(master);
	ctx->drained = 0;
	ctx_run(ctx, 5000);
	assert_int_equal(ctx->timedout, 0);
	assert_int_equal(ctx->drained, 1);
	/* The input is closed: nothing wakes the loop any more. */
	ctx_run(ctx, 100);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(errs, 1, sizeof(errs) - 1, tmp);
	errs[n] = '\0';
	fclose(tmp);
	assert_int_equal(ctx->timedout, 1);
	assert_int_equal(ctx->drained, 1);
	assert_int_equal(ctx->nmsgs, 2);
	/* One line, naming the terminal. */
	assert_non_null(strstr(errs, pts));
	assert_non_null(strchr(errs, '\n'));
	assert_ptr_equal(strchr(errs, '\n'), errs + n - 1);
}

/* Operations with no callbacks, and calls with nothing open. */
static void
test_null_ops(void **state)
{
	static const uint8_t	 b[] = { 0xb0, 0x07, 0x64 };
	static const struct midi_ops	 none = { NULL, NULL, NULL, NULL };
	struct ctx		*ctx = *state;
	struct midi		*m;
	struct midi_msg		 msg = { 0xb0, 1, 2 };
	int			 fd;

	midi_free(NULL);
	m = midi_create(ctx->loop, &none, NULL);
	midi_send(m, &msg);
	assert_int_equal(midi_connect(m, "X-TOUCH", 0), -ENOTCONN);
	assert_int_equal(mkfifo(ctx->in, 0600), 0);
	assert_int_equal(midi_open_raw(m, ctx->in, NULL), 0);
	fd = open(ctx->in, O_WRONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	write_all(fd, b, sizeof(b));
	/* Nothing calls loop_exit: the timer ends the run. */
	ctx_run(ctx, 100);
	assert_int_equal(ctx->timedout, 1);
	assert_int_equal(ctx->nmsgs, 0);
	close(fd);
	midi_free(m);
}

/*
 * The sequencer.  Without one (no sound here) the open must fail cleanly;
 * automake's TAP driver counts cmocka's "not ok # SKIP" as a failure.
 */
static void
test_seq(void **state)
{
	struct ctx	*ctx = *state;
	struct midi_msg	 msg = { 0xb0, 1, 2 };
	int		 err;

	err = midi_open_seq(ctx->midi);
	if (access("/dev/snd/seq", R_OK | W_OK) == -1) {
		assert_true(err < 0);
		assert_int_equal(midi_connect(ctx->midi, "X-TOUCH", 0),
		    -ENOTCONN);
		midi_send(ctx->midi, &msg);
		/* It failed cleanly, so it may be tried again. */
		assert_int_equal(midi_open_seq(ctx->midi), err);
	} else {
		assert_int_equal(err, 0);
		assert_int_equal(midi_open_seq(ctx->midi), -EBUSY);
		assert_int_equal(midi_connect(ctx->midi,
		    "no such port, surely 8c1e2f", 0), 0);
		midi_send(ctx->midi, &msg);
	}
	midi_free(ctx->midi);
	ctx->midi = NULL;
	/* alsa-lib caches its configuration; let valgrind see it freed. */
	snd_config_update_free_global();
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_cc),
		cmocka_unit_test(test_running_status),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_one_data_byte),
		cmocka_unit_test(test_pitchbend),
		cmocka_unit_test(test_realtime),
		cmocka_unit_test(test_sysex_short),
		cmocka_unit_test(test_sysex_long),
		cmocka_unit_test(test_sysex_channel_status),
		cmocka_unit_test(test_system_common),
		cmocka_unit_test(test_stray_data),
		cmocka_unit_test(test_stray_eox),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_datalen),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_encode_bad),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_seq_roundtrip),
		cmocka_unit_test(test_seq_events),
		cmocka_unit_test_setup_teardown(test_raw_fifo_in,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_raw_big_input,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_raw_fifo_out,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_raw_out_full,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_raw_send_bytes,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_raw_file_in,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_raw_open_errors,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_raw_tty_eof,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_null_ops,
		    ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_seq,
		    ctx_setup, ctx_teardown),
	};

	log_init(1, LOG_DAEMON);
	return (cmocka_run_group_tests_name("midi", tests, NULL, NULL));
}
