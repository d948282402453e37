# Subshells: variables, directories, traps and exits do not leak out.
x=outer
( x=inner; cd /data/tree; echo "in: $x $(pwd)"; exit 3 )
echo "status $?, out: $x $(pwd)"
(echo b; echo a; echo c) | sort
( ( ( echo three levels; exit 4 ) ; echo "inner status $?" ; exit 5 ) )
echo "outer status $?"
{ echo group; x=changed; }
echo "a group is not a subshell: $x"
(umask 077; umask)
umask
(set -- a b c; echo "$#")
echo "$#"
v=$( (echo from; echo subshell) | wc -l)
echo "$v"
