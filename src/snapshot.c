/* Read and write snapshot files; saving is atomic (temp file + rename). */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "config.h"
#include "log.h"
#include "snapshot.h"
#include "xmalloc.h"

/*
 * The directory snapshots live in: the configured one, else
 * $XDG_STATE_HOME/scarlett-midi/snapshots, else under ~/.local/state.
 * NULL if there is none.
 */
char *
snapshot_dir(const char *configured)
{
	const char	*xdg, *home;
	char		*dir;

	if (configured != NULL)
		return (xstrdup(configured));
	if ((xdg = getenv("XDG_STATE_HOME")) != NULL && *xdg == '/')
		xasprintf(&dir, "%s/scarlett-midi/snapshots", xdg);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		xasprintf(&dir, "%s/.local/state/scarlett-midi/snapshots",
		    home);
	else
		return (NULL);
	return (dir);
}

/* The file of a snapshot. */
char *
snapshot_path(const char *dir, const char *name)
{
	char	*path;

	xasprintf(&path, "%s/%s.snapshot", dir, name);
	return (path);
}

/* Parse one line "ID = V [V ...]"; 0, or -1 with *why set. */
static int
snapshot_line(char *line, snapshot_cb cb, void *arg, const char **why)
{
	snd_ctl_elem_id_t	*id;
	long			 v[SNAPSHOT_VALUES_MAX];
	char			*eq, *p, *end, *name;
	unsigned int		 n = 0, index = 0;
	size_t			 len;

	if ((eq = strrchr(line, '=')) == NULL) {
		*why = "expected 'control = value ...'";
		return (-1);
	}
	*eq = '\0';
	for (p = eq + 1;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (n == SNAPSHOT_VALUES_MAX) {
			*why = "too many values";
			return (-1);
		}
		errno = 0;
		v[n] = strtol(p, &end, 10);
		if (end == p || errno != 0 ||
		    (*end != '\0' && !isspace((unsigned char)*end))) {
			*why = "a value is not a number";
			return (-1);
		}
		n++;
		p = end;
	}
	if (n == 0) {
		*why = "no value";
		return (-1);
	}
	for (len = strlen(line); len > 0 &&
	    isspace((unsigned char)line[len - 1]); len--)
		line[len - 1] = '\0';
	name = line;
	if (strncmp(line, "name=", 5) == 0) {
		snd_ctl_elem_id_alloca(&id);
		if (snd_ctl_ascii_elem_id_parse(id, line) < 0) {
			*why = "bad control id";
			return (-1);
		}
		name = (char *)snd_ctl_elem_id_get_name(id);
		index = snd_ctl_elem_id_get_index(id);
	}
	if (*name == '\0') {
		*why = "no control name";
		return (-1);
	}
	cb(name, index, v, n, arg);
	return (0);
}

/*
 * Read a snapshot from a stream, calling cb for each element.  Bad lines
 * are reported as "path:line: message" and skipped; returns 0, or
 * -EINVAL if any line was bad.
 */
int
snapshot_read(FILE *fp, const char *path, snapshot_cb cb, void *arg)
{
	char		 buf[512], *p;
	const char	*why;
	unsigned int	 lineno = 0;
	size_t		 len;
	int		 c, rv = 0;

	while (fgets(buf, sizeof(buf), fp) != NULL) {
		lineno++;
		len = strlen(buf);
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		else if (!feof(fp)) {
			while ((c = fgetc(fp)) != EOF && c != '\n')
				continue;
			log_warnx("%s:%u: line is too long", path, lineno);
			rv = -EINVAL;
			continue;
		}
		for (p = buf; isspace((unsigned char)*p); p++)
			continue;
		if (*p == '\0' || *p == '#' || *p == ';')
			continue;
		if (snapshot_line(p, cb, arg, &why) < 0) {
			log_warnx("%s:%u: %s", path, lineno, why);
			rv = -EINVAL;
		}
	}
	return (rv);
}

/* Read a snapshot file; returns 0 or -errno. */
int
snapshot_load(const char *path, snapshot_cb cb, void *arg)
{
	FILE	*fp;
	int	 rv;

	if ((fp = fopen(path, "re")) == NULL)
		return (-errno);
	rv = snapshot_read(fp, path, cb, arg);
	fclose(fp);
	return (rv);
}

/* Write one element's line. */
void
snapshot_write_elem(FILE *fp, const char *name, unsigned int index,
    const long *v, unsigned int n)
{
	unsigned int	 i;

	config_print_elem_id(fp, name, index);
	fputs(" =", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, " %ld", v[i]);
	fputc('\n', fp);
}

/* Make a directory and its parents. */
static int
snapshot_mkdirs(const char *dir)
{
	char	*p, *copy = xstrdup(dir);
	int	 rv = 0;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) == -1 && errno != EEXIST) {
			rv = -errno;
			goto out;
		}
		*p = '/';
	}
	if (mkdir(copy, 0755) == -1 && errno != EEXIST)
		rv = -errno;
out:
	free(copy);
	return (rv);
}

/*
 * Save a snapshot atomically: the writer fills a temporary file in the
 * same directory, which then replaces the old file by rename(2), so a
 * crash never leaves half a snapshot.  Returns 0 or -errno.
 */
int
snapshot_save(const char *path, void (*fill)(FILE *, void *), void *arg)
{
	char	*tmp, *dir, *slash;
	FILE	*fp;
	int	 fd, rv = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if ((rv = snapshot_mkdirs(dir)) < 0) {
			free(dir);
			return (rv);
		}
	}
	free(dir);
	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		rv = -errno;
		free(tmp);
		return (rv);
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		rv = -errno;
		close(fd);
		goto fail;
	}
	fprintf(fp, "# scarlett-midi snapshot\n");
	fill(fp, arg);
	if (fflush(fp) == EOF || fsync(fileno(fp)) == -1)
		rv = -errno;
	if (fclose(fp) == EOF && rv == 0)
		rv = -errno;
	if (rv == 0 && rename(tmp, path) == -1)
		rv = -errno;
fail:
	if (rv < 0)
		unlink(tmp);
	free(tmp);
	return (rv);
}
