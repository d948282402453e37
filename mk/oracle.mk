# The oracle's init (oracle/init.c), a static musl program that bin/linux-run puts into the pinned
# Linux's initramfs. The kernel itself is fetched by tools/deps.sh (oracle/fetch.sh).
.PHONY: oracle
oracle: $(BUILD)/oracle/init

$(BUILD)/oracle/init: oracle/init.c mk/oracle.mk
	@mkdir -p $(dir $@)
	@echo "  USERCC  $@"
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<
