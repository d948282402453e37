# Redirections: > >> < 2>&1, fd 3, groups, order of redirections, errors.
t=$(mktemp -d)
echo one >"$t/f"
echo two >>"$t/f"
cat <"$t/f"
ls /nothing /data/tree/a.txt >"$t/both" 2>&1
echo "status $?"
cat "$t/both"
ls /nothing 2>&1 >/dev/null | wc -l
ls /nothing 2>/dev/null
echo "status $?"
exec 3>"$t/three"
echo "to fd 3" >&3
echo "again" >&3
exec 3>&-
cat "$t/three"
exec 3<"$t/f"
read -r a <&3
read -r b <&3
exec 3<&-
echo "$a+$b"
{ echo x; echo y >&2; echo z; } >"$t/g" 2>&1
cat "$t/g"
echo stderr line >&2
while read -r l; do echo "<$l>"; done <"$t/f"
: >"$t/f"
wc -c <"$t/f"
cat 2>/dev/null <"$t/missing"
echo "status $?"
rm -r "$t"
