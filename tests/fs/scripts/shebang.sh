# Scripts run by path through #!: sh, bash, options on the #! line, args, missing interpreters.
/scripts/bin/args one "two words" three
/scripts/bin/bash-args alpha beta
/scripts/bin/strict
echo "strict: $?"
/scripts/bin/noshebang word
echo "no #!: $?"
/scripts/bin/badinterp 2>/dev/null
echo "missing interpreter: $?"
/scripts/bin/notexec 2>/dev/null
echo "not executable: $?"
/scripts/bin/nothing 2>/dev/null
echo "missing: $?"
cd /scripts/bin && ./args relative
PATH=/scripts/bin:$PATH
args from-path
out=$(args captured | tr a-z A-Z)
echo "$out"
