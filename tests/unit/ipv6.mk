UNIT_TESTS += test_ipv6
test_ipv6_SRCS := tests/unit/test_ipv6.c src/codec/ipv6.c src/codec/buf.c
