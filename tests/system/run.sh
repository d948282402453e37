#!/usr/bin/env bash
# System tests: every case in tests/system/cases runs on Linux (the oracle) and on SOS through
# bin/sos-run, and their stdout, stderr and exit status are compared. Owned by the user/tests part.
#
# usage: tests/system/run.sh [--self-test] [--cases FILE] [-j JOBS] [NAME-PATTERN ...]
#   NAME-PATTERN   run only the cases whose name matches one of these shell patterns
#   --self-test    run against tests/system/stand-in.sh, which runs programs natively: this tests
#                  the harness itself and says nothing about SOS (only this flag selects it)
#   --cases FILE   the table of cases (default tests/system/cases; tests/harness/run.sh uses others)
#   -j JOBS        cases run in parallel (default 2); results print in the table's order
# environment: SOS_RUN (the runner, default bin/sos-run), SOS_RUN_FLAGS (extra runner options,
#   e.g. "--accel kvm"), BUILD (default build), TIMEOUT (seconds per run, default 60).
# Each case's files (linux.out, sos.out, sos.err, ...) stay in $BUILD/system-test/NN-NAME/.
# Prints "ok NAME" or "FAIL NAME: reasons" (and an excerpt) per case, or "xfail NAME: reason" for
# a failure tests/system/expected-failures expects (tests/system/xfail.sh), then "N passed,
# N failed, N expected to fail"; exits 1 if any case failed, 2 on a usage error or a missing runner.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

export BUILD=${BUILD:-build}
export TIMEOUT=${TIMEOUT:-60}
export SOS_RUN=${SOS_RUN:-bin/sos-run}
export ORACLE_RUN=${ORACLE_RUN:-bin/linux-run}
# shellcheck source=oracle.sh
. "$here/oracle.sh"
export SOS_RUN_FLAGS=${SOS_RUN_FLAGS:-}
# 1 only with --self-test, passed to the workers as an argument: never taken from the environment,
# where a stray SOS_SELF_TEST=1 would let SOS-only cases pass without running.
self_test=0

# ---- one case (run by the workers: run.sh --case SELF_TEST DIR) ------------------------------

# Repeats file $1 $2 times into file $3.
repeat_file()
{
	local k
	for ((k = 0; k < $2; k++)); do
		cat "$1"
	done >"$3"
}

# Shows how $1 (what Linux says) and $2 (what SOS said) differ: their first differing line,
# then the start of a unified diff, indented.
excerpt()
{
	awk 'FILENAME == ARGV[1] { a[FNR] = $0; na = FNR; next }
	     { b[FNR] = $0; nb = FNR }
	     END {
		n = na > nb ? na : nb
		for (i = 1; i <= n; i++)
			if (!(i in a) || !(i in b) || a[i] != b[i])
				break
		if (i > n) {
			print "    they differ only in a final newline or in NUL bytes"
			exit
		}
		printf "    first difference, line %d:\n", i
		printf "    linux: %s\n", (i in a) ? a[i] : "(end of output)"
		printf "    sos:   %s\n", (i in b) ? b[i] : "(end of output)"
	     }' "$1" "$2"
	{ diff -a -u --label linux --label sos "$1" "$2" || true; } | head -n 10 | sed 's/^/    /'
}

# True when file holds n copies of one run's output (each run starts with the same first line).
runs_agree()
{
	local first
	first=$(head -n 1 "$1")
	awk -v first="$first" -v n="$2" '
		$0 == first { k++ } { out[k] = out[k] $0 "\n" }
		END { if (k != n) exit 1; for (i = 2; i <= k; i++) if (out[i] != out[1]) exit 1 }' "$1"
}

# Prints the last lines of SOS's stderr, indented.
stderr_tail()
{
	[[ -s $1 ]] && tail -n 5 "$1" | sed 's/^/    stderr: /'
	return 0
}

# What an exit status means under the sos-run contract.
status_meaning()
{
	case $1 in
	0) ;;
	124) echo " (timed out)" ;;
	125) echo " (SOS failed: panic or leaked frames)" ;;
	126) echo " (SOS refused the program)" ;;
	137) echo " (killed: out of memory)" ;;
	139) echo " (killed: SIGSEGV)" ;;
	*) ((${1} > 128)) && echo " (signal $(($1 - 128)))" ;;
	esac
	return 0
}

# Checks how the runs of a sos case ended (SOS's stderr $1, $2 runs) against mix=$3, a list of
# KIND:MIN: KIND is a signal (runs with a "sos: killed PROG: KIND, ..." line) or exit (runs without
# a kill line), and each must have ended so at least MIN times; a run killed by a signal not in
# the list is wrong too. Adds to the caller's reasons.
check_mix()
{
	local err=$1 runs=$2 kills n item kind min listed=" " other
	local -a items
	kills=$(grep -c -E '^sos: killed [^:]+: SIG[A-Z0-9]+' "$err" || true)
	((kills <= runs)) || reasons+=("$kills kill lines for $runs runs")
	IFS=, read -r -a items <<<"$3"
	for item in "${items[@]}"; do
		kind=${item%%:*} min=${item#*:}
		listed+="$kind "
		if [[ $kind == exit ]]; then
			n=$((runs - kills))
		else
			n=$(grep -c -E "^sos: killed [^:]+: $kind([^A-Z0-9]|\$)" "$err" || true)
		fi
		((n >= min)) || reasons+=("$n of the $runs runs ended by $kind, expected at least $min")
	done
	other=$(grep -o -E '^sos: killed [^:]+: SIG[A-Z0-9]+' "$err" | sed 's/.*: //' | sort -u |
		while read -r kind; do [[ $listed == *" $kind "* ]] || printf ' %s' "$kind"; done)
	[[ -z $other ]] || reasons+=("runs killed by signals mix= does not list:$other")
	return 0
}

# Splits the case line in $1/case into the caller's variables: name kind prog args repeat mem swap tmo
# want match agree flags_extra, and reasons for anything wrong with the line itself.
parse_case()
{
	local i
	mapfile -d '' f < <(xargs printf '%s\0' <"$1/case")
	name=${f[0]} kind=${f[1]:-}
	for ((i = 2; i < ${#f[@]}; i++)); do
		case ${f[i]} in
		repeat=*) repeat=${f[i]#*=} ;;
		mem=*) mem=${f[i]#*=} ;;
		swap=*) swap=${f[i]#*=} ;;
		timeout=*) tmo=${f[i]#*=} ;;
		status=*) want=${f[i]#*=} ;;
		match=*) match=${f[i]#*=} ;;
		agree=*) agree=${f[i]#*=} ;;
		mix=*) mix=${f[i]#*=} ;;
		trace=*) [[ ${f[i]#*=} == 1 ]] && flags_extra+=(--trace) ;;
		stats=*) [[ ${f[i]#*=} == 1 ]] && flags_extra+=(--stats) ;;
		evict=*) flags_extra+=(--evict "${f[i]#*=}") ;;
		fail=*) flags_extra+=(--fail "${f[i]#*=}") ;;
		*=*) reasons+=("unknown option ${f[i]}") ;;
		*) break ;;
		esac
	done
	prog=${f[i]:-}
	args=("${f[@]:i+1}")
	[[ $prog == */* ]] || prog=$BUILD/user/$prog
	case $kind in
	same) want=${want:-0} ;;
	kill) want=${want:-139} ;;
	refuse) want=${want:-126} ;;
	sos) want=${want:-0} ;;
	*) reasons+=("unknown kind '$kind'") ;;
	esac
	[[ -n ${f[i]:-} ]] || reasons+=("no program")
	[[ $repeat =~ ^[1-9][0-9]*$ ]] || reasons+=("bad repeat=$repeat")
	[[ -f $prog ]] || reasons+=("$prog is not built")
	# A refusal counts only for its reason: 126 alone is also what a runner says of a missing file.
	[[ $kind != refuse || -n $match ]] || reasons+=("a refuse case needs match= (the reason SOS gives)")
	[[ -z $mix || $kind == sos ]] || reasons+=("mix= is for sos cases")
	[[ -z $mix || $mix =~ ^(exit|SIG[A-Z0-9]+):[0-9]+(,(exit|SIG[A-Z0-9]+):[0-9]+)*$ ]] ||
		reasons+=("bad mix=$mix")
}

# Runs the case whose line is in $dir/case; leaves "ok NAME" or "FAIL ..." lines in $dir/result
# and then pass or fail in $dir/verdict.
run_case()
{
	local dir=$1 f name kind prog repeat=1 mem="" swap="" tmo=$TIMEOUT want="" match="" mix="" note="" agree=0
	local -a args opts flags flags_extra=() reasons=() details=()
	parse_case "$dir"

	if [[ $kind == sos ]] && ((self_test)); then
		# The stand-in runs natively: an out-of-memory case would fill this machine.
		reasons=() note=" (self-test: SOS-only case not run)"
		kind=skip
	fi
	opts=()
	[[ $repeat =~ ^[1-9][0-9]*$ ]] && ((repeat > 1)) && opts+=(--repeat "$repeat")
	[[ -n $mem ]] && opts+=(--mem "$mem")
	[[ -n $swap ]] && opts+=(--swap "$swap")
	opts+=("${flags_extra[@]}")
	read -r -a flags <<<"$SOS_RUN_FLAGS"
	local ns=0 ss=0 start
	if ((${#reasons[@]} == 0)) && [[ $kind == same || $kind == kill ]]; then
		# The oracle ran this case in the batch before the workers started (run_oracle).
		ns=$(cat "$dir/linux.status" 2>/dev/null || echo 125)
		repeat_file "$dir/linux.out" "$repeat" "$dir/expect.out"
		repeat_file "$dir/linux.err" "$repeat" "$dir/expect.err"
		if ((ns == 125)); then
			reasons+=("the oracle gave no result")
			details+=("$(head -n 5 "$dir/linux.err" | sed 's/^/    linux: /')")
		elif ((ns != want)); then
			reasons+=("on Linux exit status $ns$(status_meaning "$ns"), expected $want: the test itself is wrong")
			details+=("$(head -n 5 "$dir/linux.out" | sed 's/^/    linux: /')")
		fi
	fi
	if ((${#reasons[@]} == 0)) && [[ $kind != skip ]]; then
		start=$SECONDS
		{
			timeout -k 5 "$tmo" "$SOS_RUN" "${flags[@]}" "${opts[@]}" "$prog" "${args[@]}" \
				>"$dir/sos.out" 2>"$dir/sos.err" </dev/null || ss=$?
		} 2>/dev/null
		if ((ss == 124 || (ss == 137 && SECONDS - start >= tmo))); then
			reasons+=("timed out after ${tmo}s on SOS")
			details+=("$(stderr_tail "$dir/sos.err")")
		elif [[ $kind == sos ]]; then
			if [[ $want == any ]]; then
				((ss != 125 && ss != 126)) || reasons+=("exit status $ss$(status_meaning "$ss")")
			else
				((ss == want)) || reasons+=("exit status $ss$(status_meaning "$ss"), expected $want")
			fi
			[[ -z $match ]] || grep -q -E -e "$match" "$dir/sos.err" ||
				reasons+=("no stderr line matches /$match/")
			if ((agree)) && ! runs_agree "$dir/sos.out" "$repeat"; then
				reasons+=("the $repeat runs did not print the same")
				details+=("$(tail -n 3 "$dir/sos.out" | sed 's/^/    stdout: /')")
			fi
			[[ -z $mix ]] || check_mix "$dir/sos.err" "$repeat" "$mix"
			((${#reasons[@]} == 0)) || details+=("$(stderr_tail "$dir/sos.err")")
		elif [[ $kind == refuse ]]; then
			((ss == want)) || reasons+=("exit status $ss$(status_meaning "$ss"), expected $want")
			grep -q '^sos: ' "$dir/sos.err" || reasons+=("no 'sos:' line on stderr")
			grep -q -E -e "^sos: .*($match)" "$dir/sos.err" ||
				reasons+=("no 'sos:' line matches /$match/")
			[[ ! -s $dir/sos.out ]] || reasons+=("output on stdout")
			((${#reasons[@]} == 0)) || details+=("$(stderr_tail "$dir/sos.err")")
		else
			if ((ss != ns)); then
				reasons+=("exit status $ss$(status_meaning "$ss") on SOS, $ns on Linux")
				details+=("$(stderr_tail "$dir/sos.err")")
			fi
			if ! cmp -s "$dir/expect.out" "$dir/sos.out"; then
				reasons+=("stdout differs")
				details+=("$(excerpt "$dir/expect.out" "$dir/sos.out")")
			fi
			if [[ $kind == kill ]]; then
				local kills matching sig
				sig=SIG$(kill -l $((want - 128)))
				kills=$(grep -c -E '^sos: killed [^:]+: '"$sig" "$dir/sos.err" || true)
				if ((kills != repeat)); then
					reasons+=("$kills 'sos: killed ...: $sig' lines on stderr, expected $repeat")
					details+=("$(stderr_tail "$dir/sos.err")")
				elif [[ -n $match ]] && ((self_test)); then
					note=" (self-test: the stand-in cannot know the fault, match= not checked)"
				elif [[ -n $match ]]; then
					matching=$(grep -E '^sos: killed [^:]+: '"$sig" "$dir/sos.err" |
						grep -c -E -e "$match" || true)
					if ((matching != repeat)); then
						reasons+=("kill lines do not match /$match/")
						details+=("$(stderr_tail "$dir/sos.err")")
					fi
				fi
				grep -v '^sos: killed ' "$dir/sos.err" >"$dir/sos.err.rest" || true
			else
				cp "$dir/sos.err" "$dir/sos.err.rest"
			fi
			if ! cmp -s "$dir/expect.err" "$dir/sos.err.rest"; then
				reasons+=("stderr differs")
				[[ ${details[*]} == *"stderr: "* ]] ||
					details+=("$(excerpt "$dir/expect.err" "$dir/sos.err.rest")")
			fi
		fi
	fi

	local verdict=pass text="" r
	for r in "${reasons[@]}"; do
		text+="${text:+; }$r"
	done
	if [[ -n $text ]]; then
		verdict=fail
		printf 'FAIL %s: %s\n' "$name" "$text"
		for r in "${details[@]}"; do
			[[ -n $r ]] && printf '%s\n' "$r"
		done
	else
		printf 'ok %s%s\n' "$name" "$note"
	fi >"$dir/result"
	echo "$verdict" >"$dir/verdict.tmp"
	mv "$dir/verdict.tmp" "$dir/verdict"
}

if [[ ${1:-} == --case ]]; then
	self_test=$2
	run_case "$3"
	exit 0
fi

# ---- the table --------------------------------------------------------------------------------

usage()
{
	sed -n '4,15s/^# \{0,1\}//p' "$here/run.sh" >&2
	exit 2
}

jobs=2
patterns=()
cases=$here/cases
while (($#)); do
	case $1 in
	--self-test)
		SOS_RUN=$here/stand-in.sh
		self_test=1
		shift
		;;
	--cases)
		[[ -f ${2:-} ]] || usage
		cases=$2
		shift 2
		;;
	-j)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
		jobs=$2
		shift 2
		;;
	-h | --help) usage ;;
	-*) usage ;;
	*)
		patterns+=("$1")
		shift
		;;
	esac
done

if [[ $(basename "$SOS_RUN") == stand-in.sh ]] && ((!self_test)); then
	echo "system-test: the stand-in runs programs natively: only --self-test uses it" >&2
	exit 2
fi
if ((self_test)); then
	echo "# SELF-TEST of the harness: $SOS_RUN runs each program natively on Linux; these results say nothing about SOS"
fi
if ! command -v "$SOS_RUN" >/dev/null 2>&1 && [[ ! -x $SOS_RUN ]]; then
	echo "system-test: runner $SOS_RUN not found (set SOS_RUN, or use --self-test to check the harness)" >&2
	exit 2
fi

work=$BUILD/system-test
rm -rf "$work"
mkdir -p "$work"
dirs=()
n=0
while IFS= read -r line || [[ -n $line ]]; do
	[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
	read -r name _ <<<"$line"
	if ((${#patterns[@]})); then
		selected=0
		for p in "${patterns[@]}"; do
			# shellcheck disable=SC2053 # a pattern on purpose
			[[ $name == $p ]] && selected=1
		done
		((selected)) || continue
	fi
	n=$((n + 1))
	d=$work/$(printf '%02d' "$n")-$name
	mkdir -p "$d"
	printf '%s\n' "$line" >"$d/case"
	dirs+=("$d")
done <"$cases"
if ((n == 0)); then
	echo "system-test: no case matches ${patterns[*]}" >&2
	exit 2
fi

# Puts every case that compares with Linux into the oracle's batches (tests/system/oracle.sh), $1
# boots side by side, and leaves each case's linux.out, linux.err and linux.status.
run_oracle()
{
	local boots=$1 d f name kind prog repeat mem swap tmo want match mix agree
	local -a args flags_extra reasons
	for d in "${dirs[@]}"; do
		repeat=1 mem="" swap="" tmo=$TIMEOUT want="" match="" mix="" reasons=()
		parse_case "$d"
		[[ $kind == same || $kind == kill ]] && ((${#reasons[@]} == 0)) || continue
		oracle_job "${d##*/}" "$boots" "$mem" "$swap"
		printf '%s\0' "$prog" "${args[@]}" >"$oracle_dir/argv"
		echo "$tmo" >"$oracle_dir/timeout"
	done
	((oracle_jobs)) || return 0
	echo "# the oracle: $oracle_jobs cases on $("$ORACLE_RUN" --version), in $(find "$work/oracle" -mindepth 1 -maxdepth 1 -type d | wc -l) boots, $boots at a time"
	oracle_run "$boots"
}

run_oracle "$jobs"
printf '%s\n' "${dirs[@]}" | xargs -P "$jobs" -n 1 "$here/run.sh" --case "$self_test" &
xargs_pid=$!

# The cases SOS is known to fail (tests/system/xfail.sh): the default table's list, and never
# for the self-test, which runs no SOS.
# shellcheck source=xfail.sh
. "$here/xfail.sh"
xfail_list=tests/system/expected-failures
[[ $cases != "$here/cases" ]] || ((self_test)) || xfail_load "$root/$xfail_list"
for d in "${dirs[@]}"; do
	while [[ ! -e $d/verdict ]] && kill -0 "$xargs_pid" 2>/dev/null; do
		sleep 0.2
	done
	read -r name _ <"$d/case"
	if [[ -e $d/verdict ]]; then
		xfail_report "$name" "$(<"$d/verdict")" "$d/result" "$xfail_list"
	else
		echo "FAIL $name: the harness itself failed on this case"
		failed=$((failed + 1))
	fi
done
wait "$xargs_pid" || true
((${#patterns[@]})) || xfail_unused "$xfail_list"

echo "$passed passed, $failed failed, $xfailed expected to fail"
((failed == 0))
