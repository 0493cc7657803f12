RADIUS_CODEC_SRCS := src/codec/radius.c src/codec/radius_auth.c src/codec/radius_build.c \
	src/codec/buf.c

UNIT_TESTS += test_radius
test_radius_SRCS := tests/unit/test_radius.c $(RADIUS_CODEC_SRCS)
test_radius_LIBS := -lnettle

UNIT_TESTS += test_radius_capture
test_radius_capture_SRCS := tests/unit/test_radius_capture.c $(RADIUS_CODEC_SRCS)
test_radius_capture_LIBS := -lnettle
