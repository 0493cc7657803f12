/* epoll loop with per-class bursts, one timerfd for all timers. */
#include "io/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t ev_key(int fd, uint32_t gen)
{
	return ((uint64_t)gen << 32) | (uint32_t)fd;
}

static struct io_reg *live_reg(struct io_loop *l, int fd, uint32_t gen)
{
	if (fd < 0 || fd >= l->nreg || !l->reg[fd].active || l->reg[fd].gen != gen)
		return NULL;
	return &l->reg[fd];
}

/* The timerfd only wakes epoll; due timers are run after the control pass. */
static int timerfd_ready(void *ctx, int fd, uint32_t events, int budget)
{
	(void)ctx;
	(void)events;
	(void)budget;
	uint64_t expirations;
	ssize_t r = read(fd, &expirations, sizeof(expirations));
	if (r < 0 && errno != EAGAIN && errno != EINTR)
		return -errno;
	return 0;
}

int io_loop_init(struct io_loop *l, const struct io_log *log)
{
	memset(l, 0, sizeof(*l));
	l->epfd = -1;
	l->tfd = -1;
	l->tfd_armed = TIMER_NEVER;
	l->timer_budget = IO_TIMER_BUDGET_DEFAULT;
	if (log)
		l->log = *log;
	int err = timer_heap_init(&l->timers, 1024);
	if (err)
		return err;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0)
		goto fail;
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->tfd < 0)
		goto fail;
	l->now = io_now_ms();
	err = io_loop_add(l, l->tfd, EPOLLIN, IO_CONTROL, 0, timerfd_ready, l);
	if (err) {
		errno = -err;
		goto fail;
	}
	return 0;
fail:
	err = -errno;
	io_loop_destroy(l);
	return err;
}

void io_loop_destroy(struct io_loop *l)
{
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l->reg);
	free(l->again);
	timer_heap_destroy(&l->timers);
	l->reg = NULL;
	l->again = NULL;
	l->nreg = 0;
	l->epfd = l->tfd = -1;
}

static int grow_reg(struct io_loop *l, int fd)
{
	if (fd < l->nreg)
		return 0;
	int n = l->nreg ? l->nreg : 64;
	while (n <= fd)
		n *= 2;
	struct io_reg *r = realloc(l->reg, (size_t)n * sizeof(*r));
	if (!r)
		return -ENOMEM;
	memset(r + l->nreg, 0, (size_t)(n - l->nreg) * sizeof(*r));
	l->reg = r;
	l->nreg = n;
	return 0;
}

int io_loop_add(struct io_loop *l, int fd, uint32_t events, enum io_class cls,
		int budget, io_fn fn, void *ctx)
{
	if (fd < 0 || !fn)
		return -EINVAL;
	int err = grow_reg(l, fd);
	if (err)
		return err;
	struct io_reg *r = &l->reg[fd];
	if (r->active)
		return -EEXIST;
	uint32_t gen = ++l->gen;
	struct epoll_event ev = { .events = events, .data.u64 = ev_key(fd, gen) };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	*r = (struct io_reg){
		.fn = fn,
		.ctx = ctx,
		.events = events,
		.gen = gen,
		.budget = cls == IO_BULK ? (budget > 0 ? budget : IO_BURST_DEFAULT) : 0,
		.cls = (uint8_t)cls,
		.active = true,
	};
	return 0;
}

int io_loop_mod(struct io_loop *l, int fd, uint32_t events)
{
	if (fd < 0 || fd >= l->nreg || !l->reg[fd].active)
		return -ENOENT;
	struct io_reg *r = &l->reg[fd];
	if (r->events == events)
		return 0;
	struct epoll_event ev = { .events = events, .data.u64 = ev_key(fd, r->gen) };
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	r->events = events;
	return 0;
}

int io_loop_del(struct io_loop *l, int fd)
{
	if (fd < 0 || fd >= l->nreg || !l->reg[fd].active)
		return -ENOENT;
	l->reg[fd].active = false;
	l->reg[fd].again = false;
	if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL) < 0 && errno != EBADF)
		return -errno;
	return 0;
}

uint32_t io_loop_events(const struct io_loop *l, int fd)
{
	if (fd < 0 || fd >= l->nreg || !l->reg[fd].active)
		return 0;
	return l->reg[fd].events;
}

int io_loop_timer_arm(struct io_loop *l, struct io_timer *t, uint64_t when)
{
	return timer_arm(&l->timers, t, when);
}

int io_loop_timer_after(struct io_loop *l, struct io_timer *t, uint64_t ms)
{
	return timer_arm(&l->timers, t, io_now_ms() + ms);
}

int io_loop_timer_cancel(struct io_loop *l, struct io_timer *t)
{
	return timer_cancel(&l->timers, t);
}

static void rearm_timerfd(struct io_loop *l)
{
	uint64_t next = timer_next(&l->timers);
	if (next == l->tfd_armed)
		return;
	struct itimerspec its;
	memset(&its, 0, sizeof(its));
	if (next != TIMER_NEVER) {
		/* 0 would disarm; a deadline at monotonic 0 is simply "now". */
		uint64_t at = next ? next : 1;
		its.it_value.tv_sec = (time_t)(at / 1000u);
		its.it_value.tv_nsec = (long)(at % 1000u) * 1000000L;
	}
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		io_logf(&l->log, IO_LOG_ERR, "io: timerfd_settime: %s", strerror(errno));
		return;
	}
	l->tfd_armed = next;
}

static int call(struct io_loop *l, int fd, uint32_t events, uint64_t stamp)
{
	struct io_reg *r = &l->reg[fd];
	r->stamp = stamp;
	r->again = false;
	int budget = r->budget;
	int cls = r->cls;
	int ret = r->fn(r->ctx, fd, events, budget);
	if (ret < 0) {
		l->st.handler_errors++;
		io_logf(&l->log, IO_LOG_WARN, "io: handler fd=%d: %s", fd, strerror(-ret));
		return 1;
	}
	/* r may have moved (realloc) or been deleted during the call. */
	if (cls == IO_BULK && ret >= budget && fd < l->nreg && l->reg[fd].active &&
	    !l->reg[fd].again) {
		l->st.bursts_capped++;
		if (l->nagain == l->again_cap) {
			int ncap = l->again_cap ? l->again_cap * 2 : 16;
			int *na = realloc(l->again, (size_t)ncap * sizeof(*na));
			if (!na)
				return 1;	/* level-triggered epoll reports it again */
			l->again = na;
			l->again_cap = ncap;
		}
		l->reg[fd].again = true;
		l->again[l->nagain++] = fd;
	}
	return 1;
}

int io_loop_once(struct io_loop *l, int max_wait_ms)
{
	struct epoll_event ev[MAX_EVENTS];
	/* Timers armed since the last iteration (by the core between calls). */
	rearm_timerfd(l);
	int pending_n = l->nagain;
	int timeout = (pending_n || l->timers_more) ? 0 : max_wait_ms;
	/* Coalescing: only when nothing is pending and the last receives were
	 * small, never when one was full (then the sockets are behind already).
	 * The wait is bounded: coalesce_us plus the kernel's timer slack
	 * (50 us by default). */
	if (l->coalesce_us && timeout != 0 && l->rx_small && !l->rx_full &&
	    l->blocked_ns < 2000ull * l->coalesce_us) {
		struct timespec ts = { .tv_sec = l->coalesce_us / 1000000u,
				       .tv_nsec = (long)(l->coalesce_us % 1000000u) * 1000L };
		(void)clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
		l->st.coalesce_waits++;
	}
	l->rx_small = l->rx_full = 0;
	uint64_t t0 = l->coalesce_us ? mono_ns() : 0;
	int n = epoll_wait(l->epfd, ev, MAX_EVENTS, timeout);
	if (l->coalesce_us)
		l->blocked_ns = mono_ns() - t0;
	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}
	l->now = io_now_ms();
	uint64_t stamp = ++l->st.iterations;
	if (n > 0)
		l->st.wakeups++;
	int done = 0;

	/* Take the "call again" list of the previous iteration; calls made in
	 * this one build the next list. Copy: handlers may grow l->again. */
	int pending[64];
	int *pend = pending;
	if (pending_n > 64) {
		pend = malloc((size_t)pending_n * sizeof(int));
		if (!pend) {
			pend = pending;
			pending_n = 64;
		}
	}
	if (pending_n)
		memcpy(pend, l->again, (size_t)pending_n * sizeof(int));
	for (int i = 0; i < l->nagain; i++)
		if (l->again[i] < l->nreg)
			l->reg[l->again[i]].again = false;
	l->nagain = 0;

	/* 1. control sockets, every iteration they are ready */
	for (int i = 0; i < n; i++) {
		int fd = (int)(uint32_t)ev[i].data.u64;
		struct io_reg *r = live_reg(l, fd, (uint32_t)(ev[i].data.u64 >> 32));
		if (r && r->cls == IO_CONTROL && r->stamp != stamp)
			done += call(l, fd, ev[i].events, stamp);
	}
	/* 2. due timers, bounded */
	l->now = io_now_ms();
	int ran = timer_run(&l->timers, l->now, l->timer_budget);
	l->st.timers_run += (uint64_t)ran;
	done += ran;
	/* 3. bulk: one burst each for the ready ones and the unfinished ones */
	for (int i = 0; i < n; i++) {
		int fd = (int)(uint32_t)ev[i].data.u64;
		struct io_reg *r = live_reg(l, fd, (uint32_t)(ev[i].data.u64 >> 32));
		if (r && r->cls == IO_BULK && r->stamp != stamp)
			done += call(l, fd, ev[i].events, stamp);
	}
	for (int i = 0; i < pending_n; i++) {
		int fd = pend[i];
		if (fd < l->nreg && l->reg[fd].active && l->reg[fd].stamp != stamp)
			done += call(l, fd, 0, stamp);
	}
	if (pend != pending)
		free(pend);

	l->timers_more = timer_next(&l->timers) <= io_now_ms();
	rearm_timerfd(l);
	return done;
}

int io_loop_run(struct io_loop *l)
{
	l->stop = false;
	while (!l->stop) {
		int r = io_loop_once(l, -1);
		if (r < 0) {
			io_logf(&l->log, IO_LOG_CRIT, "io: epoll_wait: %s", strerror(-r));
			return r;
		}
	}
	return l->exit_code;
}

void io_loop_stop(struct io_loop *l, int code)
{
	l->stop = true;
	l->exit_code = code;
}
