/*
 * Full PPP sessions through the link state machine with a virtual clock:
 * LCP, PAP or CHAP, IPCP, IPV6CP, CCP, keepalive, and the way a session
 * ends. Expected packets are written out byte by byte from the RFCs.
 */
#include "ppp_harness.h"

/* l2tp_mtu 1500 -> MRU 1462 = 0x05b6; Magic from the first random bytes of
 * the harness: seed 1 -> 0x46 0x51 0x5c 0x67 (37 + 11 i + 0x21). */
static void lcp_request_on_start(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	assert_int_equal(s.l.phase, PPP_PHASE_ESTABLISH);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0,
		    0x01, 0x01, 0x00, 0x12,		/* Configure-Request id 1 len 18 */
		    0x01, 0x04, 0x05, 0xb6,		/* MRU 1462 */
		    0x03, 0x04, 0xc0, 0x23,		/* Auth-Protocol PAP */
		    0x05, 0x06, 0x46, 0x51, 0x5c, 0x67); /* Magic-Number */
	assert_int_equal(sim_count_sent(&s, 0xc021, 0), 1);
	/* restart timer: ppp_restart_time 3 s */
	assert_int_equal(s.timer_at, s.x.now_ms + 3000);
}

static void full_pap_session(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.dns[0] = IP4(192, 0, 2, 53);
	sim_start(&s);
	sim_clear(&s);

	/* peer: MRU 1400, Magic 11223344 -> Ack echoing it */
	static const uint8_t peer_req[] = { 0x01, 0x04, 0x05, 0x78, 0x05, 0x06, 0x11, 0x22, 0x33, 0x44 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0x41, peer_req, sizeof peer_req);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_ACK, 0, 0x02, 0x41, 0x00, 0x0e, 0x01, 0x04, 0x05, 0x78,
		    0x05, 0x06, 0x11, 0x22, 0x33, 0x44);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_ACK_SENT);
	sim_ack_last(&s, PPP_PROTO_LCP);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_OPENED);
	assert_int_equal(s.l.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(s.l.peer_mru, 1400);
	assert_int_equal(s.l.peer_magic, 0x11223344);
	sim_clear(&s);

	/* PAP: 01 07 00 0b 03 "joe" 02 "pw" */
	static const uint8_t pap[] = { 0x01, 0x07, 0x00, 0x0b, 0x03, 'j', 'o', 'e', 0x02, 'p', 'w' };
	assert_int_equal(sim_rx(&s, PPP_PROTO_PAP, pap, sizeof pap), PPP_RX_CONTROL);
	const struct logged *a = sim_action(&s, PPP_OUT_AUTH_PAP, 0);
	assert_non_null(a);
	assert_int_equal(a->a.user_len, 3);
	assert_memory_equal(a->data, "joe", 3);
	assert_int_equal(a->a.pass_len, 2);
	assert_memory_equal(a->pass, "pw", 2);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0); /* nothing until the verdict */
	/* a retransmission while RADIUS thinks: no second request */
	sim_rx(&s, PPP_PROTO_PAP, pap, sizeof pap);
	assert_int_equal(sim_count(&s, PPP_OUT_AUTH_PAP), 1);
	/* RFC 1334 §2.2.1: the peer's next retransmission carries a new
	 * Identifier (pppd, lacsim do this); the Ack must answer the latest */
	static const uint8_t pap2[] = { 0x01, 0x08, 0x00, 0x0b, 0x03, 'j', 'o', 'e', 0x02, 'p', 'w' };
	sim_rx(&s, PPP_PROTO_PAP, pap2, sizeof pap2);
	assert_int_equal(sim_count(&s, PPP_OUT_AUTH_PAP), 1);
	sim_clear(&s);

	sim_verdict(&s, true, IP4(10, 1, 2, 3), 0, 0);
	EXPECT_SENT(&s, PPP_PROTO_PAP, 0, 0, 0x02, 0x08, 0x00, 0x05, 0x00); /* Ack, empty message */
	assert_int_equal(s.l.phase, PPP_PHASE_NETWORK);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 0, 0x01, 0x01, 0x00, 0x0a, 0x03, 0x06, 192, 0, 2, 1);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CCP, 0), 0); /* CCP is passive */
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPV6CP, 0), 0); /* IPv6 off */
	sim_clear(&s);

	/* peer asks for 0.0.0.0 and a DNS server: Nak with both */
	static const uint8_t ipcp0[] = { 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 0, 0, 0, 0 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 0x20, ipcp0, sizeof ipcp0);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_NAK, 0, 0x03, 0x20, 0x00, 0x10, 0x03, 0x06, 10, 1, 2, 3,
		    0x81, 0x06, 192, 0, 2, 53);
	static const uint8_t ipcp1[] = { 0x03, 0x06, 10, 1, 2, 3, 0x81, 0x06, 192, 0, 2, 53 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 0x21, ipcp1, sizeof ipcp1);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_ACK, 0, 0x02, 0x21, 0x00, 0x10, 0x03, 0x06, 10, 1, 2, 3,
		    0x81, 0x06, 192, 0, 2, 53);
	/* IP before IPCP is Opened is dropped */
	static const uint8_t ip[20] = { 0x45 };
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DROP);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_UP), 0);
	sim_ack_last(&s, PPP_PROTO_IPCP);
	a = sim_action(&s, PPP_OUT_IPV4_UP, 0);
	assert_non_null(a);
	assert_int_equal(a->a.ipv4, IP4(10, 1, 2, 3));
	assert_int_equal(a->a.dns[0], IP4(192, 0, 2, 53));
	assert_int_equal(a->a.dns[1], 0);
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DELIVER);

	/* our PAP Ack got lost: the peer retries with the same id */
	sim_clear(&s);
	sim_rx(&s, PPP_PROTO_PAP, pap2, sizeof pap2);
	EXPECT_SENT(&s, PPP_PROTO_PAP, 0, 0, 0x02, 0x08, 0x00, 0x05, 0x00);
	assert_int_equal(sim_count(&s, PPP_OUT_AUTH_PAP), 0);
	/* the peer retried once more before our Ack arrived: new Identifier */
	sim_clear(&s);
	static const uint8_t pap3[] = { 0x01, 0x09, 0x00, 0x0b, 0x03, 'j', 'o', 'e', 0x02, 'p', 'w' };
	sim_rx(&s, PPP_PROTO_PAP, pap3, sizeof pap3);
	EXPECT_SENT(&s, PPP_PROTO_PAP, 0, 0, 0x02, 0x09, 0x00, 0x05, 0x00);
	assert_int_equal(sim_count(&s, PPP_OUT_AUTH_PAP), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
}

static void full_chap_session(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.auth[0] = PPP_AUTH_CHAP;
	s.conf.n_auth = 1;
	sim_start(&s);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0, 0x01, 0x01, 0x00, 0x13, 0x01, 0x04, 0x05, 0xb6,
		    0x03, 0x05, 0xc2, 0x23, 0x05, /* Auth-Protocol CHAP, MD5 */
		    0x05, 0x06, 0x46, 0x51, 0x5c, 0x67);
	sim_clear(&s);
	sim_lcp_open(&s);
	assert_int_equal(s.l.phase, PPP_PHASE_AUTHENTICATE);
	/* Challenge: 01 01 00 1b, Value-Size 16, value = this call's random
	 * bytes 8..23, Name "l2tpns" (RFC 1994 §4.1) */
	const struct logged *ch = sim_sent(&s, PPP_PROTO_CHAP, PPP_CHAP_CHALLENGE, 0);
	assert_non_null(ch);
	assert_int_equal(ch->a.len, 4 + 1 + 16 + 6);
	static const uint8_t hdr[] = { 0x01, 0x01, 0x00, 0x1b, 0x10 };
	assert_memory_equal(ch->data, hdr, 5);
	assert_memory_equal(ch->data + 5, s.x.rnd + 8, 16);
	assert_memory_equal(ch->data + 21, "l2tpns", 6);
	uint8_t chal[16];
	memcpy(chal, ch->data + 5, 16);
	sim_clear(&s);

	/* the peer answers MD5(id || secret || challenge) */
	uint8_t resp[16];
	ppp_chap_md5(1, "secret", 6, chal, 16, resp);
	uint8_t b[64];
	struct wr w;
	wr_init(&w, b, sizeof b);
	assert_true(ppp_chap_value_build(&w, PPP_CHAP_RESPONSE, 1, resp, 16, "alice", 5) > 0);
	sim_rx(&s, PPP_PROTO_CHAP, b, w.off);
	const struct logged *a = sim_action(&s, PPP_OUT_AUTH_CHAP, 0);
	assert_non_null(a);
	assert_int_equal(a->a.chap_id, 1);
	assert_memory_equal(a->a.challenge, chal, 16);
	assert_int_equal(a->a.pass_len, 16);
	assert_memory_equal(a->pass, resp, 16);
	assert_int_equal(a->a.user_len, 5);
	assert_memory_equal(a->data, "alice", 5);
	/* while the verdict is pending the Challenge is not retransmitted */
	sim_advance(&s, 10000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CHAP, 0), 0);
	sim_clear(&s);

	sim_verdict(&s, true, IP4(10, 9, 9, 9), 0, 0);
	EXPECT_SENT(&s, PPP_PROTO_CHAP, 0, 0, 0x03, 0x01, 0x00, 0x04); /* Success */
	static const uint8_t ipcp[] = { 0x03, 0x06, 10, 9, 9, 9 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 1, ipcp, sizeof ipcp);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_ACK, 0, 0x02, 0x01, 0x00, 0x0a, 0x03, 0x06, 10, 9, 9, 9);
	sim_ack_last(&s, PPP_PROTO_IPCP);
	assert_int_equal(s.l.cp[PPP_CPI_IPCP].fsm.state, PPP_ST_OPENED);
	assert_int_equal(sim_action(&s, PPP_OUT_IPV4_UP, 0)->a.ipv4, IP4(10, 9, 9, 9));
	/* a late duplicate Response gets the Success again (RFC 1994 §4.2) */
	sim_clear(&s);
	sim_rx(&s, PPP_PROTO_CHAP, b, w.off);
	EXPECT_SENT(&s, PPP_PROTO_CHAP, 0, 0, 0x03, 0x01, 0x00, 0x04);
	assert_int_equal(sim_count(&s, PPP_OUT_AUTH_CHAP), 0);
}

/* CHAP: the authenticator retransmits the Challenge on the restart timer,
 * each with a new Identifier, and gives up after ppp_max_configure. */
static void chap_challenge_retransmitted_then_timeout(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.auth[0] = PPP_AUTH_CHAP;
	sim_start(&s);
	sim_lcp_open(&s);
	sim_advance(&s, 3000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CHAP, PPP_CHAP_CHALLENGE), 2);
	assert_int_equal(sim_sent(&s, PPP_PROTO_CHAP, PPP_CHAP_CHALLENGE, 1)->data[1], 2);
	/* a Response to the stale first Challenge is ignored */
	uint8_t b[64];
	struct wr w;
	wr_init(&w, b, sizeof b);
	uint8_t resp[16] = { 0 };
	assert_true(ppp_chap_value_build(&w, PPP_CHAP_RESPONSE, 1, resp, 16, "u", 1) > 0);
	sim_rx(&s, PPP_PROTO_CHAP, b, w.off);
	assert_int_equal(sim_count(&s, PPP_OUT_AUTH_CHAP), 0);
	sim_advance(&s, 27000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CHAP, PPP_CHAP_CHALLENGE), 10);
	/* then LCP Terminate-Request, and the link is down after Max-Terminate */
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 1);
	sim_advance(&s, 6000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 2);
	const struct logged *d = sim_action(&s, PPP_OUT_LINK_DOWN, 0);
	assert_non_null(d);
	assert_int_equal(d->a.reason, PPP_DOWN_AUTH_TIMEOUT);
	assert_int_equal(s.l.phase, PPP_PHASE_DEAD);
	assert_int_equal(s.timer_at, 0);
}

/* Verdict reject: PAP Nak, LCP Terminate, link down on Terminate-Ack. */
static void auth_reject_terminates(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_lcp_open(&s);
	sim_pap(&s, 5, "joe", "bad");
	sim_clear(&s);
	sim_verdict(&s, false, 0, 0, 0);
	EXPECT_SENT(&s, PPP_PROTO_PAP, 0, 0, 0x03, 0x05, 0x00, 0x05, 0x00);
	const struct logged *t = sim_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ, 0);
	assert_non_null(t);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	assert_int_equal(s.l.phase, PPP_PHASE_TERMINATE);
	/* NCP packets now are discarded */
	static const uint8_t ipcp[] = { 0x03, 0x06, 0, 0, 0, 0 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 1, ipcp, sizeof ipcp);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPCP, 0), 0);
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_TERM_ACK, t->data[1], NULL, 0);
	const struct logged *d = sim_action(&s, PPP_OUT_LINK_DOWN, 0);
	assert_non_null(d);
	assert_int_equal(d->a.reason, PPP_DOWN_AUTH_FAILED);
	assert_string_equal(ppp_down_reason_name(PPP_DOWN_AUTH_FAILED), "authentication rejected");
	/* dead: further frames are dropped, no timer */
	assert_int_equal(sim_rx_cp(&s, PPP_PROTO_LCP, PPP_ECHO_REQ, 1, "\0\0\0\0", 4), PPP_RX_DROP);
	assert_int_equal(s.timer_at, 0);
}

/* The peer never answers: ppp_max_configure Configure-Requests 3 s apart,
 * then one Terminate-Request and "link down" with a reason. */
static void peer_never_answers(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	uint64_t t0 = s.x.now_ms;
	sim_advance(&s, 60000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ), 10);
	for (unsigned i = 0; i < 10; i++) {
		const struct logged *g = sim_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ, i);
		assert_int_equal(g->at, t0 + 3000 * i);
		assert_int_equal(g->data[1], i + 1); /* new Identifier each time */
	}
	const struct logged *t = sim_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ, 0);
	assert_non_null(t);
	assert_int_equal(t->at, t0 + 30000);
	assert_int_equal(t->a.len, 4);
	const struct logged *d = sim_action(&s, PPP_OUT_LINK_DOWN, 0);
	assert_non_null(d);
	assert_int_equal(d->at, t0 + 30000);
	assert_int_equal(d->a.reason, PPP_DOWN_LCP_TIMEOUT);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 1);
	assert_int_equal(s.timer_at, 0);
	assert_int_equal(s.l.phase, PPP_PHASE_DEAD);
}

/* ppp_max_configure is honoured when configured differently. */
static void max_configure_is_configurable(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.fsm.max_configure = 3;
	s.conf.fsm.restart_ms = 1000;
	sim_start(&s);
	sim_advance(&s, 10000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ), 3);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->at, 1000000 + 3000);
}

/* The peer ends the link: Terminate-Ack, then after one restart period
 * (RFC 1661 §4.4 zrc) the link is down. */
static void peer_terminates_link(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_TERM_REQ, 0x33, NULL, 0);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_TERM_ACK, 0, 0x06, 0x33, 0x00, 0x04);
	assert_non_null(sim_action(&s, PPP_OUT_IPV4_DOWN, 0));
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	sim_advance(&s, 3000);
	const struct logged *d = sim_action(&s, PPP_OUT_LINK_DOWN, 0);
	assert_non_null(d);
	assert_int_equal(d->a.reason, PPP_DOWN_PEER_TERMINATE);
}

/* LCP keepalive: Echo-Request after echo_timeout of silence, every
 * echo_timeout while silent, link dead after idle_echo_timeout. */
static void echo_keepalive_and_dead_peer(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	uint64_t t0 = s.x.now_ms;
	sim_advance(&s, 9999);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_ECHO_REQ), 0);
	sim_advance(&s, 1);
	/* 09 id 00 08 + our magic */
	const struct logged *e = sim_sent(&s, PPP_PROTO_LCP, PPP_ECHO_REQ, 0);
	assert_non_null(e);
	assert_int_equal(e->at, t0 + 10000);
	static const uint8_t ehdr[] = { 0x09, 0x01, 0x00, 0x08, 0x46, 0x51, 0x5c, 0x67 };
	expect_bytes(e, ehdr, sizeof ehdr);
	/* the peer answers: silence counts again from its reply */
	uint8_t rep[4] = { 0x11, 0x22, 0x33, 0x44 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_ECHO_REP, 0x01, rep, 4);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, 0), 1);
	sim_clear(&s);
	t0 = s.x.now_ms;
	sim_advance(&s, 240000 - 1);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_ECHO_REQ), 23); /* 10 s .. 230 s */
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 0);
	sim_advance(&s, 1);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 1);
	assert_int_equal(sim_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ, 0)->at, t0 + 240000);
	sim_advance(&s, 6000);
	const struct logged *d = sim_action(&s, PPP_OUT_LINK_DOWN, 0);
	assert_non_null(d);
	assert_int_equal(d->a.reason, PPP_DOWN_ECHO_TIMEOUT);
}

/* Traffic (any frame, data included) keeps the link alive without echoes. */
static void data_traffic_suppresses_echo(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.echo_interval_ms = 5000;
	sim_pap_session(&s);
	sim_clear(&s);
	static const uint8_t ip[20] = { 0x45 };
	for (int i = 0; i < 100; i++) {
		sim_advance(&s, 4000);
		assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DELIVER);
	}
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, 0), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
}

static void keepalive_can_be_disabled(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.keepalive = false;
	sim_pap_session(&s);
	sim_clear(&s);
	sim_advance(&s, 1000000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, 0), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
}

static void admin_close_and_lower_down(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	assert_int_equal(ppp_link_close(&s.l, &s.x, PPP_DOWN_ADMIN, &s.o), 0);
	sim_collect(&s);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_TERM_REQ, 0, 0x05, 0x02, 0x00, 0x04); /* LCP id 2 after ConfReq 1 */
	assert_non_null(sim_action(&s, PPP_OUT_IPV4_DOWN, 0));
	sim_advance(&s, 6000);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->a.reason, PPP_DOWN_ADMIN);

	/* lower layer gone (CDN): nothing is sent, no LINK_DOWN echoed back */
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	assert_int_equal(ppp_link_lower_down(&s.l, &s.x, &s.o), 0);
	sim_collect(&s);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	assert_non_null(sim_action(&s, PPP_OUT_IPV4_DOWN, 0));
	assert_int_equal(s.timer_at, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lcp_request_on_start),
		cmocka_unit_test(full_pap_session),
		cmocka_unit_test(full_chap_session),
		cmocka_unit_test(chap_challenge_retransmitted_then_timeout),
		cmocka_unit_test(auth_reject_terminates),
		cmocka_unit_test(peer_never_answers),
		cmocka_unit_test(max_configure_is_configurable),
		cmocka_unit_test(peer_terminates_link),
		cmocka_unit_test(echo_keepalive_and_dead_peer),
		cmocka_unit_test(data_traffic_suppresses_echo),
		cmocka_unit_test(keepalive_can_be_disabled),
		cmocka_unit_test(admin_close_and_lower_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
