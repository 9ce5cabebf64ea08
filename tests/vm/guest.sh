#!/bin/sh
# The VM tier's guest side: /init of the initramfs that tests/vm/run.sh
# builds.  Loads the sound and USB gadget modules of the unmodified Debian
# kernel, runs the real scarlett-midi against them, prints TAP on the
# second serial port (/dev/ttyS1) and powers the machine off.

PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH

# Bring up what a busybox system needs; no udev: devtmpfs makes /dev/snd.
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
exec 1>/dev/ttyS1 2>/dev/console

top_srcdir=/
top_builddir=/
. /tests/lib.sh

KVER=$(uname -r)
CARD=0				# snd-dummy, where the 18i20 elements go
VIRMIDI=/dev/snd/midiC1D0	# snd-virmidi index=1: the first surface
VIRMIDI1=/dev/snd/midiC1D1	# ...and its second port, for check 5
GADGET=/sys/kernel/config/usb_gadget/sm
LOG=$TMP/service.log

# The end: whatever happened, power off so QEMU exits.
finish()
{
	sync
	poweroff -f
	sleep 10
}

# Seconds since boot, with hundredths.
now()
{
	cut -d' ' -f1 /proc/uptime
}

# wait_for SECONDS CMD...: poll every 20 ms until CMD succeeds.
wait_for()
{
	_end=$(awk -v t="$(now)" -v d="$1" 'BEGIN { print t + d }')
	shift
	while :; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		if awk -v t="$(now)" -v e="$_end" \
		    'BEGIN { exit !(t > e) }'; then
			return 1
		fi
		usleep 20000
	done
}

# cget NAME: the values of a control of the dummy card, as amixer shows.
cget()
{
	amixer -c $CARD cget "name='$1'" | sed -n 's/^  : values=//p'
}

# value_is NAME VALUE
value_is()
{
	[ "$(cget "$1")" = "$2" ]
}

# has FILE MSG [N]: the dump FILE holds message MSG at least N times.
has()
{
	[ "$(grep -c "^$2\$" "$1")" -ge "${3:-1}" ]
}

# has_after FILE LINE MSG: MSG arrived after the first LINE lines.
has_after()
{
	tail -n +$(($2 + 1)) "$1" | grep -q "^$3\$"
}

# lines FILE: how many lines FILE has.
lines()
{
	wc -l <"$1"
}

# The service runs.
alive()
{
	kill -0 $pid 2>/dev/null
}

# count PATTERN: matching lines in the service log.
count()
{
	grep -c "$1" "$LOG"
}

# Load the modules, in the order modprobe --show-depends gave.
for f in $(cat /modules.list); do
	m=${f##*/}
	m=${m%.ko}
	case $m in
	snd-dummy)	p="index=0" ;;
	snd-virmidi)	p="index=1 midi_devs=2" ;;
	# 6.1 shows the 18i20 Gen 3's 'MSD Mode Switch' (as its dump has it)
	# only so: its own slot, the first, gets device_setup=2.
	snd-usb-audio)	case $KVER in
			6.1.*)	p="pid=0x8215 device_setup=2" ;;
			*)	p= ;;
			esac ;;
	*)		p= ;;
	esac
	insmod "$f" $p >/dev/console 2>&1 || echo "vm: insmod $m failed" >&2
done
mount -t configfs configfs /sys/kernel/config

# The real driver checks on the emulated Scarlett (tests/vm/real.sh): all
# of them after the others, or alone (sm.checks=real on the command line).
# The others are 97: checks 1-6, 7 (tests/vm/desktop.sh), 8
# (tests/vm/persurface.sh).
. /tests/vm/real.sh
case $REAL_CHECKS in
real)	plan $REAL_PLAN
	real_checks
	finish ;;
bench)	. /tests/vm/bench.sh
	plan 1
	check "real driver: the benchmark ran" real_bench
	finish ;;
basic)	plan 97 ;;
*)	plan $((97 + REAL_PLAN)) ;;
esac

# --- The surfaces' other ends, before the service starts. ---------------

# The USB MIDI gadget, configured but not yet plugged in (bound to the
# dummy UDC) until check 3.
mkdir -p $GADGET/strings/0x409 $GADGET/configs/c.1 $GADGET/functions/midi.usb0
echo 0x1d6b >$GADGET/idVendor		# Linux Foundation
echo 0x0104 >$GADGET/idProduct		# multifunction composite gadget
echo scarlett-midi >$GADGET/strings/0x409/manufacturer
echo "Test Surface" >$GADGET/strings/0x409/product
echo SMGadget >$GADGET/functions/midi.usb0/id
ln -s $GADGET/functions/midi.usb0 $GADGET/configs/c.1/

# plug: plug the gadget in.  Binding it to the UDC creates its card on the
# device side at once, and the host enumerates it a while later; start
# reading what the surface receives in between, so nothing is missed.
plug()
{
	echo dummy_udc.0 >$GADGET/UDC
	_c=$(readlink /proc/asound/SMGadget)
	GMIDI=/dev/snd/midiC${_c#card}D0
	vm-midi dump $GMIDI >>$TMP/gadget &
	gdump=$!
}

# unplug: pull the gadget out.  Its card is freed only when nothing has
# it open, so the reader goes first.
unplug()
{
	kill $gdump 2>/dev/null
	wait $gdump 2>/dev/null
	echo >$GADGET/UDC
}

# What the surface on snd-virmidi receives, one message a line.
vm-midi dump $VIRMIDI >$TMP/virmidi &
vdump=$!
: >$TMP/gadget

# --- Check 2 setup: the 18i20's elements as user controls. --------------

vm-ctl -d $TMP/sim hw:$CARD /devices/Scarlett-Gen-3-18i20.state \
    >$TMP/vm-ctl.out 2>&1
check "check 2: every element of the Gen 3 18i20 is created on snd-dummy" \
    grep -q '^\([0-9]*\) of \1 elements added$' $TMP/vm-ctl.out
diag "$(cat $TMP/vm-ctl.out)"

# Names, types, ranges, items and dB as the kernel reports them, against
# the simulated card's (access is left out: user controls are read-write).
norm()
{
	sed "s/^numid=[0-9]* //; s/ [r-][w-][v-][i-][l-] / /" "$@"
}
scarlett-midi list -D hw:$CARD 2>&1 | norm >$TMP/list
norm /tests/vm/expected.list | grep -vxF -f $TMP/list >$TMP/list.missing
check "check 2: the kernel shows the same names, types, ranges, items, dB" \
    [ -s /tests/vm/expected.list -a ! -s $TMP/list.missing ]
[ -s $TMP/list.missing ] && diag "$(head -n 20 $TMP/list.missing)"

# --- Check 1: a surface on snd-virmidi, through the real sequencer. -----

scarlett-midi -d -v -f /tests/vm/vm.ini >$LOG 2>&1 &
pid=$!

check "check 1: the service starts and says it is ready" \
    wait_for 5 grep -q '^ready$' $LOG
check "check 1: it connects to 'VirMIDI 1-0' by name" \
    grep -q "connected to [0-9]*:0 'Virtual Raw MIDI 1-0:VirMIDI 1-0'" $LOG
check "check 1: the kernel has the subscriptions both ways" \
    sh -c "grep -A3 '\"VirMIDI 1-0\"' /proc/asound/seq/clients |
    grep -q 'Connecting To: [0-9]*:0' &&
    grep -A3 '\"VirMIDI 1-0\"' /proc/asound/seq/clients |
    grep -q 'Connected From: [0-9]*:1'"
# The full state at start: 160 of 0..172 is CC 1 = 118.
check "check 1: feedback reaches the surface: full state, CC 1 = 118" \
    wait_for 2 has $TMP/virmidi "b0 01 76"
vm-midi send $VIRMIDI b0 01 7f
check "check 1: CC 1 = 127 from the surface sets the mix gain to 172" \
    wait_for 2 value_is 'Mix A Input 01 Playback Volume' 172

# --- Check 2: kernel events from other processes, and no echo. ----------

amixer -c $CARD -q cset "name='Mix A Input 01 Playback Volume'" 86
check "check 2: amixer sets the mix gain to 86: CC 1 = 64 goes out" \
    wait_for 2 has $TMP/virmidi "b0 01 40"
sleep 0.3
check "check 2: the service's own write (CC 1 = 127) is not echoed" \
    sh -c "! grep -q '^b0 01 7f\$' $TMP/virmidi"
vm-midi send $VIRMIDI 90 24 7f
check "check 2: note 36 on turns Air on" \
    wait_for 2 value_is 'Line In 1 Air Capture Switch' on
sleep 0.3
check "check 2: ...and is not echoed" \
    sh -c "! grep -q '^90 24 7f\$' $TMP/virmidi"
amixer -c $CARD -q cset "name='Line In 1 Air Capture Switch'" off
check "check 2: amixer turns Air off: note 36 off goes out" \
    wait_for 2 has $TMP/virmidi "90 24 00" 2
vm-midi send $VIRMIDI b0 04 7f
check "check 2: CC 4 = 127 selects the last item of an enumeration" \
    wait_for 2 value_is 'Line In 1 Level Capture Enum' 1

# --- Check 3: a USB MIDI surface comes, goes and comes back. ------------

# connected_within SECONDS: the host side's port appears, then the
# service subscribes to it within SECONDS.
connected_within()
{
	_n=$(count "connected to .*'Test Surface:")
	wait_for 10 grep -q '"Test Surface MIDI 1"' /proc/asound/seq/clients ||
	    { diag "the USB MIDI port did not appear"; return 1; }
	_t0=$(now)
	wait_for "$1" sh -c "[ \$(grep -c \"connected to .*'Test Surface:\" \
	    $LOG) -gt $_n ]" || return 1
	diag "connected $(awk -v a="$_t0" -v b="$(now)" \
	    'BEGIN { printf "%.2f", b - a }') s after the port appeared"
}

plug
check "check 3: a USB MIDI surface plugged in later is connected within 1 s" \
    connected_within 1
check "check 3: it gets the full state: CC 1 = 64" \
    wait_for 2 has $TMP/gadget "b0 01 40"
check "check 3: ...after its connect SysEx, through the sequencer and USB" \
    sh -c "grep -n -e '^f0 7d 01 02 03 f7\$' -e '^b0 01 40\$' $TMP/gadget |
    head -1 | grep -q ':f0'"
vm-midi send $GMIDI b0 02 40
check "check 3: CC 2 = 64 over USB sets the headphones to 64" \
    wait_for 2 value_is 'Line 07 (Headphones 1 L) Playback Volume' 64

unplug
check "check 3: unplugged, its port is gone" \
    wait_for 5 sh -c "! grep -q '\"Test Surface MIDI 1\"' \
    /proc/asound/seq/clients"
vm-midi send $VIRMIDI b0 01 20
check "check 3: unplugged, the service keeps running" alive
check "check 3: ...and takes MIDI: CC 1 = 32 sets the mix gain to 43" \
    wait_for 2 value_is 'Mix A Input 01 Playback Volume' 43

# full_state_after LINE: the USB surface got CC 1 = 32 and CC 2 = 64 after
# the first LINE lines.
full_state_after()
{
	has_after $TMP/gadget $1 "b0 01 20" &&
	    has_after $TMP/gadget $1 "b0 02 40"
}

mark=$(lines $TMP/gadget)
plug
check "check 3: plugged in again, it is reconnected within 1 s" \
    connected_within 1
check "check 3: ...and gets the full current state: CC 1 = 32, CC 2 = 64" \
    wait_for 2 full_state_after $mark

# --- Check 4: the card goes away and comes back. ------------------------

# Unbinding the platform device frees the card; snd_card_free() waits
# until every open file of it is closed, so this ends only if the service
# lets go of it.  (rmmod would fail: the open control holds the module.)
(echo snd_dummy.0 >/sys/bus/platform/drivers/snd_dummy/unbind &&
    : >$TMP/unbound) &
check "check 4: the card is removed: the service closes it at once" \
    wait_for 5 test -e $TMP/unbound
check "check 4: ...with a clear log line, and keeps running" \
    sh -c "grep -q 'hw:$CARD: card is gone' $LOG && kill -0 $pid"
check "check 4: ...and still takes MIDI without a card" \
    sh -c "vm-midi send $VIRMIDI b0 01 10 && sleep 0.3 && kill -0 $pid"

echo snd_dummy.0 >/sys/bus/platform/drivers/snd_dummy/bind
check "check 4: the card returns: the service reopens it by itself" \
    wait_for 3 sh -c "[ \$(grep -c \"opened 'Dummy'\" $LOG) -ge 2 ]"
check "check 4: ...and binds what it has: 1 of 5 mappings" \
    wait_for 2 grep -q 'hw:0: 1 of 5 mappings bound' $LOG
vm-midi send $VIRMIDI b0 0a 7f
check "check 4: ...and CC 10 = 127 sets its Master Volume to 100" \
    wait_for 2 value_is 'Master Volume' 100,100

# stop: SIGTERM the service; it must exit with status 0.
stop()
{
	kill -TERM $pid
	wait $pid
	_rv=$?
	pid=
	check "$1 (got $_rv)" [ "$_rv" = 0 ]
}

stop "the service exits with status 0 on SIGTERM"
unplug

# --- Check 5: two surfaces, one file each, the same CC. -----------------

# A (a.ini) is VirMIDI 1-0 with CC 20 on Synth Volume, B (b.ini) is
# VirMIDI 1-1 with CC 20 on Line Volume; c.ini names no port and has CC 21
# on CD Volume.  snd-dummy's volumes are -50..100: 100 is CC 127, 0 is
# CC 42, -50 is CC 0.
vm-midi dump $VIRMIDI1 >$TMP/virmidi1 &
vdump1=$!
amixer -c $CARD -q cset "name='Synth Volume'" 100
amixer -c $CARD -q cset "name='Line Volume'" 0
amixer -c $CARD -q cset "name='CD Volume'" 0
a0=$(lines $TMP/virmidi)
LOG=$TMP/surfaces.log
scarlett-midi -d -v -f /tests/vm/surfaces >$LOG 2>&1 &
pid=$!

# shows FILE LINE MSG NOT: MSG arrived after the first LINE lines of FILE,
# and NOT did not.
shows()
{
	has_after "$1" "$2" "$3" && ! has_after "$1" "$2" "$4"
}

check "check 5: the service starts with a file for each of two surfaces" \
    wait_for 5 grep -q '^ready$' $LOG
# The full state goes in file order: c.ini's CC 21 comes last.
check "check 5: both get the full state of the file with no port: CC 21" \
    wait_for 2 sh -c "tail -n +$((a0 + 1)) $TMP/virmidi |
    grep -q '^b0 15 2a\$' && grep -q '^b0 15 2a\$' $TMP/virmidi1"
check "check 5: A gets its own full state: CC 20 = 127 (Synth), not 42" \
    shows $TMP/virmidi $a0 "b0 14 7f" "b0 14 2a"
check "check 5: B gets its own full state: CC 20 = 42 (Line), not 127" \
    shows $TMP/virmidi1 0 "b0 14 2a" "b0 14 7f"

vm-midi send $VIRMIDI b0 14 00
check "check 5: CC 20 = 0 from A sets A's Synth Volume to -50" \
    wait_for 2 value_is 'Synth Volume' -50,-50
sleep 0.3
check "check 5: ...and leaves B's Line Volume at 0" \
    value_is 'Line Volume' 0,0
vm-midi send $VIRMIDI1 b0 14 7f
check "check 5: CC 20 = 127 from B sets B's Line Volume to 100" \
    wait_for 2 value_is 'Line Volume' 100,100
sleep 0.3
check "check 5: ...and leaves A's Synth Volume at -50" \
    value_is 'Synth Volume' -50,-50

a1=$(lines $TMP/virmidi)
b1=$(lines $TMP/virmidi1)
amixer -c $CARD -q cset "name='Synth Volume'" 0
check "check 5: amixer sets A's Synth Volume to 0: CC 20 = 42 goes to A" \
    wait_for 2 has_after $TMP/virmidi $a1 "b0 14 2a"
sleep 0.3
check "check 5: ...and nothing goes to B" \
    [ "$(lines $TMP/virmidi1)" = "$b1" ]

vm-midi send $VIRMIDI b0 15 7f
check "check 5: the file with no port hears A: CC 21 = 127 sets CD to 100" \
    wait_for 2 value_is 'CD Volume' 100,100
# A's move is not echoed to A, but B has not seen it.
check "check 5: ...and B is shown it: CC 21 = 127" \
    wait_for 2 has $TMP/virmidi1 "b0 15 7f"
check "check 5: ...and A, which sent it, is not echoed" \
    sh -c "! grep -q '^b0 15 7f\$' $TMP/virmidi"
vm-midi send $VIRMIDI1 b0 15 00
check "check 5: ...and hears B: CC 21 = 0 sets CD to -50" \
    wait_for 2 value_is 'CD Volume' -50,-50
a1=$(lines $TMP/virmidi)
b1=$(lines $TMP/virmidi1)
amixer -c $CARD -q cset "name='CD Volume'" 0
check "check 5: amixer sets CD to 0: CC 21 = 42 goes to both" \
    wait_for 2 sh -c "tail -n +$((a1 + 1)) $TMP/virmidi |
    grep -q '^b0 15 2a\$' &&
    tail -n +$((b1 + 1)) $TMP/virmidi1 | grep -q '^b0 15 2a\$'"

# B's second port, the USB gadget, comes and goes while the service runs:
# the port the service finds again must still be B's only.  Now Synth is
# 0 (CC 42), Line 100 (CC 127).
# usb_shows_b LINE: after the first LINE lines, the USB surface got the
# full state (up to its last message, CC 21) with B's CC 20, not A's.
usb_shows_b()
{
	wait_for 10 has_after $TMP/gadget $1 "b0 15 2a" &&
	    shows $TMP/gadget $1 "b0 14 7f" "b0 14 2a"
}

g0=$(lines $TMP/gadget)
plug
check "check 5: B's USB port, plugged in, gets B's CC 20 = 127, not A's" \
    usb_shows_b $g0
unplug
check "check 5: unplugged, the service forgets its port" \
    wait_for 5 grep -q "disconnected from" $LOG
g0=$(lines $TMP/gadget)
plug
check "check 5: plugged in again, it is B's again: CC 20 = 127, not 42" \
    usb_shows_b $g0
a1=$(lines $TMP/virmidi)
b1=$(lines $TMP/virmidi1)
g0=$(lines $TMP/gadget)
amixer -c $CARD -q cset "name='Line Volume'" 0
check "check 5: amixer sets B's Line Volume to 0: CC 20 = 42 goes to both" \
    wait_for 2 sh -c "tail -n +$((b1 + 1)) $TMP/virmidi1 |
    grep -q '^b0 14 2a\$' &&
    tail -n +$((g0 + 1)) $TMP/gadget | grep -q '^b0 14 2a\$'"
sleep 0.3
check "check 5: ...and nothing goes to A" \
    [ "$(lines $TMP/virmidi)" = "$a1" ]

stop "check 5: the service exits with status 0 on SIGTERM"
unplug
SURFACES_LOG=$LOG

# --- Check 6: a control appears after the card was opened, and goes. ---

LOG=$TMP/late.log
scarlett-midi -d -v -f /tests/vm/late.ini >$LOG 2>&1 &
pid=$!

# started_without: the service is ready and said it lacks 'Late Volume'.
started_without()
{
	wait_for 5 grep -q '^ready$' $LOG &&
	    grep -q "has no control 'Late Volume'" $LOG
}

# bound N: the log says N times that 'Late Volume' appeared and is bound.
bound()
{
	[ "$(count "'Late Volume' appeared and is bound")" -ge "$1" ]
}

check "check 6: the service starts without 'Late Volume' and says so" \
    started_without
a0=$(lines $TMP/virmidi)
vm-ctl -a hw:$CARD 'Late Volume' 0 127 100
check "check 6: created as a user control: 'appeared and is bound'" \
    wait_for 2 bound 1
check "check 6: ...and its value goes to the surface: CC 30 = 100" \
    wait_for 2 has_after $TMP/virmidi $a0 "b0 1e 64"
vm-midi send $VIRMIDI b0 1e 07
check "check 6: CC 30 = 7 from the surface sets it to 7" \
    wait_for 2 value_is 'Late Volume' 7
a0=$(lines $TMP/virmidi)
amixer -c $CARD -q cset "name='Late Volume'" 20
check "check 6: amixer sets it to 20: CC 30 = 20 goes out" \
    wait_for 2 has_after $TMP/virmidi $a0 "b0 1e 14"

vm-ctl -r hw:$CARD 'Late Volume'
check "check 6: removed: the service logs 'was removed'" \
    wait_for 2 grep -q "'Late Volume' was removed" $LOG
vm-midi send $VIRMIDI b0 1e 08
sleep 0.3
check "check 6: ...and keeps running when its CC comes" alive

a0=$(lines $TMP/virmidi)
vm-ctl -a hw:$CARD 'Late Volume' 0 127 50
check "check 6: created again: bound again" \
    wait_for 2 bound 2
check "check 6: ...and its value goes to the surface: CC 30 = 50" \
    wait_for 2 has_after $TMP/virmidi $a0 "b0 1e 32"
vm-midi send $VIRMIDI b0 1e 09
check "check 6: ...and CC 30 = 9 sets it to 9" \
    wait_for 2 value_is 'Late Volume' 9

stop "check 6: the service exits with status 0 on SIGTERM"
LATE_LOG=$LOG

# --- Check 7: a desktop's sequencer. ------------------------------------
. /tests/vm/desktop.sh

# --- Check 8: settings per surface. -------------------------------------
. /tests/vm/persurface.sh

kill $vdump $vdump1 2>/dev/null
if [ $_tap_failed -gt 0 ]; then
	diag "service logs:"
	diag "$(cat $TMP/service.log $SURFACES_LOG $LATE_LOG $LOG)"
	diag "feedback on VirMIDI 1-0: $(tr '\n' ',' <$TMP/virmidi)"
	diag "feedback on VirMIDI 1-1: $(tr '\n' ',' <$TMP/virmidi1)"
	diag "feedback on the USB surface: $(tr '\n' ',' <$TMP/gadget)"
	diag "$(cat /proc/asound/cards)"
fi
[ "$REAL_CHECKS" = basic ] || real_checks
finish
