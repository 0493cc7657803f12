UNIT_TESTS += test_cli_fmt
test_cli_fmt_SRCS := tests/unit/test_cli_fmt.c src/core/cli_fmt.c
