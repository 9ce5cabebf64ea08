#!/bin/sh
# The user's tools, end to end on the simulated Gen 3 18i20: check binds a
# file against a card and names what the card lacks; learn prints a
# section that -n accepts; monitor prints what goes in and out.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 13

# check
"$SM" check --simulate "$STATE" -f "$top_srcdir/mappings/scarlett-3rd-gen-18i20.ini" \
    >"$TMP/out" 2>"$TMP/err"
check "check: a shipped file binds on its card (exit $?)" [ $? = 0 ]
check "...and says so" grep -q 'every control is there' "$TMP/err"
cat >"$TMP/bad.ini" <<'EOI'
[a]
midi = cc 1
control = Mix A Input 01 Playback Volume

[b]
midi = cc 2
control = Mix Z Input 01 Playback Volume
EOI
"$SM" check --simulate "$STATE" -f "$TMP/bad.ini" >"$TMP/out" 2>"$TMP/err"
check "check: a control the card lacks fails it (exit $?)" [ $? = 1 ]
check "...and is named at its line" grep -q \
    "bad.ini:7: .* has no control 'Mix Z Input 01 Playback Volume'" "$TMP/err"

# learn, told the card only: a 14-bit fader, then a control changes.
mkfifo "$TMP/in" "$TMP/learned"
exec 3<>"$TMP/in"
"$SM" learn --simulate "$STATE" --midi-in "$TMP/in" >"$TMP/section" \
    2>"$TMP/log" &
pid=$!
wait_for grep -q 'move one control' "$TMP/log"
send '\260\002\100\260\042\000\260\002\101\260\042\020'
check "learn: asks for the control once the surface is quiet" wait_for \
    grep -q 'now change the control' "$TMP/log"
cset 'Mix A Input 03 Playback Volume' 33
wait $pid
check "learn: exits once it has both (status $?)" [ $? = 0 ]
check "learn: prints a 14-bit mapping for the changed control" grep -qx \
    'midi = cc14 2 channel 1' "$TMP/section"
check "...naming the control" grep -qx \
    'control = Mix A Input 03 Playback Volume' "$TMP/section"
"$SM" -n -f "$TMP/section" 2>"$TMP/err"
check "...that -n accepts (exit $?)" [ $? = 0 ]
diag "$(cat "$TMP/section")"

# learn, told the control: an encoder.
"$SM" learn --simulate "$STATE" --midi-in "$TMP/in" \
    'Line 07 (Headphones 1 L) Playback Volume' >"$TMP/section" \
    2>"$TMP/log" &
pid=$!
wait_for grep -q 'move one control' "$TMP/log"
send '\260\020\001\260\020\002\260\020\177'
wait $pid
check "learn: with a control named, the surface is enough (status $?)" \
    [ $? = 0 ]
check "...and an encoder is recognised" grep -qx \
    'encoder = twos-complement' "$TMP/section"
exec 3>&-
rm -f "$TMP/in" "$TMP/learned"

# monitor
cat >"$TMP/mon.ini" <<'EOI'
[fader]
midi = cc 1
control = Mix A Input 01 Playback Volume
EOI
rm -f "$TMP/in" "$TMP/out"
mkfifo "$TMP/in" "$TMP/out"
cat "$TMP/out" >/dev/null &
exec 3<>"$TMP/in"
"$SM" monitor --simulate "$STATE" --midi-in "$TMP/in" --midi-out "$TMP/out" \
    -f "$TMP/mon.ini" >"$TMP/mon" 2>"$TMP/log" &
pid=$!
wait_for grep -q '^ready$' "$TMP/log"
send '\260\001\177\260\011\005'
check "monitor: shows the message, the write, and unmapped input" wait_for \
    sh -c "grep -qx 'midi cc 1 channel 1 = 127' '$TMP/mon' &&
    grep -qx \"write \\[fader\\] 'Mix A Input 01 Playback Volume' = 172\" '$TMP/mon' &&
    grep -qx 'midi cc 9 channel 1 = 5' '$TMP/mon'"
cset 'Mix A Input 01 Playback Volume' 0
check "monitor: shows the feedback" wait_for grep -qx \
    'feedback \[fader\] cc 1 channel 1 = 0' "$TMP/mon"
kill -TERM $pid
wait $pid
exec 3>&-
diag "$(cat "$TMP/mon")"
done_testing
