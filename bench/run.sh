#!/usr/bin/env bash
# `make bench`: run each benchmark program on SOS (bin/sos-run) and on the oracle Linux
# (bin/linux-run) in the same QEMU, accelerator and guest memory, and the host-built pager under
# callgrind; print one table: benchmark | Linux | SOS | SOS/Linux. Only the zeroing floor (row 9)
# and the host-built pager (rows 7, 8) run natively on this machine, and their rows say so.
#
# Benchmarks are not tests: a program that fails leaves "n/a" and a note, never a failing status.
# Environment: BUILD (default build), SOS_ACCEL (tcg|kvm: skip the probe; both kernels use it),
# BENCH_QUICK=1 (fewer rounds, for trying the script out). Progress goes to stderr, the table to
# stdout.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

. bench/env.sh
export ORACLE_CACHE=off # bin/linux-run would replay a cached batch result: a timing must be run
quick=${BENCH_QUICK:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LINUX=$tmp/linux # lines "name value unit", possibly several per name (the median is taken)
SOS=$tmp/sos
HOST=$tmp/host # natively on this machine: the host-built pager and the zeroing floor
: >"$LINUX"
: >"$SOS"
: >"$HOST"
notes=()

# Progress goes to stderr, so that stdout is the table alone.
say() { echo "bench: $*" >&2; }

# bin/sos-run with the accelerator chosen once, and a time limit: a hung SOS costs 5 minutes, not
# the whole run (timeout signals QEMU too: it is in timeout's process group).
# shellcheck disable=SC2317 # called through run and wall
sosrun() { timeout 300 "$SOS_RUN" --accel "$accel" "$@"; }

# bin/linux-run the same way, so that both kernels run in the same QEMU under the same accelerator.
# shellcheck disable=SC2317 # called through run and wall
linuxrun() { timeout 300 "$LINUX_RUN" --accel "$accel" "$@"; }

# Keep the RESULT lines of file $1 as "name value unit" in file $2.
collect() { sed -n 's/^RESULT \([^ ]*\) \([^ ]*\) \(.*\)$/\1 \2 \3/p' "$1" >>"$2"; }

# Run a command (no stdin: bin/linux-run would read it), its stdout saved in $tmp/out; on failure
# add a note and return 1.
run() {
	local what=$1 rc=0
	shift
	"$@" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		notes+=("$what: exit status $rc: $(tail -n 1 "$tmp/err")")
		return 1
	fi
	return 0
}

# native PROGRAM ARGS...: run $B/PROGRAM on this machine's own Linux (only the floor, row 9),
# keep its results with the host's.
native() {
	local prog=$1
	shift
	say "native host: $prog${*:+ $*}"
	run "native host: $prog${*:+ $*}" "$B/$prog" "$@" || true
	collect "$tmp/out" "$HOST" # what a failing program printed before it failed still counts
}

# Split "[--mem SIZE] [--repeat N] -- PROGRAM ARGS..." into mem, reps and cmd, the options the
# same for both kernels (the memory is bin/sos-run's default unless given).
parse() {
	mem=512M reps=1
	while [ "$1" != -- ]; do
		case "$1" in
		--mem) mem=$2 ;;
		--repeat) reps=$2 ;;
		esac
		shift 2
	done
	shift
	cmd=("$@")
}

# oracle [--mem SIZE] [--repeat N] -- PROGRAM ARGS...: queue a job for the oracle's next boot with
# that much memory (oracle_boot runs them: a Linux boot costs seconds under TCG, so several jobs
# share one).
oracle() {
	local mem reps cmd d
	parse "$@"
	njobs=$((njobs + 1))
	d=$tmp/oracle-$mem/$(printf '%02d' "$njobs")-${cmd[0]}
	mkdir -p "$d"
	printf '%s\0' "$B/${cmd[0]}" "${cmd[@]:1}" >"$d/argv"
	[ "$reps" -eq 1 ] || echo "$reps" >"$d/repeat"
	echo "${cmd[*]}" >"$d/what"
}
njobs=0

# oracle_boot: run the queued jobs, one boot per memory size, and keep their results; right
# after queueing, so that Linux runs a benchmark next to SOS's run, under the same load.
oracle_boot() {
	local dir
	for dir in "$tmp"/oracle-*; do
		[ -d "$dir" ] || continue
		oracle_batch "${dir##*/oracle-}" "$dir"
		rm -rf "$dir"
	done
}

# oracle_batch SIZE DIR: boot the oracle with --mem SIZE for the jobs in DIR, keep their results.
oracle_batch() {
	local d st
	say "Linux: one boot, --mem $1: $(cat "$2"/*/what | paste -sd, | sed 's/,/, /g')"
	if ! run "Linux (oracle, --mem $1)" timeout 900 "$LINUX_RUN" --accel "$accel" --mem "$1" \
		--timeout 300 --batch "$2"; then
		return 0
	fi
	for d in "$2"/*/; do
		st=$(cat "$d/status" 2>/dev/null || echo none)
		[ "$st" = 0 ] ||
			notes+=("Linux: $(cat "$d/what"): exit status $st: $(tail -n 1 "$d/err" || true)")
		collect "$d/out" "$LINUX"
	done
}

# sos [--mem SIZE] [--repeat N] -- PROGRAM ARGS...: run it on SOS, keep its results.
sos() {
	local mem reps cmd
	parse "$@"
	say "SOS: ${cmd[*]}"
	run "SOS: ${cmd[*]}" sosrun --mem "$mem" --repeat "$reps" "$B/${cmd[0]}" "${cmd[@]:1}" || true
	collect "$tmp/out" "$SOS"
}

# The K-th value named $2 in file $1 (K = $3: the run of --repeat it came from), or nothing.
nth() { awk -v n="$2" -v k="$3" '$1 == n && ++c == k { print $2; exit }' "$1"; }

# The median of the values named $2 in file $1, or nothing.
med() {
	awk -v n="$2" '$1 == n { v[++k] = $2 }
	END {
		if (!k) exit
		for (i = 2; i <= k; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		print (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2)
	}' "$1"
}

# awk arithmetic on numbers that may be missing: calc 'expr with a b c' a b c.
calc() {
	local expr=$1
	shift
	for v in "$@"; do [ -n "$v" ] || return 0; done
	awk -v a="${1:-0}" -v b="${2:-0}" -v c="${3:-0}" -v d="${4:-0}" "BEGIN { print $expr }"
}

# wall FILE NAME RUNS WHAT COMMAND...: wall-clock ms of each run of COMMAND (for a runner: from
# QEMU's start to its exit, the script around it included), as results NAME in FILE.
wall() {
	local file=$1 name=$2 runs=$3 what=$4 t0 t1
	shift 4
	for _ in $(seq "$runs"); do
		t0=$EPOCHREALTIME
		"$@" </dev/null >/dev/null 2>"$tmp/err" || {
			notes+=("$what: failed: $(tail -n 1 "$tmp/err")")
			return 0
		}
		t1=$EPOCHREALTIME
		echo "$name $(calc '(b - a) * 1000' "$t0" "$t1") ms" >>"$file"
	done
}

# The gaps in ns between each "STAMP exit" and the next "STAMP start" in $tmp/out.
stamp_gaps() {
	awk -v n="$1" '$1 == "STAMP" && $2 == "start" && have { print n, $3 - ex, "ns" }
	$1 == "STAMP" && $2 == "exit" { ex = $3; have = 1 }' "$tmp/out"
}

# Instructions per page written of the host-built pager under callgrind, zeroing (memset)
# excluded, with $1 other regions live and fault-around of $2 pages (1: one fault per page); the
# results are named $3, the per-function breakdown goes to $tmp/cg-$3.txt.
callgrind_faults() {
	local others=$1 around=$2 name=$3 n=16384 out=$tmp/cg-$3.out
	say "host: callgrind, $n pages, $others other regions, fault-around $around"
	if ! run "callgrind ($others regions)" valgrind --tool=callgrind --toggle-collect=vm_fault \
		--callgrind-out-file="$out" "$B/host_fault" faults "$n" "$others" "$around"; then
		return 0
	fi
	callgrind_annotate --threshold=100 --auto=no "$out" >"$tmp/cg-$name.ann" 2>/dev/null
	awk -v n="$n" -v name="$name" '
	/PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
	/^ *[0-9,]+ \(/ && /:/ && !/PROGRAM TOTALS/ {
		ir = $1; gsub(",", "", ir)
		fn = $0; sub(/ \[.*$/, "", fn); sub(/^.*:/, "", fn)
		if (fn ~ /memset/) zero += ir
		else if (ir > 0) self[fn] += ir
	}
	END {
		printf "%s %.1f instr/page\n", name, (total - zero) / n
		printf "zero_%s %.1f instr/page\n", name, zero / n
		for (f in self)
			if (self[f] / n >= 0.5)
				printf "%s %.0f\n", f, self[f] / n > "/dev/stderr"
	}' "$tmp/cg-$name.ann" >>"$HOST" 2>"$tmp/cg-$name.txt"
}

### The machine, the accelerator and the oracle.

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true) # other work on the machine skews timings
model=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
thp_file=/sys/kernel/mm/transparent_hugepage/enabled
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp_file" 2>/dev/null || true)
accel=${SOS_ACCEL:-}
if [ -z "$accel" ]; then
	accel=$(timeout 300 "$SOS_RUN" --trace "$B/hello" 2>&1 >/dev/null </dev/null |
		sed -n 's/^sos: accelerator //p' | head -n 1) || true
fi
accel=${accel:-tcg}
oracle_version=$("$LINUX_RUN" --version 2>/dev/null) || oracle_version="unknown (no bin/linux-run)"
say "accelerator $accel for both; oracle $oracle_version"

rounds=5 repeat=5 boot_runs=5 # start-up: boot_runs boots of each kernel, and as many more of SOS
if [ -n "$quick" ]; then rounds=3 repeat=3 boot_runs=2; fi

# Each section runs the oracle's jobs (one boot, each job a fresh process) and then SOS's runs,
# with the same options.

### 1, 2: demand-zero through mmap and malloc; the stack.

# Three processes in one boot on each (--repeat), the median of all their rounds: a TCG timing
# varies from one process to the next with the load on the machine.
oracle --mem 1G --repeat 3 -- dzero 64 "$rounds"
oracle_boot
sos --mem 1G --repeat 3 -- dzero 64 "$rounds"
# The same with one page per fault, as Linux maps anonymous memory: what fault-around is worth.
say "SOS: dzero 64 $rounds, fault-around off"
if run "SOS: dzero, fault-around off" sosrun --mem 1G --repeat 3 --fault-around 1 "$B/dzero" 64 \
	"$rounds"; then
	collect "$tmp/out" "$tmp/one"
	sed 's/^dzero_/dzero1_/' "$tmp/one" >>"$SOS"
fi
# The stack faults only once per process, and 6 MiB takes a few ms: more processes, the median.
oracle --repeat $((repeat + 2)) -- stack 6
oracle_boot
sos --repeat $((repeat + 2)) -- stack 6

### 3: region scaling.

oracle --mem 1G --repeat 3 -- regions
oracle_boot
sos --mem 1G --repeat 3 -- regions

### 4: mmap/munmap, mprotect, a bare system call.

oracle -- syscalls 500
oracle_boot
sos -- syscalls 500

### 5: teardown of a process that touched 256 MiB, less that of one that touched 1 MiB (not 0: on
### SOS under TCG the next program's code would then land in frames that held code, and QEMU's
### invalidation of its translations makes that baseline slower than the 256 MiB case).

# Linux: a parent forks the child and times it to waitpid (the oracle's init runs it as any
# process). SOS has no fork: --repeat, and the gap from one run's exit to the next one's start.
oracle --mem 1G -- teardown fork 256
oracle --mem 1G -- teardown fork 1
oracle_boot
for mib in 256 1; do
	say "SOS: teardown $mib (--repeat $repeat)"
	run "SOS: teardown $mib" sosrun --mem 1G --repeat "$repeat" "$B/teardown" "$mib" || true
	stamp_gaps "teardown_gap_$mib" >>"$SOS"
done

### 6: start-up: one boot per run on both, so nothing is batched; the two kernels take turns, so
### that both see the same load.

for _ in $(seq "$boot_runs"); do
	say "Linux: hello; SOS: hello x2"
	wall "$LINUX" hello_wall 1 "Linux: hello" linuxrun "$B/hello"
	wall "$SOS" hello_wall 2 "SOS: hello" sosrun "$B/hello"
	# boottime reads the guest TSC at main(): only a boot's first program measures the boot.
	say "Linux: boottime"
	if run "Linux: boottime" linuxrun "$B/boottime"; then collect "$tmp/out" "$LINUX"; fi
	sos -- boottime
done

### 7, 8: the host-built pager: instructions per fault, memory overhead; Linux's page tables.

if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
	callgrind_faults 10 1 fault_ir_10
	callgrind_faults 20000 1 fault_ir_20000
	callgrind_faults 10 16 around_ir_10
else
	notes+=("valgrind is not installed: no instruction counts (make deps installs it)")
fi
say "host: fault time, memory overhead"
if run "host_fault faults" "$B/host_fault" faults 16384 10; then collect "$tmp/out" "$HOST"; fi
if run "host_fault memory" "$B/host_fault" memory; then collect "$tmp/out" "$HOST"; fi
oracle -- ptmem
oracle_boot

### 9: zeroing: the floor on this machine, and the same program on both kernels.

native zero 128
oracle --mem 1G -- zero 128
oracle_boot
sos --mem 1G -- zero 128

### 10: the page cache: read() of a 64 MiB file, mappings of it, and a 1 MiB program run twice.

oracle -- files 64
oracle --repeat 2 -- bigtext
oracle_boot
sos -- files 64
sos --repeat 2 -- bigtext

### 11: processes (issue 11): fork, exec, pipes between processes, Appel and Li's user-level
### paging. SOS runs them once it can fork (a probe); Appel-Li needs only signal handlers.

for j in "fork 200" "exec 100" "pipe 64" "pingpong 2000" "appel 1000"; do
	read -r -a a <<<"$j"
	oracle -- proc "${a[@]}"
done
oracle --mem 1G -- proc fork256 20
oracle_boot
if sosrun "$B/proc" fork 1 </dev/null >/dev/null 2>&1; then
	for j in "fork 200" "exec 100" "pipe 64" "pingpong 2000"; do
		read -r -a a <<<"$j"
		sos -- proc "${a[@]}"
	done
	sos --mem 1G -- proc fork256 20
else
	notes+=("SOS: no fork yet: the fork, exec and pipe rows (11) ran on Linux only")
fi
sos -- proc appel 1000

### The table.

# The median of a result on Linux (the oracle), on SOS, natively on this machine.
l() { med "$LINUX" "$1"; }
s() { med "$SOS" "$1"; }
h() { med "$HOST" "$1"; }

# Numbers to 3-4 significant digits, "n/a" when missing.
fmt() {
	[ -n "$1" ] || {
		echo n/a
		return
	}
	[ "$1" != - ] || {
		echo -
		return
	}
	awk -v v="$1" 'BEGIN {
		a = v < 0 ? -v : v
		if (a >= 100 || v == int(v)) printf "%.0f", v
		else if (a >= 10) printf "%.1f", v
		else printf "%.2f", v
	}'
}

line='| %-56s | %-7s | %10s | %10s | %9s | %-9s |\n'

# row LABEL UNIT LINUX SOS TARGET [noratio]: LINUX "-" when Linux has no such figure, SOS "-"
# when SOS has none; noratio when the row is a ratio already.
row() {
	local ratio=""
	[ -z "$3" ] && [ -z "$4" ] && return 0
	if [ -n "$3" ] && [ "$3" != - ] && [ -n "$4" ] && [ "$4" != - ] && [ "${6:-}" != noratio ]; then
		ratio=$(awk -v a="$3" -v b="$4" 'BEGIN {
			if (a == 0) exit
			r = b / a
			printf (r >= 10 ? "%.1fx" : r >= 0.1 ? "%.2fx" : "%.3fx"), r
		}')
	fi
	# shellcheck disable=SC2059 # the format is $line
	printf "$line" "$1" "$2" "$(fmt "$3")" "$(fmt "$4")" "${ratio:--}" "${5:-}"
}

# timed LABEL UNIT NAME [TARGET]: the result NAME measured on both kernels.
timed() { row "$1" "$2" "$(l "$3")" "$(s "$3")" "${4:-}"; }

# floor LABEL UNIT NAME: the result NAME measured natively on this machine, in the Linux column.
floor() { row "$1" "$2" "$(h "$3")" - ""; }

# The table's rule: $1 dashes.
dashes() { printf -- "-%.0s" $(seq "$1"); }

td_l=$(calc '(a - b) / 1e6' "$(l teardown_gap_256)" "$(l teardown_gap_1)")
td_s=$(calc '(a - b) / 1e6' "$(s teardown_gap_256)" "$(s teardown_gap_1)")
sc_l=$(calc 'b / a' "$(l regions_10_touch)" "$(l regions_20000_touch)")
sc_s=$(calc 'b / a' "$(s regions_10_touch)" "$(s regions_20000_touch)")
ir_sc=$(calc 'b / a' "$(h fault_ir_10)" "$(h fault_ir_20000)")
rev=$(git describe --always --dirty 2>/dev/null || echo unknown)

echo
echo "SOS benchmarks — machine: ${model:-unknown}, $(nproc) CPUs, host Linux $(uname -r)," \
	"THP ${thp:-unknown}; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Linux: the oracle, $oracle_version, under bin/linux-run"
echo "SOS: $rev, under bin/sos-run"
echo "Both in the same QEMU (one CPU), accelerator $accel, the same --mem for each row;" \
	"load average before the run: ${load:-unknown}"
[ "$accel" = tcg ] &&
	echo "TCG: both kernels' times are emulated, so a ratio compares the kernels on one emulated" \
		"machine, not on the metal (docs/bench.md: what TCG distorts)"
echo
# shellcheck disable=SC2059
printf "$line" benchmark unit Linux SOS SOS/Linux target
printf '|%s|%s|%s|%s|%s|%s|\n' "$(dashes 58)" "$(dashes 9)" "$(dashes 12)" "$(dashes 12)" \
	"$(dashes 11)" "$(dashes 11)"
timed "1 demand-zero 64 MiB mmap: touch" ns/page dzero_mmap_touch
timed "1 demand-zero 64 MiB mmap: whole cycle" ns/page dzero_mmap_cycle "<= 0.5x"
row "1 the same, SOS fault-around off: touch" ns/page "$(l dzero_mmap_touch)" \
	"$(s dzero1_mmap_touch)" ""
row "1 the same, SOS fault-around off: whole cycle" ns/page "$(l dzero_mmap_cycle)" \
	"$(s dzero1_mmap_cycle)" "<= 0.5x"
timed "2 malloc 64 MiB: touch" ns/page dzero_malloc_touch
timed "2 malloc 64 MiB: whole cycle" ns/page dzero_malloc_cycle
timed "2 stack, recursion over 6 MiB" ns/page stack_touch
timed "3 fault, 10 regions live" ns/page regions_10_touch
timed "3 fault, 1,000 regions live" ns/page regions_1000_touch
timed "3 fault, 20,000 regions live" ns/page regions_20000_touch
row "3 fault, 20,000 / 10 regions" ratio "$sc_l" "$sc_s" "<= 1.2" noratio
timed "4 mmap+munmap of one page" pairs/s mmap_munmap
timed "4 mprotect of one page (split+merge)" calls/s mprotect
timed "4 system call round trip (getpid)" ns syscall
row "5 teardown: exit, 256 MiB touched (- 1 MiB)" ms "$td_l" "$td_s" ""
timed "6 start-up: hello, wall of bin/linux-run, bin/sos-run" "ms wall" hello_wall "<= 300 ms"
row "6 start-up: VM start -> main (guest TSC)" ms "$(calc 'a / 1e6' "$(l boot_vm_to_main)")" \
	"$(calc 'a / 1e6' "$(s boot_vm_to_main)")" ""
row "6 start-up: kernel's CLOCK_MONOTONIC at main" ms \
	"$(calc 'a / 1e6' "$(l boot_kernel_to_main)")" "$(calc 'a / 1e6' "$(s boot_kernel_to_main)")" ""
row "7 fault path, host pager, 10 regions" instr - "$(h fault_ir_10)" "<= 300"
row "7 fault path, host pager, 20,000 regions" instr - "$(h fault_ir_20000)" "<= 300"
row "7 per page with fault-around, host pager, 10 regions" instr - "$(h around_ir_10)" ""
row "7 fault path, host pager, 20,000 / 10 regions" ratio - "$ir_sc" "<= 1.2" noratio
row "7 fault, host pager incl. zeroing, native host" ns - "$(h host_fault_time)" ""
row "8 frame table per frame, host pager (Linux: struct page)" bytes 64 "$(h frame_entry)" "<= 16"
row "8 page table per page, dense 64 MiB (SOS: host pager)" bytes "$(l pt_dense)" \
	"$(h pt_dense)" ""
row "8 page table per page, 1 per 2 MiB (SOS: host pager)" bytes "$(l pt_sparse)" \
	"$(h pt_sparse)" ""
for where in stream hot; do
	what="streaming"
	[ "$where" = hot ] && what="hot in cache"
	for w in memset stosb stosq movnti; do
		timed "9 zero 4 KiB $what, $w" ns "zero_${where}_$w"
	done
done
for where in stream hot; do
	what="streaming"
	[ "$where" = hot ] && what="hot in cache"
	for w in memset stosb stosq movnti; do
		floor "9 floor, native host: zero 4 KiB $what, $w" ns "zero_${where}_$w"
	done
done
timed "10 read() of a 64 MiB file, first pass after writing" MB/s file_read_cold
timed "10 read() of a 64 MiB file, warm" MB/s file_read_warm
timed "10 MAP_SHARED of it, read a byte per page" ns/page file_map_shared_read
timed "10 MAP_PRIVATE of it, write a byte per page (copy)" ns/page file_map_private_write
row "10 a 1 MiB program's pages, first run" ns/page "$(nth "$LINUX" bigtext_touch 1)" \
	"$(nth "$SOS" bigtext_touch 1)" ""
row "10 the same program, second run (page cache)" ns/page "$(nth "$LINUX" bigtext_touch 2)" \
	"$(nth "$SOS" bigtext_touch 2)" ""
timed "11 fork + exit + wait" us fork_exit_wait
timed "11 fork() of a process that touched 256 MiB" us fork_256m_fork
timed "11 the same, fork + exit + wait" us fork_256m_round
timed "11 fork + exec + wait of a small static program" us fork_exec_wait
timed "11 pipe between two processes, 64 KiB writes" MB/s pipe_throughput
timed "11 pipe ping-pong, one byte there and back" us pipe_pingpong
timed "11 Appel-Li TRAP+PROT1+UNPROT" us/page appel_prot1
timed "11 Appel-Li PROTN+TRAP+UNPROT" us/page appel_protn
cat <<EOF

Linux and SOS ran the same static musl binaries, each in a fresh process; rows 7 and 8's SOS
figures are the pager kernel/mm built for the host and driven directly, and rows marked "native
host" ran on this machine's own Linux, outside QEMU (the floor: no ratio). Medians of several
rounds. Rows 7: callgrind instructions inside vm_fault() per write fault on a zero-fill region
with fault-around off, memset excluded ($(h zero_fault_ir_10) instructions of zeroing per fault,
page-table pages included); with fault-around (16 pages), per page written in order. Row 8,
Linux: sizeof(struct page), not measured; page tables from the oracle's VmPTE. Row 5: the gap
from the process's last clock read before exit to the next thing running (Linux: the parent back
from waitpid; SOS: the next run of --repeat starting), minus the same for a process that touched
1 MiB. Row 6: the guest TSC counts from the VM's start on both; CLOCK_MONOTONIC from the kernel's
clock set-up (SOS: time_init(); Linux: its early TSC set-up in setup_arch()). Rows in pairs/s and
calls/s: higher is better. Row 10: a file in /tmp (tmpfs on both), written then read in 64 KiB
calls, then mapped and touched a byte a page; the 1 MiB program is run twice in one boot
(--repeat 2), touching its 256 data pages, the second run's pages found in the page cache.
Rows 11 (bench/proc.c): medians of 5 rounds; exec runs the benchmark itself with "exit"; the
256 MiB parent's pages are all written before it forks (1 GiB guests); Appel-Li: a SIGSEGV
handler mprotects the faulting page back to read-write, after one mprotect per page (PROT1) or
one for all 1,000 pages (PROTN). Method and caveats: docs/bench.md.
EOF
if [ "$accel" = tcg ]; then
	cat <<EOF

Under TCG both kernels run on "-cpu max,-erms" (bin/lib/runner.sh): with ERMS, Linux zeroes each
new page with rep stosb, which TCG emulates a byte at a time (row 9: stosb against stosq), a cost
the metal does not have; without it Linux zeroes with rep stosq, as SOS does.
EOF
fi
if [ -s "$tmp/cg-fault_ir_10.txt" ]; then
	echo
	echo "Fault path on the host pager, 10 regions: instructions per fault by function" \
		"(self, no zeroing):"
	sort -k2,2nr "$tmp/cg-fault_ir_10.txt" |
		awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " } END { print "" }'
fi
if [ ${#notes[@]} -gt 0 ]; then
	echo
	echo "Did not run or failed:"
	printf '  %s\n' "${notes[@]}"
fi
exit 0
