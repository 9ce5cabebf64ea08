/* The cards the mapping files name: open, reopen after unplug, close. */

#include <sys/inotify.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>

#include "app.h"
#include "card.h"
#include "config.h"
#include "log.h"
#include "loop.h"
#include "mixer.h"
#include "notify.h"
#include "xmalloc.h"

/*
 * A control device appears before the driver is done with it, and its
 * permissions come later still: try to open it a few times, sooner
 * first.  (alsa-scarlett-gui sleeps a second; we do not sleep.)
 */
#define OPEN_MS		100
#define OPEN_TRIES	6

#define DEV_SND		"/dev/snd"

static const struct mixer_ops	card_mixer_ops;
static void			card_open_later(struct card *);

/* An element changed: the owner decides what that means. */
static void
card_changed_cb(struct elem *e, void *arg)
{
	struct card	*c = arg;

	c->app->card_ops->changed(c, e);
}

/* An element appeared after the card was opened. */
static void
card_added_cb(struct elem *e, void *arg)
{
	struct card	*c = arg;

	c->app->card_ops->added(c, e);
}

/* A write was refused or given up: the surface must show the card's. */
static void
card_resync_cb(struct elem *e, void *arg)
{
	struct card	*c = arg;

	c->app->card_ops->resync(c, e);
}

/* A write of ours reached the card. */
static void
card_written_cb(struct elem *e, void *arg)
{
	struct card	*c = arg;

	if (c->app->card_ops->written != NULL)
		c->app->card_ops->written(c, e);
}

/* An element is going away. */
static void
card_removed_cb(struct elem *e, void *arg)
{
	struct card	*c = arg;

	c->app->card_ops->removed(c, e);
}

/* The card vanished: close it and keep running without it. */
static void
card_gone_cb(struct mixer *mx, void *arg)
{
	struct card	*c = arg;
	struct app	*app = c->app;

	if (app->simulate != NULL || app->snd_wd < 0)
		log_warnx("%s: closed; send SIGHUP to open it again",
		    mixer_name(mx));
	else
		log_warnx("%s: closed; waiting for it to come back",
		    mixer_name(mx));
	app->card_ops->gone(c);
	mixer_close(c->mixer);
	c->mixer = NULL;
}

static const struct mixer_ops card_mixer_ops = {
	.changed = card_changed_cb,
	.added = card_added_cb,
	.removed = card_removed_cb,
	.gone = card_gone_cb,
	.resync = card_resync_cb,
	.written = card_written_cb,
};

/*
 * Open a mixer: the simulated card (--simulate), or the real one the
 * name finds.  Its events go to the card given (none are read if it is
 * NULL, as for "list").  Returns 0 or -errno.
 */
int
card_open_mixer(struct app *app, const char *want, struct mixer **mx,
    struct card *c)
{
	if (app->simulate != NULL)
		return (mixer_open_sim(mx, app->loop, want, &card_mixer_ops,
		    c));
	return (mixer_open(mx, app->loop, want, &card_mixer_ops, c));
}

/*
 * Open a card.  A failure is a warning, or only a debug message when
 * quiet.
 */
static int
card_open(struct card *c, int quiet)
{
	int	 err;

	if ((err = card_open_mixer(c->app, c->want, &c->mixer, c)) < 0) {
		if (quiet)
			log_debug("%s: cannot open card: %s", c->want,
			    snd_strerror(err));
		else
			log_warnx("%s: cannot open card: %s", c->want,
			    snd_strerror(err));
		return (err);
	}
	log_info("%s: opened '%s', %u controls", mixer_name(c->mixer),
	    mixer_card_name(c->mixer), mixer_count(c->mixer));
	return (0);
}

/* Close a card and free it; its bindings are gone already. */
static void
card_free(struct card *c)
{
	loop_del(c->open_timer);
	mixer_close(c->mixer);
	free(c->want);
	free(c);
}

/*
 * Make the cards those the configuration names (or -D, or --simulate):
 * cards still named stay open, cards no longer named are closed, new
 * ones are opened.  Returns how many could not be opened.
 */
unsigned int
card_update(struct app *app, const struct config *conf)
{
	struct card	**cards, *c;
	const char	*want;
	unsigned int	  i, k, n, failed = 0;

	n = app->simulate != NULL || app->device != NULL ? 1 : conf->ncards;
	cards = xcalloc(n + 1, sizeof(*cards));
	for (i = 0; i < n; i++) {
		want = app->simulate != NULL ? app->simulate :
		    app->device != NULL ? app->device : conf->cards[i];
		for (c = NULL, k = 0; k < app->ncards; k++) {
			if (app->cards[k] != NULL &&
			    strcmp(app->cards[k]->want, want) == 0) {
				c = app->cards[k];
				app->cards[k] = NULL;
				break;
			}
		}
		if (c == NULL) {
			c = xcalloc(1, sizeof(*c));
			c->app = app;
			c->want = xstrdup(want);
		}
		cards[i] = c;
	}
	for (k = 0; k < app->ncards; k++) {
		if (app->cards[k] != NULL)
			card_free(app->cards[k]);
	}
	free(app->cards);
	app->cards = cards;
	app->ncards = n;
	if (n == 0)
		log_warnx("no card: name one in [card] or with -D");
	for (i = 0; i < n; i++) {
		if (cards[i]->mixer == NULL && card_open(cards[i], 0) < 0)
			failed++;
	}
	return (failed);
}

/* Close and free every card; their bindings are gone already. */
void
card_free_all(struct app *app)
{
	unsigned int	 i;

	for (i = 0; i < app->ncards; i++)
		card_free(app->cards[i]);
	free(app->cards);
	app->cards = NULL;
	app->ncards = 0;
}

/* The card a mapping drives: its file's, its own, -D's; or NULL. */
struct card *
card_of(struct app *app, const struct mapping *m)
{
	const char	*name;
	unsigned int	 k;

	if (app->simulate != NULL || app->device != NULL)
		return (app->ncards > 0 ? app->cards[0] : NULL);
	name = m->card != -1 ? app->conf->cards[m->card] : app->conf->card;
	for (k = 0; name != NULL && k < app->ncards; k++) {
		if (strcmp(app->cards[k]->want, name) == 0)
			return (app->cards[k]);
	}
	return (NULL);
}

/* A card may have appeared: try to open it, again later if need be. */
static void
card_open_cb(void *arg)
{
	struct card	*c = arg;

	c->open_timer = NULL;
	if (c->mixer != NULL)
		return;
	if (card_open(c, c->open_tries + 1 < OPEN_TRIES) < 0) {
		if (++c->open_tries < OPEN_TRIES)
			card_open_later(c);
		else
			c->open_tries = 0;
		return;
	}
	c->open_tries = 0;
	c->app->card_ops->opened(c);
}

/* Arm the card opening timer, backing off with each try. */
static void
card_open_later(struct card *c)
{
	if (c->mixer != NULL || c->open_timer != NULL ||
	    c->app->simulate != NULL)
		return;
	c->open_timer = loop_add_timer(c->app->loop,
	    OPEN_MS << c->open_tries, card_open_cb, c);
}

/* Follow /dev/snd, or /dev until /dev/snd exists. */
static void
card_watch_snd(struct app *app)
{
	app->snd_wd = notify_add(app->snd_notify, DEV_SND, IN_CREATE |
	    IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
	if (app->snd_wd >= 0) {
		notify_rm(app->snd_notify, app->dev_wd);
		app->dev_wd = -1;
		return;
	}
	if (app->dev_wd < 0)
		app->dev_wd = notify_add(app->snd_notify, "/dev", IN_CREATE);
	if (app->dev_wd < 0)
		log_debug("cannot follow /dev: %s", strerror(-app->dev_wd));
}

/* An inotify event of a sound device: a card may have come. */
static void
card_notify_cb(int wd, uint32_t mask, const char *name, void *arg)
{
	struct app	*app = arg;
	unsigned int	 k;

	if (wd == app->dev_wd && strcmp(name, "snd") == 0)
		card_watch_snd(app);
	if (wd == app->snd_wd && (mask & (IN_DELETE_SELF | IN_MOVE_SELF))) {
		app->snd_wd = -1;
		card_watch_snd(app);
	}
	if (wd == -1 || wd == app->dev_wd || (wd == app->snd_wd &&
	    strncmp(name, "controlC", 8) == 0)) {
		for (k = 0; k < app->ncards; k++) {
			app->cards[k]->open_tries = 0;
			card_open_later(app->cards[k]);
		}
	}
}

/*
 * Follow the sound devices, so that cards that come after the service
 * are opened; the simulated card never comes and goes.
 */
void
card_watch(struct app *app)
{
	app->dev_wd = app->snd_wd = -1;
	if (app->simulate != NULL)
		return;
	if ((app->snd_notify = notify_create(app->loop, card_notify_cb,
	    app)) == NULL) {
		log_warn("inotify: cards are not followed");
		return;
	}
	card_watch_snd(app);
}

/* Stop following the sound devices. */
void
card_unwatch(struct app *app)
{
	notify_free(app->snd_notify);
	app->snd_notify = NULL;
}
