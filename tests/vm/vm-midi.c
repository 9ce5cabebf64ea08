/*
 * Play a MIDI surface through a raw MIDI device: send bytes, flood it with
 * fader moves, or print every message that arrives, one a line, with
 * running status undone.  Or be a sequencer port whose name changes, as
 * a program renames one.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "midi.h"

static void	vmmidi_usage(void) __attribute__((__noreturn__));

static void
vmmidi_usage(void)
{
	fprintf(stderr, "usage: vm-midi send device hexbyte...\n"
	    "       vm-midi flood device faders rate seconds\n"
	    "       vm-midi dump device\n"
	    "       vm-midi port name\n");
	exit(2);
}

/* vm-midi send: write the bytes given in hex in one write. */
static int
vmmidi_send(const char *path, int argc, char **argv)
{
	uint8_t		 buf[256];
	char		*end;
	unsigned long	 b;
	int		 fd, i;

	if (argc < 1 || argc > (int)sizeof(buf))
		vmmidi_usage();
	for (i = 0; i < argc; i++) {
		errno = 0;
		b = strtoul(argv[i], &end, 16);
		if (errno != 0 || *end != '\0' || b > 0xff)
			vmmidi_usage();
		buf[i] = b;
	}
	if ((fd = open(path, O_WRONLY)) == -1) {
		fprintf(stderr, "vm-midi: %s: %s\n", path, strerror(errno));
		return (1);
	}
	if (write(fd, buf, argc) != argc) {
		fprintf(stderr, "vm-midi: %s: %s\n", path, strerror(errno));
		return (1);
	}
	close(fd);
	return (0);
}

/* Seconds since boot, as /proc/uptime counts them. */
static double
vmmidi_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/*
 * vm-midi flood: move faders CC 1..faders, each rate times a second for
 * seconds, in rounds of one CC per fader, on time (late rounds are sent
 * together).  The last round sets fader i to 127 for even i and 0 for
 * odd i.  Prints what it sent and when the last byte went.
 */
static int
vmmidi_flood(const char *path, int faders, int rate, int seconds)
{
	uint8_t		buf[8192];
	double		t0, t;
	long		round, due, rounds = (long)rate * seconds;
	int		fd, i, v, n;

	if (faders < 1 || faders > 16 || rate < 1 || rate > 10000 ||
	    seconds < 1 || seconds > 60)
		vmmidi_usage();
	if ((fd = open(path, O_WRONLY)) == -1) {
		fprintf(stderr, "vm-midi: %s: %s\n", path, strerror(errno));
		return (1);
	}
	t0 = vmmidi_now();
	for (round = 0; round < rounds;) {
		due = (long)((vmmidi_now() - t0) * rate) + 1;
		if (due > rounds)
			due = rounds;
		for (n = 0; round < due && n + 3 * faders <= (int)sizeof(buf);
		    round++) {
			for (i = 0; i < faders; i++) {
				v = (round + 16 * i) % 128;
				if (round == rounds - 1)
					v = i % 2 == 0 ? 127 : 0;
				buf[n++] = 0xb0;
				buf[n++] = i + 1;
				buf[n++] = v;
			}
		}
		if (n > 0 && write(fd, buf, n) != n) {
			fprintf(stderr, "vm-midi: %s: %s\n", path,
			    strerror(errno));
			return (1);
		}
		if (round < rounds)
			usleep(1000000 / rate);
	}
	t = vmmidi_now();
	close(fd);
	printf("sent %ld events in %.3f s, last byte at %.6f\n",
	    rounds * faders, t - t0, t);
	return (0);
}

/*
 * vm-midi dump: print messages as "b0 01 7f", and each SysEx whole as
 * "f0 7d 01 f7", until the device ends.
 */
static int
vmmidi_dump(const char *path)
{
	struct midi_parser	 p;
	struct midi_msg		 msg;
	uint8_t			 buf[1024], sx[256];
	ssize_t			 n, i;
	size_t			 nsx = 0, j;
	int			 fd, insx = 0;

	if ((fd = open(path, O_RDONLY)) == -1) {
		fprintf(stderr, "vm-midi: %s: %s\n", path, strerror(errno));
		return (1);
	}
	midi_parser_init(&p);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		if ((n = read(fd, buf, sizeof(buf))) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] == 0xf0) {
				insx = 1;
				nsx = 0;
			}
			if (insx && (buf[i] < 0x80 || buf[i] == 0xf0 ||
			    buf[i] == 0xf7) && nsx < sizeof(sx))
				sx[nsx++] = buf[i];
			if (insx && buf[i] == 0xf7) {
				for (j = 0; j < nsx; j++)
					printf("%02x%s", sx[j], j + 1 < nsx ?
					    " " : "\n");
				insx = 0;
			} else if (insx && buf[i] >= 0x80 && buf[i] < 0xf8 &&
			    buf[i] != 0xf0)
				insx = 0;
			if (!midi_parser_feed(&p, buf[i], &msg))
				continue;
			if (midi_msg_datalen(msg.status) == 1)
				printf("%02x %02x\n", msg.status, msg.data1);
			else
				printf("%02x %02x %02x\n", msg.status,
				    msg.data1, msg.data2);
		}
	}
	if (n < 0)
		fprintf(stderr, "vm-midi: %s: %s\n", path, strerror(errno));
	close(fd);
	return (n < 0);
}

/*
 * vm-midi port: a client "VM Port" with one port, marked hardware as a
 * Bluetooth or network MIDI daemon marks its ports; each line read from
 * standard input renames the port, and end of input ends it.
 */
static int
vmmidi_port(const char *name)
{
	snd_seq_t		*seq;
	snd_seq_port_info_t	*pinfo;
	char			 line[128];
	int			 port, err;

	if ((err = snd_seq_open(&seq, "default", SND_SEQ_OPEN_DUPLEX, 0)) < 0) {
		fprintf(stderr, "vm-midi: sequencer: %s\n", snd_strerror(err));
		return (1);
	}
	snd_seq_set_client_name(seq, "VM Port");
	if ((port = snd_seq_create_simple_port(seq, name,
	    SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ |
	    SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE,
	    SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_HARDWARE)) < 0) {
		fprintf(stderr, "vm-midi: port: %s\n", snd_strerror(port));
		return (1);
	}
	printf("ready\n");
	fflush(stdout);
	snd_seq_port_info_alloca(&pinfo);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((err = snd_seq_get_port_info(seq, port, pinfo)) < 0 ||
		    (snd_seq_port_info_set_name(pinfo, line),
		    err = snd_seq_set_port_info(seq, port, pinfo)) < 0) {
			fprintf(stderr, "vm-midi: rename: %s\n",
			    snd_strerror(err));
			return (1);
		}
		printf("renamed %s\n", line);
		fflush(stdout);
	}
	snd_seq_close(seq);
	return (0);
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "port") == 0)
		return (vmmidi_port(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "send") == 0)
		return (vmmidi_send(argv[2], argc - 3, argv + 3));
	if (argc == 6 && strcmp(argv[1], "flood") == 0)
		return (vmmidi_flood(argv[2], atoi(argv[3]), atoi(argv[4]),
		    atoi(argv[5])));
	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return (vmmidi_dump(argv[2]));
	vmmidi_usage();
}
