/*
 * The configuration: loaded once, reloaded once the mapping files or a
 * SIGHUP ask for it and the requests have settled.
 */

#ifndef RELOAD_H
#define RELOAD_H

struct app;
struct config;

struct config	*reload_load(struct app *);
void		 reload_request(struct app *);
void		 reload_watch(struct app *);
void		 reload_unwatch(struct app *);

#endif
