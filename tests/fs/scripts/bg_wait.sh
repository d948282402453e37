# Background jobs and wait: statuses, several jobs, results gathered in files.
t=$(mktemp -d)
(exit 5) &
wait $!
echo "job status $?"
sleep 0.1 &
wait $!
echo "sleep status $?"
for i in 1 2 3 4; do (seq 1 $((i * 1000)) | wc -l >"$t/$i") & done
wait
cat "$t/1" "$t/2" "$t/3" "$t/4"
(sleep 0.2; echo late >"$t/late") &
p=$!
wait "$p"
cat "$t/late"
( sh -c 'exit 9' ) & q=$!
true & r=$!
wait $q; echo "q $?"
wait $r; echo "r $?"
wait
echo "wait with no jobs: $?"
rm -r "$t"
