# The oracle's side of a differential suite, sourced by tests/system/run.sh and mm-random.sh: jobs
# spread over a few batch boots of bin/linux-run, side by side, results beside each case's own.
# shellcheck shell=bash

# Make the next job's directory, $work/oracle/K/$1 for the K-th of $2 boots round robin, in
# oracle_dir, for the caller to give an argv (and a timeout). oracle_jobs counts them.
oracle_jobs=0 oracle_dir=""
oracle_job() {
	oracle_dir=$work/oracle/$((oracle_jobs++ % $2))/$1
	mkdir -p "$oracle_dir"
}

# Boot the oracle for every job oracle_job made, $1 boots side by side, and leave each job's
# results in $work/NAME as linux.out, linux.err and linux.status; a boot that failed leaves its
# log as linux.err and status 125 for each of its jobs. The array oracle_opts, if the caller set
# it, holds more options for the runner (tests/fs gives --root).
oracle_run() {
	local boots=$1 b d r
	local -a opts=()
	[[ -z ${oracle_opts+x} ]] || opts=("${oracle_opts[@]}")
	for ((b = 0; b < boots && b < oracle_jobs; b++)); do
		"$ORACLE_RUN" "${opts[@]}" --batch "$work/oracle/$b" >"$work/oracle/$b.log" 2>&1 &
	done
	wait
	for ((b = 0; b < boots && b < oracle_jobs; b++)); do
		for d in "$work/oracle/$b"/*/; do
			d=${d%/} r=$work/${d##*/}
			mkdir -p "$r"
			if [[ -f $d/status ]]; then
				mv "$d/out" "$r/linux.out"
				mv "$d/err" "$r/linux.err"
				mv "$d/status" "$r/linux.status"
			else
				cp "$work/oracle/$b.log" "$r/linux.err"
				: >"$r/linux.out"
				echo 125 >"$r/linux.status"
			fi
		done
	done
	rm -rf "$work/oracle"
	oracle_jobs=0
}
