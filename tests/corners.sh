#!/bin/sh
# End-to-end corners of what the man pages promise: list shows a gain
# whose minimum is mute as -inf dB.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

plan 2

# list: the 4th Gen 18i20's mixer gains are 0..32613, -inf..+12 dB.
"$SM" list --simulate "$DEVICES/Scarlett-Gen-4-18i20.state" >"$TMP/list" \
    2>"$TMP/err"
check "list: a mute minimum is -inf dB" grep -q \
    "^numid=[0-9]* name='Mix A Input 01 Playback Volume' INTEGER rw--- count=1 range=0..32613 dB=-inf\.\.12\.00\$" \
    "$TMP/list"
check "list: no dB is shown as a number below -1000" \
    sh -c "! grep -q 'dB=-[0-9]\{4,\}' '$TMP/list'"

done_testing
