/*
 * One thread for the calls that block in a driver, so that the loop goes
 * on reading meanwhile.
 *
 * On a Scarlett every element write is a synchronous USB transfer (2 to 6
 * control transfers, tens of ms on a slow bus, 5 s on a sick device).  Run
 * on the loop, a flush of 8 faders would stop it reading MIDI for that
 * long.  So the loop thread submits jobs here; one thread runs their work
 * functions in the order submitted, and each job's done function then runs
 * on the loop thread, woken through an eventfd watch.
 *
 * A job belongs to whoever submits it: it must stay allocated and must
 * not be submitted again until its done function has run or the writer
 * was freed.  While it is queued or running, the loop thread must not
 * touch what its work function reads, and may change what its start
 * function reads only between writer_lock() and writer_unlock(): so a
 * job that waits in the queue still writes the latest value.  The writer
 * owns no device handle: the work function uses its submitter's (the
 * mixer's second handle).  Only the loop thread calls these functions.
 */

#ifndef WRITER_H
#define WRITER_H

#include <sys/queue.h>

struct loop;
struct writer;

struct writer_job {
	/*
	 * On the writer thread, with the writer's lock held, as the job
	 * leaves the queue: take what to write.  May be NULL.
	 */
	void			(*start)(struct writer_job *);
	/* On the writer thread: the blocking call; 0 or -errno. */
	int			(*work)(struct writer_job *);
	/* On the loop thread, with what work returned. */
	void			(*done)(struct writer_job *, int);
	void			*arg;
	int			 err;
	TAILQ_ENTRY(writer_job)	 entry;
};

/* Start the thread and watch its eventfd in the loop: 0 or -errno. */
int		 writer_create(struct writer **, struct loop *);
/*
 * Stop: wait for the job running now to return, drop the queued ones and
 * those done but not yet reported (their done functions never run), join
 * the thread, close the eventfd.  NULL is a no-op.  Never from a done
 * function.
 */
void		 writer_free(struct writer *);
/* Queue a job behind the others. */
void		 writer_submit(struct writer *, struct writer_job *);
/* Hold off the thread's start functions while changing what they read. */
void		 writer_lock(struct writer *);
void		 writer_unlock(struct writer *);
/* Whether no job is queued or running (for tests). */
int		 writer_idle(struct writer *);

/*
 * How a write that failed is tried again: WRITER_TRIES tries in all, the
 * n-th retry writer_retry_ms(n) after the failure before it.
 */
#define WRITER_TRIES	5
unsigned int	 writer_retry_ms(unsigned int);

#endif
