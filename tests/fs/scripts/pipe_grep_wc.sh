# grep, wc, tr and head in pipelines, including a long one and a large stream.
grep foo /data/text/lines.txt | wc -l
grep -v foo /data/text/lines.txt | grep -c line
cat /data/text/big.txt | grep fizz | wc -l
tr a-z A-Z </data/text/lines.txt | head -n 3
cat /data/text/lines.txt | cat | cat | cat | tr -d 0-9 | sort | uniq | wc -l
grep nothing-like-this /data/text/lines.txt | wc -c
