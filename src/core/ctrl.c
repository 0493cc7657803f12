/*
 * L2TP control plane glue: finds or creates the tunnel of a control
 * datagram, runs the tunnel FSM (src/fsm/l2tp_tunnel.h) and the session FSM
 * of each routed call message (src/fsm/l2tp_session.h), and executes what
 * they decide: transmissions, timers, sessions up/down, frees.
 */
#include "core/lns.h"
#include "core/radius.h"
#include "core/plugin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *addr_str(const struct io_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (a->u.sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &a->u.in.sin_addr, ip, sizeof ip);
		port = ntohs(a->u.in.sin_port);
	} else if (a->u.sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &a->u.in6.sin6_addr, ip, sizeof ip);
		port = ntohs(a->u.in6.sin6_port);
	}
	snprintf(buf, len, "%s:%u", ip, port);
	return buf;
}

static void copy_str(char *dst, size_t cap, const uint8_t *v, size_t len)
{
	size_t n = len < cap - 1 ? len : cap - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (v[i] >= 0x20 && v[i] < 0x7f) ? (char)v[i] : '?';
	dst[n] = 0;
}

/* ---- transmissions ------------------------------------------------------ */

static void send_raw(struct lns *l, struct tunnel *t, const uint8_t *b, size_t len)
{
	struct pkt *p = lns_pkt(l);
	if (!p)
		return;
	uint8_t *d = pkt_put(p, (uint32_t)len);
	if (!d) {
		pkt_free(&l->pkts, p);
		return;
	}
	memcpy(d, b, len);
	p->peer = t->peer;
	p->local = t->local;
	lns_queue_udp(l, p);
}

static void tunnel_timer_cb(void *ctx, struct io_timer *tm, uint64_t now);
static void tunnel_handle(struct lns *l, struct tunnel *t, struct l2tp_tun_out *out);
static void session_handle(struct lns *l, struct tunnel *t, struct session *s,
			   struct l2tp_sess_out *so, const struct l2tp_msg *m);

/*
 * Put due control messages on the wire and re-arm the tunnel timer. The
 * poll may step the FSM (HELLO due, retransmissions exhausted, hold over),
 * which may queue more: loop until it has nothing left to say.
 */
void lns_tunnel_kick(struct lns *l, struct tunnel *t)
{
	for (int round = 0; round < 8 && t->r.state != TUN_FREE; round++) {
		struct l2tp_rel_tx tx;
		struct l2tp_tun_out out;
		uint64_t now = lns_now(l);
		memset(&out, 0, sizeof out);
		l2tp_tunnel_poll(&t->fsm, now, &tx, &out);
		for (unsigned i = 0; i < tx.n; i++)
			send_raw(l, t, tx.pkt[i].p, tx.pkt[i].len);
		if (tx.zlb)
			send_raw(l, t, tx.zlb_buf, sizeof tx.zlb_buf);
		if (!out.stepped) {
			if (tx.deadline == L2TP_NEVER)
				io_loop_timer_cancel(&l->loop, &t->timer);
			else
				io_loop_timer_arm(&l->loop, &t->timer, tx.deadline);
			return;
		}
		tunnel_handle(l, t, &out);
	}
	if (t->r.state != TUN_FREE)
		io_loop_timer_after(&l->loop, &t->timer, 10);
}

static void tunnel_timer_cb(void *ctx, struct io_timer *tm, uint64_t now)
{
	(void)tm;
	(void)now;
	struct tunnel *t = ctx;
	lns_tunnel_kick(t->lns, t);
	lns_flush(t->lns);
}

/* ---- tables --------------------------------------------------------------- */

static bool tid_used(void *ctx, uint16_t id)
{
	struct lns *l = ctx;
	return l->tid2t[id] != 0;
}

struct sid_ctx {
	struct lns *l;
	uint16_t tid;
};

static bool sid_used(void *ctx, uint16_t id)
{
	struct sid_ctx *c = ctx;
	uint32_t v;
	return iphash_get(&c->l->key2s, (uint32_t)c->tid << 16 | id, &v) == 0;
}

static struct tunnel *tunnel_new(struct lns *l, const struct pkt *p, const struct l2tp_peer *peer)
{
	if (!l->tfree)
		return NULL;
	uint8_t rnd[32];
	lns_random(l, rnd, sizeof rnd);
	int tid = l2tp_id_pick(tid_used, l, 65536, rnd, sizeof rnd);
	if (tid <= 0)
		return NULL;
	uint32_t idx = l->tfree;
	struct tunnel *t = &l->tunnels[idx];
	size_t need = l2tp_tunnel_mem_size(&l->tconf);
	if (!t->relmem || need > t->relmem_size) {
		free(t->relmem);
		t->relmem_size = 0;
		t->relmem = malloc(need);
		if (!t->relmem)
			return NULL;
		t->relmem_size = need;
	}
	if (l2tp_tunnel_init(&t->fsm, &l->tconf, (uint16_t)tid, peer, t->relmem, need, lns_now(l)) < 0)
		return NULL;
	l->tfree = t->fnext;
	memset(&t->r, 0, sizeof t->r);
	t->r.id = idx;
	t->r.tid = (uint16_t)tid;
	t->r.state = TUN_OPENING;
	t->r.opened = (uint64_t)time(NULL);
	t->peer = p->peer;
	t->local = p->local;
	t->shead = 0;
	t->lns = l;
	if (l->shutting_down) {
		t->fsm.refuse_result = L2TP_STOPCCN_SHUTDOWN;
	} else if (l->ntunnels + 1 >= l->max_tunnels) {
		t->fsm.refuse_result = L2TP_STOPCCN_GENERAL_ERROR;
		t->fsm.refuse_error = L2TP_ERR_RESOURCES;
	}
	timer_init(&t->timer, tunnel_timer_cb, t);
	l->tid2t[tid] = idx;
	l->ntunnels++;
	l->c.tunnel_created++;
	return t;
}


static void tunnel_free(struct lns *l, struct tunnel *t)
{
	char pa[64];
	while (t->shead) {
		/* the tunnel went away under its sessions */
		lns_session_cause(&l->sessions[t->shead], RADIUS_TERM_LOST_CARRIER);
		lns_session_free(l, &l->sessions[t->shead]);
	}
	io_loop_timer_cancel(&l->loop, &t->timer);
	LNS_LOG(l, LOG_INFO, "tid=%u tunnel freed peer=%s host=%s", t->r.tid,
		addr_str(&t->peer, pa, sizeof pa), t->r.hostname);
	l->tid2t[t->r.tid] = 0;
	t->r.state = TUN_FREE;
	t->fnext = l->tfree;
	l->tfree = t->r.id;
	l->ntunnels--;
	l->c.tunnel_freed++;
}

static uint32_t user_bucket(struct lns *l, const char *u)
{
	uint32_t h = 2166136261u;
	for (; *u; u++)
		h = (h ^ (uint8_t)*u) * 16777619u;
	return h & l->umask;
}

void lns_session_set_user(struct lns *l, struct session *s, const char *user)
{
	if (s->r.user[0]) {
		uint32_t *link = &l->ubucket[user_bucket(l, s->r.user)];
		while (*link && *link != s->r.id)
			link = &l->sessions[*link].unext;
		if (*link)
			*link = s->unext;
	}
	snprintf(s->r.user, sizeof s->r.user, "%s", user);
	s->unext = 0;
	if (user[0]) {
		uint32_t *head = &l->ubucket[user_bucket(l, user)];
		s->unext = *head;
		*head = s->r.id;
	}
}

uint32_t lns_session_first_of_user(struct lns *l, const char *user)
{
	return l->ubucket[user_bucket(l, user)];
}

static struct session *session_new(struct lns *l, struct tunnel *t)
{
	if ((!l->sfree && l->shwm >= l->max_sessions) || l->shutting_down)
		return NULL;
	uint8_t rnd[32];
	lns_random(l, rnd, sizeof rnd);
	struct sid_ctx sc = {l, t->r.tid};
	int sid = l2tp_id_pick(sid_used, &sc, 65536, rnd, sizeof rnd);
	if (sid <= 0)
		return NULL;
	uint32_t idx;
	if (l->sfree) {
		idx = l->sfree;
		l->sfree = l->sessions[idx].fnext;
	} else {
		idx = l->shwm++;
	}
	struct session *s = &l->sessions[idx];
	memset(&s->r, 0, sizeof s->r);
	memset(&s->ppp, 0, sizeof s->ppp);
	s->r.id = idx;
	s->r.tunnel = t->r.id;
	s->r.tid = t->r.tid;
	s->r.sid = (uint16_t)sid;
	s->r.state = SESS_CALL;
	s->r.pool_idx = -1;
	s->r.unique_id = ++l->next_unique;
	s->r.opened = (uint64_t)time(NULL);
	s->r.last_rx_ms = lns_now(l);
	s->unext = 0;
	s->lns = l;
	s->plugin_killed = false;
	l2tp_session_init(&s->l2s, t->r.tid, (uint16_t)sid);
	timer_init(&s->ppp_timer, lns_session_timer_cb, s);
	timer_init(&s->l2_timer, lns_session_timer_cb, s);
	timer_init(&s->pol_timer, lns_radius_policy_cb, s);
	s->rad_req = 0;
	s->up_ms = s->next_interim_ms = 0;
	/* link into the tunnel's list */
	s->tprev = 0;
	s->tnext = t->shead;
	if (t->shead)
		l->sessions[t->shead].tprev = idx;
	t->shead = idx;
	t->r.nsess++;
	iphash_put(&l->key2s, (uint32_t)t->r.tid << 16 | (uint32_t)sid, idx);
	l->nsessions++;
	l->c.session_created++;
	return s;
}

void lns_session_free(struct lns *l, struct session *s)
{
	if (s->r.state == SESS_FREE)
		return;
	LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s closed after %llus in=%llu/%llu out=%llu/%llu",
		s->r.tid, s->r.sid, s->r.user, (unsigned long long)(time(NULL) - (time_t)s->r.opened),
		(unsigned long long)s->r.cin, (unsigned long long)s->r.pin,
		(unsigned long long)s->r.cout, (unsigned long long)s->r.pout);
	/* no reason recorded: the LAC (or the user behind it) hung up */
	lns_session_cause(s, RADIUS_TERM_USER_REQUEST);
	if (!s->r.closed)
		s->r.closed = (uint64_t)time(NULL);
	lns_radius_acct_stop(l, s);
	lns_session_release(l, s);
	io_loop_timer_cancel(&l->loop, &s->ppp_timer);
	io_loop_timer_cancel(&l->loop, &s->l2_timer);
	if (s->early) {
		pkt_free(&l->pkts, s->early);
		s->early = NULL;
	}
	struct tunnel *t = &l->tunnels[s->r.tunnel];
	if (s->tprev)
		l->sessions[s->tprev].tnext = s->tnext;
	else
		t->shead = s->tnext;
	if (s->tnext)
		l->sessions[s->tnext].tprev = s->tprev;
	t->r.nsess--;
	iphash_del(&l->key2s, (uint32_t)s->r.tid << 16 | s->r.sid);
	lns_session_set_user(l, s, "");
	s->r.state = SESS_FREE;
	s->fnext = l->sfree;
	l->sfree = s->r.id;
	l->nsessions--;
	l->c.session_freed++;
}

/* ---- sessions --------------------------------------------------------------- */

static void arm_l2_timer(struct lns *l, struct session *s)
{
	if (s->l2s.timer_at && s->l2s.timer_at != L2TP_NEVER)
		io_loop_timer_arm(&l->loop, &s->l2_timer, s->l2s.timer_at);
	else
		io_loop_timer_cancel(&l->loop, &s->l2_timer);
}

static void session_handle(struct lns *l, struct tunnel *t, struct session *s,
			   struct l2tp_sess_out *so, const struct l2tp_msg *m)
{
	if (!so->stepped)
		return;
	if (so->act == L2TP_SA_SEND_ICRP && m) {
		s->r.peer_sid = s->l2s.peer_sid;
		if (L2TP_HAS(m, L2TP_AVP_CALLING_NUMBER))
			copy_str(s->r.calling, sizeof s->r.calling, m->calling_number.v,
				 m->calling_number.len);
		if (L2TP_HAS(m, L2TP_AVP_CALLED_NUMBER))
			copy_str(s->r.called, sizeof s->r.called, m->called_number.v,
				 m->called_number.len);
		LNS_LOG(l, LOG_INFO, "tid=%u sid=%u call from %s to %s", s->r.tid, s->r.sid,
			s->r.calling[0] ? s->r.calling : "*", s->r.called[0] ? s->r.called : "*");
	}
	if (so->up) {
		s->r.tx_speed = so->tx_speed;
		s->r.rx_speed = so->rx_speed;
		s->r.peer_sid = s->l2s.peer_sid;
		s->r.state = SESS_PPP;
		lns_ppp_start(l, s);
		if (s->early) {
			struct pkt *p = s->early;
			s->early = NULL;
			lns_ppp_frame(l, s, p, 0, p->len);
		}
	}
	if (so->down) {
		if (so->peer_initiated)
			LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s CDN from peer result=%u error=%u",
				s->r.tid, s->r.sid, s->r.user, so->result, so->error);
		else
			LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s session down result=%u error=%u",
				s->r.tid, s->r.sid, s->r.user, so->result, so->error);
		lns_session_release(l, s);
		s->r.state = SESS_CLOSING;
	}
	if (so->free || s->l2s.state == L2TP_SESS_DEAD) {
		lns_session_free(l, s);
		return;
	}
	arm_l2_timer(l, s);
	(void)t;
}

void lns_session_cause(struct session *s, uint8_t cause)
{
	if (!s->r.term_cause)
		s->r.term_cause = cause;
}

int lns_session_drop(struct lns *l, struct session *s, uint16_t result, const char *why)
{
	if (s->r.state == SESS_FREE || s->r.state == SESS_CLOSING)
		return 0;
	/* RFC 2866 §5.10 from the CDN result when the caller gave no reason */
	lns_session_cause(s, result == L2TP_CDN_ADMIN	      ? RADIUS_TERM_ADMIN_RESET
			     : result == L2TP_CDN_LOST_CARRIER ? RADIUS_TERM_LOST_CARRIER
							       : RADIUS_TERM_NAS_ERROR);
	/* KILL_SESSION first, while the session still has its address; a hook
	 * may itself have ended it */
	lns_plugin_kill_session(l, s);
	if (s->r.state == SESS_FREE || s->r.state == SESS_CLOSING)
		return 0;
	/* the session leaves service now: its accounting ends here, not when
	 * the slot is freed after the CDN exchange */
	if (!s->r.closed)
		s->r.closed = (uint64_t)time(NULL);
	lns_radius_acct_stop(l, s);
	struct tunnel *t = &l->tunnels[s->r.tunnel];
	struct l2tp_sess_cls c;
	struct l2tp_sess_out so;
	memset(&c, 0, sizeof c);
	memset(&so, 0, sizeof so);
	c.ev = L2TP_SEV_LOCAL_CLOSE;
	c.result = result;
	c.text = why;
	LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s dropping: %s", s->r.tid, s->r.sid, s->r.user,
		why ? why : "");
	l2tp_session_step(&s->l2s, &l->sconf, &t->fsm, L2TP_SEV_LOCAL_CLOSE, NULL, &c, lns_now(l),
			  &so);
	if (so.err == -ENOBUFS)
		return -ENOBUFS; /* the tunnel queue is full: retried by the caller */
	session_handle(l, t, s, &so, NULL);
	lns_tunnel_kick(l, t);
	return 0;
}

static void session_route(struct lns *l, struct tunnel *t, struct l2tp_tun_out *out)
{
	const struct l2tp_msg *m = out->msg;
	uint32_t idx;
	struct session *s = NULL;
	if (out->sid && iphash_get(&l->key2s, (uint32_t)t->r.tid << 16 | out->sid, &idx) == 0)
		s = &l->sessions[idx];
	uint16_t rr = 0, re = 0;
	if (!s) {
		int oa = l2tp_session_orphan(&t->fsm, out->sid, m);
		if (oa != L2TP_ORPHAN_NEW_CALL)
			return;
		s = session_new(l, t);
		if (!s) {
			/* refuse through a throw-away session so the CDN carries
			 * the right Assigned Session ID and codes */
			struct session tmp;
			struct l2tp_sess_cls c;
			struct l2tp_sess_out so;
			memset(&tmp, 0, sizeof tmp);
			l2tp_session_init(&tmp.l2s, t->r.tid, 0);
			rr = l->shutting_down ? L2TP_CDN_GENERAL_ERROR : L2TP_CDN_NO_FACILITIES_TEMP;
			re = l->shutting_down ? L2TP_ERR_TRY_ANOTHER : L2TP_ERR_RESOURCES;
			l2tp_session_classify(out->dec_err, m, rr, re, &c);
			l2tp_session_step(&tmp.l2s, &l->sconf, &t->fsm, c.ev, m, &c, lns_now(l), &so);
			l->c.session_refused++;
			return;
		}
	}
	struct l2tp_sess_cls c;
	struct l2tp_sess_out so;
	memset(&so, 0, sizeof so);
	l2tp_session_classify(out->dec_err, m, rr, re, &c);
	l2tp_session_step(&s->l2s, &l->sconf, &t->fsm, c.ev, m, &c, lns_now(l), &so);
	session_handle(l, t, s, &so, m);
}

static void tunnel_handle(struct lns *l, struct tunnel *t, struct l2tp_tun_out *out)
{
	char pa[64];
	if (!out->stepped)
		return;
	t->r.peer_tid = t->fsm.peer_tid;
	if (out->up) {
		t->r.state = TUN_OPEN;
		LNS_LOG(l, LOG_INFO, "tid=%u tunnel up peer=%s host=%s", t->r.tid,
			addr_str(&t->peer, pa, sizeof pa), t->r.hostname);
	}
	if (out->act == L2TP_TA_ROUTE && out->msg)
		session_route(l, t, out);
	if (out->down) {
		LNS_LOG(l, LOG_INFO, "tid=%u tunnel down reason=%u result=%u error=%u sessions=%u",
			t->r.tid, out->reason, out->result, out->error, t->r.nsess);
		t->r.state = TUN_CLOSING;
		/* every session on it ends, without a CDN (§5.7) */
		for (uint32_t i = t->shead, nx; i; i = nx) {
			struct session *s = &l->sessions[i];
			struct l2tp_sess_out so;
			nx = s->tnext;
			memset(&so, 0, sizeof so);
			l2tp_session_step(&s->l2s, &l->sconf, &t->fsm, L2TP_SEV_TUNNEL_DOWN, NULL, NULL,
					  lns_now(l), &so);
			/* RFC 2866 §5.10: the LAC cleared the tunnel (StopCCN):
			 * its users' request; it stopped answering: the
			 * carrier is lost; our own StopCCN: the cause was
			 * recorded by whoever decided it (Admin-Reset ...) */
			lns_session_cause(s, out->reason == L2TP_DOWN_PEER_STOPCCN
						     ? RADIUS_TERM_USER_REQUEST
						     : out->reason == L2TP_DOWN_LOCAL_STOPCCN
						     ? RADIUS_TERM_NAS_REQUEST
						     : RADIUS_TERM_LOST_CARRIER);
			lns_session_release(l, s);
			lns_session_free(l, s);
		}
	}
	if (out->free)
		tunnel_free(l, t);
}

static void tunnel_process(struct lns *l, struct tunnel *t)
{
	for (int i = 0; i < 64 && t->r.state != TUN_FREE; i++) {
		uint8_t rnd[16];
		struct l2tp_tun_out out;
		memset(&out, 0, sizeof out);
		lns_random(l, rnd, sizeof rnd);
		if (l2tp_tunnel_next(&t->fsm, lns_now(l), rnd, &l->scratch, &out) <= 0)
			break;
		tunnel_handle(l, t, &out);
	}
	if (t->r.state != TUN_FREE)
		lns_tunnel_kick(l, t);
}

static struct tunnel *find_sccrq_dup(struct lns *l, const struct l2tp_peer *peer, uint16_t atid)
{
	/* Only tunnels still waiting for SCCCN can receive a retransmitted
	 * SCCRQ addressed to Tunnel ID 0; there are few of those at a time. */
	for (uint32_t i = 1; i < l->max_tunnels; i++) {
		struct tunnel *t = &l->tunnels[i];
		if (t->r.state != TUN_FREE && l2tp_tunnel_is_sccrq_dup(&t->fsm, peer, atid))
			return t;
	}
	return NULL;
}

void lns_ctrl_input(struct lns *l, struct pkt *p, const struct l2tp_hdr *h)
{
	struct l2tp_peer peer;
	struct tunnel *t;
	char pa[64];
	lns_peer_of(&p->peer, &peer);
	l->c.udp_rx_ctrl++;
	if (h->tid == 0) {
		struct l2tp_secret sec = l->tconf.secret;
		int r = l2tp_msg_decode(p->data + h->hdr_len, h->payload_len, sec.len ? &sec : NULL,
					&l->scratch);
		if (l->scratch.type != L2TP_MSG_SCCRQ || !L2TP_HAS(&l->scratch, L2TP_AVP_ASSIGNED_TUNNEL_ID)) {
			/* §7.2: only SCCRQ may be sent to Tunnel ID 0 */
			l->c.ctrl_decode_err++;
			LNS_LOG(l, LOG_WARN, "control message type %u to tunnel 0 dropped (%s)",
				l->scratch.type, l2tp_strerror(r));
			pkt_free(&l->pkts, p);
			return;
		}
		t = find_sccrq_dup(l, &peer, l->scratch.assigned_tid);
		if (!t) {
			t = tunnel_new(l, p, &peer);
			if (!t) {
				l->c.ctrl_unknown_tunnel++;
				LNS_LOG(l, LOG_ERR, "no room for a new tunnel");
				pkt_free(&l->pkts, p);
				return;
			}
			const struct l2tp_msg *m = &l->scratch;
			if (L2TP_HAS(m, L2TP_AVP_HOST_NAME))
				copy_str(t->r.hostname, sizeof t->r.hostname, m->host_name.v,
					 m->host_name.len);
			if (L2TP_HAS(m, L2TP_AVP_VENDOR_NAME))
				copy_str(t->r.vendor, sizeof t->r.vendor, m->vendor_name.v,
					 m->vendor_name.len);
			LNS_LOG(l, LOG_INFO, "tid=%u SCCRQ from %s host=%s peer_tid=%u", t->r.tid,
				addr_str(&t->peer, pa, sizeof pa), t->r.hostname, m->assigned_tid);
		}
	} else {
		t = lns_tunnel_by_tid(l, h->tid);
		if (!t) {
			l->c.ctrl_unknown_tunnel++;
			pkt_free(&l->pkts, p);
			return;
		}
		if (!l2tp_peer_eq(&peer, &t->fsm.peer)) {
			l->c.ctrl_peer_mismatch++;
			pkt_free(&l->pkts, p);
			return;
		}
	}
	l2tp_tunnel_input(&t->fsm, p->data, p->len, h, lns_now(l));
	pkt_free(&l->pkts, p);
	tunnel_process(l, t);
}

int lns_tunnel_drop(struct lns *l, struct tunnel *t, uint16_t result, const char *why)
{
	struct l2tp_tun_out out;
	memset(&out, 0, sizeof out);
	LNS_LOG(l, LOG_INFO, "tid=%u dropping tunnel: %s", t->r.tid, why ? why : "");
	for (uint32_t i = t->shead; i; i = l->sessions[i].tnext)
		lns_session_cause(&l->sessions[i], RADIUS_TERM_ADMIN_RESET);
	int r = l2tp_tunnel_close(&t->fsm, result, 0, why, lns_now(l), &out);
	tunnel_handle(l, t, &out);
	if (t->r.state != TUN_FREE)
		lns_tunnel_kick(l, t);
	return r;
}

/*
 * SIGQUIT: a CDN for every session, then a StopCCN for every tunnel, paced
 * by each tunnel's transmit window (a tunnel with a thousand sessions cannot
 * queue a thousand CDNs at once); exit when every StopCCN is acknowledged or
 * the deadline passes.
 */
static void shutdown_step(void *ctx, struct io_timer *tm, uint64_t now)
{
	struct lns *l = ctx;
	(void)tm;
	bool busy = false;
	for (uint32_t i = 1; i < l->max_tunnels; i++) {
		struct tunnel *t = &l->tunnels[i];
		if (t->r.state == TUN_FREE)
			continue;
		if (t->r.state == TUN_CLOSING) {
			if (l2tp_rel_unacked(&t->fsm.rel))
				busy = true;
			continue;
		}
		busy = true;
		uint32_t nx;
		for (uint32_t s = t->shead; s && l2tp_rel_tx_free(&t->fsm.rel) > 2; s = nx) {
			nx = l->sessions[s].tnext;
			lns_session_cause(&l->sessions[s], RADIUS_TERM_ADMIN_REBOOT);
			lns_session_drop(l, &l->sessions[s], L2TP_CDN_ADMIN, "shutdown");
		}
		bool live = false;
		for (uint32_t s = t->shead; s; s = l->sessions[s].tnext)
			if (l->sessions[s].r.state != SESS_CLOSING)
				live = true;
		if (!live && l2tp_rel_unacked(&t->fsm.rel) == 0)
			lns_tunnel_drop(l, t, L2TP_STOPCCN_SHUTDOWN, "shutting down");
	}
	/* every session is gone: Accounting-Off, then wait (bounded) until the
	 * server has acknowledged the Stops */
	if (!busy && rad_enabled(l) && l->cfg->radius_accounting) {
		if (!l->acct_off_sent) {
			l->acct_off_sent = true;
			lns_radius_acct_onoff(l, RADIUS_ACCT_OFF);
			l->acct_off_deadline = now + (uint64_t)l->cfg->radius_shutdown_wait * 1000;
			if (l->shutdown_deadline < l->acct_off_deadline)
				l->shutdown_deadline = l->acct_off_deadline;
		}
		if (rad_acct_outstanding(l) && now < l->acct_off_deadline)
			busy = true;
		else if (rad_acct_outstanding(l))
			LNS_LOG(l, LOG_ERR, "radius: %u accounting records unacknowledged at exit",
				rad_acct_outstanding(l));
	}
	lns_flush(l);
	if (!busy || now >= l->shutdown_deadline) {
		LNS_LOG(l, LOG_INFO, "shutdown complete%s", busy ? " (deadline reached)" : "");
		io_loop_stop(&l->loop, 0);
		return;
	}
	io_loop_timer_after(&l->loop, &l->shutdown_timer, 20);
}

void lns_shutdown(struct lns *l)
{
	if (l->shutting_down)
		return;
	l->shutting_down = true;
	l->shutdown_deadline = lns_now(l) + 30000;
	LNS_LOG(l, LOG_INFO, "shutting down: %u sessions, %u tunnels", l->nsessions, l->ntunnels);
	timer_init(&l->shutdown_timer, shutdown_step, l);
	shutdown_step(l, &l->shutdown_timer, lns_now(l));
}
