#!/bin/sh
# Set up for the tests (see setup.sh --tests), build with warnings as
# errors, and run the whole test suite.  Prints each test's result; exits
# non-zero if any failed.

set -e
cd "$(dirname "$0")/.."
sh scripts/setup.sh --tests --enable-werror
make -s -j"$(nproc)" check || { cat test-suite.log; exit 1; }
