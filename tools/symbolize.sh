#!/usr/bin/env bash
# SOS's messages with each kernel address (a backtrace, an NMI's report) followed by its function
# and line: stdin to stdout, through addr2line on the kernel that ran.
#
# usage: tools/symbolize.sh [KERNEL_ELF] <OUTPUT  (default: $BUILD/kernel.elf, BUILD default build)
set -euo pipefail
elf=${1:-${BUILD:-build}/kernel.elf}
[[ -r $elf ]] || { echo "symbolize: no kernel at $elf" >&2 && exit 2; }
while IFS= read -r line; do
	addrs=$(grep -o '0xffffffff8[0-9a-f]\{7\}' <<<"$line" || true)
	if [[ -z $addrs ]]; then
		printf '%s\n' "$line"
		continue
	fi
	# shellcheck disable=SC2086 # one word an address
	names=$(addr2line -f -s -e "$elf" $addrs | paste -d' ' - - | tr '\n' ',')
	printf '%s\n' "$line"
	printf '    = %s\n' "${names%,}"
done
