# The oracle's side of a differential suite, sourced by tests/system/run.sh and mm-random.sh: jobs
# spread over a few batch boots of bin/linux-run, side by side, results beside each case's own.
# shellcheck shell=bash

# Make the next job's directory in oracle_dir, for the caller to give an argv (and a timeout):
# $work/oracle/K/$1 for the K-th of $2 boots round robin, or $work/oracle/MEM~SWAP.K/$1 when $3
# gives a guest memory size or $4 a swap size (a boot has one of each: such jobs get boots of
# their own, whose options wait in $work/oracle/MEM~SWAP.K.opts). oracle_jobs counts them.
oracle_jobs=0 oracle_dir=""
oracle_job() {
	local key=""
	[[ -z ${3:-}${4:-} ]] || key="${3:-}~${4:-}."
	oracle_dir=$work/oracle/$key$((oracle_jobs++ % $2))/$1
	mkdir -p "$oracle_dir"
	[[ -z $key ]] || {
		[[ -z ${3:-} ]] || printf '%s\n' --mem "$3"
		[[ -z ${4:-} ]] || printf '%s\n' --swap "$4"
	} >"${oracle_dir%/*}.opts"
}

# Boot the oracle for every job oracle_job made, at most $1 boots side by side, and leave each
# job's results in $work/NAME as linux.out, linux.err and linux.status; a boot that failed leaves
# its log as linux.err and status 125 for each of its jobs. The array oracle_opts, if the caller
# set it, holds more options for the runner (tests/fs gives --root).
oracle_run() {
	local boots=$1 g d r running=0
	local -a opts=() mem
	[[ -z ${oracle_opts+x} ]] || opts=("${oracle_opts[@]}")
	for g in "$work/oracle"/*/; do
		g=${g%/} mem=()
		[[ ! -f $g.opts ]] || mapfile -t mem <"$g.opts"
		((running < boots)) || wait -n || true
		"$ORACLE_RUN" "${opts[@]}" "${mem[@]}" --batch "$g" >"$g.log" 2>&1 &
		running=$((running + 1))
	done
	wait
	for g in "$work/oracle"/*/; do
		g=${g%/}
		for d in "$g"/*/; do
			d=${d%/} r=$work/${d##*/}
			mkdir -p "$r"
			if [[ -f $d/status ]]; then
				mv "$d/out" "$r/linux.out"
				mv "$d/err" "$r/linux.err"
				mv "$d/status" "$r/linux.status"
			else
				cp "$g.log" "$r/linux.err"
				: >"$r/linux.out"
				echo 125 >"$r/linux.status"
			fi
		done
	done
	rm -rf "$work/oracle"
	oracle_jobs=0
}
