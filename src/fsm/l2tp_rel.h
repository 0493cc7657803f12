/*
 * RFC 2661 §5.8 reliable delivery of control messages, one instance per
 * tunnel, with the slow start and congestion avoidance of Appendix A.
 *
 * Pure: time (milliseconds, any epoch) comes in as an argument, nothing is
 * allocated, nothing is sent. Storage for the retransmit queue and the
 * reorder slots is one caller-supplied byte area laid out by l2tp_rel_init();
 * l2tp_rel_mem_size() says how much a given capacity needs: the per-tunnel
 * cost is (tx_slots + rx_slots) * (slot_size + sizeof(struct l2tp_rel_slot))
 * bytes plus sizeof(struct l2tp_rel) (see docs/rfc-notes/rfc2661.md for the
 * figures with the defaults).
 *
 * Use:
 *   l2tp_rel_input()   for every received control datagram (header decoded)
 *   l2tp_rel_next()    repeatedly: in-order messages for the FSM, one by one
 *   l2tp_rel_queue()   to send a control message (Ns assigned here)
 *   l2tp_rel_poll()    to collect what must go on the wire now and the
 *                      next deadline at which poll must be called again.
 */
#ifndef L2TPNS_FSM_L2TP_REL_H
#define L2TPNS_FSM_L2TP_REL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/l2tp.h"

/* §5.8 sequence numbers: 16-bit, compared in modular arithmetic. a is
 * "before" b when b - a (mod 2^16) lies in 1..32767; §5.8 counts a value as
 * old when it is within the 32767 values preceding the last received one. */
static inline bool l2tp_seq_before(uint16_t a, uint16_t b)
{
	uint16_t d = (uint16_t)(b - a);
	return d != 0 && d < 0x8000u;
}

struct l2tp_rel_conf {
	uint32_t rto_initial_ms; /* §5.8: 1 s recommended */
	uint32_t rto_max_ms;	 /* §5.8: cap, no less than 8 s */
	uint8_t max_retries;	 /* §5.8: 5 recommended */
	uint32_t ack_delay_ms;	 /* delay before a ZLB, to give piggy-backing a chance */
	bool slow_start;	 /* Appendix A */
	uint32_t hold_ack_ms;	 /* acknowledge held messages after this long */
};

#define L2TP_REL_CONF_DEFAULT { 1000, 8000, 5, 100, true, 500 }

/* Absolute deadlines; UINT64_MAX means "not armed". */
#define L2TP_NEVER UINT64_MAX

struct l2tp_rel_slot {
	uint16_t len; /* 0: empty */
	uint16_t ns;
	uint8_t *data;
};

struct l2tp_rel {
	struct l2tp_rel_conf conf;
	uint16_t peer_tid;    /* Tunnel ID written in our headers */
	uint16_t peer_window; /* §5.8: 4 when the peer sent no Receive Window Size */

	/* Sending side. Queue holds Ns una .. ns_next-1; snd_next is the next one
	 * to put on the wire (it goes back to una after a timeout), snd_max one
	 * past the highest ever sent (so an Nr can only acknowledge what was sent). */
	uint16_t ns_next, una, snd_next, snd_max;
	uint16_t tx_cap, tx_head; /* ring: Ns una lives in tx[tx_head] */
	struct l2tp_rel_slot *tx;
	uint16_t cwnd, ssthresh, ca_acks; /* Appendix A, in messages */
	uint8_t retries;		  /* timeouts of the oldest message */
	uint64_t rtx_at;		  /* retransmission deadline */
	bool failed;			  /* retries exhausted: tunnel must go */

	/* Receiving side. nr is the next Ns expected (and the Nr we send);
	 * dv the next Ns to hand to the FSM (dv .. nr-1 received, waiting). */
	uint16_t nr, dv;
	uint16_t rx_cap, rx_head; /* ring: Ns dv lives in rx[rx_head] */
	struct l2tp_rel_slot *rx;
	uint16_t slot_size;
	uint16_t tx_reserve; /* slots kept free for locally originated messages */
	bool drain;	     /* closing: deliver without reserving a reply slot */
	bool holding;	     /* a message waits for transmit room */
	uint64_t hold_since;
	bool ack_pending;
	uint64_t ack_at;

	/* Counters for "show tunnel" and tests. */
	uint32_t dup_rx, ooo_rx, outside_rx, toobig_rx, bad_nr, rtx_count, zlb_sent, held;
};

/* One datagram to put on the wire (points into rel storage, valid until the
 * next call that changes the queue). */
struct l2tp_rel_pkt {
	const uint8_t *p;
	uint16_t len;
};

#define L2TP_REL_MAX_TX 64

struct l2tp_rel_tx {
	uint16_t n;
	struct l2tp_rel_pkt pkt[L2TP_REL_MAX_TX];
	bool zlb;	  /* a ZLB acknowledgement is in zlb_buf */
	uint8_t zlb_buf[12];
	uint64_t deadline; /* call poll again at this time (L2TP_NEVER: no timer) */
	bool failed;	   /* retransmissions exhausted (§5.8): tear the tunnel down */
};

/* Bytes of storage for the given capacities. */
size_t l2tp_rel_mem_size(uint16_t tx_slots, uint16_t rx_slots, uint16_t slot_size);

/*
 * Lay out the state over mem (aligned for pointers, at least
 * l2tp_rel_mem_size() bytes). rx_slots is our receive window, advertised in
 * SCCRP. Returns 0, or -EINVAL (zero capacity, slot_size below 12, too little
 * memory, tx_slots < 2).
 */
int l2tp_rel_init(struct l2tp_rel *r, const struct l2tp_rel_conf *conf, void *mem, size_t memlen,
		  uint16_t tx_slots, uint16_t rx_slots, uint16_t slot_size);

/* The window we advertise (Receive Window Size AVP). */
uint16_t l2tp_rel_our_window(const struct l2tp_rel *r);
/* Peer's Receive Window Size (0 or absent => §5.8 default 4) and Tunnel ID. */
void l2tp_rel_set_peer(struct l2tp_rel *r, uint16_t peer_tid, uint16_t peer_window);

enum l2tp_rel_in {
	L2TP_REL_IN_ZLB = 0,	/* acknowledgement only */
	L2TP_REL_IN_NEW = 1,	/* stored; l2tp_rel_next() may now deliver */
	L2TP_REL_IN_DUP = 2,	/* already received: acknowledged again, dropped */
	L2TP_REL_IN_OUTSIDE = 3,/* beyond our window: dropped (the peer will retransmit) */
	L2TP_REL_IN_TOOBIG = 4, /* larger than a slot: dropped */
};

/*
 * Account one received control message (header h, whole datagram pkt/len):
 * its Nr releases acknowledged messages, its Ns is stored for in-order
 * delivery. Returns an enum l2tp_rel_in.
 */
int l2tp_rel_input(struct l2tp_rel *r, const struct l2tp_hdr *h, const uint8_t *pkt, size_t len,
		   uint64_t now);

/*
 * Next in-order message for the FSM (the whole datagram, header included).
 * Returns 1 and sets *p and *len (valid until the next rel call), or 0 when
 * nothing is ready. A message is handed out (and acknowledged) only while
 * the transmit queue has room for the one reply the FSM may queue;
 * otherwise it stays stored until the peer acknowledges some of ours, or
 * hold_ack_ms passes and l2tp_rel_poll() acknowledges it anyway.
 */
int l2tp_rel_next(struct l2tp_rel *r, uint64_t now, const uint8_t **p, size_t *len);

/* Free transmit slots. */
uint16_t l2tp_rel_tx_free(const struct l2tp_rel *r);
/* Messages queued or in flight, not yet acknowledged. */
uint16_t l2tp_rel_unacked(const struct l2tp_rel *r);

/*
 * Encode m and queue it (Ns assigned now, Nr written when it goes out).
 * reserved=true may use the slots held back for StopCCN/HELLO. rv: random
 * bytes for hidden AVPs (may be NULL when m->hidden is 0). Returns 0,
 * -ENOBUFS when the queue is full, or a negative l2tp_err from the encoder.
 */
int l2tp_rel_queue(struct l2tp_rel *r, uint16_t sid, const struct l2tp_msg *m,
		   const struct l2tp_secret *sec, const uint8_t *rv, size_t rv_len, bool reserved);

/* Collect transmissions due at now: new messages the windows allow, a
 * retransmission when the timer expired, a ZLB when an acknowledgement is
 * due and nothing carried it. */
void l2tp_rel_poll(struct l2tp_rel *r, uint64_t now, struct l2tp_rel_tx *tx);

/* Retransmission timeout for attempt n (0 = first transmission). */
uint32_t l2tp_rel_rto(const struct l2tp_rel_conf *c, unsigned n);
/* §5.7 "full retransmission cycle": sum of every timeout up to giving up
 * (31 s with the defaults). */
uint64_t l2tp_rel_cycle_ms(const struct l2tp_rel_conf *c);

#endif
