# Compression and archives through pipes.
gzip -c </data/text/lines.txt | gunzip | md5sum
md5sum </data/text/lines.txt
gunzip -c /data/text/big.gz | wc -l
tar -cf - -C /data tree | tar -tf - | sort
zcat /data/archive.tar.gz | tar -tvf - | wc -l
