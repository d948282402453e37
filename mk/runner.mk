# The runner's and the harnesses' own checks: quick, and booting nothing but a few hellos. Owned
# by the user/tests part.
#
#   make runner-test    tests/runner/run.sh: bin/sos-run's contract (options checked up front, its
#                       statuses, no hang without QEMU, nothing left when killed, BUILD honoured);
#                       RUNNER=PATH checks another runner with the same script
#   make harness-test   tests/harness/run.sh: the system tests, fuzz-boot and test-all fail against
#                       a stub runner faking the answers of a broken or absent SOS
.PHONY: runner-test harness-test

RUNNER ?= bin/sos-run

runner-test: kernel user
	$(Q)BUILD=$(BUILD) tests/runner/run.sh $(RUNNER)

harness-test: user elf-corpus
	$(Q)BUILD=$(BUILD) tests/harness/run.sh
