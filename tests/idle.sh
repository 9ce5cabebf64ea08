#!/bin/sh
# Idle means asleep: after "ready", the service must make no system call
# in any thread: the main thread blocks in epoll_wait with no timeout, the
# writer thread on its condition variable, until a signal comes.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v strace >/dev/null || plan_skip "strace is missing"
strace -o /dev/null true 2>/dev/null || plan_skip "strace cannot trace here"
plan 5

STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
mkfifo "$TMP/in" "$TMP/out"
strace -f -ttt -T -o "$TMP/trace" "$SM" -d --simulate "$STATE" \
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

# Idle begins once start-up is over (the writer thread may still be
# starting when "ready" is written): from 0.5 s after "ready" until the
# signal, no thread may make a system call.  The main thread must sleep
# in one epoll_wait with no timeout, which the signal ends ~2 s later.
# With threads, strace splits a blocking call into an "<unfinished ...>"
# line and a "<... resumed>" line; -ttt puts the time in field 2.
main=$(awk '/write\(2, "ready\\n"/ { print $1; exit }' "$TMP/trace")
t0=$(awk '/write\(2, "ready\\n"/ { print $2; exit }' "$TMP/trace")
awk -v m="$main" -v t0="${t0:-0}" '$2 > t0 + 0.5 { print }
    $2 > t0 + 0.5 && $1 == m && /epoll_wait/ { exit }' \
    "$TMP/trace" >"$TMP/idle"
diag "$(cat "$TMP/idle")"
calls=$(grep -c . "$TMP/idle")
check "no system call while idle, in any thread (saw $((calls - 1)))" \
    [ "$calls" -eq 1 ]
# The call that ended: the main thread's epoll_wait, with no timeout.
awk -v m="$main" '$1 == m && /epoll_wait/' "$TMP/trace" |
    tail -n 2 >"$TMP/wait"
diag "$(cat "$TMP/wait")"
check "...the main thread sleeps in epoll_wait with no timeout" \
    sh -c "tail -n 1 '$TMP/idle' | grep -q 'epoll_wait resumed>.*, -1)' ||
    tail -n 1 '$TMP/idle' | grep -q 'epoll_wait([0-9]*, .*, -1)'"
# strace -T prints how long the call took: it must have slept ~2 s.
slept=$(tail -n 1 "$TMP/idle" | sed -n 's/.*<\([0-9]*\)\.[0-9]*>$/\1/p')
check "...that slept through the idle time (${slept:-?} s)" \
    [ "${slept:-0}" -ge 1 ]
# The writer thread is there, waiting on its condition variable.
awk -v m="$main" -v t0="${t0:-0}" '$2 > t0 + 0.5 { exit }
    $1 != m { last[$1] = $0 }
    END { for (p in last) print last[p] }' "$TMP/trace" >"$TMP/threads"
diag "$(cat "$TMP/threads")"
check "the writer thread is alive, blocked in futex all along" \
    grep -q 'futex(.*FUTEX_WAIT.*<unfinished \.\.\.>' "$TMP/threads"
done_testing
