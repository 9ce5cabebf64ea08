#!/bin/sh
# Memory checks under valgrind: the unit tests, the mapping-file check,
# the control listing and the whole end-to-end scenario (tests/e2e.sh
# with the service under valgrind) must show no error and no leak of
# any kind.  No suppressions are used: the service frees everything,
# alsa-lib's configuration cache included, before it exits.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# plan_skip exits 0: automake's TAP driver counts a plan of 1..0 with a
# SKIP directive as skipped, but any non-zero status (77 too) as ERROR.
command -v valgrind >/dev/null 2>&1 || plan_skip "valgrind is not installed"
valgrind -q true 2>/dev/null || plan_skip "valgrind does not run here"
# A sanitizer build (CI's second build) has its own checker.
ldd "$SM" 2>/dev/null | grep -q 'libasan\|libubsan' &&
    plan_skip "built with sanitizers"

VG="valgrind -q --leak-check=full --show-leak-kinds=all"
VG="$VG --errors-for-leak-kinds=all --error-exitcode=97"
units=
for t in config loop map midi snapshot; do
	[ -x "$top_builddir/tests/unit/test-$t" ] &&
	    units="$units $top_builddir/tests/unit/test-$t"
done
set -- $units
plan $(($# + 5))

# vg NAME CMD...: run CMD under valgrind, its report in $TMP/NAME.vg.
vg()
{
	_n=$1
	shift
	$VG --log-file="$TMP/$_n.vg" "$@" >"$TMP/$_n.out" 2>&1
}

# The report of a run, as TAP comments.
report()
{
	cat "$TMP/$1".vg* 2>/dev/null | head -n 60 | sed 's/^/# /'
}

for t in $units; do
	n=$(basename "$t")
	vg "$n" "$t"
	rv=$?
	check "$n under valgrind: exit $rv, no error, no leak" [ $rv = 0 ]
	[ $rv = 0 ] || report "$n"
done

vg check "$SM" -n -v -f "$top_srcdir/mappings/scarlett-3rd-gen-18i20.ini"
rv=$?
check "scarlett-midi -n -v -f a shipped mapping: exit $rv, no error, no leak" \
    [ $rv = 0 ]
[ $rv = 0 ] || report check

vg bad "$SM" -n -f "$top_srcdir/tests/conf/err-keys.ini"
rv=$?
check "scarlett-midi -n on a file with errors: exit $rv (1), no leak" \
    [ $rv = 1 ]
[ $rv = 1 ] || report bad

vg list "$SM" list --simulate "$DEVICES/Scarlett-Gen-3-18i20.state"
rv=$?
check "scarlett-midi list --simulate: exit $rv, no error, no leak" \
    [ $rv = 0 ]
[ $rv = 0 ] || report list

# The end-to-end scenario with the service under valgrind: each of its
# checks must pass (the last ones see the exit status, which valgrind
# turns into 97 on any error or leak), and the reports must be empty.
VALGRIND="$VG --log-file=$TMP/e2e.vg.%p" \
    sh "$top_srcdir/tests/e2e.sh" >"$TMP/e2e.tap" 2>&1
rv=$?
nok=$(grep -c '^ok ' "$TMP/e2e.tap")
nnot=$(grep -c '^not ok ' "$TMP/e2e.tap")
check "tests/e2e.sh with the service under valgrind: $nok passed, $nnot failed" \
    [ $rv = 0 -a "$nnot" = 0 -a "$nok" -gt 0 ]
[ "$nnot" = 0 ] || grep '^not ok' "$TMP/e2e.tap" | sed 's/^/# /'
nvg=$(ls "$TMP" | grep -c '^e2e\.vg\.')
check "...and valgrind ran ($nvg process) and reported nothing" \
    sh -c '[ "$2" -ge 1 ] && ! cat "$1"/e2e.vg.* | grep -q .' sh "$TMP" "$nvg"
report e2e
done_testing
