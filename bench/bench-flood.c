/*
 * Benchmark driver: play paced MIDI into a FIFO and watch the simulated
 * card, or time a program from exec until it says "ready".
 */

#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "simstate.h"

#define BENCH_FADERS_MAX	8
#define BENCH_FADER_NAME	"Mix A Input %02d Playback Volume"

static void	bench_usage(void) __attribute__((__noreturn__));
static void	bench_fatalx(const char *, ...)
		    __attribute__((__noreturn__, __format__(__printf__, 1, 2)));

static void
bench_usage(void)
{
	fprintf(stderr,
	    "usage: bench-flood [-tw] [-f faders] [-p ms] [-r rate] "
	    "[-s seconds] statefile fifo\n"
	    "       bench-flood -c statefile\n"
	    "       bench-flood -S program [argument ...]\n");
	exit(2);
}

static void
bench_fatalx(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "bench-flood: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* Nanoseconds on the monotonic clock. */
static int64_t
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/* Sleep until a monotonic time in nanoseconds. */
static void
bench_sleep_until(int64_t t)
{
	struct timespec	ts;

	ts.tv_sec = t / 1000000000;
	ts.tv_nsec = t % 1000000000;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

/*
 * Write all of a buffer, blocking: a slow reader slows the sender.
 * Returns -1 if the reader went away (EPIPE), else 0.
 */
static int
bench_write(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				return (-1);
			bench_fatalx("write: %s", strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/*
 * Encode CC NUMBER = VALUE on channel 1, as raw MIDI (running status
 * after the first message) or as one line of aseqdump's output.
 */
static size_t
bench_encode(char *buf, int text, int first, int number, int value)
{
	if (text)
		return ((size_t)sprintf(buf, " 20:0   Control change"
		    "          0, controller %d, value %d\n", number, value));
	if (first) {
		buf[0] = (char)0xb0;
		buf[1] = (char)number;
		buf[2] = (char)value;
		return (3);
	}
	buf[0] = (char)number;
	buf[1] = (char)value;
	return (2);
}

/*
 * "bench-flood -S program ...": run the program with stderr on a pipe
 * and print the milliseconds from exec until it writes a line "ready".
 */
static int
bench_startup(char **argv)
{
	int64_t	 t0;
	pid_t	 pid;
	FILE	*fp;
	char	 line[1024];
	int	 p[2], ready = 0;

	if (pipe(p) < 0)
		bench_fatalx("pipe: %s", strerror(errno));
	t0 = bench_now();
	if ((pid = fork()) < 0)
		bench_fatalx("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	if ((fp = fdopen(p[0], "r")) == NULL)
		bench_fatalx("fdopen: %s", strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strcmp(line, "ready\n") == 0) {
			ready = 1;
			break;
		}
	}
	if (ready)
		printf("%.2f\n", (bench_now() - t0) / 1e6);
	kill(pid, SIGTERM);
	fclose(fp);
	waitpid(pid, NULL, 0);
	return (ready ? 0 : 1);
}

int
main(int argc, char *argv[])
{
	struct simstate			*st;
	const struct simstate_elem	*e;
	char				 name[SIMSTATE_NAME_MAX], buf[256];
	char				 msg[512];
	int64_t				 v[128], start, t, tlast, tdone;
	uint64_t			 w0, w1;
	unsigned long			 rate = 10000, secs = 10, nfaders = 8;
	unsigned long			 tick = 1;
	unsigned long			 sent = 0, i, k;
	int				 elem[BENCH_FADERS_MAX];
	int				 ch, fd, rv, text = 0, each = 0, pending;
	int				 value, done, f, cut, count = 0;
	size_t				 len;

	while ((ch = getopt(argc, argv, "cf:p:r:s:S:tw")) != -1) {
		switch (ch) {
		case 'c':
			count = 1;
			break;
		case 'p':
			tick = strtoul(optarg, NULL, 10);
			if (tick < 1 || tick > 1000)
				bench_usage();
			break;
		case 'f':
			nfaders = strtoul(optarg, NULL, 10);
			if (nfaders < 1 || nfaders > BENCH_FADERS_MAX)
				bench_usage();
			break;
		case 'r':
			rate = strtoul(optarg, NULL, 10);
			break;
		case 's':
			secs = strtoul(optarg, NULL, 10);
			break;
		case 'S':
			return (bench_startup(argv + optind - 1));
		case 't':
			text = 1;
			break;
		case 'w':
			each = 1;
			break;
		default:
			bench_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 - count || rate == 0)
		bench_usage();

	if ((rv = simstate_open(&st, argv[0], NULL, NULL, msg,
	    sizeof(msg))) < 0)
		bench_fatalx("%s", msg[0] != '\0' ? msg : strerror(-rv));
	/* -c: the writes the card took from clients so far. */
	if (count) {
		printf("%" PRIu64 "\n", simstate_writes(st));
		simstate_close(st);
		return (0);
	}
	for (f = 0; f < (int)nfaders; f++) {
		snprintf(name, sizeof(name), BENCH_FADER_NAME, f + 1);
		if ((elem[f] = simstate_find_name(st, name, 0)) < 0)
			bench_fatalx("%s: no such control", name);
	}
	/* A reader killed at the end of a run is no error. */
	signal(SIGPIPE, SIG_IGN);
	if ((fd = open(argv[1], O_WRONLY | O_CLOEXEC)) < 0)
		bench_fatalx("%s: %s", argv[1], strerror(errno));
	w0 = simstate_writes(st);

	/*
	 * -w: one message at a time, each waiting until the card took a
	 * write, so every message costs a whole pass of the service.  The
	 * values alternate, so each one changes the element.
	 */
	if (each) {
		start = bench_now();
		for (i = 0; i < rate; i++) {
			len = bench_encode(buf, text, 1, (int)(i % nfaders) + 1,
			    (int)(i / nfaders % 2) * 64 + 1);
			bench_write(fd, buf, len);
			while (simstate_writes(st) < w0 + i + 1) {
				if (bench_now() - start > 600 * 1000000000LL)
					bench_fatalx("no write after 600 s");
				usleep(50);
			}
		}
		printf("sent=%lu\nwrites=%" PRIu64 "\nseconds=%.3f\n", rate,
		    simstate_writes(st) - w0, (bench_now() - start) / 1e9);
		simstate_close(st);
		return (0);
	}

	/*
	 * The flood: every tick (-p, 1 ms), the messages due by then, round
	 * robin over the faders, each value one above the last for that
	 * fader (0..126).  The last message of each fader sets 127.
	 */
	start = bench_now();
	cut = 0;
	for (k = tick; k <= secs * 1000; k += tick) {
		t = start + (int64_t)k * 1000000;
		/* A reader that cannot keep up does not stretch the run. */
		if (bench_now() > start + (int64_t)secs * 1000000000 +
		    500000000) {
			cut = 1;
			break;
		}
		len = 0;
		while (sent < rate * k / 1000) {
			f = (int)(sent % nfaders);
			value = (int)(sent / nfaders % 127);
			if (sent + nfaders >= rate * secs)
				value = 127;
			len += bench_encode(buf + len, text, sent == 0 ||
			    text, f + 1, value);
			sent++;
			if (len > sizeof(buf) - 64) {
				if (bench_write(fd, buf, len) < 0)
					cut = 1;
				len = 0;
			}
		}
		if (len > 0 && bench_write(fd, buf, len) < 0)
			cut = 1;
		if (cut)
			break;
		/* A blocked writer may be behind: do not sleep then. */
		if (bench_now() < t)
			bench_sleep_until(t);
	}
	tlast = bench_now();
	if (ioctl(fd, FIONREAD, &pending) < 0)
		pending = -1;

	/*
	 * Latency: until every fader holds its top value, at most 30 s.  If
	 * sending was cut short, the top values were never sent.
	 */
	w1 = simstate_writes(st);
	tdone = 0;
	while (!cut && bench_now() - tlast < 30 * 1000000000LL) {
		done = 1;
		for (f = 0; f < (int)nfaders && done; f++) {
			e = simstate_elem(st, (unsigned int)elem[f]);
			if (simstate_read(st, (unsigned int)elem[f], v) < 0 ||
			    v[0] != e->max)
				done = 0;
		}
		if (done) {
			tdone = bench_now();
			break;
		}
		usleep(100);
	}
	if (!cut)
		w1 = simstate_writes(st);
	printf("sent=%lu\nbytes_pending=%d\nsend_seconds=%.3f\n", sent,
	    pending, (tlast - start) / 1e9);
	if (cut)
		printf("latency_ms=cut\n");
	else if (tdone != 0)
		printf("latency_ms=%.2f\n", (tdone - tlast) / 1e6);
	else
		printf("latency_ms=timeout\n");
	/* Writes by the end of sending (by the end of latency if whole). */
	printf("writes=%" PRIu64 "\n", w1 - w0);
	close(fd);
	simstate_close(st);
	return (0);
}
