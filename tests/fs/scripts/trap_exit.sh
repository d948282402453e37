# trap ... EXIT: at the end of the script, in subshells, in sh -c, removed with trap -.
trap 'echo "exit trap, status $?"' EXIT
( trap 'echo subshell trap' EXIT; echo in subshell )
( trap 'echo exit 4 trap' EXIT; exit 4 )
echo "subshell status $?"
sh -c 'trap "echo child trap" EXIT; echo child'
sh -c 'trap "echo removed" EXIT; trap - EXIT; echo no trap'
x=$(trap 'echo captured trap' EXIT; echo body)
echo "[$x]"
sh -c 'trap "echo trap sees \$?" EXIT; false'
echo "sh -c status $?"
echo main ends
exit 6
