/*
 * RFC 2661 §5.8 reliable delivery and Appendix A slow start / congestion
 * avoidance. See l2tp_rel.h for the calling sequence.
 *
 * Decisions:
 *  - Out-of-order messages inside our window are kept in reorder slots and
 *    delivered in Ns order (§5.8 allows discarding them; keeping them saves a
 *    retransmission round on a lossy path).
 *  - A message is acknowledged when the FSM takes it. When our transmit
 *    queue has no room for the reply, it waits in its slot, and so does its
 *    acknowledgement: the peer then cannot send beyond our window, and such
 *    a wait lasts about one round trip (until the peer acknowledges some of
 *    our queued replies), far below its 1 s retransmission timeout. Should
 *    the wait reach hold_ack_ms (half that timeout by default), everything
 *    stored is acknowledged anyway (§5.8: acknowledgements are not to be
 *    withheld to slow a peer down; and two peers holding back the same way
 *    must not deadlock). Receive slots count from the oldest undelivered
 *    message, so a peer that then outruns us sees drops, never overflow.
 *  - Duplicates (Ns within the 32767 values before the next expected one,
 *    §5.8) and messages beyond our window are dropped and acknowledged at
 *    once: the peer retransmits because our previous acknowledgement was lost.
 *  - An acknowledgement is piggy-backed on whatever we send next; when nothing
 *    goes out within ack_delay_ms a ZLB carries it (§5.8 ZLB ACK).
 *  - After a timeout we go back to the oldest unacknowledged message and,
 *    with slow start, resend with a congestion window of one (Appendix A:
 *    SSTHRESH = max(CWND/2, 1), CWND = 1); messages behind it follow as
 *    acknowledgements reopen the window.
 *  - The Nr of a retransmitted message is refreshed (§5.8: Nr always carries
 *    the current receive state); its Ns never changes.
 */
#include <errno.h>
#include <stdalign.h>
#include <string.h>

#include "fsm/l2tp_rel.h"

/* Control header offsets with T, L, S set and no Offset (§3.1; our encoder
 * never sets O on control messages). */
enum { HDR_NR_OFF = 10, HDR_LEN = 12 };

size_t l2tp_rel_mem_size(uint16_t tx_slots, uint16_t rx_slots, uint16_t slot_size)
{
	size_t n = (size_t)tx_slots + rx_slots;
	return n * sizeof(struct l2tp_rel_slot) + n * slot_size;
}

int l2tp_rel_init(struct l2tp_rel *r, const struct l2tp_rel_conf *conf, void *mem, size_t memlen,
		  uint16_t tx_slots, uint16_t rx_slots, uint16_t slot_size)
{
	static const struct l2tp_rel_conf def = L2TP_REL_CONF_DEFAULT;
	if (!r || !mem || tx_slots < 2 || rx_slots == 0 || slot_size < HDR_LEN ||
	    ((uintptr_t)mem % alignof(struct l2tp_rel_slot)) != 0 ||
	    memlen < l2tp_rel_mem_size(tx_slots, rx_slots, slot_size))
		return -EINVAL;
	memset(r, 0, sizeof *r);
	r->conf = conf ? *conf : def;
	if (r->conf.rto_initial_ms == 0)
		r->conf.rto_initial_ms = def.rto_initial_ms;
	if (r->conf.rto_max_ms < r->conf.rto_initial_ms)
		r->conf.rto_max_ms = r->conf.rto_initial_ms;
	r->tx = mem;
	r->rx = r->tx + tx_slots;
	uint8_t *data = (uint8_t *)(r->rx + rx_slots);
	for (unsigned i = 0; i < (unsigned)tx_slots + rx_slots; i++) {
		r->tx[i].len = 0;
		r->tx[i].ns = 0;
		r->tx[i].data = data + (size_t)i * slot_size;
	}
	r->tx_cap = tx_slots;
	r->rx_cap = rx_slots;
	r->slot_size = slot_size;
	r->tx_reserve = 1; /* one slot always left for a StopCCN */
	r->rtx_at = L2TP_NEVER;
	r->ack_at = L2TP_NEVER;
	l2tp_rel_set_peer(r, 0, 0);
	return 0;
}

uint16_t l2tp_rel_our_window(const struct l2tp_rel *r)
{
	return r->rx_cap;
}

void l2tp_rel_set_peer(struct l2tp_rel *r, uint16_t peer_tid, uint16_t peer_window)
{
	r->peer_tid = peer_tid;
	/* §5.8: absent means 4. A zero window would forbid sending anything
	 * at all, which no peer can mean; it is treated as absent. */
	r->peer_window = peer_window ? peer_window : L2TP_DEFAULT_RX_WINDOW;
	r->ssthresh = r->peer_window;
	r->cwnd = r->conf.slow_start ? 1 : r->peer_window;
	r->ca_acks = 0;
}

uint16_t l2tp_rel_unacked(const struct l2tp_rel *r)
{
	return (uint16_t)(r->ns_next - r->una);
}

uint16_t l2tp_rel_tx_free(const struct l2tp_rel *r)
{
	return (uint16_t)(r->tx_cap - l2tp_rel_unacked(r));
}

uint32_t l2tp_rel_rto(const struct l2tp_rel_conf *c, unsigned n)
{
	uint64_t v = c->rto_initial_ms;
	for (unsigned i = 0; i < n && v < c->rto_max_ms; i++)
		v *= 2;
	return v > c->rto_max_ms ? c->rto_max_ms : (uint32_t)v;
}

uint64_t l2tp_rel_cycle_ms(const struct l2tp_rel_conf *c)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i <= c->max_retries; i++)
		sum += l2tp_rel_rto(c, i);
	return sum;
}

static struct l2tp_rel_slot *tx_slot(struct l2tp_rel *r, uint16_t ns)
{
	return &r->tx[(r->tx_head + (uint16_t)(ns - r->una)) % r->tx_cap];
}

static void schedule_ack(struct l2tp_rel *r, uint64_t at)
{
	if (!r->ack_pending || at < r->ack_at) {
		r->ack_pending = true;
		r->ack_at = at;
	}
}

/* Appendix A: one acknowledged message grows CWND by one in slow start,
 * by 1/CWND in congestion avoidance; never beyond the peer's window. */
static void cwnd_on_ack(struct l2tp_rel *r)
{
	if (!r->conf.slow_start) {
		r->cwnd = r->peer_window;
		return;
	}
	if (r->cwnd < r->ssthresh) {
		r->cwnd++;
	} else if (++r->ca_acks >= r->cwnd) {
		r->ca_acks = 0;
		r->cwnd++;
	}
	if (r->cwnd > r->peer_window)
		r->cwnd = r->peer_window;
}

static void process_nr(struct l2tp_rel *r, uint16_t nr, uint64_t now)
{
	uint16_t acked = (uint16_t)(nr - r->una);
	uint16_t sent = (uint16_t)(r->snd_max - r->una);
	if (acked > sent) {
		/* An older Nr (a reordered message) says nothing new; one that
		 * acknowledges what we never sent is ignored and counted. The
		 * message itself is still processed. */
		if (!l2tp_seq_before(nr, r->una))
			r->bad_nr++;
		return;
	}
	if (acked == 0)
		return;
	for (uint16_t i = 0; i < acked; i++) {
		r->tx[r->tx_head].len = 0;
		r->tx_head = (uint16_t)((r->tx_head + 1) % r->tx_cap);
		r->una++;
		cwnd_on_ack(r);
	}
	if (l2tp_seq_before(r->snd_next, r->una))
		r->snd_next = r->una;
	r->retries = 0;
	r->rtx_at = r->una != r->snd_max ? now + l2tp_rel_rto(&r->conf, 0) : L2TP_NEVER;
}

/* Advance Nr over every contiguous message already stored. */
static void ack_stored(struct l2tp_rel *r)
{
	uint16_t d;
	while ((d = (uint16_t)(r->nr - r->dv)) < r->rx_cap && r->rx[(r->rx_head + d) % r->rx_cap].len)
		r->nr++;
}

int l2tp_rel_input(struct l2tp_rel *r, const struct l2tp_hdr *h, const uint8_t *pkt, size_t len,
		   uint64_t now)
{
	process_nr(r, h->nr, now);
	if (h->payload_len == 0)
		return L2TP_REL_IN_ZLB; /* §5.8: a ZLB's Ns is not consumed */

	if (l2tp_seq_before(h->ns, r->dv)) {
		/* Delivered before: our acknowledgement was lost. */
		r->dup_rx++;
		schedule_ack(r, now);
		return L2TP_REL_IN_DUP;
	}
	uint16_t d = (uint16_t)(h->ns - r->dv);
	if (d >= r->rx_cap) {
		r->outside_rx++;
		schedule_ack(r, now);
		return L2TP_REL_IN_OUTSIDE;
	}
	if (len > r->slot_size) {
		r->toobig_rx++;
		return L2TP_REL_IN_TOOBIG;
	}
	struct l2tp_rel_slot *s = &r->rx[(r->rx_head + d) % r->rx_cap];
	if (s->len) {
		r->dup_rx++;
		schedule_ack(r, now);
		return L2TP_REL_IN_DUP;
	}
	/* In order when it extends the run of stored messages from dv. */
	uint16_t run = 0;
	while (run < d && r->rx[(r->rx_head + run) % r->rx_cap].len)
		run++;
	memcpy(s->data, pkt, len);
	s->len = (uint16_t)len;
	s->ns = h->ns;
	if (run != d) {
		/* A gap: tell the peer at once where we stand, so that it
		 * retransmits the missing message without waiting its full timeout. */
		r->ooo_rx++;
		schedule_ack(r, now);
	}
	return L2TP_REL_IN_NEW;
}

int l2tp_rel_next(struct l2tp_rel *r, uint64_t now, const uint8_t **p, size_t *len)
{
	struct l2tp_rel_slot *s = &r->rx[r->rx_head];
	if (!s->len)
		return 0;
	if (!r->drain && l2tp_rel_tx_free(r) <= r->tx_reserve) {
		/* No room for a reply: the message waits, unacknowledged, for
		 * the peer to acknowledge some of ours (see hold_ack_ms). */
		r->held++;
		if (!r->holding) {
			r->holding = true;
			r->hold_since = now;
		}
		return 0;
	}
	r->holding = false;
	*p = s->data;
	*len = s->len;
	s->len = 0;
	if (r->dv == r->nr) {
		r->nr++;
		schedule_ack(r, now + r->conf.ack_delay_ms);
	}
	r->dv++;
	r->rx_head = (uint16_t)((r->rx_head + 1) % r->rx_cap);
	return 1;
}

int l2tp_rel_queue(struct l2tp_rel *r, uint16_t sid, const struct l2tp_msg *m,
		   const struct l2tp_secret *sec, const uint8_t *rv, size_t rv_len, bool reserved)
{
	uint16_t free_slots = l2tp_rel_tx_free(r);
	if (free_slots == 0 || (!reserved && free_slots <= r->tx_reserve))
		return -ENOBUFS;
	if (r->failed)
		return -EPIPE;
	struct l2tp_rel_slot *s = tx_slot(r, r->ns_next);
	int n = l2tp_msg_encode(s->data, r->slot_size, r->peer_tid, sid, r->ns_next, r->nr, m, sec,
				rv, rv_len);
	if (n < 0)
		return n;
	if (n < HDR_LEN)
		return -EINVAL;
	s->len = (uint16_t)n;
	s->ns = r->ns_next;
	r->ns_next++;
	return 0;
}

static void put_nr(uint8_t *p, uint16_t nr)
{
	p[HDR_NR_OFF] = (uint8_t)(nr >> 8);
	p[HDR_NR_OFF + 1] = (uint8_t)nr;
}

void l2tp_rel_poll(struct l2tp_rel *r, uint64_t now, struct l2tp_rel_tx *tx)
{
	tx->n = 0;
	tx->zlb = false;
	tx->failed = r->failed;
	tx->deadline = L2TP_NEVER;
	if (r->failed)
		return;

	bool rtx = false;
	if (r->rtx_at != L2TP_NEVER && now >= r->rtx_at && r->una != r->snd_max) {
		if (++r->retries > r->conf.max_retries) {
			/* §5.8: give up; the tunnel and its sessions go. */
			r->failed = true;
			r->rtx_at = L2TP_NEVER;
			tx->failed = true;
			return;
		}
		r->rtx_count++;
		if (r->conf.slow_start) {
			uint16_t half = (uint16_t)(r->cwnd / 2);
			r->ssthresh = half ? half : 1;
			r->cwnd = 1;
			r->ca_acks = 0;
		}
		r->snd_next = r->una;
		rtx = true;
	}

	if (r->holding && now >= r->hold_since + r->conf.hold_ack_ms && r->nr != (uint16_t)(r->dv + r->rx_cap)) {
		uint16_t before = r->nr;
		ack_stored(r);
		if (r->nr != before)
			schedule_ack(r, now);
	}

	uint16_t win = r->cwnd < r->peer_window ? r->cwnd : r->peer_window;
	bool sent = false;
	while (r->snd_next != r->ns_next && (uint16_t)(r->snd_next - r->una) < win &&
	       tx->n < L2TP_REL_MAX_TX) {
		struct l2tp_rel_slot *s = tx_slot(r, r->snd_next);
		put_nr(s->data, r->nr);
		tx->pkt[tx->n].p = s->data;
		tx->pkt[tx->n].len = s->len;
		tx->n++;
		if (r->snd_next == r->snd_max)
			r->snd_max++;
		r->snd_next++;
		sent = true;
	}
	if (sent) {
		r->ack_pending = false; /* piggy-backed */
		r->ack_at = L2TP_NEVER;
		if (rtx || r->rtx_at == L2TP_NEVER)
			r->rtx_at = now + l2tp_rel_rto(&r->conf, r->retries);
	}
	if (r->ack_pending && now >= r->ack_at) {
		int n = l2tp_zlb_encode(tx->zlb_buf, sizeof tx->zlb_buf, r->peer_tid, 0, r->snd_next,
					r->nr);
		if (n == (int)sizeof tx->zlb_buf) {
			tx->zlb = true;
			r->zlb_sent++;
		}
		r->ack_pending = false;
		r->ack_at = L2TP_NEVER;
	}
	uint64_t d = r->una != r->snd_max ? r->rtx_at : L2TP_NEVER;
	if (r->ack_pending && r->ack_at < d)
		d = r->ack_at;
	if (r->holding && r->hold_since + r->conf.hold_ack_ms > now &&
	    r->hold_since + r->conf.hold_ack_ms < d)
		d = r->hold_since + r->conf.hold_ack_ms;
	if (r->snd_next != r->ns_next && (uint16_t)(r->snd_next - r->una) < win)
		d = now; /* more than one poll's worth is allowed out */
	tx->deadline = d;
}
