# PPP codecs (src/codec/ppp*.c): framing, LCP, IPCP/IPV6CP/CCP, PAP/CHAP-MD5.
PPP_CODEC_SRCS := src/codec/ppp.c src/codec/ppp_lcp.c src/codec/ppp_ncp.c \
	src/codec/ppp_auth.c src/codec/buf.c

UNIT_TESTS += test_ppp
test_ppp_SRCS := tests/unit/test_ppp.c $(PPP_CODEC_SRCS)
test_ppp_LIBS := -lnettle

UNIT_TESTS += test_ppp_ncp
test_ppp_ncp_SRCS := tests/unit/test_ppp_ncp.c $(PPP_CODEC_SRCS)
test_ppp_ncp_LIBS := -lnettle

UNIT_TESTS += test_ppp_auth
test_ppp_auth_SRCS := tests/unit/test_ppp_auth.c $(PPP_CODEC_SRCS)
test_ppp_auth_LIBS := -lnettle

UNIT_TESTS += test_ppp_captures
test_ppp_captures_SRCS := tests/unit/test_ppp_captures.c $(PPP_CODEC_SRCS)
test_ppp_captures_LIBS := -lnettle
