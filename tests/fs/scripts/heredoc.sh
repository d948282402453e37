# Here-documents: unquoted (expanded), quoted (literal), <<- and into pipelines, a large one.
name=world
cat <<EOT
hello $name
sum $((2 + 3)) and $(echo substituted)
escaped \$name
EOT
cat <<'EOT'
literal $name $(echo not run) `neither`
EOT
cat <<-EOT
	tabs are stripped
		all leading tabs
	EOT
sort <<EOT | head -n 2
pear
apple
fig
EOT
wc -l <<EOT
$(seq 1 20000)
EOT
tr a-z A-Z <<EOT; echo after
shout $name
EOT
f() { cat; }
f <<EOT
to a function
EOT
