#!/usr/bin/env bash
# `make test`: every check SOS has, in order of cost — style, static analysis, the host unit tests
# of kernel/mm under ASan/UBSan, the fuzz smoke runs, the system tests comparing SOS with Linux,
# and the randomized differential test of the memory calls.
# Each suite prints its own results; the last line adds them up for CI: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
mkdir -p "$BUILD"
passed=0 failed=0 broken=()

# Run one suite, echo its output, and add up what its closing line reports. A suite that dies
# without a closing line counts as one failure.
suite() {
	local name=$1
	shift
	local log="$BUILD/test-$name.log"
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]} p f line
	line=$(grep -E 'Synthesis: Tested|^[a-z-]*:? *[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ $line =~ Passing:\ ([0-9]+)\ \|\ Failing:\ ([0-9]+)\ \|\ Crashing:\ ([0-9]+) ]]; then
		p=${BASH_REMATCH[1]} f=$((BASH_REMATCH[2] + BASH_REMATCH[3]))
	elif [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	elif [ "$rc" -eq 0 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p)) failed=$((failed + f))
	[ "$f" -ne 0 ] && broken+=("$name")
}

suite format make -s format-check
suite lint make -s lint
suite unit make -s unit-test
suite fuzz make -s fuzz-smoke
suite system make -s system-test
suite mm-random make -s mm-random
suite fuzz-boot make -s fuzz-boot FUZZ_BOOT_N=50

echo
[ ${#broken[@]} -ne 0 ] && echo "failing suites: ${broken[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
