#!/usr/bin/env bash
# `make bench-swap`: the swap benchmark (bench/swap.c) on the oracle Linux and on SOS under every
# replacement policy, with the same --mem and --swap, beside Belady's OPT and LRU simulated on the
# host (bench/refsim_main.c) on the same reference strings with the frames each kernel gave the
# program; prints the tables (stdout) and draws the plot of page-ins (gnuplot, $SWAP_PLOT).
#
# Benchmarks are not tests: a run that fails leaves "n/a" and a note, never a failing status.
# Environment: BUILD (default build), SOS_ACCEL (tcg|kvm, default: bin/sos-run's probe; both
# kernels use it), SWAP_MEM (default 96M: the oracle does not boot with 64M), SWAP_SIZE (512M),
# SWAP_POLICIES ("clock fifo random 2q"), SWAP_WORKLOADS ("seq loop random zipf scanhot"),
# SWAP_TIMEOUT (seconds per run, 300), SWAP_PLOT (docs/swap-bench.png; empty: no plot),
# SWAP_SAVE=DIR (keep the raw results there), SWAP_REPLAY=DIR (no runs: the tables and the plot
# from results kept by SWAP_SAVE).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

. bench/env.sh
export ORACLE_CACHE=off # a timing must be run, not replayed
mem=${SWAP_MEM:-96M}
swap=${SWAP_SIZE:-512M}
policies=${SWAP_POLICIES:-clock fifo random 2q}
workloads=${SWAP_WORKLOADS:-seq loop random zipf scanhot}
limit=${SWAP_TIMEOUT:-300}
plot=${SWAP_PLOT-docs/swap-bench.png}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
notes=()
say() { echo "bench-swap: $*" >&2; }

# The guest's RAM in MiB, as the program takes it (the workloads' sizes are multiples of it).
mib=$(awk -v m="$mem" 'BEGIN {
	u = toupper(substr(m, length(m))); v = m + 0
	print (u == "G" ? v * 1024 : u == "K" ? v / 1024 : u ~ /[0-9]/ ? v / 1048576 : v) }')
mem_pages=$((mib * 256))

# Keep the RESULT lines of file $1 as "name value unit" in file $2.
collect() { sed -n 's/^RESULT \([^ ]*\) \([^ ]*\) \(.*\)$/\1 \2 \3/p' "$1" >>"$2"; }

# The value named $2 in file $1 (the last one), or nothing.
val() {
	[ ! -f "$1" ] || awk -v n="$2" '$1 == n { v = $2 } END { if (v != "") print v }' "$1"
}

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true) # other work on the machine skews times
accel=${SOS_ACCEL:-}
if [ -z "$accel" ]; then
	accel=$(timeout 300 "$SOS_RUN" --trace "$B/hello" 2>&1 >/dev/null </dev/null |
		sed -n 's/^sos: accelerator //p' | head -n 1) || true
fi
accel=${accel:-tcg}
t_start=$EPOCHREALTIME

### Linux: every workload and the throughput run, one boot (each job a fresh process).

t_linux=0 t_sos=0
if [ -n "${SWAP_REPLAY:-}" ]; then
	cp "$SWAP_REPLAY"/linux "$SWAP_REPLAY"/sos-* "$tmp"/ 2>/dev/null || true
	workloads=none # no runs below
fi

jobs=$tmp/jobs
n=0
for w in $workloads tput; do
	[ "$w" != none ] || break
	n=$((n + 1))
	mkdir -p "$jobs/$(printf '%02d' $n)-$w"
	printf '%s\0' "$B/swap" "$w" "$mib" >"$jobs/$(printf '%02d' $n)-$w/argv"
done
t0=$EPOCHREALTIME
if [ "$n" -eq 0 ]; then
	: # replaying
elif say "Linux: one boot, --mem $mem --swap $swap: $workloads tput" && ! timeout $((limit * (n + 1))) "$LINUX_RUN" --accel "$accel" --mem "$mem" --swap "$swap" \
	--timeout "$limit" --batch "$jobs" </dev/null >/dev/null 2>"$tmp/err"; then
	notes+=("Linux: the batch failed: $(tail -n 1 "$tmp/err")")
fi
for d in "$jobs"/*/; do
	[ -d "$d" ] || continue
	st=$(cat "$d/status" 2>/dev/null || echo none)
	[ "$st" = 0 ] || notes+=("Linux: swap $(basename "$d"): exit status $st")
	[ -f "$d/out" ] && collect "$d/out" "$tmp/linux"
done
t_linux=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

### SOS: each policy, each workload, one boot per run (bin/sos-run --evict NAME).

# Whether bin/sos-run knows --evict: without it every run gets the kernel's default (clock).
has_evict=1
usage=$("$SOS_RUN" --help 2>&1 || true) # the usage, with status 125
if ! grep -q -- --evict <<<"$usage"; then
	has_evict=""
	notes+=("SOS: bin/sos-run has no --evict yet: the kernel's default policy (clock) only")
fi
t0=$EPOCHREALTIME
for p in $policies; do
	[ -n "$has_evict" ] || [ "$p" = clock ] || continue
	evict=()
	[ -z "$has_evict" ] || evict=(--evict "$p")
	for w in $workloads tput; do
		[ "$w" != none ] || break
		say "SOS ($p): swap $w $mib"
		rc=0 t1=$EPOCHREALTIME
		timeout "$limit" "$SOS_RUN" --accel "$accel" --mem "$mem" --swap "$swap" "${evict[@]}" \
			"$B/swap" "$w" "$mib" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
		collect "$tmp/out" "$tmp/sos-$p"
		# The wall time of the whole run, boot included: a check on the guest's own clock.
		echo "swap_${w}_wall $(awk -v a="$t1" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }') s" \
			>>"$tmp/sos-$p"
		[ "$rc" -eq 0 ] ||
			notes+=("SOS ($p): swap $w: exit status $rc: $(grep -v '^$' "$tmp/err" | tail -n 1)")
	done
done
t_sos=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

if [ -n "${SWAP_SAVE:-}" ]; then
	mkdir -p "$SWAP_SAVE"
	cp "$tmp"/linux "$tmp"/sos-* "$SWAP_SAVE"/ 2>/dev/null || true
fi
[ -z "${SWAP_REPLAY:-}" ] || workloads=${SWAP_WORKLOADS:-seq loop random zipf scanhot}

### The host: OPT, LRU and kernel/mm's policies simulated on the same strings.

# sim W FRAMES: refsim's lines "name page-ins" for workload W with FRAMES frames, in $tmp/sim-W-F.
sim() {
	local f=$tmp/sim-$1-$2
	[ -s "$f" ] || "$B/refsim" "$1" "$mem_pages" "$2" >"$f" 2>/dev/null || : >"$f"
	echo "$f"
}

# The frames SOS gave the program in workload W: from the first policy that measured them.
sos_frames() {
	local p v
	for p in $policies; do
		v=$(val "$tmp/sos-$p" "swap_$1_frames")
		[ -z "$v" ] || {
			echo "$v"
			return
		}
	done
}

# Numbers as integers or to 3 significant digits, "n/a" when missing.
fmt() {
	[ -n "${1:-}" ] || {
		echo n/a
		return
	}
	awk -v v="$1" 'BEGIN { if (v == int(v) || v >= 100) printf "%.0f", v; else printf "%.3g", v }'
}

# A page-ins cell: pages read $1 and, in brackets, major faults $2.
ins() {
	if [ -z "${1:-}" ] && [ -z "${2:-}" ]; then
		echo n/a
	else
		echo "$(fmt "${1:-}") ($(fmt "${2:-}"))"
	fi
}

# The ratio a/b to 2 decimals, or "-".
ratio() {
	if [ -z "${1:-}" ] || [ -z "${2:-}" ] || [ "$2" = 0 ]; then
		echo -
		return
	fi
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# workload OPT LRU sim-clock sim-2q SOS-policies' pswpin... Linux-pswpin Linux-majflt ("?" missing)
dat=$tmp/plot.dat
rev=$(git describe --always --dirty 2>/dev/null || echo unknown)
echo
echo "Swap benchmark — SOS $rev and Linux $("$LINUX_RUN" --version 2>/dev/null || echo '?'), QEMU" \
	"accelerator $accel, --mem $mem --swap $swap for both; $(date -u '+%Y-%m-%d %H:%M UTC');" \
	"load average before the run: ${load:-unknown}"
echo
echo "Page-ins per workload: pages read from swap (pswpin), and in brackets the major faults" \
	"(ru_majflt; fewer when read-ahead brought pages in before their fault). OPT and LRU:" \
	"simulated on the same reference string with the frames SOS measured (Linux's, marked L," \
	"while SOS has none); ratio: SOS's best policy, and Linux, to OPT with their own frames." \
	"A0, where the reads are independent draws (random, zipf): the fewest page-ins any policy" \
	"can expect without knowing the future (it keeps the likeliest pages), simulated the same way."
echo
hdr="| workload | refs | frames | OPT | LRU | A0 | A0/OPT |"
rule="|---|---:|---:|---:|---:|---:|---:|"
for p in $policies; do
	hdr="$hdr SOS $p |"
	rule="$rule---:|"
done
echo "$hdr SOS best/OPT | Linux | Linux frames | OPT, Linux frames | Linux/OPT |"
echo "$rule---:|---:|---:|---:|---:|"
for w in $workloads; do
	lf=$(val "$tmp/linux" "swap_${w}_frames")
	sf=$(sos_frames "$w")
	frames=${sf:-$lf} mark=""
	[ -n "$sf" ] || mark=L
	opt="" lru="" a0="" lopt="" refs="" sclock="" s2q=""
	if [ -n "$frames" ]; then
		f=$(sim "$w" "$frames")
		opt=$(val "$f" opt) lru=$(val "$f" lru) a0=$(val "$f" a0) refs=$(val "$f" refs)
		sclock=$(val "$f" clock) s2q=$(val "$f" 2q)
	fi
	[ -z "$lf" ] || lopt=$(val "$(sim "$w" "$lf")" opt)
	lmaj=$(val "$tmp/linux" "swap_${w}_majflt")
	line="| $w | $(fmt "$refs") | $(fmt "$frames")$mark | $(fmt "$opt") | $(fmt "$lru") | $(if [ -n "$a0" ]; then fmt "$a0"; else echo -; fi) |"
	line="$line $(ratio "$a0" "$opt") |"
	row="$w ${opt:-?} ${lru:-?} ${sclock:-?} ${s2q:-?}"
	best=""
	for p in $policies; do
		v=$(val "$tmp/sos-$p" "swap_${w}_pswpin")
		line="$line $(ins "$v" "$(val "$tmp/sos-$p" "swap_${w}_majflt")") |"
		row="$row ${v:-?}"
		if [ -n "$v" ] && { [ -z "$best" ] || [ "$v" -lt "$best" ]; }; then best=$v; fi
	done
	lin=$(val "$tmp/linux" "swap_${w}_pswpin")
	echo "$line $(ratio "$best" "$opt") | $(ins "$lin" "$lmaj") | $(fmt "$lf") | $(fmt "$lopt") |" \
		"$(ratio "$lin" "$lopt") |"
	echo "$row ${lin:-?} ${lmaj:-?}" >>"$dat"
done

echo
echo "Simulated on the host (kernel/mm/evict.c through tests/unit/refsim.c), page-ins with the" \
	"frames above, and each policy's ratio to OPT:"
echo
hdr="| workload | frames | OPT | LRU |"
rule="|---|---:|---:|---:|"
for p in $policies; do
	hdr="$hdr $p | $p/OPT |"
	rule="$rule---:|---:|"
done
echo "$hdr"
echo "$rule"
for w in $workloads; do
	frames=$(sos_frames "$w")
	[ -n "$frames" ] || frames=$(val "$tmp/linux" "swap_${w}_frames")
	[ -n "$frames" ] || continue
	f=$(sim "$w" "$frames")
	opt=$(val "$f" opt)
	line="| $w | $frames | $(fmt "$opt") | $(fmt "$(val "$f" lru)") |"
	for p in $policies; do
		v=$(val "$f" "$p")
		line="$line $(fmt "$v") | $(ratio "$v" "$opt") |"
	done
	echo "$line"
done

echo
echo "Time per workload (s, the whole run: writes, then the string, by the guest's clock; SOS's" \
	"runs also by the host's, boot included) and throughput (MB/s):"
echo
hdr="| run | Linux |"
rule="|---|---:|"
for p in $policies; do
	hdr="$hdr SOS $p |"
	rule="$rule---:|"
done
echo "$hdr"
echo "$rule"
for w in $workloads; do
	v=$(val "$tmp/linux" "swap_${w}_ms")
	line="| $w | $(fmt "$(awk -v v="$v" 'BEGIN { if (v != "") print v / 1000 }')") |"
	for p in $policies; do
		v=$(val "$tmp/sos-$p" "swap_${w}_ms")
		line="$line $(fmt "$(awk -v v="$v" 'BEGIN { if (v != "") print v / 1000 }')") |"
	done
	echo "$line"
done
for w in $workloads tput; do
	line="| $w, wall of bin/sos-run | - |"
	for p in $policies; do
		line="$line $(fmt "$(val "$tmp/sos-$p" "swap_${w}_wall")") |"
	done
	echo "$line"
done
for dir in out in; do
	line="| swap-$dir, MB/s | $(fmt "$(val "$tmp/linux" "swap_${dir}_mbs")") |"
	for p in $policies; do
		line="$line $(fmt "$(val "$tmp/sos-$p" "swap_${dir}_mbs")") |"
	done
	echo "$line"
done

bad=$(cat "$tmp"/linux "$tmp"/sos-* 2>/dev/null | awk '$1 ~ /_bad$/ && $2 != 0' | wc -l)
[ "$bad" -eq 0 ] || notes+=("$bad runs read pages back wrong (RESULT swap_*_bad)")

if [ -n "$plot" ]; then
	if command -v gnuplot >/dev/null; then
		titles="OPT LRU sim_clock sim_2q"
		for p in $policies; do titles="$titles SOS_$p"; done # pages read: pswpin
		titles="$titles Linux Linux_majflt"
		sos_none=""
		[ -n "$(cat "$tmp"/sos-* 2>/dev/null)" ] || sos_none=" (SOS: n/a, no run)"
		mkdir -p "$(dirname "$plot")"
		# gnuplot warns of every column with no value (a policy that did not run): not kept.
		gnuplot 2>"$tmp/gnuplot.err" <<EOF || notes+=("gnuplot failed: $(tail -n 1 "$tmp/gnuplot.err")")
set terminal pngcairo size 1200,560 font "sans,10" noenhanced
set output "$plot"
set title "Swap benchmark: page-ins per workload, --mem $mem --swap $swap, SOS $rev\nOPT, LRU, sim_*: simulated with the frames SOS (else Linux) gave the program$sos_none"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "page-ins: pages read from swap (pswpin; Linux_majflt: major faults)"
set yrange [0:*]
set key outside right top
set grid ytics
set datafile missing "?"
titles = "$titles"
colors = "#555555 #aaaaaa #9ecae1 #fdd0a2 #08519c #31a354 #756bb1 #e6550d #a50f15 #fb6a4a #636363 #bdbdbd #3182bd #fd8d3c"
plot for [i=2:$(($(wc -w <<<"$titles") + 1))] "$dat" using i:xtic(1) title word(titles, i - 1) \
	lc rgb word(colors, (i - 2) % 14 + 1)
EOF
		[ ! -f "$plot" ] || say "plot: $plot"
	else
		notes+=("gnuplot is not installed (tools/deps.sh installs gnuplot-nox): no plot")
	fi
fi

t_all=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
cat <<EOF

Workloads (bench/swapref.h; RAM = --mem = $mem_pages pages): seq, 1.5x RAM read twice in order;
loop, 1.125x RAM read 4 times; random, 1.5x RAM, 2 uniform references per page; zipf, 2x RAM,
8 references per page, rank r with probability ~1/r, ranks scattered; scanhot, a hot set of RAM/4
(4 references per hot page per round) and a one-time scan of RAM per round with a hot reference
every 4th page, 3 rounds. Every page is written once first (demand-zero faults, not page-ins),
then read; page-ins count the string's reads from swap. Frames: the pages of the region resident
right after the writes (mincore), on each kernel; OPT and LRU are simulated with that many
frames. Linux reads ahead (8 pages): its majflt counts faults that waited for a read, pswpin the
pages read. Run time: Linux ${t_linux}s (one boot), SOS ${t_sos}s, all ${t_all}s.
EOF
if [ ${#notes[@]} -gt 0 ]; then
	echo
	echo "Did not run or failed:"
	printf '  %s\n' "${notes[@]}"
fi
exit 0
