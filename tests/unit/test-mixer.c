/*
 * Unit tests of mixer.c's writes on the simulated card: coalescing, the
 * retry past a scarlett2-like cache, giving up, refusals.  The card's
 * faults and counters are set and read through simstate directly.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "map.h"
#include "mixer.h"
#include "simstate.h"

#define FADER	"Mix A Input 01 Playback Volume"

struct t {
	char		 dir[PATH_MAX];
	char		 state[PATH_MAX];
	struct loop	*loop;
	struct mixer	*mx;
	struct simstate	*st;
	struct elem	*e;
	unsigned int	 idx;
	int		 changed;
	int		 resynced;
	int		 timeouts;
};

static void
changed_cb(struct elem *e, void *arg)
{
	struct t	*t = arg;

	(void)e;
	t->changed++;
}

static void
resync_cb(struct elem *e, void *arg)
{
	struct t	*t = arg;

	(void)e;
	t->resynced++;
}

static const struct mixer_ops ops = {
	.changed = changed_cb,
	.resync = resync_cb,
};

static int
setup(void **state)
{
	struct t	*t;
	const char	*src;
	char		 msg[256];
	int		 i;

	t = calloc(1, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "%s/test-mixer.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	setenv("SCARLETT_MIDI_SIM_DIR", t->dir, 1);
	if ((src = getenv("top_srcdir")) == NULL)
		src = ".";
	snprintf(t->state, sizeof(t->state),
	    "%s/devices/Scarlett-Gen-3-18i20.state", src);
	t->loop = loop_create();
	assert_int_equal(mixer_open_sim(&t->mx, t->loop, t->state, &ops, t),
	    0);
	assert_int_equal(simstate_open(&t->st, t->state, NULL, t->dir, msg,
	    sizeof(msg)), 0);
	assert_non_null(t->e = mixer_find(t->mx, FADER, 0));
	assert_true((i = simstate_find_name(t->st, FADER, 0)) >= 0);
	t->idx = (unsigned int)i;
	*state = t;
	return (0);
}

static int
teardown(void **state)
{
	struct t	*t = *state;
	char		 cmd[PATH_MAX + 16];

	mixer_close(t->mx);
	simstate_close(t->st);
	loop_free(t->loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return (0);
}

/* Every 5 ms: stop the loop once no write is in flight or waiting. */
static void
idle_cb(void *arg)
{
	struct t	*t = arg;

	if (mixer_idle(t->mx) || ++t->timeouts > 1000) {
		loop_exit(t->loop);
		return;
	}
	loop_add_timer(t->loop, 5, idle_cb, t);
}

static void
run_until_idle(struct t *t)
{
	t->timeouts = 0;
	loop_add_timer(t->loop, 5, idle_cb, t);
	assert_int_equal(loop_run(t->loop), 0);
	assert_true(mixer_idle(t->mx));
}

static void
fault(struct t *t, unsigned int delay, unsigned int fail, int err,
    int cache)
{
	struct simstate_fault	 f = { delay, fail, err, cache, 0 };

	assert_int_equal(simstate_set_fault(t->st, &f), 0);
}

static int64_t
device(struct t *t)
{
	int64_t	 v[2];

	assert_int_equal(simstate_read_device(t->st, t->idx, v), 0);
	return (v[0]);
}

/* 100 values in a row while the card is slow: the first and the last. */
static void
test_coalesce(void **state)
{
	struct t	*t = *state;
	uint64_t	 n0;
	long		 v;

	fault(t, 30, 0, -EIO, 0);
	n0 = simstate_transfers(t->st);
	for (v = 1; v <= 100; v++) {
		mixer_elem_set(t->e, -1, v);
		mixer_flush(t->mx);
		/* On its way: the value shown is the one wanted. */
		assert_int_equal(mixer_elem_value(t->e, 0), v);
	}
	run_until_idle(t);
	assert_int_equal(device(t), 100);
	assert_true(simstate_transfers(t->st) - n0 <= 2);
	assert_int_equal(mixer_elem_value(t->e, 0), 100);
	/* The same value again is no write. */
	mixer_elem_set(t->e, -1, 100);
	mixer_flush(t->mx);
	assert_true(mixer_idle(t->mx));
	assert_int_equal(t->resynced, 0);
}

/* A failed put stays in the cache; the retry gets past it. */
static void
test_retry_cache(void **state)
{
	struct t	*t = *state;
	uint64_t	 n0;

	fault(t, 0, 1, -EINVAL, 1);
	n0 = simstate_transfers(t->st);
	mixer_elem_set(t->e, -1, 7);
	mixer_flush(t->mx);
	run_until_idle(t);
	assert_int_equal(device(t), 7);
	/* The failed one, the card's value, the wanted one. */
	assert_int_equal(simstate_transfers(t->st) - n0, 3);
	assert_int_equal(t->resynced, 0);
}

/* Five failures: given up, the card's value put back and shown. */
static void
test_give_up(void **state)
{
	struct t	*t = *state;
	int64_t		 v[2], was = device(t);

	fault(t, 0, 5, -EIO, 1);
	mixer_elem_set(t->e, -1, was == 0 ? 1 : 0);
	mixer_flush(t->mx);
	run_until_idle(t);
	assert_int_equal(t->resynced, 1);
	assert_int_equal(device(t), was);
	assert_int_equal(mixer_elem_value(t->e, 0), was);
	/* What clients read is the truth again. */
	assert_int_equal(simstate_read(t->st, t->idx, v), 0);
	assert_int_equal(v[0], was);
}

/* Read-only: refused at once, nothing written, no retry. */
static void
test_refused(void **state)
{
	struct t	*t = *state;
	uint64_t	 n0 = simstate_transfers(t->st);
	unsigned int	 acc = simstate_access(t->st, t->idx);
	int64_t		 was = device(t);
	int		 i;

	assert_true(simstate_set_access(t->st, t->idx,
	    acc & ~SIMSTATE_ACCESS_WRITE) > 0);
	/* The INFO event reaches the mixer through the loop. */
	for (i = 0; i < 200 && mixer_elem_info(t->e)->writable; i++) {
		loop_add_timer(t->loop, 5, idle_cb, t);
		assert_int_equal(loop_run(t->loop), 0);
	}
	assert_false(mixer_elem_info(t->e)->writable);
	mixer_elem_set(t->e, -1, was + 1);
	mixer_flush(t->mx);
	assert_int_equal(t->resynced, 1);
	assert_true(mixer_idle(t->mx));
	assert_int_equal(simstate_transfers(t->st), n0);
	assert_int_equal(mixer_elem_value(t->e, 0), was);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_coalesce, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_retry_cache, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_give_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup,
		    teardown),
	};

	return (cmocka_run_group_tests_name("mixer", tests, NULL, NULL));
}
