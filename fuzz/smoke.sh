#!/usr/bin/env bash
# `make fuzz-smoke` (part of `make test`): the ELF checker's unit tests, then its fuzzer briefly
# from the seed corpus. Owned by the ELF/fuzz part. Last line: "fuzz-smoke: N passed, N failed".
#
# environment: BUILD (default build), SMOKE_SECONDS (fuzzing time, default 20), ELF_TEST_BINARIES
# (the real programs for the unit tests). Expects make to have built the binaries and the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SMOKE_SECONDS=${SMOKE_SECONDS:-20}
passed=0 failed=0

# The unit tests: Criterion's synthesis line gives the counts.
log=$BUILD/elf/elf-tests.log
status=0
"$BUILD/elf/elf-tests" --jobs="${ELF_TEST_JOBS:-0}" 2>&1 | tee "$log" || status=$?
if [[ $(grep -a 'Synthesis: Tested' "$log" | tail -n 1) =~ Passing:\ ([0-9]+)\ \|\ Failing:\ ([0-9]+)\ \|\ Crashing:\ ([0-9]+) ]]; then
	passed=$((passed + BASH_REMATCH[1]))
	failed=$((failed + BASH_REMATCH[2] + BASH_REMATCH[3]))
fi
((status == 0)) || ((failed > 0)) || failed=$((failed + 1))

# The fuzzer: a fresh corpus each time and a fixed seed, so that two smoke runs do the same.
work=$BUILD/fuzz/smoke
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
status=0
"$BUILD/fuzz/fuzz_elf" -seed=1 -max_total_time="$SMOKE_SECONDS" -print_final_stats=1 \
	-dict=fuzz/elf.dict -artifact_prefix="$work/artifacts/" \
	"$work/corpus" "$BUILD/elf-corpus" "$BUILD/user" >"$work/log" 2>&1 || status=$?
runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
if ((status == 0)); then
	echo "fuzz_elf: ${runs:-0} inputs in ${SMOKE_SECONDS}s, no crash, hang or sanitizer report"
	passed=$((passed + 1))
else
	echo "fuzz_elf: FAILED (status $status); its log ($work/log) ends:"
	tail -n 30 "$work/log" | sed 's/^/    /'
	find "$work/artifacts" -type f | sed 's/^/    artifact: /'
	failed=$((failed + 1))
fi

echo "fuzz-smoke: $passed passed, $failed failed"
((failed == 0))
