/*
 * The PPP link of one session, as the LNS sees it (RFC 1661 §3): phases
 * Dead, Establish, Authenticate, Network, Terminate, over one RFC 1661 §4
 * automaton per control protocol (LCP, IPCP, IPV6CP, CCP), PAP (RFC 1334)
 * and CHAP-MD5 (RFC 1994) as authenticator, and LCP echo keepalive.
 *
 * Pure. The daemon feeds it received PPP frames, clock ticks and
 * authentication verdicts; every call appends actions to a struct ppp_out
 * that the daemon executes in order: send this PPP packet, (re)arm the one
 * session timer, check these credentials, network layer up/down, link down.
 * Time and random bytes come in through struct ppp_ctx. The link structure
 * is plain data (no pointers) so a cluster can copy it.
 *
 * Driving it:
 *   ppp_out_reset(&out) before each call, then execute out.a[0..n) in order;
 *   SEND packets are PPP packets (Code, Identifier, Length, data) of
 *   protocol .proto: the daemon adds ff 03 and a two-octet protocol (always
 *   for LCP, RFC 1661 §6.5/§6.6) and the L2TP header.
 *   TIMER .at_ms is absolute (ctx.now_ms clock); call ppp_link_tick() then
 *   (early or late calls are harmless); 0 cancels.
 *   AUTH_* : answer later with ppp_link_auth_verdict(); -EINVAL means the
 *   link no longer waits for it (dropped, renegotiated): ignore.
 *   LINK_DOWN: clear the session (CDN); the link is Dead and drops input.
 *   ppp_link_input() returns PPP_RX_DELIVER for IPv4/IPv6 the daemon may
 *   forward (NCP Opened), PPP_RX_DROP or PPP_RX_CONTROL otherwise.
 */
#ifndef L2TPNS_FSM_PPP_LINK_H
#define L2TPNS_FSM_PPP_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsm/ppp_fsm.h"
#include "ppp_wire.h"

/* ---- configuration (shared by all sessions, passed in every call) ---- */

enum ppp_auth_type {
	PPP_AUTH_NONE = 0,
	PPP_AUTH_PAP = 1,  /* RFC 1334, protocol c023 */
	PPP_AUTH_CHAP = 2, /* RFC 1994 CHAP with MD5, protocol c223 algorithm 5 */
};

#define PPP_NAME_MAX 64	   /* our CHAP Name */
#define PPP_USER_MAX 128   /* peer name / PAP Peer-ID kept, RFC 1334 §2.2 allows 255 */
#define PPP_PASS_MAX 128
#define PPP_CHAP_CHALLENGE_LEN 16

struct ppp_conf {
	struct ppp_fsm_conf fsm;      /* ppp_restart_time, ppp_max_configure, ppp_max_failure */
	uint16_t l2tp_mtu;	      /* default 1500, clamped 576..2600; our MRU derives from it */
	uint16_t min_peer_mru;	      /* smallest MRU we Ack from the peer (default 576) */
	uint8_t auth[2];	      /* radius_authtypes in preference order (enum ppp_auth_type) */
	uint8_t n_auth;		      /* 1..2; 0 means no authentication at all */
	bool keepalive;		      /* ppp_keepalive: send LCP Echo-Requests */
	uint32_t echo_interval_ms;    /* echo_timeout, default 10 s of silence */
	uint32_t idle_timeout_ms;     /* idle_echo_timeout, default 240 s without any frame */
	uint32_t our_ipv4;	      /* the LNS address we claim in IPCP (host order) */
	uint32_t dns[2];	      /* primary_dns, secondary_dns (0 = none) */
	bool ipv6;		      /* ipv6_prefix set: run IPV6CP */
	uint8_t our_ifid[8];	      /* our IPV6CP Interface-Identifier (0 = random from ctx) */
	char name[PPP_NAME_MAX];      /* CHAP Name we send (hostname), NUL-terminated */
};

/* Fill c with the l2tpns defaults. */
void ppp_conf_default(struct ppp_conf *c);

/* Our MRU from l2tp_mtu: min(l2tp_mtu - 38, 1492) after clamping l2tp_mtu
 * to 576..2600 (l2tpns-reference §3: L2TP/UDP/IP overhead is 38 bytes). */
uint16_t ppp_our_mru(uint16_t l2tp_mtu);

/* ---- per-call context ---- */

#define PPP_RAND_LEN 32

struct ppp_ctx {
	const struct ppp_conf *conf;
	uint64_t now_ms;		 /* monotonic time */
	uint8_t rnd[PPP_RAND_LEN];	 /* fresh random bytes for this call */
};

/* ---- actions out ---- */

enum ppp_out_type {
	PPP_OUT_SEND = 1,	/* send .proto + data[0..len) (a PPP packet, no ff03) */
	PPP_OUT_TIMER,		/* call ppp_link_tick() at .at_ms; 0 = no timer needed */
	PPP_OUT_AUTH_PAP,	/* check user/password, answer ppp_link_auth_verdict() */
	PPP_OUT_AUTH_CHAP,	/* check user, chap id/challenge/response */
	PPP_OUT_IPV4_UP,	/* IPCP Opened: route .ipv4 (peer), start forwarding */
	PPP_OUT_IPV4_DOWN,	/* IPCP left Opened: stop forwarding IPv4 */
	PPP_OUT_IPV6_UP,	/* IPV6CP Opened: peer interface identifier in .ifid */
	PPP_OUT_IPV6_DOWN,	/* IPV6CP left Opened */
	PPP_OUT_LINK_DOWN,	/* link finished: tear the session down (CDN), .reason */
};

enum ppp_down_reason {
	PPP_DOWN_NONE = 0,
	PPP_DOWN_LCP_TIMEOUT,	  /* Max-Configure reached without LCP Opened */
	PPP_DOWN_LCP_NEGOTIATION, /* no acceptable option set (e.g. auth refused) */
	PPP_DOWN_PEER_TERMINATE,  /* peer sent LCP Terminate-Request */
	PPP_DOWN_AUTH_FAILED,	  /* verdict: reject */
	PPP_DOWN_AUTH_TIMEOUT,	  /* no PAP request / CHAP response in time */
	PPP_DOWN_ECHO_TIMEOUT,	  /* no frame for idle_timeout */
	PPP_DOWN_LOOPBACK,	  /* our own Magic-Number came back (RFC 1661 §6.4) */
	PPP_DOWN_IPCP_FAILED,	  /* IPCP could not agree on the peer's address */
	PPP_DOWN_PROTO_REJECT,	  /* peer rejected LCP or the auth protocol */
	PPP_DOWN_ADMIN,		  /* ppp_link_close() */
};

const char *ppp_down_reason_name(enum ppp_down_reason r);

struct ppp_act {
	uint8_t type;		/* enum ppp_out_type */
	uint16_t proto;		/* SEND: PPP protocol number */
	uint16_t off, len;	/* SEND: packet in ppp_out.buf */
	uint64_t at_ms;		/* TIMER */
	uint8_t reason;		/* LINK_DOWN: enum ppp_down_reason */
	uint32_t ipv4;		/* IPV4_UP: peer address; */
	uint32_t dns[2];	/* IPV4_UP: DNS servers the peer agreed to use (0 = none) */
	uint8_t ifid[8];	/* IPV6_UP: peer interface identifier */
	/* AUTH_*: credentials, lengths, the CHAP identifier and values */
	uint8_t chap_id;
	uint16_t user_len, pass_len;
	uint16_t user_off, pass_off; /* in ppp_out.buf; CHAP response in pass_* */
	uint8_t challenge[PPP_CHAP_CHALLENGE_LEN];
};

#define PPP_OUT_MAX 24
#define PPP_OUT_BUF 8192

struct ppp_out {
	unsigned n;
	struct ppp_act a[PPP_OUT_MAX];
	size_t used;
	uint8_t buf[PPP_OUT_BUF];
	bool overflow; /* an action or packet did not fit and was dropped */
};

void ppp_out_reset(struct ppp_out *o);

/* ---- the link ---- */

enum ppp_phase {
	PPP_PHASE_DEAD = 0,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};

enum ppp_cpi_index { PPP_CPI_LCP, PPP_CPI_IPCP, PPP_CPI_IPV6CP, PPP_CPI_CCP, PPP_CPI_COUNT };

#define PPP_CPI_REQ_MAX 48

/* One control protocol instance: the automaton, our identifiers and the
 * options of our last Configure-Request (RFC 1661 §5.2: an Ack must match
 * them exactly). */
struct ppp_cpi {
	struct ppp_fsm fsm;
	uint8_t next_id;	/* last Identifier we used */
	uint8_t req_id;		/* Identifier of our last Configure-Request */
	uint8_t term_id;	/* Identifier of our last Terminate-Request */
	uint8_t req_len;
	uint8_t req[PPP_CPI_REQ_MAX];
	bool rejected;		/* peer sent Protocol-Reject: send nothing more (§5.7) */
	bool passive;		/* opened passively (CCP) */
	uint64_t deadline;	/* Restart timer expiry, 0 when not running */
};

struct ppp_link {
	uint8_t phase;		/* enum ppp_phase */
	uint8_t down_reason;	/* why we closed (enum ppp_down_reason) */
	bool down_sent;		/* LINK_DOWN already emitted */
	struct ppp_cpi cp[PPP_CPI_COUNT];

	/* LCP, what we request */
	uint16_t our_mru;
	bool req_mru, req_magic;
	uint32_t our_magic;
	uint8_t auth;		/* enum ppp_auth_type we ask the peer to use */
	uint8_t auth_tried;	/* bit (1 << type) for each type offered so far */
	/* LCP, what the peer requested and we Acked */
	uint16_t peer_mru;
	uint32_t peer_magic;
	uint32_t peer_accm;
	bool peer_pfc, peer_acfc;
	uint8_t loops;		/* Configure-Requests that carried our own magic */
	bool loop_suspect;	/* the request being judged carried our magic */

	/* authentication (we are the authenticator) */
	uint8_t chap_id;
	uint8_t challenge[PPP_CHAP_CHALLENGE_LEN];
	uint8_t chap_tries;
	bool auth_pending;	/* a verdict is awaited */
	bool auth_done;		/* accepted */
	uint8_t auth_used;	/* enum ppp_auth_type of the request being judged / accepted */
	uint8_t auth_id;	/* Identifier to answer with */
	uint64_t auth_deadline;

	/* IPCP */
	bool req_ipaddr;
	uint32_t peer_ipv4;	/* address given to the session (host order) */
	uint32_t dns[2];	/* DNS we offer (verdict, else conf) */
	uint32_t peer_dns[2];	/* DNS the peer Acked */
	/* IPV6CP */
	bool req_ifid;
	uint8_t our_ifid[8];
	uint8_t peer_ifid[8];

	/* keepalive (RFC 1661 §5.8) */
	uint64_t last_rx;
	uint64_t last_echo;
	uint8_t echo_id;
	uint64_t timer_at;	/* last TIMER action emitted */
};

/* The outcome of an authentication request. */
struct ppp_verdict {
	bool accept;
	uint32_t ipv4;		/* address for the session (RADIUS or pool), host order */
	uint32_t dns[2];	/* session DNS; 0 = use conf->dns */
};

/*
 * The session exists (ICCN received): start LCP (Open, Up) and send our
 * Configure-Request.
 */
int ppp_link_start(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o);

/* The address (and DNS, may be NULL) of the session when no verdict brings
 * them (no authentication configured). */
void ppp_link_set_peer_ipv4(struct ppp_link *l, uint32_t ipv4, const uint32_t dns[2]);

/* What ppp_link_input() decided about a frame. */
enum ppp_rx {
	PPP_RX_CONTROL = 0,	/* consumed by the state machines */
	PPP_RX_DELIVER = 1,	/* IPv4/IPv6 data the daemon should forward */
	PPP_RX_DROP = 2,	/* discarded (counted by the caller) */
};

/*
 * One received PPP frame: protocol field then information, address and
 * control field (ff 03) optional, protocol possibly compressed (RFC 1661
 * §6.5/§6.6 allow the peer to omit them once agreed, some peers do it
 * anyway). Returns enum ppp_rx, or a negative error for a frame too short
 * to carry a protocol field.
 */
int ppp_link_input(struct ppp_link *l, const struct ppp_ctx *x, const uint8_t *frame, size_t len,
		   struct ppp_out *o);

/* The session timer fired (or any time: expired deadlines are processed). */
int ppp_link_tick(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o);

/* The answer to the last PPP_OUT_AUTH_* request. */
int ppp_link_auth_verdict(struct ppp_link *l, const struct ppp_ctx *x, const struct ppp_verdict *v,
			  struct ppp_out *o);

/* Administrative close (session kill): LCP Close, Terminate-Request. */
int ppp_link_close(struct ppp_link *l, const struct ppp_ctx *x, enum ppp_down_reason why,
		   struct ppp_out *o);

/* The lower layer went away (CDN/StopCCN received): LCP Down, no packet. */
int ppp_link_lower_down(struct ppp_link *l, const struct ppp_ctx *x, struct ppp_out *o);

const char *ppp_phase_name(unsigned p);

#endif
