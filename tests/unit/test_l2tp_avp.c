/*
 * RFC 2661 §4 AVPs, one by one: hand-written octets (from the layouts of
 * §4.4.x and RFC 3145 §2) decode to the expected fields and encode back to the
 * same octets; wrong lengths, unknown, vendor, reserved-bit and duplicate AVPs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "codec/l2tp.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && n < cap) {
		if (s[0] == ' ') {
			s++;
			continue;
		}
		unsigned v = 0;
		for (int i = 0; i < 2; i++) {
			char c = s[i];
			v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		}
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* Header (tid 1, sid 2, Ns 3, Nr 4) + Message Type ICRQ (M) + the AVPs. */
static const char HDR_MT[] = "80080000000000 0a";

static size_t build(const char *avps_hex, uint8_t *p, size_t cap)
{
	static const uint8_t hdr[12] = { 0xc8, 0x02, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4 };
	memcpy(p, hdr, 12);
	size_t n = 12 + unhex(HDR_MT, p + 12, cap - 12);
	n += unhex(avps_hex, p + n, cap - n);
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	return n;
}

static int decode(const char *avps_hex, struct l2tp_msg *m)
{
	uint8_t p[4096];
	size_t n = build(avps_hex, p, sizeof p);
	struct l2tp_hdr h;
	int e = l2tp_hdr_decode(p, n, &h);
	assert_int_equal(e, L2TP_OK);
	return l2tp_msg_decode(p + h.hdr_len, h.payload_len, NULL, m);
}

/* ---- per-AVP checks ------------------------------------------------------- */

#define STR_EQ(f, s)                                                                       \
	do {                                                                               \
		assert_int_equal(m->f.len, strlen(s));                                     \
		assert_memory_equal(m->f.v, s, strlen(s));                                 \
	} while (0)

static void c_result(const struct l2tp_msg *m)
{
	assert_int_equal(m->result.result, 2);
	assert_true(m->result.has_error);
	assert_int_equal(m->result.error, 6);
	STR_EQ(result.msg, "oop");
}
static void c_result_short(const struct l2tp_msg *m)
{
	assert_int_equal(m->result.result, 1);
	assert_false(m->result.has_error);
	assert_int_equal(m->result.msg.len, 0);
}
static void c_result_err(const struct l2tp_msg *m)
{
	assert_int_equal(m->result.result, 2);
	assert_true(m->result.has_error);
	assert_int_equal(m->result.error, 8);
	assert_int_equal(m->result.msg.len, 0);
}
static void c_ver(const struct l2tp_msg *m)
{
	assert_int_equal(m->proto_ver, 1);
	assert_int_equal(m->proto_rev, 0);
}
static void c_fcap(const struct l2tp_msg *m) { assert_int_equal(m->framing_cap, 3); }
static void c_bcap(const struct l2tp_msg *m) { assert_int_equal(m->bearer_cap, 2); }
static void c_tie(const struct l2tp_msg *m)
{
	static const uint8_t t[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	assert_memory_equal(m->tie_breaker, t, 8);
}
static void c_fw(const struct l2tp_msg *m) { assert_int_equal(m->firmware_rev, 0x0690); }
static void c_host(const struct l2tp_msg *m) { STR_EQ(host_name, "lns1!"); }
static void c_vendor(const struct l2tp_msg *m) { STR_EQ(vendor_name, "ABC"); }
static void c_tid(const struct l2tp_msg *m) { assert_int_equal(m->assigned_tid, 0x1234); }
static void c_win(const struct l2tp_msg *m) { assert_int_equal(m->rx_window, 16); }
static void c_chal(const struct l2tp_msg *m) { STR_EQ(challenge, "\xde\xad\xbe\xef"); }
static void c_q931(const struct l2tp_msg *m)
{
	assert_int_equal(m->q931.cause, 16);
	assert_int_equal(m->q931.msg_code, 0x5a);
	STR_EQ(q931.advisory, "abc");
}
static void c_q931_bare(const struct l2tp_msg *m)
{
	assert_int_equal(m->q931.cause, 0x1f);
	assert_int_equal(m->q931.msg_code, 1);
	assert_int_equal(m->q931.advisory.len, 0);
}
static void c_resp(const struct l2tp_msg *m)
{
	for (int i = 0; i < 16; i++)
		assert_int_equal(m->challenge_resp[i], i);
}
static void c_sid(const struct l2tp_msg *m) { assert_int_equal(m->assigned_sid, 0xbeef); }
static void c_serial(const struct l2tp_msg *m) { assert_int_equal(m->call_serial, 0x00010203); }
static void c_minbps(const struct l2tp_msg *m) { assert_int_equal(m->min_bps, 9600); }
static void c_maxbps(const struct l2tp_msg *m) { assert_int_equal(m->max_bps, 100000000); }
static void c_btype(const struct l2tp_msg *m) { assert_int_equal(m->bearer_type, 1); }
static void c_ftype(const struct l2tp_msg *m) { assert_int_equal(m->framing_type, 2); }
static void c_called(const struct l2tp_msg *m) { STR_EQ(called_number, "12345"); }
static void c_calling(const struct l2tp_msg *m) { STR_EQ(calling_number, "0123"); }
static void c_sub(const struct l2tp_msg *m) { STR_EQ(sub_address, "X"); }
static void c_tx(const struct l2tp_msg *m) { assert_int_equal(m->tx_connect_speed, 100000000); }
static void c_phys(const struct l2tp_msg *m) { assert_int_equal(m->phys_channel, 7); }
static void c_ilcp(const struct l2tp_msg *m)
{
	STR_EQ(initial_rx_lcp, "\x01\x04\x05\xdc\x05\x06\x12\x34\x56\x78");
}
static void c_slcp(const struct l2tp_msg *m) { STR_EQ(last_sent_lcp, "\x01\x04\x05\xd4"); }
static void c_rlcp(const struct l2tp_msg *m) { STR_EQ(last_rx_lcp, "\x01\x04\x05\xc8"); }
static void c_patype(const struct l2tp_msg *m) { assert_int_equal(m->proxy_auth_type, 2); }
static void c_paname(const struct l2tp_msg *m) { STR_EQ(proxy_auth_name, "johns"); }
static void c_pachal(const struct l2tp_msg *m) { STR_EQ(proxy_auth_challenge, "\x01\x02\x03\x04"); }
static void c_paid(const struct l2tp_msg *m) { assert_int_equal(m->proxy_auth_id, 0x42); }
static void c_paresp(const struct l2tp_msg *m) { STR_EQ(proxy_auth_response, "\xa1\xa2\xa3\xa4"); }
static void c_callerr(const struct l2tp_msg *m)
{
	assert_int_equal(m->call_errors.crc, 1);
	assert_int_equal(m->call_errors.framing, 2);
	assert_int_equal(m->call_errors.hw_overruns, 3);
	assert_int_equal(m->call_errors.buf_overruns, 4);
	assert_int_equal(m->call_errors.timeouts, 5);
	assert_int_equal(m->call_errors.alignment, 6);
}
static void c_accm(const struct l2tp_msg *m)
{
	assert_int_equal(m->accm.send, 0xffffffffu);
	assert_int_equal(m->accm.recv, 0x000a0000u);
}
static void c_rv(const struct l2tp_msg *m) { STR_EQ(random_vector, "\x01\x02\x03\x04\x05\x06\x07\x08"); }
static void c_pgid(const struct l2tp_msg *m) { STR_EQ(private_group_id, "grp"); }
static void c_rx(const struct l2tp_msg *m) { assert_int_equal(m->rx_connect_speed, 10000000); }
static void c_seq(const struct l2tp_msg *m) { (void)m; }
static void c_ppp(const struct l2tp_msg *m)
{
	assert_true(m->has_ppp_disconnect);
	assert_int_equal(m->ppp_disc_code, 1);
	assert_int_equal(m->ppp_disc_proto, 0xc021);
	assert_int_equal(m->ppp_disc_direction, 1);
	STR_EQ(ppp_disc_msg, "bye");
}
static void c_ppp_bare(const struct l2tp_msg *m)
{
	assert_true(m->has_ppp_disconnect);
	assert_int_equal(m->ppp_disc_code, 3);
	assert_int_equal(m->ppp_disc_proto, 0);
	assert_int_equal(m->ppp_disc_direction, 2);
	assert_int_equal(m->ppp_disc_msg.len, 0);
}

static const struct avp_case {
	uint16_t type;
	int fixed; /* value length when fixed by §4.4, else -1 */
	const char *hex;
	void (*check)(const struct l2tp_msg *);
} CASES[] = {
	{ 1, -1, "800d 0000 0001 0002 0006 6f6f70", c_result },
	{ 1, -1, "8008 0000 0001 0001", c_result_short },
	{ 1, -1, "800a 0000 0001 0002 0008", c_result_err },
	{ 2, 2, "8008 0000 0002 0100", c_ver },
	{ 3, 4, "800a 0000 0003 00000003", c_fcap },
	{ 4, 4, "800a 0000 0004 00000002", c_bcap },
	{ 5, 8, "000e 0000 0005 0102030405060708", c_tie },
	{ 6, 2, "0008 0000 0006 0690", c_fw },
	{ 7, -1, "800b 0000 0007 6c6e733121", c_host },
	{ 8, -1, "0009 0000 0008 414243", c_vendor },
	{ 9, 2, "8008 0000 0009 1234", c_tid },
	{ 10, 2, "8008 0000 000a 0010", c_win },
	{ 11, -1, "800a 0000 000b deadbeef", c_chal },
	{ 12, -1, "800c 0000 000c 0010 5a 616263", c_q931 },
	{ 12, -1, "8009 0000 000c 001f 01", c_q931_bare },
	{ 13, 16, "8016 0000 000d 000102030405060708090a0b0c0d0e0f", c_resp },
	{ 14, 2, "8008 0000 000e beef", c_sid },
	{ 15, 4, "800a 0000 000f 00010203", c_serial },
	{ 16, 4, "800a 0000 0010 00002580", c_minbps },
	{ 17, 4, "800a 0000 0011 05f5e100", c_maxbps },
	{ 18, 4, "800a 0000 0012 00000001", c_btype },
	{ 19, 4, "800a 0000 0013 00000002", c_ftype },
	{ 21, -1, "800b 0000 0015 3132333435", c_called },
	{ 22, -1, "800a 0000 0016 30313233", c_calling },
	{ 23, -1, "8007 0000 0017 58", c_sub },
	{ 24, -1, "800a 0000 0018 05f5e100", c_tx },
	{ 25, 4, "000a 0000 0019 00000007", c_phys },
	{ 26, -1, "0010 0000 001a 010405dc050612345678", c_ilcp },
	{ 27, -1, "000a 0000 001b 010405d4", c_slcp },
	{ 28, -1, "000a 0000 001c 010405c8", c_rlcp },
	{ 29, 2, "0008 0000 001d 0002", c_patype },
	{ 30, -1, "000b 0000 001e 6a6f686e73", c_paname },
	{ 31, -1, "000a 0000 001f 01020304", c_pachal },
	{ 32, 2, "0008 0000 0020 0042", c_paid },
	{ 33, -1, "000a 0000 0021 a1a2a3a4", c_paresp },
	{ 34, 26, "8020 0000 0022 0000 00000001 00000002 00000003 00000004 00000005 00000006",
	  c_callerr },
	{ 35, 10, "8010 0000 0023 0000 ffffffff 000a0000", c_accm },
	{ 36, -1, "800e 0000 0024 0102030405060708", c_rv },
	{ 37, -1, "0009 0000 0025 677270", c_pgid },
	{ 38, -1, "000a 0000 0026 00989680", c_rx },
	{ 39, 0, "8006 0000 0027", c_seq },
	{ 46, -1, "000e 0000 002e 0001 c021 01 627965", c_ppp },
	{ 46, -1, "000b 0000 002e 0003 0000 02", c_ppp_bare },
};

static void test_every_avp_roundtrip(void **st)
{
	(void)st;
	bool seen[64] = { false };
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		const struct avp_case *c = &CASES[i];
		uint8_t in[512], out[512];
		size_t n = build(c->hex, in, sizeof in);
		struct l2tp_hdr h;
		struct l2tp_msg m;
		assert_int_equal(l2tp_hdr_decode(in, n, &h), L2TP_OK);
		int e = l2tp_msg_decode(in + h.hdr_len, h.payload_len, NULL, &m);
		if (e)
			fail_msg("AVP %u case %zu: %s", c->type, i, l2tp_strerror(e));
		assert_int_equal(m.type, L2TP_MSG_ICRQ);
		assert_int_equal(m.present, L2TP_BIT(0) | L2TP_BIT(c->type));
		/* M recorded as received (first octet of the AVP) */
		assert_int_equal((m.mandatory >> c->type) & 1u, (in[20] & 0x80) ? 1 : 0);
		assert_int_equal(m.hidden, 0);
		c->check(&m);
		int k = l2tp_msg_encode(out, sizeof out, 1, 2, 3, 4, &m, NULL, NULL, 0);
		if (k != (int)n)
			fail_msg("AVP %u case %zu: encoded %d octets, want %zu", c->type, i, k, n);
		assert_memory_equal(out, in, n);
		seen[c->type] = true;
	}
	/* every assigned attribute of §4.4 and RFC 3145's 46 is covered */
	for (int t = 1; t <= 39; t++)
		if (t != 20 && !seen[t])
			fail_msg("AVP %d has no case", t);
	assert_true(seen[46]);
}

static void test_every_avp_hidden_roundtrip(void **st)
{
	(void)st;
	/* Every AVP §4.4 lets be hidden survives hide+unhide with our own
	 * encoder and decoder (the cipher itself is checked against python
	 * vectors in test_l2tp.c). */
	static const uint8_t sec_v[] = "secret!";
	const struct l2tp_secret sec = { sec_v, 7 };
	uint8_t rv[16];
	memset(rv, 0x5a, sizeof rv);
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		const struct avp_case *c = &CASES[i];
		if ((L2TP_NOHIDE_MASK >> c->type) & 1u)
			continue;
		struct l2tp_msg m, d;
		assert_int_equal(decode(c->hex, &m), L2TP_OK);
		m.hidden = L2TP_BIT(c->type);
		uint8_t b[1024];
		int n = l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, &sec, rv, sizeof rv);
		assert_true(n > 0);
		struct l2tp_hdr h;
		assert_int_equal(l2tp_hdr_decode(b, (size_t)n, &h), L2TP_OK);
		int e = l2tp_msg_decode(b + h.hdr_len, h.payload_len, &sec, &d);
		if (e)
			fail_msg("hidden AVP %u: %s", c->type, l2tp_strerror(e));
		assert_int_equal(d.hidden, L2TP_BIT(c->type));
		assert_true(L2TP_HAS(&d, L2TP_AVP_RANDOM_VECTOR));
		c->check(&d);
	}
}

static void test_fixed_lengths(void **st)
{
	(void)st;
	/* §4.4: each fixed-size AVP with one octet more or less. */
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		const struct avp_case *c = &CASES[i];
		if (c->fixed < 0)
			continue;
		for (int d = -1; d <= 1; d += 2) {
			int vl = c->fixed + d;
			if (vl < 0)
				continue;
			char hex[256];
			int o = snprintf(hex, sizeof hex, "80%02x0000%04x", 6 + vl, c->type);
			for (int k = 0; k < vl; k++)
				o += snprintf(hex + o, sizeof hex - (size_t)o, "00");
			struct l2tp_msg m;
			int e = decode(hex, &m);
			if (e != L2TP_E_AVP_LEN)
				fail_msg("AVP %u value %d octets: %s", c->type, vl, l2tp_strerror(e));
		}
	}
}

static void test_variable_lengths(void **st)
{
	(void)st;
	struct l2tp_msg m;
	/* §4.4.2 Result Code: Length 8, 10 or more; 7 and 9 are wrong. */
	assert_int_equal(decode("8007 0000 0001 00", &m), L2TP_E_AVP_LEN);
	assert_int_equal(decode("8009 0000 0001 000200", &m), L2TP_E_AVP_LEN);
	/* §4.4.2 Q.931: at least cause (2) + msg (1). */
	assert_int_equal(decode("8008 0000 000c 0010", &m), L2TP_E_AVP_LEN);
	/* §4.4.3: Host Name and Challenge at least one octet; Random Vector
	 * likewise. */
	assert_int_equal(decode("8006 0000 0007", &m), L2TP_E_AVP_LEN);
	assert_int_equal(decode("8006 0000 000b", &m), L2TP_E_AVP_LEN);
	assert_int_equal(decode("8006 0000 0024", &m), L2TP_E_AVP_LEN);
	/* RFC 3145: 5 value octets minimum. */
	assert_int_equal(decode("000a 0000 002e 00010002", &m), L2TP_E_AVP_LEN);
	/* Empty Called Number is allowed. */
	assert_int_equal(decode("8006 0000 0015", &m), L2TP_OK);
	assert_true(L2TP_HAS(&m, 21));
}

static void test_overlong_values(void **st)
{
	(void)st;
	struct l2tp_msg m;
	char hex[2400];
	/* Calling Number of 128 octets fits, 129 is refused (not truncated). */
	for (int len = 128; len <= 129; len++) {
		int o = snprintf(hex, sizeof hex, "80%02x00000016", 6 + len);
		for (int k = 0; k < len; k++)
			o += snprintf(hex + o, sizeof hex - (size_t)o, "39");
		int e = decode(hex, &m);
		assert_int_equal(e, len == 128 ? L2TP_OK : L2TP_E_AVP_TOO_LONG);
		if (!e)
			assert_int_equal(m.calling_number.len, 128);
	}
	/* 1017-octet Host Name (the largest AVP) */
	int o = snprintf(hex, sizeof hex, "83ff00000007");
	for (int k = 0; k < 1017; k++)
		o += snprintf(hex + o, sizeof hex - (size_t)o, "41");
	(void)o;
	char *big = hex;
	uint8_t p[1100];
	size_t n = build(big, p, sizeof p);
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(p, n, &h), L2TP_OK);
	assert_int_equal(l2tp_msg_decode(p + h.hdr_len, h.payload_len, NULL, &m),
			 L2TP_E_AVP_TOO_LONG);
}

static void test_connect_speed_ascii(void **st)
{
	(void)st;
	struct l2tp_msg m;
	/* Cisco AS5300: "115200" as ASCII */
	assert_int_equal(decode("800c 0000 0018 313135323030", &m), L2TP_OK);
	assert_int_equal(m.tx_connect_speed, 115200);
	assert_int_equal(decode("000e 0000 0026 3130303030303030", &m), L2TP_OK);
	assert_int_equal(m.rx_connect_speed, 10000000);
	assert_int_equal(decode("8010 0000 0018 34323934393637323935", &m), L2TP_OK);
	assert_int_equal(m.tx_connect_speed, 4294967295u);
	assert_int_equal(decode("8010 0000 0018 34323934393637323936", &m), L2TP_E_AVP_LEN);
	assert_int_equal(decode("8011 0000 0018 3132333435363738393031", &m), L2TP_E_AVP_LEN);
	assert_int_equal(decode("8009 0000 0018 31 2e 35", &m), L2TP_E_AVP_LEN);
	assert_int_equal(decode("8006 0000 0018", &m), L2TP_E_AVP_LEN);
	/* exactly 4 octets is the RFC's binary form, even if they are digits */
	assert_int_equal(decode("800a 0000 0018 39363030", &m), L2TP_OK);
	assert_int_equal(m.tx_connect_speed, 0x39363030u);
	/* re-encoded in the RFC's 4-octet form */
	assert_int_equal(decode("800c 0000 0018 313135323030", &m), L2TP_OK);
	uint8_t b[64];
	int n = l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0);
	static const uint8_t want[] = { 0x80, 0x0a, 0, 0, 0, 24, 0, 0x01, 0xc2, 0x00 };
	assert_int_equal(n, 30);
	assert_memory_equal(b + 20, want, sizeof want);
}

/* ---- framing errors ---------------------------------------------------------- */

static void test_zero_length_avp(void **st)
{
	(void)st;
	struct l2tp_msg m;
	/* the original daemon loops forever on this */
	assert_int_equal(decode("0000 0000 0007", &m), L2TP_E_AVP_SHORT);
	assert_int_equal(decode("8000 0000 0000 0000", &m), L2TP_E_AVP_SHORT);
	assert_int_equal(decode("8005 0000 0007 41", &m), L2TP_E_AVP_SHORT);
	/* length 0 as the very first AVP */
	uint8_t z[6] = { 0 };
	assert_int_equal(l2tp_msg_decode(z, 6, NULL, &m), L2TP_E_AVP_SHORT);
}

static void test_avp_past_end(void **st)
{
	(void)st;
	struct l2tp_msg m;
	assert_int_equal(decode("8020 0000 0007 4142", &m), L2TP_E_AVP_OVERRUN);
	assert_int_equal(decode("83ff 0000 0007 4142", &m), L2TP_E_AVP_OVERRUN);
	/* 1..5 stray octets after the last AVP */
	assert_int_equal(decode("8008 0000 000e 0001 80", &m), L2TP_E_AVP_OVERRUN);
	assert_int_equal(decode("8008 0000 000e 0001 8008000000", &m), L2TP_E_AVP_OVERRUN);
	static const uint8_t p[3] = { 0x80, 8, 0 };
	assert_int_equal(l2tp_msg_decode(p, 3, NULL, &m), L2TP_E_AVP_OVERRUN);
}

static void test_first_avp_message_type(void **st)
{
	(void)st;
	struct l2tp_msg m;
	uint8_t p[64];
	/* §4.4.1: Host Name first */
	size_t n = unhex("800b 0000 0007 6c6e733121 8008 0000 0000 000a", p, sizeof p);
	assert_int_equal(l2tp_msg_decode(p, n, NULL, &m), L2TP_E_NO_MSG_TYPE);
	/* vendor 9, type 0: not our Message Type */
	n = unhex("8008 0009 0000 000a", p, sizeof p);
	assert_int_equal(l2tp_msg_decode(p, n, NULL, &m), L2TP_E_NO_MSG_TYPE);
	/* reserved bit set on Message Type: unrecognised (§4.1) */
	n = unhex("8408 0000 0000 000a", p, sizeof p);
	assert_int_equal(l2tp_msg_decode(p, n, NULL, &m), L2TP_E_NO_MSG_TYPE);
	/* Message Type of the wrong size */
	n = unhex("8009 0000 0000 000a00", p, sizeof p);
	assert_int_equal(l2tp_msg_decode(p, n, NULL, &m), L2TP_E_AVP_LEN);
	/* a second Message Type */
	assert_int_equal(decode("8008 0000 0000 000b", &m), L2TP_E_DUP_AVP);
}

static void test_bad_message_type(void **st)
{
	(void)st;
	struct l2tp_msg m;
	uint8_t p[64];
	static const uint16_t bad[] = { 0, 5, 13, 17, 0xffff };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* §4.4.1: with M the tunnel must be cleared ... */
		p[0] = 0x80;
		p[1] = 8;
		p[2] = p[3] = p[4] = p[5] = 0;
		p[6] = (uint8_t)(bad[i] >> 8);
		p[7] = (uint8_t)bad[i];
		assert_int_equal(l2tp_msg_decode(p, 8, NULL, &m), L2TP_E_MSG_TYPE);
		assert_int_equal(m.type, bad[i]);
		assert_true(m.mandatory & 1u);
		/* ... without M the message is ignored: caller sees M=0 */
		p[0] = 0x00;
		assert_int_equal(l2tp_msg_decode(p, 8, NULL, &m), L2TP_E_MSG_TYPE);
		assert_false(m.mandatory & 1u);
	}
	/* WEN and SLI are valid types (the original tore the tunnel down) */
	size_t n = unhex("8008 0000 0000 000f 8020 0000 0022 0000 00000001 00000002 00000003"
			 " 00000004 00000005 00000006",
			 p, sizeof p);
	assert_int_equal(l2tp_msg_decode(p, n, NULL, &m), L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_WEN);
	assert_int_equal(l2tp_msg_missing_avp(&m), 0);
}

static void test_unknown_mandatory(void **st)
{
	(void)st;
	struct l2tp_msg m;
	/* type 40 (unassigned) with M, then an Assigned Session ID that must
	 * still be decoded so the caller can send CDN with Result 2/8. */
	assert_int_equal(decode("8008 0000 0028 0001 8008 0000 000e 0042", &m), L2TP_E_UNKNOWN_M);
	assert_true(m.unknown_m);
	assert_int_equal(m.unknown_vendor, 0);
	assert_int_equal(m.unknown_type, 40);
	assert_int_equal(m.assigned_sid, 0x42);
	assert_int_equal(m.type, L2TP_MSG_ICRQ);
	/* 20 is unassigned too; the first unknown M AVP is the one kept */
	assert_int_equal(decode("8006 0000 0014 8006 0000 0029", &m), L2TP_E_UNKNOWN_M);
	assert_int_equal(m.unknown_type, 20);
	/* a hard error after an unknown M AVP still wins */
	assert_int_equal(decode("8006 0000 0028 0000 0000 0007", &m), L2TP_E_AVP_SHORT);
	/* without M: ignored and counted */
	assert_int_equal(decode("0008 0000 0028 0001 0006 0000 0063", &m), L2TP_OK);
	assert_int_equal(m.skipped, 2);
	assert_false(m.unknown_m);
}

static void test_vendor_avps(void **st)
{
	(void)st;
	struct l2tp_msg m;
	/* vendor 9 (Cisco) type 7 without M: skipped, not taken as Host Name */
	assert_int_equal(decode("000b 0009 0007 6c6e733121", &m), L2TP_OK);
	assert_int_equal(m.skipped, 1);
	assert_false(L2TP_HAS(&m, L2TP_AVP_HOST_NAME));
	/* with M: unknown mandatory, vendor reported */
	assert_int_equal(decode("800b 0009 0007 6c6e733121", &m), L2TP_E_UNKNOWN_M);
	assert_int_equal(m.unknown_vendor, 9);
	assert_int_equal(m.unknown_type, 7);
	/* hidden vendor AVP: skipped without needing a secret */
	assert_int_equal(decode("4008 0137 0001 0000", &m), L2TP_OK);
	assert_int_equal(m.skipped, 1);
}

static void test_reserved_bits(void **st)
{
	(void)st;
	struct l2tp_msg m;
	/* §4.1: reserved bits set => the AVP is unrecognised */
	assert_int_equal(decode("040b 0000 0007 6c6e733121", &m), L2TP_OK);
	assert_false(L2TP_HAS(&m, L2TP_AVP_HOST_NAME));
	assert_int_equal(m.skipped, 1);
	assert_int_equal(decode("a008 0000 000e 0001", &m), L2TP_E_UNKNOWN_M);
	assert_int_equal(m.unknown_type, 14);
	assert_false(L2TP_HAS(&m, L2TP_AVP_ASSIGNED_SESSION_ID));
}

static void test_duplicates(void **st)
{
	(void)st;
	struct l2tp_msg m;
	assert_int_equal(decode("8008 0000 000e 0001 8008 0000 000e 0002", &m), L2TP_E_DUP_AVP);
	assert_int_equal(decode("000e 0000 002e 0001 c021 01 627965 000b 0000 002e 0003 0000 02",
				&m),
			 L2TP_E_DUP_AVP);
	/* §4.3: Random Vector may repeat; the latest is kept */
	assert_int_equal(decode("8007 0000 0024 01 8007 0000 0024 02", &m), L2TP_OK);
	assert_int_equal(m.random_vector.len, 1);
	assert_int_equal(m.random_vector.v[0], 2);
}

static void test_encode_errors(void **st)
{
	(void)st;
	struct l2tp_msg m;
	uint8_t b[2048];
	memset(&m, 0, sizeof m);
	m.type = 5; /* reserved */
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), L2TP_E_INVAL);
	m.type = L2TP_MSG_ZLB;
	m.present = L2TP_BIT(14);
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), L2TP_E_INVAL);
	m.present = 0;
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), 12);
	m.type = L2TP_MSG_ICRQ;
	m.present = L2TP_BIT(20);
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), L2TP_E_INVAL);
	m.present = L2TP_BIT(L2TP_AVP_CALLING_NUMBER);
	m.calling_number.len = 129;
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), L2TP_E_INVAL);
	m.present = L2TP_BIT(L2TP_AVP_HOST_NAME); /* empty Host Name */
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), L2TP_E_INVAL);
	m.host_name.len = 3;
	memcpy(m.host_name.v, "abc", 3);
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), 29);
	assert_int_equal(l2tp_msg_encode(b, 28, 1, 2, 3, 4, &m, NULL, NULL, 0), L2TP_E_NOSPACE);
	assert_int_equal(l2tp_msg_encode(NULL, 0, 1, 2, 3, 4, &m, NULL, NULL, 0), L2TP_E_NOSPACE);
	/* hidden bit on an AVP that is not present is ignored */
	m.hidden = L2TP_BIT(L2TP_AVP_CALLING_NUMBER);
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 2, 3, 4, &m, NULL, NULL, 0), 29);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_avp_roundtrip),
		cmocka_unit_test(test_every_avp_hidden_roundtrip),
		cmocka_unit_test(test_fixed_lengths),
		cmocka_unit_test(test_variable_lengths),
		cmocka_unit_test(test_overlong_values),
		cmocka_unit_test(test_connect_speed_ascii),
		cmocka_unit_test(test_zero_length_avp),
		cmocka_unit_test(test_avp_past_end),
		cmocka_unit_test(test_first_avp_message_type),
		cmocka_unit_test(test_bad_message_type),
		cmocka_unit_test(test_unknown_mandatory),
		cmocka_unit_test(test_vendor_avps),
		cmocka_unit_test(test_reserved_bits),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_encode_errors),
	};
	return cmocka_run_group_tests_name("l2tp_avp", tests, NULL, NULL);
}
