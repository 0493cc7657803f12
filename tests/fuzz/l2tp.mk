FUZZERS += fuzz_l2tp
fuzz_l2tp_SRCS := tests/fuzz/fuzz_l2tp.c src/codec/l2tp.c src/codec/l2tp_avp.c \
	src/codec/l2tp_hide.c src/codec/l2tp_build.c src/codec/buf.c
fuzz_l2tp_LIBS := -lnettle
