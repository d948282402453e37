# The randomized differential test of the memory system calls (tests/system/mm-random.sh): the
# same seeds of user/mm_random on Linux and on SOS, compared byte for byte. Owned by kernel/mm.
# `make mm-random` runs MM_RANDOM_SEEDS seeds from MM_RANDOM_FIRST (the part of `make test`);
# `make fuzz-mm` runs FUZZ_SEEDS seeds, or else for FUZZ_SECONDS (default 600), from FUZZ_FIRST
# (default: a new start every second, printed so that a mismatch can be run again).
.PHONY: mm-random fuzz-mm

MM_RANDOM_FIRST ?= 1
MM_RANDOM_SEEDS ?= 300
FUZZ_SECONDS    ?= 600
FUZZ_FIRST      ?= $(shell date +%s)

mm-random: kernel user
	$(Q)BUILD=$(BUILD) tests/system/mm-random.sh $(MM_RANDOM_FIRST) $(MM_RANDOM_SEEDS)

fuzz-mm: kernel user
	$(Q)BUILD=$(BUILD) tests/system/mm-random.sh \
		$(if $(FUZZ_SEEDS),$(FUZZ_FIRST) $(FUZZ_SEEDS),-t $(FUZZ_SECONDS) $(FUZZ_FIRST))
