#!/usr/bin/env bash
# `make fuzz-boot`: mutated ELF binaries booted in SOS under QEMU, to show that the real kernel
# refuses or runs them and never dies itself. Owned by the ELF/fuzz part.
#
# usage: fuzz/boot-mutants.sh [-n N] [-s SEED] [-t SECONDS] [--from DIR] [--odd DIR] [BASE]
#   BASE         the binary to mutate (default $BUILD/user/hello): each mutant has 1-4 random bytes
#                replaced, half of them in the first 512 bytes (the headers), from a fixed SEED
#   --from DIR   boot N files of DIR (e.g. build/fuzz/corpus) instead, picked with SEED (all of
#                them if N is at least their number)
#   --odd DIR    also boot, first, the *-valid and *-odd-* files of DIR (the ELF corpus: unusual
#                layouts that SOS accepts)
#   -n N         how many (default 50); -t SECONDS: the timeout per boot (default 20)
# environment: BUILD (default build), SOS_RUN (default bin/sos-run).
# Every boot must end with the program's own status, 126 with a "sos: cannot run" line, or 128+N
# with a "sos: killed" line; 125 (SOS failed) is a failure. A boot that times out is rerun with
# --trace: if SOS had entered the program (a fault or system call was traced), it is a program
# looping in user mode, counted apart; otherwise it is an unexplained hang, a failure.
# Last line: "fuzz-boot: N passed, N failed (R refused, X exited, K killed, L looped)".
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SOS_RUN=${SOS_RUN:-bin/sos-run}

n=50 seed=1 limit=20 from="" odd="" base=""
while (($#)); do
	case $1 in
	-n) n=$2 && shift 2 ;;
	-s) seed=$2 && shift 2 ;;
	-t) limit=$2 && shift 2 ;;
	--from) from=$2 && shift 2 ;;
	--odd) odd=$2 && shift 2 ;;
	-*) sed -n '5,10s/^# \{0,1\}//p' "$0" >&2 && exit 2 ;;
	*) base=$1 && shift ;;
	esac
done
base=${base:-$BUILD/user/hello}
work=$BUILD/fuzz-boot
rm -rf "$work"
mkdir -p "$work/mutants"
RANDOM=$seed

# Set R to a random number in [0, $1), from two draws of $RANDOM (not in a subshell: bash reseeds
# RANDOM there, and the mutants would change from run to run).
rnd()
{
	R=$(((RANDOM * 32768 + RANDOM) % $1))
}

# Write mutant $1 of $base: 1-4 random bytes at random places, half of them among the headers.
make_mutant()
{
	local out=$1 size flips k at
	size=$(stat -c %s "$base")
	cp "$base" "$out"
	rnd 4
	flips=$((1 + R))
	for ((k = 0; k < flips; k++)); do
		rnd 2
		if ((R)); then
			rnd $((size < 512 ? size : 512))
		else
			rnd "$size"
		fi
		at=$R
		rnd 256
		# shellcheck disable=SC2059 # the format is the octal escape of the byte, on purpose
		printf "$(printf '\\%03o' "$R")" |
			dd of="$out" bs=1 seek="$at" count=1 conv=notrunc status=none
	done
}

# The mutants: the oddities of $odd, then N made from $base or picked from $from.
mutants=()
if [[ -n $odd ]]; then
	mapfile -t mutants < <(find "$odd" -maxdepth 1 -type f \( -name '*-valid' -o -name '*-odd-*' \) |
		sort)
	((${#mutants[@]})) || { echo "fuzz-boot: no oddities in $odd" >&2 && exit 2; }
fi
if [[ -n $from ]]; then
	mapfile -t all < <(find "$from" -maxdepth 1 -type f -size +0 | sort)
	((${#all[@]})) || { echo "fuzz-boot: no files in $from" >&2 && exit 2; }
	for ((i = ${#all[@]} - 1; i > 0; i--)); do # shuffle (Fisher-Yates), then take n
		rnd $((i + 1))
		t=${all[i]} && all[i]=${all[R]} && all[R]=$t
	done
	mutants+=("${all[@]:0:n}")
else
	for ((i = 0; i < n; i++)); do
		make_mutant "$work/mutants/$(printf '%03d' "$i")"
		mutants+=("$work/mutants/$(printf '%03d' "$i")")
	done
fi

refused=0 exited=0 killed=0 looped=0 failed=0
for m in "${mutants[@]}"; do
	status=0
	start=$SECONDS
	timeout -k 5 "$limit" "$SOS_RUN" --accel tcg "$m" >"$work/out" 2>"$work/err" </dev/null ||
		status=$?
	verdict=""
	if ((status == 124 || (status == 137 && SECONDS - start >= limit))); then
		timeout -k 5 "$limit" "$SOS_RUN" --accel tcg --trace "$m" 2>&1 >/dev/null </dev/null |
			grep -a '^sos: \(fault\|syscall\)' | tail -n 1 >"$work/trace" || true
		if [[ -s $work/trace ]]; then
			looped=$((looped + 1))
			verdict="looped in user mode (last traced: $(cut -c 1-100 "$work/trace"))"
		else
			verdict="FAIL: hung before the program ran"
		fi
	elif ((status == 125)); then
		verdict="FAIL: SOS failed: $(grep -a -m 1 '^sos:' "$work/err" || true)"
	elif ((status == 126)); then
		if grep -a -q '^sos: cannot run' "$work/err"; then
			refused=$((refused + 1))
			verdict="refused: $(grep -a -m 1 '^sos: cannot run' "$work/err" | sed 's/.*: //')"
		else
			verdict="FAIL: status 126 without a 'sos: cannot run' line"
		fi
	elif ((status > 128)); then
		if grep -a -q '^sos: killed' "$work/err"; then
			killed=$((killed + 1))
			verdict="killed: $(grep -a -m 1 '^sos: killed' "$work/err" | cut -c 1-100)"
		else
			verdict="FAIL: status $status without a 'sos: killed' line"
		fi
	else
		exited=$((exited + 1))
		verdict="exited with status $status"
	fi
	[[ $verdict == FAIL* ]] && failed=$((failed + 1)) && cp "$m" "$work/failed-${m##*/}"
	printf '%s: %s\n' "$m" "$verdict"
done

echo "fuzz-boot: $((${#mutants[@]} - failed)) passed, $failed failed" \
	"($refused refused, $exited exited, $killed killed, $looped looped in user mode)"
((failed == 0))
