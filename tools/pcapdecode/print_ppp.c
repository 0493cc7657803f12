/*
 * PPP printer: one line per PPP frame, whatever carried it (L2TP data,
 * PPPoE session, PPTP GRE, a PPP link).
 *
 *   ppp <PROTO> <CODE> id=<n>[ opts=<name>,...]   control protocols
 *   ppp IPV4 | ppp IPV6 | ppp 0x<proto>           anything else
 *   ppp error=<reason>                            what the codec rejects
 */
#include <stdio.h>
#include <string.h>

#include "codec/ppp.h"
#include "pcapdecode.h"

/* Output names are part of the test format (tests/pcap expectations). */
static const char *proto_label(uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_LCP: return "LCP";
	case PPP_PROTO_PAP: return "PAP";
	case PPP_PROTO_CHAP: return "CHAP";
	case PPP_PROTO_IPCP: return "IPCP";
	case PPP_PROTO_IPV6CP: return "IPV6CP";
	case PPP_PROTO_CCP: return "CCP";
	case PPP_PROTO_IP: return "IPV4";
	case PPP_PROTO_IPV6: return "IPV6";
	default: return NULL;
	}
}

static bool is_conf(uint8_t code)
{
	return code >= PPP_CONF_REQ && code <= PPP_CONF_REJ;
}

/* Append "opts=a,b,c" for the options of a Configure-* packet. */
static int opts_text(uint16_t proto, const struct ppp_cp *cp, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, " opts=");
	uint16_t off = 0;
	struct ppp_opt o;
	int rc;
	bool first = true;
	while ((rc = ppp_opt_next(cp, &off, &o)) == 1) {
		const char *name = ppp_opt_name(proto, o.type);
		char num[8];
		if (!name) {
			snprintf(num, sizeof num, "%u", o.type);
			name = num;
		}
		if (n < cap)
			n += (size_t)snprintf(out + n, cap - n, "%s%s", first ? "" : ",", name);
		first = false;
	}
	return rc;
}

static void line_cp(struct pd_ctx *c, uint16_t proto, const struct ppp_cp *cp, const char *opts)
{
	const char *label = proto_label(proto);
	const char *code = ppp_code_name(proto, cp->code);
	char cbuf[8];
	if (!code) {
		snprintf(cbuf, sizeof cbuf, "%u", cp->code);
		code = cbuf;
	}
	pd_line(c, "ppp %s %s id=%u%s", label, code, cp->id, opts);
}

/* Union of the per-protocol packet structures, kept off the stack. */
static union {
	struct ppp_lcp_pkt lcp;
	struct ppp_ncp_pkt ncp;
	struct ppp_pap_pkt pap;
	struct ppp_chap_pkt chap;
} pkt;

static void ppp_handle(struct pd_ctx *c, const uint8_t *buf, size_t len,
		       const struct netpkt *np)
{
	(void)len;
	struct ppp_frame f;
	int rc = ppp_frame_decode(buf + np->off, np->len, &f);
	if (rc < 0) {
		pd_line(c, "ppp error=%s", ppp_strerror(rc));
		return;
	}
	const struct ppp_cp *cp;
	switch (f.proto) {
	case PPP_PROTO_IP:
	case PPP_PROTO_IPV6:
		pd_line(c, "ppp %s", proto_label(f.proto));
		return;
	case PPP_PROTO_LCP:
		rc = ppp_lcp_decode(f.payload, f.payload_len, &pkt.lcp);
		cp = &pkt.lcp.cp;
		break;
	case PPP_PROTO_IPCP:
	case PPP_PROTO_IPV6CP:
	case PPP_PROTO_CCP:
		rc = ppp_ncp_decode(f.proto, f.payload, f.payload_len, &pkt.ncp);
		cp = &pkt.ncp.cp;
		break;
	case PPP_PROTO_PAP:
		rc = ppp_pap_decode(f.payload, f.payload_len, &pkt.pap);
		cp = &pkt.pap.cp;
		break;
	case PPP_PROTO_CHAP:
		rc = ppp_chap_decode(f.payload, f.payload_len, &pkt.chap);
		cp = &pkt.chap.cp;
		break;
	default:
		pd_line(c, "ppp 0x%04x", f.proto);
		return;
	}
	/* An unknown code is a well-formed packet that a peer answers with
	 * Code-Reject (RFC 1661 §5.6): print it with its number. */
	if (rc < 0 && rc != PPP_E_CODE) {
		pd_line(c, "ppp error=%s", ppp_strerror(rc));
		return;
	}
	char opts[1024] = "";
	bool conf = is_conf(cp->code) && f.proto != PPP_PROTO_PAP && f.proto != PPP_PROTO_CHAP;
	if (rc == 0 && conf) {
		rc = opts_text(f.proto, cp, opts, sizeof opts);
		if (rc < 0) {
			pd_line(c, "ppp error=%s", ppp_strerror(rc));
			return;
		}
	}
	line_cp(c, f.proto, cp, opts);
}

static bool ppp_match(const struct netpkt *np)
{
	(void)np;
	return true;
}

const struct pd_printer *pd_printer_ppp(void)
{
	static const struct pd_printer p = {
		.name = "ppp",
		.kind = NETPKT_PPP,
		.match = ppp_match,
		.handle = ppp_handle,
	};
	return &p;
}
