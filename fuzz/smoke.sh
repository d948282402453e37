#!/usr/bin/env bash
# `make fuzz-smoke` (part of `make test`): the ELF checker's unit tests, then its fuzzer briefly
# from the seed corpus, then kernel/mm's fuzzer (call sequences against the page model) briefly.
# Owned by the ELF/fuzz part. Last line: "fuzz-smoke: N passed, N failed".
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

# A fuzzer ($1, in $BUILD/$2) with its options (the rest) for SMOKE_SECONDS: a fresh corpus in
# $BUILD/$2/smoke each time and a fixed seed, so that two smoke runs do the same.
smoke() {
	local name=$1 dir=$BUILD/$2 work=$BUILD/$2/smoke status=0 runs
	shift 2
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	"$dir/$name" -seed=1 -max_total_time="$SMOKE_SECONDS" -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" "$@" >"$work/log" 2>&1 || status=$?
	runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
	if ((status == 0)); then
		echo "$name: ${runs:-0} inputs in ${SMOKE_SECONDS}s, no crash, hang or sanitizer report"
		passed=$((passed + 1))
	else
		echo "$name: FAILED (status $status); its log ($work/log), stack frames left out, ends:"
		grep -av '^ *#[0-9]' "$work/log" | tail -n 30 | sed 's/^/    /'
		find "$work/artifacts" -type f | sed 's/^/    artifact: /'
		failed=$((failed + 1))
	fi
}

smoke fuzz_elf fuzz -dict=fuzz/elf.dict "$BUILD/fuzz/smoke/corpus" "$BUILD/elf-corpus" "$BUILD/user"
smoke fuzz_mm fuzz-mm-model -max_len=1024 "$BUILD/fuzz-mm-model/smoke/corpus"

echo "fuzz-smoke: $passed passed, $failed failed"
((failed == 0))
