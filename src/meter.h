/*
 * Meters: volatile elements (a Scarlett's Level Meter), which change
 * with no event, read on a timer while a surface is there to show them.
 */

#ifndef METER_H
#define METER_H

struct app;

void	meter_update(struct app *);
void	meter_stop(struct app *);

#endif
