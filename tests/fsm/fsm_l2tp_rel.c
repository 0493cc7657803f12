/*
 * RFC 2661 §5.8 reliable delivery and Appendix A, under a virtual clock:
 * wrap-around at 32767/32768 and 65535/0 in both directions, ZLB timing and
 * bytes, piggy-backing, duplicates, reordering, windows, slow start,
 * back-off and retransmission exhaustion, Nr refresh, transmit-queue hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "codec/l2tp.h"
#include "fsm/l2tp_rel.h"

struct fx {
	struct l2tp_rel r;
	_Alignas(16) uint8_t mem[64 * 1300];
};

static struct fx F;

static void mk(uint16_t tx, uint16_t rx, bool slow_start, uint16_t peer_window)
{
	struct l2tp_rel_conf c = L2TP_REL_CONF_DEFAULT;
	c.slow_start = slow_start;
	memset(&F, 0, sizeof F);
	assert_int_equal(l2tp_rel_init(&F.r, &c, F.mem, sizeof F.mem, tx, rx, 1200), 0);
	l2tp_rel_set_peer(&F.r, 0x1234, peer_window);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The peer's HELLO with the given Ns/Nr, fed to the receiver. */
static int feed(uint16_t ns, uint16_t nr, uint64_t now)
{
	uint8_t buf[64];
	struct l2tp_msg m;
	l2tp_build_hello(&m);
	int n = l2tp_msg_encode(buf, sizeof buf, 0x4321, 0, ns, nr, &m, NULL, NULL, 0);
	assert_true(n > 12);
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(buf, (size_t)n, &h), L2TP_OK);
	return l2tp_rel_input(&F.r, &h, buf, (size_t)n, now);
}

static int feed_zlb(uint16_t ns, uint16_t nr, uint64_t now)
{
	uint8_t buf[12];
	assert_int_equal(l2tp_zlb_encode(buf, sizeof buf, 0x4321, 0, ns, nr), 12);
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(buf, sizeof buf, &h), L2TP_OK);
	return l2tp_rel_input(&F.r, &h, buf, sizeof buf, now);
}

/* Deliver one message; returns its Ns or -1. */
static int deliver(uint64_t now)
{
	const uint8_t *p;
	size_t len;
	if (l2tp_rel_next(&F.r, now, &p, &len) != 1)
		return -1;
	assert_true(len >= 12);
	return be16(p + 8);
}

static void queue_hello(void)
{
	struct l2tp_msg m;
	l2tp_build_hello(&m);
	assert_int_equal(l2tp_rel_queue(&F.r, 0, &m, NULL, NULL, 0, false), 0);
}

static void seq_compare_wraps(void **st)
{
	(void)st;
	assert_true(l2tp_seq_before(32767, 32768));
	assert_false(l2tp_seq_before(32768, 32767));
	assert_true(l2tp_seq_before(65535, 0));
	assert_false(l2tp_seq_before(0, 65535));
	assert_true(l2tp_seq_before(65000, 100));
	assert_false(l2tp_seq_before(100, 65000));
	assert_false(l2tp_seq_before(7, 7));
	/* §5.8: the 32767 values before a number are "less". */
	assert_true(l2tp_seq_before(0, 32767));
	assert_false(l2tp_seq_before(0, 32768));
}

static void zlb_after_short_delay_with_exact_bytes(void **st)
{
	(void)st;
	mk(8, 8, true, 0);
	assert_int_equal(feed(0, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(0), 0);
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_false(tx.zlb);
	assert_int_equal(tx.n, 0);
	assert_true(tx.deadline == 100);
	l2tp_rel_poll(&F.r, 99, &tx);
	assert_false(tx.zlb);
	l2tp_rel_poll(&F.r, 100, &tx);
	assert_true(tx.zlb);
	/* T L S ver 2, Length 12, Tunnel 0x1234, Session 0, Ns 0, Nr 1 */
	static const uint8_t want[12] = { 0xc8, 0x02, 0x00, 0x0c, 0x12, 0x34,
					  0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
	assert_memory_equal(tx.zlb_buf, want, 12);
	l2tp_rel_poll(&F.r, 200, &tx);
	assert_false(tx.zlb); /* one acknowledgement, not a stream of them */
	assert_true(tx.deadline == L2TP_NEVER);
}

static void ack_piggybacks_on_next_message(void **st)
{
	(void)st;
	mk(8, 8, true, 0);
	feed(0, 0, 0);
	feed(1, 0, 0);
	assert_int_equal(deliver(0), 0);
	assert_int_equal(deliver(0), 1);
	queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 10, &tx);
	assert_int_equal(tx.n, 1);
	assert_false(tx.zlb);
	assert_int_equal(be16(tx.pkt[0].p + 8), 0); /* our Ns */
	assert_int_equal(be16(tx.pkt[0].p + 10), 2); /* Nr acknowledges both */
	l2tp_rel_poll(&F.r, 500, &tx);
	assert_false(tx.zlb);
}

static void duplicate_is_acked_at_once_and_dropped(void **st)
{
	(void)st;
	mk(8, 8, true, 0);
	assert_int_equal(feed(0, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(0), 0);
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 100, &tx);
	assert_true(tx.zlb);
	/* The ZLB was lost; the peer retransmits Ns 0 at t=1000. */
	assert_int_equal(feed(0, 0, 1000), L2TP_REL_IN_DUP);
	assert_int_equal(deliver(1000), -1);
	l2tp_rel_poll(&F.r, 1000, &tx);
	assert_true(tx.zlb); /* no delay for a duplicate */
	assert_int_equal(be16(tx.zlb_buf + 10), 1);
	assert_int_equal(F.r.dup_rx, 1);
	/* Much older (32767 before) is still a duplicate, not a future message. */
	assert_int_equal(feed((uint16_t)(1 - 32767), 0, 1001), L2TP_REL_IN_DUP);
}

static void reordered_messages_are_delivered_in_order(void **st)
{
	(void)st;
	mk(8, 8, true, 0);
	assert_int_equal(feed(2, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(0), -1); /* gap at 0 */
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_true(tx.zlb); /* gap reported at once: Nr still 0 */
	assert_int_equal(be16(tx.zlb_buf + 10), 0);
	assert_int_equal(feed(1, 0, 1), L2TP_REL_IN_NEW);
	assert_int_equal(feed(1, 0, 1), L2TP_REL_IN_DUP); /* held copy: duplicate */
	assert_int_equal(deliver(1), -1);
	assert_int_equal(feed(0, 0, 2), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(2), 0);
	assert_int_equal(deliver(2), 1);
	assert_int_equal(deliver(2), 2);
	assert_int_equal(deliver(2), -1);
	assert_int_equal(F.r.nr, 3);
	assert_int_equal(F.r.ooo_rx, 2);
}

static void beyond_our_window_is_dropped(void **st)
{
	(void)st;
	mk(8, 4, true, 0);
	assert_int_equal(l2tp_rel_our_window(&F.r), 4);
	assert_int_equal(feed(4, 0, 0), L2TP_REL_IN_OUTSIDE);
	assert_int_equal(feed(3, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(feed(0, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(0), 0);
	assert_int_equal(deliver(0), -1); /* 1, 2 missing; 4 was not kept */
	assert_int_equal(F.r.outside_rx, 1);
}

static void peer_window_limits_messages_in_flight(void **st)
{
	(void)st;
	mk(16, 8, false, 4);
	for (int i = 0; i < 6; i++)
		queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_int_equal(tx.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(be16(tx.pkt[i].p + 8), i);
	l2tp_rel_poll(&F.r, 1, &tx);
	assert_int_equal(tx.n, 0); /* window full */
	assert_int_equal(feed_zlb(0, 2, 5), L2TP_REL_IN_ZLB);
	l2tp_rel_poll(&F.r, 5, &tx);
	assert_int_equal(tx.n, 2);
	assert_int_equal(be16(tx.pkt[0].p + 8), 4);
	assert_int_equal(be16(tx.pkt[1].p + 8), 5);
	/* Absent Receive Window Size means 4 (§5.8). */
	l2tp_rel_set_peer(&F.r, 1, 0);
	assert_int_equal(F.r.peer_window, 4);
}

static void slow_start_then_back_off(void **st)
{
	(void)st;
	mk(16, 8, true, 8);
	for (int i = 0; i < 8; i++)
		queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_int_equal(tx.n, 1); /* Appendix A: CWND starts at 1 */
	feed_zlb(0, 1, 10);
	l2tp_rel_poll(&F.r, 10, &tx);
	assert_int_equal(tx.n, 2); /* CWND 2 */
	feed_zlb(0, 3, 20);
	l2tp_rel_poll(&F.r, 20, &tx);
	assert_int_equal(tx.n, 4); /* CWND 4: Ns 3..6 */
	assert_int_equal(be16(tx.pkt[3].p + 8), 6);
	assert_int_equal(F.r.cwnd, 4);
	/* Nothing acknowledged: a timeout halves SSTHRESH and resends only the
	 * oldest message (CWND 1). */
	l2tp_rel_poll(&F.r, 20 + 1000, &tx);
	assert_int_equal(tx.n, 1);
	assert_int_equal(be16(tx.pkt[0].p + 8), 3);
	assert_int_equal(F.r.cwnd, 1);
	assert_int_equal(F.r.ssthresh, 2);
	feed_zlb(0, 4, 1100); /* 1 -> 2 (slow start up to SSTHRESH 2) */
	assert_int_equal(F.r.cwnd, 2);
	l2tp_rel_poll(&F.r, 1100, &tx);
	assert_int_equal(tx.n, 2); /* 4 and 5 again (go back) */
	feed_zlb(0, 6, 1200); /* congestion avoidance: +1 per CWND acks */
	assert_int_equal(F.r.cwnd, 3);
	l2tp_rel_poll(&F.r, 1200, &tx);
	assert_int_equal(tx.n, 2); /* Ns 6 and 7 */
	feed_zlb(0, 8, 1300);
	assert_int_equal(F.r.cwnd, 3); /* 2 of the 3 acks needed */
	assert_int_equal(l2tp_rel_unacked(&F.r), 0);
}

static void backoff_doubles_to_cap_then_gives_up(void **st)
{
	(void)st;
	mk(8, 8, true, 4);
	queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_int_equal(tx.n, 1);
	/* 1 s, 2 s, 4 s, 8 s, 8 s (cap), then a full cycle of 31 s ends it. */
	static const uint64_t at[] = { 1000, 3000, 7000, 15000, 23000 };
	for (unsigned i = 0; i < 5; i++) {
		assert_true(tx.deadline == at[i]);
		l2tp_rel_poll(&F.r, at[i] - 1, &tx);
		assert_int_equal(tx.n, 0);
		l2tp_rel_poll(&F.r, at[i], &tx);
		assert_int_equal(tx.n, 1);
		assert_int_equal(be16(tx.pkt[0].p + 8), 0);
		assert_false(tx.failed);
	}
	assert_true(tx.deadline == 31000);
	l2tp_rel_poll(&F.r, 31000, &tx);
	assert_true(tx.failed);
	assert_int_equal(tx.n, 0);
	assert_int_equal(F.r.rtx_count, 5);
	struct l2tp_rel_conf c = L2TP_REL_CONF_DEFAULT;
	assert_true(l2tp_rel_cycle_ms(&c) == 31000);
	c.max_retries = 7;
	c.rto_max_ms = 16000;
	assert_int_equal(l2tp_rel_rto(&c, 4), 16000);
	assert_int_equal(l2tp_rel_rto(&c, 5), 16000);
	assert_true(l2tp_rel_cycle_ms(&c) == 1000 + 2000 + 4000 + 8000 + 4 * 16000);
}

static void progress_resets_backoff(void **st)
{
	(void)st;
	mk(8, 8, false, 4);
	queue_hello();
	queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	l2tp_rel_poll(&F.r, 1000, &tx);
	l2tp_rel_poll(&F.r, 3000, &tx);
	assert_int_equal(F.r.retries, 2);
	feed_zlb(0, 1, 3500);
	assert_int_equal(F.r.retries, 0);
	l2tp_rel_poll(&F.r, 3500, &tx);
	assert_true(tx.deadline == 4500);
}

static void retransmission_carries_current_nr(void **st)
{
	(void)st;
	mk(8, 8, true, 4);
	queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_int_equal(be16(tx.pkt[0].p + 10), 0);
	feed(0, 0, 500); /* peer's message, not acknowledging ours */
	assert_int_equal(deliver(500), 0);
	feed(1, 0, 600);
	assert_int_equal(deliver(600), 1);
	l2tp_rel_poll(&F.r, 1000, &tx);
	assert_int_equal(tx.n, 1);
	assert_int_equal(be16(tx.pkt[0].p + 8), 0);  /* same Ns */
	assert_int_equal(be16(tx.pkt[0].p + 10), 2); /* fresh Nr */
	assert_false(tx.zlb);			     /* the retransmission acknowledged */
}

static void receive_wraps(uint16_t start)
{
	mk(8, 8, true, 4);
	F.r.nr = F.r.dv = start;
	uint16_t a = start, b = (uint16_t)(start + 1), c = (uint16_t)(start + 2);
	assert_int_equal(feed(c, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(feed(b, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(0), -1);
	assert_int_equal(feed(a, 0, 0), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(0), a);
	assert_int_equal(deliver(0), b);
	assert_int_equal(deliver(0), c);
	assert_int_equal(F.r.nr, (uint16_t)(start + 3));
	assert_int_equal(feed(a, 0, 1), L2TP_REL_IN_DUP);
	assert_int_equal(feed((uint16_t)(start - 100), 0, 1), L2TP_REL_IN_DUP);
	assert_int_equal(feed((uint16_t)(start + 3 + 8), 0, 1), L2TP_REL_IN_OUTSIDE);
}

static void send_wraps(uint16_t start)
{
	mk(8, 8, false, 8);
	F.r.ns_next = F.r.una = F.r.snd_next = F.r.snd_max = start;
	for (int i = 0; i < 4; i++)
		queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_int_equal(tx.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(be16(tx.pkt[i].p + 8), (uint16_t)(start + i));
	feed_zlb(0, (uint16_t)(start + 2), 10);
	assert_int_equal(l2tp_rel_unacked(&F.r), 2);
	assert_int_equal(F.r.una, (uint16_t)(start + 2));
	/* An Nr beyond what we sent is ignored. */
	feed_zlb(0, (uint16_t)(start + 5), 11);
	assert_int_equal(F.r.bad_nr, 1);
	assert_int_equal(l2tp_rel_unacked(&F.r), 2);
	/* An old Nr (from before the wrap) changes nothing. */
	feed_zlb(0, (uint16_t)(start + 1), 12);
	assert_int_equal(l2tp_rel_unacked(&F.r), 2);
	feed_zlb(0, (uint16_t)(start + 4), 13);
	assert_int_equal(l2tp_rel_unacked(&F.r), 0);
	l2tp_rel_poll(&F.r, 13, &tx);
	assert_true(tx.deadline == L2TP_NEVER); /* nothing in flight: no timer */
}

static void wrap_32767_to_32768_receive(void **st)
{
	(void)st;
	receive_wraps(32766);
}

static void wrap_65535_to_0_receive(void **st)
{
	(void)st;
	receive_wraps(65534);
}

static void wrap_32767_to_32768_send(void **st)
{
	(void)st;
	send_wraps(32766);
}

static void wrap_65535_to_0_send(void **st)
{
	(void)st;
	send_wraps(65534);
}

static void full_queue_holds_delivery_until_acked(void **st)
{
	(void)st;
	mk(3, 8, false, 4); /* 2 ordinary slots + 1 reserved for StopCCN */
	queue_hello();
	queue_hello();
	struct l2tp_msg m;
	l2tp_build_hello(&m);
	assert_int_equal(l2tp_rel_queue(&F.r, 0, &m, NULL, NULL, 0, false), -ENOBUFS);
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 0, &tx);
	assert_int_equal(feed(0, 0, 1), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(1), -1); /* no room for a reply: held */
	assert_int_equal(F.r.nr, 0);	  /* with its acknowledgement */
	assert_int_equal(feed(0, 0, 2), L2TP_REL_IN_DUP); /* held copy counts */
	l2tp_rel_poll(&F.r, 2, &tx);
	assert_true(tx.zlb); /* a duplicate still draws the current Nr */
	assert_int_equal(be16(tx.zlb_buf + 10), 0);
	assert_true(tx.deadline == 1 + 500);
	feed_zlb(0, 1, 20); /* the peer acknowledges one of ours: room again */
	assert_int_equal(deliver(20), 0);
	assert_int_equal(F.r.nr, 1);
	l2tp_rel_poll(&F.r, 120, &tx);
	assert_true(tx.zlb);
	assert_int_equal(be16(tx.zlb_buf + 10), 1);
	/* Fill up again and never get acknowledged: after hold_ack_ms the
	 * stored messages are acknowledged anyway (no deadlock, no withholding). */
	queue_hello();
	assert_int_equal(feed(1, 0, 200), L2TP_REL_IN_NEW);
	assert_int_equal(feed(2, 0, 200), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(200), -1);
	l2tp_rel_poll(&F.r, 699, &tx);
	assert_false(tx.zlb);
	assert_int_equal(F.r.nr, 1);
	l2tp_rel_poll(&F.r, 700, &tx);
	assert_true(tx.zlb);
	assert_int_equal(be16(tx.zlb_buf + 10), 3);
	/* Receive slots still count from the oldest undelivered message. */
	assert_int_equal(feed(9, 0, 701), L2TP_REL_IN_OUTSIDE);
	assert_int_equal(feed(1, 0, 701), L2TP_REL_IN_DUP);
	feed_zlb(0, 2, 800);
	assert_int_equal(deliver(800), 1);
	assert_int_equal(deliver(800), 2);
	assert_int_equal(F.r.nr, 3); /* unchanged: already acknowledged */
	assert_int_equal(deliver(800), -1);
	feed_zlb(0, 3, 801);
	/* The reserved slot still takes a StopCCN when everything is full. */
	queue_hello();
	queue_hello();
	assert_int_equal(l2tp_rel_queue(&F.r, 0, &m, NULL, NULL, 0, false), -ENOBUFS);
	l2tp_build_stopccn(&m, 1, 1, 0, NULL);
	assert_int_equal(l2tp_rel_queue(&F.r, 0, &m, NULL, NULL, 0, true), 0);
	assert_int_equal(l2tp_rel_tx_free(&F.r), 0);
}

static void zlb_ns_is_not_consumed(void **st)
{
	(void)st;
	mk(8, 8, true, 4);
	assert_int_equal(feed_zlb(0, 0, 0), L2TP_REL_IN_ZLB);
	assert_int_equal(feed(0, 0, 1), L2TP_REL_IN_NEW);
	assert_int_equal(deliver(1), 0);
	/* Our own ZLB carries the Ns of the next message we will send. */
	queue_hello();
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&F.r, 1, &tx);
	assert_int_equal(tx.n, 1);
	feed(1, 1, 2);
	deliver(2);
	l2tp_rel_poll(&F.r, 200, &tx);
	assert_true(tx.zlb);
	assert_int_equal(be16(tx.zlb_buf + 8), 1);
	assert_int_equal(be16(tx.zlb_buf + 10), 2);
}

static void bad_init_is_refused(void **st)
{
	(void)st;
	struct l2tp_rel r;
	assert_int_equal(l2tp_rel_init(&r, NULL, F.mem, sizeof F.mem, 1, 4, 1200), -EINVAL);
	assert_int_equal(l2tp_rel_init(&r, NULL, F.mem, sizeof F.mem, 4, 0, 1200), -EINVAL);
	assert_int_equal(l2tp_rel_init(&r, NULL, F.mem, 100, 4, 4, 1200), -EINVAL);
	assert_int_equal(l2tp_rel_init(&r, NULL, F.mem + 1, sizeof F.mem - 1, 4, 4, 100), -EINVAL);
	assert_int_equal(l2tp_rel_mem_size(4, 4, 100), 8 * (sizeof(struct l2tp_rel_slot) + 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seq_compare_wraps),
		cmocka_unit_test(zlb_after_short_delay_with_exact_bytes),
		cmocka_unit_test(ack_piggybacks_on_next_message),
		cmocka_unit_test(duplicate_is_acked_at_once_and_dropped),
		cmocka_unit_test(reordered_messages_are_delivered_in_order),
		cmocka_unit_test(beyond_our_window_is_dropped),
		cmocka_unit_test(peer_window_limits_messages_in_flight),
		cmocka_unit_test(slow_start_then_back_off),
		cmocka_unit_test(backoff_doubles_to_cap_then_gives_up),
		cmocka_unit_test(progress_resets_backoff),
		cmocka_unit_test(retransmission_carries_current_nr),
		cmocka_unit_test(wrap_32767_to_32768_receive),
		cmocka_unit_test(wrap_65535_to_0_receive),
		cmocka_unit_test(wrap_32767_to_32768_send),
		cmocka_unit_test(wrap_65535_to_0_send),
		cmocka_unit_test(full_queue_holds_delivery_until_acked),
		cmocka_unit_test(zlb_ns_is_not_consumed),
		cmocka_unit_test(bad_init_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
