/*
 * Network control protocols: IPCP (RFC 1332, RFC 1877 DNS/NBNS), IPV6CP
 * (RFC 5072) and CCP (RFC 1962, decoded only far enough to reject every
 * option: we implement no compressor).
 */
#include "codec/ppp.h"

#include <string.h>

#include "codec/buf.h"

/* ---- IPCP ---------------------------------------------------------------- */

static uint32_t ipcp_bit(uint8_t type)
{
	switch (type) {
	case PPP_IPCP_OPT_ADDRS: return PPP_IPCP_HAS_ADDRS;
	case PPP_IPCP_OPT_COMP: return PPP_IPCP_HAS_COMP;
	case PPP_IPCP_OPT_ADDR: return PPP_IPCP_HAS_ADDR;
	case PPP_IPCP_OPT_DNS1: return PPP_IPCP_HAS_DNS1;
	case PPP_IPCP_OPT_NBNS1: return PPP_IPCP_HAS_NBNS1;
	case PPP_IPCP_OPT_DNS2: return PPP_IPCP_HAS_DNS2;
	case PPP_IPCP_OPT_NBNS2: return PPP_IPCP_HAS_NBNS2;
	default: return 0;
	}
}

static uint8_t ipcp_opt_take(struct ppp_ipcp_opts *o, uint8_t type, const uint8_t *v, uint8_t n)
{
	struct rd r;
	uint32_t *addr = NULL;

	rd_init(&r, v, n);
	switch (type) {
	case PPP_IPCP_OPT_ADDRS:	/* RFC 1332 §3.1: Length 10 */
		if (n != 8)
			return PPP_OPT_F_BAD;
		o->addrs_src = rd_u32(&r);
		o->addrs_dst = rd_u32(&r);
		return 0;
	case PPP_IPCP_OPT_COMP: {	/* RFC 1332 §3.2: Length >= 4 */
		if (n < 2 || n - 2 > PPP_COMP_DATA_MAX)
			return PPP_OPT_F_BAD;
		uint16_t proto = rd_u16(&r);
		/* RFC 1332 §3.2: Van Jacobson carries exactly Max-Slot-Id
		 * and Comp-Slot-Id (Length 6). */
		if (proto == PPP_IPCP_VJ && n != 4)
			return PPP_OPT_F_BAD;
		o->comp_proto = proto;
		o->comp_data_len = (uint8_t)(n - 2);
		rd_bytes(&r, o->comp_data, o->comp_data_len);
		return 0;
	}
	case PPP_IPCP_OPT_ADDR:		/* RFC 1332 §3.3: Length 6 */
		addr = &o->addr;
		break;
	case PPP_IPCP_OPT_DNS1:		/* RFC 1877 §1.1 - §1.4: Length 6 */
		addr = &o->dns1;
		break;
	case PPP_IPCP_OPT_NBNS1:
		addr = &o->nbns1;
		break;
	case PPP_IPCP_OPT_DNS2:
		addr = &o->dns2;
		break;
	case PPP_IPCP_OPT_NBNS2:
		addr = &o->nbns2;
		break;
	default:
		return PPP_OPT_F_UNKNOWN;
	}
	if (n != 4)
		return PPP_OPT_F_BAD;
	*addr = rd_u32(&r);
	return 0;
}

void ppp_ipcp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l, struct ppp_ipcp_opts *o)
{
	memset(o, 0, sizeof *o);
	for (unsigned i = 0; i < l->n && i < PPP_MAX_OPTS; i++) {
		struct ppp_opt *op = &l->o[i];
		uint32_t bit = ipcp_bit(op->type);

		if (bit && (o->present & bit)) {
			op->flags = PPP_OPT_F_DUP;
			continue;
		}
		op->flags = ipcp_opt_take(o, op->type, ppp_opt_val(c, op), ppp_opt_vlen(op));
		if (op->flags == 0)
			o->present |= bit;
		else if (op->flags & PPP_OPT_F_UNKNOWN)
			o->n_unknown++;
		else
			o->n_bad++;
	}
}

int ppp_ipcp_opts_write(struct wr *w, const struct ppp_ipcp_opts *o)
{
	size_t start = w->off;
	uint32_t has = o->present;

	if ((has & PPP_IPCP_HAS_COMP) && o->comp_data_len > PPP_COMP_DATA_MAX)
		return PPP_E_INVAL;
	if (has & PPP_IPCP_HAS_ADDRS) {
		wr_u8(w, PPP_IPCP_OPT_ADDRS);
		wr_u8(w, 10);
		wr_u32(w, o->addrs_src);
		wr_u32(w, o->addrs_dst);
	}
	if (has & PPP_IPCP_HAS_COMP) {
		wr_u8(w, PPP_IPCP_OPT_COMP);
		wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + o->comp_data_len));
		wr_u16(w, o->comp_proto);
		wr_bytes(w, o->comp_data, o->comp_data_len);
	}
	if (has & PPP_IPCP_HAS_ADDR)
		ppp_opt_put_u32(w, PPP_IPCP_OPT_ADDR, o->addr);
	if (has & PPP_IPCP_HAS_DNS1)
		ppp_opt_put_u32(w, PPP_IPCP_OPT_DNS1, o->dns1);
	if (has & PPP_IPCP_HAS_NBNS1)
		ppp_opt_put_u32(w, PPP_IPCP_OPT_NBNS1, o->nbns1);
	if (has & PPP_IPCP_HAS_DNS2)
		ppp_opt_put_u32(w, PPP_IPCP_OPT_DNS2, o->dns2);
	if (has & PPP_IPCP_HAS_NBNS2)
		ppp_opt_put_u32(w, PPP_IPCP_OPT_NBNS2, o->nbns2);
	return w->err ? PPP_E_NOSPACE : (int)(w->off - start);
}

int ppp_ipcp_conf_build(struct wr *w, uint8_t code, uint8_t id, const struct ppp_ipcp_opts *o)
{
	if (code < PPP_CONF_REQ || code > PPP_CONF_REJ)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	int rc = ppp_ipcp_opts_write(w, o);
	if (rc < 0)
		return rc;
	return ppp_cp_end(w, at);
}

/* ---- IPV6CP -------------------------------------------------------------- */

static uint8_t ipv6cp_opt_take(struct ppp_ipv6cp_opts *o, uint8_t type, const uint8_t *v,
			       uint8_t n)
{
	struct rd r;

	rd_init(&r, v, n);
	switch (type) {
	case PPP_IPV6CP_OPT_IFID:	/* RFC 5072 §4.1: Length 10 */
		if (n != PPP_IPV6CP_IFID_LEN)
			return PPP_OPT_F_BAD;
		rd_bytes(&r, o->ifid, sizeof o->ifid);
		return 0;
	case PPP_IPV6CP_OPT_COMP:	/* RFC 5072 §4.2: Length >= 4 */
		if (n < 2 || n - 2 > PPP_COMP_DATA_MAX)
			return PPP_OPT_F_BAD;
		o->comp_proto = rd_u16(&r);
		o->comp_data_len = (uint8_t)(n - 2);
		rd_bytes(&r, o->comp_data, o->comp_data_len);
		return 0;
	default:
		return PPP_OPT_F_UNKNOWN;
	}
}

void ppp_ipv6cp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l,
			  struct ppp_ipv6cp_opts *o)
{
	memset(o, 0, sizeof *o);
	for (unsigned i = 0; i < l->n && i < PPP_MAX_OPTS; i++) {
		struct ppp_opt *op = &l->o[i];
		uint8_t t = op->type;

		if (t < 32 && (o->present & PPP_OPT_BIT(t))) {
			op->flags = PPP_OPT_F_DUP;
			continue;
		}
		op->flags = ipv6cp_opt_take(o, t, ppp_opt_val(c, op), ppp_opt_vlen(op));
		if (op->flags == 0)
			o->present |= PPP_OPT_BIT(t);
		else if (op->flags & PPP_OPT_F_UNKNOWN)
			o->n_unknown++;
		else
			o->n_bad++;
	}
}

int ppp_ipv6cp_opts_write(struct wr *w, const struct ppp_ipv6cp_opts *o)
{
	size_t start = w->off;

	if ((o->present & PPP_OPT_BIT(PPP_IPV6CP_OPT_COMP)) &&
	    o->comp_data_len > PPP_COMP_DATA_MAX)
		return PPP_E_INVAL;
	if (o->present & PPP_OPT_BIT(PPP_IPV6CP_OPT_IFID))
		ppp_opt_put(w, PPP_IPV6CP_OPT_IFID, o->ifid, sizeof o->ifid);
	if (o->present & PPP_OPT_BIT(PPP_IPV6CP_OPT_COMP)) {
		wr_u8(w, PPP_IPV6CP_OPT_COMP);
		wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + o->comp_data_len));
		wr_u16(w, o->comp_proto);
		wr_bytes(w, o->comp_data, o->comp_data_len);
	}
	return w->err ? PPP_E_NOSPACE : (int)(w->off - start);
}

int ppp_ipv6cp_conf_build(struct wr *w, uint8_t code, uint8_t id,
			  const struct ppp_ipv6cp_opts *o)
{
	if (code < PPP_CONF_REQ || code > PPP_CONF_REJ)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	int rc = ppp_ipv6cp_opts_write(w, o);
	if (rc < 0)
		return rc;
	return ppp_cp_end(w, at);
}

/* ---- CCP ----------------------------------------------------------------- */

/* Value lengths the option's own RFC fixes; -1 when it does not. Only used
 * to flag malformed options (tcpdump's deflate overrun came from trusting
 * them). */
static int ccp_fixed_vlen(uint8_t type)
{
	switch (type) {
	case PPP_CCP_OPT_DEFLATE: return 2;	/* RFC 1979 §2: Length 4 */
	case PPP_CCP_OPT_BSD: return 1;		/* RFC 1977 §2.1: Length 3 */
	case PPP_CCP_OPT_MPPC: return 4;	/* RFC 2118 §2.1: Length 6 */
	case PPP_CCP_OPT_STAC: return 3;	/* RFC 1974 §2.1: Length 5 */
	default: return -1;
	}
}

void ppp_ccp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l, struct ppp_ccp_opts *o)
{
	(void)c;
	memset(o, 0, sizeof *o);
	for (unsigned i = 0; i < l->n && i < PPP_MAX_OPTS; i++) {
		struct ppp_opt *op = &l->o[i];
		uint8_t t = op->type;
		int fixed = ccp_fixed_vlen(t);

		if (t >= 32 || ppp_opt_name(PPP_PROTO_CCP, t) == NULL) {
			op->flags = PPP_OPT_F_UNKNOWN;
			o->n_unknown++;
		} else if (o->present & PPP_OPT_BIT(t)) {
			op->flags = PPP_OPT_F_DUP;
		} else if (fixed >= 0 && ppp_opt_vlen(op) != fixed) {
			op->flags = PPP_OPT_F_BAD;
			o->n_bad++;
		} else {
			op->flags = 0;
			o->present |= PPP_OPT_BIT(t);
		}
	}
}

/* ---- packet decode ------------------------------------------------------- */

int ppp_ncp_decode(uint16_t proto, const uint8_t *p, size_t len, struct ppp_ncp_pkt *m)
{
	bool ccp = proto == PPP_PROTO_CCP || proto == PPP_PROTO_CCP_LINK;
	int rc;

	memset(m, 0, sizeof *m);
	m->proto = proto;
	if (!ccp && proto != PPP_PROTO_IPCP && proto != PPP_PROTO_IPV6CP)
		return PPP_E_INVAL;
	rc = ppp_cp_decode(p, len, &m->cp);
	if (rc)
		return rc;
	switch (m->cp.code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		rc = ppp_opts_decode(&m->cp, &m->opts);
		if (rc)
			return rc;
		if (proto == PPP_PROTO_IPCP)
			ppp_ipcp_opts_from(&m->cp, &m->opts, &m->ipcp);
		else if (proto == PPP_PROTO_IPV6CP)
			ppp_ipv6cp_opts_from(&m->cp, &m->opts, &m->ipv6cp);
		else
			ppp_ccp_opts_from(&m->cp, &m->opts, &m->ccp);
		return PPP_OK;
	case PPP_TERM_REQ:
	case PPP_TERM_ACK:
		break;
	case PPP_CODE_REJ:
		if (m->cp.data_len == 0)
			return PPP_E_DATA;
		break;
	case PPP_CCP_RESET_REQ:		/* RFC 1962 §3.1, §3.2: Data opaque */
	case PPP_CCP_RESET_ACK:
		if (ccp)
			break;
		return PPP_E_CODE;
	default:
		/* RFC 1332 §2, RFC 5072 §2: codes 8 and up are LCP's only;
		 * the header stays in m->cp for the Code-Reject. */
		return PPP_E_CODE;
	}
	m->rest = m->cp.data;
	m->rest_len = m->cp.data_len;
	return PPP_OK;
}
