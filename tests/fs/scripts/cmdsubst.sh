# Command substitution: $(...), backquotes, nesting, trailing newlines, exit statuses.
n=$(wc -l </data/text/lines.txt)
echo "lines: $n"
echo "words: `sort -u /data/text/words.txt | wc -l`"
echo "nested: $(echo "$(echo "$(echo deep)")")"
echo "backquote nested: `echo \`echo inner\``"
x=$(printf 'a\n\n\n')
echo "[$x]"
x=$(false)
echo "status of a failed substitution: $?"
x=$(exit 7)
echo "status: $?"
set -- $(echo one two three)
echo "$# fields, second $2"
echo "arith $(( $(echo 6) * $(echo 7) ))"
y=$(cd /data/tree && pwd)
echo "$y, here $(pwd)"
echo "$(cat /data/text/nonl.txt)!"
