/*
 * Simulated card state: state-file loader, shared value store and events.
 * It is long for one concern: the simulated card that the plugin and the
 * test tools share, from its state file to its change events.
 */

#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "simstate.h"

#define SIMSTATE_MAGIC		0x53534d53U	/* "SMSS" */
#define SIMSTATE_VERSION	3U
#define SIMSTATE_MSG_MAX	160

/*
 * The store file: this header, the access words, the values clients read,
 * then the values the "device" holds.  They differ only in cache mode,
 * after a failed transfer.
 */
struct simstate_hdr {
	uint32_t	magic;
	uint32_t	version;
	uint32_t	nelem;
	uint32_t	pad;
	uint64_t	nvalues;
	uint64_t	hash;
	uint64_t	writes;		/* writes accepted from clients */
	uint64_t	transfers;	/* of those, sent to the device */
	uint32_t	delay_ms;	/* faults: time per transfer */
	uint32_t	fail;		/* the next N transfers fail */
	int32_t		fail_err;	/* with this -errno */
	uint32_t	cache;		/* cache values as scarlett2 */
	uint32_t	gone;		/* unplugged */
	uint32_t	pad2;
};

/* One record in a listener FIFO; small enough to be written atomically. */
struct simstate_event {
	uint32_t	idx;
	uint32_t	mask;
};

struct simstate {
	char			*path;		/* state file */
	char			 card[64];
	char			 name[64];
	unsigned int		 nelem;
	struct simstate_elem	*elems;
	size_t			 nvalues;
	uint64_t		 hash;

	char			*store;		/* DIR/BASE-CARD */
	char			*lockpath;	/* DIR/BASE-CARD.lock */
	char			*evdir;		/* the FIFOs */
	int			 lockfd;
	void			*map;
	size_t			 maplen;
	struct simstate_hdr	*hdr;
	uint32_t		*acc;
	int64_t			*vals;		/* what clients read */
	int64_t			*dev;		/* what the device holds */
};

struct simstate_sub {
	struct simstate		*st;
	char			*hidden;	/* name if disabled */
	char			*shown;		/* name if enabled */
	int			 fd;
	int			 enabled;
};

static unsigned int	simstate_sub_seq;

static int	simstate_asprintf(char **, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static void	simstate_msg(char *, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

/* Format a string into freshly allocated memory: 0 or -ENOMEM. */
static int
simstate_asprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*ret = NULL;
		return (-ENOMEM);
	}
	return (0);
}

/* Write a message into the caller's error buffer, if any. */
static void
simstate_msg(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;

	if (buf == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* Fold bytes into a 64-bit FNV-1a hash. */
static uint64_t
simstate_hash(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*c = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= c[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

/* Parse a non-negative decimal number below LIMIT: 0 or -EINVAL. */
static int
simstate_parse_uint(const char *s, unsigned long limit, unsigned long *ret)
{
	char		*end;
	unsigned long	 v;

	if (!isdigit((unsigned char)*s))
		return (-EINVAL);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v >= limit)
		return (-EINVAL);
	*ret = v;
	return (0);
}

/* Largest count the ALSA value union allows for a type. */
static unsigned int
simstate_count_max(int type)
{
	switch (type) {
	case SND_CTL_ELEM_TYPE_INTEGER64:
		return (64);
	case SND_CTL_ELEM_TYPE_BYTES:
		return (512);
	default:
		return (128);
	}
}

/* Turn the words of a comment "access" string into access bits. */
static unsigned int
simstate_parse_access(const char *s)
{
	static const struct {
		const char	*word;
		unsigned int	 bit;
	} words[] = {
		{ "read", SIMSTATE_ACCESS_READ },
		{ "write", SIMSTATE_ACCESS_WRITE },
		{ "volatile", SIMSTATE_ACCESS_VOLATILE },
		{ "inactive", SIMSTATE_ACCESS_INACTIVE },
		{ "locked", SIMSTATE_ACCESS_LOCK },
		{ "user", SIMSTATE_ACCESS_USER },
	};
	unsigned int	 acc = 0, i;
	size_t		 n;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		n = strcspn(s, " \t");
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (strlen(words[i].word) == n &&
			    strncmp(words[i].word, s, n) == 0)
				acc |= words[i].bit;
		}
		s += n;
	}
	return (acc);
}

/* Parse a hex string of 32-bit words (as alsactl writes TLVs). */
static int
simstate_parse_tlv(struct simstate_elem *e, const char *s, char *why,
    size_t whylen)
{
	size_t		 len = strlen(s), i, j;
	unsigned int	 w;
	int		 c;

	if (len == 0 || len % 8 != 0 || len / 8 < 2 ||
	    len / 8 > SIMSTATE_TLV_MAX) {
		simstate_msg(why, whylen, "bad tlv length");
		return (-EINVAL);
	}
	e->ntlv = len / 8;
	if ((e->tlv = calloc(e->ntlv, sizeof(*e->tlv))) == NULL)
		return (-ENOMEM);
	for (i = 0; i < e->ntlv; i++) {
		w = 0;
		for (j = 0; j < 8; j++) {
			c = (unsigned char)s[i * 8 + j];
			if (!isxdigit(c)) {
				simstate_msg(why, whylen, "bad tlv hex");
				return (-EINVAL);
			}
			w = (w << 4) | (unsigned int)(isdigit(c) ? c - '0' :
			    tolower(c) - 'a' + 10);
		}
		e->tlv[i] = w;
	}
	if (e->tlv[1] != (e->ntlv - 2) * sizeof(unsigned int)) {
		simstate_msg(why, whylen, "tlv length field mismatch");
		return (-EINVAL);
	}
	return (0);
}

/* Build a dB TLV from the comment's dbmin/dbmax (0.01 dB units). */
static int
simstate_make_db_tlv(struct simstate_elem *e, long dbmin, long dbmax)
{
	int64_t	span, step;

	if (dbmin < INT32_MIN || dbmin > INT32_MAX || dbmax < INT32_MIN ||
	    dbmax > INT32_MAX)
		return (0);
	e->ntlv = 4;
	if ((e->tlv = calloc(e->ntlv, sizeof(*e->tlv))) == NULL)
		return (-ENOMEM);
	e->tlv[1] = 2 * sizeof(unsigned int);
	/* Both ranges fit in 32 bits here, so nothing overflows. */
	span = (e->min >= INT32_MIN && e->max <= INT32_MAX) ? e->max - e->min :
	    0;
	if (span > 0 && (dbmax - dbmin) % span == 0 &&
	    (step = (dbmax - dbmin) / span) > 0 && step <= 0xffff) {
		/* Exactly linear in dB: the kernel's usual DB_SCALE. */
		e->tlv[0] = SND_CTL_TLVT_DB_SCALE;
		e->tlv[2] = (unsigned int)(int)dbmin;
		e->tlv[3] = (unsigned int)step;
	} else {
		e->tlv[0] = SND_CTL_TLVT_DB_MINMAX;
		e->tlv[2] = (unsigned int)(int)dbmin;
		e->tlv[3] = (unsigned int)(int)dbmax;
	}
	return (0);
}

/* Parse the item.N entries of an ENUMERATED element. */
static int
simstate_parse_items(struct simstate_elem *e, snd_config_t *items,
    char *why, size_t whylen)
{
	snd_config_iterator_t	 i, next;
	snd_config_t		*n;
	const char		*id;
	char			*s;
	unsigned long		 k, max = 0;
	unsigned char		*seen;
	int			 err, any = 0;

	if (snd_config_get_type(items) != SND_CONFIG_TYPE_COMPOUND) {
		simstate_msg(why, whylen, "item is not a compound");
		return (-EINVAL);
	}
	snd_config_for_each(i, next, items) {
		n = snd_config_iterator_entry(i);
		if (snd_config_get_id(n, &id) < 0 ||
		    simstate_parse_uint(id, SIMSTATE_ITEMS_MAX, &k) < 0) {
			simstate_msg(why, whylen, "bad item number");
			return (-EINVAL);
		}
		if (k > max)
			max = k;
		any = 1;
	}
	if (!any)
		return (0);
	e->nitems = max + 1;
	if ((e->items = calloc(e->nitems, sizeof(*e->items))) == NULL)
		return (-ENOMEM);
	if ((seen = calloc(e->nitems, 1)) == NULL)
		return (-ENOMEM);
	err = 0;
	snd_config_for_each(i, next, items) {
		n = snd_config_iterator_entry(i);
		snd_config_get_id(n, &id);
		simstate_parse_uint(id, SIMSTATE_ITEMS_MAX, &k);
		if (snd_config_get_ascii(n, &s) < 0) {
			simstate_msg(why, whylen, "item.%lu: bad name", k);
			err = -EINVAL;
			break;
		}
		if (strlen(s) >= SIMSTATE_ITEM_MAX) {
			free(s);
			simstate_msg(why, whylen, "item.%lu: name too long",
			    k);
			err = -EINVAL;
			break;
		}
		strcpy(e->items[k], s);
		free(s);
		seen[k] = 1;
	}
	for (k = 0; err == 0 && k < e->nitems; k++) {
		if (!seen[k]) {
			simstate_msg(why, whylen, "item.%lu missing", k);
			err = -EINVAL;
		}
	}
	free(seen);
	return (err);
}

/* Convert one value node of element E into V. */
static int
simstate_parse_value(const struct simstate_elem *e, snd_config_t *n,
    int64_t *v, char *why, size_t whylen)
{
	long long	 ll;
	long		 l;
	unsigned long	 k;
	char		*s;
	unsigned int	 i;
	int		 b;

	switch (e->type) {
	case SND_CTL_ELEM_TYPE_BOOLEAN:
		if ((b = snd_config_get_bool(n)) < 0)
			break;
		*v = b;
		return (0);
	case SND_CTL_ELEM_TYPE_INTEGER:
	case SND_CTL_ELEM_TYPE_INTEGER64:
		if (snd_config_get_integer(n, &l) == 0) {
			*v = l;
			return (0);
		}
		if (snd_config_get_integer64(n, &ll) == 0) {
			*v = ll;
			return (0);
		}
		break;
	case SND_CTL_ELEM_TYPE_ENUMERATED:
		if (snd_config_get_ascii(n, &s) < 0)
			break;
		/* By name; alsactl writes a number for unknown names. */
		for (i = 0; i < e->nitems; i++) {
			if (strcmp(e->items[i], s) == 0) {
				free(s);
				*v = i;
				return (0);
			}
		}
		if (simstate_parse_uint(s, e->nitems, &k) == 0) {
			free(s);
			*v = (int64_t)k;
			return (0);
		}
		simstate_msg(why, whylen, "unknown item '%.*s'",
		    SIMSTATE_ITEM_MAX, s);
		free(s);
		return (-EINVAL);
	case SND_CTL_ELEM_TYPE_BYTES:
		if (snd_config_get_integer(n, &l) == 0 && l >= 0 &&
		    l <= 255) {
			*v = l;
			return (0);
		}
		break;
	}
	simstate_msg(why, whylen, "bad value");
	return (-EINVAL);
}

/* Parse a BYTES value written as one hex string. */
static int
simstate_parse_hex(struct simstate_elem *e, const char *s, char *why,
    size_t whylen)
{
	size_t		len = strlen(s), i;
	unsigned int	hi, lo;

	if (len % 2 != 0 || len / 2 > e->count) {
		simstate_msg(why, whylen, "bad bytes value length");
		return (-EINVAL);
	}
	for (i = 0; i < len / 2; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1])) {
			simstate_msg(why, whylen, "bad bytes value");
			return (-EINVAL);
		}
		hi = (unsigned int)tolower((unsigned char)s[2 * i]);
		lo = (unsigned int)tolower((unsigned char)s[2 * i + 1]);
		hi = isdigit(hi) ? hi - '0' : hi - 'a' + 10;
		lo = isdigit(lo) ? lo - '0' : lo - 'a' + 10;
		e->init[i] = (int64_t)(hi << 4 | lo);
	}
	return (0);
}

/* Parse the values (value or value.N) of element E. */
static int
simstate_parse_values(struct simstate_elem *e, snd_config_t *val,
    char *why, size_t whylen)
{
	snd_config_iterator_t	 i, next;
	snd_config_t		*n;
	const char		*id, *str;
	unsigned long		 k;
	int			 err;

	if (snd_config_get_type(val) != SND_CONFIG_TYPE_COMPOUND) {
		if (e->type == SND_CTL_ELEM_TYPE_BYTES &&
		    snd_config_get_string(val, &str) == 0)
			return (simstate_parse_hex(e, str, why, whylen));
		return (simstate_parse_value(e, val, &e->init[0], why,
		    whylen));
	}
	snd_config_for_each(i, next, val) {
		n = snd_config_iterator_entry(i);
		if (snd_config_get_id(n, &id) < 0 ||
		    simstate_parse_uint(id, e->count, &k) < 0) {
			simstate_msg(why, whylen, "bad value number");
			return (-EINVAL);
		}
		if ((err = simstate_parse_value(e, n, &e->init[k], why,
		    whylen)) < 0)
			return (err);
	}
	return (0);
}

/* Find the type named S (e.g. "INTEGER"): the type or -1. */
static int
simstate_lookup_type(const char *s)
{
	int	t;

	for (t = SND_CTL_ELEM_TYPE_BOOLEAN; t <= SND_CTL_ELEM_TYPE_LAST; t++)
		if (strcmp(snd_ctl_elem_type_name(t), s) == 0)
			return (t);
	return (-1);
}

/* Find the interface named S (e.g. "MIXER"): the iface or -1. */
static int
simstate_lookup_iface(const char *s)
{
	int	i;

	for (i = SND_CTL_ELEM_IFACE_CARD; i <= SND_CTL_ELEM_IFACE_LAST; i++)
		if (strcmp(snd_ctl_elem_iface_name(i), s) == 0)
			return (i);
	return (-1);
}

/* Parse the comment block: type, access, count, range, items, TLV. */
static int
simstate_parse_comment(struct simstate_elem *e, snd_config_t *com,
    char *why, size_t whylen)
{
	snd_config_iterator_t	 i, next;
	snd_config_t		*n, *items = NULL;
	const char		*id, *s, *tlv = NULL, *range = NULL;
	long			 l, dbmin = 0, dbmax = 0;
	int			 havemin = 0, havemax = 0, k, err;

	if (snd_config_get_type(com) != SND_CONFIG_TYPE_COMPOUND) {
		simstate_msg(why, whylen, "comment is not a compound");
		return (-EINVAL);
	}
	e->type = -1;
	e->count = 1;
	e->access = SIMSTATE_ACCESS_READ | SIMSTATE_ACCESS_WRITE;
	snd_config_for_each(i, next, com) {
		n = snd_config_iterator_entry(i);
		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (strcmp(id, "type") == 0) {
			if (snd_config_get_string(n, &s) < 0 ||
			    (e->type = simstate_lookup_type(s)) < 0) {
				simstate_msg(why, whylen, "bad type");
				return (-EINVAL);
			}
		} else if (strcmp(id, "access") == 0) {
			if (snd_config_get_string(n, &s) < 0) {
				simstate_msg(why, whylen, "bad access");
				return (-EINVAL);
			}
			e->access = simstate_parse_access(s);
		} else if (strcmp(id, "count") == 0) {
			if (snd_config_get_integer(n, &l) < 0 || l < 1 ||
			    l > 1024) {
				simstate_msg(why, whylen, "bad count");
				return (-EINVAL);
			}
			e->count = (unsigned int)l;
		} else if (strcmp(id, "range") == 0) {
			if (snd_config_get_string(n, &range) < 0) {
				simstate_msg(why, whylen, "bad range");
				return (-EINVAL);
			}
		} else if (strcmp(id, "dbmin") == 0) {
			if (snd_config_get_integer(n, &dbmin) < 0) {
				simstate_msg(why, whylen, "bad dbmin");
				return (-EINVAL);
			}
			havemin = 1;
		} else if (strcmp(id, "dbmax") == 0) {
			if (snd_config_get_integer(n, &dbmax) < 0) {
				simstate_msg(why, whylen, "bad dbmax");
				return (-EINVAL);
			}
			havemax = 1;
		} else if (strcmp(id, "tlv") == 0) {
			if (snd_config_get_string(n, &tlv) < 0) {
				simstate_msg(why, whylen, "bad tlv");
				return (-EINVAL);
			}
		} else if (strcmp(id, "item") == 0)
			items = n;
	}
	if (e->type < 0) {
		simstate_msg(why, whylen, "no type");
		return (-EINVAL);
	}
	if (e->type != SND_CTL_ELEM_TYPE_BOOLEAN &&
	    e->type != SND_CTL_ELEM_TYPE_INTEGER &&
	    e->type != SND_CTL_ELEM_TYPE_INTEGER64 &&
	    e->type != SND_CTL_ELEM_TYPE_ENUMERATED &&
	    e->type != SND_CTL_ELEM_TYPE_BYTES) {
		simstate_msg(why, whylen, "unsupported type %s",
		    snd_ctl_elem_type_name(e->type));
		return (-EINVAL);
	}
	if (e->count > simstate_count_max(e->type)) {
		simstate_msg(why, whylen, "count too large: %u", e->count);
		return (-EINVAL);
	}

	e->min = 0;
	e->max = e->type == SND_CTL_ELEM_TYPE_BYTES ? 255 : 1;
	if (e->type == SND_CTL_ELEM_TYPE_INTEGER ||
	    e->type == SND_CTL_ELEM_TYPE_INTEGER64) {
		if (range == NULL) {
			simstate_msg(why, whylen, "no range");
			return (-EINVAL);
		}
		k = sscanf(range, "%" SCNd64 " - %" SCNd64 " (step %" SCNd64
		    ")", &e->min, &e->max, &e->step);
		if (k < 2 || e->min > e->max || e->step < 0 ||
		    (e->type == SND_CTL_ELEM_TYPE_INTEGER &&
		    (e->min < LONG_MIN || e->max > LONG_MAX))) {
			simstate_msg(why, whylen, "bad range '%.40s'", range);
			return (-EINVAL);
		}
		if (k < 3)
			e->step = 0;
	}
	if (e->type == SND_CTL_ELEM_TYPE_ENUMERATED) {
		if (items == NULL) {
			simstate_msg(why, whylen, "no items");
			return (-EINVAL);
		}
		if ((err = simstate_parse_items(e, items, why, whylen)) < 0)
			return (err);
		if (e->nitems == 0) {
			simstate_msg(why, whylen, "no items");
			return (-EINVAL);
		}
	}

	if (tlv != NULL)
		return (simstate_parse_tlv(e, tlv, why, whylen));
	if (havemin && havemax && e->type == SND_CTL_ELEM_TYPE_INTEGER)
		return (simstate_make_db_tlv(e, dbmin, dbmax));
	return (0);
}

/* Parse one control.N node into E. */
static int
simstate_parse_elem(struct simstate_elem *e, snd_config_t *ctl, char *why,
    size_t whylen)
{
	snd_config_iterator_t	 i, next;
	snd_config_t		*n, *com = NULL, *val = NULL;
	const char		*id, *s, *name = NULL;
	long			 l;
	unsigned int		 k;
	int			 err;

	if (snd_config_get_type(ctl) != SND_CONFIG_TYPE_COMPOUND) {
		simstate_msg(why, whylen, "not a compound");
		return (-EINVAL);
	}
	e->iface = SND_CTL_ELEM_IFACE_MIXER;
	snd_config_for_each(i, next, ctl) {
		n = snd_config_iterator_entry(i);
		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (strcmp(id, "iface") == 0) {
			if (snd_config_get_string(n, &s) < 0 ||
			    (e->iface = simstate_lookup_iface(s)) < 0) {
				simstate_msg(why, whylen, "bad iface");
				return (-EINVAL);
			}
		} else if (strcmp(id, "name") == 0) {
			if (snd_config_get_string(n, &name) < 0) {
				simstate_msg(why, whylen, "bad name");
				return (-EINVAL);
			}
		} else if (strcmp(id, "index") == 0 ||
		    strcmp(id, "device") == 0 ||
		    strcmp(id, "subdevice") == 0) {
			if (snd_config_get_integer(n, &l) < 0 || l < 0 ||
			    l > INT_MAX) {
				simstate_msg(why, whylen, "bad %s", id);
				return (-EINVAL);
			}
			if (id[0] == 'i')
				e->index = (unsigned int)l;
			else if (id[0] == 'd')
				e->device = (unsigned int)l;
			else
				e->subdevice = (unsigned int)l;
		} else if (strcmp(id, "value") == 0)
			val = n;
		else if (strcmp(id, "comment") == 0)
			com = n;
	}
	if (name == NULL) {
		simstate_msg(why, whylen, "no name");
		return (-EINVAL);
	}
	if (strlen(name) >= sizeof(e->name)) {
		simstate_msg(why, whylen, "name too long");
		return (-EINVAL);
	}
	strcpy(e->name, name);
	if (com == NULL) {
		simstate_msg(why, whylen, "no comment (type unknown)");
		return (-EINVAL);
	}
	if ((err = simstate_parse_comment(e, com, why, whylen)) < 0)
		return (err);

	if ((e->init = calloc(e->count, sizeof(*e->init))) == NULL)
		return (-ENOMEM);
	if (e->type == SND_CTL_ELEM_TYPE_INTEGER ||
	    e->type == SND_CTL_ELEM_TYPE_INTEGER64) {
		/* Values the file leaves out start in range. */
		for (k = 0; k < e->count; k++)
			e->init[k] = (e->min > 0 || e->max < 0) ? e->min : 0;
	}
	if (val != NULL)
		return (simstate_parse_values(e, val, why, whylen));
	return (0);
}

/* Hash everything that shapes the store and its initial contents. */
static uint64_t
simstate_hash_elems(const struct simstate *st)
{
	const struct simstate_elem	*e;
	uint64_t			 h = 0xcbf29ce484222325ULL;
	unsigned int			 i;
	int32_t				 w[8];

	for (i = 0; i < st->nelem; i++) {
		e = &st->elems[i];
		h = simstate_hash(h, e->name, strlen(e->name) + 1);
		w[0] = e->iface;
		w[1] = (int32_t)e->index;
		w[2] = e->type;
		w[3] = (int32_t)e->access;
		w[4] = (int32_t)e->count;
		w[5] = (int32_t)e->nitems;
		w[6] = (int32_t)e->device;
		w[7] = (int32_t)e->subdevice;
		h = simstate_hash(h, w, sizeof(w));
		h = simstate_hash(h, &e->min, sizeof(e->min));
		h = simstate_hash(h, &e->max, sizeof(e->max));
		h = simstate_hash(h, &e->step, sizeof(e->step));
		if (e->nitems > 0)
			h = simstate_hash(h, e->items,
			    e->nitems * sizeof(*e->items));
		h = simstate_hash(h, e->init, e->count * sizeof(*e->init));
	}
	return (h);
}

/* Free the element table. */
static void
simstate_free_elems(struct simstate *st)
{
	unsigned int	i;

	if (st->elems == NULL)
		return;
	for (i = 0; i < st->nelem; i++) {
		free(st->elems[i].items);
		free(st->elems[i].tlv);
		free(st->elems[i].init);
	}
	free(st->elems);
	st->elems = NULL;
}

/*
 * Load one card block of a state file, read from IN (which this closes),
 * into the element table.  st->path only names the file in messages.
 */
static int
simstate_load_input(struct simstate *st, snd_input_t *in, const char *card,
    char *err, size_t errlen)
{
	snd_config_t		*top = NULL, *state, *blk = NULL, *ctls, *n;
	snd_config_iterator_t	 i, next;
	const char		*id;
	char			 why[SIMSTATE_MSG_MAX];
	unsigned int		 k;
	int			 rv;

	if ((rv = snd_config_top(&top)) < 0) {
		snd_input_close(in);
		return (rv);
	}
	rv = snd_config_load(top, in);
	snd_input_close(in);
	if (rv < 0) {
		simstate_msg(err, errlen, "%s: syntax error: %s", st->path,
		    snd_strerror(rv));
		goto out;
	}
	rv = -EINVAL;
	if (snd_config_search(top, "state", &state) < 0 ||
	    snd_config_get_type(state) != SND_CONFIG_TYPE_COMPOUND) {
		simstate_msg(err, errlen, "%s: no state block", st->path);
		goto out;
	}
	if (card != NULL) {
		if (snd_config_search(state, card, &blk) < 0) {
			simstate_msg(err, errlen, "%s: card '%s': not found",
			    st->path, card);
			goto out;
		}
	} else {
		snd_config_for_each(i, next, state) {
			blk = snd_config_iterator_entry(i);
			break;
		}
		if (blk == NULL) {
			simstate_msg(err, errlen, "%s: no card block",
			    st->path);
			goto out;
		}
	}
	if (snd_config_get_id(blk, &id) < 0 ||
	    strlen(id) >= sizeof(st->card)) {
		simstate_msg(err, errlen, "%s: bad card id", st->path);
		goto out;
	}
	strcpy(st->card, id);
	if (snd_config_get_type(blk) != SND_CONFIG_TYPE_COMPOUND ||
	    snd_config_search(blk, "control", &ctls) < 0 ||
	    snd_config_get_type(ctls) != SND_CONFIG_TYPE_COMPOUND) {
		simstate_msg(err, errlen, "%s: card '%s': no controls",
		    st->path, st->card);
		goto out;
	}

	st->nelem = 0;
	snd_config_for_each(i, next, ctls)
		st->nelem++;
	if (st->nelem == 0 || st->nelem > SIMSTATE_ELEMS_MAX) {
		simstate_msg(err, errlen, "%s: card '%s': %u controls "
		    "(1 to %u allowed)", st->path, st->card, st->nelem,
		    SIMSTATE_ELEMS_MAX);
		st->nelem = 0;
		goto out;
	}
	if ((st->elems = calloc(st->nelem, sizeof(*st->elems))) == NULL) {
		st->nelem = 0;
		rv = -ENOMEM;
		goto out;
	}

	/* File order is numid order, as alsactl stored it. */
	k = 0;
	st->nvalues = 0;
	snd_config_for_each(i, next, ctls) {
		n = snd_config_iterator_entry(i);
		if (snd_config_get_id(n, &id) < 0)
			id = "?";
		why[0] = '\0';
		if ((rv = simstate_parse_elem(&st->elems[k], n, why,
		    sizeof(why))) < 0) {
			if (rv == -ENOMEM)
				snprintf(why, sizeof(why), "%s",
				    strerror(ENOMEM));
			simstate_msg(err, errlen,
			    "%s: card '%s': control.%.20s: %s", st->path,
			    st->card, id, why);
			goto out;
		}
		st->elems[k].numid = k + 1;
		st->elems[k].voff = st->nvalues;
		st->nvalues += st->elems[k].count;
		k++;
	}
	st->hash = simstate_hash_elems(st);
	rv = 0;
out:
	if (top != NULL)
		snd_config_delete(top);
	return (rv);
}

/* Load one card block of the state file at st->path. */
static int
simstate_load(struct simstate *st, const char *card, char *err,
    size_t errlen)
{
	snd_input_t	*in;
	int		 rv;

	if (access(st->path, R_OK) < 0) {
		rv = -errno;
		simstate_msg(err, errlen, "%s: %s", st->path, strerror(errno));
		return (rv);
	}
	if ((rv = snd_input_stdio_open(&in, st->path, "r")) < 0) {
		simstate_msg(err, errlen, "%s: %s", st->path, snd_strerror(rv));
		return (rv);
	}
	return (simstate_load_input(st, in, card, err, errlen));
}

int
simstate_parse(struct simstate **ret, const char *name, const char *buf,
    size_t len, const char *card, char *err, size_t errlen)
{
	struct simstate	*st;
	snd_input_t	*in;
	int		 rv;

	*ret = NULL;
	simstate_msg(err, errlen, "%s", "");
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return (-ENOMEM);
	st->lockfd = -1;
	if ((st->path = strdup(name)) == NULL) {
		rv = -ENOMEM;
		goto fail;
	}
	if ((rv = snd_input_buffer_open(&in, buf, (ssize_t)len)) < 0)
		goto fail;
	if ((rv = simstate_load_input(st, in, card, err, errlen)) < 0)
		goto fail;
	*ret = st;
	return (0);
fail:
	simstate_close(st);
	return (rv);
}

int
simstate_default_dir(char *buf, size_t len)
{
	const char	*s;
	int		 n;

	if ((s = getenv("SCARLETT_MIDI_SIM_DIR")) != NULL && *s != '\0')
		n = snprintf(buf, len, "%s", s);
	else if ((s = getenv("XDG_RUNTIME_DIR")) != NULL && *s != '\0')
		n = snprintf(buf, len, "%s/scarlett-midi-sim", s);
	else
		n = snprintf(buf, len, "/tmp/scarlett-midi-sim-%u",
		    (unsigned int)getuid());
	if (n < 0 || (size_t)n >= len)
		return (-ENAMETOOLONG);
	return (0);
}

/* Create directory PATH and its parents (mode 0700). */
static int
simstate_mkdirs(const char *path)
{
	char	*p, *s;
	int	 rv = 0;

	if ((p = strdup(path)) == NULL)
		return (-ENOMEM);
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rv = -errno;
		*s = '/';
		if (rv < 0)
			break;
	}
	if (rv == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
		rv = -errno;
	free(p);
	return (rv);
}

/* Size of the store file for this element table. */
static size_t
simstate_store_size(const struct simstate *st, size_t *accoff,
    size_t *valoff)
{
	*accoff = sizeof(struct simstate_hdr);
	*valoff = *accoff + ((st->nelem * sizeof(uint32_t) + 7) & ~(size_t)7);
	return (*valoff + 2 * st->nvalues * sizeof(int64_t));
}

/* Does the open store FD match this element table? */
static int
simstate_store_valid(const struct simstate *st, int fd)
{
	struct simstate_hdr	hdr;
	struct stat		sb;
	size_t			accoff, valoff;

	if (fstat(fd, &sb) < 0 ||
	    (size_t)sb.st_size != simstate_store_size(st, &accoff, &valoff))
		return (0);
	if (pread(fd, &hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return (0);
	return (hdr.magic == SIMSTATE_MAGIC &&
	    hdr.version == SIMSTATE_VERSION && hdr.nelem == st->nelem &&
	    hdr.nvalues == st->nvalues && hdr.hash == st->hash);
}

/* Write the initial store contents into a fresh file, then rename it. */
static int
simstate_store_create(const struct simstate *st)
{
	struct simstate_hdr	*hdr;
	unsigned char		*buf;
	char			*tmp;
	size_t			 len, accoff, valoff, off;
	ssize_t			 n;
	unsigned int		 i;
	int			 fd, rv;

	len = simstate_store_size(st, &accoff, &valoff);
	if ((buf = calloc(1, len)) == NULL)
		return (-ENOMEM);
	hdr = (struct simstate_hdr *)buf;
	hdr->magic = SIMSTATE_MAGIC;
	hdr->version = SIMSTATE_VERSION;
	hdr->nelem = st->nelem;
	hdr->nvalues = st->nvalues;
	hdr->hash = st->hash;
	hdr->fail_err = -EIO;
	for (i = 0; i < st->nelem; i++) {
		memcpy(buf + accoff + i * sizeof(uint32_t),
		    &st->elems[i].access, sizeof(uint32_t));
		memcpy(buf + valoff + st->elems[i].voff * sizeof(int64_t),
		    st->elems[i].init, st->elems[i].count * sizeof(int64_t));
		memcpy(buf + valoff + (st->nvalues + st->elems[i].voff) *
		    sizeof(int64_t), st->elems[i].init,
		    st->elems[i].count * sizeof(int64_t));
	}
	if ((rv = simstate_asprintf(&tmp, "%s.tmp-%ld", st->store,
	    (long)getpid())) < 0) {
		free(buf);
		return (rv);
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0) {
		rv = -errno;
		goto out;
	}
	for (off = 0; off < len; off += (size_t)n) {
		if ((n = write(fd, buf + off, len - off)) < 0) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			rv = -errno;
			close(fd);
			unlink(tmp);
			goto out;
		}
	}
	close(fd);
	/* Rename so that processes still mapping an old store keep it. */
	if (rename(tmp, st->store) < 0) {
		rv = -errno;
		unlink(tmp);
	}
out:
	free(tmp);
	free(buf);
	return (rv);
}

/* Take or release the store lock (LOCK_EX, LOCK_SH or LOCK_UN). */
static int
simstate_lock(struct simstate *st, int op)
{
	while (flock(st->lockfd, op) < 0) {
		if (errno != EINTR)
			return (-errno);
	}
	return (0);
}

/* Open (creating or re-initialising if needed) and map the store. */
static int
simstate_store_attach(struct simstate *st)
{
	size_t	accoff, valoff;
	int	fd = -1, rv;

	if ((rv = simstate_lock(st, LOCK_EX)) < 0)
		return (rv);
	if ((fd = open(st->store, O_RDWR | O_CLOEXEC)) >= 0 &&
	    !simstate_store_valid(st, fd)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		if ((rv = simstate_store_create(st)) < 0)
			goto out;
		if ((fd = open(st->store, O_RDWR | O_CLOEXEC)) < 0) {
			rv = -errno;
			goto out;
		}
	}
	st->maplen = simstate_store_size(st, &accoff, &valoff);
	st->map = mmap(NULL, st->maplen, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (st->map == MAP_FAILED) {
		st->map = NULL;
		rv = -errno;
		goto out;
	}
	st->hdr = st->map;
	st->acc = (uint32_t *)((char *)st->map + accoff);
	st->vals = (int64_t *)((char *)st->map + valoff);
	st->dev = st->vals + st->nvalues;
	rv = 0;
out:
	if (fd >= 0)
		close(fd);
	simstate_lock(st, LOCK_UN);
	return (rv);
}

/* Card name from the file name: basename, no ".state", '-' -> ' '. */
static void
simstate_set_name(struct simstate *st, const char *base)
{
	size_t	len = strlen(base);
	char	*p;

	if (len > 6 && strcmp(base + len - 6, ".state") == 0)
		len -= 6;
	if (len >= sizeof(st->name))
		len = sizeof(st->name) - 1;
	memcpy(st->name, base, len);
	st->name[len] = '\0';
	for (p = st->name; *p != '\0'; p++) {
		if (*p == '-')
			*p = ' ';
	}
}

int
simstate_open(struct simstate **ret, const char *path, const char *card,
    const char *dir, char *err, size_t errlen)
{
	struct simstate	*st;
	const char	*base;
	char		 ddir[PATH_MAX];
	int		 rv;

	*ret = NULL;
	simstate_msg(err, errlen, "%s", "");
	if (path == NULL || *path == '\0') {
		simstate_msg(err, errlen, "no state file given");
		return (-EINVAL);
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return (-ENOMEM);
	st->lockfd = -1;
	if ((st->path = strdup(path)) == NULL) {
		rv = -ENOMEM;
		goto fail;
	}
	if ((rv = simstate_load(st, card, err, errlen)) < 0)
		goto fail;
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	simstate_set_name(st, base);

	if (dir == NULL) {
		if ((rv = simstate_default_dir(ddir, sizeof(ddir))) < 0) {
			simstate_msg(err, errlen, "store directory: %s",
			    strerror(-rv));
			goto fail;
		}
		dir = ddir;
	}
	if ((rv = simstate_asprintf(&st->store, "%s/%s-%s", dir, base,
	    st->card)) < 0 ||
	    (rv = simstate_asprintf(&st->lockpath, "%s.lock",
	    st->store)) < 0 ||
	    (rv = simstate_asprintf(&st->evdir, "%s.events", st->store)) < 0)
		goto fail;
	if ((rv = simstate_mkdirs(dir)) < 0 ||
	    (rv = simstate_mkdirs(st->evdir)) < 0) {
		simstate_msg(err, errlen, "%s: %s", dir, strerror(-rv));
		goto fail;
	}
	if ((st->lockfd = open(st->lockpath, O_RDWR | O_CREAT | O_CLOEXEC,
	    0600)) < 0) {
		rv = -errno;
		simstate_msg(err, errlen, "%s: %s", st->lockpath,
		    strerror(errno));
		goto fail;
	}
	if ((rv = simstate_store_attach(st)) < 0) {
		simstate_msg(err, errlen, "%s: %s", st->store, strerror(-rv));
		goto fail;
	}
	*ret = st;
	return (0);
fail:
	if (rv == -ENOMEM && err != NULL && *err == '\0')
		simstate_msg(err, errlen, "%s", strerror(ENOMEM));
	simstate_close(st);
	return (rv);
}

void
simstate_close(struct simstate *st)
{
	if (st == NULL)
		return;
	if (st->map != NULL)
		munmap(st->map, st->maplen);
	if (st->lockfd >= 0)
		close(st->lockfd);
	simstate_free_elems(st);
	free(st->evdir);
	free(st->lockpath);
	free(st->store);
	free(st->path);
	free(st);
}

const char *
simstate_card_id(const struct simstate *st)
{
	return (st->card);
}

const char *
simstate_card_name(const struct simstate *st)
{
	return (st->name);
}

unsigned int
simstate_count(const struct simstate *st)
{
	return (st->nelem);
}

const struct simstate_elem *
simstate_elem(const struct simstate *st, unsigned int i)
{
	if (i >= st->nelem)
		return (NULL);
	return (&st->elems[i]);
}

int
simstate_find(const struct simstate *st, const snd_ctl_elem_id_t *id)
{
	const struct simstate_elem	*e;
	const char			*name;
	unsigned int			 numid, i, index, dev, subdev;
	int				 iface;

	numid = snd_ctl_elem_id_get_numid(id);
	if (numid != 0)
		return (numid <= st->nelem ? (int)numid - 1 : -ENOENT);
	name = snd_ctl_elem_id_get_name(id);
	iface = snd_ctl_elem_id_get_interface(id);
	index = snd_ctl_elem_id_get_index(id);
	dev = snd_ctl_elem_id_get_device(id);
	subdev = snd_ctl_elem_id_get_subdevice(id);
	for (i = 0; i < st->nelem; i++) {
		e = &st->elems[i];
		if (e->iface == iface && e->index == index &&
		    e->device == dev && e->subdevice == subdev &&
		    strcmp(e->name, name) == 0)
			return ((int)i);
	}
	return (-ENOENT);
}

int
simstate_find_name(const struct simstate *st, const char *name,
    unsigned int index)
{
	unsigned int	i;

	for (i = 0; i < st->nelem; i++) {
		if (st->elems[i].index == index &&
		    strcmp(st->elems[i].name, name) == 0)
			return ((int)i);
	}
	return (-ENOENT);
}

void
simstate_elem_id(const struct simstate *st, unsigned int i,
    snd_ctl_elem_id_t *id)
{
	const struct simstate_elem	*e;

	snd_ctl_elem_id_clear(id);
	if ((e = simstate_elem(st, i)) == NULL)
		return;
	snd_ctl_elem_id_set_numid(id, e->numid);
	snd_ctl_elem_id_set_interface(id, e->iface);
	snd_ctl_elem_id_set_device(id, e->device);
	snd_ctl_elem_id_set_subdevice(id, e->subdevice);
	snd_ctl_elem_id_set_name(id, e->name);
	snd_ctl_elem_id_set_index(id, e->index);
}

unsigned int
simstate_access(struct simstate *st, unsigned int i)
{
	if (i >= st->nelem)
		return (0);
	return (__atomic_load_n(&st->acc[i], __ATOMIC_RELAXED));
}

int
simstate_set_access(struct simstate *st, unsigned int i, unsigned int acc)
{
	int	rv, changed;

	if (i >= st->nelem)
		return (-ENOENT);
	if ((rv = simstate_lock(st, LOCK_EX)) < 0)
		return (rv);
	changed = st->acc[i] != acc;
	st->acc[i] = acc;
	simstate_lock(st, LOCK_UN);
	if (changed)
		simstate_notify(st, i, SND_CTL_EVENT_MASK_INFO);
	return (changed);
}

/* Copy element i's values, what clients read or what the device holds. */
static int
simstate_copy(struct simstate *st, unsigned int i, int64_t *v, int device)
{
	const struct simstate_elem	*e;
	int				 rv;

	if ((e = simstate_elem(st, i)) == NULL)
		return (-ENOENT);
	if ((rv = simstate_lock(st, LOCK_SH)) < 0)
		return (rv);
	memcpy(v, &(device ? st->dev : st->vals)[e->voff],
	    e->count * sizeof(*v));
	simstate_lock(st, LOCK_UN);
	return (0);
}

static void	simstate_sleep(unsigned int);

/*
 * A client's read.  A volatile element (a Scarlett's Level Meter) is
 * read from the device each time, as scarlett2's GET_METER is: one
 * transfer, as slow as the fault's delay makes transfers.
 */
int
simstate_read(struct simstate *st, unsigned int i, int64_t *v)
{
	unsigned int	 delay;
	int		 rv;

	if ((simstate_access(st, i) & SIMSTATE_ACCESS_VOLATILE) != 0) {
		if ((rv = simstate_lock(st, LOCK_EX)) < 0)
			return (rv);
		st->hdr->transfers++;
		delay = st->hdr->delay_ms;
		simstate_lock(st, LOCK_UN);
		if (delay > 0)
			simstate_sleep(delay);
		return (simstate_copy(st, i, v, 1));
	}
	return (simstate_copy(st, i, v, 0));
}

int
simstate_check(const struct simstate *st, unsigned int i, const int64_t *v)
{
	const struct simstate_elem	*e;
	unsigned int			 k;

	if ((e = simstate_elem(st, i)) == NULL)
		return (-ENOENT);
	for (k = 0; k < e->count; k++) {
		switch (e->type) {
		case SND_CTL_ELEM_TYPE_ENUMERATED:
			if (v[k] < 0 || v[k] >= e->nitems)
				return (-EINVAL);
			break;
		case SND_CTL_ELEM_TYPE_INTEGER:
		case SND_CTL_ELEM_TYPE_INTEGER64:
			if (v[k] < e->min || v[k] > e->max)
				return (-EINVAL);
			if (e->step > 0 &&
			    ((uint64_t)v[k] - (uint64_t)e->min) %
			    (uint64_t)e->step != 0)
				return (-EINVAL);
			break;
		default:	/* BOOLEAN 0..1, BYTES 0..255 */
			if (v[k] < e->min || v[k] > e->max)
				return (-EINVAL);
			break;
		}
	}
	return (0);
}

/* Sleep MS milliseconds, as a slow device's transfer does. */
static void
simstate_sleep(unsigned int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int
simstate_write(struct simstate *st, unsigned int i, const int64_t *v,
    int hw)
{
	const struct simstate_elem	*e;
	size_t				 len;
	unsigned int			 acc, delay;
	int				 rv, changed, fail = 0;

	if ((e = simstate_elem(st, i)) == NULL)
		return (-ENOENT);
	if (simstate_gone(st))
		return (-ENODEV);
	len = e->count * sizeof(*v);
	acc = simstate_access(st, i);
	if (!hw && ((acc & SIMSTATE_ACCESS_WRITE) == 0 ||
	    (acc & SIMSTATE_ACCESS_LOCK) != 0))
		return (-EPERM);
	if (!hw && (acc & SIMSTATE_ACCESS_BUSY) != 0)
		return (-EBUSY);
	if ((rv = simstate_check(st, i, v)) < 0)
		return (rv);
	if ((rv = simstate_lock(st, LOCK_EX)) < 0)
		return (rv);
	if (hw) {
		/* The front panel: device and driver agree at once. */
		changed = memcmp(&st->vals[e->voff], v, len) != 0 ||
		    memcmp(&st->dev[e->voff], v, len) != 0;
		memcpy(&st->vals[e->voff], v, len);
		memcpy(&st->dev[e->voff], v, len);
		simstate_lock(st, LOCK_UN);
		/* The driver tells nobody of a volatile element's change. */
		if ((acc & SIMSTATE_ACCESS_VOLATILE) != 0)
			changed = 0;
		if (changed)
			simstate_notify(st, i, SND_CTL_EVENT_MASK_VALUE);
		return (changed);
	}
	/* Benchmarks count what clients write, whether it changes or not. */
	st->hdr->writes++;
	/*
	 * Cache mode plays scarlett2 (scarlett2_mixer_ctl_put): a value
	 * equal to the cached one is answered 0 with no transfer, and a new
	 * one is cached before the transfer and kept if the transfer fails.
	 */
	if (st->hdr->cache) {
		if (memcmp(&st->vals[e->voff], v, len) == 0) {
			simstate_lock(st, LOCK_UN);
			return (0);
		}
		memcpy(&st->vals[e->voff], v, len);
	}
	st->hdr->transfers++;
	delay = st->hdr->delay_ms;
	if (st->hdr->fail > 0) {
		st->hdr->fail--;
		fail = st->hdr->fail_err;
	}
	simstate_lock(st, LOCK_UN);
	/* The transfer: other clients read and write meanwhile. */
	if (delay > 0)
		simstate_sleep(delay);
	if (fail < 0)
		return (fail);
	/* Unplugged during the transfer. */
	if (simstate_gone(st))
		return (-ENODEV);
	if ((rv = simstate_lock(st, LOCK_EX)) < 0)
		return (rv);
	changed = memcmp(&st->dev[e->voff], v, len) != 0 ||
	    memcmp(&st->vals[e->voff], v, len) != 0;
	memcpy(&st->vals[e->voff], v, len);
	memcpy(&st->dev[e->voff], v, len);
	if (st->hdr->cache)
		changed = 1;
	simstate_lock(st, LOCK_UN);
	if (changed)
		simstate_notify(st, i, SND_CTL_EVENT_MASK_VALUE);
	return (changed);
}

int
simstate_read_device(struct simstate *st, unsigned int i, int64_t *v)
{
	return (simstate_copy(st, i, v, 1));
}

uint64_t
simstate_transfers(struct simstate *st)
{
	return (__atomic_load_n(&st->hdr->transfers, __ATOMIC_RELAXED));
}

int
simstate_get_fault(struct simstate *st, struct simstate_fault *f)
{
	int	rv;

	if ((rv = simstate_lock(st, LOCK_SH)) < 0)
		return (rv);
	f->delay_ms = st->hdr->delay_ms;
	f->fail = st->hdr->fail;
	f->err = st->hdr->fail_err;
	f->cache = st->hdr->cache != 0;
	f->gone = st->hdr->gone != 0;
	simstate_lock(st, LOCK_UN);
	return (0);
}

int
simstate_gone(struct simstate *st)
{
	return (__atomic_load_n(&st->hdr->gone, __ATOMIC_RELAXED) != 0);
}

int
simstate_set_fault(struct simstate *st, const struct simstate_fault *f)
{
	int	rv, unplug;

	if (f->err >= 0)
		return (-EINVAL);
	if ((rv = simstate_lock(st, LOCK_EX)) < 0)
		return (rv);
	st->hdr->delay_ms = f->delay_ms;
	st->hdr->fail = f->fail;
	st->hdr->fail_err = f->err;
	st->hdr->cache = f->cache != 0;
	unplug = f->gone && !st->hdr->gone;
	st->hdr->gone = f->gone != 0;
	simstate_lock(st, LOCK_UN);
	/* Wake every listener: its next poll says the card is gone. */
	if (unplug && st->nelem > 0)
		simstate_notify(st, 0, SND_CTL_EVENT_MASK_VALUE);
	return (0);
}

uint64_t
simstate_writes(struct simstate *st)
{
	return (__atomic_load_n(&st->hdr->writes, __ATOMIC_RELAXED));
}

int
simstate_reset(struct simstate *st)
{
	const struct simstate_elem	*e;
	unsigned int			 i, mask;
	unsigned int			*masks;
	int				 rv;

	if ((masks = calloc(st->nelem, sizeof(*masks))) == NULL)
		return (-ENOMEM);
	if ((rv = simstate_lock(st, LOCK_EX)) < 0) {
		free(masks);
		return (rv);
	}
	for (i = 0; i < st->nelem; i++) {
		e = &st->elems[i];
		if (st->acc[i] != e->access) {
			st->acc[i] = e->access;
			masks[i] |= SND_CTL_EVENT_MASK_INFO;
		}
		if (memcmp(&st->vals[e->voff], e->init,
		    e->count * sizeof(*e->init)) != 0) {
			memcpy(&st->vals[e->voff], e->init,
			    e->count * sizeof(*e->init));
			masks[i] |= SND_CTL_EVENT_MASK_VALUE;
		}
		memcpy(&st->dev[e->voff], e->init,
		    e->count * sizeof(*e->init));
	}
	st->hdr->delay_ms = 0;
	st->hdr->fail = 0;
	st->hdr->fail_err = -EIO;
	st->hdr->cache = 0;
	st->hdr->gone = 0;
	simstate_lock(st, LOCK_UN);
	for (i = 0; i < st->nelem; i++) {
		if ((mask = masks[i]) != 0)
			simstate_notify(st, i, mask);
	}
	free(masks);
	return (0);
}

/* Parse a FIFO name "PID-N" or ".PID-N": the PID, or -1. */
static long
simstate_fifo_pid(const char *name)
{
	char	*end;
	long	 pid;

	if (*name == '.')
		name++;
	if (!isdigit((unsigned char)*name))
		return (-1);
	pid = strtol(name, &end, 10);
	if (*end != '-' || pid <= 0)
		return (-1);
	return (pid);
}

/* Write one event record to FD without dying of SIGPIPE. */
static void
simstate_fifo_write(int fd, const struct simstate_event *ev)
{
	sigset_t		 set, old, pending;
	struct timespec		 zero = { 0, 0 };
	ssize_t			 n;
	int			 waspending, save = errno;

	/*
	 * The reader may close between our open and write; block SIGPIPE
	 * and swallow it unless it was already pending for someone else.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	waspending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	n = write(fd, ev, sizeof(*ev));
	if (n < 0 && errno == EPIPE && !waspending)
		while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = save;
}

int
simstate_notify(struct simstate *st, unsigned int i, unsigned int mask)
{
	struct simstate_event	 ev;
	struct dirent		*de;
	DIR			*dp;
	long			 pid;
	int			 dfd, fd;

	if (i >= st->nelem)
		return (-ENOENT);
	ev.idx = i;
	ev.mask = mask;
	if ((dp = opendir(st->evdir)) == NULL)
		return (-errno);
	dfd = dirfd(dp);
	while ((de = readdir(dp)) != NULL) {
		if ((pid = simstate_fifo_pid(de->d_name)) < 0)
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
			/* Left behind by a process that died. */
			unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (de->d_name[0] == '.')
			continue;	/* not subscribed */
		fd = openat(dfd, de->d_name, O_WRONLY | O_NONBLOCK |
		    O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENXIO)
				unlinkat(dfd, de->d_name, 0);
			continue;
		}
		/* A full FIFO drops the event: readers re-read values. */
		simstate_fifo_write(fd, &ev);
		close(fd);
	}
	closedir(dp);
	return (0);
}

int
simstate_sub_create(struct simstate *st, struct simstate_sub **ret)
{
	struct simstate_sub	*sub;
	unsigned int		 tries;
	int			 rv;

	*ret = NULL;
	if ((sub = calloc(1, sizeof(*sub))) == NULL)
		return (-ENOMEM);
	sub->st = st;
	sub->fd = -1;
	for (tries = 0; tries < 100; tries++) {
		free(sub->hidden);
		free(sub->shown);
		sub->shown = NULL;
		if ((rv = simstate_asprintf(&sub->hidden, "%s/.%ld-%u",
		    st->evdir, (long)getpid(), simstate_sub_seq)) < 0 ||
		    (rv = simstate_asprintf(&sub->shown, "%s/%ld-%u",
		    st->evdir, (long)getpid(), simstate_sub_seq)) < 0)
			goto fail;
		simstate_sub_seq++;
		if (mkfifo(sub->hidden, 0600) == 0)
			break;
		if (errno != EEXIST) {
			rv = -errno;
			goto fail;
		}
	}
	if (tries == 100) {
		rv = -EEXIST;
		goto fail;
	}
	/* Open read-write so that the FIFO never reports hang-up. */
	if ((sub->fd = open(sub->hidden, O_RDWR | O_NONBLOCK | O_CLOEXEC)) <
	    0) {
		rv = -errno;
		unlink(sub->hidden);
		goto fail;
	}
	*ret = sub;
	return (0);
fail:
	free(sub->hidden);
	free(sub->shown);
	free(sub);
	return (rv);
}

void
simstate_sub_free(struct simstate_sub *sub)
{
	if (sub == NULL)
		return;
	unlink(sub->enabled ? sub->shown : sub->hidden);
	if (sub->fd >= 0)
		close(sub->fd);
	free(sub->hidden);
	free(sub->shown);
	free(sub);
}

int
simstate_sub_fd(const struct simstate_sub *sub)
{
	return (sub->fd);
}

int
simstate_sub_enable(struct simstate_sub *sub, int on)
{
	struct simstate_event	ev;

	on = on != 0;
	if (on == sub->enabled)
		return (0);
	/* A rename is atomic: writers see the FIFO whole or not at all. */
	if (on) {
		if (rename(sub->hidden, sub->shown) < 0)
			return (-errno);
	} else {
		if (rename(sub->shown, sub->hidden) < 0)
			return (-errno);
		while (read(sub->fd, &ev, sizeof(ev)) > 0)
			;
	}
	sub->enabled = on;
	return (0);
}

int
simstate_sub_read(struct simstate_sub *sub, unsigned int *idx,
    unsigned int *mask)
{
	struct simstate_event	ev;
	ssize_t			n;

	for (;;) {
		n = read(sub->fd, &ev, sizeof(ev));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return (errno == EWOULDBLOCK ? -EAGAIN : -errno);
		if (n != (ssize_t)sizeof(ev))
			return (-EAGAIN);	/* cannot happen: atomic */
		if (ev.idx >= sub->st->nelem)
			continue;
		*idx = ev.idx;
		*mask = ev.mask;
		return (1);
	}
}
