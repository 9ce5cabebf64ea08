#!/bin/sh
# End-to-end tests of what surfaces need beside plain feedback: messages
# on connect, feedback in another form, scribble strips.  The built
# scarlett-midi on the simulated Gen 3 18i20 with tests/e2e/surfaces.ini,
# MIDI through FIFOs, controls read and set by amixer.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 21

# The feedback as one line of hex bytes, " f0 00 ... f7 b0 01 76".
bytes() { od -An -tx1 -v "$TMP/fb" | tr -s ' \n' '  '; }
# has_bytes HEX [N]: the feedback holds the bytes HEX in a row, at least
# N times.
has_bytes()
{
	[ "$(bytes | grep -o " $1" | wc -l)" -ge "${2:-1}" ]
}

CONNECT="f0 00 20 29 02 11 77 08 f7 b0 7f 00 c1 03"
# lcd POS TEXT: the Mackie LCD SysEx that writes TEXT, padded to 7, at
# POS (0-55 the top line, 56-111 the bottom).
lcd()
{
	printf 'f0 00 00 66 14 12 %02x' "$1"
	printf '%-7.7s' "$2" | od -An -tx1 -v | tr -s ' \n' '  ' |
	    sed 's/ *$//'
	printf ' f7'
}
cset 'Mix A Input 01 Playback Volume' 160
cset 'Line 07 (Headphones 1 L) Playback Volume' 63
cset 'Mute Playback Switch' off

start_service "$STATE" "$top_srcdir/tests/e2e/surfaces.ini"
check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
check "the connect messages go first, in order: SysEx, CC, program" \
    wait_for sh -c "od -An -tx1 -v '$TMP/fb' | tr -s ' \n' '  ' |
    grep -q '^ $CONNECT b0 01 76'"

# A reload connects the surfaces again: the messages, then the state.
kill -HUP $pid
check "a reload sends them again, then the full state" \
    wait_for has_bytes "$CONNECT b0 01 76" 2
cset 'Mix A Input 01 Playback Volume' 0
check "...and values go on as before" wait_for has_bytes "b0 01 00"

# Feedback in another form.
check "the V-Pot's ring: 63 of 127 is wrap (2) position 6 on CC 48" \
    has_bytes "b0 30 26"
send '\260\020\012'
check "V-Pot +10: the headphones go to 73" wait_for value_is \
    'Line 07 (Headphones 1 L) Playback Volume' 73
check "...and the ring moves to position 7, though the V-Pot turned" \
    wait_for has_bytes "b0 30 27"
check "...and nothing goes back on the V-Pot's own CC 16" \
    sh -c "! od -An -tx1 -v '$TMP/fb' | tr -s ' \n' '  ' | grep -q 'b0 10'"
check "the LED of the Mute button starts off: note 0 channel 1 = 0" \
    has_bytes "90 00 00"
send '\232\010\177\212\010\000'
check "a press of note 8 on channel 11 toggles Mute on" wait_for value_is \
    'Mute Playback Switch' on
check "...and lights its LED with 1: note 0 channel 1 = 1" \
    wait_for has_bytes "90 00 01"
cset 'Mute Playback Switch' off
check "amixer turns it off: the LED goes dark" wait_for has_bytes "90 00 00" 3

# Scribble strips.
check "strip 1's label is on the top line: Mix A1" \
    has_bytes "$(lcd 0 'Mix A1')"
check "strip 2 shows a short form of its control's name: L07H1L" \
    has_bytes "$(lcd 7 L07H1L)"
check "strip 3 shows the active layer's label: A2" has_bytes "$(lcd 14 A2)"
blank=$(bytes | grep -o " $(lcd 56 '')" | wc -l)
cset 'Mix A Input 01 Playback Volume' 148
check "a change shows its value in dB on the bottom line: -6.0dB" \
    wait_for has_bytes "$(lcd 56 -6.0dB)"
check "...and the bottom line is blank again after display-hold" \
    wait_for has_bytes "$(lcd 56 '')" $((blank + 1))
cset 'Mute Playback Switch' on
cset 'Line 07 (Headphones 1 L) Playback Volume' 0
check "the V-Pot's strip shows its bottom, -127 dB, as -127dB" \
    wait_for has_bytes "$(lcd 63 -127dB)"
send '\220\057\177'
check "a layer switch rewrites the strips: B2 on strip 3" \
    wait_for has_bytes "$(lcd 14 B2)"
check "...and the labels of the others again" \
    wait_for has_bytes "$(lcd 0 'Mix A1')" 3

stop_service
