/* Guess a mapping from the messages a surface control sent. */

#include <ctype.h>
#include <string.h>

#include "compat.h"
#include "config.h"
#include "learn.h"
#include "midi.h"

void
learn_init(struct learn *l)
{
	l->n = 0;
}

/* Keep a message; past LEARN_MAX, the first ones are enough. */
void
learn_add(struct learn *l, const struct midi_msg *msg)
{
	if (l->n < LEARN_MAX)
		l->msgs[l->n++] = *msg;
}

/*
 * Guess what a relative encoder's values code, or ENC_NONE if they look
 * like positions: an encoder sends small counts near 0, 64 or 128, a
 * fader or knob moved across its range sends values between them.
 */
static enum encoder
learn_encoder(const int *seen)
{
	int	 v, low = 0, high = 0, mid_low = 0, mid_high = 0;

	for (v = 16; v <= 48; v++)
		if (seen[v])
			return (ENC_NONE);
	for (v = 80; v <= 112; v++)
		if (seen[v])
			return (ENC_NONE);
	for (v = 1; v < 16; v++)
		low |= seen[v];
	for (v = 113; v < 128; v++)
		high |= seen[v];
	for (v = 49; v < 64; v++)
		mid_low |= seen[v];
	for (v = 65; v < 80; v++)
		mid_high |= seen[v];
	if (seen[0] || seen[64])
		return (ENC_NONE);
	if (low && (high || !mid_high) && !mid_low)
		return (ENC_TWOS);
	if (low && mid_high && !high && !mid_low)
		return (ENC_SIGNMAG);
	if ((mid_low || mid_high) && !low && !high)
		return (ENC_OFFSET);
	return (ENC_NONE);
}

/* Guess from CCs on one channel: NRPN/RPN, 14-bit, encoder, button. */
static int
learn_cc(const struct learn *l, int ch, struct learn_guess *g)
{
	int		 count[128] = { 0 }, seen[128] = { 0 };
	int		 pm = -1, pl = -1, rpn = 0, best = -1, n;
	size_t		 i;
	const struct midi_msg *m;

	for (i = 0; i < l->n; i++) {
		m = &l->msgs[i];
		if (MIDI_TYPE(m) != MIDI_CC || MIDI_CHANNEL(m) != ch)
			continue;
		count[m->data1]++;
		switch (m->data1) {
		case 99:
		case 101:
			pm = m->data2;
			rpn = m->data1 == 101;
			break;
		case 98:
		case 100:
			pl = m->data2;
			rpn = m->data1 == 100;
			break;
		}
	}
	g->channel = ch;
	if (pm >= 0 && pl >= 0 && (count[6] || count[96] || count[97])) {
		g->number = pm << 7 | pl;
		g->kind = rpn ? (count[38] ? KIND_RPN14 : KIND_RPN) :
		    (count[38] ? KIND_NRPN14 : KIND_NRPN);
		return (0);
	}
	for (n = 0; n < 32; n++) {
		if (count[n] && count[n + 32]) {
			g->kind = KIND_CC14;
			g->number = n;
			return (0);
		}
	}
	for (n = 0; n < 128; n++)
		if (count[n] > 0 && (best == -1 || count[n] > count[best]))
			best = n;
	if (best == -1)
		return (-1);
	g->kind = KIND_CC;
	g->number = best;
	for (i = 0, n = 0; i < l->n; i++) {
		m = &l->msgs[i];
		if (MIDI_TYPE(m) == MIDI_CC && MIDI_CHANNEL(m) == ch &&
		    m->data1 == best && !seen[m->data2]) {
			seen[m->data2] = 1;
			n++;
		}
	}
	/* A button sends its top and its bottom, or only its top. */
	if (n <= 2 && (seen[127] || seen[0]) && !(n == 2 &&
	    !seen[127] && !seen[0]))
		g->mode = MODE_TOGGLE;
	else
		g->encoder = learn_encoder(seen);
	return (0);
}

/*
 * Guess a mapping: the kind and number the messages share, and how they
 * behave.  Returns 0, or -1 if there was nothing to go by.
 */
int
learn_guess(const struct learn *l, struct learn_guess *g)
{
	const struct midi_msg	*m;
	size_t			 i;
	long			 top = 0;
	int			 first[8];

	memset(g, 0, sizeof(*g));
	g->mode = MODE_DEFAULT;
	g->midi_max = -1;
	if (l->n == 0)
		return (-1);
	/* The first message of each type, by priority below. */
	for (i = 0; i < nitems(first); i++)
		first[i] = -1;
	for (i = 0; i < l->n; i++) {
		m = &l->msgs[i];
		if (first[(MIDI_TYPE(m) >> 4) & 7] == -1)
			first[(MIDI_TYPE(m) >> 4) & 7] = i;
	}
#define FIRST(type)	first[((type) >> 4) & 7]
	if (FIRST(MIDI_PITCHBEND) != -1) {
		m = &l->msgs[FIRST(MIDI_PITCHBEND)];
		g->kind = KIND_PITCHBEND;
		g->channel = MIDI_CHANNEL(m);
		for (i = 0; i < l->n; i++) {
			m = &l->msgs[i];
			if (MIDI_TYPE(m) == MIDI_PITCHBEND &&
			    ((long)m->data2 << 7 | m->data1) > top)
				top = (long)m->data2 << 7 | m->data1;
		}
		/* Faders that stop short of 16383, as the X-Touch's. */
		if (top >= 15000 && top < 16383)
			g->midi_max = top;
		return (0);
	}
	if (FIRST(MIDI_CC) != -1)
		return (learn_cc(l, MIDI_CHANNEL(&l->msgs[FIRST(MIDI_CC)]), g));
	if (FIRST(MIDI_NOTE_ON) != -1 || FIRST(MIDI_NOTE_OFF) != -1) {
		m = &l->msgs[FIRST(MIDI_NOTE_ON) != -1 ?
		    FIRST(MIDI_NOTE_ON) : FIRST(MIDI_NOTE_OFF)];
		g->kind = KIND_NOTE;
		g->mode = MODE_TOGGLE;
	} else if (FIRST(MIDI_PROGRAM) != -1) {
		m = &l->msgs[FIRST(MIDI_PROGRAM)];
		g->kind = KIND_PROGRAM;
	} else if (FIRST(MIDI_CHAN_AT) != -1) {
		m = &l->msgs[FIRST(MIDI_CHAN_AT)];
		g->kind = KIND_AFTERTOUCH;
	} else if (FIRST(MIDI_POLY_AT) != -1) {
		m = &l->msgs[FIRST(MIDI_POLY_AT)];
		g->kind = KIND_POLY_AT;
	} else
		return (-1);
#undef FIRST
	g->channel = MIDI_CHANNEL(m);
	g->number = m->data1;
	return (0);
}

/* Print a ready-to-paste section for the guess and an element. */
void
learn_print(FILE *fp, const struct learn_guess *g, const char *control,
    unsigned int index, long value)
{
	static const char	*encoders[] = { "", "twos-complement",
				    "sign-magnitude", "sign-magnitude-inverted",
				    "binary-offset" };
	const char		*p;
	int			 dash = 0, any = 0;

	/* The section is named after the control: "mix-a-input-01-...". */
	fputc('[', fp);
	for (p = control; *p != '\0'; p++) {
		if (isalnum((unsigned char)*p)) {
			if (dash && any)
				fputc('-', fp);
			fputc(tolower((unsigned char)*p), fp);
			dash = 0;
			any = 1;
		} else
			dash = 1;
	}
	fprintf(fp, "]\nmidi = %s", config_kind_name(g->kind));
	if (config_kind_numbered(g->kind))
		fprintf(fp, " %d", g->number);
	fprintf(fp, " channel %d\n", g->channel + 1);
	if (g->midi_max != -1)
		fprintf(fp, "midi-max = %ld\n", g->midi_max);
	if (g->encoder != ENC_NONE)
		fprintf(fp, "encoder = %s\n", encoders[g->encoder]);
	if (g->mode == MODE_TOGGLE)
		fputs("mode = toggle\n", fp);
	/* A program change sets the value the control had when learned. */
	if (g->kind == KIND_PROGRAM)
		fprintf(fp, "value = %ld\n", value);
	if (index == 0)
		fprintf(fp, "control = %s\n", control);
	else
		fprintf(fp, "control = name='%s',index=%u\n", control, index);
}
