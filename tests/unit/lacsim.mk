# Pure helpers of the LAC simulator (tools/lacsim/pkt.c).
UNIT_TESTS += test_lacsim_pkt
test_lacsim_pkt_SRCS := tests/unit/test_lacsim_pkt.c tools/lacsim/pkt.c src/codec/buf.c
