UNIT_TESTS += test_buf
test_buf_SRCS := tests/unit/test_buf.c src/codec/buf.c
