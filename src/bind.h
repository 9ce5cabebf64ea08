/*
 * Bindings: the mappings of the configuration bound to the elements of
 * an open card, kept as elements come and go.
 */

#ifndef BIND_H
#define BIND_H

#include <stddef.h>
#include <stdint.h>

struct app;
struct binding;
struct card;
struct elem;

/*
 * What bind.c keeps beside map's state of a binding (binding->data):
 * the chain of an element's bindings, the surfaces it is for, and the
 * fields feedback.c schedules it with.
 */
struct bound {
	struct binding		*b;
	struct bound		*elem_next;	/* the element's next binding */
	uint32_t		 surfaces;	/* its file's; 0: every one */

	/* feedback.c's. */
	long long		 sent_ms;	/* when feedback last went */
	int			 held;		/* feedback waits to go */
	uint32_t		 echo;		/* the input's surfaces */
	long long		 strip_until;	/* its value leaves the strip */
};

uint32_t	 bind_file_surfaces(struct app *, const char *);
long		 bind_value(const struct binding *);
const char	*bind_msg_name(const struct binding *, char *, size_t);
struct bound	*bind_elem_first(const struct elem *);
unsigned int	 bind_card(struct card *);
unsigned int	 bind_all(struct app *);
void		 bind_card_unbind(struct card *);
void		 bind_card_clear(struct card *);
void		 bind_unbind_all(struct app *);
void		 bind_elem_added(struct card *, struct elem *);
void		 bind_elem_removed(struct card *, struct elem *);

#endif
