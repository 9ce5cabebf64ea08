# The VM tier's real driver checks, sourced by tests/vm/guest.sh: the
# kernel's own snd-usb-audio and scarlett2 driver on tests/vm/scarlett-emu
# (an emulated Scarlett on vhci-hcd).  Each model of tests/vm/real/models
# for this kernel series is plugged in and its card's `alsactl store` is
# diffed against its dump; then the service runs on the emulated 18i20
# Gen 3 with a surface on snd-virmidi, and a flood of fader moves is
# measured.  Every check's name starts with "real driver:".
#
# Kernel command line (set by run.sh): sm.checks=all|basic|real,
# sm.models=all|MODEL,..., sm.flood=SECONDS (0: no floods).

EMULOG=$TMP/emu.log
EMUCTL=$TMP/emu.ctl
RLOG=$TMP/real.log
RFB=$TMP/real-fb

# cmdline KEY DEFAULT: the value of sm.KEY= on the kernel command line.
cmdline()
{
	_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^sm\.$1=//p" | tail -n 1)
	echo "${_v:-$2}"
}

REAL_CHECKS=$(cmdline checks all)
REAL_FLOOD=$(cmdline flood 5)
_want=$(cmdline models all)
KSERIES=$(uname -r | cut -d. -f1-2)
RD="real driver: $KSERIES:"		# how every check's name starts
# The models of this kernel series: "model file block" a line.
REAL_MODELS=$(grep -v '^#' /tests/vm/real/models |
    awk -v k="$KSERIES" -v w=",$_want," '$2 == k &&
    (w == ",all," || index(w, "," $1 ",")) { print $1, $3, $4 }')
# The service checks run on the 18i20 Gen 3 only.  The driver's mix gains
# run from -80 dB to +6 dB (0..172) on 6.1, to +12 dB (0..184) on 6.12;
# the gain at the top as its table has it, and the state of Mix A Input
# 01 as the dump has it (6.1: 160 is CC 118; 6.12: 0).
SERVICE_MODEL=18i20-gen3
case $KSERIES in
6.1)	MIX_TOP=16345 START_CC=76 ;;
*)	MIX_TOP=32612 START_CC=00 ;;
esac
REAL_NMODELS=$(echo "$REAL_MODELS" | grep -c .)
REAL_PLAN=$((REAL_NMODELS * 3))
echo "$REAL_MODELS" | grep -q "^$SERVICE_MODEL " &&
    REAL_PLAN=$((REAL_PLAN + 24))
[ "$REAL_FLOOD" -gt 0 ] && echo "$REAL_MODELS" | grep -q "^$SERVICE_MODEL " &&
    REAL_PLAN=$((REAL_PLAN + 8))
[ "$REAL_FLOOD" -gt 0 ] && [ "$REAL_CHECKS" = all ] &&
    echo "$REAL_MODELS" | grep -q "^$SERVICE_MODEL " &&
    REAL_PLAN=$((REAL_PLAN + 3))

# emu CMD...: a command to the emulator, on its FIFO.
emu()
{
	echo "$*" >"$EMUCTL"
}

# emu_has PATTERN [LINE]: the emulator logged PATTERN after line LINE.
emu_has()
{
	tail -n +$((${2:-0} + 1)) "$EMULOG" | grep -q -- "$1"
}

# emu_mark: a mark in the emulator's log once it has read it; prints the
# line count after it.
emu_mark()
{
	_mk="mark $$-$(now)"
	emu "$_mk"
	wait_for 5 grep -q "$_mk" "$EMULOG"
	lines "$EMULOG"
}

# card_of NAME: the index of the card whose name has NAME.
card_of()
{
	grep -F "$1" /proc/asound/cards | awk '{ print $1; exit }'
}

# norm_state: one block of an alsactl state file without its name and
# without the Level Meter (its value is the signal level of the moment);
# controls are compared in order, without their numbers.
norm_state()
{
	awk '
	/^state\./ { print "state {"; next }
	/^\tcontrol\.[0-9]+ \{$/ {
		buf = "\tcontrol {\n"
		in_ctl = 1
		lm = 0
		next
	}
	in_ctl {
		buf = buf $0 "\n"
		if ($0 ~ /^\t\tname .Level Meter.$/)
			lm = 1
		if ($0 == "\t}") {
			in_ctl = 0
			if (!lm)
				printf "%s", buf
		}
		next
	}
	{ print }' "$@"
}

# emu_start MODEL PRESET: plug in an emulated MODEL; waits for its card
# and sets RCARD to its index.
emu_start()
{
	rm -f "$EMUCTL"
	: >"$EMULOG"
	_t0=$(now)
	scarlett-emu -l "$EMULOG" -c "$EMUCTL" -s "$2" "$1" \
	    2>>$TMP/emu.err </dev/null &
	emu_pid=$!
	RCARD=
	wait_for 10 grep -q vhci_hcd /proc/asound/cards || return 1
	RCARD=$(awk '/^ *[0-9]+ \[/ { c = $1 } /vhci_hcd/ { print c; exit }' \
	    /proc/asound/cards)
	diag "attach to card: $(awk -v a="$_t0" -v b="$(now)" \
	    'BEGIN { printf "%.2f", b - a }') s, card $RCARD," \
	    "$(grep -c . "$EMULOG") log lines"
	[ -n "$RCARD" ]
}

# emu_stop: unplug and end the emulator.
emu_stop()
{
	emu quit
	wait $emu_pid 2>/dev/null
	wait_for 5 sh -c "! grep -q vhci_hcd /proc/asound/cards"
}

# not CMD...: CMD fails.
not()
{
	! "$@"
}

# --- The dumps: each model's card against its dump. ---------------------

# real_model MODEL FILE BLOCK
real_model()
{
	_base=${2%.state}.$3
	_dump=/tests/vm/dumps/$_base
	REAL_PRESET=/tests/vm/presets/$_base
	check "$RD $1 plugged in, its card appears" \
	    emu_start "$1" "/tests/vm/presets/$_base"
	# alsactl keeps the other cards of an existing file: start afresh.
	rm -f $TMP/store.state
	alsactl -f $TMP/store.state store "$RCARD" >$TMP/alsactl.out 2>&1
	norm_state $TMP/store.state >$TMP/store.norm
	norm_state "$_dump.state" >$TMP/dump.norm
	diff -u $TMP/dump.norm $TMP/store.norm | tail -n +3 >$TMP/store.diff
	cp $TMP/store.diff $TMP/store.diff.all
	# A dump made with another driver version may differ by what its
	# real/FILE.BLOCK.known shows, exactly.
	if [ -f /tests/vm/real/$_base.state.known ]; then
		check "$RD $1: alsactl store equals $_base but for the known diff" \
		    cmp -s /tests/vm/real/$_base.state.known $TMP/store.diff
		cmp -s /tests/vm/real/$_base.state.known $TMP/store.diff &&
		    : >$TMP/store.diff
	else
		check "$RD $1: alsactl store equals $_base" \
		    [ -s $TMP/store.norm -a ! -s $TMP/store.diff ]
	fi
	if [ -s $TMP/store.diff ]; then
		diag "$(cat $TMP/alsactl.out)"
		diag "$(head -n 60 $TMP/store.diff)"
		diag "$(tail -n 30 "$EMULOG")"
		dmesg | tail -n 20 >$TMP/dmesg.tail
		diag "$(cat $TMP/dmesg.tail)"
	fi
	diag "$(grep -c '^	control\.' $TMP/store.state) controls"
	scarlett-midi list -D hw:$RCARD >$TMP/real.list 2>&1
	sed 's/^numid=[0-9]* //' "$_dump.list" >$TMP/dump.list
	sed -i 's/^numid=[0-9]* //' $TMP/real.list
	diff -u $TMP/dump.list $TMP/real.list | tail -n +3 >$TMP/list.diff
	cp $TMP/list.diff $TMP/list.diff.all
	if [ -f /tests/vm/real/$_base.list.known ]; then
		check "$RD $1: list equals list --simulate but for its known diff" \
		    cmp -s /tests/vm/real/$_base.list.known $TMP/list.diff
		cmp -s /tests/vm/real/$_base.list.known $TMP/list.diff &&
		    : >$TMP/list.diff
	else
		check "$RD $1: list -D hw:$RCARD equals list --simulate of $_base" \
		    [ ! -s $TMP/list.diff ]
	fi
	[ -s $TMP/list.diff ] && diag "$(head -n 20 $TMP/list.diff)"
	# SCARLETT_MIDI_VM_APPEND=sm.known=1 prints the whole diffs.
	if [ "$(cmdline known 0)" = 1 ]; then
		sed 's/^/known state: /' $TMP/store.diff.all
		sed 's/^/known list: /' $TMP/list.diff.all
	fi
}

# --- The service on the real driver. ------------------------------------

# fb_after LINE MSG: the surface got MSG after its first LINE lines.
fb_after()
{
	has_after $RFB "$1" "$2"
}

real_service()
{
	vm-midi dump $VIRMIDI >$RFB &
	rdump=$!
	LOG=$RLOG
	scarlett-midi -d -v -f /tests/vm/real/18i20.ini >$LOG 2>&1 &
	pid=$!
	check "$RD the service starts on the 18i20 card" \
	    wait_for 10 grep -q '^ready$' $LOG
	check "$RD ...and binds its 4 mappings" \
	    grep -q "4 of 4 mappings bound" $LOG
	check "$RD full state at start: CC 1 = 0x$START_CC" \
	    wait_for 5 has $RFB "b0 01 $START_CC"

	# CC 1 = 127 is the top gain; the row keeps the preset's others.
	_row=$(awk '$1 == "mix" && $2 == 0 && $3 == 0 {
	    for (i = 5; i <= 12; i++) printf " %s", $i }' "$REAL_PRESET")
	m=$(emu_mark)
	vm-midi send $VIRMIDI b0 01 7f
	check "$RD CC 1 = 127 is SET_MIX of mix 0 with gain $MIX_TOP" \
	    wait_for 5 emu_has \
	    "SET_MIX mix 0 gains $MIX_TOP${_row:- 0 0 0 0 0 0 0 0} " $m

	m=$(emu_mark)
	f=$(lines $RFB)
	vm-midi send $VIRMIDI 90 24 7f
	check "$RD note 36 toggles Air 1: SET_DATA offset 0x8c value 1" \
	    wait_for 5 emu_has "SET_DATA offset 0x8c len 1 value 1" $m
	vm-midi send $VIRMIDI 90 24 00
	check "$RD ...and its LED comes on: note 36 on" \
	    wait_for 5 fb_after $f "90 24 7f"

	# The front panel: Air 2 pressed on the device.
	f=$(lines $RFB)
	emu config 0x8d 1
	emu notify 0x800000
	check "$RD Air 2 pressed on the device: the surface gets note 37 on" \
	    wait_for 5 fb_after $f "90 25 7f"

	# SW/HW: another program hands Line 05 to the front panel knob (the
	# master volume, 0 here); its volume becomes read-only.  (The
	# scarlett2 driver changes this only on such a write, never on a
	# notification.)
	f=$(lines $RFB)
	amixer -c $RCARD -q cset \
	    "name='Line Out 05 Volume Control Playback Enum'" HW
	check "$RD Line 05 switched to HW: the surface gets the knob's CC 5 = 0" \
	    wait_for 5 fb_after $f "b0 05 00"
	f=$(lines $RFB)
	m=$(emu_mark)
	vm-midi send $VIRMIDI b0 05 64
	check "$RD ...a write to its volume is refused" \
	    wait_for 5 grep -q "cannot write 'Line 05 Playback Volume'" $LOG
	sleep 0.3
	check "$RD ...and nothing reaches the device" \
	    not emu_has "SET_DATA offset 0x3c" $m
	check "$RD ...and the surface gets CC 5 = 0 back" \
	    wait_for 2 fb_after $f "b0 05 00"

	# The service's failed writes.  scarlett2 caches a value before its
	# USB write and keeps it when the write fails, and takes a repeat of
	# it for done: a retry must write something else first.  CC 1 is at
	# the top now; CC 1 = 0 is gain 0.
	m=$(emu_mark)
	emu stall 1
	vm-midi send $VIRMIDI b0 01 00
	check "$RD a stalled write of the service's is tried again" \
	    wait_for 5 sh -c "tail -n +$((m + 1)) $EMULOG |
	    grep -q 'cmd 0x2002 .*stall' &&
	    tail -n +$((m + 1)) $EMULOG | grep 'SET_MIX mix 0' | tail -n 1 |
	    grep -q 'gains 0 '"
	check "$RD ...past the driver's cache: the card's value, then the new" \
	    sh -c "tail -n +$((m + 1)) $EMULOG | grep 'SET_MIX mix 0' |
	    tail -n 2 | head -n 1 | grep -q 'gains $MIX_TOP '"
	# Every try fails, and the value written back too: one line, and the
	# surface and every reader are shown what the device holds (gain 0).
	f=$(lines $RFB)
	emu stall 6
	vm-midi send $VIRMIDI b0 01 7f
	check "$RD a write that always fails is given up in one log line" \
	    wait_for 5 sh -c "[ \$(grep -c 'gave up after 5 tries' $LOG) = 1 ]"
	check "$RD ...and the surface is shown the device's value: CC 1 = 0" \
	    wait_for 3 fb_after $f "b0 01 00"
	check "$RD ...which the driver reads again too" \
	    sh -c "amixer -c $RCARD cget \
	    'name=Mix A Input 01 Playback Volume' | grep -q ': values=0\$'"

	# Faults: a stalled request and an error reply fail the write, as
	# the driver reports them.  The driver saves its config to NVRAM 2 s
	# after the last config write (the SW/HW switch above): let that
	# request go first, or it takes the fault meant for amixer's.
	sleep 2.5
	emu stall 1
	check "$RD a stalled SET_MIX fails the write with the driver's -32" \
	    sh -c "! amixer -c $RCARD -q cset \
	    'name=Mix B Input 01 Playback Volume' 100 2>/dev/null &&
	    dmesg | grep -q 'request result cmd 2002 was -32'"
	emu error 1
	check "$RD an error reply fails the write: 'invalid response'" \
	    sh -c "! amixer -c $RCARD -q cset \
	    'name=Mix B Input 02 Playback Volume' 100 2>/dev/null &&
	    dmesg | grep -q 'USB invalid response'"

	# A reply that never comes: the kernel gives up after 5 s and
	# unlinks the URB; the device goes on working.
	m=$(emu_mark)
	emu delay 6000
	amixer -c $RCARD -q cset 'name=Mix B Input 03 Playback Volume' 100 \
	    2>/dev/null
	_rv=$?
	emu delay 0
	check "$RD a reply held 6 s: the write fails, the URB is unlinked" \
	    sh -c "[ $_rv != 0 ] && tail -n +$((m + 1)) $EMULOG |
	    grep -q 'unlink seqnum [0-9]*: held'"
	check "$RD ...and the next write works" \
	    amixer -c $RCARD -q cset 'name=Mix B Input 03 Playback Volume' 100

	# Unplug and plug in again.
	emu unplug
	check "$RD unplugged: the service closes the card and keeps running" \
	    wait_for 5 sh -c "grep -q 'card is gone' \
	    $LOG && kill -0 $pid"
	f=$(lines $RFB)
	_t0=$(now)
	emu replug
	check "$RD plugged in again: the card is reopened" \
	    wait_for 10 sh -c "[ \$(grep -c 'opened .Scarlett 18i20' $LOG) \
	    -ge 2 ]"
	diag "replug to reopened: $(awk -v a="$_t0" -v b="$(now)" \
	    'BEGIN { printf "%.2f", b - a }') s"
	check "$RD ...and the full state resent: CC 1 = 0, notes 36, 37 on" \
	    wait_for 5 sh -c \
	    "tail -n +$((f + 1)) $RFB | grep -q '^b0 01 00\$' &&
	    tail -n +$((f + 1)) $RFB | grep -q '^90 24 7f\$' &&
	    tail -n +$((f + 1)) $RFB | grep -q '^90 25 7f\$'"

	kill -TERM $pid
	wait $pid
	_rv=$?
	pid=
	check "$RD the service exits with status 0 (got $_rv)" [ $_rv = 0 ]
	kill $rdump 2>/dev/null
	wait $rdump 2>/dev/null
	if [ $_tap_failed -gt 0 ]; then
		diag "service log:"
		diag "$(cat $LOG)"
		diag "surface: $(tr '\n' ',' <$RFB)"
	fi
}

# --- Floods: 8 faders x 1000 CC/s into snd-virmidi. ---------------------

# flood NAME DEVICE: run the flood into the raw MIDI DEVICE (snd-virmidi,
# or the gadget's side of the USB MIDI surface) with the service on
# flood.ini and print the figures; sets flood_lost, flood_final (1 if
# every fader's last value reached the device, and was the last write)
# and flood_ms (last byte to that write).
flood()
{
	LOG=$TMP/flood-$1.log
	fdump=
	if [ "$2" = "$VIRMIDI" ]; then
		vm-midi dump $VIRMIDI >/dev/null &
		fdump=$!
	fi
	scarlett-midi -d -f /tests/vm/real/flood.ini >$LOG 2>&1 &
	pid=$!
	wait_for 10 grep -q '^ready$' $LOG
	[ "$2" = "$VIRMIDI" ] ||
	    wait_for 10 grep -q "connected to .*'Test Surface:" $LOG
	sleep 0.5
	m=$(emu_mark)
	vm-midi flood $2 8 1000 "$REAL_FLOOD" >$TMP/flood.out 2>&1
	last=$(sed -n 's/.*last byte at //p' $TMP/flood.out)
	# Wait until the device has been quiet for 2 s (at most 30 s).
	_n=-1
	_i=0
	while [ $_i -lt 30 ]; do
		sleep 2
		_c=$(lines "$EMULOG")
		[ "$_c" = "$_n" ] && break
		_n=$_c
		_i=$((_i + 2))
	done
	kill -TERM $pid
	wait $pid
	pid=
	if [ -n "$fdump" ]; then
		kill $fdump 2>/dev/null
		wait $fdump 2>/dev/null
	fi
	# Lost: an overrun at our input, or fewer messages in than sent.
	_sent=$(sed -n 's/^sent \([0-9]*\) events.*/\1/p' $TMP/flood.out)
	flood_lost=$(grep -c 'input overrun, events' $LOG)
	grep -q "midi: $_sent messages in, 0 input overruns" $LOG ||
	    flood_lost=$((flood_lost + 1))
	# The final values: 127 (the top gain) for odd CCs, 0 for even ones.
	tail -n +$((m + 1)) "$EMULOG" | awk -v last="$last" -v top=$MIX_TOP '
	/ SET_MIX mix 0 gains / {
		n++
		if ($1 > last)
			after++
		t = $1
		row = ""
		for (i = 6; i < 14; i++)
			row = row " " $i
	}
	END {
		want = " " top " 0 " top " 0 " top " 0 " top " 0"
		printf "%d SET_MIX, %d after the last byte, last row%s, ", \
		    n, after, row
		if (row == want)
			printf "final after %.0f ms\n", (t - last) * 1000
		else
			printf "final values never reached the device\n"
	}' >$TMP/flood.fig
	flood_final=0
	flood_ms=99999
	grep -q 'final after' $TMP/flood.fig && flood_final=1 &&
	    flood_ms=$(sed -n 's/.*final after \([0-9]*\) ms.*/\1/p' \
	    $TMP/flood.fig)
	diag "flood $1: $(cat $TMP/flood.out)"
	diag "flood $1: the service says: $(grep 'midi: ' $LOG); $(cat $TMP/flood.fig)"
}

# The bounds are two write rounds of eight faders after the last byte,
# with room for TCG: about 50 ms at full speed, 8 x 2 x 2 x 20 = 640 ms
# at 20 ms per reply.
real_flood()
{
	flood full-speed $VIRMIDI
	check "$RD flood at full speed: no input overrun" [ "$flood_lost" = 0 ]
	check "$RD flood at full speed: each fader's last value on the device" \
	    [ "$flood_final" = 1 ]
	check "$RD ...within 150 ms of the last byte ($flood_ms), then nothing" \
	    [ "$flood_ms" -le 150 ]
	emu delay 20
	flood 20ms-per-reply $VIRMIDI
	emu delay 0
	check "$RD flood at 20 ms per reply: no input overrun" \
	    [ "$flood_lost" = 0 ]
	check "$RD flood at 20 ms per reply: each fader's last value on the device" \
	    [ "$flood_final" = 1 ]
	check "$RD ...within 800 ms of the last byte ($flood_ms), then nothing" \
	    [ "$flood_ms" -le 800 ]
	# The front panel during a flood, the device answering in 100 ms:
	# the driver reads its values again over USB inside our reads (10
	# transfers on 6.1), which run on the reader thread, so the loop goes
	# on taking the flood in.
	emu delay 100
	(sleep 1; emu config 0x8d 0; emu notify 0x800000) &
	_fp=$!
	flood front-panel-100ms-per-reply $VIRMIDI
	wait $_fp
	emu delay 0
	check "$RD flood with a front-panel change, 100 ms per reply: no input overrun" \
	    [ "$flood_lost" = 0 ]
	check "$RD ...each fader's last value on the device" \
	    [ "$flood_final" = 1 ]
	# A USB surface: snd-seq-midi drops what our input has no room for.
	if [ "$REAL_CHECKS" = all ]; then
		plug
		emu delay 20
		flood usb-20ms-per-reply $GMIDI
		emu delay 0
		unplug
		check "$RD flood from a USB surface at 20 ms per reply: no input overrun" \
		    [ "$flood_lost" = 0 ]
		check "$RD ...each fader's last value on the device" \
		    [ "$flood_final" = 1 ]
		check "$RD ...within 800 ms of the last byte ($flood_ms), then nothing" \
		    [ "$flood_ms" -le 800 ]
	fi
}

real_checks()
{
	set -- $REAL_MODELS
	while [ $# -ge 3 ]; do
		real_model "$1" "$2" "$3"
		if [ "$1" = "$SERVICE_MODEL" ]; then
			real_service
			[ "$REAL_FLOOD" -gt 0 ] && real_flood
		fi
		emu_stop
		shift 3
	done
}
