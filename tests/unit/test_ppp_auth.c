/*
 * PAP (RFC 1334 §2) and CHAP (RFC 1994) codecs and the CHAP-MD5 response
 * (src/codec/ppp_auth.c). MD5 vectors were computed independently with
 * python3 hashlib, e.g.
 *   hashlib.md5(b'\x2a' + b's3cr3t' + bytes(range(16))).hexdigest()
 * Real frames come from ../shared/captures/ppp/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "codec/ppp.h"

static size_t hex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_int_equal(hi, -1);
	return n;
}

static void assert_wr_hex(const struct wr *w, const char *s)
{
	uint8_t want[512];
	size_t n = hex(s, want, sizeof want);
	assert_false(w->err);
	assert_int_equal(w->off, n);
	assert_memory_equal(w->p, want, n);
}

/* ---- PAP ----------------------------------------------------------------- */

static void pap_zeek(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_frame f;
	struct ppp_pap_pkt m;
	struct wr w;
	/* zeek__pppoe.pcap #11: Peer-ID "cisco", Password "cisco" */
	size_t n = hex("c0230101001005636973636f05636973636f", b, sizeof b);

	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(f.proto, PPP_PROTO_PAP);
	assert_int_equal(ppp_pap_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_PAP_AUTH_REQ);
	assert_int_equal(m.cp.id, 1);
	assert_int_equal(m.peer_id_len, 5);
	assert_memory_equal(m.peer_id, "cisco", 5);
	assert_int_equal(m.passwd_len, 5);
	assert_memory_equal(m.passwd, "cisco", 5);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_pap_req_build(&w, 1, "cisco", 5, "cisco", 5), 16);
	assert_memory_equal(out, f.payload, 16);

	/* #12: Authenticate-Ack with an empty Message */
	n = hex("c0230201000500", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_pap_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_PAP_AUTH_ACK);
	assert_int_equal(m.msg_len, 0);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_pap_reply_build(&w, PPP_PAP_AUTH_ACK, 1, NULL, 0), 5);
	assert_wr_hex(&w, "0201000500");

	/* Nak with a message, hand-assembled */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_pap_reply_build(&w, PPP_PAP_AUTH_NAK, 7, "denied", 6), 11);
	assert_wr_hex(&w, "0307000b 06 64656e696564");
	assert_int_equal(ppp_pap_decode(out, w.off, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_PAP_AUTH_NAK);
	assert_int_equal(m.msg_len, 6);
	assert_memory_equal(m.msg, "denied", 6);
}

static void pap_malformed(void **state)
{
	(void)state;
	uint8_t b[64], out[300];
	struct ppp_pap_pkt m;
	struct wr w;
	size_t n;

	/* Authenticate-Request with no data at all */
	n = hex("01010004", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_E_DATA);
	/* Peer-ID Length 9 past Length (the octets exist as padding) */
	n = hex("01010008 09 636973 636f636f6f6f", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_E_FIELD);
	/* no Passwd-Length octet */
	n = hex("01010007 02 6162", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_E_DATA);
	/* Passwd-Length past the packet */
	n = hex("01010009 02 6162 05 61", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_E_FIELD);
	/* empty Peer-ID and Password are well-formed (policy decides) */
	n = hex("01010006 00 00", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.peer_id_len + m.passwd_len, 0);
	/* Ack of Length 4: accepted as an empty message */
	n = hex("02010004", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.msg_len, 0);
	/* Msg-Length past the packet */
	n = hex("03010006 05 41", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_E_FIELD);
	/* unknown code; Length below the header */
	n = hex("04010004", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_E_CODE);
	n = hex("01010002", b, sizeof b);
	assert_int_equal(ppp_pap_decode(b, n, &m), PPP_E_LEN_UNDER);
	/* builders refuse what one length octet can not say */
	uint8_t big[256] = {0};
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_pap_req_build(&w, 1, big, 256, "x", 1), PPP_E_INVAL);
	assert_int_equal(ppp_pap_req_build(&w, 1, "x", 1, big, 256), PPP_E_INVAL);
	assert_int_equal(ppp_pap_reply_build(&w, PPP_PAP_AUTH_ACK, 1, big, 256), PPP_E_INVAL);
	assert_int_equal(ppp_pap_reply_build(&w, PPP_PAP_AUTH_REQ, 1, NULL, 0), PPP_E_INVAL);
	wr_init(&w, out, 8);
	assert_int_equal(ppp_pap_req_build(&w, 1, "abc", 3, "d", 1), PPP_E_NOSPACE);
}

/* ---- CHAP ---------------------------------------------------------------- */

static void chap_packetlife(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_frame f;
	struct ppp_chap_pkt m;
	struct wr w;
	/* packetlife__PPP_negotiation.cap #6: Challenge id 1, 16 octets, "R1" */
	size_t n = hex("ff03c223010100171041528c199fe22713cda522d45c7af9ad5231", b, sizeof b);
	uint8_t chal[16];
	hex("41528c199fe22713cda522d45c7af9ad", chal, sizeof chal);

	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(f.proto, PPP_PROTO_CHAP);
	assert_int_equal(ppp_chap_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_CHAP_CHALLENGE);
	assert_int_equal(m.cp.id, 1);
	assert_int_equal(m.value_len, 16);
	assert_memory_equal(m.value, chal, 16);
	assert_int_equal(m.name_len, 2);
	assert_memory_equal(m.name, "R1", 2);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_CHAP, true, false), 4);
	assert_int_equal(ppp_chap_value_build(&w, PPP_CHAP_CHALLENGE, 1, chal, 16, "R1", 2), 23);
	assert_memory_equal(out, b, n);

	/* #8: Response from R0 */
	n = hex("ff03c2230201001710dc73196880578b12670b8d231b8e69f95230", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_chap_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_CHAP_RESPONSE);
	assert_int_equal(m.value_len, PPP_CHAP_MD5_LEN);
	assert_memory_equal(m.name, "R0", 2);

	/* #10: Success without a message */
	n = hex("ff03c22303010004", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_chap_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_CHAP_SUCCESS);
	assert_int_equal(m.msg_len, 0);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_chap_result_build(&w, PPP_CHAP_SUCCESS, 1, NULL, 0), 4);
	assert_wr_hex(&w, "03010004");
}

static void chap_mschapv2_lulu(void **state)
{
	(void)state;
	uint8_t b[128], out[128];
	struct ppp_chap_pkt m;
	struct wr w;
	size_t n;

	/* john-samples lulu #35: MS-CHAPv2 Response, Value-Size 49, "lulu" */
	n = hex("c2230288003a31e2ae0995eaac6ceff0d9757428b515090000000000000000ed8cc90fd4"
		"0faa2d6bcd0abd0b1f562fd777df6c5609c98b006c756c75", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b + 2, n - 2, &m), PPP_OK);
	assert_int_equal(m.cp.id, 0x88);
	assert_int_equal(m.value_len, 49);
	assert_int_equal(m.name_len, 4);
	assert_memory_equal(m.name, "lulu", 4);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_chap_value_build(&w, PPP_CHAP_RESPONSE, 0x88, m.value, 49, "lulu", 4),
			 58);
	assert_memory_equal(out, b + 2, 58);

	/* #36: Success with "S=<authenticator> M=Access granted" */
	n = hex("c2230388003f533d34363038373445314341444633354642443946364538304330314131"
		"414443353734364630423641204d3d416363657373206772616e746564", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b + 2, n - 2, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_CHAP_SUCCESS);
	assert_int_equal(m.msg_len, 59);
	assert_memory_equal(m.msg + 43, "M=Access granted", 16);
	const char *txt = "S=460874E1CADF35FBD9F6E80C01A1ADC5746F0B6A M=Access granted";
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_chap_result_build(&w, PPP_CHAP_SUCCESS, 0x88, txt, strlen(txt)), 63);
	assert_memory_equal(out, b + 2, 63);

	/* Failure, hand-assembled */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_chap_result_build(&w, PPP_CHAP_FAILURE, 9, "no", 2), 6);
	assert_wr_hex(&w, "04090006 6e6f");
	assert_int_equal(ppp_chap_decode(out, w.off, &m), PPP_OK);
	assert_int_equal(m.msg_len, 2);
}

static void chap_malformed(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_chap_pkt m;
	struct wr w;
	size_t n;

	n = hex("01010004", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b, n, &m), PPP_E_DATA);
	n = hex("02010004", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b, n, &m), PPP_E_DATA);
	/* Value-Size 16 but 3 octets inside Length (more as padding) */
	n = hex("01010008 10 aabbcc dddddddddddddddddddddddd", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b, n, &m), PPP_E_FIELD);
	/* Value-Size 0 decodes (the caller refuses it), with an empty Name */
	n = hex("01010005 00", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.value_len, 0);
	assert_int_equal(m.name_len, 0);
	/* code 5 and Length errors */
	n = hex("05010004", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b, n, &m), PPP_E_CODE);
	n = hex("0301000a 00", b, sizeof b);
	assert_int_equal(ppp_chap_decode(b, n, &m), PPP_E_LEN_OVER);
	/* builders: RFC 1994 §4.1 Value-Size 1..255 */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_chap_value_build(&w, PPP_CHAP_CHALLENGE, 1, "x", 0, NULL, 0),
			 PPP_E_INVAL);
	uint8_t big[256] = {0};
	assert_int_equal(ppp_chap_value_build(&w, PPP_CHAP_CHALLENGE, 1, big, 256, NULL, 0),
			 PPP_E_INVAL);
	assert_int_equal(ppp_chap_value_build(&w, PPP_CHAP_SUCCESS, 1, "x", 1, NULL, 0),
			 PPP_E_INVAL);
	assert_int_equal(ppp_chap_result_build(&w, PPP_CHAP_RESPONSE, 1, NULL, 0), PPP_E_INVAL);
}

static void chap_md5_vectors(void **state)
{
	(void)state;
	uint8_t out[16], want[16], chal[16];

	/* python3: md5(b'\x2a' + b's3cr3t' + bytes(range(16))) */
	for (int i = 0; i < 16; i++)
		chal[i] = (uint8_t)i;
	hex("c26509fed6bab294085336fe900671f5", want, sizeof want);
	ppp_chap_md5(0x2a, "s3cr3t", 6, chal, 16, out);
	assert_memory_equal(out, want, 16);
	assert_true(ppp_chap_md5_check(0x2a, "s3cr3t", 6, chal, 16, want, 16));
	/* wrong id, wrong secret, one bit flipped, short response */
	assert_false(ppp_chap_md5_check(0x2b, "s3cr3t", 6, chal, 16, want, 16));
	assert_false(ppp_chap_md5_check(0x2a, "s3cr3T", 6, chal, 16, want, 16));
	want[15] ^= 1;
	assert_false(ppp_chap_md5_check(0x2a, "s3cr3t", 6, chal, 16, want, 16));
	want[15] ^= 1;
	assert_false(ppp_chap_md5_check(0x2a, "s3cr3t", 6, chal, 16, want, 15));

	/* python3: md5(b'\x01' + b'cisco' + challenge of packetlife #6) */
	hex("41528c199fe22713cda522d45c7af9ad", chal, sizeof chal);
	hex("10426197a148c410f4cb19669e918f65", want, sizeof want);
	ppp_chap_md5(1, "cisco", 5, chal, 16, out);
	assert_memory_equal(out, want, 16);

	/* python3: md5(b'\xff' + b'' + b'\x00'): empty secret, 1-octet challenge */
	hex("e0e8bfafbb0689563b2fba789c97b3cc", want, sizeof want);
	ppp_chap_md5(0xff, "", 0, "\0", 1, out);
	assert_memory_equal(out, want, 16);
}

static void chap_full_exchange(void **state)
{
	(void)state;
	uint8_t buf[128], resp[16];
	struct wr w;
	struct ppp_chap_pkt ch, rs;
	const uint8_t chal[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

	/* LNS challenges, peer answers, LNS verifies: all through the codec */
	wr_init(&w, buf, sizeof buf);
	int n = ppp_chap_value_build(&w, PPP_CHAP_CHALLENGE, 0x33, chal, 16, "lns", 3);
	assert_int_equal(n, 4 + 1 + 16 + 3);
	assert_int_equal(ppp_chap_decode(buf, (size_t)n, &ch), PPP_OK);
	ppp_chap_md5(ch.cp.id, "pw", 2, ch.value, ch.value_len, resp);
	uint8_t buf2[128];
	wr_init(&w, buf2, sizeof buf2);
	n = ppp_chap_value_build(&w, PPP_CHAP_RESPONSE, ch.cp.id, resp, 16, "joe", 3);
	assert_int_equal(ppp_chap_decode(buf2, (size_t)n, &rs), PPP_OK);
	assert_int_equal(rs.cp.id, 0x33);
	assert_true(ppp_chap_md5_check(0x33, "pw", 2, chal, 16, rs.value, rs.value_len));
	assert_false(ppp_chap_md5_check(0x34, "pw", 2, chal, 16, rs.value, rs.value_len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pap_zeek),
		cmocka_unit_test(pap_malformed),
		cmocka_unit_test(chap_packetlife),
		cmocka_unit_test(chap_mschapv2_lulu),
		cmocka_unit_test(chap_malformed),
		cmocka_unit_test(chap_md5_vectors),
		cmocka_unit_test(chap_full_exchange),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
