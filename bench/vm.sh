#!/bin/sh
# The real driver benchmark (make bench-vm): boot the VM tier's first
# kernel with the emulated Scarlett 18i20 Gen 3 and run tests/vm/bench.sh
# there, then print its table: the service, the shell loop and amixer -s
# on the same flood of 8 faders x 1000 CC/s, side by side.  BENCH_SECONDS
# sets the flood's length (5).

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

out=$(SCARLETT_MIDI_VM_CHECKS=bench SCARLETT_MIDI_VM_KERNEL2=none \
    SCARLETT_MIDI_VM_FLOOD_SECONDS=${BENCH_SECONDS:-5} \
    SCARLETT_MIDI_VM_TIMEOUT=${SCARLETT_MIDI_VM_TIMEOUT:-400} \
    sh "$top_srcdir/tests/vm/run.sh" 2>&1)
rv=$?
echo "scarlett-midi $(sed -n 's/^AC_INIT(\[scarlett-midi\], \[\([^]]*\)\].*/\1/p' \
    "$top_srcdir/configure.ac") on the real scarlett2 driver, $(date +%F)," \
    "$(echo "$out" | sed -n 's/^# kernel \([^ ]*\).*/\1/p'), QEMU TCG 1 vCPU"
echo "flood: 8 faders x 1000 CC/s for ${BENCH_SECONDS:-5} s into snd-virmidi;" \
    "emulated Scarlett 18i20 Gen 3 (full speed, or 20 ms per reply)"
echo "$out" | sed -n 's/^# bench: //p'
if [ $rv != 0 ] || ! echo "$out" | grep -q '^ok .*benchmark ran'; then
	echo "$out" | tail -n 40
	exit 1
fi
