/* Run the calls that block in a driver on one thread, off the loop. */

#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "log.h"
#include "loop.h"
#include "writer.h"
#include "xmalloc.h"

TAILQ_HEAD(writer_jobs, writer_job);

struct writer {
	pthread_t		 thread;
	pthread_mutex_t		 lock;		/* guards what follows */
	pthread_cond_t		 cond;		/* queue or quit changed */
	struct writer_jobs	 queue;		/* to run */
	struct writer_jobs	 done;		/* run, to report */
	int			 running;	/* a job is in work() */
	int			 quit;

	int			 efd;		/* done is not empty */
	struct watch		*watch;
};

/*
 * The thread: take the oldest job, run it without the lock, put it on
 * the done list and wake the loop.  Waits on the condition variable
 * when there is nothing to do: no timeout, no polling.
 */
static void *
writer_main(void *arg)
{
	struct writer		*w = arg;
	struct writer_job	*j;
	uint64_t		 one = 1;
	int			 err, wake;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->quit && TAILQ_EMPTY(&w->queue))
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->quit)
			break;
		j = TAILQ_FIRST(&w->queue);
		TAILQ_REMOVE(&w->queue, j, entry);
		w->running = 1;
		if (j->start != NULL)
			j->start(j);
		pthread_mutex_unlock(&w->lock);

		err = j->work(j);

		pthread_mutex_lock(&w->lock);
		w->running = 0;
		j->err = err;
		/* One wake-up per batch: the loop takes the whole list. */
		wake = TAILQ_EMPTY(&w->done);
		TAILQ_INSERT_TAIL(&w->done, j, entry);
		if (wake && write(w->efd, &one, sizeof(one)) < 0 &&
		    errno != EAGAIN)
			fatal("writer: eventfd");
	}
	pthread_mutex_unlock(&w->lock);
	return (NULL);
}

/* The thread finished jobs: report them on the loop thread. */
static void
writer_done_cb(int fd, uint32_t events, void *arg)
{
	struct writer		*w = arg;
	struct writer_jobs	 done;
	struct writer_job	*j;
	uint64_t		 n;

	(void)events;
	/* Read first: a job finished after this wakes us again. */
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_warn("writer: eventfd");
	TAILQ_INIT(&done);
	pthread_mutex_lock(&w->lock);
	while ((j = TAILQ_FIRST(&w->done)) != NULL) {
		TAILQ_REMOVE(&w->done, j, entry);
		TAILQ_INSERT_TAIL(&done, j, entry);
	}
	pthread_mutex_unlock(&w->lock);
	/* A done function may submit its job again. */
	while ((j = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, j, entry);
		j->done(j, j->err);
	}
}

/* Start the writer thread: 0 or -errno. */
int
writer_create(struct writer **out, struct loop *loop)
{
	struct writer	*w;
	sigset_t	 all, old;
	int		 err;

	w = xcalloc(1, sizeof(*w));
	TAILQ_INIT(&w->queue);
	TAILQ_INIT(&w->done);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if ((w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		err = -errno;
		goto fail;
	}
	if ((w->watch = loop_add_fd(loop, w->efd, EPOLLIN, writer_done_cb,
	    w)) == NULL) {
		err = -errno;
		goto fail;
	}
	/* Signals are the loop's (signalfd): the thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = -pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err < 0)
		goto fail;
	*out = w;
	return (0);
fail:
	loop_del(w->watch);
	if (w->efd >= 0)
		close(w->efd);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return (err);
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->quit = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	loop_del(w->watch);
	close(w->efd);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void
writer_submit(struct writer *w, struct writer_job *j)
{
	pthread_mutex_lock(&w->lock);
	TAILQ_INSERT_TAIL(&w->queue, j, entry);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
writer_lock(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
}

void
writer_unlock(struct writer *w)
{
	pthread_mutex_unlock(&w->lock);
}

int
writer_idle(struct writer *w)
{
	int	 idle;

	pthread_mutex_lock(&w->lock);
	idle = TAILQ_EMPTY(&w->queue) && !w->running &&
	    TAILQ_EMPTY(&w->done);
	pthread_mutex_unlock(&w->lock);
	return (idle);
}

/*
 * The wait before retry n (1 for the first): 50 ms, doubled each time,
 * at most 800 ms.  The driver itself retries a USB error 5 times within
 * 155 ms (scarlett2_usb), so a failure that reaches us has lasted longer
 * than that; four retries span 750 ms, long enough for a bus to settle
 * and short enough that a hand on the fader is still there.
 */
unsigned int
writer_retry_ms(unsigned int n)
{
	if (n < 1)
		n = 1;
	if (n > 5)
		n = 5;
	return (50U << (n - 1));
}
