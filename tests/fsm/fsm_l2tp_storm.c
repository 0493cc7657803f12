/*
 * A redial storm after a LAC link flap, at FSM level under a virtual clock:
 * 50 tunnels come up at once and each carries 200 ICRQs (10,000 calls) as
 * fast as the windows let them, every call completing with ICCN, while each
 * LAC also sends a HELLO every second. The network is a FIFO with 5 ms of
 * latency each way and no loss.
 *
 * Counted and asserted: every ICRQ answered with exactly one ICRP (no CDN,
 * no StopCCN), every ICCN bringing its session up, no message lost or
 * retransmitted on either side, neither side ever exceeding the other's
 * advertised window, every LAC HELLO acknowledged before the LAC's first
 * retransmission timeout (1 s), and afterwards, when the tunnels fall quiet,
 * the LNS's own HELLO after 60 s acknowledged too.
 *
 * The LAC side reuses l2tp_rel for its transport (it is the peer's reliable
 * delivery, not the thing under test: the counts are taken at FSM level).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/l2tp.h"
#include "fsm/l2tp_ids.h"
#include "fsm/l2tp_rel.h"
#include "fsm/l2tp_session.h"
#include "fsm/l2tp_tunnel.h"

enum {
	NT = 50,	 /* tunnels */
	NCALL = 200,	 /* ICRQs per tunnel */
	LAT = 10,	 /* ms each way */
	NETCAP = 16384,	 /* datagrams in flight */
	PKTMAX = 600,
	LAC_TX = 64,
	LAC_RX = 4,	 /* the LAC's window, advertised in its SCCRQ */
	LAC_SLOT = 600,
	MAXHELLO = 256,
};

struct pkt {
	uint64_t at;
	uint8_t to_lns;
	uint8_t lac; /* index */
	uint16_t len;
	uint8_t data[PKTMAX];
};

struct lac {
	struct l2tp_rel rel;
	_Alignas(16) uint8_t mem[(LAC_TX + LAC_RX) * (LAC_SLOT + 32)];
	struct l2tp_peer addr;
	bool up;
	uint16_t lns_tid;
	int next_call; /* ICRQs queued so far */
	uint8_t icrp[NCALL + 1];
	int cdn, stopccn;
	uint64_t next_hello;
	int nhello;
	struct {
		uint16_t ns;
		uint64_t first_tx, acked;
	} hello[MAXHELLO];
};

struct lns_tun {
	bool used;
	struct l2tp_tunnel t;
	_Alignas(16) uint8_t mem[48 * 560];
	uint64_t sidmap[1024];
	uint16_t sid_index[65536]; /* our Session ID -> sessions[] index + 1 */
	struct l2tp_session s[NCALL + 8];
	int nsess;
	int up, down;
	uint64_t peer_nr_max;
};

static struct pkt net[NETCAP];
static unsigned net_head, net_len;
static struct lac lacs[NT];
static struct lns_tun tuns[NT + 1]; /* index = slot, looked up by our Tunnel ID */
static uint16_t tid_to_slot[65536];
static uint64_t tidmap[1024];
static struct l2tp_tunnel_conf TCONF;
static const struct l2tp_session_conf SCONF = L2TP_SESSION_CONF_DEFAULT;
static struct l2tp_msg scratch, lmsg;
static uint32_t rng = 88172645u;
static uint64_t window_violations, lns_hello_sent;
static bool lac_hellos = true;

static uint8_t rnd8(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (uint8_t)rng;
}

static void rndfill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = rnd8();
}

static void net_send(uint64_t now, bool to_lns, int lac, const uint8_t *p, size_t len)
{
	assert_true(net_len < NETCAP);
	assert_true(len <= PKTMAX);
	struct pkt *k = &net[(net_head + net_len++) % NETCAP];
	k->at = now + LAT;
	k->to_lns = to_lns;
	k->lac = (uint8_t)lac;
	k->len = (uint16_t)len;
	memcpy(k->data, p, len);
}

/* ---- LAC ------------------------------------------------------------------ */

static void lac_queue(struct lac *l, uint16_t sid, const struct l2tp_msg *m)
{
	assert_int_equal(l2tp_rel_queue(&l->rel, sid, m, NULL, NULL, 0, false), 0);
}

static void lac_start(int i, uint64_t now)
{
	struct lac *l = &lacs[i];
	memset(l, 0, sizeof *l);
	struct l2tp_rel_conf c = L2TP_REL_CONF_DEFAULT;
	assert_int_equal(l2tp_rel_init(&l->rel, &c, l->mem, sizeof l->mem, LAC_TX, LAC_RX, LAC_SLOT), 0);
	l->addr.family = 2;
	l->addr.port = (uint16_t)(1701 + i);
	l->addr.addr[0] = 192;
	l->addr.addr[3] = (uint8_t)(i + 1);
	struct l2tp_sccrq_args a = { .assigned_tid = (uint16_t)(100 + i), .host_name = "lac",
				     .rx_window = LAC_RX, .framing_cap = 3 };
	struct l2tp_msg m;
	l2tp_build_sccrq(&m, &a);
	lac_queue(l, 0, &m);
	(void)now;
}

static void lac_feed_calls(struct lac *l)
{
	/* Keep a few slots for ICCNs and HELLOs, like a LAC with a call queue. */
	while (l->up && l->next_call < NCALL && l2tp_rel_tx_free(&l->rel) > 8) {
		struct l2tp_icrq_args a = { .assigned_sid = (uint16_t)(l->next_call + 1),
					    .call_serial = (uint32_t)l->next_call,
					    .calling_number = "0612345678" };
		l2tp_build_icrq(&lmsg, &a);
		lac_queue(l, 0, &lmsg);
		l->next_call++;
	}
}

static void lac_rx(int i, const uint8_t *p, size_t len, uint64_t now)
{
	struct lac *l = &lacs[i];
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(p, len, &h), L2TP_OK);
	assert_int_equal(h.tid, 100 + i);
	int r = l2tp_rel_input(&l->rel, &h, p, len, now);
	assert_true(r == L2TP_REL_IN_NEW || r == L2TP_REL_IN_ZLB);
	const uint8_t *q;
	size_t qlen;
	while (l2tp_rel_next(&l->rel, now, &q, &qlen) == 1) {
		struct l2tp_hdr mh;
		assert_int_equal(l2tp_hdr_decode(q, qlen, &mh), L2TP_OK);
		assert_int_equal(l2tp_msg_decode(q + mh.hdr_len, mh.payload_len, NULL, &lmsg), L2TP_OK);
		switch (lmsg.type) {
		case L2TP_MSG_SCCRP:
			l->lns_tid = lmsg.assigned_tid;
			l2tp_rel_set_peer(&l->rel, lmsg.assigned_tid, lmsg.rx_window);
			l2tp_build_scccn(&lmsg, NULL);
			lac_queue(l, 0, &lmsg);
			l->up = true;
			l->next_hello = now + 1000;
			break;
		case L2TP_MSG_ICRP: {
			assert_true(mh.sid >= 1 && mh.sid <= NCALL);
			l->icrp[mh.sid]++;
			uint16_t lns_sid = lmsg.assigned_sid;
			struct l2tp_iccn_args a = { .tx_connect_speed = 1000000, .framing_type = 1 };
			l2tp_build_iccn(&lmsg, &a);
			lac_queue(l, lns_sid, &lmsg);
			break;
		}
		case L2TP_MSG_CDN: l->cdn++; break;
		case L2TP_MSG_STOPCCN: l->stopccn++; break;
		case L2TP_MSG_HELLO: break;
		default: fail_msg("LAC %d got message type %u", i, lmsg.type);
		}
	}
}

static void lac_poll(int i, uint64_t now)
{
	struct lac *l = &lacs[i];
	if (lac_hellos && l->up && now >= l->next_hello && l2tp_rel_tx_free(&l->rel) > 1) {
		assert_true(l->nhello < MAXHELLO);
		l->hello[l->nhello].ns = l->rel.ns_next;
		l->hello[l->nhello].first_tx = 0;
		l->hello[l->nhello].acked = 0;
		l->nhello++;
		l2tp_build_hello(&lmsg);
		lac_queue(l, 0, &lmsg);
		l->next_hello = now + 200;
	}
	lac_feed_calls(l);
	struct l2tp_rel_tx tx;
	l2tp_rel_poll(&l->rel, now, &tx);
	assert_false(tx.failed);
	for (unsigned k = 0; k < tx.n; k++) {
		uint16_t ns = (uint16_t)(tx.pkt[k].p[8] << 8 | tx.pkt[k].p[9]);
		for (int j = 0; j < l->nhello; j++)
			if (l->hello[j].ns == ns && !l->hello[j].first_tx)
				l->hello[j].first_tx = now;
		net_send(now, true, i, tx.pkt[k].p, tx.pkt[k].len);
	}
	if (tx.zlb)
		net_send(now, true, i, tx.zlb_buf, sizeof tx.zlb_buf);
	if ((uint16_t)(l->rel.snd_max - l->rel.una) > l->rel.peer_window)
		window_violations++;
	for (int j = 0; j < l->nhello; j++)
		if (l->hello[j].first_tx && !l->hello[j].acked &&
		    l2tp_seq_before(l->hello[j].ns, l->rel.una))
			l->hello[j].acked = now;
}

/* ---- LNS ------------------------------------------------------------------ */

static bool tid_used(void *ctx, uint16_t id)
{
	(void)ctx;
	return tid_to_slot[id] != 0;
}

static struct lns_tun *lns_new_tunnel(int lac, uint64_t now)
{
	for (int k = 1; k <= NT; k++) {
		if (tuns[k].used)
			continue;
		uint8_t r[16];
		rndfill(r, sizeof r);
		int tid = l2tp_id_pick(tid_used, NULL, 65536, r, sizeof r);
		assert_true(tid > 0);
		struct lns_tun *u = &tuns[k];
		memset(u, 0, sizeof *u);
		u->used = true;
		tid_to_slot[tid] = (uint16_t)k;
		l2tp_idmap_set(tidmap, (uint16_t)tid);
		assert_int_equal(l2tp_tunnel_init(&u->t, &TCONF, (uint16_t)tid, &lacs[lac].addr, u->mem,
						  sizeof u->mem, now),
				 0);
		return u;
	}
	fail_msg("out of tunnels");
	return NULL;
}

static void lns_route(struct lns_tun *u, const struct l2tp_tun_out *o, uint64_t now)
{
	struct l2tp_session *s = NULL;
	if (o->sid && u->sid_index[o->sid])
		s = &u->s[u->sid_index[o->sid] - 1];
	if (!s) {
		int a = l2tp_session_orphan(&u->t, o->sid, o->msg);
		assert_int_equal(a, L2TP_ORPHAN_NEW_CALL);
		uint8_t r[8];
		rndfill(r, sizeof r);
		int sid = l2tp_idmap_pick(u->sidmap, 65536, r, sizeof r);
		assert_true(sid > 0);
		l2tp_idmap_set(u->sidmap, (uint16_t)sid);
		assert_true(u->nsess < NCALL + 8);
		s = &u->s[u->nsess++];
		u->sid_index[sid] = (uint16_t)u->nsess;
		l2tp_session_init(s, u->t.our_tid, (uint16_t)sid);
	}
	struct l2tp_sess_cls c;
	int ev = l2tp_session_classify(o->dec_err, o->msg, 0, 0, &c);
	assert_true(ev >= 0);
	struct l2tp_sess_out so;
	l2tp_session_step(s, &SCONF, &u->t, (enum l2tp_sess_event)ev, o->msg, &c, now, &so);
	assert_int_equal(so.err, 0);
	u->up += so.up;
	u->down += so.down;
}

static void lns_rx(int lac, const uint8_t *p, size_t len, uint64_t now)
{
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(p, len, &h), L2TP_OK);
	struct lns_tun *u = NULL;
	if (h.tid == 0) {
		/* SCCRQ: a retransmission goes to its tunnel, else a new one. */
		assert_int_equal(l2tp_msg_decode(p + h.hdr_len, h.payload_len, NULL, &scratch), L2TP_OK);
		assert_int_equal(scratch.type, L2TP_MSG_SCCRQ);
		for (int k = 1; k <= NT && !u; k++)
			if (tuns[k].used && l2tp_tunnel_is_sccrq_dup(&tuns[k].t, &lacs[lac].addr,
								     scratch.assigned_tid))
				u = &tuns[k];
		if (!u)
			u = lns_new_tunnel(lac, now);
	} else {
		assert_true(tid_to_slot[h.tid] != 0);
		u = &tuns[tid_to_slot[h.tid]];
		assert_true(l2tp_peer_eq(&u->t.peer, &lacs[lac].addr));
	}
	int r = l2tp_tunnel_input(&u->t, p, len, &h, now);
	assert_true(r == L2TP_REL_IN_NEW || r == L2TP_REL_IN_ZLB);
	uint8_t rb[16];
	rndfill(rb, sizeof rb);
	struct l2tp_tun_out o;
	while (l2tp_tunnel_next(&u->t, now, rb, &scratch, &o) == 1) {
		assert_int_equal(o.err, 0);
		assert_false(o.down);
		if (o.act == L2TP_TA_ROUTE)
			lns_route(u, &o, now);
		else
			assert_true(o.act == L2TP_TA_SEND_SCCRP || o.act == L2TP_TA_UP ||
				    o.act == L2TP_TA_NONE);
	}
}

static void lns_poll(uint64_t now)
{
	for (int k = 1; k <= NT; k++) {
		struct lns_tun *u = &tuns[k];
		if (!u->used)
			continue;
		struct l2tp_rel_tx tx;
		struct l2tp_tun_out o;
		l2tp_tunnel_poll(&u->t, now, &tx, &o);
		assert_false(tx.failed);
		if (o.stepped) {
			assert_int_equal(o.act, L2TP_TA_SEND_HELLO);
			lns_hello_sent++;
		}
		int lac = -1;
		for (int i = 0; i < NT; i++)
			if (l2tp_peer_eq(&lacs[i].addr, &u->t.peer))
				lac = i;
		assert_true(lac >= 0);
		for (unsigned j = 0; j < tx.n; j++)
			net_send(now, false, lac, tx.pkt[j].p, tx.pkt[j].len);
		if (tx.zlb)
			net_send(now, false, lac, tx.zlb_buf, sizeof tx.zlb_buf);
		if ((uint16_t)(u->t.rel.snd_max - u->t.rel.una) > u->t.rel.peer_window)
			window_violations++;
	}
}

static void run_until(uint64_t *now, uint64_t end)
{
	for (; *now < end; (*now)++) {
		while (net_len && net[net_head].at <= *now) {
			struct pkt *k = &net[net_head];
			net_head = (net_head + 1) % NETCAP;
			net_len--;
			if (k->to_lns)
				lns_rx(k->lac, k->data, k->len, *now);
			else
				lac_rx(k->lac, k->data, k->len, *now);
		}
		for (int i = 0; i < NT; i++)
			lac_poll(i, *now);
		lns_poll(*now);
	}
}

static void redial_storm_10000_icrq_over_50_tunnels(void **st)
{
	(void)st;
	static const struct l2tp_tunnel_conf def = L2TP_TUNNEL_CONF_DEFAULT;
	TCONF = def;
	TCONF.tx_slots = 12;
	TCONF.rx_slots = 16;
	TCONF.slot_size = 512;
	assert_true(l2tp_tunnel_mem_size(&TCONF) <= sizeof tuns[0].mem);
	uint64_t now = 0;
	for (int i = 0; i < NT; i++)
		lac_start(i, now);

	uint64_t done_at = 0;
	while (now < 120000) {
		run_until(&now, now + 100);
		int calls = 0;
		for (int k = 1; k <= NT; k++)
			calls += tuns[k].up;
		if (calls == NT * NCALL) {
			done_at = now;
			break;
		}
	}
	assert_true(done_at > 0);
	print_message("storm: %d calls up after %llu ms of virtual time\n", NT * NCALL,
		      (unsigned long long)done_at);

	/* Let the last acknowledgements settle, then stay quiet past HELLO time. */
	run_until(&now, now + 1000);
	lac_hellos = false;
	uint64_t quiet_from = now;
	run_until(&now, now + 61000 + 2000);

	uint32_t held = 0;
	int tunnels = 0;
	for (int k = 1; k <= NT; k++) {
		struct lns_tun *u = &tuns[k];
		if (!u->used)
			continue;
		tunnels++;
		assert_int_equal(u->t.state, L2TP_TUN_ESTABLISHED);
		assert_int_equal(u->nsess, NCALL);
		assert_int_equal(u->up, NCALL);
		assert_int_equal(u->down, 0);
		assert_int_equal(u->t.rel.rtx_count, 0);
		assert_int_equal(u->t.rel.dup_rx, 0);
		assert_int_equal(u->t.rel.outside_rx, 0);
		assert_int_equal(l2tp_rel_unacked(&u->t.rel), 0);
		assert_true(u->t.last_hello > quiet_from); /* our HELLO went out ... */
		held += u->t.rel.held;
		for (int j = 0; j < u->nsess; j++)
			assert_int_equal(u->s[j].state, L2TP_SESS_ESTABLISHED);
	}
	assert_int_equal(tunnels, NT);
	assert_true(lns_hello_sent >= NT);
	int hellos = 0;
	uint64_t worst = 0;
	for (int i = 0; i < NT; i++) {
		struct lac *l = &lacs[i];
		assert_int_equal(l->next_call, NCALL);
		for (int c = 1; c <= NCALL; c++)
			if (l->icrp[c] != 1)
				fail_msg("LAC %d call %d got %d ICRPs", i, c, l->icrp[c]);
		assert_int_equal(l->cdn, 0);
		assert_int_equal(l->stopccn, 0);
		assert_int_equal(l->rel.rtx_count, 0);
		assert_int_equal(l->rel.dup_rx, 0);
		assert_int_equal(l->rel.outside_rx, 0);
		assert_int_equal(l2tp_rel_unacked(&l->rel), 0); /* ... and was acknowledged */
		for (int j = 0; j < l->nhello; j++) {
			if (!l->hello[j].first_tx)
				continue;
			hellos++;
			assert_true(l->hello[j].acked != 0);
			uint64_t d = l->hello[j].acked - l->hello[j].first_tx;
			if (d > worst)
				worst = d;
		}
	}
	assert_true(hellos >= NT);
	assert_true(worst < 1000); /* before the LAC's first retransmission */
	assert_int_equal(window_violations, 0);
	print_message("storm: %d LAC HELLOs, slowest acknowledged in %llu ms; "
		      "LNS deliveries held for transmit room: %u\n",
		      hellos, (unsigned long long)worst, held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redial_storm_10000_icrq_over_50_tunnels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
