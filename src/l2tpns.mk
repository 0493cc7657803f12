# The daemon links every layer.
PROGRAMS += l2tpns
l2tpns_SRCS := src/main.c $(sort $(wildcard src/core/*.c src/fsm/*.c src/io/*.c)) \
	$(filter-out src/codec/netpkt.c,$(sort $(wildcard src/codec/*.c)))
l2tpns_LIBS := -lnettle -luring -lcrypt -lcli -ldl
