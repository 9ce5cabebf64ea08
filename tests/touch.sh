#!/bin/sh
# End-to-end tests of motor faders with touch, on the shipped X-Touch (MC
# mode) file and the simulated Gen 3 18i20: every touch note comes on
# channel 1, as Mackie surfaces send them, and holds the feedback of its
# fader; a fader let go is sent the card's value, as a Mackie fader falls
# back to the last position it was sent.  The top of the taper is the
# top of the fader.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 9

# How many feedback messages have status byte $1 (such as e1).
status_count() { fb | grep -c "^ $1 "; }
# Whether more than $2 of them have come.
more_than() { [ "$(status_count "$1")" -gt "$2" ]; }
# Whether mix A input 1 has left the value $1.
not_at() { [ "$(cget 'Mix A Input 01 Playback Volume')" != "$1" ]; }

cset 'Mix A Input 01 Playback Volume' 100
cset 'Mix A Input 02 Playback Volume' 50
start_service "$STATE" \
    "$top_srcdir/mappings/x-touch-mackie--scarlett-3rd-gen-18i20.ini"
check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
check "fader 2 is sent its value" wait_for more_than e1 0
sleep 0.2
n=$(status_count e1)

# Fader 2 (pitch bend channel 2) touched: note 105 on channel 1.
send '\220\151\177'
sleep 0.1
cset 'Mix A Input 02 Playback Volume' 120
sleep 0.3
check "no feedback to fader 2 while it is touched" \
    test "$(status_count e1)" = "$n"
send '\220\151\000'
check "on release fader 2 is sent the new value" wait_for more_than e1 "$n"

# Fader 1 moved by the hand and let go: sent back where the card is.
sleep 0.2
n=$(status_count e0)
send '\220\150\177'
send '\340\000\060'
sleep 0.1
send '\340\000\040'
sleep 0.2
check "the hand moves fader 1" wait_for not_at 100
check "no feedback to fader 1 while the hand moves it" \
    test "$(status_count e0)" = "$n"
send '\220\150\000'
check "on release fader 1 is sent the card's value" \
    wait_for more_than e0 "$n"

# A fader at full gain is sent its top, 15935 (LSB 3f, MSB 7c), as the
# taper's ends meet.
cset 'Mix A Input 03 Playback Volume' 172
check "a fader at full gain goes to its top" wait_for fb_has 'e2 3f 7c'

stop_service
