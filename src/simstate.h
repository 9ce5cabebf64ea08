/*
 * Simulated card state: an alsactl state file loaded into an element
 * table, values shared between processes through an mmap'd store, and
 * change events fanned out through one FIFO per subscribed listener.
 *
 * Used by the scarlett_sim alsa-lib control plugin and by tests/sim-hw.
 * Nothing here logs or exits: calls return 0 (or a count) or -errno, and
 * simstate_open() leaves a readable message in the caller's buffer.
 */

#ifndef SIMSTATE_H
#define SIMSTATE_H

#include <stddef.h>
#include <stdint.h>

#include <alsa/asoundlib.h>

#define SIMSTATE_NAME_MAX	44	/* ALSA element name, NUL included */
#define SIMSTATE_ITEM_MAX	64	/* item name, NUL included */
#define SIMSTATE_ELEMS_MAX	4096	/* elements in one card block */
#define SIMSTATE_ITEMS_MAX	1024	/* items of one element */
#define SIMSTATE_TLV_MAX	256	/* TLV words, header included */

/* Element access bits, as the kernel defines them (uapi asound.h). */
#define SIMSTATE_ACCESS_READ	 (1U << 0)
#define SIMSTATE_ACCESS_WRITE	 (1U << 1)
#define SIMSTATE_ACCESS_VOLATILE (1U << 2)
#define SIMSTATE_ACCESS_INACTIVE (1U << 8)
#define SIMSTATE_ACCESS_LOCK	 (1U << 9)
#define SIMSTATE_ACCESS_USER	 (1U << 29)
/* Simulation only, never shown to clients: their writes get -EBUSY. */
#define SIMSTATE_ACCESS_BUSY	 (1U << 30)

/* One element as described by the state file (read-only after load). */
struct simstate_elem {
	char		  name[SIMSTATE_NAME_MAX];
	unsigned int	  numid;	/* 1-based position in the block */
	int		  iface;	/* snd_ctl_elem_iface_t */
	unsigned int	  device;
	unsigned int	  subdevice;
	unsigned int	  index;
	int		  type;		/* snd_ctl_elem_type_t */
	unsigned int	  access;	/* SIMSTATE_ACCESS_* from the file */
	unsigned int	  count;	/* number of values */
	int64_t		  min;		/* integer range */
	int64_t		  max;
	int64_t		  step;		/* 0 if the file has none */
	unsigned int	  nitems;	/* ENUMERATED */
	char		(*items)[SIMSTATE_ITEM_MAX];
	unsigned int	  ntlv;		/* TLV words, 0 when none */
	unsigned int	 *tlv;
	int64_t		 *init;		/* values from the file */
	size_t		  voff;		/* first value in the store */
};

struct simstate;
struct simstate_sub;

/* Default store directory: $SCARLETT_MIDI_SIM_DIR, $XDG_RUNTIME_DIR/... */
int	 simstate_default_dir(char *, size_t);

/*
 * Load block CARD (NULL: the first) of state file PATH and attach to its
 * shared store in DIR (NULL: the default), creating and initialising the
 * store when missing or stale.  On error, ERR gets a one-line message.
 */
int	 simstate_open(struct simstate **, const char *, const char *,
	    const char *, char *, size_t);
/*
 * Parse block CARD (NULL: the first) of a state file held in memory,
 * with no store behind it: NAME only names it in messages.  Only the
 * element table calls (count, elem, find) may be used on the result.
 */
int	 simstate_parse(struct simstate **, const char *, const char *,
	    size_t, const char *, char *, size_t);
/* Detach from the store and free everything; NULL is a no-op. */
void	 simstate_close(struct simstate *);

/* Card id of the loaded block (e.g. "USB"). */
const char *simstate_card_id(const struct simstate *);
/* Card name: state file basename without .state, '-' turned to ' '. */
const char *simstate_card_name(const struct simstate *);
/* Number of elements in the block. */
unsigned int simstate_count(const struct simstate *);
/* Element I (0-based, numid - 1); NULL when out of range. */
const struct simstate_elem *simstate_elem(const struct simstate *,
	    unsigned int);
/* Index of the element with this id (numid, else iface/name/index...). */
int	 simstate_find(const struct simstate *, const snd_ctl_elem_id_t *);
/* Index of the element with this name and index, on any interface. */
int	 simstate_find_name(const struct simstate *, const char *,
	    unsigned int);
/* Fill an ALSA id (numid included) for element I. */
void	 simstate_elem_id(const struct simstate *, unsigned int,
	    snd_ctl_elem_id_t *);

/* Current SIMSTATE_ACCESS_* bits of element I. */
unsigned int simstate_access(struct simstate *, unsigned int);
/* Set the access bits of element I; sends an INFO event on change. */
int	 simstate_set_access(struct simstate *, unsigned int, unsigned int);
/* Copy the count values of element I into the array. */
int	 simstate_read(struct simstate *, unsigned int, int64_t *);
/* Check values against type and range: 0 or -EINVAL. */
int	 simstate_check(const struct simstate *, unsigned int,
	    const int64_t *);
/*
 * Write the values of element I.  Unless HW (non-zero) is set, -EPERM if
 * the element is not writable or is locked, -EBUSY if it is marked busy,
 * and the faults below apply.  -EINVAL if out of range.
 * Returns 1 and sends a VALUE event if a value changed, else 0.
 */
int	 simstate_write(struct simstate *, unsigned int, const int64_t *,
	    int);
/* How many client (non-HW) writes the store accepted since it was made. */
uint64_t simstate_writes(struct simstate *);
/* How many of them were sent to the "device" (in cache mode, fewer). */
uint64_t simstate_transfers(struct simstate *);
/* Copy the values the "device" holds (in cache mode, not always read). */
int	 simstate_read_device(struct simstate *, unsigned int, int64_t *);

/*
 * Faults, shared by every process of the store, for client writes only:
 * each transfer sleeps delay_ms, the next fail transfers return err
 * (a -errno), and cache mode acts as the scarlett2 driver does.  Gone
 * unplugs the card: writes fail with -ENODEV, the plugin's poll reports
 * an error, and it cannot be opened until gone is cleared.
 */
struct simstate_fault {
	unsigned int	 delay_ms;
	unsigned int	 fail;
	int		 err;
	int		 cache;
	int		 gone;
};
int	 simstate_get_fault(struct simstate *, struct simstate_fault *);
int	 simstate_set_fault(struct simstate *, const struct simstate_fault *);
/* Whether the card is unplugged (fault gone). */
int	 simstate_gone(struct simstate *);
/* Re-initialise values, access and faults from the file, with events. */
int	 simstate_reset(struct simstate *);
/* Send event MASK (SND_CTL_EVENT_MASK_*) for element I to all listeners. */
int	 simstate_notify(struct simstate *, unsigned int, unsigned int);

/*
 * A listener owns one FIFO; its descriptor is readable when events are
 * pending.  It only receives events while enabled.
 */
int	 simstate_sub_create(struct simstate *, struct simstate_sub **);
/* Close and remove the FIFO; NULL is a no-op. */
void	 simstate_sub_free(struct simstate_sub *);
/* The FIFO descriptor, for poll. */
int	 simstate_sub_fd(const struct simstate_sub *);
/* Start (non-zero) or stop receiving events; stopping drops pending ones. */
int	 simstate_sub_enable(struct simstate_sub *, int);
/* Take one event: 1 with element index and mask, or -EAGAIN. */
int	 simstate_sub_read(struct simstate_sub *, unsigned int *,
	    unsigned int *);

#endif
