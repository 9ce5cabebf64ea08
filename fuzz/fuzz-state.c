/* libFuzzer target: the alsactl state-file loader, simstate_parse(). */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>
#include <sanitizer/lsan_interface.h>

#include "simstate.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* alsa-lib reports syntax errors itself; keep them quiet. */
static void
fuzz_snd_error(const char *file, int line, const char *func, int err,
    const char *fmt, ...)
{
	(void)file;
	(void)line;
	(void)func;
	(void)err;
	(void)fmt;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (getenv("FUZZ_VERBOSE") == NULL)
		snd_lib_error_set_handler(fuzz_snd_error);
	return (0);
}

/*
 * Load the input as a state file.  On success, every element must be
 * self-consistent, its initial values must pass the check that writes
 * get (integers excepted: alsactl keeps what the driver reported), and
 * a lookup by its id without numid must find it or an earlier duplicate.
 * On failure there must be a message.
 */
/*
 * alsa-lib 1.2.8 leaks on some syntax errors (the id in parse_def when
 * "X is not a compound", e.g. the 6 bytes "v t\tv."): its own bug,
 * which LeakSanitizer cannot tell from ours as libasound has no symbols.
 * So first parse with alsa-lib alone, leak checks off, and go on only
 * with input it accepts; our loader then sees no alsa-lib error path.
 */
static int
fuzz_alsa_accepts(const uint8_t *data, size_t size)
{
	snd_config_t	*top;
	snd_input_t	*in;
	int		 ok = 0;

	__lsan_disable();
	if (snd_config_top(&top) == 0) {
		if (snd_input_buffer_open(&in, (const char *)data,
		    (ssize_t)size) == 0) {
			ok = snd_config_load(top, in) == 0;
			snd_input_close(in);
		}
		snd_config_delete(top);
	}
	__lsan_enable();
	return (ok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct simstate			*st;
	const struct simstate_elem	*e;
	snd_ctl_elem_id_t		*id;
	char				 err[256];
	unsigned int			 i;
	int				 integer, found;

	if (!fuzz_alsa_accepts(data, size))
		return (0);
	if (simstate_parse(&st, "fuzz.state", (const char *)data, size, NULL,
	    err, sizeof(err)) < 0) {
		if (err[0] == '\0')
			abort();
		return (0);
	}
	snd_ctl_elem_id_alloca(&id);
	for (i = 0; i < simstate_count(st); i++) {
		e = simstate_elem(st, i);
		integer = e->type == SND_CTL_ELEM_TYPE_INTEGER ||
		    e->type == SND_CTL_ELEM_TYPE_INTEGER64;
		if (e->count == 0 || e->min > e->max || e->numid != i + 1)
			abort();
		if (e->type == SND_CTL_ELEM_TYPE_ENUMERATED && e->nitems == 0)
			abort();
		if (!integer && simstate_check(st, i, e->init) < 0)
			abort();
		simstate_elem_id(st, i, id);
		snd_ctl_elem_id_set_numid(id, 0);
		found = simstate_find(st, id);
		if (found < 0 || found > (int)i)
			abort();
	}
	simstate_close(st);
	return (0);
}
