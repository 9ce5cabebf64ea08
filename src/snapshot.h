/*
 * Snapshots: named sets of element values, saved in text files, one
 * element a line, as "NAME = V [V ...]" or "name='NAME',index=N = V ...",
 * where an enumerated element's values are its items' names, quoted.
 * Controls that can hurt hardware or a microphone (phantom power, clock
 * source, ...) are left out unless the caller asks for every control.
 */

#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <stdio.h>

struct mixer;

#define SNAPSHOT_VALUES_MAX	128

/* A value of a snapshot line: a number, or an enum item's name. */
struct snapshot_value {
	long		 number;
	const char	*item;		/* NULL: a number */
};

/*
 * Called for each line a snapshot file holds; returns NULL, or why the
 * line does not fit (reported with its file and line).
 */
typedef const char *(*snapshot_cb)(const char *, unsigned int,
		    const struct snapshot_value *, unsigned int, void *);

char	*snapshot_dir(const char *);
char	*snapshot_path(const char *, const char *);
int	 snapshot_excluded(const char *);
int	 snapshot_read(FILE *, const char *, snapshot_cb, void *);
int	 snapshot_save(const char *, struct mixer *, int);
int	 snapshot_recall(const char *, struct mixer *, int);

#endif
