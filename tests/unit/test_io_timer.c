/* The pure timer heap (src/io/timer.c), driven with a virtual clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/timer.h"

/* Deterministic pseudo-random deadlines (xorshift32). */
static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

struct rec {
	int order[64];
	int n;
};

struct tctx {
	struct rec *rec;
	int id;
};

static void record(void *ctx, struct io_timer *t, uint64_t now)
{
	(void)t;
	(void)now;
	struct tctx *c = ctx;
	c->rec->order[c->rec->n++] = c->id;
}

static void pops_in_deadline_order(void **state)
{
	(void)state;
	struct timer_heap th;
	assert_int_equal(timer_heap_init(&th, 0), 0);
	enum { N = 1000 };
	struct io_timer *t = calloc(N, sizeof(*t));
	uint32_t s = 12345;
	for (int i = 0; i < N; i++) {
		timer_init(&t[i], NULL, NULL);
		assert_int_equal(timer_arm(&th, &t[i], 1000 + rnd(&s) % 5000), 0);
	}
	assert_int_equal(th.n, N);
	/* nothing due before the smallest deadline */
	uint64_t first = timer_next(&th);
	assert_true(first >= 1000);
	assert_null(timer_pop_due(&th, first - 1));
	uint64_t last = 0;
	int popped = 0;
	struct io_timer *x;
	while ((x = timer_pop_due(&th, 10000))) {
		assert_true(x->when >= last);
		assert_false(timer_pending(x));
		last = x->when;
		popped++;
	}
	assert_int_equal(popped, N);
	assert_int_equal(timer_next(&th), TIMER_NEVER);
	free(t);
	timer_heap_destroy(&th);
}

static void cancel_removes_exactly_that_timer(void **state)
{
	(void)state;
	struct timer_heap th;
	assert_int_equal(timer_heap_init(&th, 0), 0);
	struct rec r = { .n = 0 };
	struct io_timer t[5];
	struct tctx c[5];
	for (int i = 0; i < 5; i++) {
		c[i] = (struct tctx){ .rec = &r, .id = i };
		timer_init(&t[i], record, &c[i]);
		assert_int_equal(timer_arm(&th, &t[i], 100 + 10 * (uint64_t)i), 0);
	}
	assert_int_equal(timer_cancel(&th, &t[2]), 1);
	assert_int_equal(timer_cancel(&th, &t[2]), 0);	/* already off */
	assert_int_equal(timer_cancel(&th, &t[0]), 1);	/* the root */
	assert_int_equal(timer_cancel(&th, &t[4]), 1);	/* the last slot */
	assert_int_equal(timer_next(&th), 110);
	assert_int_equal(timer_run(&th, 1000, 0), 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 3);
	timer_heap_destroy(&th);
}

static void rearm_moves_both_ways(void **state)
{
	(void)state;
	struct timer_heap th;
	assert_int_equal(timer_heap_init(&th, 0), 0);
	struct rec r = { .n = 0 };
	struct io_timer t[3];
	struct tctx c[3];
	for (int i = 0; i < 3; i++) {
		c[i] = (struct tctx){ .rec = &r, .id = i };
		timer_init(&t[i], record, &c[i]);
	}
	timer_arm(&th, &t[0], 100);
	timer_arm(&th, &t[1], 200);
	timer_arm(&th, &t[2], 300);
	timer_arm(&th, &t[0], 400);	/* later: now last */
	timer_arm(&th, &t[2], 50);	/* earlier: now first */
	assert_int_equal(th.n, 3);	/* re-arming does not duplicate */
	assert_int_equal(timer_next(&th), 50);
	/* virtual time: only what is due runs */
	assert_int_equal(timer_run(&th, 250, 0), 2);
	assert_int_equal(r.order[0], 2);
	assert_int_equal(r.order[1], 1);
	assert_true(timer_pending(&t[0]));
	assert_int_equal(timer_run(&th, 399, 0), 0);
	assert_int_equal(timer_run(&th, 400, 0), 1);
	assert_int_equal(r.order[2], 0);
	timer_heap_destroy(&th);
}

static void equal_deadlines_fire_in_arm_order(void **state)
{
	(void)state;
	struct timer_heap th;
	assert_int_equal(timer_heap_init(&th, 0), 0);
	struct rec r = { .n = 0 };
	struct io_timer t[10];
	struct tctx c[10];
	for (int i = 0; i < 10; i++) {
		c[i] = (struct tctx){ .rec = &r, .id = i };
		timer_init(&t[i], record, &c[i]);
		timer_arm(&th, &t[i], 500);
	}
	/* re-arming 3 for the same time puts it behind the others */
	timer_arm(&th, &t[3], 500);
	assert_int_equal(timer_run(&th, 500, 0), 10);
	int want[10] = { 0, 1, 2, 4, 5, 6, 7, 8, 9, 3 };
	for (int i = 0; i < 10; i++)
		assert_int_equal(r.order[i], want[i]);
	timer_heap_destroy(&th);
}

struct periodic {
	struct timer_heap *th;
	int fired;
	uint64_t at[8];
};

static void tick(void *ctx, struct io_timer *t, uint64_t now)
{
	struct periodic *p = ctx;
	if (p->fired < 8)
		p->at[p->fired] = now;
	p->fired++;
	timer_arm(p->th, t, t->when + 100);	/* re-arm from inside the callback */
}

static void callback_may_rearm_and_budget_bounds_a_run(void **state)
{
	(void)state;
	struct timer_heap th;
	assert_int_equal(timer_heap_init(&th, 0), 0);
	struct periodic p = { .th = &th };
	struct io_timer t;
	timer_init(&t, tick, &p);
	timer_arm(&th, &t, 100);
	/* at virtual 350 the timer is due for 100, 200, 300 but max is 2 */
	assert_int_equal(timer_run(&th, 350, 2), 2);
	assert_int_equal(timer_next(&th), 300);
	assert_int_equal(timer_run(&th, 350, 0), 1);
	assert_int_equal(p.fired, 3);
	assert_int_equal(timer_next(&th), 400);
	timer_heap_destroy(&th);
}

static int heap_ok(const struct timer_heap *th)
{
	for (uint32_t i = 0; i < th->n; i++) {
		if (th->h[i]->slot != i + 1)
			return 0;
		if (i && th->h[(i - 1) / 2]->when > th->h[i]->when)
			return 0;
	}
	return 1;
}

static void hundred_thousand_timers(void **state)
{
	(void)state;
	enum { N = 100000 };
	struct timer_heap th;
	assert_int_equal(timer_heap_init(&th, 0), 0);
	struct io_timer *t = calloc(N, sizeof(*t));
	uint64_t *want = calloc(N, sizeof(*want));
	uint32_t s = 99;
	for (int i = 0; i < N; i++) {
		timer_init(&t[i], NULL, NULL);
		want[i] = rnd(&s) % 1000000;
		assert_int_equal(timer_arm(&th, &t[i], want[i]), 0);
	}
	int live = N;
	for (int i = 0; i < N; i += 3) {
		assert_int_equal(timer_cancel(&th, &t[i]), 1);
		want[i] = TIMER_NEVER;
		live--;
	}
	for (int i = 1; i < N; i += 5) {
		if (want[i] == TIMER_NEVER)
			continue;
		want[i] = rnd(&s) % 1000000;
		timer_arm(&th, &t[i], want[i]);
	}
	assert_int_equal(th.n, (uint32_t)live);
	assert_true(heap_ok(&th));
	/* expire in two virtual steps; each timer exactly once, on time */
	int popped = 0;
	uint64_t last = 0;
	struct io_timer *x;
	while ((x = timer_pop_due(&th, 500000))) {
		size_t i = (size_t)(x - t);
		assert_int_equal(x->when, want[i]);
		assert_true(x->when <= 500000 && x->when >= last);
		last = x->when;
		want[i] = TIMER_NEVER;
		popped++;
	}
	assert_true(heap_ok(&th));
	assert_true(timer_next(&th) > 500000);
	while ((x = timer_pop_due(&th, 1000000))) {
		size_t i = (size_t)(x - t);
		assert_int_equal(x->when, want[i]);
		want[i] = TIMER_NEVER;
		popped++;
	}
	assert_int_equal(popped, live);
	for (int i = 0; i < N; i++)
		assert_true(want[i] == TIMER_NEVER);
	free(t);
	free(want);
	timer_heap_destroy(&th);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pops_in_deadline_order),
		cmocka_unit_test(cancel_removes_exactly_that_timer),
		cmocka_unit_test(rearm_moves_both_ways),
		cmocka_unit_test(equal_deadlines_fire_in_arm_order),
		cmocka_unit_test(callback_may_rearm_and_budget_bounds_a_run),
		cmocka_unit_test(hundred_thousand_timers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
