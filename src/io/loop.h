/*
 * The event loop: one epoll instance, handlers registered per fd with a
 * context pointer, one timerfd driving the timer heap (timer.h).
 *
 * Fairness. Every registration has a class and a burst budget:
 *  - IO_CONTROL (signals, CLI, RADIUS, nsctl, cluster...) is serviced first in
 *    every iteration it is ready, then due timers;
 *  - IO_BULK (TUN, the L2TP UDP socket) handlers are called with their budget
 *    and must do at most that much work (e.g. one recvmmsg of 64, one reap of
 *    64 completions). A handler that used its whole budget reports "more" and
 *    is called again next iteration WITHOUT waiting, but only after epoll has
 *    been asked again (timeout 0), so a TUN flooded at line rate still lets
 *    control sockets and timers run between bursts instead of starving them.
 * Bulk registrations are level-triggered: no wakeup can be lost if a handler
 * stops at its budget.
 *
 * Handlers may add, modify and delete registrations (their own included)
 * during a callback; events already collected for a deleted fd are dropped.
 */
#ifndef L2TPNS_IO_LOOP_H
#define L2TPNS_IO_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>

#include "io/io.h"
#include "io/timer.h"

enum io_class {
	IO_CONTROL = 0,
	IO_BULK = 1,
};

/*
 * events: EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP as reported (0 when called again
 * because it returned "more"). Return a negative errno on failure (logged),
 * otherwise the amount of work done; returning >= budget means "more pending,
 * call again". Control handlers get budget 0 and their return is only checked
 * for errors.
 */
typedef int (*io_fn)(void *ctx, int fd, uint32_t events, int budget);

struct io_reg {
	io_fn fn;
	void *ctx;
	uint32_t events;	/* epoll interest */
	uint32_t gen;		/* registration generation, stale-event check */
	int budget;
	uint8_t cls;
	bool active;
	bool again;		/* bulk handler asked to be called again */
	uint64_t stamp;		/* iteration in which it last ran */
};

struct io_loop_stats {
	uint64_t iterations;
	uint64_t wakeups;	/* epoll_wait returning events */
	uint64_t bursts_capped;	/* bulk calls that used their whole budget */
	uint64_t timers_run;
	uint64_t handler_errors;
	uint64_t coalesce_waits;	/* short waits before a wake-up (io_loop_note_batch) */
};

struct io_loop {
	int epfd;
	int tfd;		/* the process's one timerfd */
	struct io_reg *reg;	/* indexed by fd */
	int nreg;
	uint32_t gen;
	int *again;		/* fds to call again, collected per iteration */
	int nagain, again_cap;
	struct timer_heap timers;
	uint64_t now;		/* monotonic ms, refreshed after every wait */
	uint64_t tfd_armed;	/* deadline the timerfd is set to, TIMER_NEVER if off */
	int timer_budget;	/* timers run per iteration (0 = no limit) */
	bool timers_more;
	bool stop;
	int exit_code;
	struct io_log log;
	struct io_loop_stats st;
	/* Receive coalescing, like a NIC's interrupt moderation: after an
	 * iteration whose bulk receives were small (below half their burst)
	 * but not empty, the loop sleeps coalesce_us before waiting again, so
	 * that the next wake-up takes more packets for the same fixed cost
	 * (epoll_wait, recvmmsg, io_uring_enter, two context switches). 0 =
	 * off. Set by the core from its configuration. */
	uint32_t coalesce_us;
	int rx_small;		/* this iteration: small non-empty batches seen */
	int rx_full;		/* this iteration: batches that filled their burst */
	/* ns the last epoll_wait blocked: adaptive like a NIC's moderation,
	 * the wait is only taken while packets arrive densely (the previous
	 * wait ended within 2 * coalesce_us), never at a low rate, where it
	 * would add latency and gain nothing. */
	uint64_t blocked_ns;
};

#define IO_BURST_DEFAULT 64
#define IO_TIMER_BUDGET_DEFAULT 4096

int io_loop_init(struct io_loop *l, const struct io_log *log);
/* Closes the epoll and timer fds, not the registered fds. */
void io_loop_destroy(struct io_loop *l);
/* events: EPOLLIN and/or EPOLLOUT (EPOLLET allowed for IO_CONTROL only).
 * budget <= 0 gives IO_BURST_DEFAULT for bulk. -EEXIST if fd registered. */
int io_loop_add(struct io_loop *l, int fd, uint32_t events, enum io_class cls,
		int budget, io_fn fn, void *ctx);
/* Change the interest set (e.g. arm/disarm EPOLLOUT). */
int io_loop_mod(struct io_loop *l, int fd, uint32_t events);
int io_loop_del(struct io_loop *l, int fd);
/* Current interest of fd, or 0 if not registered. */
uint32_t io_loop_events(const struct io_loop *l, int fd);

/* Timers on the loop's heap; times are monotonic ms (io_now_ms / l->now). */
int io_loop_timer_arm(struct io_loop *l, struct io_timer *t, uint64_t when);
int io_loop_timer_after(struct io_loop *l, struct io_timer *t, uint64_t ms);
int io_loop_timer_cancel(struct io_loop *l, struct io_timer *t);

/* One iteration: wait up to max_wait_ms (-1 = until an event or timer;
 * forced to 0 when work is pending), dispatch. Returns the number of
 * handler calls + timers run, or -errno if epoll_wait failed. */
int io_loop_once(struct io_loop *l, int max_wait_ms);
/* A bulk handler reports a receive of got packets out of a possible burst:
 * the input of receive coalescing (coalesce_us). */
static inline void io_loop_note_batch(struct io_loop *l, int got, int burst)
{
	if (got >= burst)
		l->rx_full++;
	else if (got > 0 && got < burst / 2)
		l->rx_small++;
}
/* Iterate until io_loop_stop(); returns the code given to it. */
int io_loop_run(struct io_loop *l);
void io_loop_stop(struct io_loop *l, int code);

#endif
