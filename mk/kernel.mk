# The kernel: freestanding C11 and a little assembly, linked higher-half, flattened for QEMU's
# multiboot loader (kernel.bin) with the ELF kept for gdb (kernel.elf).

KCC      ?= gcc
KCFLAGS  := -std=c11 -ffreestanding -nostdinc -isystem $(shell $(KCC) -print-file-name=include) \
	    -Ikernel/lib/include -Ikernel -O2 -g -Wall -Wextra -Werror -Wvla-larger-than=8192 \
	    -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie -fno-stack-protector \
	    -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fcf-protection=none -MMD -MP
KLDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -z max-page-size=4096 -z noexecstack \
	    -T kernel/arch/x86_64/kernel.ld

KSRCS := $(wildcard kernel/*.c kernel/lib/*.c kernel/arch/x86_64/*.c kernel/arch/x86_64/*.S \
	   kernel/mm/*.c kernel/fs/*.c kernel/dev/*.c kernel/proc/*.c kernel/sys/*.c)
KOBJS := $(patsubst %,$(BUILD)/%.o,$(KSRCS))

.PHONY: kernel
kernel: $(BUILD)/kernel.bin

$(BUILD)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(Q)$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(Q)$(KCC) $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/kernel.elf: $(KOBJS) kernel/arch/x86_64/kernel.ld
	$(Q)$(KCC) $(KLDFLAGS) -o $@ $(KOBJS) -lgcc

$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	$(Q)objcopy -O binary $< $@

# QEMU halted with a gdb stub on GDB_PORT, and gdb attached with the kernel's symbols.
GDB_PORT ?= 1234
gdb: all
	bin/sos-run --gdb-port $(GDB_PORT) $(BUILD)/user/pt_test & \
	gdb -q -ex 'target remote localhost:$(GDB_PORT)' -ex 'break kmain' -ex continue $(BUILD)/kernel.elf

-include $(KOBJS:.o=.d)
