#!/usr/bin/env bash
# Fetch the pinned oracle kernel (oracle/kernel.env) into the cache, once: `apt-get download` of
# the exact Debian package, unpacked with `dpkg-deb -x`; nothing is installed into the host's /boot.
#
# usage: oracle/fetch.sh [--print-dir]
#   --print-dir   print the cache directory (whether or not the kernel is there yet) and exit
# environment: SOS_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/sos)
# The directory gets vmlinuz, config, and the modules linux-run may load (virtio_blk.ko).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=kernel.env
. "$here/kernel.env"
dir=${SOS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sos}/oracle/$ORACLE_RELEASE
if [[ ${1:-} == --print-dir ]]; then
	echo "$dir"
	exit 0
fi
[[ -f $dir/vmlinuz && -f $dir/virtio_blk.ko ]] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt-get download drops privileges to _apt for the transfer
echo "oracle: fetching $ORACLE_PACKAGE=$ORACLE_VERSION" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
download() { (cd "$work" && apt-get download -qq "$ORACLE_PACKAGE=$ORACLE_VERSION" >/dev/null 2>&1); }
if ! download; then
	$SUDO apt-get update -qq
	download || {
		echo "oracle: cannot download $ORACLE_PACKAGE=$ORACLE_VERSION from Debian's archive" \
			"(has it been dropped? oracle/kernel.env pins it)" >&2
		exit 1
	}
fi
dpkg-deb -x "$work"/*.deb "$work/x"
mkdir -p "$work/out"
cp "$work/x/boot/vmlinuz-$ORACLE_RELEASE" "$work/out/vmlinuz"
cp "$work/x/boot/config-$ORACLE_RELEASE" "$work/out/config"
xz -dc "$work/x/lib/modules/$ORACLE_RELEASE/kernel/drivers/block/virtio_blk.ko.xz" \
	>"$work/out/virtio_blk.ko"
mkdir -p "$(dirname "$dir")"
rm -rf "$dir"
mv "$work/out" "$dir"
echo "oracle: $ORACLE_RELEASE in $dir" >&2
