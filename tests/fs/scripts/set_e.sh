# set -e: a failing command ends the shell, except where a status is tested.
sh -c 'set -e; echo before; false; echo not reached'
echo "status $?"
sh -c 'set -e; false || echo "|| saves it"; if false; then :; else echo "if saves it"; fi; ! true; echo "! saves it"'
echo "status $?"
sh -c 'set -e; false | true; echo "pipeline status is the last"'
sh -c 'set -e; (exit 3); echo not reached'
echo "status $?"
sh -c 'set -e; f() { false; echo f goes on; }; f || echo f failed'
( set -e; cat /nothing 2>/dev/null; echo not reached )
echo "subshell status $?"
set -e
true
echo still here
x=$(false) || echo "failed substitution tested: $?"
grep -q nothing /data/text/lines.txt || echo "grep found nothing"
false
echo not reached
