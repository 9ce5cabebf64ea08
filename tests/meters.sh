#!/bin/sh
# End-to-end tests of meters: the simulated Gen 3 18i20's Level Meter,
# which changes with no event as scarlett2's does, read on a timer
# through the writer thread and shown as Mackie meters and a plain CC
# (tests/e2e/meters.ini), MIDI through FIFOs.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -x "$SIMHW" ] || plan_skip "tests/sim-hw not built"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
plan 9

bytes() { od -An -tx1 -v "$TMP/fb" | tr -s ' \n' '  '; }
# has_bytes HEX [N]: the feedback holds the bytes HEX in a row, at least
# N times.
has_bytes()
{
	[ "$(bytes | grep -o " $1" | wc -l)" -ge "${2:-1}" ]
}
# meters A B: the hardware's Level Meter: channel 1 at A, 2 at B, the
# other 63 at 0.
meters()
{
	"$SIMHW" "$STATE" set 'Level Meter' \
	    "$1,$2$(printf ',0%.0s' $(seq 63))"
}
transfers() { "$SIMHW" "$STATE" transfers; }

meters 0 0
start_service "$STATE" "$top_srcdir/tests/e2e/meters.ini"
check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
meters 4095 2048
check "a full level on channel 1 is Mackie meter 1 at 12: d0 0c" \
    wait_for has_bytes "d0 0c"
check "channel 2 at half is CC 91 = 64" wait_for has_bytes "b0 5b 40"
meters 130 0
check "the meters follow with no event: -30 dB is level 6: d0 06" \
    wait_for has_bytes "d0 06"
check "...and CC 91 falls to 0" wait_for has_bytes "b0 5b 00"
# The read rate: about 20 a second (one element, read once a tick).
t0=$(transfers)
sleep 1
n=$(( $(transfers) - t0 ))
check "about 20 meter reads a second (saw $n)" [ "$n" -ge 10 -a "$n" -le 30 ]
# A read that blocks 400 ms on the writer thread leaves the loop free:
# a layer button, which writes nothing, is answered at once.
"$SIMHW" "$STATE" fault delay=400
sleep 0.5
send '\220\057\177\200\057\000'
t0=$(date +%s%N)
wait_for has_bytes "90 2f 7f"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "while a meter read blocks 400 ms, a layer button is answered in ${ms} ms" \
    [ "$ms" -lt 300 ]
"$SIMHW" "$STATE" fault delay=0
check "the service logged no meter read error" \
    sh -c "! grep -q 'cannot read' '$TMP/log'"
stop_service
