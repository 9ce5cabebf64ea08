/* Log to stderr or syslog, after OpenBSD smtpd's log.c. */

#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static int	log_to_stderr = 1;
static int	log_verbose;
static char	log_last[256];		/* the last warning, for status */

/*
 * Log to stderr: on a terminal it is the person's, under systemd it is
 * the journal, in a desktop session the session's log.  Only when
 * stderr goes nowhere (closed, or /dev/null) and not debugging, syslog.
 */
void
log_init(int debug, int facility)
{
	struct stat	 st, null;

	log_to_stderr = debug || (fstat(STDERR_FILENO, &st) == 0 &&
	    (stat("/dev/null", &null) == -1 || st.st_rdev != null.st_rdev ||
	    !S_ISCHR(st.st_mode)));
	if (!log_to_stderr)
		openlog("scarlett-midi", LOG_PID | LOG_NDELAY, facility);
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return (log_verbose);
}

/* Log one message at a priority; errno is left as it was. */
void
vlog(int pri, const char *fmt, va_list ap)
{
	char	*s;
	int	 saved = errno;
	va_list	 ap2;

	if (pri <= LOG_WARNING) {
		va_copy(ap2, ap);
		vsnprintf(log_last, sizeof(log_last), fmt, ap2);
		va_end(ap2);
	}

	if (!log_to_stderr)
		vsyslog(pri, fmt, ap);
	else if (vasprintf(&s, fmt, ap) == -1) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		/* One line, one write: lines of processes do not mix. */
		fprintf(stderr, "%s\n", s);
		free(s);
	}
	errno = saved;
}

/* The last warning logged, "" if none was: what status shows. */
const char *
log_last_warning(void)
{
	return (log_last);
}

/* Log a message followed by the text of errno. */
static void
log_errno(int pri, const char *fmt, va_list ap)
{
	char	*s;
	int	 saved = errno;

	if (vasprintf(&s, fmt, ap) == -1) {
		vlog(pri, fmt, ap);
		errno = saved;
		return;
	}
	if (saved != 0)
		log_msg(pri, "%s: %s", s, strerror(saved));
	else
		log_msg(pri, "%s", s);
	free(s);
	errno = saved;
}

void
log_msg(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_errno(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose > 0) {
		va_start(ap, fmt);
		vlog(LOG_DEBUG, fmt, ap);
		va_end(ap);
	}
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_errno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
