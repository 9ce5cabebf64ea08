#!/bin/sh
# Feedback pacing: with feedback-interval = 1000 ms, a burst of changes
# from another program reaches the surface as the first value at once
# and the last one when the interval is over; nothing in between, and
# the last value is never lost.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 5

cat >"$TMP/pace.ini" <<'EOI'
[surface]
feedback-interval = 1000

[fader]
midi = cc 1
control = Line 07 (Headphones 1 L) Playback Volume
EOI
cset 'Line 07 (Headphones 1 L) Playback Volume' 0
start_service "$STATE" "$TMP/pace.ini"
check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
sleep 0.4
n0=$(fb | wc -l)
for v in 10 20 30 40 50; do
	cset 'Line 07 (Headphones 1 L) Playback Volume' $v
done
check "the last value arrives" wait_for fb_has "b0 01 32"
sleep 0.4
n1=$(fb | wc -l)
check "a burst of 5 changes gives at most 2 messages ($((n1 - n0)))" \
    [ $((n1 - n0)) -le 2 ]
check "...and the last message is the last value" sh -c \
    "od -An -tx1 -v -w3 '$TMP/fb' | tail -n 1 | grep -qx ' b0 01 32'"
stop_service
