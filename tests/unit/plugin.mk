# Plugin registry (src/core/plugin.c) with small test plugins, and the
# bundled plugins (src/plugins.mk) run against fake pluginfuncs.
TEST_PLUGINS += tp_a tp_b tp_refuse tp_oldver tp_nover tp_broken
tp_a_SRCS := tests/plugins/tp_a.c
tp_b_SRCS := tests/plugins/tp_b.c
tp_refuse_SRCS := tests/plugins/tp_refuse.c
tp_oldver_SRCS := tests/plugins/tp_oldver.c
tp_nover_SRCS := tests/plugins/tp_nover.c
tp_broken_SRCS := tests/plugins/tp_broken.c

UNIT_TESTS += test_plugin
test_plugin_SRCS := tests/unit/test_plugin.c src/core/plugin.c
test_plugin_LIBS := -ldl
# order-only: the test dlopens these, it does not link them
$(BUILD)/tests/unit/test_plugin: | $(addprefix $(BUILD)/tests/plugins/,tp_a.so tp_b.so \
	tp_refuse.so tp_oldver.so tp_nover.so tp_broken.so) \
	$(addprefix $(BUILD)/lib/,stripdomain.so sessionctl.so setrxspeed.so)
