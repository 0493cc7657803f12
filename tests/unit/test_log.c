/* Logging: level filter, ring for the CLI, reopen after rotation, bad destinations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void filters_by_level_and_keeps_ring(void **state)
{
	(void)state;
	static struct logger lg;
	char path[] = "/tmp/l2tpns-logtest-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(log_open(&lg, path, LOG_WARN), 0);
	log_msg(&lg, LOG_ERR, "tid=%d sid=%d user=%s failed", 3, 17, "joe");
	log_msg(&lg, LOG_INFO, "not written at level 2");
	char *s = slurp(path);
	assert_non_null(s);
	assert_non_null(strstr(s, " 1 tid=3 sid=17 user=joe failed\n"));
	assert_null(strstr(s, "not written"));
	/* both are in the ring, with their levels, in order */
	assert_int_equal(lg.seq, 2);
	assert_string_equal(lg.ring[1].text, "not written at level 2");
	assert_int_equal(lg.ring[1].level, LOG_INFO);

	/* rotation: the file is renamed away, reopen writes a new one */
	char rotated[64];
	snprintf(rotated, sizeof rotated, "%s.1", path);
	assert_int_equal(rename(path, rotated), 0);
	assert_int_equal(log_reopen(&lg), 0);
	log_msg(&lg, LOG_CRIT, "after rotation");
	s = slurp(path);
	assert_non_null(s);
	assert_non_null(strstr(s, "after rotation"));
	assert_null(strstr(s, "tid=3"));

	/* a bad destination is refused and the current one stays */
	assert_int_equal(log_open(&lg, "syslog:nosuchfacility", 5), -EINVAL);
	assert_int_equal(log_open(&lg, "/nonexistent-dir/x.log", 5), -ENOENT);
	log_msg(&lg, LOG_CRIT, "still here");
	s = slurp(path);
	assert_non_null(strstr(s, "still here"));
	log_close(&lg);
	unlink(path);
	unlink(rotated);
}

static void ring_wraps(void **state)
{
	(void)state;
	static struct logger lg;
	lg.level = -1; /* nothing to stderr */
	for (int i = 0; i < LOG_RING + 5; i++)
		log_msg(&lg, LOG_DATA, "m%d", i);
	assert_string_equal(lg.ring[4].text, "m1028");
	assert_string_equal(lg.ring[5].text, "m5");
	assert_string_equal(log_level_name(LOG_CALL), "calls");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(filters_by_level_and_keeps_ring),
		cmocka_unit_test(ring_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
