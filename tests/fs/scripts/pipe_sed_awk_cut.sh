# cut, sed and awk in pipelines over a table.
cut -d, -f1,3 /data/text/table.csv | sed 1d | head -n 4
sed 1d /data/text/table.csv | cut -d, -f3 | sort | uniq -c
awk -F, 'NR > 1 { s[$3] += $2 } END { for (c in s) print c, s[c] }' /data/text/table.csv | sort
sed -n 's/^line \([0-9]*\):.*foo.*/\1/p' /data/text/lines.txt | tr '\n' ' ' | sed 's/ $/\n/'
awk '{ print length($0) }' /data/text/lines.txt | sort -n | tail -n 2
