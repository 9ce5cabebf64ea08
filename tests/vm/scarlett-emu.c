/*
 * An emulated Focusrite Scarlett for the VM tier: plugs itself into
 * vhci-hcd over USB/IP so that the kernel's own snd-usb-audio and
 * scarlett2 driver bind it, and takes test commands on a FIFO.  Every
 * transfer and decoded command goes to the log, flushed before the reply.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define EMU_ARGS	64

static FILE	*emu_logf;

static void	emu_usage(void) __attribute__((__noreturn__));

static void
emu_usage(void)
{
	fprintf(stderr,
	    "usage: scarlett-emu [-l log] [-c fifo] [-p port] "
	    "[-s preset]... model\n"
	    "       scarlett-emu -L\n"
	    "commands (preset lines and the fifo):\n"
	    "  config OFFSET BYTE...    config16|config32 OFFSET VALUE...\n"
	    "  mix MIX INPUT GAIN...    mux TABLE DST SRC\n"
	    "  sync N  firmware N  clock N\n"
	    "  delay MS  stall N  error N  ack 0|1\n"
	    "fifo only:\n"
	    "  notify MASK  unplug  replug  mark TEXT  quit\n");
	exit(2);
}

void
emu_log_open(const char *path)
{
	if ((emu_logf = fopen(path, "a")) == NULL) {
		fprintf(stderr, "scarlett-emu: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
}

/* One log line, stamped with the seconds of /proc/uptime. */
void
emu_log(const char *fmt, ...)
{
	struct timespec	ts;
	va_list		ap;
	FILE		*f = emu_logf != NULL ? emu_logf : stdout;
	int		saved = errno;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	fprintf(f, "%lld.%06ld ", (long long)ts.tv_sec, ts.tv_nsec / 1000);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
	errno = saved;
}

void
emu_fatal(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "scarlett-emu: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (emu_logf != NULL) {
		va_start(ap, fmt);
		fprintf(emu_logf, "fatal: ");
		vfprintf(emu_logf, fmt, ap);
		fputc('\n', emu_logf);
		fflush(emu_logf);
		va_end(ap);
	}
	exit(1);
}

/* Split line into words at blanks; the number of words. */
static int
emu_split(char *line, char **argv)
{
	char	*w;
	int	 argc = 0;

	for (w = strtok(line, " \t\r\n"); w != NULL && argc < EMU_ARGS;
	    w = strtok(NULL, " \t\r\n"))
		argv[argc++] = w;
	return (argc);
}

/* Apply a preset file: device commands, one a line, # comments. */
static void
emu_preset(struct emu_dev *dev, const char *path)
{
	char	 line[1024], *argv[EMU_ARGS], *hash;
	FILE	*f;
	int	 argc, lineno = 0;

	if ((f = fopen(path, "r")) == NULL)
		emu_fatal("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if ((argc = emu_split(line, argv)) == 0)
			continue;
		if (emu_dev_command(dev, argc, argv) != 0)
			emu_fatal("%s:%d: bad command '%s'", path, lineno,
			    argv[0]);
	}
	fclose(f);
}

/* The state of the main loop. */
struct emu {
	struct emu_dev	 dev;
	struct emu_usbip *usbip;
	int		 port;
	int		 fifo;
	char		 buf[4096];
	size_t		 len;
};

/* One command from the fifo. */
static void
emu_command(struct emu *e, char *line)
{
	char		*argv[EMU_ARGS];
	int		 argc, err;
	long		 mask;
	char		*end;

	/* Never NULL; said for GCC, which cannot see it at -O1 with ASan. */
	if (line == NULL)
		return;
	emu_log("ctl: %s", line);
	if (strncmp(line, "mark ", 5) == 0) {
		emu_log("mark %s", line + 5);
		return;
	}
	if ((argc = emu_split(line, argv)) == 0)
		return;
	if (strcmp(argv[0], "notify") == 0 && argc == 2) {
		mask = strtol(argv[1], &end, 0);
		if (*end != '\0')
			emu_log("ctl: bad mask");
		else if (e->usbip == NULL)
			emu_log("ctl: unplugged, no notification");
		else
			emu_usbip_notify(e->usbip, mask);
	} else if (strcmp(argv[0], "unplug") == 0 && argc == 1) {
		emu_usbip_detach(e->usbip);
		e->usbip = NULL;
	} else if (strcmp(argv[0], "replug") == 0 && argc == 1) {
		if (e->usbip == NULL)
			e->usbip = emu_usbip_attach(e->port, 3);
	} else if (strcmp(argv[0], "quit") == 0 && argc == 1) {
		emu_log("quit");
		exit(0);
	} else if ((err = emu_dev_command(&e->dev, argc, argv)) != 0)
		emu_log("ctl: %s '%s'", err == -1 ? "unknown command" :
		    "bad arguments to", argv[0]);
}

/* Read what the fifo has and carry out each whole line. */
static void
emu_fifo_read(struct emu *e)
{
	char	*nl, *line;
	ssize_t	 n;

	n = read(e->fifo, e->buf + e->len, sizeof(e->buf) - 1 - e->len);
	if (n <= 0)
		return;
	e->len += n;
	e->buf[e->len] = '\0';
	line = e->buf;
	while ((nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		emu_command(e, line);
		line = nl + 1;
	}
	e->len -= line - e->buf;
	memmove(e->buf, line, e->len);
	if (e->len == sizeof(e->buf) - 1)
		e->len = 0;	/* a line too long: drop it */
}

int
main(int argc, char *argv[])
{
	static struct emu	 e;
	const struct emu_model	*model;
	const char		*fifo = NULL, *presets[16];
	struct pollfd		 pfd[2];
	int			 ch, i, n, npresets = 0;

	e.fifo = -1;
	while ((ch = getopt(argc, argv, "c:Ll:p:s:")) != -1) {
		switch (ch) {
		case 'c':
			fifo = optarg;
			break;
		case 'L':
			emu_model_list();
			return (0);
		case 'l':
			emu_log_open(optarg);
			break;
		case 'p':
			e.port = atoi(optarg);
			break;
		case 's':
			if (npresets == 16)
				emu_usage();
			presets[npresets++] = optarg;
			break;
		default:
			emu_usage();
		}
	}
	if (argc - optind != 1)
		emu_usage();
	if ((model = emu_model_find(argv[optind])) == NULL)
		emu_fatal("unknown model '%s' (-L lists them)", argv[optind]);
	emu_dev_init(&e.dev, model);
	for (i = 0; i < npresets; i++)
		emu_preset(&e.dev, presets[i]);
	if (fifo != NULL) {
		if (mkfifo(fifo, 0600) == -1 && errno != EEXIST)
			emu_fatal("%s: %s", fifo, strerror(errno));
		/* Read-write, so that no writer closing it means EOF. */
		if ((e.fifo = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)) ==
		    -1)
			emu_fatal("%s: %s", fifo, strerror(errno));
	}
	emu_log("model %s 1235:%04x", model->name, model->pid);
	e.usbip = emu_usbip_attach(e.port, 3);

	for (;;) {
		n = 0;
		if (e.fifo != -1) {
			pfd[n].fd = e.fifo;
			pfd[n++].events = POLLIN;
		}
		if (e.usbip != NULL) {
			pfd[n].fd = emu_usbip_fd(e.usbip);
			pfd[n++].events = POLLIN;
		}
		if (poll(pfd, n, e.usbip != NULL ?
		    emu_usbip_timeout(e.usbip) : -1) == -1) {
			if (errno == EINTR)
				continue;
			emu_fatal("poll: %s", strerror(errno));
		}
		if (e.usbip != NULL && (pfd[n - 1].revents != 0 ||
		    emu_usbip_timeout(e.usbip) == 0)) {
			if ((pfd[n - 1].revents != 0 &&
			    emu_usbip_read(e.usbip, &e.dev) == -1) ||
			    emu_usbip_flush(e.usbip) == -1) {
				emu_log("the host let go of the device");
				emu_usbip_detach(e.usbip);
				e.usbip = NULL;
			}
		}
		if (e.fifo != -1 && pfd[0].revents != 0)
			emu_fifo_read(&e);
	}
}
