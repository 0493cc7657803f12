/* Binary min-heap of timers ordered by (when, seq). */
#include "io/timer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool before(const struct io_timer *a, const struct io_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void place(struct timer_heap *th, uint32_t i, struct io_timer *t)
{
	th->h[i] = t;
	t->slot = i + 1;
}

static void sift_up(struct timer_heap *th, uint32_t i)
{
	struct io_timer *t = th->h[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!before(t, th->h[parent]))
			break;
		place(th, i, th->h[parent]);
		i = parent;
	}
	place(th, i, t);
}

static void sift_down(struct timer_heap *th, uint32_t i)
{
	struct io_timer *t = th->h[i];
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= th->n)
			break;
		if (c + 1 < th->n && before(th->h[c + 1], th->h[c]))
			c++;
		if (!before(th->h[c], t))
			break;
		place(th, i, th->h[c]);
		i = c;
	}
	place(th, i, t);
}

int timer_heap_init(struct timer_heap *th, uint32_t initial_cap)
{
	memset(th, 0, sizeof(*th));
	if (initial_cap < 16)
		initial_cap = 16;
	th->h = calloc(initial_cap, sizeof(*th->h));
	if (!th->h)
		return -ENOMEM;
	th->cap = initial_cap;
	return 0;
}

void timer_heap_destroy(struct timer_heap *th)
{
	for (uint32_t i = 0; i < th->n; i++)
		th->h[i]->slot = 0;
	free(th->h);
	memset(th, 0, sizeof(*th));
}

void timer_init(struct io_timer *t, io_timer_fn fn, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->ctx = ctx;
}

static void remove_at(struct timer_heap *th, uint32_t i)
{
	struct io_timer *t = th->h[i];
	t->slot = 0;
	th->n--;
	if (i == th->n)
		return;
	struct io_timer *last = th->h[th->n];
	place(th, i, last);
	/* The moved element may belong above or below slot i. */
	if (i > 0 && before(last, th->h[(i - 1) / 2]))
		sift_up(th, i);
	else
		sift_down(th, i);
}

int timer_arm(struct timer_heap *th, struct io_timer *t, uint64_t when)
{
	if (t->slot) {
		uint32_t i = t->slot - 1;
		t->when = when;
		t->seq = th->seq++;
		/* A later seq never moves it up past an equal deadline. */
		if (i > 0 && before(t, th->h[(i - 1) / 2]))
			sift_up(th, i);
		else
			sift_down(th, i);
		return 0;
	}
	if (th->n == th->cap) {
		uint32_t ncap = th->cap ? th->cap * 2 : 16;
		if (ncap < th->cap)
			return -ENOMEM;
		struct io_timer **nh = realloc(th->h, (size_t)ncap * sizeof(*nh));
		if (!nh)
			return -ENOMEM;
		th->h = nh;
		th->cap = ncap;
	}
	t->when = when;
	t->seq = th->seq++;
	th->h[th->n] = t;
	t->slot = ++th->n;
	sift_up(th, th->n - 1);
	return 0;
}

int timer_cancel(struct timer_heap *th, struct io_timer *t)
{
	if (!t->slot || t->slot > th->n || th->h[t->slot - 1] != t)
		return 0;
	remove_at(th, t->slot - 1);
	return 1;
}

uint64_t timer_next(const struct timer_heap *th)
{
	return th->n ? th->h[0]->when : TIMER_NEVER;
}

struct io_timer *timer_pop_due(struct timer_heap *th, uint64_t now)
{
	if (!th->n || th->h[0]->when > now)
		return NULL;
	struct io_timer *t = th->h[0];
	remove_at(th, 0);
	return t;
}

int timer_run(struct timer_heap *th, uint64_t now, int max)
{
	int ran = 0;
	struct io_timer *t;
	while ((max <= 0 || ran < max) && (t = timer_pop_due(th, now))) {
		ran++;
		if (t->fn)
			t->fn(t->ctx, t, now);
	}
	return ran;
}
