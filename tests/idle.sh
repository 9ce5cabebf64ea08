#!/bin/sh
# Idle means asleep: after "ready", the service must make no system call
# in any thread: the main thread blocks in epoll_wait with no timeout, the
# writer thread on its condition variable, until a signal comes.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v strace >/dev/null || plan_skip "strace is missing"
strace -o /dev/null true 2>/dev/null || plan_skip "strace cannot trace here"
plan 10

STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
mkfifo "$TMP/in" "$TMP/out"

# idle INI WHAT SETTLE [BYTES]: run the service on INI, send it BYTES
# (octal escapes) once it is ready, and check that from SETTLE seconds
# after "ready" on it makes no system call.
idle()
{
rm -f "$TMP/trace"
strace -f -ttt -T -o "$TMP/trace" "$SM" -d --simulate "$STATE" \
    --midi-in "$TMP/in" --midi-out "$TMP/out" \
    -f "$1" >"$TMP/log" 2>&1 &
pid=$!

i=0
while ! grep -q '^ready$' "$TMP/log" && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "$2: the service is ready" grep -q '^ready$' "$TMP/log"
[ -z "$4" ] || printf "$4" >"$TMP/in"
sleep $((2 + ${3%.*}))
# strace's pid is $pid; the service is its child.
pkill -TERM -P $pid -x scarlett-midi ||
    kill -TERM "$(pgrep -P $pid)" 2>/dev/null
wait $pid

# Idle begins once start-up is over (the writer thread may still be
# starting when "ready" is written) and ends with the signal: from SETTLE
# (0.5 s) after "ready" until the service logs the signal, no thread may start
# or end a system call, but for the main thread's epoll_wait that the
# signal ends.  That call must have no timeout and have slept ~2 s.
# With threads, strace may split a blocking call into "<unfinished ...>"
# and "<... resumed>" lines; -ttt puts the time in field 2, a call's
# start time when it is printed whole.
main=$(awk '/write\(2, "ready\\n"/ { print $1; exit }' "$TMP/trace")
t0=$(awk '/write\(2, "ready\\n"/ { print $2; exit }' "$TMP/trace")
tx=$(awk '/write\(2, "exiting on signal/ { print $2; exit }' "$TMP/trace")
# The main thread's last epoll_wait before the signal, and when it ended.
awk -v m="$main" -v tx="${tx:-0}" '$1 == m && /epoll_wait/ && $2 < tx' \
    "$TMP/trace" | tail -n 1 >"$TMP/wait"
te=$(awk '{ d = $NF; gsub(/[<>]/, "", d)
    printf "%.6f\n", /resumed>/ ? $2 : $2 + d }' "$TMP/wait")
awk -v m="$main" -v t0="${t0:-0}" -v te="${te:-0}" -v s="$3" '
    $2 > t0 + s && $2 < te &&
    !($1 == m && /<\.\.\. epoll_wait resumed>/)' \
    "$TMP/trace" >"$TMP/idle"
diag "$(cat "$TMP/idle")"
calls=$(grep -c . "$TMP/idle")
check "$2: no system call while idle, in any thread (saw $calls)" \
    [ "${te:-0}" != 0 -a "$calls" -eq 0 ]
diag "$(cat "$TMP/wait")"
check "$2: ...the main thread sleeps in epoll_wait with no timeout" \
    grep -q 'epoll_wait resumed>.*, -1) = \|epoll_wait([0-9]*, .*, -1) = ' \
    "$TMP/wait"
# strace -T prints how long the call took: it must have slept ~2 s.
slept=$(sed -n 's/.*<\([0-9]*\)\.[0-9]*>$/\1/p' "$TMP/wait")
check "$2: ...that slept through the idle time (${slept:-?} s)" \
    [ "${slept:-0}" -ge 1 ]
# The writer thread is there, waiting on its condition variable.
awk -v m="$main" -v t0="${t0:-0}" -v s="$3" '$2 > t0 + s { exit }
    $1 != m { last[$1] = $0 }
    END { for (p in last) print last[p] }' "$TMP/trace" >"$TMP/threads"
diag "$(cat "$TMP/threads")"
check "$2: the writer thread is alive, blocked in futex all along" \
    grep -q 'futex(.*FUTEX_WAIT.*<unfinished \.\.\.>' "$TMP/threads"
}

idle "$top_srcdir/tests/e2e/18i20.ini" "plain" 0.5
# Scribble strips: a fader move shows its value for display-hold (300 ms)
# on a timer; once the value is gone, the timer is too.
idle "$top_srcdir/tests/e2e/surfaces.ini" "strips" 1.0 '\260\001\100'
done_testing
