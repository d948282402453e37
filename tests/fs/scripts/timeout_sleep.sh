# sleep and timeout: a command killed on time, a command that finishes first.
sleep 0.1; echo "slept $?"
{ timeout 0.3 sleep 5; } 2>/dev/null; echo "timeout: $?"
{ timeout -s KILL 0.3 sleep 5; } 2>/dev/null; echo "timeout KILL: $?"
timeout 5 sh -c 'exit 3'; echo "finished first: $?"
timeout 5 true; echo "true: $?"
