#!/usr/bin/env bash
# `make test`: every check SOS has, in order of cost — style, static analysis, the host unit tests
# of kernel/mm under ASan/UBSan, the fuzz smoke runs, the runner's and the harnesses' own checks,
# the system tests comparing SOS with Linux, the randomized differential test of the memory calls,
# mutated binaries booted in SOS, and a minute of the system-call fuzzer.
# Each suite prints its own results; the last line adds them up for CI: "N passed, N failed".
# Sourced (tests/harness/run.sh does), it only defines suite() and its counters.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
BUILD=${BUILD:-build}
mkdir -p "$BUILD"
passed=0 failed=0 xfailed=0 broken=()
declare -A beside_pid

# Run one suite, `suite NAME MIN COMMAND...`: echo its output and add up what its closing line
# reports ("N passed, N failed", or Criterion's synthesis). MIN is how many cases the suite knows
# it has, counted from its own inputs: a suite that reports fewer (none run, a crash before the
# closing line, no closing line at all) counts each missing case as failed, so that a suite that
# tests nothing can never look clean. A closing line may add ", N expected to fail" (known
# failures the suite lists itself): those count toward MIN, but as neither passed nor failed.
suite() {
	local name=$1 min=$2 t0=$SECONDS
	shift 2
	echo "== $name"
	"$@" 2>&1 | tee "$BUILD/test-$name.log"
	tally "$name" "$min" "${PIPESTATUS[0]}" $((SECONDS - t0))
}

# Start a suite beside the ones that follow, `suite_beside NAME COMMAND...`: for suites that keep
# one core busy while the next keeps the other. Its output waits in its log for suite_join.
suite_beside() {
	local name=$1
	shift
	{
		local t0=$SECONDS rc=0
		"$@" >"$BUILD/test-$name.log" 2>&1 || rc=$?
		echo "$rc $((SECONDS - t0))" >"$BUILD/test-$name.rc"
	} &
	beside_pid[$name]=$!
}

# Wait for the suite suite_beside started, `suite_join NAME MIN`, then show and add it up.
suite_join() {
	local name=$1 min=$2 rc secs
	wait "${beside_pid[$name]}"
	read -r rc secs <"$BUILD/test-$name.rc" || rc=1 secs=0
	echo "== $name (run beside the suites above)"
	cat "$BUILD/test-$name.log"
	tally "$name" "$min" "$rc" "$secs"
}

# Add up a suite's closing line, `tally NAME MIN STATUS SECONDS`, from its log (see suite()).
tally() {
	local name=$1 min=$2 rc=$3 p=0 f=0 x=0 line
	local log="$BUILD/test-$name.log"
	line=$(grep -a -E 'Synthesis: Tested|^[a-z-]*:? *[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ $line =~ Passing:\ ([0-9]+)\ \|\ Failing:\ ([0-9]+)\ \|\ Crashing:\ ([0-9]+) ]]; then
		p=${BASH_REMATCH[1]} f=$((BASH_REMATCH[2] + BASH_REMATCH[3]))
	elif [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ expected\ to\ fail)? ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} x=${BASH_REMATCH[4]:-0}
	else
		echo "test-all: $name printed no closing line (N passed, N failed)"
	fi
	if ! [[ $min =~ ^[1-9][0-9]*$ ]]; then
		echo "test-all: $name has no count of its cases ('$min'): counted as 1 failed"
		f=$((f + 1))
	elif ((p + f + x < min)); then
		echo "test-all: $name reported $((p + f + x)) of its $min cases: the $((min - p - f - x)) missing count as failed"
		f=$((min - p - x))
	fi
	xfailed=$((xfailed + x))
	if ((rc != 0 && f == 0)); then
		echo "test-all: $name exited with status $rc: counted as 1 failed"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f))
	((f == 0)) || broken+=("$name")
	echo "test-all: $name took $4 s"
}

[[ ${BASH_SOURCE[0]} == "$0" ]] || return 0

# How many cases each suite has, from its inputs.
format_min=$(git ls-files '*.c' '*.h' | wc -l) # the Makefile's SRCS_FMT
lint_min=$(git ls-files 'kernel/*.c' 'user/*.c' 'oracle/*.c' 'tests/unit/*.c' 'bench/*.c' fuzz/fuzz_mm.c | wc -l)
unit_min=$(cat tests/unit/*.c | grep -c '^Test(')
ndefects=$(sed -n 's/^#define ELF_NDEFECTS *\([0-9]*\).*/\1/p' tests/elf/elfgen.h)
noddities=$(sed -n 's/^#define ELF_NODDITIES *\([0-9]*\).*/\1/p' tests/elf/elfgen.h)
fuzz_min="?" fuzz_boot_min="?" # suite() fails a suite without its count
if [[ -n $ndefects && -n $noddities ]]; then
	# the ELF tests (a parameterized test is one per defect and one per oddity), then two fuzzers
	fuzz_min=$(($(grep -c '^Test(' tests/elf/test_elf.c) + ndefects + noddities + 2))
	# the mutants, then the corpus's -valid and -odd-* files of its two bases (tiny and hello)
	fuzz_boot_min=$((${FUZZ_BOOT_N:-50} + 2 * (1 + noddities)))
fi
runner_min=$(grep -c -E '^check_[a-z0-9_]+\(\)' tests/runner/run.sh)
harness_min=$(grep -c -E '^check_[a-z0-9_]+\(\)' tests/harness/run.sh)
system_min=$(grep -c -v -E '^[[:space:]]*(#|$)' tests/system/cases)
fs_min=$(grep -c -v -E '^[[:space:]]*(#|$)' tests/fs/cases)
mm_seeds=${MM_RANDOM_SEEDS:-300}

suite format "$format_min" make -s format-check
suite lint "$lint_min" make -s lint
suite unit "$unit_min" make -s unit-test
suite fuzz "$fuzz_min" make -s fuzz-smoke
suite runner "$runner_min" make -s runner-test RUNNER=bin/sos-run
# the system-call fuzzer for a minute (mk/fuzz.mk's fuzz-sys-smoke: nine boots of three seeds),
# one boot at a time beside the oracle's runner checks and the harnesses' (one boot at a time
# too); the runner suite above has built everything both need
suite_beside fuzz-sys make -s fuzz-sys-smoke
suite runner-oracle "$runner_min" make -s runner-test RUNNER=bin/linux-run
suite harness "$harness_min" make -s harness-test
suite_join fuzz-sys 27
suite system "$system_min" make -s system-test
suite fs "$fs_min" make -s fs-test
suite mm-random "$mm_seeds" make -s mm-random MM_RANDOM_SEEDS="$mm_seeds"
suite fuzz-boot "$fuzz_boot_min" make -s fuzz-boot FUZZ_BOOT_N="${FUZZ_BOOT_N:-50}"

echo
[ ${#broken[@]} -ne 0 ] && echo "failing suites: ${broken[*]}"
echo "$passed passed, $failed failed, $xfailed expected to fail"
[ "$failed" -eq 0 ]
