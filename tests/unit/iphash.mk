UNIT_TESTS += test_iphash
test_iphash_SRCS := tests/unit/test_iphash.c src/core/iphash.c
