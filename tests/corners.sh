#!/bin/sh
# End-to-end corners of what the man pages promise: list shows a gain
# whose minimum is mute as -inf dB; --midi-in on a regular file (a
# captured stream, or /dev/null) reads it to its end, and the service
# goes on running; snapshots leave phantom power and the other safety
# controls alone unless told to take them, and store enums by name.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 25

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

# Snapshots.
snap="$TMP/snap"
cat >"$TMP/snap.ini" <<EOI
[card]
name = Scarlett 18i20
snapshots = $snap

[save]
midi = note 90
action = save s1

[save-all]
midi = note 92
action = save s2
snapshot-all = yes

[recall]
midi = note 91
action = recall s2

[recall-all]
midi = note 93
action = recall s3
snapshot-all = yes
EOI
PH='Line In 1-4 Phantom Power Capture Switch'
cset "$PH" off
cset 'Speaker Switching Playback Enum' Main
cset 'Mix A Input 03 Playback Volume' 100
start_service "$STATE" "$TMP/snap.ini"
check "snapshots: the service starts" wait_for grep -q '^ready$' "$TMP/log"
send '\220\132\177\220\134\177'
check "a snapshot is saved" wait_for test -s "$snap/s1.snapshot"
check "...and one of every control" wait_for test -s "$snap/s2.snapshot"
check "...without phantom power" sh -c "! grep -q 'Phantom' '$snap/s1.snapshot'"
check "...nor clock source, MSD mode, Standalone" sh -c \
    "! grep -q 'Clock Source\|MSD Mode\|Standalone' '$snap/s1.snapshot'"
check "...with an enum by its item's name" grep -qx \
    "Speaker Switching Playback Enum = 'Main'" "$snap/s1.snapshot"
check "...and a gain by its value" grep -qx \
    'Mix A Input 03 Playback Volume = 100' "$snap/s1.snapshot"
check "snapshot-all = yes saves phantom power too" grep -qx \
    "$PH = 0" "$snap/s2.snapshot"
cset "$PH" on
cset 'Speaker Switching Playback Enum' Alt
cset 'Mix A Input 03 Playback Volume' 5
send '\220\133\177'
check "a recall sets the gain back" wait_for \
    value_is 'Mix A Input 03 Playback Volume' 100
check "...and the enum by name" wait_for \
    value_is 'Speaker Switching Playback Enum' 1
check "...and leaves phantom power on, though the file has it" \
    value_is "$PH" on
# A file of the older form, enums by number; recalled with snapshot-all.
printf '%s\n' 'Speaker Switching Playback Enum = 2' "$PH = 0" \
    'Mix A Input 03 Playback Volume = 7' >"$snap/s3.snapshot"
send '\220\135\177'
check "an old file with numbers is recalled" wait_for \
    value_is 'Mix A Input 03 Playback Volume' 7
check "...its enum by number" wait_for \
    value_is 'Speaker Switching Playback Enum' 2
check "...and snapshot-all = yes recalls phantom power" wait_for \
    value_is "$PH" off
kill -TERM $pid
wait $pid
rv=$?
pid=
exec 3>&-
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
check "SIGTERM ends it cleanly (status $rv)" [ "$rv" = 0 ]
diag "$(cat "$TMP/log")"

done_testing
