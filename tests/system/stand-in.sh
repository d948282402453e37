#!/usr/bin/env bash
# A stand-in for bin/sos-run that runs PROGRAM natively on Linux: for the harness's self-test
# (run.sh --self-test) only. It mimics sos-run's interface and statuses, not SOS. Owned by user/tests.
#
# usage: stand-in.sh [--mem SIZE] [--swap SIZE] [--accel tcg|kvm] [--repeat N] [--trace] [--stats] [--evict POLICY] [--fail SPEC] PROGRAM [ARGS...]
# Like sos-run: empty environment, --repeat runs PROGRAM N times (outputs concatenated, status of
# the last run), 126 and a "sos:" line for anything but a static x86-64 ELF executable, and a
# "sos: killed PROG: SIGSEGV" line when a run dies of SIGSEGV (without the fault's details, which
# only SOS knows).
set -euo pipefail

repeat=1
while (($#)); do
	case $1 in
	--mem | --accel | --swap | --evict | --fail)
		shift 2
		;;
	--repeat)
		repeat=${2:-}
		shift 2
		;;
	--trace | --stats)
		shift
		;;
	-*)
		echo "sos: stand-in: unknown option $1" >&2
		exit 125
		;;
	*) break ;;
	esac
done
if (($# == 0)) || [[ ! $repeat =~ ^[1-9][0-9]*$ ]]; then
	sed -n '5p' "$0" >&2
	exit 125
fi
prog=$1
# Never hand a file SOS must refuse to the host: Linux runs some, and the shell runs the rest.
checker=${BUILD:-build}/elf/elf-check
if [[ -x $checker && -f $prog ]] && ! "$checker" "$prog"; then
	exit 126
fi

if [[ ! -f $prog ]] || ! head -c 4 "$prog" | cmp -s - <(printf '\177ELF') ||
	! readelf -h "$prog" 2>/dev/null | grep -q 'Machine: *Advanced Micro Devices X86-64' ||
	readelf -lW "$prog" 2>/dev/null | grep -q INTERP; then
	echo "sos: $prog: not a static x86-64 ELF executable (stand-in)" >&2
	exit 126
fi

ulimit -s 8192 2>/dev/null || true
ulimit -c 0
status=0
for ((i = 0; i < repeat; i++)); do
	status=0
	# fd 3 carries the program's stderr past the redirection that silences bash's own
	# "Segmentation fault" report
	{ env -i "$@" 2>&3 3>&- || status=$?; } 3>&2 2>/dev/null
	if ((status == 139)); then
		echo "sos: killed $prog: SIGSEGV (stand-in: a native run, no fault details)" >&2
	elif ((status > 128)); then
		echo "sos: killed $prog: signal $((status - 128)) (stand-in)" >&2
	fi
done
exit "$status"
