#!/bin/sh
# End-to-end tests of what surfaces need beside plain feedback: messages
# on connect, feedback in another form, scribble strips.  The built
# scarlett-midi on the simulated Gen 3 18i20 with tests/e2e/surfaces.ini,
# MIDI through FIFOs, controls read and set by amixer.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 5

# The feedback as one line of hex bytes, " f0 00 ... f7 b0 01 76".
bytes() { od -An -tx1 -v "$TMP/fb" | tr -s ' \n' '  '; }
# has_bytes HEX [N]: the feedback holds the bytes HEX in a row, at least
# N times.
has_bytes()
{
	[ "$(bytes | grep -o " $1" | wc -l)" -ge "${2:-1}" ]
}

CONNECT="f0 00 20 29 02 11 77 08 f7 b0 7f 00 c1 03"
cset 'Mix A Input 01 Playback Volume' 160

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

stop_service
