# Micro-benchmarks (make bench). fwd_bench: 64-byte packets UDP<->TUN through
# src/io in a private network namespace, per backend; needs root.
BENCHES += fwd_bench
fwd_bench_SRCS := tools/bench/fwd_bench.c src/io/log.c src/io/pkt.c src/io/timer.c \
	src/io/loop.c src/io/udp.c src/io/nl.c src/io/tun.c src/io/tun_uring.c
fwd_bench_LIBS := -luring
