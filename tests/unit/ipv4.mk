UNIT_TESTS += test_ipv4
test_ipv4_SRCS := tests/unit/test_ipv4.c src/codec/ipv4.c src/codec/buf.c
