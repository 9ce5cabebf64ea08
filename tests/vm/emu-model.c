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

static const struct emu_model emu_models[] = {
	{ "18i20-gen3", 0x8215, "Scarlett 18i20 USB",
	    3, { "Internal", "S/PDIF", "ADAT" }, 1644 },
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

/* Append len bytes to the descriptor being built. */
static uint8_t *
emu_model_add(uint8_t *p, const uint8_t *d, size_t len)
{
	memcpy(p, d, len);
	return (p + len);
}

/*
 * The configuration: one Interface Association around the audio control
 * interface, which snd-usb-audio needs for UAC2; clock sources, a clock
 * selector, and an input and an output terminal, through which the
 * parser finds the clocks; no streaming interfaces (no PCM); the vendor
 * interface that scarlett2 takes its endpoint from.
 */
static size_t
emu_model_config(const struct emu_model *m, uint8_t *buf, size_t max)
{
	uint8_t	 d[32], *p = buf, *cs;
	int	 i, n = m->nclocks;
	size_t	 total, cslen;

	cslen = 9 + 8 * n + 7 + n + 17 + 12;
	total = 9 + 8 + 9 + cslen + 9 + 7;
	if (total > max)
		return (0);
	/* configuration */
	d[0] = 9; d[1] = 2; d[2] = total; d[3] = total >> 8;
	d[4] = 2; d[5] = 1; d[6] = 0; d[7] = 0x80; d[8] = 250;
	p = emu_model_add(p, d, 9);
	/* interface association: interface 0, audio, UAC2 */
	d[0] = 8; d[1] = 11; d[2] = 0; d[3] = 1;
	d[4] = 1; d[5] = 0; d[6] = 0x20; d[7] = 0;
	p = emu_model_add(p, d, 8);
	/* interface 0: audio control */
	d[0] = 9; d[1] = 4; d[2] = 0; d[3] = 0; d[4] = 0;
	d[5] = 1; d[6] = 1; d[7] = 0x20; d[8] = 0;
	p = emu_model_add(p, d, 9);
	/* class-specific header, UAC 2.00 */
	cs = p;
	d[0] = 9; d[1] = 0x24; d[2] = 1; d[3] = 0x00; d[4] = 0x02;
	d[5] = 0x08; d[6] = cslen; d[7] = cslen >> 8; d[8] = 0;
	p = emu_model_add(p, d, 9);
	/* clock sources: validity readable; the first internal */
	for (i = 0; i < n; i++) {
		d[0] = 8; d[1] = 0x24; d[2] = 0x0a; d[3] = 41 + i;
		d[4] = i == 0 ? 0x01 : 0x00; d[5] = 0x04; d[6] = 0;
		d[7] = EMU_STR_CLOCK + i;
		p = emu_model_add(p, d, 8);
	}
	/* clock selector 40 */
	d[0] = 7 + n; d[1] = 0x24; d[2] = 0x0b; d[3] = 40; d[4] = n;
	for (i = 0; i < n; i++)
		d[5 + i] = 41 + i;
	d[5 + n] = 0x03;
	d[6 + n] = EMU_STR_SELECTOR;
	p = emu_model_add(p, d, 7 + n);
	/* input terminal 1: USB streaming, clock 40 */
	memset(d, 0, 17);
	d[0] = 17; d[1] = 0x24; d[2] = 2; d[3] = 1; d[4] = 0x01; d[5] = 0x01;
	d[7] = 40; d[8] = 2;
	p = emu_model_add(p, d, 17);
	/* output terminal 2: speaker, from 1, clock 40 */
	memset(d, 0, 12);
	d[0] = 12; d[1] = 0x24; d[2] = 3; d[3] = 2; d[4] = 0x01; d[5] = 0x03;
	d[7] = 1; d[8] = 40;
	p = emu_model_add(p, d, 12);
	if ((size_t)(p - cs) != cslen)
		emu_fatal("class-specific descriptors are %zu bytes, not %zu",
		    (size_t)(p - cs), cslen);
	/* interface 1: vendor, one interrupt IN endpoint */
	d[0] = 9; d[1] = 4; d[2] = 1; d[3] = 0; d[4] = 1;
	d[5] = 0xff; d[6] = 0; d[7] = 0; d[8] = 0;
	p = emu_model_add(p, d, 9);
	d[0] = 7; d[1] = 5; d[2] = 0x83; d[3] = 0x03; d[4] = 64; d[5] = 0;
	d[6] = 4;
	p = emu_model_add(p, d, 7);
	return (p - buf);
}

/* Descriptor type/index into buf; its length, or 0 to stall. */
size_t
emu_model_descriptor(const struct emu_model *m, int type, int index,
    uint8_t *buf, size_t max)
{
	static const uint8_t	langs[] = { 4, 3, 0x09, 0x04 };
	uint8_t			d[18];

	switch (type) {
	case 1:
		memset(d, 0, sizeof(d));
		d[0] = 18; d[1] = 1; d[2] = 0x00; d[3] = 0x02;
		d[4] = 0xef; d[5] = 0x02; d[6] = 0x01; d[7] = 64;
		d[8] = EMU_VID & 0xff; d[9] = EMU_VID >> 8;
		d[10] = m->pid & 0xff; d[11] = m->pid >> 8;
		d[12] = 0x00; d[13] = 0x01;
		d[14] = EMU_STR_VENDOR; d[15] = EMU_STR_PRODUCT;
		d[16] = EMU_STR_SERIAL; d[17] = 1;
		if (max < sizeof(d))
			return (0);
		memcpy(buf, d, sizeof(d));
		return (sizeof(d));
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
