/*
 * Scenario harness for the PPP link: a virtual clock, deterministic random
 * bytes, and a log of every action the link emitted, so a test reads like
 * a packet trace: "peer sends X; LNS sends Y; 3 s pass; LNS sends Z".
 * Peer packets are built with the codec builders; expected packets are
 * written out as bytes by hand.
 */
#ifndef L2TPNS_TESTS_PPP_HARNESS_H
#define L2TPNS_TESTS_PPP_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/ppp.h"
#include "fsm/ppp_link.h"

#define LOG_MAX 256
#define LOG_BUF 65536

struct logged {
	struct ppp_act a;
	const uint8_t *data; /* SEND: packet; AUTH: user */
	const uint8_t *pass; /* AUTH: password / CHAP response */
	uint64_t at;	     /* virtual time it was emitted */
};

struct sim {
	struct ppp_conf conf;
	struct ppp_link l;
	struct ppp_ctx x;
	struct ppp_out o;
	uint64_t timer_at;
	unsigned seed;
	unsigned n;
	struct logged log[LOG_MAX];
	uint8_t last_req[4][256]; /* LNS's last Configure-Request: LCP, IPCP, IPV6CP, CCP */
	uint16_t last_req_len[4];
	size_t used;
	uint8_t buf[LOG_BUF];
};

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static inline void sim_rnd(struct sim *s)
{
	s->seed++;
	for (int i = 0; i < PPP_RAND_LEN; i++)
		s->x.rnd[i] = (uint8_t)(s->seed * 37u + (unsigned)i * 11u + 0x21u);
}

static inline void sim_collect(struct sim *s)
{
	assert_false(s->o.overflow);
	for (unsigned i = 0; i < s->o.n; i++) {
		const struct ppp_act *a = &s->o.a[i];
		if (a->type == PPP_OUT_TIMER)
			s->timer_at = a->at_ms;
		assert_true(s->n < LOG_MAX);
		struct logged *g = &s->log[s->n++];
		g->a = *a;
		g->at = s->x.now_ms;
		g->data = g->pass = NULL;
		size_t need = (size_t)a->len + a->user_len + a->pass_len;
		assert_true(s->used + need <= LOG_BUF);
		if (a->type == PPP_OUT_SEND) {
			int k = a->proto == PPP_PROTO_LCP ? 0 : a->proto == PPP_PROTO_IPCP ? 1
				: a->proto == PPP_PROTO_IPV6CP ? 2 : a->proto == PPP_PROTO_CCP ? 3 : -1;
			if (k >= 0 && a->len <= 256 && s->o.buf[a->off] == PPP_CONF_REQ) {
				memcpy(s->last_req[k], s->o.buf + a->off, a->len);
				s->last_req_len[k] = a->len;
			}
			memcpy(s->buf + s->used, s->o.buf + a->off, a->len);
			g->data = s->buf + s->used;
			s->used += a->len;
		} else if (a->type == PPP_OUT_AUTH_PAP || a->type == PPP_OUT_AUTH_CHAP) {
			memcpy(s->buf + s->used, s->o.buf + a->user_off, a->user_len);
			g->data = s->buf + s->used;
			s->used += a->user_len;
			memcpy(s->buf + s->used, s->o.buf + a->pass_off, a->pass_len);
			g->pass = s->buf + s->used;
			s->used += a->pass_len;
		}
	}
	ppp_out_reset(&s->o);
}

static inline void sim_clear(struct sim *s)
{
	s->n = 0;
	s->used = 0;
}

static inline void sim_init(struct sim *s)
{
	memset(s, 0, sizeof *s);
	ppp_conf_default(&s->conf);
	s->conf.our_ipv4 = IP4(192, 0, 2, 1);
	s->x.conf = &s->conf;
	s->x.now_ms = 1000000;
	ppp_out_reset(&s->o);
}

static inline void sim_start(struct sim *s)
{
	sim_rnd(s);
	assert_int_equal(ppp_link_start(&s->l, &s->x, &s->o), 0);
	sim_collect(s);
}

/* The peer sends a control packet (or data) of protocol proto, framed with
 * ff 03 and a two-octet protocol. Returns ppp_link_input()'s result. */
static inline int sim_rx(struct sim *s, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t f[4100];
	assert_true(len + 4 <= sizeof f);
	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	memcpy(f + 4, pkt, len);
	sim_rnd(s);
	int rc = ppp_link_input(&s->l, &s->x, f, len + 4, &s->o);
	sim_collect(s);
	return rc;
}

/* Build-and-send helpers on top of the codec builders. */
static inline int sim_rx_cp(struct sim *s, uint16_t proto, uint8_t code, uint8_t id, const void *data,
			    size_t len)
{
	uint8_t b[4000];
	struct wr w;
	wr_init(&w, b, sizeof b);
	assert_true(ppp_cp_build(&w, code, id, data, len) > 0);
	return sim_rx(s, proto, b, w.off);
}

/* Advance the virtual clock by ms, firing the session timer whenever it
 * is due, exactly as the daemon's timer wheel would. */
static inline void sim_advance(struct sim *s, uint64_t ms)
{
	uint64_t end = s->x.now_ms + ms;
	while (s->timer_at && s->timer_at <= end) {
		s->x.now_ms = s->timer_at;
		sim_rnd(s);
		uint64_t before = s->timer_at;
		assert_int_equal(ppp_link_tick(&s->l, &s->x, &s->o), 0);
		sim_collect(s);
		/* the link must not ask to be woken again at the same instant forever */
		if (s->timer_at == before)
			fail_msg("timer not moved at %llu", (unsigned long long)before);
	}
	s->x.now_ms = end;
}

static inline void sim_verdict(struct sim *s, bool accept, uint32_t ip, uint32_t dns1, uint32_t dns2)
{
	struct ppp_verdict v = { accept, ip, { dns1, dns2 } };
	sim_rnd(s);
	assert_int_equal(ppp_link_auth_verdict(&s->l, &s->x, &v, &s->o), 0);
	sim_collect(s);
}

/* The i-th (0-based) SEND of protocol proto and code (0 = any) in the log. */
static inline const struct logged *sim_find_sent(const struct sim *s, uint16_t proto, uint8_t code, unsigned nth)
{
	for (unsigned i = 0; i < s->n; i++) {
		const struct logged *g = &s->log[i];
		if (g->a.type != PPP_OUT_SEND || g->a.proto != proto)
			continue;
		if (code && g->data[0] != code)
			continue;
		if (nth-- == 0)
			return g;
	}
	return NULL;
}

static inline unsigned sim_count_sent(const struct sim *s, uint16_t proto, uint8_t code)
{
	unsigned n = 0;
	while (sim_find_sent(s, proto, code, n))
		n++;
	return n;
}

static inline const struct logged *sim_find_action(const struct sim *s, uint8_t type, unsigned nth)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->log[i].a.type == type && nth-- == 0)
			return &s->log[i];
	return NULL;
}

static inline unsigned sim_count(const struct sim *s, uint8_t type)
{
	unsigned n = 0;
	while (sim_find_action(s, type, n))
		n++;
	return n;
}

/* The same, failing the test when absent (so callers may dereference). */
static inline const struct logged *sim_sent(const struct sim *s, uint16_t proto, uint8_t code, unsigned nth)
{
	const struct logged *g = sim_find_sent(s, proto, code, nth);
	if (!g) {
		fail_msg("no packet #%u of protocol %04x code %u", nth, proto, code);
		abort();
	}
	return g;
}

static inline const struct logged *sim_action(const struct sim *s, uint8_t type, unsigned nth)
{
	const struct logged *g = sim_find_action(s, type, nth);
	if (!g) {
		fail_msg("no action #%u of type %u", nth, type);
		abort();
	}
	return g;
}

/* Compare a sent packet with hand-written bytes; prints both on mismatch. */
static inline void expect_bytes(const struct logged *g, const uint8_t *want, size_t len)
{
	assert_non_null(g);
	if (g->a.len != len || memcmp(g->data, want, len) != 0) {
		char got[512] = "", exp[512] = "";
		for (size_t i = 0; i < g->a.len && i < 150; i++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%02x ", g->data[i]);
		for (size_t i = 0; i < len && i < 150; i++)
			snprintf(exp + strlen(exp), sizeof exp - strlen(exp), "%02x ", want[i]);
		fail_msg("packet mismatch\n got: %s\nwant: %s", got, exp);
	}
}

#define EXPECT_SENT(s, proto, code, nth, ...)                                                      \
	do {                                                                                       \
		static const uint8_t want_[] = { __VA_ARGS__ };                                    \
		expect_bytes(sim_sent((s), (proto), (code), (nth)), want_, sizeof want_);         \
	} while (0)

/* The peer Acks the LNS's last Configure-Request of proto verbatim. */
static inline int sim_ack_last(struct sim *s, uint16_t proto)
{
	int k = proto == PPP_PROTO_LCP ? 0 : proto == PPP_PROTO_IPCP ? 1 : proto == PPP_PROTO_IPV6CP ? 2 : 3;
	assert_true(s->last_req_len[k] >= 4);
	uint8_t b[256];
	memcpy(b, s->last_req[k], s->last_req_len[k]);
	b[0] = PPP_CONF_ACK;
	return sim_rx(s, proto, b, s->last_req_len[k]);
}

/* Bring LCP to Opened with a plain peer request (MRU 1400, magic). */
static inline void sim_lcp_open(struct sim *s)
{
	static const uint8_t peer_req[] = { 0x01, 0x04, 0x05, 0x78, 0x05, 0x06, 0x11, 0x22, 0x33, 0x44 };
	sim_rx_cp(s, PPP_PROTO_LCP, PPP_CONF_REQ, 0x41, peer_req, sizeof peer_req);
	sim_ack_last(s, PPP_PROTO_LCP);
	assert_int_equal(s->l.cp[PPP_CPI_LCP].fsm.state, PPP_ST_OPENED);
}

/* PAP Authenticate-Request from the peer. */
static inline int sim_pap(struct sim *s, uint8_t id, const char *user, const char *pass)
{
	uint8_t b[600];
	struct wr w;
	wr_init(&w, b, sizeof b);
	assert_true(ppp_pap_req_build(&w, id, user, strlen(user), pass, strlen(pass)) > 0);
	return sim_rx(s, PPP_PROTO_PAP, b, w.off);
}

/* From nothing to IPCP Opened with PAP; peer gets 10.1.2.3. */
static inline void sim_pap_session(struct sim *s)
{
	sim_start(s);
	sim_lcp_open(s);
	sim_pap(s, 1, "joe", "pw");
	sim_verdict(s, true, IP4(10, 1, 2, 3), 0, 0);
	static const uint8_t ipcp_req[] = { 0x03, 0x06, 10, 1, 2, 3 };
	sim_rx_cp(s, PPP_PROTO_IPCP, PPP_CONF_REQ, 0x10, ipcp_req, sizeof ipcp_req);
	sim_ack_last(s, PPP_PROTO_IPCP);
	assert_int_equal(s->l.cp[PPP_CPI_IPCP].fsm.state, PPP_ST_OPENED);
}

#endif
