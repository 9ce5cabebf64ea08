#!/bin/sh
# Every shipped mapping file binds, control by control, on the simulated
# card its "; device:" header names (scarlett-midi check fails on any
# control the card lacks or a mapping cannot drive), and every key of
# the mapping vocabulary is shown in at least one shipped file.  Then a
# few files run on the simulated 18i20 with the surface's own bytes, for
# the numbers their headers cite: the MIDImix's strip 5 fader, the
# X-Touch Mini's LED notes on the global channel, its MC mode's fader,
# V-Pots and A/B buttons.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

files=$(ls "$top_srcdir"/mappings/*.ini)
# Three keys are left out: "card" drives a second card, and a file bound
# to one simulated card cannot show it; "snapshots" names a directory of
# the user's own; "snapshot-all" would have a shipped file recall phantom
# power.
keys=$(sed -n 's/^\.It Ic \([a-z-]*\) No = .*/\1/p' \
    "$top_srcdir/man/scarlett-midi.ini.5" | sort -u |
    grep -vx 'card\|snapshots\|snapshot-all')
command -v amixer >/dev/null && have_amixer=yes || have_amixer=
nrun=17
plan $(( $(echo "$files" | wc -l) + $(echo "$keys" | wc -l) + nrun ))

for f in $files; do
	name=$(basename "$f")
	dev=$(sed -n 's/^; device: //p' "$f")
	if [ -z "$dev" ]; then
		not_ok "$name names its device in a '; device:' line"
		continue
	fi
	if "$SM" check --simulate "$DEVICES/$dev.state" -f "$f" \
	    >"$TMP/out" 2>&1; then
		ok "$name binds every control on $dev"
	else
		not_ok "$name binds every control on $dev"
		diag "$(grep -v 'opened\|mappings bound' "$TMP/out")"
	fi
done

for k in $keys; do
	check "key '$k' is shown in a shipped file" \
	    grep -q "^$k = " $files
done

if [ -z "$have_amixer" ]; then
	i=0
	while [ $i -lt $nrun ]; do
		ok "# SKIP amixer is not installed"
		i=$((i + 1))
	done
	done_testing
fi

STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
top_tmp=$TMP

# run FILE: start the service on FILE in a directory of its own.
run()
{
	TMP="$top_tmp/run-${1##*/}"
	mkdir "$TMP"
	start_service "$STATE" "$1"
	check "${1##*/} starts" wait_for grep -q '^ready$' "$TMP/log"
}

# finish: stop the service started by run.
finish()
{
	kill -TERM $pid
	wait $pid
	pid=
	exec 3>&-
	TMP=$top_tmp
}

# The MIDImix sends strip 5's fader as CC 49; CC 35 (the old number) is
# not mapped.
run "$top_srcdir/mappings/midimix--scarlett-3rd-gen-18i20.ini"
# The surface picks up: the fader starts where the value is.
cset 'Mix A Input 05 Playback Volume' 0
send '\260\043\177'
send '\260\061\000\260\061\177'
check "MIDImix: fader 5 (CC 49 = 127) sets Mix A input 5 to the top" \
    wait_for value_is 'Mix A Input 05 Playback Volume' 172
cset 'Mix A Input 05 Playback Volume' 0
send '\260\043\100'
sleep 0.2
check "MIDImix: CC 35 drives nothing" \
    value_is 'Mix A Input 05 Playback Volume' 0
finish

# X-Touch Mini, standard mode: a press of top button 1 (note 8 on channel
# 11) toggles Air on input 1; its LED is note 0 on channel 1, velocity 1
# on, 0 off; nothing is echoed on channel 11.
run "$top_srcdir/mappings/x-touch-mini--scarlett-3rd-gen-18i20.ini"
cset 'Line In 1 Air Capture Switch' off
check "X-Touch Mini: Air 1 off lights LED note 0 on channel 1 off" \
    wait_for fb_has "90 00 00"
send '\232\010\177\212\010\000'
check "X-Touch Mini: note 8 on channel 11 turns Air 1 on" \
    wait_for value_is 'Line In 1 Air Capture Switch' on
check "X-Touch Mini: Air 1 on is LED note 0, velocity 1" \
    wait_for fb_has "90 00 01"
check "X-Touch Mini: no button echo on channel 11" \
    [ "$(fb | grep -c '^ 9a ')" = 0 ]
cset 'Mix A Input 01 Playback Volume' 172
check "X-Touch Mini: the ring of encoder 1 is its own CC on channel 11" \
    wait_for fb_has "ba 01 7f"
finish

# X-Touch Mini, MC mode: the fader is pitch bend on channel 9 up to
# 16256; V-Pot 1 is CC 16 in sign-magnitude, 1 dB a detent (two steps of
# 0.5 dB); the A and B buttons (notes 84, 85) switch between Mix A and B.
run "$top_srcdir/mappings/x-touch-mini-mc--scarlett-3rd-gen-18i20.ini"
cset 'Line 07 (Headphones 1 L) Playback Volume' 0
# The service reads a change on its reader thread: let it see this one
# before the fader moves, or pickup sees the fader move first.
sleep 0.3
send '\350\000\000\350\000\177'
check "X-Touch Mini MC: the fader at 16256 (channel 9) sets the top" \
    wait_for value_is 'Line 07 (Headphones 1 L) Playback Volume' 127
check "X-Touch Mini MC: the fader, without a motor, gets no feedback" \
    [ "$(fb | grep -c '^ e8 ')" = 0 ]
cset 'Mix A Input 01 Playback Volume' 100
cset 'Mix B Input 01 Playback Volume' 100
send '\260\020\001'
check "X-Touch Mini MC: V-Pot 1 +1 raises Mix A input 1 by 1 dB" \
    wait_for value_is 'Mix A Input 01 Playback Volume' 102
send '\260\020\102'
check "X-Touch Mini MC: V-Pot 1 -2 (66) lowers it by 2 dB" \
    wait_for value_is 'Mix A Input 01 Playback Volume' 98
send '\220\125\177\200\125\000'
check "X-Touch Mini MC: B (note 85) lights its LED" \
    wait_for fb_has "90 55 7f"
send '\260\020\001'
check "X-Touch Mini MC: in layer B, V-Pot 1 drives Mix B input 1" \
    wait_for value_is 'Mix B Input 01 Playback Volume' 102
check "X-Touch Mini MC: and leaves Mix A input 1 alone" \
    value_is 'Mix A Input 01 Playback Volume' 98
finish

done_testing
