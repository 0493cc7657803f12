/* ip_pool: singles, ranges with .0/.255 skipped, bindaddr: lines, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/poolfile.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static void parse_ok(const char *text, uint32_t bind, struct poolfile *pf)
{
	struct config_errors e;
	config_errors_init(&e);
	int r = poolfile_parse(text, strlen(text), "ip_pool", bind, pf, &e);
	for (unsigned i = 0; i < config_errors_kept(&e); i++)
		print_error("%s\n", e.msg[i]);
	assert_int_equal(r, 0);
}

/* Expand everything; returns the count and fills out[] up to max. */
static size_t expand(const struct poolfile *pf, uint32_t *out, size_t max)
{
	struct poolfile_iter it;
	uint32_t a;
	size_t n = 0;
	poolfile_iter_init(&it);
	while (poolfile_iter_next(pf, &it, &a)) {
		if (n < max)
			out[n] = a;
		n++;
	}
	return n;
}

static void singles(void **state)
{
	(void)state;
	struct poolfile pf;
	/* explicitly listed addresses are used as written, even .0 / .255 */
	parse_ok("# pool\n10.0.0.1\n  10.0.0.2  \r\n\n10.0.0.0\n10.0.0.255\n", 0, &pf);
	assert_int_equal(pf.n, 4);
	assert_false(pf.r[0].is_range);
	assert_int_equal(pf.r[0].prefix, 32);
	assert_int_equal(pf.r[1].line, 3);
	uint32_t a[8];
	assert_int_equal(expand(&pf, a, 8), 4);
	assert_int_equal(a[0], IP(10, 0, 0, 1));
	assert_int_equal(a[1], IP(10, 0, 0, 2));
	assert_int_equal(a[2], IP(10, 0, 0, 0));
	assert_int_equal(a[3], IP(10, 0, 0, 255));
	assert_int_equal(poolfile_count(&pf), 4);
	poolfile_free(&pf);
}

static void ranges_skip_0_and_255(void **state)
{
	(void)state;
	struct poolfile pf;
	parse_ok("192.168.1.0/24\n", 0, &pf);
	assert_true(pf.r[0].is_range);
	uint32_t a[600];
	assert_int_equal(expand(&pf, a, 600), 254);
	assert_int_equal(a[0], IP(192, 168, 1, 1));
	assert_int_equal(a[253], IP(192, 168, 1, 254));
	assert_int_equal(poolfile_count(&pf), 254);
	poolfile_free(&pf);

	/* a /23 loses .0 and .255 of both /24s; host bits are ignored */
	parse_ok("10.0.1.77/23\n", 0, &pf);
	assert_int_equal(pf.r[0].start, IP(10, 0, 0, 0));
	assert_int_equal(pf.r[0].prefix, 23);
	size_t n = expand(&pf, a, 600);
	assert_int_equal(n, 508);
	assert_int_equal(poolfile_count(&pf), 508);
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(a[i] & 0xff, 0);
		assert_int_not_equal(a[i] & 0xff, 255);
		assert_int_equal(a[i] >> 9, IP(10, 0, 0, 0) >> 9);
		if (i)
			assert_true(a[i] > a[i - 1]);
	}
	assert_int_equal(a[253], IP(10, 0, 0, 254));
	assert_int_equal(a[254], IP(10, 0, 1, 1));
	poolfile_free(&pf);

	/* small ranges: only the ends they contain are skipped */
	parse_ok("10.0.0.252/30\n10.0.3.0/31\n10.0.1.128/25\n10.0.2.9/32\n10.0.2.0/32\n", 0, &pf);
	assert_int_equal(poolfile_range_count(&pf.r[0]), 3);
	assert_int_equal(poolfile_range_count(&pf.r[1]), 1);
	assert_int_equal(poolfile_range_count(&pf.r[2]), 127);
	assert_int_equal(poolfile_range_count(&pf.r[3]), 1);
	assert_int_equal(poolfile_range_count(&pf.r[4]), 0);
	assert_true(pf.r[3].is_range); /* written with a prefix: gets a route */
	n = expand(&pf, a, 600);
	assert_int_equal(n, 3 + 1 + 127 + 1);
	assert_int_equal(a[0], IP(10, 0, 0, 252));
	assert_int_equal(a[2], IP(10, 0, 0, 254));
	assert_int_equal(a[3], IP(10, 0, 3, 1));
	assert_int_equal(a[4], IP(10, 0, 1, 128));
	assert_int_equal(a[130], IP(10, 0, 1, 254));
	assert_int_equal(a[131], IP(10, 0, 2, 9));
	poolfile_free(&pf);

	/* the largest accepted: a /8 (counted, not expanded) and a /16 */
	parse_ok("10.0.0.0/8\n172.16.0.0/16\n", 0, &pf);
	assert_true(poolfile_range_count(&pf.r[0]) == 65536ull * 254);
	assert_int_equal(poolfile_range_count(&pf.r[1]), 256 * 254);
	poolfile_free(&pf);
	parse_ok("172.16.0.0/16\n", 0, &pf);
	assert_int_equal(expand(&pf, NULL, 0), 65024);
	poolfile_free(&pf);
}

static void bindaddr_prefix(void **state)
{
	(void)state;
	static const char text[] = "192.0.2.1:10.0.0.1\n"
				   "192.0.2.2:10.0.0.2\n"
				   "10.0.0.3\n"
				   "192.0.2.1:10.1.0.0/30\n";
	struct poolfile pf;
	uint32_t a[8];
	parse_ok(text, IP(192, 0, 2, 1), &pf);
	assert_int_equal(pf.n, 3);
	assert_int_equal(pf.r[0].bindaddr, IP(192, 0, 2, 1));
	assert_int_equal(pf.r[1].bindaddr, 0);
	assert_true(pf.r[2].is_range);
	assert_int_equal(expand(&pf, a, 8), 5);
	assert_int_equal(a[0], IP(10, 0, 0, 1));
	assert_int_equal(a[1], IP(10, 0, 0, 3));
	assert_int_equal(a[2], IP(10, 1, 0, 1));
	assert_int_equal(a[4], IP(10, 1, 0, 3));
	poolfile_free(&pf);

	parse_ok(text, IP(192, 0, 2, 2), &pf);
	assert_int_equal(expand(&pf, a, 8), 2);
	assert_int_equal(a[0], IP(10, 0, 0, 2));
	assert_int_equal(a[1], IP(10, 0, 0, 3));
	poolfile_free(&pf);

	/* no bind_address: only the unrestricted lines */
	parse_ok(text, 0, &pf);
	assert_int_equal(expand(&pf, a, 8), 1);
	assert_int_equal(a[0], IP(10, 0, 0, 3));
	poolfile_free(&pf);
}

static void errors(void **state)
{
	(void)state;
	static const char text[] = "10.0.0.1\n"
				   "10.0.0.0/7\n"
				   "0.0.0.0/0\n"
				   "10.0.0.0/33\n"
				   "10.0.0\n"
				   "x:10.0.0.1\n"
				   "10.0.0.1/\n"
				   "# fine\n"
				   "10.0.0.0/+8\n"
				   "0.0.0.0\n"
				   "192.0.2.9:10.0.0.300\n"
				   "10.0.0.1 10.0.0.2\n";
	struct poolfile pf;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(poolfile_parse(text, sizeof text - 1, "ip_pool", 0, &pf, &e), -EINVAL);
	assert_int_equal(pf.n, 0);
	assert_null(pf.r);
	assert_int_equal(e.count, 10);
	assert_string_equal(e.msg[0], "ip_pool:2: prefix too large (at most a /8)");
	assert_string_equal(e.msg[1], "ip_pool:3: prefix too large (at most a /8)");
	assert_string_equal(e.msg[2], "ip_pool:4: bad prefix length (expected /8 to /32)");
	assert_string_equal(e.msg[3], "ip_pool:5: expected an IPv4 address or network (a.b.c.d or a.b.c.d/nn)");
	assert_string_equal(e.msg[4], "ip_pool:6: bad bind address before ':'");
	assert_string_equal(e.msg[5], "ip_pool:7: bad prefix length (expected /8 to /32)");
	assert_string_equal(e.msg[6], "ip_pool:9: bad prefix length (expected /8 to /32)");
	assert_string_equal(e.msg[7], "ip_pool:10: 0.0.0.0 cannot be a pool address");
	/* a line for another node is checked all the same */
	assert_string_equal(e.msg[8], "ip_pool:11: expected an IPv4 address or network (a.b.c.d or a.b.c.d/nn)");
	assert_string_equal(e.msg[9], "ip_pool:12: expected an IPv4 address or network (a.b.c.d or a.b.c.d/nn)");
}

static void load_default_file(void **state)
{
	(void)state;
	struct poolfile pf;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(poolfile_load("etc/ip_pool.default", 0, &pf, &e), 0);
	assert_int_equal(poolfile_count(&pf), 254);
	poolfile_free(&pf);
	assert_int_equal(poolfile_load("/nonexistent/h6-pool", 0, &pf, &e), -ENOENT);
	assert_int_equal(e.count, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(singles),
		cmocka_unit_test(ranges_skip_0_and_255),
		cmocka_unit_test(bindaddr_prefix),
		cmocka_unit_test(errors),
		cmocka_unit_test(load_default_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
