#!/bin/sh
# Every shipped mapping file binds, control by control, on the simulated
# card its "; device:" header names (scarlett-midi check fails on any
# control the card lacks or a mapping cannot drive), and every key of
# the mapping vocabulary is shown in at least one shipped file.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

files=$(ls "$top_srcdir"/mappings/*.ini)
# Three keys are left out: "card" drives a second card, and a file bound
# to one simulated card cannot show it; "snapshots" names a directory of
# the user's own; "snapshot-all" would have a shipped file recall phantom
# power.
keys=$(sed -n 's/^\.It Ic \([a-z-]*\) No = .*/\1/p' \
    "$top_srcdir/man/scarlett-midi.ini.5" | sort -u |
    grep -vx 'card\|snapshots\|snapshot-all')
plan $(( $(echo "$files" | wc -l) + $(echo "$keys" | wc -l) ))

for f in $files; do
	name=$(basename "$f")
	dev=$(sed -n 's/^; device: //p' "$f")
	if [ -z "$dev" ]; then
		not_ok "$name names its device in a '; device:' line"
		continue
	fi
	if "$SM" check --simulate "$DEVICES/$dev.state" -f "$f" \
	    >"$TMP/out" 2>&1; then
		ok "$name binds every control on $dev"
	else
		not_ok "$name binds every control on $dev"
		diag "$(grep -v 'opened\|mappings bound' "$TMP/out")"
	fi
done

for k in $keys; do
	check "key '$k' is shown in a shipped file" \
	    grep -q "^$k = " $files
done
done_testing
