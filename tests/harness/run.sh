#!/usr/bin/env bash
# The harnesses against runners that fake their answers: tests/system/run.sh, fuzz/boot-mutants.sh
# and tools/test-all.sh must fail what a broken or absent SOS would give them (a stray
# SOS_SELF_TEST, a missing file's 126, a soak that does not mix, a status SOS never reported, a
# hang in the kernel, a refused odd file, a suite that ran nothing), and pass what a working one
# gives. Nothing boots: a stub runner replays what each check sets. Owned by the user/tests part.
#
# usage: tests/harness/run.sh
# environment: BUILD (default build): the programs and the ELF corpus the cases name.
# Prints "ok NAME" or "FAIL NAME: reasons" per check (every check_* function below, in order),
# then "harness: N passed, N failed"; exits 1 if any check failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
BUILD=${BUILD:-build}
real_build=$(realpath "$BUILD")

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
why=()

# The harnesses work in $t/build, which shows them the real programs and corpus.
mkdir -p "$t/build"
for d in user elf elf-corpus; do
	ln -s "$real_build/$d" "$t/build/$d"
done

# The stub runner: takes sos-run's options, runs nothing. STUB_ERR names a file to print on stderr
# (PROG in it becomes the program), STUB_CTL a status to write to the --ctl file, STUB_STATUS its
# exit status; with STUB_HANG it never ends, and with STUB_CPL too it answers "info registers" on
# the --monitor FIFOs with a CPU at that privilege level.
stub=$t/stub-run
cat >"$stub" <<'EOF'
#!/usr/bin/env bash
ctl="" monitor=""
while (($#)); do
	case $1 in
	--ctl) ctl=$2 && shift 2 ;;
	--monitor) monitor=$2 && shift 2 ;;
	--repeat | --mem | --accel | --fault-around) shift 2 ;;
	--trace) shift ;;
	*) break ;;
	esac
done
[[ -z ${STUB_ERR:-} ]] || sed "s|PROG|$1|" "$STUB_ERR" >&2
[[ -z $ctl || -z ${STUB_CTL:-} ]] || echo "exit $STUB_CTL" >"$ctl"
if [[ -n ${STUB_HANG:-} ]]; then
	if [[ -n ${STUB_CPL:-} && -n $monitor ]]; then
		exec 3<>"$monitor.in" 4<>"$monitor.out"
		while read -r line <&3; do
			[[ $line != *"info registers"* ]] ||
				echo "RIP=0000000000401000 RFL=00000206 [-----P-] CPL=$STUB_CPL II=0 A20=1" >&4
		done
	fi
	exec sleep 600
fi
exit "${STUB_STATUS:-0}"
EOF
chmod +x "$stub"

# Runs tests/system/run.sh on the cases file $1 with the stub (VAR=VALUE assignments after it set
# the stub's answers); sets summary to its last line and leaves its output in $t/system.log.
system() {
	local cases=$1
	shift
	env "$@" BUILD="$t/build" SOS_RUN="$stub" TIMEOUT=20 \
		tests/system/run.sh --cases "$cases" >"$t/system.log" 2>&1
	summary=$(tail -n 1 "$t/system.log")
}

# Runs fuzz/boot-mutants.sh with the stub (assignments, --, its arguments); sets summary.
fuzz_boot() {
	local -a vars=()
	while (($#)) && [[ $1 != -- ]]; do
		vars+=("$1")
		shift
	done
	shift
	env "${vars[@]}" BUILD="$t/build" SOS_RUN="$stub" timeout 120 fuzz/boot-mutants.sh "$@" \
		>"$t/fuzz.log" 2>&1
	summary=$(grep '^fuzz-boot:' "$t/fuzz.log" | tail -n 1)
}

# Adds a reason unless summary (a closing line) starts with "$1 passed, $2 failed".
expect() {
	[[ $summary == *"$1 passed, $2 failed"* ]] ||
		why+=("$3: '$summary', expected $1 passed, $2 failed")
}

# Lines of tests/system/cases of kind $1.
cases_of() {
	awk -v k="$1" '$1 !~ /^#/ && $2 == k' tests/system/cases
}

# SOS_SELF_TEST=1 in the environment must not turn the SOS-only cases into passes.
check_self_test_env() {
	local n
	cases_of sos >"$t/sos.cases"
	n=$(wc -l <"$t/sos.cases")
	((n > 0)) || why+=("no sos cases in tests/system/cases")
	system "$t/sos.cases" SOS_SELF_TEST=1 STUB_STATUS=0
	expect 0 "$n" "a runner that runs nothing, SOS_SELF_TEST=1"
	env BUILD="$t/build" SOS_RUN=tests/system/stand-in.sh tests/system/run.sh --cases "$t/sos.cases" \
		>/dev/null 2>&1
	(($? == 2)) || why+=("the stand-in was taken without --self-test")
}

# A runner's 126 for a file it could not read is no refusal: every refuse case names its reason.
check_refuse_reason() {
	local n
	cases_of refuse >"$t/refuse.cases"
	n=$(wc -l <"$t/refuse.cases")
	((n > 0)) || why+=("no refuse cases in tests/system/cases")
	echo "sos: cannot run PROG: no such readable file" >"$t/missing.err"
	system "$t/refuse.cases" STUB_ERR="$t/missing.err" STUB_STATUS=126
	expect 0 "$n" "every file missing"
	printf '%s\n' "nomatch refuse hello" "withmatch refuse 'match=not an ELF file' hello" >"$t/match.cases"
	echo "sos: cannot run PROG: not an ELF file" >"$t/refused.err"
	system "$t/match.cases" STUB_ERR="$t/refused.err" STUB_STATUS=126
	expect 1 1 "a refuse case without match="
	grep -q '^FAIL nomatch: .*needs match=' "$t/system.log" || why+=("nomatch did not fail for its missing match=")
}

# soak_1000 must see every kind of end it is built to produce, and no leak.
check_soak_mix() {
	grep '^soak_1000 ' tests/system/cases >"$t/soak.cases" || why+=("no soak_1000 case")
	for _ in $(seq 250); do
		echo "sos: killed PROG: SIGSEGV, write at 0x0 (no region), rip=0x4010a8"
		echo "sos: killed PROG: SIGKILL, out of memory"
		echo "sos: killed PROG: SIGABRT, sent by itself"
	done >"$t/mix.err"
	system "$t/soak.cases" STUB_ERR="$t/mix.err" STUB_STATUS=134
	expect 1 0 "a fair mix"
	system "$t/soak.cases" STUB_STATUS=0
	expect 0 1 "1000 plain exits"
	grep SIGSEGV "$t/mix.err" | head -n 1 >"$t/segv.err"
	for _ in $(seq 10); do cat "$t/segv.err" "$t/segv.err"; done >"$t/few.err"
	system "$t/soak.cases" STUB_ERR="$t/few.err" STUB_STATUS=139
	expect 0 1 "SIGSEGV only"
	{ cat "$t/mix.err" && echo "sos: run 1000 of PROG leaked 3 frames"; } >"$t/leak.err"
	system "$t/soak.cases" STUB_ERR="$t/leak.err" STUB_STATUS=125
	expect 0 1 "a leak (125)"
	{ cat "$t/mix.err" && echo "sos: killed PROG: SIGBUS, read at 0x1000"; } >"$t/bus.err"
	system "$t/soak.cases" STUB_ERR="$t/bus.err" STUB_STATUS=135
	expect 0 1 "a kill by a signal soak never sends"
}

# fuzz-boot takes a status only from SOS's control line, and SOS's and sos-run's must agree.
check_fuzz_boot_status() {
	fuzz_boot STUB_STATUS=0 -- -n 2
	expect 0 2 "status 0 that SOS never reported"
	fuzz_boot STUB_STATUS=1 STUB_CTL=0 -- -n 2
	expect 0 2 "status 1 where SOS reported 0"
	fuzz_boot STUB_STATUS=0 STUB_CTL=0 -- -n 2
	expect 2 0 "status 0 that SOS reported"
}

# A boot that does not end is a user-mode loop only when the CPU is seen in user mode.
check_fuzz_boot_hang() {
	fuzz_boot STUB_HANG=1 -- -n 1 -t 1
	expect 0 1 "a hang with a silent monitor"
	fuzz_boot STUB_HANG=1 STUB_CPL=0 -- -n 1 -t 1
	expect 0 1 "a hang at CPL 0"
	fuzz_boot STUB_HANG=1 STUB_CPL=3 -- -n 1 -t 1
	expect 1 0 "a loop at CPL 3"
	grep -q 'looped in user mode' "$t/fuzz.log" || why+=("the CPL 3 loop was not counted as one")
}

# The corpus's odd files must run: a refusal of one is a failure.
check_fuzz_boot_odd() {
	mkdir -p "$t/odd"
	cp "$t/build/user/hello" "$t/odd/hello-valid"
	cp "$t/build/user/hello" "$t/odd/hello-odd-something"
	echo "sos: cannot run PROG: some reason" >"$t/refused.err"
	fuzz_boot STUB_ERR="$t/refused.err" STUB_CTL=126 STUB_STATUS=126 -- -n 1 --odd "$t/odd"
	expect 1 2 "refused odd files (and a refused mutant)"
	fuzz_boot STUB_CTL=0 STUB_STATUS=0 -- -n 0 --odd "$t/odd"
	expect 2 0 "odd files that ran"
}

# test-all: a suite that ran fewer cases than it has, or printed no closing line, fails; its
# expected failures count toward its cases, as neither passed nor failed. The same for suites run
# beside the others (suite_beside, suite_join).
check_test_all_counts() {
	local got
	got=$(
		BUILD=$t/build
		# shellcheck source=tools/test-all.sh disable=SC1091 # sourced from the root
		source tools/test-all.sh >/dev/null
		suite zero 5 echo "0 passed, 0 failed" >/dev/null
		echo -n "$passed/$failed "
		suite criterion-zero 3 echo "[====] Synthesis: Tested: 0 | Passing: 0 | Failing: 0 | Crashing: 0" >/dev/null
		echo -n "$passed/$failed "
		suite silent 2 true >/dev/null
		echo -n "$passed/$failed "
		suite short 10 echo "fake: 7 passed, 0 failed" >/dev/null
		echo -n "$passed/$failed "
		suite nocount "" echo "1 passed, 0 failed" >/dev/null
		echo -n "$passed/$failed "
		suite good 4 echo "fake: 4 passed, 0 failed" >/dev/null
		echo -n "$passed/$failed "
		suite xfail 6 echo "fake: 2 passed, 0 failed, 4 expected to fail" >/dev/null
		echo -n "$passed/$failed/$xfailed "
		suite xshort 6 echo "fake: 1 passed, 0 failed, 2 expected to fail" >/dev/null
		echo -n "$passed/$failed/$xfailed "
		suite_beside beside echo "fake: 3 passed, 1 failed"
		suite_beside dead false
		suite_join beside 4 >/dev/null
		echo -n "$passed/$failed "
		suite_join dead 2 >/dev/null
		echo -n "$passed/$failed"
	)
	local want="0/5 0/8 0/10 7/13 8/14 12/14 14/14/4 15/17/6 18/18 18/20"
	[[ $got == "$want" ]] || why+=("passed/failed(/xfailed) after each fake suite: $got, expected $want")
}

# shellcheck source=../checks.sh
. "$here/../checks.sh"
run_checks "$here/run.sh" harness
