#!/bin/sh
# Every command of README.md, copied literally, works on the build tree.
#
# Which lines are commands:
# - the lines of a code block indented by four spaces, and of a fenced
#   block (```) with no info string or with sh, shell or console;
# - a line ending in a backslash goes on with the next one;
# - a line that begins with # is a comment, as in sh.
# A fenced ```ini block is a mapping file: it must pass scarlett-midi -n.
# Other fenced blocks are neither.
#
# How they run, one after the other, each with sh -c, in a directory that
# stands for a fresh clone built in place (links to the source tree's
# files and to the built program and plugin):
# - HOME is a scratch directory, EDITOR is true, and /tmp/ is a scratch
#   directory too: nothing outside is touched;
# - a command that runs the service (scarlett-midi with no command and no
#   -n) on a simulated card must print "ready", keep running, and exit 0
#   on SIGTERM;
# - any other must exit 0 within 60 seconds;
# - those that skip() below names are skipped with its reason.  Add a
#   pattern there only for a command that cannot run here (hardware, the
#   system, the test suite itself), never for one that fails.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

README="$top_srcdir/README.md"

# skip COMMAND: print why COMMAND cannot run here, or nothing.
skip()
{
	case $1 in
	"sh scripts/run.sh")
		echo "installs packages and builds the source tree;" \
		    ".ci/run runs it" ;;
	"sh scripts/test.sh"|"make check"*|*"sh tests/vm/run.sh"*)
		echo "runs the test suite, which runs this test;" \
		    ".ci/run runs it" ;;
	*"-D hw:"*)
		echo "needs a sound card" ;;
	systemctl*)
		echo "needs a systemd user session" ;;
	dpkg-buildpackage*|*"apt-get install"*|*"make install"*)
		echo "builds or installs the package; .ci/run does" ;;
	*./scarlett-midi*--simulate*) ;;
	"./scarlett-midi status"*|"./scarlett-midi monitor"*)
		echo "talks to a running service, and no line above" \
		    "runs one here" ;;
	"./scarlett-midi -d"*)
		echo "runs the service on a card and a surface" ;;
	esac
}

# A fresh clone, built in place.
W="$TMP/clone"
mkdir -p "$W" "$TMP/home" "$TMP/tmp"
for f in "$top_srcdir"/* "$top_srcdir"/.ci; do
	ln -s "$f" "$W/${f##*/}"
done
for f in scarlett-midi libasound_module_ctl_scarlett_sim.so; do
	rm -f "$W/$f"
	ln -s "$top_builddir/$f" "$W/$f"
done
unset SCARLETT_MIDI_PLUGIN XDG_CONFIG_HOME
HOME="$TMP/home"
EDITOR=true
export HOME EDITOR

# The commands and ini blocks, one a line: "cmd LINE TEXT" or
# "ini LINE FILE".
awk -v dir="$TMP" '
function flush() {
	if (cmd != "")
		printf "cmd %d %s\n", cmdline, cmd
	cmd = ""
}
/^```/ {
	if (fence == "") {
		info = substr($0, 4)
		gsub(/[ \t]/, "", info)
		fence = info == "" || info == "sh" || info == "shell" ||
		    info == "console" ? "sh" : info
		if (fence == "ini") {
			nini++
			ini = dir "/readme-" nini ".ini"
			printf "ini %d %s\n", NR, ini
			printf "" >ini
		}
	} else {
		flush()
		if (fence == "ini")
			close(ini)
		fence = ""
	}
	prev = $0
	next
}
fence == "ini" { print >ini; next }
fence == "sh" { line = $0; inblock = 1 }
fence == "" {
	if ($0 ~ /^    / && (inblock || prev ~ /^[ \t]*$/)) {
		line = substr($0, 5)
		inblock = 1
	} else {
		if ($0 !~ /^[ \t]*$/) {
			flush()
			inblock = 0
		}
		prev = $0
		next
	}
}
{
	prev = $0
	if (cmd == "") {
		sub(/^[ \t]+/, "", line)
		if (line == "" || line ~ /^#/)
			next
		cmdline = NR
	}
	if (line ~ /\\$/) {
		cmd = cmd substr(line, 1, length(line) - 1)
		next
	}
	cmd = cmd line
	flush()
}
END { flush() }
' "$README" >"$TMP/commands"
ncmd=$(grep -c '^cmd ' "$TMP/commands")
diag "README.md: $ncmd commands, $(grep -c '^ini ' "$TMP/commands") ini blocks"

# service CMD: run the service command CMD, wait for "ready", stop it.
service()
{
	sh -c "exec $1" >"$TMP/out" 2>"$TMP/err" </dev/null &
	pid=$!
	_i=0
	while ! grep -q '^ready' "$TMP/err" && kill -0 $pid 2>/dev/null &&
	    [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	grep -q '^ready' "$TMP/err" && kill -0 $pid 2>/dev/null || {
		kill $pid 2>/dev/null
		wait $pid
		pid=
		echo "never got ready"
		return 1
	}
	kill -TERM $pid
	wait $pid
	_rv=$?
	pid=
	[ $_rv = 0 ] || echo "exit $_rv on SIGTERM"
	return $_rv
}

cd "$W" || exit 1
while read -r kind line text; do
	case $kind in
	ini)
		if ./scarlett-midi -n -f "$text" >"$TMP/out" 2>"$TMP/err"
		then
			ok "README.md:$line: the ini block passes -n"
		else
			not_ok "README.md:$line: the ini block passes -n"
			diag "$(cat "$TMP/err")"
		fi
		continue
		;;
	esac
	# The description without the comment: TAP reads # as a directive.
	desc=$(printf '%s\n' "$text" | sed 's/[[:space:]]*#.*//; s/#//g')
	why=$(skip "$text")
	if [ -n "$why" ]; then
		ok "README.md:$line: $desc # SKIP $why"
		continue
	fi
	run=$(printf '%s\n' "$text" | sed "s|/tmp/|$TMP/tmp/|g")
	case $run in
	./scarlett-midi\ *-n\ *|./scarlett-midi\ list*|./scarlett-midi\ check*)
		is_service=0 ;;
	./scarlett-midi\ *)
		is_service=1 ;;
	*)
		is_service=0 ;;
	esac
	if [ $is_service = 1 ]; then
		service "$run" >"$TMP/why"
	else
		timeout 60 sh -c "$run" >"$TMP/out" 2>"$TMP/err" </dev/null
		rv=$?
		[ $rv = 0 ] || echo "exit $rv" >"$TMP/why"
	fi
	if [ $? = 0 ] && [ ! -s "$TMP/why" ]; then
		ok "README.md:$line: $desc"
	else
		not_ok "README.md:$line: $desc"
		diag "$(cat "$TMP/why" "$TMP/err" | tail -n 10)"
	fi
	rm -f "$TMP/why"
done <"$TMP/commands"
[ "$ncmd" -gt 0 ] || not_ok "README.md has commands"
echo "1..$_tap_n"
done_testing
