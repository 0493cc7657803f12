# PPP codec harnesses. Input of each: one PPP frame (optional ff 03,
# protocol, packet); seeds in tests/fuzz/seeds/<name>/ plus the PPP frames
# pcapdecode extracts from the captures.
FUZZ_PPP_SRCS := src/codec/ppp.c src/codec/ppp_lcp.c src/codec/ppp_ncp.c \
	src/codec/ppp_auth.c src/codec/buf.c

FUZZERS += fuzz_ppp_frame
fuzz_ppp_frame_SRCS := tests/fuzz/fuzz_ppp_frame.c $(FUZZ_PPP_SRCS)
fuzz_ppp_frame_LIBS := -lnettle

FUZZERS += fuzz_ppp_lcp
fuzz_ppp_lcp_SRCS := tests/fuzz/fuzz_ppp_lcp.c $(FUZZ_PPP_SRCS)
fuzz_ppp_lcp_LIBS := -lnettle

FUZZERS += fuzz_ppp_ncp
fuzz_ppp_ncp_SRCS := tests/fuzz/fuzz_ppp_ncp.c $(FUZZ_PPP_SRCS)
fuzz_ppp_ncp_LIBS := -lnettle

FUZZERS += fuzz_ppp_auth
fuzz_ppp_auth_SRCS := tests/fuzz/fuzz_ppp_auth.c $(FUZZ_PPP_SRCS)
fuzz_ppp_auth_LIBS := -lnettle
