# Sourced by source_eval.sh.
LIBVAR=set-by-lib
libfn() { echo "libfn called with $1"; }
