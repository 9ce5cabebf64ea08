/*
 * The event loop: the only owner of the epoll file descriptor.
 *
 * Everything the service waits for is a watch: a file descriptor, a signal
 * (through signalfd) or a one-shot timer (through timerfd).  loop_run()
 * blocks in epoll_wait() with no timeout, so a process with no armed timer
 * sleeps until one of its descriptors has something to say.
 *
 * A watch belongs to the loop.  Callers keep the returned pointer only to
 * modify or delete it.  Every call may be made from inside any callback;
 * a watch deleted during dispatch is only marked dead, is not called again,
 * and is freed once the current batch of events has been dispatched.
 */

#ifndef LOOP_H
#define LOOP_H

#include <stdint.h>

struct loop;
struct watch;

/* Create a loop.  Fatal if epoll cannot be had. */
struct loop	*loop_create(void);

/* Stop watching everything and free the loop.  NULL is a no-op. */
void		 loop_free(struct loop *);

/*
 * Watch fd for the epoll events in the mask (EPOLLIN, EPOLLOUT, ...).
 * The callback gets the fd, the events that occurred and the argument.
 * The loop never closes fd; the caller does, after loop_del().  Returns
 * NULL with errno set if epoll refuses the fd.
 */
struct watch	*loop_add_fd(struct loop *, int, uint32_t,
		    void (*)(int, uint32_t, void *), void *);

/* Change the event mask of an fd watch.  Returns 0 or -errno. */
int		 loop_mod_fd(struct watch *, uint32_t);

/* Remove a watch of any kind.  NULL is a no-op.  Safe from any callback. */
void		 loop_del(struct watch *);

/*
 * Deliver a signal through signalfd.  The signal is blocked with
 * sigprocmask() first, so no asynchronous handler ever runs.
 */
struct watch	*loop_add_signal(struct loop *, int, void (*)(int, void *),
		    void *);

/*
 * Call the callback once, after the given number of milliseconds, through
 * a timerfd.  The watch deletes itself after it fired; the callback must
 * not call loop_del() on it then.  Delete it earlier to cancel.
 */
struct watch	*loop_add_timer(struct loop *, unsigned int, void (*)(void *),
		    void *);

/*
 * Dispatch events until loop_exit() is called.  Returns 0, or -errno if
 * epoll_wait() failed with something other than EINTR.
 */
int		 loop_run(struct loop *);

/* Make loop_run() return after the current batch.  Safe from callbacks. */
void		 loop_exit(struct loop *);

#endif
