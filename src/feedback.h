/*
 * Feedback: what goes back to the surfaces and when.  The echo guard,
 * holding back while a hand is on a control, pacing, the full state.
 */

#ifndef FEEDBACK_H
#define FEEDBACK_H

#include <stdint.h>

struct app;
struct binding;
struct card;

extern const struct card_ops	feedback_card_ops;

long long	 feedback_now(void);
void		 feedback_binding(struct card *, struct binding *);
void		 feedback_card_full_state(struct card *);
void		 feedback_full_state(struct app *);
void		 feedback_connect(struct app *, uint32_t);
void		 feedback_cancel(struct app *);

#endif
