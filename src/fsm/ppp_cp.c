/*
 * The control protocol engine: turns received Configure/Terminate/Code
 * packets (RFC 1661 §5.1-5.6) into automaton events, and executes the
 * automaton's actions as packets, timer changes and layer callbacks. The
 * protocol-specific choices live in the struct cp_ops policies.
 */
#include <errno.h>
#include <string.h>

#include "fsm/ppp_priv.h"

void pl_cp_init(struct ppp_cpi *cp, const struct ppp_fsm_conf *conf)
{
	memset(cp, 0, sizeof *cp);
	ppp_fsm_init(&cp->fsm, conf);
}

const struct cp_ops *pl_cp_ops_of(int idx)
{
	switch (idx) {
	case PPP_CPI_LCP:
		return pl_lcp_ops();
	case PPP_CPI_IPCP:
		return pl_ipcp_ops();
	case PPP_CPI_IPV6CP:
		return pl_ipv6cp_ops();
	default:
		return pl_ccp_ops();
	}
}

static void send_ctl(struct ppp_link *l, int idx, struct ppp_out *o, uint8_t code, uint8_t id,
		     const void *data, size_t len)
{
	if (l->cp[idx].rejected)
		return; /* RFC 1661 §5.7: stop sending a protocol the peer rejected */
	struct wr w;
	pl_out_begin(o, &w);
	if (ppp_cp_build(&w, code, id, data, len) < 0)
		w.err = true;
	pl_out_send(o, pl_cp_ops_of(idx)->proto, &w);
}

static void send_raw(struct ppp_link *l, int idx, struct ppp_out *o, const uint8_t *pkt, size_t len)
{
	if (l->cp[idx].rejected)
		return;
	struct wr w;
	pl_out_begin(o, &w);
	wr_bytes(&w, pkt, len);
	pl_out_send(o, pl_cp_ops_of(idx)->proto, &w);
}

static void do_scr(struct ppp_link *l, int idx, const struct ppp_ctx *x, struct ppp_out *o)
{
	struct ppp_cpi *cp = &l->cp[idx];
	struct wr w;
	wr_init(&w, cp->req, sizeof cp->req);
	pl_cp_ops_of(idx)->build_req(l, x, &w);
	cp->req_len = w.err ? 0 : (uint8_t)w.off;
	/* RFC 1661 §5.1: a new Identifier for every new request. */
	cp->req_id = ++cp->next_id;
	send_ctl(l, idx, o, PPP_CONF_REQ, cp->req_id, cp->req, cp->req_len);
}

int pl_cp_event(struct ppp_link *l, int idx, const struct ppp_ctx *x, enum ppp_fsm_event ev,
	     const struct cp_rx *rx, struct ppp_out *o)
{
	struct ppp_cpi *cp = &l->cp[idx];
	const struct cp_ops *ops = pl_cp_ops_of(idx);
	struct ppp_fsm_result r;
	int rc = ppp_fsm_step(&cp->fsm, ev, &r);
	if (rc < 0)
		return rc;
	if (r.timer > 0)
		cp->deadline = x->now_ms + cp->fsm.conf.restart_ms;
	else if (r.timer < 0)
		cp->deadline = 0;
	for (unsigned i = 0; i < r.n; i++) {
		switch (r.acts[i]) {
		case PPP_A_TLU:
		case PPP_A_TLD:
		case PPP_A_TLS:
		case PPP_A_TLF:
			ops->layer(l, x, o, r.acts[i], (uint8_t)ev, r.from);
			break;
		case PPP_A_SCR:
			do_scr(l, idx, x, o);
			break;
		case PPP_A_SCA:
		case PPP_A_SCN:
			if (rx && rx->resp) {
				send_raw(l, idx, o, rx->resp, rx->resp_len);
				/* §4.6 Max-Failure counts Naks sent without an Ack. */
				if (r.acts[i] == PPP_A_SCN && rx->resp[0] == PPP_CONF_NAK &&
				    cp->fsm.failures < 255)
					cp->fsm.failures++;
			}
			break;
		case PPP_A_STR:
			cp->term_id = ++cp->next_id;
			send_ctl(l, idx, o, PPP_TERM_REQ, cp->term_id, NULL, 0);
			break;
		case PPP_A_STA:
			/* §5.5: the Ack answers the request's Identifier; for
			 * other packets (Closed/Stopped) any id will do. */
			send_ctl(l, idx, o, PPP_TERM_ACK, rx && rx->c ? rx->c->id : ++cp->next_id, NULL, 0);
			break;
		case PPP_A_SCJ:
			if (rx && rx->c && !cp->rejected) {
				struct wr w;
				pl_out_begin(o, &w);
				size_t mru = l->peer_mru && l->peer_mru < PPP_DEFAULT_MRU ? l->peer_mru
											 : PPP_DEFAULT_MRU;
				if (ppp_code_rej_build(&w, ++cp->next_id, rx->c->pkt, rx->c->len, mru) < 0)
					w.err = true;
				pl_out_send(o, ops->proto, &w);
			}
			break;
		case PPP_A_SER:
			if (idx == PPP_CPI_LCP && rx && rx->c && rx->c->code == PPP_ECHO_REQ)
				pl_lcp_send_echo_reply(l, rx, o);
			break;
		default: /* irc, zrc: done by the automaton */
			break;
		}
	}
	return 0;
}

enum { JUDGE_ACK = 0, JUDGE_NAK = 1, JUDGE_DROP = 2 };

/*
 * Judge a peer's Configure-Request (RFC 1661 §5.1): Reject if any option is
 * rejected (only those, in their order, unmodified: §5.4), else Nak if any
 * is Nak'd (§5.3), else Ack with all options (§5.2).
 */
static int judge_req(struct ppp_link *l, int idx, const struct ppp_ctx *x, const struct ppp_cp *c,
		     const struct ppp_optlist *ol, struct wr *resp)
{
	const struct cp_ops *ops = pl_cp_ops_of(idx);
	struct ppp_cpi *cp = &l->cp[idx];
	bool may_nak = cp->fsm.failures < cp->fsm.conf.max_failure;
	uint64_t rej = 0;
	uint8_t nakbuf[512];
	struct wr nak;
	wr_init(&nak, nakbuf, sizeof nakbuf);
	int n_nak = 0;
	l->loop_suspect = false;
	for (unsigned i = 0; i < ol->n && i < 64; i++) {
		const struct ppp_opt *op = &ol->o[i];
		int v;
		if (op->flags & (PPP_OPT_F_UNKNOWN | PPP_OPT_F_BAD | PPP_OPT_F_DUP))
			v = V_REJ; /* §5.4: unrecognised or not acceptable for negotiation */
		else
			v = ops->check_opt(l, x, op->type, ppp_opt_val(c, op), ppp_opt_vlen(op), may_nak,
					   false, &nak);
		if (v < 0)
			return v;
		if (v == V_REJ)
			rej |= UINT64_C(1) << i;
		else if (v == V_NAK)
			n_nak++;
	}
	if (ol->n > 64)
		return JUDGE_DROP;
	/* RFC 1661 §6.4: a request carrying our own Magic-Number may be our
	 * own request looped back; rejecting our own options would only
	 * feed the loop a Reject of what we asked. Answer the Nak of the
	 * Magic-Number alone and let the loop count decide. */
	if (l->loop_suspect)
		rej = 0;
	if (!rej && ops->check_missing) {
		int m = ops->check_missing(l, x, c, ol, may_nak, &nak);
		if (m < 0)
			return m;
		n_nak += m;
	}
	/* An answer that does not fit our buffer (a request of kilobytes)
	 * is not answered at all: the request is dropped as if lost. */
	if (rej)
		return ppp_conf_echo(resp, PPP_CONF_REJ, c->id, c, ol, rej) < 0 ? JUDGE_DROP : JUDGE_NAK;
	if (n_nak) {
		if (nak.err)
			return JUDGE_DROP;
		return ppp_cp_build(resp, PPP_CONF_NAK, c->id, nakbuf, nak.off) < 0 ? JUDGE_DROP : JUDGE_NAK;
	}
	if (ppp_conf_echo(resp, PPP_CONF_ACK, c->id, c, ol, ~UINT64_C(0)) < 0)
		return JUDGE_DROP;
	for (unsigned i = 0; i < ol->n; i++)
		(void)ops->check_opt(l, x, ol->o[i].type, ppp_opt_val(c, &ol->o[i]), ppp_opt_vlen(&ol->o[i]),
				     may_nak, true, &nak);
	return JUDGE_ACK;
}

/* §5.4: a Reject may only name options we requested. */
static bool subset_of_req(const struct ppp_cpi *cp, const struct ppp_optlist *ol)
{
	for (unsigned i = 0; i < ol->n; i++) {
		bool found = false;
		for (unsigned off = 0; off + 2 <= cp->req_len && cp->req[off + 1] >= 2;
		     off += cp->req[off + 1])
			if (cp->req[off] == ol->o[i].type)
				found = true;
		if (!found)
			return false;
	}
	return true;
}

int pl_cp_input(struct ppp_link *l, int idx, const struct ppp_ctx *x, const struct ppp_cp *c,
	     const struct ppp_optlist *ol, struct ppp_out *o)
{
	struct ppp_cpi *cp = &l->cp[idx];
	const struct cp_ops *ops = pl_cp_ops_of(idx);
	struct cp_rx rx = { .c = c };
	uint8_t respbuf[1600];
	struct wr resp;
	int v;

	switch (c->code) {
	case PPP_CONF_REQ:
		if (!ol)
			return -EINVAL;
		/* Only judge when the table will use the answer: a Closed or
		 * Closing automaton must not record the peer's options. */
		switch (cp->fsm.state) {
		case PPP_ST_STOPPED:
		case PPP_ST_REQ_SENT:
		case PPP_ST_ACK_RCVD:
		case PPP_ST_ACK_SENT:
		case PPP_ST_OPENED:
			wr_init(&resp, respbuf, sizeof respbuf);
			v = judge_req(l, idx, x, c, ol, &resp);
			if (v < 0) {
				pl_link_fail(l, x, (enum ppp_down_reason)-v, o);
				return 0;
			}
			if (v == JUDGE_DROP)
				return 0;
			rx.resp = respbuf;
			rx.resp_len = resp.off;
			return pl_cp_event(l, idx, x, v == JUDGE_ACK ? PPP_EV_RCR_PLUS : PPP_EV_RCR_MINUS, &rx, o);
		default:
			return pl_cp_event(l, idx, x, PPP_EV_RCR_PLUS, &rx, o);
		}
	case PPP_CONF_ACK:
		/* §5.2: Identifier and options must match our last request
		 * exactly; anything else is silently discarded. */
		if (c->id != cp->req_id || c->data_len != cp->req_len ||
		    memcmp(c->data, cp->req, cp->req_len) != 0)
			return 0;
		return pl_cp_event(l, idx, x, PPP_EV_RCA, &rx, o);
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		if (!ol || c->id != cp->req_id)
			return 0; /* §5.3, §5.4: stale or foreign: discard */
		if (c->code == PPP_CONF_REJ && !subset_of_req(cp, ol))
			return 0;
		/* Only a state that sent the request acts on the answer. */
		if (cp->fsm.state == PPP_ST_REQ_SENT || cp->fsm.state == PPP_ST_ACK_RCVD ||
		    cp->fsm.state == PPP_ST_ACK_SENT || cp->fsm.state == PPP_ST_OPENED) {
			v = c->code == PPP_CONF_NAK ? ops->got_nak(l, x, c, ol) : ops->got_rej(l, x, c, ol);
			if (v < 0) {
				pl_link_fail(l, x, (enum ppp_down_reason)-v, o);
				return 0;
			}
		}
		return pl_cp_event(l, idx, x, PPP_EV_RCN, &rx, o);
	case PPP_TERM_REQ:
		return pl_cp_event(l, idx, x, PPP_EV_RTR, &rx, o);
	case PPP_TERM_ACK:
		return pl_cp_event(l, idx, x, PPP_EV_RTA, &rx, o);
	case PPP_CODE_REJ: {
		/* §5.6: rejecting one of the codes 1..7 that the automaton
		 * needs is catastrophic (RXJ-); others are permitted (RXJ+). */
		uint8_t rc = c->data_len ? c->data[0] : 0;
		bool bad = rc >= PPP_CONF_REQ && rc <= PPP_CODE_REJ;
		return pl_cp_event(l, idx, x, bad ? PPP_EV_RXJ_MINUS : PPP_EV_RXJ_PLUS, &rx, o);
	}
	default:
		return pl_cp_event(l, idx, x, PPP_EV_RUC, &rx, o);
	}
}

int pl_cp_timeout(struct ppp_link *l, int idx, const struct ppp_ctx *x, struct ppp_out *o)
{
	struct ppp_cpi *cp = &l->cp[idx];
	cp->deadline = 0;
	if (!cp->fsm.timer_on)
		return 0;
	return pl_cp_event(l, idx, x, ppp_fsm_timeout_event(&cp->fsm), NULL, o);
}

void pl_cp_open_passive(struct ppp_link *l, int idx)
{
	struct ppp_cpi *cp = &l->cp[idx];
	/* Up from Initial leads to Closed; the passive option of §4.2
	 * ("Stopped ... waiting for a Configure-Request") is then entered
	 * directly, without sending our own request first. */
	if (cp->fsm.state == PPP_ST_INITIAL || cp->fsm.state == PPP_ST_CLOSED) {
		cp->fsm.state = PPP_ST_STOPPED;
		cp->fsm.timer_on = false;
		cp->deadline = 0;
		cp->passive = true;
	}
}
