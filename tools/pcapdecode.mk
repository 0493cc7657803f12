# pcapdecode: print/extract L2TP and PPP messages of captures (tests/pcap, fuzz seeds).
# A new protocol printer adds its tools/pcapdecode/print_<proto>.c and codec here.
PROGRAMS += pcapdecode
pcapdecode_SRCS := tools/pcapdecode/pcapdecode.c tools/pcapdecode/print_l2tp.c \
	tools/pcapdecode/print_ppp.c tools/pcapdecode/print_radius.c src/codec/netpkt.c src/codec/buf.c \
	$(sort $(wildcard src/codec/l2tp*.c src/codec/ppp*.c src/codec/radius*.c))
pcapdecode_LIBS := -lpcap -lnettle
