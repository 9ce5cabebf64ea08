#!/bin/sh
# The files that start the service with a session: the systemd user
# unit and the XDG autostart file, as make builds them, are checked by
# systemd-analyze and desktop-file-validate where those are installed.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

UNIT="$top_builddir/contrib/scarlett-midi.service"
DESKTOP="$top_builddir/contrib/scarlett-midi.desktop"
plan 6

check "the unit runs the installed program" grep -q \
    '^ExecStart=/.*/scarlett-midi$' "$UNIT"
check "...restarts it on failure and reloads it with SIGHUP" sh -c \
    "grep -qx 'Restart=on-failure' '$UNIT' &&
    grep -qx 'ExecReload=/bin/kill -HUP \$MAINPID' '$UNIT'"
check "the autostart file runs the installed program" grep -q \
    '^Exec=/.*/scarlett-midi$' "$DESKTOP"

# systemd-analyze wants ExecStart to exist: point it at the built one.
sed "s|^ExecStart=.*|ExecStart=$top_builddir/scarlett-midi|" "$UNIT" \
    >"$TMP/scarlett-midi.service"
if ! command -v systemd-analyze >/dev/null; then
	ok "systemd-analyze verify # SKIP systemd-analyze is missing"
elif systemd-analyze verify --man=no "$TMP/scarlett-midi.service" \
    >"$TMP/out" 2>&1; then
	ok "systemd-analyze verify accepts the unit"
else
	not_ok "systemd-analyze verify accepts the unit"
	diag "$(cat "$TMP/out")"
fi
if ! command -v desktop-file-validate >/dev/null; then
	ok "desktop-file-validate # SKIP desktop-file-validate is missing"
elif desktop-file-validate "$DESKTOP" >"$TMP/out" 2>&1; then
	ok "desktop-file-validate accepts the autostart file"
else
	not_ok "desktop-file-validate accepts the autostart file"
	diag "$(cat "$TMP/out")"
fi
check "the unit starts with the user's manager, display or not" \
    grep -qx 'WantedBy=default.target' "$UNIT"
done_testing
