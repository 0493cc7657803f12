# LAC simulator and load generator (tools/lacsim/), see tools/lacsim/lacsim.c.
PROGRAMS += lacsim
lacsim_SRCS := tools/lacsim/lacsim.c tools/lacsim/ctrl.c tools/lacsim/ppp.c \
	tools/lacsim/pkt.c $(sort $(wildcard src/codec/l2tp*.c)) src/codec/buf.c
lacsim_LIBS := -lnettle
