#!/bin/sh
# Run each fuzzer built by `make fuzz` for a bounded time, from seed
# corpora made of the test and shipped files, all three at once.  Prints
# TAP, one line per fuzzer; exits non-zero if any fuzzer found a crash,
# a leak or a failed check.  Crash inputs are kept in fuzz/artifacts/.
#
#   sh fuzz/run.sh [seconds]          (default 60; builddir = .)

set -u
secs=${1:-60}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${top_builddir:-.}
out=$builddir/fuzz
work=$(mktemp -d "${TMPDIR:-/tmp}/scarlett-midi-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

for t in midi config state; do
	if [ ! -x "$out/fuzz-$t" ]; then
		echo "fuzz/run.sh: $out/fuzz-$t is missing: run make fuzz" >&2
		exit 2
	fi
	mkdir -p "$work/$t"
done

# Seeds.  Mapping files: the golden tests, the e2e map and the shipped
# ones.  State files: every device.  MIDI: a few streams, each one made
# to reach a branch of the parser.
n=0
for f in "$srcdir"/tests/conf/*.ini "$srcdir"/tests/conf/*.d/*.ini \
    "$srcdir"/tests/e2e/*.ini "$srcdir"/mappings/*.ini; do
	n=$((n + 1))
	cp "$f" "$work/config/seed-$n"
done
# The device files are big (up to 400 kB) and slow to mutate: keep the
# first 6 controls of each card block, which still covers every type.
for f in "$srcdir"/devices/*.state; do
	awk '/^state\./ { n = 0; skip = 0 }
	    /^\tcontrol\.[0-9]+ \{$/ && ++n > 6 { skip = 1 }
	    /^}$/ { skip = 0 }
	    !skip' "$f" >"$work/state/$(basename "$f")"
done
seed()
{
	printf "$2" >"$work/midi/$1"
}
seed cc '\260\001\177\260\002\000'
seed running '\260\001\001\002\002\003\003'
seed note '\220\044\177\200\044\000\220\045\000'
seed program '\300\005\320\100\340\000\100'
seed sysex '\360\000\040\051\001\002\003\367\260\007\100'
seed realtime '\260\370\001\376\177\372'
seed common '\361\001\362\001\002\363\003\366\260\001\002'
seed stray '\001\002\367\260\001\002'

status=0
echo "1..3"
for t in midi config state; do
	mkdir -p "$out/artifacts"
	"$out/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -max_len=16384 \
	    -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" \
	    "$work/$t" >"$work/$t.log" 2>&1 &
	eval "pid_$t=\$!"
done
i=0
for t in midi config state; do
	i=$((i + 1))
	eval "wait \$pid_$t"
	rv=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -n 1)
	if [ $rv = 0 ]; then
		echo "ok $i - fuzz-$t: ${runs:-?} runs in $secs s, ${cov:-?}," \
		    "no crash"
	else
		echo "not ok $i - fuzz-$t: exit $rv after ${runs:-?} runs"
		tail -n 60 "$work/$t.log" | sed 's/^/# /'
		status=1
	fi
done
exit $status
