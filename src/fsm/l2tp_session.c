/*
 * RFC 2661 §7.4.2 incoming call, LNS side, as a transition table.
 *
 * Decisions on cells the RFC leaves open:
 *  - "wait-connect: receive ICRQ, ICRP -> send CDN, clean up" (§7.4.2) is
 *    extended to every setup message out of place before ICCN, and to the
 *    outgoing-call messages (OCRQ/OCRP/OCCN): we never place calls, so any of
 *    them on one of our incoming calls is a protocol error (CDN result 2,
 *    error 5 "session ID invalid in this context").
 *  - Once established, a stray ICRQ/ICRP/ICCN/OC* is dropped (counted): the
 *    call works, and ending a subscriber's session for a peer's bookkeeping
 *    error would only hurt the subscriber. An unknown M AVP still ends it
 *    (§4.1 MUST).
 *  - WEN (§6.13) and SLI (§6.14) are accepted at any time the call exists;
 *    their contents go to the caller (log, ACCM hint for PPP).
 *  - After our CDN or the peer's the session lingers (CLOSED) so that an
 *    ICCN that crossed our CDN, or the peer's CDN crossing ours, is dropped
 *    quietly instead of drawing a CDN for an unknown session.
 *  - A tunnel going down ends the session without a CDN (§5.7: StopCCN
 *    clears the sessions implicitly).
 */
#include <errno.h>
#include <string.h>

#include "fsm/l2tp_session.h"

struct cell {
	uint8_t act;
	uint8_t next;
};

#define C(a, n) { L2TP_SA_##a, L2TP_SESS_##n }

static const struct cell tab[L2TP_SESS_STATE_COUNT][L2TP_SEV_COUNT] = {
	[L2TP_SESS_IDLE] = {
		[L2TP_SEV_ICRQ_OK] = C(SEND_ICRP, WAIT_CONNECT),
		[L2TP_SEV_ICRQ_BAD] = C(SEND_CDN, DEAD),
		[L2TP_SEV_ICRP] = C(SEND_CDN, DEAD),
		[L2TP_SEV_ICCN_OK] = C(CLEANUP, DEAD),
		[L2TP_SEV_ICCN_BAD] = C(CLEANUP, DEAD),
		[L2TP_SEV_CDN] = C(CLEANUP, DEAD),
		[L2TP_SEV_OCRQ] = C(SEND_CDN, DEAD),
		[L2TP_SEV_OCRP] = C(SEND_CDN, DEAD),
		[L2TP_SEV_OCCN] = C(SEND_CDN, DEAD),
		[L2TP_SEV_WEN] = C(IGNORE, IDLE),
		[L2TP_SEV_SLI] = C(IGNORE, IDLE),
		[L2TP_SEV_MSG_BAD] = C(SEND_CDN, DEAD),
		[L2TP_SEV_LOCAL_CLOSE] = C(SEND_CDN, DEAD),
		[L2TP_SEV_TUNNEL_DOWN] = C(CLEANUP, DEAD),
		[L2TP_SEV_CONNECT_TIMEOUT] = C(IGNORE, IDLE),
		[L2TP_SEV_LINGER_DONE] = C(IGNORE, IDLE),
	},
	[L2TP_SESS_WAIT_CONNECT] = {
		[L2TP_SEV_ICRQ_OK] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_ICRQ_BAD] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_ICRP] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_ICCN_OK] = C(UP, ESTABLISHED),
		[L2TP_SEV_ICCN_BAD] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_CDN] = C(PEER_CDN, CLOSED),
		[L2TP_SEV_OCRQ] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_OCRP] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_OCCN] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_WEN] = C(NOTE, WAIT_CONNECT),
		[L2TP_SEV_SLI] = C(NOTE, WAIT_CONNECT),
		[L2TP_SEV_MSG_BAD] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_LOCAL_CLOSE] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_TUNNEL_DOWN] = C(CLEANUP, DEAD),
		[L2TP_SEV_CONNECT_TIMEOUT] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_LINGER_DONE] = C(IGNORE, WAIT_CONNECT),
	},
	[L2TP_SESS_ESTABLISHED] = {
		[L2TP_SEV_ICRQ_OK] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_ICRQ_BAD] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_ICRP] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_ICCN_OK] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_ICCN_BAD] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_CDN] = C(PEER_CDN, CLOSED),
		[L2TP_SEV_OCRQ] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_OCRP] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_OCCN] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_WEN] = C(NOTE, ESTABLISHED),
		[L2TP_SEV_SLI] = C(NOTE, ESTABLISHED),
		[L2TP_SEV_MSG_BAD] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_LOCAL_CLOSE] = C(SEND_CDN, CLOSED),
		[L2TP_SEV_TUNNEL_DOWN] = C(CLEANUP, DEAD),
		[L2TP_SEV_CONNECT_TIMEOUT] = C(IGNORE, ESTABLISHED),
		[L2TP_SEV_LINGER_DONE] = C(IGNORE, ESTABLISHED),
	},
	[L2TP_SESS_CLOSED] = {
		[L2TP_SEV_ICRQ_OK] = C(IGNORE, CLOSED),
		[L2TP_SEV_ICRQ_BAD] = C(IGNORE, CLOSED),
		[L2TP_SEV_ICRP] = C(IGNORE, CLOSED),
		[L2TP_SEV_ICCN_OK] = C(IGNORE, CLOSED),
		[L2TP_SEV_ICCN_BAD] = C(IGNORE, CLOSED),
		[L2TP_SEV_CDN] = C(IGNORE, CLOSED),
		[L2TP_SEV_OCRQ] = C(IGNORE, CLOSED),
		[L2TP_SEV_OCRP] = C(IGNORE, CLOSED),
		[L2TP_SEV_OCCN] = C(IGNORE, CLOSED),
		[L2TP_SEV_WEN] = C(IGNORE, CLOSED),
		[L2TP_SEV_SLI] = C(IGNORE, CLOSED),
		[L2TP_SEV_MSG_BAD] = C(IGNORE, CLOSED),
		[L2TP_SEV_LOCAL_CLOSE] = C(IGNORE, CLOSED),
		[L2TP_SEV_TUNNEL_DOWN] = C(FREE, DEAD),
		[L2TP_SEV_CONNECT_TIMEOUT] = C(IGNORE, CLOSED),
		[L2TP_SEV_LINGER_DONE] = C(FREE, DEAD),
	},
	[L2TP_SESS_DEAD] = {
		[L2TP_SEV_ICRQ_OK] = C(IGNORE, DEAD),
		[L2TP_SEV_ICRQ_BAD] = C(IGNORE, DEAD),
		[L2TP_SEV_ICRP] = C(IGNORE, DEAD),
		[L2TP_SEV_ICCN_OK] = C(IGNORE, DEAD),
		[L2TP_SEV_ICCN_BAD] = C(IGNORE, DEAD),
		[L2TP_SEV_CDN] = C(IGNORE, DEAD),
		[L2TP_SEV_OCRQ] = C(IGNORE, DEAD),
		[L2TP_SEV_OCRP] = C(IGNORE, DEAD),
		[L2TP_SEV_OCCN] = C(IGNORE, DEAD),
		[L2TP_SEV_WEN] = C(IGNORE, DEAD),
		[L2TP_SEV_SLI] = C(IGNORE, DEAD),
		[L2TP_SEV_MSG_BAD] = C(IGNORE, DEAD),
		[L2TP_SEV_LOCAL_CLOSE] = C(IGNORE, DEAD),
		[L2TP_SEV_TUNNEL_DOWN] = C(IGNORE, DEAD),
		[L2TP_SEV_CONNECT_TIMEOUT] = C(IGNORE, DEAD),
		[L2TP_SEV_LINGER_DONE] = C(IGNORE, DEAD),
	},
};

static const char *const state_names[] = { "idle", "wait-connect", "established", "closed",
					   "dead" };
static const char *const event_names[] = {
	"ICRQ-ok", "ICRQ-bad", "ICRP", "ICCN-ok", "ICCN-bad",	     "CDN",	    "OCRQ",	   "OCRP",
	"OCCN",	   "WEN",      "SLI",  "msg-bad", "local-close", "tunnel-down", "connect-timeout",
	"linger-done"
};
static const char *const action_names[] = { "none",	"send-icrp", "send-cdn", "up",	   "peer-cdn",
					    "cleanup", "note",	    "free",	 "ignore" };

const char *l2tp_sess_state_name(unsigned s)
{
	return s < L2TP_SESS_STATE_COUNT ? state_names[s] : "?";
}

const char *l2tp_sess_event_name(unsigned e)
{
	return e < L2TP_SEV_COUNT ? event_names[e] : "?";
}

const char *l2tp_sess_action_name(unsigned a)
{
	return a < L2TP_SA_COUNT ? action_names[a] : "?";
}

void l2tp_session_init(struct l2tp_session *s, uint16_t tid, uint16_t our_sid)
{
	memset(s, 0, sizeof *s);
	s->state = L2TP_SESS_IDLE;
	s->tid = tid;
	s->our_sid = our_sid;
	s->timer_at = L2TP_NEVER;
}

static int set_cls(struct l2tp_sess_cls *c, uint8_t ev, uint16_t res, uint16_t err,
		   const char *text)
{
	memset(c, 0, sizeof *c);
	c->ev = ev;
	c->result = res;
	c->error = err;
	c->text = text;
	return ev;
}

int l2tp_session_classify(int dec_err, const struct l2tp_msg *m, uint16_t refuse_result,
			  uint16_t refuse_error, struct l2tp_sess_cls *c)
{
	uint8_t ev;
	switch (m->type) {
	case L2TP_MSG_ICRQ: ev = L2TP_SEV_ICRQ_OK; break;
	case L2TP_MSG_ICRP: ev = L2TP_SEV_ICRP; break;
	case L2TP_MSG_ICCN: ev = L2TP_SEV_ICCN_OK; break;
	case L2TP_MSG_CDN: ev = L2TP_SEV_CDN; break;
	case L2TP_MSG_OCRQ: ev = L2TP_SEV_OCRQ; break;
	case L2TP_MSG_OCRP: ev = L2TP_SEV_OCRP; break;
	case L2TP_MSG_OCCN: ev = L2TP_SEV_OCCN; break;
	case L2TP_MSG_WEN: ev = L2TP_SEV_WEN; break;
	case L2TP_MSG_SLI: ev = L2TP_SEV_SLI; break;
	default: return -1;
	}
	/* The peer's CDN ends the session whatever else it carries. */
	if (ev == L2TP_SEV_CDN)
		return set_cls(c, ev, 0, 0, NULL);
	uint8_t bad = ev == L2TP_SEV_ICRQ_OK   ? L2TP_SEV_ICRQ_BAD
		      : ev == L2TP_SEV_ICCN_OK ? L2TP_SEV_ICCN_BAD
					       : L2TP_SEV_MSG_BAD;
	if (dec_err == L2TP_E_UNKNOWN_M) /* §4.1: the session MUST end */
		return set_cls(c, bad, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_UNKNOWN_MAVP,
			       "unknown mandatory AVP");
	if (dec_err < 0)
		return set_cls(c, bad, L2TP_CDN_GENERAL_ERROR,
			       dec_err == L2TP_E_AVP_LEN || dec_err == L2TP_E_AVP_SHORT ||
					       dec_err == L2TP_E_AVP_OVERRUN ||
					       dec_err == L2TP_E_AVP_TOO_LONG ||
					       dec_err == L2TP_E_HIDDEN_LEN
				       ? L2TP_ERR_LENGTH
				       : L2TP_ERR_RANGE,
			       "malformed AVP");
	if ((ev == L2TP_SEV_ICRQ_OK || ev == L2TP_SEV_ICCN_OK) && l2tp_msg_missing_avp(m))
		return set_cls(c, bad, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_LENGTH,
			       "missing mandatory AVP");
	if (ev == L2TP_SEV_ICRQ_OK && refuse_result)
		return set_cls(c, L2TP_SEV_ICRQ_BAD, refuse_result, refuse_error, "refused");
	return set_cls(c, ev, 0, 0, NULL);
}

static void fill_proxy(struct l2tp_proxy *p, const struct l2tp_msg *m)
{
	memset(p, 0, sizeof *p);
#define TAKE(avp, field, ptr, plen)                 \
	if (L2TP_HAS(m, avp)) {                     \
		p->ptr = m->field.v;                \
		p->plen = m->field.len;             \
	}
	TAKE(L2TP_AVP_INITIAL_RX_LCP, initial_rx_lcp, initial_rx_lcp, initial_rx_lcp_len)
	TAKE(L2TP_AVP_LAST_SENT_LCP, last_sent_lcp, last_sent_lcp, last_sent_lcp_len)
	TAKE(L2TP_AVP_LAST_RX_LCP, last_rx_lcp, last_rx_lcp, last_rx_lcp_len)
	TAKE(L2TP_AVP_PROXY_AUTH_NAME, proxy_auth_name, auth_name, auth_name_len)
	TAKE(L2TP_AVP_PROXY_AUTH_CHALLENGE, proxy_auth_challenge, auth_chal, auth_chal_len)
	TAKE(L2TP_AVP_PROXY_AUTH_RESPONSE, proxy_auth_response, auth_resp, auth_resp_len)
#undef TAKE
	p->has_lcp = p->initial_rx_lcp || p->last_sent_lcp || p->last_rx_lcp;
	if (L2TP_HAS(m, L2TP_AVP_PROXY_AUTH_TYPE)) {
		p->has_auth = true;
		p->auth_type = m->proxy_auth_type;
	}
	if (L2TP_HAS(m, L2TP_AVP_PROXY_AUTH_ID))
		p->auth_id = (uint8_t)m->proxy_auth_id; /* §4.4.5: low octet is the ID */
}

static int send_cdn(struct l2tp_session *s, struct l2tp_tunnel *t, uint16_t res, uint16_t err,
		    const char *text, const struct l2tp_sess_cls *c)
{
	struct l2tp_msg m;
	l2tp_build_cdn(&m, s->our_sid, res, err, text);
	if (c && c->has_q931)
		l2tp_msg_set_q931(&m, c->q931_cause, c->q931_msg);
	return l2tp_tunnel_send(t, s->peer_sid, &m);
}

int l2tp_session_step(struct l2tp_session *s, const struct l2tp_session_conf *conf,
		      struct l2tp_tunnel *t, enum l2tp_sess_event ev, const struct l2tp_msg *m,
		      const struct l2tp_sess_cls *c, uint64_t now, struct l2tp_sess_out *out)
{
	static const struct l2tp_session_conf def = L2TP_SESSION_CONF_DEFAULT;
	memset(out, 0, sizeof *out);
	if ((unsigned)ev >= L2TP_SEV_COUNT || s->state >= L2TP_SESS_STATE_COUNT)
		return -EINVAL;
	if (!conf)
		conf = &def;
	const struct cell *cell = &tab[s->state][ev];
	out->stepped = true;
	out->ev = (uint8_t)ev;
	out->act = cell->act;
	out->from = s->state;
	out->to = cell->next;

	switch (cell->act) {
	case L2TP_SA_NONE:
		break;
	case L2TP_SA_SEND_ICRP: {
		struct l2tp_msg r;
		s->peer_sid = m ? m->assigned_sid : 0;
		s->call_serial = m ? m->call_serial : 0;
		l2tp_build_icrp(&r, s->our_sid);
		out->err = l2tp_tunnel_send(t, s->peer_sid, &r);
		break;
	}
	case L2TP_SA_SEND_CDN: {
		if (s->state == L2TP_SESS_IDLE && m && L2TP_HAS(m, L2TP_AVP_ASSIGNED_SESSION_ID))
			s->peer_sid = m->assigned_sid;
		uint16_t res = c && c->result ? c->result : L2TP_CDN_GENERAL_ERROR;
		uint16_t err = c && c->result ? c->error : L2TP_ERR_INVALID_SID;
		if (ev == L2TP_SEV_OCRQ && !(c && c->result))
			res = L2TP_CDN_NO_FACILITIES_PERM, err = 0;
		out->err = send_cdn(s, t, res, err, c ? c->text : NULL, c);
		out->down = true;
		out->result = res;
		out->error = err;
		out->has_error = err != 0;
		if (c && c->has_q931) {
			out->has_q931 = true;
			out->q931_cause = c->q931_cause;
			out->q931_msg = c->q931_msg;
		}
		break;
	}
	case L2TP_SA_UP:
		if (m) {
			fill_proxy(&out->proxy, m);
			out->tx_speed = m->tx_connect_speed;
			out->rx_speed = L2TP_HAS(m, L2TP_AVP_RX_CONNECT_SPEED) ? m->rx_connect_speed
									      : m->tx_connect_speed;
			out->framing = m->framing_type;
			out->seq_required = L2TP_HAS(m, L2TP_AVP_SEQUENCING_REQUIRED);
		}
		out->up = true;
		break;
	case L2TP_SA_PEER_CDN:
		out->down = true;
		out->peer_initiated = true;
		if (m) {
			out->result = m->result.result;
			out->error = m->result.error;
			out->has_error = m->result.has_error;
			if (L2TP_HAS(m, L2TP_AVP_Q931_CAUSE)) {
				out->has_q931 = true;
				out->q931_cause = m->q931.cause;
				out->q931_msg = m->q931.msg_code;
			}
			if (m->has_ppp_disconnect) {
				out->has_ppp_disc = true;
				out->ppp_disc_code = m->ppp_disc_code;
				out->ppp_disc_proto = m->ppp_disc_proto;
				out->ppp_disc_dir = m->ppp_disc_direction;
			}
		}
		break;
	case L2TP_SA_CLEANUP:
		out->down = true;
		if (ev == L2TP_SEV_TUNNEL_DOWN && c) {
			out->result = c->result;
			out->error = c->error;
		}
		if (ev == L2TP_SEV_TUNNEL_DOWN)
			out->free = true;
		break;
	case L2TP_SA_NOTE:
		if (m && L2TP_HAS(m, L2TP_AVP_ACCM)) {
			out->has_accm = true;
			out->accm_send = m->accm.send;
			out->accm_recv = m->accm.recv;
		}
		out->has_call_errors = m && L2TP_HAS(m, L2TP_AVP_CALL_ERRORS);
		break;
	case L2TP_SA_FREE:
		out->free = true;
		break;
	case L2TP_SA_IGNORE:
	default:
		s->ignored++;
		break;
	}
	if (out->to == L2TP_SESS_DEAD && out->from != L2TP_SESS_DEAD)
		out->free = true;
	if (out->to != s->state) {
		if (out->to == L2TP_SESS_WAIT_CONNECT)
			s->timer_at = now + conf->connect_ms;
		else if (out->to == L2TP_SESS_CLOSED)
			s->timer_at = now + conf->linger_ms;
		else
			s->timer_at = L2TP_NEVER;
	}
	s->state = out->to;
	return 0;
}

int l2tp_session_timer(struct l2tp_session *s, const struct l2tp_session_conf *conf,
		       struct l2tp_tunnel *t, uint64_t now, struct l2tp_sess_out *out)
{
	memset(out, 0, sizeof *out);
	if (s->timer_at == L2TP_NEVER || now < s->timer_at)
		return 0;
	if (s->state == L2TP_SESS_WAIT_CONNECT) {
		struct l2tp_sess_cls c = { L2TP_SEV_CONNECT_TIMEOUT, L2TP_CDN_TIMEOUT, 0,
					   "no ICCN", false, 0, 0 };
		return l2tp_session_step(s, conf, t, L2TP_SEV_CONNECT_TIMEOUT, NULL, &c, now, out);
	}
	if (s->state == L2TP_SESS_CLOSED)
		return l2tp_session_step(s, conf, t, L2TP_SEV_LINGER_DONE, NULL, NULL, now, out);
	s->timer_at = L2TP_NEVER;
	return 0;
}

int l2tp_session_orphan(struct l2tp_tunnel *t, uint16_t hdr_sid, const struct l2tp_msg *m)
{
	struct l2tp_msg cdn;
	switch (m->type) {
	case L2TP_MSG_ICRQ:
		return L2TP_ORPHAN_NEW_CALL;
	case L2TP_MSG_OCRQ:
		/* We are an LNS that places no calls: permanent lack of
		 * facilities (§4.4.2 CDN result 5) is the honest answer. */
		l2tp_build_cdn(&cdn, 0, L2TP_CDN_NO_FACILITIES_PERM, 0, "no outgoing calls");
		l2tp_tunnel_send(t, L2TP_HAS(m, L2TP_AVP_ASSIGNED_SESSION_ID) ? m->assigned_sid : 0,
				 &cdn);
		return L2TP_ORPHAN_CDN_NO_OUTGOING;
	case L2TP_MSG_ICRP:
	case L2TP_MSG_ICCN:
	case L2TP_MSG_OCRP:
	case L2TP_MSG_OCCN:
		if (hdr_sid == 0)
			return L2TP_ORPHAN_IGNORE;
		l2tp_build_cdn(&cdn, hdr_sid, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_INVALID_SID,
			       "no such session");
		l2tp_tunnel_send(t, L2TP_HAS(m, L2TP_AVP_ASSIGNED_SESSION_ID) ? m->assigned_sid : 0,
				 &cdn);
		return L2TP_ORPHAN_CDN_INVALID;
	default:
		return L2TP_ORPHAN_IGNORE;
	}
}

bool l2tp_data_accept(const struct l2tp_tunnel *t, const struct l2tp_session *s, uint16_t tid,
		      uint16_t sid, const struct l2tp_peer *src)
{
	return t && s && src && tid != 0 && sid != 0 && t->state == L2TP_TUN_ESTABLISHED &&
	       s->state == L2TP_SESS_ESTABLISHED && t->our_tid == tid && s->tid == tid &&
	       s->our_sid == sid && l2tp_peer_eq(&t->peer, src);
}
