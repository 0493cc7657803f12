/*
 * L2TPv2 printer (RFC 2661) for UDP port 1701, either direction (§8.1: the
 * LAC may use any source port, the LNS answers from 1701 or another port).
 */
#include <stdio.h>

#include "codec/l2tp.h"
#include "pcapdecode.h"

static bool l2tp_match(const struct netpkt *np)
{
	return np->sport == L2TP_UDP_PORT || np->dport == L2TP_UDP_PORT;
}

static void l2tp_handle(struct pd_ctx *c, const uint8_t *buf, size_t len,
			const struct netpkt *np)
{
	const uint8_t *p = buf + np->off;
	pd_extract(c, "l2tp", p, np->len);

	struct l2tp_hdr h;
	int rc = l2tp_hdr_decode(p, np->len, &h);
	if (rc != L2TP_OK) {
		pd_line(c, "l2tp error=%s", l2tp_strerror(rc));
		return;
	}
	if (!h.ctrl) {
		pd_line(c, "l2tp DATA tid=%u sid=%u", h.tid, h.sid);
		pd_ppp_frame(c, buf, len, np->off + h.hdr_len, h.payload_len);
		return;
	}

	/* struct l2tp_msg holds every AVP value: too big for the stack of a
	 * deeply nested walk, so one static instance (pcapdecode is single
	 * threaded and a message is printed before the next is decoded). */
	static struct l2tp_msg m;
	struct l2tp_secret sec = { c->secret, c->secret_len };
	rc = l2tp_msg_decode(p + h.hdr_len, h.payload_len, c->secret ? &sec : NULL, &m);
	/* An unknown mandatory AVP leaves a valid message that an LNS answers
	 * with StopCCN/CDN (§4.2): print it like any other. */
	if (rc != L2TP_OK && rc != L2TP_E_UNKNOWN_M) {
		pd_line(c, "l2tp error=%s", l2tp_strerror(rc));
		return;
	}
	const char *name = l2tp_msg_name(m.type);
	if (name)
		pd_line(c, "l2tp %s tid=%u sid=%u ns=%u nr=%u", name, h.tid, h.sid, h.ns, h.nr);
	else
		pd_line(c, "l2tp %u tid=%u sid=%u ns=%u nr=%u", m.type, h.tid, h.sid, h.ns, h.nr);
}

const struct pd_printer *pd_printer_l2tp(void)
{
	static const struct pd_printer p = {
		.name = "l2tp",
		.kind = NETPKT_UDP,
		.match = l2tp_match,
		.handle = l2tp_handle,
	};
	return &p;
}
