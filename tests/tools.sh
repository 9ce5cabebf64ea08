#!/bin/sh
# The user's tools, end to end on the simulated Gen 3 18i20: check binds a
# file against a card and names what the card lacks; learn prints a
# section that -n accepts; monitor prints what goes in and out.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 26

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

# learn, told a control the card lacks: an error, and no section to
# append to a file.
"$SM" learn --simulate "$STATE" --midi-in "$TMP/in" \
    'Line 07 (Headphones 1 L) Playback Volum' >"$TMP/section" \
    2>"$TMP/log"
check "learn: a misspelt control fails (status $?)" [ $? = 1 ]
check "...printing no section, and saying so in one line" sh -c \
    "[ ! -s '$TMP/section' ] && grep -q \"has no control 'Line 07 (Headphones 1 L) Playback Volum' ('scarlett-midi list' names them)\" '$TMP/log'"
exec 3>&-
rm -f "$TMP/in" "$TMP/learned"

# monitor: attached to a running service, it shows what goes in and out.
"$SM" monitor >"$TMP/mon" 2>"$TMP/err"
check "monitor: without a service it says so (exit $?)" [ $? = 1 ]
check "...in one line" grep -qx \
    "no scarlett-midi service is running ($XDG_RUNTIME_DIR/scarlett-midi.sock)" \
    "$TMP/err"
cat >"$TMP/mon.ini" <<EOI
[card]
snapshots = $TMP/snap

[fader]
midi = cc 1
control = Mix A Input 01 Playback Volume

[save]
midi = note 1
action = save s1

[recall]
midi = note 2
action = recall s1
EOI
rm -f "$TMP/in" "$TMP/out"
start_service "$STATE" "$TMP/mon.ini"
wait_for grep -q '^ready$' "$TMP/log"
"$SM" monitor >"$TMP/mon" 2>"$TMP/mon.err" &
mpid=$!
wait_for sh -c "grep -q 'scarlett-midi-test' /proc/net/unix && sleep 0.2"
send '\260\001\177\260\011\005'
check "monitor: shows the message, the write, and unmapped input" wait_for \
    sh -c "grep -qx 'midi cc 1 channel 1 = 127' '$TMP/mon' &&
    grep -qx \"write \\[fader\\] 'Mix A Input 01 Playback Volume' = 172\" '$TMP/mon' &&
    grep -qx 'midi cc 9 channel 1 = 5' '$TMP/mon'"
cset 'Mix A Input 01 Playback Volume' 0
check "monitor: shows the feedback" wait_for grep -qx \
    'feedback \[fader\] cc 1 channel 1 = 0' "$TMP/mon"

# A burst of 100 values for one fader is 100 messages but few writes,
# and monitor shows the writes as they are made, the last one last.
burst=
for i in $(seq 1 99); do
	burst="$burst\\260\\001\\$(printf '%03o' $((i + 20)))"
done
burst="$burst\\260\\001\\177"
m0=$(wc -l <"$TMP/mon")
send "$burst"
wait_for sh -c "[ \$(tail -n +$((m0 + 1)) '$TMP/mon' | grep -c '^midi cc 1 ') = 100 ]"
wait_for grep -q "write .* = 172$" "$TMP/mon"
sleep 0.3
writes=$(tail -n +$((m0 + 1)) "$TMP/mon" | grep -c '^write ')
check "monitor: a burst of 100 messages is a few writes ($writes), not 100" \
    [ "$writes" -ge 1 -a "$writes" -le 5 ]
check "...the last of them the final value" sh -c \
    "tail -n +$((m0 + 1)) '$TMP/mon' | grep '^write ' | tail -n 1 |
    grep -qx \"write \\[fader\\] 'Mix A Input 01 Playback Volume' = 172\""
# A snapshot recall's writes are shown too.
cset 'Mix A Input 01 Playback Volume' 10
send '\220\001\177\200\001\000'
wait_for test -f "$TMP/snap/s1.snapshot"
send '\260\001\000'
wait_for grep -qx "write \[fader\] 'Mix A Input 01 Playback Volume' = 0" \
    "$TMP/mon"
m0=$(wc -l <"$TMP/mon")
send '\220\002\177\200\002\000'
check "monitor: shows the writes of a snapshot recall" wait_for sh -c \
    "tail -n +$((m0 + 1)) '$TMP/mon' |
    grep -qx \"write \\[fader\\] 'Mix A Input 01 Playback Volume' = 10\""

# status: the running service's cards, surfaces, layer.
"$SM" status >"$TMP/status" 2>"$TMP/err"
check "status: the running service answers (exit $?)" [ $? = 0 ]
check "...with its card and bindings" grep -q \
    "^card '.*': sim:.* '.*18i20.*', [0-9]* controls, 3 bound\$" "$TMP/status"
check "...its raw MIDI files and layer" sh -c \
    "grep -q '^raw MIDI: in $TMP/in, out $TMP/out\$' '$TMP/status' &&
    grep -qx 'layer: none' '$TMP/status'"
diag "$(cat "$TMP/status")"

# One instance: a second start is refused, naming the first.
"$SM" -d --simulate "$STATE" -f "$TMP/mon.ini" --midi-in /dev/null \
    >"$TMP/second" 2>&1
check "a second service is refused (exit $?)" [ $? = 1 ]
check "...naming the running one's pid" grep -q \
    "scarlett-midi is running already (pid $pid)" "$TMP/second"

kill -TERM $pid
wait $pid
check "monitor: ends when the service does" wait_for sh -c "! kill -0 $mpid"
wait $mpid
diag "$(cat "$TMP/mon")"
done_testing
