UNIT_TESTS += test_log
test_log_SRCS := tests/unit/test_log.c src/core/log.c
