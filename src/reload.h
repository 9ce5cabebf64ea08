/*
 * The configuration: loaded once, reloaded on SIGHUP and once an edit of
 * the mapping files has settled.
 */

#ifndef RELOAD_H
#define RELOAD_H

struct app;
struct config;

struct config	*reload_load(struct app *);
void		 reload_now(struct app *);
void		 reload_watch(struct app *);
void		 reload_unwatch(struct app *);

#endif
