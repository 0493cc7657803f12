# src/io: one binary per part. A core binary links the io layer with
#   src/io/log.c src/io/pkt.c src/io/timer.c src/io/loop.c src/io/sig.c
#   src/io/udp.c src/io/nl.c src/io/tun.c src/io/tun_uring.c   (-luring)
UNIT_TESTS += test_io_timer test_io_loop test_io_udp test_io_tun
test_io_timer_SRCS := tests/unit/test_io_timer.c src/io/timer.c
test_io_loop_SRCS := tests/unit/test_io_loop.c src/io/loop.c src/io/timer.c src/io/sig.c \
	src/io/log.c
test_io_udp_SRCS := tests/unit/test_io_udp.c src/io/udp.c src/io/pkt.c src/io/loop.c \
	src/io/timer.c src/io/log.c
test_io_tun_SRCS := tests/unit/test_io_tun.c src/io/tun.c src/io/tun_uring.c src/io/nl.c \
	src/io/pkt.c src/io/loop.c src/io/timer.c src/io/log.c
test_io_tun_LIBS := -luring
