# User programs: every user/NAME.c becomes the static musl executable $(BUILD)/user/NAME.
# Owned by the user/tests part; the same binaries run on Linux and on SOS.

USER_CC     ?= musl-gcc
USER_CFLAGS ?= -static -O2 -g -Wall -Wextra -Werror
USER_SRCS   := $(wildcard user/*.c)
USER_PROGS  := $(patsubst user/%.c,$(BUILD)/user/%,$(USER_SRCS))

.PHONY: user
user: $(USER_PROGS)

$(BUILD)/user/%: user/%.c $(wildcard user/include/*.h) mk/user.mk | $(BUILD)/user
	@echo "  USERCC  $@"
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/user:
	$(Q)mkdir -p $@
