#!/bin/sh
# Live reload: mapping files edited, broken, added while the service runs
# on the simulated Gen 3 18i20; SIGHUP reloads too.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
sim_conf sim "$STATE"
plan 14

mkdir "$TMP/conf"
# write FILE: replace a file as editors do, by renaming a new one over it.
write()
{
	cat >"$TMP/conf/.new"
	mv "$TMP/conf/.new" "$TMP/conf/$1"
}
write a.ini <<'EOI'
[card]
name = Scarlett 18i20

[fader]
midi = cc 1
control = Mix A Input 01 Playback Volume
EOI
cset 'Mix A Input 01 Playback Volume' 0
cset 'Mix A Input 02 Playback Volume' 0

start_service "$STATE" "$TMP/conf"
check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
send '\260\001\177'
check "CC 1 drives mix A input 1" wait_for value_is \
    'Mix A Input 01 Playback Volume' 172

# An edit moves the fader to CC 2.
write a.ini <<'EOI'
[card]
name = Scarlett 18i20

[fader]
midi = cc 2
control = Mix A Input 01 Playback Volume
EOI
check "an edit is noticed and reloaded" wait_for grep -q "conf changed" \
    "$TMP/log"
sleep 0.2
send '\260\002\000'
check "the edited mapping takes effect: CC 2 now" wait_for value_is \
    'Mix A Input 01 Playback Volume' 0
send '\260\001\177'
sleep 0.3
check "...and CC 1 no longer does" value_is \
    'Mix A Input 01 Playback Volume' 0

# A broken edit: reported at its line, the previous mapping stays.
write a.ini <<'EOI'
[card]
name = Scarlett 18i20

[fader]
midi = cc 3 channel 99
control = Mix A Input 01 Playback Volume
EOI
check "a broken edit is reported with its file and line" wait_for grep -q \
    "conf/a.ini:5: channel is too large: 99" "$TMP/log"
check "...and the previous configuration is kept" grep -q \
    "keeping the previous configuration" "$TMP/log"
send '\260\002\100'
check "...and still works" wait_for value_is \
    'Mix A Input 01 Playback Volume' 87

# A new file adds mappings; fix the broken one at the same time.
write a.ini <<'EOI'
[card]
name = Scarlett 18i20

[fader]
midi = cc 2
control = Mix A Input 01 Playback Volume
EOI
write b.ini <<'EOI'
[fader-2]
midi = cc 4
control = Mix A Input 02 Playback Volume
EOI
check "a new file is loaded" wait_for grep -q '2 of 2 mappings bound' \
    "$TMP/log"
send '\260\004\177'
check "...and its mapping works" wait_for value_is \
    'Mix A Input 02 Playback Volume' 172

# SIGHUP reloads everything too.
n=$(grep -c 'mappings bound' "$TMP/log")
kill -HUP $pid
check "SIGHUP reloads" wait_for sh -c \
    "[ \$(grep -c 'mappings bound' '$TMP/log') -gt $n ]"

# An edit and a SIGHUP right after it: one reload, one full state.
n=$(grep -c '^reloading' "$TMP/log")
write a.ini <<'EOI'
[card]
name = Scarlett 18i20

[fader]
midi = cc 3
control = Mix A Input 01 Playback Volume
EOI
kill -HUP $pid
check "an edit and a SIGHUP reload" wait_for sh -c \
    "[ \$(grep -c '^reloading' '$TMP/log') -gt $n ]"
sleep 0.5
check "...once" sh -c \
    "[ \$(grep -c '^reloading' '$TMP/log') -eq $((n + 1)) ]"

stop_service
