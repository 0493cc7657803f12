/*
 * L2TPv2 (RFC 2661) header (§3.1), names, ZLB and data headers, and the
 * per-message required-AVP lists of §6. AVPs: l2tp_avp.c; hiding and tunnel
 * authentication: l2tp_hide.c; builders: l2tp_build.c.
 */
#include "codec/l2tp.h"

#include <string.h>

#include "codec/buf.h"

const char *l2tp_strerror(int err)
{
	switch (err) {
	case L2TP_OK: return "ok";
	case L2TP_E_SHORT: return "short";
	case L2TP_E_VERSION: return "bad_version";
	case L2TP_E_V3: return "l2tpv3";
	case L2TP_E_CTRL_FLAGS: return "ctrl_flags";
	case L2TP_E_LEN_OVER: return "length_over";
	case L2TP_E_LEN_UNDER: return "length_under";
	case L2TP_E_TRAILING: return "trailing";
	case L2TP_E_OFFSET: return "offset";
	case L2TP_E_AVP_SHORT: return "avp_short";
	case L2TP_E_AVP_OVERRUN: return "avp_overrun";
	case L2TP_E_NO_MSG_TYPE: return "no_msg_type";
	case L2TP_E_AVP_LEN: return "avp_len";
	case L2TP_E_AVP_TOO_LONG: return "avp_too_long";
	case L2TP_E_HIDDEN_NO_SECRET: return "hidden_no_secret";
	case L2TP_E_HIDDEN_NO_RV: return "hidden_no_rv";
	case L2TP_E_HIDDEN_LEN: return "hidden_len";
	case L2TP_E_UNKNOWN_M: return "unknown_mandatory";
	case L2TP_E_DUP_AVP: return "dup_avp";
	case L2TP_E_MSG_TYPE: return "bad_msg_type";
	case L2TP_E_NOSPACE: return "nospace";
	case L2TP_E_INVAL: return "inval";
	case L2TP_E_HIDDEN_FORBIDDEN: return "hidden_forbidden";
	default: return "unknown_error";
	}
}

const char *l2tp_msg_name(uint16_t type)
{
	/* §3.2; 5 and 13 are reserved. */
	static const char *const names[] = {
		[L2TP_MSG_ZLB] = "ZLB",	      [L2TP_MSG_SCCRQ] = "SCCRQ",
		[L2TP_MSG_SCCRP] = "SCCRP",   [L2TP_MSG_SCCCN] = "SCCCN",
		[L2TP_MSG_STOPCCN] = "StopCCN", [L2TP_MSG_HELLO] = "HELLO",
		[L2TP_MSG_OCRQ] = "OCRQ",     [L2TP_MSG_OCRP] = "OCRP",
		[L2TP_MSG_OCCN] = "OCCN",     [L2TP_MSG_ICRQ] = "ICRQ",
		[L2TP_MSG_ICRP] = "ICRP",     [L2TP_MSG_ICCN] = "ICCN",
		[L2TP_MSG_CDN] = "CDN",	      [L2TP_MSG_WEN] = "WEN",
		[L2TP_MSG_SLI] = "SLI",
	};
	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

const char *l2tp_avp_name(uint16_t type)
{
	/* §4.4, in the RFC's own words; 20 is unassigned. */
	static const char *const names[] = {
		"Message Type",
		"Result Code",
		"Protocol Version",
		"Framing Capabilities",
		"Bearer Capabilities",
		"Tie Breaker",
		"Firmware Revision",
		"Host Name",
		"Vendor Name",
		"Assigned Tunnel ID",
		"Receive Window Size",
		"Challenge",
		"Q.931 Cause Code",
		"Challenge Response",
		"Assigned Session ID",
		"Call Serial Number",
		"Minimum BPS",
		"Maximum BPS",
		"Bearer Type",
		"Framing Type",
		NULL,
		"Called Number",
		"Calling Number",
		"Sub-Address",
		"Tx Connect Speed",
		"Physical Channel ID",
		"Initial Received LCP CONFREQ",
		"Last Sent LCP CONFREQ",
		"Last Received LCP CONFREQ",
		"Proxy Authen Type",
		"Proxy Authen Name",
		"Proxy Authen Challenge",
		"Proxy Authen ID",
		"Proxy Authen Response",
		"Call Errors",
		"ACCM",
		"Random Vector",
		"Private Group ID",
		"Rx Connect Speed",
		"Sequencing Required",
	};
	if (type == L2TP_AVP_PPP_DISCONNECT_CAUSE)
		return "PPP Disconnect Cause Code"; /* RFC 3145 §2 */
	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

int l2tp_hdr_decode(const uint8_t *pkt, size_t len, struct l2tp_hdr *h)
{
	struct rd r;

	memset(h, 0, sizeof *h);
	rd_init(&r, pkt, len);
	h->flags = rd_u16(&r);
	if (r.err)
		return L2TP_E_SHORT;
	/* §3.1: Ver tells the header layout, so it is checked before any other
	 * bit. 1 is L2F (discarded), 3 is RFC 3931 arriving on our port. */
	h->ver = (uint8_t)(h->flags & L2TP_HDR_VER_MASK);
	if (h->ver == L2TP_VERSION_3)
		return L2TP_E_V3;
	if (h->ver != L2TP_VERSION)
		return L2TP_E_VERSION;
	h->ctrl = (h->flags & L2TP_HDR_T) != 0;
	h->has_len = (h->flags & L2TP_HDR_L) != 0;
	h->has_seq = (h->flags & L2TP_HDR_S) != 0;
	h->has_off = (h->flags & L2TP_HDR_O) != 0;
	h->prio = (h->flags & L2TP_HDR_P) != 0;
	/* §3.1: control messages MUST have L and S, MUST NOT have O or P. */
	if (h->ctrl && (!h->has_len || !h->has_seq || h->has_off || h->prio))
		return L2TP_E_CTRL_FLAGS;

	if (h->has_len)
		h->length = rd_u16(&r);
	h->tid = rd_u16(&r);
	h->sid = rd_u16(&r);
	if (h->has_seq) {
		h->ns = rd_u16(&r);
		h->nr = rd_u16(&r);
	}
	if (h->has_off)
		h->off_size = rd_u16(&r);
	if (r.err)
		return L2TP_E_SHORT;

	size_t fixed = r.off, end = len;
	if (h->has_len) {
		if (h->length > len)
			return L2TP_E_LEN_OVER;
		if (h->length < fixed)
			return L2TP_E_LEN_UNDER;
		/* A Length shorter than the datagram means the two disagree
		 * about where the message ends: refuse rather than guess. */
		if (h->length < len)
			return L2TP_E_TRAILING;
		end = h->length;
	} else if (len > UINT16_MAX) {
		return L2TP_E_INVAL;
	}
	/* §3.1: Offset Size counts the padding after the field itself. */
	if (h->off_size > end - fixed)
		return L2TP_E_OFFSET;
	h->hdr_len = (uint16_t)(fixed + h->off_size);
	h->payload_len = (uint16_t)(end - h->hdr_len);
	return L2TP_OK;
}

int l2tp_zlb_encode(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid, uint16_t ns,
		    uint16_t nr)
{
	struct wr w;

	wr_init(&w, buf, cap);
	/* §5.8: a control header (T, L, S, ver 2) with no AVPs. */
	wr_u16(&w, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | L2TP_VERSION);
	wr_u16(&w, 12);
	wr_u16(&w, tid);
	wr_u16(&w, sid);
	wr_u16(&w, ns);
	wr_u16(&w, nr);
	return w.err ? L2TP_E_NOSPACE : (int)w.off;
}

int l2tp_data_hdr_encode(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid, bool prio)
{
	struct wr w;

	wr_init(&w, buf, cap);
	/* §3.1: L, S and O are optional on data; without them the header is
	 * 6 octets and the kernel/peer need not track sequence numbers. */
	wr_u16(&w, (uint16_t)((prio ? L2TP_HDR_P : 0) | L2TP_VERSION));
	wr_u16(&w, tid);
	wr_u16(&w, sid);
	return w.err ? L2TP_E_NOSPACE : (int)w.off;
}

#define B(a) L2TP_BIT(L2TP_AVP_##a)

int l2tp_msg_missing_avp(const struct l2tp_msg *m)
{
	/* §6.1-§6.14: the AVPs each message MUST carry, Message Type aside. */
	static const uint64_t required[L2TP_MSG_MAX + 1] = {
		[L2TP_MSG_SCCRQ] = B(PROTOCOL_VERSION) | B(FRAMING_CAP) | B(HOST_NAME) |
				   B(ASSIGNED_TUNNEL_ID),
		[L2TP_MSG_SCCRP] = B(PROTOCOL_VERSION) | B(FRAMING_CAP) | B(HOST_NAME) |
				   B(ASSIGNED_TUNNEL_ID),
		[L2TP_MSG_STOPCCN] = B(ASSIGNED_TUNNEL_ID) | B(RESULT_CODE),
		[L2TP_MSG_OCRQ] = B(ASSIGNED_SESSION_ID) | B(CALL_SERIAL) | B(MIN_BPS) |
				  B(MAX_BPS) | B(BEARER_TYPE) | B(FRAMING_TYPE) |
				  B(CALLED_NUMBER),
		[L2TP_MSG_OCRP] = B(ASSIGNED_SESSION_ID),
		[L2TP_MSG_OCCN] = B(TX_CONNECT_SPEED) | B(FRAMING_TYPE),
		[L2TP_MSG_ICRQ] = B(ASSIGNED_SESSION_ID) | B(CALL_SERIAL),
		[L2TP_MSG_ICRP] = B(ASSIGNED_SESSION_ID),
		[L2TP_MSG_ICCN] = B(TX_CONNECT_SPEED) | B(FRAMING_TYPE),
		[L2TP_MSG_CDN] = B(RESULT_CODE) | B(ASSIGNED_SESSION_ID),
		[L2TP_MSG_WEN] = B(CALL_ERRORS),
		[L2TP_MSG_SLI] = B(ACCM),
	};
	if (m->type == L2TP_MSG_ZLB || m->type > L2TP_MSG_MAX)
		return 0;
	uint64_t missing = required[m->type] & ~m->present;
	for (int t = 0; t <= L2TP_AVP_MAX; t++)
		if ((missing >> t) & 1u)
			return t + 1;
	return 0;
}
