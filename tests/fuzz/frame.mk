FUZZERS += fuzz_frame
fuzz_frame_SRCS := tests/fuzz/fuzz_frame.c src/codec/netpkt.c src/codec/buf.c
