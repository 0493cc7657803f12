/* Address pool: stickiness, least-recently-used reuse, static takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>

#include "core/pool.h"

#define A(x) (0x0a000000u + (x))

static void setup_pool(struct pool *p, int n)
{
	assert_int_equal(pool_init(p, (uint32_t)n), 0);
	for (int i = 1; i <= n; i++)
		assert_int_equal(pool_add(p, A(i)), 0);
}

static void hands_out_in_order_then_exhausts(void **state)
{
	(void)state;
	struct pool p;
	setup_pool(&p, 3);
	assert_int_equal(pool_add(&p, A(1)), -EEXIST);
	assert_int_equal(pool_add(&p, A(9)), -ENOSPC);
	assert_int_equal(p.e[pool_alloc(&p, "a", 1)].addr, A(1));
	assert_int_equal(p.e[pool_alloc(&p, "b", 2)].addr, A(2));
	assert_int_equal(p.e[pool_alloc(&p, "c", 3)].addr, A(3));
	assert_int_equal(pool_alloc(&p, "d", 4), -ENOSPC);
	pool_free(&p);
}

static void returning_user_gets_same_address(void **state)
{
	(void)state;
	struct pool p;
	setup_pool(&p, 4);
	int ia = pool_alloc(&p, "alice", 1);
	int ib = pool_alloc(&p, "bob", 2);
	assert_int_equal(pool_release(&p, (uint32_t)ia, 100), 0);
	assert_int_equal(pool_release(&p, (uint32_t)ib, 101), 0);
	/* carol gets a never-used address, not alice's or bob's */
	int ic = pool_alloc(&p, "carol", 3);
	assert_int_equal(p.e[ic].addr, A(3));
	/* bob comes back first and still gets his own */
	assert_int_equal(pool_alloc(&p, "bob", 4), ib);
	assert_int_equal(pool_alloc(&p, "alice", 5), ia);
	assert_string_equal(p.e[ia].user, "alice");
	assert_int_equal(p.e[ia].last_used, 100);
	pool_free(&p);
}

static void oldest_freed_reused_first(void **state)
{
	(void)state;
	struct pool p;
	setup_pool(&p, 3);
	int i1 = pool_alloc(&p, "u1", 1), i2 = pool_alloc(&p, "u2", 2), i3 = pool_alloc(&p, "u3", 3);
	pool_release(&p, (uint32_t)i2, 10);
	pool_release(&p, (uint32_t)i3, 11);
	pool_release(&p, (uint32_t)i1, 12);
	/* strangers take the least recently freed: u2's, then u3's */
	assert_int_equal(pool_alloc(&p, "x", 4), i2);
	assert_int_equal(pool_alloc(&p, "y", 5), i3);
	/* u2's memory is now x's; u2 gets whatever is left */
	assert_string_equal(p.e[i2].user, "x");
	assert_int_equal(pool_alloc(&p, "u2", 6), i1);
	pool_free(&p);
}

static void take_specific(void **state)
{
	(void)state;
	struct pool p;
	setup_pool(&p, 3);
	assert_int_equal(pool_take(&p, A(2), "s", 1), 1);
	assert_int_equal(pool_take(&p, A(2), "t", 2), -EBUSY);
	assert_int_equal(pool_take(&p, A(7), "t", 2), -ENOENT);
	assert_int_equal(pool_alloc(&p, "t", 2), 0);
	assert_int_equal(pool_alloc(&p, "u", 3), 2);
	assert_int_equal(pool_release(&p, 1, 5), 0);
	assert_int_equal(pool_release(&p, 1, 5), -EINVAL); /* double free refused */
	assert_int_equal(p.nfree, 1);
	pool_free(&p);
}

/* Many users, many logins: the free count and the memory stay coherent. */
static void churn(void **state)
{
	(void)state;
	enum { N = 1000 };
	struct pool p;
	setup_pool(&p, N);
	static int held[N];
	char user[32];
	for (int i = 0; i < N; i++)
		held[i] = -1;
	for (int round = 0; round < 50; round++) {
		for (int u = 0; u < N; u += 1 + round % 3) {
			snprintf(user, sizeof user, "user%d", u);
			if (held[u] >= 0) {
				assert_int_equal(pool_release(&p, (uint32_t)held[u], (uint32_t)round + 1), 0);
				held[u] = -1;
			} else {
				held[u] = pool_alloc(&p, user, (uint32_t)u);
				assert_true(held[u] >= 0);
				assert_int_equal(p.e[held[u]].session, (uint32_t)u);
			}
		}
	}
	uint32_t used = 0;
	for (int u = 0; u < N; u++)
		used += held[u] >= 0;
	assert_int_equal(p.nfree + used, N);
	/* with the pool never exhausted, everybody always got their first address back */
	for (int u = 0; u < N; u++)
		if (held[u] >= 0)
			assert_int_equal(p.e[held[u]].addr, A(u + 1));
	pool_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hands_out_in_order_then_exhausts),
		cmocka_unit_test(returning_user_gets_same_address),
		cmocka_unit_test(oldest_freed_reused_first),
		cmocka_unit_test(take_specific),
		cmocka_unit_test(churn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
