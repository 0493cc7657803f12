/*
 * The plugin registry (src/core/plugin.c): loading from a directory, the API
 * version check, plugin_init refusing, dlopen failures with dlerror's text,
 * bad names, hook chains in load order with OK/STOP/ERROR, views refreshed
 * before each hook, plugin_done at unload and in reverse order at the end,
 * help lines, no load/unload from inside a hook. Then the bundled plugins
 * (stripdomain, setrxspeed, sessionctl) against fake pluginfuncs.
 *
 * The plugins are the .so files the build puts in BUILD/tests/plugins and
 * BUILD/lib, found from this binary's own path (BUILD/tests/unit/).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "core/plugin.h"

static char tdir[PATH_MAX + 16];	/* BUILD/tests/plugins */
static char ldir[PATH_MAX + 16];	/* BUILD/lib */

/* ---- fakes --------------------------------------------------------------- */

static char events[8192];	/* what plugins logged, "msg;" each */
static char corelog[8192];	/* what the registry logged */
static struct plugin_reg R;
static int reenter_rc = 1;

static void ev_add(const char *s)
{
	size_t n = strlen(events);
	snprintf(events + n, sizeof events - n, "%s;", s);
}

static void f_log(int level, sessionidt s, tunnelidt t, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void f_log(int level, sessionidt s, tunnelidt t, const char *fmt, ...)
{
	char m[512];
	va_list ap;
	(void)level;
	(void)s;
	(void)t;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	ev_add(m);
	if (!strcmp(m, "b:try-load"))
		reenter_rc = plugin_load(&R, tdir, "tp_refuse");
}

static void reg_log(void *ctx, int level, const char *msg)
{
	size_t n = strlen(corelog);
	(void)ctx;
	(void)level;
	snprintf(corelog + n, sizeof corelog - n, "%s\n", msg);
}

/* a session table of three for the bundled plugins */
static struct {
	sessionidt id;
	const char *user;
	uint32_t rx, tx;
	int ended;	/* 1 shutdown, 2 kill */
	char reason[64];
	int result;
} S[3] = {{5, "joe", 0, 0, 0, "", 0}, {7, "ann", 0, 0, 0, "", 0}, {9, "joe", 0, 0, 0, "", 0}};

static int sidx(sessionidt id)
{
	for (int i = 0; i < 3; i++)
		if (S[i].id == id)
			return i;
	return -1;
}

static sessionidt f_by_user(const char *u)
{
	for (int i = 2; i >= 0; i--)	/* newest (highest) first */
		if (!strcmp(S[i].user, u) && !S[i].ended)
			return S[i].id;
	return 0;
}

static int f_by_id(sessionidt id, sessiont *out)
{
	int i = sidx(id);
	if (i < 0)
		return -ENOENT;
	memset(out, 0, sizeof *out);
	out->id = id;
	snprintf(out->user, sizeof out->user, "%s", S[i].user);
	return 0;
}

static int f_shutdown(sessionidt id, const char *reason, int result)
{
	int i = sidx(id);
	if (i < 0)
		return -ENOENT;
	S[i].ended = 1;
	S[i].result = result;
	snprintf(S[i].reason, sizeof S[i].reason, "%s", reason);
	return 0;
}

static int f_kill(sessionidt id, const char *reason)
{
	int i = sidx(id);
	if (i < 0)
		return -ENOENT;
	S[i].ended = 2;
	snprintf(S[i].reason, sizeof S[i].reason, "%s", reason);
	return 0;
}

static int f_speed(sessionidt id, uint32_t rx, uint32_t tx)
{
	int i = sidx(id);
	if (i < 0)
		return -ENOENT;
	S[i].rx = rx;
	S[i].tx = tx;
	return 0;
}

static struct pluginfuncs F = {
	.log = f_log,
	.get_session_by_username = f_by_user,
	.get_session_by_id = f_by_id,
	.sessionshutdown = f_shutdown,
	.sessionkill = f_kill,
	.set_connect_speed = f_speed,
};

static int setup(void **state)
{
	(void)state;
	events[0] = corelog[0] = 0;
	memset(S, 0, sizeof S);
	S[0].id = 5, S[0].user = "joe";
	S[1].id = 7, S[1].user = "ann";
	S[2].id = 9, S[2].user = "joe";
	reenter_rc = 1;
	plugin_reg_init(&R, &F, reg_log, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	plugin_reg_fini(&R);
	return 0;
}

static int pre_auth(char *user, size_t cap, int *cont)
{
	char pass[8] = "pw";
	struct param_pre_auth p = {NULL, NULL, user, pass, PLUGIN_PROTO_PAP, 1, cap, sizeof pass};
	int r = plugin_run(&R, PLUGIN_PRE_AUTH, &p, NULL, NULL);
	if (cont)
		*cont = p.continue_auth;
	return r;
}

static int timer(long t)
{
	struct param_timer p = {(time_t)t};
	return plugin_run(&R, PLUGIN_TIMER, &p, NULL, NULL);
}

static int control(int iam_master, const char *a0, const char *a1, const char *a2,
		   struct param_control *out)
{
	char *argv[4] = {(char *)a0, (char *)a1, (char *)a2, NULL};
	int argc = a2 ? 3 : a1 ? 2 : 1;
	argv[argc] = NULL;
	memset(out, 0, sizeof *out);
	out->iam_master = iam_master;
	out->argc = argc;
	out->argv = argv;
	int r = plugin_run(&R, PLUGIN_CONTROL, out, NULL, NULL);
	out->argv = NULL;
	return r;
}

/* ---- loading ---------------------------------------------------------------- */

static void load_and_names(void **state)
{
	(void)state;
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	assert_string_equal(events, "a:init;");
	assert_non_null(strstr(corelog, "plugin tp_a loaded from "));
	assert_non_null(strstr(corelog, "hooks: pre_auth timer control become_master"));
	assert_int_equal(plugin_load(&R, tdir, "tp_b"), 0);
	assert_int_equal(R.n, 2);
	assert_string_equal(R.m[0].name, "tp_a");
	assert_string_equal(R.m[1].name, "tp_b");
	assert_int_equal(plugin_find(&R, "tp_b"), 1);
	assert_int_equal(plugin_find(&R, "tp_c"), -ENOENT);
	assert_true(plugin_hooked(&R, PLUGIN_TIMER));
	assert_false(plugin_hooked(&R, PLUGIN_KILL_SESSION));
	assert_int_equal(R.nhooks[PLUGIN_PRE_AUTH], 2);
	assert_int_equal(R.nhooks[PLUGIN_BECOME_MASTER], 1);
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), -EEXIST);
	assert_int_equal(R.n, 2);
}

static void bad_names(void **state)
{
	(void)state;
	const char *bad[] = {"", "../tp_a", "a/b", "/etc/passwd", ".hidden", "sp ace", "x;y",
			     "0123456789012345678901234567890123456789012345678901234567890123"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(plugin_load(&R, tdir, bad[i]), -EINVAL);
		assert_false(plugin_valid_name(bad[i]));
	}
	assert_true(plugin_valid_name("garden"));
	assert_true(plugin_valid_name("my_plug-1.2"));
	assert_int_equal(R.n, 0);
	assert_non_null(strstr(corelog, "bad name"));
}

static void failures_logged(void **state)
{
	(void)state;
	assert_int_equal(plugin_load(&R, tdir, "nosuch"), -ENOENT);
	assert_non_null(strstr(corelog, "plugin nosuch: cannot load "));
	assert_non_null(strstr(corelog, "/nosuch.so: No such file or directory"));

	assert_int_equal(plugin_load(&R, tdir, "tp_refuse"), -ECANCELED);
	assert_string_equal(events, "refuse:init;");
	assert_non_null(strstr(corelog, "plugin tp_refuse: plugin_init refused to load"));

	assert_int_equal(plugin_load(&R, tdir, "tp_oldver"), -EPROTO);
	assert_non_null(strstr(corelog, "plugin tp_oldver: plugin_api_version 7, this daemon speaks 100"));

	assert_int_equal(plugin_load(&R, tdir, "tp_nover"), -EPROTO);
	assert_non_null(strstr(corelog, "plugin tp_nover: no plugin_api_version symbol"));

	/* RTLD_NOW: the unresolved symbol is found at load, and dlerror says which */
	assert_int_equal(plugin_load(&R, tdir, "tp_broken"), -ENOEXEC);
	assert_non_null(strstr(corelog, "plugin tp_broken: cannot load "));
	assert_non_null(strstr(corelog, "tp_no_such_function_anywhere"));

	/* none of them is registered nor has its hooks counted */
	assert_int_equal(R.n, 0);
	assert_false(plugin_hooked(&R, PLUGIN_TIMER));
	assert_int_equal(timer(1), PLUGIN_RET_OK);
	assert_string_equal(plugin_strerror(-EPROTO), "wrong plugin_api_version");
}

/* ---- chains ------------------------------------------------------------------ */

static void chain_in_load_order(void **state)
{
	(void)state;
	char user[32] = "chain";
	int cont;
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	assert_int_equal(plugin_load(&R, tdir, "tp_b"), 0);
	assert_int_equal(pre_auth(user, sizeof user, &cont), PLUGIN_RET_OK);
	assert_string_equal(user, "chain+a+b");
	assert_int_equal(cont, 1);
	/* reload a: it now comes after b */
	assert_int_equal(plugin_unload(&R, "tp_a"), 0);
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	snprintf(user, sizeof user, "chain");
	pre_auth(user, sizeof user, &cont);
	assert_string_equal(user, "chain+b+a");
	/* the capacity given is respected */
	char small[8] = "chain";
	pre_auth(small, sizeof small, &cont);
	assert_string_equal(small, "chain+b");
	snprintf(user, sizeof user, "abandon");
	pre_auth(user, sizeof user, &cont);
	assert_int_equal(cont, 0);
}

static void chain_stops(void **state)
{
	(void)state;
	assert_int_equal(plugin_load(&R, tdir, "tp_b"), 0);
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	events[0] = 0;
	assert_int_equal(timer(1), PLUGIN_RET_OK);
	assert_string_equal(events, "b:timer 1;a:timer 1;");
	events[0] = 0;
	assert_int_equal(timer(2), PLUGIN_RET_STOP);
	assert_string_equal(events, "b:timer 2;");
	events[0] = 0;
	assert_int_equal(timer(3), PLUGIN_RET_ERROR);
	assert_string_equal(events, "b:timer 3;");
	/* an event nobody hooks: OK, nothing runs */
	struct param_kill_session k = {NULL, NULL};
	events[0] = 0;
	assert_int_equal(plugin_run(&R, PLUGIN_KILL_SESSION, &k, NULL, NULL), PLUGIN_RET_OK);
	assert_string_equal(events, "");
	/* BECOME_MASTER: a hook without parameter */
	assert_int_equal(plugin_run(&R, PLUGIN_BECOME_MASTER, NULL, NULL, NULL), PLUGIN_RET_OK);
	assert_string_equal(events, "a:master;");
	assert_int_equal(plugin_run(&R, 0, NULL, NULL, NULL), PLUGIN_RET_OK);
	assert_int_equal(plugin_run(&R, PLUGIN_EVENT_MAX + 1, NULL, NULL, NULL), PLUGIN_RET_OK);
}

static int refreshes;
static void count_refresh(void *ctx)
{
	assert_ptr_equal(ctx, &refreshes);
	refreshes++;
}

static void refresh_before_each_hook(void **state)
{
	(void)state;
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	assert_int_equal(plugin_load(&R, tdir, "tp_b"), 0);
	struct param_timer p = {1};
	refreshes = 0;
	plugin_run(&R, PLUGIN_TIMER, &p, count_refresh, &refreshes);
	assert_int_equal(refreshes, 2);
	refreshes = 0;
	p.time_now = 2;	/* b (second) stops: still both ran */
	plugin_run(&R, PLUGIN_TIMER, &p, count_refresh, &refreshes);
	assert_int_equal(refreshes, 2);
	refreshes = 0;
	plugin_run(&R, PLUGIN_KILL_SESSION, &p, count_refresh, &refreshes);
	assert_int_equal(refreshes, 0);
}

static void done_and_order(void **state)
{
	(void)state;
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	assert_int_equal(plugin_load(&R, tdir, "tp_b"), 0);
	events[0] = 0;
	assert_int_equal(plugin_unload(&R, "tp_a"), 0);
	assert_string_equal(events, "a:done;");
	assert_non_null(strstr(corelog, "plugin tp_a unloaded"));
	assert_int_equal(plugin_unload(&R, "tp_a"), -ENOENT);
	assert_int_equal(R.n, 1);
	assert_int_equal(R.nhooks[PLUGIN_BECOME_MASTER], 0);
	assert_int_equal(R.nhooks[PLUGIN_TIMER], 1);
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	events[0] = 0;
	plugin_reg_fini(&R);	/* last loaded first */
	assert_string_equal(events, "a:done;b:done;");
	assert_int_equal(R.n, 0);
	assert_false(plugin_hooked(&R, PLUGIN_TIMER));
}

static void help_and_control(void **state)
{
	(void)state;
	const char *const *lines;
	struct param_control c;
	assert_int_equal(plugin_load(&R, tdir, "tp_a"), 0);
	assert_int_equal(plugin_load(&R, tdir, "tp_b"), 0);
	assert_int_equal(plugin_help(&R, 0, &lines), 0);
	assert_string_equal(lines[0], "  a                 the a command");
	assert_null(lines[1]);
	assert_int_equal(plugin_help(&R, 1, &lines), 0);
	assert_string_equal(lines[1], "  b2                line two of b");
	assert_int_equal(plugin_help(&R, 2, &lines), -ENOENT);

	assert_int_equal(control(1, "a", NULL, NULL, &c), PLUGIN_RET_STOP);
	assert_int_equal(c.response, NSCTL_RES_OK);
	assert_string_equal(c.additional, "from a");
	assert_int_equal(control(1, "nobody", "x", NULL, &c), PLUGIN_RET_OK);
	assert_int_equal(c.response, 0);

	/* from inside a hook the registry cannot change */
	assert_int_equal(control(1, "reenter", NULL, NULL, &c), PLUGIN_RET_STOP);
	assert_int_equal(reenter_rc, -EBUSY);
	assert_int_equal(R.n, 2);
	assert_int_equal(R.running, 0);
	assert_null(R.current);
}

/* ---- bundled plugins ------------------------------------------------------------ */

static void stripdomain(void **state)
{
	(void)state;
	char user[32] = "joe@isp.example";
	int cont;
	assert_int_equal(plugin_load(&R, ldir, "stripdomain"), 0);
	assert_int_equal(pre_auth(user, sizeof user, &cont), PLUGIN_RET_OK);
	assert_string_equal(user, "joe");
	assert_int_equal(cont, 1);
	snprintf(user, sizeof user, "a@b@c");
	pre_auth(user, sizeof user, &cont);
	assert_string_equal(user, "a");
	snprintf(user, sizeof user, "plain");
	pre_auth(user, sizeof user, &cont);
	assert_string_equal(user, "plain");
}

static int post_auth(sessionidt id, uint32_t rx, uint32_t tx, short allowed)
{
	sessiont s;
	memset(&s, 0, sizeof s);
	s.id = id;
	s.rx_connect_speed = rx;
	s.tx_connect_speed = tx;
	char u[] = "joe";
	struct param_post_auth p = {NULL, &s, u, allowed, PLUGIN_PROTO_PAP};
	return plugin_run(&R, PLUGIN_POST_AUTH, &p, NULL, NULL);
}

static void setrxspeed(void **state)
{
	(void)state;
	assert_int_equal(plugin_load(&R, ldir, "setrxspeed"), 0);
	static const uint32_t tx[] = {256, 512, 1500};
	static const uint32_t rx[] = {64, 128, 256};
	for (int i = 0; i < 3; i++) {
		S[0].rx = S[0].tx = 0;
		assert_int_equal(post_auth(5, 0, tx[i], 1), PLUGIN_RET_OK);
		assert_int_equal(S[0].rx, rx[i]);
		assert_int_equal(S[0].tx, tx[i]);
	}
	S[0].rx = S[0].tx = 0;
	post_auth(5, 0, 1000, 1);	/* other speeds: untouched */
	post_auth(5, 99, 256, 1);	/* rx already known: untouched */
	post_auth(5, 0, 256, 0);	/* rejected: untouched */
	assert_int_equal(S[0].rx, 0);
	assert_int_equal(S[0].tx, 0);
}

static void sessionctl(void **state)
{
	(void)state;
	struct param_control c;
	const char *const *lines;
	assert_int_equal(plugin_load(&R, ldir, "sessionctl"), 0);
	assert_int_equal(plugin_help(&R, 0, &lines), 0);
	assert_non_null(strstr(lines[0], "drop USER|SID [REASON]"));
	assert_non_null(strstr(lines[1], "kill USER|SID [REASON]"));

	/* a user name: the newest session of that user */
	assert_int_equal(control(1, "drop", "joe", NULL, &c), PLUGIN_RET_STOP);
	assert_int_equal(c.response, NSCTL_RES_OK);
	assert_int_equal(S[2].ended, 1);
	assert_int_equal(S[2].result, PLUGIN_CDN_ADMIN);
	assert_string_equal(S[2].reason, "Requested by administrator");
	assert_int_equal(S[0].ended, 0);
	/* a SID, with a reason */
	assert_int_equal(control(1, "kill", "7", "bye now", &c), PLUGIN_RET_STOP);
	assert_int_equal(c.response, NSCTL_RES_OK);
	assert_int_equal(S[1].ended, 2);
	assert_string_equal(S[1].reason, "bye now");
	assert_string_equal(c.additional, "killed session 7");
	/* unknown session / user */
	assert_int_equal(control(1, "drop", "nobody", NULL, &c), PLUGIN_RET_STOP);
	assert_int_equal(c.response, NSCTL_RES_ERR);
	assert_string_equal(c.additional, "no session for nobody");
	assert_int_equal(control(1, "drop", "42", NULL, &c), PLUGIN_RET_STOP);
	assert_int_equal(c.response, NSCTL_RES_ERR);
	/* usage */
	assert_int_equal(control(1, "drop", NULL, NULL, &c), PLUGIN_RET_STOP);
	assert_int_equal(c.response, NSCTL_RES_ERR);
	assert_non_null(strstr(c.additional, "USER|SID"));
	/* a slave refuses; another command is not its business */
	assert_int_equal(control(0, "drop", "joe", NULL, &c), PLUGIN_RET_NOTMASTER);
	assert_int_equal(S[0].ended, 0);
	assert_int_equal(control(1, "garden", "joe", NULL, &c), PLUGIN_RET_OK);
	assert_int_equal(c.response, 0);
}

static void find_dirs(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	assert_true(n > 0);
	exe[n] = 0;
	char *s = strrchr(exe, '/');	/* BUILD/tests/unit/test_plugin */
	*s = 0;
	s = strrchr(exe, '/');		/* BUILD/tests/unit */
	*s = 0;
	snprintf(tdir, sizeof tdir, "%s/plugins", exe);
	s = strrchr(exe, '/');		/* BUILD/tests */
	*s = 0;
	snprintf(ldir, sizeof ldir, "%s/lib", exe);
}

int main(void)
{
	find_dirs();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(load_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(failures_logged, setup, teardown),
		cmocka_unit_test_setup_teardown(chain_in_load_order, setup, teardown),
		cmocka_unit_test_setup_teardown(chain_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(refresh_before_each_hook, setup, teardown),
		cmocka_unit_test_setup_teardown(done_and_order, setup, teardown),
		cmocka_unit_test_setup_teardown(help_and_control, setup, teardown),
		cmocka_unit_test_setup_teardown(stripdomain, setup, teardown),
		cmocka_unit_test_setup_teardown(setrxspeed, setup, teardown),
		cmocka_unit_test_setup_teardown(sessionctl, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
