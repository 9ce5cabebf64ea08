#!/bin/sh
# The README's commands install what they need and no more:
# scripts/run.sh (build and run) installs no test tools, scripts/test.sh
# installs the test suite's too.  Run on a copy of scripts/ with apt-get,
# dpkg-query, sudo and make replaced by stubs that log what they are
# asked, on a machine where nothing is installed.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

plan 9
t="$TMP/tree"
mkdir -p "$t/scripts" "$TMP/bin"
cp "$top_srcdir"/scripts/*.sh "$t/scripts/"
: >"$t/configure.ac"
: >"$t/Makefile.am"
sleep 1
for f in configure autogen.sh Makefile; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/build.log"\n' "$f" "$TMP" \
	    >"$t/$f"
	chmod +x "$t/$f"
done
cat >"$TMP/bin/dpkg-query" <<'EOS'
#!/bin/sh
exit 1
EOS
cat >"$TMP/bin/apt-get" <<EOS
#!/bin/sh
echo "\$*" >>"$TMP/apt.log"
EOS
cat >"$TMP/bin/sudo" <<'EOS'
#!/bin/sh
exec "$@"
EOS
# make fails when STUB_MAKE_FAILS is set: run.sh then stops after setup.
cat >"$TMP/bin/make" <<EOS
#!/bin/sh
echo "make \$*" >>"$TMP/build.log"
[ -z "\${STUB_MAKE_FAILS-}" ]
EOS
chmod +x "$TMP/bin"/*

# installs: the packages of the apt-get install lines of apt.log.
installs()
{
	sed -n 's/^install //p' "$TMP/apt.log" | tr ' ' '\n' | grep -v '^-'
}
# one_of LIST WORD...: LIST holds one of the words.
one_of()
{
	_l=$1
	shift
	for _w; do
		echo "$_l" | grep -qx -- "$_w" && return 0
	done
	return 1
}

rm -f "$TMP/apt.log"
PATH="$TMP/bin:$PATH" STUB_MAKE_FAILS=1 sh "$t/scripts/run.sh" \
    >"$TMP/out" 2>&1
got=$(installs)
diag "run.sh installs: $(echo $got)"
check "run.sh installs the build tools and libraries" \
    one_of "$got" libasound2-dev
check "...and alsa-utils, which its demo uses" one_of "$got" alsa-utils
for p in qemu-system-x86 valgrind strace busybox-static libcmocka-dev; do
	if one_of "$got" "$p"; then
		not_ok "...but not $p"
	else
		ok "...but not $p"
	fi
done

rm -f "$TMP/apt.log" "$TMP/build.log"
PATH="$TMP/bin:$PATH" sh "$t/scripts/test.sh" >"$TMP/out" 2>&1
got=$(installs)
diag "test.sh installs: $(echo $got)"
all=1
for p in libasound2-dev qemu-system-x86 valgrind strace busybox-static \
    libcmocka-dev; do
	one_of "$got" "$p" || { all=0; diag "test.sh does not install $p"; }
done
check "test.sh installs what the tests need" [ $all = 1 ]
check "...then runs make check" grep -q '^make .*check' "$TMP/build.log"
