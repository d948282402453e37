#!/usr/bin/env bash
# `make fuzz-sys`: user/fuzz_sys booted in SOS again and again, several seeds a boot (--repeat, so
# the kernel's leak check runs after each), until time is up; a failure is kept and minimized.
#
# usage: fuzz/sys.sh [-t SECONDS | -b BOOTS] [-s SEED] [-r RUNS] [-n CALLS] [-w WORKERS]
#                    [-l LIMIT] [--trials N]
#   -t SECONDS  boot until SECONDS have passed (default 600); -b BOOTS: exactly BOOTS boots
#   -s SEED     the first seed (default: the time); boot k runs seeds SEED+k*RUNS ...
#   -r RUNS     runs (seeds) a boot (default 3); -n CALLS a worker (default 2000); -w WORKERS
#               (default 4); -l LIMIT seconds a run may take before the fuzzer kills it (20)
#   --trials N  boots the minimization of a failure may take (default 40)
# environment: BUILD (default build), SOS_RUN (default bin/sos-run), FUZZ_FAIL (a --fail SPEC for
#   every boot, or "auto": every other boot with a random one; used only when SOS_RUN's --help
#   mentions --fail), FUZZ_SWAP (auto, the default: every other pair of boots runs in 64 MiB with
#   a swap disk and FUZZ_PRESSURE, a process beside the workers writing and checking 64 MiB;
#   yes: every boot; no: none).
# A boot fails on a panic (125 and a "sos: panic" line), a leak (125 and a "sos: run N ...
# leaked/left" line), a page the pressure process found changed ("fuzz-sys: pressure:"), any
# other status but 0 (with --fail: any but 125 and 126), or a hang (no
# end within the host's timeout: bin/sos-run, killed, has SOS report every process first). Its
# seed, output (boot.sym: with the kernel's addresses named), and a minimal list of calls that
# still fails the same way (delta debugging over fuzz_sys's -k list, one boot a trial) go to
# $BUILD/fuzz-sys/SEED/; repro.sh there runs it.
# Last line: "fuzz-sys: N passed, N failed (B boots, C calls, R calls/s, S s)", seeds counted.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
SOS_RUN=${SOS_RUN:-bin/sos-run}
PROG=$BUILD/user/fuzz_sys
work=$BUILD/fuzz-sys

seconds=600 boots="" seed=$(date +%s) runs=3 calls=2000 workers=4 limit=20 trials=40
while (($#)); do
	case $1 in
	-t) seconds=$2 && shift 2 ;;
	-b) boots=$2 && shift 2 ;;
	-s) seed=$2 && shift 2 ;;
	-r) runs=$2 && shift 2 ;;
	-n) calls=$2 && shift 2 ;;
	-w) workers=$2 && shift 2 ;;
	-l) limit=$2 && shift 2 ;;
	--trials) trials=$2 && shift 2 ;;
	*) sed -n '5,11s/^# \{0,1\}//p' "$0" >&2 && exit 2 ;;
	esac
done
mkdir -p "$work"
[[ -x $PROG ]] || { echo "fuzz-sys: no $PROG (make $PROG)" >&2 && exit 2; }

# --fail only where the runner has it (bin/sos-run's fault injection, issue 13 part 2).
fail_ok=0
if [[ -n ${FUZZ_FAIL:-} ]]; then
	if [[ $("$SOS_RUN" --help 2>&1) == *--fail* ]]; then # (grep -q would cut the pipe short)
		fail_ok=1
	else
		echo "fuzz-sys: $SOS_RUN has no --fail: FUZZ_FAIL=$FUZZ_FAIL ignored"
	fi
fi

# The --fail option of boot $1 (none, FUZZ_FAIL, or with auto every other boot a random SPEC).
fail_opt()
{
	((fail_ok)) || return 0
	if [[ $FUZZ_FAIL != auto ]]; then
		echo "--fail $FUZZ_FAIL"
	elif (($1 % 2)); then
		local every=(200 500 1000 2000 5000) # more often, the fuzzer's own exec fails
		RANDOM=$((seed + $1)) # the same boots get the same SPECs from the same seed
		echo "--fail all:${every[RANDOM % 5]}:$((RANDOM + 1))"
	fi
}

# The memory options of boot $1: with FUZZ_SWAP, a swap disk, and RAM the pressure overflows.
swap_opt()
{
	case ${FUZZ_SWAP:-auto} in
	no) return 0 ;;
	auto) (($1 / 2 % 2)) || return 0 ;;
	esac
	echo "--mem 64M --swap 256M --env FUZZ_PRESSURE=64"
}

# sos-run's options for boot $1.
boot_opt()
{
	local o
	o="$(swap_opt "$1") $(fail_opt "$1")"
	o=${o% }
	echo "${o# }"
}

# Boot once: "$@" are sos-run's options, then the fuzzer's arguments follow "--". Output in
# $out; the verdict in $kind: pass, panic, leak, corrupt, hang or status-N. With --fail, a run may end in
# any status SOS gives a program (an errno can make the fuzzer's supervisor give up, an injected
# failure can kill it cleanly): only SOS's own failure (125, 126) and a hang count.
boot()
{
	local out=$1 runs=$2 t t0=$SECONDS
	shift 2
	t=$((runs * (limit + 20) + 30))
	timeout -k 5 "$t" "$SOS_RUN" --repeat "$runs" "$@" </dev/null >"$out" 2>&1
	local rc=$?
	if grep -q '^fuzz-sys: pressure:' "$out"; then
		kind=corrupt # whatever the status: a run of --repeat before the last may have found it
	elif ((rc == 0)); then
		kind=pass
	elif ((SECONDS - t0 >= t)); then
		kind=hang
	elif ((rc == 125)) && grep -q '^sos: panic' "$out"; then
		kind=panic
	elif ((rc == 125)) && grep -q -E '^sos: run [0-9]+ .* (leaked|left) ' "$out"; then
		kind=leak
	elif [[ " $* " == *" --fail "* ]] && ((rc != 125 && rc != 126)); then
		kind=pass
	else
		kind=status-$rc
	fi
}

# The calls of the fuzzer's workers as -k's elements, one "W:I" a line, in $1.
all_calls()
{
	local w i
	for ((w = 0; w < workers; w++)); do
		for ((i = 1; i <= calls; i++)); do
			echo "$w:$i"
		done
	done >"$1"
}

# The -k list of the elements in file $1: runs of consecutive indices joined into W:A-B.
keep_list()
{
	awk -F: '
	function flush() { if (n) out = out (out ? "," : "") w ":" a (b > a ? "-" b : "") }
	{ if (n && $1 == w && $2 == b + 1) { b = $2; next } flush(); w = $1; a = b = $2; n = 1 }
	END { flush(); print out }' "$1"
}

# Does seed $1 with the calls of file $2 still fail as $3 did? (one boot; a trial)
still_fails()
{
	local dir=$4 fopt=$5
	# shellcheck disable=SC2086 # fopt is sos-run's options, words without spaces
	boot "$dir/trial.out" 1 $fopt "$PROG" run "$1" -n "$calls" -w "$workers" -t "$limit" \
		-k "$(keep_list "$2")"
	((++ntrials))
	[[ $kind == "$3" ]]
}

# Delta debugging: drop chunks of the calls of $dir/calls while the failure stays, doubling the
# number of chunks when none can go, until single calls or the trial cap.
minimize()
{
	local s=$1 want=$2 dir=$3 fopt=$4 n=2 total i size cand
	while ((ntrials < trials)); do
		total=$(wc -l <"$dir/calls")
		((total > 1)) || break
		size=$(((total + n - 1) / n))
		local reduced=0
		for ((i = 0; i < total && ntrials < trials; i += size)); do
			cand=$dir/cand
			awk -v lo=$((i + 1)) -v hi=$((i + size)) 'NR < lo || NR > hi' "$dir/calls" >"$cand"
			if still_fails "$s" "$cand" "$want" "$dir" "$fopt"; then
				mv "$cand" "$dir/calls"
				cp "$dir/trial.out" "$dir/minimal.out"
				n=$((n > 2 ? n - 1 : 2)) reduced=1
				break
			fi
		done
		((reduced)) && continue
		((n >= total)) && break
		n=$((2 * n > total ? total : 2 * n))
	done
}

# Keep failure $1 (seed of the run that failed) of kind $2 from boot output $3: the output, then
# the seed alone, then its minimal list of calls and a script that runs it.
keep_failure()
{
	local s=$1 want=$2 out=$3 fopt=$4 dir=$work/$1
	mkdir -p "$dir"
	cp "$out" "$dir/boot.out"
	echo "fuzz-sys: seed $s: $want (output in $dir/boot.out)"
	# a panic's backtrace, a hang's report of every process (bin/sos-run's NMI at the timeout)
	if grep -q '^sos: \(backtrace\|nmi\):' "$out"; then
		tools/symbolize.sh "$BUILD/kernel.elf" <"$out" >"$dir/boot.sym"
		grep -A1 '^sos: \(backtrace\|nmi\):' "$dir/boot.sym" | head -n 24
	fi
	all_calls "$dir/calls"
	ntrials=0
	if ! still_fails "$s" "$dir/calls" "$want" "$dir" "$fopt"; then
		echo "fuzz-sys: seed $s alone in a boot ended $kind, not $want: not minimized"
		return
	fi
	cp "$dir/trial.out" "$dir/minimal.out"
	minimize "$s" "$want" "$dir" "$fopt"
	local list
	list=$(keep_list "$dir/calls")
	printf '#!/bin/sh\n# seed %s: %s, %s calls kept after %s trials\nexec %s --repeat 1 %s %s run %s -n %s -w %s -t %s -k %s\n' \
		"$s" "$want" "$(wc -l <"$dir/calls")" "$ntrials" "$SOS_RUN" "$fopt" "$PROG" "$s" \
		"$calls" "$workers" "$limit" "$list" >"$dir/repro.sh"
	chmod +x "$dir/repro.sh"
	echo "fuzz-sys: seed $s: $(wc -l <"$dir/calls") calls still fail ($ntrials trials): $list"
}

start=$SECONDS passed=0 failed=0 nboots=0 ncalls=0
while :; do
	if [[ -n $boots ]]; then
		((nboots < boots)) || break
	else
		((SECONDS - start < seconds)) || break
	fi
	first=$((seed + nboots * runs))
	fopt=$(boot_opt "$nboots")
	out=$work/boot.$$.out
	# shellcheck disable=SC2086 # fopt is sos-run's options, words without spaces
	boot "$out" "$runs" $fopt "$PROG" run "$first" -n "$calls" -w "$workers" -t "$limit"
	((nboots++))
	done_calls=$(awk '/^fuzz-sys: seed [0-9]+: [0-9]+ calls/ { n += $4 } END { printf "%d\n", n }' "$out")
	ncalls=$((ncalls + ${done_calls:-0}))
	ok=$(grep -c -E '^fuzz-sys: seed [0-9]+: [0-9]+ calls' "$out")
	if [[ $kind == pass ]]; then
		passed=$((passed + runs))
		echo "fuzz-sys: boot $nboots, seeds $first-$((first + runs - 1)) ${fopt:+($fopt) }ok: ${done_calls:-0} calls"
		continue
	fi
	[[ $kind == leak ]] && ((ok > 0)) && ok=$((ok - 1)) # the leaking run ended first
	passed=$((passed + ok)) failed=$((failed + 1))
	bad=$(sed -n 's/^fuzz-sys: seed \([0-9]*\) start$/\1/p' "$out" | tail -n 1)
	keep_failure "${bad:-$first}" "$kind" "$out" "$fopt"
done
secs=$((SECONDS - start))
echo "fuzz-sys: $passed passed, $failed failed ($nboots boots, $ncalls calls, $((ncalls / (secs ? secs : 1))) calls/s, $secs s)"
((failed == 0))
