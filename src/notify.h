/*
 * inotify in the event loop: files and directories the service follows
 * (the mapping files, /dev/snd) without polling them.
 */

#ifndef NOTIFY_H
#define NOTIFY_H

#include <stdint.h>

struct loop;
struct notify;

/*
 * Called for each event: the watch descriptor, the inotify mask and the
 * name within a watched directory ("" if none).  A watch descriptor of
 * -1 means events were lost (IN_Q_OVERFLOW): rescan what matters.
 */
typedef void	(*notify_cb)(int, uint32_t, const char *, void *);

struct notify	*notify_create(struct loop *, notify_cb, void *);
void		 notify_free(struct notify *);
int		 notify_add(struct notify *, const char *, uint32_t);
void		 notify_rm(struct notify *, int);

#endif
