/*
 * The running service's control socket: a Unix socket of the user's
 * that is also the single-instance lock.  It answers "status" with a
 * page of text and streams "monitor" lines to the clients that ask, in
 * the way ntpd answers ntpctl.
 */

#ifndef CONTROL_H
#define CONTROL_H

#include <sys/types.h>

#include <stdio.h>

struct loop;
struct control;

/* What the owner of the socket is asked. */
struct control_ops {
	/* Print the status page for a client. */
	void	(*status)(FILE *, void *);
};

/*
 * The socket's path for this user, $XDG_RUNTIME_DIR/scarlett-midi.sock
 * (or a 0700 directory of ours in /tmp without one), newly allocated.
 * Returns 0 or -errno.
 */
int		 control_path(char **);

/*
 * Take the lock and listen on the socket.  Returns 0, -EADDRINUSE if
 * another instance holds it (its pid in the last argument, 0 if not
 * known), or another -errno.
 */
int		 control_open(struct control **, struct loop *, const char *,
		     const struct control_ops *, void *, pid_t *);
/* Stop listening, drop the clients, remove the socket.  NULL: no-op. */
void		 control_close(struct control *);

/* Whether a monitor client listens: if not, there is nothing to say. */
int		 control_monitoring(const struct control *);
/*
 * One line to every monitor client.  A client that cannot take it now
 * loses the line (counted and told later), never stalls the service.
 */
void		 control_monitor(struct control *, const char *, ...)
		     __attribute__((__format__(__printf__, 2, 3)));

/*
 * The client side: send a command to the running service and copy what
 * it answers to an fd until it closes.  Returns 0, -ENOENT or
 * -ECONNREFUSED when no service runs, or another -errno.
 */
int		 control_request(const char *, const char *, int);

#endif
