#!/bin/sh
# The VM tier: boot an unmodified Debian kernel under QEMU and run the
# built scarlett-midi against real kernel ALSA (sequencer, snd-virmidi,
# snd-dummy with user controls, a USB MIDI gadget on dummy_hcd, card
# removal), and the kernel's own scarlett2 driver on an emulated Scarlett
# (tests/vm/scarlett-emu on vhci-hcd; tests/vm/real.sh, checks named
# "real driver:").  The host side: fetch and cache the kernel packages,
# build an initramfs, boot each kernel and relay the TAP that
# tests/vm/guest.sh prints, renumbered into one plan.
#
# The first kernel runs every check; the second (the 6.12 kernel) runs
# the "real driver" checks only.  Run the tier alone with
#   make check TESTS=tests/vm/run.sh
# or, from the build directory, top_srcdir=SRC sh SRC/tests/vm/run.sh.
#
# Skips (TAP "1..0 # SKIP") without qemu-system-x86_64 or when the kernel
# can be neither found in the cache nor downloaded.  Environment:
#   SCARLETT_MIDI_VM_KERNEL	kernel package (default: the one that
#				linux-image-amd64 depends on)
#   SCARLETT_MIDI_VM_KERNEL2	the second kernel package (default: the
#				one linux-image-6.12-amd64 depends on);
#				"none" boots the first kernel only
#   SCARLETT_MIDI_VM_CHECKS	what the first kernel runs: "all" (the
#				default), "basic" (no emulated Scarlett) or
#				"real" (only the real driver checks)
#   SCARLETT_MIDI_VM_CHECKS2	what the second kernel runs: the same
#				choices, "all" by default (its floods are
#				the first kernel's only)
#   SCARLETT_MIDI_VM_MODELS	emulated models whose dumps are diffed
#				(default: all that tests/vm/real.sh knows)
#   SCARLETT_MIDI_VM_FLOOD_SECONDS  length of each flood, on the first
#				kernel (5; 0: no floods)
#   SCARLETT_MIDI_VM_TIMEOUT	seconds before a hung guest fails (200)
#   SCARLETT_MIDI_VM_APPEND	more kernel arguments (e.g. loglevel=7)
#   SCARLETT_MIDI_VM_CONSOLE_LINES  console lines shown on failure (40)
#   XDG_CACHE_HOME		the cache is $XDG_CACHE_HOME/scarlett-midi
#
# A cached kernel directory holds modules.want, the module set it was
# made for; when MODULES below changes, the entry is fetched again.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib.sh"

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/scarlett-midi
TIMEOUT=${SCARLETT_MIDI_VM_TIMEOUT:-200}
APPEND=${SCARLETT_MIDI_VM_APPEND:-}
CONSOLE_LINES=${SCARLETT_MIDI_VM_CONSOLE_LINES:-40}
STATE=$DEVICES/Scarlett-Gen-3-18i20.state
# The modules the guest loads; run.sh adds what they depend on.
MODULES="snd-dummy snd-virmidi snd-seq-dummy snd-seq-midi dummy_hcd
    configfs usb_f_midi snd-usb-audio vhci-hcd"
CHECKS=${SCARLETT_MIDI_VM_CHECKS:-all}

[ "$(uname -m)" = x86_64 ] || plan_skip "the VM tier runs on x86_64 only"
QEMU=$(command -v qemu-system-x86_64) ||
    plan_skip "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
for t in busybox cpio depmod modprobe amixer aconnect aseqdump alsactl xz; do
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
		# busybox insmod takes plain modules only (6.12's are .ko.xz).
		case $_r in
		*.xz)	xz -d "$_dl/k/$_r" || return 1
			_r=${_r%.xz} ;;
		esac
		echo "/$_r"
	done >"$_dl/k/modules.list"
	[ -s "$_dl/k/modules.list" ] || { rm -rf "$_dl"; return 1; }
	echo "$_v" >"$_dl/k/version"
	echo $MODULES >"$_dl/k/modules.want"
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
	# Replace an entry made for another module set as one rename.
	rm -rf "$DIR.tmp" "$DIR.old"
	mv "$_dl/k" "$DIR.tmp" || return 1
	[ ! -d "$DIR" ] || mv "$DIR" "$DIR.old"
	mv "$DIR.tmp" "$DIR"
	rm -rf "$_dl" "$DIR.old"
}

# kernel_dir PACKAGE: the cache entry of PACKAGE in $DIR, fetched if it is
# missing or was made for another module set.
kernel_dir()
{
	DIR=$CACHE/$1
	if [ ! -f "$DIR/modules.list" ] ||
	    [ "$(cat "$DIR/modules.want" 2>/dev/null)" != "$(echo $MODULES)" ]
	then
		fetch_kernel "$1" || return 1
	fi
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
kernel_dir "$PKG" || plan_skip "cannot download and unpack $PKG" \
    "(apt-get download $PKG)"
PKG2=${SCARLETT_MIDI_VM_KERNEL2:-$(apt-cache depends linux-image-6.12-amd64 \
    2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')}
[ -n "$PKG2" ] || PKG2=$(ls -t "$CACHE" 2>/dev/null |
    grep '^linux-image-6\.12\..*-amd64$' | head -n 1)
[ "$PKG2" = "$PKG" ] && PKG2=none
[ "$CHECKS" = basic ] && PKG2=none

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
    "$top_builddir/tests/vm/vm-midi" "$top_builddir/tests/vm/scarlett-emu" \
    "$(command -v amixer)" "$(command -v alsactl)" \
    "$(command -v aconnect)" "$(command -v aseqdump)" \
    "$top_builddir/tests/vm/libseqfault.so"; do
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
cp "$top_srcdir/tests/vm/guest.sh" "$R/init"
chmod 755 "$R/init"
cp "$top_srcdir/tests/lib.sh" "$R/tests/"
cp -R "$top_srcdir/tests/vm/vm.ini" "$top_srcdir/tests/vm/late.ini" \
    "$top_srcdir/tests/vm/surfaces" "$top_srcdir/tests/vm/desktop" \
    "$top_srcdir/tests/vm/desktop.sh" "$top_srcdir/tests/vm/persurface" \
    "$top_srcdir/tests/vm/persurface.sh" "$top_srcdir/tests/vm/real.sh" \
    "$top_srcdir/tests/vm/real" "$top_srcdir/tests/vm/presets" \
    "$top_srcdir/tests/vm/bench.sh" "$top_srcdir/bench/shell-loop.sh" \
    "$top_srcdir/bench/amixer-s.sh" "$R/tests/vm/"
cp "$STATE" "$R/devices/"
cp "$top_srcdir/tests/ids/ids.state" "$R/tests/"
# What the simulated card reports for the same state file: the kernel's
# user controls must show the same.
SCARLETT_MIDI_SIM_DIR=$TMP/sim "$SM" list --simulate "$STATE" \
    >"$R/tests/vm/expected.list" 2>"$TMP/expected.err" ||
    diag "$(cat "$TMP/expected.err")"
# The dump blocks the emulated models are diffed against
# (tests/vm/real/models), each in a file of its own, with what the
# simulated card lists for it.
mkdir -p "$R/tests/vm/dumps"
grep -v '^#' "$top_srcdir/tests/vm/real/models" |
while read -r _m _k _f _b; do
	[ -n "$_b" ] || continue
	_o=$R/tests/vm/dumps/${_f%.state}.$_b
	awk -v b="state.$_b {" '$0 == b { p = 1 } p { print }
	    p && /^}/ { exit }' "$DEVICES/$_f" >"$_o.state"
	SCARLETT_MIDI_SIM_DIR=$TMP/sim "$SM" list --simulate "$_o.state" \
	    >"$_o.list" 2>"$TMP/expected.err" ||
	    diag "$(cat "$TMP/expected.err")"
done
(cd "$R" && find . | cpio -o -H newc --quiet) >"$TMP/initrd" ||
    plan_skip "cannot build the initramfs"

# boot PACKAGE CHECKS FLOOD: boot the cached kernel of PACKAGE with an initramfs
# of the common part and its modules; its TAP goes to $TMP/tap.PACKAGE.
# Sets rv (QEMU's status) and KVER.
boot()
{
	DIR=$CACHE/$1
	KVER=$(cat "$DIR/version")
	if [ -f "$DIR/vmlinux" ]; then _k=$DIR/vmlinux; else _k=$DIR/vmlinuz; fi
	rm -rf "$TMP/mods"
	mkdir -p "$TMP/mods"
	(cd "$DIR" && find lib -name '*.ko' | cpio -pdm --quiet "$TMP/mods") &&
	    cp "$DIR/modules.list" "$TMP/mods/modules.list" &&
	    (cd "$TMP/mods" && find . | cpio -o -H newc --quiet) |
	    cat "$TMP/initrd" - >"$TMP/initrd.k" || return 1
	# TAP comes back on the second serial port, the console goes to a
	# file that is shown when something fails.
	timeout -k 5 "$TIMEOUT" "$QEMU" -accel tcg -cpu max -m 256 -smp 1 \
	    -nodefaults -no-reboot -display none \
	    -kernel "$_k" -initrd "$TMP/initrd.k" \
	    -append "console=ttyS0 panic=-1 quiet loglevel=4 sm.checks=$2 \
	    sm.models=${SCARLETT_MIDI_VM_MODELS:-all} \
	    sm.flood=$3 $APPEND" \
	    -serial "file:$TMP/console.$1" -serial "file:$TMP/tap.$1" \
	    >"$TMP/qemu.out" 2>&1
	rv=$?
	tr -d '\r' <"$TMP/tap.$1" >"$TMP/tap.txt"
}

# One plan for both boots: the checks are renumbered as they are shown.
n=0
bad=0
for k in "$PKG" "$PKG2"; do
	[ "$k" = none ] && continue
	if [ "$k" = "$PKG" ]; then
		c=$CHECKS
		f=${SCARLETT_MIDI_VM_FLOOD_SECONDS:-5}
	else
		# The floods once, on the first kernel.
		c=${SCARLETT_MIDI_VM_CHECKS2:-all}
		f=0
		kernel_dir "$k" || {
			echo "# the second kernel $k cannot be fetched: skipped"
			continue
		}
	fi
	t0=$(date +%s)
	boot "$k" "$c" "$f" || plan_skip "cannot build the initramfs for $k"
	echo "# kernel $k ($KVER), checks: $c, boot and run: $(($(date +%s) - t0)) s"
	awk -v n=$n '
	/^1\.\./ { next }
	/^(not )?ok [0-9]+/ {
		n++
		sub(/ok [0-9]+/, "ok " n)
	}
	{ print }
	END { print n >"/dev/stderr" }' "$TMP/tap.txt" 2>"$TMP/n"
	n=$(cat "$TMP/n")
	b=0
	if [ $rv = 124 ] || [ $rv = 137 ]; then
		echo "Bail out! the guest did not finish within $TIMEOUT s ($k)"
		b=1
	elif ! grep -q '^1\.\.' "$TMP/tap.txt"; then
		echo "Bail out! the guest reported nothing (qemu status $rv, $k)"
		b=1
	elif [ "$(sed -n 's/^1\.\.//p' "$TMP/tap.txt")" != \
	    "$(grep -c '^\(not \)\{0,1\}ok ' "$TMP/tap.txt")" ]; then
		echo "# the guest planned $(sed -n 's/^1\.\.//p' \
		    "$TMP/tap.txt") checks but ran fewer"
		b=1
	fi
	grep -v '# TODO' "$TMP/tap.txt" | grep -q '^not ok' && b=1
	if [ $b = 1 ]; then
		bad=1
		diag "kernel $k ($KVER), qemu status $rv"
		diag "$(cat "$TMP/qemu.out")"
		diag "$(tr -d '\r' <"$TMP/console.$k" | tail -n "$CONSOLE_LINES")"
	fi
	[ $b = 1 ] && grep -q '^Bail out' "$TMP/tap.txt" && break
done
echo "1..$n"
exit $bad
