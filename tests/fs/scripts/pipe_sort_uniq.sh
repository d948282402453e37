# Pipelines of busybox applets: sort, uniq -c, head, wc over the word list.
sort /data/text/words.txt | uniq -c | sort -k1,1nr -k2 | head -n 6
sort -u /data/text/words.txt | wc -l
sort /data/text/words.txt | uniq -d | wc -l
cat /data/text/words.txt | sort -r | uniq | tail -n 3
