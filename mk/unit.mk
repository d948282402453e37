# Host unit tests of kernel/mm. Placeholder until written.
unit-test:
