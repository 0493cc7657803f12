/*
 * RFC 2661 codec: header (§3.1), names, hidden AVPs (§4.3), tunnel
 * authentication (§5.1.1), builders (§6) and the real messages of
 * ../shared/captures/l2tp/. Per-AVP tests: test_l2tp_avp.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codec/l2tp.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && n < cap) {
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

/* Header then AVPs of one datagram given in hex. */
static int decode_hex(const char *hex, const struct l2tp_secret *sec, struct l2tp_hdr *h,
		      struct l2tp_msg *m)
{
	uint8_t pkt[2048];
	size_t n = unhex(hex, pkt, sizeof pkt);
	int e = l2tp_hdr_decode(pkt, n, h);
	if (e)
		return e;
	return l2tp_msg_decode(pkt + h->hdr_len, h->payload_len, sec, m);
}

static const uint8_t SECRET[] = "s3cret";
static const struct l2tp_secret SEC = { SECRET, 6 };
static const uint8_t RV16[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

/* ---- §3.1 header ---------------------------------------------------------- */

static int hdr_hex(const char *hex, struct l2tp_hdr *h)
{
	uint8_t pkt[256];
	size_t n = unhex(hex, pkt, sizeof pkt);
	return l2tp_hdr_decode(pkt, n, h);
}

static void test_hdr_control_fields(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	/* xl2tpd SCCCN, capture frame 4: tid 9, sid 0, Ns 1, Nr 1. */
	assert_int_equal(hdr_hex("c802001400090000000100018008000000000003", &h), L2TP_OK);
	assert_true(h.ctrl && h.has_len && h.has_seq && !h.has_off && !h.prio);
	assert_int_equal(h.ver, 2);
	assert_int_equal(h.flags, 0xc802);
	assert_int_equal(h.length, 20);
	assert_int_equal(h.tid, 9);
	assert_int_equal(h.sid, 0);
	assert_int_equal(h.ns, 1);
	assert_int_equal(h.nr, 1);
	assert_int_equal(h.hdr_len, 12);
	assert_int_equal(h.payload_len, 8);
}

static void test_hdr_data_offset_prio(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	/* packetnet__l2tp.pcap: data, O and P set, Offset Size 0. */
	assert_int_equal(hdr_hex("03024a32d35e0000ff03c0210948000cc1343922e7e18ff6", &h), L2TP_OK);
	assert_false(h.ctrl);
	assert_true(h.has_off && h.prio && !h.has_len && !h.has_seq);
	assert_int_equal(h.tid, 18994);
	assert_int_equal(h.sid, 54110);
	assert_int_equal(h.off_size, 0);
	assert_int_equal(h.hdr_len, 8);
	assert_int_equal(h.payload_len, 16);
	/* Offset Size 3 skips three pad octets before the PPP frame. */
	assert_int_equal(hdr_hex("020200010002000300aabbccff03", &h), L2TP_OK);
	assert_int_equal(h.hdr_len, 11);
	assert_int_equal(h.payload_len, 3);
}

static void test_hdr_data_plain(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	/* Capture frame 10: the 6-octet data header the kernel sends. */
	assert_int_equal(hdr_hex("0002756fba63ff03c021", &h), L2TP_OK);
	assert_int_equal(h.tid, 0x756f);
	assert_int_equal(h.sid, 0xba63);
	assert_int_equal(h.hdr_len, 6);
	assert_int_equal(h.payload_len, 4);
	/* Data with L and S. */
	assert_int_equal(hdr_hex("4802000e0001000200030004ff03", &h), L2TP_OK);
	assert_int_equal(h.length, 14);
	assert_int_equal(h.ns, 3);
	assert_int_equal(h.nr, 4);
	assert_int_equal(h.payload_len, 2);
}

static void test_hdr_short(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	assert_int_equal(l2tp_hdr_decode(NULL, 0, &h), L2TP_E_SHORT);
	assert_int_equal(hdr_hex("c8", &h), L2TP_E_SHORT);
	/* Control header needs 12 octets; 10 given. */
	assert_int_equal(hdr_hex("c802000c000100000001", &h), L2TP_E_SHORT);
	/* O bit announces an Offset Size field that is not there. */
	assert_int_equal(hdr_hex("020200010002", &h), L2TP_E_SHORT);
}

static void test_hdr_versions(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	/* §3.1: Ver 1 is L2F, discarded. */
	assert_int_equal(hdr_hex("c801000c0001000000010002", &h), L2TP_E_VERSION);
	assert_int_equal(hdr_hex("c800000c0001000000010002", &h), L2TP_E_VERSION);
	assert_int_equal(hdr_hex("c80f000c0001000000010002", &h), L2TP_E_VERSION);
	/* RFC 3931 header on UDP 1701 */
	assert_int_equal(hdr_hex("c803000c0001000000010002", &h), L2TP_E_V3);
	assert_int_equal(h.ver, 3);
}

static void test_hdr_ctrl_flags(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	/* §3.1: control needs L and S, forbids O and P. */
	assert_int_equal(hdr_hex("8802000100000001", &h), L2TP_E_CTRL_FLAGS);     /* no L */
	assert_int_equal(hdr_hex("c002000800010000", &h), L2TP_E_CTRL_FLAGS);    /* no S */
	assert_int_equal(hdr_hex("ca02000e00010000000100020000", &h), L2TP_E_CTRL_FLAGS); /* O */
	assert_int_equal(hdr_hex("c902000c0001000000010002", &h), L2TP_E_CTRL_FLAGS); /* P */
}

static void test_hdr_reserved_bits_ignored(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	/* §3.1: x bits "ignored on incoming messages". */
	assert_int_equal(hdr_hex("fcf2000c0001000000010002", &h), L2TP_OK);
	assert_true(h.ctrl);
	assert_int_equal(h.payload_len, 0);
}

static void test_hdr_lengths(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	assert_int_equal(hdr_hex("c802000d0001000000010002", &h), L2TP_E_LEN_OVER);
	assert_int_equal(hdr_hex("c802ffff0001000000010002", &h), L2TP_E_LEN_OVER);
	assert_int_equal(hdr_hex("c802000b0001000000010002", &h), L2TP_E_LEN_UNDER);
	assert_int_equal(hdr_hex("c80200000001000000010002", &h), L2TP_E_LEN_UNDER);
	assert_int_equal(hdr_hex("c802000c0001000000010002aa", &h), L2TP_E_TRAILING);
	/* the same rule on a data message with L */
	assert_int_equal(hdr_hex("4002000800010002ff03", &h), L2TP_E_TRAILING);
}

static void test_hdr_offset_past_end(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	/* data, O set, Offset Size 4 but only 3 octets follow */
	assert_int_equal(hdr_hex("020200010002" "0004" "aabbcc", &h), L2TP_E_OFFSET);
	assert_int_equal(hdr_hex("020200010002" "ffff", &h), L2TP_E_OFFSET);
	/* With L, the end is Length: Offset Size 2 with Length 10 leaves 0. */
	assert_int_equal(hdr_hex("4202000a000100020002aabb", &h), L2TP_E_TRAILING);
	assert_int_equal(hdr_hex("4202000c000100020004aabb", &h), L2TP_E_OFFSET);
	/* Offset exactly to the end: empty payload, accepted. */
	assert_int_equal(hdr_hex("020200010002" "0003" "aabbcc", &h), L2TP_OK);
	assert_int_equal(h.payload_len, 0);
}

static void test_hdr_encoders(void **st)
{
	(void)st;
	uint8_t b[32];
	static const uint8_t zlb[] = { 0xc8, 0x02, 0x00, 0x0c, 0x12, 0x34, 0x00, 0x07,
				       0x00, 0x05, 0x00, 0x06 };
	assert_int_equal(l2tp_zlb_encode(b, sizeof b, 0x1234, 7, 5, 6), 12);
	assert_memory_equal(b, zlb, 12);
	assert_int_equal(l2tp_zlb_encode(b, 11, 1, 2, 3, 4), L2TP_E_NOSPACE);
	static const uint8_t data[] = { 0x00, 0x02, 0x75, 0x6f, 0xba, 0x63 };
	assert_int_equal(l2tp_data_hdr_encode(b, sizeof b, 0x756f, 0xba63, false), 6);
	assert_memory_equal(b, data, 6);
	assert_int_equal(l2tp_data_hdr_encode(b, sizeof b, 1, 2, true), 6);
	assert_int_equal(b[0], 0x01);
	assert_int_equal(b[1], 0x02);
	assert_int_equal(l2tp_data_hdr_encode(b, 5, 1, 2, true), L2TP_E_NOSPACE);

	struct l2tp_hdr h;
	struct l2tp_msg m;
	assert_int_equal(l2tp_zlb_encode(b, sizeof b, 9, 0, 2, 5), 12);
	assert_int_equal(l2tp_hdr_decode(b, 12, &h), L2TP_OK);
	assert_int_equal(l2tp_msg_decode(b + h.hdr_len, h.payload_len, NULL, &m), L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_ZLB);
	assert_int_equal(m.present, 0);
}

/* ---- names ---------------------------------------------------------------- */

static void test_names(void **st)
{
	(void)st;
	static const char *const want[] = { "ZLB",  "SCCRQ", "SCCRP", "SCCCN", "StopCCN", NULL,
					    "HELLO", "OCRQ", "OCRP",  "OCCN",  "ICRQ",    "ICRP",
					    "ICCN", NULL,    "CDN",   "WEN",   "SLI" };
	for (uint16_t t = 0; t < sizeof want / sizeof want[0]; t++) {
		if (want[t])
			assert_string_equal(l2tp_msg_name(t), want[t]);
		else
			assert_null(l2tp_msg_name(t));
	}
	assert_null(l2tp_msg_name(17));
	assert_null(l2tp_msg_name(0xffff));
	assert_string_equal(l2tp_avp_name(0), "Message Type");
	assert_string_equal(l2tp_avp_name(22), "Calling Number");
	assert_string_equal(l2tp_avp_name(39), "Sequencing Required");
	assert_string_equal(l2tp_avp_name(46), "PPP Disconnect Cause Code");
	assert_null(l2tp_avp_name(20));
	assert_null(l2tp_avp_name(40));
	for (uint16_t t = 0; t <= 39; t++)
		if (t != 20)
			assert_non_null(l2tp_avp_name(t));
}

static void test_strerror(void **st)
{
	(void)st;
	static const struct {
		int e;
		const char *s;
	} want[] = {
		{ L2TP_OK, "ok" },
		{ L2TP_E_SHORT, "short" },
		{ L2TP_E_VERSION, "bad_version" },
		{ L2TP_E_V3, "l2tpv3" },
		{ L2TP_E_CTRL_FLAGS, "ctrl_flags" },
		{ L2TP_E_LEN_OVER, "length_over" },
		{ L2TP_E_LEN_UNDER, "length_under" },
		{ L2TP_E_TRAILING, "trailing" },
		{ L2TP_E_OFFSET, "offset" },
		{ L2TP_E_AVP_SHORT, "avp_short" },
		{ L2TP_E_AVP_OVERRUN, "avp_overrun" },
		{ L2TP_E_NO_MSG_TYPE, "no_msg_type" },
		{ L2TP_E_AVP_LEN, "avp_len" },
		{ L2TP_E_AVP_TOO_LONG, "avp_too_long" },
		{ L2TP_E_HIDDEN_NO_SECRET, "hidden_no_secret" },
		{ L2TP_E_HIDDEN_NO_RV, "hidden_no_rv" },
		{ L2TP_E_HIDDEN_LEN, "hidden_len" },
		{ L2TP_E_UNKNOWN_M, "unknown_mandatory" },
		{ L2TP_E_DUP_AVP, "dup_avp" },
		{ L2TP_E_MSG_TYPE, "bad_msg_type" },
		{ L2TP_E_NOSPACE, "nospace" },
		{ L2TP_E_INVAL, "inval" },
		{ L2TP_E_HIDDEN_FORBIDDEN, "hidden_forbidden" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(l2tp_strerror(want[i].e), want[i].s);
	assert_string_equal(l2tp_strerror(-999), "unknown_error");
}

/* ---- §4.3 hidden AVPs ---------------------------------------------------------
 * Vectors computed independently with python3 hashlib (secret "s3cret",
 * Random Vector 00 01 .. 0f):
 *   c1 = p1 ^ md5(pack('>H', attr) + secret + rv); ci = pi ^ md5(secret + c(i-1))
 * over the subformat pack('>H', orig_len) + value + zero padding. */
static const uint8_t HID_CALLING[16] = { /* attr 22, "5551234", 7 pad */
	0xd7, 0x1a, 0x3f, 0x67, 0x6c, 0x5c, 0xad, 0x67,
	0xbc, 0x86, 0xd3, 0xbd, 0xdf, 0x63, 0xc2, 0xef };
static const uint8_t HID_PROXYNAME[32] = { /* attr 30, "user@example.com", 14 pad */
	0xe6, 0x67, 0x07, 0xbc, 0x78, 0xe0, 0x77, 0x38, 0x47, 0x99, 0x0d,
	0xff, 0x01, 0x10, 0xc1, 0xcb, 0xbd, 0x98, 0x16, 0xe5, 0xa2, 0x40,
	0xa6, 0x8c, 0xa6, 0x14, 0x9c, 0xe1, 0x32, 0x9f, 0x37, 0xda };
static const uint8_t HID_SID_NOPAD[4] = { 0xa3, 0x69, 0xf6, 0xc9 }; /* attr 14, 0x1234 */
static const uint8_t HID_FFFF[16] = { /* attr 22, Original Length 0xffff + 14 zeros */
	0x28, 0xe2, 0x0a, 0x52, 0x59, 0x6d, 0x9f, 0x54,
	0x88, 0x86, 0xd3, 0xbd, 0xdf, 0x63, 0xc2, 0xef };
static const uint8_t HID_ZERO_SID[16] = { /* attr 14, Original Length 0 + 14 zeros */
	0xa3, 0x6b, 0xe4, 0xfd, 0xc5, 0x5e, 0xf6, 0x2d,
	0x0a, 0x4c, 0x08, 0x03, 0x9b, 0x37, 0x21, 0x25 };
static const uint8_t HID_ZERO_CALLED[16] = { /* attr 21, Original Length 0 + 14 zeros */
	0xcb, 0x56, 0xa2, 0x57, 0x30, 0x09, 0xc7, 0x6d,
	0x88, 0x46, 0x43, 0x33, 0x76, 0xc4, 0x85, 0xd9 };

static void test_hide_vectors(void **st)
{
	(void)st;
	uint8_t out[64];
	assert_int_equal(l2tp_hide(22, &SEC, RV16, 16, (const uint8_t *)"5551234", 7, 7, out,
				   sizeof out),
			 16);
	assert_memory_equal(out, HID_CALLING, 16);
	assert_int_equal(l2tp_hide(30, &SEC, RV16, 16, (const uint8_t *)"user@example.com", 16,
				   14, out, sizeof out),
			 32);
	assert_memory_equal(out, HID_PROXYNAME, 32);
	static const uint8_t sid[2] = { 0x12, 0x34 };
	assert_int_equal(l2tp_hide(14, &SEC, RV16, 16, sid, 2, 0, out, sizeof out), 4);
	assert_memory_equal(out, HID_SID_NOPAD, 4);
	assert_int_equal(l2tp_hide(14, &SEC, RV16, 16, sid, 2, 0, out, 3), L2TP_E_NOSPACE);
	assert_int_equal(l2tp_hide(14, NULL, RV16, 16, sid, 2, 0, out, 64),
			 L2TP_E_HIDDEN_NO_SECRET);
	assert_int_equal(l2tp_hide(14, &SEC, NULL, 0, sid, 2, 0, out, 64), L2TP_E_HIDDEN_NO_RV);
}

static void test_unhide_vectors(void **st)
{
	(void)st;
	uint8_t out[64];
	assert_int_equal(l2tp_unhide(22, &SEC, RV16, 16, HID_CALLING, 16, out, sizeof out), 7);
	assert_memory_equal(out, "5551234", 7);
	assert_int_equal(l2tp_unhide(30, &SEC, RV16, 16, HID_PROXYNAME, 32, out, sizeof out), 16);
	assert_memory_equal(out, "user@example.com", 16);
	assert_int_equal(l2tp_unhide(14, &SEC, RV16, 16, HID_SID_NOPAD, 4, out, sizeof out), 2);
	assert_int_equal(out[0], 0x12);
	assert_int_equal(out[1], 0x34);
	/* The accel-ppp shape: deciphered length 0xffff behind 14 octets. */
	assert_int_equal(l2tp_unhide(22, &SEC, RV16, 16, HID_FFFF, 16, out, sizeof out),
			 L2TP_E_HIDDEN_LEN);
	assert_int_equal(l2tp_unhide(14, &SEC, RV16, 16, HID_ZERO_SID, 16, out, sizeof out), 0);
	/* wrong attribute type: different key stream, garbage length */
	assert_int_equal(l2tp_unhide(21, &SEC, RV16, 16, HID_CALLING, 16, out, sizeof out),
			 L2TP_E_HIDDEN_LEN);
	assert_int_equal(l2tp_unhide(22, &SEC, RV16, 16, HID_CALLING, 1, out, sizeof out),
			 L2TP_E_HIDDEN_LEN);
	assert_int_equal(l2tp_unhide(22, &SEC, RV16, 16, HID_CALLING, 16, out, 6),
			 L2TP_E_NOSPACE);
}

/* A message: header + Message Type ICRQ + Random Vector + one hidden AVP. */
static size_t hidden_msg(uint8_t *p, uint16_t attr, const uint8_t *cipher, size_t n,
			 bool with_rv)
{
	size_t o = 12;
	static const uint8_t hdr[12] = { 0xc8, 0x02, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	static const uint8_t mt[8] = { 0x80, 8, 0, 0, 0, 0, 0, 10 };
	memcpy(p, hdr, 12);
	memcpy(p + o, mt, 8);
	o += 8;
	if (with_rv) {
		static const uint8_t rvh[6] = { 0x80, 22, 0, 0, 0, 36 };
		memcpy(p + o, rvh, 6);
		memcpy(p + o + 6, RV16, 16);
		o += 22;
	}
	p[o] = (uint8_t)(0x80 | 0x40 | ((6 + n) >> 8));
	p[o + 1] = (uint8_t)(6 + n);
	p[o + 2] = 0;
	p[o + 3] = 0;
	p[o + 4] = (uint8_t)(attr >> 8);
	p[o + 5] = (uint8_t)attr;
	memcpy(p + o + 6, cipher, n);
	o += 6 + n;
	p[2] = (uint8_t)(o >> 8);
	p[3] = (uint8_t)o;
	return o;
}

static int decode_buf(const uint8_t *p, size_t n, const struct l2tp_secret *sec,
		      struct l2tp_msg *m)
{
	struct l2tp_hdr h;
	int e = l2tp_hdr_decode(p, n, &h);
	if (e)
		return e;
	return l2tp_msg_decode(p + h.hdr_len, h.payload_len, sec, m);
}

static void test_hidden_decode(void **st)
{
	(void)st;
	uint8_t p[256];
	struct l2tp_msg m;
	size_t n = hidden_msg(p, 22, HID_CALLING, 16, true);
	assert_int_equal(decode_buf(p, n, &SEC, &m), L2TP_OK);
	assert_int_equal(m.calling_number.len, 7);
	assert_memory_equal(m.calling_number.v, "5551234", 7);
	assert_true(m.hidden & L2TP_BIT(22));
	assert_true(m.mandatory & L2TP_BIT(22));
	assert_int_equal(m.random_vector.len, 16);

	/* No secret configured, and no Random Vector before it (§4.3). */
	assert_int_equal(decode_buf(p, n, NULL, &m), L2TP_E_HIDDEN_NO_SECRET);
	assert_int_equal(m.type, L2TP_MSG_ICRQ);
	static const struct l2tp_secret empty = { SECRET, 0 };
	assert_int_equal(decode_buf(p, n, &empty, &m), L2TP_E_HIDDEN_NO_SECRET);
	n = hidden_msg(p, 22, HID_CALLING, 16, false);
	assert_int_equal(decode_buf(p, n, &SEC, &m), L2TP_E_HIDDEN_NO_RV);

	/* Deciphered length 0xffff: refused, nothing read past the AVP. */
	n = hidden_msg(p, 22, HID_FFFF, 16, true);
	assert_int_equal(decode_buf(p, n, &SEC, &m), L2TP_E_HIDDEN_LEN);
	/* Deciphered length 0: Assigned Session ID needs 2 octets ... */
	n = hidden_msg(p, 14, HID_ZERO_SID, 16, true);
	assert_int_equal(decode_buf(p, n, &SEC, &m), L2TP_E_AVP_LEN);
	/* ... an empty Called Number is fine. */
	n = hidden_msg(p, 21, HID_ZERO_CALLED, 16, true);
	assert_int_equal(decode_buf(p, n, &SEC, &m), L2TP_OK);
	assert_true(L2TP_HAS(&m, 21));
	assert_int_equal(m.called_number.len, 0);
	/* Hidden value shorter than the Original Length field itself. */
	n = hidden_msg(p, 22, HID_CALLING, 1, true);
	assert_int_equal(decode_buf(p, n, &SEC, &m), L2TP_E_HIDDEN_LEN);
	/* Wrong secret: the length deciphers to garbage and is caught. */
	static const struct l2tp_secret wrong = { (const uint8_t *)"other", 5 };
	n = hidden_msg(p, 22, HID_CALLING, 16, true);
	assert_int_equal(decode_buf(p, n, &wrong, &m), L2TP_E_HIDDEN_LEN);
}

static void test_hidden_rv_latest_applies(void **st)
{
	(void)st;
	/* §4.3: a second Random Vector applies to the hidden AVPs after it.
	 * First RV is ff..ff (wrong for HID_CALLING), second is 00..0f. */
	uint8_t p[256];
	struct l2tp_msg m;
	size_t o = 0;
	static const uint8_t head[] = { 0xc8, 0x02, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
					0x80, 8, 0, 0, 0, 0, 0, 10, 0x80, 22, 0, 0, 0, 36 };
	memcpy(p, head, sizeof head);
	o = sizeof head;
	memset(p + o, 0xff, 16);
	o += 16;
	static const uint8_t rvh[6] = { 0x80, 22, 0, 0, 0, 36 };
	memcpy(p + o, rvh, 6);
	memcpy(p + o + 6, RV16, 16);
	o += 22;
	static const uint8_t hh[6] = { 0xc0, 22, 0, 0, 0, 22 };
	memcpy(p + o, hh, 6);
	memcpy(p + o + 6, HID_CALLING, 16);
	o += 22;
	p[3] = (uint8_t)o;
	assert_int_equal(decode_buf(p, o, &SEC, &m), L2TP_OK);
	assert_memory_equal(m.calling_number.v, "5551234", 7);
	assert_memory_equal(m.random_vector.v, RV16, 16);

	/* Swap the two vectors: now the ff..ff one is the latest. */
	memcpy(p + 26, RV16, 16);
	memset(p + 48, 0xff, 16);
	assert_int_equal(decode_buf(p, o, &SEC, &m), L2TP_E_HIDDEN_LEN);
}

static void test_hidden_rv_itself(void **st)
{
	(void)st;
	/* §4.4.3: Random Vector MUST NOT be hidden. */
	uint8_t p[256];
	struct l2tp_msg m;
	size_t n = hidden_msg(p, 36, HID_CALLING, 16, true);
	assert_int_equal(decode_buf(p, n, &SEC, &m), L2TP_E_HIDDEN_FORBIDDEN);
}

static void test_hidden_encode(void **st)
{
	(void)st;
	/* Encoding a hidden Calling Number with RV 00..0f gives the
	 * independently computed cipher (we pad to 16) after an inserted
	 * Random Vector AVP with M set. */
	struct l2tp_msg m;
	struct l2tp_icrq_args a = { .assigned_sid = 5, .call_serial = 1,
				    .calling_number = "5551234" };
	l2tp_build_icrq(&m, &a);
	m.hidden |= L2TP_BIT(L2TP_AVP_CALLING_NUMBER);
	uint8_t b[256];
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 0, 0, 0, &m, NULL, RV16, 16),
			 L2TP_E_HIDDEN_NO_SECRET);
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 0, 0, 0, &m, &SEC, NULL, 0),
			 L2TP_E_HIDDEN_NO_RV);
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 0, 0, 0, &m, &SEC, RV16, 8),
			 L2TP_E_INVAL);
	int n = l2tp_msg_encode(b, sizeof b, 1, 0, 0, 0, &m, &SEC, RV16, 16);
	/* 12 hdr + 8 type + 22 RV + 8 sid + 10 serial + 22 hidden calling */
	assert_int_equal(n, 82);
	static const uint8_t rv_avp[6] = { 0x80, 22, 0, 0, 0, 36 };
	assert_memory_equal(b + 20, rv_avp, 6);
	assert_memory_equal(b + 26, RV16, 16);
	static const uint8_t hid_hdr[6] = { 0xc0, 22, 0, 0, 0, 22 };
	assert_memory_equal(b + 60, hid_hdr, 6);
	assert_memory_equal(b + 66, HID_CALLING, 16);
	struct l2tp_msg d;
	assert_int_equal(decode_buf(b, (size_t)n, &SEC, &d), L2TP_OK);
	assert_memory_equal(d.calling_number.v, "5551234", 7);
	assert_int_equal(d.hidden, L2TP_BIT(22));

	/* §4.4.3: Host Name MUST NOT be hidden: the encoder refuses. */
	m.present |= L2TP_BIT(L2TP_AVP_HOST_NAME);
	m.host_name.len = 1;
	m.host_name.v[0] = 'x';
	m.hidden |= L2TP_BIT(L2TP_AVP_HOST_NAME);
	assert_int_equal(l2tp_msg_encode(b, sizeof b, 1, 0, 0, 0, &m, &SEC, RV16, 16),
			 L2TP_E_HIDDEN_FORBIDDEN);
}

/* ---- §5.1.1 challenge ----------------------------------------------------------
 * python3: hashlib.md5(b'\x02' + b's3cret' + bytes(range(16))).digest() and
 *          hashlib.md5(b'\x03' + b's3cret' + b'abcdefgh').digest() */
static void test_challenge_response(void **st)
{
	(void)st;
	static const uint8_t r2[16] = { 0xd7, 0xcd, 0xc5, 0x8a, 0xe8, 0xfe, 0xc2, 0xb9,
					0x94, 0xe7, 0xed, 0xd0, 0xb9, 0x4b, 0xd8, 0xa1 };
	static const uint8_t r3[16] = { 0x86, 0x92, 0x30, 0xfc, 0xbb, 0x5a, 0x7f, 0xc2,
					0xf7, 0xa1, 0x68, 0x5c, 0x90, 0x62, 0xc8, 0x35 };
	uint8_t out[16];
	l2tp_challenge_response(L2TP_MSG_SCCRP, &SEC, RV16, 16, out);
	assert_memory_equal(out, r2, 16);
	l2tp_challenge_response(L2TP_MSG_SCCCN, &SEC, (const uint8_t *)"abcdefgh", 8, out);
	assert_memory_equal(out, r3, 16);
	/* the message type is part of the hash: SCCCN's differs from SCCRP's */
	l2tp_challenge_response(L2TP_MSG_SCCCN, &SEC, RV16, 16, out);
	assert_memory_not_equal(out, r2, 16);
}

/* ---- §6 builders ------------------------------------------------------------ */

static int roundtrip(const struct l2tp_msg *m, struct l2tp_msg *d, uint8_t *b, size_t cap)
{
	int n = l2tp_msg_encode(b, cap, 0x1111, 0x2222, 3, 4, m, NULL, NULL, 0);
	if (n < 0)
		return n;
	int e = decode_buf(b, (size_t)n, NULL, d);
	return e ? e : n;
}

static void test_build_sccrp(void **st)
{
	(void)st;
	struct l2tp_msg m, d;
	uint8_t b[512];
	static const uint8_t cr[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct l2tp_sccrq_args a = { .assigned_tid = 9, .host_name = "rig-lns",
				     .framing_cap = 3, .rx_window = 10 };
	l2tp_build_sccrp(&m, &a, cr);
	int n = roundtrip(&m, &d, b, sizeof b);
	/* 12 + type 8 + ver 8 + framing 10 + host 13 + tid 8 + window 8 + resp 22 */
	assert_int_equal(n, 89);
	static const uint8_t want[] = {
		0xc8, 0x02, 0x00, 89,	0x11, 0x11, 0x22, 0x22, 0x00, 0x03, 0x00, 0x04,
		0x80, 0x08, 0, 0, 0, 0,	0x00, 0x02,		    /* Message Type SCCRP */
		0x80, 0x08, 0, 0, 0, 2,	0x01, 0x00,		    /* Protocol Version 1.0 */
		0x80, 0x0a, 0, 0, 0, 3,	0, 0, 0, 3,		    /* Framing Cap */
		0x80, 0x0d, 0, 0, 0, 7,	'r', 'i', 'g', '-', 'l', 'n', 's', /* Host Name */
		0x80, 0x08, 0, 0, 0, 9,	0x00, 0x09,		    /* Assigned Tunnel ID */
		0x80, 0x08, 0, 0, 0, 10, 0x00, 0x0a,		    /* Receive Window Size */
		0x80, 0x16, 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	};
	assert_memory_equal(b, want, sizeof want);
	assert_int_equal(l2tp_msg_missing_avp(&d), 0);
	assert_int_equal(d.type, L2TP_MSG_SCCRP);
	assert_int_equal(d.mandatory, d.present);
	/* Builders never produce hidden AVPs. */
	assert_int_equal(d.hidden, 0);
}

static void test_build_sccrq_optional(void **st)
{
	(void)st;
	struct l2tp_msg m, d;
	uint8_t b[512];
	static const uint8_t tb[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ch[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct l2tp_sccrq_args a = { .assigned_tid = 7, .host_name = "lac", .vendor_name = "v",
				     .rx_window = 4, .framing_cap = 1, .bearer_cap = 2,
				     .firmware_rev = 0x0690, .challenge = ch,
				     .challenge_len = 4, .tie_breaker = tb };
	l2tp_build_sccrq(&m, &a);
	assert_true(roundtrip(&m, &d, b, sizeof b) > 0);
	assert_int_equal(l2tp_msg_missing_avp(&d), 0);
	/* §4.4.3: Tie Breaker, Firmware Revision, Vendor Name: M=0. */
	assert_false(d.mandatory & L2TP_BIT(L2TP_AVP_TIE_BREAKER));
	assert_false(d.mandatory & L2TP_BIT(L2TP_AVP_FIRMWARE_REV));
	assert_false(d.mandatory & L2TP_BIT(L2TP_AVP_VENDOR_NAME));
	assert_true(d.mandatory & L2TP_BIT(L2TP_AVP_BEARER_CAP));
	assert_true(d.mandatory & L2TP_BIT(L2TP_AVP_CHALLENGE));
	assert_memory_equal(d.tie_breaker, tb, 8);
	assert_int_equal(d.firmware_rev, 0x0690);
	assert_int_equal(d.bearer_cap, 2);
	assert_int_equal(d.challenge.len, 4);
}

static void test_build_stopccn_cdn(void **st)
{
	(void)st;
	struct l2tp_msg m, d;
	uint8_t b[512];
	l2tp_build_stopccn(&m, 9, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_UNKNOWN_MAVP, "bad");
	int n = roundtrip(&m, &d, b, sizeof b);
	static const uint8_t want[] = {
		0x80, 0x08, 0, 0, 0, 0, 0x00, 0x04,				  /* StopCCN */
		0x80, 0x0d, 0, 0, 0, 1, 0x00, 0x02, 0x00, 0x08, 'b', 'a', 'd',	  /* Result */
		0x80, 0x08, 0, 0, 0, 9, 0x00, 0x09,				  /* Tunnel */
	};
	assert_int_equal(n, 12 + (int)sizeof want);
	assert_memory_equal(b + 12, want, sizeof want);
	assert_int_equal(l2tp_msg_missing_avp(&d), 0);
	/* Result 1 without error or text: the short form, Length 8. */
	l2tp_build_stopccn(&m, 9, L2TP_STOPCCN_CLEAR, 0, NULL);
	assert_true(roundtrip(&m, &d, b, sizeof b) > 0);
	assert_int_equal(b[20 + 1], 8);
	assert_false(d.result.has_error);

	/* CDN 2/7 ("try another LNS") keeps its error code (the original
	 * dropped it), and the Q.931 cause is M=1. */
	l2tp_build_cdn(&m, 0x4d1d, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_TRY_ANOTHER, NULL);
	l2tp_msg_set_q931(&m, 16, 0x5a);
	assert_true(roundtrip(&m, &d, b, sizeof b) > 0);
	assert_int_equal(d.type, L2TP_MSG_CDN);
	assert_true(d.result.has_error);
	assert_int_equal(d.result.error, 7);
	assert_int_equal(d.assigned_sid, 0x4d1d);
	assert_int_equal(d.q931.cause, 16);
	assert_int_equal(d.q931.msg_code, 0x5a);
	assert_true(d.mandatory & L2TP_BIT(L2TP_AVP_Q931_CAUSE));
	assert_true(d.mandatory & L2TP_BIT(L2TP_AVP_RESULT_CODE));
	assert_int_equal(l2tp_msg_missing_avp(&d), 0);
	/* CDN with no resources (result 4) is sent with M set. */
	l2tp_build_cdn(&m, 3, L2TP_CDN_NO_FACILITIES_TEMP, 0, NULL);
	assert_true(m.mandatory & L2TP_BIT(L2TP_AVP_RESULT_CODE));
}

static void test_build_session_msgs(void **st)
{
	(void)st;
	struct l2tp_msg m, d;
	uint8_t b[1024];
	l2tp_build_icrp(&m, 0xba63);
	/* capture frame 7 (ICRP from l2tpns) body */
	static const uint8_t icrp[] = { 0x80, 0x08, 0, 0, 0, 0, 0x00, 0x0b,
					0x80, 0x08, 0, 0, 0, 14, 0xba, 0x63 };
	assert_int_equal(roundtrip(&m, &d, b, sizeof b), 28);
	assert_memory_equal(b + 12, icrp, sizeof icrp);

	l2tp_build_hello(&m);
	assert_int_equal(roundtrip(&m, &d, b, sizeof b), 20);
	assert_int_equal(d.type, L2TP_MSG_HELLO);
	l2tp_build_scccn(&m, NULL);
	assert_int_equal(roundtrip(&m, &d, b, sizeof b), 20);
	assert_int_equal(d.type, L2TP_MSG_SCCCN);

	struct l2tp_icrq_args ia = { .assigned_sid = 1, .call_serial = 2, .bearer_type = 2,
				     .phys_channel = 9, .called_number = "12356",
				     .calling_number = "000", .sub_address = "s" };
	l2tp_build_icrq(&m, &ia);
	assert_true(roundtrip(&m, &d, b, sizeof b) > 0);
	assert_int_equal(l2tp_msg_missing_avp(&d), 0);
	assert_false(d.mandatory & L2TP_BIT(L2TP_AVP_PHYSICAL_CHANNEL)); /* §4.4.4 M=0 */
	assert_true(d.mandatory & L2TP_BIT(L2TP_AVP_CALLED_NUMBER));
	assert_memory_equal(d.called_number.v, "12356", 5);

	static const uint8_t lcp[] = { 1, 4, 5, 0xdc };
	static const uint8_t chal[] = { 9, 9, 9 };
	static const uint8_t resp[] = { 7, 7 };
	struct l2tp_iccn_args ca = { .tx_connect_speed = 1000000, .framing_type = 1,
				     .rx_connect_speed = 2000000, .sequencing_required = true,
				     .initial_rx_lcp = lcp, .initial_rx_lcp_len = 4,
				     .last_sent_lcp = lcp, .last_sent_lcp_len = 4,
				     .last_rx_lcp = lcp, .last_rx_lcp_len = 4,
				     .proxy_auth_type = L2TP_PROXY_AUTH_CHAP, .proxy_auth_name = "joe",
				     .proxy_auth_challenge = chal, .proxy_auth_challenge_len = 3,
				     .proxy_auth_response = resp, .proxy_auth_response_len = 2,
				     .proxy_auth_id = 0x42 };
	l2tp_build_iccn(&m, &ca);
	assert_true(roundtrip(&m, &d, b, sizeof b) > 0);
	assert_int_equal(l2tp_msg_missing_avp(&d), 0);
	assert_int_equal(d.tx_connect_speed, 1000000);
	assert_int_equal(d.rx_connect_speed, 2000000);
	assert_true(L2TP_HAS(&d, L2TP_AVP_SEQUENCING_REQUIRED));
	assert_true(d.mandatory & L2TP_BIT(L2TP_AVP_SEQUENCING_REQUIRED));
	assert_int_equal(d.proxy_auth_id, 0x42);
	assert_memory_equal(d.proxy_auth_name.v, "joe", 3);
	/* §4.4.5 proxy AVPs and §4.4.4 Rx Connect Speed: M=0. */
	uint64_t m0 = L2TP_BIT(26) | L2TP_BIT(27) | L2TP_BIT(28) | L2TP_BIT(29) | L2TP_BIT(30) |
		      L2TP_BIT(31) | L2TP_BIT(32) | L2TP_BIT(33) | L2TP_BIT(38);
	assert_int_equal(d.present & m0, m0);
	assert_int_equal(d.mandatory & m0, 0);
}

static void test_missing_avp(void **st)
{
	(void)st;
	struct l2tp_msg m;
	struct l2tp_sccrq_args a = { .assigned_tid = 1, .host_name = "h", .framing_cap = 1 };
	l2tp_build_sccrq(&m, &a);
	assert_int_equal(l2tp_msg_missing_avp(&m), 0);
	m.present &= ~L2TP_BIT(L2TP_AVP_HOST_NAME);
	assert_int_equal(l2tp_msg_missing_avp(&m), L2TP_AVP_HOST_NAME + 1);
	m.present &= ~L2TP_BIT(L2TP_AVP_PROTOCOL_VERSION);
	assert_int_equal(l2tp_msg_missing_avp(&m), L2TP_AVP_PROTOCOL_VERSION + 1);
	/* §6.4 StopCCN needs Assigned Tunnel ID and Result Code */
	memset(&m, 0, sizeof m);
	m.type = L2TP_MSG_STOPCCN;
	assert_int_equal(l2tp_msg_missing_avp(&m), L2TP_AVP_RESULT_CODE + 1);
	/* §6.11 ICCN: (Tx) Connect Speed and Framing Type */
	m.type = L2TP_MSG_ICCN;
	m.present = L2TP_BIT(L2TP_AVP_FRAMING_TYPE);
	assert_int_equal(l2tp_msg_missing_avp(&m), L2TP_AVP_TX_CONNECT_SPEED + 1);
	m.type = L2TP_MSG_WEN;
	assert_int_equal(l2tp_msg_missing_avp(&m), L2TP_AVP_CALL_ERRORS + 1);
	m.type = L2TP_MSG_SLI;
	assert_int_equal(l2tp_msg_missing_avp(&m), L2TP_AVP_ACCM + 1);
	m.type = L2TP_MSG_OCRQ;
	m.present = L2TP_BIT(14) | L2TP_BIT(15) | L2TP_BIT(16) | L2TP_BIT(17) | L2TP_BIT(18) |
		    L2TP_BIT(19);
	assert_int_equal(l2tp_msg_missing_avp(&m), L2TP_AVP_CALLED_NUMBER + 1);
	m.type = L2TP_MSG_HELLO;
	m.present = 0;
	assert_int_equal(l2tp_msg_missing_avp(&m), 0);
	m.type = L2TP_MSG_ZLB;
	assert_int_equal(l2tp_msg_missing_avp(&m), 0);
}

/* ---- real messages: rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap -------------
 * Payloads from `tshark -r FILE -Y l2tp.type==1 -T fields -e udp.payload`. */

static void test_capture_sccrq(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	struct l2tp_msg m;
	/* frame 2, xl2tpd 1.3.18 */
	assert_int_equal(
		decode_hex("c8020067000000000000000080080000000000018008000000020100800a000000"
			   "0300000003800a00000004000000000008000000060690800c0000000728"
			   "6e6f6e652900130000000878656c6572616e63652e636f6d800800000009"
			   "756f80080000000a0004",
			   NULL, &h, &m),
		L2TP_OK);
	assert_int_equal(h.tid, 0);
	assert_int_equal(h.ns, 0);
	assert_int_equal(m.type, L2TP_MSG_SCCRQ);
	assert_int_equal(m.proto_ver, 1);
	assert_int_equal(m.proto_rev, 0);
	assert_int_equal(m.framing_cap, 3);
	assert_int_equal(m.bearer_cap, 0);
	assert_int_equal(m.firmware_rev, 0x0690);
	assert_int_equal(m.host_name.len, 6);
	assert_memory_equal(m.host_name.v, "(none)", 6);
	assert_memory_equal(m.vendor_name.v, "xelerance.com", 13);
	assert_int_equal(m.assigned_tid, 0x756f);
	assert_int_equal(m.rx_window, 4);
	assert_true(m.mandatory & L2TP_BIT(L2TP_AVP_HOST_NAME));
	/* §4.4.3: Firmware Revision and Vendor Name come with M=0 */
	assert_false(m.mandatory & L2TP_BIT(L2TP_AVP_FIRMWARE_REV));
	assert_false(m.mandatory & L2TP_BIT(L2TP_AVP_VENDOR_NAME));
	assert_int_equal(l2tp_msg_missing_avp(&m), 0);
	assert_false(L2TP_HAS(&m, L2TP_AVP_CHALLENGE));
}

static void test_capture_sccrp_scccn(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	struct l2tp_msg m;
	/* frame 3, l2tpns 2.4.1 */
	assert_int_equal(decode_hex("c802003b756f00000000000180080000000000028008000000020100"
				    "800a0000000300000003800d000000077269672d6c6e73800800000"
				    "0090009",
				    NULL, &h, &m),
			 L2TP_OK);
	assert_int_equal(h.tid, 0x756f);
	assert_int_equal(h.nr, 1);
	assert_int_equal(m.type, L2TP_MSG_SCCRP);
	assert_memory_equal(m.host_name.v, "rig-lns", 7);
	assert_int_equal(m.assigned_tid, 9);
	assert_int_equal(m.framing_cap, 3);
	/* frame 4 */
	assert_int_equal(decode_hex("c802001400090000000100018008000000000003", NULL, &h, &m),
			 L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_SCCCN);
	assert_int_equal(m.present, 1);
	/* frame 5: ZLB */
	assert_int_equal(decode_hex("c802000c756f000000010002", NULL, &h, &m), L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_ZLB);
	assert_int_equal(h.ns, 1);
	assert_int_equal(h.nr, 2);
}

static void test_capture_session(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	struct l2tp_msg m;
	/* frame 6 ICRQ */
	assert_int_equal(decode_hex("c80200300009000000020001800800000000000a80080000000eba63"
				    "800a0000000f00000001800a0000001200000000",
				    NULL, &h, &m),
			 L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_ICRQ);
	assert_int_equal(m.assigned_sid, 0xba63);
	assert_int_equal(m.call_serial, 1);
	assert_true(L2TP_HAS(&m, L2TP_AVP_BEARER_TYPE));
	assert_int_equal(m.bearer_type, 0);
	/* frame 7 ICRP */
	assert_int_equal(decode_hex("c802001c756fba6300010003800800000000000b80080000000e000b",
				    NULL, &h, &m),
			 L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_ICRP);
	assert_int_equal(h.sid, 0xba63);
	assert_int_equal(m.assigned_sid, 11);
	/* frame 8 ICCN: Tx speed 0 (M), Framing 1, Rx speed 0 (M=0) */
	assert_int_equal(decode_hex("c80200320009000b00030002800800000000000c800a000000180000"
				    "0000800a0000001300000001000a0000002600000000",
				    NULL, &h, &m),
			 L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_ICCN);
	assert_int_equal(h.sid, 11);
	assert_int_equal(m.tx_connect_speed, 0);
	assert_int_equal(m.framing_type, 1);
	assert_true(L2TP_HAS(&m, L2TP_AVP_RX_CONNECT_SPEED));
	assert_false(m.mandatory & L2TP_BIT(L2TP_AVP_RX_CONNECT_SPEED));
	assert_int_equal(l2tp_msg_missing_avp(&m), 0);
	/* frame 1 CDN (stray, from an earlier call) */
	assert_int_equal(decode_hex("c8020024f1c1f23500020004800800000000000e8008000000010003"
				    "80080000000e0001",
				    NULL, &h, &m),
			 L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_CDN);
	assert_int_equal(m.result.result, 3);
	assert_false(m.result.has_error);
	assert_int_equal(m.assigned_sid, 1);
}

static void test_capture_reencode(void **st)
{
	(void)st;
	/* Every AVP of these real messages is in ascending order after
	 * Message Type, so our encoder reproduces them octet for octet.
	 * (xl2tpd's ICCN, frame 8, puts 24 before 19: decoded above only.) */
	static const char *const msgs[] = {
		"c8020067000000000000000080080000000000018008000000020100800a0000000300000003800a"
		"00000004000000000008000000060690800c00000007286e6f6e65290013000000087865"
		"6c6572616e63652e636f6d800800000009756f80080000000a0004",
		"c802003b756f00000000000180080000000000028008000000020100800a0000000300000003800d"
		"000000077269672d6c6e738008000000090009",
		"c80200300009000000020001800800000000000a80080000000eba63800a0000000f00000001800a"
		"0000001200000000",
		"c8020024f1c1f23500020004800800000000000e800800000001000380080000000e0001",
	};
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		uint8_t in[256], out[256];
		size_t n = unhex(msgs[i], in, sizeof in);
		struct l2tp_hdr h;
		struct l2tp_msg m;
		assert_int_equal(l2tp_hdr_decode(in, n, &h), L2TP_OK);
		assert_int_equal(l2tp_msg_decode(in + h.hdr_len, h.payload_len, NULL, &m), L2TP_OK);
		int k = l2tp_msg_encode(out, sizeof out, h.tid, h.sid, h.ns, h.nr, &m, NULL, NULL, 0);
		assert_int_equal(k, (int)n);
		assert_memory_equal(out, in, n);
		assert_int_equal(l2tp_msg_encode(out, n - 1, h.tid, h.sid, h.ns, h.nr, &m, NULL,
						 NULL, 0),
				 L2TP_E_NOSPACE);
	}
}

static void test_capture_generateload(void **st)
{
	(void)st;
	struct l2tp_hdr h;
	struct l2tp_msg m;
	/* rig__generateload-lac: ICRQ with Called "12356", Calling "000",
	 * everything but Message Type without M. */
	assert_int_equal(decode_hex("c80200300008000000020001800800000000000a000b000000153132"
				    "33353600090000001630303000080000000e0001",
				    NULL, &h, &m),
			 L2TP_OK);
	assert_memory_equal(m.called_number.v, "12356", 5);
	assert_memory_equal(m.calling_number.v, "000", 3);
	assert_int_equal(m.mandatory, 1);
	/* Its SCCRQ has 2-octet Framing and Bearer Capabilities (§4.4.3 says
	 * 4): accepted, zero-extended, as the original LNS accepted them. */
	assert_int_equal(decode_hex("c802005300000000000000008008000000000001000e000000076c6f"
				    "6164746573740009000000084f49450008000000090001000800000002"
				    "01000008000000030001000800000004000100080000000a0014",
				    NULL, &h, &m),
			 L2TP_OK);
	assert_int_equal(m.type, L2TP_MSG_SCCRQ);
	assert_int_equal(m.assigned_tid, 1);
	assert_int_equal(m.framing_cap, 1);
	assert_int_equal(m.bearer_cap, 1);
	/* other lengths stay refused */
	assert_int_equal(decode_hex("c802001d000000000000000080080000000000018009000000030001ff",
				    NULL, &h, &m),
			 L2TP_E_AVP_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_control_fields),
		cmocka_unit_test(test_hdr_data_offset_prio),
		cmocka_unit_test(test_hdr_data_plain),
		cmocka_unit_test(test_hdr_short),
		cmocka_unit_test(test_hdr_versions),
		cmocka_unit_test(test_hdr_ctrl_flags),
		cmocka_unit_test(test_hdr_reserved_bits_ignored),
		cmocka_unit_test(test_hdr_lengths),
		cmocka_unit_test(test_hdr_offset_past_end),
		cmocka_unit_test(test_hdr_encoders),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_hide_vectors),
		cmocka_unit_test(test_unhide_vectors),
		cmocka_unit_test(test_hidden_decode),
		cmocka_unit_test(test_hidden_rv_latest_applies),
		cmocka_unit_test(test_hidden_rv_itself),
		cmocka_unit_test(test_hidden_encode),
		cmocka_unit_test(test_challenge_response),
		cmocka_unit_test(test_build_sccrp),
		cmocka_unit_test(test_build_sccrq_optional),
		cmocka_unit_test(test_build_stopccn_cdn),
		cmocka_unit_test(test_build_session_msgs),
		cmocka_unit_test(test_missing_avp),
		cmocka_unit_test(test_capture_sccrq),
		cmocka_unit_test(test_capture_sccrp_scccn),
		cmocka_unit_test(test_capture_session),
		cmocka_unit_test(test_capture_reencode),
		cmocka_unit_test(test_capture_generateload),
	};
	return cmocka_run_group_tests_name("l2tp", tests, NULL, NULL);
}
