/*
 * RFC 2661 §7.2 tunnel FSM, LNS side: every (state, event) cell against the
 * hand-written tests/fsm/l2tp_tunnel_expected.txt (the message actually put
 * on the wire is decoded and compared too), then scripted scenarios under a
 * virtual clock: mutual challenge with MD5 vectors computed independently
 * (python3 hashlib), wrong and missing responses, no secret, bad version,
 * missing and unknown mandatory AVPs, StopCCN in the middle of setup, admin
 * close held for a full retransmission cycle, HELLO timing, retransmission
 * exhaustion, duplicate SCCRQ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/l2tp.h"
#include "fsm/l2tp_tunnel.h"

#define OUR_TID 0x0a0b
#define LAC_TID 0x4444

static struct l2tp_tunnel_conf CONF;
static struct l2tp_tunnel T;
static _Alignas(16) uint8_t MEM[32 * 1600];
static struct l2tp_msg SCRATCH, DEC;
static const struct l2tp_peer PEER = { 2, 1701, { 10, 0, 0, 1 } };
static const uint8_t RND[16] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
				 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };
static const uint8_t LAC_CHAL[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
/* python3: hashlib.md5(b'\x02' + b's3cret' + bytes(range(1, 17))).hexdigest() */
static const uint8_t WANT_SCCRP_RESP[16] = { 0x6f, 0xc9, 0x59, 0x0c, 0xb6, 0x21, 0x4b, 0xc7,
					     0x95, 0x90, 0xcd, 0xfe, 0xb5, 0x12, 0x2c, 0x58 };
/* python3: hashlib.md5(b'\x03' + b's3cret' + bytes(range(0xa0, 0xb0))).hexdigest() */
static const uint8_t GOOD_SCCCN_RESP[16] = { 0x37, 0xd1, 0x11, 0x3b, 0x89, 0xdb, 0x25, 0xe9,
					     0x1e, 0x18, 0x74, 0xc5, 0xa6, 0x09, 0x75, 0x0f };

static void mkt(bool secret)
{
	static const struct l2tp_tunnel_conf def = L2TP_TUNNEL_CONF_DEFAULT;
	CONF = def;
	CONF.host_name = "lns";
	if (secret) {
		CONF.secret.v = (const uint8_t *)"s3cret";
		CONF.secret.len = 6;
	}
	assert_true(l2tp_tunnel_mem_size(&CONF) <= sizeof MEM);
	assert_int_equal(l2tp_tunnel_init(&T, &CONF, OUR_TID, &PEER, MEM, sizeof MEM, 0), 0);
}

/* ---- the simulated LAC ---------------------------------------------------- */

static uint16_t lac_ns, lac_nr;

static void sccrq(struct l2tp_msg *m, const uint8_t *chal)
{
	struct l2tp_sccrq_args a = { .assigned_tid = LAC_TID, .host_name = "lac",
				     .rx_window = 10, .framing_cap = 3 };
	if (chal) {
		a.challenge = chal;
		a.challenge_len = 16;
	}
	l2tp_build_sccrq(m, &a);
}

/* Send m from the LAC (Ns lac_ns, then lac_ns++); returns rel input code. */
static int lac_send_ns(const struct l2tp_msg *m, uint16_t ns, uint16_t tid, uint64_t now)
{
	uint8_t buf[1200];
	int n = l2tp_msg_encode(buf, sizeof buf, tid, 0, ns, lac_nr, m, NULL, NULL, 0);
	assert_true(n > 12);
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(buf, (size_t)n, &h), L2TP_OK);
	return l2tp_tunnel_input(&T, buf, (size_t)n, &h, now);
}

static int lac_send(const struct l2tp_msg *m, uint64_t now)
{
	int r = lac_send_ns(m, lac_ns, T.peer_tid ? OUR_TID : 0, now);
	lac_ns++;
	return r;
}

static int lac_raw(const uint8_t *avps, size_t alen, uint64_t now)
{
	uint8_t buf[256];
	size_t n = 12 + alen;
	uint8_t hdr[12] = { 0xc8, 0x02, 0, (uint8_t)n, OUR_TID >> 8, OUR_TID & 0xff, 0, 0,
			    (uint8_t)(lac_ns >> 8), (uint8_t)lac_ns, (uint8_t)(lac_nr >> 8),
			    (uint8_t)lac_nr };
	memcpy(buf, hdr, 12);
	memcpy(buf + 12, avps, alen);
	lac_ns++;
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(buf, n, &h), L2TP_OK);
	return l2tp_tunnel_input(&T, buf, n, &h, now);
}

static void lac_zlb(uint16_t nr, uint64_t now)
{
	uint8_t buf[12];
	l2tp_zlb_encode(buf, sizeof buf, OUR_TID, 0, lac_ns, nr);
	struct l2tp_hdr h;
	l2tp_hdr_decode(buf, sizeof buf, &h);
	l2tp_tunnel_input(&T, buf, sizeof buf, &h, now);
}

/* Run every ready message through the FSM; the last outcome in *o. */
static int run(uint64_t now, struct l2tp_tun_out *o)
{
	int n = 0;
	struct l2tp_tun_out tmp;
	memset(o, 0, sizeof *o);
	while (l2tp_tunnel_next(&T, now, RND, &SCRATCH, &tmp) > 0) {
		*o = tmp;
		n++;
	}
	return n;
}

struct wire {
	int n;		    /* non-ZLB messages */
	struct l2tp_hdr h;  /* of the first */
	bool zlb;
	uint16_t zlb_nr;
	struct l2tp_tun_out ev; /* timer event of the poll */
};

/* Poll the tunnel; decode the first control message into DEC. The LAC's Nr
 * follows what it received in order. */
static struct wire poll_wire(uint64_t now)
{
	struct wire w;
	memset(&w, 0, sizeof w);
	struct l2tp_rel_tx tx;
	l2tp_tunnel_poll(&T, now, &tx, &w.ev);
	for (unsigned i = 0; i < tx.n; i++) {
		struct l2tp_hdr h;
		assert_int_equal(l2tp_hdr_decode(tx.pkt[i].p, tx.pkt[i].len, &h), L2TP_OK);
		if (h.ns == lac_nr)
			lac_nr++;
		if (w.n++ == 0) {
			w.h = h;
			assert_int_equal(l2tp_msg_decode(tx.pkt[i].p + h.hdr_len, h.payload_len,
							 NULL, &DEC),
					 L2TP_OK);
		}
	}
	if (tx.zlb) {
		w.zlb = true;
		w.zlb_nr = (uint16_t)(tx.zlb_buf[10] << 8 | tx.zlb_buf[11]);
	}
	return w;
}

static void establish(bool secret)
{
	mkt(secret);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	struct l2tp_tun_out o;
	assert_int_equal(lac_send(&m, 0), L2TP_REL_IN_NEW);
	assert_int_equal(run(0, &o), 1);
	assert_int_equal(o.act, L2TP_TA_SEND_SCCRP);
	struct wire w = poll_wire(0);
	assert_int_equal(w.n, 1);
	l2tp_build_scccn(&m, secret ? GOOD_SCCCN_RESP : NULL);
	lac_send(&m, 10);
	assert_int_equal(run(10, &o), 1);
	assert_true(o.up);
	assert_int_equal(T.state, L2TP_TUN_ESTABLISHED);
	w = poll_wire(110);
	assert_true(w.zlb);
}

/* ---- the decision table --------------------------------------------------- */

static int find(const char *s, const char *(*name)(unsigned), unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(name(i), s) == 0)
			return (int)i;
	return -1;
}

static FILE *open_expected(const char *file)
{
	char path[512];
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__) : 0;
	snprintf(path, sizeof path, "%.*s%s%s", dir, __FILE__, dir ? "/" : "", file);
	return fopen(path, "r");
}

/* Canonical message for a received event and its classification. */
static void canonical(int ev, struct l2tp_msg *m, struct l2tp_tun_cls *c)
{
	int dec = 0;
	struct l2tp_icrq_args ia = { .assigned_sid = 0x55, .call_serial = 1 };
	switch (ev) {
	case L2TP_TEV_SCCRQ_OK: sccrq(m, NULL); break;
	case L2TP_TEV_SCCRQ_BAD: sccrq(m, NULL); m->proto_ver = 2; break;
	case L2TP_TEV_SCCRP: {
		struct l2tp_sccrq_args a = { .assigned_tid = LAC_TID, .host_name = "x", .framing_cap = 3 };
		l2tp_build_sccrp(m, &a, NULL);
		break;
	}
	case L2TP_TEV_SCCCN_OK: l2tp_build_scccn(m, NULL); T.chal_sent = false; break;
	case L2TP_TEV_SCCCN_BAD: l2tp_build_scccn(m, NULL); T.chal_sent = true; break;
	case L2TP_TEV_STOPCCN: l2tp_build_stopccn(m, LAC_TID, 1, 0, NULL); break;
	case L2TP_TEV_HELLO: l2tp_build_hello(m); break;
	case L2TP_TEV_CALL_MSG: l2tp_build_icrq(m, &ia); break;
	case L2TP_TEV_MSG_BAD: l2tp_build_hello(m); dec = L2TP_E_UNKNOWN_M; break;
	default: fail();
	}
	assert_int_equal(l2tp_tunnel_classify(&T, dec, m, c), ev);
}

static void sent_name(char *buf, size_t cap)
{
	struct wire w = poll_wire(0);
	if (w.n == 0) {
		snprintf(buf, cap, "-");
		return;
	}
	assert_int_equal(w.n, 1);
	const char *name = l2tp_msg_name(DEC.type);
	if (DEC.type == L2TP_MSG_STOPCCN || DEC.type == L2TP_MSG_CDN)
		snprintf(buf, cap, "%s/%u", name, DEC.result.result);
	else
		snprintf(buf, cap, "%s", name);
}

static void every_cell_matches_expected_table(void **st)
{
	(void)st;
	FILE *fp = open_expected("l2tp_tunnel_expected.txt");
	assert_non_null(fp);
	int seen[L2TP_TUN_STATE_COUNT][L2TP_TEV_COUNT];
	memset(seen, 0, sizeof seen);
	char line[256];
	int cells = 0;
	while (fgets(line, sizeof line, fp)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char sst[32], sev[32], sact[32], snext[32], ssent[32];
		assert_int_equal(sscanf(line, "%31s %31s %31s %31s %31s", sst, sev, sact, snext, ssent),
				 5);
		int s = find(sst, l2tp_tun_state_name, L2TP_TUN_STATE_COUNT);
		int e = find(sev, l2tp_tun_event_name, L2TP_TEV_COUNT);
		if (s < 0 || e < 0)
			fail_msg("bad line: %s", line);
		seen[s][e]++;
		cells++;

		mkt(true);
		lac_nr = 0;
		T.state = (uint8_t)s;
		if (s != L2TP_TUN_IDLE) {
			T.peer_tid = LAC_TID;
			l2tp_rel_set_peer(&T.rel, LAC_TID, 4);
		}
		struct l2tp_msg m;
		struct l2tp_tun_cls c = { (uint8_t)e, 0, 0, NULL };
		const struct l2tp_msg *mp = NULL;
		if (e <= L2TP_TEV_MSG_BAD) {
			canonical(e, &m, &c);
			mp = &m;
		} else if (e == L2TP_TEV_ADMIN_CLOSE) {
			c.result = L2TP_STOPCCN_SHUTDOWN;
		} else if (e == L2TP_TEV_SETUP_TIMEOUT) {
			c.result = L2TP_STOPCCN_CLEAR;
		}
		struct l2tp_tun_out o;
		assert_int_equal(l2tp_tunnel_step(&T, (enum l2tp_tun_event)e, mp, &c, 0, RND, &o), 0);
		char sent[32];
		sent_name(sent, sizeof sent);
		if (strcmp(l2tp_tun_action_name(o.act), sact) != 0 ||
		    strcmp(l2tp_tun_state_name(T.state), snext) != 0 || strcmp(sent, ssent) != 0)
			fail_msg("%s %s: got %s %s %s, want %s %s %s", sst, sev,
				 l2tp_tun_action_name(o.act), l2tp_tun_state_name(T.state), sent, sact,
				 snext, ssent);
		assert_int_equal(o.err, 0);
	}
	fclose(fp);
	assert_int_equal(cells, L2TP_TUN_STATE_COUNT * L2TP_TEV_COUNT);
	for (int s = 0; s < L2TP_TUN_STATE_COUNT; s++)
		for (int e = 0; e < L2TP_TEV_COUNT; e++)
			if (seen[s][e] != 1)
				fail_msg("cell %s/%s listed %d times", l2tp_tun_state_name((unsigned)s),
					 l2tp_tun_event_name((unsigned)e), seen[s][e]);
}

/* ---- scenarios ------------------------------------------------------------ */

static void handshake_with_mutual_challenge(void **st)
{
	(void)st;
	mkt(true);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	sccrq(&m, LAC_CHAL);
	struct l2tp_tun_out o;
	lac_send(&m, 0);
	assert_int_equal(run(0, &o), 1);
	assert_int_equal(o.act, L2TP_TA_SEND_SCCRP);
	struct wire w = poll_wire(0);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_SCCRP);
	assert_int_equal(w.h.tid, LAC_TID);
	assert_int_equal(w.h.sid, 0);
	assert_int_equal(w.h.ns, 0);
	assert_int_equal(w.h.nr, 1);
	assert_int_equal(DEC.assigned_tid, OUR_TID);
	assert_true(L2TP_HAS(&DEC, L2TP_AVP_RX_WINDOW_SIZE));
	assert_int_equal(DEC.rx_window, CONF.rx_slots);
	assert_true(L2TP_HAS(&DEC, L2TP_AVP_CHALLENGE_RESPONSE));
	assert_memory_equal(DEC.challenge_resp, WANT_SCCRP_RESP, 16);
	assert_true(L2TP_HAS(&DEC, L2TP_AVP_CHALLENGE));
	assert_int_equal(DEC.challenge.len, 16);
	assert_memory_equal(DEC.challenge.v, RND, 16);
	assert_int_equal(T.rel.peer_window, 10);

	l2tp_build_scccn(&m, GOOD_SCCCN_RESP);
	lac_send(&m, 20);
	assert_int_equal(run(20, &o), 1);
	assert_true(o.up);
	assert_int_equal(o.act, L2TP_TA_UP);
	w = poll_wire(120);
	assert_true(w.zlb);
	assert_int_equal(w.zlb_nr, 2);
	assert_int_equal(l2tp_rel_unacked(&T.rel), 0); /* SCCCN acknowledged the SCCRP */
}

static void scccn_refused(const uint8_t *resp)
{
	mkt(true);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	struct l2tp_tun_out o;
	lac_send(&m, 0);
	run(0, &o);
	poll_wire(0);
	l2tp_build_scccn(&m, resp);
	lac_send(&m, 20);
	assert_int_equal(run(20, &o), 1);
	assert_int_equal(o.act, L2TP_TA_STOPCCN);
	assert_true(o.down);
	assert_false(o.up);
	assert_int_equal(o.reason, L2TP_DOWN_SETUP);
	struct wire w = poll_wire(20);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_STOPCCN);
	assert_int_equal(DEC.result.result, L2TP_STOPCCN_NOT_AUTHORIZED);
	assert_int_equal(DEC.assigned_tid, OUR_TID);
	assert_int_equal(w.h.tid, LAC_TID);
	assert_int_equal(T.state, L2TP_TUN_CLOSING);
}

static void scccn_with_wrong_response_is_refused(void **st)
{
	(void)st;
	uint8_t bad[16];
	memcpy(bad, GOOD_SCCCN_RESP, 16);
	bad[15] ^= 1;
	scccn_refused(bad);
}

static void scccn_without_response_is_refused(void **st)
{
	(void)st;
	scccn_refused(NULL);
}

static struct wire refused_sccrq(struct l2tp_msg *m, bool secret, int dec)
{
	mkt(secret);
	lac_ns = lac_nr = 0;
	struct l2tp_tun_cls c;
	int ev = l2tp_tunnel_classify(&T, dec, m, &c);
	assert_int_equal(ev, L2TP_TEV_SCCRQ_BAD);
	struct l2tp_tun_out o;
	l2tp_tunnel_step(&T, L2TP_TEV_SCCRQ_BAD, m, &c, 0, RND, &o);
	assert_true(o.down);
	struct wire w = poll_wire(0);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_STOPCCN);
	assert_int_equal(w.h.tid, LAC_TID); /* addressed with the SCCRQ's Assigned Tunnel ID */
	return w;
}

static void challenge_without_secret_is_refused(void **st)
{
	(void)st;
	struct l2tp_msg m;
	sccrq(&m, LAC_CHAL);
	refused_sccrq(&m, false, 0);
	assert_int_equal(DEC.result.result, L2TP_STOPCCN_NOT_AUTHORIZED);
}

static void bad_version_gets_result_5(void **st)
{
	(void)st;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	m.proto_rev = 1;
	refused_sccrq(&m, false, 0);
	assert_int_equal(DEC.result.result, L2TP_STOPCCN_BAD_VERSION);
	assert_true(DEC.result.has_error);
	assert_int_equal(DEC.result.error, 0x0100); /* highest version we speak: 1.0 */
}

static void missing_avp_gets_2_2(void **st)
{
	(void)st;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	m.present &= ~((uint64_t)1 << L2TP_AVP_HOST_NAME);
	refused_sccrq(&m, false, 0);
	assert_int_equal(DEC.result.result, L2TP_STOPCCN_GENERAL_ERROR);
	assert_int_equal(DEC.result.error, L2TP_ERR_LENGTH);
}

static void unknown_mandatory_avp_in_sccrq_gets_2_8(void **st)
{
	(void)st;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	refused_sccrq(&m, false, L2TP_E_UNKNOWN_M);
	assert_int_equal(DEC.result.result, L2TP_STOPCCN_GENERAL_ERROR);
	assert_int_equal(DEC.result.error, L2TP_ERR_UNKNOWN_MAVP);
}

static void refusal_policy_applies(void **st)
{
	(void)st;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	mkt(false);
	T.refuse_result = L2TP_STOPCCN_SHUTDOWN;
	struct l2tp_tun_cls c;
	assert_int_equal(l2tp_tunnel_classify(&T, 0, &m, &c), L2TP_TEV_SCCRQ_BAD);
	assert_int_equal(c.result, L2TP_STOPCCN_SHUTDOWN);
}

static void unknown_m_avp_in_hello_clears_tunnel(void **st)
{
	(void)st;
	establish(false);
	/* Message Type HELLO (M), then vendor 0 type 99 with M set. */
	static const uint8_t avps[] = { 0x80, 0x08, 0, 0, 0, 0, 0, 6,
					0x80, 0x08, 0, 0, 0, 99, 0, 0 };
	assert_int_equal(lac_raw(avps, sizeof avps, 1000), L2TP_REL_IN_NEW);
	struct l2tp_tun_out o;
	assert_int_equal(run(1000, &o), 1);
	assert_int_equal(o.act, L2TP_TA_STOPCCN);
	assert_int_equal(o.reason, L2TP_DOWN_LOCAL_STOPCCN);
	poll_wire(1000);
	assert_int_equal(DEC.type, L2TP_MSG_STOPCCN);
	assert_int_equal(DEC.result.result, 2);
	assert_int_equal(DEC.result.error, 8);
}

static void unknown_message_type(void **st)
{
	(void)st;
	establish(false);
	/* Message Type 99 without M: ignored, but acknowledged (§4.4.1). */
	static const uint8_t ign[] = { 0x00, 0x08, 0, 0, 0, 0, 0, 99 };
	lac_raw(ign, sizeof ign, 1000);
	struct l2tp_tun_out o;
	assert_int_equal(run(1000, &o), 0);
	struct wire w = poll_wire(1100);
	assert_true(w.zlb);
	assert_int_equal(w.zlb_nr, lac_ns);
	assert_int_equal(T.state, L2TP_TUN_ESTABLISHED);
	/* A message whose first AVP is not Message Type clears the tunnel. */
	struct l2tp_msg z;
	memset(&z, 0, sizeof z);
	struct l2tp_tun_cls c;
	assert_int_equal(l2tp_tunnel_classify(&T, L2TP_E_NO_MSG_TYPE, &z, &c), L2TP_TEV_MSG_BAD);
	assert_int_equal(c.result, 2);
	/* With M: the tunnel is cleared. */
	static const uint8_t fatal[] = { 0x80, 0x08, 0, 0, 0, 0, 0, 99 };
	lac_raw(fatal, sizeof fatal, 2000);
	assert_int_equal(run(2000, &o), 1);
	assert_int_equal(o.act, L2TP_TA_STOPCCN);
	assert_int_equal(o.result, 2);
}

static void stopccn_in_the_middle_of_setup(void **st)
{
	(void)st;
	mkt(false);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	struct l2tp_tun_out o;
	lac_send(&m, 0);
	run(0, &o);
	poll_wire(0);
	l2tp_build_stopccn(&m, LAC_TID, L2TP_STOPCCN_SHUTDOWN, 0, NULL);
	lac_send(&m, 50);
	assert_int_equal(run(50, &o), 1);
	assert_int_equal(o.act, L2TP_TA_PEER_STOP);
	assert_true(o.down);
	assert_int_equal(o.reason, L2TP_DOWN_PEER_STOPCCN);
	assert_int_equal(o.result, L2TP_STOPCCN_SHUTDOWN);
	struct wire w = poll_wire(150);
	assert_true(w.zlb); /* §5.7: the StopCCN is acknowledged */
	assert_int_equal(w.zlb_nr, 2);
	assert_int_equal(w.n, 0); /* nothing else is sent */
	/* The ZLB was lost: the retransmitted StopCCN is acknowledged again. */
	assert_int_equal(lac_send_ns(&m, 1, OUR_TID, 1050), L2TP_REL_IN_DUP);
	w = poll_wire(1050);
	assert_true(w.zlb);
	/* Kept for a full retransmission cycle, then freed. */
	w = poll_wire(50 + 30999);
	assert_false(w.ev.free);
	w = poll_wire(50 + 31000);
	assert_true(w.ev.free);
	assert_int_equal(T.state, L2TP_TUN_DEAD);
}

static void admin_close_retransmits_and_holds(void **st)
{
	(void)st;
	establish(false);
	struct l2tp_tun_out o;
	l2tp_tunnel_close(&T, L2TP_STOPCCN_CLEAR, 0, "admin", 1000, &o);
	assert_int_equal(o.act, L2TP_TA_STOPCCN);
	assert_int_equal(o.reason, L2TP_DOWN_LOCAL_STOPCCN);
	struct wire w = poll_wire(1000);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_STOPCCN);
	assert_int_equal(DEC.result.result, 1);
	w = poll_wire(2000); /* not acknowledged: sent again */
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_STOPCCN);
	/* The peer still talks during the hold: acknowledged, not processed. */
	struct l2tp_msg m;
	l2tp_build_hello(&m);
	lac_send(&m, 2500);
	assert_int_equal(run(2500, &o), 1);
	assert_int_equal(o.act, L2TP_TA_IGNORE);
	w = poll_wire(2600);
	assert_true(w.zlb);
	lac_zlb(lac_nr, 2700); /* the peer finally acknowledges our StopCCN */
	w = poll_wire(1000 + 30999);
	assert_int_equal(T.state, L2TP_TUN_CLOSING);
	w = poll_wire(1000 + 31000);
	assert_true(w.ev.free);
	assert_int_equal(T.state, L2TP_TUN_DEAD);
}

static void hello_after_quiet_interval(void **st)
{
	(void)st;
	establish(false);
	struct wire w = poll_wire(200);
	struct l2tp_rel_tx tx;
	struct l2tp_tun_out o;
	l2tp_tunnel_poll(&T, 300, &tx, &o);
	assert_true(tx.deadline == 10 + 60000); /* last heard: the SCCCN at 10 */
	w = poll_wire(60009);
	assert_int_equal(w.n, 0);
	w = poll_wire(60010);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_HELLO);
	assert_int_equal(w.h.sid, 0);
	lac_zlb(lac_nr, 60050);
	w = poll_wire(60050 + 59999);
	assert_int_equal(w.n, 0);
	/* A data packet is a sign of life too. */
	l2tp_tunnel_note_rx(&T, 100000);
	w = poll_wire(60050 + 60000);
	assert_int_equal(w.n, 0);
	w = poll_wire(160000);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_HELLO);
	/* No HELLO at all when disabled. */
	CONF.hello_ms = 0;
	lac_zlb(lac_nr, 160100);
	w = poll_wire(500000);
	assert_int_equal(w.n, 0);
}

static void retransmission_exhaustion_ends_tunnel(void **st)
{
	(void)st;
	establish(false);
	struct wire w = poll_wire(60010);
	assert_int_equal(DEC.type, L2TP_MSG_HELLO);
	uint64_t t = 60010;
	int sends = 1;
	for (uint64_t now = t; now <= t + 31000; now += 250) {
		w = poll_wire(now);
		sends += w.n;
		if (w.ev.stepped) {
			assert_int_equal(w.ev.act, L2TP_TA_DOWN_FREE);
			assert_true(w.ev.down && w.ev.free);
			assert_int_equal(w.ev.reason, L2TP_DOWN_TIMEOUT);
			assert_true(now == t + 31000);
		}
	}
	assert_int_equal(sends, 1 + 5);
	assert_int_equal(T.state, L2TP_TUN_DEAD);
}

static void duplicate_sccrq_is_recognised(void **st)
{
	(void)st;
	mkt(false);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	struct l2tp_tun_out o;
	lac_send(&m, 0);
	run(0, &o);
	poll_wire(0);
	assert_true(l2tp_tunnel_is_sccrq_dup(&T, &PEER, LAC_TID));
	struct l2tp_peer other = PEER;
	other.port = 1702;
	assert_false(l2tp_tunnel_is_sccrq_dup(&T, &other, LAC_TID));
	assert_false(l2tp_tunnel_is_sccrq_dup(&T, &PEER, LAC_TID + 1));
	other = PEER;
	other.addr[3] = 2;
	assert_false(l2tp_tunnel_is_sccrq_dup(&T, &other, LAC_TID));
	/* The retransmission (Ns 0, Nr 0, Tunnel ID 0: the LAC never saw our
	 * SCCRP) is re-acknowledged, not processed. */
	lac_nr = 0;
	assert_int_equal(lac_send_ns(&m, 0, 0, 1000), L2TP_REL_IN_DUP);
	assert_int_equal(run(1000, &o), 0);
	assert_int_equal(l2tp_rel_unacked(&T.rel), 1);
	struct wire w = poll_wire(1000);
	assert_true(w.zlb || w.n == 1);
	assert_int_equal(T.state, L2TP_TUN_WAIT_CTL_CONN);
	/* Once established, the same SCCRQ is a restarted LAC, not a duplicate. */
	establish(false);
	assert_false(l2tp_tunnel_is_sccrq_dup(&T, &PEER, LAC_TID));
}

/* Appendix B.2 in our role: the SCCRP is lost and retransmitted after the
 * 1 s timeout with the same Ns; the LAC's SCCCN then acknowledges it. */
static void lost_sccrp_is_retransmitted(void **st)
{
	(void)st;
	mkt(false);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	struct l2tp_tun_out o;
	lac_send(&m, 0);
	run(0, &o);
	struct l2tp_rel_tx tx;
	l2tp_tunnel_poll(&T, 0, &tx, &o); /* the SCCRP: lost on the way */
	assert_int_equal(tx.n, 1);
	assert_true(tx.deadline == 1000);
	struct wire w = poll_wire(999);
	assert_int_equal(w.n, 0);
	w = poll_wire(1000);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_SCCRP);
	assert_int_equal(w.h.ns, 0);
	assert_int_equal(w.h.nr, 1);
	l2tp_build_scccn(&m, NULL);
	lac_send(&m, 1010);
	assert_int_equal(run(1010, &o), 1);
	assert_true(o.up);
	assert_int_equal(T.rel.rtx_count, 1);
	assert_int_equal(l2tp_rel_unacked(&T.rel), 0);
}

static void call_before_scccn_is_refused(void **st)
{
	(void)st;
	mkt(false);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	sccrq(&m, NULL);
	struct l2tp_tun_out o;
	lac_send(&m, 0);
	run(0, &o);
	poll_wire(0);
	lac_zlb(1, 5);
	struct l2tp_icrq_args ia = { .assigned_sid = 0x77, .call_serial = 9 };
	l2tp_build_icrq(&m, &ia);
	lac_send(&m, 10);
	assert_int_equal(run(10, &o), 1);
	assert_int_equal(o.act, L2TP_TA_REFUSE_CALL);
	struct wire w = poll_wire(10);
	assert_int_equal(DEC.type, L2TP_MSG_CDN);
	assert_int_equal(w.h.sid, 0x77);
	assert_int_equal(DEC.result.result, 2);
	assert_int_equal(DEC.result.error, L2TP_ERR_NO_TUNNEL);
}

static void wen_and_sli_are_routed_not_fatal(void **st)
{
	(void)st;
	establish(false);
	struct l2tp_msg m;
	memset(&m, 0, sizeof m);
	m.type = L2TP_MSG_SLI;
	m.present = m.mandatory = 1u | ((uint64_t)1 << L2TP_AVP_ACCM);
	m.accm.send = 0xffffffffu;
	lac_send(&m, 1000);
	struct l2tp_tun_out o;
	assert_int_equal(run(1000, &o), 1);
	assert_int_equal(o.act, L2TP_TA_ROUTE);
	assert_int_equal(o.msg->type, L2TP_MSG_SLI);
	m.type = L2TP_MSG_WEN;
	m.present = m.mandatory = 1u | ((uint64_t)1 << L2TP_AVP_CALL_ERRORS);
	lac_send(&m, 1001);
	assert_int_equal(run(1001, &o), 1);
	assert_int_equal(o.act, L2TP_TA_ROUTE);
	assert_int_equal(T.state, L2TP_TUN_ESTABLISHED);
	struct wire w = poll_wire(1101);
	assert_true(w.zlb);
	assert_int_equal(w.zlb_nr, lac_ns);
}

/* Whatever a peer sends (random Ns/Nr, random AVP bytes after a valid
 * header) is a counted drop or a protocol answer: never a crash, never a
 * state outside the table, never more in flight than the peer's window. */
static void random_input_keeps_invariants(void **st)
{
	(void)st;
	uint32_t x = 12345u;
	for (int round = 0; round < 200; round++) {
		establish(round % 2 == 0);
		uint64_t now = 1000;
		for (int i = 0; i < 100; i++) {
			uint8_t buf[128];
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			size_t alen = x % 64;
			for (size_t k = 0; k < alen; k++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				buf[12 + k] = (uint8_t)x;
			}
			/* Usually a plausible Message Type AVP first. */
			if (alen >= 8 && (x & 3)) {
				static const uint8_t mt[6] = { 0x80, 0x08, 0, 0, 0, 0 };
				memcpy(buf + 12, mt, 6);
				buf[18] = 0;
				buf[19] = (uint8_t)(x % 18);
			}
			size_t n = 12 + alen;
			uint16_t ns = (x & 8) ? lac_ns++ : (uint16_t)(x >> 8);
			uint8_t hdr[12] = { 0xc8, 0x02, 0, (uint8_t)n, OUR_TID >> 8, OUR_TID & 0xff,
					    0, (uint8_t)(x >> 20), (uint8_t)(ns >> 8), (uint8_t)ns,
					    (uint8_t)(x >> 24), (uint8_t)(x >> 16) };
			memcpy(buf, hdr, 12);
			struct l2tp_hdr h;
			if (l2tp_hdr_decode(buf, n, &h) != L2TP_OK)
				continue;
			l2tp_tunnel_input(&T, buf, n, &h, now);
			struct l2tp_tun_out o;
			while (l2tp_tunnel_next(&T, now, RND, &SCRATCH, &o) > 0)
				assert_true(o.to < L2TP_TUN_STATE_COUNT);
			now += x % 3000;
			struct l2tp_rel_tx tx;
			l2tp_tunnel_poll(&T, now, &tx, &o);
			assert_true(T.state < L2TP_TUN_STATE_COUNT);
			assert_true(l2tp_rel_unacked(&T.rel) <= T.rel.tx_cap);
			assert_true((uint16_t)(T.rel.snd_max - T.rel.una) <= T.rel.peer_window ||
				    T.rel.peer_window == 0);
			if (T.state == L2TP_TUN_DEAD)
				break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_cell_matches_expected_table),
		cmocka_unit_test(handshake_with_mutual_challenge),
		cmocka_unit_test(scccn_with_wrong_response_is_refused),
		cmocka_unit_test(scccn_without_response_is_refused),
		cmocka_unit_test(challenge_without_secret_is_refused),
		cmocka_unit_test(bad_version_gets_result_5),
		cmocka_unit_test(missing_avp_gets_2_2),
		cmocka_unit_test(unknown_mandatory_avp_in_sccrq_gets_2_8),
		cmocka_unit_test(refusal_policy_applies),
		cmocka_unit_test(unknown_m_avp_in_hello_clears_tunnel),
		cmocka_unit_test(unknown_message_type),
		cmocka_unit_test(stopccn_in_the_middle_of_setup),
		cmocka_unit_test(admin_close_retransmits_and_holds),
		cmocka_unit_test(hello_after_quiet_interval),
		cmocka_unit_test(retransmission_exhaustion_ends_tunnel),
		cmocka_unit_test(duplicate_sccrq_is_recognised),
		cmocka_unit_test(lost_sccrp_is_retransmitted),
		cmocka_unit_test(call_before_scccn_is_refused),
		cmocka_unit_test(wen_and_sli_are_routed_not_fatal),
		cmocka_unit_test(random_input_keeps_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
