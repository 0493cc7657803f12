# nsctl: command-line client of the daemon's control port (tools/nsctl/nsctl.c).
PROGRAMS += nsctl
nsctl_SRCS := tools/nsctl/nsctl.c src/codec/nsctl.c src/codec/buf.c
nsctl_LIBS := -lnettle
