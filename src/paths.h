/* Where the program's own files are: its build tree, or where installed. */

#ifndef PATHS_H
#define PATHS_H

/*
 * The simulated card plugin: $SCARLETT_MIDI_PLUGIN if set, else the one
 * beside the executable when it runs from its build tree, else the
 * installed one.  The string is static.
 */
const char	*paths_plugin(void);

/*
 * The directory of device state files: the build tree's devices/ when
 * the executable runs from its build tree, else the installed one.
 */
const char	*paths_devices(void);

#endif
