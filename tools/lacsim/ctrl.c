/*
 * LAC side of the L2TP control connection (RFC 2661 §5, §7): tunnel set-up
 * with optional tunnel authentication, incoming calls, reliable delivery with
 * Ns/Nr, window, retransmission back-off and ZLB acknowledgements, teardown.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec/buf.h"
#include "lacsim.h"

enum {
	RTO_FIRST_MS = 1000,	/* §5.8: recommended initial timeout 1 s */
	RTO_CAP_MS = 8000,	/* §5.8: back-off capped at no less than 8 s */
	MAX_RETRIES = 5,	/* §5.8: recommended retransmission count */
	OUR_RWIN = 16,		/* we process in order, so any window works */
	HDR_NR_OFF = 10,	/* Nr of a control header with L and S (§3.1) */
};

static bool seq_before(uint16_t a, uint16_t b)
{
	/* §5.8: sequence numbers compare modulo 2^16 */
	return (int16_t)(uint16_t)(a - b) < 0;
}

static struct session *tun_sess(struct lac *l, struct tunnel *t, uint16_t lsid)
{
	if (lsid == 0 || lsid > t->nsess)
		return NULL;
	return &l->sess[t->first_sess + lsid - 1u];
}

static void arm(struct lac *l, struct tunnel *t)
{
	t->tgen++;
	lac_timer(l, TKEY_TUN | t->idx, t->tgen, lac_now() + (uint64_t)t->rto_ms * LS_MS);
}

static void send_msg(struct lac *l, struct tunnel *t, struct ctl_msg *c)
{
	/* §5.8: a retransmission carries the same Ns and the current Nr */
	be16_put(c->buf + HDR_NR_OFF, t->nr);
	lac_tx(l, t->fd, &t->peer, c->buf, c->len);
	t->ack_pending = false;
	t->ctl_tx++;
}

/* Send what the LNS's window allows (§5.8: at most Receive Window Size
 * unacknowledged messages outstanding). */
static void pump(struct lac *l, struct tunnel *t)
{
	size_t i, n = t->qlen < t->peer_rwin ? t->qlen : t->peer_rwin;
	bool armed = false;

	for (i = 0; i < n; i++) {
		struct ctl_msg *c = &t->q[(t->qhead + i) % t->qcap];
		if (c->sent) {
			armed = true;
			continue;
		}
		send_msg(l, t, c);
		c->sent = true;
		if (c->type == L2TP_MSG_ICCN && c->sess) {
			/* PPP may only follow the ICCN on the wire (§5.4.1):
			 * the LNS drops data for a call not yet connected */
			struct session *s = &l->sess[c->sess - 1];
			if (s->state == S_PPP)
				ppp_start(l, s);
		}
		if (!armed) {
			arm(l, t);
			armed = true;
		}
	}
}

static void q_free(struct tunnel *t)
{
	while (t->qlen) {
		free(t->q[t->qhead].buf);
		t->qhead = (t->qhead + 1) % t->qcap;
		t->qlen--;
	}
	t->tgen++;
}

static int queue_msg(struct lac *l, struct tunnel *t, uint16_t sid, struct l2tp_msg *m,
		     uint32_t sess)
{
	uint8_t buf[PKT_MAX], rv[16] = { 0 };
	struct ctl_msg *c;
	int n;

	if (l->o.hide && l->sec.len) {
		/* hide every AVP §4.4 allows to be hidden (the codec's list) */
		m->hidden = m->present & ~(uint64_t)L2TP_NOHIDE_MASK;
		lac_random(rv, sizeof rv);
	}
	n = l2tp_msg_encode(buf, sizeof buf, t->ptid, sid, t->ns, t->nr, m,
			    l->sec.len ? &l->sec : NULL, rv, sizeof rv);
	if (n < 0) {
		lac_log(l, "tid=%u encode %s failed: %s", t->ltid, l2tp_msg_name(m->type),
			l2tp_strerror(n));
		return n;
	}
	if (t->qlen == t->qcap) {
		size_t nc = t->qcap ? t->qcap * 2 : 16, i;
		struct ctl_msg *nq = calloc(nc, sizeof(*nq));
		if (!nq)
			return -ENOMEM;
		for (i = 0; i < t->qlen; i++)
			nq[i] = t->q[(t->qhead + i) % t->qcap];
		free(t->q);
		t->q = nq;
		t->qcap = nc;
		t->qhead = 0;
	}
	c = &t->q[(t->qhead + t->qlen) % t->qcap];
	c->buf = malloc((size_t)n);
	if (!c->buf)
		return -ENOMEM;
	memcpy(c->buf, buf, (size_t)n);
	c->len = (uint16_t)n;
	c->ns = t->ns;
	c->type = (uint8_t)m->type;
	c->sent = false;
	c->sess = sess;
	t->qlen++;
	t->ns++;
	pump(l, t);
	return 0;
}

static void send_zlb(struct lac *l, struct tunnel *t)
{
	uint8_t *b = lac_tx_buf(l);
	int n = l2tp_zlb_encode(b, PKT_MAX, t->ptid, 0, t->ns, t->nr);

	if (n > 0) {
		lac_tx_commit(l, t->fd, &t->peer, (size_t)n);
		t->zlb_tx++;
	}
	t->ack_pending = false;
}

void ctrl_flush_acks(struct lac *l)
{
	unsigned i;

	/* §5.8: acknowledge with a ZLB when no message of ours carried Nr */
	for (i = 0; i < l->o.tunnels; i++)
		if (l->tun[i].ack_pending)
			send_zlb(l, &l->tun[i]);
}

int ctrl_open_tunnel(struct lac *l, struct tunnel *t)
{
	struct l2tp_msg m;
	struct l2tp_sccrq_args a = {
		.assigned_tid = t->ltid,
		.host_name = l->o.host_name,
		.vendor_name = "l2tpns lacsim",
		.rx_window = OUR_RWIN,
		.framing_cap = L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC,
		.bearer_cap = L2TP_BEARER_DIGITAL | L2TP_BEARER_ANALOG,
		.firmware_rev = 0x0100,
	};

	t->ns = t->nr = 0;
	t->ptid = 0;	/* §3.1: SCCRQ goes to Tunnel ID 0 */
	t->peer_rwin = L2TP_DEFAULT_RX_WINDOW;
	t->rto_ms = RTO_FIRST_MS;
	if (l->sec.len) {
		/* §5.1.1: challenge the LNS to prove it knows the secret */
		lac_random(t->chal, sizeof t->chal);
		a.challenge = t->chal;
		a.challenge_len = sizeof t->chal;
	}
	l2tp_build_sccrq(&m, &a);
	t->state = T_WAIT_SCCRP;
	t->t_sccrq = lac_now();
	if (!l->t_first_sccrq)
		l->t_first_sccrq = t->t_sccrq;
	return queue_msg(l, t, 0, &m, 0);
}

static void send_icrq(struct lac *l, struct tunnel *t, struct session *s)
{
	struct l2tp_msg m;
	char calling[32];
	struct l2tp_icrq_args a = {
		.assigned_sid = s->lsid,
		.call_serial = s->num,
		.bearer_type = L2TP_BEARER_DIGITAL,
		.called_number = "lacsim",
		.calling_number = calling,
	};

	snprintf(calling, sizeof calling, "%u", s->num);
	l2tp_build_icrq(&m, &a);
	s->state = S_WAIT_ICRP;
	if (queue_msg(l, t, 0, &m, 0) < 0)
		ctrl_session_down(l, s, 0, "ICRQ could not be sent");
}

/* New calls are offered only while the LNS's window has room, so that the
 * ICCNs of calls already answered are not stuck behind a long queue of
 * ICRQs (§5.8 window): set-up latency stays one round trip per message. */
static void start_pending(struct lac *l, struct tunnel *t)
{
	while (t->pending_start && t->state == T_ESTABLISHED && t->qlen < t->peer_rwin &&
	       t->cursor < t->nsess) {
		struct session *s = &l->sess[t->first_sess + t->cursor++];
		if (s->state == S_WAIT_TUNNEL) {
			t->pending_start--;
			send_icrq(l, t, s);
		}
	}
}

void ctrl_start_session(struct lac *l, struct session *s)
{
	struct tunnel *t = &l->tun[s->tun];

	s->t_start = lac_now();
	l->n_attempted++;
	switch (t->state) {
	case T_ESTABLISHED:
		s->state = S_WAIT_TUNNEL;
		t->pending_start++;
		start_pending(l, t);
		break;
	case T_IDLE:
	case T_WAIT_SCCRP:
		s->state = S_WAIT_TUNNEL;
		t->pending_start++;
		break;
	default:
		s->state = S_DOWN;
		s->reason = t->reason;
		l->reasons[t->reason].count++;
		l->n_failed++;
		break;
	}
}

void ctrl_session_down(struct lac *l, struct session *s, uint16_t result, const char *fmt, ...)
{
	struct tunnel *t = &l->tun[s->tun];
	char why[96];
	va_list ap;
	uint8_t st = s->state;

	if (st == S_DOWN || st == S_CLOSING || st == S_IDLE)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	s->reason = (uint8_t)lac_reason(l, "%s", why);
	if (!l->teardown)
		l->reasons[s->reason].count++;
	if (st == S_UP)
		l->n_cur_up--;
	if (!l->teardown) {
		if (st == S_UP)
			l->n_dropped++;
		else
			l->n_failed++;
	}
	if (st == S_WAIT_TUNNEL && t->pending_start)
		t->pending_start--;
	s->tgen++;
	if (result && t->state == T_ESTABLISHED && (st == S_WAIT_ICRP || st == S_PPP || st == S_UP)) {
		struct l2tp_msg m;
		/* §5.4.2 / §6.13: CDN names the call by our Assigned Session
		 * ID; the header carries the LNS's id (0 if not known yet) */
		l2tp_build_cdn(&m, s->lsid, result, 0, why);
		s->state = S_CLOSING;
		if (queue_msg(l, t, s->psid, &m, (uint32_t)(s - l->sess) + 1) == 0)
			return;
	}
	s->state = S_DOWN;
}

/* The whole tunnel is gone: every call in it goes with it (§5.7). */
static void tunnel_gone(struct lac *l, struct tunnel *t, const char *why)
{
	uint32_t i;

	t->reason = (uint8_t)lac_reason(l, "%s", why);
	t->state = T_CLOSED;
	for (i = 0; i < t->nsess; i++) {
		struct session *s = &l->sess[t->first_sess + i];
		if (s->state == S_CLOSING) {
			s->state = S_DOWN;
			l->n_closed++;
		} else if (s->state != S_IDLE && s->state != S_DOWN) {
			ctrl_session_down(l, s, 0, "%s", why);
		}
	}
	t->pending_start = 0;
}

void ctrl_close_tunnel(struct lac *l, struct tunnel *t, uint16_t result, const char *why)
{
	struct l2tp_msg m;

	if (t->state == T_CLOSED || t->state == T_CLOSING)
		return;
	if (t->state == T_IDLE || t->ptid == 0) {
		/* no SCCRP yet: the LNS's tunnel id is unknown, nothing to address */
		q_free(t);
		t->state = T_CLOSED;
		return;
	}
	l2tp_build_stopccn(&m, t->ltid, result, 0, why);
	t->state = T_CLOSING;
	if (queue_msg(l, t, 0, &m, 0) < 0)
		t->state = T_CLOSED;
}

bool ctrl_idle(const struct lac *l)
{
	unsigned i;

	for (i = 0; i < l->o.tunnels; i++)
		if (l->tun[i].state != T_CLOSED && l->tun[i].qlen)
			return false;
	return true;
}

static void acked(struct lac *l, struct tunnel *t, uint16_t nr)
{
	bool progress = false;

	while (t->qlen) {
		struct ctl_msg *c = &t->q[t->qhead];
		if (!c->sent || !seq_before(c->ns, nr))
			break;
		if (c->type == L2TP_MSG_CDN && c->sess) {
			struct session *s = &l->sess[c->sess - 1];
			if (s->state == S_CLOSING) {
				s->state = S_DOWN;
				l->n_closed++;
			}
		}
		if (c->type == L2TP_MSG_STOPCCN) {
			/* §5.7: the StopCCN was received; nothing more to say */
			free(c->buf);
			t->qhead = (t->qhead + 1) % t->qcap;
			t->qlen--;
			tunnel_gone(l, t, "closed by lacsim (StopCCN acknowledged)");
			q_free(t);
			return;
		}
		free(c->buf);
		t->qhead = (t->qhead + 1) % t->qcap;
		t->qlen--;
		progress = true;
	}
	if (!progress)
		return;
	t->retries = 0;
	t->rto_ms = RTO_FIRST_MS;
	t->tgen++;	/* cancel; pump() re-arms for whatever is still outstanding */
	if (t->qlen && t->q[t->qhead].sent)
		arm(l, t);
	pump(l, t);
	start_pending(l, t);
}

void ctrl_timer(struct lac *l, struct tunnel *t)
{
	size_t i, n;

	if (!t->qlen || !t->q[t->qhead].sent)
		return;
	if (++t->retries > MAX_RETRIES) {
		char why[96];
		const char *mn = l2tp_msg_name(t->q[t->qhead].type);
		snprintf(why, sizeof why, "tunnel: no acknowledgement of %s after %d retransmissions",
			 mn ? mn : "?", MAX_RETRIES);
		lac_log(l, "tid=%u %s", t->ltid, why);
		q_free(t);
		tunnel_gone(l, t, why);
		return;
	}
	if (l->o.verbose) {
		const char *mn = l2tp_msg_name(t->q[t->qhead].type);
		lac_log(l, "tid=%u retransmit from Ns=%u (%s), try %u", t->ltid, t->q[t->qhead].ns,
			mn ? mn : "?", t->retries);
	}
	/* §5.8: exponential back-off, capped */
	t->rto_ms = t->rto_ms * 2 > RTO_CAP_MS ? RTO_CAP_MS : t->rto_ms * 2;
	n = t->qlen < t->peer_rwin ? t->qlen : t->peer_rwin;
	for (i = 0; i < n; i++) {
		struct ctl_msg *c = &t->q[(t->qhead + i) % t->qcap];
		if (!c->sent)
			break;
		send_msg(l, t, c);
		t->ctl_rtx++;
	}
	arm(l, t);
}

static void fmt_result(char *out, size_t cap, const char *who, const struct l2tp_msg *m)
{
	if (L2TP_HAS(m, L2TP_AVP_RESULT_CODE))
		snprintf(out, cap, "%s from LNS: result %u error %u%s%.*s", who, m->result.result,
			 m->result.has_error ? m->result.error : 0, m->result.msg.len ? " " : "",
			 (int)(m->result.msg.len > 48 ? 48 : m->result.msg.len),
			 (const char *)m->result.msg.v);
	else
		snprintf(out, cap, "%s from LNS without Result Code", who);
}

static void on_sccrp(struct lac *l, struct tunnel *t, const struct l2tp_msg *m)
{
	uint8_t resp[16];
	struct l2tp_msg out;
	bool have_resp = false;

	if (t->state != T_WAIT_SCCRP) {
		l->rx_bad_ctl++;
		return;
	}
	if (!L2TP_HAS(m, L2TP_AVP_ASSIGNED_TUNNEL_ID) || m->assigned_tid == 0) {
		tunnel_gone(l, t, "SCCRP without a valid Assigned Tunnel ID");
		return;
	}
	t->ptid = m->assigned_tid;
	if (L2TP_HAS(m, L2TP_AVP_RX_WINDOW_SIZE) && m->rx_window)
		t->peer_rwin = m->rx_window;
	if (l->sec.len) {
		uint8_t want[16];
		/* §5.1.1: the LNS answers our Challenge with MD5(2|secret|chal) */
		l2tp_challenge_response(L2TP_MSG_SCCRP, &l->sec, t->chal, sizeof t->chal, want);
		if (!L2TP_HAS(m, L2TP_AVP_CHALLENGE_RESPONSE)) {
			ctrl_close_tunnel(l, t, L2TP_STOPCCN_NOT_AUTHORIZED, "no Challenge Response");
			tunnel_gone(l, t, "tunnel auth: SCCRP without Challenge Response");
			return;
		}
		if (!buf_ct_equal(want, m->challenge_resp, 16)) {
			ctrl_close_tunnel(l, t, L2TP_STOPCCN_NOT_AUTHORIZED, "bad Challenge Response");
			tunnel_gone(l, t, "tunnel auth: wrong Challenge Response from LNS");
			return;
		}
	}
	if (L2TP_HAS(m, L2TP_AVP_CHALLENGE)) {
		if (!l->sec.len) {
			ctrl_close_tunnel(l, t, L2TP_STOPCCN_NOT_AUTHORIZED, "no secret configured");
			tunnel_gone(l, t, "tunnel auth: LNS sent a Challenge but no -S secret");
			return;
		}
		l2tp_challenge_response(L2TP_MSG_SCCCN, &l->sec, m->challenge.v, m->challenge.len,
					resp);
		have_resp = true;
	}
	l2tp_build_scccn(&out, have_resp ? resp : NULL);
	t->state = T_ESTABLISHED;
	t->t_up = lac_now();
	if (queue_msg(l, t, 0, &out, 0) < 0) {
		tunnel_gone(l, t, "SCCCN could not be sent");
		return;
	}
	start_pending(l, t);
}

static void on_icrp(struct lac *l, struct tunnel *t, struct session *s, const struct l2tp_msg *m)
{
	struct l2tp_msg out;
	struct l2tp_iccn_args a = {
		.tx_connect_speed = 100000000,
		.rx_connect_speed = 100000000,
		.framing_type = L2TP_FRAMING_SYNC,
	};

	if (!s || s->state != S_WAIT_ICRP) {
		l->rx_bad_ctl++;
		return;
	}
	if (!L2TP_HAS(m, L2TP_AVP_ASSIGNED_SESSION_ID) || m->assigned_sid == 0) {
		ctrl_session_down(l, s, L2TP_CDN_GENERAL_ERROR, "ICRP without Assigned Session ID");
		return;
	}
	s->psid = m->assigned_sid;
	l2tp_build_iccn(&out, &a);
	s->state = S_PPP;
	if (queue_msg(l, t, s->psid, &out, (uint32_t)(s - l->sess) + 1) < 0)
		ctrl_session_down(l, s, L2TP_CDN_GENERAL_ERROR, "ICCN could not be sent");
}

static void on_cdn(struct lac *l, struct tunnel *t, struct session *s, const struct l2tp_msg *m)
{
	char why[96];
	uint32_t i;

	/* The header's Session ID is ours; if the LNS put 0 there, find the
	 * call by the LNS's Assigned Session ID (§6.13). */
	if (!s && L2TP_HAS(m, L2TP_AVP_ASSIGNED_SESSION_ID))
		for (i = 0; i < t->nsess; i++)
			if (l->sess[t->first_sess + i].psid == m->assigned_sid) {
				s = &l->sess[t->first_sess + i];
				break;
			}
	if (!s) {
		l->rx_unknown_session++;
		return;
	}
	if (s->state == S_CLOSING) {
		/* both sides cleared the call at once: ours is still in flight */
		return;
	}
	fmt_result(why, sizeof why, "CDN", m);
	ctrl_session_down(l, s, 0, "%s", why);
}

void ctrl_rx(struct lac *l, struct tunnel *t, const struct sockaddr_in *from, const uint8_t *p,
	     size_t len)
{
	struct l2tp_hdr h;
	struct l2tp_msg m;
	struct session *s;
	int rc;

	rc = l2tp_hdr_decode(p, len, &h);
	if (rc < 0) {
		l->rx_bad_l2tp++;
		return;
	}
	if (from->sin_addr.s_addr != t->peer.sin_addr.s_addr) {
		l->rx_bad_l2tp++;
		return;
	}
	if (h.tid != t->ltid) {
		l->rx_unknown_tunnel++;
		return;
	}
	if (!h.ctrl) {
		s = tun_sess(l, t, h.sid);
		if (!s || (s->state != S_PPP && s->state != S_UP)) {
			l->rx_unknown_session++;
			return;
		}
		ppp_rx(l, s, p + h.hdr_len, h.payload_len);
		return;
	}
	if (t->state == T_CLOSED) {
		/* §5.7: keep acknowledging after the tunnel is gone so the
		 * LNS's retransmitted StopCCN is answered */
		t->nr = (uint16_t)(h.ns + (h.payload_len ? 1 : 0));
		send_zlb(l, t);
		return;
	}
	/* §8.1: the LNS may answer from another port; use it from then on */
	if (!t->peer_port_learnt) {
		t->peer.sin_port = from->sin_port;
		t->peer_port_learnt = true;
	}
	t->ctl_rx++;
	if (h.payload_len == 0) {
		acked(l, t, h.nr); /* ZLB: acknowledgement only */
		return;
	}
	if (h.ns != t->nr) {
		/* §5.8: a duplicate is re-acknowledged; a message from the
		 * future is dropped and will be retransmitted in order */
		if (seq_before(h.ns, t->nr))
			t->ack_pending = true;
		acked(l, t, h.nr);
		return;
	}
	/* in order: count it before releasing our queue, so whatever the
	 * window lets out now already acknowledges it */
	t->nr++;
	t->ack_pending = true;
	acked(l, t, h.nr);
	if (t->state == T_CLOSED)
		return;
	rc = l2tp_msg_decode(p + h.hdr_len, h.payload_len, l->sec.len ? &l->sec : NULL, &m);
	if (rc == L2TP_E_UNKNOWN_M) {
		/* §4.1: an unknown mandatory AVP ends the call or the tunnel */
		s = tun_sess(l, t, h.sid);
		if (s && h.sid) {
			ctrl_session_down(l, s, L2TP_CDN_GENERAL_ERROR,
					  "LNS sent unknown mandatory AVP %u", m.unknown_type);
		} else {
			ctrl_close_tunnel(l, t, L2TP_STOPCCN_GENERAL_ERROR, "unknown mandatory AVP");
			tunnel_gone(l, t, "LNS sent an unknown mandatory AVP");
		}
		return;
	}
	if (rc < 0) {
		lac_log(l, "tid=%u bad control message: %s", t->ltid, l2tp_strerror(rc));
		l->rx_bad_ctl++;
		return;
	}
	s = tun_sess(l, t, h.sid);
	switch (m.type) {
	case L2TP_MSG_SCCRP:
		on_sccrp(l, t, &m);
		break;
	case L2TP_MSG_STOPCCN: {
		char why[96];
		fmt_result(why, sizeof why, "StopCCN", &m);
		q_free(t);
		send_zlb(l, t);
		tunnel_gone(l, t, why);
		break;
	}
	case L2TP_MSG_HELLO:
		break; /* §6.5: acknowledged like any message */
	case L2TP_MSG_ICRP:
		on_icrp(l, t, s, &m);
		break;
	case L2TP_MSG_CDN:
		on_cdn(l, t, s, &m);
		break;
	case L2TP_MSG_WEN:
	case L2TP_MSG_SLI:
		break;
	default:
		/* SCCRQ, ICRQ, OCRQ...: a LAC does not take calls */
		lac_log(l, "tid=%u unexpected %s", t->ltid,
			l2tp_msg_name(m.type) ? l2tp_msg_name(m.type) : "?");
		l->rx_bad_ctl++;
		break;
	}
}

void ctrl_send_ppp(struct lac *l, struct session *s, uint16_t proto, const uint8_t *info,
		   size_t len)
{
	struct tunnel *t = &l->tun[s->tun];
	uint8_t *b = lac_tx_buf(l);
	int h = l2tp_data_hdr_encode(b, PKT_MAX, t->ptid, s->psid, false);

	if (h < 0 || (size_t)h + 4 + len > PKT_MAX)
		return;
	/* RFC 2661 §3.1 carries HDLC-like framing without flags/FCS: we send
	 * address/control and the full protocol field (RFC 1662 §3.2) */
	b[h] = 0xff;
	b[h + 1] = 0x03;
	be16_put(b + h + 2, proto);
	memcpy(b + h + 4, info, len);
	lac_tx_commit(l, t->fd, &t->peer, (size_t)h + 4 + len);
}
