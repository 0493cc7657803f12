/*
 * Robustness of the PPP link against anything a peer can send: seeded
 * random sequences of valid, mutated and garbage frames, verdicts and clock
 * jumps, checking invariants after every step (run under ASan+UBSan by
 * `make asan`). Complements the fuzzers of the codecs: here the decoders'
 * output drives the state machines.
 */
#include "ppp_harness.h"

static uint32_t rng;

static uint32_t rnd32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static const uint16_t protos[] = {
	PPP_PROTO_LCP, PPP_PROTO_LCP, PPP_PROTO_LCP, PPP_PROTO_PAP,  PPP_PROTO_CHAP, PPP_PROTO_IPCP,
	PPP_PROTO_IPCP, PPP_PROTO_IPV6CP, PPP_PROTO_CCP, PPP_PROTO_IP, PPP_PROTO_IPV6, 0x8281, 0x80fb,
};

static size_t make_payload(struct sim *s, uint16_t proto, uint8_t *b, size_t cap)
{
	struct wr w;
	wr_init(&w, b, cap);
	uint8_t code = (uint8_t)(1 + rnd32() % 16);
	uint8_t id = (uint8_t)rnd32();
	if (rnd32() % 3 == 0)
		id = s->l.cp[PPP_CPI_LCP].req_id;
	if (proto == PPP_PROTO_PAP) {
		ppp_pap_req_build(&w, id, "user", 4, "pass", 4);
	} else if (proto == PPP_PROTO_CHAP) {
		uint8_t v[16];
		memset(v, (int)rnd32(), sizeof v);
		ppp_chap_value_build(&w, PPP_CHAP_RESPONSE, rnd32() % 2 ? s->l.chap_id : id, v,
				     rnd32() % 4 ? 16 : 5, "u", 1);
	} else if (code <= 4) {
		size_t at = ppp_cp_begin(&w, code, id);
		int n = (int)(rnd32() % 5);
		for (int i = 0; i < n; i++) {
			uint8_t val[10];
			for (int k = 0; k < 10; k++)
				val[k] = (uint8_t)(rnd32() % 3 ? 0 : rnd32());
			static const uint8_t types[] = { 1, 2, 3, 4, 5, 7, 8, 13, 17, 19, 129, 131, 99, 0 };
			static const uint8_t lens[] = { 0, 1, 2, 3, 4, 8 };
			ppp_opt_put(&w, types[rnd32() % sizeof types], val, lens[rnd32() % sizeof lens]);
		}
		ppp_cp_end(&w, at);
	} else {
		uint8_t data[12];
		for (int k = 0; k < 12; k++)
			data[k] = (uint8_t)rnd32();
		ppp_cp_build(&w, code, id, data, rnd32() % 13);
	}
	size_t len = w.err ? 0 : w.off;
	/* mutate: flip bytes, truncate, or extend with garbage */
	switch (rnd32() % 6) {
	case 0:
		if (len)
			b[rnd32() % len] ^= (uint8_t)(1u << (rnd32() % 8));
		break;
	case 1:
		if (len)
			len = rnd32() % len;
		break;
	case 2:
		while (len < cap && rnd32() % 4)
			b[len++] = (uint8_t)rnd32();
		break;
	default:
		break;
	}
	return len;
}

static void check_invariants(const struct sim *s, unsigned downs)
{
	assert_true(downs <= 1);
	assert_true(s->l.phase <= PPP_PHASE_TERMINATE);
	for (int i = 0; i < PPP_CPI_COUNT; i++) {
		assert_true(s->l.cp[i].fsm.state < PPP_ST_COUNT);
		/* a running restart timer always has a deadline to fire */
		if (s->l.phase != PPP_PHASE_DEAD && s->l.cp[i].fsm.timer_on)
			assert_true(s->l.cp[i].deadline != 0);
	}
	if (s->l.phase == PPP_PHASE_NETWORK)
		assert_int_equal(s->l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_OPENED);
	if (s->l.phase == PPP_PHASE_DEAD)
		assert_int_equal(s->timer_at, 0);
	/* the daemon is never asked to wake up in the past */
	if (s->timer_at)
		assert_true(s->timer_at + 1 >= s->x.now_ms);
}

static void random_peer_never_breaks_the_link(void **state)
{
	(void)state;
	static struct sim s;
	unsigned downs_total = 0, opened = 0, network = 0;
	for (uint32_t seed = 1; seed <= 300; seed++) {
		rng = seed * 2654435761u;
		sim_init(&s);
		s.conf.ipv6 = rnd32() % 2;
		s.conf.n_auth = 1 + rnd32() % 2;
		s.conf.auth[0] = rnd32() % 2 ? PPP_AUTH_PAP : PPP_AUTH_CHAP;
		s.conf.auth[1] = s.conf.auth[0] == PPP_AUTH_PAP ? PPP_AUTH_CHAP : PPP_AUTH_PAP;
		s.conf.dns[0] = rnd32() % 2 ? IP4(192, 0, 2, 53) : 0;
		s.conf.fsm.max_failure = (uint8_t)(1 + rnd32() % 5);
		sim_start(&s);
		unsigned downs = 0;
		for (int step = 0; step < 400; step++) {
			uint8_t b[200];
			unsigned what = rnd32() % 12;
			if (what < 6) {
				uint16_t proto = protos[rnd32() % (sizeof protos / sizeof protos[0])];
				size_t len = make_payload(&s, proto, b, sizeof b);
				int rc = sim_rx(&s, proto, b, len);
				assert_true(rc >= PPP_RX_CONTROL && rc <= PPP_RX_DROP);
			} else if (what < 8) {
				sim_advance(&s, rnd32() % 8000);
			} else if (what == 8) {
				if (s.l.auth_pending)
					sim_verdict(&s, rnd32() % 4 != 0, IP4(10, 0, 0, 1 + rnd32() % 200), 0, 0);
			} else if (what == 9) {
				static const uint16_t cps[] = { PPP_PROTO_LCP, PPP_PROTO_IPCP, PPP_PROTO_IPV6CP,
								PPP_PROTO_CCP };
				uint16_t p = cps[rnd32() % 4];
				int k = p == PPP_PROTO_LCP ? 0 : p == PPP_PROTO_IPCP ? 1 : p == PPP_PROTO_IPV6CP ? 2 : 3;
				if (s.last_req_len[k])
					sim_ack_last(&s, p);
			} else if (what == 10) {
				/* a well-formed peer request, so negotiations do complete */
				static const uint8_t lcp[] = { 0x05, 0x06, 0x11, 0x22, 0x33, 0x44 };
				static const uint8_t ipcp[] = { 0x03, 0x06, 10, 0, 0, 1 };
				if (rnd32() % 2)
					sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, (uint8_t)rnd32(), lcp, sizeof lcp);
				else
					sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, (uint8_t)rnd32(), ipcp,
						  sizeof ipcp);
			} else {
				sim_pap(&s, (uint8_t)rnd32(), "u", "p");
			}
			downs += sim_count(&s, PPP_OUT_LINK_DOWN);
			if (s.l.cp[PPP_CPI_LCP].fsm.state == PPP_ST_OPENED)
				opened++;
			if (s.l.phase == PPP_PHASE_NETWORK)
				network++;
			check_invariants(&s, downs);
			sim_clear(&s);
		}
		/* whatever happened, the link ends when the clock runs long
		 * enough with no peer: LCP timeout, echo timeout or finish */
		sim_advance(&s, 600000);
		downs += sim_count(&s, PPP_OUT_LINK_DOWN);
		assert_int_equal(s.l.phase, PPP_PHASE_DEAD);
		assert_int_equal(downs, 1);
		assert_int_equal(s.timer_at, 0);
		downs_total += downs;
		sim_clear(&s);
	}
	print_message("opened %u network %u downs %u\n", opened, network, downs_total);
	/* the walk did exercise the interesting states */
	assert_true(opened > 1000);
	assert_true(network > 100);
	assert_int_equal(downs_total, 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_peer_never_breaks_the_link),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
