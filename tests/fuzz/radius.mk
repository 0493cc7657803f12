FUZZERS += fuzz_radius
fuzz_radius_SRCS := tests/fuzz/fuzz_radius.c src/codec/radius.c src/codec/radius_auth.c \
	src/codec/radius_build.c src/codec/buf.c
fuzz_radius_LIBS := -lnettle
