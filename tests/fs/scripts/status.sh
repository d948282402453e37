# Exit statuses: $?, pipelines, !, pipefail, exit from sh -c, commands not found.
true; echo "true $?"
false; echo "false $?"
false | true; echo "false | true: $?"
true | false; echo "true | false: $?"
! true; echo "! true: $?"
! false | false; echo "! pipeline: $?"
sh -c 'exit 42'; echo "exit 42: $?"
sh -c 'exit 300'; echo "exit 300: $?"
sh -c 'kill -TERM $$' 2>/dev/null; echo "killed by TERM: $?"
{ sh -c 'kill -KILL $$'; } 2>/dev/null; echo "killed by KILL: $?"
/nothing/here 2>/dev/null; echo "not found: $?"
/data/tree/README 2>/dev/null; echo "not executable: $?"
set -o pipefail
false | true; echo "pipefail false | true: $?"
(exit 3) | (exit 5) | true; echo "pipefail 3 5 0: $?"
set +o pipefail
(exit 3) | (exit 5); echo "no pipefail: $?"
cat /nothing 2>/dev/null | wc -l; echo "after: $?"
