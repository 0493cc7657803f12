/*
 * The RFC 1661 §4 option negotiation automaton, generic over the control
 * protocol (LCP, IPCP, IPV6CP, CCP).
 *
 * Pure: ppp_fsm_step() takes one of the sixteen §4.3 events and returns the
 * §4.4 actions of the transition-table cell, in the order the RFC prints
 * them, plus the new state. It keeps the Restart counter (§4.6) and tells
 * the caller whether the Restart timer must be armed or cancelled; it builds
 * no packet and reads no clock. Turning "scr" into a Configure-Request is
 * the job of the protocol engine (ppp_cp.h).
 */
#ifndef L2TPNS_FSM_PPP_FSM_H
#define L2TPNS_FSM_PPP_FSM_H

#include <stdbool.h>
#include <stdint.h>

/* §4.2 states, numbered as in the §4.1 table. */
enum ppp_fsm_state {
	PPP_ST_INITIAL = 0,
	PPP_ST_STARTING = 1,
	PPP_ST_CLOSED = 2,
	PPP_ST_STOPPED = 3,
	PPP_ST_CLOSING = 4,
	PPP_ST_STOPPING = 5,
	PPP_ST_REQ_SENT = 6,
	PPP_ST_ACK_RCVD = 7,
	PPP_ST_ACK_SENT = 8,
	PPP_ST_OPENED = 9,
	PPP_ST_COUNT
};

/* §4.3 events, in the row order of the §4.1 table. */
enum ppp_fsm_event {
	PPP_EV_UP,
	PPP_EV_DOWN,
	PPP_EV_OPEN,
	PPP_EV_CLOSE,
	PPP_EV_TO_PLUS,
	PPP_EV_TO_MINUS,
	PPP_EV_RCR_PLUS,
	PPP_EV_RCR_MINUS,
	PPP_EV_RCA,
	PPP_EV_RCN,
	PPP_EV_RTR,
	PPP_EV_RTA,
	PPP_EV_RUC,
	PPP_EV_RXJ_PLUS,
	PPP_EV_RXJ_MINUS,
	PPP_EV_RXR,
	PPP_EV_COUNT
};

/* §4.4 actions. 0 means "none" so a zeroed table slot is empty. */
enum ppp_fsm_action {
	PPP_A_NONE = 0,
	PPP_A_TLU,
	PPP_A_TLD,
	PPP_A_TLS,
	PPP_A_TLF,
	PPP_A_IRC,
	PPP_A_ZRC,
	PPP_A_SCR,
	PPP_A_SCA,
	PPP_A_SCN,
	PPP_A_STR,
	PPP_A_STA,
	PPP_A_SCJ,
	PPP_A_SER,
	PPP_A_COUNT
};

#define PPP_FSM_MAX_ACTS 3 /* the longest §4.1 cell, e.g. "tld,irc,str" */

/* §4.6 counters and timer, configurable per l2tpns config. */
struct ppp_fsm_conf {
	uint32_t restart_ms;	/* ppp_restart_time, default 3 s */
	uint8_t max_terminate;	/* default 2 */
	uint8_t max_configure;	/* ppp_max_configure, default 10 */
	uint8_t max_failure;	/* ppp_max_failure, default 5 */
};

#define PPP_FSM_CONF_DEFAULT { 3000, 2, 10, 5 }

struct ppp_fsm {
	uint8_t state;		/* enum ppp_fsm_state */
	uint8_t restart;	/* §4.6 Restart counter */
	uint8_t failures;	/* Configure-Naks sent since the last Ack (§4.6 Max-Failure) */
	bool timer_on;		/* Restart timer running */
	struct ppp_fsm_conf conf;
};

/* What one step did. */
struct ppp_fsm_result {
	uint8_t from, to;			/* states */
	uint8_t n;				/* actions in acts[] */
	uint8_t acts[PPP_FSM_MAX_ACTS];		/* enum ppp_fsm_action, RFC order */
	bool illegal;				/* a "-" cell: nothing done, state kept */
	int8_t timer;				/* +1 (re)arm Restart timer, -1 cancel, 0 leave */
};

void ppp_fsm_init(struct ppp_fsm *f, const struct ppp_fsm_conf *conf);

/*
 * Apply event ev. Counters are updated as the actions demand (irc, zrc, and
 * the decrement that §4.6 attaches to every scr and str). Returns 0, or
 * -EINVAL for an event or state out of range (nothing changed).
 */
int ppp_fsm_step(struct ppp_fsm *f, enum ppp_fsm_event ev, struct ppp_fsm_result *r);

/* The Restart timer fired: TO+ while the counter is above zero, else TO-. */
enum ppp_fsm_event ppp_fsm_timeout_event(const struct ppp_fsm *f);

/* True in the states where the Restart timer runs (§4.6). */
bool ppp_fsm_timer_state(enum ppp_fsm_state s);

const char *ppp_fsm_state_name(unsigned s);
const char *ppp_fsm_event_name(unsigned ev);
const char *ppp_fsm_action_name(unsigned a);

#endif
