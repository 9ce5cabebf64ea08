#!/bin/sh
# Golden tests of the mapping-file parser: scarlett-midi -n -v on each
# tests/conf/NAME.ini (or NAME.d directory) must print NAME.ok on stdout
# and NAME.err on stderr exactly, exit 0 for ok-* and 1 for err-*, and
# the normal form it prints must read back to itself.  Every shipped file
# in mappings/ must pass -n, and its normal form read back to itself.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

cd "$top_srcdir/tests/conf" || exit 1
cases=$(ls -d ok-*.ini ok-*.d err-*.ini err-*.d 2>/dev/null | sed 's/\.\(ini\|d\)$//' | sort -u)
ncases=$(echo "$cases" | wc -w)
nok=$(echo "$cases" | grep -c '^ok-')
nmaps=$(ls "$top_srcdir"/mappings/*.ini | wc -l)
plan $((ncases * 2 + nok + nmaps * 2))

for c in $cases; do
	if [ -d "$c.d" ]; then in=$c.d; else in=$c.ini; fi
	"$SM" -n -v -f "$in" >"$TMP/out" 2>"$TMP/err"
	rv=$?
	case $c in
	ok-*) want=0 ;;
	*) want=1 ;;
	esac
	check "$c: exit status $rv is $want" [ "$rv" = "$want" ]
	if [ -n "$REGEN" ]; then
		cp "$TMP/out" "$c.ok"
		cp "$TMP/err" "$c.err"
	fi
	if diff -u "$c.ok" "$TMP/out" >"$TMP/diff" &&
	    diff -u "$c.err" "$TMP/err" >>"$TMP/diff"; then
		ok "$c: output is as recorded"
	else
		not_ok "$c: output is as recorded"
		diag "$(cat "$TMP/diff")"
	fi
	case $c in
	ok-*)
		cp "$TMP/out" "$TMP/again.ini"
		if "$SM" -n -v -f "$TMP/again.ini" >"$TMP/again" \
		    2>"$TMP/err" && diff -u "$TMP/out" "$TMP/again" \
		    >"$TMP/diff"; then
			ok "$c: normal form reads back to itself"
		else
			not_ok "$c: normal form reads back to itself"
			diag "$(cat "$TMP/err" "$TMP/diff")"
		fi
		;;
	esac
done

for f in "$top_srcdir"/mappings/*.ini; do
	if "$SM" -n -f "$f" >"$TMP/out" 2>&1; then
		ok "mappings/${f##*/} passes -n"
	else
		not_ok "mappings/${f##*/} passes -n"
		diag "$(cat "$TMP/out")"
	fi
	"$SM" -n -v -f "$f" >"$TMP/out" 2>/dev/null
	cp "$TMP/out" "$TMP/again.ini"
	if "$SM" -n -v -f "$TMP/again.ini" >"$TMP/again" 2>"$TMP/err" &&
	    diff -u "$TMP/out" "$TMP/again" >"$TMP/diff"; then
		ok "mappings/${f##*/}: normal form reads back to itself"
	else
		not_ok "mappings/${f##*/}: normal form reads back to itself"
		diag "$(cat "$TMP/err" "$TMP/diff")"
	fi
done

done_testing
