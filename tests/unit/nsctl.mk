# nsctl control protocol: codec (pack/unpack/authenticator) and the server side.
UNIT_TESTS += test_nsctl
test_nsctl_SRCS := tests/unit/test_nsctl.c src/codec/nsctl.c src/codec/buf.c
test_nsctl_LIBS := -lnettle

# test_nsctl_control also runs build/<dir>/bin/nsctl against a loopback server
# (it finds the binary next to its own build directory; built by `make programs`).
UNIT_TESTS += test_nsctl_control
test_nsctl_control_SRCS := tests/unit/test_nsctl_control.c src/core/control.c \
	src/codec/nsctl.c src/codec/buf.c
test_nsctl_control_LIBS := -lnettle
# order-only: the test runs the binary but does not link it
$(BUILD)/tests/unit/test_nsctl_control: | $(BUILD)/bin/nsctl
