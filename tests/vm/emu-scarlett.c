/*
 * The emulated Scarlett itself: standard and UAC2 class requests, the
 * scarlett2 vendor protocol (as sound/usb/mixer_scarlett2.c speaks it)
 * on its own config memory, mixes and mux tables, and the commands that
 * set that state or inject faults.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

/* scarlett2 requests on the vendor interface (bRequest). */
#define S2_INIT		0
#define S2_CMD_REQ	2
#define S2_CMD_RESP	3
#define S2_HDR		16

/* scarlett2 commands. */
#define S2_INIT_1	0x00000000
#define S2_INIT_2	0x00000002
#define S2_GET_METER	0x00001001
#define S2_GET_MIX	0x00002001
#define S2_SET_MIX	0x00002002
#define S2_GET_MUX	0x00003001
#define S2_SET_MUX	0x00003002
#define S2_INFO_FLASH	0x00004000
#define S2_INFO_SEGMENT	0x00004001
#define S2_GET_SYNC	0x00006004
#define S2_GET_DATA	0x00800000
#define S2_SET_DATA	0x00800001
#define S2_DATA_CMD	0x00800002

#define S2_NOTIFY_ACK	0x00000001

/* UAC2 */
#define UAC2_CUR		1
#define UAC2_RANGE		2
#define UAC2_CS_SAM_FREQ	0x01
#define UAC2_CS_CLOCK_VALID	0x02
#define UAC2_CX_SELECTOR	0x01
#define EMU_CLOCK_SELECTOR	40
#define EMU_CLOCK_FIRST		41

/* The flash segments 6.12 looks for (it skips segment 0). */
static const char *const emu_segments[] = {
	"App_Gold", "App_Settings", "App_Upgrade"
};
#define EMU_NSEGMENTS	3

static uint32_t
emu_le32(const uint8_t *p)
{
	return (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
}

static uint16_t
emu_le16(const uint8_t *p)
{
	return (p[0] | p[1] << 8);
}

static void
emu_put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void
emu_put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

/* The factory state of a model, then what the caller's presets add. */
void
emu_dev_init(struct emu_dev *dev, const struct emu_model *model)
{
	int	i;

	memset(dev, 0, sizeof(*dev));
	dev->model = model;
	dev->iface = emu_model_vendor_iface(model);
	dev->firmware = model->firmware;
	dev->sync = 1;
	dev->clock = 1;
	for (i = 0; i < EMU_CLOCKS_MAX; i++)
		dev->valid[i] = 1;
	dev->ack = 1;
}

static void
emu_stall(struct emu_reply *r)
{
	r->status = -EPIPE;
	r->len = 0;
}

/* Standard requests: descriptors; the rest vhci or nobody needs. */
static void
emu_dev_standard(struct emu_dev *dev, const uint8_t *setup,
    struct emu_reply *r)
{
	uint16_t	wValue = emu_le16(setup + 2);
	uint16_t	wLength = emu_le16(setup + 6);

	switch (setup[1]) {
	case 0:		/* GET_STATUS */
		r->len = 2;
		emu_log("GET_STATUS");
		break;
	case 6:		/* GET_DESCRIPTOR */
		r->len = emu_model_descriptor(dev->model, wValue >> 8,
		    wValue & 0xff, r->data, sizeof(r->data));
		emu_log("GET_DESCRIPTOR type %d index %d len %d%s",
		    wValue >> 8, wValue & 0xff, wLength,
		    r->len == 0 ? ": stall" : "");
		if (r->len == 0)
			emu_stall(r);
		break;
	case 8:		/* GET_CONFIGURATION */
		r->data[0] = 1;
		r->len = 1;
		emu_log("GET_CONFIGURATION");
		break;
	case 9:		/* SET_CONFIGURATION */
	case 11:	/* SET_INTERFACE */
		emu_log("%s %d", setup[1] == 9 ? "SET_CONFIGURATION" :
		    "SET_INTERFACE", wValue);
		break;
	default:
		emu_log("standard request 0x%02x 0x%02x: stall", setup[0],
		    setup[1]);
		emu_stall(r);
		break;
	}
}

/* The sample rates of the clocks: CUR, or RANGE as discrete subranges. */
static void
emu_dev_rates(int req, struct emu_reply *r)
{
	static const uint32_t	rates[] = {
		44100, 48000, 88200, 96000, 176400, 192000
	};
	int			i, n = sizeof(rates) / sizeof(rates[0]);

	if (req == UAC2_CUR) {
		emu_put32(r->data, 48000);
		r->len = 4;
	} else if (req == UAC2_RANGE) {
		emu_put16(r->data, n);
		for (i = 0; i < n; i++) {
			emu_put32(r->data + 2 + 12 * i, rates[i]);
			emu_put32(r->data + 6 + 12 * i, rates[i]);
			emu_put32(r->data + 10 + 12 * i, 0);
		}
		r->len = 2 + 12 * n;
	}
}

/* UAC2 class requests to the clock entities of interface 0. */
static void
emu_dev_audio(struct emu_dev *dev, const uint8_t *setup,
    const uint8_t *data, size_t len, struct emu_reply *r)
{
	int	entity = setup[5], cs = setup[3];
	int	in = setup[0] & 0x80, clock;

	clock = entity - EMU_CLOCK_FIRST;
	if (clock >= 0 && clock < dev->model->nclocks &&
	    cs == UAC2_CS_SAM_FREQ && !in && setup[1] == UAC2_CUR) {
		emu_log("SET_CUR clock %d sample rate %u", entity,
		    len >= 4 ? emu_le32(data) : 0);
		return;
	}
	if (clock >= 0 && clock < dev->model->nclocks &&
	    cs == UAC2_CS_SAM_FREQ && in) {
		emu_dev_rates(setup[1], r);
		emu_log("GET_%s clock %d sample rate", setup[1] == UAC2_CUR ?
		    "CUR" : "RANGE", entity);
		if (r->len == 0)
			emu_stall(r);
		return;
	}
	if (setup[1] != UAC2_CUR) {
		;
	} else if (entity == EMU_CLOCK_SELECTOR && cs == UAC2_CX_SELECTOR) {
		if (in) {
			r->data[0] = dev->clock;
			r->len = 1;
		} else if (len >= 1)
			dev->clock = data[0];
		emu_log("%s_CUR clock selector %d", in ? "GET" : "SET",
		    in ? dev->clock : data[0]);
		return;
	} else if (clock >= 0 && clock < dev->model->nclocks &&
	    cs == UAC2_CS_CLOCK_VALID && in) {
		r->data[0] = dev->valid[clock];
		r->len = 1;
		emu_log("GET_CUR clock %d valid %d", entity,
		    dev->valid[clock]);
		return;
	}
	emu_log("audio request 0x%02x 0x%02x entity %d cs %d: stall",
	    setup[0], setup[1], entity, cs);
	emu_stall(r);
}

/* Log the gains of a mix in one line. */
static void
emu_dev_log_mix(const char *what, int mix, const uint16_t *gains, int n)
{
	char	buf[512];
	int	i, off = 0;

	for (i = 0; i < n && off < (int)sizeof(buf) - 8; i++)
		off += snprintf(buf + off, sizeof(buf) - off, " %u",
		    gains[i]);
	buf[off] = '\0';
	emu_log("%s mix %d gains%s", what, mix, buf);
}

/*
 * Carry out one CMD_REQ: p is its payload of n bytes.  The response goes
 * into dev->resp, the decoded command into the log.
 */
static void
emu_dev_cmd(struct emu_dev *dev, uint32_t cmd, const uint8_t *p, size_t n)
{
	uint8_t		*o = dev->resp;
	uint32_t	 off, size, v;
	uint16_t	 gains[EMU_MIX_MAX];
	int		 i, k, mix, count;

	dev->resp_len = 0;
	switch (cmd) {
	case S2_INIT_1:
		emu_log("INIT_1");
		break;
	case S2_INIT_2:
		emu_put32(o + 8, dev->firmware);
		dev->resp_len = 84;
		emu_log("INIT_2 firmware %u", dev->firmware);
		break;
	case S2_GET_DATA:
		off = n >= 8 ? emu_le32(p) : 0;
		size = n >= 8 ? emu_le32(p + 4) : 0;
		if (off > EMU_CONFIG_SIZE || size > EMU_CONFIG_SIZE - off ||
		    size > sizeof(dev->resp))
			size = 0;
		memcpy(o, dev->config + off, size);
		dev->resp_len = size;
		emu_log("GET_DATA offset 0x%x len %u", off, size);
		break;
	case S2_SET_DATA:
		off = n >= 8 ? emu_le32(p) : 0;
		size = n >= 8 ? emu_le32(p + 4) : 0;
		if (n < 8 || size > n - 8 || off > EMU_CONFIG_SIZE ||
		    size > EMU_CONFIG_SIZE - off) {
			emu_log("SET_DATA malformed, %zu bytes", n);
			break;
		}
		memcpy(dev->config + off, p + 8, size);
		for (v = 0, i = size < 4 ? size : 4; i > 0; i--)
			v = v << 8 | p[8 + i - 1];
		emu_log("SET_DATA offset 0x%x len %u value %u", off, size, v);
		break;
	case S2_DATA_CMD:
		emu_log("DATA_CMD %u", n >= 4 ? emu_le32(p) : 0);
		break;
	case S2_GET_SYNC:
		emu_put32(o, dev->sync);
		dev->resp_len = 4;
		emu_log("GET_SYNC %u", dev->sync);
		break;
	case S2_GET_MIX:
		mix = n >= 4 ? emu_le16(p) : 0;
		count = n >= 4 ? emu_le16(p + 2) : 0;
		if (mix >= EMU_MIXES_MAX || count > EMU_MIX_MAX)
			count = 0;
		for (i = 0; i < count; i++)
			emu_put16(o + 2 * i, dev->mix[mix][i]);
		dev->resp_len = 2 * count;
		emu_log("GET_MIX mix %d count %d", mix, count);
		break;
	case S2_SET_MIX:
		mix = n >= 2 ? emu_le16(p) : 0;
		count = n >= 2 ? (n - 2) / 2 : 0;
		if (mix >= EMU_MIXES_MAX || count > EMU_MIX_MAX) {
			emu_log("SET_MIX malformed, %zu bytes", n);
			break;
		}
		for (i = 0; i < count; i++)
			gains[i] = dev->mix[mix][i] = emu_le16(p + 2 + 2 * i);
		emu_dev_log_mix("SET_MIX", mix, gains, count);
		break;
	case S2_GET_MUX:
		k = n >= 4 ? emu_le16(p) : 0;
		count = n >= 4 ? emu_le16(p + 2) : 0;
		if (k >= EMU_MUX_TABLES || count > EMU_MUX_MAX)
			count = 0;
		for (i = 0; i < count; i++)
			emu_put32(o + 4 * i, dev->mux[k][i]);
		dev->resp_len = 4 * count;
		emu_log("GET_MUX table %d count %d", k, count);
		break;
	case S2_SET_MUX:
		k = n >= 4 ? emu_le16(p + 2) : 0;
		count = n >= 4 ? (n - 4) / 4 : 0;
		if (k >= EMU_MUX_TABLES || count > EMU_MUX_MAX) {
			emu_log("SET_MUX malformed, %zu bytes", n);
			break;
		}
		memset(dev->mux[k], 0, sizeof(dev->mux[k]));
		for (i = 0; i < count; i++)
			dev->mux[k][i] = emu_le32(p + 4 + 4 * i);
		emu_log("SET_MUX table %d count %d", k, count);
		break;
	case S2_GET_METER:
		count = n >= 4 ? emu_le16(p + 2) : 0;
		if (4 * (size_t)count > sizeof(dev->resp))
			count = 0;
		memset(o, 0, 4 * count);
		dev->resp_len = 4 * count;
		emu_log("GET_METER count %d", count);
		break;
	case S2_INFO_FLASH:
		emu_put32(o, 0x100000);
		emu_put32(o + 4, EMU_NSEGMENTS);
		dev->resp_len = 16;
		emu_log("INFO_FLASH");
		break;
	case S2_INFO_SEGMENT:
		k = n >= 4 ? emu_le32(p) : 0;
		memset(o, 0, 24);
		if (k >= 0 && k < EMU_NSEGMENTS) {
			emu_put32(o, k == 0 ? 0x40000 : 0x10000);
			strncpy((char *)o + 8, emu_segments[k], 16);
		}
		dev->resp_len = 24;
		emu_log("INFO_SEGMENT %d", k);
		break;
	default:
		emu_log("command 0x%x with %zu bytes: answered empty", cmd, n);
		break;
	}
}

/* The vendor interface: INIT, CMD_REQ and CMD_RESP. */
static void
emu_dev_vendor(struct emu_dev *dev, const uint8_t *setup,
    const uint8_t *data, size_t len, struct emu_reply *r)
{
	uint16_t	wLength = emu_le16(setup + 6);
	uint32_t	cmd;
	size_t		size;

	if (setup[0] == 0xa1 && setup[1] == S2_INIT) {
		r->len = wLength < 24 ? wLength : 24;
		emu_log("INIT");
		return;
	}
	if (setup[0] == 0x21 && setup[1] == S2_CMD_REQ && len >= S2_HDR) {
		r->delay_ms = dev->delay_ms;
		cmd = emu_le32(data);
		if (dev->stall > 0) {
			dev->stall--;
			emu_log("CMD_REQ cmd 0x%x seq %u: stall", cmd,
			    emu_le16(data + 6));
			emu_stall(r);
			return;
		}
		dev->resp_cmd = cmd;
		dev->resp_seq = emu_le16(data + 6);
		emu_dev_cmd(dev, cmd, data + S2_HDR, len - S2_HDR);
		if (dev->ack)
			r->notify = S2_NOTIFY_ACK;
		return;
	}
	if (setup[0] == 0xa1 && setup[1] == S2_CMD_RESP && wLength >= S2_HDR) {
		r->delay_ms = dev->delay_ms;
		size = wLength - S2_HDR;
		if (size > sizeof(r->data) - S2_HDR)
			size = sizeof(r->data) - S2_HDR;
		memset(r->data, 0, S2_HDR + size);
		emu_put32(r->data, dev->resp_cmd);
		emu_put16(r->data + 4, size);
		emu_put16(r->data + 6, dev->resp_seq);
		if (dev->errors > 0) {
			dev->errors--;
			emu_put32(r->data + 8, 1);
		}
		memcpy(r->data + S2_HDR, dev->resp,
		    size < dev->resp_len ? size : dev->resp_len);
		r->len = S2_HDR + size;
		emu_log("CMD_RESP cmd 0x%x seq %u len %zu%s", dev->resp_cmd,
		    dev->resp_seq, size, emu_le32(r->data + 8) ?
		    " error 1" : "");
		return;
	}
	emu_log("vendor request 0x%02x 0x%02x: stall", setup[0], setup[1]);
	emu_stall(r);
}

/* Answer one control transfer (setup packet, OUT data) into r. */
void
emu_dev_control(struct emu_dev *dev, const uint8_t *setup,
    const uint8_t *data, size_t len, struct emu_reply *r)
{
	memset(r, 0, sizeof(*r));
	if ((setup[0] & 0x60) == 0)
		emu_dev_standard(dev, setup, r);
	else if ((setup[0] & 0x7f) == 0x21 && setup[4] == dev->iface)
		emu_dev_vendor(dev, setup, data, len, r);
	else if ((setup[0] & 0x7f) == 0x21 && setup[4] == 0)
		emu_dev_audio(dev, setup, data, len, r);
	else {
		emu_log("request 0x%02x 0x%02x: stall", setup[0], setup[1]);
		emu_stall(r);
	}
}

/* Parse a number (0x.. for hex, a sign allowed) into *v; 0 or -1. */
static int
emu_num(const char *s, long *v)
{
	char	*end;

	errno = 0;
	*v = strtol(s, &end, 0);
	return (errno != 0 || *s == '\0' || *end != '\0' ? -1 : 0);
}

/*
 * One command that changes the device (see the usage in scarlett-emu.c);
 * 0, -1 if it is not one of these, -2 for bad arguments.
 */
int
emu_dev_command(struct emu_dev *dev, int argc, char **argv)
{
	long	a, b, c;
	int	i;

	if (argc < 1)
		return (-1);
	if (strcmp(argv[0], "config") == 0 ||
	    strcmp(argv[0], "config16") == 0 ||
	    strcmp(argv[0], "config32") == 0) {
		int w = argv[0][6] == '1' ? 2 : argv[0][6] == '3' ? 4 : 1;

		if (argc < 3 || emu_num(argv[1], &a) == -1 || a < 0 ||
		    a + w * (argc - 2) > EMU_CONFIG_SIZE)
			return (-2);
		for (i = 2; i < argc; i++) {
			if (emu_num(argv[i], &b) == -1)
				return (-2);
			for (c = 0; c < w; c++)
				dev->config[a++] = (unsigned long)b >> (8 * c);
		}
		return (0);
	}
	if (strcmp(argv[0], "mix") == 0) {
		if (argc < 4 || emu_num(argv[1], &a) == -1 ||
		    emu_num(argv[2], &b) == -1 || a < 0 ||
		    a >= EMU_MIXES_MAX || b < 0 || b + argc - 3 > EMU_MIX_MAX)
			return (-2);
		for (i = 3; i < argc; i++) {
			if (emu_num(argv[i], &c) == -1 || c < 0 || c > 65535)
				return (-2);
			dev->mix[a][b++] = c;
		}
		return (0);
	}
	if (strcmp(argv[0], "mux") == 0) {
		/* mux TABLE DST SRC: route source id SRC to DST. */
		if (argc != 4 || emu_num(argv[1], &a) == -1 ||
		    emu_num(argv[2], &b) == -1 ||
		    emu_num(argv[3], &c) == -1 || a < 0 ||
		    a >= EMU_MUX_TABLES)
			return (-2);
		for (i = 0; i < EMU_MUX_MAX; i++)
			if (dev->mux[a][i] == 0 ||
			    (dev->mux[a][i] & 0xfff) == (uint32_t)b)
				break;
		if (i == EMU_MUX_MAX)
			return (-2);
		dev->mux[a][i] = (uint32_t)b | (uint32_t)c << 12;
		return (0);
	}
	if (argc != 2 || emu_num(argv[1], &a) == -1 || a < 0)
		return (strcmp(argv[0], "sync") == 0 ||
		    strcmp(argv[0], "firmware") == 0 ||
		    strcmp(argv[0], "clock") == 0 ||
		    strcmp(argv[0], "delay") == 0 ||
		    strcmp(argv[0], "stall") == 0 ||
		    strcmp(argv[0], "error") == 0 ||
		    strcmp(argv[0], "ack") == 0 ? -2 : -1);
	if (strcmp(argv[0], "sync") == 0)
		dev->sync = a;
	else if (strcmp(argv[0], "firmware") == 0)
		dev->firmware = a;
	else if (strcmp(argv[0], "clock") == 0)
		dev->clock = a;
	else if (strcmp(argv[0], "delay") == 0)
		dev->delay_ms = a;
	else if (strcmp(argv[0], "stall") == 0)
		dev->stall = a;
	else if (strcmp(argv[0], "error") == 0)
		dev->errors = a;
	else if (strcmp(argv[0], "ack") == 0)
		dev->ack = a != 0;
	else
		return (-1);
	return (0);
}
