# Configuration core: startup-config language, users files, ip_pool.
CONFIG_CORE_SRCS := src/core/config.c src/core/config_parse.c src/core/config_print.c \
	src/core/config_acl.c src/core/config_util.c

UNIT_TESTS += test_config
test_config_SRCS := tests/unit/test_config.c $(CONFIG_CORE_SRCS)

UNIT_TESTS += test_config_acl
test_config_acl_SRCS := tests/unit/test_config_acl.c $(CONFIG_CORE_SRCS)

UNIT_TESTS += test_userfile
test_userfile_SRCS := tests/unit/test_userfile.c src/core/userfile.c src/core/config_util.c
test_userfile_LIBS := -lcrypt

UNIT_TESTS += test_poolfile
test_poolfile_SRCS := tests/unit/test_poolfile.c src/core/poolfile.c src/core/config_util.c
