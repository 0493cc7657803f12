/*
 * Builders of RFC 2661 §6 messages with the M bits each AVP's §4.4 entry
 * prescribes. They only fill struct l2tp_msg; l2tp_msg_encode() writes it.
 */
#include "codec/l2tp.h"

#include <string.h>

#define BIT(t) L2TP_BIT(t)

static void start(struct l2tp_msg *m, uint16_t type)
{
	memset(m, 0, sizeof *m);
	m->type = type;
	/* §4.4.1: Message Type always carries M. */
	m->present = m->mandatory = BIT(L2TP_AVP_MESSAGE_TYPE);
}

static void mark(struct l2tp_msg *m, uint16_t avp, bool mbit)
{
	m->present |= BIT(avp);
	if (mbit)
		m->mandatory |= BIT(avp);
	else
		m->mandatory &= ~BIT(avp);
}

static void copy_bytes(uint16_t *len, uint8_t *v, size_t cap, const void *src, size_t n)
{
	if (n > cap)
		n = cap;
	if (n)
		memcpy(v, src, n);
	*len = (uint16_t)n;
}

#define COPY(f, src, n) copy_bytes(&m->f.len, m->f.v, sizeof m->f.v, (src), (n))
#define COPY_STR(f, s) COPY(f, (s), strlen(s))

static void tunnel_common(struct l2tp_msg *m, const struct l2tp_sccrq_args *a)
{
	/* §4.4.3: Protocol Version 1.0, M=1. */
	m->proto_ver = 1;
	m->proto_rev = 0;
	mark(m, L2TP_AVP_PROTOCOL_VERSION, true);
	m->framing_cap = a->framing_cap;
	mark(m, L2TP_AVP_FRAMING_CAP, true);
	/* Bearer Capabilities is optional (§6.1/§6.2): an LNS that places no
	 * outgoing calls has none to announce. */
	if (a->bearer_cap) {
		m->bearer_cap = a->bearer_cap;
		mark(m, L2TP_AVP_BEARER_CAP, true);
	}
	if (a->firmware_rev) {
		m->firmware_rev = a->firmware_rev;
		mark(m, L2TP_AVP_FIRMWARE_REV, false);
	}
	if (a->host_name) {
		COPY_STR(host_name, a->host_name);
		mark(m, L2TP_AVP_HOST_NAME, true);
	}
	if (a->vendor_name) {
		COPY_STR(vendor_name, a->vendor_name);
		mark(m, L2TP_AVP_VENDOR_NAME, false);
	}
	m->assigned_tid = a->assigned_tid;
	mark(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true);
	/* §5.8: without this AVP the peer assumes a window of 4; we always
	 * say what we have (the original l2tpns never did). */
	if (a->rx_window) {
		m->rx_window = a->rx_window;
		mark(m, L2TP_AVP_RX_WINDOW_SIZE, true);
	}
	if (a->challenge && a->challenge_len) {
		COPY(challenge, a->challenge, a->challenge_len);
		mark(m, L2TP_AVP_CHALLENGE, true);
	}
}

void l2tp_build_sccrq(struct l2tp_msg *m, const struct l2tp_sccrq_args *a)
{
	start(m, L2TP_MSG_SCCRQ);
	tunnel_common(m, a);
	if (a->tie_breaker) {
		memcpy(m->tie_breaker, a->tie_breaker, sizeof m->tie_breaker);
		mark(m, L2TP_AVP_TIE_BREAKER, false); /* §4.4.3: M=0 */
	}
}

void l2tp_build_sccrp(struct l2tp_msg *m, const struct l2tp_sccrq_args *a,
		      const uint8_t *chal_resp)
{
	start(m, L2TP_MSG_SCCRP);
	tunnel_common(m, a); /* §6.2 has no Tie Breaker */
	if (chal_resp) {
		memcpy(m->challenge_resp, chal_resp, sizeof m->challenge_resp);
		mark(m, L2TP_AVP_CHALLENGE_RESPONSE, true);
	}
}

void l2tp_build_scccn(struct l2tp_msg *m, const uint8_t *chal_resp)
{
	start(m, L2TP_MSG_SCCCN);
	if (chal_resp) {
		memcpy(m->challenge_resp, chal_resp, sizeof m->challenge_resp);
		mark(m, L2TP_AVP_CHALLENGE_RESPONSE, true);
	}
}

static void result(struct l2tp_msg *m, uint16_t res, uint16_t err, const char *text,
		   uint16_t general_error)
{
	m->result.result = res;
	/* §4.4.2: the Error Code is there when it says something: a
	 * non-zero code, a General Error, or a message (which needs it). */
	if (err || text || res == general_error) {
		m->result.has_error = true;
		m->result.error = err;
	}
	if (text)
		COPY_STR(result.msg, text);
	mark(m, L2TP_AVP_RESULT_CODE, true);
}

void l2tp_build_stopccn(struct l2tp_msg *m, uint16_t assigned_tid, uint16_t res,
			uint16_t error, const char *text)
{
	start(m, L2TP_MSG_STOPCCN);
	result(m, res, error, text, L2TP_STOPCCN_GENERAL_ERROR);
	m->assigned_tid = assigned_tid;
	mark(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true);
}

void l2tp_build_hello(struct l2tp_msg *m)
{
	start(m, L2TP_MSG_HELLO);
}

void l2tp_build_icrq(struct l2tp_msg *m, const struct l2tp_icrq_args *a)
{
	start(m, L2TP_MSG_ICRQ);
	m->assigned_sid = a->assigned_sid;
	mark(m, L2TP_AVP_ASSIGNED_SESSION_ID, true);
	m->call_serial = a->call_serial;
	mark(m, L2TP_AVP_CALL_SERIAL, true);
	if (a->bearer_type) {
		m->bearer_type = a->bearer_type;
		mark(m, L2TP_AVP_BEARER_TYPE, true);
	}
	if (a->phys_channel) {
		m->phys_channel = a->phys_channel;
		mark(m, L2TP_AVP_PHYSICAL_CHANNEL, false);
	}
	if (a->called_number) {
		COPY_STR(called_number, a->called_number);
		mark(m, L2TP_AVP_CALLED_NUMBER, true);
	}
	if (a->calling_number) {
		COPY_STR(calling_number, a->calling_number);
		mark(m, L2TP_AVP_CALLING_NUMBER, true);
	}
	if (a->sub_address) {
		COPY_STR(sub_address, a->sub_address);
		mark(m, L2TP_AVP_SUB_ADDRESS, true);
	}
}

void l2tp_build_icrp(struct l2tp_msg *m, uint16_t assigned_sid)
{
	start(m, L2TP_MSG_ICRP);
	m->assigned_sid = assigned_sid;
	mark(m, L2TP_AVP_ASSIGNED_SESSION_ID, true);
}

void l2tp_build_iccn(struct l2tp_msg *m, const struct l2tp_iccn_args *a)
{
	start(m, L2TP_MSG_ICCN);
	m->tx_connect_speed = a->tx_connect_speed;
	mark(m, L2TP_AVP_TX_CONNECT_SPEED, true);
	m->framing_type = a->framing_type;
	mark(m, L2TP_AVP_FRAMING_TYPE, true);
	if (a->rx_connect_speed) {
		m->rx_connect_speed = a->rx_connect_speed;
		mark(m, L2TP_AVP_RX_CONNECT_SPEED, false);
	}
	if (a->sequencing_required)
		mark(m, L2TP_AVP_SEQUENCING_REQUIRED, true);
	/* §4.4.5 proxy LCP and authentication AVPs: all M=0. */
	if (a->initial_rx_lcp) {
		COPY(initial_rx_lcp, a->initial_rx_lcp, a->initial_rx_lcp_len);
		mark(m, L2TP_AVP_INITIAL_RX_LCP, false);
	}
	if (a->last_sent_lcp) {
		COPY(last_sent_lcp, a->last_sent_lcp, a->last_sent_lcp_len);
		mark(m, L2TP_AVP_LAST_SENT_LCP, false);
	}
	if (a->last_rx_lcp) {
		COPY(last_rx_lcp, a->last_rx_lcp, a->last_rx_lcp_len);
		mark(m, L2TP_AVP_LAST_RX_LCP, false);
	}
	if (a->proxy_auth_type) {
		m->proxy_auth_type = a->proxy_auth_type;
		mark(m, L2TP_AVP_PROXY_AUTH_TYPE, false);
		if (a->proxy_auth_name) {
			COPY_STR(proxy_auth_name, a->proxy_auth_name);
			mark(m, L2TP_AVP_PROXY_AUTH_NAME, false);
		}
		if (a->proxy_auth_challenge) {
			COPY(proxy_auth_challenge, a->proxy_auth_challenge,
			     a->proxy_auth_challenge_len);
			mark(m, L2TP_AVP_PROXY_AUTH_CHALLENGE, false);
		}
		m->proxy_auth_id = a->proxy_auth_id;
		mark(m, L2TP_AVP_PROXY_AUTH_ID, false);
		if (a->proxy_auth_response) {
			COPY(proxy_auth_response, a->proxy_auth_response,
			     a->proxy_auth_response_len);
			mark(m, L2TP_AVP_PROXY_AUTH_RESPONSE, false);
		}
	}
}

void l2tp_build_cdn(struct l2tp_msg *m, uint16_t assigned_sid, uint16_t res, uint16_t error,
		    const char *text)
{
	start(m, L2TP_MSG_CDN);
	result(m, res, error, text, L2TP_CDN_GENERAL_ERROR);
	m->assigned_sid = assigned_sid;
	mark(m, L2TP_AVP_ASSIGNED_SESSION_ID, true);
}

void l2tp_msg_set_q931(struct l2tp_msg *m, uint16_t cause, uint8_t msg_code)
{
	m->q931.cause = cause;
	m->q931.msg_code = msg_code;
	m->q931.advisory.len = 0;
	mark(m, L2TP_AVP_Q931_CAUSE, true); /* §4.4.2: M=1 */
}
