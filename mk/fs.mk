# The file suite: Debian's busybox-static and bash-static on SOS and on the oracle with one guest
# root (tests/fs). Owned by the user/tests part. FS_TEST_ARGS picks cases (e.g. 'tar_*'), the mode
# (both, linux: the oracle alone, sos: SOS alone) or -j N.

.PHONY: fs-test
fs-test: kernel user oracle
	$(Q)BUILD=$(BUILD) tests/fs/run.sh $(FS_TEST_ARGS)
