/*
 * RADIUS request retransmission automaton: the transition table of
 * radius_req.h, every (state, event) cell decided below.
 */
#include "fsm/radius_req.h"

#include <errno.h>
#include <string.h>

typedef void (*rreq_fn)(struct rreq *r, const struct rreq_conf *c, uint8_t start,
			uint64_t now, struct rreq_out *o);

static void act(struct rreq_out *o, uint8_t type, uint8_t server, uint64_t at)
{
	if (o->n < sizeof o->a / sizeof o->a[0])
		o->a[o->n++] = (struct rreq_act){.type = type, .server = server, .at = at};
}

/* RFC 5080 §2.2.1: the interval doubles on every retransmission, capped. */
static uint64_t interval(const struct rreq_conf *c, uint8_t tries)
{
	uint64_t iv = c->timeout_ms;
	for (uint8_t i = 1; i < tries && iv < c->cap_ms; i++)
		iv *= 2;
	return iv < c->cap_ms ? iv : c->cap_ms;
}

static void arm(struct rreq *r, const struct rreq_conf *c, uint64_t now, struct rreq_out *o)
{
	r->deadline = now + interval(c, r->tries);
	act(o, RREQ_A_TIMER, 0, r->deadline);
}

static void ignore(struct rreq *r, const struct rreq_conf *c, uint8_t start, uint64_t now,
		   struct rreq_out *o)
{
	(void)r, (void)c, (void)start, (void)now, (void)o;
}

static void start(struct rreq *r, const struct rreq_conf *c, uint8_t s, uint64_t now,
		  struct rreq_out *o)
{
	if (r->state == RREQ_EXHAUSTED)
		r->rounds++;
	r->state = RREQ_WAIT;
	r->server = s;
	r->servers_tried = 1;
	r->tries = 1;
	act(o, RREQ_A_SEND, s, 0);
	arm(r, c, now, o);
}

static void timeout(struct rreq *r, const struct rreq_conf *c, uint8_t s, uint64_t now,
		    struct rreq_out *o)
{
	(void)s;
	if (now < r->deadline) {	/* a timer for an earlier deadline */
		act(o, RREQ_A_TIMER, 0, r->deadline);
		return;
	}
	if (r->tries < c->tries) {
		r->tries++;
		act(o, RREQ_A_RESEND, r->server, 0);
		arm(r, c, now, o);
		return;
	}
	act(o, RREQ_A_SERVER_FAILED, r->server, 0);
	if (r->servers_tried < c->nservers) {
		/* RFC 2865 §2.5: "an alternate server" after the retries; the
		 * packet changes (new Identifier), hence SEND, not RESEND */
		r->server = (uint8_t)((r->server + 1) % c->nservers);
		r->servers_tried++;
		r->tries = 1;
		act(o, RREQ_A_SEND, r->server, 0);
		arm(r, c, now, o);
		return;
	}
	r->state = RREQ_EXHAUSTED;
	act(o, RREQ_A_EXHAUSTED, r->server, 0);
}

static void answered(struct rreq *r, const struct rreq_conf *c, uint8_t s, uint64_t now,
		     struct rreq_out *o)
{
	(void)c, (void)s, (void)now;
	r->state = RREQ_DONE;
	act(o, RREQ_A_STOP_TIMER, 0, 0);
	act(o, RREQ_A_DONE, r->server, 0);
}

static void cancel_wait(struct rreq *r, const struct rreq_conf *c, uint8_t s, uint64_t now,
			struct rreq_out *o)
{
	(void)c, (void)s, (void)now;
	r->state = RREQ_DONE;
	act(o, RREQ_A_STOP_TIMER, 0, 0);
}

static void cancel_quiet(struct rreq *r, const struct rreq_conf *c, uint8_t s, uint64_t now,
			 struct rreq_out *o)
{
	(void)c, (void)s, (void)now, (void)o;
	r->state = RREQ_DONE;
}

static const rreq_fn table[RREQ_NSTATES][RREQ_NEVENTS] = {
	/*                 START   TIMEOUT  RESPONSE  CANCEL */
	[RREQ_IDLE]      = {start,  ignore,  ignore,   cancel_quiet},
	/* START while waiting: already on its way, nothing to add */
	[RREQ_WAIT]      = {ignore, timeout, answered, cancel_wait},
	[RREQ_DONE]      = {ignore, ignore,  ignore,   ignore},
	/* an exhausted request holds no Identifier: a late answer cannot be
	 * matched to it; START begins a new round (parked accounting) */
	[RREQ_EXHAUSTED] = {start,  ignore,  ignore,   cancel_quiet},
};

void rreq_init(struct rreq *r)
{
	memset(r, 0, sizeof *r);
}

int rreq_step(struct rreq *r, const struct rreq_conf *c, enum rreq_event ev,
	      uint8_t start_server, uint64_t now, struct rreq_out *o)
{
	if (!r || !c || !o || (unsigned)ev >= RREQ_NEVENTS || r->state >= RREQ_NSTATES ||
	    c->nservers == 0 || c->nservers > RREQ_MAX_SERVERS || c->tries == 0 ||
	    c->timeout_ms == 0 || c->cap_ms < c->timeout_ms ||
	    (ev == RREQ_EV_START && start_server >= c->nservers))
		return -EINVAL;
	o->n = 0;
	table[r->state][ev](r, c, start_server, now, o);
	return 0;
}

const char *rreq_state_name(enum rreq_state s)
{
	static const char *const n[] = {"idle", "wait", "done", "exhausted"};
	return (unsigned)s < RREQ_NSTATES ? n[s] : "?";
}

const char *rreq_event_name(enum rreq_event e)
{
	static const char *const n[] = {"start", "timeout", "response", "cancel"};
	return (unsigned)e < RREQ_NEVENTS ? n[e] : "?";
}
