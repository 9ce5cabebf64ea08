/* Unit tests of loop.c: fd, signal and timer watches, deletion rules. */

#include <sys/epoll.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"

struct rec {
	struct loop	*loop;
	struct watch	*other;		/* to delete from a callback */
	struct watch	*self;
	int		 calls;
	int		 order[8];
	int		 norder;
	uint32_t	 events;
	char		 buf[16];
};

static void
read_cb(int fd, uint32_t events, void *arg)
{
	struct rec	*r = arg;
	ssize_t		 n;

	r->calls++;
	r->events = events;
	n = read(fd, r->buf, sizeof(r->buf) - 1);
	r->buf[n > 0 ? n : 0] = '\0';
	loop_exit(r->loop);
}

static void
test_fd(void **state)
{
	struct loop	*loop;
	struct rec	 r;
	int		 p[2];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(pipe(p), 0);
	r.loop = loop = loop_create();
	assert_non_null(loop_add_fd(loop, p[0], EPOLLIN, read_cb, &r));
	assert_int_equal(write(p[1], "hello", 5), 5);
	assert_int_equal(loop_run(loop), 0);
	assert_int_equal(r.calls, 1);
	assert_true(r.events & EPOLLIN);
	assert_string_equal(r.buf, "hello");
	loop_free(loop);
	close(p[0]);
	close(p[1]);
}

static void
write_cb(int fd, uint32_t events, void *arg)
{
	struct rec	*r = arg;

	(void)fd;
	r->calls++;
	r->events = events;
	loop_exit(r->loop);
}

static void
test_mod_fd(void **state)
{
	struct loop	*loop;
	struct watch	*w;
	struct rec	 r;
	int		 p[2];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(pipe(p), 0);
	r.loop = loop = loop_create();
	/* Nothing to read on p[1]; writable once asked for. */
	assert_non_null(w = loop_add_fd(loop, p[1], 0, write_cb, &r));
	assert_int_equal(loop_mod_fd(w, EPOLLOUT), 0);
	assert_int_equal(loop_run(loop), 0);
	assert_int_equal(r.calls, 1);
	assert_true(r.events & EPOLLOUT);
	loop_free(loop);
	close(p[0]);
	close(p[1]);
}

/* Both pipes are readable; whichever runs first deletes the other. */
static void
del_other_cb(int fd, uint32_t events, void *arg)
{
	struct rec	*r = arg;
	char		 c;

	(void)events;
	r->calls++;
	if (read(fd, &c, 1) != 1)
		fail();
	loop_del(r->other);
	loop_exit(r->loop);
}

static void
test_del_other_in_batch(void **state)
{
	struct loop	*loop;
	struct rec	 r1, r2;
	struct watch	*w1, *w2;
	int		 p1[2], p2[2];

	(void)state;
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	assert_int_equal(pipe(p1), 0);
	assert_int_equal(pipe(p2), 0);
	loop = loop_create();
	r1.loop = r2.loop = loop;
	w1 = loop_add_fd(loop, p1[0], EPOLLIN, del_other_cb, &r1);
	w2 = loop_add_fd(loop, p2[0], EPOLLIN, del_other_cb, &r2);
	r1.other = w2;
	r2.other = w1;
	assert_int_equal(write(p1[1], "x", 1), 1);
	assert_int_equal(write(p2[1], "x", 1), 1);
	assert_int_equal(loop_run(loop), 0);
	/* One batch held both events; the deleted one was not called. */
	assert_int_equal(r1.calls + r2.calls, 1);
	loop_free(loop);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

static void
del_self_cb(int fd, uint32_t events, void *arg)
{
	struct rec	*r = arg;

	(void)fd;
	(void)events;
	r->calls++;
	loop_del(r->self);
	loop_exit(r->loop);
}

static void
test_del_self(void **state)
{
	struct loop	*loop;
	struct rec	 r;
	int		 p[2];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(pipe(p), 0);
	r.loop = loop = loop_create();
	r.self = loop_add_fd(loop, p[0], EPOLLIN, del_self_cb, &r);
	assert_int_equal(write(p[1], "xy", 2), 2);
	assert_int_equal(loop_run(loop), 0);
	assert_int_equal(r.calls, 1);
	loop_free(loop);
	close(p[0]);
	close(p[1]);
}

static void
signal_cb(int signo, void *arg)
{
	struct rec	*r = arg;

	r->calls++;
	r->order[r->norder++] = signo;
	loop_exit(r->loop);
}

static void
test_signal(void **state)
{
	struct loop	*loop;
	struct rec	 r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.loop = loop = loop_create();
	assert_non_null(loop_add_signal(loop, SIGUSR1, signal_cb, &r));
	/* Blocked now: without the loop this would kill the test. */
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(loop_run(loop), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.order[0], SIGUSR1);
	loop_free(loop);
}

static struct rec	*timer_rec;

static void
timer_a_cb(void *arg)
{
	struct rec	*r = timer_rec;

	r->order[r->norder++] = (int)(intptr_t)arg;
	if (r->norder == 2)
		loop_exit(r->loop);
}

static void
timer_never_cb(void *arg)
{
	(void)arg;
	fail_msg("a cancelled timer fired");
}

static void
test_timers(void **state)
{
	struct loop	*loop;
	struct rec	 r;
	struct watch	*w;

	(void)state;
	memset(&r, 0, sizeof(r));
	timer_rec = &r;
	r.loop = loop = loop_create();
	assert_non_null(loop_add_timer(loop, 20, timer_a_cb, (void *)2));
	assert_non_null(loop_add_timer(loop, 10, timer_a_cb, (void *)1));
	assert_non_null(w = loop_add_timer(loop, 5, timer_never_cb, NULL));
	loop_del(w);
	assert_int_equal(loop_run(loop), 0);
	assert_int_equal(r.norder, 2);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 2);
	loop_free(loop);
}

/* A timer that adds a timer: the second fires too. */
static void
timer_chain_cb(void *arg)
{
	struct rec	*r = arg;

	r->calls++;
	if (r->calls == 1)
		assert_non_null(loop_add_timer(r->loop, 0, timer_chain_cb, r));
	else
		loop_exit(r->loop);
}

static void
test_timer_chain(void **state)
{
	struct loop	*loop;
	struct rec	 r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.loop = loop = loop_create();
	assert_non_null(loop_add_timer(loop, 1, timer_chain_cb, &r));
	assert_int_equal(loop_run(loop), 0);
	assert_int_equal(r.calls, 2);
	loop_free(loop);
}

static void
test_bad_fd(void **state)
{
	struct loop	*loop;

	(void)state;
	loop = loop_create();
	errno = 0;
	assert_null(loop_add_fd(loop, -1, EPOLLIN, read_cb, NULL));
	assert_int_equal(errno, EBADF);
	loop_free(loop);
}

/* Freeing a loop with live watches frees them (valgrind checks). */
static void
test_free_live(void **state)
{
	struct loop	*loop;
	int		 p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	loop = loop_create();
	assert_non_null(loop_add_fd(loop, p[0], EPOLLIN, read_cb, NULL));
	assert_non_null(loop_add_timer(loop, 1000, timer_never_cb, NULL));
	assert_non_null(loop_add_signal(loop, SIGUSR2, signal_cb, NULL));
	loop_free(loop);
	loop_free(NULL);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd),
		cmocka_unit_test(test_mod_fd),
		cmocka_unit_test(test_del_other_in_batch),
		cmocka_unit_test(test_del_self),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_timer_chain),
		cmocka_unit_test(test_bad_fd),
		cmocka_unit_test(test_free_live),
	};

	return (cmocka_run_group_tests_name("loop", tests, NULL, NULL));
}
