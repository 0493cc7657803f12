/*
 * Common definitions of the I/O layer (src/io): the logging callback the core
 * supplies, and the monotonic millisecond clock.
 *
 * The layer, for the core:
 *   pkt.h   pool of 2048-byte buffers with 64 bytes of headroom; vectors
 *           (struct pkt *v[], n) go end to end, ownership moves with them
 *   loop.h  epoll loop: io_loop_add(fd, events, IO_CONTROL|IO_BULK, burst,
 *           fn, ctx); bulk handlers do one bounded burst per iteration
 *   timer.h timers (heap, O(log n)) on the loop's single timerfd
 *   sig.h   SIGHUP/TERM/INT/QUIT/CHLD as events through signalfd
 *   udp.h   IP_PKTINFO sockets, recvmmsg/sendmmsg, EAGAIN queue + EPOLLOUT
 *   tun.h   TUN (IFF_NO_PI), io_uring-batched or read/write
 *   nl.h    rtnetlink: link MTU/up, addresses, idempotent routes, dumps
 * Nothing here knows L2TP, PPP or RADIUS.
 *
 * src/io has no protocol knowledge and no globals: every object carries the
 * struct io_log it was given, and a NULL callback silences it. Levels use the
 * same numbers as the core's logger (0 critical ... 5 packets), so the core
 * can pass its own log function straight through.
 */
#ifndef L2TPNS_IO_IO_H
#define L2TPNS_IO_IO_H

#include <stdarg.h>
#include <stdint.h>

enum io_log_level {
	IO_LOG_CRIT = 0,
	IO_LOG_ERR = 1,
	IO_LOG_WARN = 2,
	IO_LOG_INFO = 3,
	IO_LOG_CALL = 4,
	IO_LOG_DATA = 5,
};

/* msg is a complete line without trailing newline, valid only during the call. */
typedef void (*io_log_fn)(void *ctx, int level, const char *msg);

struct io_log {
	io_log_fn fn;
	void *ctx;
};

void io_logf(const struct io_log *lg, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* CLOCK_MONOTONIC in milliseconds: immune to wall-clock steps (NTP, admin),
 * which must never fire or starve protocol timers. */
uint64_t io_now_ms(void);

#endif
