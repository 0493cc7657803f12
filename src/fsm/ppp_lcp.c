/*
 * LCP (RFC 1661 §5, §6; RFC 1570): our option policy and the LCP-only codes
 * (Protocol-Reject, Echo, Discard, Identification, Time-Remaining).
 */
#include <string.h>

#include "fsm/ppp_priv.h"

/* ---- policy ---- */

static void lcp_build_req(struct ppp_link *l, const struct ppp_ctx *x, struct wr *w)
{
	(void)x;
	if (l->req_mru)
		ppp_opt_put_u16(w, PPP_LCP_OPT_MRU, l->our_mru);
	if (l->auth == PPP_AUTH_PAP) {
		ppp_opt_put_u16(w, PPP_LCP_OPT_AUTH, PPP_PROTO_PAP);
	} else if (l->auth == PPP_AUTH_CHAP) {
		static const uint8_t chap_md5[3] = { PPP_PROTO_CHAP >> 8, PPP_PROTO_CHAP & 0xff,
						     PPP_CHAP_ALG_MD5 };
		ppp_opt_put(w, PPP_LCP_OPT_AUTH, chap_md5, sizeof chap_md5);
	}
	if (l->req_magic && l->our_magic)
		ppp_opt_put_u32(w, PPP_LCP_OPT_MAGIC, l->our_magic);
}

static int lcp_check_opt(struct ppp_link *l, const struct ppp_ctx *x, uint8_t type, const uint8_t *v,
			 uint8_t vlen, bool may_nak, bool commit, struct wr *nak)
{
	const struct ppp_conf *c = x->conf;
	switch (type) {
	case PPP_LCP_OPT_MRU: {
		if (vlen != 2)
			return V_REJ;
		uint16_t mru = be16_get(v);
		if (mru >= c->min_peer_mru) {
			if (commit)
				l->peer_mru = mru;
			return V_ACK;
		}
		/* §6.1: too small for us to send through: suggest ours. */
		if (!may_nak)
			return V_REJ;
		ppp_opt_put_u16(nak, PPP_LCP_OPT_MRU, l->our_mru);
		return V_NAK;
	}
	case PPP_LCP_OPT_ACCM:
		/* Async framing is the LAC's business over L2TP (it learns
		 * the ACCM through Set-Link-Info, RFC 2661 §6.14), so any
		 * value is fine for us. */
		if (vlen != 4)
			return V_REJ;
		if (commit)
			l->peer_accm = be32_get(v);
		return V_ACK;
	case PPP_LCP_OPT_MAGIC: {
		if (vlen != 4)
			return V_REJ;
		uint32_t m = be32_get(v);
		if (m != 0 && m != l->our_magic) {
			if (commit) {
				l->peer_magic = m;
				l->loops = 0;
			}
			return V_ACK;
		}
		if (m != 0 && !commit) {
			l->loop_suspect = true;
			/* §6.4: our own number came back. Nak with another
			 * value; if it keeps coming back the line is looped. */
			l->loops++;
			if (l->loops >= c->fsm.max_failure)
				return -PPP_DOWN_LOOPBACK;
		}
		if (!may_nak)
			return V_REJ;
		/* §6.4: a zero Magic-Number MUST be Nak'd (or rejected). */
		uint32_t sug = pl_rnd_u32(x, 4);
		if (sug == l->our_magic)
			sug ^= 0x5a5a5a5a;
		ppp_opt_put_u32(nak, PPP_LCP_OPT_MAGIC, sug);
		return V_NAK;
	}
	case PPP_LCP_OPT_PFC:
	case PPP_LCP_OPT_ACFC:
		if (vlen != 0)
			return V_REJ;
		if (commit) {
			if (type == PPP_LCP_OPT_PFC)
				l->peer_pfc = true;
			else
				l->peer_acfc = true;
		}
		return V_ACK;
	default:
		/* Auth-Protocol: the LNS has no credentials to prove itself
		 * with. Quality-Protocol: no LQR. Callback, MRRU/SSNHF/EPDisc
		 * (no multilink) and every unknown type: Reject, never Nak
		 * (§5.4: options not recognised or not acceptable). */
		return V_REJ;
	}
}

static bool auth_allowed(const struct ppp_conf *c, uint8_t t)
{
	for (unsigned i = 0; i < c->n_auth && i < 2; i++)
		if (c->auth[i] == t)
			return true;
	return false;
}

/* Offer t next; -1 when it is not allowed or was already tried. */
static int offer_auth(struct ppp_link *l, const struct ppp_conf *c, uint8_t t)
{
	if (t == PPP_AUTH_NONE || !auth_allowed(c, t) || (l->auth_tried & (1u << t)))
		return -1;
	l->auth = t;
	l->auth_tried |= (uint8_t)(1u << t);
	return 0;
}

static int lcp_got_nak(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
		       const struct ppp_optlist *ol)
{
	const struct ppp_conf *conf = x->conf;
	for (unsigned i = 0; i < ol->n; i++) {
		const struct ppp_opt *op = &ol->o[i];
		const uint8_t *v = ppp_opt_val(c, op);
		uint8_t vlen = ppp_opt_vlen(op);
		switch (op->type) {
		case PPP_LCP_OPT_MRU:
			/* The peer wants us to receive a different size: fine
			 * as long as it is not below the RFC 791 minimum. */
			if (vlen == 2 && be16_get(v) >= 576)
				l->our_mru = be16_get(v);
			break;
		case PPP_LCP_OPT_AUTH: {
			if (l->auth == PPP_AUTH_NONE)
				break; /* Nak suggesting an option we did not send: ignore */
			uint8_t want = PPP_AUTH_NONE;
			if (vlen == 2 && be16_get(v) == PPP_PROTO_PAP)
				want = PPP_AUTH_PAP;
			else if (vlen == 3 && be16_get(v) == PPP_PROTO_CHAP && v[2] == PPP_CHAP_ALG_MD5)
				want = PPP_AUTH_CHAP;
			/* §6.2: honour the peer's choice when radius_authtypes
			 * allows it; otherwise offer the next allowed one. */
			if (offer_auth(l, conf, want) == 0)
				break;
			bool found = false;
			for (unsigned k = 0; k < conf->n_auth && k < 2 && !found; k++)
				found = offer_auth(l, conf, conf->auth[k]) == 0;
			if (!found)
				return -PPP_DOWN_LCP_NEGOTIATION;
			break;
		}
		case PPP_LCP_OPT_MAGIC: {
			/* §6.4: choose a new random number on a Nak. */
			uint32_t m = pl_rnd_u32(x, 0);
			if (vlen == 4 && m == be32_get(v))
				m ^= 0xa5a5a5a5;
			if (m == l->our_magic)
				m = ~m ? ~m : 1;
			l->our_magic = m;
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

static int lcp_got_rej(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
		       const struct ppp_optlist *ol)
{
	(void)x;
	(void)c;
	for (unsigned i = 0; i < ol->n; i++) {
		switch (ol->o[i].type) {
		case PPP_LCP_OPT_MRU:
			l->req_mru = false;
			break;
		case PPP_LCP_OPT_MAGIC:
			l->req_magic = false;
			l->our_magic = 0;
			break;
		case PPP_LCP_OPT_AUTH:
			/* The peer refuses to authenticate: an LNS cannot go on. */
			if (l->auth != PPP_AUTH_NONE)
				return -PPP_DOWN_LCP_NEGOTIATION;
			break;
		default:
			break;
		}
	}
	return 0;
}

static const struct cp_ops lcp = {
	.proto = PPP_PROTO_LCP,
	.build_req = lcp_build_req,
	.check_opt = lcp_check_opt,
	.check_missing = NULL,
	.got_nak = lcp_got_nak,
	.got_rej = lcp_got_rej,
	.layer = pl_link_lcp_layer,
};

const struct cp_ops *pl_lcp_ops(void)
{
	return &lcp;
}

/* ---- LCP-only packets ---- */

void pl_lcp_send_echo_reply(struct ppp_link *l, const struct cp_rx *rx, struct ppp_out *o)
{
	const struct ppp_cp *c = rx->c;
	if (c->data_len < 4)
		return;
	struct wr w;
	pl_out_begin(o, &w);
	/* §5.8: the reply carries our Magic-Number (0 when not negotiated)
	 * and the request's data. */
	if (ppp_echo_build(&w, PPP_ECHO_REP, c->id, l->req_magic ? l->our_magic : 0, c->data + 4,
			   (size_t)c->data_len - 4) < 0)
		w.err = true;
	pl_out_send(o, PPP_PROTO_LCP, &w);
}

void pl_lcp_send_echo_request(struct ppp_link *l, struct ppp_out *o)
{
	struct wr w;
	pl_out_begin(o, &w);
	if (ppp_echo_build(&w, PPP_ECHO_REQ, ++l->echo_id, l->req_magic ? l->our_magic : 0, NULL, 0) < 0)
		w.err = true;
	pl_out_send(o, PPP_PROTO_LCP, &w);
}

void pl_lcp_send_proto_rej(struct ppp_link *l, uint16_t proto, const uint8_t *info, size_t len,
			struct ppp_out *o)
{
	struct wr w;
	pl_out_begin(o, &w);
	/* §5.7: truncated to the peer's MRU; never more than 1500 octets so
	 * a huge Acked MRU cannot make us echo a jumbo frame. */
	size_t mru = l->peer_mru && l->peer_mru < PPP_DEFAULT_MRU ? l->peer_mru : PPP_DEFAULT_MRU;
	if (ppp_proto_rej_build(&w, ++l->cp[PPP_CPI_LCP].next_id, proto, info, len, mru) < 0)
		w.err = true;
	pl_out_send(o, PPP_PROTO_LCP, &w);
}

static int ncp_index(uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_IPCP:
		return PPP_CPI_IPCP;
	case PPP_PROTO_IPV6CP:
		return PPP_CPI_IPV6CP;
	case PPP_PROTO_CCP:
		return PPP_CPI_CCP;
	default:
		return -1;
	}
}

/* §5.7 Protocol-Reject received (LCP Opened only). */
static int lcp_proto_rej(struct ppp_link *l, const struct ppp_ctx *x, const struct cp_rx *rx,
			 uint16_t proto, struct ppp_out *o)
{
	int idx = ncp_index(proto);
	if (proto == PPP_PROTO_LCP)
		return pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_RXJ_MINUS, rx, o);
	if (proto == PPP_PROTO_PAP || proto == PPP_PROTO_CHAP) {
		if (l->phase == PPP_PHASE_AUTHENTICATE)
			pl_link_fail(l, x, PPP_DOWN_PROTO_REJECT, o);
		return 0;
	}
	if (idx < 0)
		return pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_RXJ_PLUS, rx, o);
	/* An NCP the peer does not speak: RXJ- on that NCP only (§4.3: the
	 * upper layer is finished; LCP and the other NCPs carry on). */
	l->cp[idx].rejected = true;
	int rc = pl_cp_event(l, idx, x, PPP_EV_RXJ_MINUS, rx, o);
	if (idx == PPP_CPI_IPCP)
		pl_link_fail(l, x, PPP_DOWN_PROTO_REJECT, o); /* an LNS session needs IPv4 */
	return rc;
}

int pl_lcp_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *p, size_t len,
	      struct ppp_out *o)
{
	struct ppp_lcp_pkt m;
	int rc = ppp_lcp_decode(p, len, &m);
	struct cp_rx rx = { .c = &m.cp };
	if (rc == PPP_E_CODE)
		return pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_RUC, &rx, o);
	if (rc < 0)
		return 0; /* malformed: silently discarded */
	bool opened = l->cp[PPP_CPI_LCP].fsm.state == PPP_ST_OPENED;
	switch (m.cp.code) {
	case PPP_PROTO_REJ:
		if (!opened)
			return 0; /* §5.7: only meaningful in Opened */
		return lcp_proto_rej(l, x, &rx, m.rej_proto, o);
	case PPP_ECHO_REQ:
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
		/* §5.8, §5.9: RXR. The automaton answers an Echo-Request
		 * (ser) only in Opened; a reply or a discard is consumed. */
		return pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_RXR, &rx, o);
	case PPP_IDENTIFICATION:
	case PPP_TIME_REMAINING:
		return 0; /* RFC 1570 §1: informational, accepted silently */
	default:
		return pl_cp_input(l, PPP_CPI_LCP, x, &m.cp, &m.opts, o);
	}
}
