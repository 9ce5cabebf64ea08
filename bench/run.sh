#!/bin/sh
# The benchmarks of bench/README.md: the service against the simulated
# Scarlett Gen 3 18i20 through the raw MIDI FIFO, and the same flood
# through a shell loop of amixer calls.  Prints one table.  `make bench`
# runs it from the build directory; figures vary from machine to machine,
# so nothing here passes or fails on them.
#
#   sh bench/run.sh [seconds]         (default 10: idle and flood length)

set -u
secs=${1:-10}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(pwd)
SM=$builddir/scarlett-midi
BF=$builddir/bench/bench-flood
STATE=$srcdir/devices/Scarlett-Gen-3-18i20.state
MAP=$srcdir/bench/8faders.ini
SCARLETT_MIDI_PLUGIN=$builddir/libasound_module_ctl_scarlett_sim.so
export SCARLETT_MIDI_PLUGIN

for f in "$SM" "$BF" "$SCARLETT_MIDI_PLUGIN"; do
	[ -e "$f" ] || { echo "bench: $f is missing: run make bench" >&2;
	    exit 2; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/scarlett-midi-bench.XXXXXX")
SCARLETT_MIDI_SIM_DIR=$TMP/sim
export SCARLETT_MIDI_SIM_DIR
pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
mkfifo "$TMP/in" "$TMP/out"
cat "$TMP/out" >/dev/null 2>&1 &
catpid=$!

say()
{
	echo "bench: $*" >&2
}

# start [PREFIX...]: run the service (under PREFIX) until "ready".
start()
{
	: >"$TMP/log"
	"$@" "$SM" -d --simulate "$STATE" --midi-in "$TMP/in" \
	    --midi-out "$TMP/out" -f "${INI:-$MAP}" >>"$TMP/log" 2>&1 &
	pid=$!
	_i=0
	while ! grep -q '^ready$' "$TMP/log" && [ $_i -lt 1200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	grep -q '^ready$' "$TMP/log" || { cat "$TMP/log" >&2; exit 1; }
}

stop()
{
	kill -TERM $pid
	wait $pid
	pid=
}

# Field NAME of /proc/PID/status, without its unit.
status()
{
	awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"
}

# CPU seconds (user + system) the service used so far.
cpu()
{
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
	    "/proc/$pid/stat"
}

# key FILE NAME: a "name=value" line's value.
key()
{
	sed -n "s/^$2=//p" "$1"
}

# calc FORMAT EXPRESSION: awk arithmetic, printed with FORMAT.
calc()
{
	awk "BEGIN { printf \"$1\", $2 }"
}

row()
{
	printf '| %-50s | %-28s |\n' "$1" "$2" >>"$TMP/table"
}

: >"$TMP/table"

# --- idle -------------------------------------------------------------
say "idle: $secs s of /proc counters, then $secs s under strace -c"
start
sleep 0.5
v0=$(status voluntary_ctxt_switches)
n0=$(status nonvoluntary_ctxt_switches)
c0=$(cpu)
sleep "$secs"
v1=$(status voluntary_ctxt_switches)
n1=$(status nonvoluntary_ctxt_switches)
c1=$(cpu)
if command -v strace >/dev/null 2>&1; then
	strace -f -c -o "$TMP/strace" -p $pid 2>/dev/null &
	spid=$!
	sleep "$secs"
	kill -INT $spid
	wait $spid
	calls=$(awk '$NF == "total" { print $4 }' "$TMP/strace")
	list=$(awk '$1 ~ /^[0-9.]+$/ && $NF != "total" { printf "%s%s x%s",
	    sep, $NF, $4; sep = ", " }' "$TMP/strace")
else
	calls="?"
	list="strace is missing"
fi
stop
row "idle: wake-ups in $secs s (context switches)" \
    "$((v1 - v0 + n1 - n0))"
row "idle: CPU in $secs s" "$(calc %.2f "$c1 - $c0") s"
row "idle: system calls in $secs s (strace -c)" "${calls:-0} (${list:-none})"

# --- idle with a meter ------------------------------------------------
# The same idle, with one Level Meter channel mapped (bench/meter.ini):
# the meter timer wakes the loop, which hands a read to the writer
# thread, each read one transfer of the simulated card.
say "idle with a meter: $secs s of /proc counters and the card's transfers"
SH=$builddir/tests/sim-hw
INI=$srcdir/bench/meter.ini start
sleep 0.5
w0=$(status voluntary_ctxt_switches)
m0=$(status nonvoluntary_ctxt_switches)
t0=$([ -x "$SH" ] && "$SH" "$STATE" transfers)
sleep "$secs"
w1=$(status voluntary_ctxt_switches)
m1=$(status nonvoluntary_ctxt_switches)
t1=$([ -x "$SH" ] && "$SH" "$STATE" transfers)
stop
row "idle: wake-ups per second, no meter" \
    "$(calc %.1f "($v1 - $v0 + $n1 - $n0) / $secs")"
row "idle: wake-ups per second, one meter at 20 Hz" \
    "$(calc %.1f "($w1 - $w0 + $m1 - $m0) / $secs") (both threads)"
row "idle: meter reads (transfers) per second" \
    "$([ -n "$t0" ] && calc %.1f "($t1 - $t0) / $secs" || echo "? (no tests/sim-hw)")"

# --- flood ------------------------------------------------------------
rate=10000
for tick in 1 10; do
	say "flood: $rate CC/s on 8 faders for $secs s, sent every $tick ms"
	start
	c0=$(cpu)
	"$BF" -r $rate -s "$secs" -p $tick "$STATE" "$TMP/in" >"$TMP/flood"
	c1=$(cpu)
	hwm=$(status VmHWM)
	stop
	sent=$(key "$TMP/flood" sent)
	writes=$(key "$TMP/flood" writes)
	lat=$(key "$TMP/flood" latency_ms)
	cpu_ours=$(calc %.2f "$c1 - $c0")
	row "flood ($tick ms ticks): events sent" "$sent in $(key "$TMP/flood" \
	    send_seconds) s"
	row "flood ($tick ms ticks): events processed" "$([ "$lat" != timeout ] &&
	    echo "all $sent" || echo "not all")"
	row "flood ($tick ms ticks): element writes" "$writes ($(calc %.3f \
	    "$writes / $sent") per event)"
	row "flood ($tick ms ticks): backlog at the end" \
	    "$(key "$TMP/flood" bytes_pending) bytes in the FIFO"
	row "flood ($tick ms ticks): latency after last byte" "$lat ms"
	row "flood ($tick ms ticks): service CPU" "$cpu_ours s ($(calc %.1f \
	    "$cpu_ours * 1000000 / $sent") us per event)"
	row "flood ($tick ms ticks): max RSS" "$hwm kB"
	[ $tick = 1 ] && { ours_sent=$sent; ours_cpu=$cpu_ours;
	    ours_writes=$writes; }
done

# --- the shell loop, same flood ---------------------------------------
say "shell loop: the same flood into aseqdump-style text | amixer cset"
{
	echo "ctl_type.scarlett_sim { lib \"$SCARLETT_MIDI_PLUGIN\" }"
	echo "ctl.sim { type scarlett_sim state \"$STATE\" }"
} >"$TMP/asound.conf"
mkfifo "$TMP/text"
w0=$("$BF" -c "$STATE")
# The loop is killed at the end: its backlog would take minutes.
ALSA_CONFIG_PATH=$TMP/asound.conf /usr/bin/time -f '%U %S' \
    -o "$TMP/shell.time" timeout $((secs + 1)) \
    sh "$srcdir/bench/shell-loop.sh" sim <"$TMP/text" &
shpid=$!
"$BF" -t -r $rate -s "$secs" "$STATE" "$TMP/text" >"$TMP/shell" 2>&1
wait $shpid
sh_writes=$(( $("$BF" -c "$STATE") - w0 ))
sh_sent=$(key "$TMP/shell" sent)
sh_cpu=$(tail -n 1 "$TMP/shell.time" | awk '{ printf "%.2f", $1 + $2 }')
[ "$sh_writes" -gt 0 ] || sh_writes=1
row "shell loop: events sent (sender blocks)" "$sh_sent in $(key \
    "$TMP/shell" send_seconds) s"
row "shell loop: events processed = writes" "$sh_writes in $((secs + 1)) s"
row "shell loop: backlog when killed" "$((sh_sent - sh_writes)) events"
row "shell loop: CPU (shell + amixer)" "$sh_cpu s ($(calc %.0f \
    "$sh_cpu * 1000000 / $sh_writes") us per event)"
row "ratio: CPU per event, shell loop / service" "$(calc %.0f \
    "($sh_cpu / $sh_writes) / ($ours_cpu / $ours_sent)") x"
row "ratio: events handled, service / shell loop" "$(calc %.0f \
    "$ours_sent / $sh_writes") x"
row "ratio: element writes per event, shell / service" "$(calc %.1f \
    "$ours_sent / $ours_writes") x"

# --- CPU per event under callgrind -------------------------------------
if command -v valgrind >/dev/null 2>&1 &&
    command -v callgrind_annotate >/dev/null 2>&1; then
	nev=2000
	say "callgrind: the service with 0 and with $nev events, one per pass"
	for n in 0 $nev; do
		start valgrind -q --tool=callgrind \
		    --callgrind-out-file="$TMP/cg.$n"
		[ $n = 0 ] || "$BF" -w -r $n "$STATE" "$TMP/in" >/dev/null
		stop
		# Self cost by object: [path] at the end of each line.
		callgrind_annotate --inclusive=no --threshold=100 "$TMP/cg.$n" \
		    2>/dev/null |
		    awk '/\[.*\]$/ { ir = $1; gsub(",", "", ir)
			    obj = $NF; sub(/.*\//, "", obj); sub(/\]$/, "", obj)
			    if (obj ~ /^scarlett-midi$/) k = "ours"
			    else if (obj ~ /^libasound\.so/) k = "alsa"
			    else if (obj ~ /scarlett_sim/) k = "card"
			    else if (obj ~ /^libc[.-]/) k = "libc"
			    else k = "other"
			    s[k] += ir }
			END { for (k in s) print k, s[k] }' >"$TMP/ir.$n"
	done
	per()
	{
		awk -v k="$1" -v n=$nev 'FNR == 1 { f++ }
		    $1 == k { v[f] = $2 }
		    END { printf "%.0f", (v[2] - v[1]) / n }' \
		    "$TMP/ir.0" "$TMP/ir.$nev"
	}
	row "CPU per event: ours (scarlett-midi)" "$(per ours) instructions"
	row "CPU per event: alsa-lib" "$(per alsa) instructions"
	row "CPU per event: simulated card (plugin)" "$(per card) instructions"
	row "CPU per event: libc and the rest" \
	    "$(( $(per libc) + $(per other) )) instructions"
else
	row "CPU per event" "valgrind is missing"
fi

# --- startup ----------------------------------------------------------
say "startup: exec to ready, 18i20 state file and 8 mapping files, 10 runs"
mkdir "$TMP/maps"
for i in 1 2 3 4 5 6 7 8; do
	{
		echo "[card]"
		echo "name = Scarlett 18i20"
		for j in 1 2 3 4 5 6 7 8; do
			echo "[m$i-$j]"
			echo "midi = cc $j channel $i"
			echo "control = Mix $(echo ABCDEFGH | cut -c$i) Input 0$j" \
			    "Playback Volume"
		done
	} >"$TMP/maps/$i.ini"
done
: >"$TMP/startup"
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$BF" -S "$SM" -d --simulate "$STATE" --midi-in "$TMP/in" \
	    -f "$TMP/maps" >>"$TMP/startup"
done
row "startup: exec to ready (min / median of 10)" "$(sort -n \
    "$TMP/startup" | awk '{ v[NR] = $1 } END { printf "%s / %s ms", v[1],
    v[int((NR + 1) / 2)] }')"

kill $catpid 2>/dev/null
echo
echo "scarlett-midi $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' \
    "$builddir/autoconf.h") benchmarks, $(date -u +%Y-%m-%d)," \
    "$(uname -sm), $(nproc) cores,"
echo "$(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //')"
printf '| %-50s | %-28s |\n' "measure" "result"
printf '|%s|%s|\n' "----------------------------------------------------" \
    "------------------------------"
cat "$TMP/table"
