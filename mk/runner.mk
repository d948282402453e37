# The runner's own checks: quick, and booting nothing but a few hellos. Owned by the user/tests part.
#
#   make runner-test    tests/runner/run.sh: bin/sos-run's contract (options checked up front, its
#                       statuses, no hang without QEMU, nothing left when killed, BUILD honoured);
#                       RUNNER=PATH checks another runner with the same script
.PHONY: runner-test

RUNNER ?= bin/sos-run

runner-test: kernel user
	$(Q)BUILD=$(BUILD) tests/runner/run.sh $(RUNNER)
