# Bundled plugins (include/l2tpns/plugin.h), built into build/lib/NAME.so and
# installed in $(PREFIX)/lib/l2tpns. Each is one file linking nothing else.
PLUGINS += stripdomain sessionctl setrxspeed
stripdomain_SRCS := src/plugins/stripdomain.c
sessionctl_SRCS := src/plugins/sessionctl.c
setrxspeed_SRCS := src/plugins/setrxspeed.c
