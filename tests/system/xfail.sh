# Expected failures, sourced by tests/system/run.sh and tests/fs/run.sh. A list file holds lines
# "NAME-PATTERN reason" (a shell pattern; # comments): a case it names is known to fail on SOS.
# Such a failure reports as "xfail" and counts apart; a listed case that passes, or an entry that
# matches no case of a full run, is a failure: the list must stay true.
# shellcheck shell=bash

xf_pats=() xf_why=() xf_used=()
passed=0 failed=0 xfailed=0

# Load list file $1 (absent: nothing is expected to fail).
xfail_load() {
	local line p why
	[[ -f $1 ]] || return 0
	while IFS= read -r line || [[ -n $line ]]; do
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		read -r p why <<<"$line"
		xf_pats+=("$p") xf_why+=("$why") xf_used+=(0)
	done <"$1"
}

# Report case $1 whose verdict is $2 (pass or fail) and whose own report is file $3, through the
# list (list file $4 named in messages), and count it in passed, failed or xfailed.
xfail_report() {
	local name=$1 verdict=$2 result=$3 i x=-1
	for ((i = 0; i < ${#xf_pats[@]}; i++)); do
		# shellcheck disable=SC2053 # a pattern on purpose
		[[ $name == ${xf_pats[i]} ]] && x=$i && break
	done
	((x < 0)) || xf_used[x]=1
	if ((x >= 0)) && [[ $verdict == pass ]]; then
		echo "FAIL $name: passes, but $4 says it fails (${xf_pats[x]}): remove it there"
		failed=$((failed + 1))
	elif ((x >= 0)); then
		echo "xfail $name: ${xf_why[x]}"
		sed -n '1s/^FAIL [^:]*: \(.*\)/    (\1)/p' "$result"
		xfailed=$((xfailed + 1))
	else
		cat "$result"
		if [[ $verdict == pass ]]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	fi
}

# After a run of every case: each entry of the list must have matched one (list file $1).
xfail_unused() {
	local i
	for ((i = 0; i < ${#xf_pats[@]}; i++)); do
		((xf_used[i])) && continue
		echo "FAIL $1: '${xf_pats[i]}' names no case: remove it"
		failed=$((failed + 1))
	done
}
