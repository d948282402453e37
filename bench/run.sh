#!/usr/bin/env bash
# `make bench`: run each benchmark program natively on Linux and on SOS (bin/sos-run), and the
# host-built pager under callgrind; print one table: benchmark | Linux | SOS | SOS/Linux.
#
# Benchmarks are not tests: a program that fails leaves "n/a" and a note, never a failing status.
# Environment: BUILD (default build), SOS_ACCEL (tcg|kvm: skip the probe), BENCH_QUICK=1 (fewer
# rounds, for trying the script out). Progress goes to stderr, the table to stdout.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
B=$BUILD/bench
SOS_RUN=${SOS_RUN:-bin/sos-run}
case "$BUILD" in
/*) kernel=$BUILD/kernel.bin ;;
*) kernel=$PWD/$BUILD/kernel.bin ;;
esac
export SOS_KERNEL=${SOS_KERNEL:-$kernel} # bin/sos-run would take build/kernel.bin
quick=${BENCH_QUICK:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LINUX=$tmp/linux # lines "name value unit", possibly several per name (the median is taken)
SOS=$tmp/sos
HOST=$tmp/host
: >"$LINUX"
: >"$SOS"
: >"$HOST"
notes=()

say() { echo "bench: $*" >&2; }

# bin/sos-run with the accelerator chosen once, and a time limit: a hung SOS costs 5 minutes, not
# the whole run (timeout signals QEMU too: it is in timeout's process group).
# shellcheck disable=SC2317 # called through run and wall
sosrun() { timeout 300 "$SOS_RUN" --accel "$accel" "$@"; }

# Keep the RESULT lines of file $1 as "name value unit" in file $2.
collect() { sed -n 's/^RESULT \([^ ]*\) \([^ ]*\) \(.*\)$/\1 \2 \3/p' "$1" >>"$2"; }

# Run a command, its stdout saved in $tmp/out; on failure add a note and return 1.
run() {
	local what=$1 rc=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		notes+=("$what: exit status $rc: $(tail -n 1 "$tmp/err")")
		return 1
	fi
	return 0
}

# native PROGRAM ARGS...: run $B/PROGRAM on Linux, keep its results.
native() {
	local prog=$1
	shift
	say "Linux: $prog${*:+ $*}"
	run "Linux: $prog${*:+ $*}" "$B/$prog" "$@" || true
	collect "$tmp/out" "$LINUX" # what a failing program printed before it failed still counts
}

# sos [SOS-RUN OPTIONS] -- PROGRAM ARGS...: run it on SOS, keep its results.
sos() {
	local opts=()
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	local prog=$1
	shift
	say "SOS: $prog${*:+ $*}"
	run "SOS: $prog${*:+ $*}" sosrun "${opts[@]}" "$B/$prog" "$@" || true
	collect "$tmp/out" "$SOS"
}

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

# wall FILE NAME RUNS COMMAND...: wall-clock ms of each run of COMMAND, as results NAME in FILE.
wall() {
	local file=$1 name=$2 runs=$3 t0 t1
	shift 3
	for _ in $(seq "$runs"); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>"$tmp/err" || {
			notes+=("$*: failed: $(tail -n 1 "$tmp/err")")
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

### The machine and the accelerator.

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true) # other work on the machine skews timings
model=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
thp_file=/sys/kernel/mm/transparent_hugepage/enabled
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp_file" 2>/dev/null || true)
accel=${SOS_ACCEL:-}
if [ -z "$accel" ]; then
	accel=$(timeout 300 "$SOS_RUN" --trace "$B/hello" 2>&1 >/dev/null |
		sed -n 's/^sos: accelerator //p' | head -n 1) || true
fi
accel=${accel:-tcg}
say "accelerator $accel"

rounds=5 repeat=5 hello_runs=10
if [ -n "$quick" ]; then rounds=3 repeat=3 hello_runs=3; fi

### 1, 2: demand-zero through mmap and malloc; the stack.

# Linux on this machine is noisy from one process to the next: three processes, the median.
for _ in 1 2 3; do native dzero 64 "$rounds"; done
sos --mem 1G -- dzero 64 "$rounds"
# The same with one page per fault, as Linux maps anonymous memory: what fault-around is worth.
say "SOS: dzero 64 $rounds, fault-around off"
if run "SOS: dzero, fault-around off" sosrun --mem 1G --fault-around 1 "$B/dzero" 64 "$rounds"; then
	collect "$tmp/out" "$tmp/one"
	sed 's/^dzero_/dzero1_/' "$tmp/one" >>"$SOS"
fi
# The stack faults only once per process, and 6 MiB takes a few ms: more processes, the median.
for _ in $(seq $((repeat + 2))); do native stack 6; done
sos --repeat $((repeat + 2)) -- stack 6

### 3: region scaling.

for _ in 1 2 3; do native regions; done
sos --mem 1G -- regions

### 4: mmap/munmap, mprotect, a bare system call.

native syscalls 500
sos -- syscalls 500

### 5: teardown of a process that touched 256 MiB, less that of one that touched 1 MiB (not 0: on
### SOS under TCG the next program's code would then land in frames that held code, and QEMU's
### invalidation of its translations makes that baseline slower than the 256 MiB case).

native teardown fork 256
native teardown fork 1
for mib in 256 1; do
	say "SOS: teardown $mib (--repeat $repeat)"
	run "SOS: teardown $mib" sosrun --mem 1G --repeat "$repeat" "$B/teardown" "$mib" || true
	stamp_gaps "teardown_gap_$mib" >>"$SOS"
done

### 6: start-up.

say "Linux: hello x$((hello_runs * 2))"
wall "$LINUX" hello_wall $((hello_runs * 2)) "$B/hello"
say "SOS: hello x$hello_runs"
wall "$SOS" hello_wall "$hello_runs" sosrun "$B/hello"
for _ in 1 2 3; do sos -- boottime; done

### 7, 8: the host-built pager: instructions per fault, memory overhead.

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
native ptmem

### 9: the floor.

native zero 128
sos --mem 1G -- zero 128

### The table.

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

tcg=""
[ "$accel" = tcg ] && tcg="*"
hdr_sos="SOS"
[ -n "$tcg" ] && hdr_sos="SOS (TCG*)"
line='| %-44s | %-11s | %10s | %11s | %9s | %-9s |\n'

# row LABEL UNIT LINUX SOS TARGET [FLAGS]: LINUX "-" when Linux has no such figure; FLAGS "timed"
# (the figure depends on the accelerator) and "noratio" (the row is a ratio already).
row() {
	local ratio="" mark="" sv
	[[ ${6:-} == *timed* ]] && mark=$tcg
	[ -z "$3" ] && [ -z "$4" ] && return 0
	if [ -n "$3" ] && [ "$3" != - ] && [ -n "$4" ] && [[ ${6:-} != *noratio* ]]; then
		ratio=$(awk -v a="$3" -v b="$4" 'BEGIN { if (a != 0) printf "%.2fx", b / a }')
		[ -n "$ratio" ] && ratio="$ratio$mark"
	fi
	sv=$(fmt "$4")
	[ -n "$4" ] && sv="$sv$mark"
	# shellcheck disable=SC2059 # the format is $line
	printf "$line" "$1" "$2" "$(fmt "$3")" "$sv" "${ratio:--}" "${5:-}"
}

# timed LABEL UNIT NAME [TARGET]: the result NAME measured on both systems.
timed() { row "$1" "$2" "$(l "$3")" "$(s "$3")" "${4:-}" timed; }

dashes() { printf -- "-%.0s" $(seq "$1"); }

td_l=$(calc '(a - b) / 1e6' "$(l teardown_gap_256)" "$(l teardown_gap_1)")
td_s=$(calc '(a - b) / 1e6' "$(s teardown_gap_256)" "$(s teardown_gap_1)")
sc_l=$(calc 'b / a' "$(l regions_10_touch)" "$(l regions_20000_touch)")
sc_s=$(calc 'b / a' "$(s regions_10_touch)" "$(s regions_20000_touch)")
ir_sc=$(calc 'b / a' "$(h fault_ir_10)" "$(h fault_ir_20000)")

echo
echo "SOS benchmarks — machine: ${model:-unknown}, $(nproc) CPUs, Linux $(uname -r)," \
	"THP ${thp:-unknown}; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "accelerator for SOS: $accel; load average before the run: ${load:-unknown}"
[ -n "$tcg" ] &&
	echo "* TCG — not comparable with native Linux: SOS timings are emulated (QEMU TCG);" \
		"instruction counts and memory figures are unaffected"
echo
# shellcheck disable=SC2059
printf "$line" benchmark unit Linux "$hdr_sos" SOS/Linux target
printf '|%s|%s|%s|%s|%s|%s|\n' "$(dashes 46)" "$(dashes 13)" "$(dashes 12)" "$(dashes 13)" \
	"$(dashes 11)" "$(dashes 11)"
timed "1 demand-zero 64 MiB mmap: touch" ns/page dzero_mmap_touch
timed "1 demand-zero 64 MiB mmap: whole cycle" ns/page dzero_mmap_cycle "<= 0.5x"
row "1 the same, fault-around off: touch" ns/page "$(l dzero_mmap_touch)" \
	"$(s dzero1_mmap_touch)" "" timed
row "1 the same, fault-around off: whole cycle" ns/page "$(l dzero_mmap_cycle)" \
	"$(s dzero1_mmap_cycle)" "<= 0.5x" timed
timed "2 malloc 64 MiB: touch" ns/page dzero_malloc_touch
timed "2 malloc 64 MiB: whole cycle" ns/page dzero_malloc_cycle
timed "2 stack, recursion over 6 MiB" ns/page stack_touch
timed "3 fault, 10 regions live" ns/page regions_10_touch
timed "3 fault, 1,000 regions live" ns/page regions_1000_touch
timed "3 fault, 20,000 regions live" ns/page regions_20000_touch
row "3 fault, 20,000 / 10 regions" ratio "$sc_l" "$sc_s" "<= 1.2" timed,noratio
timed "4 mmap+munmap of one page" pairs/s mmap_munmap
timed "4 mprotect of one page (split+merge)" calls/s mprotect
timed "4 system call round trip (getpid)" ns syscall
row "5 teardown: exit, 256 MiB touched (- 1 MiB)" ms "$td_l" "$td_s" "" timed
timed "6 start-up: hello (exec / bin/sos-run)" "ms wall" hello_wall "<= 300 ms"
row "6 start-up: VM start -> main (guest TSC)" ms - \
	"$(calc 'a / 1e6' "$(s boot_vm_to_main)")" "" timed
row "6 start-up: kernel entry -> main" ms - "$(calc 'a / 1e6' "$(s boot_kernel_to_main)")" "" timed
row "7 fault path, host pager, 10 regions" instr - "$(h fault_ir_10)" "<= 300"
row "7 fault path, host pager, 20,000 regions" instr - "$(h fault_ir_20000)" "<= 300"
row "7 per page with fault-around, 10 regions" instr - "$(h around_ir_10)" ""
row "7 fault path, 20,000 / 10 regions" ratio - "$ir_sc" "<= 1.2" noratio
row "7 fault, host pager incl. zeroing (native)" ns - "$(h host_fault_time)" ""
row "8 frame table per frame (Linux: struct page)" bytes 64 "$(h frame_entry)" "<= 16"
row "8 page table per page, dense 64 MiB" bytes "$(l pt_dense)" "$(h pt_dense)" ""
row "8 page table per page, sparse 1 per 2 MiB" bytes "$(l pt_sparse)" "$(h pt_sparse)" ""
for w in memset stosb stosq movnti; do
	timed "9 floor: zero 4 KiB streaming, $w" ns "zero_stream_$w"
done
for w in memset stosb stosq movnti; do
	timed "9 floor: zero 4 KiB hot in cache, $w" ns "zero_hot_$w"
done
cat <<EOF

Linux = these same static musl binaries run natively; SOS = run with bin/sos-run, or (7, 8) the
pager kernel/mm built for the host and driven directly. Medians of several rounds. Rows 7:
callgrind instructions inside vm_fault() per write fault on a zero-fill region with fault-around
off, memset excluded ($(h zero_fault_ir_10) instructions of zeroing per fault, page-table pages
included); with fault-around (16 pages), per page written in order. Row 8, Linux:
sizeof(struct page), not measured; page tables from VmPTE. Row 5: the gap from the process's last
clock read before exit to the next thing running (Linux: the parent back from waitpid; SOS: the
next run of --repeat starting), minus the same for a process that touched 1 MiB. Rows in
pairs/s and calls/s: higher is better. Method and caveats: docs/bench.md.
EOF
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
