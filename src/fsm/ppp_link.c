/*
 * Link phases (RFC 1661 §3.2-3.7), protocol dispatch, LCP echo keepalive
 * and the single session timer.
 */
#include <errno.h>
#include <string.h>

#include "fsm/ppp_priv.h"

/* ---- configuration ---- */

void ppp_conf_default(struct ppp_conf *c)
{
	static const struct ppp_fsm_conf fsm = PPP_FSM_CONF_DEFAULT;
	memset(c, 0, sizeof *c);
	c->fsm = fsm;
	c->l2tp_mtu = 1500;
	c->min_peer_mru = 576;
	c->auth[0] = PPP_AUTH_PAP; /* radius_authtypes "pap" */
	c->n_auth = 1;
	c->keepalive = true;
	c->echo_interval_ms = 10000;
	c->idle_timeout_ms = 240000;
	memcpy(c->name, "l2tpns", 7);
}

uint16_t ppp_our_mru(uint16_t l2tp_mtu)
{
	unsigned mtu = l2tp_mtu ? l2tp_mtu : 1500;
	if (mtu < 576)
		mtu = 576;
	if (mtu > 2600)
		mtu = 2600;
	unsigned mru = mtu - 38;
	return (uint16_t)(mru < 1492 ? mru : 1492);
}

/* ---- output ---- */

void ppp_out_reset(struct ppp_out *o)
{
	o->n = 0;
	o->used = 0;
	o->overflow = false;
}

void pl_out_begin(struct ppp_out *o, struct wr *w)
{
	wr_init(w, o->buf + o->used, sizeof o->buf - o->used);
}

struct ppp_act *pl_out_add(struct ppp_out *o, uint8_t type)
{
	if (o->n >= PPP_OUT_MAX) {
		o->overflow = true;
		return NULL;
	}
	struct ppp_act *a = &o->a[o->n++];
	memset(a, 0, sizeof *a);
	a->type = type;
	return a;
}

int pl_out_send(struct ppp_out *o, uint16_t proto, struct wr *w)
{
	if (w->err || w->off == 0) {
		o->overflow = true;
		return -ENOSPC;
	}
	struct ppp_act *a = pl_out_add(o, PPP_OUT_SEND);
	if (!a)
		return -ENOSPC;
	a->proto = proto;
	a->off = (uint16_t)o->used;
	a->len = (uint16_t)w->off;
	o->used += w->off;
	return 0;
}

int pl_out_store(struct ppp_out *o, const void *p, size_t len)
{
	if (len > sizeof o->buf - o->used) {
		o->overflow = true;
		return -ENOSPC;
	}
	size_t at = o->used;
	if (len)
		memcpy(o->buf + at, p, len);
	o->used += len;
	return (int)at;
}

uint32_t pl_rnd_u32(const struct ppp_ctx *x, unsigned at)
{
	if (at > PPP_RAND_LEN - 4)
		at = 0;
	uint32_t v = be32_get(x->rnd + at);
	return v ? v : 0x1d2c3b4a; /* §6.4: zero is not a Magic-Number */
}

/* ---- phases ---- */

void pl_link_down_action(struct ppp_link *l, enum ppp_down_reason why, struct ppp_out *o)
{
	l->phase = PPP_PHASE_DEAD;
	if (l->down_sent)
		return;
	l->down_sent = true;
	struct ppp_act *a = pl_out_add(o, PPP_OUT_LINK_DOWN);
	if (a)
		a->reason = (uint8_t)why;
}

void pl_link_fail(struct ppp_link *l, const struct ppp_ctx *x, enum ppp_down_reason why, struct ppp_out *o)
{
	if (l->phase == PPP_PHASE_DEAD || l->phase == PPP_PHASE_TERMINATE)
		return;
	l->down_reason = (uint8_t)why;
	l->phase = PPP_PHASE_TERMINATE;
	l->auth_deadline = 0;
	/* §3.7: LCP Close sends Terminate-Request; the link is down once LCP
	 * has finished (tlf). From a state with nothing to terminate the
	 * link is down at once. */
	(void)pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_CLOSE, NULL, o);
	uint8_t st = l->cp[PPP_CPI_LCP].fsm.state;
	if (st != PPP_ST_CLOSING && st != PPP_ST_STOPPING)
		pl_link_down_action(l, why, o);
}

void pl_link_network(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	l->phase = PPP_PHASE_NETWORK;
	l->auth_deadline = 0;
	(void)pl_cp_event(l, PPP_CPI_IPCP, x, PPP_EV_OPEN, NULL, o);
	(void)pl_cp_event(l, PPP_CPI_IPCP, x, PPP_EV_UP, NULL, o);
	if (x->conf->ipv6) {
		(void)pl_cp_event(l, PPP_CPI_IPV6CP, x, PPP_EV_OPEN, NULL, o);
		(void)pl_cp_event(l, PPP_CPI_IPV6CP, x, PPP_EV_UP, NULL, o);
	}
	/* CCP waits for the peer: we have nothing to propose. */
	(void)pl_cp_event(l, PPP_CPI_CCP, x, PPP_EV_UP, NULL, o);
	pl_cp_open_passive(l, PPP_CPI_CCP);
}

static void ncps_down(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	for (int i = PPP_CPI_IPCP; i < PPP_CPI_COUNT; i++) {
		struct ppp_cpi *cp = &l->cp[i];
		(void)pl_cp_event(l, i, x, PPP_EV_DOWN, NULL, o);
		/* Back to Initial so a later Network phase starts clean. */
		if (cp->fsm.state == PPP_ST_STARTING)
			(void)pl_cp_event(l, i, x, PPP_EV_CLOSE, NULL, o);
		cp->deadline = 0;
		cp->passive = false;
	}
}

void pl_link_lcp_layer(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o, uint8_t action,
		    uint8_t ev, uint8_t from)
{
	switch (action) {
	case PPP_A_TLU:
		/* §3.4/§3.5: Authenticate phase when we asked for a
		 * protocol, else straight to Network. */
		l->last_echo = x->now_ms;
		l->loops = 0;
		if (l->auth != PPP_AUTH_NONE)
			pl_auth_start(l, x, o);
		else
			pl_link_network(l, x, o);
		break;
	case PPP_A_TLD:
		/* LCP left Opened: every NCP goes Down, authentication must
		 * be done again after renegotiation (§3.5). */
		ncps_down(l, x, o);
		l->auth_pending = false;
		l->auth_done = false;
		l->auth_deadline = 0;
		if (l->phase == PPP_PHASE_TERMINATE || l->phase == PPP_PHASE_DEAD)
			break;
		if (ev == PPP_EV_RTR || ev == PPP_EV_RXJ_MINUS) {
			/* §3.7: the peer ends the link (Terminate-Request) or
			 * cannot speak LCP (catastrophic Code/Protocol-Reject):
			 * the automaton heads for Stopping, the link for Dead. */
			l->down_reason = ev == PPP_EV_RTR ? PPP_DOWN_PEER_TERMINATE : PPP_DOWN_PROTO_REJECT;
			l->phase = PPP_PHASE_TERMINATE;
		} else {
			l->phase = PPP_PHASE_ESTABLISH; /* renegotiation */
		}
		break;
	case PPP_A_TLF: {
		enum ppp_down_reason why = (enum ppp_down_reason)l->down_reason;
		if (why == PPP_DOWN_NONE) {
			if (ev == PPP_EV_TO_MINUS && (from == PPP_ST_REQ_SENT || from == PPP_ST_ACK_RCVD ||
						      from == PPP_ST_ACK_SENT)) {
				why = PPP_DOWN_LCP_TIMEOUT;
				/* Max-Configure without an answer: one last
				 * Terminate-Request, so a peer that hears us
				 * but cannot be heard knows the link is gone,
				 * before the session is cleared. */
				struct ppp_cpi *cp = &l->cp[PPP_CPI_LCP];
				struct wr w;
				pl_out_begin(o, &w);
				cp->term_id = ++cp->next_id;
				if (ppp_term_build(&w, PPP_TERM_REQ, cp->term_id, NULL, 0) < 0)
					w.err = true;
				pl_out_send(o, PPP_PROTO_LCP, &w);
			} else if (ev == PPP_EV_RXJ_MINUS) {
				why = PPP_DOWN_PROTO_REJECT;
			} else {
				why = PPP_DOWN_PEER_TERMINATE;
			}
		}
		pl_link_down_action(l, why, o);
		break;
	}
	default: /* tls: the L2TP session is the lower layer, already up */
		break;
	}
}

/* ---- timer ---- */

static uint64_t keepalive_due(const struct ppp_link *l, const struct ppp_conf *c)
{
	if (!c->keepalive || l->cp[PPP_CPI_LCP].fsm.state != PPP_ST_OPENED ||
	    l->phase == PPP_PHASE_TERMINATE || l->phase == PPP_PHASE_DEAD)
		return 0;
	uint64_t echo = (l->last_rx > l->last_echo ? l->last_rx : l->last_echo) + c->echo_interval_ms;
	uint64_t idle = l->last_rx + c->idle_timeout_ms;
	return echo < idle ? echo : idle;
}

static void update_timer(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	uint64_t next = 0;
	uint64_t d[PPP_CPI_COUNT + 2];
	for (int i = 0; i < PPP_CPI_COUNT; i++)
		d[i] = l->cp[i].deadline;
	d[PPP_CPI_COUNT] = l->auth_deadline;
	d[PPP_CPI_COUNT + 1] = keepalive_due(l, x->conf);
	if (l->phase == PPP_PHASE_DEAD)
		memset(d, 0, sizeof d);
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (d[i] && (!next || d[i] < next))
			next = d[i];
	if (next == l->timer_at)
		return;
	struct ppp_act *a = pl_out_add(o, PPP_OUT_TIMER);
	if (a) {
		a->at_ms = next;
		l->timer_at = next;
	}
}

/* ---- API ---- */

int ppp_link_start(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	const struct ppp_conf *c = x->conf;
	memset(l, 0, sizeof *l);
	for (int i = 0; i < PPP_CPI_COUNT; i++)
		pl_cp_init(&l->cp[i], &c->fsm);
	l->our_mru = ppp_our_mru(c->l2tp_mtu);
	l->req_mru = true;
	l->req_magic = true;
	l->our_magic = pl_rnd_u32(x, 0);
	l->peer_mru = PPP_DEFAULT_MRU;
	l->req_ipaddr = true;
	l->req_ifid = true;
	static const uint8_t zero[8];
	if (memcmp(c->our_ifid, zero, 8) != 0)
		memcpy(l->our_ifid, c->our_ifid, 8);
	else
		memcpy(l->our_ifid, x->rnd + 24, 8);
	if (memcmp(l->our_ifid, zero, 8) == 0)
		l->our_ifid[7] = 1;
	l->auth = PPP_AUTH_NONE;
	if (c->n_auth > 0 && c->auth[0] != PPP_AUTH_NONE) {
		l->auth = c->auth[0];
		l->auth_tried = (uint8_t)(1u << l->auth);
	}
	l->last_rx = x->now_ms;
	l->last_echo = x->now_ms;
	l->phase = PPP_PHASE_ESTABLISH;
	(void)pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_OPEN, NULL, o);
	(void)pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_UP, NULL, o);
	update_timer(l, x, o);
	return 0;
}

void ppp_link_set_peer_ipv4(struct ppp_link *l, uint32_t ipv4, const uint32_t dns[2])
{
	l->peer_ipv4 = ipv4;
	if (dns) {
		l->dns[0] = dns[0];
		l->dns[1] = dns[1];
	}
}

static bool opened(const struct ppp_link *l, int idx)
{
	return l->cp[idx].fsm.state == PPP_ST_OPENED;
}

int ppp_link_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *frame, size_t len,
		   struct ppp_out *o)
{
	struct ppp_frame f;
	int rc = ppp_frame_decode(frame, len, &f);
	if (rc < 0)
		return rc;
	if (l->phase == PPP_PHASE_DEAD)
		return PPP_RX_DROP;
	l->last_rx = x->now_ms; /* any frame proves the peer alive */
	int ret = PPP_RX_CONTROL;
	switch (f.proto) {
	case PPP_PROTO_LCP:
		pl_lcp_input(l, x, f.payload, f.payload_len, o);
		break;
	case PPP_PROTO_PAP:
		pl_auth_pap_input(l, x, f.payload, f.payload_len, o);
		break;
	case PPP_PROTO_CHAP:
		pl_auth_chap_input(l, x, f.payload, f.payload_len, o);
		break;
	case PPP_PROTO_IPCP:
		pl_ncp_input(l, PPP_CPI_IPCP, x, f.payload, f.payload_len, o);
		break;
	case PPP_PROTO_CCP:
		pl_ncp_input(l, PPP_CPI_CCP, x, f.payload, f.payload_len, o);
		break;
	case PPP_PROTO_IPV6CP:
		if (x->conf->ipv6) {
			pl_ncp_input(l, PPP_CPI_IPV6CP, x, f.payload, f.payload_len, o);
			break;
		}
		goto unknown; /* IPv6 disabled: the protocol is not ours */
	case PPP_PROTO_IP:
		/* Data flows once IPCP is Opened, whatever CCP is doing
		 * (Windows sends IP before CCP has converged). */
		ret = l->phase == PPP_PHASE_NETWORK && opened(l, PPP_CPI_IPCP) ? PPP_RX_DELIVER
									       : PPP_RX_DROP;
		break;
	case PPP_PROTO_IPV6:
		ret = x->conf->ipv6 && l->phase == PPP_PHASE_NETWORK && opened(l, PPP_CPI_IPV6CP)
			      ? PPP_RX_DELIVER
			      : PPP_RX_DROP;
		break;
	default:
	unknown:
		/* §5.7: an unknown protocol is Protocol-Rejected, which is
		 * only possible while LCP is Opened; before, drop it. */
		if (opened(l, PPP_CPI_LCP) && l->phase != PPP_PHASE_TERMINATE)
			pl_lcp_send_proto_rej(l, f.proto, f.payload, f.payload_len, o);
		else
			ret = PPP_RX_DROP;
		break;
	}
	update_timer(l, x, o);
	return ret;
}

int ppp_link_tick(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	uint64_t now = x->now_ms;
	for (int i = 0; i < PPP_CPI_COUNT; i++)
		if (l->phase != PPP_PHASE_DEAD && l->cp[i].deadline && l->cp[i].deadline <= now)
			(void)pl_cp_timeout(l, i, x, o);
	if (l->phase != PPP_PHASE_DEAD && l->auth_deadline && l->auth_deadline <= now)
		(void)pl_auth_timeout(l, x, o);
	const struct ppp_conf *c = x->conf;
	if (keepalive_due(l, c) && keepalive_due(l, c) <= now) {
		if (now - l->last_rx >= c->idle_timeout_ms) {
			/* No frame at all for idle_echo_timeout: the peer is
			 * gone (l2tpns: "No response to LCP ECHO requests"). */
			pl_link_fail(l, x, PPP_DOWN_ECHO_TIMEOUT, o);
		} else if (now - l->last_rx >= c->echo_interval_ms &&
			   now - l->last_echo >= c->echo_interval_ms) {
			pl_lcp_send_echo_request(l, o);
			l->last_echo = now;
		}
	}
	update_timer(l, x, o);
	return 0;
}

int ppp_link_auth_verdict(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_verdict *v,
			  struct ppp_out *o)
{
	int rc = pl_auth_verdict(l, x, v, o);
	update_timer(l, x, o);
	return rc;
}

int ppp_link_close(struct ppp_link *l, const struct ppp_ctx *x, enum ppp_down_reason why,
		   struct ppp_out *o)
{
	pl_link_fail(l, x, why, o);
	update_timer(l, x, o);
	return 0;
}

int ppp_link_lower_down(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	l->down_sent = true; /* the daemon knows: no LINK_DOWN back */
	(void)pl_cp_event(l, PPP_CPI_LCP, x, PPP_EV_DOWN, NULL, o);
	ncps_down(l, x, o);
	for (int i = 0; i < PPP_CPI_COUNT; i++)
		l->cp[i].deadline = 0;
	l->auth_deadline = 0;
	l->phase = PPP_PHASE_DEAD;
	update_timer(l, x, o);
	return 0;
}

const char *ppp_phase_name(unsigned p)
{
	static const char *const n[] = { "Dead", "Establish", "Authenticate", "Network", "Terminate" };
	return p < sizeof n / sizeof n[0] ? n[p] : NULL;
}

const char *ppp_down_reason_name(enum ppp_down_reason r)
{
	static const char *const n[] = {
		[PPP_DOWN_NONE] = "none",
		[PPP_DOWN_LCP_TIMEOUT] = "LCP: no answer to Configure-Request",
		[PPP_DOWN_LCP_NEGOTIATION] = "LCP: unable to negotiate",
		[PPP_DOWN_PEER_TERMINATE] = "peer terminated the link",
		[PPP_DOWN_AUTH_FAILED] = "authentication rejected",
		[PPP_DOWN_AUTH_TIMEOUT] = "authentication timeout",
		[PPP_DOWN_ECHO_TIMEOUT] = "no response to LCP echo requests",
		[PPP_DOWN_LOOPBACK] = "loopback detected",
		[PPP_DOWN_IPCP_FAILED] = "IPCP: unable to negotiate",
		[PPP_DOWN_PROTO_REJECT] = "peer rejected a required protocol",
		[PPP_DOWN_ADMIN] = "administrative close",
	};
	return (unsigned)r < sizeof n / sizeof n[0] ? n[r] : "unknown";
}
