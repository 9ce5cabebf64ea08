#!/bin/sh
# A binary run from its build tree finds the build tree's simulated card
# plugin and device files, wherever it is started from; a copy away from
# the build tree (as installed) looks in the installed directories; and
# SCARLETT_MIDI_PLUGIN still wins over both.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

plan 9
unset SCARLETT_MIDI_PLUGIN
cd "$TMP" || exit 1

"$SM" list --simulate Scarlett-Gen-3-18i20 >out 2>err
check "build tree: --simulate NAME finds devices/ and the plugin (exit $?)" \
    [ $? = 0 ]
check "...and lists the card's controls" \
    grep -q "name='Mix A Input 01 Playback Volume'" out
"$SM" list --simulate "$DEVICES/Scarlett-Gen-3-4i4.state" >out 2>err
check "build tree: --simulate PATH from another directory (exit $?)" \
    [ $? = 0 ]
mkdir bin
ln -s "$SM" bin/scarlett-midi
bin/scarlett-midi list --simulate Scarlett-Gen-3-4i4 >out 2>err
check "a symbolic link to the build tree's binary works as well (exit $?)" \
    [ $? = 0 ]

# A copy of the binary alone stands for an installed one.  The checks
# hold whether or not the package is installed too.
mkdir inst
cp "$SM" inst/scarlett-midi
inst/scarlett-midi list --simulate No-Such-Card >out 2>err
check "installed: --simulate NAME looks in the installed directory (exit $?)" \
    [ $? = 1 ]
check "...which it names" \
    grep -q '/share/scarlett-midi/devices/No-Such-Card.state' err
# alsa-lib names the plugin it failed to open; the loader the one it did.
LD_DEBUG=files inst/scarlett-midi list \
    --simulate "$DEVICES/Scarlett-Gen-3-4i4.state" >out 2>err
check "installed: the plugin is the installed one, not the build tree's" \
    eval "grep -q '/scarlett-midi/libasound_module_ctl_scarlett_sim.so' err &&
    ! grep -q '$top_builddir/libasound_module_ctl_scarlett_sim.so' err"

SCARLETT_MIDI_PLUGIN="$TMP/none.so" LD_DEBUG=files "$SM" list \
    --simulate Scarlett-Gen-3-4i4 >out 2>err
check "SCARLETT_MIDI_PLUGIN wins over the build tree (exit $?)" [ $? = 1 ]
check "...and is named" grep -q "$TMP/none.so" err
