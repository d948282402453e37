# xargs: batching, -n, -I, from find, with a failing command.
seq 1 20 | xargs echo
seq 1 10 | xargs -n 3 echo
printf 'a\nb\nc\n' | xargs -I{} echo "item {} done"
find /data/tree -type f -name '*.txt' | sort | xargs wc -c
echo /data/tree/a.txt /data/tree/b.txt | xargs cat
printf '%s\n' /nothing /data/tree/b.txt | xargs cat 2>/dev/null
echo "status $?"
seq 1 5 | xargs -n 1 sh -c 'echo $(($0 * $0))'
echo | xargs echo empty:
