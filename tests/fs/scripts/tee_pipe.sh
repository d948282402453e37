# tee, head closing a pipe early, yes, SIGPIPE on the writer.
t=$(mktemp)
seq 1 5 | tee "$t" | wc -l
cat "$t"
yes | head -n 3
yes abc | head -c 10; echo
seq 1 100000 | head -n 1
cat /data/text/big.txt | head -n 2
seq 1 3 | tee /dev/null | tee -a "$t" >/dev/null
wc -l <"$t"
(yes; echo "after yes $?" >&2) 2>"$t" | head -n 1
cat "$t"
rm "$t"
