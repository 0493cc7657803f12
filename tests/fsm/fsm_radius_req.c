/*
 * The RADIUS request automaton: every (state, event) cell against a hand
 * transcription, then the schedules an operator relies on: back-off
 * (RFC 5080 §2.2.1), failover to the secondary (RFC 2865 §2.5), exhaustion
 * and a new round for parked accounting.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsm/radius_req.h"

static const struct rreq_conf two = {.nservers = 2, .tries = 3, .timeout_ms = 1000, .cap_ms = 3000};

/* Expected outcome of each cell, from a request that has sent once to
 * server 0 (WAIT cells) and whose deadline has passed (TIMEOUT). */
struct cell {
	uint8_t state, ev;
	uint8_t next;
	const char *acts;	/* action letters: S send, R resend, T timer, X stop timer,
				   F server failed, D done, E exhausted */
};

static const struct cell cells[] = {
	{RREQ_IDLE, RREQ_EV_START, RREQ_WAIT, "ST"},
	{RREQ_IDLE, RREQ_EV_TIMEOUT, RREQ_IDLE, ""},
	{RREQ_IDLE, RREQ_EV_RESPONSE, RREQ_IDLE, ""},
	{RREQ_IDLE, RREQ_EV_CANCEL, RREQ_DONE, ""},
	{RREQ_WAIT, RREQ_EV_START, RREQ_WAIT, ""},
	{RREQ_WAIT, RREQ_EV_TIMEOUT, RREQ_WAIT, "RT"},
	{RREQ_WAIT, RREQ_EV_RESPONSE, RREQ_DONE, "XD"},
	{RREQ_WAIT, RREQ_EV_CANCEL, RREQ_DONE, "X"},
	{RREQ_DONE, RREQ_EV_START, RREQ_DONE, ""},
	{RREQ_DONE, RREQ_EV_TIMEOUT, RREQ_DONE, ""},
	{RREQ_DONE, RREQ_EV_RESPONSE, RREQ_DONE, ""},
	{RREQ_DONE, RREQ_EV_CANCEL, RREQ_DONE, ""},
	{RREQ_EXHAUSTED, RREQ_EV_START, RREQ_WAIT, "ST"},
	{RREQ_EXHAUSTED, RREQ_EV_TIMEOUT, RREQ_EXHAUSTED, ""},
	{RREQ_EXHAUSTED, RREQ_EV_RESPONSE, RREQ_EXHAUSTED, ""},
	{RREQ_EXHAUSTED, RREQ_EV_CANCEL, RREQ_DONE, ""},
};

static void letters(const struct rreq_out *o, char *buf)
{
	static const char map[] = " SRTXFDE";
	for (unsigned i = 0; i < o->n; i++)
		buf[i] = map[o->a[i].type];
	buf[o->n] = 0;
}

static void put_in(struct rreq *r, uint8_t state)
{
	struct rreq_out o;
	rreq_init(r);
	if (state == RREQ_IDLE)
		return;
	assert_int_equal(rreq_step(r, &two, RREQ_EV_START, 0, 0, &o), 0);
	if (state == RREQ_DONE)
		assert_int_equal(rreq_step(r, &two, RREQ_EV_RESPONSE, 0, 10, &o), 0);
	if (state == RREQ_EXHAUSTED)
		for (int i = 0; i < 6; i++)
			assert_int_equal(rreq_step(r, &two, RREQ_EV_TIMEOUT, 0, 100000u * (i + 1), &o), 0);
	assert_int_equal(r->state, state);
}

static void every_cell(void **st)
{
	(void)st;
	int seen[RREQ_NSTATES][RREQ_NEVENTS] = {{0}};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		const struct cell *c = &cells[i];
		struct rreq r;
		struct rreq_out o;
		char got[8];
		put_in(&r, c->state);
		assert_int_equal(rreq_step(&r, &two, c->ev, 1, 1000000, &o), 0);
		letters(&o, got);
		print_message("%-9s x %-8s -> %-9s %s\n", rreq_state_name(c->state),
			      rreq_event_name(c->ev), rreq_state_name(r.state), got);
		assert_int_equal(r.state, c->next);
		assert_string_equal(got, c->acts);
		seen[c->state][c->ev]++;
	}
	for (int s = 0; s < RREQ_NSTATES; s++)
		for (int e = 0; e < RREQ_NEVENTS; e++)
			assert_int_equal(seen[s][e], 1);
}

/* Three sends to the primary 1 s, 2 s apart, then the secondary's three
 * with the interval restarted and capped at 3 s; then exhausted. */
static void backoff_then_failover(void **st)
{
	(void)st;
	struct rreq r;
	struct rreq_out o;
	rreq_init(&r);
	assert_int_equal(rreq_step(&r, &two, RREQ_EV_START, 0, 0, &o), 0);
	assert_int_equal(o.a[0].type, RREQ_A_SEND);
	assert_int_equal(o.a[0].server, 0);
	assert_int_equal(o.a[1].at, 1000);
	/* an early timer (stale) only re-arms */
	assert_int_equal(rreq_step(&r, &two, RREQ_EV_TIMEOUT, 0, 999, &o), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.a[0].type, RREQ_A_TIMER);
	assert_int_equal(o.a[0].at, 1000);
	assert_int_equal(rreq_step(&r, &two, RREQ_EV_TIMEOUT, 0, 1000, &o), 0);
	assert_int_equal(o.a[0].type, RREQ_A_RESEND);
	assert_int_equal(o.a[1].at, 3000);	/* 2 s */
	assert_int_equal(rreq_step(&r, &two, RREQ_EV_TIMEOUT, 0, 3000, &o), 0);
	assert_int_equal(o.a[0].type, RREQ_A_RESEND);
	assert_int_equal(o.a[1].at, 6000);	/* 4 s capped to 3 s */
	assert_int_equal(rreq_step(&r, &two, RREQ_EV_TIMEOUT, 0, 6000, &o), 0);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.a[0].type, RREQ_A_SERVER_FAILED);
	assert_int_equal(o.a[0].server, 0);
	assert_int_equal(o.a[1].type, RREQ_A_SEND);
	assert_int_equal(o.a[1].server, 1);
	assert_int_equal(o.a[2].at, 7000);	/* interval restarts */
	/* the secondary answers */
	assert_int_equal(rreq_step(&r, &two, RREQ_EV_RESPONSE, 0, 7100, &o), 0);
	assert_int_equal(r.state, RREQ_DONE);
	assert_int_equal(o.a[1].type, RREQ_A_DONE);
	assert_int_equal(o.a[1].server, 1);
}

/* Failover wraps: a request started on the secondary goes to the primary. */
static void start_on_secondary_wraps(void **st)
{
	(void)st;
	struct rreq r;
	struct rreq_out o;
	rreq_init(&r);
	rreq_step(&r, &two, RREQ_EV_START, 1, 0, &o);
	uint64_t t = 0;
	for (int i = 0; i < 3; i++) {
		t = r.deadline;
		rreq_step(&r, &two, RREQ_EV_TIMEOUT, 0, t, &o);
	}
	assert_int_equal(o.a[0].type, RREQ_A_SERVER_FAILED);
	assert_int_equal(o.a[0].server, 1);
	assert_int_equal(o.a[1].server, 0);
	for (int i = 0; i < 3; i++)
		rreq_step(&r, &two, RREQ_EV_TIMEOUT, 0, r.deadline, &o);
	assert_int_equal(r.state, RREQ_EXHAUSTED);
	assert_int_equal(o.a[o.n - 1].type, RREQ_A_EXHAUSTED);
	/* parked accounting: a new round */
	rreq_step(&r, &two, RREQ_EV_START, 0, t + 100000, &o);
	assert_int_equal(r.state, RREQ_WAIT);
	assert_int_equal(r.rounds, 1);
	assert_int_equal(r.tries, 1);
}

static void single_server_single_try(void **st)
{
	(void)st;
	struct rreq_conf one = {.nservers = 1, .tries = 1, .timeout_ms = 500, .cap_ms = 500};
	struct rreq r;
	struct rreq_out o;
	rreq_init(&r);
	rreq_step(&r, &one, RREQ_EV_START, 0, 0, &o);
	rreq_step(&r, &one, RREQ_EV_TIMEOUT, 0, 500, &o);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.a[0].type, RREQ_A_SERVER_FAILED);
	assert_int_equal(o.a[1].type, RREQ_A_EXHAUSTED);
	assert_int_equal(r.state, RREQ_EXHAUSTED);
}

static void bad_arguments(void **st)
{
	(void)st;
	struct rreq r;
	struct rreq_out o;
	struct rreq_conf c = two;
	rreq_init(&r);
	assert_int_equal(rreq_step(&r, &two, RREQ_EV_START, 2, 0, &o), -EINVAL);
	assert_int_equal(rreq_step(&r, &two, (enum rreq_event)9, 0, 0, &o), -EINVAL);
	c.nservers = 0;
	assert_int_equal(rreq_step(&r, &c, RREQ_EV_START, 0, 0, &o), -EINVAL);
	c = two;
	c.cap_ms = 10;
	assert_int_equal(rreq_step(&r, &c, RREQ_EV_START, 0, 0, &o), -EINVAL);
	c = two;
	c.tries = 0;
	assert_int_equal(rreq_step(&r, &c, RREQ_EV_START, 0, 0, &o), -EINVAL);
	assert_int_equal(r.state, RREQ_IDLE);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(every_cell),
		cmocka_unit_test(backoff_then_failover),
		cmocka_unit_test(start_on_secondary_wraps),
		cmocka_unit_test(single_server_single_try),
		cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
