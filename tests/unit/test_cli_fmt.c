/* CLI formatting helpers: the `show session` header and rows against the
 * reference's printf formats (§3.2; expected strings produced with Python's
 * % operator from those formats), tunnel state names, uptime durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "core/cli.h"
#include "core/lns.h"

static void session_header(void **st)
{
	(void)st;
	char b[256];
	const char *want = "  SID  TID Username                         IP              I T G 6"
			   "     opened downloaded   uploaded idle LAC             CLI";
	assert_int_equal(cli_fmt_session_header(b, sizeof b), 125);
	assert_string_equal(b, want);
}

static void session_row(void **st)
{
	(void)st;
	char b[256];
	struct cli_sess_row r = {.sid = 17, .tid = 4242, .user = "joe@isp", .ip = "100.64.0.9",
				 .ipv6 = true, .opened = 3600, .down = 123456789012ull, .up = 42,
				 .idle = 7, .lac = "10.0.0.1", .cli = "0123456"};
	const char *want = "   17 4242 joe@isp                          100.64.0.9      N N N Y"
			   "       3600 123456789012         42    7 10.0.0.1        0123456";
	assert_int_equal(cli_fmt_session_row(b, sizeof b, &r), 131);
	assert_string_equal(b, want);
	/* no user, no address, no calling number: "*", "", "*" */
	struct cli_sess_row e = {.sid = 1, .tid = 1, .user = "", .ip = "", .lac = "10.0.0.1"};
	assert_int_equal(cli_fmt_session_row(b, sizeof b, &e), 123);
	assert_string_equal(b, "    1    1 *                                                N N N N"
			       "          0          0          0    0 10.0.0.1        *");
	/* truncation reports the full length, like snprintf */
	assert_int_equal(cli_fmt_session_row(b, 10, &r), 131);
	assert_int_equal(strlen(b), 9);
}

static void tunnel_states(void **st)
{
	(void)st;
	assert_string_equal(cli_tunnel_state_name(TUN_FREE), "Free");
	assert_string_equal(cli_tunnel_state_name(TUN_OPENING), "Opening");
	assert_string_equal(cli_tunnel_state_name(TUN_OPEN), "Open");
	assert_string_equal(cli_tunnel_state_name(TUN_CLOSING), "Closing");
	assert_string_equal(cli_tunnel_state_name(99), "?");
}

static void durations(void **st)
{
	(void)st;
	char b[64];
	static const struct {
		uint64_t s;
		const char *want;
	} v[] = {
		{0, "0 secs"},		{1, "1 sec"},		{59, "59 secs"},
		{60, "1 min"},		{119, "1 min"},		{3599, "59 mins"},
		{3600, " 1:00"},	{86399, "23:59"},	{86400, "1 day,  0:00"},
		{86400 + 61, "1 day,  0:01"},	{2 * 86400 + 3 * 3600 + 4 * 60, "2 days,  3:04"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int n = cli_fmt_duration(v[i].s, b, sizeof b);
		assert_string_equal(b, v[i].want);
		assert_int_equal(n, (int)strlen(v[i].want));
	}
	/* too small a buffer: truncated, never overrun */
	char s[4] = "xxx";
	cli_fmt_duration(86400 * 5, s, sizeof s);
	assert_int_equal(strlen(s), 3);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(session_header),
		cmocka_unit_test(session_row),
		cmocka_unit_test(tunnel_states),
		cmocka_unit_test(durations),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
