/*
 * lacsim's pure helpers: RFC 1071 checksum, hand-built IPv4/UDP packets, the
 * test payload, PPP header parsing (RFC 1661/1662 compression), user-name
 * formatting and the timer heap; for --ipv6 the RFC 8200 pseudo-header
 * checksum, Router Advertisement validation (RFC 4861 §6.1.2, RFC 4862
 * §5.5.3), Router Solicitation, ICMPv6 Echo Reply and UDP over IPv6.
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

/* ---- IPv6 (--ipv6). Vectors built with scapy 2.5 (an independent
 * implementation): IPv6()/ICMPv6ND_RA()/ICMPv6NDOptPrefixInfo()/
 * ICMPv6NDOptMTU(), ICMPv6ND_RS, ICMPv6EchoRequest/Reply, UDP. ---- */

/* RA from fe80::1 to fe80::1122:3344:5566:7788: router lifetime 1800,
 * prefix 2001:db8:1::/64 L+A valid 86400 preferred 14400, MTU 1458;
 * ICMPv6 checksum 0x1e32 */
static const uint8_t ra_vec[96] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x38, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0x86, 0x00, 0x1e, 0x32, 0x40, 0x08, 0x07, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x04, 0x40, 0xc0,
	0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x38, 0x40, 0x00, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0xb2,
};
/* RS from fe80::1122:3344:5566:7788 to ff02::2, checksum 0x6be2 */
static const uint8_t rs_vec[48] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x85, 0x00, 0x6b, 0xe2, 0x00, 0x00, 0x00, 0x00,
};
/* Echo Request 2001:db8:2::2 -> 2001:db8:1::1122:3344:5566:7788, id 0x1234
 * seq 7 "lacsim-ping6", hop limit 63; and its reply (hop limit 64) */
static const uint8_t echo_req_vec[60] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x3a, 0x3f, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0x80, 0x00, 0xc9, 0x52, 0x12, 0x34, 0x00, 0x07,
	0x6c, 0x61, 0x63, 0x73, 0x69, 0x6d, 0x2d, 0x70, 0x69, 0x6e, 0x67, 0x36,
};
static const uint8_t echo_rep_vec[60] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x3a, 0x40, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x01, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x81, 0x00, 0xc8, 0x52, 0x12, 0x34, 0x00, 0x07,
	0x6c, 0x61, 0x63, 0x73, 0x69, 0x6d, 0x2d, 0x70, 0x69, 0x6e, 0x67, 0x36,
};
/* UDP 2001:db8:1::1122:3344:5566:7788.1025 -> 2001:db8:2::2.9000, the test
 * payload (session 17, seq 5, timestamp 0x123456789), checksum 0x4b3b */
static const uint8_t udp6_vec[68] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x01, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x04, 0x01, 0x23, 0x28, 0x00, 0x1c, 0x4b, 0x3b,
	0x4c, 0x53, 0x49, 0x4d, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89,
};

static const uint8_t me6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0,
				 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const uint8_t host6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, [15] = 2 };

static void csum6_matches_vectors(void **state)
{
	(void)state;
	uint8_t b[96];

	/* a message carrying its checksum sums to zero */
	assert_int_equal(pkt_csum6(ra_vec + 8, ra_vec + 24, 58, ra_vec + 40, 56), 0);
	assert_int_equal(pkt_csum6(udp6_vec + 8, udp6_vec + 24, 17, udp6_vec + 40, 28), 0);
	memcpy(b, ra_vec, sizeof ra_vec);
	b[42] = b[43] = 0;
	assert_int_equal(pkt_csum6(b + 8, b + 24, 58, b + 40, 56), 0x1e32);
	/* the next header is part of the pseudo-header */
	assert_int_not_equal(pkt_csum6(ra_vec + 8, ra_vec + 24, 17, ra_vec + 40, 56), 0);
}

/* Re-seal a modified RA so that only the intended defect remains. */
static void reseal(uint8_t *b, size_t mlen)
{
	b[42] = b[43] = 0;
	uint16_t c = pkt_csum6(b + 8, b + 24, 58, b + 40, mlen);
	b[42] = (uint8_t)(c >> 8);
	b[43] = (uint8_t)c;
}

static void ra_parse_accepts_vector(void **state)
{
	(void)state;
	struct pkt_ra ra;
	uint8_t pad[100];
	static const uint8_t pfx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01 };

	assert_int_equal(pkt_ra_parse(ra_vec, sizeof ra_vec, &ra), 0);
	assert_int_equal(ra.router[0], 0xfe);
	assert_int_equal(ra.router[15], 1);
	assert_memory_equal(ra.dst, ra_vec + 24, 16);
	assert_int_equal(ra.dst[8], 0x11);
	assert_memory_equal(ra.prefix, pfx, 16);
	assert_int_equal(ra.prefix_len, 64);
	assert_int_equal(ra.prefix_flags, 0xc0);
	assert_int_equal(ra.valid, 86400);
	assert_int_equal(ra.preferred, 14400);
	assert_int_equal(ra.router_lifetime, 1800);
	assert_int_equal(ra.mtu, 1458);
	/* link padding after the packet is ignored */
	memset(pad, 0, sizeof pad);
	memcpy(pad, ra_vec, sizeof ra_vec);
	assert_int_equal(pkt_ra_parse(pad, sizeof pad, &ra), 0);
}

static void ra_parse_refuses_defects(void **state)
{
	(void)state;
	struct pkt_ra ra;
	uint8_t b[96];

#define FRESH() memcpy(b, ra_vec, sizeof b)
	FRESH();
	assert_int_equal(pkt_ra_parse(b, 95, &ra), PKT_RA_SHORT);	/* payload > frame */
	assert_int_equal(pkt_ra_parse(b, 39, &ra), PKT_RA_SHORT);
	b[0] = 0x40;
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_SHORT); /* IPv4 */
	FRESH();
	b[7] = 254; /* RFC 4861 §6.1.2: crossed a router */
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_HOPLIMIT);
	FRESH();
	b[40] = 135; /* a Neighbor Solicitation */
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_NOT_RA);
	FRESH();
	b[41] = 1; /* code must be 0 */
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_NOT_RA);
	FRESH();
	b[6] = 17;
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_NOT_RA);
	FRESH();
	b[8] = 0x20, b[9] = 0x01; /* global source, resealed: still refused */
	reseal(b, 56);
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_SRC);
	FRESH();
	b[95] ^= 1; /* MTU value flipped, checksum not updated */
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_CSUM);
	FRESH();
	b[89] = 0; /* MTU option length 0 */
	reseal(b, 56);
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_OPTS);
	FRESH();
	b[89] = 2; /* MTU option runs past the end */
	reseal(b, 56);
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_OPTS);
	FRESH();
	b[59] = 0x80; /* L only: no autoconfiguration */
	reseal(b, 56);
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_NO_PREFIX);
	FRESH();
	b[58] = 48; /* a /48 cannot take a 64-bit identifier */
	reseal(b, 56);
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_NO_PREFIX);
	FRESH();
	b[64] = 0x00, b[65] = 0x02; /* preferred 131072 > valid 86400 */
	reseal(b, 56);
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_NO_PREFIX);
	FRESH();
	memset(b + 72, 0, 16); /* a link-local prefix, fe80::/64 */
	b[72] = 0xfe, b[73] = 0x80;
	reseal(b, 56);
	assert_int_equal(pkt_ra_parse(b, sizeof b, &ra), PKT_RA_NO_PREFIX);
	/* no Prefix Information at all: the RA header and MTU only */
	uint8_t n[64];
	memcpy(n, ra_vec, 56);
	memcpy(n + 56, ra_vec + 88, 8);
	n[5] = 24;
	reseal(n, 24);
	assert_int_equal(pkt_ra_parse(n, sizeof n, &ra), PKT_RA_NO_PREFIX);
	n[5] = 12; /* ICMP length below the 16 octets of an RA */
	reseal(n, 12);
	assert_int_equal(pkt_ra_parse(n, 52, &ra), PKT_RA_SHORT);
	assert_string_equal(pkt_ra_strerror(PKT_RA_HOPLIMIT), "hop limit not 255");
#undef FRESH
}

static void rs_build_matches_vector(void **state)
{
	(void)state;
	uint8_t b[64], src[16] = { 0xfe, 0x80 };

	memcpy(src + 8, me6 + 8, 8);
	memset(b, 0xee, sizeof b);
	assert_int_equal(pkt_rs_build(b, sizeof b, src), 48);
	assert_memory_equal(b, rs_vec, sizeof rs_vec);
	assert_int_equal(b[48], 0xee);
	assert_int_equal(pkt_rs_build(b, 47, src), -1);
}

static void echo6_reply_matches_vector(void **state)
{
	(void)state;
	uint8_t out[80], req[60];

	memset(out, 0xee, sizeof out);
	assert_int_equal(pkt_echo6_reply(out, sizeof out, echo_req_vec, sizeof echo_req_vec, me6),
			 60);
	assert_memory_equal(out, echo_rep_vec, sizeof echo_rep_vec);
	assert_int_equal(out[60], 0xee);
	/* not addressed to us, or not a request: not ours to answer */
	assert_int_equal(pkt_echo6_reply(out, sizeof out, echo_req_vec, 60, host6), 0);
	assert_int_equal(pkt_echo6_reply(out, sizeof out, echo_rep_vec, 60, host6), 0);
	/* ours but damaged, or no room for the reply */
	memcpy(req, echo_req_vec, sizeof req);
	req[59] ^= 1;
	assert_int_equal(pkt_echo6_reply(out, sizeof out, req, sizeof req, me6), -1);
	assert_int_equal(pkt_echo6_reply(out, 59, echo_req_vec, 60, me6), -1);
	assert_int_equal(pkt_echo6_reply(out, sizeof out, echo_req_vec, 59, me6), -1);
}

static void udp6_build_parse(void **state)
{
	(void)state;
	uint8_t b[80];
	struct pkt_payload pl = { .session = 17, .seq = 5, .ts_ns = 0x123456789ull };
	struct pkt_udp6 u = { .sport = 1025, .dport = 9000, .hlim = 64 }, v;
	const uint8_t *p;

	memcpy(u.src, me6, 16);
	memcpy(u.dst, host6, 16);
	memset(b, 0xee, sizeof b);
	assert_int_equal(pkt_payload_write(b + 48, 20, &pl), 20);
	assert_int_equal(pkt_udp6_build(b, sizeof b, &u, 20), 68);
	assert_memory_equal(b, udp6_vec, sizeof udp6_vec);
	assert_int_equal(b[68], 0xee);
	assert_int_equal(pkt_udp6_build(b, 67, &u, 20), -1);

	assert_int_equal(pkt_udp6_parse(b, 68, &v, &p), 20);
	assert_memory_equal(v.src, me6, 16);
	assert_memory_equal(v.dst, host6, 16);
	assert_int_equal(v.sport, 1025);
	assert_int_equal(v.dport, 9000);
	assert_ptr_equal(p, b + 48);
	assert_int_equal(pkt_udp6_parse(b, 67, &v, &p), -1);
	b[50] ^= 1;
	assert_int_equal(pkt_udp6_parse(b, 68, &v, &p), -5);
	b[50] ^= 1;
	b[46] = b[47] = 0; /* RFC 8200 §8.1: zero checksum is discarded */
	assert_int_equal(pkt_udp6_parse(b, 68, &v, &p), -5);
	b[6] = 6;
	assert_int_equal(pkt_udp6_parse(b, 68, &v, &p), -3);
	/* the echo vector is ICMPv6, not UDP */
	assert_int_equal(pkt_udp6_parse(echo_req_vec, 60, &v, &p), -3);
}

static void udp6_zero_checksum_sent_as_ffff(void **state)
{
	(void)state;
	uint8_t b[80];
	struct pkt_udp6 u = { .sport = 1, .dport = 2 }, v;
	uint32_t s;
	int found = 0;

	memcpy(u.src, me6, 16);
	memcpy(u.dst, host6, 16);
	for (s = 0; s < 0x20000 && !found; s++) {
		struct pkt_payload pl = { .session = s };
		const uint8_t *p;
		pkt_payload_write(b + 48, 20, &pl);
		pkt_udp6_build(b, sizeof b, &u, 20);
		assert_false(b[46] == 0 && b[47] == 0);
		if (b[46] == 0xff && b[47] == 0xff) {
			found = 1;
			assert_int_equal(pkt_udp6_parse(b, 68, &v, &p), 20);
		}
	}
	assert_true(found);
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
		cmocka_unit_test(csum6_matches_vectors),
		cmocka_unit_test(ra_parse_accepts_vector),
		cmocka_unit_test(ra_parse_refuses_defects),
		cmocka_unit_test(rs_build_matches_vector),
		cmocka_unit_test(echo6_reply_matches_vector),
		cmocka_unit_test(udp6_build_parse),
		cmocka_unit_test(udp6_zero_checksum_sent_as_ffff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
