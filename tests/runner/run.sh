#!/usr/bin/env bash
# A runner's own contract, checked quickly: bad options refused at once, no status but the
# contract's (125 for the runner's own failures), no hang when QEMU is missing or fails to start,
# nothing left behind when it is killed, BUILD honoured, the KVM verdict cache, --gdb-port, --ctl.
# Most checks boot nothing: a stub QEMU stands in. Owned by the user/tests part.
#
# usage: tests/runner/run.sh [RUNNER]
#   RUNNER   the runner to check: bin/sos-run (the default) or bin/linux-run, whose own options
#            (--env, --root, --timeout, --batch and its cache) have a check of their own
# environment: BUILD (default build): the programs the checks that boot run.
# Prints "ok NAME" or "FAIL NAME: reasons" per check (every check_* function below, in order),
# then "N passed, N failed"; exits 1 if any check failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
BUILD=${BUILD:-build}
if ! runner=$(realpath -e "${1:-bin/sos-run}") || [[ ! -x $runner ]]; then
	echo "runner-test: no runner ${1:-bin/sos-run} (or not executable)" >&2
	exit 2
fi
name=$(basename "$runner")
hello=$root/$BUILD/user/hello
# Options that skip a runner's slow start-up when QEMU is a stub (sos-run's KVM probe).
quick=()
[[ $name == sos-run ]] && quick=(--accel tcg)

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
why=()

# A directory holding a stub qemu-system-x86_64 that does $1: "fail" (says so on stderr and exits
# 1 at once, as QEMU does on an option it refuses), "hang" (waits, as a boot that never ends) or
# "count" (as fail, counting its starts in $t/stub/starts). It writes its pid to $t/stub/pid.
stub_qemu() {
	rm -rf "$t/stub"
	mkdir -p "$t/stub"
	{
		echo '#!/bin/sh'
		echo "echo \$\$ >$t/stub/pid"
		case $1 in
		fail) echo 'echo "qemu-system-x86_64: stub: refusing to start" >&2; exit 1' ;;
		hang) echo 'exec sleep 600' ;;
		count) echo "echo start >>$t/stub/starts; exit 1" ;;
		esac
	} >"$t/stub/qemu-system-x86_64"
	chmod +x "$t/stub/qemu-system-x86_64"
}

# A fresh, empty TMPDIR for one run, so that what the runner leaves there can be seen.
fresh_tmp() {
	rm -rf "$t/tmp"
	mkdir -p "$t/tmp"
}

# Runs the runner: VAR=VALUE assignments for its environment, --, its arguments. Stdin is empty,
# the run may last 10 s; sets rc and ms (its duration) and leaves its output in $t/out, $t/err.
run() {
	local -a vars=()
	local start
	while (($#)) && [[ $1 != -- ]]; do
		vars+=("$1")
		shift
	done
	shift
	start=$(date +%s%N)
	rc=0
	env "${vars[@]}" timeout -k 2 10 "$runner" "$@" >"$t/out" 2>"$t/err" </dev/null || rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
}

# Adds a reason unless the last run ended with status $1 within $2 ms.
expect() {
	((rc == $1)) || why+=("status $rc, expected $1 ($(head -c 200 "$t/err" | head -n 2 | tr '\n' '|'))")
	((ms <= $2)) || why+=("took ${ms} ms, more than $2")
}

# Adds a reason unless the runner said what is wrong in one line, its first, followed by the usage.
expect_usage_error() {
	local first second
	first=$(sed -n 1p "$t/err") second=$(sed -n 2p "$t/err")
	[[ $first == "$name: "* && $first == *"$1"* ]] || why+=("first line '$first' does not name '$1'")
	[[ $second == usage:* ]] || why+=("no usage after the first line")
}

# What the last run left in its TMPDIR, on one line.
leftovers() {
	find "$t/tmp" -mindepth 1 -maxdepth 1 -printf '%f '
}

expect_no_leftovers() {
	[[ -z $(leftovers) ]] || why+=("left in TMPDIR: $(leftovers)")
}

# True if process $1 runs (a zombie has ended: its parent is gone, and init reaps at leisure).
alive() {
	local state
	state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]
}

expect_stub_unused() {
	[[ ! -e $t/stub/pid ]] || why+=("QEMU was started")
}

check_bad_mem() {
	stub_qemu count
	fresh_tmp
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}" --mem abc "$hello"
	expect 125 2000
	expect_usage_error "--mem"
	expect_stub_unused
	expect_no_leftovers
}

check_bad_options() {
	local -a sets=("--repeat 0" "--repeat x" "--frobnicate")
	local s
	local -a args
	[[ $name == sos-run ]] && sets+=("--accel foo" "--fault-around 0" "--fault-around 9999"
		"--gdb-port 0" "--gdb-port 70000" "--monitor $t/nofifo")
	stub_qemu count
	for s in "${sets[@]}"; do
		read -r -a args <<<"$s"
		fresh_tmp
		run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${args[@]}" "$hello"
		expect 125 2000
		expect_usage_error "${args[0]}"
	done
	fresh_tmp
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}"
	expect 125 2000
	expect_usage_error "PROGRAM"
	expect_stub_unused
	expect_no_leftovers
}

check_missing_program() {
	stub_qemu count
	fresh_tmp
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}" "$t/no-such-program"
	expect 126 2000
	grep -q "$t/no-such-program" "$t/err" || why+=("stderr does not name the file")
	# SOS never saw the file: a "sos:" line would pass for SOS refusing it
	! grep -q '^sos:' "$t/err" || why+=("a 'sos:' line for a file SOS never saw")
	expect_stub_unused
	expect_no_leftovers
}

# PATH holds every command but QEMU.
check_no_qemu() {
	local d
	mkdir -p "$t/noqemu"
	# the first of each name in PATH order, as PATH would find it
	for d in ${PATH//:/ }; do
		[[ -d $d ]] || continue
		find "$d" -maxdepth 1 \( -type f -o -type l \) ! -name 'qemu-system-*' \
			-exec ln -s -t "$t/noqemu" {} + 2>/dev/null
	done
	fresh_tmp
	run "PATH=$t/noqemu" "TMPDIR=$t/tmp" -- "$hello"
	expect 125 2000
	grep -q 'qemu-system-x86_64' "$t/err" || why+=("stderr does not name qemu-system-x86_64")
	expect_no_leftovers
}

# QEMU exits at once, as on an option it refuses: nothing may wait for it.
check_qemu_fails() {
	stub_qemu fail
	fresh_tmp
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}" "$hello"
	expect 125 2000
	grep -q 'stub: refusing to start' "$t/err" || why+=("QEMU's message is not on stderr")
	expect_no_leftovers
}

# A bash error inside the runner (here mktemp's, TMPDIR missing) is 125 too, never 1.
check_own_failure() {
	stub_qemu count
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/no-such-dir" -- "${quick[@]}" "$hello"
	expect 125 2000
}

# Killed by INT, TERM or HUP while QEMU runs: QEMU and the readers stopped, the files gone.
check_killed() {
	local sig pid i status
	local -a kids
	for sig in INT TERM HUP; do
		stub_qemu hang
		fresh_tmp
		# job control, so that the background runner does not ignore INT; and the signals'
		# default actions back, in case this suite itself was started with them ignored (nohup
		# ignores HUP, a background job of a shell without job control INT): a shell cannot
		# undo that, and the runner would seem to ignore them
		set -m
		PATH=$t/stub:$PATH TMPDIR=$t/tmp perl -e '$SIG{$_} = "DEFAULT" for qw(INT TERM HUP);
			exec @ARGV or die "exec: $!\n"' "$runner" "${quick[@]}" "$hello" \
			>/dev/null 2>"$t/err" </dev/null &
		pid=$!
		set +m
		for ((i = 0; i < 100; i++)); do
			[[ ! -s $t/stub/pid ]] || break
			sleep 0.05
		done
		if [[ ! -s $t/stub/pid ]]; then
			why+=("$sig: QEMU never started")
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			continue
		fi
		mapfile -t kids < <(pgrep -P "$pid")
		kill -s "$sig" "$pid"
		for ((i = 0; i < 40; i++)); do
			alive "$pid" || break
			sleep 0.05
		done
		if alive "$pid"; then
			why+=("$sig: still running 2 s later")
			kill -KILL "$pid"
		fi
		status=0
		wait "$pid" 2>/dev/null || status=$?
		((status > 128 || status == 125)) || why+=("$sig: status $status")
		sleep 0.2
		for i in $(printf '%s\n' "${kids[@]}" "$(cat "$t/stub/pid")" | sort -u); do
			alive "$i" && why+=("$sig: process $i ($(ps -o comm= -p "$i")) left running")
		done
		[[ -z $(leftovers) ]] || why+=("$sig: left in TMPDIR: $(leftovers)")
	done
}

check_build_honoured() {
	local wants=kernel.bin # what the runner needs first from BUILD
	[[ $name == sos-run ]] || wants=oracle/init
	stub_qemu count
	mkdir -p "$t/empty-build"
	fresh_tmp
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" "BUILD=$t/empty-build" -- "${quick[@]}" "$hello"
	expect 125 2000
	grep -q "$t/empty-build/$wants" "$t/err" || why+=("absolute BUILD: $(head -n 1 "$t/err")")
	# a relative BUILD is from the repository root, wherever the runner starts
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" "BUILD=no-such-build" -- "${quick[@]}" "$hello"
	expect 125 2000
	grep -q "$root/no-such-build/$wants" "$t/err" || why+=("relative BUILD: $(head -n 1 "$t/err")")
	expect_stub_unused
}

# The KVM verdict: in a private directory, written whole, one per SOS kernel image.
check_kvm_cache() {
	if [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then
		note=" (no usable /dev/kvm: nothing to probe)"
		return 0
	fi
	local cache=$t/xdg/sos kernel2=$t/kernel2.bin n
	# the oracle's kernel stays where it is when XDG_CACHE_HOME moves
	local -a keep=("SOS_CACHE=$(dirname "$(dirname "$(oracle/fetch.sh --print-dir)")")")
	stub_qemu count
	fresh_tmp
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" "XDG_CACHE_HOME=$t/xdg" "${keep[@]}" -- "$hello"
	expect 125 4000
	[[ $(stat -c %a "$cache" 2>/dev/null) == 700 ]] || why+=("$cache is not a directory of mode 700")
	n=$(find "$cache" -name 'kvm-probe.*' 2>/dev/null | wc -l)
	((n == 1)) || why+=("$n verdicts cached, expected 1")
	[[ $(cat "$cache"/kvm-probe.* 2>/dev/null) == no ]] || why+=("the verdict is not 'no'")
	[[ -z $(find "$cache" -name '.*' ! -name . 2>/dev/null) ]] || why+=("a temporary file left in $cache")
	expect_no_leftovers
	# the same image again: the verdict is used (QEMU starts once, not twice)
	rm -f "$t/stub/starts"
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" "XDG_CACHE_HOME=$t/xdg" "${keep[@]}" -- "$hello"
	n=0
	[[ ! -f $t/stub/starts ]] || n=$(wc -l <"$t/stub/starts")
	((n == 1)) || why+=("QEMU started $n times with a cached verdict")
	# another image: probed again, a second verdict
	cp "$root/$BUILD/kernel.bin" "$kernel2" && printf 'x' >>"$kernel2"
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" "XDG_CACHE_HOME=$t/xdg" "${keep[@]}" "SOS_KERNEL=$kernel2" \
		-- "$hello"
	n=$(find "$cache" -name 'kvm-probe.*' | wc -l)
	((n == 2)) || why+=("$n verdicts after a second kernel image, expected 2")
}

# --gdb-port: QEMU, halted before the first instruction, listens where asked.
check_gdb_port() {
	local port pid i up=0
	fresh_tmp
	for ((i = 0; i < 20; i++)); do
		port=$((20000 + RANDOM % 40000))
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
	done
	TMPDIR=$t/tmp "$runner" --accel tcg --gdb-port "$port" "$hello" >/dev/null 2>"$t/err" </dev/null &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			up=1
			break
		fi
		sleep 0.05
	done
	((up)) || why+=("nothing listens on port $port: $(head -n 2 "$t/err" | tr '\n' '|')")
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	expect_no_leftovers
}

# Real boots: the program's stdout byte for byte and its status, the kill and refusal statuses.
check_boots() {
	fresh_tmp
	run "TMPDIR=$t/tmp" -- "$hello"
	expect 0 30000
	[[ $(od -c "$t/out") == "$(printf 'hello, world\n' | od -c)" ]] || why+=("hello's stdout: $(head -c 100 "$t/out")")
	[[ ! -s $t/err ]] || why+=("hello's stderr: $(head -n 2 "$t/err")")
	run "TMPDIR=$t/tmp" -- "$root/$BUILD/user/kill_null"
	expect 139 30000
	[[ $name != sos-run ]] || grep -q '^sos: killed .*SIGSEGV' "$t/err" ||
		why+=("no kill line for kill_null")
	# SOS refuses a dynamic program; the oracle cannot run it (no interpreter in its root)
	run "TMPDIR=$t/tmp" -- "$root/$BUILD/user/hello-dynamic"
	expect 126 30000
	grep -q -E '^(sos: cannot run .*PT_INTERP|linux-run: cannot run .*hello-dynamic)' "$t/err" ||
		why+=("no refusal line for hello-dynamic")
	expect_no_leftovers
	run "TMPDIR=$t/tmp" -- --ctl "$t/ctl" "$hello"
	[[ $(cat "$t/ctl" 2>/dev/null) == "exit 0" ]] || why+=("--ctl: '$(head -c 100 "$t/ctl" 2>/dev/null)'")
}

# --swap SIZE: a size the runner cannot read is refused at once (QEMU never starts, nothing is
# left); a good one boots with the disk, and the disk is gone after. SOS given a disk it cannot
# write (QEMU made to open it read-only) says so in a line and ends with 125, at once.
check_swap() {
	local s real
	stub_qemu count
	for s in 0 abc 12X -1M; do
		fresh_tmp
		run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}" --swap "$s" "$hello"
		expect 125 2000
		expect_usage_error "--swap"
	done
	expect_stub_unused
	expect_no_leftovers
	fresh_tmp
	run "TMPDIR=$t/tmp" -- --swap 8M "$hello"
	expect 0 30000
	[[ $(cat "$t/out") == "hello, world" ]] || why+=("--swap 8M: $(head -c 100 "$t/out")")
	expect_no_leftovers
	[[ $name == sos-run ]] || return 0
	real=$(command -v qemu-system-x86_64) || return 0
	mkdir -p "$t/ro"
	{
		echo '#!/usr/bin/env bash'
		# shellcheck disable=SC2016 # the stub's own variables
		echo 'a=(); for x in "$@"; do a+=("${x/format=raw/format=raw,readonly=on}"); done'
		echo "exec $real \"\${a[@]}\""
	} >"$t/ro/qemu-system-x86_64"
	chmod +x "$t/ro/qemu-system-x86_64"
	run "PATH=$t/ro:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}" --swap 8M "$hello"
	expect 125 30000
	grep -q '^sos: swap: the virtio-blk disk cannot be used: ' "$t/err" ||
		why+=("a read-only disk: no sos: line ($(head -n 1 "$t/err"))")
	expect_no_leftovers
}

# --evict POLICY and --stats: a name that is no word is the runner's bad option; SOS refuses a
# policy it does not have with one line and 125, and prints its summary line at the end. The
# oracle takes both and ignores them.
check_evict_stats() {
	local s
	stub_qemu count
	for s in "" "Clock" "a b" "x/y"; do
		fresh_tmp
		run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}" --evict "$s" "$hello"
		expect 125 2000
		expect_usage_error "--evict"
	done
	expect_stub_unused
	fresh_tmp
	run "TMPDIR=$t/tmp" -- --stats --evict fifo "$hello"
	expect 0 30000
	[[ $(cat "$t/out") == "hello, world" ]] || why+=("--stats: $(head -c 100 "$t/out")")
	if [[ $name == sos-run ]]; then
		grep -q -E '^sos: stats: minflt [1-9][0-9]* majflt 0 .* policy fifo$' "$t/err" ||
			why+=("--stats --evict fifo: no stats line ($(tail -n 1 "$t/err"))")
		run "TMPDIR=$t/tmp" -- --evict nosuch "$hello"
		expect 125 30000
		[[ ! -s $t/out && $(cat "$t/err") == "sos: --evict nosuch: no such eviction policy" ]] ||
			why+=("--evict nosuch: $(head -n 1 "$t/err")")
	fi
	expect_no_leftovers
}

# --fail SPEC: what is not SITES:N[:SEED][@FUNCTION] (and, for sos-run, a FUNCTION the kernel
# has not) is the runner's bad option; SOS refuses a site it does
# not have with one line and 125, and counts what it injected with --stats. The oracle takes it
# and ignores it.
check_fail() {
	local s
	stub_qemu count
	for s in "" "all" "all:0" "all:5:" "a b:5" "frame,pt:5" "all:-1" "all:5@" "all:5@1f"; do
		fresh_tmp
		run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" -- "${quick[@]}" --fail "$s" "$hello"
		expect 125 2000
		expect_usage_error "--fail"
	done
	expect_stub_unused
	fresh_tmp
	run "TMPDIR=$t/tmp" -- --stats --fail all:1000000 "$hello"
	expect 0 30000
	[[ $(cat "$t/out") == "hello, world" ]] || why+=("--fail all:1000000: $(head -c 100 "$t/out")")
	if [[ $name == sos-run ]]; then
		grep -q -E '^sos: fail: 0 injected \(frame 0 pt 0 slab 0 swapin 0 swapout 0\)$' "$t/err" ||
			why+=("--stats --fail all:1000000: no fail line ($(tail -n 1 "$t/err"))")
		run "TMPDIR=$t/tmp" -- --stats --fail frame:1 "$hello"
		expect 137 30000
		grep -q -E '^sos: fail: [1-9][0-9]* injected \(frame [1-9]' "$t/err" ||
			why+=("--stats --fail frame:1: no fail line ($(tail -n 1 "$t/err"))")
		# a call site: the calls from the function that makes pipes, which hello never calls
		run "TMPDIR=$t/tmp" -- --stats --fail all:1@pipe_create "$hello"
		expect 0 30000
		grep -q -E '^sos: fail: 0 injected' "$t/err" ||
			why+=("--fail all:1@pipe_create: not 0 injected ($(tail -n 1 "$t/err"))")
		run "TMPDIR=$t/tmp" -- --fail all:1@no_such_function "$hello"
		expect 125 30000
		expect_usage_error "--fail"
		run "TMPDIR=$t/tmp" -- --fail frames:5 "$hello"
		expect 125 30000
		[[ ! -s $t/out && $(cat "$t/err") == "sos: fail=frames:5: not SITES:N[:SEED][@0xLO-0xHI]" ]] ||
			why+=("--fail frames:5: $(head -n 1 "$t/err")")
	fi
	expect_no_leftovers
}

# Killed by `timeout` (TERM to its whole group) while SOS runs: sos-run first has SOS report every
# process (QEMU's nmi): both processes, the parent in wait4 (61), the child asleep in nanosleep (35).
check_timeout_report() {
	[[ $name == sos-run ]] || return 0
	fresh_tmp
	rc=0
	TMPDIR=$t/tmp timeout -k 10 3 "$runner" "$root/$BUILD/user/sleep_forever" >/dev/null \
		2>"$t/err" </dev/null || rc=$?
	((rc == 124)) || why+=("status $rc, expected 124 (the timeout's)")
	grep -q '^sos: nmi: pid 1 (.*sleep_forever) parent 0 sleeping .*in system call 61, kernel: 0x' \
		"$t/err" || why+=("no report of pid 1 in wait4: $(head -n 3 "$t/err" | tr '\n' '|')")
	grep -q '^sos: nmi: pid 2 (.*) parent 1 sleeping .*in system call 35, kernel: 0x' "$t/err" ||
		why+=("no report of pid 2 in nanosleep")
	expect_no_leftovers
}

# --root DIR: the program is found inside DIR (through a symlinked directory, a relative link, a
# hard link and "//" and ".."), a missing one or a directory is refused with 126 and a line.
check_root() {
	local p says=sos # who refuses: SOS, or the oracle's init
	[[ $name == sos-run ]] || says=$name
	fresh_tmp
	rm -rf "$t/root"
	mkdir -p "$t/root/usr/bin" "$t/root/etc"
	cp "$hello" "$t/root/usr/bin/hi"
	chmod 755 "$t/root/usr/bin/hi" # the root keeps its modes, and build/ may have none
	ln -s usr/bin "$t/root/bin"
	ln -s ../usr/bin/hi "$t/root/etc/rel"
	ln "$t/root/usr/bin/hi" "$t/root/usr/bin/hard"
	for p in /bin/hi usr/bin/hi //etc/rel /etc/../usr/bin/hard; do
		run "TMPDIR=$t/tmp" -- --root "$t/root" "$p"
		expect 0 30000
		[[ $(cat "$t/out") == "hello, world" ]] || why+=("--root $p: $(head -c 100 "$t/out")")
	done
	for p in /bin/missing /usr/bin /usr/bin/hi/; do
		run "TMPDIR=$t/tmp" -- --root "$t/root" "$p"
		expect 126 30000
		grep -q "^$says: cannot run $p: " "$t/err" || why+=("$p: no refusal line: $(head -n 1 "$t/err")")
	done
	expect_no_leftovers
}

# The runner's stdout and status with stdin from file $1 (then "--", the runner's arguments) are
# the oracle's: for sos-run, bin/linux-run runs the same; for linux-run, nothing to compare with.
# Leaves the runner's output in $t/out.
agrees_with_oracle() {
	local in=$1 orc=0
	shift 2
	rc=0
	TMPDIR=$t/tmp timeout -k 2 60 "$runner" "$@" <"$in" >"$t/out" 2>"$t/err" || rc=$?
	[[ $name == sos-run ]] || return 0
	TMPDIR=$t/tmp timeout -k 2 60 "$root/bin/linux-run" "$@" <"$in" >"$t/oracle.out" 2>/dev/null ||
		orc=$?
	((rc == orc)) || why+=("$*: status $rc, the oracle's $orc ($(head -n 1 "$t/err"))")
	cmp -s "$t/out" "$t/oracle.out" ||
		why+=("$*: stdout differs from the oracle's: $(cmp "$t/out" "$t/oracle.out" 2>&1 | head -n 1)")
}

# --env: the program's environ, envp and AT_EXECFN as the oracle's, with variables and without.
check_env() {
	local es=$root/$BUILD/user/exec_stack
	fresh_tmp
	agrees_with_oracle /dev/null -- --env A=1 --env 'B=two words' --env EMPTY= "$es" x '' 'y z'
	grep -q '^envc: 3$' "$t/out" || why+=("--env: $(grep envc "$t/out")")
	grep -q '^envp\[1\]: "B=two words"$' "$t/out" || why+=("--env: no B")
	grep -q "^AT_EXECFN: \"$es\"$" "$t/out" || why+=("AT_EXECFN: $(grep AT_EXECFN "$t/out")")
	agrees_with_oracle /dev/null -- "$es"
	grep -q '^envc: 0$' "$t/out" || why+=("no --env: $(grep envc "$t/out")")
	expect_no_leftovers
}

# The host's stdin is the program's fd 0, byte for byte, with its end: text, every byte value
# (0xff and the framing's own bytes among them) and 1 MiB, as the oracle reads them; with
# --repeat, each run reads all of it.
check_stdin() {
	local cat=$root/$BUILD/user/stdin_cat f size
	fresh_tmp
	printf 'b\na\n' >"$t/text"
	{
		for _ in 1 2 3 4; do
			printf "$(printf '\\%03o' {0..255})"
		done
		head -c 300 /dev/zero | tr '\0' '\377'
		printf '\377\000\377\001\377\003\376'
	} >"$t/binary"
	head -c 1048576 /dev/urandom >"$t/large"
	for f in text binary large; do
		agrees_with_oracle "$t/$f" -- "$cat"
		((rc == 0)) || why+=("$f: status $rc")
		size=$(stat -c %s "$t/$f")
		head -c "$size" "$t/out" | cmp -s - "$t/$f" || why+=("$f: stdout is not the input")
		grep -q -a "^end of input: $size bytes" "$t/out" || why+=("$f: $(tail -n 2 "$t/out" | head -n 1)")
	done
	# --repeat: every run reads the whole input from its start, whatever the run before left
	agrees_with_oracle "$t/text" -- --repeat 3 "$cat" -n 1
	[[ $(grep -c '^read 1: "b"$' "$t/out") == 3 ]] || why+=("--repeat -n 1: $(head -c 100 "$t/out")")
	agrees_with_oracle "$t/binary" -- --repeat 2 "$cat"
	size=$(stat -c %s "$t/binary")
	[[ $(grep -a -c "^end of input: $size bytes" "$t/out") == 2 ]] || why+=("--repeat binary")
	expect_no_leftovers
}

# Input reaches the program as it comes, not at its end: each line is answered before the next
# is sent; and endless input does not keep the runner. The oracle reads its stdin before it
# boots, so only sos-run is checked.
check_stdin_live() {
	if [[ $name != sos-run ]]; then
		note=" (the oracle reads stdin before it boots: not checked for $name)"
		return 0
	fi
	local cat=$root/$BUILD/user/stdin_cat line pid in out
	fresh_tmp
	coproc live { TMPDIR=$t/tmp timeout -k 2 60 "$runner" "$cat" -l 2>"$t/err"; }
	# bash drops the coprocess's variables when it ends: keep them
	pid=$live_PID
	exec {in}>&"${live[1]}" {out}<&"${live[0]}"
	exec {live[1]}>&- {live[0]}<&-
	printf 'first\n' >&"$in"
	IFS= read -r -t 30 line <&"$out" || line="(nothing in 30 s)"
	[[ $line == "got 6 bytes" ]] || why+=("first line: $line")
	printf 'second line\n' >&"$in"
	IFS= read -r -t 30 line <&"$out" || line="(nothing in 30 s)"
	[[ $line == "got 12 bytes" ]] || why+=("second line: $line")
	exec {in}>&-
	cat <&"$out" >"$t/out"
	exec {out}<&-
	wait "$pid" || why+=("status $?")
	grep -q '^end of input: 18 bytes' "$t/out" || why+=("end: $(grep end "$t/out")")
	# endless input the program never reads: the runner still ends with the program
	rc=$(
		yes | TMPDIR=$t/tmp timeout -k 2 30 "$runner" "$hello" >/dev/null 2>&1
		echo "${PIPESTATUS[1]}"
	)
	((rc == 0)) || why+=("endless stdin: status $rc (124: hung)")
	expect_no_leftovers
}

# Stdin a terminal: the program runs and the runner ends (nothing waits on the terminal), and the
# terminal is still in canonical mode with echo afterwards (QEMU never had it, never made it raw).
check_stdin_terminal() {
	fresh_tmp
	rc=0
	TMPDIR=$t/tmp timeout -k 2 60 script -q -e -c \
		"'$runner' '$hello'; echo \"status \$?\"; stty -a" /dev/null >"$t/out" 2>&1 </dev/null || rc=$?
	((rc == 0)) || why+=("script ended with $rc (124: hung)")
	grep -q 'hello, world' "$t/out" || why+=("no hello: $(head -n 2 "$t/out" | tr '\r\n' '  ')")
	grep -q 'status 0' "$t/out" || why+=("$(grep status "$t/out" | tr -d '\r')")
	grep -q -E '(^|[^-])icanon' "$t/out" && grep -q -E '(^|[^-])echo( |$)' "$t/out" ||
		why+=("the terminal is left raw")
	expect_no_leftovers
}

# linux-run's own options: --env, --timeout, and --batch with its result cache (a second
# run of a batch whose results are all kept boots nothing and gives the same results; CI= so
# that the cache is on even where CI=true turns it off for the suites).
check_oracle_options() {
	if [[ $name != linux-run ]]; then
		note=" (linux-run's options: not checked for $name)"
		return 0
	fi
	local b=$t/batch
	fresh_tmp
	run "TMPDIR=$t/tmp" -- --env A=1 --env B=2 "$root/$BUILD/user/startup"
	expect 0 30000
	grep -q '^envc: 2$' "$t/out" || why+=("--env: $(grep envc "$t/out")")
	rm -rf "$b"
	mkdir -p "$b/1" "$b/2"
	printf '%s\0' "$root/$BUILD/user/spin" >"$b/1/argv"
	echo 1 >"$b/1/timeout"
	printf '%s\0' "$root/$BUILD/user/startup" x >"$b/2/argv"
	printf 'A=1\0' >"$b/2/env"
	run "TMPDIR=$t/tmp" "ORACLE_CACHE=$t/results" CI= -- --batch "$b"
	expect 0 30000
	[[ $(cat "$b/1/status" 2>/dev/null) == 124 ]] || why+=("--timeout: status $(cat "$b/1/status" 2>/dev/null)")
	[[ $(cat "$b/2/status" 2>/dev/null) == 0 ]] || why+=("batch: status $(cat "$b/2/status" 2>/dev/null)")
	grep -q '^envc: 1$' "$b/2/out" 2>/dev/null || why+=("batch env: $(grep envc "$b/2/out")")
	# again without the job that timed out (a 124 is not kept): every result from the cache, and
	# QEMU, a stub that fails, never starts
	mv "$b/2/out" "$t/first.out"
	rm -rf "$b/1"
	stub_qemu count
	run "PATH=$t/stub:$PATH" "TMPDIR=$t/tmp" "ORACLE_CACHE=$t/results" CI= -- --accel tcg --batch "$b"
	expect 0 5000
	cmp -s "$t/first.out" "$b/2/out" || why+=("the cached result differs")
	expect_stub_unused
	expect_no_leftovers
}

# The reader of stdout goes away early: the runner must still end, with the program's status.
check_closed_stdout() {
	local status
	fresh_tmp
	status=$(
		TMPDIR=$t/tmp timeout -k 2 30 "$runner" "$root/$BUILD/user/mm_random" 1 3 2000 2>/dev/null |
			head -c 1 >/dev/null
		echo "${PIPESTATUS[0]}"
	)
	[[ $status == 0 ]] || why+=("status $status with a closed stdout (124: hung)")
	expect_no_leftovers
}

# shellcheck source=../checks.sh
. "$here/../checks.sh"
run_checks "$here/run.sh" "$name"
