#!/bin/sh
# install-deps.sh -- installs what building and testing costprof needs on
# Debian 12 (run as root): the compilers, autotools, Valgrind (headers and
# static libraries included) and python3; chromium for the flamegraph's
# browser test.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq gcc g++ make autoconf automake pkg-config valgrind \
    python3 chromium >/dev/null
