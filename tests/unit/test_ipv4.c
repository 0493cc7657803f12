/* IPv4 helpers: address extraction and TCP MSS clamping with checksum fix-up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "codec/buf.h"
#include "codec/ipv4.h"

/* Build IPv4 + TCP SYN with the given options; returns total length. */
static size_t syn(uint8_t *p, const uint8_t *opts, size_t olen, uint8_t flags, uint16_t frag)
{
	size_t thl = 20 + olen, tot = 20 + thl;
	memset(p, 0, tot);
	p[0] = 0x45;
	be16_put(p + 2, (uint16_t)tot);
	be16_put(p + 6, frag);
	p[8] = 64;
	p[9] = 6;
	be32_put(p + 12, 0x0a000001);
	be32_put(p + 16, 0xc0000201);
	be16_put(p + 10, inet_csum(p, 20, 0));
	uint8_t *t = p + 20;
	be16_put(t, 40000);
	be16_put(t + 2, 80);
	t[12] = (uint8_t)((thl / 4) << 4);
	t[13] = flags;
	be16_put(t + 14, 65535);
	if (olen)
		memcpy(t + 20, opts, olen);
	/* pseudo-header sum: src, dst, proto, tcp length */
	uint32_t ph = 0x0a00 + 0x0001 + 0xc000 + 0x0201 + 6 + (uint32_t)thl;
	be16_put(t + 16, inet_csum(t, thl, ph));
	return tot;
}

static int tcp_csum_ok(const uint8_t *p)
{
	size_t thl = be16_get(p + 2) - 20u;
	uint32_t ph = 0x0a00 + 0x0001 + 0xc000 + 0x0201 + 6 + (uint32_t)thl;
	return inet_csum(p + 20, thl, ph) == 0;
}

static void clamps_and_fixes_checksum(void **state)
{
	(void)state;
	uint8_t p[80];
	/* NOP, NOP, MSS 1460, SACK-permitted, window scale */
	const uint8_t o[] = {1, 1, 2, 4, 0x05, 0xb4, 4, 2, 3, 3, 7, 0};
	size_t n = syn(p, o, sizeof o, 0x02, 0x4000 /* DF */);
	assert_true(tcp_csum_ok(p));
	assert_int_equal(ipv4_clamp_mss(p, n, 1420), 1);
	assert_int_equal(be16_get(p + 20 + 20 + 4), 1420);
	assert_true(tcp_csum_ok(p));
	/* already small enough: untouched */
	assert_int_equal(ipv4_clamp_mss(p, n, 1452), 0);
	assert_int_equal(be16_get(p + 44), 1420);
}

static void syn_ack_clamped_too(void **state)
{
	(void)state;
	uint8_t p[80];
	const uint8_t o[] = {2, 4, 0x23, 0x28}; /* 9000 */
	size_t n = syn(p, o, sizeof o, 0x12, 0);
	assert_int_equal(ipv4_clamp_mss(p, n, 1412), 1);
	assert_int_equal(be16_get(p + 42), 1412);
	assert_true(tcp_csum_ok(p));
}

static void leaves_other_packets_alone(void **state)
{
	(void)state;
	uint8_t p[80], q[80];
	const uint8_t o[] = {2, 4, 0x05, 0xb4};
	size_t n = syn(p, o, sizeof o, 0x10 /* ACK only */, 0);
	memcpy(q, p, n);
	assert_int_equal(ipv4_clamp_mss(p, n, 1000), 0);
	assert_memory_equal(p, q, n);
	n = syn(p, o, sizeof o, 0x02, 0x0010 /* not the first fragment */);
	assert_int_equal(ipv4_clamp_mss(p, n, 1000), 0);
	n = syn(p, o, sizeof o, 0x02, 0);
	p[9] = 17; /* UDP */
	assert_int_equal(ipv4_clamp_mss(p, n, 1000), 0);
}

static void malformed_options_do_not_overrun(void **state)
{
	(void)state;
	uint8_t p[80];
	const uint8_t bad1[] = {3, 0, 2, 4}; /* option length 0 */
	const uint8_t bad2[] = {1, 1, 1, 2}; /* MSS kind with no room */
	const uint8_t bad3[] = {8, 40, 0, 0}; /* length past the header */
	size_t n = syn(p, bad1, sizeof bad1, 0x02, 0);
	assert_int_equal(ipv4_clamp_mss(p, n, 1000), 0);
	n = syn(p, bad2, sizeof bad2, 0x02, 0);
	assert_int_equal(ipv4_clamp_mss(p, n, 1000), 0);
	n = syn(p, bad3, sizeof bad3, 0x02, 0);
	assert_int_equal(ipv4_clamp_mss(p, n, 1000), 0);
	/* truncated buffer: total length says more than we have */
	n = syn(p, (const uint8_t[]){2, 4, 5, 0xb4}, 4, 0x02, 0);
	assert_int_equal(ipv4_clamp_mss(p, n - 1, 1000), 0);
	/* data offset larger than the segment */
	p[20 + 12] = 0xf0;
	assert_int_equal(ipv4_clamp_mss(p, n, 1000), 0);
}

static void addrs(void **state)
{
	(void)state;
	uint8_t p[80];
	uint32_t s, d;
	size_t n = syn(p, NULL, 0, 0x02, 0);
	assert_int_equal(ipv4_addrs(p, n, &s, &d), 0);
	assert_int_equal(s, 0x0a000001);
	assert_int_equal(d, 0xc0000201);
	assert_int_equal(ipv4_addrs(p, 19, &s, &d), -1);
	p[0] = 0x65;
	assert_int_equal(ipv4_addrs(p, n, &s, &d), -1);
	p[0] = 0x44; /* IHL 4 */
	assert_int_equal(ipv4_addrs(p, n, &s, &d), -1);
}

static void checksum_rfc1071_example(void **state)
{
	(void)state;
	/* RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (complement 220d) */
	const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	assert_int_equal(inet_csum(b, sizeof b, 0), 0x220d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clamps_and_fixes_checksum),
		cmocka_unit_test(syn_ack_clamped_too),
		cmocka_unit_test(leaves_other_packets_alone),
		cmocka_unit_test(malformed_options_do_not_overrun),
		cmocka_unit_test(addrs),
		cmocka_unit_test(checksum_rfc1071_example),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
