/*
 * RFC 2661 §7.2 control connection, LNS side, as a transition table.
 *
 * Decisions (the "why" of cells the RFC table does not print):
 *  - Tie breaker (§5.2): only a peer that also originates SCCRQs can collide
 *    with us; an LNS that never originates cannot lose a tie, so the Tie
 *    Breaker AVP is accepted and ignored.
 *  - SCCRQ, SCCRP, SCCCN after setup (§7.2.1 "established: receive SCCRQ,
 *    SCCRP, SCCCN -> send StopCCN, clean up"): StopCCN result 7 (FSM error).
 *    A retransmitted SCCRQ never gets here: it is a duplicate Ns for reliable
 *    delivery and only re-acknowledged.
 *  - A call message before SCCCN (§5.0: no call before the control connection
 *    exists): an ICRQ gets CDN result 2 error 1, others are dropped.
 *  - WEN and SLI are routed to the session layer, acknowledged, never fatal.
 *  - StopCCN sent or received: the tunnel stays in CLOSING for a full
 *    retransmission cycle (§5.7, 31 s with the defaults) acknowledging
 *    whatever arrives, then is freed. Sessions end at once (§5.7: StopCCN
 *    clears every session, no CDN is sent for them).
 *  - Retransmissions exhausted (§5.8): no StopCCN (the peer cannot hear us);
 *    the tunnel is freed at once, its sessions end with reason "timeout".
 *  - Without a secret a Challenge cannot be answered (§5.1.1 needs a shared
 *    secret): the SCCRQ is refused with StopCCN result 4.
 */
#include <errno.h>
#include <string.h>

#include "codec/buf.h"
#include "fsm/l2tp_tunnel.h"

struct cell {
	uint8_t act;
	uint8_t next;
};

#define C(a, n) { L2TP_TA_##a, L2TP_TUN_##n }

/* tab[state][event], every pair decided. */
static const struct cell tab[L2TP_TUN_STATE_COUNT][L2TP_TEV_COUNT] = {
	[L2TP_TUN_IDLE] = {
		[L2TP_TEV_SCCRQ_OK] = C(SEND_SCCRP, WAIT_CTL_CONN),
		[L2TP_TEV_SCCRQ_BAD] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCRP] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCCN_OK] = C(FREE, DEAD),
		[L2TP_TEV_SCCCN_BAD] = C(FREE, DEAD),
		[L2TP_TEV_STOPCCN] = C(FREE, DEAD),
		[L2TP_TEV_HELLO] = C(FREE, DEAD),
		[L2TP_TEV_CALL_MSG] = C(FREE, DEAD),
		[L2TP_TEV_MSG_BAD] = C(FREE, DEAD),
		[L2TP_TEV_HELLO_DUE] = C(IGNORE, IDLE),
		[L2TP_TEV_ADMIN_CLOSE] = C(FREE, DEAD),
		[L2TP_TEV_RTX_FAIL] = C(FREE, DEAD),
		[L2TP_TEV_HOLD_DONE] = C(IGNORE, IDLE),
		[L2TP_TEV_SETUP_TIMEOUT] = C(IGNORE, IDLE),
	},
	[L2TP_TUN_WAIT_CTL_CONN] = {
		[L2TP_TEV_SCCRQ_OK] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCRQ_BAD] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCRP] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCCN_OK] = C(UP, ESTABLISHED),
		[L2TP_TEV_SCCCN_BAD] = C(STOPCCN, CLOSING),
		[L2TP_TEV_STOPCCN] = C(PEER_STOP, CLOSING),
		[L2TP_TEV_HELLO] = C(NONE, WAIT_CTL_CONN),
		[L2TP_TEV_CALL_MSG] = C(REFUSE_CALL, WAIT_CTL_CONN),
		[L2TP_TEV_MSG_BAD] = C(STOPCCN, CLOSING),
		[L2TP_TEV_HELLO_DUE] = C(IGNORE, WAIT_CTL_CONN),
		[L2TP_TEV_ADMIN_CLOSE] = C(STOPCCN, CLOSING),
		[L2TP_TEV_RTX_FAIL] = C(DOWN_FREE, DEAD),
		[L2TP_TEV_HOLD_DONE] = C(IGNORE, WAIT_CTL_CONN),
		[L2TP_TEV_SETUP_TIMEOUT] = C(STOPCCN, CLOSING),
	},
	[L2TP_TUN_ESTABLISHED] = {
		[L2TP_TEV_SCCRQ_OK] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCRQ_BAD] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCRP] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCCN_OK] = C(STOPCCN, CLOSING),
		[L2TP_TEV_SCCCN_BAD] = C(STOPCCN, CLOSING),
		[L2TP_TEV_STOPCCN] = C(PEER_STOP, CLOSING),
		[L2TP_TEV_HELLO] = C(NONE, ESTABLISHED),
		[L2TP_TEV_CALL_MSG] = C(ROUTE, ESTABLISHED),
		[L2TP_TEV_MSG_BAD] = C(STOPCCN, CLOSING),
		[L2TP_TEV_HELLO_DUE] = C(SEND_HELLO, ESTABLISHED),
		[L2TP_TEV_ADMIN_CLOSE] = C(STOPCCN, CLOSING),
		[L2TP_TEV_RTX_FAIL] = C(DOWN_FREE, DEAD),
		[L2TP_TEV_HOLD_DONE] = C(IGNORE, ESTABLISHED),
		[L2TP_TEV_SETUP_TIMEOUT] = C(IGNORE, ESTABLISHED),
	},
	[L2TP_TUN_CLOSING] = {
		[L2TP_TEV_SCCRQ_OK] = C(IGNORE, CLOSING),
		[L2TP_TEV_SCCRQ_BAD] = C(IGNORE, CLOSING),
		[L2TP_TEV_SCCRP] = C(IGNORE, CLOSING),
		[L2TP_TEV_SCCCN_OK] = C(IGNORE, CLOSING),
		[L2TP_TEV_SCCCN_BAD] = C(IGNORE, CLOSING),
		[L2TP_TEV_STOPCCN] = C(IGNORE, CLOSING),
		[L2TP_TEV_HELLO] = C(IGNORE, CLOSING),
		[L2TP_TEV_CALL_MSG] = C(IGNORE, CLOSING),
		[L2TP_TEV_MSG_BAD] = C(IGNORE, CLOSING),
		[L2TP_TEV_HELLO_DUE] = C(IGNORE, CLOSING),
		[L2TP_TEV_ADMIN_CLOSE] = C(IGNORE, CLOSING),
		[L2TP_TEV_RTX_FAIL] = C(IGNORE, CLOSING),
		[L2TP_TEV_HOLD_DONE] = C(FREE, DEAD),
		[L2TP_TEV_SETUP_TIMEOUT] = C(IGNORE, CLOSING),
	},
	[L2TP_TUN_DEAD] = {
		[L2TP_TEV_SCCRQ_OK] = C(IGNORE, DEAD),
		[L2TP_TEV_SCCRQ_BAD] = C(IGNORE, DEAD),
		[L2TP_TEV_SCCRP] = C(IGNORE, DEAD),
		[L2TP_TEV_SCCCN_OK] = C(IGNORE, DEAD),
		[L2TP_TEV_SCCCN_BAD] = C(IGNORE, DEAD),
		[L2TP_TEV_STOPCCN] = C(IGNORE, DEAD),
		[L2TP_TEV_HELLO] = C(IGNORE, DEAD),
		[L2TP_TEV_CALL_MSG] = C(IGNORE, DEAD),
		[L2TP_TEV_MSG_BAD] = C(IGNORE, DEAD),
		[L2TP_TEV_HELLO_DUE] = C(IGNORE, DEAD),
		[L2TP_TEV_ADMIN_CLOSE] = C(IGNORE, DEAD),
		[L2TP_TEV_RTX_FAIL] = C(IGNORE, DEAD),
		[L2TP_TEV_HOLD_DONE] = C(IGNORE, DEAD),
		[L2TP_TEV_SETUP_TIMEOUT] = C(IGNORE, DEAD),
	},
};

static const char *const state_names[] = { "idle", "wait-ctl-conn", "established", "closing",
					   "dead" };
static const char *const event_names[] = {
	"SCCRQ-ok", "SCCRQ-bad",  "SCCRP",	 "SCCCN-ok",  "SCCCN-bad", "StopCCN",   "HELLO",
	"call-msg", "msg-bad",	  "hello-due", "admin-close", "rtx-fail", "hold-done", "setup-timeout"
};
static const char *const action_names[] = { "none",	     "send-sccrp", "stopccn",
					    "up",	     "route",	   "refuse-call",
					    "send-hello",    "peer-stop",  "down-free",
					    "free",	     "ignore" };

const char *l2tp_tun_state_name(unsigned s)
{
	return s < L2TP_TUN_STATE_COUNT ? state_names[s] : "?";
}

const char *l2tp_tun_event_name(unsigned e)
{
	return e < L2TP_TEV_COUNT ? event_names[e] : "?";
}

const char *l2tp_tun_action_name(unsigned a)
{
	return a < L2TP_TA_COUNT ? action_names[a] : "?";
}

size_t l2tp_tunnel_mem_size(const struct l2tp_tunnel_conf *c)
{
	return l2tp_rel_mem_size(c->tx_slots, c->rx_slots, c->slot_size);
}

int l2tp_tunnel_init(struct l2tp_tunnel *t, const struct l2tp_tunnel_conf *c, uint16_t our_tid,
		     const struct l2tp_peer *peer, void *mem, size_t memlen, uint64_t now)
{
	if (!t || !c || our_tid == 0)
		return -EINVAL;
	memset(t, 0, sizeof *t);
	int e = l2tp_rel_init(&t->rel, &c->rel, mem, memlen, c->tx_slots, c->rx_slots,
			      c->slot_size);
	if (e)
		return e;
	t->state = L2TP_TUN_IDLE;
	t->our_tid = our_tid;
	t->conf = c;
	if (peer)
		t->peer = *peer;
	t->last_rx = now;
	t->last_hello = now;
	t->hold_until = L2TP_NEVER;
	t->setup_until = L2TP_NEVER;
	return 0;
}

bool l2tp_tunnel_is_sccrq_dup(const struct l2tp_tunnel *t, const struct l2tp_peer *peer,
			      uint16_t atid)
{
	/* Only before SCCCN: afterwards the LAC has our SCCRP, so an SCCRQ
	 * with the same Assigned Tunnel ID is a LAC that restarted and wants
	 * a new tunnel (the old one is the daemon's to close). */
	return (t->state == L2TP_TUN_IDLE || t->state == L2TP_TUN_WAIT_CTL_CONN) &&
	       t->peer_tid == atid && l2tp_peer_eq(&t->peer, peer);
}

int l2tp_tunnel_input(struct l2tp_tunnel *t, const uint8_t *pkt, size_t len,
		      const struct l2tp_hdr *h, uint64_t now)
{
	t->last_rx = now;
	return l2tp_rel_input(&t->rel, h, pkt, len, now);
}

void l2tp_tunnel_note_rx(struct l2tp_tunnel *t, uint64_t now)
{
	t->last_rx = now;
}

static bool has_secret(const struct l2tp_tunnel *t)
{
	return t->conf->secret.len > 0 && t->conf->secret.v;
}

static bool session_scoped(uint16_t type)
{
	switch (type) {
	case L2TP_MSG_OCRQ:
	case L2TP_MSG_OCRP:
	case L2TP_MSG_OCCN:
	case L2TP_MSG_ICRQ:
	case L2TP_MSG_ICRP:
	case L2TP_MSG_ICCN:
	case L2TP_MSG_CDN:
	case L2TP_MSG_WEN:
	case L2TP_MSG_SLI:
		return true;
	default:
		return false;
	}
}

static int set_cls(struct l2tp_tun_cls *c, uint8_t ev, uint16_t res, uint16_t err,
		   const char *text)
{
	c->ev = ev;
	c->result = res;
	c->error = err;
	c->text = text;
	return ev;
}

/* Malformed AVPs (the decoder refused the message body): §4.4.2 error 2
 * (length wrong) when a length was at fault, 6 for a hidden AVP we cannot
 * read, else 3 (field out of range). */
static uint16_t malformed_error(int dec_err)
{
	switch (dec_err) {
	case L2TP_E_AVP_SHORT:
	case L2TP_E_AVP_OVERRUN:
	case L2TP_E_AVP_LEN:
	case L2TP_E_AVP_TOO_LONG:
	case L2TP_E_HIDDEN_LEN:
		return L2TP_ERR_LENGTH;
	case L2TP_E_HIDDEN_NO_SECRET:
	case L2TP_E_HIDDEN_NO_RV:
		return L2TP_ERR_VENDOR;
	default:
		return L2TP_ERR_RANGE;
	}
}

int l2tp_tunnel_classify(const struct l2tp_tunnel *t, int dec_err, const struct l2tp_msg *m,
			 struct l2tp_tun_cls *c)
{
	set_cls(c, L2TP_TEV_MSG_BAD, 0, 0, NULL);
	if (dec_err == L2TP_E_MSG_TYPE) {
		/* §4.4.1: unknown Message Type with M clears the tunnel,
		 * without M it is ignored. */
		if (m->mandatory & 1u)
			return set_cls(c, L2TP_TEV_MSG_BAD, L2TP_STOPCCN_GENERAL_ERROR,
				       L2TP_ERR_RANGE, "unknown message type");
		return -1;
	}
	if (m->type == L2TP_MSG_ZLB) {
		/* No readable Message Type (§4.4.1: it MUST come first): the
		 * message cannot be judged, the peer is broken. */
		if (dec_err < 0)
			return set_cls(c, L2TP_TEV_MSG_BAD, L2TP_STOPCCN_GENERAL_ERROR,
				       malformed_error(dec_err), "malformed message");
		return -1;
	}
	/* Session-scoped messages are judged by the session layer (§4.1: an
	 * unknown M AVP there ends the session, not the tunnel). */
	if (session_scoped(m->type))
		return set_cls(c, L2TP_TEV_CALL_MSG, 0, 0, NULL);
	if (m->type == L2TP_MSG_STOPCCN) /* the tunnel goes whatever it holds */
		return set_cls(c, L2TP_TEV_STOPCCN, m->result.result, m->result.error, NULL);

	uint8_t bad = m->type == L2TP_MSG_SCCRQ	  ? L2TP_TEV_SCCRQ_BAD
		      : m->type == L2TP_MSG_SCCCN ? L2TP_TEV_SCCCN_BAD
						  : L2TP_TEV_MSG_BAD;
	if (dec_err == L2TP_E_UNKNOWN_M)
		return set_cls(c, bad, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_UNKNOWN_MAVP,
			       "unknown mandatory AVP");
	if (dec_err < 0)
		return set_cls(c, bad, L2TP_STOPCCN_GENERAL_ERROR, malformed_error(dec_err),
			       "malformed AVP");
	if (l2tp_msg_missing_avp(m))
		return set_cls(c, bad, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_LENGTH,
			       "missing mandatory AVP");

	switch (m->type) {
	case L2TP_MSG_SCCRQ:
		/* §4.4.3: we speak version 1 revision 0; result 5 carries the
		 * highest version we support in the Error Code field (§4.4.2). */
		if (m->proto_ver != 1 || m->proto_rev != 0)
			return set_cls(c, bad, L2TP_STOPCCN_BAD_VERSION, 0x0100,
				       "protocol version not supported");
		if (L2TP_HAS(m, L2TP_AVP_CHALLENGE) && !has_secret(t))
			return set_cls(c, bad, L2TP_STOPCCN_NOT_AUTHORIZED, 0,
				       "challenge but no secret configured");
		if (t->refuse_result)
			return set_cls(c, bad, t->refuse_result, t->refuse_error, "refused");
		return set_cls(c, L2TP_TEV_SCCRQ_OK, 0, 0, NULL);
	case L2TP_MSG_SCCRP:
		return set_cls(c, L2TP_TEV_SCCRP, L2TP_STOPCCN_FSM_ERROR, 0, "unexpected SCCRP");
	case L2TP_MSG_SCCCN:
		if (t->chal_sent) {
			uint8_t want[16];
			if (!L2TP_HAS(m, L2TP_AVP_CHALLENGE_RESPONSE))
				return set_cls(c, bad, L2TP_STOPCCN_NOT_AUTHORIZED, 0,
					       "challenge response missing");
			l2tp_challenge_response(L2TP_MSG_SCCCN, &t->conf->secret, t->our_chal,
						sizeof t->our_chal, want);
			/* Constant time: the response is a secret-derived value. */
			if (!buf_ct_equal(want, m->challenge_resp, sizeof want))
				return set_cls(c, bad, L2TP_STOPCCN_NOT_AUTHORIZED, 0,
					       "challenge response wrong");
		}
		return set_cls(c, L2TP_TEV_SCCCN_OK, 0, 0, NULL);
	case L2TP_MSG_HELLO:
		return set_cls(c, L2TP_TEV_HELLO, 0, 0, NULL);
	default:
		return -1;
	}
}

static void clear_out(struct l2tp_tun_out *o)
{
	memset(o, 0, sizeof *o);
}

static int queue_stopccn(struct l2tp_tunnel *t, uint16_t result, uint16_t error, const char *text)
{
	struct l2tp_msg m;
	l2tp_build_stopccn(&m, t->our_tid, result, error, text);
	return l2tp_rel_queue(&t->rel, 0, &m, NULL, NULL, 0, true);
}

static int send_sccrp(struct l2tp_tunnel *t, const struct l2tp_msg *q, uint64_t now,
		      const uint8_t rnd[16])
{
	const struct l2tp_tunnel_conf *c = t->conf;
	t->peer_tid = q->assigned_tid;
	l2tp_rel_set_peer(&t->rel, q->assigned_tid,
			  L2TP_HAS(q, L2TP_AVP_RX_WINDOW_SIZE) ? q->rx_window : 0);
	struct l2tp_sccrq_args a = {
		.assigned_tid = t->our_tid,
		.host_name = c->host_name ? c->host_name : "l2tpns",
		.vendor_name = c->vendor_name,
		.rx_window = l2tp_rel_our_window(&t->rel),
		.framing_cap = c->framing_cap,
		.bearer_cap = c->bearer_cap,
		.firmware_rev = c->firmware_rev,
	};
	if (has_secret(t) && rnd) {
		memcpy(t->our_chal, rnd, sizeof t->our_chal);
		t->chal_sent = true;
		a.challenge = t->our_chal;
		a.challenge_len = sizeof t->our_chal;
	}
	uint8_t resp[16];
	const uint8_t *rp = NULL;
	if (L2TP_HAS(q, L2TP_AVP_CHALLENGE) && has_secret(t)) {
		l2tp_challenge_response(L2TP_MSG_SCCRP, &c->secret, q->challenge.v, q->challenge.len,
					resp);
		rp = resp;
	}
	struct l2tp_msg m;
	l2tp_build_sccrp(&m, &a, rp);
	t->setup_until = now + c->setup_ms;
	return l2tp_rel_queue(&t->rel, 0, &m, NULL, NULL, 0, false);
}

int l2tp_tunnel_step(struct l2tp_tunnel *t, enum l2tp_tun_event ev, const struct l2tp_msg *m,
		     const struct l2tp_tun_cls *c, uint64_t now, const uint8_t rnd[16],
		     struct l2tp_tun_out *out)
{
	clear_out(out);
	if ((unsigned)ev >= L2TP_TEV_COUNT || t->state >= L2TP_TUN_STATE_COUNT)
		return -EINVAL;
	const struct cell *cell = &tab[t->state][ev];
	out->stepped = true;
	out->ev = (uint8_t)ev;
	out->act = cell->act;
	out->from = t->state;
	out->to = cell->next;
	uint64_t cycle = l2tp_rel_cycle_ms(&t->rel.conf);

	switch (cell->act) {
	case L2TP_TA_NONE:
		break;
	case L2TP_TA_SEND_SCCRP:
		out->err = m ? send_sccrp(t, m, now, rnd) : -EINVAL;
		break;
	case L2TP_TA_STOPCCN: {
		uint16_t res = c && c->result ? c->result : L2TP_STOPCCN_FSM_ERROR;
		uint16_t err = c ? c->error : 0;
		/* §5.3: a refused SCCRQ still tells us where to send StopCCN. */
		if (t->peer_tid == 0 && m && L2TP_HAS(m, L2TP_AVP_ASSIGNED_TUNNEL_ID)) {
			t->peer_tid = m->assigned_tid;
			l2tp_rel_set_peer(&t->rel, m->assigned_tid,
					  L2TP_HAS(m, L2TP_AVP_RX_WINDOW_SIZE) ? m->rx_window : 0);
		}
		out->err = queue_stopccn(t, res, err, c ? c->text : NULL);
		out->down = true;
		out->reason = t->state == L2TP_TUN_WAIT_CTL_CONN || t->state == L2TP_TUN_IDLE
				      ? L2TP_DOWN_SETUP
				      : L2TP_DOWN_LOCAL_STOPCCN;
		out->result = res;
		out->error = err;
		t->hold_until = now + cycle;
		break;
	}
	case L2TP_TA_UP:
		out->up = true;
		t->setup_until = L2TP_NEVER;
		break;
	case L2TP_TA_ROUTE:
		out->msg = m;
		break;
	case L2TP_TA_REFUSE_CALL:
		if (m && m->type == L2TP_MSG_ICRQ) {
			struct l2tp_msg cdn;
			l2tp_build_cdn(&cdn, 0, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_NO_TUNNEL,
				       "no control connection yet");
			out->err = l2tp_rel_queue(&t->rel, m->assigned_sid, &cdn, NULL, NULL, 0,
						  false);
		}
		break;
	case L2TP_TA_SEND_HELLO: {
		struct l2tp_msg h;
		l2tp_build_hello(&h);
		out->err = l2tp_rel_queue(&t->rel, 0, &h, NULL, NULL, 0, false);
		t->last_hello = now;
		break;
	}
	case L2TP_TA_PEER_STOP:
		out->down = true;
		out->reason = L2TP_DOWN_PEER_STOPCCN;
		out->result = c ? c->result : 0;
		out->error = c ? c->error : 0;
		t->hold_until = now + cycle;
		break;
	case L2TP_TA_DOWN_FREE:
		out->down = true;
		out->free = true;
		out->reason = L2TP_DOWN_TIMEOUT;
		break;
	case L2TP_TA_FREE:
		out->free = true;
		break;
	case L2TP_TA_IGNORE:
	default:
		t->ignored++;
		break;
	}
	if (out->to == L2TP_TUN_CLOSING) {
		/* Nothing will be answered any more: keep acknowledging
		 * (§5.7) without waiting for transmit room. */
		t->setup_until = L2TP_NEVER;
		t->rel.drain = true;
	}
	t->state = out->to;
	return 0;
}

int l2tp_tunnel_next(struct l2tp_tunnel *t, uint64_t now, const uint8_t rnd[16],
		     struct l2tp_msg *scratch, struct l2tp_tun_out *out)
{
	for (;;) {
		const uint8_t *p;
		size_t len;
		clear_out(out);
		if (l2tp_rel_next(&t->rel, now, &p, &len) <= 0)
			return 0;
		struct l2tp_hdr h;
		if (l2tp_hdr_decode(p, len, &h) != L2TP_OK)
			continue; /* stored only after a good header decode */
		int dec = l2tp_msg_decode(p + h.hdr_len, h.payload_len,
					  has_secret(t) ? &t->conf->secret : NULL, scratch);
		struct l2tp_tun_cls c;
		int ev = l2tp_tunnel_classify(t, dec, scratch, &c);
		if (ev < 0) {
			t->ignored++;
			continue;
		}
		l2tp_tunnel_step(t, (enum l2tp_tun_event)ev, scratch, &c, now, rnd, out);
		out->sid = h.sid;
		out->dec_err = dec;
		return 1;
	}
}

int l2tp_tunnel_close(struct l2tp_tunnel *t, uint16_t result, uint16_t error, const char *text,
		      uint64_t now, struct l2tp_tun_out *out)
{
	struct l2tp_tun_cls c = { L2TP_TEV_ADMIN_CLOSE, result, error, text };
	return l2tp_tunnel_step(t, L2TP_TEV_ADMIN_CLOSE, NULL, &c, now, NULL, out);
}

static uint64_t hello_due(const struct l2tp_tunnel *t)
{
	if (t->state != L2TP_TUN_ESTABLISHED || t->conf->hello_ms == 0 ||
	    l2tp_rel_unacked(&t->rel) != 0)
		return L2TP_NEVER;
	uint64_t base = t->last_rx > t->last_hello ? t->last_rx : t->last_hello;
	return base + t->conf->hello_ms;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

void l2tp_tunnel_poll(struct l2tp_tunnel *t, uint64_t now, struct l2tp_rel_tx *tx,
		      struct l2tp_tun_out *out)
{
	clear_out(out);
	if (t->state == L2TP_TUN_CLOSING && now >= t->hold_until)
		l2tp_tunnel_step(t, L2TP_TEV_HOLD_DONE, NULL, NULL, now, NULL, out);
	else if (t->state == L2TP_TUN_WAIT_CTL_CONN && now >= t->setup_until) {
		struct l2tp_tun_cls c = { L2TP_TEV_SETUP_TIMEOUT, L2TP_STOPCCN_CLEAR, 0,
					  "no SCCCN" };
		l2tp_tunnel_step(t, L2TP_TEV_SETUP_TIMEOUT, NULL, &c, now, NULL, out);
	} else if (now >= hello_due(t))
		l2tp_tunnel_step(t, L2TP_TEV_HELLO_DUE, NULL, NULL, now, NULL, out);

	l2tp_rel_poll(&t->rel, now, tx);
	if (tx->failed && !out->stepped && t->state != L2TP_TUN_DEAD &&
	    t->state != L2TP_TUN_CLOSING)
		l2tp_tunnel_step(t, L2TP_TEV_RTX_FAIL, NULL, NULL, now, NULL, out);

	uint64_t d = tx->deadline;
	if (t->state == L2TP_TUN_CLOSING)
		d = min64(d, t->hold_until);
	if (t->state == L2TP_TUN_WAIT_CTL_CONN)
		d = min64(d, t->setup_until);
	d = min64(d, hello_due(t));
	if (t->state == L2TP_TUN_DEAD || (tx->failed && t->state != L2TP_TUN_CLOSING))
		d = L2TP_NEVER;
	if (out->stepped && d > now)
		d = now; /* one event per poll: come back for the rest */
	tx->deadline = d;
}

int l2tp_tunnel_send(struct l2tp_tunnel *t, uint16_t peer_sid, const struct l2tp_msg *m)
{
	if (t->state != L2TP_TUN_ESTABLISHED && m->type != L2TP_MSG_CDN)
		return -EPIPE;
	return l2tp_rel_queue(&t->rel, peer_sid, m, NULL, NULL, 0, false);
}
