# The runner's and the harnesses' own checks: quick, and booting nothing but a few hellos. Owned
# by the user/tests part.
#
#   make runner-test    tests/runner/run.sh: the runners' contract (options checked up front, their
#                       statuses, no hang without QEMU, nothing left when killed, BUILD honoured),
#                       for bin/sos-run and bin/linux-run; RUNNER=PATH checks one runner alone
#   make harness-test   tests/harness/run.sh: the system tests, fuzz-boot and test-all fail against
#                       a stub runner faking the answers of a broken or absent SOS
.PHONY: runner-test harness-test

RUNNERS := $(or $(RUNNER),bin/sos-run bin/linux-run)

runner-test: kernel user oracle
	$(Q)for r in $(RUNNERS); do BUILD=$(BUILD) tests/runner/run.sh $$r || exit 1; done

harness-test: user elf-corpus
	$(Q)BUILD=$(BUILD) tests/harness/run.sh
