#!/bin/sh
# The write path (issue 11): element writes run on the writer thread, so
# the service reads MIDI and card events while the card takes its time;
# the latest value per element wins; a write that fails or is refused
# shows the surface the card's value again; retries get past a cache
# like scarlett2's.  The simulated Gen 3 18i20 plays a slow or failing
# device through sim-hw's faults.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
[ -x "$SIMHW" ] || plan_skip "tests/sim-hw not built"
BF="$top_builddir/bench/bench-flood"
[ -x "$BF" ] || plan_skip "bench/bench-flood not built"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
MIX1="Mix A Input 01 Playback Volume"
MIX2="Mix A Input 02 Playback Volume"
AIR="Line In 1 Air Capture Switch"
DELAY=40
sim_conf sim "$STATE"
plan 42

# hw_is NAME VALUE: the device holds VALUE (what clients read may differ
# in cache mode).
hw_is()
{
	[ "$("$SIMHW" "$STATE" get "$1")" = "$2" ]
}

fault()
{
	"$SIMHW" "$STATE" fault "$@"
}

transfers()
{
	"$SIMHW" "$STATE" transfers
}

writes()
{
	"$SIMHW" "$STATE" writes
}

# nlog TEXT: how many lines of the log contain TEXT, leaving out the
# debug lines of retries (-v).
nlog()
{
	grep "$1" "$TMP/log" | grep -vc '; try [0-9]* of'
}

# fb_more MSG N: the feedback holds MSG more than N times.
fb_more()
{
	[ "$(fb_count "$1")" -gt "$2" ]
}

# soon TRIES CMD...: wait_for with TRIES times 50 ms.
soon()
{
	_old=${WAIT_TRIES:-100}
	WAIT_TRIES=$1
	shift
	wait_for "$@"
	_rv=$?
	WAIT_TRIES=$_old
	return $_rv
}

# truth_is VALUE: clients read VALUE of fader 1, and the device holds it.
truth_is()
{
	[ "$(cget "$MIX1")" = "$1" ] && hw_is "$MIX1" "$1"
}

# threads N: the service has N threads.
threads()
{
	[ "$(ls "/proc/$pid/task" | wc -l)" = "$1" ]
}

# reopened: the card was opened a second time, with a writer thread.
reopened()
{
	wait_for opened 2 && wait_for threads 2
}

# opened N: the card was opened N times.
opened()
{
	[ "$(nlog "opened 'Scarlett Gen 3 18i20'")" = "$1" ]
}

now_ms()
{
	date +%s%3N
}

# quiet: wait until the card has taken no write for 0.5 s.
quiet()
{
	_w=$(writes)
	_i=0
	while [ $_i -lt 40 ]; do
		sleep 0.5
		[ "$(writes)" = "$_w" ] && return 0
		_w=$(writes)
		_i=$((_i + 1))
	done
	return 1
}

start_service "$STATE" "$top_srcdir/tests/e2e/writer.ini"
check "the service is ready" wait_for grep -q '^ready$' "$TMP/log"

# --- A flood on 8 faders, 40 ms per write ------------------------------
# bench-flood sends 4000 CC/s round robin on CC 1..8 for 3 s, the last
# message of each fader 127; it reports the bytes left unread when it
# sent its last one, and the time until every fader held its top value.
fault delay=$DELAY
w0=$(writes)
"$BF" -r 4000 -s 3 -f 8 "$STATE" "$TMP/in" >"$TMP/flood" &
bfpid=$!
# Meanwhile the Air button on the interface is pressed: the surface
# must see it at once, not after a round of writes.
# (Timed from when sim-hw, which loads the state file, has sent the
# card's event.)
sleep 1
"$SIMHW" "$STATE" set "$AIR" on
t0=$(now_ms)
soon 40 fb_has "90 24 7f"
t1=$(now_ms)
wait $bfpid
sleep 1
w2=$(writes)
diag "$(cat "$TMP/flood")"
sent=$(sed -n 's/^sent=//p' "$TMP/flood")
pending=$(sed -n 's/^bytes_pending=//p' "$TMP/flood")
secs=$(sed -n 's/^send_seconds=//p' "$TMP/flood")
lat=$(sed -n 's/^latency_ms=//p' "$TMP/flood")
nw=$(sed -n 's/^writes=//p' "$TMP/flood")
round=$((8 * DELAY))
check "flood: $sent events sent in $secs s, read as they came ($pending bytes unread at the end)" \
    [ "${pending:-99999}" -ge 0 -a "${pending:-99999}" -lt 4096 ]
check "flood: a front-panel change meanwhile reaches the surface in $((t1 - t0)) ms (a round of writes: $round ms)" \
    [ $((t1 - t0)) -lt 200 ]
check "flood: every final value on the card ${lat} ms after the last byte (two rounds: $((2 * round)) ms)" \
    awk "BEGIN { exit !(\"$lat\" + 0 > 0 && \"$lat\" + 0 <= $((2 * round))) }"
check "flood: $nw writes for $sent events (latest value wins), none after the final values" \
    [ -n "$nw" -a "$((w2 - w0))" = "$nw" ]
diag "writes per event: $(awk "BEGIN { printf \"%.4f\", $nw / $sent }")"
check "flood: no input overrun in the log" [ "$(nlog overrun)" = 0 ]

# --- The loop reads while a write takes 1.5 s ---------------------------
fault delay=1500
send '\260\001\000'
sleep 0.2
"$SIMHW" "$STATE" set "$MIX2" 0
t0=$(now_ms)
soon 40 fb_has "b0 02 00"
t1=$(now_ms)
check "a front-panel change reaches the surface while a write is under way ($((t1 - t0)) ms)" \
    [ $((t1 - t0)) -lt 1000 ]
check "...and the slow write was still under way then" hw_is "$MIX1" 172
check "...and lands later" wait_for hw_is "$MIX1" 0
fault delay=0
quiet

# --- A write that fails: retried, given up, the surface shown the card ---
"$SIMHW" "$STATE" set "$MIX1" 172
wait_for fb_has "b0 01 7f"
c0=$(fb_count "b0 01 7f")
t0=$(transfers)
fault fail=5 error=EIO
send '\260\001\100'
check "5 failed tries: one line" wait_for grep -q \
    "cannot write '$MIX1': Input/output error; gave up after 5 tries" \
    "$TMP/log"
check "...logged once ($(nlog 'Input/output error'))" \
    [ "$(nlog 'Input/output error')" = 1 ]
check "...the surface is shown the card's value again (CC 1 = 127)" \
    wait_for fb_more "b0 01 7f" "$c0"
check "...which the device holds" hw_is "$MIX1" 172
quiet
check "...after 5 tries and the value put back: 6 transfers (saw $(($(transfers) - t0)))" \
    [ $(($(transfers) - t0)) = 6 ]

# --- The driver's cache, as scarlett2 has it ----------------------------
# A put that fails leaves its value cached, and a put of the cached value
# does nothing: amixer shows it, sim-hw plays the device.
fault cache=on fail=1 error=EINVAL
t0=$(transfers)
check "cache: a failed put is an error" sh -c "! amixer -D sim -q cset \"name='$MIX1'\" 10 2>/dev/null"
check "...reads show the new value" value_is "$MIX1" 10
check "...the device has the old one" hw_is "$MIX1" 172
cset "$MIX1" 10
check "...putting the same value again is no transfer ($(($(transfers) - t0)) in all)" \
    [ $(($(transfers) - t0)) = 1 ]
check "...and the device still has the old value" hw_is "$MIX1" 172
cset "$MIX1" 172
quiet

# Through the service: a retry of the same value gets past the cache.
fault fail=1 error=EINVAL
t0=$(transfers)
send '\260\001\000'
check "a retry reaches the device despite the cache" wait_for hw_is "$MIX1" 0
quiet
check "...in 3 transfers: the failed one, the card's value, the wanted one (saw $(($(transfers) - t0)))" \
    [ $(($(transfers) - t0)) = 3 ]
check "...with no line logged" [ "$(nlog 'Invalid argument')" = 0 ]

# Given up under the cache: the card's value is put back, so reads tell
# the truth again and the surface shows it.
c0=$(fb_count "b0 01 00")
fault fail=5 error=EINVAL
send '\260\001\100'
check "given up under the cache: one line" wait_for grep -q \
    "cannot write '$MIX1': Invalid argument; gave up after 5 tries" \
    "$TMP/log"
quiet
check "...reads tell the truth again ($(cget "$MIX1") = $("$SIMHW" "$STATE" get "$MIX1"))" \
    truth_is 0
check "...and the surface is shown it (CC 1 = 0)" \
    wait_for fb_more "b0 01 00" "$c0"
fault cache=off fail=0 error=EIO
quiet

# --- Refused writes: no retry, the card's value at once -----------------
"$SIMHW" "$STATE" access "$MIX1" ro
sleep 0.2
c0=$(fb_count "b0 01 00")
t0=$(transfers)
send '\260\001\177'
check "read-only: the surface is shown the card's value at once" \
    soon 10 fb_more "b0 01 00" "$c0"
check "...nothing is written" [ "$(transfers)" = "$t0" ]
"$SIMHW" "$STATE" access "$MIX1" rw
sleep 0.2
# A write that works ends the cause of the last failure.
send '\260\001\177'
wait_for hw_is "$MIX1" 172

# The element looks writable but the driver refuses (EPERM).
"$SIMHW" "$STATE" access "$MIX1" lock
sleep 0.2
c0=$(fb_count "b0 01 7f")
t0=$(transfers)
send '\260\001\000'
check "refused by the driver: the surface is shown the card's value at once" \
    soon 10 fb_more "b0 01 7f" "$c0"
check "...logged once, not tried again" [ "$(nlog "cannot write '$MIX1': Operation not permitted")" = 1 -a \
    "$(nlog 'Operation not permitted; gave up')" = 0 ]
check "...nothing reached the device" [ "$(transfers)" = "$t0" ]
"$SIMHW" "$STATE" access "$MIX1" unlock

# An LED: a toggle pressed on a read-only switch shows off again.
"$SIMHW" "$STATE" set "$AIR" off
"$SIMHW" "$STATE" access "$AIR" ro
sleep 0.2
c0=$(fb_count "90 24 00")
send '\220\044\177'
check "a toggle refused: its LED shows the switch is off" \
    wait_for fb_more "90 24 00" "$c0"
check "...which it is" hw_is "$AIR" off
"$SIMHW" "$STATE" access "$AIR" rw

# --- Idle after all this: both threads asleep ---------------------------
quiet
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	timeout -s INT 1 strace -f -p $pid -o "$TMP/trace" 2>/dev/null
	diag "$(cat "$TMP/trace")"
	check "idle: no system call in 1 s, in any thread" \
	    sh -c "! grep -v 'unfinished \.\.\.>\|detached \.\.\.>' '$TMP/trace' | grep -q ."
	check "...in 2 threads: the loop and the writer" \
	    [ "$(awk '{ print $1 }' "$TMP/trace" | sort -u | wc -l)" = 2 ]
else
	ok "idle: no system call in 1 s # SKIP strace cannot trace here"
	ok "...in 2 threads # SKIP strace cannot trace here"
fi

# --- The card unplugged under a write -----------------------------------
c0=$(fb_count "b0 01 7f")
fault delay=1000
send '\260\001\020'
sleep 0.3
fault delay=1000 gone=on
check "unplugged during a 1 s write: the card is closed" \
    wait_for grep -q 'closed; send SIGHUP to open it again' "$TMP/log"
# Closing joins the writer thread, which returns from the write first.
check "...the writer thread returned from the write and was joined" \
    wait_for threads 1
check "...the write did not reach the device" hw_is "$MIX1" 172
check "...and the service runs on" kill -0 $pid
fault delay=0 gone=off
kill -HUP $pid
check "SIGHUP opens it again, with its writer thread" reopened
check "...and sends the full state (CC 1 = 127)" wait_for fb_more "b0 01 7f" "$c0"

# --- Exit while a write is under way ------------------------------------
fault delay=1000
send '\260\001\040'
sleep 0.3
t0=$(now_ms)
kill -TERM $pid
wait $pid
rv=$?
t1=$(now_ms)
pid=
check "SIGTERM during a 1 s write: status $rv after $((t1 - t0)) ms" \
    [ "$rv" = 0 -a $((t1 - t0)) -lt 3000 ]
check "no line of the log reports a crash or a fatal error" \
    sh -c "! grep -qi 'fatal\|sanitizer\|segmentation' '$TMP/log'"
exec 3>&-
grep -v '^ready$' "$TMP/log" | grep -v "^'\\|^cc \\|^note " | tail -n 40 |
    sed 's/^/# log: /'
done_testing
