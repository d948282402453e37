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
#                layouts that SOS must accept: each must run, exit or be killed, never be refused)
#   -n N         how many (default 50); -t SECONDS: the timeout per boot (default 20)
# environment: BUILD (default build), SOS_RUN (default bin/sos-run; it must take sos-run's
#   --monitor and --ctl).
# Every boot must end with a status SOS itself reported (its control line, which --ctl copies;
# anything else is sos-run's own failure): the program's own, 126 with a "sos: cannot run" line,
# or 128+N with a "sos: killed" line; 125 (SOS failed) is a failure. A boot still running after
# the timeout is looked at through QEMU's monitor (--monitor) before it is stopped: only when
# every sample of the registers shows the CPU in user mode (CPL 3) is it a program looping there,
# counted apart; otherwise it hung in the kernel, a failure.
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
nodd=${#mutants[@]} # the odd files come first: they must run
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

# Where the CPU is, through QEMU's monitor: one line "CPL RIP" a sample, 3 samples 0.2 s apart;
# nothing from a monitor that does not answer.
sample_cpu()
{
	local k line in out
	exec {in}<>"$work/mon.in" {out}<>"$work/mon.out"
	for ((k = 0; k < 3; k++)); do
		while IFS= read -r -t 0.05 line <&"$out"; do :; done # what an earlier command left
		printf 'info registers\n' >&"$in"
		while IFS= read -r -t 2 line <&"$out"; do
			if [[ $line =~ RIP=([0-9a-f]+).*CPL=([0-3]) ]]; then
				echo "${BASH_REMATCH[2]} ${BASH_REMATCH[1]}"
				break
			fi
		done
		sleep 0.2
	done
	exec {in}>&- {out}<&-
}

# Boots file $1, with QEMU's monitor on $work/mon.in and .out and SOS's control line in $work/ctl.
# Sets status (sos-run's), sos (the status SOS reported, or nothing) and, for a boot still running
# after $limit seconds, samples (sample_cpu's lines, taken before the boot is stopped).
boot()
{
	local pid i
	rm -f "$work/mon.in" "$work/mon.out" "$work/ctl"
	mkfifo "$work/mon.in" "$work/mon.out"
	"$SOS_RUN" --accel tcg --monitor "$work/mon" --ctl "$work/ctl" "$1" \
		>"$work/out" 2>"$work/err" </dev/null &
	pid=$!
	hung=0 samples=""
	for ((i = 0; i < limit * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		hung=1
		samples=$(sample_cpu) || true
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	status=0
	wait "$pid" || status=$?
	sos=$(sed -n 's/^exit \([0-9]\{1,3\}\)$/\1/p' "$work/ctl" 2>/dev/null | tail -n 1) || true
}

refused=0 exited=0 killed=0 looped=0 failed=0 k=0
for m in "${mutants[@]}"; do
	is_odd=$((k++ < nodd))
	boot "$m"
	verdict=""
	if ((hung)); then
		if [[ -z $samples ]]; then
			verdict="FAIL: hung, and QEMU's monitor gave no registers"
		elif grep -q -v '^3 ' <<<"$samples"; then
			verdict="FAIL: hung in the kernel (CPL and RIP of 3 samples: $(paste -s -d ',' <<<"$samples"))"
		elif ((is_odd)); then
			verdict="FAIL: an odd file SOS must run looped in user mode (CPL and RIP: $(paste -s -d ',' <<<"$samples"))"
		else
			looped=$((looped + 1))
			verdict="looped in user mode (CPL 3 in 3 samples, RIP $(cut -d' ' -f2 <<<"$samples" | paste -s -d ' '))"
		fi
	elif [[ -z $sos ]]; then
		verdict="FAIL: status $status from sos-run itself, none from SOS: $(grep -a -m 1 '^sos' "$work/err" || true)"
	elif ((10#$sos != status)); then
		verdict="FAIL: sos-run's status $status is not the $sos SOS reported"
	elif ((status == 125)); then
		verdict="FAIL: SOS failed: $(grep -a -m 1 '^sos:' "$work/err" || true)"
	elif ((status == 126 && is_odd)); then
		verdict="FAIL: refused an odd file SOS must run: $(grep -a -m 1 '^sos:' "$work/err" || true)"
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
