/*
 * RFC 2661 §7.4.2 incoming call FSM, LNS side: every (state, event) cell
 * against the hand-written tests/fsm/l2tp_session_expected.txt with the
 * message put on the wire decoded; then scenarios: a whole call with proxy
 * LCP/authentication hints, CDN both ways with Result/Error/Q.931 passed
 * through, CDN crossing ICCN, connect timeout, tunnel loss, messages for
 * unknown sessions, outgoing-call refusal, the data-path predicate, and the
 * random ID allocator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/l2tp.h"
#include "fsm/l2tp_ids.h"
#include "fsm/l2tp_session.h"
#include "fsm/l2tp_tunnel.h"

#define OUR_TID 0x0a0b
#define LAC_TID 0x4444
#define LAC_SID 0x0077
#define OUR_SID 0x3333

static struct l2tp_tunnel_conf CONF;
static const struct l2tp_session_conf SCONF = L2TP_SESSION_CONF_DEFAULT;
static struct l2tp_tunnel T;
static struct l2tp_session S;
static _Alignas(16) uint8_t MEM[32 * 1600];
static struct l2tp_msg SCRATCH, DEC;
static const struct l2tp_peer PEER = { 2, 1701, { 10, 0, 0, 1 } };
static const uint8_t RND[16] = { 0 };
static uint16_t lac_ns, lac_nr;

static void lac_send(const struct l2tp_msg *m, uint16_t sid, uint64_t now)
{
	uint8_t buf[1200];
	int n = l2tp_msg_encode(buf, sizeof buf, T.peer_tid ? OUR_TID : 0, sid, lac_ns++, lac_nr, m,
				NULL, NULL, 0);
	assert_true(n > 12);
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(buf, (size_t)n, &h), L2TP_OK);
	assert_int_equal(l2tp_tunnel_input(&T, buf, (size_t)n, &h, now), L2TP_REL_IN_NEW);
}

struct wire {
	int n;
	struct l2tp_hdr h;
	bool zlb;
};

static struct wire poll_wire(uint64_t now)
{
	struct wire w;
	memset(&w, 0, sizeof w);
	struct l2tp_rel_tx tx;
	struct l2tp_tun_out o;
	l2tp_tunnel_poll(&T, now, &tx, &o);
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
	w.zlb = tx.zlb;
	return w;
}

/* An established tunnel with nothing outstanding. */
static void establish(void)
{
	static const struct l2tp_tunnel_conf def = L2TP_TUNNEL_CONF_DEFAULT;
	CONF = def;
	assert_int_equal(l2tp_tunnel_init(&T, &CONF, OUR_TID, &PEER, MEM, sizeof MEM, 0), 0);
	lac_ns = lac_nr = 0;
	struct l2tp_msg m;
	struct l2tp_sccrq_args a = { .assigned_tid = LAC_TID, .host_name = "lac", .framing_cap = 3 };
	l2tp_build_sccrq(&m, &a);
	lac_send(&m, 0, 0);
	struct l2tp_tun_out o;
	assert_int_equal(l2tp_tunnel_next(&T, 0, RND, &SCRATCH, &o), 1);
	poll_wire(0);
	l2tp_build_scccn(&m, NULL);
	lac_send(&m, 0, 10);
	assert_int_equal(l2tp_tunnel_next(&T, 10, RND, &SCRATCH, &o), 1);
	assert_true(o.up);
	poll_wire(200);
	assert_int_equal(l2tp_rel_unacked(&T.rel), 0);
}

static void icrq(struct l2tp_msg *m)
{
	struct l2tp_icrq_args a = { .assigned_sid = LAC_SID, .call_serial = 42,
				    .calling_number = "0123" };
	l2tp_build_icrq(m, &a);
}

static const uint8_t LCP_CONFREQ[] = { 0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05,
				       0xd4, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78 };
static const uint8_t CHAL[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };
static const uint8_t RESP[16] = { 0xee, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xee };

static void iccn(struct l2tp_msg *m, bool proxy)
{
	struct l2tp_iccn_args a = { .tx_connect_speed = 100000000, .framing_type = 1,
				    .rx_connect_speed = 5000000, .sequencing_required = true };
	if (proxy) {
		a.initial_rx_lcp = a.last_sent_lcp = a.last_rx_lcp = LCP_CONFREQ;
		a.initial_rx_lcp_len = a.last_sent_lcp_len = a.last_rx_lcp_len = sizeof LCP_CONFREQ;
		a.proxy_auth_type = 2; /* CHAP */
		a.proxy_auth_name = "joe";
		a.proxy_auth_challenge = CHAL;
		a.proxy_auth_challenge_len = sizeof CHAL;
		a.proxy_auth_response = RESP;
		a.proxy_auth_response_len = sizeof RESP;
		a.proxy_auth_id = 7;
	}
	l2tp_build_iccn(m, &a);
}

static void bare(struct l2tp_msg *m, uint16_t type, int avp)
{
	memset(m, 0, sizeof *m);
	m->type = type;
	m->present = m->mandatory = 1u;
	if (avp >= 0)
		m->present |= (uint64_t)1 << avp;
	m->assigned_sid = LAC_SID;
}

static void lac_zlb(uint64_t now)
{
	uint8_t buf[12];
	l2tp_zlb_encode(buf, sizeof buf, OUR_TID, 0, lac_ns, lac_nr);
	struct l2tp_hdr h;
	l2tp_hdr_decode(buf, sizeof buf, &h);
	assert_int_equal(l2tp_tunnel_input(&T, buf, sizeof buf, &h, now), L2TP_REL_IN_ZLB);
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

static void canonical(int ev, struct l2tp_msg *m, struct l2tp_sess_cls *c)
{
	int dec = 0;
	uint16_t refuse = 0;
	switch (ev) {
	case L2TP_SEV_ICRQ_OK: icrq(m); break;
	case L2TP_SEV_ICRQ_BAD: icrq(m); refuse = L2TP_CDN_NO_FACILITIES_TEMP; break;
	case L2TP_SEV_ICRP: l2tp_build_icrp(m, LAC_SID); break;
	case L2TP_SEV_ICCN_OK: iccn(m, false); break;
	case L2TP_SEV_ICCN_BAD:
		iccn(m, false);
		m->present &= ~((uint64_t)1 << L2TP_AVP_FRAMING_TYPE);
		break;
	case L2TP_SEV_CDN: l2tp_build_cdn(m, LAC_SID, L2TP_CDN_ADMIN, 0, NULL); break;
	case L2TP_SEV_OCRQ: bare(m, L2TP_MSG_OCRQ, L2TP_AVP_ASSIGNED_SESSION_ID); break;
	case L2TP_SEV_OCRP: bare(m, L2TP_MSG_OCRP, L2TP_AVP_ASSIGNED_SESSION_ID); break;
	case L2TP_SEV_OCCN: bare(m, L2TP_MSG_OCCN, -1); break;
	case L2TP_SEV_WEN: bare(m, L2TP_MSG_WEN, L2TP_AVP_CALL_ERRORS); break;
	case L2TP_SEV_SLI: bare(m, L2TP_MSG_SLI, L2TP_AVP_ACCM); break;
	case L2TP_SEV_MSG_BAD: bare(m, L2TP_MSG_SLI, L2TP_AVP_ACCM); dec = L2TP_E_UNKNOWN_M; break;
	default: fail();
	}
	assert_int_equal(l2tp_session_classify(dec, m, refuse, 0, c), ev);
}

static void every_cell_matches_expected_table(void **st)
{
	(void)st;
	FILE *fp = open_expected("l2tp_session_expected.txt");
	assert_non_null(fp);
	int seen[L2TP_SESS_STATE_COUNT][L2TP_SEV_COUNT];
	memset(seen, 0, sizeof seen);
	char line[256];
	int cells = 0;
	while (fgets(line, sizeof line, fp)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char sst[32], sev[32], sact[32], snext[32], ssent[32];
		assert_int_equal(sscanf(line, "%31s %31s %31s %31s %31s", sst, sev, sact, snext, ssent),
				 5);
		int s = find(sst, l2tp_sess_state_name, L2TP_SESS_STATE_COUNT);
		int e = find(sev, l2tp_sess_event_name, L2TP_SEV_COUNT);
		if (s < 0 || e < 0)
			fail_msg("bad line: %s", line);
		seen[s][e]++;
		cells++;

		establish();
		l2tp_session_init(&S, OUR_TID, OUR_SID);
		S.state = (uint8_t)s;
		S.peer_sid = LAC_SID;
		struct l2tp_msg m;
		struct l2tp_sess_cls c;
		memset(&c, 0, sizeof c);
		const struct l2tp_msg *mp = NULL;
		if (e <= L2TP_SEV_MSG_BAD) {
			canonical(e, &m, &c);
			mp = &m;
		} else if (e == L2TP_SEV_LOCAL_CLOSE) {
			c.result = L2TP_CDN_ADMIN;
		} else if (e == L2TP_SEV_CONNECT_TIMEOUT) {
			c.result = L2TP_CDN_TIMEOUT;
		}
		struct l2tp_sess_out o;
		assert_int_equal(l2tp_session_step(&S, &SCONF, &T, (enum l2tp_sess_event)e, mp, &c,
						   1000, &o),
				 0);
		struct wire w = poll_wire(1000);
		char sent[32] = "-";
		if (w.n) {
			assert_int_equal(w.n, 1);
			assert_int_equal(w.h.sid, LAC_SID); /* addressed to the LAC's session */
			if (DEC.type == L2TP_MSG_CDN) {
				assert_int_equal(DEC.assigned_sid, OUR_SID);
				snprintf(sent, sizeof sent, "CDN/%u", DEC.result.result);
			} else {
				snprintf(sent, sizeof sent, "%s", l2tp_msg_name(DEC.type));
			}
		}
		if (strcmp(l2tp_sess_action_name(o.act), sact) != 0 ||
		    strcmp(l2tp_sess_state_name(S.state), snext) != 0 || strcmp(sent, ssent) != 0)
			fail_msg("%s %s: got %s %s %s, want %s %s %s", sst, sev,
				 l2tp_sess_action_name(o.act), l2tp_sess_state_name(S.state), sent, sact,
				 snext, ssent);
		assert_int_equal(o.err, 0);
		/* Leaving for dead always tells the caller to free. */
		if (s != L2TP_SESS_DEAD && S.state == L2TP_SESS_DEAD)
			assert_true(o.free);
	}
	fclose(fp);
	assert_int_equal(cells, L2TP_SESS_STATE_COUNT * L2TP_SEV_COUNT);
	for (int s = 0; s < L2TP_SESS_STATE_COUNT; s++)
		for (int e = 0; e < L2TP_SEV_COUNT; e++)
			if (seen[s][e] != 1)
				fail_msg("cell %s/%s listed %d times", l2tp_sess_state_name((unsigned)s),
					 l2tp_sess_event_name((unsigned)e), seen[s][e]);
}

/* ---- scenarios ------------------------------------------------------------ */

static uint64_t SIDMAP[1024];

/* Route the next message as the daemon would; returns the session event
 * outcome (or act -1 for an orphan, with *orphan set). */
static int route(uint64_t now, struct l2tp_sess_out *so, int *orphan)
{
	struct l2tp_tun_out o;
	if (l2tp_tunnel_next(&T, now, RND, &SCRATCH, &o) != 1)
		return -1;
	assert_int_equal(o.act, L2TP_TA_ROUTE);
	*orphan = -1;
	if (o.sid == 0 || o.sid != S.our_sid || S.state == L2TP_SESS_DEAD) {
		*orphan = l2tp_session_orphan(&T, o.sid, o.msg);
		if (*orphan != L2TP_ORPHAN_NEW_CALL)
			return 0;
		static const uint8_t r[8] = { 0x33, 0x33, 0x10, 0x00, 0x20, 0x00, 0x30, 0x00 };
		int sid = l2tp_idmap_pick(SIDMAP, 65536, r, sizeof r);
		assert_true(sid > 0);
		l2tp_idmap_set(SIDMAP, (uint16_t)sid);
		l2tp_session_init(&S, T.our_tid, (uint16_t)sid);
	}
	struct l2tp_sess_cls c;
	int ev = l2tp_session_classify(o.dec_err, o.msg, 0, 0, &c);
	assert_true(ev >= 0);
	return l2tp_session_step(&S, &SCONF, &T, (enum l2tp_sess_event)ev, o.msg, &c, now, so);
}

static void call(bool proxy, struct l2tp_sess_out *so)
{
	establish();
	memset(SIDMAP, 0, sizeof SIDMAP);
	memset(&S, 0, sizeof S);
	S.state = L2TP_SESS_DEAD;
	struct l2tp_msg m;
	int orphan;
	icrq(&m);
	lac_send(&m, 0, 1000);
	assert_int_equal(route(1000, so, &orphan), 0);
	assert_int_equal(orphan, L2TP_ORPHAN_NEW_CALL);
	assert_int_equal(so->act, L2TP_SA_SEND_ICRP);
	assert_int_equal(S.our_sid, 0x3333); /* the first random probe */
	struct wire w = poll_wire(1000);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_ICRP);
	assert_int_equal(w.h.sid, LAC_SID);
	assert_int_equal(w.h.tid, LAC_TID);
	assert_int_equal(DEC.assigned_sid, S.our_sid);
	iccn(&m, proxy);
	lac_send(&m, S.our_sid, 1100);
	assert_int_equal(route(1100, so, &orphan), 0);
}

static void whole_call_with_proxy_hints(void **st)
{
	(void)st;
	struct l2tp_sess_out o;
	call(true, &o);
	assert_int_equal(o.act, L2TP_SA_UP);
	assert_true(o.up);
	assert_int_equal(S.state, L2TP_SESS_ESTABLISHED);
	assert_int_equal(o.tx_speed, 100000000);
	assert_int_equal(o.rx_speed, 5000000);
	assert_int_equal(o.framing, 1);
	assert_true(o.seq_required);
	assert_true(o.proxy.has_lcp);
	assert_int_equal(o.proxy.last_sent_lcp_len, sizeof LCP_CONFREQ);
	assert_memory_equal(o.proxy.last_sent_lcp, LCP_CONFREQ, sizeof LCP_CONFREQ);
	assert_int_equal(o.proxy.initial_rx_lcp_len, sizeof LCP_CONFREQ);
	assert_int_equal(o.proxy.last_rx_lcp_len, sizeof LCP_CONFREQ);
	assert_true(o.proxy.has_auth);
	assert_int_equal(o.proxy.auth_type, 2);
	assert_int_equal(o.proxy.auth_name_len, 3);
	assert_memory_equal(o.proxy.auth_name, "joe", 3);
	assert_int_equal(o.proxy.auth_chal_len, 16);
	assert_memory_equal(o.proxy.auth_chal, CHAL, 16);
	assert_int_equal(o.proxy.auth_resp_len, 16);
	assert_memory_equal(o.proxy.auth_resp, RESP, 16);
	assert_int_equal(o.proxy.auth_id, 7);
	struct wire w = poll_wire(1200);
	assert_int_equal(w.n, 0);
	assert_true(w.zlb); /* the ICCN is acknowledged */
	/* Without proxy AVPs there is no hint. */
	call(false, &o);
	assert_true(o.up);
	assert_false(o.proxy.has_lcp);
	assert_false(o.proxy.has_auth);
}

static void local_cdn_carries_result_error_and_q931(void **st)
{
	(void)st;
	struct l2tp_sess_out o;
	call(false, &o);
	poll_wire(1200);
	struct l2tp_sess_cls c = { L2TP_SEV_LOCAL_CLOSE, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_TRY_ANOTHER,
				   "shutting down", true, 16, 0x5a };
	l2tp_session_step(&S, &SCONF, &T, L2TP_SEV_LOCAL_CLOSE, NULL, &c, 2000, &o);
	assert_true(o.down);
	assert_false(o.peer_initiated);
	struct wire w = poll_wire(2000);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_CDN);
	assert_int_equal(w.h.sid, LAC_SID);
	assert_int_equal(DEC.assigned_sid, S.our_sid);
	assert_int_equal(DEC.result.result, 2);
	assert_int_equal(DEC.result.error, 7);
	assert_true(L2TP_HAS(&DEC, L2TP_AVP_Q931_CAUSE));
	assert_int_equal(DEC.q931.cause, 16);
	assert_int_equal(DEC.q931.msg_code, 0x5a);
	assert_int_equal(S.state, L2TP_SESS_CLOSED);
}

static void peer_cdn_passes_codes_through(void **st)
{
	(void)st;
	struct l2tp_sess_out o;
	call(false, &o);
	struct l2tp_msg m;
	l2tp_build_cdn(&m, LAC_SID, L2TP_CDN_LOST_CARRIER, L2TP_ERR_VENDOR, "carrier gone");
	l2tp_msg_set_q931(&m, 41, 0x45);
	m.has_ppp_disconnect = true; /* RFC 3145 */
	m.ppp_disc_code = 3;
	m.ppp_disc_proto = 0xc021;
	m.ppp_disc_direction = 1;
	lac_send(&m, S.our_sid, 3000);
	int orphan;
	assert_int_equal(route(3000, &o, &orphan), 0);
	assert_int_equal(o.act, L2TP_SA_PEER_CDN);
	assert_true(o.down && o.peer_initiated);
	assert_int_equal(o.result, 1);
	assert_true(o.has_error);
	assert_int_equal(o.error, 6);
	assert_true(o.has_q931);
	assert_int_equal(o.q931_cause, 41);
	assert_int_equal(o.q931_msg, 0x45);
	assert_true(o.has_ppp_disc);
	assert_int_equal(o.ppp_disc_code, 3);
	assert_int_equal(o.ppp_disc_proto, 0xc021);
	assert_int_equal(o.ppp_disc_dir, 1);
	struct wire w = poll_wire(3100);
	assert_int_equal(w.n, 0); /* §6.12: no reply to a CDN but the acknowledgement */
	assert_true(w.zlb);
}

static void cdn_crossing_iccn(void **st)
{
	(void)st;
	establish();
	memset(SIDMAP, 0, sizeof SIDMAP);
	S.state = L2TP_SESS_DEAD;
	struct l2tp_msg m;
	struct l2tp_sess_out o;
	int orphan;
	icrq(&m);
	lac_send(&m, 0, 1000);
	route(1000, &o, &orphan);
	poll_wire(1000);
	/* We give up on the call (e.g. RADIUS said no) just as the LAC sends ICCN. */
	struct l2tp_sess_cls c = { L2TP_SEV_LOCAL_CLOSE, L2TP_CDN_ADMIN, 0, NULL, false, 0, 0 };
	l2tp_session_step(&S, &SCONF, &T, L2TP_SEV_LOCAL_CLOSE, NULL, &c, 1050, &o);
	iccn(&m, false);
	lac_send(&m, S.our_sid, 1060);
	struct wire w = poll_wire(1060);
	assert_int_equal(w.n, 1);
	assert_int_equal(DEC.type, L2TP_MSG_CDN);
	assert_int_equal(route(1060, &o, &orphan), 0);
	assert_int_equal(orphan, -1);
	assert_int_equal(o.act, L2TP_SA_IGNORE); /* no second CDN, no "up" */
	assert_false(o.up);
	/* ... and its CDN crossing ours is dropped as well. */
	l2tp_build_cdn(&m, LAC_SID, L2TP_CDN_ADMIN, 0, NULL);
	lac_send(&m, S.our_sid, 1070);
	route(1070, &o, &orphan);
	assert_int_equal(o.act, L2TP_SA_IGNORE);
	w = poll_wire(1200);
	assert_int_equal(w.n, 0);
	/* Lingers a full retransmission cycle, then goes. */
	l2tp_session_timer(&S, &SCONF, &T, 1050 + 30999, &o);
	assert_false(o.stepped);
	l2tp_session_timer(&S, &SCONF, &T, 1050 + 31000, &o);
	assert_true(o.free);
	assert_int_equal(S.state, L2TP_SESS_DEAD);
}

static void connect_timeout_sends_cdn(void **st)
{
	(void)st;
	establish();
	memset(SIDMAP, 0, sizeof SIDMAP);
	S.state = L2TP_SESS_DEAD;
	struct l2tp_msg m;
	struct l2tp_sess_out o;
	int orphan;
	icrq(&m);
	lac_send(&m, 0, 1000);
	route(1000, &o, &orphan);
	poll_wire(1000);
	lac_zlb(1050); /* ICRP acknowledged; then nothing */
	l2tp_session_timer(&S, &SCONF, &T, 1000 + 29999, &o);
	assert_false(o.stepped);
	l2tp_session_timer(&S, &SCONF, &T, 1000 + 30000, &o);
	assert_int_equal(o.act, L2TP_SA_SEND_CDN);
	struct wire w = poll_wire(31000);
	assert_int_equal(DEC.type, L2TP_MSG_CDN);
	assert_int_equal(DEC.result.result, L2TP_CDN_TIMEOUT);
	assert_int_equal(w.h.sid, LAC_SID);
}

static void tunnel_loss_ends_session_without_cdn(void **st)
{
	(void)st;
	struct l2tp_sess_out o;
	call(false, &o);
	poll_wire(1200);
	struct l2tp_sess_cls c = { L2TP_SEV_TUNNEL_DOWN, L2TP_STOPCCN_SHUTDOWN, 0, NULL, false, 0, 0 };
	l2tp_session_step(&S, &SCONF, &T, L2TP_SEV_TUNNEL_DOWN, NULL, &c, 2000, &o);
	assert_true(o.down && o.free);
	assert_int_equal(o.result, L2TP_STOPCCN_SHUTDOWN);
	assert_int_equal(poll_wire(2000).n, 0);
}

static void messages_for_unknown_sessions(void **st)
{
	(void)st;
	establish();
	memset(&S, 0, sizeof S);
	S.state = L2TP_SESS_DEAD;
	struct l2tp_msg m;
	struct l2tp_sess_out o;
	int orphan;
	iccn(&m, false);
	lac_send(&m, 0x999, 1000);
	route(1000, &o, &orphan);
	assert_int_equal(orphan, L2TP_ORPHAN_CDN_INVALID);
	struct wire w = poll_wire(1000);
	assert_int_equal(DEC.type, L2TP_MSG_CDN);
	assert_int_equal(DEC.result.result, 2);
	assert_int_equal(DEC.result.error, L2TP_ERR_INVALID_SID);
	assert_int_equal(DEC.assigned_sid, 0x999);
	/* A CDN, WEN or SLI for a session we do not have: acknowledged only. */
	l2tp_build_cdn(&m, LAC_SID, 3, 0, NULL);
	lac_send(&m, 0x998, 1100);
	route(1100, &o, &orphan);
	assert_int_equal(orphan, L2TP_ORPHAN_IGNORE);
	bare(&m, L2TP_MSG_WEN, L2TP_AVP_CALL_ERRORS);
	lac_send(&m, 0x997, 1101);
	route(1101, &o, &orphan);
	assert_int_equal(orphan, L2TP_ORPHAN_IGNORE);
	w = poll_wire(1201);
	assert_int_equal(w.n, 0);
	assert_true(w.zlb);
	/* An ICCN with Session ID 0 cannot be answered: ignored. */
	iccn(&m, false);
	lac_send(&m, 0, 1300);
	route(1300, &o, &orphan);
	assert_int_equal(orphan, L2TP_ORPHAN_IGNORE);
}

static void outgoing_call_request_is_refused(void **st)
{
	(void)st;
	establish();
	memset(&S, 0, sizeof S);
	S.state = L2TP_SESS_DEAD;
	struct l2tp_msg m;
	bare(&m, L2TP_MSG_OCRQ, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.assigned_sid = 0x55;
	lac_send(&m, 0, 1000);
	struct l2tp_sess_out o;
	int orphan;
	route(1000, &o, &orphan);
	assert_int_equal(orphan, L2TP_ORPHAN_CDN_NO_OUTGOING);
	struct wire w = poll_wire(1000);
	assert_int_equal(DEC.type, L2TP_MSG_CDN);
	assert_int_equal(DEC.result.result, L2TP_CDN_NO_FACILITIES_PERM);
	assert_int_equal(w.h.sid, 0x55);
}

static void icrq_refusals(void **st)
{
	(void)st;
	struct l2tp_msg m;
	struct l2tp_sess_cls c;
	icrq(&m);
	assert_int_equal(l2tp_session_classify(0, &m, L2TP_CDN_NO_FACILITIES_TEMP, 0, &c),
			 L2TP_SEV_ICRQ_BAD);
	assert_int_equal(c.result, 4);
	assert_int_equal(l2tp_session_classify(0, &m, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_TRY_ANOTHER, &c),
			 L2TP_SEV_ICRQ_BAD);
	assert_int_equal(c.error, 7);
	assert_int_equal(l2tp_session_classify(L2TP_E_UNKNOWN_M, &m, 0, 0, &c), L2TP_SEV_ICRQ_BAD);
	assert_int_equal(c.result, 2);
	assert_int_equal(c.error, 8);
	m.present &= ~((uint64_t)1 << L2TP_AVP_CALL_SERIAL);
	assert_int_equal(l2tp_session_classify(0, &m, 0, 0, &c), L2TP_SEV_ICRQ_BAD);
	assert_int_equal(c.error, 2);
	l2tp_build_cdn(&m, 1, 1, 0, NULL);
	assert_int_equal(l2tp_session_classify(L2TP_E_UNKNOWN_M, &m, 0, 0, &c), L2TP_SEV_CDN);
}

static void data_path_predicate(void **st)
{
	(void)st;
	struct l2tp_sess_out o;
	call(false, &o);
	uint16_t sid = S.our_sid;
	struct l2tp_peer src = PEER;
	assert_true(l2tp_data_accept(&T, &S, OUR_TID, sid, &src));
	assert_false(l2tp_data_accept(&T, &S, OUR_TID + 1, sid, &src));
	assert_false(l2tp_data_accept(&T, &S, OUR_TID, (uint16_t)(sid + 1), &src));
	assert_false(l2tp_data_accept(&T, NULL, OUR_TID, sid, &src));
	assert_false(l2tp_data_accept(NULL, &S, OUR_TID, sid, &src));
	src.port = 1702;
	assert_false(l2tp_data_accept(&T, &S, OUR_TID, sid, &src));
	src = PEER;
	src.addr[3] = 99;
	assert_false(l2tp_data_accept(&T, &S, OUR_TID, sid, &src));
	src = PEER;
	S.state = L2TP_SESS_WAIT_CONNECT;
	assert_false(l2tp_data_accept(&T, &S, OUR_TID, sid, &src));
	S.state = L2TP_SESS_ESTABLISHED;
	T.state = L2TP_TUN_CLOSING;
	assert_false(l2tp_data_accept(&T, &S, OUR_TID, sid, &src));
}

static void ids_are_random_bounded_and_per_tunnel(void **st)
{
	(void)st;
	static uint64_t map[1024], map2[1024];
	memset(map, 0, sizeof map);
	/* 0x1234 maps to 1 + 0x1234 * 65535 / 65536 = 0x1234. */
	const uint8_t r1[2] = { 0x12, 0x34 };
	assert_int_equal(l2tp_idmap_pick(map, 65536, r1, 2), 0x1234);
	l2tp_idmap_set(map, 0x1234);
	/* Taken: the next probe, then a scan from the last probe. */
	const uint8_t r2[4] = { 0x12, 0x34, 0x80, 0x00 };
	assert_int_equal(l2tp_idmap_pick(map, 65536, r2, 4), 0x8000);
	assert_int_equal(l2tp_idmap_pick(map, 65536, r1, 2), 0x1235);
	/* A small table: IDs 1..9 (limit 10). */
	memset(map, 0, sizeof map);
	const uint8_t rmax[2] = { 0xff, 0xff };
	assert_int_equal(l2tp_idmap_pick(map, 10, rmax, 2), 9);
	for (uint16_t i = 1; i < 10; i++)
		l2tp_idmap_set(map, i);
	assert_int_equal(l2tp_idmap_pick(map, 10, rmax, 2), -ENOSPC);
	l2tp_idmap_clear(map, 4);
	assert_int_equal(l2tp_idmap_pick(map, 10, rmax, 2), 4);
	assert_int_equal(l2tp_idmap_pick(map, 1, rmax, 2), -EINVAL);
	assert_int_equal(l2tp_idmap_pick(map, 65537, rmax, 2), -EINVAL);
	/* Random input gives non-sequential IDs (an xorshift stands in for
	 * the daemon's getrandom()). */
	memset(map, 0, sizeof map);
	uint32_t x = 2463534242u;
	int prev = -1, sequential = 0;
	for (int i = 0; i < 1000; i++) {
		uint8_t r[8];
		for (int k = 0; k < 8; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			r[k] = (uint8_t)x;
		}
		int id = l2tp_idmap_pick(map, 65536, r, sizeof r);
		assert_true(id >= 1 && id <= 65535);
		assert_false(l2tp_idmap_test(map, (uint16_t)id));
		l2tp_idmap_set(map, (uint16_t)id);
		sequential += id == prev + 1;
		prev = id;
	}
	assert_true(sequential < 5);
	/* Per-tunnel Session IDs: two tunnels hold 2 x 65535 sessions, more than
	 * a global 16-bit space could; every one found even with no probes. */
	memset(map, 0, sizeof map);
	memset(map2, 0, sizeof map2);
	long total = 0;
	for (int i = 0; i < 65535; i++) {
		int a = l2tp_idmap_pick(map, 65536, NULL, 0);
		int b = l2tp_idmap_pick(map2, 65536, NULL, 0);
		assert_true(a > 0 && b > 0);
		l2tp_idmap_set(map, (uint16_t)a);
		l2tp_idmap_set(map2, (uint16_t)b);
		total += 2;
	}
	assert_int_equal(total, 131070);
	assert_int_equal(l2tp_idmap_pick(map, 65536, NULL, 0), -ENOSPC);
	assert_false(l2tp_idmap_test(map, 0)); /* 0 is never handed out */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_cell_matches_expected_table),
		cmocka_unit_test(whole_call_with_proxy_hints),
		cmocka_unit_test(local_cdn_carries_result_error_and_q931),
		cmocka_unit_test(peer_cdn_passes_codes_through),
		cmocka_unit_test(cdn_crossing_iccn),
		cmocka_unit_test(connect_timeout_sends_cdn),
		cmocka_unit_test(tunnel_loss_ends_session_without_cdn),
		cmocka_unit_test(messages_for_unknown_sessions),
		cmocka_unit_test(outgoing_call_request_is_refused),
		cmocka_unit_test(icrq_refusals),
		cmocka_unit_test(data_path_predicate),
		cmocka_unit_test(ids_are_random_bounded_and_per_tunnel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
