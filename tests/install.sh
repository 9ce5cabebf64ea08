#!/bin/sh
# Where make install puts things.  configure takes the systemd user unit
# directory from systemd.pc (its prefix replaced by ours), lets
# --with-systemduserunitdir override it and falls back to
# PREFIX/lib/systemd/user without systemd.pc; the autostart file goes to
# SYSCONFDIR/xdg/autostart, and make install says where to link it from
# when that is not /etc/xdg/autostart, which is what desktops read.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v pkg-config >/dev/null || plan_skip "pkg-config is not installed"
command -v make >/dev/null || plan_skip "make is not installed"
[ -x "$top_srcdir/configure" ] || plan_skip "no configure script"
plan 11
unset MAKEFLAGS MFLAGS MAKELEVEL

# A tree with just what configure reads, so that it runs in a moment and
# never touches the real build.
c="$TMP/conf"
mkdir -p "$c/src" "$TMP/pc"
cp -R "$top_srcdir/configure" "$top_srcdir/Makefile.in" \
    "$top_srcdir/autoconf.h.in" "$top_srcdir/build-aux" "$c/"
chmod -R u+w "$c"
: >"$c/src/main.c"
# runconf VAR ARGS...: print what configure made of Makefile variable VAR.
runconf()
{
	_var=$1
	shift
	rm -f "$c/Makefile"
	(cd "$c" && ./configure -q "$@") >"$TMP/conf.log" 2>&1 ||
	    diag "$(tail -n 5 "$TMP/conf.log")"
	sed -n "s|^$_var = ||p" "$c/Makefile" 2>/dev/null
}

cat >"$TMP/pc/systemd.pc" <<'EOP'
prefix=/usr
systemd_user_unit_dir=${prefix}/lib/test-units/user
systemduserunitdir=${systemd_user_unit_dir}
Name: systemd
Description: a stand-in for systemd.pc
Version: 252
EOP
d=$(PKG_CONFIG_PATH="$TMP/pc" runconf systemduserunitdir)
check "systemd.pc's systemduserunitdir, under our prefix: $d" \
    [ "$d" = '${prefix}/lib/test-units/user' ]
d=$(PKG_CONFIG_PATH="$TMP/pc" runconf systemduserunitdir \
    --with-systemduserunitdir=/opt/units)
check "--with-systemduserunitdir overrides it: $d" [ "$d" = /opt/units ]

# pkg-config that knows no systemd.
real=$(command -v pkg-config)
cat >"$TMP/pkg-config" <<EOP
#!/bin/sh
for a; do [ "\$a" = systemd ] && exit 1; done
exec "$real" "\$@"
EOP
chmod +x "$TMP/pkg-config"
d=$(PKG_CONFIG="$TMP/pkg-config" runconf systemduserunitdir)
check "without systemd.pc: PREFIX/lib/systemd/user: $d" \
    [ "$d" = '${prefix}/lib/systemd/user' ]
d=$(runconf autostartdir)
check "the autostart directory is SYSCONFDIR/xdg/autostart: $d" \
    [ "$d" = '${sysconfdir}/xdg/autostart' ]
d=$(runconf autostartdir --with-autostartdir=/opt/autostart)
check "--with-autostartdir overrides it: $d" [ "$d" = /opt/autostart ]

# has PATTERN: a file under the staging directories matches it.
has()
{
	[ -n "$(find "$TMP/d" -path "$1" | head -n 1)" ]
}
lacks()
{
	! grep -q "$@"
}

# make install of the real build, staged.
make -s -C "$top_builddir" install DESTDIR="$TMP/d" \
    autostartdir=/opt/xdg/autostart >"$TMP/out" 2>&1
check "make install DESTDIR=... (exit $?)" [ $? = 0 ]
check "...says where desktops read autostart files" grep -q \
    'ln -s /opt/xdg/autostart/scarlett-midi.desktop /etc/xdg/autostart/' \
    "$TMP/out"
check "...installs the unit under systemduserunitdir" \
    has '*/lib/systemd/user/scarlett-midi.service'
check "...and the shipped mappings as examples" \
    has '*/x-touch-mini--scarlett-4th-gen-4i4.ini'
make -s -C "$top_builddir" install DESTDIR="$TMP/e" \
    autostartdir=/etc/xdg/autostart >"$TMP/out" 2>&1
check "make install into /etc/xdg/autostart (exit $?)" [ $? = 0 ]
check "...has nothing to say about it" lacks 'ln -s' "$TMP/out"
