/*
 * Internals shared by the PPP state machine files (ppp_cp.c, ppp_lcp.c,
 * ppp_ncp.c, ppp_auth.c, ppp_link.c). Not for the daemon: it uses
 * fsm/ppp_link.h only.
 */
#ifndef L2TPNS_FSM_PPP_PRIV_H
#define L2TPNS_FSM_PPP_PRIV_H

#include "codec/buf.h"
#include "codec/ppp.h"
#include "fsm/ppp_link.h"

/* Verdict of a policy on one option of a peer's Configure-Request
 * (RFC 1661 §5.2-5.4). A negative value is -(enum ppp_down_reason): the
 * negotiation cannot succeed and the link must close. */
enum { V_ACK = 0, V_NAK = 1, V_REJ = 2 };

/* One control protocol's policy: what we request, what we accept. */
struct cp_ops {
	uint16_t proto;
	/* Our Configure-Request options. */
	void (*build_req)(struct ppp_link *l, const struct ppp_ctx *x, struct wr *w);
	/* Judge one option of the peer's request. On V_NAK the option with
	 * the value we want is written to nak. When commit is set the whole
	 * request is being Acked: store the value. may_nak is false once
	 * Max-Failure Naks were sent (RFC 1661 §4.6): answer V_REJ then. */
	int (*check_opt)(struct ppp_link *l, const struct ppp_ctx *x, uint8_t type, const uint8_t *v,
			 uint8_t vlen, bool may_nak, bool commit, struct wr *nak);
	/* Options we need but the peer left out: append them to nak
	 * (RFC 1661 §5.3 lets a Nak suggest an option the peer did not
	 * send); return how many. May be NULL. */
	int (*check_missing)(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
			     const struct ppp_optlist *ol, bool may_nak, struct wr *nak);
	/* The peer's Nak / Reject of our request: adjust what we request.
	 * 0, or -(enum ppp_down_reason) when nothing acceptable is left. */
	int (*got_nak)(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
		       const struct ppp_optlist *ol);
	int (*got_rej)(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_cp *c,
		       const struct ppp_optlist *ol);
	/* tlu / tld / tls / tlf, with the event that caused it and the
	 * state the automaton left. */
	void (*layer)(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o, uint8_t action,
		      uint8_t ev, uint8_t from);
};

const struct cp_ops *pl_lcp_ops(void);
const struct cp_ops *pl_ipcp_ops(void);
const struct cp_ops *pl_ipv6cp_ops(void);
const struct cp_ops *pl_ccp_ops(void);
const struct cp_ops *pl_cp_ops_of(int idx);

/* ---- output ---- */
/* A writer over the free part of the output buffer. */
void pl_out_begin(struct ppp_out *o, struct wr *w);
/* Record what was written since pl_out_begin() as a packet to send. */
int pl_out_send(struct ppp_out *o, uint16_t proto, struct wr *w);
struct ppp_act *pl_out_add(struct ppp_out *o, uint8_t type);
/* Copy bytes into the output buffer; returns the offset or -ENOSPC. */
int pl_out_store(struct ppp_out *o, const void *p, size_t len);

/* ---- control protocol engine (ppp_cp.c) ---- */
struct cp_rx {
	const struct ppp_cp *c;	/* the packet that caused the event, or NULL */
	const uint8_t *resp;	/* prepared Configure-Ack/Nak/Reject for sca/scn */
	size_t resp_len;
	uint32_t echo_magic;	/* unused by the engine; LCP's ser */
};

void pl_cp_init(struct ppp_cpi *cp, const struct ppp_fsm_conf *conf);
int pl_cp_event(struct ppp_link *l, int idx, const struct ppp_ctx *x, enum ppp_fsm_event ev,
	     const struct cp_rx *rx, struct ppp_out *o);
/* Codes 1..7 of any control protocol; the caller decoded c (and ol for
 * Configure-*). Unknown codes go to pl_cp_event(RUC). */
int pl_cp_input(struct ppp_link *l, int idx, const struct ppp_ctx *x, const struct ppp_cp *c,
	     const struct ppp_optlist *ol, struct ppp_out *o);
/* Restart timer of cp idx expired. */
int pl_cp_timeout(struct ppp_link *l, int idx, const struct ppp_ctx *x, struct ppp_out *o);
/* [p] passive open (RFC 1661 §4.2 Stopped): Up then wait in Stopped for
 * the peer's Configure-Request. */
void pl_cp_open_passive(struct ppp_link *l, int idx);

/* ---- LCP specifics (ppp_lcp.c) ---- */
int pl_lcp_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *p, size_t len,
	      struct ppp_out *o);
void pl_lcp_send_echo_reply(struct ppp_link *l, const struct cp_rx *rx, struct ppp_out *o);
void pl_lcp_send_echo_request(struct ppp_link *l, struct ppp_out *o);
void pl_lcp_send_proto_rej(struct ppp_link *l, uint16_t proto, const uint8_t *info, size_t len,
			struct ppp_out *o);

/* ---- NCPs (ppp_ncp.c) ---- */
int pl_ncp_input(struct ppp_link *l, int idx, const struct ppp_ctx *x, const uint8_t *p, size_t len,
	      struct ppp_out *o);

/* ---- authentication (ppp_auth.c) ---- */
void pl_auth_start(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o);
int pl_auth_pap_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *p, size_t len,
		   struct ppp_out *o);
int pl_auth_chap_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *p, size_t len,
		    struct ppp_out *o);
int pl_auth_timeout(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o);
int pl_auth_verdict(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_verdict *v,
		 struct ppp_out *o);

/* ---- link (ppp_link.c) ---- */
/* Close the link for reason why: LCP Close (Terminate-Request), then
 * LINK_DOWN once LCP has finished. */
void pl_link_fail(struct ppp_link *l, const struct ppp_ctx *x, enum ppp_down_reason why,
	       struct ppp_out *o);
void pl_link_network(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o);
void pl_link_down_action(struct ppp_link *l, enum ppp_down_reason why, struct ppp_out *o);
void pl_link_lcp_layer(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o, uint8_t action,
		    uint8_t ev, uint8_t from);
/* Four random bytes from the context, never zero (for Magic-Numbers). */
uint32_t pl_rnd_u32(const struct ppp_ctx *x, unsigned at);

#endif
