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

# A copy of the binary alone stands for an installed one.
mkdir inst
cp "$SM" inst/scarlett-midi
inst/scarlett-midi list --simulate Scarlett-Gen-3-4i4 >out 2>err
check "installed: --simulate NAME fails without installed files (exit $?)" \
    [ $? = 1 ]
check "...naming the installed devices directory" \
    grep -q '/share/scarlett-midi/devices/Scarlett-Gen-3-4i4.state' err
inst/scarlett-midi list --simulate "$DEVICES/Scarlett-Gen-3-4i4.state" \
    >out 2>err
check "installed: the plugin is looked for in the installed directory" \
    grep -q '/lib/scarlett-midi/libasound_module_ctl_scarlett_sim.so' err
diag "$(cat err)"

SCARLETT_MIDI_PLUGIN="$TMP/none.so" "$SM" list \
    --simulate Scarlett-Gen-3-4i4 >out 2>err
check "SCARLETT_MIDI_PLUGIN wins over the build tree (exit $?)" [ $? = 1 ]
check "...and is named" grep -q "$TMP/none.so" err
