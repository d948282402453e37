# Named pipes: a background writer meets the reader (whichever opens first waits), a read loop
# on a FIFO, exec opening one both ways (which never waits), and the links of /proc/self/fd
# reopening a deleted file and a pipe.
d=$(mktemp -d)
mkfifo "$d/f"
ls -l "$d" | cut -c1-10
[ -p "$d/f" ] && echo "a FIFO"
seq 1 3 >"$d/f" &
wc -l <"$d/f"
wait
(echo one; echo two) >"$d/f" &
while read -r l; do echo "got $l"; done <"$d/f"
wait
exec 3<>"$d/f"
echo through >&3
read -r x <&3
echo "$x"
exec 3>&-
echo kept >"$d/g"
exec 4<"$d/g"
rm "$d/g"
cat /proc/self/fd/4
exec 4<&-
echo piped | cat /proc/self/fd/0
rm -r "$d"
echo done
