/*
 * libFuzzer harness: LCP (RFC 1661 §5, §6; RFC 1570; RFC 1990 options).
 *
 * Input: one PPP frame (optional ff 03, protocol, packet). The payload is
 * decoded as LCP whatever the protocol says, so mutations of the protocol
 * field do not waste runs. A packet that decodes is built again with the
 * matching builder and must decode to the same fields: Configure-* from the
 * typed options (and byte-exact from the raw list), every other code
 * byte-exact from its fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c)                                                                         \
	do {                                                                               \
		if (!(c))                                                                  \
			abort();                                                           \
	} while (0)

static uint8_t out[70000];

#define SAME(f) REQUIRE(a->f == b->f)
#define HAS(t) (a->present & PPP_OPT_BIT(t))

static void same_opts(const struct ppp_lcp_opts *a, const struct ppp_lcp_opts *b)
{
	SAME(present);
	REQUIRE(b->n_bad == 0 && b->n_unknown == 0);
	if (HAS(PPP_LCP_OPT_MRU))
		SAME(mru);
	if (HAS(PPP_LCP_OPT_ACCM))
		SAME(accm);
	if (HAS(PPP_LCP_OPT_AUTH)) {
		SAME(auth_proto);
		SAME(auth_data_len);
		REQUIRE(memcmp(a->auth_data, b->auth_data, a->auth_data_len) == 0);
	}
	if (HAS(PPP_LCP_OPT_QUALITY)) {
		SAME(quality_proto);
		SAME(quality_data_len);
		REQUIRE(memcmp(a->quality_data, b->quality_data, a->quality_data_len) == 0);
	}
	if (HAS(PPP_LCP_OPT_MAGIC))
		SAME(magic);
	if (HAS(PPP_LCP_OPT_CALLBACK)) {
		SAME(callback_op);
		SAME(callback_msg_len);
		REQUIRE(memcmp(a->callback_msg, b->callback_msg, a->callback_msg_len) == 0);
	}
	if (HAS(PPP_LCP_OPT_MRRU))
		SAME(mrru);
	if (HAS(PPP_LCP_OPT_EPDISC)) {
		SAME(epdisc_class);
		SAME(epdisc_len);
		REQUIRE(memcmp(a->epdisc, b->epdisc, a->epdisc_len) == 0);
	}
}

static void check_flags(const struct ppp_lcp_pkt *m)
{
	unsigned unknown = 0, bad = 0;
	for (unsigned i = 0; i < m->opts.n; i++) {
		const struct ppp_opt *o = &m->opts.o[i];
		REQUIRE((size_t)o->off + o->len <= m->cp.len);
		if (o->flags & PPP_OPT_F_UNKNOWN)
			unknown++;
		else if (o->flags & PPP_OPT_F_BAD)
			bad++;
		else if (o->flags == 0)
			REQUIRE(o->type < 32 && (m->lcp.present & PPP_OPT_BIT(o->type)));
	}
	REQUIRE(unknown == m->lcp.n_unknown && bad == m->lcp.n_bad);
}

static void rebuild(const struct ppp_lcp_pkt *m)
{
	const struct ppp_cp *c = &m->cp;
	struct wr w;
	int n = -1;

	wr_init(&w, out, sizeof out);
	switch (c->code) {
	case PPP_TERM_REQ:
	case PPP_TERM_ACK:
		n = ppp_term_build(&w, c->code, c->id, m->rest, m->rest_len);
		break;
	case PPP_CODE_REJ:
		n = ppp_code_rej_build(&w, c->id, m->rest, m->rest_len, 65535);
		break;
	case PPP_PROTO_REJ:
		n = ppp_proto_rej_build(&w, c->id, m->rej_proto, m->rest, m->rest_len, 65535);
		break;
	case PPP_ECHO_REQ:
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
		n = ppp_echo_build(&w, c->code, c->id, m->magic, m->rest, m->rest_len);
		break;
	case PPP_IDENTIFICATION:
		n = ppp_ident_build(&w, c->id, m->magic, m->rest, m->rest_len);
		break;
	case PPP_TIME_REMAINING:
		n = ppp_time_rem_build(&w, c->id, m->magic, m->seconds, m->rest, m->rest_len);
		break;
	default:
		abort(); /* the decoder accepted a code it does not define */
	}
	/* these packets are fully described by their fields: byte-exact */
	REQUIRE(n == c->len && memcmp(out, c->pkt, c->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ppp_lcp_pkt m, m2;
	struct ppp_frame f;
	struct wr w;

	if (size > 65535)
		return 0;
	if (ppp_frame_decode(data, size, &f) != PPP_OK)
		return 0;
	int rc = ppp_lcp_decode(f.payload, f.payload_len, &m);
	if (rc == PPP_E_CODE) {
		REQUIRE(m.cp.code == 0 || m.cp.code > PPP_TIME_REMAINING);
		REQUIRE(ppp_code_name(PPP_PROTO_LCP, m.cp.code) == NULL);
		return 0;
	}
	if (rc != PPP_OK)
		return 0;
	REQUIRE(ppp_code_name(PPP_PROTO_LCP, m.cp.code) != NULL);

	if (m.cp.code > PPP_CONF_REJ) {
		rebuild(&m);
		return 0;
	}
	check_flags(&m);
	/* raw echo is byte-exact */
	wr_init(&w, out, sizeof out);
	REQUIRE(ppp_conf_echo(&w, m.cp.code, m.cp.id, &m.cp, &m.opts, ~UINT64_C(0)) == m.cp.len);
	REQUIRE(memcmp(out, m.cp.pkt, m.cp.len) == 0);
	/* typed round trip */
	wr_init(&w, out, sizeof out);
	int n = ppp_lcp_conf_build(&w, m.cp.code, m.cp.id, &m.lcp);
	REQUIRE(n >= 4);
	REQUIRE(ppp_lcp_decode(out, (size_t)n, &m2) == PPP_OK);
	REQUIRE(m2.cp.code == m.cp.code && m2.cp.id == m.cp.id);
	same_opts(&m.lcp, &m2.lcp);
	return 0;
}
