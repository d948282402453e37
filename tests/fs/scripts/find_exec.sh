# find -exec with ; and +, and find into a pipeline.
find /data/tree -name '*.txt' -exec cat {} \;
find /data/tree -type f -name '*.txt' -exec wc -l {} + | sort
find /data/tree -type f -exec md5sum {} \; | sort | head -n 4
find /data/tree -type d | sort
find /data/tree -type f -exec sh -c 'echo "$(basename "$1"): $(wc -c <"$1")"' sh {} \; | sort
find /data/tree -name nothing -exec echo never {} \;
find /data/tree -type l -exec test -e {} \; -print | sort
