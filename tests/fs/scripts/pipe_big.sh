# Large streams through pipes: several pipe buffers' worth, checked by checksum and count.
cat /data/text/big.txt | sed s/fizz/buzz/ | md5sum
cat /data/bin/blob1m | cat | md5sum
md5sum </data/bin/blob1m
grep -c buzz /data/text/big.txt
cat /data/text/big.txt | awk '$2 == "fizz" { n++ } END { print n }'
seq 1 100000 | tail -n 1
