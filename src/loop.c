/* The event loop: epoll over fds, signals (signalfd) and timers (timerfd). */

#include <sys/epoll.h>
#include <sys/queue.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "log.h"
#include "loop.h"
#include "xmalloc.h"

/* How many events one epoll_wait() may return. */
#define LOOP_BATCH	32

enum watch_kind {
	WATCH_FD,
	WATCH_SIGNAL,
	WATCH_TIMER,
};

struct watch {
	struct loop		*loop;
	enum watch_kind		 kind;
	int			 fd;
	int			 signo;
	int			 dead;
	void			(*fd_cb)(int, uint32_t, void *);
	void			(*signal_cb)(int, void *);
	void			(*timer_cb)(void *);
	void			*arg;
	TAILQ_ENTRY(watch)	 entry;
};

struct loop {
	int			 epfd;
	int			 exit;
	int			 dispatching;
	TAILQ_HEAD(, watch)	 watches;
	TAILQ_HEAD(, watch)	 graveyard;	/* dead, freed after a batch */
};

/* Create a loop; fatal if epoll cannot be had. */
struct loop *
loop_create(void)
{
	struct loop	*loop;

	loop = xcalloc(1, sizeof(*loop));
	if ((loop->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		fatal("epoll_create1");
	TAILQ_INIT(&loop->watches);
	TAILQ_INIT(&loop->graveyard);
	return (loop);
}

/* Free a dead watch, closing the descriptor if the loop made it. */
static void
loop_watch_free(struct watch *w)
{
	if (w->kind != WATCH_FD && w->fd != -1)
		close(w->fd);
	free(w);
}

/* Free the watches that died during a batch. */
static void
loop_bury(struct loop *loop)
{
	struct watch	*w;

	while ((w = TAILQ_FIRST(&loop->graveyard)) != NULL) {
		TAILQ_REMOVE(&loop->graveyard, w, entry);
		loop_watch_free(w);
	}
}

/* Stop watching everything and free the loop. */
void
loop_free(struct loop *loop)
{
	struct watch	*w;

	if (loop == NULL)
		return;
	while ((w = TAILQ_FIRST(&loop->watches)) != NULL)
		loop_del(w);
	loop_bury(loop);
	close(loop->epfd);
	free(loop);
}

/* Register a watch with epoll; returns NULL with errno set on failure. */
static struct watch *
loop_watch_add(struct loop *loop, struct watch *w, uint32_t events)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = w;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, w->fd, &ev) == -1) {
		int	 saved = errno;

		loop_watch_free(w);
		errno = saved;
		return (NULL);
	}
	w->loop = loop;
	TAILQ_INSERT_TAIL(&loop->watches, w, entry);
	return (w);
}

/* Watch a caller's fd. */
struct watch *
loop_add_fd(struct loop *loop, int fd, uint32_t events,
    void (*cb)(int, uint32_t, void *), void *arg)
{
	struct watch	*w;

	w = xcalloc(1, sizeof(*w));
	w->kind = WATCH_FD;
	w->fd = fd;
	w->fd_cb = cb;
	w->arg = arg;
	return (loop_watch_add(loop, w, events));
}

/* Change the events of an fd watch. */
int
loop_mod_fd(struct watch *w, uint32_t events)
{
	struct epoll_event	 ev;

	if (w->dead)
		return (-EINVAL);
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = w;
	if (epoll_ctl(w->loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) == -1)
		return (-errno);
	return (0);
}

/*
 * Remove a watch.  epoll forgets it at once; the memory waits for the
 * end of the batch, since later events of the batch may point at it.
 */
void
loop_del(struct watch *w)
{
	struct loop	*loop;

	if (w == NULL || w->dead)
		return;
	loop = w->loop;
	w->dead = 1;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	TAILQ_REMOVE(&loop->watches, w, entry);
	TAILQ_INSERT_TAIL(&loop->graveyard, w, entry);
	if (!loop->dispatching)
		loop_bury(loop);
}

/* Deliver a signal through a signalfd; the signal is blocked first. */
struct watch *
loop_add_signal(struct loop *loop, int signo, void (*cb)(int, void *),
    void *arg)
{
	struct watch	*w;
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, signo);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return (NULL);
	w = xcalloc(1, sizeof(*w));
	w->kind = WATCH_SIGNAL;
	w->signo = signo;
	w->signal_cb = cb;
	w->arg = arg;
	if ((w->fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		free(w);
		return (NULL);
	}
	return (loop_watch_add(loop, w, EPOLLIN));
}

/* Call back once after ms milliseconds, through a timerfd. */
struct watch *
loop_add_timer(struct loop *loop, unsigned int ms, void (*cb)(void *),
    void *arg)
{
	struct watch		*w;
	struct itimerspec	 its;

	w = xcalloc(1, sizeof(*w));
	w->kind = WATCH_TIMER;
	w->timer_cb = cb;
	w->arg = arg;
	if ((w->fd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_NONBLOCK | TFD_CLOEXEC)) == -1) {
		free(w);
		return (NULL);
	}
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (ms == 0)
		its.it_value.tv_nsec = 1;	/* 0 would disarm it */
	if (timerfd_settime(w->fd, 0, &its, NULL) == -1) {
		int	 saved = errno;

		loop_watch_free(w);
		errno = saved;
		return (NULL);
	}
	return (loop_watch_add(loop, w, EPOLLIN));
}

/* Dispatch one ready watch. */
static void
loop_dispatch(struct watch *w, uint32_t events)
{
	struct signalfd_siginfo	 si;
	uint64_t		 n;

	switch (w->kind) {
	case WATCH_FD:
		w->fd_cb(w->fd, events, w->arg);
		break;
	case WATCH_SIGNAL:
		while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
			w->signal_cb((int)si.ssi_signo, w->arg);
			if (w->dead)
				break;
		}
		break;
	case WATCH_TIMER:
		if (read(w->fd, &n, sizeof(n)) != sizeof(n))
			break;
		/* One-shot: it is gone before its callback runs. */
		loop_del(w);
		w->timer_cb(w->arg);
		break;
	}
}

/* Run until loop_exit(); sleeps in epoll_wait() with no timeout. */
int
loop_run(struct loop *loop)
{
	struct epoll_event	 evs[LOOP_BATCH];
	struct watch		*w;
	int			 i, n;

	loop->exit = 0;
	while (!loop->exit) {
		n = epoll_wait(loop->epfd, evs, LOOP_BATCH, -1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-errno);
		}
		loop->dispatching = 1;
		for (i = 0; i < n; i++) {
			w = evs[i].data.ptr;
			if (!w->dead)
				loop_dispatch(w, evs[i].events);
		}
		loop->dispatching = 0;
		loop_bury(loop);
	}
	return (0);
}

/* Make loop_run() return after the current batch. */
void
loop_exit(struct loop *loop)
{
	loop->exit = 1;
}
