/*
 * The models the emulated Scarlett can be, and the descriptors each one
 * gives the host: device, configuration (UAC2 audio control with its
 * clock entities, the vendor interface with its interrupt endpoint) and
 * strings.
 */

#include <stdio.h>
#include <string.h>

#include "emu.h"

#define EMU_VID		0x1235	/* Focusrite-Novation */

/* String indices; the clock names follow EMU_STR_CLOCK. */
#define EMU_STR_VENDOR	1
#define EMU_STR_PRODUCT	2
#define EMU_STR_SERIAL	3
#define EMU_STR_SELECTOR 4
#define EMU_STR_CLOCK	5

#define EMU_SELECTOR_ID	40	/* the clock selector's entity id */
#define EMU_CLOCK_ID	41	/* the first clock source's */

/*
 * The models: the USB product id scarlett2 knows each by, the product
 * string (snd-usb-audio makes the card's name of it), the clock sources
 * (a selector if more than one), the firmware version, and the channels
 * of the playback and capture streams (the PCMs and their Channel Map
 * controls; none for the 18i20 Gen 3, whose dump has no PCM).
 */
static const struct emu_model emu_models[] = {
	/* Gen 2 */
	{ "6i6-gen2", 0x8203, "Scarlett 6i6 USB",
	    2, { "Internal", "S/PDIF" }, 1583, 6, 6 },
	{ "18i8-gen2", 0x8204, "Scarlett 18i8 USB",
	    3, { "Internal", "S/PDIF", "ADAT" }, 1583, 8, 18 },
	{ "18i20-gen2", 0x8201, "Scarlett 18i20 USB",
	    3, { "Internal", "S/PDIF", "ADAT" }, 1653, 20, 18 },
	/* Gen 3 */
	{ "solo-gen3", 0x8211, "Scarlett Solo USB",
	    1, { "USB Internal" }, 1605, 2, 2 },
	{ "2i2-gen3", 0x8210, "Scarlett 2i2 USB",
	    1, { "USB Internal" }, 1605, 2, 2 },
	{ "4i4-gen3", 0x8212, "Scarlett 4i4 USB",
	    1, { "Internal" }, 1605, 4, 6 },
	{ "8i6-gen3", 0x8213, "Scarlett 8i6 USB",
	    2, { "Internal", "S/PDIF" }, 1605, 6, 10 },
	{ "18i8-gen3", 0x8214, "Scarlett 18i8 USB",
	    3, { "Internal", "S/PDIF", "ADAT" }, 1605, 8, 18 },
	{ "18i20-gen3", 0x8215, "Scarlett 18i20 USB",
	    3, { "Internal", "S/PDIF", "ADAT" }, 1644, 0, 0 },
	/* Gen 4 */
	{ "solo-gen4", 0x8218, "Scarlett Solo 4th Gen",
	    1, { "USB Internal" }, 2188, 2, 4 },
	{ "2i2-gen4", 0x8219, "Scarlett 2i2 4th Gen",
	    1, { "USB Internal" }, 2128, 2, 4 },
	{ "4i4-gen4", 0x821a, "Scarlett 4i4 4th Gen",
	    1, { "USB Internal" }, 2407, 6, 6 },
	/* Clarett+ and Vocaster */
	{ "2pre-clarett+", 0x820a, "Clarett+ 2Pre",
	    3, { "Internal", "S/PDIF", "ADAT" }, 1993, 4, 12 },
	{ "4pre-clarett+", 0x820b, "Clarett+ 4Pre",
	    3, { "Internal", "S/PDIF", "ADAT" }, 1955, 8, 18 },
	{ "vocaster-one", 0x8216, "Vocaster One USB",
	    1, { "USB Internal" }, 1769, 4, 10 },
};
#define EMU_NMODELS	(sizeof(emu_models) / sizeof(emu_models[0]))

const struct emu_model *
emu_model_find(const char *name)
{
	size_t	i;

	for (i = 0; i < EMU_NMODELS; i++)
		if (strcmp(emu_models[i].name, name) == 0)
			return (&emu_models[i]);
	return (NULL);
}

/* Print the model names, one a line. */
void
emu_model_list(void)
{
	size_t	i;

	for (i = 0; i < EMU_NMODELS; i++)
		printf("%s\t1235:%04x\t%s\n", emu_models[i].name,
		    emu_models[i].pid, emu_models[i].product);
}

/* A string descriptor: UTF-16LE of an ASCII string. */
static size_t
emu_model_string(const char *s, uint8_t *buf, size_t max)
{
	size_t	i, n = strlen(s);

	if (2 + 2 * n > max || 2 + 2 * n > 255)
		return (0);
	buf[0] = 2 + 2 * n;
	buf[1] = 3;
	for (i = 0; i < n; i++) {
		buf[2 + 2 * i] = s[i];
		buf[3 + 2 * i] = 0;
	}
	return (buf[0]);
}

/* The interface the scarlett2 driver talks to: after the audio ones. */
int
emu_model_vendor_iface(const struct emu_model *m)
{
	return (1 + (m->pcm_out > 0) + (m->pcm_in > 0));
}

#define ADD(...) do {							\
	const uint8_t	d_[] = { __VA_ARGS__ };				\
									\
	memcpy(p, d_, sizeof(d_));					\
	p += sizeof(d_);						\
} while (0)
#define LE16(v)	((v) & 0xff), (((v) >> 8) & 0xff)

/*
 * A streaming interface: alternate setting 0 without an endpoint, 1 with
 * ch channels of 24 bits in 4 bytes on an isochronous endpoint, linked
 * to terminal term.
 */
static uint8_t *
emu_model_stream(uint8_t *p, int iface, int ch, int term, int ep)
{
	int	maxp = 25 * 4 * ch;	/* 192 kHz at high speed, and one */

	if (maxp > 1024)
		maxp = 1024;	/* a USB 2.0 limit; unused here anyway */

	ADD(9, 4, iface, 0, 0, 1, 2, 0x20, 0);
	ADD(9, 4, iface, 1, 1, 1, 2, 0x20, 0);
	/* AS_GENERAL: PCM, ch channels, no channel config */
	ADD(16, 0x24, 1, term, 0, 1, 1, 0, 0, 0, ch, 0, 0, 0, 0, 0);
	/* FORMAT_TYPE I: 4-byte subslots, 24 bits */
	ADD(6, 0x24, 2, 1, 4, 24);
	/* synchronous isochronous endpoint, every microframe */
	ADD(7, 5, ep, 0x0d, LE16(maxp), 1);
	ADD(8, 0x25, 1, 0, 0, 0, 0, 0);
	return (p);
}

/*
 * The configuration: one Interface Association around the audio
 * interfaces, which snd-usb-audio needs for UAC2; the audio control
 * interface with clock sources, a clock selector if there are several,
 * and terminals, through which the parser finds the clocks (a speaker
 * fed from USB, and a microphone to USB if the model records); the
 * streaming interfaces (none for a model without PCM); the vendor
 * interface that scarlett2 takes its endpoint from.
 */
static size_t
emu_model_config(const struct emu_model *m, uint8_t *buf, size_t max)
{
	uint8_t	*p = buf, *cs;
	int	 i, n = m->nclocks, clock, nas, vendor;
	size_t	 total, cslen;

	nas = (m->pcm_out > 0) + (m->pcm_in > 0);
	vendor = emu_model_vendor_iface(m);
	clock = n > 1 ? EMU_SELECTOR_ID : EMU_CLOCK_ID;
	cslen = 9 + 8 * n + (n > 1 ? 7 + n : 0) + 17 + 12 +
	    (m->pcm_in > 0 ? 17 + 12 : 0);
	total = 9 + 8 + 9 + cslen + 9 + 7 + 55 * nas;
	if (total > max)
		return (0);
	ADD(9, 2, LE16(total), 2 + nas, 1, 0, 0x80, 250);
	/* interface association: the audio interfaces, UAC2 */
	ADD(8, 11, 0, 1 + nas, 1, 0, 0x20, 0);
	/* interface 0: audio control; class-specific header, UAC 2.00 */
	ADD(9, 4, 0, 0, 0, 1, 1, 0x20, 0);
	cs = p;
	ADD(9, 0x24, 1, LE16(0x0200), 0x08, LE16(cslen), 0);
	/*
	 * Clock sources: validity readable (and the rate for streaming),
	 * the first internal.
	 */
	for (i = 0; i < n; i++)
		ADD(8, 0x24, 0x0a, EMU_CLOCK_ID + i, i == 0 ? 0x01 : 0x00,
		    nas > 0 ? 0x07 : 0x04, 0, EMU_STR_CLOCK + i);
	if (n > 1) {
		ADD(7 + n, 0x24, 0x0b, EMU_SELECTOR_ID, n);
		for (i = 0; i < n; i++)
			ADD(EMU_CLOCK_ID + i);
		ADD(0x03, EMU_STR_SELECTOR);
	}
	/* input terminal 1: USB streaming; output terminal 2: speaker */
	ADD(17, 0x24, 2, 1, LE16(0x0101), 0, clock,
	    m->pcm_out > 0 ? m->pcm_out : 2, 0, 0, 0, 0, 0, 0, 0, 0);
	ADD(12, 0x24, 3, 2, LE16(0x0301), 0, 1, clock, 0, 0, 0);
	/* input terminal 3: microphone; output terminal 4: USB streaming */
	if (m->pcm_in > 0) {
		ADD(17, 0x24, 2, 3, LE16(0x0201), 0, clock, m->pcm_in, 0, 0,
		    0, 0, 0, 0, 0, 0);
		ADD(12, 0x24, 3, 4, LE16(0x0101), 0, 3, clock, 0, 0, 0);
	}
	if ((size_t)(p - cs) != cslen)
		emu_fatal("class-specific descriptors are %zu bytes, not %zu",
		    (size_t)(p - cs), cslen);
	i = 1;
	if (m->pcm_out > 0)
		p = emu_model_stream(p, i++, m->pcm_out, 1, 0x01);
	if (m->pcm_in > 0)
		p = emu_model_stream(p, i++, m->pcm_in, 4, 0x82);
	/* the vendor interface, one interrupt IN endpoint */
	ADD(9, 4, vendor, 0, 1, 0xff, 0, 0, 0);
	ADD(7, 5, 0x83, 0x03, LE16(64), 4);
	if ((size_t)(p - buf) != total)
		emu_fatal("configuration is %zu bytes, not %zu",
		    (size_t)(p - buf), total);
	return (p - buf);
}

/* Descriptor type/index into buf; its length, or 0 to stall. */
size_t
emu_model_descriptor(const struct emu_model *m, int type, int index,
    uint8_t *buf, size_t max)
{
	static const uint8_t	langs[] = { 4, 3, 0x09, 0x04 };
	uint8_t			*p = buf;

	switch (type) {
	case 1:
		/* USB 2.00, miscellaneous class with IADs, 64-byte ep0 */
		if (max < 18)
			return (0);
		ADD(18, 1, LE16(0x0200), 0xef, 0x02, 0x01, 64, LE16(EMU_VID),
		    LE16(m->pid), LE16(0x0100), EMU_STR_VENDOR,
		    EMU_STR_PRODUCT, EMU_STR_SERIAL, 1);
		return (p - buf);
	case 2:
		return (index == 0 ? emu_model_config(m, buf, max) : 0);
	case 3:
		if (index == 0) {
			memcpy(buf, langs, sizeof(langs));
			return (sizeof(langs));
		}
		if (index == EMU_STR_VENDOR)
			return (emu_model_string("Focusrite", buf, max));
		if (index == EMU_STR_PRODUCT)
			return (emu_model_string(m->product, buf, max));
		if (index == EMU_STR_SERIAL)
			return (emu_model_string("S3EMU0000001", buf, max));
		if (index == EMU_STR_SELECTOR)
			return (emu_model_string("Clock Source", buf, max));
		if (index >= EMU_STR_CLOCK &&
		    index < EMU_STR_CLOCK + m->nclocks)
			return (emu_model_string(m->clocks[index -
			    EMU_STR_CLOCK], buf, max));
		return (0);
	default:
		return (0);
	}
}
