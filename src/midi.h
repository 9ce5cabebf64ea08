/*
 * MIDI in and out: the ALSA sequencer client and the raw byte transport.
 *
 * Both deliver channel voice messages as struct midi_msg and send feedback
 * the same way, so nothing above this module knows where MIDI came from.
 */

#ifndef MIDI_H
#define MIDI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct loop;
struct snd_seq_event;

/* One channel voice message, as on the wire. */
struct midi_msg {
	uint8_t		status;		/* 0x80..0xef: type | channel */
	uint8_t		data1;		/* 0..127 */
	uint8_t		data2;		/* 0..127; 0 for 1-byte messages */
};

#define MIDI_TYPE(m)	((m)->status & 0xf0)
#define MIDI_CHANNEL(m)	((m)->status & 0x0f)

#define MIDI_NOTE_OFF	0x80
#define MIDI_NOTE_ON	0x90
#define MIDI_POLY_AT	0xa0
#define MIDI_CC		0xb0
#define MIDI_PROGRAM	0xc0
#define MIDI_CHAN_AT	0xd0
#define MIDI_PITCHBEND	0xe0

/*
 * A raw MIDI byte stream parser.  It keeps running status, lets real-time
 * bytes pass inside a message without disturbing it, skips system common
 * messages and SysEx of any length without buffering them, and resyncs on
 * stray data bytes.
 */
struct midi_parser {
	uint8_t		status;		/* running status, 0 if none */
	uint8_t		data[2];
	uint8_t		have;		/* data bytes collected */
	uint8_t		need;		/* data bytes the status wants */
	uint8_t		skip;		/* in SysEx or system common data */
};

void	midi_parser_init(struct midi_parser *);
/* Feed one byte; returns 1 and fills the message when one is complete. */
int	midi_parser_feed(struct midi_parser *, uint8_t, struct midi_msg *);
/* Encode a message; returns its length (2 or 3) or 0 if status is bad. */
size_t	midi_msg_encode(const struct midi_msg *, uint8_t *);
/* Bytes of data a channel status wants (1 or 2), 0 if not a channel msg. */
int	midi_msg_datalen(uint8_t);
/*
 * Convert an ALSA sequencer event to a message and back (only the type,
 * channel and data; the caller addresses the event).  Both return 1, or
 * 0 if there is no equivalent.
 */
int	midi_seq_decode(const struct snd_seq_event *, struct midi_msg *);
int	midi_seq_encode(const struct midi_msg *, struct snd_seq_event *);

struct midi;

/* What the owner of a struct midi is told. */
struct midi_ops {
	/* A message arrived. */
	void	(*msg)(const struct midi_msg *, void *);
	/* All input available now was delivered: time to flush work. */
	void	(*drained)(void *);
	/*
	 * Ports of some surfaces (bits of midi_surface()) connected: time to
	 * send them their connect messages and the full state.
	 */
	void	(*connected)(uint32_t, void *);
	/*
	 * The sequencer lost input (its pool overran): time to send the
	 * surfaces the full state, the card's values.
	 */
	void	(*overrun)(void *);
};

struct midi	*midi_create(struct loop *, const struct midi_ops *, void *);
void		 midi_free(struct midi *);

/*
 * Open the sequencer as client "scarlett-midi" with one input and one
 * output port.  Returns 0 or -errno.
 */
int		 midi_open_seq(struct midi *);
/*
 * Connect the ports whose "client:port" names match the pattern (a
 * case-insensitive substring, or a glob of the whole name if it has *, ?
 * or [): their output to our input, our output to their input.  Only
 * hardware ports, unless software is set; never our own client nor
 * another scarlett-midi.  Ports that appear later, or are renamed to a
 * match, are connected then.  Returns the number of ports of the
 * pattern's surface, or -errno.
 */
int		 midi_connect(struct midi *, const char *, int);
/* Reload: replace the patterns with those connected between the two. */
void		 midi_replace_begin(struct midi *);
void		 midi_replace_end(struct midi *);
/*
 * Call back with every port a pattern matches, and whether it would be
 * connected; returns how many, or -errno.
 */
int		 midi_match(struct midi *, const char *, int,
		     void (*)(const char *, int, void *), void *);

/*
 * Read raw MIDI bytes from one path and write feedback to another (FIFO,
 * tty, rawmidi node).  Either may be NULL.  Returns 0 or -errno.
 */
int		 midi_open_raw(struct midi *, const char *, const char *);

/* Print the surfaces, their ports and the raw files, for status. */
void		 midi_print(const struct midi *, FILE *);

/* Send a message to every output.  Failures are logged, never fatal. */
void		 midi_send(struct midi *, const struct midi_msg *);

/*
 * Surfaces: each pattern given to midi_surface_add() or midi_connect()
 * names one, as a bit; midi_surface() finds it (0 for a pattern never
 * given).
 * midi_source() tells, inside the msg callback, which surfaces the
 * message came from (0: unknown, or raw MIDI); midi_send_to() sends to
 * the ports of some surfaces only (0: to every output).  Feedback goes
 * only to ports whose subscription to our output stands: a surface
 * disconnected by hand gets nothing until it is connected again.
 */
uint32_t	 midi_surface(const struct midi *, const char *, int);
uint32_t	 midi_surface_add(struct midi *, const char *, int);
uint32_t	 midi_source(const struct midi *);
uint32_t	 midi_surfaces(const struct midi *);
int		 midi_connected_to(const struct midi *, uint32_t);
void		 midi_send_to(struct midi *, uint32_t, const struct midi_msg *);
/*
 * The same for the bytes of one message: a whole SysEx (F0 ... F7) or a
 * channel message.
 */
void		 midi_send_bytes_to(struct midi *, uint32_t, const uint8_t *,
		    size_t);

#endif
