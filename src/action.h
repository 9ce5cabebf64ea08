/* Actions: layers, and snapshots saved and recalled. */

#ifndef ACTION_H
#define ACTION_H

#include "map.h"

struct app;
struct card;

void	action_run(struct card *, struct binding *, enum map_result);
void	action_set_dir(struct app *);

#endif
