# read loops over a file and over a pipe: fields, IFS, raw lines, and what a pipe's subshell keeps.
n=0
while IFS= read -r line; do n=$((n + 1)); done </data/text/lines.txt
echo "file lines $n"
while IFS=, read -r name count city; do [ "$city" = Oslo ] && echo "$name $count"; done </data/text/table.csv
n=0
grep foo /data/text/lines.txt | while read -r a b c; do n=$((n + 1)); echo "$n: $b $c"; done | tail -n 2
echo "n after the pipe: $n"
sort /data/text/words.txt | uniq -c | while read -r c w; do [ "$c" -ge 9 ] && echo "$w $c"; done
printf 'a b\n c d \n' | while read -r x y; do echo "[$x|$y]"; done
printf 'no newline' | { read -r l; echo "read status $?, got [$l]"; }
seq 1 3 | { read -r a; read -r b; echo "$a,$b,$(cat)"; }
find /data/tree -type f | sort | while read -r f; do printf '%s %s\n' "$(wc -c <"$f")" "${f##*/}"; done
