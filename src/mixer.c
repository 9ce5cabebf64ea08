/*
 * Own one ALSA control device: its elements, its events, our writes.  It
 * is long for one concern: only this file touches snd_ctl_t.
 *
 * A card has two handles, both opened and closed here.  The loop's handle
 * reads events and values.  The writer's handle is used only by the
 * writer thread (writer.c), for element writes: those block in the
 * driver, each a USB transfer on a Scarlett, and must not stop the loop
 * reading MIDI.  The loop hands the thread one write at a time per
 * element, always the latest value wanted; what the thread did comes
 * back to the loop, which retries or shows the card's value again.
 */

#include <sys/epoll.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "log.h"
#include "loop.h"
#include "mixer.h"
#include "paths.h"
#include "writer.h"
#include "xmalloc.h"

#define MIXER_HASH	256

/* The access bits "list" shows. */
#define ACC_READ	0x01
#define ACC_WRITE	0x02
#define ACC_VOLATILE	0x04
#define ACC_INACTIVE	0x08
#define ACC_LOCK	0x10
#define ACC_TLV		0x20

struct elem {
	struct mixer		*mixer;
	snd_ctl_elem_id_t	*id;
	char			*name;
	unsigned int		 index;
	unsigned int		 numid;
	snd_ctl_elem_iface_t	 iface;
	unsigned int		 device;
	unsigned int		 subdevice;
	snd_ctl_elem_type_t	 ctype;
	struct elem_info	 info;
	unsigned int		 access;	/* ACC_* bits */
	int			 has_db;
	long			 db_min;	/* 0.01 dB */
	long			 db_max;
	unsigned int		 tlv[64];	/* for info.tlv */
	int			 removed;
	long			*values;	/* last read or written */
	long			*want;		/* to be written */
	int			 pending;	/* on the dirty list */
	int			 refused;	/* read-only: resync at flush */
	int			 last_err;	/* of the last failed write */
	void			*data;

	/*
	 * Our writes.  The loop owns all of this.  While a job is submitted,
	 * the writer thread reads first, cached, have_cached, jcount, jtype
	 * and target (which the loop then changes under the writer's lock
	 * only), and sets sent, use_first, first_err, wval and wfirst.
	 */
	enum {
		WRITE_IDLE,
		WRITE_BUSY,		/* the job writes target */
		WRITE_WAIT,		/* it failed; the retry timer runs */
		WRITE_RESTORE,		/* gave up; the job writes values */
	}			 wstate;
	long			*target;	/* what the card is to hold */
	long			*sent;		/* what the job writes */
	long			*first;		/* a retry writes this first */
	long			*cached;	/* what the driver may cache */
	long			*next;		/* wanted while restoring */
	int			 have_cached;
	int			 use_first;
	int			 first_err;
	int			 again;		/* next set while restoring */
	unsigned int		 tries;		/* of target, failed */
	struct watch		*retry_timer;
	struct writer_job	 job;

	/*
	 * Reads after an event go to the writer thread too: after a
	 * notification from the device, scarlett2 reads its values again
	 * over USB inside the read.  One read in flight at most; another
	 * event meanwhile asks for one more (READ_AGAIN).  The job fills
	 * rval, which the loop reads once it is done.
	 */
	enum {
		READ_IDLE,
		READ_BUSY,
		READ_AGAIN,
	}			 rstate;
	struct writer_job	 rjob;
	snd_ctl_elem_value_t	*rval;
	unsigned int		 nwritten;	/* our writes done, counted */
	unsigned int		 rwritten;	/* nwritten as the read went */
	snd_ctl_elem_value_t	*wval;		/* the job's, from sent */
	snd_ctl_elem_value_t	*wfirst;	/* from first */
	unsigned int		 jcount;	/* info.count for the job */
	enum elem_type		 jtype;		/* info.type for the job */
	struct elem		*hnext;		/* in the name hash */
	TAILQ_ENTRY(elem)	 dirty;
};

struct mixer {
	char			*device;	/* for messages */
	char			*card;		/* the card's name */
	snd_ctl_t		*ctl;		/* the loop's */
	snd_ctl_t		*wctl;		/* the writer thread's */
	snd_ctl_t		*rctl;		/* the reader thread's */
	struct writer		*reader;	/* reads after events */
	struct writer		*writer;
	snd_config_t		*lconf;		/* simulation config */
	struct loop		*loop;
	struct watch		**watches;
	struct pollfd		*pfds;
	int			 npfds;
	struct elem		**elems;
	unsigned int		 nelems;
	struct elem		*hash[MIXER_HASH];
	TAILQ_HEAD(, elem)	 dirty;
	const struct mixer_ops	*ops;
	void			*arg;
};

/* FNV-1a over the name, mixed with the index. */
static unsigned int
mixer_hash(const char *name, unsigned int index)
{
	uint32_t	 h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return ((h ^ index) % MIXER_HASH);
}

/*
 * Find an element by its ALSA id: name and index, and the interface,
 * device and subdevice unless they are -1 (any).  Of several that match,
 * the first the card lists (the hash keeps each chain in that order).
 */
struct elem *
mixer_find_id(struct mixer *mx, int iface, int device, int subdevice,
    const char *name, unsigned int index)
{
	struct elem	*e;

	e = mx->hash[mixer_hash(name, index)];
	for (; e != NULL; e = e->hnext) {
		if (e->index == index && strcmp(e->name, name) == 0 &&
		    mixer_elem_is(e, iface, device, subdevice))
			return (e);
	}
	return (NULL);
}

/* Whether an element has an interface, device, subdevice (-1: any). */
int
mixer_elem_is(const struct elem *e, int iface, int device, int subdevice)
{
	return ((iface == -1 || (int)e->iface == iface) &&
	    (device == -1 || e->device == (unsigned int)device) &&
	    (subdevice == -1 || e->subdevice == (unsigned int)subdevice));
}

/* Find an element by name and index, on any interface and device. */
struct elem *
mixer_find(struct mixer *mx, const char *name, unsigned int index)
{
	return (mixer_find_id(mx, -1, -1, -1, name, index));
}

/*
 * The element an id names: by the whole of it, which ALSA keeps unique
 * on a card and every event carries (one hashed lookup); else by its
 * numid alone, should an id come without the rest.
 */
static struct elem *
mixer_find_elem_id(struct mixer *mx, const snd_ctl_elem_id_t *id)
{
	struct elem	*e;
	unsigned int	 i, numid = snd_ctl_elem_id_get_numid(id);

	if ((e = mixer_find_id(mx, snd_ctl_elem_id_get_interface(id),
	    snd_ctl_elem_id_get_device(id), snd_ctl_elem_id_get_subdevice(id),
	    snd_ctl_elem_id_get_name(id), snd_ctl_elem_id_get_index(id))) !=
	    NULL)
		return (e);
	for (i = 0; numid != 0 && i < mx->nelems; i++) {
		if (mx->elems[i]->numid == numid && !mx->elems[i]->removed)
			return (mx->elems[i]);
	}
	return (NULL);
}

/* Read an element's info into e; returns 0 or -errno. */
static int
mixer_elem_read_info(struct elem *e)
{
	struct mixer		*mx = e->mixer;
	snd_ctl_elem_info_t	*info;
	unsigned int		 tlv[64];
	int			 err;

	snd_ctl_elem_info_alloca(&info);
	snd_ctl_elem_info_set_id(info, e->id);
	if ((err = snd_ctl_elem_info(mx->ctl, info)) < 0)
		return (err);
	e->numid = snd_ctl_elem_info_get_numid(info);
	e->ctype = snd_ctl_elem_info_get_type(info);
	e->info.count = snd_ctl_elem_info_get_count(info);
	e->info.step = 0;
	e->access = 0;
	if (snd_ctl_elem_info_is_readable(info))
		e->access |= ACC_READ;
	if (snd_ctl_elem_info_is_writable(info))
		e->access |= ACC_WRITE;
	if (snd_ctl_elem_info_is_volatile(info))
		e->access |= ACC_VOLATILE;
	if (snd_ctl_elem_info_is_inactive(info))
		e->access |= ACC_INACTIVE;
	if (snd_ctl_elem_info_is_locked(info))
		e->access |= ACC_LOCK;
	if (snd_ctl_elem_info_is_tlv_readable(info))
		e->access |= ACC_TLV;
	e->info.writable = snd_ctl_elem_info_is_writable(info) &&
	    !snd_ctl_elem_info_is_inactive(info);

	switch (e->ctype) {
	case SND_CTL_ELEM_TYPE_INTEGER:
		e->info.type = ELEM_INTEGER;
		e->info.min = snd_ctl_elem_info_get_min(info);
		e->info.max = snd_ctl_elem_info_get_max(info);
		e->info.step = snd_ctl_elem_info_get_step(info);
		break;
	case SND_CTL_ELEM_TYPE_BOOLEAN:
		e->info.type = ELEM_BOOLEAN;
		e->info.min = 0;
		e->info.max = 1;
		break;
	case SND_CTL_ELEM_TYPE_ENUMERATED:
		e->info.type = ELEM_ENUMERATED;
		e->info.min = 0;
		e->info.max = (long)snd_ctl_elem_info_get_items(info) - 1;
		break;
	default:
		e->info.type = ELEM_OTHER;
		e->info.min = e->info.max = 0;
		e->info.writable = 0;
		break;
	}
	if (e->values == NULL) {
		/* One block for values, want, target, sent, first, ... */
		e->values = xcalloc(7 * (e->info.count + 1), sizeof(long));
		e->want = e->values + (e->info.count + 1);
		e->target = e->want + (e->info.count + 1);
		e->sent = e->target + (e->info.count + 1);
		e->first = e->sent + (e->info.count + 1);
		e->cached = e->first + (e->info.count + 1);
		e->next = e->cached + (e->info.count + 1);
	}

	e->has_db = 0;
	e->info.tlv = NULL;
	if ((e->access & ACC_TLV) &&
	    snd_ctl_elem_tlv_read(mx->ctl, e->id, tlv, sizeof(tlv)) >= 0 &&
	    snd_tlv_get_dB_range(tlv, e->info.min, e->info.max, &e->db_min,
	    &e->db_max) >= 0) {
		e->has_db = 1;
		memcpy(e->tlv, tlv, sizeof(e->tlv));
		e->info.tlv = e->tlv;
	}
	return (0);
}

static int	mixer_elem_read(struct elem *);

/*
 * Read an element's values now, on the loop's handle: for a snapshot,
 * which must not miss a change whose read is still on its way.  On
 * scarlett2 a read is served from the driver's cache unless a
 * notification made it stale.  Returns 0 or -errno.
 */
int
mixer_elem_read_now(struct elem *e)
{
	return (mixer_elem_read(e));
}

/* Take an element's values from a value read from the card. */
static void
mixer_elem_take(struct elem *e, const snd_ctl_elem_value_t *val)
{
	unsigned int	 i;

	for (i = 0; i < e->info.count; i++) {
		switch (e->info.type) {
		case ELEM_INTEGER:
			e->values[i] = snd_ctl_elem_value_get_integer(val, i);
			break;
		case ELEM_BOOLEAN:
			e->values[i] = snd_ctl_elem_value_get_boolean(val, i);
			break;
		case ELEM_ENUMERATED:
			e->values[i] = snd_ctl_elem_value_get_enumerated(val,
			    i);
			break;
		case ELEM_OTHER:
			break;
		}
	}
}

/* Read an element's values into its cache; returns 0 or -errno. */
static int
mixer_elem_read(struct elem *e)
{
	snd_ctl_elem_value_t	*val;
	int			 err;

	if (e->info.type == ELEM_OTHER ||
	    !(e->access & ACC_READ))
		return (0);
	snd_ctl_elem_value_alloca(&val);
	snd_ctl_elem_value_set_id(val, e->id);
	if ((err = snd_ctl_elem_read(e->mixer->ctl, val)) < 0)
		return (err);
	mixer_elem_take(e, val);
	return (0);
}

static void	mixer_write_take(struct writer_job *);
static int	mixer_write_work(struct writer_job *);
static void	mixer_write_done(struct writer_job *, int);
static int	mixer_read_work(struct writer_job *);
static void	mixer_read_done(struct writer_job *, int);

/* Add an element to the index and read what it is; NULL on failure. */
static struct elem *
mixer_elem_add(struct mixer *mx, const snd_ctl_elem_id_t *id)
{
	struct elem	*e, **pp;
	unsigned int	 h;
	int		 err;

	e = xcalloc(1, sizeof(*e));
	e->mixer = mx;
	if (snd_ctl_elem_id_malloc(&e->id) < 0)
		fatalx("out of memory");
	snd_ctl_elem_id_copy(e->id, id);
	e->name = xstrdup(snd_ctl_elem_id_get_name(id));
	e->index = snd_ctl_elem_id_get_index(id);
	e->iface = snd_ctl_elem_id_get_interface(id);
	e->device = snd_ctl_elem_id_get_device(id);
	e->subdevice = snd_ctl_elem_id_get_subdevice(id);
	if (snd_ctl_elem_value_malloc(&e->wval) < 0 ||
	    snd_ctl_elem_value_malloc(&e->wfirst) < 0)
		fatalx("out of memory");
	e->job.start = mixer_write_take;
	e->job.work = mixer_write_work;
	e->job.done = mixer_write_done;
	e->job.arg = e;
	if (snd_ctl_elem_value_malloc(&e->rval) < 0)
		fatalx("out of memory");
	e->rjob.work = mixer_read_work;
	e->rjob.done = mixer_read_done;
	e->rjob.arg = e;
	if ((err = mixer_elem_read_info(e)) < 0 ||
	    (err = mixer_elem_read(e)) < 0)
		log_debug("%s: '%s': %s", mx->device, e->name,
		    snd_strerror(err));

	mx->elems = xreallocarray(mx->elems, mx->nelems + 1,
	    sizeof(*mx->elems));
	mx->elems[mx->nelems++] = e;
	/* At the tail: the first an id matches is the first listed. */
	h = mixer_hash(e->name, e->index);
	for (pp = &mx->hash[h]; *pp != NULL; pp = &(*pp)->hnext)
		continue;
	*pp = e;
	return (e);
}

/* Take an element out of the name index; it stays allocated. */
static void
mixer_elem_unhash(struct elem *e)
{
	struct elem	**pp;

	pp = &e->mixer->hash[mixer_hash(e->name, e->index)];
	for (; *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	}
	if (e->pending) {
		TAILQ_REMOVE(&e->mixer->dirty, e, dirty);
		e->pending = 0;
	}
	/* A job still running ends in mixer_write_done(), which sees this. */
	loop_del(e->retry_timer);
	e->retry_timer = NULL;
	if (e->wstate == WRITE_WAIT)
		e->wstate = WRITE_IDLE;
	e->info.writable = 0;
	e->removed = 1;
}

/* Free an element. */
static void
mixer_elem_free(struct elem *e)
{
	loop_del(e->retry_timer);
	snd_ctl_elem_value_free(e->wval);
	snd_ctl_elem_value_free(e->wfirst);
	snd_ctl_elem_value_free(e->rval);
	snd_ctl_elem_id_free(e->id);
	free(e->name);
	free(e->values);
	free(e);
}

/* Enumerate every element of the card. */
static int
mixer_enumerate(struct mixer *mx)
{
	snd_ctl_elem_list_t	*list;
	snd_ctl_elem_id_t	*id;
	unsigned int		 i, n;
	int			 err;

	snd_ctl_elem_list_alloca(&list);
	snd_ctl_elem_id_alloca(&id);
	if ((err = snd_ctl_elem_list(mx->ctl, list)) < 0)
		return (err);
	n = snd_ctl_elem_list_get_count(list);
	if ((err = snd_ctl_elem_list_alloc_space(list, n)) < 0)
		return (err);
	if ((err = snd_ctl_elem_list(mx->ctl, list)) < 0)
		goto out;
	n = snd_ctl_elem_list_get_used(list);
	for (i = 0; i < n; i++) {
		snd_ctl_elem_list_get_id(list, i, id);
		if (mixer_find_elem_id(mx, id) == NULL)
			mixer_elem_add(mx, id);
	}
out:
	snd_ctl_elem_list_free_space(list);
	return (err < 0 ? err : 0);
}

/*
 * A write of ours did not reach the card: the surfaces must show the
 * card's value again, whatever they show now.
 */
static void
mixer_resync(struct elem *e)
{
	struct mixer	*mx = e->mixer;

	if (mx->ops->resync != NULL)
		mx->ops->resync(e, mx->arg);
	else if (mx->ops->changed != NULL)
		mx->ops->changed(e, mx->arg);
}

/* On the reader thread: read the element with the reader's handle. */
static int
mixer_read_work(struct writer_job *j)
{
	struct elem	*e = j->arg;

	return (snd_ctl_elem_read(e->mixer->rctl, e->rval));
}

static void	mixer_read_start(struct elem *);

/* On the loop: the element was read; tell the owner what it holds. */
static void
mixer_read_done(struct writer_job *j, int err)
{
	struct elem	*e = j->arg;
	struct mixer	*mx = e->mixer;
	int		 again = e->rstate == READ_AGAIN;

	e->rstate = READ_IDLE;
	if (e->removed)
		return;
	/*
	 * A write of ours that is on its way, or was done since, is newer
	 * than what was read: its own event brings the next read.
	 */
	if (err < 0)
		log_debug("%s: '%s': %s", mx->device, e->name,
		    snd_strerror(err));
	else if (e->wstate == WRITE_IDLE && e->rwritten == e->nwritten)
		mixer_elem_take(e, e->rval);
	if (again)
		mixer_read_start(e);
	if (mx->ops->changed != NULL)
		mx->ops->changed(e, mx->arg);
}

/*
 * Read an element again after an event: on the reader thread (a second
 * writer.c thread, with a handle of its own), so the loop goes on
 * reading MIDI while the driver talks to the device, and a read waits
 * for no queued write (only, in the driver, for the one in flight).
 * Elements that cannot be read go at once.
 */
static void
mixer_read_start(struct elem *e)
{
	struct mixer	*mx = e->mixer;

	if (e->rstate != READ_IDLE) {
		e->rstate = READ_AGAIN;
		return;
	}
	if (mx->reader == NULL || e->info.type == ELEM_OTHER ||
	    !(e->access & ACC_READ)) {
		if (mx->ops->changed != NULL)
			mx->ops->changed(e, mx->arg);
		return;
	}
	snd_ctl_elem_value_set_id(e->rval, e->id);
	e->rwritten = e->nwritten;
	e->rstate = READ_BUSY;
	writer_submit(mx->reader, &e->rjob);
}

/* Handle one event from the card. */
static void
mixer_event(struct mixer *mx, snd_ctl_event_t *ev)
{
	snd_ctl_elem_id_t	*id;
	struct elem		*e;
	unsigned int		 mask;
	int			 err;

	if (snd_ctl_event_get_type(ev) != SND_CTL_EVENT_ELEM)
		return;
	snd_ctl_elem_id_alloca(&id);
	snd_ctl_event_elem_get_id(ev, id);
	mask = snd_ctl_event_elem_get_mask(ev);
	e = mixer_find_elem_id(mx, id);

	if (mask == SND_CTL_EVENT_MASK_REMOVE) {
		if (e == NULL)
			return;
		log_debug("%s: '%s' removed", mx->device, e->name);
		if (mx->ops->removed != NULL)
			mx->ops->removed(e, mx->arg);
		mixer_elem_unhash(e);
		return;
	}
	if (e == NULL) {
		if (!(mask & SND_CTL_EVENT_MASK_ADD))
			return;
		e = mixer_elem_add(mx, id);
		log_debug("%s: '%s' added", mx->device, e->name);
		if (mx->ops->added != NULL)
			mx->ops->added(e, mx->arg);
		return;
	}
	if ((mask & SND_CTL_EVENT_MASK_INFO) &&
	    (err = mixer_elem_read_info(e)) < 0)
		log_debug("%s: '%s': %s", mx->device, e->name,
		    snd_strerror(err));
	/* Read-only now (HW mode): a retry would be refused; stop it. */
	if (!e->info.writable && e->wstate == WRITE_WAIT) {
		loop_del(e->retry_timer);
		e->retry_timer = NULL;
		e->wstate = WRITE_IDLE;
		e->tries = 0;
		mixer_resync(e);
	}
	/* The value: read on the writer thread, then told to the owner. */
	if (mask & (SND_CTL_EVENT_MASK_VALUE | SND_CTL_EVENT_MASK_INFO))
		mixer_read_start(e);
	else if (mx->ops->changed != NULL)
		mx->ops->changed(e, mx->arg);
}

/* A poll descriptor of the card is ready: drain its events. */
static void
mixer_read_cb(int fd, uint32_t events, void *arg)
{
	struct mixer		*mx = arg;
	snd_ctl_event_t		*ev;
	unsigned short		 revents;
	int			 i, err;

	for (i = 0; i < mx->npfds; i++) {
		mx->pfds[i].revents = 0;
		if (mx->pfds[i].fd != fd)
			continue;
		if (events & EPOLLIN)
			mx->pfds[i].revents |= POLLIN;
		if (events & EPOLLERR)
			mx->pfds[i].revents |= POLLERR;
		if (events & EPOLLHUP)
			mx->pfds[i].revents |= POLLHUP;
	}
	if ((err = snd_ctl_poll_descriptors_revents(mx->ctl, mx->pfds,
	    mx->npfds, &revents)) < 0)
		revents = POLLERR;
	if (revents & (POLLERR | POLLNVAL | POLLHUP)) {
		log_warnx("%s: card is gone", mx->device);
		if (mx->ops->gone != NULL)
			mx->ops->gone(mx, mx->arg);
		return;
	}
	if (!(revents & POLLIN))
		return;

	snd_ctl_event_alloca(&ev);
	for (;;) {
		err = snd_ctl_read(mx->ctl, ev);
		if (err == 0 || err == -EAGAIN)
			break;
		if (err < 0) {
			log_warnx("%s: cannot read events: %s", mx->device,
			    snd_strerror(err));
			if (err == -ENODEV && mx->ops->gone != NULL)
				mx->ops->gone(mx, mx->arg);
			break;
		}
		mixer_event(mx, ev);
	}
}

/* Finish opening: card info, elements, events, poll descriptors. */
static int
mixer_setup(struct mixer *mx)
{
	snd_ctl_card_info_t	*ci;
	int			 i, err;

	snd_ctl_card_info_alloca(&ci);
	if ((err = snd_ctl_card_info(mx->ctl, ci)) < 0)
		return (err);
	mx->card = xstrdup(snd_ctl_card_info_get_name(ci));
	if ((err = snd_ctl_subscribe_events(mx->ctl, 1)) < 0)
		return (err);
	if ((err = mixer_enumerate(mx)) < 0)
		return (err);

	if ((mx->npfds = snd_ctl_poll_descriptors_count(mx->ctl)) <= 0)
		return (-ENODEV);
	mx->pfds = xcalloc(mx->npfds, sizeof(*mx->pfds));
	mx->watches = xcalloc(mx->npfds, sizeof(*mx->watches));
	if ((err = snd_ctl_poll_descriptors(mx->ctl, mx->pfds,
	    mx->npfds)) < 0)
		return (err);
	for (i = 0; i < mx->npfds; i++) {
		mx->watches[i] = loop_add_fd(mx->loop, mx->pfds[i].fd,
		    EPOLLIN, mixer_read_cb, mx);
		if (mx->watches[i] == NULL)
			return (-errno);
	}
	/* The writer's and reader's handles, opened by the caller. */
	if ((err = writer_create(&mx->writer, mx->loop)) < 0)
		return (err);
	return (writer_create(&mx->reader, mx->loop));
}

/* Allocate a mixer that is not yet open. */
static struct mixer *
mixer_create(struct loop *loop, const char *device,
    const struct mixer_ops *ops, void *arg)
{
	struct mixer	*mx;

	mx = xcalloc(1, sizeof(*mx));
	mx->device = xstrdup(device);
	mx->loop = loop;
	mx->ops = ops;
	mx->arg = arg;
	TAILQ_INIT(&mx->dirty);
	return (mx);
}

/*
 * Whether a card's long name contains want, in any case, leaving out
 * where the card is attached: drivers end long names with it ("... at
 * usb-dummy_hcd.0-1, high speed", "... at 0xf7f10000 irq 32"), and a
 * bus path must not make "USB" or "Dummy" match some other card while
 * the one meant is unplugged.
 */
static int
mixer_longname_matches(const char *longname, const char *want)
{
	char	 buf[128];
	char	*at, *p;

	snprintf(buf, sizeof(buf), "%s", longname);
	for (at = NULL, p = buf; (p = strstr(p, " at ")) != NULL; p++)
		at = p;
	if (at != NULL)
		*at = '\0';
	return (strcasestr(buf, want) != NULL);
}

/*
 * Does this card match what the user wrote?  Exactly: its number or id.
 * Loosely: part of its name or long name, in any case.
 */
static int
mixer_card_matches(int card, const char *want, int loose)
{
	snd_ctl_t		*ctl;
	snd_ctl_card_info_t	*ci;
	char			 dev[32];
	int			 match = 0;

	snd_ctl_card_info_alloca(&ci);
	snprintf(dev, sizeof(dev), "%d", card);
	if (!loose && strcmp(dev, want) == 0)
		return (1);
	snprintf(dev, sizeof(dev), "hw:%d", card);
	if (snd_ctl_open(&ctl, dev, 0) < 0)
		return (0);
	if (snd_ctl_card_info(ctl, ci) >= 0) {
		if (!loose)
			match = strcmp(snd_ctl_card_info_get_id(ci), want) == 0;
		else
			match = strcasestr(snd_ctl_card_info_get_name(ci),
			    want) != NULL ||
			    mixer_longname_matches(
			    snd_ctl_card_info_get_longname(ci), want);
	}
	snd_ctl_close(ctl);
	return (match);
}

/*
 * Turn what the user wrote into a ctl device name: "hw:..." and other
 * names with a colon as they are; else the card with that number or id;
 * else the first card whose name or long name contains it; else the name
 * itself, which the ALSA configuration may define.
 */
static char *
mixer_resolve(const char *want)
{
	char	*dev;
	int	 card, loose;

	if (strchr(want, ':') != NULL)
		return (xstrdup(want));
	for (loose = 0; loose < 2; loose++) {
		card = -1;
		while (snd_card_next(&card) == 0 && card >= 0) {
			if (mixer_card_matches(card, want, loose)) {
				xasprintf(&dev, "hw:%d", card);
				return (dev);
			}
		}
	}
	return (xstrdup(want));
}

/*
 * Open a card by name (see mixer_resolve), subscribe to its events and
 * watch it in the loop.  Returns 0 or -errno; nothing is logged.
 */
int
mixer_open(struct mixer **out, struct loop *loop, const char *want,
    const struct mixer_ops *ops, void *arg)
{
	struct mixer	*mx;
	char		*dev;
	int		 err;

	dev = mixer_resolve(want);
	mx = mixer_create(loop, dev, ops, arg);
	free(dev);
	if ((err = snd_ctl_open(&mx->ctl, mx->device, SND_CTL_NONBLOCK)) < 0 ||
	    (err = snd_ctl_open(&mx->wctl, mx->device, 0)) < 0 ||
	    (err = snd_ctl_open(&mx->rctl, mx->device, 0)) < 0 ||
	    (err = mixer_setup(mx)) < 0) {
		mixer_close(mx);
		return (err);
	}
	*out = mx;
	return (0);
}

/* Append s to the config text as a double-quoted ALSA string. */
static void
mixer_quote(char **text, const char *s)
{
	char	*q, *p;

	q = p = xcalloc(2, strlen(s) + 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	p = *text;
	xasprintf(text, "%s\"%s\"", p, q);
	free(p);
	free(q);
}

/*
 * Open the simulated card of an alsactl state file through our ctl
 * plugin, with a private ALSA configuration: no set-up is needed.
 */
int
mixer_open_sim(struct mixer **out, struct loop *loop, const char *state,
    const struct mixer_ops *ops, void *arg)
{
	struct mixer	*mx;
	snd_input_t	*in;
	const char	*plugin;
	char		*text, *abs, *dev;
	int		 err;

	plugin = paths_plugin();
	if ((abs = realpath(state, NULL)) == NULL)
		return (-errno);

	text = xstrdup("ctl_type.scarlett_sim { lib ");
	mixer_quote(&text, plugin);
	dev = text;
	xasprintf(&text, "%s }\nctl.scarlett_midi_sim { type scarlett_sim "
	    "state ", dev);
	free(dev);
	mixer_quote(&text, abs);
	dev = text;
	xasprintf(&text, "%s }\n", dev);
	free(dev);

	xasprintf(&dev, "sim:%s", strrchr(abs, '/') + 1);
	mx = mixer_create(loop, dev, ops, arg);
	free(dev);
	free(abs);
	if ((err = snd_config_top(&mx->lconf)) < 0 ||
	    (err = snd_input_buffer_open(&in, text, strlen(text))) < 0)
		goto fail;
	err = snd_config_load(mx->lconf, in);
	snd_input_close(in);
	if (err < 0 ||
	    (err = snd_ctl_open_lconf(&mx->ctl, "scarlett_midi_sim",
	    SND_CTL_NONBLOCK, mx->lconf)) < 0 ||
	    (err = snd_ctl_open_lconf(&mx->wctl, "scarlett_midi_sim", 0,
	    mx->lconf)) < 0 ||
	    (err = snd_ctl_open_lconf(&mx->rctl, "scarlett_midi_sim", 0,
	    mx->lconf)) < 0 ||
	    (err = mixer_setup(mx)) < 0)
		goto fail;
	free(text);
	*out = mx;
	return (0);
fail:
	free(text);
	mixer_close(mx);
	return (err);
}

/* Close a card and free everything.  NULL is a no-op. */
void
mixer_close(struct mixer *mx)
{
	unsigned int	 i;
	int		 j;

	if (mx == NULL)
		return;
	/* First the threads, which may be inside a call on their handle. */
	writer_free(mx->writer);
	writer_free(mx->reader);
	if (mx->wctl != NULL)
		snd_ctl_close(mx->wctl);
	if (mx->rctl != NULL)
		snd_ctl_close(mx->rctl);
	for (j = 0; j < mx->npfds; j++)
		loop_del(mx->watches[j]);
	free(mx->watches);
	free(mx->pfds);
	for (i = 0; i < mx->nelems; i++)
		mixer_elem_free(mx->elems[i]);
	free(mx->elems);
	if (mx->ctl != NULL)
		snd_ctl_close(mx->ctl);
	if (mx->lconf != NULL)
		snd_config_delete(mx->lconf);
	free(mx->card);
	free(mx->device);
	free(mx);
}

/* The ctl device name, for messages. */
const char *
mixer_name(const struct mixer *mx)
{
	return (mx->device);
}

/* The card's name as its driver reports it. */
const char *
mixer_card_name(const struct mixer *mx)
{
	return (mx->card);
}

/* How many elements the card has. */
unsigned int
mixer_count(const struct mixer *mx)
{
	return (mx->nelems);
}

const char *
mixer_elem_name(const struct elem *e)
{
	return (e->name);
}

const struct elem_info *
mixer_elem_info(const struct elem *e)
{
	return (&e->info);
}

/* The i-th element in card order, or NULL if it was removed. */
struct elem *
mixer_elem_at(struct mixer *mx, unsigned int i)
{
	if (i >= mx->nelems || mx->elems[i]->removed)
		return (NULL);
	return (mx->elems[i]);
}

unsigned int
mixer_elem_index(const struct elem *e)
{
	return (e->index);
}

/*
 * Call fn with the index and name of each item of an enumerated element,
 * in order, until it returns non-zero; returns that item's index, or -1.
 */
static long
mixer_elem_items(const struct elem *e, int (*fn)(long, const char *, void *),
    void *arg)
{
	snd_ctl_elem_info_t	*info;
	long			 i;

	snd_ctl_elem_info_alloca(&info);
	snd_ctl_elem_info_set_id(info, e->id);
	for (i = 0; i <= e->info.max; i++) {
		snd_ctl_elem_info_set_item(info, i);
		if (snd_ctl_elem_info(e->mixer->ctl, info) < 0)
			break;
		if (fn(i, snd_ctl_elem_info_get_item_name(info), arg))
			return (i);
	}
	return (-1);
}

/* Whether an item is the one named (any case). */
static int
mixer_item_is(long i, const char *item, void *name)
{
	(void)i;
	return (strcasecmp(item, name) == 0);
}

/* The index of the enumerated item with this name (any case), or -1. */
long
mixer_elem_item(struct elem *e, const char *name)
{
	if (e->info.type != ELEM_ENUMERATED)
		return (-1);
	return (mixer_elem_items(e, mixer_item_is, (void *)name));
}

/* The name of item i, for mixer_elem_item_name(). */
struct mixer_item_name {
	long		 i;
	char		*buf;
	size_t		 size;
	int		 err;
};

static int
mixer_item_name_cb(long i, const char *item, void *arg)
{
	struct mixer_item_name	*n = arg;

	if (i != n->i)
		return (0);
	if ((size_t)snprintf(n->buf, n->size, "%s", item) >= n->size)
		n->err = -ENAMETOOLONG;
	return (1);
}

/*
 * The name of item i of an enumerated element, copied into buf; 0, or
 * -errno (-EINVAL if the element has no such item).
 */
int
mixer_elem_item_name(struct elem *e, long i, char *buf, size_t size)
{
	struct mixer_item_name	 n = { i, buf, size, 0 };

	if (e->info.type != ELEM_ENUMERATED || i < 0 || i > e->info.max ||
	    mixer_elem_items(e, mixer_item_name_cb, &n) != i)
		return (-EINVAL);
	return (n.err);
}

/*
 * The value of one channel: the card's, or while a write of ours is on
 * its way, the one it writes.  So relative steps add up on a slow card,
 * and the events of our own older writes do not pull a motor fader back.
 */
long
mixer_elem_value(const struct elem *e, unsigned int ch)
{
	if (ch >= e->info.count)
		return (0);
	if (e->wstate == WRITE_BUSY || e->wstate == WRITE_WAIT)
		return (e->target[ch]);
	return (e->values[ch]);
}

void *
mixer_elem_data(const struct elem *e)
{
	return (e->data);
}

void
mixer_elem_set_data(struct elem *e, void *data)
{
	e->data = data;
}

/*
 * Queue a value for one channel, or all (-1).  Nothing is written until
 * mixer_flush(), so a burst of values for one element costs one write.
 */
void
mixer_elem_set(struct elem *e, int ch, long v)
{
	unsigned int	 i;

	if (!e->pending) {
		for (i = 0; i < e->info.count; i++)
			e->want[i] = mixer_elem_value(e, i);
		TAILQ_INSERT_TAIL(&e->mixer->dirty, e, dirty);
		e->pending = 1;
	}
	if (!e->info.writable) {
		if (e->last_err != -EPERM)
			log_warnx("%s: cannot write '%s': it is read-only now",
			    e->mixer->device, e->name);
		e->last_err = -EPERM;
		/* The surface moved: it is shown the card's value at flush. */
		e->refused = 1;
		return;
	}
	if (ch >= 0 && (unsigned int)ch < e->info.count)
		e->want[ch] = v;
	else if (ch < 0) {
		for (i = 0; i < e->info.count; i++)
			e->want[i] = v;
	}
}

/* Whether two value arrays of the element are equal. */
static int
mixer_same(const struct elem *e, const long *a, const long *b)
{
	return (memcmp(a, b, e->info.count * sizeof(long)) == 0);
}

/* On the writer thread: values into an ALSA value of the element. */
static void
mixer_fill(const struct elem *e, snd_ctl_elem_value_t *val, const long *v)
{
	unsigned int	 i;

	snd_ctl_elem_value_clear(val);
	snd_ctl_elem_value_set_id(val, e->id);
	for (i = 0; i < e->jcount; i++) {
		switch (e->jtype) {
		case ELEM_INTEGER:
			snd_ctl_elem_value_set_integer(val, i, v[i]);
			break;
		case ELEM_BOOLEAN:
			snd_ctl_elem_value_set_boolean(val, i, v[i]);
			break;
		case ELEM_ENUMERATED:
			snd_ctl_elem_value_set_enumerated(val, i, v[i]);
			break;
		case ELEM_OTHER:
			break;
		}
	}
}

/*
 * On the writer thread, under the writer's lock, as the job starts: take
 * the latest target, however long the job waited in the queue.
 *
 * The scarlett2 driver caches a value before its USB transfer and keeps
 * it when the transfer fails, and it answers a put of the cached value
 * with 0 and no transfer at all (scarlett2_mixer_ctl_put and the like).
 * So when the driver may hold target already, the card's value goes
 * first: the put of target then differs from the cache and really
 * reaches the device.
 */
static void
mixer_write_take(struct writer_job *j)
{
	struct elem	*e = j->arg;
	size_t		 n = e->jcount * sizeof(long);

	memcpy(e->sent, e->target, n);
	mixer_fill(e, e->wval, e->sent);
	e->use_first = e->have_cached && memcmp(e->cached, e->sent, n) == 0 &&
	    memcmp(e->first, e->sent, n) != 0;
	if (e->use_first)
		mixer_fill(e, e->wfirst, e->first);
}

/*
 * On the writer thread: the write, and for a retry first the value that
 * gets past the driver's cache.
 */
static int
mixer_write_work(struct writer_job *j)
{
	struct elem	*e = j->arg;
	int		 err;

	e->first_err = 0;
	if (e->use_first &&
	    (err = snd_ctl_elem_write(e->mixer->wctl, e->wfirst)) < 0) {
		e->first_err = err;
		return (err);
	}
	return (snd_ctl_elem_write(e->mixer->wctl, e->wval));
}

/*
 * Hand target to the writer thread, which takes it when the job starts
 * (mixer_write_take), with the card's value as it is now.
 */
static void
mixer_write_start(struct elem *e)
{
	memcpy(e->first, e->values, e->info.count * sizeof(long));
	e->jcount = e->info.count;
	e->jtype = e->info.type;
	e->wstate = WRITE_BUSY;
	writer_submit(e->mixer->writer, &e->job);
}

/*
 * Gave up on target: put the card's value back into the driver's cache
 * (a put, whether its transfer works or not, leaves it there), so that
 * reads tell the truth again and a later put of target is a real one.
 */
static void
mixer_write_restore(struct elem *e)
{
	memcpy(e->target, e->values, e->info.count * sizeof(long));
	memcpy(e->first, e->values, e->info.count * sizeof(long));
	e->jcount = e->info.count;
	e->jtype = e->info.type;
	e->wstate = WRITE_RESTORE;
	writer_submit(e->mixer->writer, &e->job);
}

/* Time to try target again. */
static void
mixer_retry_cb(void *arg)
{
	struct elem	*e = arg;

	e->retry_timer = NULL;
	if (e->wstate != WRITE_WAIT)
		return;
	if (mixer_same(e, e->values, e->target)) {
		/* Someone else wrote it meanwhile. */
		e->wstate = WRITE_IDLE;
		e->tries = 0;
		return;
	}
	mixer_write_start(e);
}

/*
 * A write failed.  Refused (the element is read-only or locked now): the
 * driver never saw it, so no retry; show the card's value at once.  The
 * card going away: its watch says so.  Anything else is tried again,
 * with the latest target, until WRITER_TRIES tries failed; then one
 * line is logged, the driver's cache restored and the card's value shown.
 */
static void
mixer_write_failed(struct elem *e, int err)
{
	struct mixer	*mx = e->mixer;

	if (err == -EPERM || err == -EACCES) {
		if (err != e->last_err)
			log_warnx("%s: cannot write '%s': %s", mx->device,
			    e->name, snd_strerror(err));
		e->last_err = err;
		e->tries = 0;
		e->wstate = WRITE_IDLE;
		mixer_resync(e);
		return;
	}
	if (err == -ENODEV || err == -ENXIO || err == -EBADFD) {
		e->wstate = WRITE_IDLE;
		return;
	}
	if (++e->tries < WRITER_TRIES) {
		log_debug("%s: cannot write '%s': %s; try %u of %u in %u ms",
		    mx->device, e->name, snd_strerror(err), e->tries + 1,
		    WRITER_TRIES, writer_retry_ms(e->tries));
		e->retry_timer = loop_add_timer(mx->loop,
		    writer_retry_ms(e->tries), mixer_retry_cb, e);
		if (e->retry_timer != NULL) {
			e->wstate = WRITE_WAIT;
			return;
		}
	}
	if (err != e->last_err)
		log_warnx("%s: cannot write '%s': %s; gave up after %u tries",
		    mx->device, e->name, snd_strerror(err), e->tries);
	else
		log_debug("%s: cannot write '%s': %s; gave up after %u tries",
		    mx->device, e->name, snd_strerror(err), e->tries);
	e->last_err = err;
	e->tries = 0;
	if (e->have_cached && !mixer_same(e, e->cached, e->values)) {
		mixer_write_restore(e);
		return;
	}
	e->wstate = WRITE_IDLE;
	mixer_resync(e);
}

/* On the loop: the writer thread finished this element's job. */
static void
mixer_write_done(struct writer_job *j, int err)
{
	struct elem	*e = j->arg;
	size_t		 n = e->info.count * sizeof(long);
	int		 restored = e->wstate == WRITE_RESTORE;

	/* Failed or not, a put leaves its value in the driver's cache. */
	memcpy(e->cached, e->use_first && e->first_err < 0 ? e->first :
	    e->sent, n);
	e->have_cached = 1;
	if (e->removed) {
		e->wstate = WRITE_IDLE;
		return;
	}
	if (restored) {
		e->wstate = WRITE_IDLE;
		if (err < 0)
			log_debug("%s: cannot write '%s' back: %s",
			    e->mixer->device, e->name, snd_strerror(err));
		if (e->again) {
			/* A new value came while we gave up: a fresh start. */
			e->again = 0;
			memcpy(e->target, e->next, n);
			if (!mixer_same(e, e->target, e->values))
				mixer_write_start(e);
			return;
		}
		mixer_resync(e);
		return;
	}
	if (err < 0) {
		mixer_write_failed(e, err);
		return;
	}
	if (e->tries > 0)
		log_debug("%s: wrote '%s' at try %u", e->mixer->device,
		    e->name, e->tries + 1);
	memcpy(e->values, e->sent, n);
	e->nwritten++;
	e->tries = 0;
	e->last_err = 0;
	if (e->mixer->ops->written != NULL)
		e->mixer->ops->written(e, e->mixer->arg);
	/* Newer values came meanwhile: the latest goes next, once. */
	if (!mixer_same(e, e->target, e->sent))
		mixer_write_start(e);
	else
		e->wstate = WRITE_IDLE;
}

/*
 * Read a volatile integer element again (a meter): its driver sends no
 * events, and each read blocks (scarlett2's GET_METER).  On the reader
 * thread; the values and a changed call come back on the loop, each
 * read news whether or not the level changed.  Returns 0, or -EBUSY
 * while the last read is not back, -EINVAL for another element.
 */
int
mixer_elem_refresh(struct elem *e)
{
	if (!(e->access & ACC_VOLATILE) || !(e->access & ACC_READ) ||
	    e->info.type != ELEM_INTEGER || e->removed)
		return (-EINVAL);
	if (e->rstate != READ_IDLE)
		return (-EBUSY);
	mixer_read_start(e);
	return (0);
}

/* Whether an element is volatile: it changes with no event. */
int
mixer_elem_volatile(const struct elem *e)
{
	return ((e->access & ACC_VOLATILE) != 0);
}

/*
 * Hand each queued element's latest values to the writer thread, unless
 * the card holds them or they are on their way already.  An element has
 * one write in flight at most; values that come meanwhile replace each
 * other, and only the last one is written next: a fader never builds a
 * queue of old values.  Failures are logged once per element and cause.
 */
void
mixer_flush(struct mixer *mx)
{
	struct elem	*e;
	unsigned int	 i;
	int		 same;

	while ((e = TAILQ_FIRST(&mx->dirty)) != NULL) {
		TAILQ_REMOVE(&mx->dirty, e, dirty);
		e->pending = 0;
		if (e->refused) {
			e->refused = 0;
			mixer_resync(e);
			continue;
		}
		for (same = 1, i = 0; i < e->info.count; i++)
			same = same && e->want[i] == mixer_elem_value(e, i);
		if (same)
			continue;
		if (e->wstate == WRITE_RESTORE) {
			/* Written once the card's value is back. */
			memcpy(e->next, e->want, e->info.count * sizeof(long));
			e->again = 1;
			continue;
		}
		/* A job waiting in the queue takes it when it starts. */
		writer_lock(mx->writer);
		memcpy(e->target, e->want, e->info.count * sizeof(long));
		writer_unlock(mx->writer);
		switch (e->wstate) {
		case WRITE_IDLE:
			mixer_write_start(e);
			break;
		case WRITE_RESTORE:
		case WRITE_BUSY:	/* mixer_write_done() sends it */
		case WRITE_WAIT:	/* mixer_retry_cb() sends it */
			break;
		}
	}
}

/* Whether no write of ours is in flight or waiting (for tests). */
int
mixer_idle(struct mixer *mx)
{
	unsigned int	 i;

	for (i = 0; i < mx->nelems; i++) {
		if (mx->elems[i]->wstate != WRITE_IDLE)
			return (0);
	}
	return (TAILQ_EMPTY(&mx->dirty));
}

/* The access bits as letters, like ls: "rw", "r-", plus flags. */
static void
mixer_access(const struct elem *e, char *buf)
{
	buf[0] = (e->access & ACC_READ) ? 'r' : '-';
	buf[1] = (e->access & ACC_WRITE) ? 'w' : '-';
	buf[2] = (e->access & ACC_VOLATILE) ? 'v' : '-';
	buf[3] = (e->access & ACC_INACTIVE) ? 'i' : '-';
	buf[4] = (e->access & ACC_LOCK) ? 'l' : '-';
	buf[5] = '\0';
}

/* Print one enumerated item name, for the list of them. */
static int
mixer_list_item(long i, const char *item, void *fp)
{
	fprintf(fp, "%s'%s'", i == 0 ? "" : ",", item);
	return (0);
}

/* Print one element's enumerated item names. */
static void
mixer_list_items(const struct elem *e, FILE *fp)
{
	fputs(" items=", fp);
	mixer_elem_items(e, mixer_list_item, fp);
}

/* Print every element, one line each: what "list" shows. */
void
mixer_list(struct mixer *mx, FILE *fp)
{
	static const char	*types[] = { "INTEGER", "BOOLEAN",
				    "ENUMERATED", "OTHER" };
	const struct elem	*e;
	unsigned int		 i;
	char			 acc[6];

	for (i = 0; i < mx->nelems; i++) {
		e = mx->elems[i];
		mixer_access(e, acc);
		fprintf(fp, "numid=%u ", e->numid);
		/* The id as amixer and the control key write it. */
		if (e->iface != SND_CTL_ELEM_IFACE_MIXER)
			fprintf(fp, "iface=%s,", snd_ctl_elem_iface_name(
			    e->iface));
		fprintf(fp, "name='%s'", e->name);
		if (e->index != 0)
			fprintf(fp, ",index=%u", e->index);
		if (e->device != 0)
			fprintf(fp, ",device=%u", e->device);
		if (e->subdevice != 0)
			fprintf(fp, ",subdevice=%u", e->subdevice);
		fprintf(fp, " %s %s count=%u", e->ctype ==
		    SND_CTL_ELEM_TYPE_BYTES ? "BYTES" : types[e->info.type],
		    acc, e->info.count);
		if (e->info.type == ELEM_INTEGER) {
			fprintf(fp, " range=%ld..%ld", e->info.min,
			    e->info.max);
			if (e->info.step > 1)
				fprintf(fp, " step=%ld", e->info.step);
		} else if (e->info.type == ELEM_ENUMERATED)
			mixer_list_items(e, fp);
		if (e->has_db && e->db_min <= SND_CTL_TLV_DB_GAIN_MUTE)
			fprintf(fp, " dB=-inf..%.2f", e->db_max / 100.0);
		else if (e->has_db)
			fprintf(fp, " dB=%.2f..%.2f", e->db_min / 100.0,
			    e->db_max / 100.0);
		fputc('\n', fp);
	}
}
