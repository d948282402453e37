# . (source) and eval, with a library of functions, and command -v.
. /scripts/bin/lib.sh
libfn lib-arg
echo "LIBVAR=$LIBVAR"
cmd='echo "evaluated $((1 + 2))"'
eval "$cmd"
eval 'for i in 1 2; do echo "eval loop $i"; done'
v=$(eval 'echo "$(echo inner eval)"')
echo "$v"
command -v sort >/dev/null && echo "sort is found"
command -v libfn
