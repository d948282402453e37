# Many short-lived processes: substitutions and pipelines in a loop.
i=0; s=0
while [ $i -lt 150 ]; do s=$(( s + $(echo $i | wc -c) )); i=$((i + 1)); done
echo "sum $s"
for i in $(seq 1 30); do echo $i | sed 's/^/n/' | tr n N; done | tail -n 2
for i in $(seq 1 20); do (exit $((i % 4))); echo -n "$? "; done; echo
