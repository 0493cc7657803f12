/*
 * Real-equipment behaviour and option policies of the PPP link, each a
 * named scenario on a virtual clock (../shared/docs/peer-lessons.md §3.8
 * and l2tpns-reference §5). Expected packets are written out by hand.
 */
#include "ppp_harness.h"

/* ---- authentication interop ---- */

/* SonicWall: CHAP agreed in LCP, then the client sends a PAP
 * Authenticate-Request. With PAP allowed, the LNS handles it. */
static void sonicwall_pap_after_chap(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.auth[0] = PPP_AUTH_CHAP;
	s.conf.auth[1] = PPP_AUTH_PAP;
	s.conf.n_auth = 2;
	sim_start(&s);
	sim_lcp_open(&s);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CHAP, PPP_CHAP_CHALLENGE), 1);
	sim_clear(&s);
	sim_pap(&s, 9, "sonic", "wall");
	const struct logged *a = sim_action(&s, PPP_OUT_AUTH_PAP, 0);
	assert_memory_equal(a->data, "sonic", 5);
	assert_memory_equal(a->pass, "wall", 4);
	/* no CHAP retransmission while the verdict is pending */
	sim_advance(&s, 9000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CHAP, 0), 0);
	sim_verdict(&s, true, IP4(10, 0, 0, 9), 0, 0);
	EXPECT_SENT(&s, PPP_PROTO_PAP, 0, 0, 0x02, 0x09, 0x00, 0x05, 0x00);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CHAP, 0), 0);
	assert_int_equal(s.l.phase, PPP_PHASE_NETWORK);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPCP, PPP_CONF_REQ), 1);
}

/* ...but not when radius_authtypes is "chap" alone: the PAP request is
 * ignored and the Challenge keeps being retransmitted. */
static void pap_ignored_when_only_chap_allowed(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.auth[0] = PPP_AUTH_CHAP;
	s.conf.n_auth = 1;
	sim_start(&s);
	sim_lcp_open(&s);
	sim_clear(&s);
	sim_pap(&s, 9, "sonic", "wall");
	assert_int_equal(sim_count(&s, PPP_OUT_AUTH_PAP), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	sim_advance(&s, 3000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CHAP, PPP_CHAP_CHALLENGE), 1);
}

/* radius_authtypes "pap chap": the peer Naks PAP proposing CHAP-MD5,
 * which is allowed: the next request offers CHAP-MD5. */
static void auth_nak_to_allowed_protocol_is_honoured(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.auth[0] = PPP_AUTH_PAP;
	s.conf.auth[1] = PPP_AUTH_CHAP;
	s.conf.n_auth = 2;
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t nak[] = { 0x03, 0x05, 0xc2, 0x23, 0x05 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_NAK, 1, nak, sizeof nak);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0, 0x01, 0x02, 0x00, 0x13, 0x01, 0x04, 0x05, 0xb6,
		    0x03, 0x05, 0xc2, 0x23, 0x05, 0x05, 0x06, 0x46, 0x51, 0x5c, 0x67);
	/* then EAP: every allowed protocol has been tried -> give up */
	sim_clear(&s);
	static const uint8_t eap[] = { 0x03, 0x04, 0xc2, 0x27 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_NAK, 2, eap, sizeof eap);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ), 0);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 1);
	sim_advance(&s, 6000);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->a.reason, PPP_DOWN_LCP_NEGOTIATION);
}

/* "chap pap": a Nak proposing MS-CHAPv2 (not allowed) makes the LNS try
 * the next allowed protocol, PAP. */
static void auth_nak_to_forbidden_protocol_tries_next(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.auth[0] = PPP_AUTH_CHAP;
	s.conf.auth[1] = PPP_AUTH_PAP;
	s.conf.n_auth = 2;
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t mschap2[] = { 0x03, 0x05, 0xc2, 0x23, 0x81 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_NAK, 1, mschap2, sizeof mschap2);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0, 0x01, 0x02, 0x00, 0x12, 0x01, 0x04, 0x05, 0xb6,
		    0x03, 0x04, 0xc0, 0x23, 0x05, 0x06, 0x46, 0x51, 0x5c, 0x67);
	/* and PAP only: a Nak for CHAP has nowhere to go */
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t chap[] = { 0x03, 0x05, 0xc2, 0x23, 0x05 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_NAK, 1, chap, sizeof chap);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ), 0);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 1);
	assert_int_equal(s.l.phase, PPP_PHASE_TERMINATE);
}

/* A peer that Rejects Auth-Protocol refuses to be authenticated. */
static void auth_rejected_closes(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t rej[] = { 0x03, 0x04, 0xc0, 0x23 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 1, rej, sizeof rej);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 1);
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_TERM_ACK, 2, NULL, 0);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->a.reason, PPP_DOWN_LCP_NEGOTIATION);
}

/* ---- IPV6CP must not take the link or IPv4 down ---- */

static void ipv6_session(struct sim *s)
{
	sim_init(s);
	s->conf.ipv6 = true;
	sim_pap_session(s);
	/* our IPV6CP request: Interface-Identifier from the start call's
	 * random bytes 24..31 (seed 1: 70 + 11 i mod 256) */
	EXPECT_SENT(s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 0, 0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, 0x4e, 0x59,
		    0x64, 0x6f, 0x7a, 0x85, 0x90, 0x9b);
}

static void ipv6cp_terminate_keeps_link_and_ipv4(void **state)
{
	(void)state;
	struct sim s;
	ipv6_session(&s);
	static const uint8_t req[] = { 0x01, 0x0a, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };
	sim_rx_cp(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 3, req, sizeof req);
	EXPECT_SENT(&s, PPP_PROTO_IPV6CP, PPP_CONF_ACK, 0, 0x02, 0x03, 0x00, 0x0e, 0x01, 0x0a, 0x02, 0x11,
		    0x22, 0xff, 0xfe, 0x33, 0x44, 0x55);
	sim_ack_last(&s, PPP_PROTO_IPV6CP);
	const struct logged *up = sim_action(&s, PPP_OUT_IPV6_UP, 0);
	assert_memory_equal(up->a.ifid, req + 2, 8);
	static const uint8_t ip6[40] = { 0x60 };
	assert_int_equal(sim_rx(&s, PPP_PROTO_IPV6, ip6, sizeof ip6), PPP_RX_DELIVER);
	sim_clear(&s);

	sim_rx_cp(&s, PPP_PROTO_IPV6CP, PPP_TERM_REQ, 7, NULL, 0);
	EXPECT_SENT(&s, PPP_PROTO_IPV6CP, PPP_TERM_ACK, 0, 0x06, 0x07, 0x00, 0x04);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV6_DOWN), 1);
	sim_advance(&s, 60000);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_DOWN), 0);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 0);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_OPENED);
	assert_int_equal(s.l.cp[PPP_CPI_IPCP].fsm.state, PPP_ST_OPENED);
	static const uint8_t ip[20] = { 0x45 };
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DELIVER);
	assert_int_equal(sim_rx(&s, PPP_PROTO_IPV6, ip6, sizeof ip6), PPP_RX_DROP);
}

static void ipv6cp_protocol_reject_keeps_link_and_ipv4(void **state)
{
	(void)state;
	struct sim s;
	ipv6_session(&s);
	const struct logged *req = sim_sent(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 0);
	uint8_t b[128];
	struct wr w;
	wr_init(&w, b, sizeof b);
	assert_true(ppp_proto_rej_build(&w, 0x50, PPP_PROTO_IPV6CP, req->data, req->a.len, 1500) > 0);
	sim_clear(&s);
	sim_rx(&s, PPP_PROTO_LCP, b, w.off);
	sim_advance(&s, 60000);
	/* §5.7: nothing more of the rejected protocol, and nothing else hurt */
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPV6CP, 0), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_DOWN), 0);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_OPENED);
	assert_int_equal(s.l.cp[PPP_CPI_IPCP].fsm.state, PPP_ST_OPENED);
	static const uint8_t ip[20] = { 0x45 };
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DELIVER);
}

/* IPv6 disabled (no ipv6_prefix): IPV6CP is an unknown protocol. */
static void ipv6cp_protocol_rejected_when_disabled(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	static const uint8_t req[] = { 0x01, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8 };
	sim_rx_cp(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 4, req, sizeof req);
	/* 08 id 00 14 80 57 + the rejected packet (14 octets) */
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_PROTO_REJ, 0, 0x08, 0x02, 0x00, 0x14, 0x80, 0x57, 0x01, 0x04,
		    0x00, 0x0e, 0x01, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPV6CP, 0), 0);
}

/* ---- CCP interop ---- */

/* MikroTik: IPCP is terminated (then reopened) while CCP is still being
 * negotiated; the session must survive. */
static void mikrotik_ipcp_terminate_during_ccp(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	static const uint8_t mppc[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0x60 };
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_CONF_REQ, 1, mppc, sizeof mppc);
	EXPECT_SENT(&s, PPP_PROTO_CCP, PPP_CONF_REQ, 0, 0x01, 0x01, 0x00, 0x04);
	EXPECT_SENT(&s, PPP_PROTO_CCP, PPP_CONF_REJ, 0, 0x04, 0x01, 0x00, 0x0a, 0x12, 0x06, 0x01, 0x00,
		    0x00, 0x60);
	assert_int_equal(s.l.cp[PPP_CPI_CCP].fsm.state, PPP_ST_REQ_SENT);
	sim_clear(&s);

	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_TERM_REQ, 0x66, NULL, 0);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_TERM_ACK, 0, 0x06, 0x66, 0x00, 0x04);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_DOWN), 1);
	sim_advance(&s, 10000);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	assert_int_equal(s.l.cp[PPP_CPI_IPCP].fsm.state, PPP_ST_STOPPED);
	assert_true(sim_count_sent(&s, PPP_PROTO_CCP, PPP_CONF_REQ) >= 3); /* CCP carries on */
	sim_clear(&s);

	/* the peer reopens IPCP */
	static const uint8_t ipcp[] = { 0x03, 0x06, 10, 1, 2, 3 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 0x67, ipcp, sizeof ipcp);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPCP, PPP_CONF_REQ), 1);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPCP, PPP_CONF_ACK), 1);
	sim_ack_last(&s, PPP_PROTO_IPCP);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_UP), 1);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
}

/* The same with an unsolicited IPCP Terminate-Ack (accel-ppp #353): in
 * Opened that is a renegotiation (tld, scr), never a link teardown. */
static void ipcp_terminate_ack_renegotiates(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	static const uint8_t mppc[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0x60 };
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_CONF_REQ, 1, mppc, sizeof mppc);
	sim_clear(&s);
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_TERM_ACK, 0x09, NULL, 0);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_DOWN), 1);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPCP, PPP_CONF_REQ), 1);
	assert_int_equal(s.l.cp[PPP_CPI_IPCP].fsm.state, PPP_ST_REQ_SENT);
	sim_advance(&s, 5000);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
}

/* Windows sends IP before CCP has converged: delivered once IPCP is
 * Opened, whatever state CCP is in. */
static void windows_ip_before_ccp_finishes(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_lcp_open(&s);
	sim_pap(&s, 1, "win", "dows");
	sim_verdict(&s, true, IP4(10, 1, 2, 3), 0, 0);
	static const uint8_t mppc[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0x60 };
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_CONF_REQ, 1, mppc, sizeof mppc);
	static const uint8_t ip[20] = { 0x45 };
	/* IPCP not yet Opened: dropped */
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DROP);
	static const uint8_t ipcp[] = { 0x03, 0x06, 10, 1, 2, 3 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 2, ipcp, sizeof ipcp);
	sim_ack_last(&s, PPP_PROTO_IPCP);
	assert_int_equal(s.l.cp[PPP_CPI_CCP].fsm.state, PPP_ST_REQ_SENT);
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DELIVER);
	/* and with PFC/no address field, as Windows may send it */
	static const uint8_t pfc[21] = { 0x21, 0x45 };
	sim_rnd(&s);
	assert_int_equal(ppp_link_input(&s.l, &s.x, pfc, sizeof pfc, &s.o), PPP_RX_DELIVER);
	sim_collect(&s);
}

/* CCP: every option Rejected; an empty request Acked; Terminate answered. */
static void ccp_rejects_everything(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	static const uint8_t opts[] = { 0x1a, 0x04, 0x78, 0x00, 0x15, 0x03, 0x2f }; /* Deflate, BSD */
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_CONF_REQ, 1, opts, sizeof opts);
	EXPECT_SENT(&s, PPP_PROTO_CCP, PPP_CONF_REJ, 0, 0x04, 0x01, 0x00, 0x0b, 0x1a, 0x04, 0x78, 0x00,
		    0x15, 0x03, 0x2f);
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_CONF_REQ, 2, NULL, 0);
	EXPECT_SENT(&s, PPP_PROTO_CCP, PPP_CONF_ACK, 0, 0x02, 0x02, 0x00, 0x04);
	sim_ack_last(&s, PPP_PROTO_CCP);
	assert_int_equal(s.l.cp[PPP_CPI_CCP].fsm.state, PPP_ST_OPENED);
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_CCP_RESET_REQ, 3, NULL, 0);
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_TERM_REQ, 4, NULL, 0);
	EXPECT_SENT(&s, PPP_PROTO_CCP, PPP_TERM_ACK, 0, 0x06, 0x04, 0x00, 0x04);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_CCP, 0), 4);
	sim_advance(&s, 10000);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
}

/* ---- LCP option policy ---- */

/* An unknown option is Rejected, never Nak'd; Callback too. Only the
 * rejected options are listed, unmodified and in order (§5.4). */
static void unknown_option_rejected_not_naked(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t req[] = { 0x01, 0x04, 0x05, 0x78, 0x63, 0x04, 0xab, 0xcd,
				       0x0d, 0x03, 0x06, 0x05, 0x06, 1, 2, 3, 4 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0x10, req, sizeof req);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 0, 0x04, 0x10, 0x00, 0x0b, 0x63, 0x04, 0xab, 0xcd,
		    0x0d, 0x03, 0x06);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_NAK), 0);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_ACK), 0);
	/* Reject wins over Nak: a too small MRU next to an unknown option */
	sim_clear(&s);
	static const uint8_t req2[] = { 0x01, 0x04, 0x00, 0x40, 0x63, 0x02 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0x11, req2, sizeof req2);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 0, 0x04, 0x11, 0x00, 0x06, 0x63, 0x02);
	/* Auth-Protocol from the peer (authenticate the LNS), Quality and
	 * multilink options are rejected too */
	sim_clear(&s);
	static const uint8_t req3[] = { 0x03, 0x04, 0xc0, 0x23, 0x04, 0x08, 0xc0, 0x25, 0, 0, 0, 1,
					0x11, 0x04, 0x05, 0xdc, 0x07, 0x02, 0x08, 0x02 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0x12, req3, sizeof req3);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 0, 0x04, 0x12, 0x00, 0x14, 0x03, 0x04, 0xc0, 0x23,
		    0x04, 0x08, 0xc0, 0x25, 0, 0, 0, 1, 0x11, 0x04, 0x05, 0xdc);
	/* what is left (PFC, ACFC, ACCM) is Acked */
	sim_clear(&s);
	static const uint8_t req4[] = { 0x02, 0x06, 0, 0, 0, 0, 0x07, 0x02, 0x08, 0x02 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0x13, req4, sizeof req4);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_ACK, 0, 0x02, 0x13, 0x00, 0x0e, 0x02, 0x06, 0, 0, 0, 0,
		    0x07, 0x02, 0x08, 0x02);
	assert_true(s.l.peer_pfc && s.l.peer_acfc);
}

/* A peer insisting on a too small MRU: ppp_max_failure (5) Naks with our
 * MRU, then the option is Rejected (RFC 1661 §4.6 Max-Failure). */
static void nak_loop_turns_into_reject(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t req[] = { 0x01, 0x04, 0x00, 0x64 }; /* MRU 100 */
	for (uint8_t id = 1; id <= 5; id++)
		sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, id, req, sizeof req);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_NAK), 5);
	for (unsigned i = 0; i < 5; i++) {
		const struct logged *g = sim_sent(&s, PPP_PROTO_LCP, PPP_CONF_NAK, i);
		static const uint8_t tail[] = { 0x00, 0x08, 0x01, 0x04, 0x05, 0xb6 };
		assert_int_equal(g->a.len, 8);
		assert_int_equal(g->data[1], i + 1);
		assert_memory_equal(g->data + 2, tail, sizeof tail);
	}
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 6, req, sizeof req);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 0, 0x04, 0x06, 0x00, 0x08, 0x01, 0x04, 0x00, 0x64);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_NAK), 5);
	/* an Ack resets the count: the peer without MRU is Acked */
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 7, NULL, 0);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CONF_ACK, 0, 0x02, 0x07, 0x00, 0x04);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.failures, 0);
	assert_int_equal(s.l.peer_mru, 1500);
}

/* A looped-back line: every packet the LNS sends comes straight back. The
 * LNS sees its own Magic-Number, Naks it, changes its own on the looped
 * Nak, and after ppp_max_failure rounds declares a loop (RFC 1661 §6.4). */
static void loopback_detected_by_magic(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	unsigned done = 0;
	for (int round = 0; round < 40 && !sim_count(&s, PPP_OUT_LINK_DOWN); round++) {
		unsigned n = s.n;
		if (done == n) {
			sim_advance(&s, 3000);
			continue;
		}
		for (unsigned i = done; i < n; i++) {
			struct logged g = s.log[i];
			if (g.a.type == PPP_OUT_SEND)
				sim_rx(&s, g.a.proto, g.data, g.a.len);
		}
		done = n;
	}
	const struct logged *d = sim_action(&s, PPP_OUT_LINK_DOWN, 0);
	assert_int_equal(d->a.reason, PPP_DOWN_LOOPBACK);
	/* every Nak it sent suggested a Magic-Number different from the one
	 * it had just received */
	assert_true(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_NAK) >= 4);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_ACK), 0);
}

/* A zero Magic-Number MUST be Nak'd (RFC 1661 §6.4). */
static void zero_magic_naked(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t req[] = { 0x05, 0x06, 0, 0, 0, 0 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 3, req, sizeof req);
	const struct logged *g = sim_sent(&s, PPP_PROTO_LCP, PPP_CONF_NAK, 0);
	assert_int_equal(g->a.len, 10);
	assert_int_equal(g->data[4], 0x05);
	assert_int_not_equal(be32_get(g->data + 6), 0);
	assert_int_not_equal(be32_get(g->data + 6), s.l.our_magic);
}

/* Peer Naks our MRU / Magic: adopt the MRU, pick a new Magic; a Rejected
 * MRU is no longer requested. */
static void our_options_naked_and_rejected(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t nak[] = { 0x01, 0x04, 0x05, 0xdc, 0x05, 0x06, 0x46, 0x51, 0x5c, 0x67 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_NAK, 1, nak, sizeof nak);
	const struct logged *g = sim_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0);
	static const uint8_t head[] = { 0x01, 0x02, 0x00, 0x12, 0x01, 0x04, 0x05, 0xdc, 0x03, 0x04, 0xc0,
					0x23, 0x05, 0x06 };
	assert_int_equal(g->a.len, 18);
	assert_memory_equal(g->data, head, sizeof head);
	assert_int_not_equal(be32_get(g->data + 14), 0x46515c67);
	/* a Nak with a stale Identifier is ignored */
	sim_clear(&s);
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_NAK, 1, nak, sizeof nak);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	/* Reject of MRU */
	static const uint8_t rej[] = { 0x01, 0x04, 0x05, 0xdc };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 2, rej, sizeof rej);
	g = sim_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0);
	assert_int_equal(g->a.len, 14);
	assert_int_equal(g->data[4], 0x03);
	/* a Reject naming an option we never sent is invalid: ignored */
	sim_clear(&s);
	static const uint8_t bogus[] = { 0x07, 0x02 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 3, bogus, sizeof bogus);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	/* an Ack that does not match our request exactly is ignored */
	static const uint8_t wrong[] = { 0x03, 0x04, 0xc0, 0x23 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_ACK, 3, wrong, sizeof wrong);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_REQ_SENT);
}

/* ---- LCP codes ---- */

static void lcp_echo_discard_ident_and_unknown_code(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	/* Echo-Request before LCP is Opened: silently discarded (§5.8) */
	static const uint8_t echo[] = { 0xde, 0xad, 0xbe, 0xef, 'h', 'i' };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_ECHO_REQ, 0x30, echo, sizeof echo);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	sim_lcp_open(&s);
	sim_clear(&s);
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_ECHO_REQ, 0x31, echo, sizeof echo);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_ECHO_REP, 0, 0x0a, 0x31, 0x00, 0x0a, 0x46, 0x51, 0x5c, 0x67, 'h',
		    'i');
	sim_clear(&s);
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_DISCARD_REQ, 0x32, echo, sizeof echo);
	static const uint8_t ident[] = { 0x11, 0x22, 0x33, 0x44, 'M', 'T' };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_IDENTIFICATION, 0x33, ident, sizeof ident);
	static const uint8_t trem[] = { 0x11, 0x22, 0x33, 0x44, 0, 0, 0x0e, 0x10 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_TIME_REMAINING, 0x34, trem, sizeof trem);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	/* unknown code 0x20: Code-Reject carrying the packet */
	static const uint8_t odd[] = { 0x20, 0x35, 0x00, 0x06, 0xaa, 0xbb };
	sim_rx(&s, PPP_PROTO_LCP, odd, sizeof odd);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_CODE_REJ, 0, 0x07, 0x02, 0x00, 0x0a, 0x20, 0x35, 0x00, 0x06, 0xaa,
		    0xbb);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_OPENED);
	/* a Code-Reject of Echo is permitted (RXJ+); of Configure-Request is
	 * catastrophic (RXJ-): the link closes */
	static const uint8_t cj_echo[] = { 0x09, 0x01, 0x00, 0x08, 0, 0, 0, 0 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CODE_REJ, 0x36, cj_echo, sizeof cj_echo);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_OPENED);
	static const uint8_t cj_req[] = { 0x01, 0x01, 0x00, 0x04 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CODE_REJ, 0x37, cj_req, sizeof cj_req);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_STOPPING);
	sim_advance(&s, 6000);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->a.reason, PPP_DOWN_PROTO_REJECT);
}

/* Unknown protocol while LCP is Opened: Protocol-Reject; before: dropped. */
static void unknown_protocol_rejected_only_when_opened(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	static const uint8_t data[] = { 0x01, 0x02, 0x03 };
	assert_int_equal(sim_rx(&s, 0x8281, data, sizeof data), PPP_RX_DROP);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	sim_lcp_open(&s);
	sim_clear(&s);
	assert_int_equal(sim_rx(&s, 0x8281, data, sizeof data), PPP_RX_CONTROL);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_PROTO_REJ, 0, 0x08, 0x02, 0x00, 0x09, 0x82, 0x81, 0x01, 0x02, 0x03);
	/* a malformed frame is an error, not a crash */
	sim_rnd(&s);
	assert_true(ppp_link_input(&s.l, &s.x, (const uint8_t *)"\xff\x03", 2, &s.o) < 0);
	sim_collect(&s);
}

/* RFC 1661 §3.4: NCP packets before the Network phase are discarded. */
static void ncp_before_network_discarded(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_lcp_open(&s);
	assert_int_equal(s.l.phase, PPP_PHASE_AUTHENTICATE);
	sim_clear(&s);
	static const uint8_t ipcp[] = { 0x03, 0x06, 0, 0, 0, 0 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 1, ipcp, sizeof ipcp);
	sim_rx_cp(&s, PPP_PROTO_CCP, PPP_CONF_REQ, 1, NULL, 0);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	assert_int_equal(s.l.cp[PPP_CPI_IPCP].fsm.state, PPP_ST_INITIAL);
	static const uint8_t ip[20] = { 0x45 };
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DROP);
}

/* LCP renegotiation from Opened: NCPs down, authentication again. */
static void lcp_renegotiation_restarts_auth(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_pap_session(&s);
	sim_clear(&s);
	static const uint8_t req[] = { 0x05, 0x06, 0x11, 0x22, 0x33, 0x44 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0x50, req, sizeof req);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_DOWN), 1);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ), 1);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_ACK), 1);
	assert_int_equal(s.l.phase, PPP_PHASE_ESTABLISH);
	sim_ack_last(&s, PPP_PROTO_LCP);
	assert_int_equal(s.l.phase, PPP_PHASE_AUTHENTICATE);
	static const uint8_t ip[20] = { 0x45 };
	assert_int_equal(sim_rx(&s, PPP_PROTO_IP, ip, sizeof ip), PPP_RX_DROP);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
}

/* ---- IPCP / IPV6CP policy ---- */

static void ipcp_policy(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_lcp_open(&s);
	sim_pap(&s, 1, "joe", "pw");
	sim_verdict(&s, true, IP4(10, 1, 2, 3), IP4(198, 51, 100, 1), 0);
	sim_clear(&s);
	/* IP-Compression (VJ), NBNS, IP-Addresses: Rejected; Secondary DNS
	 * with none configured: Rejected */
	static const uint8_t r1[] = { 0x02, 0x06, 0x00, 0x2d, 0x0f, 0x01, 0x82, 0x06, 0, 0, 0, 0,
				      0x83, 0x06, 0, 0, 0, 0, 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 1, r1, sizeof r1);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_REJ, 0, 0x04, 0x01, 0x00, 0x20, 0x02, 0x06, 0x00, 0x2d,
		    0x0f, 0x01, 0x82, 0x06, 0, 0, 0, 0, 0x83, 0x06, 0, 0, 0, 0, 0x01, 0x0a, 0, 0, 0, 0, 0, 0,
		    0, 0);
	/* another address than the session's: Nak with the right one; the
	 * RADIUS DNS wins over the (empty) config */
	sim_clear(&s);
	static const uint8_t r2[] = { 0x03, 0x06, 10, 7, 7, 7, 0x81, 0x06, 8, 8, 8, 8 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 2, r2, sizeof r2);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_NAK, 0, 0x03, 0x02, 0x00, 0x10, 0x03, 0x06, 10, 1, 2, 3,
		    0x81, 0x06, 198, 51, 100, 1);
	/* no address at all: the Nak adds it (§5.3) */
	sim_clear(&s);
	static const uint8_t r3[] = { 0x81, 0x06, 198, 51, 100, 1 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 3, r3, sizeof r3);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_NAK, 0, 0x03, 0x03, 0x00, 0x0a, 0x03, 0x06, 10, 1, 2, 3);
	/* the peer Naks our own address: we stop claiming one */
	sim_clear(&s);
	static const uint8_t n1[] = { 0x03, 0x06, 10, 1, 2, 4 };
	sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_NAK, 1, n1, sizeof n1);
	EXPECT_SENT(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, 0, 0x01, 0x02, 0x00, 0x04);
	/* a peer that never takes the address: Naks run out -> IPCP failed */
	sim_clear(&s);
	static const uint8_t bad[] = { 0x03, 0x06, 10, 7, 7, 7 };
	for (uint8_t id = 10; id < 20 && !sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ); id++)
		sim_rx_cp(&s, PPP_PROTO_IPCP, PPP_CONF_REQ, id, bad, sizeof bad);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 1);
	sim_advance(&s, 6000);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->a.reason, PPP_DOWN_IPCP_FAILED);
}

/* The peer never answers IPCP: after Max-Configure the session ends. */
static void ipcp_peer_silent_fails_session(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.keepalive = false;
	sim_start(&s);
	sim_lcp_open(&s);
	sim_pap(&s, 1, "joe", "pw");
	sim_verdict(&s, true, IP4(10, 1, 2, 3), 0, 0);
	sim_clear(&s);
	sim_advance(&s, 40000);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_IPCP, PPP_CONF_REQ), 9); /* + 1 at verdict */
	sim_advance(&s, 10000);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->a.reason, PPP_DOWN_IPCP_FAILED);
}

static void ipv6cp_interface_identifier_policy(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	s.conf.ipv6 = true;
	static const uint8_t ours[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	memcpy(s.conf.our_ifid, ours, 8);
	sim_pap_session(&s);
	EXPECT_SENT(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 0, 0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, 0, 0, 0, 0, 0,
		    0, 0, 1);
	sim_clear(&s);
	/* zero: Nak with a non-zero identifier that is not ours */
	static const uint8_t zero[] = { 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0 };
	sim_rx_cp(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 1, zero, sizeof zero);
	const struct logged *g = sim_sent(&s, PPP_PROTO_IPV6CP, PPP_CONF_NAK, 0);
	assert_int_equal(g->a.len, 14);
	assert_memory_not_equal(g->data + 6, zero + 2, 8);
	assert_memory_not_equal(g->data + 6, ours, 8);
	/* equal to ours: Nak too */
	static const uint8_t same[] = { 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 1 };
	sim_rx_cp(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 2, same, sizeof same);
	g = sim_sent(&s, PPP_PROTO_IPV6CP, PPP_CONF_NAK, 1);
	assert_memory_not_equal(g->data + 6, ours, 8);
	assert_memory_not_equal(g->data + 6, zero + 2, 8);
	/* IPv6-Compression: Rejected */
	static const uint8_t comp[] = { 0x02, 0x04, 0x00, 0x4f };
	sim_rx_cp(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 3, comp, sizeof comp);
	EXPECT_SENT(&s, PPP_PROTO_IPV6CP, PPP_CONF_REJ, 0, 0x04, 0x03, 0x00, 0x08, 0x02, 0x04, 0x00, 0x4f);
	/* the peer Naks ours with a suggestion: adopted */
	sim_clear(&s);
	static const uint8_t sug[] = { 0x01, 0x0a, 0x02, 0, 0, 0, 0, 0, 0, 0x42 };
	sim_rx_cp(&s, PPP_PROTO_IPV6CP, PPP_CONF_NAK, 1, sug, sizeof sug);
	EXPECT_SENT(&s, PPP_PROTO_IPV6CP, PPP_CONF_REQ, 0, 0x01, 0x02, 0x00, 0x0e, 0x01, 0x0a, 0x02, 0, 0, 0,
		    0, 0, 0, 0x42);
}

static void our_mru_from_l2tp_mtu(void **state)
{
	(void)state;
	assert_int_equal(ppp_our_mru(1500), 1462);
	assert_int_equal(ppp_our_mru(0), 1462);	  /* unset -> 1500 */
	assert_int_equal(ppp_our_mru(1400), 1362);
	assert_int_equal(ppp_our_mru(100), 538);  /* clamped to 576 */
	assert_int_equal(ppp_our_mru(9000), 1492); /* clamped to 2600, capped 1492 */
	assert_int_equal(ppp_our_mru(1530), 1492);
	assert_int_equal(ppp_our_mru(1529), 1491);
	struct sim s;
	sim_init(&s);
	s.conf.l2tp_mtu = 1400;
	sim_start(&s);
	const struct logged *g = sim_sent(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 0);
	assert_int_equal(be16_get(g->data + 6), 1362);
}

/* §5.8: without a negotiated Magic-Number, echoes carry zero; §5.7: a
 * Protocol-Reject before LCP is Opened is discarded. */
static void echo_magic_zero_and_early_protocol_reject(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	/* the peer rejects our Magic-Number */
	static const uint8_t rej[] = { 0x05, 0x06, 0x46, 0x51, 0x5c, 0x67 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REJ, 1, rej, sizeof rej);
	/* Protocol-Reject of IPCP while LCP is not Opened: nothing happens */
	static const uint8_t pr[] = { 0x80, 0x21, 0x01, 0x01, 0x00, 0x04 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_PROTO_REJ, 9, pr, sizeof pr);
	assert_false(s.l.cp[PPP_CPI_IPCP].rejected);
	assert_int_equal(sim_count(&s, PPP_OUT_LINK_DOWN), 0);
	sim_lcp_open(&s);
	sim_clear(&s);
	static const uint8_t echo[] = { 0x11, 0x22, 0x33, 0x44 };
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_ECHO_REQ, 0x31, echo, sizeof echo);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_ECHO_REP, 0, 0x0a, 0x31, 0x00, 0x08, 0, 0, 0, 0);
	sim_advance(&s, 10000);
	EXPECT_SENT(&s, PPP_PROTO_LCP, PPP_ECHO_REQ, 0, 0x09, 0x01, 0x00, 0x08, 0, 0, 0, 0);
}

/* PAP: the peer drives; if it never sends a request, give up after
 * ppp_max_configure restart periods. */
static void pap_never_sent_times_out(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_lcp_open(&s);
	sim_clear(&s);
	sim_advance(&s, 29999);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 2); /* LCP echoes only */
	sim_advance(&s, 1);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_TERM_REQ), 1);
	sim_advance(&s, 6000);
	assert_int_equal(sim_action(&s, PPP_OUT_LINK_DOWN, 0)->a.reason, PPP_DOWN_AUTH_TIMEOUT);
}

/* A verdict that arrives after the link went away is refused, not acted
 * on (RADIUS answers late). */
static void late_verdict_refused(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_lcp_open(&s);
	sim_pap(&s, 1, "u", "p");
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_TERM_REQ, 0x44, NULL, 0);
	sim_clear(&s);
	struct ppp_verdict v = { true, IP4(10, 0, 0, 1), { 0, 0 } };
	assert_int_equal(ppp_link_auth_verdict(&s.l, &s.x, &v, &s.o), -22);
	sim_collect(&s);
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	assert_int_equal(sim_count(&s, PPP_OUT_IPV4_UP), 0);
}

/* A request too big to answer (options worth kilobytes) is dropped as if
 * lost, never a reason to close the link. */
static void oversized_request_dropped(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s);
	sim_start(&s);
	sim_clear(&s);
	uint8_t big[1900];
	for (size_t i = 0; i + 30 <= sizeof big; i += 30) {
		big[i] = 0x63;
		big[i + 1] = 30;
		memset(big + i + 2, 0xee, 28);
	}
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 1, big, 1890); /* 63 options, 1894 octets */
	assert_int_equal(sim_count(&s, PPP_OUT_SEND), 0);
	assert_int_equal(s.l.phase, PPP_PHASE_ESTABLISH);
	assert_int_equal(s.l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_REQ_SENT);
	/* the same with 3 options is answered */
	sim_rx_cp(&s, PPP_PROTO_LCP, PPP_CONF_REQ, 2, big, 90);
	assert_int_equal(sim_count_sent(&s, PPP_PROTO_LCP, PPP_CONF_REJ), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sonicwall_pap_after_chap),
		cmocka_unit_test(pap_ignored_when_only_chap_allowed),
		cmocka_unit_test(auth_nak_to_allowed_protocol_is_honoured),
		cmocka_unit_test(auth_nak_to_forbidden_protocol_tries_next),
		cmocka_unit_test(auth_rejected_closes),
		cmocka_unit_test(ipv6cp_terminate_keeps_link_and_ipv4),
		cmocka_unit_test(ipv6cp_protocol_reject_keeps_link_and_ipv4),
		cmocka_unit_test(ipv6cp_protocol_rejected_when_disabled),
		cmocka_unit_test(mikrotik_ipcp_terminate_during_ccp),
		cmocka_unit_test(ipcp_terminate_ack_renegotiates),
		cmocka_unit_test(windows_ip_before_ccp_finishes),
		cmocka_unit_test(ccp_rejects_everything),
		cmocka_unit_test(unknown_option_rejected_not_naked),
		cmocka_unit_test(nak_loop_turns_into_reject),
		cmocka_unit_test(loopback_detected_by_magic),
		cmocka_unit_test(zero_magic_naked),
		cmocka_unit_test(our_options_naked_and_rejected),
		cmocka_unit_test(lcp_echo_discard_ident_and_unknown_code),
		cmocka_unit_test(unknown_protocol_rejected_only_when_opened),
		cmocka_unit_test(ncp_before_network_discarded),
		cmocka_unit_test(lcp_renegotiation_restarts_auth),
		cmocka_unit_test(ipcp_policy),
		cmocka_unit_test(ipcp_peer_silent_fails_session),
		cmocka_unit_test(ipv6cp_interface_identifier_policy),
		cmocka_unit_test(our_mru_from_l2tp_mtu),
		cmocka_unit_test(echo_magic_zero_and_early_protocol_reject),
		cmocka_unit_test(pap_never_sent_times_out),
		cmocka_unit_test(late_verdict_refused),
		cmocka_unit_test(oversized_request_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
