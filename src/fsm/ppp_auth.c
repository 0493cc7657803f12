/*
 * The authenticator side of PAP (RFC 1334 §2) and CHAP-MD5 (RFC 1994).
 * The state machine never judges credentials: it hands them out as an
 * AUTH action and waits for ppp_link_auth_verdict() (RADIUS or local users
 * decide).
 */
#include <errno.h>
#include <string.h>

#include "fsm/ppp_priv.h"

static bool allowed(const struct ppp_conf *c, uint8_t t)
{
	for (unsigned i = 0; i < c->n_auth && i < 2; i++)
		if (c->auth[i] == t)
			return true;
	return false;
}

static void send_challenge(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	/* RFC 1994 §4.1: a new Identifier and a new random Value for every
	 * Challenge, retransmissions included. */
	l->chap_id++;
	memcpy(l->challenge, x->rnd + 8, PPP_CHAP_CHALLENGE_LEN);
	l->chap_tries++;
	struct wr w;
	pl_out_begin(o, &w);
	const char *end = memchr(x->conf->name, 0, sizeof x->conf->name);
	size_t nlen = end ? (size_t)(end - x->conf->name) : sizeof x->conf->name;
	if (ppp_chap_value_build(&w, PPP_CHAP_CHALLENGE, l->chap_id, l->challenge, PPP_CHAP_CHALLENGE_LEN,
				 x->conf->name, nlen) < 0)
		w.err = true;
	pl_out_send(o, PPP_PROTO_CHAP, &w);
	l->auth_deadline = x->now_ms + x->conf->fsm.restart_ms;
}

void pl_auth_start(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	l->phase = PPP_PHASE_AUTHENTICATE;
	l->auth_pending = false;
	l->auth_done = false;
	l->chap_tries = 0;
	if (l->auth == PPP_AUTH_CHAP) {
		send_challenge(l, x, o);
	} else {
		/* PAP: the peer drives and retransmits (RFC 1334 §2.1); we
		 * only bound how long we wait for it. */
		l->auth_deadline =
			x->now_ms + (uint64_t)x->conf->fsm.restart_ms * x->conf->fsm.max_configure;
	}
}

int pl_auth_timeout(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o)
{
	l->auth_deadline = 0;
	if (l->phase != PPP_PHASE_AUTHENTICATE || l->auth_pending)
		return 0;
	if (l->auth == PPP_AUTH_CHAP && l->chap_tries < x->conf->fsm.max_configure) {
		send_challenge(l, x, o);
		return 0;
	}
	pl_link_fail(l, x, PPP_DOWN_AUTH_TIMEOUT, o);
	return 0;
}

static void send_result(struct ppp_out *o, uint16_t proto, uint8_t code, uint8_t id)
{
	struct wr w;
	pl_out_begin(o, &w);
	int rc = proto == PPP_PROTO_PAP ? ppp_pap_reply_build(&w, code, id, NULL, 0)
					: ppp_chap_result_build(&w, code, id, NULL, 0);
	if (rc < 0)
		w.err = true;
	pl_out_send(o, proto, &w);
}

static struct ppp_act *auth_action(struct ppp_out *o, uint8_t type, const uint8_t *user, size_t ulen,
				   const uint8_t *pass, size_t plen)
{
	int uo = pl_out_store(o, user, ulen);
	int po = pl_out_store(o, pass, plen);
	if (uo < 0 || po < 0)
		return NULL;
	struct ppp_act *a = pl_out_add(o, type);
	if (!a)
		return NULL;
	a->user_off = (uint16_t)uo;
	a->user_len = (uint16_t)ulen;
	a->pass_off = (uint16_t)po;
	a->pass_len = (uint16_t)plen;
	return a;
}

int pl_auth_pap_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *p, size_t len,
		   struct ppp_out *o)
{
	struct ppp_pap_pkt m;
	if (ppp_pap_decode(p, len, &m) < 0 || m.cp.code != PPP_PAP_AUTH_REQ)
		return 0; /* we never authenticate ourselves: Acks/Naks are noise */
	/* PAP is acceptable whenever radius_authtypes allows it, even if CHAP
	 * was agreed in LCP: SonicWall firmware sends PAP after negotiating
	 * CHAP, and the credentials are just as checkable. */
	if (!allowed(x->conf, PPP_AUTH_PAP))
		return 0;
	if (l->auth_done && l->auth_used == PPP_AUTH_PAP && l->phase == PPP_PHASE_NETWORK) {
		/* RFC 1334 §2.2.2: our Ack was lost and the peer retried. Its
		 * Identifier may have moved on (§2.2.1: a new one per request)
		 * while our Ack for the previous one was in flight: the link is
		 * authenticated, so any retry gets its Ack. */
		l->auth_id = m.cp.id;
		send_result(o, PPP_PROTO_PAP, PPP_PAP_AUTH_ACK, m.cp.id);
		return 0;
	}
	if (l->phase == PPP_PHASE_AUTHENTICATE && l->auth_pending && l->auth_used == PPP_AUTH_PAP) {
		/* One verdict at a time: a retransmission waits for it (a RADIUS
		 * answer can take seconds). RFC 1334 §2.2.1 makes the peer change
		 * the Identifier on every Authenticate-Request, and peers match
		 * the Ack against their latest: answer that one. */
		l->auth_id = m.cp.id;
		return 0;
	}
	if (l->phase != PPP_PHASE_AUTHENTICATE || l->auth_pending)
		return 0;
	if (!auth_action(o, PPP_OUT_AUTH_PAP, m.peer_id, m.peer_id_len, m.passwd, m.passwd_len))
		return 0;
	l->auth_pending = true;
	l->auth_used = PPP_AUTH_PAP;
	l->auth_id = m.cp.id;
	l->auth_deadline = 0;
	return 0;
}

int pl_auth_chap_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *p, size_t len,
		    struct ppp_out *o)
{
	(void)x;
	struct ppp_chap_pkt m;
	if (ppp_chap_decode(p, len, &m) < 0 || m.cp.code != PPP_CHAP_RESPONSE)
		return 0;
	if (l->auth != PPP_AUTH_CHAP)
		return 0; /* no Challenge of ours to answer */
	if (l->auth_done && l->auth_used == PPP_AUTH_CHAP && m.cp.id == l->auth_id &&
	    l->phase == PPP_PHASE_NETWORK) {
		/* RFC 1994 §4.2: the Success was lost, send it again. */
		send_result(o, PPP_PROTO_CHAP, PPP_CHAP_SUCCESS, m.cp.id);
		return 0;
	}
	/* RFC 1994 §4.1: the Response must answer our latest Challenge. */
	if (l->phase != PPP_PHASE_AUTHENTICATE || l->auth_pending || m.cp.id != l->chap_id ||
	    m.value_len != PPP_CHAP_MD5_LEN)
		return 0;
	struct ppp_act *a = auth_action(o, PPP_OUT_AUTH_CHAP, m.name, m.name_len, m.value, m.value_len);
	if (!a)
		return 0;
	a->chap_id = m.cp.id;
	memcpy(a->challenge, l->challenge, PPP_CHAP_CHALLENGE_LEN);
	l->auth_pending = true;
	l->auth_used = PPP_AUTH_CHAP;
	l->auth_id = m.cp.id;
	l->auth_deadline = 0;
	return 0;
}

int pl_auth_verdict(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_verdict *v,
		 struct ppp_out *o)
{
	if (!l->auth_pending || l->phase != PPP_PHASE_AUTHENTICATE)
		return -EINVAL; /* nothing was asked */
	l->auth_pending = false;
	uint16_t proto = l->auth_used == PPP_AUTH_PAP ? PPP_PROTO_PAP : PPP_PROTO_CHAP;
	if (!v->accept) {
		send_result(o, proto, proto == PPP_PROTO_PAP ? PPP_PAP_AUTH_NAK : PPP_CHAP_FAILURE, l->auth_id);
		/* RFC 1334 §2.2.2, RFC 1994 §4.2: after a Nak/Failure the
		 * authenticator terminates the link. */
		pl_link_fail(l, x, PPP_DOWN_AUTH_FAILED, o);
		return 0;
	}
	send_result(o, proto, proto == PPP_PROTO_PAP ? PPP_PAP_AUTH_ACK : PPP_CHAP_SUCCESS, l->auth_id);
	l->auth_done = true;
	l->peer_ipv4 = v->ipv4;
	l->dns[0] = v->dns[0];
	l->dns[1] = v->dns[1];
	pl_link_network(l, x, o);
	return 0;
}
