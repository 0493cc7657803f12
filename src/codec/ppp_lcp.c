/*
 * LCP (RFC 1661 §5, §6; RFC 1662 §7.1 ACCM; RFC 1570 Identification,
 * Time-Remaining and Callback; RFC 1990 §5.1 multilink options): packet
 * decode, typed options, and the Configure-* builder.
 */
#include "codec/ppp.h"

#include <string.h>

#include "codec/buf.h"

/* RFC 1990 §5.1.3: the address length each Endpoint Discriminator class
 * allows; false for a class the RFC does not define. */
static bool epdisc_len_ok(uint8_t cls, size_t n)
{
	switch (cls) {
	case PPP_EPDISC_NULL: return n == 0;
	case PPP_EPDISC_LOCAL: return n <= PPP_EPDISC_ADDR_MAX;
	case PPP_EPDISC_IPV4: return n == 4;
	case PPP_EPDISC_MAC: return n == 6;
	case PPP_EPDISC_MAGIC: return n <= PPP_EPDISC_ADDR_MAX;
	case PPP_EPDISC_E164: return n <= 15;
	default: return false;
	}
}

/* Returns the flag for this option: 0 when the typed field was filled. */
static uint8_t lcp_opt_take(struct ppp_lcp_opts *o, uint8_t type, const uint8_t *v, uint8_t n)
{
	struct rd r;

	rd_init(&r, v, n);
	switch (type) {
	case PPP_LCP_OPT_MRU:		/* RFC 1661 §6.1: Length 4 */
		if (n != 2)
			return PPP_OPT_F_BAD;
		o->mru = rd_u16(&r);
		break;
	case PPP_LCP_OPT_ACCM:		/* RFC 1662 §7.1: Length 6 */
		if (n != 4)
			return PPP_OPT_F_BAD;
		o->accm = rd_u32(&r);
		break;
	case PPP_LCP_OPT_AUTH:		/* RFC 1661 §6.2: Length >= 4 */
		if (n < 2 || n - 2 > PPP_AUTH_DATA_MAX)
			return PPP_OPT_F_BAD;
		o->auth_proto = rd_u16(&r);
		o->auth_data_len = (uint8_t)(n - 2);
		rd_bytes(&r, o->auth_data, o->auth_data_len);
		break;
	case PPP_LCP_OPT_QUALITY:	/* RFC 1661 §6.3: Length >= 4 */
		if (n < 2 || n - 2 > PPP_QUALITY_DATA_MAX)
			return PPP_OPT_F_BAD;
		o->quality_proto = rd_u16(&r);
		o->quality_data_len = (uint8_t)(n - 2);
		rd_bytes(&r, o->quality_data, o->quality_data_len);
		break;
	case PPP_LCP_OPT_MAGIC:		/* RFC 1661 §6.4: Length 6 */
		if (n != 4)
			return PPP_OPT_F_BAD;
		o->magic = rd_u32(&r);
		break;
	case PPP_LCP_OPT_PFC:		/* RFC 1661 §6.5: Length 2 */
	case PPP_LCP_OPT_ACFC:		/* RFC 1661 §6.6: Length 2 */
	case PPP_LCP_OPT_SSNHF:		/* RFC 1990 §5.1.2: Length 2 */
		if (n != 0)
			return PPP_OPT_F_BAD;
		break;
	case PPP_LCP_OPT_CALLBACK:	/* RFC 1570 §2.3: Length >= 3 */
		if (n < 1 || n - 1 > PPP_CALLBACK_MSG_MAX)
			return PPP_OPT_F_BAD;
		o->callback_op = rd_u8(&r);
		o->callback_msg_len = (uint8_t)(n - 1);
		rd_bytes(&r, o->callback_msg, o->callback_msg_len);
		break;
	case PPP_LCP_OPT_MRRU:		/* RFC 1990 §5.1.1: Length 4 */
		if (n != 2)
			return PPP_OPT_F_BAD;
		o->mrru = rd_u16(&r);
		break;
	case PPP_LCP_OPT_EPDISC:	/* RFC 1990 §5.1.3: Length >= 3 */
		if (n < 1)
			return PPP_OPT_F_BAD;
		o->epdisc_class = rd_u8(&r);
		if (!epdisc_len_ok(o->epdisc_class, (size_t)n - 1)) {
			o->epdisc_class = 0;
			return PPP_OPT_F_BAD;
		}
		o->epdisc_len = (uint8_t)(n - 1);
		rd_bytes(&r, o->epdisc, o->epdisc_len);
		break;
	default:
		/* Everything else (FCS-Alternatives, Self-Describing-Padding,
		 * Vendor-Specific, deprecated types, unassigned numbers) we do
		 * not implement: RFC 1661 §5.4 says to Configure-Reject it. */
		return PPP_OPT_F_UNKNOWN;
	}
	return r.err ? PPP_OPT_F_BAD : 0;
}

void ppp_lcp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l, struct ppp_lcp_opts *o)
{
	memset(o, 0, sizeof *o);
	for (unsigned i = 0; i < l->n && i < PPP_MAX_OPTS; i++) {
		struct ppp_opt *op = &l->o[i];
		uint8_t t = op->type;

		/* RFC 1661 §6 does not forbid repeating an option, but a
		 * repeated option is ambiguous: keep the first good one and
		 * let the caller reject the rest. */
		if (t < 32 && (o->present & PPP_OPT_BIT(t))) {
			op->flags = PPP_OPT_F_DUP;
			continue;
		}
		op->flags = lcp_opt_take(o, t, ppp_opt_val(c, op), ppp_opt_vlen(op));
		if (op->flags == 0)
			o->present |= PPP_OPT_BIT(t);
		else if (op->flags & PPP_OPT_F_UNKNOWN)
			o->n_unknown++;
		else
			o->n_bad++;
	}
}

int ppp_lcp_decode(const uint8_t *p, size_t len, struct ppp_lcp_pkt *m)
{
	struct rd r;
	int rc;

	memset(m, 0, sizeof *m);
	rc = ppp_cp_decode(p, len, &m->cp);
	if (rc)
		return rc;
	rd_init(&r, m->cp.data, m->cp.data_len);
	switch (m->cp.code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		rc = ppp_opts_decode(&m->cp, &m->opts);
		if (rc)
			return rc;
		ppp_lcp_opts_from(&m->cp, &m->opts, &m->lcp);
		return PPP_OK;
	case PPP_TERM_REQ:	/* RFC 1661 §5.5: Data optional */
	case PPP_TERM_ACK:
		break;
	case PPP_CODE_REJ:	/* RFC 1661 §5.6: the rejected packet is the point */
		if (rd_left(&r) == 0)
			return PPP_E_DATA;
		break;
	case PPP_PROTO_REJ:	/* RFC 1661 §5.7: Rejected-Protocol */
		m->rej_proto = rd_u16(&r);
		break;
	case PPP_ECHO_REQ:	/* RFC 1661 §5.8, §5.9, RFC 1570 §1.1: Magic-Number */
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
	case PPP_IDENTIFICATION:
		m->magic = rd_u32(&r);
		break;
	case PPP_TIME_REMAINING:/* RFC 1570 §1.2: Magic-Number, Seconds-Remaining */
		m->magic = rd_u32(&r);
		m->seconds = rd_u32(&r);
		break;
	default:
		/* RFC 1661 §5.6: an unknown code is answered by Code-Reject;
		 * m->cp holds what the caller needs for that. */
		return PPP_E_CODE;
	}
	if (r.err)
		return PPP_E_DATA;
	m->rest_len = (uint16_t)rd_left(&r);
	m->rest = rd_take(&r, m->rest_len);
	return PPP_OK;
}

int ppp_lcp_opts_write(struct wr *w, const struct ppp_lcp_opts *o)
{
	size_t start = w->off;
	uint32_t has = o->present;

	/* Only present options are looked at: absent fields may hold junk. */
	if (((has & PPP_OPT_BIT(PPP_LCP_OPT_AUTH)) && o->auth_data_len > PPP_AUTH_DATA_MAX) ||
	    ((has & PPP_OPT_BIT(PPP_LCP_OPT_QUALITY)) &&
	     o->quality_data_len > PPP_QUALITY_DATA_MAX) ||
	    ((has & PPP_OPT_BIT(PPP_LCP_OPT_CALLBACK)) &&
	     o->callback_msg_len > PPP_CALLBACK_MSG_MAX) ||
	    ((has & PPP_OPT_BIT(PPP_LCP_OPT_EPDISC)) && o->epdisc_len > PPP_EPDISC_ADDR_MAX))
		return PPP_E_INVAL;
	/* Ascending type order: RFC 1661 §6 imposes none, but a fixed order
	 * makes our requests byte-stable and testable. */
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_MRU))
		ppp_opt_put_u16(w, PPP_LCP_OPT_MRU, o->mru);
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_ACCM))
		ppp_opt_put_u32(w, PPP_LCP_OPT_ACCM, o->accm);
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_AUTH)) {
		wr_u8(w, PPP_LCP_OPT_AUTH);
		wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + o->auth_data_len));
		wr_u16(w, o->auth_proto);
		wr_bytes(w, o->auth_data, o->auth_data_len);
	}
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_QUALITY)) {
		wr_u8(w, PPP_LCP_OPT_QUALITY);
		wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + o->quality_data_len));
		wr_u16(w, o->quality_proto);
		wr_bytes(w, o->quality_data, o->quality_data_len);
	}
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_MAGIC))
		ppp_opt_put_u32(w, PPP_LCP_OPT_MAGIC, o->magic);
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_PFC))
		ppp_opt_put(w, PPP_LCP_OPT_PFC, NULL, 0);
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_ACFC))
		ppp_opt_put(w, PPP_LCP_OPT_ACFC, NULL, 0);
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_CALLBACK)) {
		wr_u8(w, PPP_LCP_OPT_CALLBACK);
		wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 1 + o->callback_msg_len));
		wr_u8(w, o->callback_op);
		wr_bytes(w, o->callback_msg, o->callback_msg_len);
	}
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_MRRU))
		ppp_opt_put_u16(w, PPP_LCP_OPT_MRRU, o->mrru);
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_SSNHF))
		ppp_opt_put(w, PPP_LCP_OPT_SSNHF, NULL, 0);
	if (has & PPP_OPT_BIT(PPP_LCP_OPT_EPDISC)) {
		wr_u8(w, PPP_LCP_OPT_EPDISC);
		wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 1 + o->epdisc_len));
		wr_u8(w, o->epdisc_class);
		wr_bytes(w, o->epdisc, o->epdisc_len);
	}
	return w->err ? PPP_E_NOSPACE : (int)(w->off - start);
}

int ppp_lcp_conf_build(struct wr *w, uint8_t code, uint8_t id, const struct ppp_lcp_opts *o)
{
	if (code < PPP_CONF_REQ || code > PPP_CONF_REJ)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	int rc = ppp_lcp_opts_write(w, o);
	if (rc < 0)
		return rc;
	return ppp_cp_end(w, at);
}
