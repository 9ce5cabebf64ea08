#!/bin/sh
# Idle means asleep: after "ready", the service must make exactly one
# system call, a blocking epoll_wait with no timeout, until a signal comes.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v strace >/dev/null || plan_skip "strace is missing"
strace -o /dev/null true 2>/dev/null || plan_skip "strace cannot trace here"
plan 4

STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
mkfifo "$TMP/in" "$TMP/out"
strace -f -T -o "$TMP/trace" "$SM" -d --simulate "$STATE" \
    --midi-in "$TMP/in" --midi-out "$TMP/out" \
    -f "$top_srcdir/tests/e2e/18i20.ini" >"$TMP/log" 2>&1 &
pid=$!

i=0
while ! grep -q '^ready$' "$TMP/log" && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "the service is ready" grep -q '^ready$' "$TMP/log"
sleep 2
# strace's pid is $pid; the service is its child.
pkill -TERM -P $pid -x scarlett-midi ||
    kill -TERM "$(pgrep -P $pid)" 2>/dev/null
wait $pid

# The system calls after the one that wrote "ready", up to the first
# epoll_wait: if the service idles properly, that is the only one, and
# it returned only because of the signal, 2 s later.
awk '/write\(2, "ready\\n"/ { on = 1; next }
    on { print }
    on && /epoll_wait\(/ { exit }' "$TMP/trace" >"$TMP/idle"
diag "$(cat "$TMP/idle")"
calls=$(grep -c . "$TMP/idle")
check "one system call while idle (saw $calls)" [ "$calls" -eq 1 ]
check "...and it is epoll_wait with no timeout" \
    grep -q 'epoll_wait([0-9]*, .*, -1)' "$TMP/idle"
# strace -T prints how long the call took: it must have slept ~2 s.
slept=$(sed -n 's/.*<\([0-9]*\)\.[0-9]*>$/\1/p' "$TMP/idle")
check "...that slept through the idle time (${slept:-?} s)" \
    [ "${slept:-0}" -ge 1 ]
done_testing
