#!/bin/sh
# The VM tier: boot an unmodified Debian kernel under QEMU and run the
# built scarlett-midi against real kernel ALSA (sequencer, snd-virmidi,
# snd-dummy with user controls, a USB MIDI gadget on dummy_hcd, card
# removal).  The host side: fetch and cache the kernel package, build an
# initramfs, boot it and relay the TAP that tests/vm/guest.sh prints.
#
# Skips (TAP "1..0 # SKIP") without qemu-system-x86_64 or when the kernel
# can be neither found in the cache nor downloaded.  Environment:
#   SCARLETT_MIDI_VM_KERNEL	kernel package (default: the one that
#				linux-image-amd64 depends on)
#   SCARLETT_MIDI_VM_TIMEOUT	seconds before a hung guest fails (90)
#   SCARLETT_MIDI_VM_APPEND	more kernel arguments (e.g. loglevel=7)
#   SCARLETT_MIDI_VM_CONSOLE_LINES  console lines shown on failure (40)
#   XDG_CACHE_HOME		the cache is $XDG_CACHE_HOME/scarlett-midi

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/scarlett-midi
TIMEOUT=${SCARLETT_MIDI_VM_TIMEOUT:-90}
APPEND=${SCARLETT_MIDI_VM_APPEND:-}
CONSOLE_LINES=${SCARLETT_MIDI_VM_CONSOLE_LINES:-40}
STATE=$DEVICES/Scarlett-Gen-3-18i20.state
# The modules the guest loads; run.sh adds what they depend on.
MODULES="snd-dummy snd-virmidi snd-seq-dummy snd-seq-midi dummy_hcd
    configfs usb_f_midi snd-usb-audio"

[ "$(uname -m)" = x86_64 ] || plan_skip "the VM tier runs on x86_64 only"
QEMU=$(command -v qemu-system-x86_64) ||
    plan_skip "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
for t in busybox cpio depmod modprobe amixer aconnect; do
	command -v $t >/dev/null || PATH=$PATH:/sbin:/usr/sbin
	command -v $t >/dev/null || plan_skip "$t is not installed"
done

# fetch_kernel PACKAGE DIR: download the kernel package and keep what the
# guest needs in DIR: vmlinux (or vmlinuz), the modules and their closure.
fetch_kernel()
{
	_dl=$(mktemp -d "$CACHE/dl.XXXXXX") || return 1
	(cd "$_dl" && apt-get download -q "$1" >"$_dl/log" 2>&1) ||
	    { diag "$(cat "$_dl/log")"; rm -rf "$_dl"; return 1; }
	dpkg-deb -x "$_dl"/*.deb "$_dl/x" || { rm -rf "$_dl"; return 1; }
	_v=$(ls "$_dl/x/lib/modules")
	depmod -b "$_dl/x" "$_v" || { rm -rf "$_dl"; return 1; }
	mkdir -p "$_dl/k/lib/modules/$_v"
	for _m in $MODULES; do
		modprobe -d "$_dl/x" -S "$_v" --show-depends "$_m" ||
		    { rm -rf "$_dl"; return 1; }
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
	while read -r _f; do
		_r=${_f#"$_dl/x/"}
		mkdir -p "$_dl/k/${_r%/*}"
		cp "$_f" "$_dl/k/$_r"
		echo "/$_r"
	done >"$_dl/k/modules.list"
	[ -s "$_dl/k/modules.list" ] || { rm -rf "$_dl"; return 1; }
	echo "$_v" >"$_dl/k/version"
	# PVH boots the ELF vmlinux directly, about 2 s faster than the
	# bzImage; it is the xz stream inside the bzImage.
	_off=$(LC_ALL=C grep -abo "$(printf '\3757zXZ')" \
	    "$_dl/x/boot/vmlinuz-$_v" |
	    head -n 1 | cut -d: -f1)
	if [ -n "$_off" ] && tail -c +$((_off + 1)) "$_dl/x/boot/vmlinuz-$_v" |
	    xz -dcq --single-stream >"$_dl/k/vmlinux" 2>/dev/null &&
	    [ -s "$_dl/k/vmlinux" ]; then
		:
	else
		rm -f "$_dl/k/vmlinux"
		cp "$_dl/x/boot/vmlinuz-$_v" "$_dl/k/vmlinuz"
	fi
	rm -rf "$DIR.tmp"
	mv "$_dl/k" "$DIR.tmp" && mv "$DIR.tmp" "$DIR"
	rm -rf "$_dl"
}

# Which kernel: the one asked for, else the one linux-image-amd64 names
# now, else any cached one (offline).
mkdir -p "$CACHE" 2>/dev/null || plan_skip "cannot create $CACHE"
PKG=${SCARLETT_MIDI_VM_KERNEL:-$(apt-cache depends linux-image-amd64 \
    2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')}
if [ -z "$PKG" ]; then
	PKG=$(ls -t "$CACHE" 2>/dev/null | grep '^linux-image-' | head -n 1)
	[ -n "$PKG" ] || plan_skip "no kernel: linux-image-amd64 is unknown" \
	    "to apt and none is cached in $CACHE"
fi
DIR=$CACHE/$PKG
if [ ! -f "$DIR/modules.list" ]; then
	fetch_kernel "$PKG" || plan_skip "cannot download and unpack $PKG" \
	    "(apt-get download $PKG)"
fi
KVER=$(cat "$DIR/version")
if [ -f "$DIR/vmlinux" ]; then KERNEL=$DIR/vmlinux; else KERNEL=$DIR/vmlinuz; fi

# The initramfs: busybox, the programs with their libraries, alsa-lib's
# configuration, the modules, the test files.
R=$TMP/root
mkdir -p "$R/bin" "$R/tests/vm" "$R/devices" "$R/usr/share/alsa"

# install_prog FILE: copy a program and the libraries ldd names.
install_prog()
{
	cp "$1" "$R/bin/" || return 1
	ldd "$1" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++)
	    if ($i ~ /^\//) print $i }' | while read -r _l; do
		mkdir -p "$R${_l%/*}"
		cp -L "$_l" "$R$_l"
	done
}

for p in "$(command -v busybox)" "$SM" "$top_builddir/tests/vm/vm-ctl" \
    "$top_builddir/tests/vm/vm-midi" "$(command -v amixer)" \
    "$(command -v aconnect)" "$top_builddir/tests/vm/libseqfault.so"; do
	install_prog "$p" || plan_skip "cannot copy $p into the initramfs"
done
# The kernel runs /init with /bin/sh before busybox --install.
ln -s busybox "$R/bin/sh"
# alsa-lib's configuration, but not the large UCM and topology trees.
for f in /usr/share/alsa/*; do
	case ${f##*/} in
	ucm|ucm2|topology)	;;
	*)			cp -R "$f" "$R/usr/share/alsa/" ;;
	esac
done
(cd "$DIR" && find lib -name '*.ko' | cpio -pdm --quiet "$R") ||
    plan_skip "cannot copy the modules"
cp "$DIR/modules.list" "$R/modules.list"
cp "$top_srcdir/tests/vm/guest.sh" "$R/init"
chmod 755 "$R/init"
cp "$top_srcdir/tests/lib.sh" "$R/tests/"
cp -R "$top_srcdir/tests/vm/vm.ini" "$top_srcdir/tests/vm/late.ini" \
    "$top_srcdir/tests/vm/surfaces" "$top_srcdir/tests/vm/desktop" \
    "$top_srcdir/tests/vm/desktop.sh" "$top_srcdir/tests/vm/persurface" \
    "$top_srcdir/tests/vm/persurface.sh" "$R/tests/vm/"
cp "$STATE" "$R/devices/"
cp "$top_srcdir/tests/ids/ids.state" "$R/tests/"
# What the simulated card reports for the same state file: the kernel's
# user controls must show the same.
SCARLETT_MIDI_SIM_DIR=$TMP/sim "$SM" list --simulate "$STATE" \
    >"$R/tests/vm/expected.list" 2>"$TMP/expected.err" ||
    diag "$(cat "$TMP/expected.err")"
(cd "$R" && find . | cpio -o -H newc --quiet) >"$TMP/initrd" ||
    plan_skip "cannot build the initramfs"

# Boot.  TAP comes back on the second serial port, the console goes to a
# file that is shown when something fails.
timeout -k 5 "$TIMEOUT" "$QEMU" -accel tcg -cpu max -m 256 -smp 1 \
    -nodefaults -no-reboot -display none \
    -kernel "$KERNEL" -initrd "$TMP/initrd" \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 $APPEND" \
    -serial "file:$TMP/console" -serial "file:$TMP/tap" \
    >"$TMP/qemu.out" 2>&1
rv=$?

tr -d '\r' <"$TMP/tap" >"$TMP/tap.txt"
cat "$TMP/tap.txt"
bad=0
if [ $rv = 124 ] || [ $rv = 137 ]; then
	echo "Bail out! the guest did not finish within $TIMEOUT s"
	bad=1
elif ! grep -q '^1\.\.' "$TMP/tap.txt"; then
	echo "Bail out! the guest reported nothing (qemu status $rv)"
	bad=1
fi
grep -v '# TODO' "$TMP/tap.txt" | grep -q '^not ok' && bad=1
if [ $bad = 1 ]; then
	diag "kernel $PKG ($KVER), qemu status $rv"
	diag "$(cat "$TMP/qemu.out")"
	diag "$(tr -d '\r' <"$TMP/console" | tail -n "$CONSOLE_LINES")"
fi
exit $bad
