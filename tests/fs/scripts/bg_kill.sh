# kill of background jobs: TERM, KILL, HUP, kill -0, statuses seen by wait. The shells' notes on
# stderr name pids and come whenever the shell reaps the job: before wait if the child died first,
# which is a race on either kernel. So each kill and its wait share one redirection.
sleep 10 &
p=$!
kill -0 $p && echo "alive"
{ kill $p; wait $p; } 2>/dev/null
echo "TERM: $?"
sleep 10 & p=$!
{ kill -KILL $p; wait $p; } 2>/dev/null
echo "KILL: $?"
sleep 10 & p=$!
{ kill -s HUP $p; wait $p; } 2>/dev/null
echo "HUP: $?"
sh -c 'trap "echo caught TERM; exit 3" TERM; echo ready; while :; do sleep 0.05; done' >"/tmp/bg_kill.$$" &
p=$!
until [ -s "/tmp/bg_kill.$$" ]; do sleep 0.05; done
kill -TERM $p
wait $p
echo "trapped: $?"
cat "/tmp/bg_kill.$$"
rm "/tmp/bg_kill.$$"
kill -0 $p 2>/dev/null || echo "gone"
