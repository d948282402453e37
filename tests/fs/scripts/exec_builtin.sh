# exec: replacing the shell, and redirecting the shell's own descriptors.
sh -c 'exec echo replaced; echo not reached'
echo "status $?"
sh -c 'exec sh -c "exit 4"'
echo "status $?"
(exec cat /data/tree/b.txt)
t=$(mktemp)
sh -c 'exec >"$1"; echo into the file; echo second' sh "$t"
cat "$t"
sh -c 'exec 4<"$1"; read -r l <&4; echo "fd 4: $l"; exec 4<&-; read -r l <&4' sh "$t" 2>/dev/null
echo "after close: $?"
sh -c 'exec /nothing; echo survives' 2>/dev/null
echo "exec of nothing: $?"
exec 5>"$t"
echo via five >&5
exec 5>&-
cat "$t"
rm "$t"
exec sh -c 'echo last words of the script'
echo not reached
