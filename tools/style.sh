#!/usr/bin/env bash
# `make format-check` and `make lint`: clang-format and cppcheck over the sources, each ending with
# "format: N passed, N failed" or "lint: N passed, N failed" (files), so that tools/test-all.sh can
# tell a check of every file from a check of none.
#
# usage: tools/style.sh format FILE...         clang-format --dry-run --Werror (as .clang-format says)
#        tools/style.sh lint [CPPCHECK-OPTION...] PATH...
#                                               cppcheck --error-exitcode=1 with these options
# Prints the findings, then the closing line: files checked without a finding passed, files with
# one failed (a tool that failed without naming a file counts one failure). Exits 1 on any.
set -uo pipefail

mode=${1:-}
shift || true
log=$(mktemp)
trap 'rm -f "$log"' EXIT

case $mode in
format)
	(($#)) || { echo "format: no files" >&2 && exit 2; }
	status=0
	clang-format --dry-run --Werror "$@" 2>"$log" || status=$?
	cat "$log"
	checked=$#
	;;
lint)
	status=0
	cppcheck --error-exitcode=1 "$@" >"$log" 2>&1 || status=$?
	# "Checking FILE ..." once a file (more lines for its configurations), then progress lines
	grep -a -v -E '^Checking |^[0-9]+/[0-9]+ files checked' "$log"
	checked=$(grep -a -c -E '^Checking [^:]+ \.\.\.$' "$log")
	;;
*)
	sed -n '6,8s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac

# The files named by a finding (FILE:LINE:COL: ...), once each.
bad=$(grep -a -o -E '^[^ :]+:[0-9]+:[0-9]+: ' "$log" | cut -d: -f1 | sort -u | wc -l)
((status == 0 || bad > 0)) || bad=1
((bad <= checked)) || checked=$bad
echo "$mode: $((checked - bad)) passed, $bad failed"
((status == 0 && bad == 0))
