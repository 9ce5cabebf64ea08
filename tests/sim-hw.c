/* Act as the hardware of a simulated card: set values and access directly. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "simstate.h"

static void	simhw_usage(void) __attribute__((__noreturn__));
static void	simhw_fatalx(const char *, ...)
		    __attribute__((__noreturn__, __format__(__printf__, 1, 2)));

static void
simhw_usage(void)
{
	fprintf(stderr,
	    "usage: sim-hw [-d dir] [-c card] statefile set control "
	    "value[,value...]\n"
	    "       sim-hw [-d dir] [-c card] statefile get control\n"
	    "       sim-hw [-d dir] [-c card] statefile access control "
	    "ro|rw|lock|unlock|busy|idle\n"
	    "       sim-hw [-d dir] [-c card] statefile reset\n"
	    "       sim-hw [-d dir] [-c card] statefile writes|transfers\n"
	    "       sim-hw [-d dir] [-c card] statefile fault "
	    "[delay=ms] [fail=n] [error=EIO|EINVAL|EBUSY|ETIMEDOUT]\n"
	    "                                            [cache=on|off] "
	    "[gone=on|off]\n");
	exit(2);
}

/* Print "sim-hw: message" and exit 1. */
static void
simhw_fatalx(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "sim-hw: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* Does S use amixer's key=value syntax rather than being a bare name? */
static int
simhw_is_ascii_id(const char *s)
{
	static const char	*keys[] = { "numid=", "iface=", "name=",
	    "index=", "device=", "subdevice=" };
	size_t			 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strncasecmp(s, keys[i], strlen(keys[i])) == 0)
			return (1);
	}
	return (0);
}

/* Find the element a CONTROL argument names, or exit. */
static unsigned int
simhw_lookup(struct simstate *st, const char *arg)
{
	snd_ctl_elem_id_t	*id;
	int			 i;

	if (!simhw_is_ascii_id(arg)) {
		if ((i = simstate_find_name(st, arg, 0)) < 0)
			simhw_fatalx("%s: no such control", arg);
		return ((unsigned int)i);
	}
	snd_ctl_elem_id_alloca(&id);
	if (snd_ctl_ascii_elem_id_parse(id, arg) < 0)
		simhw_fatalx("%s: bad control", arg);
	if ((i = simstate_find(st, id)) < 0 &&
	    snd_ctl_elem_id_get_numid(id) == 0 &&
	    strstr(arg, "iface=") == NULL) {
		/* Without iface=, match any interface, like a bare name. */
		i = simstate_find_name(st, snd_ctl_elem_id_get_name(id),
		    snd_ctl_elem_id_get_index(id));
	}
	if (i < 0)
		simhw_fatalx("%s: no such control", arg);
	return ((unsigned int)i);
}

/* Parse one value word S for element E. */
static int
simhw_parse_value(const struct simstate_elem *e, const char *s, int64_t *v)
{
	char		*end;
	long long	 ll;
	unsigned int	 i;

	if (e->type == SND_CTL_ELEM_TYPE_BOOLEAN) {
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "on") == 0 ||
		    strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0) {
			*v = 1;
			return (0);
		}
		if (strcasecmp(s, "false") == 0 || strcasecmp(s, "off") == 0 ||
		    strcasecmp(s, "no") == 0 || strcmp(s, "0") == 0) {
			*v = 0;
			return (0);
		}
		return (-EINVAL);
	}
	if (e->type == SND_CTL_ELEM_TYPE_ENUMERATED) {
		for (i = 0; i < e->nitems; i++) {
			if (strcmp(e->items[i], s) == 0) {
				*v = i;
				return (0);
			}
		}
	}
	if (*s == '\0')
		return (-EINVAL);
	errno = 0;
	ll = strtoll(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return (-EINVAL);
	*v = ll;
	return (0);
}

/* sim-hw set: write as the hardware (access ignored, range checked). */
static void
simhw_set(struct simstate *st, unsigned int i, const char *arg)
{
	const struct simstate_elem	*e = simstate_elem(st, i);
	int64_t				 v[512];
	char				*copy, *word, *next;
	unsigned int			 k = 0;
	int				 rv;

	if ((copy = strdup(arg)) == NULL)
		simhw_fatalx("%s", strerror(ENOMEM));
	for (word = copy; word != NULL; word = next) {
		if ((next = strchr(word, ',')) != NULL)
			*next++ = '\0';
		if (k >= e->count)
			simhw_fatalx("%s: too many values", e->name);
		if (simhw_parse_value(e, word, &v[k]) < 0)
			simhw_fatalx("%s: bad value '%s'", e->name, word);
		k++;
	}
	free(copy);
	/* Like amixer, the last value given fills the remaining channels. */
	for (; k < e->count; k++)
		v[k] = v[k - 1];
	if ((rv = simstate_write(st, i, v, 1)) < 0) {
		if (rv == -EINVAL)
			simhw_fatalx("%s: value out of range", e->name);
		simhw_fatalx("%s: %s", e->name, strerror(-rv));
	}
}

/*
 * sim-hw get: print the values the device holds, comma-separated (in
 * cache mode, a failed write leaves what clients read different).
 */
static void
simhw_get(struct simstate *st, unsigned int i)
{
	const struct simstate_elem	*e = simstate_elem(st, i);
	int64_t				 v[512];
	unsigned int			 k;
	int				 rv;

	if ((rv = simstate_read_device(st, i, v)) < 0)
		simhw_fatalx("%s: %s", e->name, strerror(-rv));
	for (k = 0; k < e->count; k++) {
		if (k > 0)
			putchar(',');
		if (e->type == SND_CTL_ELEM_TYPE_BOOLEAN)
			fputs(v[k] ? "on" : "off", stdout);
		else if (e->type == SND_CTL_ELEM_TYPE_ENUMERATED &&
		    v[k] >= 0 && v[k] < e->nitems)
			fputs(e->items[v[k]], stdout);
		else
			printf("%" PRId64, v[k]);
	}
	putchar('\n');
}

/* An error name for fault error=: EIO, EINVAL, EBUSY or ETIMEDOUT. */
static int
simhw_errno(const char *s)
{
	static const struct {
		const char	*name;
		int		 err;
	} errs[] = {
		{ "EIO", EIO }, { "EINVAL", EINVAL }, { "EBUSY", EBUSY },
		{ "ETIMEDOUT", ETIMEDOUT }, { "EPROTO", EPROTO },
	};
	size_t	 i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		if (strcasecmp(s, errs[i].name) == 0)
			return (-errs[i].err);
	}
	simhw_fatalx("%s: unknown error name", s);
}

/* sim-hw fault: change the given faults, or print them all. */
static void
simhw_fault(struct simstate *st, int argc, char *argv[])
{
	struct simstate_fault	 f;
	const char		*v;
	char			*end;
	unsigned long		 n;
	int			 i, rv;

	if ((rv = simstate_get_fault(st, &f)) < 0)
		simhw_fatalx("fault: %s", strerror(-rv));
	if (argc == 0) {
		printf("delay=%u fail=%u error=%d cache=%s gone=%s "
		    "transfers=%" PRIu64 "\n", f.delay_ms, f.fail, f.err,
		    f.cache ? "on" : "off", f.gone ? "on" : "off",
		    simstate_transfers(st));
		return;
	}
	for (i = 0; i < argc; i++) {
		if ((v = strchr(argv[i], '=')) == NULL)
			simhw_usage();
		v++;
		if (strncmp(argv[i], "error=", 6) == 0) {
			f.err = simhw_errno(v);
			continue;
		}
		if (strncmp(argv[i], "cache=", 6) == 0 ||
		    strncmp(argv[i], "gone=", 5) == 0) {
			if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
				simhw_usage();
			if (argv[i][0] == 'c')
				f.cache = strcmp(v, "on") == 0;
			else
				f.gone = strcmp(v, "on") == 0;
			continue;
		}
		errno = 0;
		n = strtoul(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 || n > 600000)
			simhw_fatalx("%s: bad number", argv[i]);
		if (strncmp(argv[i], "delay=", 6) == 0)
			f.delay_ms = (unsigned int)n;
		else if (strncmp(argv[i], "fail=", 5) == 0)
			f.fail = (unsigned int)n;
		else
			simhw_usage();
	}
	if ((rv = simstate_set_fault(st, &f)) < 0)
		simhw_fatalx("fault: %s", strerror(-rv));
}

int
main(int argc, char *argv[])
{
	struct simstate	*st;
	const char	*dir = NULL, *card = NULL, *cmd;
	char		 msg[512];
	unsigned int	 i, acc;
	int		 ch, rv;

	while ((ch = getopt(argc, argv, "c:d:")) != -1) {
		switch (ch) {
		case 'c':
			card = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			simhw_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		simhw_usage();
	cmd = argv[1];
	if (!((strcmp(cmd, "set") == 0 && argc == 4) ||
	    (strcmp(cmd, "get") == 0 && argc == 3) ||
	    (strcmp(cmd, "access") == 0 && argc == 4) ||
	    (strcmp(cmd, "reset") == 0 && argc == 2) ||
	    (strcmp(cmd, "writes") == 0 && argc == 2) ||
	    (strcmp(cmd, "transfers") == 0 && argc == 2) ||
	    strcmp(cmd, "fault") == 0))
		simhw_usage();

	if ((rv = simstate_open(&st, argv[0], card, dir, msg,
	    sizeof(msg))) < 0)
		simhw_fatalx("%s", msg[0] != '\0' ? msg : strerror(-rv));

	if (strcmp(cmd, "reset") == 0) {
		if ((rv = simstate_reset(st)) < 0)
			simhw_fatalx("reset: %s", strerror(-rv));
		simstate_close(st);
		return (0);
	}
	if (strcmp(cmd, "writes") == 0) {
		/* Writes the card accepted from clients, for benchmarks. */
		printf("%" PRIu64 "\n", simstate_writes(st));
		simstate_close(st);
		return (0);
	}
	if (strcmp(cmd, "transfers") == 0) {
		/* Of those, the ones that reached the device. */
		printf("%" PRIu64 "\n", simstate_transfers(st));
		simstate_close(st);
		return (0);
	}
	if (strcmp(cmd, "fault") == 0) {
		simhw_fault(st, argc - 2, argv + 2);
		simstate_close(st);
		return (0);
	}
	i = simhw_lookup(st, argv[2]);
	if (strcmp(cmd, "set") == 0)
		simhw_set(st, i, argv[3]);
	else if (strcmp(cmd, "get") == 0)
		simhw_get(st, i);
	else {
		acc = simstate_access(st, i);
		if (strcmp(argv[3], "rw") == 0)
			acc |= SIMSTATE_ACCESS_WRITE;
		else if (strcmp(argv[3], "ro") == 0)
			acc &= ~SIMSTATE_ACCESS_WRITE;
		else if (strcmp(argv[3], "lock") == 0)
			acc |= SIMSTATE_ACCESS_LOCK;
		else if (strcmp(argv[3], "unlock") == 0)
			acc &= ~SIMSTATE_ACCESS_LOCK;
		else if (strcmp(argv[3], "busy") == 0)
			acc |= SIMSTATE_ACCESS_BUSY;
		else if (strcmp(argv[3], "idle") == 0)
			acc &= ~SIMSTATE_ACCESS_BUSY;
		else
			simhw_usage();
		if ((rv = simstate_set_access(st, i, acc)) < 0)
			simhw_fatalx("%s", strerror(-rv));
	}
	simstate_close(st);
	return (0);
}
