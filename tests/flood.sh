#!/bin/sh
# Floods and failing writes: the built service against the simulated Gen 3
# 18i20 through a MIDI FIFO.  Writes the card refuses are logged once per
# cause; a million random bytes and a 10 MB SysEx leave it running, with
# memory flat.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -r /proc/self/status ] || plan_skip "no /proc"
[ -x "$SIMHW" ] || plan_skip "tests/sim-hw not built"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
MIX="Mix A Input 01 Playback Volume"
PHONES="Line 07 (Headphones 1 L) Playback Volume"
LEVEL="Line In 1 Level Capture Enum"
plan 14
# Under ASan, freed memory waits in a quarantine and shadow memory
# grows: memory figures mean nothing there, so those checks are skipped.
asan=
ldd "$SM" 2>/dev/null | grep -q libasan && asan=" # SKIP ASan build"

# mcheck DESCRIPTION TEST...: a memory check, skipped under ASan.
mcheck()
{
	if [ -n "$asan" ]; then
		ok "$1$asan"
	else
		check "$@"
	fi
}

mkfifo "$TMP/in" "$TMP/out"
cat "$TMP/out" >/dev/null &
catpid=$!
exec 3<>"$TMP/in"
${VALGRIND:-} "$SM" -d --simulate "$STATE" --midi-in "$TMP/in" \
    --midi-out "$TMP/out" -f "$top_srcdir/tests/e2e/18i20.ini" \
    >"$TMP/log" 2>&1 &
pid=$!

# Floods take time: wait_for (tests/lib.sh) polls up to 20 s here.
WAIT_TRIES=400

# hw_is NAME VALUE: the card holds VALUE, as the hardware sees it.
hw_is()
{
	[ "$("$SIMHW" "$STATE" get "$1")" = "$2" ]
}

# kB of resident memory now (VmRSS) or at most so far (VmHWM); a
# missing figure reads as huge, so a check can only fail on it.
mem()
{
	awk -v k="$1:" '$1 == k { v = $2 } END { print v == "" ? 1e9 : v }' \
	    "/proc/$pid/status" 2>/dev/null || echo 1000000000
}

# Send 40 bursts of CC 1, one loop pass each, then a CC 2 = $1 that
# marks the end: once it is written, the bursts have been handled.
bursts()
{
	_i=1
	while [ $_i -le 40 ]; do
		send "\260\001\\$(printf %o $((_i * 3)))"
		sleep 0.01
		_i=$((_i + 1))
	done
	send "\260\002\\$(printf %o "$1")"
	wait_for hw_is "$PHONES" "$1"
}

# nlog TEXT: how many log lines contain TEXT.
nlog()
{
	grep -c "cannot write '$MIX': $1" "$TMP/log"
}

wait_for grep -q '^ready$' "$TMP/log"
check "the service is ready" grep -q '^ready$' "$TMP/log"

# The card refuses writes: busy (tried again, then given up), then
# locked (EPERM, not tried again).
"$SIMHW" "$STATE" access "$MIX" busy
bursts 11
wait_for grep -q "cannot write '$MIX': .*; gave up after" "$TMP/log"
check "40 writes refused as busy: logged once, when given up (saw $(nlog 'Device or resource busy; gave up after 5 tries'), $(nlog 'Device or resource busy') in all)" \
    [ "$(nlog 'Device or resource busy; gave up after 5 tries')" = 1 -a \
    "$(nlog 'Device or resource busy')" = 1 ]
"$SIMHW" "$STATE" access "$MIX" idle
"$SIMHW" "$STATE" access "$MIX" lock
bursts 12
check "40 writes refused as locked: logged once (saw $(nlog 'Operation not permitted'))" \
    [ "$(nlog 'Operation not permitted')" = 1 ]
"$SIMHW" "$STATE" access "$MIX" unlock
send '\260\001\177'
check "the service carries on: CC 1 = 127 then writes 172" \
    wait_for hw_is "$MIX" 172

# A million random bytes, twice: still running, memory flat.
rss0=$(mem VmRSS)
head -c 1000000 /dev/urandom >&3
# EOX ends a SysEx the noise may have begun; the status byte resyncs.
send '\367\260\002\025'
check "1,000,000 random bytes: the service reads on" \
    wait_for hw_is "$PHONES" 21
rss1=$(mem VmRSS)
head -c 1000000 /dev/urandom >&3
send '\367\260\002\026'
check "1,000,000 more: the service reads on" wait_for hw_is "$PHONES" 22
rss2=$(mem VmRSS)
check "...and is running" kill -0 $pid
diag "VmRSS: $rss0 kB at start, $rss1 kB after 1 MB, $rss2 kB after 2 MB"
mcheck "memory is flat: the second million added $((rss2 - rss1)) kB" \
    [ $((rss2 - rss1)) -le 256 ]
mcheck "all the noise added $((rss2 - rss0)) kB (at most 1024)" \
    [ $((rss2 - rss0)) -le 1024 ]

# A 10 MB SysEx is skipped as it streams, never buffered.  Running
# status is CC on channel 1: if SysEx data were taken for CC data, the
# "2 127" pairs inside it would set the headphones to 127.
send '\260\002\012'
wait_for hw_is "$PHONES" 10
hwm0=$(mem VmHWM)
{
	printf '\360'
	yes "$(printf '\002\177')" | head -c 10000000
	# After EOX, running status is gone: these data bytes are dropped.
	printf '\367\002\005'
} >&3
send '\260\004\177'
check "10 MB SysEx: the message after it is taken" \
    wait_for hw_is "$LEVEL" Inst
check "...nothing in it or after it acted as CC data" \
    hw_is "$PHONES" 10
hwm1=$(mem VmHWM)
diag "VmHWM: $hwm0 kB before the SysEx, $hwm1 kB after"
mcheck "...and peak memory grew $((hwm1 - hwm0)) kB (at most 512)" \
    [ $((hwm1 - hwm0)) -le 512 ]

kill -TERM $pid
wait $pid
rv=$?
check "SIGTERM ends the service with status 0 (got $rv)" [ "$rv" = 0 ]
check "no line of the log reports a crash or a fatal error" \
    sh -c "! grep -qi 'fatal\|sanitizer\|segmentation' '$TMP/log'"
exec 3>&-
kill $catpid 2>/dev/null
grep -v '^ready$' "$TMP/log" | head -n 20 | sed 's/^/# log: /'
done_testing
