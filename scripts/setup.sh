#!/bin/sh
# Install what scarlett-midi needs to build and run on Debian 12 or
# Ubuntu, then configure and build it in the source tree.  With --tests
# first, also install what the test suite needs.  Other arguments go to
# configure.  Safe to run again.

set -e
cd "$(dirname "$0")/.."

# Building, and scripts/run.sh's demo (amixer).
PACKAGES="build-essential autoconf automake pkg-config libasound2-dev
    libinih-dev alsa-utils"
# make check: unit tests, system-call and memory checks, man page and
# desktop file lints, tests/malformed.sh's GNU time, the QEMU tier.
TEST_PACKAGES="libcmocka-dev strace valgrind mandoc desktop-file-utils
    time qemu-system-x86 busybox-static cpio kmod xz-utils"
if [ "${1-}" = --tests ]; then
	shift
	PACKAGES="$PACKAGES $TEST_PACKAGES"
fi

missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	    --no-install-recommends $missing >/dev/null
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] ||
    [ Makefile.am -nt configure ]; then
	./autogen.sh
fi
if [ ! -f Makefile ] || [ "$#" -gt 0 ]; then
	./configure -q "$@"
fi
make -s -j"$(nproc)"
