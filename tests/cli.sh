#!/bin/sh
# The command line as a newcomer meets it: --help and --version as GNU
# programs have them, one plain line when there is no card, what to do
# when there is no mapping file yet, and a log on the terminal when run
# from one.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

plan 14

"$SM" --help >"$TMP/out" 2>"$TMP/err"
check "--help exits 0 (got $?)" [ $? = 0 ]
check "...with the usage on stdout, every command in it" sh -c \
    "grep -q '^usage: scarlett-midi \[-dnv\]' '$TMP/out' &&
    grep -q 'scarlett-midi status' '$TMP/out' && [ ! -s '$TMP/err' ]"
"$SM" learn --help >"$TMP/out" 2>"$TMP/err"
check "learn --help exits 0 (got $?)" [ $? = 0 ]
check "...with learn's usage" grep -q '^usage: scarlett-midi learn ' \
    "$TMP/out"
version=$(sed -n 's/^AC_INIT(\[scarlett-midi\], \[\([^]]*\)\].*/\1/p' \
    "$top_srcdir/configure.ac")
check "--version prints the version ($version)" sh -c \
    "[ \"\$('$SM' --version)\" = 'scarlett-midi $version' ]"
check "-V too" sh -c "[ \"\$('$SM' -V)\" = 'scarlett-midi $version' ]"
"$SM" --no-such-option >"$TMP/out" 2>"$TMP/err"
check "a wrong option exits 2 (got $?)" [ $? = 2 ]
check "...with the usage on stderr" grep -q '^usage: ' "$TMP/err"

# No card: one line, not alsa-lib's internals.
if ls /dev/snd/controlC* >/dev/null 2>&1; then
	ok "list with no card # SKIP this machine has sound cards"
	ok "...in one line # SKIP this machine has sound cards"
else
	"$SM" list >"$TMP/out" 2>"$TMP/err"
	check "list with no card exits 1 (got $?)" [ $? = 1 ]
	check "...and says so in one line" sh -c \
	    "[ \$(wc -l <'$TMP/err') = 1 ] &&
	    grep -q '^no sound card was found' '$TMP/err'"
	diag "$(cat "$TMP/err")"
fi

# The first run: no mapping directory yet.
XDG_CONFIG_HOME=$TMP/config "$SM" -d >"$TMP/out" 2>"$TMP/err"
check "the first run, with no mapping files, exits 1 (got $?)" [ $? = 1 ]
check "...saying where the examples are and what learn and list do" \
    sh -c "grep -q 'no mapping files yet; start from an example of .*mappings' \
    '$TMP/err' && grep -q \"'scarlett-midi learn'\" '$TMP/err' &&
    grep -q \"'scarlett-midi list'\" '$TMP/err'"

# Without -d, on a terminal, the log goes to the terminal, not syslog.
if command -v script >/dev/null; then
	XDG_CONFIG_HOME=$TMP/config script -qec "$SM" /dev/null \
	    >"$TMP/tty" 2>&1
	check "without -d, on a terminal, it logs there" grep -q \
	    'no mapping files yet' "$TMP/tty"
	XDG_CONFIG_HOME=$TMP/config JOURNAL_STREAM=8:1 "$SM" \
	    >"$TMP/out" 2>"$TMP/err" </dev/null
	check "...and under systemd (JOURNAL_STREAM), to stderr" grep -q \
	    'no mapping files yet' "$TMP/err"
else
	ok "logs on a terminal # SKIP script(1) is not installed"
	ok "...and under systemd # SKIP script(1) is not installed"
fi
done_testing
