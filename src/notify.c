/* inotify events, read in the loop and handed to one callback. */

#include <sys/epoll.h>
#include <sys/inotify.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "xmalloc.h"

struct notify {
	int		 fd;
	struct watch	*watch;
	notify_cb	 cb;
	void		*arg;
};

/* Drain the inotify descriptor. */
static void
notify_read_cb(int fd, uint32_t events, void *arg)
{
	struct notify			*n = arg;
	char				 buf[4096]
	    __attribute__((__aligned__(__alignof__(struct inotify_event))));
	const struct inotify_event	*ev;
	ssize_t				 len;
	char				*p;

	(void)events;
	for (;;) {
		if ((len = read(fd, buf, sizeof(buf))) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("inotify");
			return;
		}
		for (p = buf; p < buf + len;
		    p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW)
				n->cb(-1, ev->mask, "", n->arg);
			else
				n->cb(ev->wd, ev->mask, ev->len > 0 ?
				    ev->name : "", n->arg);
		}
	}
}

/* Start following changes; NULL with errno set if inotify fails. */
struct notify *
notify_create(struct loop *loop, notify_cb cb, void *arg)
{
	struct notify	*n;
	int		 fd;

	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		return (NULL);
	n = xcalloc(1, sizeof(*n));
	n->fd = fd;
	n->cb = cb;
	n->arg = arg;
	if ((n->watch = loop_add_fd(loop, fd, EPOLLIN, notify_read_cb,
	    n)) == NULL) {
		close(fd);
		free(n);
		return (NULL);
	}
	return (n);
}

/* Stop following everything.  NULL is a no-op. */
void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	loop_del(n->watch);
	close(n->fd);
	free(n);
}

/* Follow a path for the events of mask; returns the wd or -errno. */
int
notify_add(struct notify *n, const char *path, uint32_t mask)
{
	int	 wd;

	if ((wd = inotify_add_watch(n->fd, path, mask)) == -1)
		return (-errno);
	return (wd);
}

void
notify_rm(struct notify *n, int wd)
{
	if (wd >= 0)
		inotify_rm_watch(n->fd, wd);
}
