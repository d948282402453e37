# The ELF loader's checks (kernel/proc/elf.c): host unit tests, the corpus of hand-made defects, the
# libFuzzer target, and mutated binaries booted in QEMU. Owned by the ELF/fuzz part.
#
#   make elf-test      Criterion tests of elf_check under ASan/UBSan (tests/elf/)
#   make elf-corpus    $(BUILD)/elf-corpus/: the tiny executable, hello, and each with every defect
#                      (the fuzzer's seeds; the system tests' refuse cases: system-test needs it),
#                      and $(BUILD)/elf/elf-check FILE..., the checker as a host command
#   make fuzz-elf      libFuzzer for FUZZ_SECONDS (default 600), or FUZZ_RUNS inputs if set, over
#                      FUZZ_JOBS processes (default 1); the corpus grows in $(BUILD)/fuzz/corpus
#   make fuzz-mm-model libFuzzer over kernel/mm: call sequences against the page model of
#                      tests/unit/mm_model.c (fuzz/fuzz_mm.c; evictions to a fake swap disk are calls
#                      too), FUZZ_SECONDS or FUZZ_RUNS as fuzz-elf;
#                      the corpus grows in $(BUILD)/fuzz-mm-model/corpus
#   make fuzz-smoke    elf-test, then each fuzzer for SMOKE_SECONDS (default 20): what `make test` runs
#   make fuzz-boot     the corpus's valid and odd files, then FUZZ_BOOT_N (default 50) mutants of hello,
#                      booted in SOS (fuzz/boot-mutants.sh; FUZZ_BOOT_ARGS adds its options, e.g.
#                      "-s 7" or "--from build/fuzz/corpus")
.PHONY: elf-test elf-corpus fuzz-elf fuzz-mm-model fuzz-smoke fuzz-boot

BUILD         ?= build
Q             ?= @
ELF_DIR       := $(BUILD)/elf
ELF_CORPUS    := $(BUILD)/elf-corpus
FUZZ_DIR      := $(BUILD)/fuzz
ELF_CC        ?= gcc
ELF_CFLAGS    := -std=c11 -D_DEFAULT_SOURCE -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror -Ikernel -Itests/elf
FUZZ_CC       ?= clang
FUZZ_CFLAGS   := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Ikernel -Itests/elf
FUZZ_SECONDS  ?= 600
FUZZ_RUNS     ?=
FUZZ_JOBS     ?= 1
SMOKE_SECONDS ?= 20
FUZZ_BOOT_N   ?= 50

ELF_SRC       := kernel/proc/elf.c
ELF_HDRS      := kernel/proc/elf.h kernel/mm/layout.h kernel/mm/region.h kernel/mm/types.h \
	tests/elf/elfgen.h tests/elf/invariants.h
ELF_TEST_BIN  := $(ELF_DIR)/elf-tests
MKCORPUS      := $(ELF_DIR)/mkcorpus
ELF_CHECK     := $(ELF_DIR)/elf-check
FUZZ_BIN      := $(FUZZ_DIR)/fuzz_elf
ELF_CORPUS_OK := $(ELF_CORPUS)/.done
# The real programs the tests and the fuzzer start from.
ELF_REAL      := $(USER_PROGS)

# The kernel/mm fuzzer: the pager and the model built as the unit tests build them, with libFuzzer.
FUZZ_MM_DIR    := $(BUILD)/fuzz-mm-model
FUZZ_MM_BIN    := $(FUZZ_MM_DIR)/fuzz_mm
FUZZ_MM_CFLAGS := $(filter-out -Itests/elf,$(FUZZ_CFLAGS)) -Itests/unit
FUZZ_MM_SRCS   := fuzz/fuzz_mm.c tests/unit/mm_model.c tests/unit/mm_model_check.c \
	tests/unit/mm_model_mremap.c tests/unit/mm_model_swap.c tests/unit/swap_fake.c \
	tests/unit/hal_host.c \
	$(wildcard kernel/mm/*.c)

$(ELF_TEST_BIN): tests/elf/test_elf.c tests/elf/elfgen.c tests/elf/invariants.c $(ELF_SRC) \
		$(ELF_HDRS) mk/fuzz.mk
	@mkdir -p $(dir $@)
	$(Q)$(ELF_CC) $(ELF_CFLAGS) $(filter %.c,$^) -o $@ -lcriterion

$(MKCORPUS): tests/elf/mkcorpus.c tests/elf/elfgen.c $(ELF_HDRS) mk/fuzz.mk
	@mkdir -p $(dir $@)
	$(Q)$(ELF_CC) $(ELF_CFLAGS) $(filter %.c,$^) -o $@

$(ELF_CHECK): tests/elf/elfcheck.c tests/elf/elfgen.c $(ELF_SRC) $(ELF_HDRS) mk/fuzz.mk
	@mkdir -p $(dir $@)
	$(Q)$(ELF_CC) $(ELF_CFLAGS) $(filter %.c,$^) -o $@

$(FUZZ_BIN): fuzz/fuzz_elf.c tests/elf/invariants.c $(ELF_SRC) $(ELF_HDRS) mk/fuzz.mk
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@

$(FUZZ_MM_BIN): $(FUZZ_MM_SRCS) $(wildcard kernel/mm/*.h) tests/unit/host.h tests/unit/mm_model.h \
		tests/unit/swap_fake.h mk/fuzz.mk
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_MM_CFLAGS) $(filter %.c,$^) -o $@

elf-test: $(ELF_TEST_BIN) $(ELF_REAL)
	$(Q)ELF_TEST_BINARIES="$(ELF_REAL)" $(ELF_TEST_BIN) --jobs=$${ELF_TEST_JOBS:-0}

$(ELF_CORPUS_OK): $(MKCORPUS) $(BUILD)/user/hello
	$(Q)rm -rf $(ELF_CORPUS)
	$(Q)$(MKCORPUS) $(ELF_CORPUS) $(BUILD)/user/hello
	$(Q)touch $@

elf-corpus: $(ELF_CORPUS_OK) $(ELF_CHECK)

# The system tests refuse files of the corpus (a stand-in may use elf-check).
system-test system-selftest: elf-corpus

# FUZZ_ARGS adds libFuzzer options; new inputs go to the first directory, seeds come from all.
fuzz-elf: $(FUZZ_BIN) $(ELF_CORPUS_OK) $(ELF_REAL)
	$(Q)mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	$(Q)cd $(FUZZ_DIR) && ./fuzz_elf -dict=$(CURDIR)/fuzz/elf.dict -artifact_prefix=artifacts/ \
		$(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) \
		$(if $(FUZZ_RUNS),-runs=$$(( $(FUZZ_RUNS) / $(FUZZ_JOBS) )),-max_total_time=$(FUZZ_SECONDS)) \
		$(FUZZ_ARGS) corpus $(abspath $(ELF_CORPUS) $(BUILD)/user)

# Inputs are four bytes a call; -max_len lets libFuzzer reach fuzz_mm.c's MAX_OPS calls.
fuzz-mm-model: $(FUZZ_MM_BIN)
	$(Q)mkdir -p $(FUZZ_MM_DIR)/corpus $(FUZZ_MM_DIR)/artifacts
	$(Q)cd $(FUZZ_MM_DIR) && ./fuzz_mm -max_len=1024 -artifact_prefix=artifacts/ \
		$(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) \
		$(if $(FUZZ_RUNS),-runs=$$(( $(FUZZ_RUNS) / $(FUZZ_JOBS) )),-max_total_time=$(FUZZ_SECONDS)) \
		$(FUZZ_ARGS) corpus

fuzz-smoke: $(FUZZ_BIN) $(FUZZ_MM_BIN) $(ELF_TEST_BIN) $(ELF_CORPUS_OK) $(ELF_REAL)
	$(Q)BUILD=$(BUILD) SMOKE_SECONDS=$(SMOKE_SECONDS) ELF_TEST_BINARIES="$(ELF_REAL)" \
		fuzz/smoke.sh

fuzz-boot: kernel $(BUILD)/user/hello $(ELF_CORPUS_OK)
	$(Q)BUILD=$(BUILD) fuzz/boot-mutants.sh -n $(FUZZ_BOOT_N) --odd $(ELF_CORPUS) \
		$(FUZZ_BOOT_ARGS) $(BUILD)/user/hello

# The system-call fuzzer (user/fuzz_sys.c and user/fuzz_sys/: its generators and its table of
# calls), one program of several files, booted in SOS by fuzz/sys.sh.
#   make fuzz-sys        boots for FUZZ_SECONDS (default 600), several seeds a boot with --repeat;
#                        FUZZ_SEED (default: the time), FUZZ_FAIL (a --fail SPEC for every boot,
#                        auto (the default): every other boot a random SPEC, or empty: none),
#                        FUZZ_SWAP (auto, the default: every other pair of boots in 64 MiB with
#                        swap and a process writing 64 MiB beside the workers; yes; no);
#                        a failure keeps its seed, output and a minimal list of calls in
#                        $(BUILD)/fuzz-sys/
#   make fuzz-sys-smoke  nine boots of three seeds from seed 1 (about a minute): make test's
.PHONY: fuzz-sys fuzz-sys-smoke
FUZZ_SYS_SRCS := user/fuzz_sys.c $(wildcard user/fuzz_sys/*.c)
FUZZ_SEED ?=
FUZZ_FAIL ?= auto
FUZZ_SWAP ?= auto

$(BUILD)/user/fuzz_sys: $(FUZZ_SYS_SRCS) user/fuzz_sys/fuzz.h mk/fuzz.mk | $(BUILD)/user
	@echo "  USERCC  $@"
	$(Q)$(USER_CC) $(USER_CFLAGS) -Iuser -o $@ $(FUZZ_SYS_SRCS)

fuzz-sys: kernel $(BUILD)/user/fuzz_sys
	$(Q)BUILD=$(BUILD) FUZZ_FAIL=$(FUZZ_FAIL) FUZZ_SWAP=$(FUZZ_SWAP) fuzz/sys.sh -t $(FUZZ_SECONDS) \
		$(if $(FUZZ_SEED),-s $(FUZZ_SEED))

# Nine boots of three seeds, every other one with a random --fail, four with swap (about a
# minute; runs of 8 s at most); a failure is minimized in 3 trials at most.
fuzz-sys-smoke: kernel $(BUILD)/user/fuzz_sys
	$(Q)BUILD=$(BUILD) FUZZ_FAIL=$(FUZZ_FAIL) FUZZ_SWAP=$(FUZZ_SWAP) fuzz/sys.sh -b 9 -r 3 -s 1 -l 8 --trials 3
