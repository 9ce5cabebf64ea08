/*
 * Give a real kernel card the elements of an alsactl state file, as user
 * controls: same names, interfaces, types, ranges, items, dB TLVs and
 * values, so that the kernel itself sends the events.  Used in the VM,
 * which also adds and removes single controls with it while the service
 * runs.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "simstate.h"

static void	vmctl_usage(void) __attribute__((__noreturn__));
static void	vmctl_fatalx(const char *, ...)
		    __attribute__((__noreturn__, __format__(__printf__, 1, 2)));

static void
vmctl_usage(void)
{
	fprintf(stderr, "usage: vm-ctl [-d dir] device statefile\n"
	    "       vm-ctl -a device name min max value\n"
	    "       vm-ctl -r device name\n");
	exit(2);
}

/* Print "vm-ctl: message" and exit 1. */
static void
vmctl_fatalx(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "vm-ctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* The id of an element as in the file; the kernel picks the numid. */
static void
vmctl_id(const struct simstate_elem *e, snd_ctl_elem_id_t *id)
{
	snd_ctl_elem_id_clear(id);
	snd_ctl_elem_id_set_interface(id, e->iface);
	snd_ctl_elem_id_set_name(id, e->name);
	snd_ctl_elem_id_set_index(id, e->index);
	snd_ctl_elem_id_set_device(id, e->device);
	snd_ctl_elem_id_set_subdevice(id, e->subdevice);
}

/* Create one element as a user control; returns 0 or -errno. */
static int
vmctl_add(snd_ctl_t *ctl, const struct simstate_elem *e,
    snd_ctl_elem_id_t *id)
{
	const char	**names;
	unsigned int	  i;
	int		  err;

	switch (e->type) {
	case SND_CTL_ELEM_TYPE_INTEGER:
		return (snd_ctl_elem_add_integer(ctl, id, e->count, e->min,
		    e->max, e->step));
	case SND_CTL_ELEM_TYPE_BOOLEAN:
		return (snd_ctl_elem_add_boolean(ctl, id, e->count));
	case SND_CTL_ELEM_TYPE_ENUMERATED:
		if ((names = calloc(e->nitems, sizeof(*names))) == NULL)
			return (-ENOMEM);
		for (i = 0; i < e->nitems; i++)
			names[i] = e->items[i];
		err = snd_ctl_elem_add_enumerated(ctl, id, e->count,
		    e->nitems, names);
		free(names);
		return (err);
	default:
		return (-EINVAL);
	}
}

/* Write the values the file gives an element. */
static int
vmctl_write(snd_ctl_t *ctl, const struct simstate_elem *e,
    snd_ctl_elem_id_t *id)
{
	snd_ctl_elem_value_t	*val;
	unsigned int		 i;

	snd_ctl_elem_value_alloca(&val);
	snd_ctl_elem_value_set_id(val, id);
	for (i = 0; i < e->count; i++) {
		switch (e->type) {
		case SND_CTL_ELEM_TYPE_INTEGER:
			snd_ctl_elem_value_set_integer(val, i, e->init[i]);
			break;
		case SND_CTL_ELEM_TYPE_BOOLEAN:
			snd_ctl_elem_value_set_boolean(val, i, e->init[i]);
			break;
		default:
			snd_ctl_elem_value_set_enumerated(val, i, e->init[i]);
			break;
		}
	}
	return (snd_ctl_elem_write(ctl, val));
}

/* A mixer control of the card by name, as amixer's name='..' finds it. */
static void
vmctl_id_name(snd_ctl_elem_id_t *id, const char *name)
{
	snd_ctl_elem_id_clear(id);
	snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
	snd_ctl_elem_id_set_name(id, name);
}

/* A decimal number from the command line. */
static long
vmctl_number(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		vmctl_fatalx("'%s' is not a number", s);
	return (v);
}

/* vm-ctl -a: add one mono integer user control with a first value. */
static void
vmctl_add_one(snd_ctl_t *ctl, char **argv)
{
	snd_ctl_elem_id_t	*id;
	snd_ctl_elem_value_t	*val;
	long			 min, max, v;
	int			 err;

	min = vmctl_number(argv[1]);
	max = vmctl_number(argv[2]);
	v = vmctl_number(argv[3]);
	if (min >= max || v < min || v > max)
		vmctl_fatalx("'%s': %ld is not in %ld..%ld", argv[0], v, min,
		    max);
	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_value_alloca(&val);
	vmctl_id_name(id, argv[0]);
	if ((err = snd_ctl_elem_add_integer(ctl, id, 1, min, max, 1)) < 0)
		vmctl_fatalx("cannot add '%s': %s", argv[0],
		    snd_strerror(err));
	snd_ctl_elem_value_set_id(val, id);
	snd_ctl_elem_value_set_integer(val, 0, v);
	if ((err = snd_ctl_elem_write(ctl, val)) < 0)
		vmctl_fatalx("'%s': cannot write: %s", argv[0],
		    snd_strerror(err));
}

/* vm-ctl -r: remove a user control. */
static void
vmctl_remove(snd_ctl_t *ctl, const char *name)
{
	snd_ctl_elem_id_t	*id;
	int			 err;

	snd_ctl_elem_id_alloca(&id);
	vmctl_id_name(id, name);
	if ((err = snd_ctl_elem_remove(ctl, id)) < 0)
		vmctl_fatalx("cannot remove '%s': %s", name,
		    snd_strerror(err));
}

int
main(int argc, char *argv[])
{
	const struct simstate_elem	*e;
	struct simstate			*st;
	snd_ctl_t			*ctl;
	snd_ctl_elem_id_t		*id;
	const char			*dir = NULL;
	char				 msg[512];
	unsigned int			 i, n, added = 0;
	int				 ch, err, mode = 0;

	while ((ch = getopt(argc, argv, "ard:")) != -1) {
		switch (ch) {
		case 'a':
		case 'r':
			mode = ch;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			vmctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((mode == 'a' && argc == 5) || (mode == 'r' && argc == 2)) {
		if ((err = snd_ctl_open(&ctl, argv[0], 0)) < 0)
			vmctl_fatalx("%s: %s", argv[0], snd_strerror(err));
		if (mode == 'a')
			vmctl_add_one(ctl, argv + 1);
		else
			vmctl_remove(ctl, argv[1]);
		snd_ctl_close(ctl);
		return (0);
	}
	if (mode != 0 || argc != 2)
		vmctl_usage();

	if ((err = simstate_open(&st, argv[1], NULL, dir, msg,
	    sizeof(msg))) < 0)
		vmctl_fatalx("%s", msg[0] != '\0' ? msg : strerror(-err));
	if ((err = snd_ctl_open(&ctl, argv[0], 0)) < 0)
		vmctl_fatalx("%s: %s", argv[0], snd_strerror(err));

	snd_ctl_elem_id_alloca(&id);
	n = simstate_count(st);
	for (i = 0; i < n; i++) {
		e = simstate_elem(st, i);
		vmctl_id(e, id);
		/*
		 * User controls are always read-write: the kernel cannot
		 * write a read-only one, not even its first value.
		 */
		if ((err = vmctl_add(ctl, e, id)) < 0) {
			fprintf(stderr, "vm-ctl: cannot add '%s': %s\n",
			    e->name, snd_strerror(err));
			continue;
		}
		if (e->ntlv > 0 &&
		    (err = snd_ctl_elem_tlv_write(ctl, id, e->tlv)) < 0)
			fprintf(stderr, "vm-ctl: '%s': cannot write TLV: %s\n",
			    e->name, snd_strerror(err));
		else if ((err = vmctl_write(ctl, e, id)) < 0)
			fprintf(stderr, "vm-ctl: '%s': cannot write: %s\n",
			    e->name, snd_strerror(err));
		else
			added++;
	}
	printf("%u of %u elements added\n", added, n);
	snd_ctl_close(ctl);
	simstate_close(st);
	return (added == n ? 0 : 1);
}
