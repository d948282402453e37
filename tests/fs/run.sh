#!/usr/bin/env bash
# The file suite: Debian's busybox-static (and bash-static) run each case of tests/fs/cases on SOS
# (bin/sos-run --root) and on the oracle (bin/linux-run --root --batch) with the same guest root,
# built from scratch by tests/fs/mkroot.sh; stdout, stderr and the exit status must be the same.
#
# usage: tests/fs/run.sh [both|linux|sos] [-j JOBS] [NAME-PATTERN ...]
#   both          (default) compare SOS with the oracle
#   linux         the oracle alone: a case passes when the oracle ran it (a check of the cases)
#   sos           SOS alone: a case passes when SOS ran it to an exit of its own (not 124-126)
#   NAME-PATTERN  run only the cases whose name matches one of these shell patterns
#   -j JOBS       SOS runs side by side, and oracle boots (default 2)
# environment: SOS_RUN, ORACLE_RUN (the runners), BUILD (default build), TIMEOUT (seconds per
#   SOS run, default 20: an applet takes well under a second).
# tests/fs/expected-failures names the cases SOS is known to fail (NAME-PATTERN reason): such a
# failure prints "xfail", and a listed case that passes, or an entry matching no case, is a
# failure, so the list stays true. The closing line: "fs: N passed, N failed, N expected to fail".
# Each case's files (linux.out, sos.out, sos.err, ...) stay in $BUILD/fs-test/NAME/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
export BUILD=${BUILD:-build}
export TIMEOUT=${TIMEOUT:-20}
export SOS_RUN=${SOS_RUN:-bin/sos-run}
export ORACLE_RUN=${ORACLE_RUN:-bin/linux-run}
work=$BUILD/fs-test
root=$work/root
inputs=$work/inputs

# ---- one case (the workers: run.sh --case MODE DIR) ---------------------------------------------

# Splits the case line in $1/case into name, stdin (a file of $inputs, or /dev/null), envs
# (NAME=VALUE), tmo, prog and args, with reasons for anything wrong with the line.
parse_case() {
	local i
	local -a f
	mapfile -d '' f < <(xargs printf '%s\0' <"$1/case")
	name=${f[0]} stdin=/dev/null tmo=$TIMEOUT envs=()
	for ((i = 1; i < ${#f[@]}; i++)); do
		case ${f[i]} in
		stdin=*) stdin=$inputs/${f[i]#*=} ;;
		env=*=*) envs+=("${f[i]#env=}") ;;
		timeout=*) tmo=${f[i]#*=} ;;
		*=*) reasons+=("unknown option ${f[i]}") ;;
		*) break ;;
		esac
	done
	prog=${f[i]:-}
	args=("${f[@]:i+1}")
	[[ $prog == /* ]] || reasons+=("the program '$prog' is not a path in the guest")
	[[ -f $stdin || $stdin == /dev/null ]] || reasons+=("no stdin file $stdin")
}

# The lines of $1 without SOS's own ("sos: ..."), into $2.
program_stderr() {
	grep -a -v '^sos: ' "$1" >"$2" || true
}

# Shows how $1 (Linux) and $2 (SOS) differ: the start of a unified diff, indented (NUL bytes
# shown as @).
excerpt() {
	{ diff -a -u --label linux --label sos "$1" "$2" || true; } | head -n 12 | tr '\000' @ |
		sed 's/^/    /'
}

# Runs the case in $2 in mode $1; leaves its report in $2/result and pass or fail in $2/verdict.
run_case() {
	local mode=$1 dir=$2 name stdin tmo prog ls=125 ss=125 text="" r e
	local -a args envs reasons=() details=() envopts=()
	parse_case "$dir"
	if ((${#reasons[@]} == 0)) && [[ $mode != sos ]]; then
		ls=$(cat "$dir/linux.status" 2>/dev/null || echo 125)
		if ((ls >= 124 && ls <= 126)); then
			reasons+=("the oracle gave status $ls, no result")
			details+=("$(head -n 5 "$dir/linux.err" 2>/dev/null | sed 's/^/    linux: /')")
		fi
	fi
	if ((${#reasons[@]} == 0)) && [[ $mode != linux ]]; then
		ss=0
		for e in "${envs[@]}"; do
			envopts+=(--env "$e")
		done
		{
			timeout -k 5 "$tmo" "$SOS_RUN" --root "$root" "${envopts[@]}" "$prog" "${args[@]}" \
				<"$stdin" >"$dir/sos.out" 2>"$dir/sos.err" || ss=$?
		} 2>/dev/null
		program_stderr "$dir/sos.err" "$dir/sos.err.prog"
		if ((ss >= 124 && ss <= 126)) || [[ $mode == both && $ss != "$ls" ]]; then
			reasons+=("exit status $ss on SOS$([[ $mode != both ]] || echo ", $ls on Linux")")
			details+=("$(tail -n 4 "$dir/sos.err" | sed 's/^/    sos stderr: /')")
		fi
	fi
	if ((${#reasons[@]} == 0)) && [[ $mode == both ]]; then
		program_stderr "$dir/linux.err" "$dir/linux.err.prog"
		if ! cmp -s "$dir/linux.out" "$dir/sos.out"; then
			reasons+=("stdout differs")
			details+=("$(excerpt "$dir/linux.out" "$dir/sos.out")")
		fi
		if ! cmp -s "$dir/linux.err.prog" "$dir/sos.err.prog"; then
			reasons+=("stderr differs")
			details+=("$(excerpt "$dir/linux.err.prog" "$dir/sos.err.prog")")
		fi
	fi
	for r in "${reasons[@]}"; do
		text+="${text:+; }$r"
	done
	if [[ -n $text ]]; then
		printf 'FAIL %s: %s\n' "$name" "$text"
		for r in "${details[@]}"; do
			[[ -z $r ]] || printf '%s\n' "$r"
		done
		echo fail >"$dir/verdict.tmp"
	else
		printf 'ok %s\n' "$name"
		echo pass >"$dir/verdict.tmp"
	fi >"$dir/result"
	mv "$dir/verdict.tmp" "$dir/verdict"
}

if [[ ${1:-} == --case ]]; then
	run_case "$2" "$3"
	exit 0
fi

# ---- the suite -----------------------------------------------------------------------------------

usage() {
	sed -n '6,14s/^# \{0,1\}//p' "$here/run.sh" >&2
	exit 2
}

mode=both jobs=2
patterns=()
while (($#)); do
	case $1 in
	both | linux | sos) mode=$1 ;;
	-j)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
		jobs=$2
		shift
		;;
	-*) usage ;;
	*) patterns+=("$1") ;;
	esac
	shift
done
for f in /bin/busybox /bin/bash-static; do
	[[ -x $f ]] || { echo "fs: no $f (run tools/deps.sh)" >&2 && exit 2; }
done

# True when case name $1 is selected by the command line's patterns.
selected() {
	local p
	((${#patterns[@]})) || return 0
	for p in "${patterns[@]}"; do
		# shellcheck disable=SC2053 # a pattern on purpose
		[[ $1 == $p ]] && return 0
	done
	return 1
}

rm -rf "$work"
mkdir -p "$work"
"$here/mkroot.sh" "$root" "$inputs"
dirs=() names=()
while IFS= read -r line || [[ -n $line ]]; do
	[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
	read -r name _ <<<"$line"
	[[ " ${names[*]} " != *" $name "* ]] || { echo "fs: case $name twice in the table" >&2 && exit 2; }
	names+=("$name")
	selected "$name" || continue
	mkdir -p "$work/$name"
	printf '%s\n' "$line" >"$work/$name/case"
	dirs+=("$work/$name")
done <"$here/cases"
((${#dirs[@]})) || { echo "fs: no case matches ${patterns[*]}" >&2 && exit 2; }

# The oracle: every case in a few boots of one batch each (tests/system/oracle.sh).
# shellcheck source=../system/oracle.sh
. "$repo/tests/system/oracle.sh"
if [[ $mode != sos ]]; then
	oracle_opts=(--root "$root")
	for d in "${dirs[@]}"; do
		reasons=()
		parse_case "$d"
		((${#reasons[@]} == 0)) || continue
		oracle_job "$name" "$jobs"
		printf '%s\0' "$prog" "${args[@]}" >"$oracle_dir/argv"
		[[ $stdin == /dev/null ]] || cp "$stdin" "$oracle_dir/stdin"
		((${#envs[@]} == 0)) || printf '%s\0' "${envs[@]}" >"$oracle_dir/env"
		echo "$tmo" >"$oracle_dir/timeout"
	done
	echo "# the oracle: $oracle_jobs cases on $("$ORACLE_RUN" --version), in $jobs boots"
	oracle_run "$jobs"
fi

# The expected failures (tests/system/xfail.sh), in the comparing mode only.
# shellcheck source=../system/xfail.sh
. "$repo/tests/system/xfail.sh"
[[ $mode != both ]] || xfail_load "$here/expected-failures"

start=$SECONDS
printf '%s\n' "${dirs[@]}" | xargs -P "$jobs" -n 1 "$here/run.sh" --case "$mode" &
xargs_pid=$!
for d in "${dirs[@]}"; do
	while [[ ! -e $d/verdict ]] && kill -0 "$xargs_pid" 2>/dev/null; do
		sleep 0.2
	done
	if [[ -e $d/verdict ]]; then
		xfail_report "${d##*/}" "$(<"$d/verdict")" "$d/result" tests/fs/expected-failures
	else
		echo "FAIL ${d##*/}: the harness itself failed on this case"
		failed=$((failed + 1))
	fi
done
wait "$xargs_pid" || true
((${#patterns[@]})) || xfail_unused tests/fs/expected-failures
echo "# SOS ran the cases in $((SECONDS - start)) s"
echo "fs: $passed passed, $failed failed, $xfailed expected to fail"
((failed == 0))
