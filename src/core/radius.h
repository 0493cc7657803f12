/*
 * The RADIUS client (RFC 2865 authentication, RFC 2866 accounting) and the
 * session policy it brings (RFC 2865 §5 attributes of Access-Accept).
 *
 * Transport (radius.c): RAD_NSOCK UDP sockets x 256 Identifiers, so
 * thousands of requests can be in flight; each request runs the pure
 * retransmission automaton of fsm/radius_req.h; the client keeps per-server
 * health (a server that let a request exhaust its tries is skipped for a
 * hold-down period, so one dead primary does not cost every login its
 * timeouts). Responses are accepted only from the server the request went
 * to, with a valid Response Authenticator and, for Access-* replies when
 * radius_require_message_authenticator is set, a valid
 * Message-Authenticator (RFC 3579 §3.2); everything else is a counted drop.
 *
 * Accounting never forgets a record on its own: requests are retried until
 * acknowledged; when every server has failed the client is "down": parked
 * records wait in order and a single probe is in flight; the first answer
 * drains the queue. The queue is bounded (radius_accounting_queue): at the
 * bound the oldest waiting Interim-Update goes first, then the oldest Start,
 * and a Stop only when nothing else is left (each counted and logged).
 *
 * Session side (radius_sess.c): Access-Request from a PPP authentication,
 * Access-Accept applied to the session (address, routes, timeouts, Class,
 * interim interval, DNS, Filter-Id, Cisco-AVPairs), Start/Interim/Stop,
 * Accounting-On/Off, Session-Timeout, Idle-Timeout.
 */
#ifndef L2TPNS_CORE_RADIUS_H
#define L2TPNS_CORE_RADIUS_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/radius.h"
#include "fsm/radius_req.h"
#include "io/timer.h"

struct lns;
struct session;

#define RAD_NSOCK 32		/* x 256 Identifiers = 8192 requests in flight */
#define RAD_SLOTS (RAD_NSOCK * 256)
#define RAD_AUTH_MAX 16384	/* Access-Requests outstanding (in flight + waiting) */
#define RAD_HOLD_DOWN_MS 30000	/* a failed server is skipped this long */
#define RAD_MAX_SERVERS 2
#define RAD_CWND_MIN 8
#define RAD_CWND_START 128

enum rad_kind { RAD_KIND_AUTH = 1, RAD_KIND_ACCT };

struct rad_server {
	uint32_t addr;		/* host order */
	uint16_t auth_port, acct_port;
	uint64_t dead_until;	/* monotonic ms; 0 = healthy */
	uint64_t sent, answered, timeouts;
	bool ma_seen;		/* it signs its Access-* answers: require it (auto) */
};

struct rad_req {
	uint8_t kind;		/* enum rad_kind; 0 = free */
	uint8_t status;		/* ACCT: Acct-Status-Type */
	bool on_queue;		/* on the waiting list */
	uint16_t slot;		/* socket * 256 + Identifier, + 1; 0 = none held */
	uint16_t len;		/* AUTH: packet; ACCT: stored attributes */
	uint8_t server;		/* where the packet in flight went */
	bool sent_once;		/* AUTH: a new SEND needs a new authenticator */
	struct rreq fsm;
	struct io_timer timer;
	uint32_t sess, sess_uid; /* AUTH: the session waiting for the verdict */
	uint64_t created_ms;	/* ACCT: the event's time, for Acct-Delay-Time */
	uint32_t qprev, qnext;	/* waiting list (indices + 1) */
	uint32_t fnext;		/* free list */
	uint8_t auth[16];	/* authenticator of the packet in flight */
	uint8_t *buf;		/* AUTH: the packet; ACCT: its attributes */
	uint8_t *pkt;		/* ACCT: the packet in flight (RESEND sends it unchanged) */
	uint16_t pktlen;
	struct lns *lns;
};

struct rad_counters {
	uint64_t auth_sent, auth_retrans, auth_accept, auth_reject, auth_challenge, auth_timeout;
	uint64_t acct_sent, acct_retrans, acct_ok, acct_parked, acct_dropped_interim,
		acct_dropped_start, acct_dropped_stop;
	uint64_t rx, rx_bad, rx_unknown_id, rx_wrong_source, rx_bad_auth, rx_no_msg_auth,
		rx_bad_code, no_slot, send_err, window_cuts;
};

struct rad_client {
	struct lns *lns;
	int fd[RAD_NSOCK];
	uint16_t port[RAD_NSOCK];
	uint32_t idmap[RAD_SLOTS];	/* request index + 1 */
	uint32_t cursor;		/* next slot to try */
	uint32_t nslots_used;
	/* requests in flight are limited by a window, as a congestion window:
	 * a retransmission halves it (at most once a second), each answer
	 * grows it by 1/window (RFC 5080 §2.2.1 wants clients not to
	 * overwhelm a slow server; a burst of thousands of logins otherwise
	 * overflows the server's socket and turns into timeouts) */
	uint32_t cwnd, cwnd_acc;
	uint64_t cwnd_cut_ms;
	struct rad_server srv[RAD_MAX_SERVERS];
	uint8_t nsrv;
	uint32_t nas_ip;		/* source address towards the first server */
	bool down;			/* every server failed; cleared by any answer */
	struct rad_req *req;
	uint32_t nreq, rfree;
	uint32_t nauth, nacct;		/* outstanding per kind */
	uint32_t acct_max;
	/* waiting lists (indices + 1): Access-Requests go first (a login
	 * waits on them), accounting in order */
	struct rad_queue {
		uint32_t head, tail, len;
	} qa, qc;
	uint32_t qlen;			/* qa.len + qc.len */
	struct rreq_conf conf;
	struct io_timer pump_timer;
	struct rad_counters c;
	uint8_t rxbuf[RADIUS_MAX_LEN + 1];
};

/* ---- radius.c: transport ---- */
/* Open the sockets and size the tables from the configuration; 0 when no
 * server is configured (client stays closed), -errno on failure. */
int rad_open(struct lns *l);
void rad_close(struct lns *l);
/* Configuration reload: servers, secret, timeouts (sockets stay). */
void rad_reconfigure(struct lns *l);
bool rad_enabled(const struct lns *l);
/* NAS-IP-Address: bind_address, else the address we reach the first server
 * from (RFC 2865 §5.4; 0 when unknown). */
uint32_t rad_nas_ip(const struct lns *l);
/* Accounting requests not yet acknowledged. */
uint32_t rad_acct_outstanding(const struct lns *l);

/* A new request of `kind` carrying buf[0..len) (ownership taken: malloc'd);
 * AUTH: a complete Access-Request built by rad_build_access (the client
 * sets Identifier and authenticator per send); ACCT: attributes only.
 * Returns the request index (> 0) or -errno. */
int rad_submit(struct lns *l, uint8_t kind, uint8_t status, uint8_t *buf, uint16_t len,
	       uint32_t sess, uint32_t sess_uid);
/* Forget an Access-Request whose session went away. */
void rad_cancel(struct lns *l, uint32_t idx);

/* ---- radius_sess.c: the session side ---- */
/* PPP asked for a verdict: user and PAP password or CHAP id/response/challenge. */
int lns_radius_auth(struct lns *l, struct session *s, const char *user, const uint8_t *pw,
		    size_t pwlen, bool chap, uint8_t chap_id, const uint8_t *challenge);
/* The verdict arrived (code = Access-Accept/Reject/Challenge, or 0 on timeout). */
void lns_radius_auth_done(struct lns *l, uint32_t sess, uint32_t uid, const struct radius_pkt *p);
/* Accounting for a session: Start when it comes up, Stop when it is freed. */
void lns_radius_acct_start(struct lns *l, struct session *s);
void lns_radius_acct_stop(struct lns *l, struct session *s);
void lns_radius_acct_onoff(struct lns *l, uint8_t status);
/* Arm the session's policy timer (timeouts, interim) after a change. */
void lns_radius_policy_arm(struct lns *l, struct session *s);
void lns_radius_policy_cb(void *ctx, struct io_timer *t, uint64_t now);
/* Apply the policy attributes of an Access-Accept or CoA-Request. Returns
 * 0 or an RFC 5176 Error-Cause for a CoA it cannot honour. */
int lns_radius_apply(struct lns *l, struct session *s, const struct radius_pkt *p, bool coa);
/* Acct-Session-Id text of a session (16 hex digits + NUL). */
void lns_radius_session_id(const struct session *s, char out[17]);

/* ---- dae.c: RFC 5176 Disconnect / CoA ---- */
int lns_dae_open(struct lns *l);
void lns_dae_close(struct lns *l);

#endif
