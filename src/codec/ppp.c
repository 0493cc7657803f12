/*
 * PPP frame header (RFC 1661 §2, RFC 1662 §3), the generic control packet
 * and option list (RFC 1661 §5, §6), the builders shared by every control
 * protocol, and the names used in logs and by pcapdecode. LCP: ppp_lcp.c;
 * IPCP/IPV6CP/CCP: ppp_ncp.c; PAP/CHAP: ppp_auth.c.
 */
#include "codec/ppp.h"

#include <string.h>

#include "codec/buf.h"

const char *ppp_strerror(int err)
{
	switch (err) {
	case PPP_OK: return "ok";
	case PPP_E_SHORT: return "short";
	case PPP_E_PROTO: return "bad_protocol";
	case PPP_E_PKT_SHORT: return "packet_short";
	case PPP_E_LEN_UNDER: return "length_under";
	case PPP_E_LEN_OVER: return "length_over";
	case PPP_E_OPT_LEN: return "option_length";
	case PPP_E_OPT_OVERRUN: return "option_overrun";
	case PPP_E_TOO_MANY_OPTS: return "too_many_options";
	case PPP_E_CODE: return "bad_code";
	case PPP_E_DATA: return "missing_data";
	case PPP_E_FIELD: return "field_overrun";
	case PPP_E_NOSPACE: return "nospace";
	case PPP_E_INVAL: return "inval";
	default: return "unknown_error";
	}
}

const char *ppp_proto_name(uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_IP: return "IP";
	case PPP_PROTO_VJC_COMP: return "VJC-Comp";
	case PPP_PROTO_VJC_UNCOMP: return "VJC-Uncomp";
	case PPP_PROTO_MP: return "MP";
	case PPP_PROTO_IPV6: return "IPv6";
	case PPP_PROTO_COMP_LINK: return "Comp-Link";
	case PPP_PROTO_COMP: return "Comp";
	case PPP_PROTO_IPCP: return "IPCP";
	case PPP_PROTO_ECP: return "ECP";
	case PPP_PROTO_IPV6CP: return "IPV6CP";
	case PPP_PROTO_CCP_LINK: return "CCP-Link";
	case PPP_PROTO_CCP: return "CCP";
	case PPP_PROTO_LCP: return "LCP";
	case PPP_PROTO_PAP: return "PAP";
	case PPP_PROTO_LQR: return "LQR";
	case PPP_PROTO_CBCP: return "CBCP";
	case PPP_PROTO_BACP: return "BACP";
	case PPP_PROTO_BAP: return "BAP";
	case PPP_PROTO_CHAP: return "CHAP";
	case PPP_PROTO_EAP: return "EAP";
	default: return NULL;
	}
}

/* RFC 1661 §5, RFC 1570 §1, RFC 1962 §3. */
static const char *const cp_codes[] = {
	[PPP_CONF_REQ] = "Configure-Request",
	[PPP_CONF_ACK] = "Configure-Ack",
	[PPP_CONF_NAK] = "Configure-Nak",
	[PPP_CONF_REJ] = "Configure-Reject",
	[PPP_TERM_REQ] = "Terminate-Request",
	[PPP_TERM_ACK] = "Terminate-Ack",
	[PPP_CODE_REJ] = "Code-Reject",
	[PPP_PROTO_REJ] = "Protocol-Reject",
	[PPP_ECHO_REQ] = "Echo-Request",
	[PPP_ECHO_REP] = "Echo-Reply",
	[PPP_DISCARD_REQ] = "Discard-Request",
	[PPP_IDENTIFICATION] = "Identification",
	[PPP_TIME_REMAINING] = "Time-Remaining",
	[PPP_CCP_RESET_REQ] = "Reset-Request",
	[PPP_CCP_RESET_ACK] = "Reset-Ack",
};

const char *ppp_code_name(uint16_t proto, uint8_t code)
{
	switch (proto) {
	case PPP_PROTO_LCP:
		return code >= 1 && code <= PPP_TIME_REMAINING ? cp_codes[code] : NULL;
	case PPP_PROTO_IPCP:
	case PPP_PROTO_IPV6CP:
		/* RFC 1332 §2, RFC 5072 §2: codes 1 through 7 only. */
		return code >= 1 && code <= PPP_CODE_REJ ? cp_codes[code] : NULL;
	case PPP_PROTO_CCP:
	case PPP_PROTO_CCP_LINK:
		/* RFC 1962 §2, §3 */
		if ((code >= 1 && code <= PPP_CODE_REJ) || code == PPP_CCP_RESET_REQ ||
		    code == PPP_CCP_RESET_ACK)
			return cp_codes[code];
		return NULL;
	case PPP_PROTO_PAP:
		switch (code) {
		case PPP_PAP_AUTH_REQ: return "Authenticate-Request";
		case PPP_PAP_AUTH_ACK: return "Authenticate-Ack";
		case PPP_PAP_AUTH_NAK: return "Authenticate-Nak";
		default: return NULL;
		}
	case PPP_PROTO_CHAP:
		switch (code) {
		case PPP_CHAP_CHALLENGE: return "Challenge";
		case PPP_CHAP_RESPONSE: return "Response";
		case PPP_CHAP_SUCCESS: return "Success";
		case PPP_CHAP_FAILURE: return "Failure";
		default: return NULL;
		}
	default:
		return NULL;
	}
}

static const char *lcp_opt_name(uint8_t type)
{
	static const char *const names[] = {
		[PPP_LCP_OPT_VENDOR] = "Vendor-Specific",
		[PPP_LCP_OPT_MRU] = "MRU",
		[PPP_LCP_OPT_ACCM] = "ACCM",
		[PPP_LCP_OPT_AUTH] = "Auth-Protocol",
		[PPP_LCP_OPT_QUALITY] = "Quality-Protocol",
		[PPP_LCP_OPT_MAGIC] = "Magic-Number",
		[PPP_LCP_OPT_PFC] = "PFC",
		[PPP_LCP_OPT_ACFC] = "ACFC",
		[PPP_LCP_OPT_FCS_ALT] = "FCS-Alternatives",
		[PPP_LCP_OPT_SDP] = "Self-Describing-Pad",
		[PPP_LCP_OPT_NUMBERED] = "Numbered-Mode",
		[PPP_LCP_OPT_MLP] = "Multi-Link-Procedure",
		[PPP_LCP_OPT_CALLBACK] = "Callback",
		[PPP_LCP_OPT_CONNECT_TIME] = "Connect-Time",
		[PPP_LCP_OPT_COMPOUND] = "Compound-Frames",
		[PPP_LCP_OPT_NDE] = "Nominal-Data-Encapsulation",
		[PPP_LCP_OPT_MRRU] = "MRRU",
		[PPP_LCP_OPT_SSNHF] = "SSNHF",
		[PPP_LCP_OPT_EPDISC] = "Endpoint-Discriminator",
		[PPP_LCP_OPT_PROPRIETARY] = "Proprietary",
		[PPP_LCP_OPT_DCE_ID] = "DCE-Identifier",
		[PPP_LCP_OPT_MLPP] = "Multi-Link-Plus-Procedure",
		[PPP_LCP_OPT_LINK_DISC] = "Link-Discriminator",
		[PPP_LCP_OPT_LCP_AUTH] = "LCP-Authentication",
		[PPP_LCP_OPT_COBS] = "COBS",
		[PPP_LCP_OPT_PREFIX_ELISION] = "Prefix-Elision",
		[PPP_LCP_OPT_MHF] = "Multilink-Header-Format",
		[PPP_LCP_OPT_I18N] = "Internationalization",
		[PPP_LCP_OPT_SDL] = "SDL-on-SONET/SDH",
	};
	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

static const char *ipcp_opt_name(uint8_t type)
{
	switch (type) {
	case PPP_IPCP_OPT_ADDRS: return "IP-Addresses";
	case PPP_IPCP_OPT_COMP: return "IP-Compression";
	case PPP_IPCP_OPT_ADDR: return "IP-Address";
	case PPP_IPCP_OPT_MOBILE_IPV4: return "Mobile-IPv4";
	case PPP_IPCP_OPT_DNS1: return "Primary-DNS";
	case PPP_IPCP_OPT_NBNS1: return "Primary-NBNS";
	case PPP_IPCP_OPT_DNS2: return "Secondary-DNS";
	case PPP_IPCP_OPT_NBNS2: return "Secondary-NBNS";
	default: return NULL;
	}
}

static const char *ccp_opt_name(uint8_t type)
{
	static const char *const names[] = {
		[PPP_CCP_OPT_OUI] = "OUI",
		[PPP_CCP_OPT_PRED1] = "Predictor-1",
		[PPP_CCP_OPT_PRED2] = "Predictor-2",
		[PPP_CCP_OPT_PUDDLE] = "Puddle-Jumper",
		[PPP_CCP_OPT_HP_PPC] = "HP-PPC",
		[PPP_CCP_OPT_STAC] = "Stac-LZS",
		[PPP_CCP_OPT_MPPC] = "MPPC",
		[PPP_CCP_OPT_GANDALF] = "Gandalf-FZA",
		[PPP_CCP_OPT_V42BIS] = "V.42bis",
		[PPP_CCP_OPT_BSD] = "BSD-Compress",
		[PPP_CCP_OPT_LZS_DCP] = "LZS-DCP",
		[PPP_CCP_OPT_MVRCA] = "MVRCA",
		[PPP_CCP_OPT_DCE] = "DCE",
		[PPP_CCP_OPT_DEFLATE] = "Deflate",
		[PPP_CCP_OPT_V44] = "V.44",
	};
	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

const char *ppp_opt_name(uint16_t proto, uint8_t type)
{
	switch (proto) {
	case PPP_PROTO_LCP: return lcp_opt_name(type);
	case PPP_PROTO_IPCP: return ipcp_opt_name(type);
	case PPP_PROTO_IPV6CP:
		switch (type) {
		case PPP_IPV6CP_OPT_IFID: return "Interface-Identifier";
		case PPP_IPV6CP_OPT_COMP: return "IPv6-Compression";
		default: return NULL;
		}
	case PPP_PROTO_CCP:
	case PPP_PROTO_CCP_LINK:
		return ccp_opt_name(type);
	default:
		return NULL;
	}
}

/* ---- frame header ------------------------------------------------------- */

int ppp_frame_decode(const uint8_t *p, size_t len, struct ppp_frame *f)
{
	struct rd r, peek;

	memset(f, 0, sizeof *f);
	rd_init(&r, p, len);
	/* RFC 1662 §3.1 Address/Control. Accepted whether or not ACFC was
	 * negotiated (RFC 1661 §6.6 only allows omitting it); a protocol
	 * field can never begin ff 03 since 0xff is odd and would be a
	 * one-octet protocol, so the test is unambiguous. */
	peek = r;
	if (rd_u8(&peek) == PPP_ADDR_ALL_STATIONS && rd_u8(&peek) == PPP_CTRL_UI && !peek.err) {
		r = peek;
		f->has_ac = true;
	}
	uint8_t b0 = rd_u8(&r);
	if (r.err)
		return PPP_E_SHORT;
	if (b0 & 1) {
		/* RFC 1661 §6.5: the high octet of every protocol is even, so an
		 * odd first octet is a PFC-compressed (one-octet) protocol. */
		f->pfc = true;
		f->proto = b0;
	} else {
		uint8_t b1 = rd_u8(&r);
		if (r.err)
			return PPP_E_SHORT;
		/* RFC 1661 §2: the low octet of a protocol is always odd. */
		if (!(b1 & 1))
			return PPP_E_PROTO;
		f->proto = (uint16_t)(b0 << 8 | b1);
	}
	f->hdr_len = (uint16_t)r.off;
	f->payload_len = rd_left(&r);
	f->payload = rd_take(&r, f->payload_len);
	return PPP_OK;
}

int ppp_frame_hdr_write(struct wr *w, uint16_t proto, bool ac, bool pfc)
{
	size_t start = w->off;

	/* RFC 1661 §2: never emit a protocol a receiver would reject. */
	if (!(proto & 1) || (proto & 0x100))
		return PPP_E_INVAL;
	if (ac) {
		wr_u8(w, PPP_ADDR_ALL_STATIONS);
		wr_u8(w, PPP_CTRL_UI);
	}
	if (pfc && proto < 0x100)
		wr_u8(w, (uint8_t)proto);
	else
		wr_u16(w, proto);
	return w->err ? PPP_E_NOSPACE : (int)(w->off - start);
}

/* ---- control packet ----------------------------------------------------- */

int ppp_cp_decode(const uint8_t *p, size_t len, struct ppp_cp *c)
{
	struct rd r;

	memset(c, 0, sizeof *c);
	rd_init(&r, p, len);
	c->code = rd_u8(&r);
	c->id = rd_u8(&r);
	c->len = rd_u16(&r);
	if (r.err)
		return PPP_E_PKT_SHORT;
	c->pkt = p;
	if (c->len < PPP_CP_HDR_LEN)
		return PPP_E_LEN_UNDER;
	/* RFC 1661 §5: octets outside Length are padding and ignored; a
	 * Length beyond the data received is a malformed packet. */
	if (c->len > len)
		return PPP_E_LEN_OVER;
	c->data_len = (uint16_t)(c->len - PPP_CP_HDR_LEN);
	c->data = rd_take(&r, c->data_len);
	size_t pad = len - c->len;
	c->pad = pad > UINT16_MAX ? UINT16_MAX : (uint16_t)pad;
	return PPP_OK;
}

/* ---- options ------------------------------------------------------------ */

int ppp_opt_next(const struct ppp_cp *c, uint16_t *off, struct ppp_opt *o)
{
	struct rd r;

	if (*off >= c->data_len)
		return 0;
	rd_init(&r, c->data, c->data_len);
	rd_skip(&r, *off);
	o->type = rd_u8(&r);
	o->len = rd_u8(&r);
	o->flags = 0;
	/* RFC 1661 §6: Length covers Type and Length; below 2 the list can
	 * not be walked further. */
	if (r.err)
		return PPP_E_OPT_OVERRUN;
	if (o->len < PPP_OPT_HDR_LEN)
		return PPP_E_OPT_LEN;
	rd_skip(&r, (size_t)o->len - PPP_OPT_HDR_LEN);
	if (r.err)
		return PPP_E_OPT_OVERRUN;
	o->off = (uint16_t)(PPP_CP_HDR_LEN + *off);
	o->val_off = (uint16_t)(o->off + PPP_OPT_HDR_LEN);
	*off = (uint16_t)r.off;
	return 1;
}

int ppp_opts_decode(const struct ppp_cp *c, struct ppp_optlist *l)
{
	uint16_t off = 0;
	struct ppp_opt o;
	int rc;

	l->n = 0;
	while ((rc = ppp_opt_next(c, &off, &o)) == 1) {
		if (l->n >= PPP_MAX_OPTS)
			return PPP_E_TOO_MANY_OPTS;
		l->o[l->n++] = o;
	}
	return rc;
}

/* ---- builders ----------------------------------------------------------- */

size_t ppp_cp_begin(struct wr *w, uint8_t code, uint8_t id)
{
	size_t at = w->off;

	wr_u8(w, code);
	wr_u8(w, id);
	wr_u16(w, 0);
	return at;
}

int ppp_cp_end(struct wr *w, size_t at)
{
	if (w->err || at > w->off)
		return PPP_E_NOSPACE;
	size_t n = w->off - at;
	if (n > UINT16_MAX) {
		w->err = true;
		return PPP_E_INVAL;
	}
	wr_patch_u16(w, at + 2, (uint16_t)n);
	return w->err ? PPP_E_NOSPACE : (int)n;
}

void ppp_opt_put(struct wr *w, uint8_t type, const void *val, size_t vlen)
{
	/* RFC 1661 §6: one Length octet covers type, length and value. */
	if (vlen > UINT8_MAX - PPP_OPT_HDR_LEN) {
		w->err = true;
		return;
	}
	wr_u8(w, type);
	wr_u8(w, (uint8_t)(vlen + PPP_OPT_HDR_LEN));
	wr_bytes(w, val, vlen);
}

void ppp_opt_put_u8(struct wr *w, uint8_t type, uint8_t v)
{
	ppp_opt_put(w, type, &v, 1);
}

void ppp_opt_put_u16(struct wr *w, uint8_t type, uint16_t v)
{
	uint8_t b[2];

	be16_put(b, v);
	ppp_opt_put(w, type, b, sizeof b);
}

void ppp_opt_put_u32(struct wr *w, uint8_t type, uint32_t v)
{
	uint8_t b[4];

	be32_put(b, v);
	ppp_opt_put(w, type, b, sizeof b);
}

int ppp_cp_build(struct wr *w, uint8_t code, uint8_t id, const void *data, size_t len)
{
	if (len > UINT16_MAX - PPP_CP_HDR_LEN)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	wr_bytes(w, data, len);
	return ppp_cp_end(w, at);
}

int ppp_conf_echo(struct wr *w, uint8_t code, uint8_t id, const struct ppp_cp *rx,
		  const struct ppp_optlist *l, uint64_t sel)
{
	if (code < PPP_CONF_REQ || code > PPP_CONF_REJ || l->n > PPP_MAX_OPTS)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	for (unsigned i = 0; i < l->n; i++) {
		const struct ppp_opt *o = &l->o[i];
		if (!(sel >> i & 1))
			continue;
		/* The list must describe rx: never copy from outside it. */
		if (o->len < PPP_OPT_HDR_LEN || o->off < PPP_CP_HDR_LEN ||
		    (size_t)o->off + o->len > rx->len)
			return PPP_E_INVAL;
		wr_bytes(w, rx->pkt + o->off, o->len);
	}
	return ppp_cp_end(w, at);
}

int ppp_term_build(struct wr *w, uint8_t code, uint8_t id, const void *data, size_t len)
{
	if (code != PPP_TERM_REQ && code != PPP_TERM_ACK)
		return PPP_E_INVAL;
	return ppp_cp_build(w, code, id, data, len);
}

int ppp_code_rej_build(struct wr *w, uint8_t id, const void *rej, size_t rej_len, size_t mru)
{
	/* RFC 1661 §5.6: the Rejected-Packet "SHOULD be truncated" so the
	 * Code-Reject does not exceed the peer's MRU. */
	if (mru < PPP_CP_HDR_LEN)
		return PPP_E_INVAL;
	size_t room = mru - PPP_CP_HDR_LEN;
	if (room > UINT16_MAX - PPP_CP_HDR_LEN)
		room = UINT16_MAX - PPP_CP_HDR_LEN;
	return ppp_cp_build(w, PPP_CODE_REJ, id, rej, rej_len < room ? rej_len : room);
}

int ppp_proto_rej_build(struct wr *w, uint8_t id, uint16_t proto, const void *info,
			size_t info_len, size_t mru)
{
	/* RFC 1661 §5.7: Rejected-Information truncated to the peer's MRU. */
	if (mru < PPP_CP_HDR_LEN + 2)
		return PPP_E_INVAL;
	size_t room = mru - PPP_CP_HDR_LEN - 2;
	if (room > UINT16_MAX - PPP_CP_HDR_LEN - 2)
		room = UINT16_MAX - PPP_CP_HDR_LEN - 2;
	size_t at = ppp_cp_begin(w, PPP_PROTO_REJ, id);
	wr_u16(w, proto);
	wr_bytes(w, info, info_len < room ? info_len : room);
	return ppp_cp_end(w, at);
}

int ppp_echo_build(struct wr *w, uint8_t code, uint8_t id, uint32_t magic, const void *data,
		   size_t len)
{
	if (code != PPP_ECHO_REQ && code != PPP_ECHO_REP && code != PPP_DISCARD_REQ)
		return PPP_E_INVAL;
	if (len > UINT16_MAX - PPP_CP_HDR_LEN - 4)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	wr_u32(w, magic);
	wr_bytes(w, data, len);
	return ppp_cp_end(w, at);
}

int ppp_ident_build(struct wr *w, uint8_t id, uint32_t magic, const void *msg, size_t len)
{
	if (len > UINT16_MAX - PPP_CP_HDR_LEN - 4)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, PPP_IDENTIFICATION, id);
	wr_u32(w, magic);
	wr_bytes(w, msg, len);
	return ppp_cp_end(w, at);
}

int ppp_time_rem_build(struct wr *w, uint8_t id, uint32_t magic, uint32_t seconds,
		       const void *msg, size_t len)
{
	if (len > UINT16_MAX - PPP_CP_HDR_LEN - 8)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, PPP_TIME_REMAINING, id);
	wr_u32(w, magic);
	wr_u32(w, seconds);
	wr_bytes(w, msg, len);
	return ppp_cp_end(w, at);
}
