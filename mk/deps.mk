# Debian packages the build and the tests need; installed only when missing.
deps:
	$(Q)tools/deps.sh
