#!/bin/sh
# End-to-end: the built scarlett-midi against the simulated Gen 3 18i20,
# MIDI through FIFOs, controls read and written by amixer and by sim-hw
# (which plays the hardware) in other processes.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 25

start_service "$STATE" "$top_srcdir/tests/e2e/18i20.ini"

check "the service starts and says it is ready" wait_for grep -q '^ready$' \
    "$TMP/log"
line=$(grep -n 'No Such Control' "$top_srcdir/tests/e2e/18i20.ini" | cut -d: -f1)
check "a control the card lacks is reported with its file and line" \
    grep -q "18i20.ini:$line: sim:Scarlett-Gen-3-18i20.state has no control 'No Such Control'" "$TMP/log"
check "8 of 9 mappings are bound" grep -q '8 of 9 mappings bound' "$TMP/log"

# The full state goes out at start: 160 of 0..172 shows as 118.
check "full state: mix gain 160 is sent as CC 1 = 118" wait_for fb_has "b0 01 76"
check "full state: headphones 127 is sent as CC 2 = 127" fb_has "b0 02 7f"
check "full state: Air off is sent as note 36 off" fb_has "90 24 00"
check "full state: a stereo pair sends CC 5 twice" fb_has "b0 05 7f" 2

# MIDI in: CC 1 = 127 on channel 1 writes the top of the range.
send '\260\001\177'
check "CC 1 = 127 sets the mix gain to 172" wait_for value_is \
    'Mix A Input 01 Playback Volume' 172
# Channel 2 is not mapped.
send '\261\001\000'
send '\260\002\100'
check "CC 2 = 64 sets the headphones to 64" wait_for value_is \
    'Line 07 (Headphones 1 L) Playback Volume' 64
check "a CC on another channel changes nothing" value_is \
    'Mix A Input 01 Playback Volume' 172
check "no echo: CC 1 = 127 is not sent back" sh -c \
    "! od -An -tx1 -v -w3 '$TMP/fb' | grep -q '^ b0 01 7f\$'"

# Running status and a burst: only the last value counts.
send '\260\002\001\002\002\002\003\002\004\002\005\002\012'
check "a burst with running status ends at its last value" wait_for \
    value_is 'Line 07 (Headphones 1 L) Playback Volume' 10

# Someone else (amixer) changes a control: feedback.
amixer -D sim -q cset "name='Mix A Input 01 Playback Volume'" 86
check "amixer sets the mix gain to 86: CC 1 = 64 goes out" wait_for \
    fb_has "b0 01 40"

# The hardware changes a read-only control: feedback.
"$SIMHW" "$STATE" set 'Line 01 (Monitor 1 L) Playback Volume' 100
check "the hardware knob sets the monitor to 100: CC 3 = 100 goes out" \
    wait_for fb_has "b0 03 64"

# Writing a read-only control is refused once, and nothing changes.
send '\260\003\020\003\021'
check "a write to a read-only control is logged" wait_for grep -q \
    "cannot write 'Line 01 (Monitor 1 L) Playback Volume'" "$TMP/log"
check "...once, not once per message" test "$(grep -c \
    "cannot write 'Line 01 (Monitor 1 L) Playback Volume'" "$TMP/log")" = 1
check "...and the value stays" value_is \
    'Line 01 (Monitor 1 L) Playback Volume' 100

# The hardware makes it writable (INFO event): now MIDI can set it.
"$SIMHW" "$STATE" access 'Line 01 (Monitor 1 L) Playback Volume' rw
sleep 0.2
send '\260\003\062'
check "after an access change the control takes MIDI" wait_for value_is \
    'Line 01 (Monitor 1 L) Playback Volume' 50

# A note on a switch; feedback when someone else turns it off.
send '\220\044\177'
check "note 36 on turns Air on" wait_for value_is \
    'Line In 1 Air Capture Switch' on
check "...and is not echoed" sh -c \
    "! od -An -tx1 -v -w3 '$TMP/fb' | grep -q '^ 90 24 7f\$'"
amixer -D sim -q cset "name='Line In 1 Air Capture Switch'" off
check "amixer turns Air off: note 36 off goes out" wait_for fb_has "90 24 00" 2

# An enumeration, and a stereo pair.
send '\260\004\177'
check "CC 4 = 127 selects the last item, Inst" wait_for value_is \
    'Line In 1 Level Capture Enum' 1
send '\260\005\100'
check "CC 5 = 64 sets both sides of a stereo pair" wait_for sh -c \
    "amixer -D sim cget name='Line 10 (Headphones 2 R) Playback Volume' | grep -q 'values=64' && amixer -D sim cget name='Line 09 (Headphones 2 L) Playback Volume' | grep -q 'values=64'"

# SIGTERM: a clean exit.
kill -TERM $pid
wait $pid
rv=$?
check "SIGTERM ends the service with status 0 (got $rv)" [ "$rv" = 0 ]
check "...and it says why" grep -q 'exiting on signal 15' "$TMP/log"

exec 3>&-

diag "$(cat "$TMP/log")"
done_testing
