#!/bin/sh
# End-to-end corners of what the man pages promise: list shows a gain
# whose minimum is mute as -inf dB; --midi-in on a regular file (a
# captured stream, or /dev/null) reads it to its end, and the service
# goes on running.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 10

# list: the 4th Gen 18i20's mixer gains are 0..32613, -inf..+12 dB.
"$SM" list --simulate "$DEVICES/Scarlett-Gen-4-18i20.state" >"$TMP/list" \
    2>"$TMP/err"
check "list: a mute minimum is -inf dB" grep -q \
    "^numid=[0-9]* name='Mix A Input 01 Playback Volume' INTEGER rw--- count=1 range=0..32613 dB=-inf\.\.12\.00\$" \
    "$TMP/list"
check "list: no dB is shown as a number below -1000" \
    sh -c "! grep -q 'dB=-[0-9]\{4,\}' '$TMP/list'"

# A capture: the 14-bit fader to its top, the mute toggled on, then the
# encoder one step up, with running status.
cset 'Mix A Input 01 Playback Volume' 0
cset 'Mute Playback Switch' off
cset 'Line 07 (Headphones 1 L) Playback Volume' 50
printf '\260\001\177\041\177\220\055\177\200\055\000\260\020\001' \
    >"$TMP/capture.mid"
: >"$TMP/fb"
"$SM" -d -v --simulate "$STATE" --midi-in "$TMP/capture.mid" \
    --midi-out "$TMP/fb" -f "$top_srcdir/tests/e2e/vocab.ini" \
    >"$TMP/log" 2>&1 &
pid=$!
check "a capture file is read to its end" wait_for grep -q \
    "capture.mid: end of input" "$TMP/log"
check "...and its fader move is replayed" \
    wait_for value_is 'Mix A Input 01 Playback Volume' 172
check "...and its toggle" wait_for value_is 'Mute Playback Switch' on
check "...and its encoder step" \
    wait_for value_is 'Line 07 (Headphones 1 L) Playback Volume' 51
cset 'Mix A Input 01 Playback Volume' 0
check "the service goes on: feedback of a change after the end" \
    wait_for grep -q "'Mix A Input 01 Playback Volume' = 0 ->" "$TMP/log"
kill -TERM $pid
wait $pid
rv=$?
pid=
check "SIGTERM ends it cleanly (status $rv)" [ "$rv" = 0 ]
diag "$(cat "$TMP/log")"

# /dev/null: no input at all, and no error.
"$SM" -d --simulate "$STATE" --midi-in /dev/null \
    -f "$top_srcdir/tests/e2e/vocab.ini" >"$TMP/log" 2>&1 &
pid=$!
check "--midi-in /dev/null: read to its end, the service runs on" \
    wait_for sh -c "grep -q '/dev/null: end of input' '$TMP/log' &&
    kill -0 $pid"
kill -TERM $pid
wait $pid
rv=$?
pid=
check "...and SIGTERM ends it cleanly (status $rv)" [ "$rv" = 0 ]
diag "$(cat "$TMP/log")"

done_testing
