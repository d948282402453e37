# Host unit tests of kernel/mm and of the cpio parser: the pager built with the host compiler
# against fake physical memory (tests/unit/hal_host.c), under AddressSanitizer and UBSan, run with
# Criterion.
.PHONY: unit-test

BUILD       ?= build
Q           ?= @
UNIT_DIR    := $(BUILD)/unit
UNIT_CC     ?= gcc
UNIT_CFLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Ikernel -Itests/unit -MMD -MP
UNIT_SRCS   := $(wildcard kernel/mm/*.c) kernel/fs/cpio.c $(wildcard tests/unit/*.c)
UNIT_OBJS   := $(patsubst %.c,$(UNIT_DIR)/%.o,$(UNIT_SRCS))
UNIT_BIN    := $(UNIT_DIR)/mm-tests

$(UNIT_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS)
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) $^ -o $@ -lcriterion

unit-test: $(UNIT_BIN)
	$(Q)ASAN_OPTIONS=detect_leaks=1 $(UNIT_BIN) --jobs=$${UNIT_JOBS:-0}

-include $(UNIT_OBJS:.o=.d)
