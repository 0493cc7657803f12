/*
 * PPP glue: runs a session's PPP link (src/fsm/ppp_link.h) and executes its
 * actions: frames to the LAC, the session timer, authentication against the
 * local users file with address assignment, network layer up/down.
 */
#include "core/lns.h"
#include "core/plugin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "codec/buf.h"
#include "codec/ipv6.h"
#include "codec/l2tp.h"
#include "codec/ppp.h"
#include "core/radius.h"

void lns_ppp_ctx(struct lns *l, struct ppp_ctx *x)
{
	x->conf = &l->pconf;
	x->now_ms = lns_now(l);
	lns_random(l, x->rnd, sizeof x->rnd);
}

static const char *ip_str(uint32_t a, char *buf)
{
	struct in_addr in = {htonl(a)};
	inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
	return buf;
}

/* A PPP frame to the LAC: L2TP data header, ff 03, the protocol in two
 * octets. We never compress even when the peer allows it (RFC 1661 §6.5/6.6
 * make compression an option of the sender). */
static void send_ppp(struct lns *l, struct session *s, uint16_t proto, const uint8_t *d, size_t len)
{
	struct tunnel *t = &l->tunnels[s->r.tunnel];
	struct pkt *p = lns_pkt(l);
	if (!p)
		return;
	uint8_t *h = pkt_put(p, (uint32_t)(10 + len));
	if (!h) {
		pkt_free(&l->pkts, p);
		return;
	}
	/* RFC 2661 §5.4: the P bit asks the LAC to favour the message; the
	 * original set it on LCP echo requests so keepalives survive congestion. */
	bool prio = proto == PPP_PROTO_LCP && len && d[0] == 9;
	l2tp_data_hdr_encode(h, 6, t->r.peer_tid, s->r.peer_sid, prio);
	h[6] = 0xff;
	h[7] = 0x03;
	be16_put(h + 8, proto);
	memcpy(h + 10, d, len);
	p->peer = t->peer;
	p->local = t->local;
	lns_queue_udp(l, p);
}

static bool in_routed_range(struct lns *l, uint32_t ip)
{
	for (size_t i = 0; i < l->poolfile.n; i++) {
		const struct poolfile_range *r = &l->poolfile.r[i];
		if (!r->is_range)
			continue;
		uint32_t mask = r->prefix ? ~0u << (32 - r->prefix) : 0;
		if ((ip & mask) == r->start)
			return true;
	}
	return false;
}

static void route_session(struct lns *l, struct session *s, bool add)
{
	if (l->tun_fd < 0 || !s->r.ip)
		return;
	uint32_t a = htonl(s->r.ip);
	int r = add ? io_nl_route_add(&l->nl, AF_INET, &a, 32, l->tun_ifindex)
		    : io_nl_route_del(&l->nl, AF_INET, &a, 32, l->tun_ifindex);
	if (r < 0) {
		char b[INET_ADDRSTRLEN];
		LNS_LOG(l, LOG_ERR, "sid=%u route %s %s/32: %s", s->r.id, add ? "add" : "del",
			ip_str(s->r.ip, b), strerror(-r));
	}
}

static uint32_t plen_mask(uint8_t plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

void lns_session_routes(struct lns *l, struct session *s, bool add)
{
	char b[INET_ADDRSTRLEN];
	for (unsigned i = 0; i < s->r.nroutes; i++) {
		uint32_t net = s->r.route[i].net;
		uint8_t plen = s->r.route[i].plen;
		struct iphash *h = &l->rt[plen];
		uint32_t cur;
		if (add) {
			if (!h->slots && iphash_init(h, l->max_sessions < 1024 ? 1024
							: l->max_sessions) < 0)
				continue;
			if (iphash_get(h, net, &cur) == 0 && cur != s->r.id) {
				LNS_LOG(l, LOG_WARN, "sid=%u Framed-Route %s/%u already routed to sid=%u",
					s->r.id, ip_str(net, b), plen, cur);
				continue;
			}
			if (iphash_put(h, net, s->r.id) == 0)
				l->rt_count[plen]++;
		} else {
			if (!h->slots || iphash_get(h, net, &cur) < 0 || cur != s->r.id)
				continue;
			iphash_del(h, net);
			l->rt_count[plen]--;
		}
		if (l->tun_fd < 0)
			continue;
		uint32_t a = htonl(net);
		int r = add ? io_nl_route_add(&l->nl, AF_INET, &a, plen, l->tun_ifindex)
			    : io_nl_route_del(&l->nl, AF_INET, &a, plen, l->tun_ifindex);
		if (r < 0)
			LNS_LOG(l, LOG_ERR, "sid=%u route %s %s/%u: %s", s->r.id, add ? "add" : "del",
				ip_str(net, b), plen, strerror(-r));
	}
}

int lns_route_lookup(const struct lns *l, uint32_t ip, uint32_t *sid)
{
	for (int plen = 32; plen >= 1; plen--)
		if (l->rt_count[plen] && iphash_get(&l->rt[plen], ip & plen_mask((uint8_t)plen), sid) == 0)
			return 0;
	return -ENOENT;
}

/* RFC 4861 §6.2.4/§6.2.6: advertise the /64 when IPV6CP opens and in answer
 * to a Router Solicitation, so the subscriber autoconfigures prefix::ifid. */
void lns_send_ra(struct lns *l, struct session *s, const uint8_t dst[16])
{
	struct ipv6_ra ra;
	uint8_t b[128];
	memset(&ra, 0, sizeof ra);
	memcpy(ra.src, l->our_ll, 16);
	memcpy(ra.dst, dst, 16);
	memcpy(ra.prefix, l->v6prefix, 16);
	ra.prefix_len = 64;
	ra.valid_lifetime = 86400;
	ra.preferred_lifetime = 14400;
	ra.router_lifetime = 1800;
	ra.mtu = (uint32_t)config_ppp_mru(l->cfg);
	int n = ipv6_build_ra(b, sizeof b, &ra);
	if (n > 0)
		send_ppp(l, s, PPP_PROTO_IPV6, b, (size_t)n);
}

static void ipv6_down(struct lns *l, struct session *s)
{
	uint32_t v;
	if (!s->r.ipv6_up)
		return;
	uint32_t k = lns_ifid_key(s->r.ifid);
	if (iphash_get(&l->ifid2s, k, &v) == 0 && v == s->r.id)
		iphash_del(&l->ifid2s, k);
	s->r.ipv6_up = false;
}

void lns_session_release(struct lns *l, struct session *s)
{
	/* every way a session ends passes here: KILL_SESSION for those that did
	 * not start with lns_session_drop (CDN from the LAC, tunnel down) */
	lns_plugin_kill_session(l, s);
	ipv6_down(l, s);
	if (s->r.ipv4_up) {
		iphash_del(&l->ip2s, s->r.ip);
		s->r.ipv4_up = false;
	}
	lns_session_routes(l, s, false);
	s->r.nroutes = 0;
	if (s->r.ip) {
		if (s->r.ip_routed)
			route_session(l, s, false);
		if (s->r.pool_idx >= 0)
			pool_release(&l->pool, (uint32_t)s->r.pool_idx, (uint32_t)time(NULL));
		s->r.ip = 0;
		s->r.pool_idx = -1;
		s->r.ip_routed = false;
	}
	io_loop_timer_cancel(&l->loop, &s->ppp_timer);
}

/* Map why PPP ended onto the CDN Result Code (RFC 2661 §4.4.2). */
static uint16_t cdn_result_of(uint8_t reason)
{
	switch (reason) {
	case PPP_DOWN_PEER_TERMINATE:
		return L2TP_CDN_LOST_CARRIER;
	case PPP_DOWN_ADMIN:
		return L2TP_CDN_ADMIN;
	default:
		return L2TP_CDN_GENERAL_ERROR;
	}
}

/* Why PPP ended, as an Acct-Terminate-Cause (RFC 2866 §5.10). */
static uint8_t term_cause_of(uint8_t reason)
{
	switch (reason) {
	case PPP_DOWN_PEER_TERMINATE:
		return RADIUS_TERM_USER_REQUEST;
	case PPP_DOWN_ECHO_TIMEOUT:
		return RADIUS_TERM_LOST_CARRIER;
	case PPP_DOWN_AUTH_FAILED:
	case PPP_DOWN_AUTH_TIMEOUT:
		return RADIUS_TERM_USER_ERROR;
	case PPP_DOWN_ADMIN:
		return RADIUS_TERM_ADMIN_RESET;
	default:
		return RADIUS_TERM_PORT_ERROR;	/* negotiation failed */
	}
}

static bool check_password(const struct ppp_user *u, const struct ppp_act *a, const uint8_t *buf,
			   uint8_t chap_id, bool chap, const char *pap_pass)
{
	if (!u)
		return false;
	const uint8_t *pw = buf + a->pass_off;
	size_t plen = strlen(u->pass);
	if (!chap)
		return pap_pass && plen == strlen(pap_pass) && buf_ct_equal(u->pass, pap_pass, plen);
	return ppp_chap_md5_check(chap_id, u->pass, plen, a->challenge, PPP_CHAP_CHALLENGE_LEN, pw,
				  a->pass_len);
}

/* The verdict, from the users file or RADIUS: duplicate-user policy,
 * address assignment, PPP's answer. */
void lns_auth_finish(struct lns *l, struct session *s, bool accept, uint32_t ip,
		     const uint32_t dns[2], const char *how)
{
	char b[INET_ADDRSTRLEN];
	const char *user = s->r.user;
	struct ppp_verdict v;
	memset(&v, 0, sizeof v);
	v.accept = accept;
	if (s->r.state != SESS_PPP || !s->ppp.auth_pending)
		return;	/* the session moved on while the verdict was awaited */
	/* ---- plugins: POST_AUTH may flip the verdict (core/plugin.h) */
	lns_plugin_post_auth(l, s, user,
			     s->ppp.auth_used == PPP_AUTH_CHAP ? PPP_PROTO_CHAP : PPP_PROTO_PAP,
			     &v.accept);
	if (s->r.state != SESS_PPP)
		return;	/* a hook ended the session */
	if (v.accept) {
		/* A new login drops older sessions of the same user unless
		 * duplicates are allowed (allow_duplicate_users, guest_account). */
		if (!l->cfg->allow_duplicate_users && !config_is_guest(l->cfg, user)) {
			for (uint32_t i = lns_session_first_of_user(l, user), nx; i; i = nx) {
				struct session *o2 = &l->sessions[i];
				nx = o2->unext;
				if (o2 != s && !strcmp(o2->r.user, user)) {
					lns_session_cause(o2, RADIUS_TERM_PORT_PREEMPTED);
					lns_session_drop(l, o2, L2TP_CDN_ADMIN, "duplicate login");
				}
			}
		}
		if (ip) {
			s->r.ip = ip;
			s->r.pool_idx = pool_take(&l->pool, ip, user, s->r.id);
			if (s->r.pool_idx < 0)
				s->r.pool_idx = -1;
			uint32_t other;
			if (!l->cfg->allow_duplicate_ip && iphash_get(&l->ip2s, ip, &other) == 0 &&
			    other != s->r.id) {
				lns_session_cause(&l->sessions[other], RADIUS_TERM_PORT_PREEMPTED);
				lns_session_drop(l, &l->sessions[other], L2TP_CDN_ADMIN,
						 "address taken by a new login");
			}
		} else {
			int idx = pool_alloc(&l->pool, user, s->r.id);
			if (idx < 0) {
				l->c.ip_exhausted++;
				LNS_LOG(l, LOG_ERR, "tid=%u sid=%u user=%s no free address in the pool",
					s->r.tid, s->r.sid, user);
				v.accept = false;
			} else {
				s->r.pool_idx = idx;
				s->r.ip = l->pool.e[idx].addr;
			}
		}
	}
	if (v.accept) {
		s->r.ip_routed = !in_routed_range(l, s->r.ip);
		if (s->r.ip_routed)
			route_session(l, s, true);
		lns_session_routes(l, s, true);
		v.ipv4 = s->r.ip;
		if (dns) {
			v.dns[0] = dns[0];
			v.dns[1] = dns[1];
		}
		l->c.auth_ok++;
		LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s %s ok ip=%s", s->r.tid, s->r.sid, user,
			how, ip_str(s->r.ip, b));
	} else {
		l->c.auth_fail++;
		lns_session_cause(s, RADIUS_TERM_USER_ERROR);
		LNS_LOG(l, LOG_WARN, "tid=%u sid=%u user=%s %s rejected", s->r.tid, s->r.sid, user,
			how);
	}
	struct ppp_ctx x;
	static struct ppp_out vo; /* not reentrant: a verdict never asks for another */
	lns_ppp_ctx(l, &x);
	ppp_out_reset(&vo);
	ppp_link_auth_verdict(&s->ppp, &x, &v, &vo);
	lns_ppp_run(l, s, &vo);
}

/* PPP asks for a verdict: RADIUS when configured, else the users file. */
static void authenticate(struct lns *l, struct session *s, const struct ppp_act *a,
			 const struct ppp_out *o)
{
	char user[LNS_USER_MAX];
	size_t ulen = a->user_len < sizeof user - 1 ? a->user_len : sizeof user - 1;
	memcpy(user, o->buf + a->user_off, ulen);
	user[ulen] = 0;
	bool chap = a->type == PPP_OUT_AUTH_CHAP;
	/* ---- plugins: PRE_AUTH (core/plugin.h) may rewrite the user name and
	 * the PAP password, or abandon the request. A PAP password holding a
	 * NUL octet cannot be compared as a string: it is refused. */
	char pass[256] = "";	/* RFC 1334 §2.2.1: Passwd-Length is one octet */
	bool pw_ok = chap || !memchr(o->buf + a->pass_off, 0, a->pass_len);
	if (!chap && pw_ok)
		memcpy(pass, o->buf + a->pass_off, a->pass_len < 255 ? a->pass_len : 255);
	bool cont = true;
	lns_plugin_pre_auth(l, s, user, sizeof user, pass, chap ? 0 : sizeof pass,
			    chap ? PPP_PROTO_CHAP : PPP_PROTO_PAP, &cont);
	if (!cont) {
		LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s authentication abandoned by a plugin",
			s->r.tid, s->r.sid, user);
		return;
	}
	if (s->r.state != SESS_PPP)
		return;	/* a hook ended the session */
	lns_session_set_user(l, s, user);
	if (!pw_ok) {
		lns_auth_finish(l, s, false, 0, NULL, "PAP (NUL in password)");
		return;
	}
	if (rad_enabled(l)) {
		const uint8_t *pw = chap ? o->buf + a->pass_off : (const uint8_t *)pass;
		size_t pwlen = chap ? a->pass_len : strlen(pass);
		if (lns_radius_auth(l, s, user, pw, pwlen, chap, a->chap_id, a->challenge) == 0)
			return;	/* the verdict comes with the answer */
		lns_auth_finish(l, s, false, 0, NULL, "RADIUS (no request possible)");
		return;
	}
	const struct ppp_user *u = ppp_users_find(&l->users, user);
	bool ok = check_password(u, a, o->buf, a->chap_id, chap, pass);
	/* no u: a POST_AUTH plugin may still accept: the pool gives the address */
	lns_auth_finish(l, s, ok, ok && u ? u->addr : 0, NULL, chap ? "CHAP" : "PAP");
}

void lns_ppp_run(struct lns *l, struct session *s, struct ppp_out *o)
{
	char b[INET_ADDRSTRLEN];
	for (unsigned i = 0; i < o->n; i++) {
		const struct ppp_act *a = &o->a[i];
		if (s->r.state == SESS_FREE)
			return;
		switch (a->type) {
		case PPP_OUT_SEND:
			send_ppp(l, s, a->proto, o->buf + a->off, a->len);
			break;
		case PPP_OUT_TIMER:
			if (a->at_ms)
				io_loop_timer_arm(&l->loop, &s->ppp_timer, a->at_ms);
			else
				io_loop_timer_cancel(&l->loop, &s->ppp_timer);
			break;
		case PPP_OUT_AUTH_PAP:
		case PPP_OUT_AUTH_CHAP:
			if (s->r.state == SESS_PPP)
				authenticate(l, s, a, o);
			break;
		case PPP_OUT_IPV4_UP:
			if (!s->r.ip || s->r.state != SESS_PPP)
				break;
			s->r.ipv4_up = true;
			s->r.state = SESS_UP;
			s->r.dns[0] = a->dns[0];
			s->r.dns[1] = a->dns[1];
			s->r.mru = s->ppp.peer_mru;
			iphash_put(&l->ip2s, s->r.ip, s->r.id);
			s->up_ms = lns_now(l);
			LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s session up ip=%s", s->r.tid,
				s->r.sid, s->r.user, ip_str(s->r.ip, b));
			lns_radius_acct_start(l, s);
			lns_radius_policy_arm(l, s);
			lns_plugin_new_session(l, s);
			break;
		case PPP_OUT_IPV4_DOWN:
			if (s->r.ipv4_up) {
				iphash_del(&l->ip2s, s->r.ip);
				s->r.ipv4_up = false;
				if (s->r.state == SESS_UP)
					s->r.state = SESS_PPP;
			}
			break;
		case PPP_OUT_IPV6_UP: {
			uint32_t other, k = lns_ifid_key(a->ifid);
			if (!l->ipv6)
				break;
			if (iphash_get(&l->ifid2s, k, &other) == 0 && other != s->r.id) {
				/* two sessions with colliding identifiers: the later
				 * one gets no global IPv6 rather than a hijack */
				LNS_LOG(l, LOG_WARN, "sid=%u interface identifier collides with sid=%u",
					s->r.id, other);
				break;
			}
			memcpy(s->r.ifid, a->ifid, 8);
			s->r.ipv6_up = true;
			iphash_put(&l->ifid2s, k, s->r.id);
			uint8_t ll[16] = {0xfe, 0x80};
			memcpy(ll + 8, a->ifid, 8);
			lns_send_ra(l, s, ll);
			LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s ipv6 up", s->r.tid, s->r.sid,
				s->r.user);
			break;
		}
		case PPP_OUT_IPV6_DOWN:
			ipv6_down(l, s);
			break;
		case PPP_OUT_LINK_DOWN:
			LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s ppp down: %s", s->r.tid, s->r.sid,
				s->r.user, ppp_down_reason_name(a->reason));
			lns_session_cause(s, term_cause_of(a->reason));
			lns_session_drop(l, s, cdn_result_of(a->reason), ppp_down_reason_name(a->reason));
			break;
		default:
			break;
		}
	}
	if (o->overflow)
		LNS_LOG(l, LOG_ERR, "sid=%u ppp output overflow", s->r.id);
	s->r.ppp_phase = s->ppp.phase;
}

void lns_ppp_start(struct lns *l, struct session *s)
{
	struct ppp_ctx x;
	lns_ppp_ctx(l, &x);
	ppp_out_reset(&l->pout);
	ppp_link_start(&s->ppp, &x, &l->pout);
	lns_ppp_run(l, s, &l->pout);
}

void lns_ppp_input(struct lns *l, struct session *s, const uint8_t *frame, size_t len,
		   struct pkt *p, size_t ip_off)
{
	struct ppp_ctx x;
	lns_ppp_ctx(l, &x);
	ppp_out_reset(&l->pout);
	int r = ppp_link_input(&s->ppp, &x, frame, len, &l->pout);
	lns_ppp_run(l, s, &l->pout);
	if (r == PPP_RX_DELIVER && ip_off < p->len) {
		uint8_t v = p->data[ip_off] >> 4;
		if (v == 4 && s->r.ipv4_up) {
			lns_data_up(l, s, p, ip_off);
			return;
		}
		if (v == 6 && s->r.ipv6_up) {
			lns_data_up6(l, s, p, ip_off);
			return;
		}
	}
	if (r < 0 || r == PPP_RX_DROP)
		l->c.data_bad_ppp++;
	pkt_free(&l->pkts, p);
}

void lns_session_timer_cb(void *ctx, struct io_timer *t, uint64_t now)
{
	struct session *s = ctx;
	struct lns *l = s->lns;
	if (s->r.state == SESS_FREE)
		return;
	if (t == &s->l2_timer) {
		struct tunnel *tu = &l->tunnels[s->r.tunnel];
		struct l2tp_sess_out so;
		memset(&so, 0, sizeof so);
		l2tp_session_timer(&s->l2s, &l->sconf, &tu->fsm, now, &so);
		if (so.stepped) {
			if (so.down) {
				lns_session_release(l, s);
				s->r.state = SESS_CLOSING;
			}
			if (so.free || s->l2s.state == L2TP_SESS_DEAD) {
				lns_session_free(l, s);
			} else if (s->l2s.timer_at && s->l2s.timer_at != L2TP_NEVER) {
				io_loop_timer_arm(&l->loop, &s->l2_timer, s->l2s.timer_at);
			}
			lns_tunnel_kick(l, tu);
		} else if (s->l2s.timer_at && s->l2s.timer_at != L2TP_NEVER) {
			io_loop_timer_arm(&l->loop, &s->l2_timer, s->l2s.timer_at);
		}
	} else {
		struct ppp_ctx x;
		lns_ppp_ctx(l, &x);
		ppp_out_reset(&l->pout);
		ppp_link_tick(&s->ppp, &x, &l->pout);
		lns_ppp_run(l, s, &l->pout);
	}
	lns_flush(l);
}
