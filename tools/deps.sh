#!/usr/bin/env bash
# Install the Debian packages SOS needs, but only those that are missing (fresh machine, CI), and
# fetch the oracle kernel into its cache.
set -euo pipefail
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# busybox-static and bash-static are third-party static programs the file suite (tests/fs) runs on
# SOS and on the oracle: they install at /bin/busybox and /bin/bash-static. gnuplot-nox draws the
# swap benchmark's plot (bench/swap.sh).
for p in qemu-system-x86 cpio musl-tools libcriterion-dev clang libclang-rt-14-dev cppcheck clang-format valgrind gdb make gcc gnuplot-nox \
	busybox-static bash-static; do
	have "$p" || need+=("$p")
done
if [ ${#need[@]} -ne 0 ]; then
	echo "deps: installing ${need[*]}" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The oracle kernel, pinned in oracle/kernel.env, goes into the cache (not into /boot).
"$(dirname "$0")/../oracle/fetch.sh"
