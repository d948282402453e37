# User programs: every user/NAME.c becomes the static musl executable $(BUILD)/user/NAME.
# Owned by the user/tests part; the same binaries run on Linux and on SOS.

USER_CC     ?= musl-gcc
USER_CFLAGS ?= -static -O2 -g -Wall -Wextra -Werror
USER_SRCS   := $(wildcard user/*.c)
USER_PROGS  := $(patsubst user/%.c,$(BUILD)/user/%,$(USER_SRCS))

.PHONY: user
user: $(USER_PROGS) $(BUILD)/user/hello-dynamic

$(BUILD)/user/%: user/%.c $(wildcard user/include/*.h) mk/user.mk | $(BUILD)/user
	@echo "  USERCC  $@"
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/user:
	$(Q)mkdir -p $@

# hello linked dynamically by the host's gcc (-no-pie: ET_EXEC with a PT_INTERP), the input of the
# system test that SOS refuses dynamic programs; not a user program (not in USER_PROGS). The rule
# checks it has an interpreter, so the test cannot pass on a file SOS would refuse for another reason.
HOST_CC ?= gcc
$(BUILD)/user/hello-dynamic: user/hello.c mk/user.mk | $(BUILD)/user
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -O2 -no-pie -Wall -Wextra -Werror -o $@ $<
	$(Q)readelf -lW $@ | grep -q 'Requesting program interpreter' || \
		{ echo "$@ has no PT_INTERP" >&2; rm -f $@; exit 1; }
