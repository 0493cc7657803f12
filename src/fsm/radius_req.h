/*
 * One RADIUS request's retransmission and failover automaton.
 *
 * RFC 2865 §2.5 and RFC 2866 §2 leave retransmission to the client: resend
 * to the same server a few times with a growing interval, then try another
 * server. RFC 5080 §2.2.1 asks for back-off so that an overloaded server is
 * not hammered; its exponential schedule is the one used here (the first
 * interval doubled on every resend, capped).
 *
 * Pure: time comes in as `now` (ms), the starting server as an argument (the
 * client keeps server health and picks it). The caller executes the
 * actions: SEND (a new transmission to .server: new Identifier allowed,
 * RFC 2866 §5.2 requires a new one when Acct-Delay-Time changes), RESEND
 * (the same packet, same Identifier, to the same server: RFC 2865 §2.5),
 * TIMER (arm the request's timer at .at), STOP_TIMER, SERVER_FAILED (this
 * server did not answer `tries` sends: the client may mark it dead), DONE,
 * EXHAUSTED (every server failed: authentication fails, accounting is
 * parked and started again later).
 */
#ifndef L2TPNS_FSM_RADIUS_REQ_H
#define L2TPNS_FSM_RADIUS_REQ_H

#include <stdint.h>

enum rreq_state {
	RREQ_IDLE = 0,		/* built, not sent */
	RREQ_WAIT,		/* sent, awaiting a response or the timer */
	RREQ_DONE,		/* answered or cancelled: nothing more to do */
	RREQ_EXHAUSTED,		/* every server tried `tries` times */
	RREQ_NSTATES
};

enum rreq_event {
	RREQ_EV_START = 0,	/* send it (again, from EXHAUSTED) */
	RREQ_EV_TIMEOUT,	/* the request's timer fired */
	RREQ_EV_RESPONSE,	/* a verified response arrived */
	RREQ_EV_CANCEL,		/* the caller no longer wants it */
	RREQ_NEVENTS
};

enum rreq_act_type {
	RREQ_A_SEND = 1,
	RREQ_A_RESEND,
	RREQ_A_TIMER,
	RREQ_A_STOP_TIMER,
	RREQ_A_SERVER_FAILED,
	RREQ_A_DONE,
	RREQ_A_EXHAUSTED,
};

struct rreq_conf {
	uint8_t nservers;	/* 1 .. RREQ_MAX_SERVERS */
	uint8_t tries;		/* sends per server, >= 1 */
	uint32_t timeout_ms;	/* first interval */
	uint32_t cap_ms;	/* longest interval */
};

#define RREQ_MAX_SERVERS 8

struct rreq {
	uint8_t state;		/* enum rreq_state */
	uint8_t server;		/* current server */
	uint8_t servers_tried;	/* distinct servers used in this round */
	uint8_t tries;		/* sends to the current server */
	uint32_t rounds;	/* times it was EXHAUSTED and started again */
	uint64_t deadline;	/* when the armed timer fires */
};

struct rreq_act {
	uint8_t type;		/* enum rreq_act_type */
	uint8_t server;		/* SEND, RESEND, SERVER_FAILED */
	uint64_t at;		/* TIMER */
};

struct rreq_out {
	unsigned n;
	struct rreq_act a[4];
};

void rreq_init(struct rreq *r);

/*
 * One event. `start_server` is used by START only (the client's choice of
 * the first healthy server). Returns 0, or -EINVAL for a bad argument (the
 * state is then unchanged). Events that make no sense in a state (a stale
 * timer, a response to a request not sent) are decided in the table as
 * "ignore": 0 and no action.
 */
int rreq_step(struct rreq *r, const struct rreq_conf *c, enum rreq_event ev,
	      uint8_t start_server, uint64_t now, struct rreq_out *o);

const char *rreq_state_name(enum rreq_state s);
const char *rreq_event_name(enum rreq_event e);

#endif
