# What bin/sos-run and bin/linux-run share, sourced by both: one set of options, the exit-status
# contract (125 for a runner's own failure, bash errors included), the accelerator and the channels.
# The runner sets RUNNER (its name, for messages) before sourcing this file.
# shellcheck shell=bash

tmp="" done_status="" pids=() helper_pids=() nmi_fd="" qemu_pid=""

# Every way out goes through here, so that the runner's own failures, bash errors included, are 125.
finish() {
	done_status=$1
	exit "$1"
}

fail() {
	echo "$RUNNER: $*" >&2
	finish 125
}

# The usage block of the runner's header: from "# usage:" up to "# environment:".
usage() {
	sed -n '/^# usage:/,/^# environment:/{/^# environment:/d;s/^# \{0,1\}//;p}' "$0" >&2
	finish 125
}

# A bad option: one line on what is wrong, then the usage.
bad_usage() {
	echo "$RUNNER: $*" >&2
	usage
}

# Stop QEMU, the readers and the helpers, remove the temporary files.
# shellcheck disable=SC2317 # it runs from the traps
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	pids=()
	stop_helpers
	[[ -z $tmp ]] || rm -rf "$tmp"
	tmp=""
}

# Kill the helpers: processes that may block for ever (on a terminal) and may be stopped (read
# from the terminal in the background), so SIGKILL; then reap them.
# shellcheck disable=SC2317 # it also runs from the traps
stop_helpers() {
	local p
	for p in "${helper_pids[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	helper_pids=()
}

# Every exit: clean up; one that did not come through finish is a bash error, so 125.
# shellcheck disable=SC2317 # a trap
on_exit() {
	local rc=$?
	cleanup
	if [[ -z $done_status ]]; then
		echo "$RUNNER: internal error (bash status $rc)" >&2
		rc=125
	fi
	exit "$rc"
}

# Killed by TERM (a timeout, most often), with SOS's monitor ours: ask for the kernel's report of
# every process (an NMI), give it a second to come out, then stop QEMU and let the readers finish.
# shellcheck disable=SC2317 # it runs from a trap
report_before_kill() {
	local p waited
	[[ -n $nmi_fd && -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null || return 0
	{ echo nmi >&"$nmi_fd"; } 2>/dev/null || return 0
	sleep 1
	kill "$qemu_pid" 2>/dev/null || true
	for p in "${pids[@]:1}"; do
		for ((waited = 0; waited < 20; waited++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
	done
}

# Killed: clean up, then die of the same signal, as the caller expects of a killed command.
# shellcheck disable=SC2317 # a trap
on_signal() {
	trap - EXIT "$1"
	[[ $1 != TERM ]] || report_before_kill
	cleanup
	kill -s "$1" "$$"
	exit $((128 + $2))
}

trap on_exit EXIT
trap 'fail "internal error at line $LINENO: $BASH_COMMAND"' ERR
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM
trap 'on_signal HUP 1' HUP

# ---- options ------------------------------------------------------------------------------------

mem=512M accel="" repeat=1 trace="" gdb_port="" around="" monitor="" ctl=""
root_dir="" swap="" timeout=0 batch="" version="" evict="" evict_given="" stats="" fail="" fail_given=""
envs=() args=()

# Parse the options both runners take into the variables above; what follows them goes to args.
parse_options() {
	while (($#)); do
		case $1 in
		--mem | --accel | --repeat | --fault-around | --gdb-port | --monitor | --ctl | --root | \
			--env | --swap | --timeout | --batch | --evict | --fail)
			(($# >= 2)) || bad_usage "$1 needs a value"
			case $1 in
			--mem) mem=$2 ;;
			--accel) accel=$2 ;;
			--repeat) repeat=$2 ;;
			--fault-around) around=$2 ;;
			--gdb-port) gdb_port=$2 ;;
			--monitor) monitor=$2 ;;
			--ctl) ctl=$2 ;;
			--root) root_dir=$2 ;;
			--env) envs+=("$2") ;;
			--swap) swap=$2 ;;
			--timeout) timeout=$2 ;;
			--batch) batch=$2 ;;
			--evict) evict=$2 && evict_given=1 ;;
			--fail) fail=$2 && fail_given=1 ;;
			esac
			shift 2
			;;
		--trace) trace=1 && shift ;;
		--stats) stats=1 && shift ;;
		--gdb) gdb_port=${gdb_port:-1234} && shift ;;
		--version) version=1 && shift ;;
		--help | -h) usage ;;
		--) shift && break ;;
		-*) bad_usage "unknown option $1" ;;
		*) break ;;
		esac
	done
	args=("$@")
	check_options
}

# Checked before anything starts: a size QEMU refuses would otherwise surface late or never.
check_options() {
	local size='^[1-9][0-9]{0,12}[KMGTkmgt]?$' e
	[[ $mem =~ $size ]] ||
		bad_usage "--mem '$mem' is not a size (digits and an optional K, M, G or T, e.g. 512M)"
	[[ $repeat =~ ^[1-9][0-9]{0,8}$ ]] || bad_usage "--repeat '$repeat' is not a positive number"
	[[ $accel =~ ^(|tcg|kvm)$ ]] || bad_usage "--accel '$accel' is not tcg or kvm"
	# 512 is FAULT_AROUND_MAX (kernel/mm/as.h)
	[[ -z $around || ($around =~ ^[1-9][0-9]{0,2}$ && $around -le 512) ]] ||
		bad_usage "--fault-around '$around' is not a number of pages from 1 to 512"
	[[ -z $gdb_port || ($gdb_port =~ ^[1-9][0-9]{0,4}$ && $gdb_port -le 65535) ]] ||
		bad_usage "--gdb-port '$gdb_port' is not a TCP port (1 to 65535)"
	[[ -z $monitor || (-p $monitor.in && -p $monitor.out) ]] ||
		bad_usage "--monitor '$monitor': $monitor.in and $monitor.out must be FIFOs (mkfifo)"
	[[ -z $root_dir || -d $root_dir ]] || bad_usage "--root '$root_dir' is not a directory"
	for e in "${envs[@]}"; do
		[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || bad_usage "--env '$e' is not NAME=VALUE"
	done
	[[ -z $swap || $swap =~ $size ]] || bad_usage "--swap '$swap' is not a size (e.g. 1G)"
	[[ $timeout =~ ^[0-9]{1,6}$ ]] || bad_usage "--timeout '$timeout' is not a number of seconds"
	[[ -z $batch || -d $batch ]] || bad_usage "--batch '$batch' is not a directory"
	# the kernel checks the name; this keeps its command line one word per option
	[[ -z $evict_given || $evict =~ ^[a-z0-9_-]{1,31}$ ]] ||
		bad_usage "--evict '$evict' is not a policy name (e.g. clock, fifo, random)"
	# SITES:N[:SEED][@FUNCTION]; the kernel checks the site names and the numbers' range
	[[ -z $fail_given || $fail =~ ^[a-z]+(\+[a-z]+)*:[1-9][0-9]{0,17}(:[0-9]{1,18})?(@[A-Za-z_][A-Za-z0-9_]*)?$ ]] ||
		bad_usage "--fail '$fail' is not SITES:N[:SEED][@FUNCTION] (e.g. all:7, frame+slab:100:3, slab:1@pipe_create)"
	return 0
}

# Refuse the options given that this runner cannot honour yet, named in "$@".
refuse_options() {
	local o
	for o in "$@"; do
		case $o in
		--root) [[ -z $root_dir ]] ;;
		--env) ((${#envs[@]} == 0)) ;;
		--swap) [[ -z $swap ]] ;;
		--timeout) ((timeout == 0)) ;;
		--batch) [[ -z $batch ]] ;;
		esac || bad_usage "$o is not supported by $RUNNER yet"
	done
}

# ---- the machine --------------------------------------------------------------------------------

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-build}
[[ $build == /* ]] || build=$repo/$build

# Find QEMU and make the temporary directory (no commas: QEMU splits -initrd at them).
start_machine() {
	qemu=$(command -v qemu-system-x86_64) ||
		fail "qemu-system-x86_64 is not in PATH (tools/deps.sh installs it)"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$RUNNER.XXXXXX") ||
		fail "cannot make a temporary directory in ${TMPDIR:-/tmp}"
	[[ $tmp != *,* ]] || fail "the temporary directory $tmp has a comma in its name (set TMPDIR)"
	firmware=()
	[[ -f /usr/share/qemu/qboot.rom ]] && firmware=(-bios /usr/share/qemu/qboot.rom)
	select_accel
	debug=(-monitor none)
	[[ -n $monitor || $RUNNER != sos-run ]] || own_monitor
	# shellcheck disable=SC2054 # QEMU's options have commas
	[[ -z $monitor ]] || debug=(-chardev "pipe,id=mon,path=${monitor//,/,,}" -mon chardev=mon,mode=readline)
	[[ -z $gdb_port ]] || debug+=(-gdb "tcp::$gdb_port" -S)
}

# SOS's monitor, when no harness asked for one: what report_before_kill sends its nmi to. Its
# output is drained by a helper; the input is held open read-write, so no write blocks.
own_monitor() {
	monitor=$tmp/mon
	mkfifo "$monitor.in" "$monitor.out"
	exec {nmi_fd}<>"$monitor.in"
	reader <"$monitor.out" >/dev/null &
	helper_pids+=($!)
}

# The directory of the KVM verdicts: private to this user, never a name others can plant in /tmp.
probe_cache_dir() {
	local base=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}} dir
	[[ $base == /* ]] || return 1
	dir=$base/sos
	mkdir -p "$dir" 2>/dev/null && [[ -d $dir && ! -L $dir && -O $dir ]] || return 1
	chmod 700 "$dir" || return 1
	echo "$dir"
}

# shellcheck disable=SC2054 # QEMU's options have commas
kvm_machine=(-accel kvm -cpu host,-arch-capabilities)
tcg_machine=(-accel tcg -cpu max,-erms)

# Some nested KVMs fail on the first SSE instruction of a guest ("KVM internal error", and QEMU
# then sits paused), so "KVM works" means: a probe boot of SOS ran its SSE set-up. Both runners
# ask the same question of the same SOS image, so SOS and the oracle run under one accelerator.
# The verdict is cached per host kernel release, QEMU binary and SOS image, written whole or not.
kvm_works() {
	local sos=${SOS_KERNEL:-$build/kernel.bin} dir="" cache="" key verdict=no i probe t
	[[ -r /dev/kvm && -w /dev/kvm && -f $sos ]] || return 1
	key=$({
		uname -r
		stat -L -c '%n %d %i %s %Y' "$qemu"
		sha256sum <"$sos"
	} | sha256sum | cut -c 1-32)
	if dir=$(probe_cache_dir); then
		cache=$dir/kvm-probe.$key
		if [[ -f $cache ]]; then
			[[ $(<"$cache") == yes ]]
			return
		fi
	fi
	"$qemu" "${kvm_machine[@]}" "${firmware[@]}" -m 64M -nodefaults -display none \
		-no-reboot -serial none -monitor none -kernel "$sos" -append probe \
		-chardev file,id=ctl,path="$tmp/probe-ctl" -device isa-debugcon,iobase=0xeb,chardev=ctl \
		-device isa-debug-exit,iobase=0xf4,iosize=4 >/dev/null 2>&1 </dev/null &
	probe=$!
	pids=("$probe")
	for ((i = 0; i < 100; i++)); do
		grep -q '^exit 0$' "$tmp/probe-ctl" 2>/dev/null && verdict=yes && break
		kill -0 "$probe" 2>/dev/null || break
		sleep 0.02
	done
	kill "$probe" 2>/dev/null || true
	wait "$probe" 2>/dev/null || true
	pids=()
	if [[ -n $cache ]]; then
		find "$dir" -maxdepth 1 -name 'kvm-probe.*' -mtime +30 -delete 2>/dev/null || true
		if t=$(mktemp "$dir/.kvm-probe.XXXXXX"); then
			{ echo "$verdict" >"$t" && mv -f "$t" "$cache"; } || rm -f "$t"
		fi
	fi
	[[ $verdict == yes ]]
}

# --accel, or else KVM when it works, else TCG: machine gets the matching QEMU options.
select_accel() {
	if [[ -z $accel ]]; then
		if kvm_works; then accel=kvm; else accel=tcg; fi
	fi
	case $accel in
	kvm) machine=("${kvm_machine[@]}") ;;
	tcg) machine=("${tcg_machine[@]}") ;;
	esac
}

# ---- the channels -------------------------------------------------------------------------------

# The guest's channels are debugcon ports: stdout (0xe9) and stderr (0xea) through FIFOs read by
# cat as they come, byte for byte, to fd 1 and 2 (or to the files $1 and $2 when given), and the
# control line (0xeb) into the file $ctl_file. The shell opens every end itself (a FIFO opened
# read-write never blocks, so no open waits for a QEMU that may never start), then gives the read
# ends to the readers and the write ends to QEMU alone: the readers see the end when QEMU is gone,
# however it went, and QEMU's writes fail rather than block when a reader is gone.
open_channels() {
	local out_to=${1:-/dev/stdout} err_to=${2:-/dev/stderr}
	ctl_file=${ctl:-$tmp/ctl}
	: >"$ctl_file" || fail "cannot write the control file $ctl_file"
	mkfifo "$tmp/out" "$tmp/err"
	exec {hold_out}<>"$tmp/out" {hold_err}<>"$tmp/err"
	# shellcheck disable=SC2094 # both ends of each FIFO, on purpose
	exec {r_out}<"$tmp/out" {r_err}<"$tmp/err" {w_out}>"$tmp/out" {w_err}>"$tmp/err"
	exec {hold_out}>&- {hold_err}>&-
	if [[ $out_to == /dev/stdout ]]; then
		reader <&"$r_out" {r_out}<&- {r_err}<&- {w_out}>&- {w_err}>&- &
	else
		reader <&"$r_out" >"$out_to" {r_out}<&- {r_err}<&- {w_out}>&- {w_err}>&- &
	fi
	pids+=($!)
	if [[ $err_to == /dev/stderr ]]; then
		reader <&"$r_err" >&2 {r_out}<&- {r_err}<&- {w_out}>&- {w_err}>&- &
	else
		reader <&"$r_err" >"$err_to" {r_out}<&- {r_err}<&- {w_out}>&- {w_err}>&- &
	fi
	pids+=($!)
	channels=(
		-chardev "file,id=out,path=/dev/fd/$w_out" -device isa-debugcon,iobase=0xe9,chardev=out
		-chardev "file,id=err,path=/dev/fd/$w_err" -device isa-debugcon,iobase=0xea,chardev=err
		-chardev "file,id=ctl,path=${ctl_file//,/,,}" -device isa-debugcon,iobase=0xeb,chardev=ctl
		-device isa-debug-exit,iobase=0xf4,iosize=4
	)
}

# A channel's reader: stdin to stdout. It ignores TERM, which `timeout` sends to the runner's whole
# process group, so that what QEMU wrote still comes out: it ends at the channel's end, when QEMU
# has gone (the runner stops QEMU on every way out).
# shellcheck disable=SC2317 # run in the background
reader() {
	trap '' TERM
	exec cat
}

# Run QEMU with the machine, the debugging options, the channels and "$@"; wait for it and the
# readers. Sets qemu_status; QEMU's own messages are in $tmp/qemu.log.
run_qemu() {
	local p
	# In a session of its own, so that a TERM to the runner's group (`timeout`) leaves it to
	# the runner (report_before_kill); killed when the runner dies, whatever kills it (-w: if
	# setsid must fork, it waits, and QEMU dies with it).
	setsid -w setpriv --pdeathsig KILL \
		"$qemu" "${machine[@]}" "${firmware[@]}" "${debug[@]}" -m "$mem" -nodefaults -display none \
		-no-reboot "${channels[@]}" "$@" </dev/null 2>"$tmp/qemu.log" {r_out}<&- {r_err}<&- &
	qemu_pid=$!
	pids=("$qemu_pid" "${pids[@]}")
	exec {r_out}<&- {r_err}<&- {w_out}>&- {w_err}>&-
	qemu_status=0
	wait "$qemu_pid" || qemu_status=$?
	for p in "${pids[@]:1}"; do
		wait "$p" || true
	done
	pids=()
}

# The status on the control line, or 125 with what QEMU said when there is none.
finish_with_status() {
	local status
	status=$(sed -n 's/^exit \([0-9]\{1,3\}\)$/\1/p' "$ctl_file" | tail -n 1)
	if [[ -z $status ]] || ((10#$status > 255)); then
		echo "$RUNNER: no exit status from $1 (QEMU ended with status $qemu_status)" >&2
		sed "s/^/$RUNNER: qemu: /" "$tmp/qemu.log" >&2
		finish 125
	fi
	finish "$((10#$status))"
}
