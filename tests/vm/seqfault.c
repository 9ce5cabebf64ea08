/*
 * A fault for the VM tier, preloaded into scarlett-midi: while the file
 * that $SCARLETT_MIDI_SEQFAULT names exists, the next read of sequencer
 * events fails with -ENODEV, as on a client gone bad, and the file is
 * removed.  Everything else is alsa-lib's own.
 */

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

int
snd_seq_event_input(snd_seq_t *seq, snd_seq_event_t **ev)
{
	static int	(*real)(snd_seq_t *, snd_seq_event_t **);
	const char	*path = getenv("SCARLETT_MIDI_SEQFAULT");

	if (path != NULL && unlink(path) == 0)
		return (-ENODEV);
	if (real == NULL &&
	    (real = (int (*)(snd_seq_t *, snd_seq_event_t **))dlsym(RTLD_NEXT,
	    "snd_seq_event_input")) == NULL)
		return (-ENOSYS);
	return (real(seq, ev));
}
