FUZZERS += fuzz_ip
fuzz_ip_SRCS := tests/fuzz/fuzz_ip.c src/codec/ipv4.c src/codec/ipv6.c src/codec/buf.c
