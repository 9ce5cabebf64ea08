/*
 * Routing: one incoming MIDI message to the bindings it reaches, and the
 * values they write.
 */

#ifndef ROUTE_H
#define ROUTE_H

#include <stddef.h>

struct app;
struct midi_msg;

extern const struct midi_ops	route_midi_ops;

void		 route_connect(struct app *);
const char	*route_msg_text(const struct midi_msg *, char *, size_t);

#endif
