# The loop of tests/runner/run.sh and tests/harness/run.sh, sourced by both: every check_NAME
# function of the script, in order; a check adds reasons to why (and may set note) to report.
# shellcheck shell=bash

# Run the checks of script $1 and print "ok NAME" or "FAIL NAME: reasons" for each, then
# "$2: N passed, N failed"; false if any failed.
run_checks() {
	local c passed=0 failed=0
	local -a checks
	mapfile -t checks < <(grep -o -E '^check_[a-z0-9_]+\(\)' "$1" | tr -d '()')
	for c in "${checks[@]}"; do
		why=() note=""
		"$c"
		if ((${#why[@]})); then
			printf 'FAIL %s: %s\n' "${c#check_}" "$(printf '%s; ' "${why[@]}" | sed 's/; $//')"
			failed=$((failed + 1))
		else
			echo "ok ${c#check_}$note"
			passed=$((passed + 1))
		fi
	done
	echo "$2: $passed passed, $failed failed"
	((failed == 0))
}
