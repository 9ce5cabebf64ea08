/* Unit tests of writer.c: jobs off the loop thread, results on it, retries. */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "writer.h"

struct job {
	struct writer_job	 wj;
	struct loop		*loop;
	struct writer		*writer;
	pthread_t		 loop_thread;
	pthread_t		 ran_on;	/* set by work */
	int			 id;
	int			 ms;		/* work sleeps this long */
	int			 runs;		/* work calls */
	int			 dones;		/* done calls */
	int			 again;		/* resubmit this often */
	int			*order;		/* shared: ids as done */
	int			*norder;
	int			 expect;	/* loop_exit at this norder */
};

static void
test_sleep_ms(int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* On the writer thread. */
static int
work(struct writer_job *wj)
{
	struct job	*j = wj->arg;

	j->ran_on = pthread_self();
	j->runs++;
	if (j->ms > 0)
		test_sleep_ms(j->ms);
	return (-j->id);
}

/* On the loop thread. */
static void
done(struct writer_job *wj, int err)
{
	struct job	*j = wj->arg;

	assert_true(pthread_equal(pthread_self(), j->loop_thread));
	assert_false(pthread_equal(j->ran_on, j->loop_thread));
	assert_int_equal(err, -j->id);
	j->dones++;
	j->order[(*j->norder)++] = j->id;
	if (j->again > 0) {
		j->again--;
		writer_submit(j->writer, &j->wj);
		return;
	}
	if (*j->norder == j->expect)
		loop_exit(j->loop);
}

static void
never_cb(void *arg)
{
	(void)arg;
	fail_msg("the jobs did not finish in 5 s");
}

static void
job_init(struct job *j, struct loop *loop, struct writer *w, int id,
    int *order, int *norder, int expect)
{
	memset(j, 0, sizeof(*j));
	j->wj.work = work;
	j->wj.done = done;
	j->wj.arg = j;
	j->loop = loop;
	j->writer = w;
	j->loop_thread = pthread_self();
	j->id = id;
	j->order = order;
	j->norder = norder;
	j->expect = expect;
}

/* Jobs run on the thread in the order submitted; results come back. */
static void
test_order(void **state)
{
	struct loop	*loop = loop_create();
	struct writer	*w;
	struct watch	*t;
	struct job	 j[4];
	int		 order[8], norder = 0, i;

	(void)state;
	assert_int_equal(writer_create(&w, loop), 0);
	assert_true(writer_idle(w));
	for (i = 0; i < 4; i++) {
		job_init(&j[i], loop, w, i + 1, order, &norder, 4);
		j[i].ms = i == 0 ? 50 : 0;	/* the others queue behind */
		writer_submit(w, &j[i].wj);
	}
	t = loop_add_timer(loop, 5000, never_cb, NULL);
	assert_int_equal(loop_run(loop), 0);
	loop_del(t);
	assert_int_equal(norder, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(order[i], i + 1);
		assert_int_equal(j[i].runs, 1);
		assert_int_equal(j[i].dones, 1);
	}
	assert_true(writer_idle(w));
	writer_free(w);
	writer_free(NULL);
	loop_free(loop);
}

/* A done function may submit its job again: each run is reported. */
static void
test_resubmit(void **state)
{
	struct loop	*loop = loop_create();
	struct writer	*w;
	struct watch	*t;
	struct job	 j;
	int		 order[64], norder = 0;

	(void)state;
	assert_int_equal(writer_create(&w, loop), 0);
	job_init(&j, loop, w, 7, order, &norder, 50);
	j.again = 49;
	writer_submit(w, &j.wj);
	t = loop_add_timer(loop, 5000, never_cb, NULL);
	assert_int_equal(loop_run(loop), 0);
	loop_del(t);
	assert_int_equal(j.runs, 50);
	assert_int_equal(j.dones, 50);
	writer_free(w);
	loop_free(loop);
}

/*
 * Freed while a job runs and others wait: the running one finishes, the
 * waiting ones never run, and no done function is called.
 */
static void
test_free_busy(void **state)
{
	struct loop	*loop = loop_create();
	struct writer	*w;
	struct job	 j[3];
	int		 order[8], norder = 0, i;

	(void)state;
	assert_int_equal(writer_create(&w, loop), 0);
	for (i = 0; i < 3; i++) {
		job_init(&j[i], loop, w, i + 1, order, &norder, 99);
		j[i].ms = 200;
		writer_submit(w, &j[i].wj);
	}
	test_sleep_ms(50);		/* the first is running */
	assert_false(writer_idle(w));
	writer_free(w);
	assert_int_equal(j[0].runs, 1);
	assert_int_equal(j[1].runs, 0);
	assert_int_equal(j[2].runs, 0);
	assert_int_equal(norder, 0);
	loop_free(loop);
}

/* Retries: 50 ms doubling, bounded; all of them within a second. */
static void
test_backoff(void **state)
{
	unsigned int	 n, total = 0;

	(void)state;
	assert_int_equal(writer_retry_ms(0), 50);
	assert_int_equal(writer_retry_ms(1), 50);
	assert_int_equal(writer_retry_ms(2), 100);
	assert_int_equal(writer_retry_ms(3), 200);
	assert_int_equal(writer_retry_ms(4), 400);
	assert_int_equal(writer_retry_ms(5), 800);
	assert_int_equal(writer_retry_ms(6), 800);
	assert_int_equal(writer_retry_ms(1000), 800);
	for (n = 1; n < WRITER_TRIES; n++) {
		assert_true(writer_retry_ms(n + 1) >= writer_retry_ms(n));
		total += writer_retry_ms(n);
	}
	assert_int_equal(total, 750);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_resubmit),
		cmocka_unit_test(test_free_busy),
		cmocka_unit_test(test_backoff),
	};

	return (cmocka_run_group_tests_name("writer", tests, NULL, NULL));
}
