L2TP_CODEC_SRCS := src/codec/l2tp.c src/codec/l2tp_avp.c src/codec/l2tp_hide.c \
	src/codec/l2tp_build.c src/codec/buf.c

UNIT_TESTS += test_l2tp
test_l2tp_SRCS := tests/unit/test_l2tp.c $(L2TP_CODEC_SRCS)
test_l2tp_LIBS := -lnettle

UNIT_TESTS += test_l2tp_avp
test_l2tp_avp_SRCS := tests/unit/test_l2tp_avp.c $(L2TP_CODEC_SRCS)
test_l2tp_avp_LIBS := -lnettle
