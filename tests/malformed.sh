#!/bin/sh
# Malformed and oversized input files: a 100,000-line mapping file is
# loaded within bounded time and memory, and state files with a broken
# block are refused with a message that names the file and the block.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -x /usr/bin/time ] || plan_skip "/usr/bin/time (GNU time) is missing"
STATE="$DEVICES/Scarlett-Gen-3-18i20.state"
plan 9

# 25,000 mappings of 4 lines each, over 8 controls and all CCs and
# channels: 100,000 lines.  Under ASan (CI's second build), time and
# memory figures mean nothing and the run takes a minute: 2,500
# mappings (10,000 lines) give the sanitizers the same code paths.
N=25000
asan=
if ldd "$SM" 2>/dev/null | grep -q libasan; then
	N=2500
	asan=" # SKIP ASan build"
fi
awk -v N=$N 'BEGIN {
	split("Mix A Input 01 Playback Volume|Mix B Input 02 Playback Volume|Line 07 (Headphones 1 L) Playback Volume|Line 08 (Headphones 1 R) Playback Volume|Line In 1 Air Capture Switch|Line In 2 Air Capture Switch|Mix C Input 03 Playback Volume|Mix D Input 04 Playback Volume", c, "|")
	print "[card]"
	print "name = Scarlett 18i20"
	print ""
	print "; " NR
	for (i = 1; i < N; i++) {
		print "[map-" i "]"
		print "midi = cc " i % 128 " channel " i % 16 + 1
		print "control = " c[i % 8 + 1]
		print ""
	}
}' >"$TMP/big.ini"
lines=$(wc -l <"$TMP/big.ini")
check "the big file has $((N * 4)) lines ($lines)" [ "$lines" -eq $((N * 4)) ]

# run_timed NAME CMD...: run with a 120 s limit; $secs and $kb (max RSS).
run_timed()
{
	_n=$1
	shift
	/usr/bin/time -f '%e %M' -o "$TMP/$_n.time" timeout 120 "$@" \
	    >"$TMP/$_n.out" 2>"$TMP/$_n.err"
	_rv=$?
	set -- $(tail -n 1 "$TMP/$_n.time")
	secs=$1
	kb=$2
	return $_rv
}

run_timed check "$SM" -n -f "$TMP/big.ini"
rv=$?
check "scarlett-midi -n loads it (exit $rv) in $secs s, $kb kB" \
    [ $rv = 0 ]
# Bounds far above what any machine needs, so they never flake: a
# quadratic parser or a per-line leak would still cross them.
if [ -n "$asan" ]; then
	ok "...in under 60 s and 256 MB$asan"
else
	check "...in under 60 s and 256 MB" sh -c \
	    "[ \"\${1%.*}\" -lt 60 ] && [ \"$kb\" -lt 262144 ]" sh "$secs"
fi
check "...and says the configuration is OK" \
    grep -q 'configuration OK' "$TMP/check.err"

# The service binds all of it to the simulated card and starts.
mkfifo "$TMP/in"
exec 3<>"$TMP/in"
start=$(date +%s.%N)
"$SM" -d --simulate "$STATE" --midi-in "$TMP/in" -f "$TMP/big.ini" \
    >"$TMP/run.log" 2>&1 &
pid=$!
i=0
while ! grep -q '^ready$' "$TMP/run.log" && [ $i -lt 1200 ]; do
	sleep 0.05
	i=$((i + 1))
done
ready=$(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo "?")
kb=$(awk '$1 == "VmHWM:" { print $2 }' /proc/$pid/status 2>/dev/null)
check "the service binds $((N - 1)) mappings and is ready in $ready s, $kb kB" \
    grep -q "$((N - 1)) of $((N - 1)) mappings bound" "$TMP/run.log"
kill -TERM $pid 2>/dev/null
wait $pid
exec 3>&-

# A state file with one broken control block.
# The first control with a range gets a bad one; its number is kept.
awk -v nfile="$TMP/broken.n" '/^\tcontrol\.[0-9]+ \{$/ { n = $1 }
    !done && /^\t\t\trange / {
	    sub(/range .*/, "range '\''oops'\''")
	    done = 1
	    print n >nfile
    }
    { print }' "$STATE" >"$TMP/broken.state"
n=$(cat "$TMP/broken.n")
"$SM" check --simulate "$TMP/broken.state" -f "$top_srcdir/tests/e2e/18i20.ini" \
    >"$TMP/broken.out" 2>&1 </dev/null
rv=$?
diag "$(cat "$TMP/broken.out")"
check "a broken control block: check exits 1 (got $rv)" [ $rv = 1 ]
check "...saying which file, card, block ($n) and what" grep -q \
    "broken.state: card 'USB': $n: bad range 'oops'" "$TMP/broken.out"
check "...and that the card cannot be opened" grep -q \
    "cannot open card" "$TMP/broken.out"

# An unterminated block: alsa-lib's parser names the problem.
head -n 200 "$STATE" >"$TMP/cut.state"
"$SM" check --simulate "$TMP/cut.state" -f "$top_srcdir/tests/e2e/18i20.ini" \
    >"$TMP/cut.out" 2>&1 </dev/null
rv=$?
diag "$(cat "$TMP/cut.out")"
check "a state file cut short: exit 1 (got $rv) with a syntax error" \
    sh -c "[ $rv = 1 ] && grep -q 'cut.state: syntax error' '$TMP/cut.out'"
done_testing
