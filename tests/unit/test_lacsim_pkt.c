/*
 * lacsim's pure helpers: RFC 1071 checksum, hand-built IPv4/UDP packets, the
 * test payload, PPP header parsing (RFC 1661/1662 compression), user-name
 * formatting and the timer heap.
 *
 * Vectors: the RFC 1071 §3 example; the well-known IPv4 header whose
 * checksum is 0xb861; and a UDP packet whose checksums (IP 0x53e9, UDP
 * 0xa362) were computed independently with python3 (sum of 16-bit words
 * mod 0xffff, complemented).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/lacsim/pkt.h"

static void csum_rfc1071_example(void **state)
{
	(void)state;
	/* RFC 1071 §3: the sum of these words is 0xddf2 */
	const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(pkt_csum_fold(pkt_csum_add(0, b, sizeof b)), (uint16_t)~0xddf2);
	/* odd length: the last byte is the high half of a zero-padded word */
	const uint8_t o[] = { 0x12, 0x34, 0x56 };
	assert_int_equal(pkt_csum_fold(pkt_csum_add(0, o, sizeof o)), (uint16_t)~(0x1234 + 0x5600));
}

static void csum_known_ip_header(void **state)
{
	(void)state;
	uint8_t h[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	assert_int_equal(pkt_csum_fold(pkt_csum_add(0, h, sizeof h)), 0xb861);
	h[10] = 0xb8, h[11] = 0x61;
	assert_int_equal(pkt_csum_fold(pkt_csum_add(0, h, sizeof h)), 0);
}

static const uint8_t want_pkt[52] = {
	/* IPv4: 10.78.0.1 -> 10.77.0.1, id 0x1234, ttl 64, UDP, csum 0x53e9 */
	0x45, 0x00, 0x00, 0x34, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x53, 0xe9,
	0x0a, 0x4e, 0x00, 0x01, 0x0a, 0x4d, 0x00, 0x01,
	/* UDP 1025 -> 9000, length 32, csum 0xa362 */
	0x04, 0x01, 0x23, 0x28, 0x00, 0x20, 0xa3, 0x62,
	/* payload: "LSIM", session 17, seq 5, timestamp 0x0000000123456789 */
	0x4c, 0x53, 0x49, 0x4d, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0x00, 0x00, 0x00, 0x00,
};

static void udp4_build_matches_vector(void **state)
{
	(void)state;
	uint8_t b[64];
	struct pkt_payload pl = { .session = 17, .seq = 5, .ts_ns = 0x123456789ull };
	struct pkt_udp4 u = { .src = 0x0a4e0001, .dst = 0x0a4d0001, .sport = 1025, .dport = 9000,
			      .ip_id = 0x1234, .ttl = 64 };

	memset(b, 0xee, sizeof b);
	assert_int_equal(pkt_payload_write(b + 28, 24, &pl), 24);
	assert_int_equal(pkt_udp4_build(b, sizeof b, &u, 24), 52);
	assert_memory_equal(b, want_pkt, sizeof want_pkt);
	assert_int_equal(b[52], 0xee); /* nothing written past the packet */
	/* does not fit */
	assert_int_equal(pkt_udp4_build(b, 51, &u, 24), -1);
}

static void udp4_parse_roundtrip_and_errors(void **state)
{
	(void)state;
	uint8_t b[52];
	struct pkt_udp4 u;
	struct pkt_payload pl;
	const uint8_t *p;

	memcpy(b, want_pkt, sizeof b);
	assert_int_equal(pkt_udp4_parse(b, sizeof b, &u, &p), 24);
	assert_int_equal(u.src, 0x0a4e0001);
	assert_int_equal(u.dst, 0x0a4d0001);
	assert_int_equal(u.sport, 1025);
	assert_int_equal(u.dport, 9000);
	assert_ptr_equal(p, b + 28);
	assert_int_equal(pkt_payload_read(p, 24, &pl), 0);
	assert_int_equal(pl.session, 17);
	assert_int_equal(pl.seq, 5);
	assert_true(pl.ts_ns == 0x123456789ull);

	/* trailing link padding after the IP packet is allowed */
	uint8_t pad[60];
	memset(pad, 0, sizeof pad);
	memcpy(pad, want_pkt, sizeof want_pkt);
	assert_int_equal(pkt_udp4_parse(pad, sizeof pad, &u, &p), 24);

	assert_int_equal(pkt_udp4_parse(b, 19, &u, &p), -1);	  /* short */
	assert_int_equal(pkt_udp4_parse(b, 51, &u, &p), -1);	  /* total length > datagram */
	b[30] ^= 1;						  /* payload bit flip */
	assert_int_equal(pkt_udp4_parse(b, sizeof b, &u, &p), -5);
	b[30] ^= 1;
	b[8] = 63;						  /* TTL change breaks IP csum */
	assert_int_equal(pkt_udp4_parse(b, sizeof b, &u, &p), -2);
	b[8] = 64;
	b[26] = b[27] = 0;					  /* UDP checksum 0 = none */
	b[29] ^= 1;
	assert_int_equal(pkt_udp4_parse(b, sizeof b, &u, &p), 24);
	assert_int_equal(pkt_payload_read(p, 24, &pl), -1);	  /* magic broken */
	assert_int_equal(pkt_payload_read(p, 19, &pl), -1);
}

static void udp_zero_checksum_sent_as_ffff(void **state)
{
	(void)state;
	/* Find a payload whose UDP checksum computes to 0: RFC 768 sends it
	 * as 0xffff. Vary the session number until the sum hits it. */
	uint8_t b[64];
	struct pkt_udp4 u = { .src = 0x0a000001, .dst = 0x0a000002, .sport = 1, .dport = 2 };
	uint32_t s;
	int found = 0;

	for (s = 0; s < 0x20000 && !found; s++) {
		struct pkt_payload pl = { .session = s };
		pkt_payload_write(b + 28, 20, &pl);
		pkt_udp4_build(b, sizeof b, &u, 20);
		if (b[26] == 0xff && b[27] == 0xff) {
			const uint8_t *p;
			struct pkt_udp4 v;
			found = 1;
			/* and the receiver accepts it */
			assert_int_equal(pkt_udp4_parse(b, 48, &v, &p), 20);
		}
		assert_false(b[26] == 0 && b[27] == 0);
	}
	assert_true(found);
}

static void ppp_parse_forms(void **state)
{
	(void)state;
	uint16_t proto = 0;
	const uint8_t full[] = { 0xff, 0x03, 0xc0, 0x21, 0x01 };
	const uint8_t acfc[] = { 0x80, 0x21, 0x01 };
	const uint8_t pfc[] = { 0xff, 0x03, 0x21, 0x45 };
	const uint8_t both[] = { 0x21, 0x45 };
	const uint8_t even_low[] = { 0xff, 0x03, 0xc0, 0x20 }; /* low octet even: invalid */
	const uint8_t only_ac[] = { 0xff, 0x03 };

	assert_int_equal(pkt_ppp_parse(full, sizeof full, &proto), 4);
	assert_int_equal(proto, 0xc021);
	assert_int_equal(pkt_ppp_parse(acfc, sizeof acfc, &proto), 2);
	assert_int_equal(proto, 0x8021);
	assert_int_equal(pkt_ppp_parse(pfc, sizeof pfc, &proto), 3);
	assert_int_equal(proto, 0x21);
	assert_int_equal(pkt_ppp_parse(both, sizeof both, &proto), 1);
	assert_int_equal(proto, 0x21);
	assert_int_equal(pkt_ppp_parse(even_low, sizeof even_low, &proto), -1);
	assert_int_equal(pkt_ppp_parse(only_ac, sizeof only_ac, &proto), -1);
	assert_int_equal(pkt_ppp_parse(full, 3, &proto), -1);
}

static void fmt_user_substitutes(void **state)
{
	(void)state;
	char b[16];

	assert_int_equal(pkt_fmt_user(b, sizeof b, "user%d", 17), 6);
	assert_string_equal(b, "user17");
	assert_int_equal(pkt_fmt_user(b, sizeof b, "u%u@isp", 0), 6);
	assert_string_equal(b, "u0@isp");
	assert_int_equal(pkt_fmt_user(b, sizeof b, "100%%-%i", 4000000000u), 15);
	assert_string_equal(b, "100%-4000000000");
	assert_int_equal(pkt_fmt_user(b, sizeof b, "plain", 3), 5);
	assert_string_equal(b, "plain");
	assert_int_equal(pkt_fmt_user(b, sizeof b, "%s", 3), -1);
	assert_int_equal(pkt_fmt_user(b, sizeof b, "%d%d", 3), -1);
	assert_int_equal(pkt_fmt_user(b, sizeof b, "x%", 3), -1);
	assert_int_equal(pkt_fmt_user(b, 6, "user%d", 17), -1); /* no room for NUL */
	assert_int_equal(pkt_fmt_user(b, 7, "user%d", 17), 6);
}

static void timer_heap_orders(void **state)
{
	(void)state;
	struct tm_heap h = { 0 };
	struct tm_ent e;
	uint64_t last = 0;
	uint32_t i, n = 0;

	assert_true(tm_next(&h) == UINT64_MAX);
	assert_false(tm_pop(&h, &e));
	/* 1000 entries in a scrambled order (multiplication by a unit mod 1009) */
	for (i = 0; i < 1000; i++)
		assert_int_equal(tm_push(&h, (uint64_t)(i * 617u % 1009u), i, i * 2), 0);
	assert_true(tm_next(&h) == 0);
	while (tm_pop(&h, &e)) {
		assert_true(e.due >= last);
		assert_int_equal(e.due, e.key * 617u % 1009u);
		assert_int_equal(e.gen, e.key * 2);
		last = e.due;
		n++;
	}
	assert_int_equal(n, 1000);
	tm_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csum_rfc1071_example),
		cmocka_unit_test(csum_known_ip_header),
		cmocka_unit_test(udp4_build_matches_vector),
		cmocka_unit_test(udp4_parse_roundtrip_and_errors),
		cmocka_unit_test(udp_zero_checksum_sent_as_ffff),
		cmocka_unit_test(ppp_parse_forms),
		cmocka_unit_test(fmt_user_substitutes),
		cmocka_unit_test(timer_heap_orders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
