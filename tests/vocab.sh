#!/bin/sh
# End-to-end tests of the mapping vocabulary: the built scarlett-midi on
# the simulated Gen 3 18i20 with tests/e2e/vocab.ini, MIDI through FIFOs,
# controls read and set by amixer in other processes.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
XDG_STATE_HOME="$TMP/state"
export XDG_STATE_HOME
plan 30

# The element value a 14-bit position v gives on 0..172, and back.
to_elem() { echo $(( ($1 * 172 * 2 + 16383) / (2 * 16383) )); }
to_midi() { echo $(( ($1 * 16383 * 2 + 172) / (2 * 172) )); }
# Two hex digits.
hex() { printf '%02x' "$1"; }

# Known values before the service starts.
cset 'Mix A Input 01 Playback Volume' 0
cset 'Line 07 (Headphones 1 L) Playback Volume' 50
cset 'Mix A Input 04 Playback Volume' 86
cset 'Speaker Switching Playback Enum' Off

start_service "$STATE" "$top_srcdir/tests/e2e/vocab.ini"
check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
check "every mapping is bound" grep -q '14 of 14 mappings bound' "$TMP/log"

# 14-bit fader: MSB then LSB.
send '\260\001\120\260\041\021'
v=$((0x50 << 7 | 0x11))
check "cc14 1 = $v sets the mix gain to $(to_elem $v)" wait_for value_is \
    'Mix A Input 01 Playback Volume' "$(to_elem $v)"
send '\260\001\177\260\041\177'
check "cc14 1 at the top sets 172" wait_for value_is \
    'Mix A Input 01 Playback Volume' 172
cset 'Mix A Input 01 Playback Volume' 160
v=$(to_midi 160)
check "amixer sets 160: MSB and LSB go out" wait_for sh -c \
    "od -An -tx1 -v -w3 '$TMP/fb' | tr '\n' ' ' | grep -q 'b0 01 $(hex $((v >> 7)))  b0 21 $(hex $((v & 127)))'"

# Encoder: +1, then -3, then two quick +3.
send '\260\020\001'
check "an encoder step up: 50 -> 51" wait_for value_is \
    'Line 07 (Headphones 1 L) Playback Volume' 51
sleep 0.1
send '\260\020\175'
check "three steps down: 51 -> 48" wait_for value_is \
    'Line 07 (Headphones 1 L) Playback Volume' 48
send '\260\020\003\260\020\003'
check "two quick moves of 3 add up: 48 -> 54" wait_for value_is \
    'Line 07 (Headphones 1 L) Playback Volume' 54

# Toggle with LED.
send '\220\055\177\200\055\000'
check "a press toggles Mute on" wait_for value_is 'Mute Playback Switch' on
check "...and lights its LED" wait_for fb_has "90 2d 7f"
send '\220\055\177\200\055\000'
check "a second press toggles it off" wait_for value_is \
    'Mute Playback Switch' off
check "...and its LED goes dark" wait_for fb_has "90 2d 00" 2

# Enum stepped by a button, and a button for one item.
send '\220\062\177'
check "up: Off -> Main" wait_for value_is \
    'Speaker Switching Playback Enum' 1
send '\220\062\177'
check "up: Main -> Alt" wait_for value_is \
    'Speaker Switching Playback Enum' 2
check "...and the Alt button lights" wait_for fb_has "90 33 7f"
send '\220\062\177'
check "up wraps: Alt -> Off" wait_for value_is \
    'Speaker Switching Playback Enum' 0
check "...and the Alt button goes dark" wait_for fb_has "90 33 00" 2

# Stereo pair: one knob, two elements, one feedback message.
send '\260\005\100'
check "one knob sets both sides of a pair" wait_for sh -c \
    "amixer -D sim cget name='Line 09 (Headphones 2 L) Playback Volume' | grep -q 'values=64' && amixer -D sim cget name='Line 10 (Headphones 2 R) Playback Volume' | grep -q 'values=64'"
cset 'Line 09 (Headphones 2 L) Playback Volume' 100
cset 'Line 10 (Headphones 2 R) Playback Volume' 100
check "amixer moves the pair: its knob is told once" wait_for sh -c \
    "[ \$(od -An -tx1 -v -w3 '$TMP/fb' | grep -c '^ b0 05 64\$') = 1 ]"

# Layers.
send '\260\007\177'
check "in layer mix-a, CC 7 sets mix A input 2" wait_for value_is \
    'Mix A Input 02 Playback Volume' 172
cset 'Mix B Input 02 Playback Volume' 0
send '\220\074\177\200\074\000'
check "a layer button switches to mix-b" wait_for grep -q 'layer mix-b' \
    "$TMP/log"
send '\260\007\100'
check "now CC 7 sets mix B input 2" wait_for value_is \
    'Mix B Input 02 Playback Volume' 87
check "...and leaves mix A input 2 alone" value_is \
    'Mix A Input 02 Playback Volume' 172

# Snapshots: save, change, recall.
cset 'Mix A Input 03 Playback Volume' 100
send '\220\132\177'
snap="$XDG_STATE_HOME/scarlett-midi/snapshots/test.snapshot"
check "a button saves a snapshot" wait_for grep -q \
    '^Mix A Input 03 Playback Volume = 100$' "$snap"
cset 'Mix A Input 03 Playback Volume' 5
send '\220\133\177'
check "another recalls it" wait_for value_is \
    'Mix A Input 03 Playback Volume' 100

# Pickup: the card is at 86 (MIDI 63); the knob comes from 10.
send '\260\010\012'
sleep 0.1
send '\260\010\074'
sleep 0.3
check "a knob far from the value does nothing" value_is \
    'Mix A Input 04 Playback Volume' 86
send '\260\010\076'
check "near it, the knob takes over" wait_for value_is \
    'Mix A Input 04 Playback Volume' 84

# Touch: no feedback to a touched fader, then the value on release.
# 100 of 172 is 9265 of 15935: LSB 0x31, MSB 0x48.
send '\220\150\177'
sleep 0.1
cset 'Mix A Input 05 Playback Volume' 100
sleep 0.3
check "no feedback while the fader is touched" test "$(fb_count 'e0 31 48')" = 0
send '\220\150\000'
check "on release the fader is sent the value" wait_for fb_has 'e0 31 48'

stop_service
