# nsctl control packets: unpack, repack, compare; and the server side that
# consumes them (tests/fuzz/fuzz_nsctl.c).
FUZZERS += fuzz_nsctl
fuzz_nsctl_SRCS := tests/fuzz/fuzz_nsctl.c src/codec/nsctl.c src/codec/buf.c src/core/control.c
fuzz_nsctl_LIBS := -lnettle
