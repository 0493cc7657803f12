/*
 * RFC 1661 §4.1 state transition table, transcribed cell by cell.
 *
 * Decisions on the table's footnotes:
 *  [p] passive option: not taken. TO- in Req-Sent/Ack-Rcvd/Ack-Sent does
 *      tlf and goes to Stopped, so the link layer learns that the peer never
 *      answered (an LNS has no reason to wait passively for a LAC's client).
 *  [r] restart option: not taken. Open in Stopped/Closing/Stopping/Opened
 *      only records the administrative state; the daemon never issues a
 *      second Open anyway.
 *  [x] crossed connection: nothing beyond the printed "scr" is needed.
 *
 * "-" cells (§4.1: "illegal transition") are decided explicitly as ILLEGAL:
 * no action, no state change, flagged in the result so the caller can count
 * it. They happen only through stale timers or packets racing a Down, both
 * harmless to ignore.
 */
#include <errno.h>
#include <stddef.h>

#include "fsm/ppp_fsm.h"

struct cell {
	uint8_t acts[PPP_FSM_MAX_ACTS];
	uint8_t next;
	uint8_t illegal;
};

#define X { { 0, 0, 0 }, 0, 1 } /* "-" */
#define C0(n) { { 0, 0, 0 }, n, 0 }
#define C1(a, n) { { PPP_A_##a, 0, 0 }, n, 0 }
#define C2(a, b, n) { { PPP_A_##a, PPP_A_##b, 0 }, n, 0 }
#define C3(a, b, c, n) { { PPP_A_##a, PPP_A_##b, PPP_A_##c }, n, 0 }

/* tab[event][state]: rows and columns exactly as printed in §4.1. */
static const struct cell tab[PPP_EV_COUNT][PPP_ST_COUNT] = {
	/*           0 Initial    1 Starting        2 Closed          3 Stopped                4 Closing      5 Stopping     6 Req-Sent         7 Ack-Rcvd         8 Ack-Sent         9 Opened */
	[PPP_EV_UP] = { C0(2), C2(IRC, SCR, 6), X, X, X, X, X, X, X, X },
	[PPP_EV_DOWN] = { X, X, C0(0), C1(TLS, 1), C0(0), C0(1), C0(1), C0(1), C0(1), C1(TLD, 1) },
	[PPP_EV_OPEN] = { C1(TLS, 1), C0(1), C2(IRC, SCR, 6), C0(3), C0(5), C0(5), C0(6), C0(7), C0(8), C0(9) },
	[PPP_EV_CLOSE] = { C0(0), C1(TLF, 0), C0(2), C0(2), C0(4), C0(4), C2(IRC, STR, 4), C2(IRC, STR, 4),
			   C2(IRC, STR, 4), C3(TLD, IRC, STR, 4) },
	[PPP_EV_TO_PLUS] = { X, X, X, X, C1(STR, 4), C1(STR, 5), C1(SCR, 6), C1(SCR, 6), C1(SCR, 8), X },
	[PPP_EV_TO_MINUS] = { X, X, X, X, C1(TLF, 2), C1(TLF, 3), C1(TLF, 3), C1(TLF, 3), C1(TLF, 3), X },
	[PPP_EV_RCR_PLUS] = { X, X, C1(STA, 2), C3(IRC, SCR, SCA, 8), C0(4), C0(5), C1(SCA, 8), C2(SCA, TLU, 9),
			      C1(SCA, 8), C3(TLD, SCR, SCA, 8) },
	[PPP_EV_RCR_MINUS] = { X, X, C1(STA, 2), C3(IRC, SCR, SCN, 6), C0(4), C0(5), C1(SCN, 6), C1(SCN, 7),
			       C1(SCN, 6), C3(TLD, SCR, SCN, 6) },
	[PPP_EV_RCA] = { X, X, C1(STA, 2), C1(STA, 3), C0(4), C0(5), C1(IRC, 7), C1(SCR, 6), C2(IRC, TLU, 9),
			 C2(TLD, SCR, 6) },
	[PPP_EV_RCN] = { X, X, C1(STA, 2), C1(STA, 3), C0(4), C0(5), C2(IRC, SCR, 6), C1(SCR, 6), C2(IRC, SCR, 8),
			 C2(TLD, SCR, 6) },
	[PPP_EV_RTR] = { X, X, C1(STA, 2), C1(STA, 3), C1(STA, 4), C1(STA, 5), C1(STA, 6), C1(STA, 6), C1(STA, 6),
			 C3(TLD, ZRC, STA, 5) },
	[PPP_EV_RTA] = { X, X, C0(2), C0(3), C1(TLF, 2), C1(TLF, 3), C0(6), C0(6), C0(8), C2(TLD, SCR, 6) },
	[PPP_EV_RUC] = { X, X, C1(SCJ, 2), C1(SCJ, 3), C1(SCJ, 4), C1(SCJ, 5), C1(SCJ, 6), C1(SCJ, 7), C1(SCJ, 8),
			 C1(SCJ, 9) },
	[PPP_EV_RXJ_PLUS] = { X, X, C0(2), C0(3), C0(4), C0(5), C0(6), C0(6), C0(8), C0(9) },
	[PPP_EV_RXJ_MINUS] = { X, X, C1(TLF, 2), C1(TLF, 3), C1(TLF, 2), C1(TLF, 3), C1(TLF, 3), C1(TLF, 3),
			       C1(TLF, 3), C3(TLD, IRC, STR, 5) },
	[PPP_EV_RXR] = { X, X, C0(2), C0(3), C0(4), C0(5), C0(6), C0(7), C0(8), C1(SER, 9) },
};

void ppp_fsm_init(struct ppp_fsm *f, const struct ppp_fsm_conf *conf)
{
	static const struct ppp_fsm_conf def = PPP_FSM_CONF_DEFAULT;
	f->state = PPP_ST_INITIAL;
	f->restart = 0;
	f->failures = 0;
	f->timer_on = false;
	f->conf = conf ? *conf : def;
}

bool ppp_fsm_timer_state(enum ppp_fsm_state s)
{
	return s == PPP_ST_CLOSING || s == PPP_ST_STOPPING || s == PPP_ST_REQ_SENT ||
	       s == PPP_ST_ACK_RCVD || s == PPP_ST_ACK_SENT;
}

enum ppp_fsm_event ppp_fsm_timeout_event(const struct ppp_fsm *f)
{
	return f->restart > 0 ? PPP_EV_TO_PLUS : PPP_EV_TO_MINUS;
}

int ppp_fsm_step(struct ppp_fsm *f, enum ppp_fsm_event ev, struct ppp_fsm_result *r)
{
	if ((unsigned)ev >= PPP_EV_COUNT || f->state >= PPP_ST_COUNT)
		return -EINVAL;
	const struct cell *c = &tab[ev][f->state];
	r->from = f->state;
	r->n = 0;
	r->timer = 0;
	r->illegal = c->illegal != 0;
	if (r->illegal) {
		r->to = f->state;
		return 0;
	}
	/* §4.4 irc: Max-Terminate when the cell goes on to send
	 * Terminate-Request, Max-Configure otherwise. */
	bool sends_term = false;
	for (int i = 0; i < PPP_FSM_MAX_ACTS; i++)
		if (c->acts[i] == PPP_A_STR)
			sends_term = true;
	bool arm = false;
	for (int i = 0; i < PPP_FSM_MAX_ACTS && c->acts[i]; i++) {
		uint8_t a = c->acts[i];
		r->acts[r->n++] = a;
		switch (a) {
		case PPP_A_IRC:
			f->restart = sends_term ? f->conf.max_terminate : f->conf.max_configure;
			f->failures = 0;
			break;
		case PPP_A_ZRC:
			/* §4.4: zero the counter but still run the timer, so
			 * the peer gets one period to see our Terminate-Ack. */
			f->restart = 0;
			arm = true;
			break;
		case PPP_A_SCR:
		case PPP_A_STR:
			/* §4.6: the counter drops on every transmission. */
			if (f->restart > 0)
				f->restart--;
			arm = true;
			break;
		case PPP_A_SCA:
			f->failures = 0;
			break;
		default:
			break;
		}
	}
	f->state = c->next;
	r->to = c->next;
	if (!ppp_fsm_timer_state(f->state)) {
		if (f->timer_on)
			r->timer = -1;
		f->timer_on = false;
	} else if (arm) {
		r->timer = 1;
		f->timer_on = true;
	}
	return 0;
}

static const char *const st_names[PPP_ST_COUNT] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing",
	"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};
static const char *const ev_names[PPP_EV_COUNT] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
	"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};
static const char *const act_names[PPP_A_COUNT] = {
	"-", "tlu", "tld", "tls", "tlf", "irc", "zrc", "scr", "sca", "scn", "str", "sta", "scj", "ser",
};

const char *ppp_fsm_state_name(unsigned s)
{
	return s < PPP_ST_COUNT ? st_names[s] : NULL;
}

const char *ppp_fsm_event_name(unsigned ev)
{
	return ev < PPP_EV_COUNT ? ev_names[ev] : NULL;
}

const char *ppp_fsm_action_name(unsigned a)
{
	return a < PPP_A_COUNT ? act_names[a] : NULL;
}
