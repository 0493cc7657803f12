UNIT_TESTS += test_pool
test_pool_SRCS := tests/unit/test_pool.c src/core/pool.c src/core/iphash.c
