# Benchmarks: every bench/NAME.c but host_fault.c and refsim_main.c becomes the static musl
# program $(BUILD)/bench/NAME, run on SOS and on the oracle Linux (bin/linux-run) in the same QEMU
# by bench/run.sh, which prints the table (zero also runs natively: the machine's floor).
# host_fault is kernel/mm built for the host (kernel-like flags) with the unit tests' fake-RAM hal,
# for callgrind instruction counts and memory overhead. refsim is the swap benchmark's simulator
# (OPT, LRU and kernel/mm's policies on bench/swap.c's reference strings), for the host; `make
# bench-swap` runs the swap benchmark alone (bench/swap.sh). Benchmarks never fail on a number.

.PHONY: bench bench-build bench-swap

BENCH_DIR     := $(BUILD)/bench
BENCH_CC      ?= musl-gcc
BENCH_CFLAGS  ?= -static -O2 -g -Wall -Wextra -Werror
BENCH_SRCS    := $(filter-out bench/host_fault.c bench/refsim_main.c,$(wildcard bench/*.c))
BENCH_PROGS   := $(patsubst bench/%.c,$(BENCH_DIR)/%,$(BENCH_SRCS))

# kernel/mm as the kernel compiles it (freestanding, no SSE, -O2), but for the host's ABI.
BENCH_HOST_CC     ?= gcc
BENCH_MM_CFLAGS   := -std=c11 -O2 -g -ffreestanding -fno-omit-frame-pointer -mgeneral-regs-only \
		     -fno-pic -fno-pie -fno-stack-protector -fcf-protection=none \
		     -Wall -Wextra -Werror -Ikernel -MMD -MP
BENCH_HOST_CFLAGS := -std=c11 -O2 -g -fno-pie -Wall -Wextra -Werror -Ikernel -Itests/unit -MMD -MP
BENCH_MM_OBJS     := $(patsubst kernel/mm/%.c,$(BENCH_DIR)/mm/%.o,$(wildcard kernel/mm/*.c))
BENCH_HOST_OBJS   := $(BENCH_DIR)/host/host_fault.o $(BENCH_DIR)/host/hal_host.o

bench: deps kernel oracle bench-build
	$(Q)BUILD=$(BUILD) bench/run.sh

bench-build: $(BENCH_PROGS) $(BENCH_DIR)/host_fault $(BENCH_DIR)/refsim

bench-swap: deps kernel oracle bench-build
	$(Q)BUILD=$(BUILD) bench/swap.sh

$(BENCH_DIR)/%: bench/%.c bench/bench.h bench/swapref.h mk/bench.mk
	@mkdir -p $(dir $@)
	@echo "  BENCHCC $@"
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH_DIR)/mm/%.o: kernel/mm/%.c mk/bench.mk
	@mkdir -p $(dir $@)
	$(Q)$(BENCH_HOST_CC) $(BENCH_MM_CFLAGS) -c $< -o $@

$(BENCH_DIR)/host/host_fault.o: bench/host_fault.c mk/bench.mk
	@mkdir -p $(dir $@)
	$(Q)$(BENCH_HOST_CC) $(BENCH_HOST_CFLAGS) -c $< -o $@

$(BENCH_DIR)/host/hal_host.o: tests/unit/hal_host.c mk/bench.mk
	@mkdir -p $(dir $@)
	$(Q)$(BENCH_HOST_CC) $(BENCH_HOST_CFLAGS) -c $< -o $@

$(BENCH_DIR)/host_fault: $(BENCH_HOST_OBJS) $(BENCH_MM_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(BENCH_HOST_CC) -no-pie -o $@ $^

$(BENCH_DIR)/refsim: bench/refsim_main.c bench/swapref.h tests/unit/refsim.c tests/unit/refsim.h \
		    kernel/mm/evict.c kernel/mm/evict.h mk/bench.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(BENCH_HOST_CC) -std=c11 -O2 -g -Wall -Wextra -Werror -Ikernel -Itests/unit -o $@ \
		bench/refsim_main.c tests/unit/refsim.c kernel/mm/evict.c

-include $(BENCH_MM_OBJS:.o=.d) $(BENCH_HOST_OBJS:.o=.d)
