# System tests: every case in tests/system/cases on SOS (bin/sos-run) and on Linux, compared.
# Owned by the user/tests part. SOS_RUN overrides the runner; SYSTEM_TEST_ARGS picks cases (e.g.
# 'kill_*') or sets -j N; system-selftest checks the harness alone against a native stand-in and
# says nothing about SOS.

.PHONY: system-test system-selftest
system-test: kernel user
	$(Q)BUILD=$(BUILD) tests/system/run.sh $(SYSTEM_TEST_ARGS)

system-selftest: user
	$(Q)BUILD=$(BUILD) tests/system/run.sh --self-test $(SYSTEM_TEST_ARGS)
