#!/bin/sh
# Several cards at once: each mapping file names its own card (here two
# simulated cards reached by their ALSA ctl device names, as any
# ctl.NAME of the ALSA configuration is); a card that is not there is
# reported and the others work.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
sim_conf sim "$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim2 "$DEVICES/Scarlett-Gen-4-4i4.state"
plan 8

mkdir "$TMP/conf"
cat >"$TMP/conf/a.ini" <<'EOI'
[card]
name = sim

[fader]
midi = cc 1
control = Mix A Input 01 Playback Volume
EOI
cat >"$TMP/conf/b.ini" <<'EOI'
[card]
name = sim2

[fader]
midi = cc 2
control = Mix A Input 01 Playback Volume
EOI
cat >"$TMP/conf/c.ini" <<'EOI'
[fader]
midi = cc 3
card = no-such-card
control = Mix A Input 01 Playback Volume
EOI
cset 'Mix A Input 01 Playback Volume' 0
amixer -D sim2 -q cset "name='Mix A Input 01 Playback Volume'" 0

mkfifo "$TMP/in" "$TMP/out"
cat "$TMP/out" >"$TMP/fb" &
exec 3<>"$TMP/in"
"$SM" -d -v --midi-in "$TMP/in" --midi-out "$TMP/out" -f "$TMP/conf" \
    >"$TMP/log" 2>&1 &
pid=$!

check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
check "both cards are opened" sh -c \
    "grep -q \"^sim: opened 'Scarlett Gen 3 18i20'\" '$TMP/log' &&
    grep -q \"^sim2: opened 'Scarlett Gen 4 4i4'\" '$TMP/log'"
check "a card that is not there is reported" grep -q \
    '^no-such-card: cannot open card' "$TMP/log"
send '\260\001\177\260\002\177'
check "CC 1 drives the first card" wait_for value_is \
    'Mix A Input 01 Playback Volume' 172
check "CC 2 drives the second" wait_for sh -c \
    "amixer -D sim2 cget name='Mix A Input 01 Playback Volume' |
    grep -q 'values=184'"
check "...and not the first" value_is 'Mix A Input 01 Playback Volume' 172
amixer -D sim2 -q cset "name='Mix A Input 01 Playback Volume'" 0
check "a change on the second card is fed back on its mapping" wait_for \
    fb_has "b0 02 00" 2

stop_service
