/*
 * The LNS side of the RFC 2661 §7.2 control connection state machine, on
 * top of the §5.8 reliable delivery of l2tp_rel.h.
 *
 * Pure: the caller hands in received datagrams, the time and random bytes;
 * the tunnel hands back what happened (struct l2tp_tun_out) and what must go
 * on the wire (struct l2tp_rel_tx from l2tp_tunnel_poll). Session-scoped
 * messages (ICRQ, ICCN, CDN, WEN, SLI, OC*) are returned to the caller, who
 * owns the session table, for l2tp_session.h.
 *
 * Calling sequence for one received control datagram:
 *   l2tp_hdr_decode(); find the tunnel (Tunnel ID, or for an SCCRQ with
 *   Tunnel ID 0 the peer address + Assigned Tunnel ID, l2tp_tunnel_is_sccrq_dup);
 *   l2tp_tunnel_input();
 *   while (l2tp_tunnel_next(...) > 0) { act on out; route session messages }
 *   l2tp_tunnel_poll() and transmit; call poll again at tx.deadline.
 */
#ifndef L2TPNS_FSM_L2TP_TUNNEL_H
#define L2TPNS_FSM_L2TP_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/l2tp.h"
#include "fsm/l2tp_ids.h"
#include "fsm/l2tp_rel.h"

/* States. IDLE..ESTABLISHED are the §7.2.1 states an LNS passes through
 * (wait-ctl-reply belongs to the originator, which we never are). CLOSING
 * keeps the tunnel for a full retransmission cycle after a StopCCN, sent or
 * received (§5.7), so retransmissions are still acknowledged. DEAD: the
 * caller frees the tunnel. */
enum l2tp_tun_state {
	L2TP_TUN_IDLE = 0,
	L2TP_TUN_WAIT_CTL_CONN,
	L2TP_TUN_ESTABLISHED,
	L2TP_TUN_CLOSING,
	L2TP_TUN_DEAD,
	L2TP_TUN_STATE_COUNT
};

/* Events: received messages after the acceptability checks of §7.2 (the
 * classifier l2tp_tunnel_classify() decides "acceptable"), and local ones. */
enum l2tp_tun_event {
	L2TP_TEV_SCCRQ_OK = 0,
	L2TP_TEV_SCCRQ_BAD,
	L2TP_TEV_SCCRP,
	L2TP_TEV_SCCCN_OK,
	L2TP_TEV_SCCCN_BAD,
	L2TP_TEV_STOPCCN,
	L2TP_TEV_HELLO,
	L2TP_TEV_CALL_MSG,	/* ICRQ ICRP ICCN CDN OCRQ OCRP OCCN WEN SLI */
	L2TP_TEV_MSG_BAD,	/* tunnel-scoped message that must clear the tunnel */
	L2TP_TEV_HELLO_DUE,	/* quiet for hello_ms */
	L2TP_TEV_ADMIN_CLOSE,
	L2TP_TEV_RTX_FAIL,	/* §5.8 retransmissions exhausted */
	L2TP_TEV_HOLD_DONE,	/* full retransmission cycle after StopCCN over */
	L2TP_TEV_SETUP_TIMEOUT, /* no SCCCN after our SCCRP */
	L2TP_TEV_COUNT
};

enum l2tp_tun_action {
	L2TP_TA_NONE = 0,	/* accepted; only the acknowledgement goes out */
	L2TP_TA_SEND_SCCRP,
	L2TP_TA_STOPCCN,	/* send StopCCN, tunnel down, hold */
	L2TP_TA_UP,		/* tunnel established */
	L2TP_TA_ROUTE,		/* hand the message to the session layer */
	L2TP_TA_REFUSE_CALL,	/* CDN result 2 error 1 to an ICRQ, else nothing */
	L2TP_TA_SEND_HELLO,
	L2TP_TA_PEER_STOP,	/* peer's StopCCN: tunnel down, hold */
	L2TP_TA_DOWN_FREE,	/* tunnel down without StopCCN, free at once */
	L2TP_TA_FREE,		/* clean up: free the tunnel */
	L2TP_TA_IGNORE,		/* not meaningful in this state: dropped, counted */
	L2TP_TA_COUNT
};

/* Why a tunnel left service; every session on it ends with this reason. */
enum l2tp_down_reason {
	L2TP_DOWN_NONE = 0,
	L2TP_DOWN_PEER_STOPCCN, /* result/error: the peer's */
	L2TP_DOWN_LOCAL_STOPCCN,/* result/error: ours (protocol error, auth, admin) */
	L2TP_DOWN_TIMEOUT,	/* control messages unacknowledged */
	L2TP_DOWN_SETUP,	/* never established */
};

struct l2tp_tunnel_conf {
	struct l2tp_rel_conf rel;
	uint32_t hello_ms;  /* HELLO after this much silence (60 s); 0: never */
	uint32_t setup_ms;  /* SCCCN must follow SCCRP within this (60 s) */
	const char *host_name;
	const char *vendor_name; /* optional */
	uint32_t framing_cap, bearer_cap;
	uint16_t firmware_rev;
	struct l2tp_secret secret; /* len 0: no tunnel authentication */
	uint16_t tx_slots, rx_slots, slot_size; /* reliable delivery storage */
};

/* 16 + 16 slots of 1500 bytes (a control message fills at most one
 * unfragmented datagram in practice): 48.5 KB of storage per tunnel. */
#define L2TP_TUNNEL_CONF_DEFAULT                                                             \
	{ L2TP_REL_CONF_DEFAULT, 60000, 60000, "l2tpns", NULL, 3, 0, 0, { NULL, 0 }, 16, 16, \
	  1500 }

struct l2tp_tunnel {
	uint8_t state; /* enum l2tp_tun_state */
	uint16_t our_tid, peer_tid;
	struct l2tp_peer peer;
	const struct l2tp_tunnel_conf *conf; /* shared, owned by the caller */
	struct l2tp_rel rel;
	uint8_t our_chal[16];
	bool chal_sent;
	/* Refusal decided by the caller before the SCCRQ is processed (result
	 * 6 when shutting down, 2/4 when out of tunnels); 0: accept. */
	uint16_t refuse_result, refuse_error;
	uint64_t last_rx;     /* any packet from the peer, data included */
	uint64_t last_hello;  /* last HELLO we queued */
	uint64_t hold_until;  /* CLOSING */
	uint64_t setup_until; /* WAIT_CTL_CONN */
	uint32_t ignored;     /* IGNORE cells taken */
};

/* Outcome of one event. */
struct l2tp_tun_out {
	bool stepped;		/* an event was processed; the fields below apply */
	uint8_t ev, act, from, to;
	bool up, down, free;
	uint8_t reason;		/* enum l2tp_down_reason, with down */
	uint16_t result, error; /* the StopCCN sent or received */
	/* L2TP_TA_ROUTE: the message (in the caller's scratch), its header
	 * Session ID and decode status (0, or L2TP_E_UNKNOWN_M and other errors
	 * for l2tp_session_classify). */
	const struct l2tp_msg *msg;
	uint16_t sid;
	int dec_err;
	int err; /* a send that failed (-ENOBUFS ...) */
};

/* Classification of a received message. */
struct l2tp_tun_cls {
	uint8_t ev;
	uint16_t result, error;
	const char *text;
};

/* Memory the reliable delivery of one tunnel needs (pass to init). */
size_t l2tp_tunnel_mem_size(const struct l2tp_tunnel_conf *c);

int l2tp_tunnel_init(struct l2tp_tunnel *t, const struct l2tp_tunnel_conf *c, uint16_t our_tid,
		     const struct l2tp_peer *peer, void *mem, size_t memlen, uint64_t now);

/* An SCCRQ with Tunnel ID 0 from peer carrying Assigned Tunnel ID atid is a
 * retransmission for t when it comes from the same address and port with
 * the same Assigned Tunnel ID while t still waits for SCCCN (§5.8): feed it
 * to t, do not open a tunnel. Once t is established the same SCCRQ means
 * the LAC restarted: open a new tunnel (and close t). */
bool l2tp_tunnel_is_sccrq_dup(const struct l2tp_tunnel *t, const struct l2tp_peer *peer,
			      uint16_t atid);

/* A received control datagram for this tunnel. Returns enum l2tp_rel_in. */
int l2tp_tunnel_input(struct l2tp_tunnel *t, const uint8_t *pkt, size_t len,
		      const struct l2tp_hdr *h, uint64_t now);
/* A data message arrived for this tunnel: the peer is alive (HELLO timer). */
void l2tp_tunnel_note_rx(struct l2tp_tunnel *t, uint64_t now);

/*
 * Process the next in-order message: decode it into *scratch (which must
 * outlive the use of out->msg), classify, step. rnd: 16 random bytes (our
 * Challenge, when one is sent). Returns 1 with *out filled, 0 when nothing
 * is ready.
 */
int l2tp_tunnel_next(struct l2tp_tunnel *t, uint64_t now, const uint8_t rnd[16],
		     struct l2tp_msg *scratch, struct l2tp_tun_out *out);

/* §7.2 acceptability of one decoded message (dec_err: l2tp_msg_decode's
 * result). Returns the event, or -1 when the message is to be ignored
 * (unknown Message Type without the M bit, §4.4.1; a stray ZLB). */
int l2tp_tunnel_classify(const struct l2tp_tunnel *t, int dec_err, const struct l2tp_msg *m,
			 struct l2tp_tun_cls *c);

/* Apply one event (the transition table). m: the message for received
 * events (may be NULL otherwise); c: result/error for StopCCN cells. */
int l2tp_tunnel_step(struct l2tp_tunnel *t, enum l2tp_tun_event ev, const struct l2tp_msg *m,
		     const struct l2tp_tun_cls *c, uint64_t now, const uint8_t rnd[16],
		     struct l2tp_tun_out *out);

/* Local close (admin "drop tunnel", shutdown): StopCCN with result/error. */
int l2tp_tunnel_close(struct l2tp_tunnel *t, uint16_t result, uint16_t error, const char *text,
		      uint64_t now, struct l2tp_tun_out *out);

/* Timers and transmissions. At most one timer event per call (in out);
 * call again at tx->deadline or whenever something was received or queued. */
void l2tp_tunnel_poll(struct l2tp_tunnel *t, uint64_t now, struct l2tp_rel_tx *tx,
		      struct l2tp_tun_out *out);

/* Queue a session-scoped message (ICRP, CDN) for the peer. */
int l2tp_tunnel_send(struct l2tp_tunnel *t, uint16_t peer_sid, const struct l2tp_msg *m);

const char *l2tp_tun_state_name(unsigned s);
const char *l2tp_tun_event_name(unsigned e);
const char *l2tp_tun_action_name(unsigned a);

#endif
