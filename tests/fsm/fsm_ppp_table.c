/*
 * RFC 1661 §4.1: every (state, event) cell of the automaton against
 * tests/fsm/ppp_fsm_expected.txt, a hand transcription of the RFC table that
 * shares nothing with the implementation's own table. Also the §4.6 counter
 * and Restart-timer rules that the table leaves implicit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsm/ppp_fsm.h"

static int find_name(const char *s, const char *(*name)(unsigned), unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(name(i), s) == 0)
			return (int)i;
	return -1;
}

static FILE *open_expected(void)
{
	const char *env = getenv("PPP_FSM_EXPECTED");
	if (env)
		return fopen(env, "r");
	/* __FILE__ is relative to the top of the tree, where make runs. */
	char path[512];
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__) : 0;
	snprintf(path, sizeof path, "%.*s%sppp_fsm_expected.txt", dir, __FILE__, dir ? "/" : "");
	return fopen(path, "r");
}

static void every_cell_matches_rfc1661_table(void **state)
{
	(void)state;
	FILE *fp = open_expected();
	assert_non_null(fp);
	int seen[PPP_ST_COUNT][PPP_EV_COUNT];
	memset(seen, 0, sizeof seen);
	char line[256];
	int cells = 0;
	while (fgets(line, sizeof line, fp)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char st[32], ev[32], acts[64], next[16];
		assert_int_equal(sscanf(line, "%31s %31s %63s %15s", st, ev, acts, next), 4);
		int s = find_name(st, ppp_fsm_state_name, PPP_ST_COUNT);
		int e = find_name(ev, ppp_fsm_event_name, PPP_EV_COUNT);
		if (s < 0 || e < 0)
			fail_msg("bad line: %s", line);
		seen[s][e]++;
		cells++;

		struct ppp_fsm f;
		ppp_fsm_init(&f, NULL);
		f.state = (uint8_t)s;
		f.restart = 5;
		f.timer_on = ppp_fsm_timer_state((enum ppp_fsm_state)s);
		struct ppp_fsm_result r;
		assert_int_equal(ppp_fsm_step(&f, (enum ppp_fsm_event)e, &r), 0);

		int want_next = atoi(next);
		if (r.to != want_next || f.state != want_next)
			fail_msg("%s %s: next %d, want %d", st, ev, r.to, want_next);
		bool illegal = strcmp(acts, "illegal") == 0;
		if (r.illegal != illegal)
			fail_msg("%s %s: illegal=%d", st, ev, r.illegal);
		/* rebuild the action list as text and compare */
		char got[64] = "";
		if (illegal) {
			assert_int_equal(r.n, 0);
			strcpy(got, "illegal");
		} else if (r.n == 0) {
			strcpy(got, "-");
		} else {
			for (int i = 0; i < r.n; i++) {
				if (i)
					strcat(got, ",");
				strcat(got, ppp_fsm_action_name(r.acts[i]));
			}
		}
		if (strcmp(got, acts) != 0)
			fail_msg("%s %s: actions %s, want %s", st, ev, got, acts);
	}
	fclose(fp);
	assert_int_equal(cells, PPP_ST_COUNT * PPP_EV_COUNT);
	for (int s = 0; s < PPP_ST_COUNT; s++)
		for (int e = 0; e < PPP_EV_COUNT; e++)
			if (seen[s][e] != 1)
				fail_msg("cell %s %s appears %d times", ppp_fsm_state_name((unsigned)s),
					 ppp_fsm_event_name((unsigned)e), seen[s][e]);
}

/* §4.6: the Restart timer runs exactly while a Configure-Request or
 * Terminate-Request awaits its answer (Closing, Stopping, Req-Sent,
 * Ack-Rcvd, Ack-Sent); it is (re)armed by every scr/str and by zrc. */
static void restart_timer_follows_state(void **state)
{
	(void)state;
	for (int s = 0; s < PPP_ST_COUNT; s++) {
		for (int e = 0; e < PPP_EV_COUNT; e++) {
			struct ppp_fsm f;
			ppp_fsm_init(&f, NULL);
			f.state = (uint8_t)s;
			f.restart = 3;
			bool was = ppp_fsm_timer_state((enum ppp_fsm_state)s);
			f.timer_on = was;
			struct ppp_fsm_result r;
			assert_int_equal(ppp_fsm_step(&f, (enum ppp_fsm_event)e, &r), 0);
			bool now = f.state == PPP_ST_CLOSING || f.state == PPP_ST_STOPPING ||
				   f.state == PPP_ST_REQ_SENT || f.state == PPP_ST_ACK_RCVD ||
				   f.state == PPP_ST_ACK_SENT;
			assert_int_equal(f.timer_on, now);
			bool sends = false;
			for (int i = 0; i < r.n; i++)
				if (r.acts[i] == PPP_A_SCR || r.acts[i] == PPP_A_STR || r.acts[i] == PPP_A_ZRC)
					sends = true;
			int want = !now ? (was ? -1 : 0) : (sends ? 1 : 0);
			if (r.timer != want)
				fail_msg("%s %s: timer %d want %d", ppp_fsm_state_name((unsigned)s),
					 ppp_fsm_event_name((unsigned)e), r.timer, want);
		}
	}
}

/* Max-Configure Configure-Requests, then TO- and tlf into Stopped. */
static void max_configure_requests_then_stopped(void **state)
{
	(void)state;
	struct ppp_fsm_conf c = { 3000, 2, 7, 5 };
	struct ppp_fsm f;
	ppp_fsm_init(&f, &c);
	struct ppp_fsm_result r;
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_UP, &r), 0);
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_OPEN, &r), 0);
	assert_int_equal(f.state, PPP_ST_REQ_SENT);
	int scr = 1;
	for (;;) {
		enum ppp_fsm_event ev = ppp_fsm_timeout_event(&f);
		assert_int_equal(ppp_fsm_step(&f, ev, &r), 0);
		if (ev == PPP_EV_TO_MINUS)
			break;
		assert_int_equal(r.acts[0], PPP_A_SCR);
		scr++;
		assert_true(scr < 100);
	}
	assert_int_equal(scr, 7);
	assert_int_equal(f.state, PPP_ST_STOPPED);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.acts[0], PPP_A_TLF);
	assert_int_equal(r.timer, -1);
}

/* Max-Terminate Terminate-Requests from Opened, then tlf into Closed. */
static void max_terminate_requests_then_closed(void **state)
{
	(void)state;
	struct ppp_fsm f;
	ppp_fsm_init(&f, NULL);
	f.state = PPP_ST_OPENED;
	struct ppp_fsm_result r;
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_CLOSE, &r), 0);
	assert_int_equal(f.state, PPP_ST_CLOSING);
	assert_int_equal(r.timer, 1);
	int str = 1;
	while (ppp_fsm_timeout_event(&f) == PPP_EV_TO_PLUS) {
		assert_int_equal(ppp_fsm_step(&f, PPP_EV_TO_PLUS, &r), 0);
		assert_int_equal(r.acts[0], PPP_A_STR);
		str++;
		assert_true(str < 100);
	}
	assert_int_equal(str, 2);
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_TO_MINUS, &r), 0);
	assert_int_equal(f.state, PPP_ST_CLOSED);
	assert_int_equal(r.acts[0], PPP_A_TLF);
}

/* §4.4 zrc after a peer Terminate-Request: one timer period, then TO-. */
static void zrc_waits_one_period(void **state)
{
	(void)state;
	struct ppp_fsm f;
	ppp_fsm_init(&f, NULL);
	f.state = PPP_ST_OPENED;
	struct ppp_fsm_result r;
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_RTR, &r), 0);
	assert_int_equal(f.state, PPP_ST_STOPPING);
	assert_int_equal(r.timer, 1);
	assert_int_equal(f.restart, 0);
	assert_int_equal(ppp_fsm_timeout_event(&f), PPP_EV_TO_MINUS);
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_TO_MINUS, &r), 0);
	assert_int_equal(f.state, PPP_ST_STOPPED);
}

static void out_of_range_is_rejected(void **state)
{
	(void)state;
	struct ppp_fsm f;
	ppp_fsm_init(&f, NULL);
	struct ppp_fsm_result r;
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_COUNT, &r), -22);
	f.state = PPP_ST_COUNT;
	assert_int_equal(ppp_fsm_step(&f, PPP_EV_UP, &r), -22);
	assert_null(ppp_fsm_state_name(PPP_ST_COUNT));
	assert_null(ppp_fsm_event_name(PPP_EV_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_cell_matches_rfc1661_table),
		cmocka_unit_test(restart_timer_follows_state),
		cmocka_unit_test(max_configure_requests_then_stopped),
		cmocka_unit_test(max_terminate_requests_then_closed),
		cmocka_unit_test(zrc_waits_one_period),
		cmocka_unit_test(out_of_range_is_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
