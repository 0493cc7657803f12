/* IPv4 -> session map: correctness under churn, compared with a plain array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/iphash.h"

static void basic(void **state)
{
	(void)state;
	struct iphash h;
	uint32_t v = 0;
	assert_int_equal(iphash_init(&h, 4), 0);
	assert_int_equal(iphash_get(&h, 0x0a000001, &v), -ENOENT);
	assert_int_equal(iphash_put(&h, 0x0a000001, 7), 0);
	assert_int_equal(iphash_get(&h, 0x0a000001, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(iphash_put(&h, 0x0a000001, 9), 0); /* replace */
	assert_int_equal(iphash_get(&h, 0x0a000001, &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(h.count, 1);
	assert_int_equal(iphash_put(&h, 0, 1), -EINVAL);
	assert_int_equal(iphash_del(&h, 0x0a000001), 0);
	assert_int_equal(iphash_del(&h, 0x0a000001), -ENOENT);
	assert_int_equal(iphash_get(&h, 0x0a000001, &v), -ENOENT);
	iphash_free(&h);
}

static void full_table_refuses(void **state)
{
	(void)state;
	struct iphash h;
	assert_int_equal(iphash_init(&h, 8), 0); /* 16 slots, half usable */
	uint32_t cap = (h.mask + 1) / 2, i;
	for (i = 1; i <= cap; i++)
		assert_int_equal(iphash_put(&h, i, i), 0);
	assert_int_equal(iphash_put(&h, i, i), -ENOSPC);
	iphash_free(&h);
}

/* Random inserts and deletes over a small key space (many collisions and
 * wrap-around probe runs), checked against a reference array after every op. */
static void churn_matches_reference(void **state)
{
	(void)state;
	enum { KEYS = 3000, OPS = 200000 };
	static uint32_t ref[KEYS + 1]; /* 0 = absent, else value+1 */
	struct iphash h;
	memset(ref, 0, sizeof ref);
	assert_int_equal(iphash_init(&h, KEYS), 0);
	srand(12345);
	for (int op = 0; op < OPS; op++) {
		uint32_t k = 1 + (uint32_t)rand() % KEYS, v;
		if (rand() & 1) {
			v = (uint32_t)rand();
			assert_int_equal(iphash_put(&h, k, v), 0);
			ref[k] = v + 1;
		} else {
			int r = iphash_del(&h, k);
			assert_int_equal(r, ref[k] ? 0 : -ENOENT);
			ref[k] = 0;
		}
		if (op % 1000 == 0) {
			uint32_t n = 0;
			for (uint32_t q = 1; q <= KEYS; q++) {
				int r = iphash_get(&h, q, &v);
				if (ref[q]) {
					assert_int_equal(r, 0);
					assert_int_equal(v, ref[q] - 1);
					n++;
				} else {
					assert_int_equal(r, -ENOENT);
				}
			}
			assert_int_equal(n, h.count);
		}
	}
	iphash_free(&h);
}

static void million(void **state)
{
	(void)state;
	struct iphash h;
	uint32_t v;
	assert_int_equal(iphash_init(&h, 1000000), 0);
	for (uint32_t i = 0; i < 1000000; i++)
		assert_int_equal(iphash_put(&h, 0x64400000u + i, i), 0);
	for (uint32_t i = 0; i < 1000000; i += 7) {
		assert_int_equal(iphash_get(&h, 0x64400000u + i, &v), 0);
		assert_int_equal(v, i);
	}
	assert_int_equal(iphash_get(&h, 0x64400000u + 1000000, &v), -ENOENT);
	iphash_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(basic),
		cmocka_unit_test(full_table_refuses),
		cmocka_unit_test(churn_matches_reference),
		cmocka_unit_test(million),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
