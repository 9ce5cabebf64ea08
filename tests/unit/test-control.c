/*
 * Unit tests of control.c on real Unix sockets: the lock, a stale socket,
 * the status page, the monitor stream, and clients of another user.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "control.h"
#include "loop.h"

struct ctx {
	char		 dir[64];
	char		 path[128];
	struct loop	*loop;
	int		 statuses;
};

static void
status_cb(FILE *fp, void *arg)
{
	struct ctx	*ctx = arg;

	ctx->statuses++;
	fprintf(fp, "card hw:1\nsurface X-TOUCH: connected\n");
}

static const struct control_ops ops = { status_cb };

static void
exit_cb(void *arg)
{
	loop_exit(arg);
}

/* Run the loop for some milliseconds. */
static void
run_for(struct ctx *ctx, unsigned int ms)
{
	assert_non_null(loop_add_timer(ctx->loop, ms, exit_cb, ctx->loop));
	assert_int_equal(loop_run(ctx->loop), 0);
}

/*
 * A client in a child process, as another program would be: it sends
 * the command, and what it is answered comes back through a pipe.  With
 * a uid, it becomes that user first.
 */
static pid_t
client(struct ctx *ctx, const char *cmd, int uid, int *rd)
{
	int	 p[2];
	pid_t	 pid;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (uid != -1 && setuid(uid) == -1)
			_exit(3);
		_exit(control_request(ctx->path, cmd, p[1]) == 0 ? 0 : 1);
	}
	assert_true(pid > 0);
	close(p[1]);
	*rd = p[0];
	return (pid);
}

/* What a client was answered, once it is done. */
static char *
client_done(pid_t pid, int rd, int *status)
{
	static char	 buf[512];
	ssize_t		 n, len = 0;

	while ((n = read(rd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(rd);
	assert_int_equal(waitpid(pid, status, 0), pid);
	return (buf);
}

static int
setup(void **state)
{
	struct ctx	*ctx;

	ctx = calloc(1, sizeof(*ctx));
	strcpy(ctx->dir, "/tmp/test-control.XXXXXX");
	if (mkdtemp(ctx->dir) == NULL)
		return (-1);
	snprintf(ctx->path, sizeof(ctx->path), "%s/scarlett-midi.sock",
	    ctx->dir);
	ctx->loop = loop_create();
	*state = ctx;
	return (0);
}

static int
teardown(void **state)
{
	struct ctx	*ctx = *state;
	char		 lock[160];

	snprintf(lock, sizeof(lock), "%s.lock", ctx->path);
	unlink(lock);
	unlink(ctx->path);
	rmdir(ctx->dir);
	loop_free(ctx->loop);
	free(ctx);
	return (0);
}

/* One instance: a second is refused and told the first one's pid. */
static void
test_lock(void **state)
{
	struct ctx	*ctx = *state;
	struct control	*a, *b;
	pid_t		 running;
	struct stat	 st;

	assert_int_equal(control_open(&a, ctx->loop, ctx->path, &ops, ctx,
	    &running), 0);
	assert_int_equal(stat(ctx->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 077, 0);
	assert_int_equal(control_open(&b, ctx->loop, ctx->path, &ops, ctx,
	    &running), -EADDRINUSE);
	assert_null(b);
	assert_int_equal(running, getpid());
	control_close(a);
	/* Gone with the service, and free for the next one. */
	assert_int_equal(stat(ctx->path, &st), -1);
	assert_int_equal(control_open(&b, ctx->loop, ctx->path, &ops, ctx,
	    &running), 0);
	control_close(b);
	control_close(NULL);
}

/* A socket left behind by a service that crashed is taken over. */
static void
test_stale(void **state)
{
	struct ctx		*ctx = *state;
	struct control		*c;
	struct sockaddr_un	 sun;
	pid_t			 running, pid;
	int			 fd, rd, status;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, ctx->path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(control_request(ctx->path, "status", 1),
	    -ECONNREFUSED);
	assert_int_equal(control_open(&c, ctx->loop, ctx->path, &ops, ctx,
	    &running), 0);
	pid = client(ctx, "status", -1, &rd);
	run_for(ctx, 300);
	assert_string_equal(client_done(pid, rd, &status),
	    "card hw:1\nsurface X-TOUCH: connected\n");
	control_close(c);
}

/* Nothing runs: the client is told so, not left waiting. */
static void
test_none(void **state)
{
	struct ctx	*ctx = *state;

	assert_int_equal(control_request(ctx->path, "status", 1), -ENOENT);
}

/* status: one page, then the service closes the connection. */
static void
test_status(void **state)
{
	struct ctx	*ctx = *state;
	struct control	*c;
	pid_t		 running, pid;
	int		 rd, status;
	char		*out;

	assert_int_equal(control_open(&c, ctx->loop, ctx->path, &ops, ctx,
	    &running), 0);
	pid = client(ctx, "status", -1, &rd);
	run_for(ctx, 300);
	out = client_done(pid, rd, &status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(out, "card hw:1\nsurface X-TOUCH: connected\n");
	assert_int_equal(ctx->statuses, 1);
	pid = client(ctx, "reboot", -1, &rd);
	run_for(ctx, 300);
	assert_string_equal(client_done(pid, rd, &status),
	    "unknown command\n");
	control_close(c);
}

/* monitor: lines as they are said, none before, until the service ends. */
static void
test_monitor(void **state)
{
	struct ctx	*ctx = *state;
	struct control	*c;
	pid_t		 running, pid;
	int		 rd, status;

	assert_int_equal(control_open(&c, ctx->loop, ctx->path, &ops, ctx,
	    &running), 0);
	assert_false(control_monitoring(c));
	control_monitor(c, "said before anyone listened");
	pid = client(ctx, "monitor", -1, &rd);
	run_for(ctx, 300);
	assert_true(control_monitoring(c));
	control_monitor(c, "midi cc %d channel 1 = %d", 7, 100);
	control_monitor(c, "write [fader] 'Master' = 42");
	control_close(c);
	assert_string_equal(client_done(pid, rd, &status),
	    "midi cc 7 channel 1 = 100\nwrite [fader] 'Master' = 42\n");
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Another user is refused before it can ask anything. */
static void
test_other_user(void **state)
{
	struct ctx	*ctx = *state;
	struct control	*c;
	pid_t		 running, pid;
	int		 rd, status;

	if (getuid() != 0) {
		/* Only root can be another user here; the rest still runs. */
		fprintf(stderr, "# not root: another user cannot be tried\n");
		return;
	}
	/* The other user must reach the socket: open the directory. */
	assert_int_equal(chmod(ctx->dir, 0755), 0);
	assert_int_equal(control_open(&c, ctx->loop, ctx->path, &ops, ctx,
	    &running), 0);
	/* The socket itself is 0600: the kernel refuses the connect. */
	pid = client(ctx, "status", 65534, &rd);
	run_for(ctx, 300);
	assert_string_equal(client_done(pid, rd, &status), "");
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	/* Made reachable, the service itself refuses it by its uid. */
	assert_int_equal(chmod(ctx->path, 0666), 0);
	pid = client(ctx, "status", 65534, &rd);
	run_for(ctx, 300);
	assert_string_equal(client_done(pid, rd, &status), "");
	assert_int_equal(ctx->statuses, 0);
	control_close(c);
	assert_int_equal(chmod(ctx->dir, 0700), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_monitor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_user, setup,
		    teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests_name("control", tests, NULL, NULL));
}
