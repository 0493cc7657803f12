UNIT_TESTS += test_netpkt
test_netpkt_SRCS := tests/unit/test_netpkt.c src/codec/netpkt.c src/codec/buf.c
