# The settings every bench script shares, sourced from the repository's root: the build directory,
# the runners, and the kernel bin/sos-run boots (bin/sos-run would take build/kernel.bin).
BUILD=${BUILD:-build}
B=$BUILD/bench
SOS_RUN=${SOS_RUN:-bin/sos-run}
LINUX_RUN=${LINUX_RUN:-bin/linux-run}
case "$BUILD" in
/*) kernel=$BUILD/kernel.bin ;;
*) kernel=$PWD/$BUILD/kernel.bin ;;
esac
export SOS_KERNEL=${SOS_KERNEL:-$kernel}
