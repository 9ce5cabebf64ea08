#!/bin/sh
# Controls are told apart by their whole ALSA id (interface, device,
# subdevice, name, index), not by name and index alone: two controls
# that differ only in their device are both listed, each can be mapped,
# and each one's changes come back as its own feedback.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v amixer >/dev/null || plan_skip "amixer is not installed"
STATE="$top_srcdir/tests/ids/ids.state"
sim_conf sim "$STATE"
plan 12

"$SM" list --simulate "$STATE" >"$TMP/list" 2>"$TMP/err"
check "list shows all 4 controls, as amixer does" sh -c \
    "[ \$(wc -l <'$TMP/list') = 4 ] &&
    [ \$(amixer -D sim controls | wc -l) = 4 ]"
check "...with each one's id as amixer writes it" sh -c \
    "grep -q \"^numid=2 name='PCM Playback Volume',device=1 \" '$TMP/list' &&
    grep -q \"^numid=4 iface=PCM,name='ELD Volume',device=7 \" '$TMP/list'"
diag "$(cat "$TMP/list")"
"$SM" -nv -f "$top_srcdir/tests/ids/ids.ini" >"$TMP/norm" 2>&1
check "-nv prints an id with its interface and device" grep -qx \
    "control = iface=PCM,name='ELD Volume',device=7" "$TMP/norm"

# id_is ID VALUE: a control's value, by its id.
id_is()
{
	[ "$(amixer -D sim cget "$1" | sed -n 's/^  : values=//p')" = "$2" ]
}

# no_fb MSG: the feedback does not hold MSG.
no_fb()
{
	! fb_has "$1"
}

start_service "$STATE" "$top_srcdir/tests/ids/ids.ini"
check "the service starts" wait_for grep -q '^ready$' "$TMP/log"
check "...and binds all three mappings" grep -q '3 of 3 mappings bound' \
    "$TMP/log"
send '\260\001\177'
check "CC 1 sets device 1's volume" wait_for \
    id_is "iface=MIXER,name='PCM Playback Volume',device=1" 100
check "...and leaves device 0's" \
    id_is "iface=MIXER,name='PCM Playback Volume'" 10
send '\260\002\000'
check "CC 2 sets the PCM interface's 'ELD Volume' on device 7" wait_for \
    id_is "iface=PCM,name='ELD Volume',device=7" 0
check "...and leaves device 3's" \
    id_is "iface=PCM,name='ELD Volume',device=3" 30
# A change of one comes back as its own feedback, not the other's.
"$SIMHW" "$STATE" set "iface=PCM,name='ELD Volume',device=3" 99
"$SIMHW" "$STATE" set "iface=PCM,name='ELD Volume',device=7" 50
check "device 7's change is CC 2's feedback (50 is CC 64)" wait_for \
    fb_has "b0 02 40"
check "...and device 3's is nobody's" no_fb "b0 02 7e"
stop_service
