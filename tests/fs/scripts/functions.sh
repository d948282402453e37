# Functions: arguments, locals, return statuses, recursion, in pipelines and substitutions.
greet() { echo "hello $1 ($# args)"; }
greet world extra
fact() { if [ "$1" -le 1 ]; then echo 1; else echo $(($1 * $(fact $(($1 - 1))))); fi; }
echo "10! = $(fact 10)"
g() { local v=local; echo "in g: $v"; return 3; }
v=global
g
echo "status $?, v $v"
count() { wc -l; }
seq 1 42 | count
upper() { tr a-z A-Z; }
echo piped | upper | upper
r=$(greet inside)
echo "captured: $r"
ok() { return 0; }; bad() { return 1; }
ok && echo "ok is true"
bad || echo "bad is false"
fib() { if [ $1 -lt 2 ]; then echo $1; return; fi; a=$(fib $(($1 - 1))); b=$(fib $(($1 - 2))); echo $((a + b)); }
echo "fib 12 = $(fib 12)"
