# sh -c nesting: $0 and arguments, quoting through levels, statuses passing up.
sh -c 'echo "$0 got $# args: $*"' zero one two
sh -c 'sh -c "echo level two: \$0 \$1" inner arg'
sh -c 'sh -c "sh -c \"echo level three\""'
sh -c 'sh -c "exit 7"; echo "inner exit $?"; exit 8'
echo "outer $?"
bash-static -c 'echo "bash in $0"' via-bash
sh -c 'bash-static -c "echo \${BASH_VERSINFO[0]} >/dev/null; echo bash inside sh"'
x=$(sh -c 'echo "$(sh -c "echo nested substitution")"')
echo "$x"
sh -c 'exec sh -c "echo exec chain; exit 3"'
echo "exec chain status $?"
echo 'echo from stdin; exit 2' | sh
echo "stdin script $?"
sh -c 'read -r l; echo "read <$l>"' <<EOF2
given line
EOF2
