/*
 * Timers: a pure min-heap of intrusive timer records keyed by monotonic
 * milliseconds. No clock and no fd here: the loop (loop.c) feeds it "now" and
 * drives it from ONE timerfd armed at the earliest deadline, so millions of
 * timers (sessions x a few) cost memory for one pointer each, not one fd each.
 *
 * Arm, re-arm and cancel are O(log n) (each timer knows its heap slot); the
 * earliest deadline is O(1). Timers due at the same millisecond expire in the
 * order they were armed, so retransmit/keepalive ordering is deterministic.
 */
#ifndef L2TPNS_IO_TIMER_H
#define L2TPNS_IO_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct io_timer;
/* Called once when the timer expires; it is already disarmed, so the
 * callback may re-arm it (periodic timers) or arm/cancel any other timer. */
typedef void (*io_timer_fn)(void *ctx, struct io_timer *t, uint64_t now);

struct io_timer {
	uint64_t when;		/* deadline, monotonic ms */
	uint64_t seq;		/* arm order, breaks ties between equal deadlines */
	uint32_t slot;		/* 1-based heap slot; 0 = not armed */
	io_timer_fn fn;
	void *ctx;
};

struct timer_heap {
	struct io_timer **h;	/* h[0] is the earliest */
	uint32_t n, cap;
	uint64_t seq;
};

#define TIMER_NEVER UINT64_MAX

int timer_heap_init(struct timer_heap *th, uint32_t initial_cap);
/* Pending timers are simply forgotten (they are owned by their users). */
void timer_heap_destroy(struct timer_heap *th);
void timer_init(struct io_timer *t, io_timer_fn fn, void *ctx);
/* Arm for absolute time `when`; re-arms if already pending. 0 or -ENOMEM. */
int timer_arm(struct timer_heap *th, struct io_timer *t, uint64_t when);
/* Disarm; harmless if not armed. Returns 1 if it was armed, else 0. */
int timer_cancel(struct timer_heap *th, struct io_timer *t);
static inline bool timer_pending(const struct io_timer *t)
{
	return t->slot != 0;
}
/* Earliest deadline, TIMER_NEVER if none. */
uint64_t timer_next(const struct timer_heap *th);
/* Remove and return the earliest timer if due (when <= now), else NULL. */
struct io_timer *timer_pop_due(struct timer_heap *th, uint64_t now);
/* Pop and run due timers, at most max (0 = no limit) so a mass expiry cannot
 * stall the loop. Returns how many ran. */
int timer_run(struct timer_heap *th, uint64_t now, int max);

#endif
