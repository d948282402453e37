# Pipelines with builtins and compound commands on either side, and stdin passed down.
{ echo b; echo a; } | sort
for i in 3 1 2; do echo $i; done | sort -n | tr '\n' ' '; echo
if true; then echo yes; fi | tr y Y
case x in x) echo matched ;; esac | wc -c
echo hello | { read -r w; echo "got $w"; }
echo hello | (cat; echo sub)
printf 'z\ny\n' | sh -c 'sort'
printf '1 2\n3 4\n' | awk '{ print $1 + $2 }' | paste -sd, -
echo x | true
echo "status $?"
