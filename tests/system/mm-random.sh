#!/usr/bin/env bash
# The randomized differential test of the memory system calls: user/mm_random runs the same seeds
# on the oracle (bin/linux-run, every batch of the run in a few boots) and on SOS, several seeds per
# process and boot, and every seed's output must be byte-identical. Owned by kernel/mm.
#
# usage: tests/system/mm-random.sh [-j JOBS] [-n PER_BOOT] [-o OPS] [-t SECONDS] FIRST [COUNT]
#   FIRST [COUNT]  seeds FIRST .. FIRST+COUNT-1 (COUNT defaults to 300)
#   -t SECONDS     instead of COUNT: as many seeds from FIRST as start within SECONDS
#   -j JOBS        boots (and Linux runs) in parallel (default 2)
#   -n PER_BOOT    seeds per process and per boot (default 20)
#   -o OPS         operations per seed (default 2000)
# environment: BUILD (default build), SOS_RUN (default bin/sos-run), SOS_RUN_FLAGS, ORACLE_RUN
#   (default bin/linux-run), TIMEOUT (seconds per batch, default 300). Each batch's outputs stay in $BUILD/mm-random/FIRST/.
# Prints "ok" per batch of seeds, the seed, line and both versions of the first difference of each
# failing batch, the first mismatching seed overall, and ends with "N passed, N failed" (seeds);
# exits 1 if any seed failed, 2 on a usage error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

export BUILD=${BUILD:-build}
export SOS_RUN=${SOS_RUN:-bin/sos-run}
export ORACLE_RUN=${ORACLE_RUN:-bin/linux-run}
# shellcheck source=oracle.sh
. "$here/oracle.sh"
export SOS_RUN_FLAGS=${SOS_RUN_FLAGS:-}
export TIMEOUT=${TIMEOUT:-300}
export PROG=$BUILD/user/mm_random

# ---- one batch (run by the workers: mm-random.sh --batch DIR FIRST N OPS DEADLINE) -----------

# Compares the seed blocks of linux.out and sos.out for seeds first..first+n-1; writes one line a
# seed to $dir/seeds: "pass SEED" or "fail SEED LINE<TAB>LINUX-LINE<TAB>SOS-LINE".
compare_seeds()
{
	awk -v first="$2" -v n="$3" -F '\n' '
	FNR == 1 { f++ }
	/^seed [0-9]+$/ { cur[f] = substr($0, 6); len[f, cur[f]] = 0 }
	(f in cur) { k = ++len[f, cur[f]]; text[f, cur[f], k] = $0 }
	END {
		for (s = first; s < first + n; s++) {
			a = len[1, s] + 0; b = len[2, s] + 0
			ok = a > 0 && a == b && text[1, s, a] ~ ("^end " s " sum [0-9a-f]+$")
			for (i = 1; ok && i <= a; i++)
				if (text[1, s, i] != text[2, s, i])
					ok = 0
			if (ok) {
				print "pass " s
				continue
			}
			for (i = 1; i <= a || i <= b; i++)
				if (i > a || i > b || text[1, s, i] != text[2, s, i])
					break
			la = i <= a ? text[1, s, i] : "(end of output)"
			lb = i <= b ? text[2, s, i] : "(end of output)"
			printf "fail %d %d\t%s\t%s\n", s, i, la, lb
		}
	}' "$1/linux.out" "$1/sos.out" >"$1/seeds"
}

run_batch()
{
	local dir=$1 first=$2 n=$3 ops=$4 deadline=$5 ss=0
	local -a flags
	if ((deadline > 0 && $(date +%s) >= deadline)); then
		echo skip >"$dir/verdict.new" && mv "$dir/verdict.new" "$dir/verdict"
		return
	fi
	read -r -a flags <<<"$SOS_RUN_FLAGS"
	timeout -k 5 "$TIMEOUT" "$SOS_RUN" "${flags[@]}" "$PROG" "$first" "$n" "$ops" \
		>"$dir/sos.out" 2>"$dir/sos.err" </dev/null || ss=$?
	echo "$(<"$dir/linux.status") $ss" >"$dir/status"
	compare_seeds "$dir" "$first" "$n"
	# made whole, then renamed: the reporter reads it as soon as it exists
	echo "done" >"$dir/verdict.new" && mv "$dir/verdict.new" "$dir/verdict"
}

# Runs the batches named by the lines "DIR FIRST N" on stdin on the oracle, in $jobs boots side
# by side (tests/system/oracle.sh), and leaves each batch's linux.out, linux.err and linux.status.
run_oracle()
{
	local dir s n
	while read -r dir s n; do
		oracle_job "${dir##*/}" "$jobs"
		printf '%s\0' "$PROG" "$s" "$n" "$ops" >"$oracle_dir/argv"
		echo "$TIMEOUT" >"$oracle_dir/timeout"
	done
	oracle_run "$jobs"
}

if [[ ${1:-} == --batch ]]; then
	run_batch "$2" "$3" "$4" "$5" "$6"
	exit 0
fi

# ---- the batches ------------------------------------------------------------------------------

usage()
{
	sed -n '6,17s/^# \{0,1\}//p' "$here/mm-random.sh" >&2
	exit 2
}

jobs=2 per=20 ops=2000 seconds=0
while (($#)); do
	case $1 in
	-j | -n | -o | -t)
		[[ ${2:-} =~ ^[0-9]+$ ]] || usage
		case $1 in
		-j) jobs=$2 ;;
		-n) per=$2 ;;
		-o) ops=$2 ;;
		-t) seconds=$2 ;;
		esac
		shift 2
		;;
	-h | --help | -*) usage ;;
	*) break ;;
	esac
done
[[ ${1:-} =~ ^[0-9]+$ ]] || usage
first=$1
count=${2:-300}
if ! [[ $count =~ ^[0-9]+$ ]] || ((jobs == 0 || per == 0 || count == 0)); then
	usage
fi
deadline=0
if ((seconds > 0)); then
	deadline=$(($(date +%s) + seconds))
	count=$((seconds * 50 + per)) # more than can run: batches past the deadline are skipped
fi
if [[ ! -f $PROG || ! -r $PROG ]]; then # read, never run here: the runners copy it
	echo "mm-random: $PROG is not built (make user)" >&2
	exit 2
fi

work=$BUILD/mm-random
rm -rf "$work"
mkdir -p "$work"
batches=()
for ((s = first; s < first + count; s += per)); do
	n=$((first + count - s < per ? first + count - s : per))
	batches+=("$work/$s $s $n")
done
if ((seconds > 0)); then
	echo "mm-random: seeds from $first for ${seconds}s, $per a boot, $ops operations each"
else
	echo "mm-random: seeds $first..$((first + count - 1)), $per a boot, $ops operations each"
fi

# Runs the batches "DIR FIRST N" given as arguments, the oracle's side first, and reports them.
run_round()
{
	local b dir s n verdict ls ss p seed head la lb line
	printf '%s\n' "$@" | run_oracle
	printf '%s\n' "$@" |
		xargs -P "$jobs" -L 1 sh -c "exec \"$here/mm-random.sh\" --batch \"\$0\" \"\$1\" \"\$2\" $ops $deadline" &
	xargs_pid=$!
	for b in "$@"; do
		read -r dir s n <<<"$b"
		while [[ ! -e $dir/verdict ]] && kill -0 "$xargs_pid" 2>/dev/null; do
			sleep 0.2
		done
		verdict=$(cat "$dir/verdict" 2>/dev/null || echo lost)
		[[ $verdict == skip ]] && continue
		if [[ $verdict != "done" ]]; then
			echo "FAIL seeds $s..$((s + n - 1)): the harness itself failed"
			failed=$((failed + n))
			continue
		fi
		read -r ls ss <"$dir/status"
		p=$(grep -c '^pass ' "$dir/seeds" || true)
		if ((p == n && ls == 0 && ss == 0)); then
			echo "ok seeds $s..$((s + n - 1))"
			passed=$((passed + n))
			continue
		fi
		if ((p == n)); then
			# every output matched, but a run failed at its end (SOS checks its frames after exit)
			seed=$s
			echo "FAIL seeds $s..$((s + n - 1)): outputs agree, but the exit statuses are $ls (Linux), $ss (SOS)"
			p=0
		else
			IFS=$'\t' read -r head la lb < <(grep -m 1 '^fail ' "$dir/seeds")
			read -r _ seed line <<<"$head"
			echo "FAIL seeds $s..$((s + n - 1)): $((n - p)) differ; first: seed $seed, line $line of its output"
			echo "    linux: $la"
			echo "    sos:   $lb"
			((ls == 0)) || echo "    Linux exited with status $ls: the tester itself is wrong"
			((ss == 0)) || echo "    SOS exited with status $ss"
		fi
		[[ -n $first_bad ]] || first_bad=$seed
		passed=$((passed + p))
		failed=$((failed + n - p))
		grep -a '^sos: ' "$dir/sos.err" | head -n 3 | sed 's/^/    /' || true
		echo "    again: $SOS_RUN $PROG $seed 1 $ops l   (outputs in $dir)"
	done
	wait "$xargs_pid" || true
}

# Count mode runs every batch in one round; time mode runs rounds of a few boots' worth until the
# deadline, since the oracle's batch must be written before its boot.
size=${#batches[@]}
((seconds == 0)) || size=$((4 * jobs))
passed=0 failed=0 first_bad=""
for ((i = 0; i < ${#batches[@]}; i += size)); do
	((deadline == 0 || $(date +%s) < deadline)) || break
	run_round "${batches[@]:i:size}"
done

[[ -z $first_bad ]] || echo "first mismatching seed: $first_bad"
echo "$passed passed, $failed failed"
((failed == 0))
