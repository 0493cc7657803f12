/*
 * The LNS side of the RFC 2661 §7.4 incoming call state machine (§7.4.2),
 * plus the refusal of outgoing calls (we never place calls), the handling of
 * messages for sessions we do not know, and the data-path acceptance check.
 *
 * Pure: replies are queued on the tunnel's reliable delivery (l2tp_tunnel_send),
 * nothing else leaves the function; the caller acts on struct l2tp_sess_out.
 */
#ifndef L2TPNS_FSM_L2TP_SESSION_H
#define L2TPNS_FSM_L2TP_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/l2tp.h"
#include "fsm/l2tp_ids.h"
#include "fsm/l2tp_tunnel.h"

/* IDLE: created for an ICRQ, not yet answered. CLOSED: torn down, kept for
 * linger_ms so a message that crossed our CDN (an ICCN, the peer's own CDN)
 * is recognised and dropped instead of drawing a CDN for an unknown
 * session. DEAD: the caller frees it. */
enum l2tp_sess_state {
	L2TP_SESS_IDLE = 0,
	L2TP_SESS_WAIT_CONNECT,
	L2TP_SESS_ESTABLISHED,
	L2TP_SESS_CLOSED,
	L2TP_SESS_DEAD,
	L2TP_SESS_STATE_COUNT
};

enum l2tp_sess_event {
	L2TP_SEV_ICRQ_OK = 0,
	L2TP_SEV_ICRQ_BAD,
	L2TP_SEV_ICRP,
	L2TP_SEV_ICCN_OK,
	L2TP_SEV_ICCN_BAD,
	L2TP_SEV_CDN,
	L2TP_SEV_OCRQ,
	L2TP_SEV_OCRP,
	L2TP_SEV_OCCN,
	L2TP_SEV_WEN,
	L2TP_SEV_SLI,
	L2TP_SEV_MSG_BAD,	  /* other session message with an unknown M AVP (§4.1) */
	L2TP_SEV_LOCAL_CLOSE,	  /* admin, PPP ended, auth failed ... (result given) */
	L2TP_SEV_TUNNEL_DOWN,	  /* the tunnel went: end without CDN */
	L2TP_SEV_CONNECT_TIMEOUT, /* no ICCN within connect_ms */
	L2TP_SEV_LINGER_DONE,
	L2TP_SEV_COUNT
};

enum l2tp_sess_action {
	L2TP_SA_NONE = 0,
	L2TP_SA_SEND_ICRP,
	L2TP_SA_SEND_CDN, /* CDN with the classifier's / caller's result; session down */
	L2TP_SA_UP,	  /* call connected: proxy hints to PPP */
	L2TP_SA_PEER_CDN, /* the peer's CDN: session down with its codes */
	L2TP_SA_CLEANUP,  /* session down, nothing sent */
	L2TP_SA_NOTE,	  /* WEN / SLI information for the caller */
	L2TP_SA_FREE,
	L2TP_SA_IGNORE,
	L2TP_SA_COUNT
};

struct l2tp_session_conf {
	uint32_t connect_ms; /* ICRP -> ICCN (30 s) */
	uint32_t linger_ms;  /* CLOSED -> DEAD (a full retransmission cycle, 31 s) */
};

#define L2TP_SESSION_CONF_DEFAULT { 30000, 31000 }

struct l2tp_session {
	uint8_t state;
	uint16_t our_sid, peer_sid;
	uint16_t tid; /* our Tunnel ID */
	uint32_t call_serial;
	uint64_t timer_at; /* connect timeout or end of linger */
	uint32_t ignored;
};

/* Proxy LCP and authentication (§4.4.5) from ICCN, offered to PPP as hints.
 * Pointers into the decoded message: copy what is kept. */
struct l2tp_proxy {
	bool has_lcp, has_auth;
	const uint8_t *initial_rx_lcp, *last_sent_lcp, *last_rx_lcp;
	uint16_t initial_rx_lcp_len, last_sent_lcp_len, last_rx_lcp_len;
	uint16_t auth_type;
	const uint8_t *auth_name, *auth_chal, *auth_resp;
	uint16_t auth_name_len, auth_chal_len, auth_resp_len;
	uint8_t auth_id;
};

struct l2tp_sess_out {
	bool stepped;
	uint8_t ev, act, from, to;
	bool up, down, free;
	bool peer_initiated; /* down because of the peer's CDN */
	uint16_t result, error;
	bool has_error;
	bool has_q931;
	uint16_t q931_cause;
	uint8_t q931_msg;
	bool has_ppp_disc; /* RFC 3145 */
	uint16_t ppp_disc_code, ppp_disc_proto;
	uint8_t ppp_disc_dir;
	/* UP */
	struct l2tp_proxy proxy;
	uint32_t tx_speed, rx_speed, framing;
	bool seq_required;
	/* NOTE */
	bool has_accm;
	uint32_t accm_send, accm_recv;
	bool has_call_errors;
	uint8_t down_reason; /* enum l2tp_down_reason when TUNNEL_DOWN */
	int err;
};

/* Cause for SEND_CDN cells (classifier or caller) */
struct l2tp_sess_cls {
	uint8_t ev;
	uint16_t result, error;
	const char *text;
	bool has_q931;
	uint16_t q931_cause;
	uint8_t q931_msg;
};

void l2tp_session_init(struct l2tp_session *s, uint16_t tid, uint16_t our_sid);

/* Map a routed message to an event with its §4.4.2 result/error.
 * refuse_result/error: the caller's policy for a new ICRQ (0 accept; 4 no
 * resources; 2/7 try another LNS when shutting down). */
int l2tp_session_classify(int dec_err, const struct l2tp_msg *m, uint16_t refuse_result,
			  uint16_t refuse_error, struct l2tp_sess_cls *c);

/* One event; replies go through t. m may be NULL for local events. */
int l2tp_session_step(struct l2tp_session *s, const struct l2tp_session_conf *conf,
		      struct l2tp_tunnel *t, enum l2tp_sess_event ev, const struct l2tp_msg *m,
		      const struct l2tp_sess_cls *c, uint64_t now, struct l2tp_sess_out *out);

/* The session's timer fired (connect timeout, linger end); does nothing
 * before s->timer_at. */
int l2tp_session_timer(struct l2tp_session *s, const struct l2tp_session_conf *conf,
		       struct l2tp_tunnel *t, uint64_t now, struct l2tp_sess_out *out);

enum l2tp_orphan_act {
	L2TP_ORPHAN_IGNORE = 0,	 /* CDN, WEN, SLI, unknown: acknowledged only */
	L2TP_ORPHAN_CDN_INVALID, /* CDN result 2 error 5 sent */
	L2TP_ORPHAN_CDN_NO_OUTGOING, /* OCRQ: CDN result 5 sent, we place no calls */
	L2TP_ORPHAN_NEW_CALL,	 /* an ICRQ: the caller creates a session */
};

/* A session message whose header Session ID (hdr_sid) matches no session
 * (§7: a message for a session that does not exist). Queues the refusal
 * when one is due. Returns enum l2tp_orphan_act. */
int l2tp_session_orphan(struct l2tp_tunnel *t, uint16_t hdr_sid, const struct l2tp_msg *m);

/* Data path (§5.3): accept a data message only when its Tunnel ID and
 * Session ID name an established session of an established tunnel and it
 * comes from that tunnel's peer address and port. t and s are the lookups
 * by tid and sid (either may be NULL). */
bool l2tp_data_accept(const struct l2tp_tunnel *t, const struct l2tp_session *s, uint16_t tid,
		      uint16_t sid, const struct l2tp_peer *src);

const char *l2tp_sess_state_name(unsigned s);
const char *l2tp_sess_event_name(unsigned e);
const char *l2tp_sess_action_name(unsigned a);

#endif
