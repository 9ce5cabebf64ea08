/*
 * The emulated Scarlett's USB/IP side: attach a socket to vhci-hcd, read
 * its CMD_SUBMIT and CMD_UNLINK, hand control transfers to the device,
 * hold the interrupt URB for notifications and send the replies, each
 * when its delay is over.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define VHCI_ATTACH	"/sys/devices/platform/vhci_hcd.0/attach"

#define USBIP_CMD_SUBMIT	1
#define USBIP_CMD_UNLINK	2
#define USBIP_RET_SUBMIT	3
#define USBIP_RET_UNLINK	4
#define USBIP_HDR		48
#define USBIP_DIR_IN		1
#define EMU_EP_INT		3	/* the notification endpoint, 0x83 */
#define EMU_QUEUE		8

/* A reply waiting for its time. */
struct emu_pending {
	uint32_t	 seqnum;
	uint32_t	 devid;
	uint32_t	 dir;
	uint32_t	 ep;
	struct emu_reply reply;
	uint64_t	 due;		/* CLOCK_MONOTONIC ms */
};

struct emu_usbip {
	int		 fd;
	struct emu_pending queue[EMU_QUEUE];
	int		 nqueue;
	int		 int_held;	/* an interrupt URB is waiting */
	uint32_t	 int_seqnum;
	uint32_t	 int_devid;
	uint32_t	 int_mask;	/* notifications not sent yet */
};

/* Milliseconds on the monotonic clock. */
static uint64_t
emu_usbip_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
emu_usbip_put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint32_t
emu_usbip_get32(const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
	return (ntohl(v));
}

/* Read exactly len bytes; 0, or -1 when the kernel closed the socket. */
static int
emu_usbip_readn(int fd, void *buf, size_t len)
{
	uint8_t	*p = buf;
	ssize_t	 n;

	while (len > 0) {
		if ((n = read(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		p += n;
		len -= n;
	}
	return (0);
}

/* Write exactly len bytes; 0 or -1. */
static int
emu_usbip_writen(int fd, const void *buf, size_t len)
{
	const uint8_t	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		p += n;
		len -= n;
	}
	return (0);
}

/* Plug in: a socket pair, one end given to vhci-hcd on port. */
struct emu_usbip *
emu_usbip_attach(int port, int speed)
{
	struct emu_usbip	*u;
	char			 buf[64];
	int			 sv[2], fd, i, len;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		emu_fatal("socketpair: %s", strerror(errno));
	len = snprintf(buf, sizeof(buf), "%d %d %d %d", port, sv[1],
	    0x10000 | (port + 2), speed);
	/* Right after an unplug the port may still be busy a while. */
	for (i = 0;; i++) {
		if ((fd = open(VHCI_ATTACH, O_WRONLY)) == -1)
			emu_fatal("%s: %s", VHCI_ATTACH, strerror(errno));
		if (write(fd, buf, len) == len)
			break;
		if (i == 50)
			emu_fatal("%s: %s: %s", VHCI_ATTACH, buf,
			    strerror(errno));
		close(fd);
		usleep(100000);
	}
	close(fd);
	close(sv[1]);
	if ((u = calloc(1, sizeof(*u))) == NULL)
		emu_fatal("out of memory");
	u->fd = sv[0];
	emu_log("attach port %d speed %d", port, speed);
	return (u);
}

/* Unplug: closing the socket is a USB disconnect for the kernel. */
void
emu_usbip_detach(struct emu_usbip *u)
{
	if (u == NULL)
		return;
	close(u->fd);
	free(u);
	emu_log("detach");
}

int
emu_usbip_fd(struct emu_usbip *u)
{
	return (u->fd);
}

/* Send RET_SUBMIT for one URB. */
static int
emu_usbip_ret_submit(struct emu_usbip *u, uint32_t seqnum, uint32_t devid,
    uint32_t dir, uint32_t ep, int status, const uint8_t *data, size_t len)
{
	uint8_t	hdr[USBIP_HDR];

	memset(hdr, 0, sizeof(hdr));
	emu_usbip_put32(hdr, USBIP_RET_SUBMIT);
	emu_usbip_put32(hdr + 4, seqnum);
	emu_usbip_put32(hdr + 8, devid);
	emu_usbip_put32(hdr + 12, dir);
	emu_usbip_put32(hdr + 16, ep);
	emu_usbip_put32(hdr + 20, (uint32_t)status);
	emu_usbip_put32(hdr + 24, status == 0 ? len : 0);
	if (emu_usbip_writen(u->fd, hdr, sizeof(hdr)) == -1)
		return (-1);
	if (dir == USBIP_DIR_IN && status == 0 && len > 0)
		return (emu_usbip_writen(u->fd, data, len));
	return (0);
}

/* Complete the held interrupt URB with the pending notifications. */
static int
emu_usbip_int_send(struct emu_usbip *u)
{
	uint8_t	buf[8];

	if (!u->int_held || u->int_mask == 0)
		return (0);
	memset(buf, 0, sizeof(buf));
	buf[0] = u->int_mask;
	buf[1] = u->int_mask >> 8;
	buf[2] = u->int_mask >> 16;
	buf[3] = u->int_mask >> 24;
	emu_log("notify 0x%08x", u->int_mask);
	u->int_held = 0;
	u->int_mask = 0;
	return (emu_usbip_ret_submit(u, u->int_seqnum, u->int_devid,
	    USBIP_DIR_IN, EMU_EP_INT, 0, buf, sizeof(buf)));
}

/* Send mask on the interrupt endpoint, now or when the host asks next. */
void
emu_usbip_notify(struct emu_usbip *u, uint32_t mask)
{
	if (u == NULL)
		return;
	u->int_mask |= mask;
	emu_usbip_int_send(u);
}

/* Milliseconds until the next reply is due, or -1 for none. */
int
emu_usbip_timeout(struct emu_usbip *u)
{
	uint64_t	now;

	if (u == NULL || u->nqueue == 0)
		return (-1);
	now = emu_usbip_now();
	if (u->queue[0].due <= now)
		return (0);
	return ((int)(u->queue[0].due - now));
}

/* Send the replies that are due, in order; 0 or -1. */
int
emu_usbip_flush(struct emu_usbip *u)
{
	struct emu_pending	*p;
	uint64_t		 now = emu_usbip_now();

	while (u->nqueue > 0 && u->queue[0].due <= now) {
		p = &u->queue[0];
		if (emu_usbip_ret_submit(u, p->seqnum, p->devid, p->dir,
		    p->ep, p->reply.status, p->reply.data,
		    p->reply.len) == -1)
			return (-1);
		if (p->reply.notify != 0) {
			u->int_mask |= p->reply.notify;
			if (emu_usbip_int_send(u) == -1)
				return (-1);
		}
		u->nqueue--;
		memmove(&u->queue[0], &u->queue[1],
		    u->nqueue * sizeof(u->queue[0]));
	}
	return (0);
}

/* CMD_UNLINK: drop the URB if it is still held. */
static int
emu_usbip_unlink(struct emu_usbip *u, const uint8_t *hdr)
{
	uint8_t		 ret[USBIP_HDR];
	uint32_t	 victim = emu_usbip_get32(hdr + 20);
	int		 i, status = 0;

	for (i = 0; i < u->nqueue; i++)
		if (u->queue[i].seqnum == victim)
			break;
	if (i < u->nqueue) {
		u->nqueue--;
		memmove(&u->queue[i], &u->queue[i + 1],
		    (u->nqueue - i) * sizeof(u->queue[0]));
		status = -ECONNRESET;
	} else if (u->int_held && u->int_seqnum == victim) {
		u->int_held = 0;
		status = -ECONNRESET;
	}
	emu_log("unlink seqnum %u: %s", victim,
	    status != 0 ? "held" : "done");
	memset(ret, 0, sizeof(ret));
	emu_usbip_put32(ret, USBIP_RET_UNLINK);
	memcpy(ret + 4, hdr + 4, 12);
	emu_usbip_put32(ret + 20, (uint32_t)status);
	return (emu_usbip_writen(u->fd, ret, sizeof(ret)));
}

/* Read and answer one message; 0, or -1 when the host let go. */
int
emu_usbip_read(struct emu_usbip *u, struct emu_dev *dev)
{
	static uint8_t		 data[65536];
	struct emu_pending	*p;
	uint8_t			 hdr[USBIP_HDR];
	uint32_t		 cmd, dir, ep, len, npackets;

	if (emu_usbip_readn(u->fd, hdr, sizeof(hdr)) == -1)
		return (-1);
	cmd = emu_usbip_get32(hdr);
	if (cmd == USBIP_CMD_UNLINK)
		return (emu_usbip_unlink(u, hdr));
	if (cmd != USBIP_CMD_SUBMIT) {
		emu_log("unknown usbip command %u", cmd);
		return (-1);
	}
	dir = emu_usbip_get32(hdr + 12);
	ep = emu_usbip_get32(hdr + 16);
	len = emu_usbip_get32(hdr + 24);
	npackets = emu_usbip_get32(hdr + 32);
	if (len > sizeof(data)) {
		emu_log("transfer of %u bytes is too long", len);
		return (-1);
	}
	if (dir != USBIP_DIR_IN && len > 0 &&
	    emu_usbip_readn(u->fd, data, len) == -1)
		return (-1);
	/* No isochronous endpoints, but keep the stream in step. */
	if (npackets != 0 && npackets != 0xffffffff &&
	    emu_usbip_readn(u->fd, data, 16 * (size_t)npackets) == -1)
		return (-1);

	if (ep == EMU_EP_INT && dir == USBIP_DIR_IN) {
		u->int_held = 1;
		u->int_seqnum = emu_usbip_get32(hdr + 4);
		u->int_devid = emu_usbip_get32(hdr + 8);
		return (emu_usbip_int_send(u));
	}
	if (ep != 0) {
		emu_log("ep %u: stall", ep);
		return (emu_usbip_ret_submit(u, emu_usbip_get32(hdr + 4),
		    emu_usbip_get32(hdr + 8), dir, ep, -EPIPE, NULL, 0));
	}
	if (u->nqueue == EMU_QUEUE) {
		emu_log("too many control transfers at once");
		return (-1);
	}
	p = &u->queue[u->nqueue];
	memset(p, 0, sizeof(*p));
	p->seqnum = emu_usbip_get32(hdr + 4);
	p->devid = emu_usbip_get32(hdr + 8);
	p->dir = dir;
	p->ep = ep;
	/* The IN buffer is as long as wLength; OUT data was read above. */
	emu_dev_control(dev, hdr + 40, data, dir == USBIP_DIR_IN ? 0 : len,
	    &p->reply);
	if (dir != USBIP_DIR_IN)
		p->reply.len = len;
	else if (p->reply.len > len)
		p->reply.len = len;
	p->due = emu_usbip_now() + p->reply.delay_ms;
	/* Replies leave in order: a later one waits for an earlier one. */
	if (u->nqueue > 0 && p->due < u->queue[u->nqueue - 1].due)
		p->due = u->queue[u->nqueue - 1].due;
	u->nqueue++;
	return (emu_usbip_flush(u));
}
