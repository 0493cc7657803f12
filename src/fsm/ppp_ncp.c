/*
 * Network control protocols: IPCP (RFC 1332, RFC 1877 DNS), IPV6CP
 * (RFC 5072) and CCP (RFC 1962, every option rejected: we compress nothing).
 */
#include <string.h>

#include "fsm/ppp_priv.h"

static uint32_t offered_dns(const struct ppp_link *l, const struct ppp_conf *c, int i)
{
	return l->dns[i] ? l->dns[i] : c->dns[i];
}

/* ---- IPCP ---- */

static void ipcp_build_req(struct ppp_link *l, const struct ppp_ctx *x, struct wr *w)
{
	if (l->req_ipaddr)
		ppp_opt_put_u32(w, PPP_IPCP_OPT_ADDR, x->conf->our_ipv4);
}

static int ipcp_check_opt(struct ppp_link *l, const struct ppp_ctx *x, uint8_t type, const uint8_t *v,
			  uint8_t vlen, bool may_nak, bool commit, struct wr *nak)
{
	switch (type) {
	case PPP_IPCP_OPT_ADDR:
		if (vlen != 4)
			return V_REJ;
		if (l->peer_ipv4 != 0 && be32_get(v) == l->peer_ipv4)
			return V_ACK;
		/* RFC 1332 §3.3: 0.0.0.0 asks us to choose; another
		 * address is not the one this session owns. Nak with it.
		 * Rejecting the address would leave the peer without one, so
		 * once Naks are exhausted the negotiation has failed. */
		if (!may_nak || l->peer_ipv4 == 0)
			return -PPP_DOWN_IPCP_FAILED;
		ppp_opt_put_u32(nak, PPP_IPCP_OPT_ADDR, l->peer_ipv4);
		return V_NAK;
	case PPP_IPCP_OPT_DNS1:
	case PPP_IPCP_OPT_DNS2: {
		int i = type == PPP_IPCP_OPT_DNS1 ? 0 : 1;
		uint32_t want = offered_dns(l, x->conf, i);
		if (vlen != 4 || want == 0)
			return V_REJ; /* RFC 1877: no server to offer */
		if (be32_get(v) == want) {
			if (commit)
				l->peer_dns[i] = want;
			return V_ACK;
		}
		if (!may_nak)
			return V_REJ;
		ppp_opt_put_u32(nak, type, want);
		return V_NAK;
	}
	default:
		/* IP-Addresses (deprecated), IP-Compression (no VJ), NBNS
		 * and anything unknown. */
		return V_REJ;
	}
}

/* RFC 1661 §5.3 lets a Nak carry an option the peer did not send: a peer
 * that asks for no address is told the one it has. */
static int ipcp_check_missing(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
			      const struct ppp_optlist *ol, bool may_nak, struct wr *nak)
{
	(void)x;
	(void)c;
	for (unsigned i = 0; i < ol->n; i++)
		if (ol->o[i].type == PPP_IPCP_OPT_ADDR)
			return 0;
	if (!may_nak || l->peer_ipv4 == 0)
		return 0;
	ppp_opt_put_u32(nak, PPP_IPCP_OPT_ADDR, l->peer_ipv4);
	return 1;
}

static int ipcp_got_nak(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
			const struct ppp_optlist *ol)
{
	(void)x;
	(void)c;
	/* Our address is fixed by configuration; a peer that wants another
	 * one for us is simply not told ours any more (the address of the
	 * LNS end is informational for a point-to-point link). */
	for (unsigned i = 0; i < ol->n; i++)
		if (ol->o[i].type == PPP_IPCP_OPT_ADDR)
			l->req_ipaddr = false;
	return 0;
}

static int ipcp_got_rej(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
			const struct ppp_optlist *ol)
{
	return ipcp_got_nak(l, x, c, ol);
}

static void ipcp_layer(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o, uint8_t action,
		       uint8_t ev, uint8_t from)
{
	struct ppp_act *a;
	switch (action) {
	case PPP_A_TLU:
		if ((a = pl_out_add(o, PPP_OUT_IPV4_UP)) != NULL) {
			a->ipv4 = l->peer_ipv4;
			a->dns[0] = l->peer_dns[0];
			a->dns[1] = l->peer_dns[1];
		}
		break;
	case PPP_A_TLD:
		pl_out_add(o, PPP_OUT_IPV4_DOWN);
		break;
	case PPP_A_TLF:
		/* The peer never answered our IPCP requests: without IPv4 an
		 * LNS session is useless. A Terminate from the peer, on the
		 * other hand, leaves the session up (MikroTik closes and
		 * reopens IPCP while CCP is still negotiating). */
		if (ev == PPP_EV_TO_MINUS &&
		    (from == PPP_ST_REQ_SENT || from == PPP_ST_ACK_RCVD || from == PPP_ST_ACK_SENT))
			pl_link_fail(l, x, PPP_DOWN_IPCP_FAILED, o);
		break;
	default:
		break;
	}
}

static const struct cp_ops ipcp = {
	.proto = PPP_PROTO_IPCP,
	.build_req = ipcp_build_req,
	.check_opt = ipcp_check_opt,
	.check_missing = ipcp_check_missing,
	.got_nak = ipcp_got_nak,
	.got_rej = ipcp_got_rej,
	.layer = ipcp_layer,
};

const struct cp_ops *pl_ipcp_ops(void)
{
	return &ipcp;
}

/* ---- IPV6CP ---- */

static const uint8_t zero_ifid[8];

static void ipv6cp_build_req(struct ppp_link *l, const struct ppp_ctx *x, struct wr *w)
{
	(void)x;
	if (l->req_ifid)
		ppp_opt_put(w, PPP_IPV6CP_OPT_IFID, l->our_ifid, 8);
}

/* A fresh identifier from the call's random bytes, never zero nor ours
 * nor avoid (RFC 5072 §4.1). */
static void new_ifid(const struct ppp_ctx *x, const uint8_t *ours, const uint8_t *avoid, uint8_t out[8])
{
	uint8_t o8[8], a8[8];
	memcpy(o8, ours, 8);
	memcpy(a8, avoid ? avoid : zero_ifid, 8);
	memcpy(out, x->rnd + 16, 8);
	for (int k = 0; k < 3; k++) {
		if (memcmp(out, zero_ifid, 8) != 0 && memcmp(out, o8, 8) != 0 && memcmp(out, a8, 8) != 0)
			return;
		out[7] = (uint8_t)(out[7] + 1 + k);
		out[0] |= 0x02;
	}
}

static int ipv6cp_check_opt(struct ppp_link *l, const struct ppp_ctx *x, uint8_t type,
			    const uint8_t *v, uint8_t vlen, bool may_nak, bool commit, struct wr *nak)
{
	if (type != PPP_IPV6CP_OPT_IFID || vlen != 8)
		return V_REJ; /* IPv6-Compression and unknown types */
	if (memcmp(v, zero_ifid, 8) != 0 && memcmp(v, l->our_ifid, 8) != 0) {
		if (commit)
			memcpy(l->peer_ifid, v, 8);
		return V_ACK;
	}
	/* RFC 5072 §4.1: zero, or equal to ours, must be Nak'd with a
	 * different, non-zero identifier. */
	if (!may_nak)
		return V_REJ;
	uint8_t sug[8];
	new_ifid(x, l->our_ifid, v, sug);
	ppp_opt_put(nak, PPP_IPV6CP_OPT_IFID, sug, 8);
	return V_NAK;
}

static int ipv6cp_got_nak(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
			  const struct ppp_optlist *ol)
{
	for (unsigned i = 0; i < ol->n; i++) {
		const struct ppp_opt *op = &ol->o[i];
		if (op->type != PPP_IPV6CP_OPT_IFID || ppp_opt_vlen(op) != 8)
			continue;
		const uint8_t *v = ppp_opt_val(c, op);
		/* RFC 5072 §4.1: use the suggestion if acceptable. */
		if (memcmp(v, zero_ifid, 8) != 0 && memcmp(v, l->peer_ifid, 8) != 0)
			memcpy(l->our_ifid, v, 8);
		else
			new_ifid(x, l->our_ifid, l->peer_ifid, l->our_ifid);
	}
	return 0;
}

static int ipv6cp_got_rej(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
			  const struct ppp_optlist *ol)
{
	(void)x;
	(void)c;
	for (unsigned i = 0; i < ol->n; i++)
		if (ol->o[i].type == PPP_IPV6CP_OPT_IFID)
			l->req_ifid = false;
	return 0;
}

static void ipv6cp_layer(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o, uint8_t action,
			 uint8_t ev, uint8_t from)
{
	(void)x;
	(void)ev;
	(void)from;
	struct ppp_act *a;
	/* Whatever happens to IPV6CP (Terminate, Protocol-Reject, timeout)
	 * stays inside IPv6: RFC 1661 §3.7 closes one NCP, not the link. */
	if (action == PPP_A_TLU) {
		if ((a = pl_out_add(o, PPP_OUT_IPV6_UP)) != NULL)
			memcpy(a->ifid, l->peer_ifid, 8);
	} else if (action == PPP_A_TLD) {
		pl_out_add(o, PPP_OUT_IPV6_DOWN);
	}
}

static const struct cp_ops ipv6cp = {
	.proto = PPP_PROTO_IPV6CP,
	.build_req = ipv6cp_build_req,
	.check_opt = ipv6cp_check_opt,
	.check_missing = NULL,
	.got_nak = ipv6cp_got_nak,
	.got_rej = ipv6cp_got_rej,
	.layer = ipv6cp_layer,
};

const struct cp_ops *pl_ipv6cp_ops(void)
{
	return &ipv6cp;
}

/* ---- CCP: no compression, so nothing to request and nothing to accept ---- */

static void ccp_build_req(struct ppp_link *l, const struct ppp_ctx *x, struct wr *w)
{
	(void)l;
	(void)x;
	(void)w;
}

static int ccp_check_opt(struct ppp_link *l, const struct ppp_ctx *x, uint8_t type, const uint8_t *v,
			 uint8_t vlen, bool may_nak, bool commit, struct wr *nak)
{
	(void)l, (void)x, (void)type, (void)v, (void)vlen, (void)may_nak, (void)commit, (void)nak;
	return V_REJ;
}

static int ccp_got_any(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
		       const struct ppp_optlist *ol)
{
	(void)l, (void)x, (void)c, (void)ol;
	return 0;
}

static void ccp_layer(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o, uint8_t action,
		      uint8_t ev, uint8_t from)
{
	/* CCP Opened with no algorithm changes nothing on the data path;
	 * CCP failing changes nothing either (IP flows uncompressed). */
	(void)l, (void)x, (void)o, (void)action, (void)ev, (void)from;
}

static const struct cp_ops ccp = {
	.proto = PPP_PROTO_CCP,
	.build_req = ccp_build_req,
	.check_opt = ccp_check_opt,
	.check_missing = NULL,
	.got_nak = ccp_got_any,
	.got_rej = ccp_got_any,
	.layer = ccp_layer,
};

const struct cp_ops *pl_ccp_ops(void)
{
	return &ccp;
}

int pl_ncp_input(struct ppp_link *l, int idx, const struct ppp_ctx *x, const uint8_t *p, size_t len,
	      struct ppp_out *o)
{
	/* RFC 1661 §3.4: NCP packets before the Network phase are
	 * silently discarded. */
	if (l->phase != PPP_PHASE_NETWORK)
		return 0;
	struct ppp_ncp_pkt m;
	int rc = ppp_ncp_decode(pl_cp_ops_of(idx)->proto, p, len, &m);
	struct cp_rx rx = { .c = &m.cp };
	if (rc == PPP_E_CODE)
		return pl_cp_event(l, idx, x, PPP_EV_RUC, &rx, o);
	if (rc < 0)
		return 0;
	if (m.cp.code == PPP_CCP_RESET_REQ || m.cp.code == PPP_CCP_RESET_ACK)
		return 0; /* RFC 1962 §3: no compressor, nothing to reset */
	return pl_cp_input(l, idx, x, &m.cp, &m.opts, o);
}
