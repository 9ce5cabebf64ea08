/*
 * Learn mode: guess a mapping from the MIDI messages one surface control
 * sent.  Pure: the caller collects the messages and prints the result.
 */

#ifndef LEARN_H
#define LEARN_H

#include <stdio.h>

#include "config.h"
#include "midi.h"

#define LEARN_MAX	512		/* messages kept */

struct learn {
	struct midi_msg	 msgs[LEARN_MAX];
	size_t		 n;
};

/* What the messages look like. */
struct learn_guess {
	enum midi_kind	 kind;
	int		 channel;	/* 0..15 */
	int		 number;
	enum map_mode	 mode;		/* MODE_DEFAULT if the kind's */
	enum encoder	 encoder;
	long		 midi_max;	/* -1: the kind's top */
};

void	learn_init(struct learn *);
void	learn_add(struct learn *, const struct midi_msg *);
int	learn_guess(const struct learn *, struct learn_guess *);
void	learn_print(FILE *, const struct learn_guess *, const char *,
	    unsigned int, long);

#endif
