# SOS: build the kernel and the user programs, run the demonstration, the tests and the benchmarks.
# Each part keeps its rules in mk/; `make test` is what CI runs.

BUILD ?= build
Q ?= @

.PHONY: all run test bench deps format format-check lint clean gdb
all: kernel user oracle

include mk/deps.mk
include mk/kernel.mk
include mk/user.mk
include mk/oracle.mk
include mk/unit.mk
include mk/system.mk
include mk/fs.mk
include mk/bench.mk
include mk/fuzz.mk
include mk/mmrandom.mk
include mk/runner.mk

# The seed's demonstration: pt_test on SOS.
run: deps all
	bin/sos-run $(BUILD)/user/pt_test

test: deps all
	$(Q)tools/test-all.sh

# format-check and lint end with "format: N passed, N failed" and "lint: ..." (files checked):
# tools/test-all.sh expects every file (its counts: git's *.c and *.h; the *.c of LINT_SRCS).
SRCS_FMT = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
LINT_SRCS = kernel user oracle tests/unit bench fuzz/fuzz_mm.c
format:
	clang-format -i $(SRCS_FMT)

format-check:
	$(Q)tools/style.sh format $(SRCS_FMT)

lint:
	$(Q)tools/style.sh lint --enable=warning,portability,performance \
		--inline-suppr --std=c11 -Ikernel -Ikernel/lib/include -D__x86_64__ \
		-D'TestSuite(...)=' -D'Test(s,n,...)=void test_\#\#s\#\#_\#\#n(void)' \
		$(LINT_SRCS)

clean:
	rm -rf $(BUILD)
