#!/bin/sh
# Install what scarlett-midi needs to build and test on Debian 12 or
# Ubuntu, then configure and build it in the source tree.  Extra
# arguments go to configure.  Safe to run again.

set -e
cd "$(dirname "$0")/.."

PACKAGES="build-essential autoconf automake pkg-config libasound2-dev
    libinih-dev libcmocka-dev alsa-utils strace valgrind mandoc
    desktop-file-utils
    qemu-system-x86 busybox-static cpio kmod xz-utils"

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
