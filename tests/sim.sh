#!/bin/sh
# TAP tests of the scarlett_sim control plugin through amixer and sim-hw.

. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

command -v amixer >/dev/null 2>&1 || plan_skip "amixer not installed"
[ -f "$SCARLETT_MIDI_PLUGIN" ] || plan_skip "plugin not built"
[ -x "$SIMHW" ] || plan_skip "tests/sim-hw not built"

S18="$DEVICES/Scarlett-Gen-3-18i20.state"
VOL="Line 01 (Monitor 1 L) Playback Volume"
MIX="Mix A Input 01 Playback Volume"
MUTE="Line 01 Mute Playback Switch"
CLOCK="Clock Source Clock Source"

# Card block ids of a state file, in file order.
blocks()
{
	sed -n 's/^state\.\([A-Za-z0-9_]*\) {$/\1/p' "$1"
}

# Number of control.N entries in block $2 (1-based) of state file $1.
ncontrols()
{
	awk -v want="$2" '/^state\./ { b++ }
	    b == want && /^\tcontrol\.[0-9]+ \{$/ { n++ }
	    END { print n + 0 }' "$1"
}

# Print field $3 (e.g. "value", or "numid" for N of control.N) of the
# control named $2 in the first block of state file $1.
field()
{
	awk -v want="$2" -v key="$3" '
	    /^state\./ { if (++b > 1) exit }
	    /^\tcontrol\.[0-9]+ \{$/ {
		    n = $1; sub(/^control\./, "", n); name = ""; val = ""
	    }
	    /^\t\tname / {
		    name = $0; sub(/^\t\tname /, "", name)
		    gsub(/'\''/, "", name)
	    }
	    /^\t\tvalue / { val = $0; sub(/^\t\tvalue /, "", val) }
	    /^\t}$/ && name == want {
		    print (key == "numid" ? n : val); exit
	    }' "$1"
}

# The item number of enum value $3 of control $2 in state file $1.
item_index()
{
	awk -v want="$2" -v item="$3" '
	    /^state\./ { if (++b > 1) exit }
	    /^\t\tname / {
		    name = $0; sub(/^\t\tname /, "", name)
		    gsub(/'\''/, "", name)
	    }
	    name == want && $1 ~ /^item\.[0-9]+$/ && $2 == item {
		    sub(/^item\./, "", $1); print $1; exit
	    }' "$1"
}

# The values line of amixer cget, e.g. "values=12".
cget()
{
	amixer -D "$1" cget "$2" 2>/dev/null | sed -n 's/^  : //p'
}

# Wait (up to 5 s) until file $1 contains a line matching $2.
wait_for()
{
	_i=0
	while [ $_i -lt 50 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# Start "amixer events" on device $1 into file $2; wait for its FIFO.
listen()
{
	_before=$(ls "$SCARLETT_MIDI_SIM_DIR"/*.events 2>/dev/null | wc -l)
	timeout 20 stdbuf -oL amixer -D "$1" events >"$2" 2>&1 &
	LISTENER=$!
	wait_for "$2" "Ready to listen" || return 1
	# The FIFO is live once the subscription has renamed it into view.
	_i=0
	while [ $_i -lt 50 ]; do
		[ "$(ls "$SCARLETT_MIDI_SIM_DIR"/*.events 2>/dev/null |
		    wc -l)" -gt "$_before" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

unlisten()
{
	kill "$LISTENER" 2>/dev/null
	wait "$LISTENER" 2>/dev/null
}

NBLOCKS=0
for f in "$DEVICES"/*.state; do
	NBLOCKS=$((NBLOCKS + $(blocks "$f" | wc -l)))
done
plan $((28 + NBLOCKS))

sim_conf sim "$S18"

# Element set and ids.
n=$(amixer -D sim controls | wc -l)
want=$(ncontrols "$S18" 1)
check "18i20: $n controls, file has $want" [ "$n" -eq "$want" ]

numid=$(field "$S18" "$VOL" numid)
got=$(amixer -D sim controls |
    sed -n "s/^numid=\([0-9]*\),.*name='$VOL'\$/\1/p")
check "numid of '$VOL' is $numid" [ -n "$numid" -a "$got" = "$numid" ]

info=$(amixer -D sim info)
check "card info names the simulated card" \
    sh -c 'echo "$1" |
    grep -q "^Card sim .USB./.Simulated Scarlett Gen 3 18i20.\$" &&
    echo "$1" | grep -q "Mixer name.*Scarlett Gen 3 18i20"' sh "$info"

# Values from the file.
v=$(field "$S18" "$MIX" value)
check "integer '$MIX' = $v" [ "$(cget sim "name='$MIX'")" = "values=$v" ]
v=$(field "$S18" "$MUTE" value)
case $v in true) v=on ;; *) v=off ;; esac
check "boolean '$MUTE' = $v" [ "$(cget sim "name='$MUTE'")" = "values=$v" ]
v=$(item_index "$S18" "$CLOCK" "$(field "$S18" "$CLOCK" value)")
check "enum '$CLOCK' = item $v" [ "$(cget sim "name='$CLOCK'")" = "values=$v" ]

# Writes, seen by other processes.
w0=$("$SIMHW" "$S18" writes)
amixer -D sim cset "name='$MIX'" 100 >/dev/null 2>&1
check "cset then cget in another process" \
    [ "$(cget sim "name='$MIX'")" = "values=100" ]
amixer -D sim cset "name='$CLOCK'" ADAT >/dev/null 2>&1
v=$(item_index "$S18" "$CLOCK" ADAT)
check "cset enum by item name" [ "$(cget sim "name='$CLOCK'")" = "values=$v" ]
check "sim-hw sees the cset" [ "$("$SIMHW" "$S18" get "$MIX")" = 100 ]
w1=$("$SIMHW" "$S18" writes)
check "the card counts 2 client writes ($w0 -> $w1)" [ "$w1" -eq $((w0 + 2)) ]

# amixer clamps to min..max itself, so test the range check off-step.
cat >"$TMP/step.state" <<'EOF'
state.T {
	control.1 {
		iface MIXER
		name 'Stepped Volume'
		value 4
		comment {
			access 'read write'
			type INTEGER
			count 1
			range '0 - 10 (step 2)'
		}
	}
}
EOF
sim_conf step "$TMP/step.state"
amixer -D step cset "name='Stepped Volume'" 6 >/dev/null 2>&1
check "cset on step succeeds" \
    [ "$(cget step "name='Stepped Volume'")" = "values=6" ]
if amixer -D step cset "name='Stepped Volume'" 5 >/dev/null 2>&1; then
	not_ok "cset off step fails"
else
	ok "cset off step fails"
fi
if "$SIMHW" "$S18" set "$MIX" 185 2>/dev/null; then
	not_ok "sim-hw set out of range fails"
else
	ok "sim-hw set out of range fails"
fi

# Read-only elements and the hardware back door.
if amixer -D sim cset "name='$VOL'" 10 >/dev/null 2>&1; then
	not_ok "cset on read-only '$VOL' fails"
else
	ok "cset on read-only '$VOL' fails"
fi
check "a refused write and sim-hw writes are not counted" \
    [ "$("$SIMHW" "$S18" writes)" -eq "$w1" ]
"$SIMHW" "$S18" set "$VOL" 42
check "sim-hw set on read-only element, amixer sees it" \
    [ "$(cget sim "name='$VOL'")" = "values=42" ]
"$SIMHW" "$S18" access "$VOL" rw
amixer -D sim cset "name='$VOL'" 77 >/dev/null 2>&1
check "after sim-hw access rw, cset works" \
    [ "$(cget sim "name='$VOL'")" = "values=77" ]

# TLV: dB scale from the comment's dbmin/dbmax, read by name.
check "TLV dB scale shown" sh -c 'amixer -D sim cget "name=$1" |
    grep -q "dBscale-min=-127.00dB,step=1.00dB"' sh "'$VOL'"

# Events across processes.
if listen sim "$TMP/ev1"; then
	amixer -D sim cset "name='$MIX'" 120 >/dev/null 2>&1
	"$SIMHW" "$S18" access "$VOL" ro
	mixid=$(field "$S18" "$MIX" numid)
	wait_for "$TMP/ev1" "^event value: numid=$mixid,"
	check "VALUE event of a cset in another process" \
	    grep -q "^event value: numid=$mixid," "$TMP/ev1"
	wait_for "$TMP/ev1" "^event info: numid=$numid,"
	check "INFO event of sim-hw access" \
	    grep -q "^event info: numid=$numid," "$TMP/ev1"
	unlisten
else
	unlisten
	not_ok "VALUE event of a cset in another process (no listener)"
	not_ok "INFO event of sim-hw access (no listener)"
fi
if amixer -D sim cset "name='$VOL'" 10 >/dev/null 2>&1; then
	not_ok "after sim-hw access ro, cset fails"
else
	ok "after sim-hw access ro, cset fails"
fi

# A write of the same value sends no event: the marker after it arrives
# through the same FIFO, so anything before it would be there already.
clockid=$(field "$S18" "$CLOCK" numid)
if listen sim "$TMP/ev2"; then
	amixer -D sim cset "name='$MIX'" 120 >/dev/null 2>&1
	amixer -D sim cset "name='$CLOCK'" Internal >/dev/null 2>&1
	wait_for "$TMP/ev2" "^event value: numid=$clockid,"
	check "same-value cset sends no event" \
	    sh -c '! grep -q "^event value: numid=$1," "$2" &&
	    grep -q "^event value: numid=$3," "$2"' sh \
	    "$mixid" "$TMP/ev2" "$clockid"
	unlisten
else
	unlisten
	not_ok "same-value cset sends no event (no listener)"
fi
# A write reaps the FIFOs of killed listeners.
"$SIMHW" "$S18" set "$MIX" 121
check "listener FIFOs removed or reaped" \
    [ -z "$(ls "$SCARLETT_MIDI_SIM_DIR/$(basename "$S18")-USB.events")" ]

# Hardware-mode handle and reset.
sim_conf simhw "$S18" hardware true
amixer -D simhw cset "name='$VOL'" 33 >/dev/null 2>&1
check "hardware handle writes a read-only element" \
    [ "$(cget sim "name='$VOL'")" = "values=33" ]
"$SIMHW" "$S18" reset
check "sim-hw reset restores the file's values" \
    [ "$(cget sim "name='$MIX'")" = "values=$(field "$S18" "$MIX" value)" ]

# Broken state files: a clear error and a failing amixer, never a crash.
head -c 3000 "$S18" >"$TMP/trunc.state"
sim_conf trunc "$TMP/trunc.state"
amixer -D trunc controls >/dev/null 2>"$TMP/trunc.err"
rc=$?
grep -q "trunc.state: syntax error" "$TMP/trunc.err" && msg=yes || msg=no
check "truncated file: amixer fails cleanly (rc $rc, message $msg)" \
    [ "$rc" -gt 0 -a "$rc" -lt 128 -a $msg = yes ]
awk '/name .Internal Validity./ && !done { done = 1; next } { print }' \
    "$S18" >"$TMP/noname.state"
sim_conf noname "$TMP/noname.state"
amixer -D noname controls >/dev/null 2>"$TMP/noname.err"
rc=$?
grep -q "noname.state: card 'USB': control.1: no name" "$TMP/noname.err" &&
    msg=yes || msg=no
check "control without a name: amixer fails cleanly (rc $rc, message $msg)" \
    [ "$rc" -gt 0 -a "$rc" -lt 128 -a $msg = yes ]

# Memory errors in the plugin (alsa-lib's own leaks are not counted).
if command -v valgrind >/dev/null 2>&1; then
	check "valgrind: no memory errors in amixer contents" \
	    sh -c 'valgrind -q --error-exitcode=99 amixer -D sim contents \
	    >/dev/null 2>"$1"' sh "$TMP/valgrind.log"
else
	ok "valgrind: no memory errors # SKIP valgrind not installed"
fi

# Every device file and every card block in it loads.
i=0
for f in "$DEVICES"/*.state; do
	b=0
	for card in $(blocks "$f"); do
		b=$((b + 1))
		i=$((i + 1))
		if [ $b -eq 1 ]; then
			sim_conf "dev$i" "$f"
		else
			sim_conf "dev$i" "$f" card "$card"
		fi
		n=$(amixer -D "dev$i" controls 2>/dev/null | wc -l)
		want=$(ncontrols "$f" $b)
		check "$(basename "$f") block $b ($card): $n controls" \
		    [ "$n" -eq "$want" -a "$n" -gt 0 ]
	done
done

done_testing
