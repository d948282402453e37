# Fuzzers (libFuzzer, clang). Placeholder until written.
.PHONY: fuzz-elf fuzz-smoke
fuzz-smoke:
