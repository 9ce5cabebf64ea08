# Shared helpers for the shell tests: TAP output and a scratch directory.
# Source it, call plan N (or plan_skip "reason"), then ok/not_ok per check.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SCARLETT_MIDI_PLUGIN:=$top_builddir/libasound_module_ctl_scarlett_sim.so}"
export top_srcdir top_builddir SCARLETT_MIDI_PLUGIN

SM="$top_builddir/scarlett-midi"
SIMHW="$top_builddir/tests/sim-hw"
DEVICES="$top_srcdir/devices"

_tap_n=0
_tap_failed=0

# Declare how many checks follow.
plan()
{
	echo "1..$1"
}

# Skip the whole script with a reason (exit 77 is automake's SKIP too).
plan_skip()
{
	echo "1..0 # SKIP $*"
	exit 0
}

ok()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

not_ok()
{
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $*"
}

# check "description" command...: ok if the command succeeds.
check()
{
	_d=$1
	shift
	if "$@"; then
		ok "$_d"
	else
		not_ok "$_d"
	fi
}

# Print a diagnostic line (TAP comment).
diag()
{
	echo "$*" | sed 's/^/# /'
}

# A scratch directory removed at exit; SCARLETT_MIDI_SIM_DIR lives in it
# so each test script has its own simulated card state.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/scarlett-midi-test.XXXXXX")
SCARLETT_MIDI_SIM_DIR="$TMP/sim"
export SCARLETT_MIDI_SIM_DIR
# ...and its own runtime directory, where a service keeps its control
# socket and instance lock: test scripts may run at once.
XDG_RUNTIME_DIR="$TMP/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT

# Write an ALSA configuration that defines ctl device $1 as the simulated
# card of state file $2 (extra plugin arguments follow), and point
# ALSA_CONFIG_PATH at it so amixer -D $1 sees the card.
sim_conf()
{
	_name=$1
	_state=$2
	shift 2
	{
		echo "ctl_type.scarlett_sim { lib \"$SCARLETT_MIDI_PLUGIN\" }"
		echo "ctl.$_name { type scarlett_sim state \"$_state\" $* }"
	} >>"$TMP/asound.conf"
	ALSA_CONFIG_PATH="$TMP/asound.conf"
	export ALSA_CONFIG_PATH
}

# Exit with TAP's verdict: non-zero if any check failed.
done_testing()
{
	exit $((_tap_failed > 0))
}

# The end-to-end helpers: a service on a simulated card, fed raw MIDI
# through a FIFO, its feedback collected in $TMP/fb and its log in
# $TMP/log; the card is ctl device "sim" (see sim_conf).

# start_service STATEFILE INIFILE [OPTION...]: start the service; its pid
# is in $pid.
start_service()
{
	mkfifo "$TMP/in" "$TMP/out"
	# Keep the feedback FIFO open for reading before the daemon opens it.
	cat "$TMP/out" >"$TMP/fb" &
	exec 3<>"$TMP/in"
	_state=$1
	_ini=$2
	shift 2
	${VALGRIND:-} "$SM" -d -v --simulate "$_state" --midi-in "$TMP/in" \
	    --midi-out "$TMP/out" -f "$_ini" "$@" >"$TMP/log" 2>&1 &
	pid=$!
}

# wait_for CMD...: poll up to 5 s (WAIT_TRIES times 50 ms) for CMD to
# succeed.
wait_for()
{
	_i=0
	while [ $_i -lt "${WAIT_TRIES:-100}" ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.05
		_i=$((_i + 1))
	done
	return 1
}

# Feedback messages so far, one per line as " b0 01 7f" (a SysEx whole,
# " f0 ... f7"; a message with one data byte, " d0 0c").
fb()
{
	od -An -tx1 -v "$TMP/fb" | tr -s ' \n' '\n\n' | awk '
	    $0 == "" { next }
	    /^[89a-f]/ && !(sx && $0 == "f7") {
		if (m != "") print m
		m = ""; sx = $0 == "f0"
	    }
	    { m = m " " $0 }
	    sx && $0 == "f7" { print m; m = ""; sx = 0 }
	    END { if (m != "") print m }'
}

# fb_has MSG [N]: the feedback holds message MSG (e.g. "b0 01 40") at
# least N times (default 1).
fb_has()
{
	[ "$(fb | grep -c "^ $1\$")" -ge "${2:-1}" ]
}

# fb_count MSG: how many times the feedback holds MSG.
fb_count()
{
	fb | grep -c "^ $1\$"
}

# cget NAME: the values of a control, as amixer shows them.
cget()
{
	amixer -D sim cget "name='$1'" | sed -n 's/^  : values=//p'
}

# cset NAME VALUE: set a control as another program would.
cset()
{
	amixer -D sim -q cset "name='$1'" "$2"
}

# value_is NAME VALUE
value_is()
{
	[ "$(cget "$1")" = "$2" ]
}

# send BYTES: write raw MIDI, given as octal escapes.
send()
{
	printf "$1" >&3
}

# stop_service: SIGTERM the service, check that it exits with status 0,
# show its log as diagnostics, and end the test script.
stop_service()
{
	kill -TERM $pid
	wait $pid
	_rv=$?
	pid=
	check "SIGTERM ends it cleanly (status $_rv)" [ "$_rv" = 0 ]
	exec 3>&-
	diag "$(cat "$TMP/log")"
	done_testing
}
