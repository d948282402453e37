# Loops: for, while, until, break, continue, nested, over command output.
for i in 1 2 3; do printf '%s ' "$i"; done; echo
for w in $(head -n 3 /data/text/words.txt); do echo "word $w"; done
i=0
while [ $i -lt 5 ]; do i=$((i + 1)); [ $i -eq 2 ] && continue; [ $i -eq 4 ] && break; echo "while $i"; done
until [ $i -le 0 ]; do i=$((i - 1)); done; echo "until ended at $i"
for a in x y; do for b in 1 2 3; do [ $b = 3 ] && continue 2; echo "$a$b"; done; done
n=0
for f in /data/tree/*; do n=$((n + 1)); done; echo "$n entries"
for i in $(seq 1 10); do echo $i; done | paste -sd+ - | tr -d '\n'; echo
total=0
for i in $(seq 1 100); do total=$((total + i)); done; echo "total $total"
k=0; while :; do k=$((k + 1)); [ $k -ge 1000 ] && break; done; echo "spun $k"
