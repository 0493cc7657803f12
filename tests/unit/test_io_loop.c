/* The epoll loop: bursts and fairness, the timerfd-driven heap in real time,
 * signals through signalfd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/loop.h"
#include "io/sig.h"

/* ---- timers in real time -------------------------------------------- */

struct fired {
	uint64_t at[4];
	int id[4];
	int n;
};

struct tid {
	struct fired *f;
	int id;
};

static void on_timer(void *ctx, struct io_timer *t, uint64_t now)
{
	(void)t;
	(void)now;
	struct tid *c = ctx;
	c->f->at[c->f->n] = io_now_ms();
	c->f->id[c->f->n++] = c->id;
}

static void timerfd_fires_on_time(void **state)
{
	(void)state;
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	struct fired f = { .n = 0 };
	struct tid c[3] = { { &f, 0 }, { &f, 1 }, { &f, 2 } };
	struct io_timer t[3];
	for (int i = 0; i < 3; i++)
		timer_init(&t[i], on_timer, &c[i]);
	uint64_t start = io_now_ms();
	assert_int_equal(io_loop_timer_arm(&l, &t[0], start + 80), 0);
	assert_int_equal(io_loop_timer_arm(&l, &t[1], start + 40), 0);
	assert_int_equal(io_loop_timer_arm(&l, &t[2], start + 60), 0);
	assert_int_equal(io_loop_timer_cancel(&l, &t[2]), 1);
	/* each iteration blocks in epoll_wait until the timerfd wakes it */
	int iters = 0;
	while (f.n < 2 && iters < 10) {
		assert_true(io_loop_once(&l, 1000) >= 0);
		iters++;
	}
	assert_int_equal(f.n, 2);
	assert_int_equal(f.id[0], 1);
	assert_int_equal(f.id[1], 0);
	/* never early; late by at most 60 ms of scheduling noise (a loaded
	 * CI box), far below the 1000 ms the wait would take if the timerfd
	 * were not armed */
	assert_true(f.at[0] >= start + 40 && f.at[0] <= start + 100);
	assert_true(f.at[1] >= start + 80 && f.at[1] <= start + 140);
	/* two deadlines, so two wakeups plus at most a spurious one */
	assert_true(iters <= 3);
	io_loop_destroy(&l);
}

/* ---- bursts and fairness -------------------------------------------- */

struct bulk {
	int fd;
	int backlog;		/* work items left after the fd was drained */
	int calls;
	int max_done;
	int order_log[32];
	int *seq;
};

static int bulk_fn(void *ctx, int fd, uint32_t events, int budget)
{
	(void)events;
	struct bulk *b = ctx;
	char buf[256];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	int done = b->backlog < budget ? b->backlog : budget;
	b->backlog -= done;
	if (b->calls < 32)
		b->order_log[b->calls] = (*b->seq)++;
	b->calls++;
	if (done > b->max_done)
		b->max_done = done;
	return done;
}

struct ctl {
	int calls;
	int last_seq;
	int *seq;
};

static int ctl_fn(void *ctx, int fd, uint32_t events, int budget)
{
	(void)events;
	assert_int_equal(budget, 0);
	struct ctl *c = ctx;
	char buf[16];
	if (read(fd, buf, sizeof(buf)) < 0)
		return -errno;
	c->calls++;
	c->last_seq = (*c->seq)++;
	return 0;
}

static void bulk_is_bounded_and_called_again_without_waiting(void **state)
{
	(void)state;
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	int p[2];
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	int seq = 0;
	struct bulk b = { .fd = p[0], .backlog = 10, .seq = &seq };
	assert_int_equal(io_loop_add(&l, p[0], EPOLLIN, IO_BULK, 4, bulk_fn, &b), 0);
	assert_int_equal(io_loop_add(&l, p[0], EPOLLIN, IO_BULK, 4, bulk_fn, &b), -EEXIST);
	assert_int_equal(write(p[1], "x", 1), 1);
	/* 10 items at 4 per burst: 3 calls, the fd is drained after the
	 * first, so calls 2 and 3 come from the "again" list; the wait
	 * limit of 2 s would show if the loop blocked instead. */
	uint64_t t0 = io_now_ms();
	for (int i = 0; i < 3; i++)
		assert_int_equal(io_loop_once(&l, 2000), 1);
	assert_true(io_now_ms() - t0 < 500);
	assert_int_equal(b.calls, 3);
	assert_int_equal(b.max_done, 4);
	assert_int_equal(b.backlog, 0);
	assert_int_equal(l.st.bursts_capped, 2);	/* 4, 4, then 2 */
	/* nothing left: the next iteration waits (for 50 ms) */
	t0 = io_now_ms();
	assert_int_equal(io_loop_once(&l, 50), 0);
	assert_true(io_now_ms() - t0 >= 45);
	assert_int_equal(b.calls, 3);
	close(p[0]);
	close(p[1]);
	io_loop_destroy(&l);
}

/* A bulk reader that reports its batches for receive coalescing. */
struct nb {
	struct io_loop *l;
	int calls;
};

static int note_fn(void *ctx, int fd, uint32_t events, int budget)
{
	(void)events;
	struct nb *b = ctx;
	char buf[64];
	ssize_t r = read(fd, buf, (size_t)budget < sizeof(buf) ? (size_t)budget : sizeof(buf));
	int got = r > 0 ? (int)r : 0;
	io_loop_note_batch(b->l, got, budget);
	b->calls++;
	return got >= budget ? budget : 0;
}

static void small_batches_wait_coalesce_us_before_the_next_wakeup(void **state)
{
	(void)state;
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	int p[2];
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	struct nb b = { .l = &l };
	assert_int_equal(io_loop_add(&l, p[0], EPOLLIN, IO_BULK, 8, note_fn, &b), 0);
	l.coalesce_us = 30000;	/* 30 ms: well above scheduling noise */
	/* 1 of 8: small, so the next iteration waits even with data ready */
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(io_loop_once(&l, 2000), 1);
	assert_int_equal(write(p[1], "y", 1), 1);
	uint64_t t0 = io_now_ms();
	assert_int_equal(io_loop_once(&l, 2000), 1);
	assert_true(io_now_ms() - t0 >= 29);
	assert_int_equal(l.st.coalesce_waits, 1);
	/* 5 of 8 is not small: the next wake-up is at once */
	assert_int_equal(write(p[1], "abcde", 5), 5);
	assert_int_equal(io_loop_once(&l, 2000), 1);	/* waits: "y" was small */
	assert_int_equal(write(p[1], "z", 1), 1);
	t0 = io_now_ms();
	assert_int_equal(io_loop_once(&l, 2000), 1);
	assert_true(io_now_ms() - t0 < 25);
	assert_int_equal(l.st.coalesce_waits, 2);
	/* "z" was small and dense: the loop waits once more, then blocks
	 * ~170 ms for "q": sparse traffic, so the small batch of "q" is no
	 * reason to wait (it would only add latency) */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(200000);
		_exit(write(p[1], "q", 1) == 1 ? 0 : 1);
	}
	assert_int_equal(io_loop_once(&l, 2000), 1);	/* "q" */
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(l.st.coalesce_waits, 3);
	assert_int_equal(write(p[1], "r", 1), 1);
	t0 = io_now_ms();
	assert_int_equal(io_loop_once(&l, 2000), 1);
	assert_true(io_now_ms() - t0 < 25);
	assert_int_equal(l.st.coalesce_waits, 3);
	/* 0 = off: "r" was small and dense, yet no wait */
	l.coalesce_us = 0;
	assert_int_equal(write(p[1], "w", 1), 1);
	t0 = io_now_ms();
	assert_int_equal(io_loop_once(&l, 2000), 1);
	assert_true(io_now_ms() - t0 < 25);
	assert_int_equal(l.st.coalesce_waits, 3);
	assert_int_equal(b.calls, 7);
	close(p[0]);
	close(p[1]);
	io_loop_destroy(&l);
}

static void control_runs_first_every_iteration_under_bulk_load(void **state)
{
	(void)state;
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	int bp[2], cp[2];
	assert_int_equal(pipe2(bp, O_NONBLOCK), 0);
	assert_int_equal(pipe2(cp, O_NONBLOCK), 0);
	int seq = 0;
	/* a bulk source with endless backlog (a TUN at line rate) */
	struct bulk b = { .fd = bp[0], .backlog = 1 << 30, .seq = &seq };
	struct ctl c = { .seq = &seq };
	assert_int_equal(io_loop_add(&l, bp[0], EPOLLIN, IO_BULK, 64, bulk_fn, &b), 0);
	assert_int_equal(io_loop_add(&l, cp[0], EPOLLIN, IO_CONTROL, 0, ctl_fn, &c), 0);
	assert_int_equal(write(bp[1], "x", 1), 1);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(write(cp[1], "c", 1), 1);
		int before = seq;
		assert_int_equal(io_loop_once(&l, 1000), 2);
		/* the control message was handled in this very iteration,
		 * before the bulk burst */
		assert_int_equal(c.calls, i + 1);
		assert_int_equal(c.last_seq, before);
		assert_int_equal(b.order_log[i], before + 1);
	}
	assert_int_equal(b.max_done, 64);
	assert_int_equal(b.calls, 5);
	close(bp[0]);
	close(bp[1]);
	close(cp[0]);
	close(cp[1]);
	io_loop_destroy(&l);
}

struct killer {
	struct io_loop *l;
	int victim;
	int calls;
};

static int killer_fn(void *ctx, int fd, uint32_t events, int budget)
{
	(void)fd;
	(void)events;
	(void)budget;
	struct killer *k = ctx;
	k->calls++;
	io_loop_del(k->l, k->victim);
	return 0;
}

static void deleted_fd_gets_no_stale_event(void **state)
{
	(void)state;
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	int a[2], b[2];
	assert_int_equal(pipe2(a, O_NONBLOCK), 0);
	assert_int_equal(pipe2(b, O_NONBLOCK), 0);
	struct killer ka = { &l, b[0], 0 }, kb = { &l, a[0], 0 };
	assert_int_equal(io_loop_add(&l, a[0], EPOLLIN, IO_CONTROL, 0, killer_fn, &ka), 0);
	assert_int_equal(io_loop_add(&l, b[0], EPOLLIN, IO_CONTROL, 0, killer_fn, &kb), 0);
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "x", 1), 1);
	assert_int_equal(io_loop_once(&l, 1000), 1);
	/* whichever ran first removed the other */
	assert_int_equal(ka.calls + kb.calls, 1);
	assert_int_equal(io_loop_del(&l, a[0]) + io_loop_del(&l, b[0]), -ENOENT);
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
	}
	io_loop_destroy(&l);
}

/* ---- signals -------------------------------------------------------- */

struct sigs {
	int signo[8];
	int n;
};

static void on_sig(void *ctx, const struct signalfd_siginfo *si)
{
	struct sigs *s = ctx;
	if (s->n < 8)
		s->signo[s->n++] = (int)si->ssi_signo;
}

static void raised_signals_arrive_as_events(void **state)
{
	(void)state;
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	struct io_sig s;
	assert_int_equal(io_sig_open(&s, NULL, 0), 0);
	struct sigs got = { .n = 0 };
	assert_int_equal(io_sig_attach(&s, &l, on_sig, &got), 0);
	/* blocked process-wide: these would otherwise terminate the test */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	assert_true(sigismember(&cur, SIGHUP) && sigismember(&cur, SIGTERM) &&
		    sigismember(&cur, SIGINT) && sigismember(&cur, SIGQUIT) &&
		    sigismember(&cur, SIGCHLD));
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(io_loop_once(&l, 1000), 1);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.signo[0], SIGHUP);

	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(raise(SIGQUIT), 0);
	assert_int_equal(io_loop_once(&l, 1000), 1);
	assert_int_equal(got.n, 3);
	/* pending standard signals are delivered lowest number first */
	assert_int_equal(got.signo[1], SIGQUIT);
	assert_int_equal(got.signo[2], SIGTERM);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	int iters = 0;
	while (got.n < 4 && iters++ < 10)
		io_loop_once(&l, 1000);
	assert_int_equal(got.signo[3], SIGCHLD);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);

	io_sig_close(&s);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	assert_false(sigismember(&cur, SIGHUP));
	io_loop_destroy(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timerfd_fires_on_time),
		cmocka_unit_test(bulk_is_bounded_and_called_again_without_waiting),
		cmocka_unit_test(small_batches_wait_coalesce_us_before_the_next_wakeup),
		cmocka_unit_test(control_runs_first_every_iteration_under_bulk_load),
		cmocka_unit_test(deleted_fd_gets_no_stale_event),
		cmocka_unit_test(raised_signals_arrive_as_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
