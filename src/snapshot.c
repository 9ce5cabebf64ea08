/* Save a card's values in snapshot files, atomically, and recall them. */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "compat.h"
#include "config.h"
#include "log.h"
#include "mixer.h"
#include "snapshot.h"
#include "xmalloc.h"

/*
 * Controls a snapshot leaves out unless told to take every control, as
 * fnmatch(3) patterns over the names the drivers give them (see the
 * dumps in devices/).  Recalling them could switch phantom power onto a
 * ribbon microphone, change the clock a studio syncs to, reconfigure the
 * digital ports or the boot mode, or start an autogain measurement.
 */
static const char *snapshot_safety[] = {
	"*Phantom Power*",		/* 48 V, and its persistence */
	"MSD Mode Switch",		/* boots as a mass-storage device */
	"*Clock Source*",		/* internal, S/PDIF, ADAT, ... */
	"Standalone Switch",		/* routing kept without a computer */
	"*Digital I/O Mode*",		/* S/PDIF, ADAT or optical */
	"S/PDIF Mode*",
	"*Autogain Capture Switch",	/* starts a measurement */
	NULL
};

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

/* Whether a control is left out of snapshots unless all are asked for. */
int
snapshot_excluded(const char *name)
{
	unsigned int	 i;

	for (i = 0; snapshot_safety[i] != NULL; i++) {
		if (fnmatch(snapshot_safety[i], name, 0) == 0)
			return (1);
	}
	return (0);
}

/*
 * The '=' that ends the control id of a line: the last one outside
 * quotes, so that quoted names and items may hold one.
 */
static char *
snapshot_separator(char *line)
{
	char	*p, *eq = NULL;
	int	 q = 0;

	for (p = line; *p != '\0'; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == '=')
			eq = p;
	}
	return (eq);
}

/* Parse one line "ID = V [V ...]"; 0, or -1 with *why set. */
static int
snapshot_line(char *line, snapshot_cb cb, void *arg, const char **why)
{
	snd_ctl_elem_id_t	*id;
	struct snapshot_value	 v[SNAPSHOT_VALUES_MAX];
	char			*eq, *p, *end, *name;
	unsigned int		 n = 0, index = 0;
	size_t			 len;

	if ((eq = snapshot_separator(line)) == NULL) {
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
		v[n].item = NULL;
		if (*p == '\'' || *p == '"') {
			/* An item's name, in quotes. */
			if ((end = strchr(p + 1, *p)) == NULL) {
				*why = "an item's name has no closing quote";
				return (-1);
			}
			*end++ = '\0';
			v[n].item = p + 1;
			v[n].number = -1;
		} else {
			errno = 0;
			v[n].number = strtol(p, &end, 10);
			if (end == p || errno != 0) {
				*why = "a value is not a number";
				return (-1);
			}
		}
		if (*end != '\0' && !isspace((unsigned char)*end)) {
			*why = "a value is not a number or a quoted name";
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
	*why = cb(name, index, v, n, arg);
	return (*why == NULL ? 0 : -1);
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

/* What recalling a snapshot into a card needs. */
struct snapshot_recall_ctx {
	struct mixer	*mx;
	int		 all;
};

/*
 * Recall one line: queue each value that differs from the card's.  An
 * item is found by its name, so a snapshot survives a driver that
 * reorders items; a number (older files) is taken as the item's index.
 */
static const char *
snapshot_recall_cb(const char *name, unsigned int index,
    const struct snapshot_value *v, unsigned int n, void *arg)
{
	struct snapshot_recall_ctx	*ctx = arg;
	const struct elem_info		*info;
	struct elem			*e;
	unsigned int			 ch;
	long				 x;

	if ((e = mixer_find(ctx->mx, name, index)) == NULL) {
		log_debug("snapshot: no control '%s'", name);
		return (NULL);
	}
	if (!ctx->all && snapshot_excluded(name)) {
		log_debug("snapshot: '%s' left out (snapshot-all)", name);
		return (NULL);
	}
	info = mixer_elem_info(e);
	if (info->type == ELEM_OTHER || !info->writable)
		return (NULL);
	/* What the card holds now, not what the last event's read said. */
	mixer_elem_read_now(e);
	for (ch = 0; ch < n && ch < info->count; ch++) {
		if (v[ch].item == NULL)
			x = v[ch].number;
		else if ((x = mixer_elem_item(e, v[ch].item)) == -1)
			return ("names no item of the control");
		if (x < info->min || x > info->max)
			continue;
		if (mixer_elem_value(e, ch) != x)
			mixer_elem_set(e, ch, x);
	}
	return (NULL);
}

/*
 * Recall a snapshot file into a card; all: the controls snapshots leave
 * out too.  Returns 0, -EINVAL if a line was bad (the others are
 * recalled), or -errno.
 */
int
snapshot_recall(const char *path, struct mixer *mx, int all)
{
	struct snapshot_recall_ctx	 ctx = { mx, all };
	FILE				*fp;
	int				 rv;

	if ((fp = fopen(path, "re")) == NULL)
		return (-errno);
	rv = snapshot_read(fp, path, snapshot_recall_cb, &ctx);
	fclose(fp);
	return (rv);
}

/*
 * Write one element's line: its values, or for an enumerated element
 * its items' names, quoted with a quote the name lacks.
 */
static void
snapshot_write_elem(FILE *fp, struct elem *e)
{
	const struct elem_info	*info = mixer_elem_info(e);
	char			 item[128];
	unsigned int		 ch, n;
	long			 v;

	mixer_elem_read_now(e);
	config_print_elem_id(fp, mixer_elem_name(e), mixer_elem_index(e));
	fputs(" =", fp);
	n = info->count < SNAPSHOT_VALUES_MAX ? info->count :
	    SNAPSHOT_VALUES_MAX;
	for (ch = 0; ch < n; ch++) {
		v = mixer_elem_value(e, ch);
		if (info->type == ELEM_ENUMERATED &&
		    mixer_elem_item_name(e, v, item, sizeof(item)) == 0 &&
		    (strchr(item, '\'') == NULL || strchr(item, '"') == NULL))
			fprintf(fp, strchr(item, '\'') == NULL ? " '%s'" :
			    " \"%s\"", item);
		else
			fprintf(fp, " %ld", v);
	}
	fputc('\n', fp);
}

/* One line per element worth restoring. */
static void
snapshot_fill(FILE *fp, struct mixer *mx, int all)
{
	const struct elem_info	*info;
	struct elem		*e;
	unsigned int		 i;

	for (i = 0; i < mixer_count(mx); i++) {
		if ((e = mixer_elem_at(mx, i)) == NULL)
			continue;
		info = mixer_elem_info(e);
		if (info->type == ELEM_OTHER || !info->writable)
			continue;
		if (!all && snapshot_excluded(mixer_elem_name(e)))
			continue;
		snapshot_write_elem(fp, e);
	}
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
 * Save a card's values atomically (all: the controls snapshots leave out
 * too): a temporary file in the same directory is filled, then replaces
 * the old file by rename(2), so a crash never leaves half a snapshot.
 * Returns 0 or -errno.
 */
int
snapshot_save(const char *path, struct mixer *mx, int all)
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
	snapshot_fill(fp, mx, all);
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
