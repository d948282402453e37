# bash only: PIPESTATUS, lastpipe, BASHPID, wait -n (no process substitution: neither root has
# /dev/fd).
true | false | (exit 3) | true
echo "${PIPESTATUS[@]}"
yes | head -n 2 >/dev/null
echo "yes | head: ${PIPESTATUS[*]}"
cat /nothing 2>/dev/null | sort | wc -l
echo "${PIPESTATUS[0]} ${PIPESTATUS[2]}"
(exit 4)
echo "single: ${PIPESTATUS[*]}"
n=0
seq 1 5 | while read -r i; do n=$((n + i)); done
echo "without lastpipe: $n"
shopt -s lastpipe
seq 1 5 | while read -r i; do n=$((n + i)); done
echo "with lastpipe: $n"
mapfile -t arr <<<"$(sort -r /data/text/a.txt | head -n 3)"
echo "${#arr[@]}: ${arr[*]}"
( [ "$BASHPID" != "$$" ] && echo "a subshell has its own BASHPID" )
[ "$(echo $BASHPID)" != "$BASHPID" ] && echo "so has a substitution"
(exit 6) &
wait -n
echo "wait -n: $?"
