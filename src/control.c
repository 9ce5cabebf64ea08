/* The control socket: instance lock, status page, monitor stream. */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "control.h"
#include "log.h"
#include "loop.h"
#include "xmalloc.h"

/* A command is one short line: "status" or "monitor". */
#define CONTROL_LINE_MAX	64
#define CONTROL_CLIENTS_MAX	16

struct control_client {
	struct control			*ctl;
	int				 fd;
	struct watch			*watch;
	char				 line[CONTROL_LINE_MAX];
	size_t				 len;
	int				 monitor;
	unsigned long			 lost;	/* lines it could not take */
	TAILQ_ENTRY(control_client)	 entry;
};
TAILQ_HEAD(control_clients, control_client);

struct control {
	struct loop		*loop;
	const struct control_ops *ops;
	void			*arg;
	char			*path;		/* the socket */
	char			*lock_path;
	int			 lock_fd;
	int			 fd;		/* listening */
	struct watch		*watch;
	struct control_clients	 clients;
	unsigned int		 nclients;
	unsigned int		 nmonitors;
};

/* The socket's path for this user. */
int
control_path(char **path)
{
	const char	*run = getenv("XDG_RUNTIME_DIR");
	struct stat	 st;
	char		*dir;

	if (run != NULL && *run == '/') {
		xasprintf(path, "%s/scarlett-midi.sock", run);
		return (0);
	}
	/* No runtime directory: one of ours, which nobody else may own. */
	xasprintf(&dir, "/tmp/scarlett-midi-%u", (unsigned int)getuid());
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		free(dir);
		return (-errno);
	}
	if (lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != getuid() || (st.st_mode & 077) != 0) {
		free(dir);
		return (-EPERM);
	}
	xasprintf(path, "%s/scarlett-midi.sock", dir);
	free(dir);
	return (0);
}

/* Fill a socket address; -ENAMETOOLONG if the path does not fit. */
static int
control_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return (-ENAMETOOLONG);
	memcpy(sun->sun_path, path, strlen(path));
	return (0);
}

/* Drop a client. */
static void
control_client_free(struct control_client *cl)
{
	struct control	*ctl = cl->ctl;

	TAILQ_REMOVE(&ctl->clients, cl, entry);
	ctl->nclients--;
	if (cl->monitor)
		ctl->nmonitors--;
	loop_del(cl->watch);
	close(cl->fd);
	free(cl);
}

/* Write all of a buffer to a client now, or fail: it never blocks us. */
static int
control_client_write(struct control_client *cl, const char *buf,
    size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = send(cl->fd, buf, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return (-errno);
		}
		buf += n;
		len -= n;
	}
	return (0);
}

/* Answer one command line. */
static void
control_client_command(struct control_client *cl)
{
	struct control	*ctl = cl->ctl;
	FILE		*fp;
	char		*page = NULL;
	size_t		 len = 0;

	if (strcmp(cl->line, "monitor") == 0) {
		cl->monitor = 1;
		ctl->nmonitors++;
		return;
	}
	if (strcmp(cl->line, "status") != 0) {
		control_client_write(cl, "unknown command\n", 16);
		control_client_free(cl);
		return;
	}
	if ((fp = open_memstream(&page, &len)) == NULL) {
		log_warn("control: status");
		control_client_free(cl);
		return;
	}
	if (ctl->ops != NULL && ctl->ops->status != NULL)
		ctl->ops->status(fp, ctl->arg);
	fclose(fp);
	/* A status page fits the socket buffer; a short write is dropped. */
	if (control_client_write(cl, page, len) < 0)
		log_debug("control: status not sent: %s", strerror(errno));
	free(page);
	control_client_free(cl);
}

/* A client wrote (its command) or went away. */
static void
control_client_cb(int fd, uint32_t events, void *arg)
{
	struct control_client	*cl = arg;
	char			*nl;
	ssize_t			 n;

	if (cl->monitor || (events & (EPOLLERR | EPOLLHUP)) != 0) {
		/* A monitor says nothing more: readable means gone. */
		control_client_free(cl);
		return;
	}
	n = read(fd, cl->line + cl->len, sizeof(cl->line) - 1 - cl->len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		control_client_free(cl);
		return;
	}
	cl->len += n;
	cl->line[cl->len] = '\0';
	if ((nl = strchr(cl->line, '\n')) == NULL) {
		if (cl->len == sizeof(cl->line) - 1)
			control_client_free(cl);
		return;
	}
	*nl = '\0';
	control_client_command(cl);
}

/* A connection: only our own user may ask anything. */
static void
control_accept_cb(int fd, uint32_t events, void *arg)
{
	struct control		*ctl = arg;
	struct control_client	*cl;
	struct ucred		 cred;
	socklen_t		 len = sizeof(cred);
	int			 c;

	(void)events;
	if ((c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("control: accept");
		return;
	}
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    cred.uid != getuid()) {
		log_warnx("control: refused a client of uid %d",
		    len == sizeof(cred) ? (int)cred.uid : -1);
		close(c);
		return;
	}
	if (ctl->nclients >= CONTROL_CLIENTS_MAX) {
		log_warnx("control: too many clients");
		close(c);
		return;
	}
	cl = xcalloc(1, sizeof(*cl));
	cl->ctl = ctl;
	cl->fd = c;
	if ((cl->watch = loop_add_fd(ctl->loop, c, EPOLLIN, control_client_cb,
	    cl)) == NULL) {
		log_warn("control: client");
		close(c);
		free(cl);
		return;
	}
	TAILQ_INSERT_TAIL(&ctl->clients, cl, entry);
	ctl->nclients++;
}

/*
 * The lock: a file beside the socket, held with flock() for the life of
 * the service, with its pid in it for the one that finds it taken.  The
 * socket alone cannot be the lock: one left by a service that crashed
 * must be taken over, and two starting at once would both take it.
 */
static int
control_lock(struct control *ctl, pid_t *running)
{
	char	 buf[32];
	ssize_t	 n;
	int	 len;

	if ((ctl->lock_fd = open(ctl->lock_path, O_RDWR | O_CREAT |
	    O_CLOEXEC, 0600)) == -1)
		return (-errno);
	if (flock(ctl->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK)
			return (-errno);
		n = pread(ctl->lock_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		*running = (pid_t)strtol(buf, NULL, 10);
		return (-EADDRINUSE);
	}
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(ctl->lock_fd, 0) == -1 ||
	    pwrite(ctl->lock_fd, buf, len, 0) != len)
		return (-errno);
	return (0);
}

/* Take the lock, then listen on the socket. */
int
control_open(struct control **out, struct loop *loop, const char *path,
    const struct control_ops *ops, void *arg, pid_t *running)
{
	struct control		*ctl;
	struct sockaddr_un	 sun;
	mode_t			 mask;
	int			 err;

	*out = NULL;
	*running = 0;
	if ((err = control_addr(&sun, path)) < 0)
		return (err);
	ctl = xcalloc(1, sizeof(*ctl));
	ctl->loop = loop;
	ctl->ops = ops;
	ctl->arg = arg;
	ctl->fd = -1;
	TAILQ_INIT(&ctl->clients);
	ctl->path = xstrdup(path);
	xasprintf(&ctl->lock_path, "%s.lock", path);
	if ((err = control_lock(ctl, running)) < 0)
		goto fail;
	/* Ours now: a socket left behind by a crash goes. */
	if (unlink(path) == -1 && errno != ENOENT) {
		err = -errno;
		goto fail;
	}
	if ((ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		err = -errno;
		goto fail;
	}
	mask = umask(0077);
	err = bind(ctl->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(mask);
	if (err == -1 || listen(ctl->fd, 4) == -1 ||
	    (ctl->watch = loop_add_fd(loop, ctl->fd, EPOLLIN,
	    control_accept_cb, ctl)) == NULL) {
		err = -errno;
		goto fail;
	}
	*out = ctl;
	return (0);

fail:
	if (ctl->fd != -1)
		close(ctl->fd);
	if (ctl->lock_fd != -1)
		close(ctl->lock_fd);
	free(ctl->lock_path);
	free(ctl->path);
	free(ctl);
	return (err);
}

/* Stop listening and let go of everything, the lock last. */
void
control_close(struct control *ctl)
{
	struct control_client	*cl;

	if (ctl == NULL)
		return;
	while ((cl = TAILQ_FIRST(&ctl->clients)) != NULL)
		control_client_free(cl);
	loop_del(ctl->watch);
	close(ctl->fd);
	unlink(ctl->path);
	close(ctl->lock_fd);
	free(ctl->lock_path);
	free(ctl->path);
	free(ctl);
}

int
control_monitoring(const struct control *ctl)
{
	return (ctl != NULL && ctl->nmonitors > 0);
}

/* One line to every monitor client that can take it now. */
void
control_monitor(struct control *ctl, const char *fmt, ...)
{
	struct control_client	*cl, *next;
	char			 line[256], lost[64];
	va_list			 ap;
	int			 len, err = 0;

	if (!control_monitoring(ctl))
		return;
	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	TAILQ_FOREACH_SAFE(cl, &ctl->clients, entry, next) {
		if (!cl->monitor)
			continue;
		if (cl->lost > 0) {
			snprintf(lost, sizeof(lost), "lost %lu lines\n",
			    cl->lost);
			if (control_client_write(cl, lost, strlen(lost)) == 0)
				cl->lost = 0;
		}
		if (cl->lost > 0 || (err = control_client_write(cl, line,
		    len)) == -EAGAIN)
			cl->lost++;
		else if (err < 0)
			control_client_free(cl);
	}
}

/* The client side: ask, then copy the answer out until it ends. */
int
control_request(const char *path, const char *cmd, int out)
{
	struct sockaddr_un	 sun;
	char			 buf[4096];
	ssize_t			 n;
	int			 fd, err = 0;

	if ((err = control_addr(&sun, path)) < 0)
		return (err);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (-errno);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    dprintf(fd, "%s\n", cmd) < 0) {
		err = -errno;
		close(fd);
		return (err);
	}
	for (;;) {
		if ((n = read(fd, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		if (write(out, buf, n) != n) {
			err = -errno;
			break;
		}
	}
	close(fd);
	return (err);
}
