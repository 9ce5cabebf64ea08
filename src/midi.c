/*
 * Parse, receive and send MIDI through the ALSA sequencer or raw files.
 * It is long for one concern: both transports share the surfaces, the
 * ports and the messages, so that nothing above knows where MIDI came
 * from.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "log.h"
#include "loop.h"
#include "midi.h"
#include "xmalloc.h"

/* parser->skip while inside SysEx; smaller values count data to skip. */
#define MIDI_SKIP_SYSEX		0xff

#define MIDI_SYSEX		0xf0
#define MIDI_EOX		0xf7
#define MIDI_REALTIME		0xf8

#define MIDI_SEQ_NAME		"scarlett-midi"
#define MIDI_SEQ_IN		"scarlett-midi in"
#define MIDI_SEQ_OUT		"scarlett-midi out"

#define MIDI_READ_SIZE		4096

/*
 * The kernel's input pool for our client, in events (cells): the most it
 * allows (SNDRV_SEQ_MAX_CLIENT_EVENTS), instead of its default of 200.
 * That holds the burst of a whole surface: every control of the largest
 * ones (a Mackie Control's 130 or so) sent fifteen times over, or 250 ms
 * of 8 faders at 1000 messages per second each, the flood that overran
 * 200 cells while the loop waited for a slow card.  The cells are kernel
 * memory, about 100 KB.
 */
#define MIDI_INPUT_POOL		2000

/*
 * A connect pattern, kept to connect ports that appear later.  Its bit
 * names the surface: the ports it connected.
 */
struct midi_pattern {
	char				*pattern;
	int				 software; /* matches those too */
	int				 stale;	/* being replaced */
	uint32_t			 bit;
	TAILQ_ENTRY(midi_pattern)	 entry;
};
TAILQ_HEAD(midi_patterns, midi_pattern);

/* A port we connected, and the surfaces (pattern bits) it belongs to. */
struct midi_port {
	int		 client;
	int		 port;
	int		 writable;	/* our output is subscribed */
	uint32_t	 surfaces;
};

struct midi {
	struct loop		*loop;
	const struct midi_ops	*ops;
	void			*arg;

	/* The sequencer client, NULL if not open. */
	snd_seq_t		*seq;
	int			 seq_client;
	int			 seq_in;
	int			 seq_out;
	struct watch		**seq_watches;
	int			 seq_nwatches;
	int			 seq_lasterr;
	struct watch		*seq_reopen;	/* timer, while it is lost */
	unsigned int		 seq_tries;
	int			 seq_wanted;	/* opened once: reopen it */
	struct midi_patterns	 patterns;
	struct midi_port	*ports;
	unsigned int		 nports;
	uint32_t		 source;	/* of the message delivered */
	unsigned long long	 nmsgs;		/* messages delivered */
	unsigned long		 noverruns;	/* input overruns */

	/* The raw input, -1 if not open. */
	char			*raw_in_path;
	int			 raw_in;
	int			 raw_in_fifo;
	struct watch		*raw_in_watch;
	struct midi_parser	 parser;

	/* The raw output, -1 if not open. */
	char			*raw_out_path;
	int			 raw_out;
	int			 raw_lasterr;
	unsigned int		 raw_dropped;
};

/* Reset a parser to its state before any byte. */
void
midi_parser_init(struct midi_parser *p)
{
	memset(p, 0, sizeof(*p));
}

/* Bytes of data a channel status wants, 0 if not a channel status. */
int
midi_msg_datalen(uint8_t status)
{
	if (status < 0x80 || status >= 0xf0)
		return (0);
	switch (status & 0xf0) {
	case MIDI_PROGRAM:
	case MIDI_CHAN_AT:
		return (1);
	default:
		return (2);
	}
}

/* Data bytes that follow a system common status (0xf1..0xf6). */
static uint8_t
midi_parser_common_len(uint8_t status)
{
	switch (status) {
	case 0xf1:		/* MTC quarter frame */
	case 0xf3:		/* song select */
		return (1);
	case 0xf2:		/* song position pointer */
		return (2);
	default:		/* tune request, undefined 0xf4 and 0xf5 */
		return (0);
	}
}

/* Feed one byte; returns 1 and fills the message when one is complete. */
int
midi_parser_feed(struct midi_parser *p, uint8_t b, struct midi_msg *msg)
{
	/* Real-time bytes may come anywhere and change nothing. */
	if (b >= MIDI_REALTIME)
		return (0);

	if (b & 0x80) {
		if (b == MIDI_EOX) {
			/* A stray EOX outside SysEx is ignored entirely. */
			if (p->skip == MIDI_SKIP_SYSEX)
				p->skip = 0;
			return (0);
		}
		/* Any other status drops a partial message. */
		p->have = 0;
		if (b < 0xf0) {
			p->status = b;
			p->need = midi_msg_datalen(b);
			p->skip = 0;
		} else {
			/* SysEx and system common cancel running status. */
			p->status = 0;
			p->need = 0;
			if (b == MIDI_SYSEX)
				p->skip = MIDI_SKIP_SYSEX;
			else
				p->skip = midi_parser_common_len(b);
		}
		return (0);
	}

	if (p->skip == MIDI_SKIP_SYSEX)
		return (0);
	if (p->skip > 0) {
		p->skip--;
		return (0);
	}
	/* Data with no status to belong to is dropped until one comes. */
	if (p->status == 0)
		return (0);

	p->data[p->have++] = b;
	if (p->have < p->need)
		return (0);
	msg->status = p->status;
	msg->data1 = p->data[0];
	msg->data2 = p->need == 2 ? p->data[1] : 0;
	p->have = 0;
	return (1);
}

/*
 * Encode a message with its full status byte, never running status, so a
 * receiver can start at any message.  Data bytes are cut to 7 bits so a
 * bad value can never pass for a status byte.
 */
size_t
midi_msg_encode(const struct midi_msg *msg, uint8_t *buf)
{
	int	 len;

	if ((len = midi_msg_datalen(msg->status)) == 0)
		return (0);
	buf[0] = msg->status;
	buf[1] = msg->data1 & 0x7f;
	if (len == 1)
		return (2);
	buf[2] = msg->data2 & 0x7f;
	return (3);
}

/* Create a MIDI object with nothing open yet. */
struct midi *
midi_create(struct loop *loop, const struct midi_ops *ops, void *arg)
{
	struct midi	*m;

	m = xcalloc(1, sizeof(*m));
	m->loop = loop;
	m->ops = ops;
	m->arg = arg;
	TAILQ_INIT(&m->patterns);
	m->raw_in = -1;
	m->raw_out = -1;
	midi_parser_init(&m->parser);
	return (m);
}

/* Hand one message to the owner. */
static void
midi_deliver(struct midi *m, const struct midi_msg *msg)
{
	m->nmsgs++;
	if (m->ops != NULL && m->ops->msg != NULL)
		m->ops->msg(msg, m->arg);
}

/* Tell the owner that the input available now was delivered. */
static void
midi_drained(struct midi *m)
{
	if (m->ops != NULL && m->ops->drained != NULL)
		m->ops->drained(m->arg);
}

/* Tell the owner that input was lost: the surfaces need the card's state. */
static void
midi_overrun(struct midi *m)
{
	if (m->ops != NULL && m->ops->overrun != NULL)
		m->ops->overrun(m->arg);
}

/* Tell the owner that ports of some surfaces (bits) connected. */
static void
midi_connected(struct midi *m, uint32_t surfaces)
{
	if (m->ops != NULL && m->ops->connected != NULL)
		m->ops->connected(surfaces, m->arg);
}

/* A 0..127 data value from a sequencer value of any range. */
static uint8_t
midi_seq_clamp(int v)
{
	if (v < 0)
		return (0);
	if (v > 127)
		return (127);
	return (v);
}

/* Turn a sequencer event into a message; returns 0 if it is none. */
int
midi_seq_decode(const snd_seq_event_t *ev, struct midi_msg *msg)
{
	int	 v;

	switch (ev->type) {
	case SND_SEQ_EVENT_NOTEON:
	case SND_SEQ_EVENT_NOTEOFF:
	case SND_SEQ_EVENT_KEYPRESS:
		if (ev->type == SND_SEQ_EVENT_NOTEON)
			msg->status = MIDI_NOTE_ON;
		else if (ev->type == SND_SEQ_EVENT_NOTEOFF)
			msg->status = MIDI_NOTE_OFF;
		else
			msg->status = MIDI_POLY_AT;
		msg->status |= ev->data.note.channel & 0x0f;
		msg->data1 = ev->data.note.note & 0x7f;
		msg->data2 = ev->data.note.velocity & 0x7f;
		return (1);
	case SND_SEQ_EVENT_CONTROLLER:
		msg->status = MIDI_CC | (ev->data.control.channel & 0x0f);
		msg->data1 = ev->data.control.param & 0x7f;
		msg->data2 = midi_seq_clamp(ev->data.control.value);
		return (1);
	case SND_SEQ_EVENT_PGMCHANGE:
	case SND_SEQ_EVENT_CHANPRESS:
		msg->status = ev->type == SND_SEQ_EVENT_PGMCHANGE ?
		    MIDI_PROGRAM : MIDI_CHAN_AT;
		msg->status |= ev->data.control.channel & 0x0f;
		msg->data1 = midi_seq_clamp(ev->data.control.value);
		msg->data2 = 0;
		return (1);
	case SND_SEQ_EVENT_PITCHBEND:
		/* ALSA centres pitch bend on 0; the wire centres it on 8192. */
		v = ev->data.control.value + 8192;
		if (v < 0)
			v = 0;
		if (v > 16383)
			v = 16383;
		msg->status = MIDI_PITCHBEND |
		    (ev->data.control.channel & 0x0f);
		msg->data1 = v & 0x7f;
		msg->data2 = v >> 7;
		return (1);
	default:
		return (0);
	}
}

/* Turn a message into a sequencer event; returns 0 if it is none. */
int
midi_seq_encode(const struct midi_msg *msg, snd_seq_event_t *ev)
{
	int	 ch, d1, d2;

	ch = MIDI_CHANNEL(msg);
	d1 = msg->data1 & 0x7f;
	d2 = msg->data2 & 0x7f;
	switch (MIDI_TYPE(msg)) {
	case MIDI_NOTE_OFF:
		snd_seq_ev_set_noteoff(ev, ch, d1, d2);
		break;
	case MIDI_NOTE_ON:
		snd_seq_ev_set_noteon(ev, ch, d1, d2);
		break;
	case MIDI_POLY_AT:
		snd_seq_ev_set_keypress(ev, ch, d1, d2);
		break;
	case MIDI_CC:
		snd_seq_ev_set_controller(ev, ch, d1, d2);
		break;
	case MIDI_PROGRAM:
		snd_seq_ev_set_pgmchange(ev, ch, d1);
		break;
	case MIDI_CHAN_AT:
		snd_seq_ev_set_chanpress(ev, ch, d1);
		break;
	case MIDI_PITCHBEND:
		snd_seq_ev_set_pitchbend(ev, ch, (d1 | d2 << 7) - 8192);
		break;
	default:
		return (0);
	}
	return (1);
}

/* Close the sequencer client and stop watching it. */
static void
midi_seq_close(struct midi *m)
{
	int	 i;

	if (m->seq == NULL)
		return;
	for (i = 0; i < m->seq_nwatches; i++)
		loop_del(m->seq_watches[i]);
	free(m->seq_watches);
	m->seq_watches = NULL;
	m->seq_nwatches = 0;
	snd_seq_close(m->seq);
	m->seq = NULL;
	/* The subscriptions went with the client. */
	m->nports = 0;
}

/*
 * Whether a port's "client:port" name matches a pattern, ignoring case:
 * a glob (with *, ? or [) matches the whole name, anything else is a
 * substring of it.
 */
static int
midi_seq_match(snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo, const char *pattern)
{
	char	 name[160];

	snprintf(name, sizeof(name), "%s:%s",
	    snd_seq_client_info_get_name(cinfo),
	    snd_seq_port_info_get_name(pinfo));
	if (strpbrk(pattern, "*?[") != NULL)
		return (fnmatch(pattern, name, FNM_CASEFOLD) == 0);
	return (strcasestr(name, pattern) != NULL);
}

/* Whether a client is ourselves or another instance of us. */
static int
midi_seq_is_us(const struct midi *m, snd_seq_client_info_t *cinfo)
{
	return (snd_seq_client_info_get_client(cinfo) == m->seq_client ||
	    strncmp(snd_seq_client_info_get_name(cinfo), MIDI_SEQ_NAME,
	    strlen(MIDI_SEQ_NAME)) == 0);
}

/*
 * Whether a port may be a surface.  Never the system client, never
 * ourselves or another scarlett-midi (two instances would drive each
 * other), never a port that asks not to be exported.  And unless the
 * pattern asks for software ports, only hardware ones: snd-seq-midi
 * marks the ports of USB and serial MIDI devices HARDWARE, while Midi
 * Through, snd-virmidi and programs are SOFTWARE or APPLICATION, and
 * feedback sent to Midi Through comes straight back as input.
 */
static int
midi_seq_port_ok(const struct midi *m, snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo, int software)
{
	if (snd_seq_client_info_get_client(cinfo) == SND_SEQ_CLIENT_SYSTEM ||
	    midi_seq_is_us(m, cinfo) ||
	    (snd_seq_port_info_get_capability(pinfo) &
	    SND_SEQ_PORT_CAP_NO_EXPORT))
		return (0);
	return (software || (snd_seq_port_info_get_type(pinfo) &
	    SND_SEQ_PORT_TYPE_HARDWARE) != 0);
}

/* The surfaces (pattern bits) a port belongs to now. */
static uint32_t
midi_seq_port_bits(const struct midi *m, snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo)
{
	const struct midi_pattern	*p;
	uint32_t			 bits = 0;

	TAILQ_FOREACH(p, &m->patterns, entry) {
		if (!p->stale && midi_seq_match(cinfo, pinfo, p->pattern) &&
		    midi_seq_port_ok(m, cinfo, pinfo, p->software))
			bits |= p->bit;
	}
	return (bits);
}

/* Log a failed subscription of one port in one direction. */
static void
midi_seq_connect_fail(snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo, const char *dir, int err)
{
	log_warnx("cannot connect %s %d:%d '%s:%s': %s", dir,
	    snd_seq_port_info_get_client(pinfo),
	    snd_seq_port_info_get_port(pinfo),
	    snd_seq_client_info_get_name(cinfo),
	    snd_seq_port_info_get_name(pinfo), snd_strerror(err));
}

/* A port we connected, or NULL. */
static struct midi_port *
midi_port_find(const struct midi *m, int client, int port)
{
	unsigned int	 i;

	for (i = 0; i < m->nports; i++) {
		if (m->ports[i].client == client && m->ports[i].port == port)
			return (&m->ports[i]);
	}
	return (NULL);
}

/* Remember that a port belongs to some surfaces. */
static void
midi_port_add(struct midi *m, int client, int port, int writable,
    uint32_t bits)
{
	struct midi_port	*mp;

	if ((mp = midi_port_find(m, client, port)) != NULL) {
		mp->surfaces = bits;
		mp->writable |= writable;
		return;
	}
	m->ports = xreallocarray(m->ports, m->nports + 1, sizeof(*m->ports));
	m->ports[m->nports++] = (struct midi_port){ client, port, writable,
	    bits };
}

/* Forget a port that went away, or every port of a client (port -1). */
static void
midi_port_del(struct midi *m, int client, int port)
{
	unsigned int	 i;

	for (i = 0; i < m->nports; i++) {
		if (m->ports[i].client != client ||
		    (port != -1 && m->ports[i].port != port))
			continue;
		log_info("disconnected from %d:%d", client, m->ports[i].port);
		m->ports[i--] = m->ports[--m->nports];
	}
}

/* The surfaces a port belongs to; 0 for one we did not connect. */
static uint32_t
midi_port_surfaces(const struct midi *m, int client, int port)
{
	const struct midi_port	*mp;

	mp = midi_port_find(m, client, port);
	return (mp != NULL ? mp->surfaces : 0);
}

/*
 * Subscribe one port: its output to our input and our output to its
 * input, as far as its capabilities allow.  Returns 1 if connected in
 * some direction, 0 if the port has no direction to connect, or -errno.
 */
static int
midi_seq_connect_port(struct midi *m, snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo, uint32_t bits)
{
	const unsigned int	 rd = SND_SEQ_PORT_CAP_READ |
				    SND_SEQ_PORT_CAP_SUBS_READ;
	const unsigned int	 wr = SND_SEQ_PORT_CAP_WRITE |
				    SND_SEQ_PORT_CAP_SUBS_WRITE;
	unsigned int		 caps;
	int			 client, port, err, failed = 0;
	int			 made = 0, busy = 0, out = 0;

	client = snd_seq_port_info_get_client(pinfo);
	port = snd_seq_port_info_get_port(pinfo);
	caps = snd_seq_port_info_get_capability(pinfo);

	/* An existing subscription (-EBUSY) is as good as a new one. */
	if ((caps & rd) == rd) {
		err = snd_seq_connect_from(m->seq, m->seq_in, client, port);
		if (err == -EBUSY)
			busy = 1;
		else if (err < 0) {
			midi_seq_connect_fail(cinfo, pinfo, "from", err);
			failed = err;
		} else
			made = 1;
	}
	if ((caps & wr) == wr) {
		err = snd_seq_connect_to(m->seq, m->seq_out, client, port);
		if (err == -EBUSY)
			busy = out = 1;
		else if (err < 0) {
			midi_seq_connect_fail(cinfo, pinfo, "to", err);
			failed = err;
		} else
			made = out = 1;
	}

	if (made)
		log_info("connected to %d:%d '%s:%s'", client, port,
		    snd_seq_client_info_get_name(cinfo),
		    snd_seq_port_info_get_name(pinfo));
	else if (busy)
		log_debug("already connected to %d:%d '%s:%s'", client, port,
		    snd_seq_client_info_get_name(cinfo),
		    snd_seq_port_info_get_name(pinfo));
	if (made || busy) {
		midi_port_add(m, client, port, out, bits);
		return (1);
	}
	return (failed);
}

/* Undo midi_seq_connect_port(): the port is no surface any more. */
static void
midi_seq_disconnect_port(struct midi *m, int client, int port)
{
	/* Either may be gone already (-ENOENT), or undone by hand. */
	snd_seq_disconnect_from(m->seq, m->seq_in, client, port);
	snd_seq_disconnect_to(m->seq, m->seq_out, client, port);
	midi_port_del(m, client, port);
}

/*
 * Make a port's subscriptions what the patterns say of it now: connect
 * it if it became a surface, disconnect it if it no longer is one, and
 * keep its surface bits true.  With force, a surface port is subscribed
 * again even if it was disconnected by hand.  Returns its surface bits
 * if it was newly connected, else 0.
 */
static uint32_t
midi_seq_update_port(struct midi *m, snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo, int force)
{
	struct midi_port	*mp;
	uint32_t		 bits;
	int			 client, port;

	client = snd_seq_port_info_get_client(pinfo);
	port = snd_seq_port_info_get_port(pinfo);
	bits = midi_seq_port_bits(m, cinfo, pinfo);
	if ((mp = midi_port_find(m, client, port)) != NULL) {
		if (bits == 0)
			midi_seq_disconnect_port(m, client, port);
		else if (!force || mp->writable)
			mp->surfaces = bits;
		else
			return (midi_seq_connect_port(m, cinfo, pinfo,
			    bits) > 0 ? bits : 0);
		return (0);
	}
	return (bits != 0 && midi_seq_connect_port(m, cinfo, pinfo,
	    bits) > 0 ? bits : 0);
}

/* What midi_seq_each_port() calls for a port; returns what to OR in. */
typedef int (*midi_port_fn)(struct midi *, snd_seq_client_info_t *,
    const snd_seq_port_info_t *, void *);

/* Call fn for every port of one client; the OR of what it returned. */
static int
midi_seq_client_ports(struct midi *m, snd_seq_client_info_t *cinfo,
    midi_port_fn fn, void *arg)
{
	snd_seq_port_info_t	*pinfo;
	int			 rv = 0;

	snd_seq_port_info_alloca(&pinfo);
	snd_seq_port_info_set_client(pinfo,
	    snd_seq_client_info_get_client(cinfo));
	snd_seq_port_info_set_port(pinfo, -1);
	while (snd_seq_query_next_port(m->seq, pinfo) >= 0)
		rv |= fn(m, cinfo, pinfo, arg);
	return (rv);
}

/*
 * Call fn for every port of every client but the system and ourselves;
 * the OR of what it returned.
 */
static int
midi_seq_each_port(struct midi *m, midi_port_fn fn, void *arg)
{
	snd_seq_client_info_t	*cinfo;
	int			 client, rv = 0;

	snd_seq_client_info_alloca(&cinfo);
	snd_seq_client_info_set_client(cinfo, -1);
	while (snd_seq_query_next_client(m->seq, cinfo) >= 0) {
		client = snd_seq_client_info_get_client(cinfo);
		if (client != m->seq_client && client != SND_SEQ_CLIENT_SYSTEM)
			rv |= midi_seq_client_ports(m, cinfo, fn, arg);
	}
	return (rv);
}

/* midi_seq_update_port() as a midi_port_fn; arg points to force. */
static int
midi_seq_update_port_fn(struct midi *m, snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo, void *arg)
{
	return (midi_seq_update_port(m, cinfo, pinfo, *(int *)arg));
}

/*
 * A port appeared or changed (a new name), or every port of a client
 * did (port -1): connect or disconnect it as the patterns say (force as
 * for midi_seq_update_port).  Returns 1 if a port was newly connected.
 */
static int
midi_seq_port_changed(struct midi *m, int client, int port, int force)
{
	snd_seq_client_info_t	*cinfo;
	snd_seq_port_info_t	*pinfo;

	if (client == m->seq_client || client == SND_SEQ_CLIENT_SYSTEM)
		return (0);
	snd_seq_client_info_alloca(&cinfo);
	snd_seq_port_info_alloca(&pinfo);
	/* It may be gone already; then its exit event follows. */
	if (snd_seq_get_any_client_info(m->seq, client, cinfo) < 0)
		return (0);
	if (port == -1)
		return (midi_seq_client_ports(m, cinfo,
		    midi_seq_update_port_fn, &force));
	if (snd_seq_get_any_port_info(m->seq, client, port, pinfo) < 0)
		return (0);
	return (midi_seq_update_port(m, cinfo, pinfo, force));
}

/*
 * Make every port's subscriptions what the patterns say, subscribing
 * again what was disconnected by hand; 1 if a port was connected.
 */
static int
midi_seq_rescan(struct midi *m)
{
	int	 force = 1;

	return (midi_seq_each_port(m, midi_seq_update_port_fn, &force));
}

/*
 * Someone connected or disconnected our output (aconnect, qpwgraph):
 * feedback follows the subscription, so a surface that is disconnected
 * by hand is sent nothing until it is connected again, and then it is
 * sent everything.  Returns the surface bits of a port connected again.
 */
static uint32_t
midi_seq_subscription(struct midi *m, const snd_seq_connect_t *c, int on)
{
	struct midi_port	*mp;

	if (c->sender.client != m->seq_client ||
	    c->sender.port != m->seq_out ||
	    (mp = midi_port_find(m, c->dest.client, c->dest.port)) == NULL ||
	    mp->writable == on)
		return (0);
	mp->writable = on;
	log_info("%d:%d %s our output", c->dest.client, c->dest.port,
	    on ? "is connected to" : "was disconnected from");
	return (on ? mp->surfaces : 0);
}

/*
 * The sequencer client was lost: open it again a few times, sooner
 * first (0.1 s, doubling, 8 tries, about 25 s in all), connect the
 * surfaces by name and send them everything.  SIGHUP tries again after
 * that (midi_reopen()).
 */
#define MIDI_REOPEN_MS		100
#define MIDI_REOPEN_TRIES	8

static void
midi_seq_reopen_cb(void *arg)
{
	struct midi	*m = arg;
	int		 err;

	m->seq_reopen = NULL;
	if ((err = midi_open_seq(m)) < 0) {
		if (++m->seq_tries < MIDI_REOPEN_TRIES) {
			m->seq_reopen = loop_add_timer(m->loop,
			    MIDI_REOPEN_MS << m->seq_tries,
			    midi_seq_reopen_cb, m);
			return;
		}
		log_warnx("sequencer: cannot open it again: %s; gave up "
		    "after %u tries (SIGHUP tries again)", snd_strerror(err),
		    m->seq_tries);
		m->seq_tries = 0;
		return;
	}
	log_info("sequencer: open again after %u tr%s", m->seq_tries + 1,
	    m->seq_tries == 0 ? "y" : "ies");
	m->seq_tries = 0;
	midi_connected(m, midi_seq_rescan(m));
}

static void
midi_seq_lost(struct midi *m)
{
	midi_seq_close(m);
	m->seq_tries = 0;
	if (m->seq_reopen == NULL)
		m->seq_reopen = loop_add_timer(m->loop, MIDI_REOPEN_MS,
		    midi_seq_reopen_cb, m);
}

/*
 * The sequencer is readable: deliver every event it has, then tell the
 * owner, and whether a surface was plugged in meanwhile.
 */
static void
midi_seq_read_cb(int fd, uint32_t events, void *arg)
{
	struct midi		*m = arg;
	snd_seq_event_t		*ev;
	struct midi_msg		 msg;
	uint32_t		 plugged = 0;
	int			 err, overrun = 0;

	(void)fd;
	if (events & (EPOLLERR | EPOLLHUP)) {
		log_warnx("sequencer: device is gone");
		midi_seq_lost(m);
		return;
	}
	for (;;) {
		ev = NULL;
		err = snd_seq_event_input(m->seq, &ev);
		if (err == -EAGAIN)
			break;
		if (err == -ENOSPC) {
			m->noverruns++;
			if (!overrun)
				log_warnx("sequencer: input overrun, events "
				    "were lost; showing the surfaces the card");
			overrun = 1;
			continue;
		}
		if (err == -EINTR)
			continue;
		if (err < 0) {
			/* Stop here rather than spin on an fd gone bad. */
			log_warnx("sequencer: cannot read events: %s",
			    snd_strerror(err));
			midi_seq_lost(m);
			return;
		}
		if (ev == NULL)
			continue;
		if (ev->source.client == SND_SEQ_CLIENT_SYSTEM) {
			switch (ev->type) {
			case SND_SEQ_EVENT_PORT_START:
			case SND_SEQ_EVENT_PORT_CHANGE:
				plugged |= midi_seq_port_changed(m,
				    ev->data.addr.client, ev->data.addr.port,
				    0);
				continue;
			case SND_SEQ_EVENT_CLIENT_CHANGE:
				plugged |= midi_seq_port_changed(m,
				    ev->data.addr.client, -1, 0);
				continue;
			case SND_SEQ_EVENT_PORT_EXIT:
				midi_port_del(m, ev->data.addr.client,
				    ev->data.addr.port);
				continue;
			case SND_SEQ_EVENT_CLIENT_EXIT:
				midi_port_del(m, ev->data.addr.client, -1);
				continue;
			case SND_SEQ_EVENT_PORT_SUBSCRIBED:
			case SND_SEQ_EVENT_PORT_UNSUBSCRIBED:
				plugged |= midi_seq_subscription(m,
				    &ev->data.connect, ev->type ==
				    SND_SEQ_EVENT_PORT_SUBSCRIBED);
				continue;
			}
		}
		if (midi_seq_decode(ev, &msg)) {
			m->source = midi_port_surfaces(m, ev->source.client,
			    ev->source.port);
			midi_deliver(m, &msg);
			m->source = 0;
		}
	}
	midi_drained(m);
	/* What the lost events did is unknown: show what the card holds. */
	if (overrun && m->seq != NULL)
		midi_overrun(m);
	if (plugged != 0 && m->seq != NULL)
		midi_connected(m, plugged);
}

/* Open the sequencer client, its two ports, and watch it. */
int
midi_open_seq(struct midi *m)
{
	struct pollfd	*pfds = NULL;
	int		 err, i, n;

	if (m->seq != NULL)
		return (-EBUSY);
	if ((err = snd_seq_open(&m->seq, "default", SND_SEQ_OPEN_DUPLEX,
	    SND_SEQ_NONBLOCK)) < 0) {
		m->seq = NULL;
		return (err);
	}
	if ((err = snd_seq_set_client_name(m->seq, MIDI_SEQ_NAME)) < 0)
		goto fail;
	if ((err = snd_seq_set_client_pool_input(m->seq,
	    MIDI_INPUT_POOL)) < 0)
		log_warnx("sequencer: cannot make the input pool %d events: %s",
		    MIDI_INPUT_POOL, snd_strerror(err));
	if ((m->seq_client = snd_seq_client_id(m->seq)) < 0) {
		err = m->seq_client;
		goto fail;
	}
	if ((m->seq_in = snd_seq_create_simple_port(m->seq, MIDI_SEQ_IN,
	    SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE,
	    SND_SEQ_PORT_TYPE_MIDI_GENERIC |
	    SND_SEQ_PORT_TYPE_APPLICATION)) < 0) {
		err = m->seq_in;
		goto fail;
	}
	if ((m->seq_out = snd_seq_create_simple_port(m->seq, MIDI_SEQ_OUT,
	    SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ,
	    SND_SEQ_PORT_TYPE_MIDI_GENERIC |
	    SND_SEQ_PORT_TYPE_APPLICATION)) < 0) {
		err = m->seq_out;
		goto fail;
	}

	/* Without announcements everything works but hotplug. */
	if ((err = snd_seq_connect_from(m->seq, m->seq_in,
	    SND_SEQ_CLIENT_SYSTEM, SND_SEQ_PORT_SYSTEM_ANNOUNCE)) < 0)
		log_warnx("sequencer: cannot follow new ports: %s",
		    snd_strerror(err));

	if ((n = snd_seq_poll_descriptors_count(m->seq, POLLIN)) <= 0) {
		err = -ENODEV;
		goto fail;
	}
	pfds = xcalloc(n, sizeof(*pfds));
	if ((n = snd_seq_poll_descriptors(m->seq, pfds, n, POLLIN)) <= 0) {
		err = -ENODEV;
		goto fail;
	}
	m->seq_watches = xcalloc(n, sizeof(*m->seq_watches));
	for (i = 0; i < n; i++) {
		m->seq_watches[i] = loop_add_fd(m->loop, pfds[i].fd, EPOLLIN,
		    midi_seq_read_cb, m);
		if (m->seq_watches[i] == NULL) {
			err = -errno;
			goto fail;
		}
		m->seq_nwatches++;
	}
	free(pfds);
	m->seq_lasterr = 0;
	m->seq_wanted = 1;
	log_debug("sequencer: client %d, ports %d and %d", m->seq_client,
	    m->seq_in, m->seq_out);
	return (0);

fail:
	free(pfds);
	midi_seq_close(m);
	return (err);
}

/*
 * A pattern's surface bit, for a pattern given before; 0 if none was.
 * Past 32 patterns, the last bit is shared.
 */
uint32_t
midi_surface(const struct midi *m, const char *pattern, int software)
{
	const struct midi_pattern	*p;

	TAILQ_FOREACH(p, &m->patterns, entry) {
		if (p->software == software &&
		    strcasecmp(p->pattern, pattern) == 0)
			return (p->stale ? 0 : p->bit);
	}
	return (0);
}

/* Remember a pattern once, so that ports that appear later match it. */
static struct midi_pattern *
midi_pattern_add(struct midi *m, const char *pattern, int software)
{
	struct midi_pattern	*p;
	uint32_t		 used = 0, bit;

	TAILQ_FOREACH(p, &m->patterns, entry) {
		if (p->software == software &&
		    strcasecmp(p->pattern, pattern) == 0) {
			p->stale = 0;
			return (p);
		}
		used |= p->bit;
	}
	for (bit = 1; bit != 0 && (used & bit); bit <<= 1)
		;
	p = xcalloc(1, sizeof(*p));
	p->pattern = xstrdup(pattern);
	p->software = software;
	p->bit = bit != 0 ? bit : 1U << 31;
	TAILQ_INSERT_TAIL(&m->patterns, p, entry);
	return (p);
}

/*
 * Give a pattern its surface bit before it is connected (or with raw
 * MIDI, where it connects nothing); returns the bit.
 */
uint32_t
midi_surface_add(struct midi *m, const char *pattern, int software)
{
	return (midi_pattern_add(m, pattern, software)->bit);
}

/* Every surface bit in use. */
uint32_t
midi_surfaces(const struct midi *m)
{
	const struct midi_pattern	*p;
	uint32_t			 bits = 0;

	TAILQ_FOREACH(p, &m->patterns, entry) {
		if (!p->stale)
			bits |= p->bit;
	}
	return (bits);
}

/*
 * The surfaces the message being delivered came from: the bits of the
 * patterns that connected its port, or 0 if it came from a port we did
 * not connect, or from raw MIDI.  Valid in the msg callback only.
 */
uint32_t
midi_source(const struct midi *m)
{
	return (m->source);
}

/*
 * Connect every port that matches a pattern now, and remember the
 * pattern for ports that come later.  Returns the number of ports of
 * the pattern's surface, or -errno.
 */
int
midi_connect(struct midi *m, const char *pattern, int software)
{
	const struct midi_pattern	*p;
	unsigned int			 i;
	int				 n = 0;

	if (m->seq == NULL)
		return (-ENOTCONN);
	p = midi_pattern_add(m, pattern, software);
	midi_seq_rescan(m);
	for (i = 0; i < m->nports; i++) {
		if (m->ports[i].surfaces & p->bit)
			n++;
	}
	return (n);
}

/*
 * Replacing the patterns (a reload): midi_replace_begin() marks every
 * pattern old; midi_connect() renews those still named and adds new
 * ones; midi_replace_end() forgets the old ones and disconnects the
 * ports no pattern names any more, so the subscriptions are exactly
 * what the new files name.
 */
void
midi_replace_begin(struct midi *m)
{
	struct midi_pattern	*p;
	int			 err;

	/* A reload also tries a lost sequencer again; it sends all. */
	if (m->seq == NULL && m->seq_wanted) {
		loop_del(m->seq_reopen);
		m->seq_reopen = NULL;
		if ((err = midi_open_seq(m)) < 0)
			log_warnx("sequencer: cannot open it again: %s",
			    snd_strerror(err));
		else
			log_info("sequencer: open again");
	}

	TAILQ_FOREACH(p, &m->patterns, entry)
		p->stale = 1;
}

void
midi_replace_end(struct midi *m)
{
	struct midi_pattern	*p, *next;

	TAILQ_FOREACH_SAFE(p, &m->patterns, entry, next) {
		if (!p->stale)
			continue;
		TAILQ_REMOVE(&m->patterns, p, entry);
		free(p->pattern);
		free(p);
	}
	if (m->seq != NULL)
		midi_seq_rescan(m);
}

/*
 * For "status": each surface and its ports, whether feedback reaches
 * them, or the raw files.
 */
void
midi_print(const struct midi *m, FILE *fp)
{
	snd_seq_port_info_t		*pinfo;
	snd_seq_client_info_t		*cinfo;
	const struct midi_pattern	*p;
	const struct midi_port		*mp;
	unsigned int			 i, n;

	fprintf(fp, "midi: %llu messages in, %lu input overruns\n",
	    m->nmsgs, m->noverruns);
	if (m->raw_in != -1 || m->raw_out != -1) {
		fprintf(fp, "raw MIDI: in %s, out %s\n",
		    m->raw_in_path != NULL ? m->raw_in_path : "none",
		    m->raw_out_path != NULL ? m->raw_out_path : "none");
		return;
	}
	if (m->seq == NULL) {
		fprintf(fp, "sequencer: not open%s\n", m->seq_reopen != NULL ?
		    " (opening it again)" : "");
		return;
	}
	fprintf(fp, "sequencer: client %d\n", m->seq_client);
	snd_seq_client_info_alloca(&cinfo);
	snd_seq_port_info_alloca(&pinfo);
	TAILQ_FOREACH(p, &m->patterns, entry) {
		fprintf(fp, "surface '%s' (%s):", p->pattern, p->software ?
		    "software-port" : "port");
		for (n = i = 0; i < m->nports; i++) {
			mp = &m->ports[i];
			if (!(mp->surfaces & p->bit))
				continue;
			if (snd_seq_get_any_client_info(m->seq, mp->client,
			    cinfo) < 0 || snd_seq_get_any_port_info(m->seq,
			    mp->client, mp->port, pinfo) < 0)
				continue;
			fprintf(fp, "%s %d:%d '%s:%s'%s", n++ > 0 ? "," : "",
			    mp->client, mp->port,
			    snd_seq_client_info_get_name(cinfo),
			    snd_seq_port_info_get_name(pinfo), mp->writable ?
			    "" : " (its feedback was disconnected)");
		}
		fprintf(fp, "%s\n", n == 0 ? " no port connected" : "");
	}
}

/* For midi_match(): what it was asked, and how many it found. */
struct midi_match_ctx {
	const char	*pattern;
	int		 software;
	void		(*cb)(const char *, int, void *);
	void		*arg;
	int		 n;
};

static int
midi_match_port_fn(struct midi *m, snd_seq_client_info_t *cinfo,
    const snd_seq_port_info_t *pinfo, void *arg)
{
	struct midi_match_ctx	*ctx = arg;
	char			 name[160];

	if (!midi_seq_match(cinfo, pinfo, ctx->pattern))
		return (0);
	snprintf(name, sizeof(name), "%s:%s",
	    snd_seq_client_info_get_name(cinfo),
	    snd_seq_port_info_get_name(pinfo));
	ctx->cb(name, midi_seq_port_ok(m, cinfo, pinfo, ctx->software),
	    ctx->arg);
	ctx->n++;
	return (0);
}

/*
 * For "check": call back with each port whose name a pattern matches,
 * and whether it would be connected (0: a software port the pattern
 * does not ask for, or another scarlett-midi).  Returns the number of
 * ports matched, or -errno.
 */
int
midi_match(struct midi *m, const char *pattern, int software,
    void (*cb)(const char *, int, void *), void *arg)
{
	struct midi_match_ctx	 ctx = { pattern, software, cb, arg, 0 };

	if (m->seq == NULL)
		return (-ENOTCONN);
	midi_seq_each_port(m, midi_match_port_fn, &ctx);
	return (ctx.n);
}

/* Stop reading the raw input and close it. */
static void
midi_raw_close_in(struct midi *m)
{
	loop_del(m->raw_in_watch);
	m->raw_in_watch = NULL;
	if (m->raw_in != -1)
		close(m->raw_in);
	m->raw_in = -1;
	free(m->raw_in_path);
	m->raw_in_path = NULL;
}

/* Close the raw output. */
static void
midi_raw_close_out(struct midi *m)
{
	if (m->raw_out != -1)
		close(m->raw_out);
	m->raw_out = -1;
	free(m->raw_out_path);
	m->raw_out_path = NULL;
}

/* The raw input is readable: parse all of it, then tell the owner. */
static void
midi_raw_read_cb(int fd, uint32_t events, void *arg)
{
	struct midi	*m = arg;
	struct midi_msg	 msg;
	uint8_t		 buf[MIDI_READ_SIZE];
	ssize_t		 n, i;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			for (i = 0; i < n; i++) {
				if (midi_parser_feed(&m->parser, buf[i], &msg))
					midi_deliver(m, &msg);
			}
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			/* A hang-up with nothing to read would spin. */
			if (!(events & (EPOLLHUP | EPOLLERR)) ||
			    m->raw_in_fifo)
				break;
			n = 0;
		}
		if (n == 0)
			log_warnx("%s: end of input", m->raw_in_path);
		else
			log_warn("%s", m->raw_in_path);
		midi_raw_close_in(m);
		break;
	}
	midi_drained(m);
}

/*
 * A raw input that epoll cannot watch (a regular file, such as a
 * captured stream, or /dev/null) is read to its end at once, from a
 * timer that fires when the loop runs: then every mapping is bound.
 */
static void
midi_raw_file_cb(void *arg)
{
	struct midi	*m = arg;

	m->raw_in_watch = NULL;		/* the timer deleted itself */
	midi_raw_read_cb(m->raw_in, EPOLLHUP, m);
}

/* Whether a path names a FIFO; returns 1, 0 or -errno. */
static int
midi_raw_is_fifo(const char *path)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1)
		return (-errno);
	return (S_ISFIFO(sb.st_mode) ? 1 : 0);
}

/*
 * Open the raw input.  A FIFO is opened for writing too: then it never
 * reads end of file when a writer goes away, and epoll never reports a
 * hang-up on it over and over.
 */
static int
midi_raw_open_in(struct midi *m, const char *path)
{
	int	 fifo, fd, err;

	if ((fifo = midi_raw_is_fifo(path)) < 0)
		return (fifo);
	if (fifo)
		fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	else
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return (-errno);
	m->raw_in_watch = loop_add_fd(m->loop, fd, EPOLLIN, midi_raw_read_cb,
	    m);
	if (m->raw_in_watch == NULL && errno == EPERM)
		m->raw_in_watch = loop_add_timer(m->loop, 0, midi_raw_file_cb,
		    m);
	if (m->raw_in_watch == NULL) {
		err = -errno;
		log_debug("%s: cannot watch: %s", path, strerror(-err));
		close(fd);
		return (err);
	}
	m->raw_in = fd;
	m->raw_in_fifo = fifo;
	m->raw_in_path = xstrdup(path);
	midi_parser_init(&m->parser);
	return (0);
}

/*
 * Open the raw output.  Opening a FIFO write-only fails with ENXIO while
 * nobody reads it, so it is opened for reading too.
 */
static int
midi_raw_open_out(struct midi *m, const char *path)
{
	int	 fifo, fd;

	if ((fifo = midi_raw_is_fifo(path)) < 0)
		return (fifo);
	if (fifo)
		fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	else
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return (-errno);
	m->raw_out = fd;
	m->raw_out_path = xstrdup(path);
	m->raw_lasterr = 0;
	m->raw_dropped = 0;
	return (0);
}

/* Open raw MIDI input and output files; either path may be NULL. */
int
midi_open_raw(struct midi *m, const char *in, const char *out)
{
	int	 err;

	if (m->raw_in != -1 || m->raw_out != -1)
		return (-EBUSY);
	if (in != NULL && (err = midi_raw_open_in(m, in)) < 0)
		return (err);
	if (out != NULL && (err = midi_raw_open_out(m, out)) < 0) {
		midi_raw_close_in(m);
		return (err);
	}
	log_debug("raw MIDI: in fd %d, out fd %d", m->raw_in, m->raw_out);
	return (0);
}

/* Write the bytes of one message (or SysEx) to the raw output. */
static void
midi_raw_write(struct midi *m, const uint8_t *buf, size_t len)
{
	ssize_t		 n;

	while ((n = write(m->raw_out, buf, len)) == -1 && errno == EINTR)
		;
	if (n == (ssize_t)len) {
		if (m->raw_dropped > 0)
			log_debug("%s: %u messages were dropped",
			    m->raw_out_path, m->raw_dropped);
		m->raw_dropped = 0;
		m->raw_lasterr = 0;
		return;
	}
	/*
	 * The reader is slow: drop the message for now.  An output queue
	 * drained on EPOLLOUT would keep it.  A short write (a tty) leaves
	 * a partial message, which the receiver resyncs from on the next
	 * status byte.
	 */
	if (n >= 0 || errno == EAGAIN) {
		if (m->raw_dropped++ == 0)
			log_debug("%s: output is full, dropping messages",
			    m->raw_out_path);
		return;
	}
	/* Say it once, not for every message while it lasts. */
	if (errno != m->raw_lasterr) {
		m->raw_lasterr = errno;
		log_warn("%s", m->raw_out_path);
	}
}

/* Write one message to the raw output. */
static void
midi_raw_send(struct midi *m, const struct midi_msg *msg)
{
	uint8_t		 buf[3];
	size_t		 len;

	if ((len = midi_msg_encode(msg, buf)) != 0)
		midi_raw_write(m, buf, len);
}

/* An event from our output to its subscribers, sent at once. */
static void
midi_seq_event(const struct midi *m, snd_seq_event_t *ev)
{
	snd_seq_ev_clear(ev);
	snd_seq_ev_set_source(ev, m->seq_out);
	snd_seq_ev_set_subs(ev);
	snd_seq_ev_set_direct(ev);
}

/*
 * Send one event to the sequencer output's subscribers, or, for a set
 * of surfaces, straight to each of their ports.
 */
static void
midi_seq_output(struct midi *m, uint32_t surfaces, snd_seq_event_t *ev)
{
	unsigned int	 i;
	int		 err = 0;

	if (surfaces == 0)
		err = snd_seq_event_output_direct(m->seq, ev);
	for (i = 0; surfaces != 0 && i < m->nports; i++) {
		if (!(m->ports[i].surfaces & surfaces) ||
		    !m->ports[i].writable)
			continue;
		snd_seq_ev_set_dest(ev, m->ports[i].client,
		    m->ports[i].port);
		if ((err = snd_seq_event_output_direct(m->seq, ev)) < 0)
			break;
	}
	if (err < 0) {
		/* Say it once, not for every message while it lasts. */
		if (err != m->seq_lasterr)
			log_warnx("sequencer: cannot send: %s",
			    snd_strerror(err));
		m->seq_lasterr = err;
		return;
	}
	m->seq_lasterr = 0;
}

/* Send one message through the sequencer. */
static void
midi_seq_send(struct midi *m, uint32_t surfaces, const struct midi_msg *msg)
{
	snd_seq_event_t	 ev;

	midi_seq_event(m, &ev);
	if (midi_seq_encode(msg, &ev))
		midi_seq_output(m, surfaces, &ev);
}

/*
 * Whether anything would receive feedback for some surfaces (0: any):
 * the raw output, or a port of theirs whose subscription stands.
 */
int
midi_connected_to(const struct midi *m, uint32_t surfaces)
{
	unsigned int	 i;

	if (m->raw_out != -1)
		return (1);
	for (i = 0; m->seq != NULL && i < m->nports; i++) {
		if (m->ports[i].writable && (surfaces == 0 ||
		    (m->ports[i].surfaces & surfaces)))
			return (1);
	}
	return (0);
}

/* Send a message to every output. */
void
midi_send(struct midi *m, const struct midi_msg *msg)
{
	midi_send_to(m, 0, msg);
}

/*
 * Send a message to the ports of some surfaces (bits of midi_surface()),
 * or to every output if none is given.  Raw MIDI is one surface: it
 * always gets it.
 */
void
midi_send_to(struct midi *m, uint32_t surfaces, const struct midi_msg *msg)
{
	if (midi_msg_datalen(msg->status) == 0)
		return;
	if (m->raw_out != -1)
		midi_raw_send(m, msg);
	if (m->seq != NULL)
		midi_seq_send(m, surfaces, msg);
}

/*
 * Send the bytes of one message as midi_send_to() does: a SysEx
 * (F0 ... F7, as a whole: the sequencer gets it as one variable-length
 * event), or a channel message.  Anything else is not sent.
 */
void
midi_send_bytes_to(struct midi *m, uint32_t surfaces, const uint8_t *buf,
    size_t len)
{
	struct midi_parser	 p;
	struct midi_msg		 msg;
	snd_seq_event_t		 ev;
	size_t			 i;

	if (len >= 2 && buf[0] == MIDI_SYSEX && buf[len - 1] == MIDI_EOX) {
		if (m->raw_out != -1)
			midi_raw_write(m, buf, len);
		if (m->seq != NULL) {
			midi_seq_event(m, &ev);
			snd_seq_ev_set_sysex(&ev, len, (void *)buf);
			midi_seq_output(m, surfaces, &ev);
		}
		return;
	}
	midi_parser_init(&p);
	for (i = 0; i < len; i++) {
		if (midi_parser_feed(&p, buf[i], &msg))
			midi_send_to(m, surfaces, &msg);
	}
}

/* Close everything, in the reverse order of opening, and free. */
void
midi_free(struct midi *m)
{
	struct midi_pattern	*p;

	if (m == NULL)
		return;
	/* What came in, for a flood's tally and a bug report. */
	if (m->nmsgs > 0 || m->noverruns > 0)
		log_info("midi: %llu messages in, %lu input overruns",
		    m->nmsgs, m->noverruns);
	midi_raw_close_out(m);
	midi_raw_close_in(m);
	loop_del(m->seq_reopen);
	midi_seq_close(m);
	while ((p = TAILQ_FIRST(&m->patterns)) != NULL) {
		TAILQ_REMOVE(&m->patterns, p, entry);
		free(p->pattern);
		free(p);
	}
	free(m->ports);
	free(m);
}
