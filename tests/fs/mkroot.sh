#!/usr/bin/env bash
# Build the guest root of the file suite (tests/fs/run.sh) from scratch, and the files its stdin
# cases read: everything is made here, deterministically, with fixed modes and modification times.
#
# usage: tests/fs/mkroot.sh ROOT INPUTS
#   ROOT    made anew: /bin (busybox, its applet links, bash-static), /etc/passwd and group,
#           /data (read-only inputs: text, binary, a tree, archives), /scripts (the shell
#           scripts of tests/fs/scripts, their helpers in /scripts/bin), /work/NAME (what the case
#           NAME may change: on the oracle every case runs in one boot, so no case touches
#           another's files), and an empty /tmp
#   INPUTS  made anew: the stdin files of the cases (tests/fs/cases, stdin=FILE)
# Needs /bin/busybox and /bin/bash-static (tools/deps.sh), $BUILD/user/t_stdin (make user), perl,
# GNU tar and gzip.
set -euo pipefail
export LC_ALL=C TZ=UTC
umask 022
root=${1:?usage: mkroot.sh ROOT INPUTS}
inputs=${2:?usage: mkroot.sh ROOT INPUTS}
rm -rf "$root" "$inputs"
mkdir -p "$root"/{bin,etc,data,work,tmp,scripts} "$inputs"
chmod 1777 "$root/tmp"

# The programs, at their Debian paths; applets are symlinks to busybox, as its --install makes.
cp /bin/busybox /bin/bash-static "${BUILD:-build}/user/t_stdin" "$root/bin/"
chmod 755 "$root/bin/busybox" "$root/bin/bash-static" "$root/bin/t_stdin"
for a in sh ls cat wc sort uniq head tail cut tr sed grep awk od md5sum sha256sum gzip gunzip \
	zcat tar cp mv rm rmdir mkdir find du stat touch dd cmp diff readlink ln seq xargs mktemp sleep \
	tee yes paste timeout basename mkfifo; do
	ln -s busybox "$root/bin/$a"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
# The scripts, read by the shells (644); the helpers in bin/ run by path (755), but for the ones
# whose mode is the point: notexec (644) and lib.sh (sourced).
cp -r "$(dirname "$0")/scripts/." "$root/scripts/"
chmod 644 "$root"/scripts/*.sh "$root/scripts/bin/notexec" "$root/scripts/bin/lib.sh"
chmod 755 "$root/scripts/bin" "$root"/scripts/bin/{args,bash-args,strict,noshebang,badinterp}
echo 'root:x:0:' >"$root/etc/group"

# ---- generated content --------------------------------------------------------------------------

# N pseudo-random bytes on stdout from seed S (a 31-bit LCG: the same bytes on every machine).
random_bytes() {
	perl -e 'my ($n, $x) = @ARGV; my $s = "";
		for (1 .. $n) { $x = ($x * 1103515245 + 12345) & 0x7fffffff; $s .= chr(($x >> 16) & 255) }
		print $s' "$1" "$2"
}

# N lines of words drawn from a fixed list by an LCG with seed S.
random_words() {
	perl -e 'my ($n, $x) = @ARGV;
		my @w = qw(apple banana cherry delta echo foxtrot golf hotel india juliet kilo lima
			mango nectar oscar papa quebec romeo sierra tango umbrella victor whiskey xray
			yankee zulu Apple Zulu 42 007 foo bar foo-bar);
		for (1 .. $n) { $x = ($x * 1103515245 + 12345) & 0x7fffffff; print $w[($x >> 8) % @w], "\n" }' "$1" "$2"
}

d=$root/data
mkdir -p "$d/text" "$d/bin"
# Text with numbers, repeats, tabs, long and empty lines, for the line-oriented applets.
perl -e 'for my $i (1 .. 40) {
		printf "line %02d: %s\t%d%s\n", $i, ("alpha", "beta foo", "gamma", "delta foo bar")[$i % 4],
			$i * 37 % 101, $i % 7 == 0 ? " trailing  spaces  " : "";
		print "\n" if $i % 13 == 0;
	}
	print "x" x 300, "\n"' >"$d/text/lines.txt"
random_words 200 7 >"$d/text/words.txt"
sort "$d/text/words.txt" >"$d/text/sorted-words.txt"
perl -e 'my @c = qw(Oslo Lima Rome Kyiv Doha Bern);
	print "name,count,city\n";
	for my $i (1 .. 30) { printf "item%02d,%d,%s\n", $i, ($i * 7919) % 97 - 20, $c[$i % 6] }' >"$d/text/table.csv"
perl -e 'for my $i (1 .. 60) { print "common line $i\n" }' >"$d/text/a.txt"
perl -e 'for my $i (1 .. 60) { next if $i == 10 || $i == 11; print "common line $i\n";
	print "added after $i\n" if $i == 30; }
	print "new last line\n"' >"$d/text/b.txt"
perl -e 'for my $i (1 .. 50000) { printf "%06d %s\n", $i, $i % 3 ? "plain" : "fizz" }' >"$d/text/big.txt"
: >"$d/text/empty.txt"
printf 'no newline at the end' >"$d/text/nonl.txt"
printf 'caf\303\251 na\303\257ve \342\202\254 \001\002\177 end\n' >"$d/text/bytes.txt"
gzip -n -9 -c "$d/text/lines.txt" >"$d/text/lines.gz"
gzip -n -6 -c "$d/text/big.txt" >"$d/text/big.gz"

perl -e 'print map { chr } 0 .. 255' >"$d/bin/small.bin"
random_bytes 1048576 1 >"$d/bin/blob1m"
perl -e 'local $/; my $s = <STDIN>; substr($s, 500000, 3) = "XYZ"; substr($s, 1000000, 1) = "Q";
	print $s' <"$d/bin/blob1m" >"$d/bin/blob1m-mod"
random_bytes 10000 3 >"$d/bin/r10k"

# A tree for ls -R, tar, cp -r, find, du and diff -r: small, page-sized and larger files, an
# executable, a private file, a symlink, a dangling one, a hard link, nested and empty directories.
t=$d/tree
mkdir -p "$t/sub/deep/x/y" "$t/emptydir"
echo 'the tree of the file suite' >"$t/README"
printf 'a line\nanother line\n' >"$t/a.txt"
printf 'bee\n' >"$t/b.txt"
: >"$t/empty"
random_bytes 4096 11 >"$t/page.bin"
random_bytes 4097 12 >"$t/page1.bin"
random_bytes 100000 13 >"$t/big.bin"
printf '#!/bin/sh\necho hi\n' >"$t/exec.sh"
echo secret >"$t/private"
ln -s a.txt "$t/link"
ln -s nowhere "$t/dangling"
ln "$t/README" "$t/hard"
printf 'c\n' >"$t/sub/c.txt"
random_words 30 5 >"$t/sub/words"
echo deep >"$t/sub/deep/x/y/z.txt"
chmod 755 "$t/exec.sh"
chmod 600 "$t/private"
chmod 750 "$t/sub/deep"

# The same tree with one file changed, one gone and one added, for diff -r.
cp -a "$t" "$d/tree2"
echo 'changed' >>"$d/tree2/sub/c.txt"
rm "$d/tree2/b.txt"
echo 'only in tree2' >"$d/tree2/new.txt"

# The checksums md5sum -c checks (one line wrong on purpose).
md5sum "$d/text/lines.txt" "$d/bin/small.bin" "$d/tree/a.txt" | sed "s|  $d/|  /data/|" >"$d/sums.md5"
echo '00000000000000000000000000000000  /data/text/a.txt' >>"$d/sums.md5"

# ---- what the cases may change (one directory each, named after the case) ------------------------

w=$root/work
mkdir -p "$w/mv/dir" "$w/mv_dir/src/in" "$w/mv_into_self/src/in" "$w/tar_x" "$w/tar_xz" "$w/cp_a" "$w/rm_r/tree/a/b" "$w/rm_dir" "$w/rm_f/d" \
	"$w/rmdir/empty" "$w/touch" "$w/sed_i" "$w/cp_over" "$w/tar_x_over/tree"
echo moved >"$w/mv/file"
echo inside >"$w/mv_dir/src/in/f"
echo inside >"$w/mv_into_self/src/in/f"
for f in 1 2 3; do echo "$f" >"$w/rm_r/tree/a/b/$f"; done
ln -s b "$w/rm_r/tree/a/link"
echo x >"$w/rm_dir/keep"
echo x >"$w/rm_f/d/f"
echo old >"$w/touch/f"
cp "$d/text/lines.txt" "$w/sed_i/f"
echo old >"$w/cp_over/f"
echo 'old content' >"$w/tar_x_over/tree/a.txt"

# Fixed times, files and symlinks first, then directories (their own entries change theirs), and
# a few files with other dates for ls -t, find -newer and touch -r.
find "$root" -exec touch -h -d '2020-01-02 03:04:05' {} +
touch -d '2019-06-07 08:09:10' "$d/text/a.txt" "$t/a.txt" "$d/tree2/a.txt"
touch -d '2021-02-03 04:05:06' "$d/text/b.txt" "$t/big.bin" "$d/tree2/big.bin"
touch -d '2020-01-02 03:04:06' "$t/sub/deep/x/y/z.txt" "$d/tree2/sub/deep/x/y/z.txt"
find "$root" -type d -exec touch -d '2020-01-02 03:04:05' {} +

# The archives, from the tree as it now is (GNU tar, name order, numeric owner 0).
tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner -C "$d" -cf "$d/archive.tar" tree
gzip -n -9 -c "$d/archive.tar" >"$d/archive.tar.gz"
touch -d '2020-01-02 03:04:05' "$d/archive.tar" "$d/archive.tar.gz" "$d"

# ---- the stdin files ---------------------------------------------------------------------------

printf 'b\na\n' >"$inputs/ba"
: >"$inputs/empty"
cp "$d/bin/small.bin" "$inputs/bytes256"
random_bytes 1048576 21 >"$inputs/blob1m"
head -c 65536 "$inputs/blob1m" >"$inputs/blob64k"
cp "$d/text/lines.txt" "$inputs/lines"
cp "$d/text/words.txt" "$inputs/words"
cp "$d/text/lines.gz" "$inputs/lines.gz"
cp "$d/archive.tar" "$inputs/archive.tar"
printf 'one two\nthree\n\nfour five six\n' >"$inputs/short"
printf 'no newline' >"$inputs/nonl"
