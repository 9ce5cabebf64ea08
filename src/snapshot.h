/*
 * Snapshots: named sets of element values, saved in text files, one
 * element a line, as "NAME = V [V ...]" or "name='NAME',index=N = V ...".
 * Nothing here knows a card; the caller walks its elements.
 */

#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <stdio.h>

#define SNAPSHOT_VALUES_MAX	128

/* Called for each element a snapshot file holds. */
typedef void	(*snapshot_cb)(const char *, unsigned int, const long *,
		    unsigned int, void *);

char	*snapshot_dir(const char *);
char	*snapshot_path(const char *, const char *);
int	 snapshot_read(FILE *, const char *, snapshot_cb, void *);
int	 snapshot_load(const char *, snapshot_cb, void *);
void	 snapshot_write_elem(FILE *, const char *, unsigned int,
	    const long *, unsigned int);
int	 snapshot_save(const char *, void (*)(FILE *, void *), void *);

#endif
