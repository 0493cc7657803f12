/*
 * nsctl server side (src/core/control.c) against a fake daemon, and the nsctl
 * binary against a loopback server built on control.c.
 *
 * The fake daemon records what the callbacks were given and answers what a
 * test tells it to. Requests are built with the codec; expected responses are
 * written out as bytes where the texts are the original's (reference §7.3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/control.h"

#define NOW 1800000000ull

struct fake {
	/* load/unload */
	char loaded[8][64];
	int nloaded;
	int load_calls, unload_calls;
	/* help */
	const char *const *help[4];
	int nhelp;
	/* control */
	int rc, response;
	const char *additional;
	bool master;
	const char *master_addr;
	int calls, iam_master, argc;
	char argv[8][256];
	bool argv_null_terminated;
};

static struct fake F;
static struct control_ctx C;
static struct nsctl_msg R;
static uint8_t OUT[NSCTL_MAX_PKT];

static int f_load(void *arg, const char *name)
{
	struct fake *f = arg;
	f->load_calls++;
	if (!strcmp(name, "broken"))
		return -1;
	for (int i = 0; i < f->nloaded; i++)
		if (!strcmp(f->loaded[i], name))
			return 0;
	snprintf(f->loaded[f->nloaded++], 64, "%s", name);
	return 1;
}

static int f_unload(void *arg, const char *name)
{
	struct fake *f = arg;
	f->unload_calls++;
	for (int i = 0; i < f->nloaded; i++)
		if (!strcmp(f->loaded[i], name)) {
			f->loaded[i][0] = '\0';
			return 1;
		}
	return strcmp(name, "garden") ? -1 : 0; /* garden exists but is not loaded */
}

static int f_help(void *arg, size_t i, const char *const **lines)
{
	struct fake *f = arg;
	if (i >= (size_t)f->nhelp)
		return -1;
	*lines = f->help[i];
	return 0;
}

static int f_control(void *arg, struct control_call *c)
{
	struct fake *f = arg;
	f->calls++;
	f->iam_master = c->iam_master;
	f->argc = c->argc;
	for (int i = 0; i < c->argc && i < 8; i++)
		snprintf(f->argv[i], sizeof(f->argv[i]), "%s", c->argv[i]);
	f->argv_null_terminated = c->argv[c->argc] == NULL;
	c->response = f->response;
	c->additional = f->additional;
	return f->rc;
}

static bool f_master(void *arg, char *m, size_t cap)
{
	struct fake *f = arg;
	snprintf(m, cap, "%s", f->master_addr ? f->master_addr : "");
	return f->master;
}

static const struct control_ops OPS = {
	.arg = &F,
	.load_plugin = f_load,
	.unload_plugin = f_unload,
	.plugin_help = f_help,
	.plugin_control = f_control,
	.is_master = f_master,
};

static struct sockaddr_storage SA;
static socklen_t SALEN;

static const struct sockaddr *v4(const char *ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(40000) };
	assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	memset(&SA, 0, sizeof(SA));
	memcpy(&SA, &a, sizeof(a));
	SALEN = sizeof(a);
	return (const struct sockaddr *)&SA;
}

static const struct sockaddr *v6(const char *ip)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(40000) };
	assert_int_equal(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	memset(&SA, 0, sizeof(SA));
	memcpy(&SA, &a, sizeof(a));
	SALEN = sizeof(a);
	return (const struct sockaddr *)&SA;
}

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	F.master = true;
	F.rc = CONTROL_PLUGIN_RET_STOP;
	F.response = NSCTL_RES_OK;
	assert_int_equal(control_init(&C, NULL, &OPS), 0);
	return 0;
}

/* Send words as a request of type t from addr; returns the response length. */
static int ask_from(const struct sockaddr *from, uint8_t t, size_t argc, const char *const *argv)
{
	uint8_t req[NSCTL_MAX_PKT];
	int n = nsctl_pack_str(req, sizeof(req), t, argc, argv);
	assert_true(n > 0);
	int r = control_handle(&C, req, (size_t)n, from, SALEN, NOW, OUT, sizeof(OUT));
	if (r > 0)
		assert_true(nsctl_unpack(&R, OUT, (size_t)r) >= 0);
	return r;
}

static int ask(uint8_t t, size_t argc, const char *const *argv)
{
	return ask_from(v4("127.0.0.1"), t, argc, argv);
}

/* The response is type t with exactly the given single text (or none). */
static void answer_is(int r, uint8_t t, const char *text)
{
	uint8_t want[300];
	const char *a[] = { text };
	int n = nsctl_pack_str(want, sizeof(want), t, text ? 1 : 0, a);
	assert_int_equal(r, n);
	assert_memory_equal(OUT, want, (size_t)n);
}

static void error_text_bytes(void **state)
{
	(void)state;
	/* One response checked fully by hand, the rest through the codec that
	 * test_nsctl checks byte by byte. */
	const char *a[] = { "x", "y" };
	int r = ask(NSCTL_REQ_LOAD, 2, a);
	static const uint8_t want[] = { 0x90, 0x13, 0x22, 0x01, 23, 'n', 'a', 'm', 'e', ' ', 'o', 'f',
					' ', 'p', 'l', 'u', 'g', 'i', 'n', ' ', 'r', 'e', 'q', 'u', 'i',
					'r', 'e', 'd', 0xff };
	assert_int_equal(r, sizeof(want));
	assert_memory_equal(OUT, want, sizeof(want));
	assert_int_equal(F.load_calls, 0);
	assert_int_equal(C.stats.tx_err, 1);
}

static void load_plugin(void **state)
{
	(void)state;
	const char *g[] = { "garden" }, *b[] = { "broken" };
	answer_is(ask(NSCTL_REQ_LOAD, 0, NULL), NSCTL_RES_ERR, "name of plugin required");
	answer_is(ask(NSCTL_REQ_LOAD, 1, g), NSCTL_RES_OK, NULL);
	assert_string_equal(F.loaded[0], "garden");
	answer_is(ask(NSCTL_REQ_LOAD, 1, g), NSCTL_RES_ERR, "plugin already loaded");
	answer_is(ask(NSCTL_REQ_LOAD, 1, b), NSCTL_RES_ERR, "error loading plugin");
	assert_int_equal(F.load_calls, 3);
	/* a path never reaches the loader */
	const char *bad[] = { "../../tmp/evil" }, *dot[] = { ".hidden" }, *empty[] = { "" };
	answer_is(ask(NSCTL_REQ_LOAD, 1, bad), NSCTL_RES_ERR, "error loading plugin");
	answer_is(ask(NSCTL_REQ_LOAD, 1, dot), NSCTL_RES_ERR, "error loading plugin");
	answer_is(ask(NSCTL_REQ_LOAD, 1, empty), NSCTL_RES_ERR, "error loading plugin");
	assert_int_equal(F.load_calls, 3);
	assert_int_equal(C.stats.tx_ok, 1);
	assert_int_equal(C.stats.tx_err, 6);
}

static void unload_plugin(void **state)
{
	(void)state;
	const char *s[] = { "sessionctl" }, *g[] = { "garden" }, *n[] = { "nosuch" };
	answer_is(ask(NSCTL_REQ_UNLOAD, 0, NULL), NSCTL_RES_ERR, "name of plugin required");
	answer_is(ask(NSCTL_REQ_LOAD, 1, s), NSCTL_RES_OK, NULL);
	answer_is(ask(NSCTL_REQ_UNLOAD, 1, s), NSCTL_RES_OK, NULL);
	answer_is(ask(NSCTL_REQ_UNLOAD, 1, g), NSCTL_RES_ERR, "plugin not loaded");
	answer_is(ask(NSCTL_REQ_UNLOAD, 1, n), NSCTL_RES_ERR, "plugin not found");
	const char *p[] = { "a/b" };
	answer_is(ask(NSCTL_REQ_UNLOAD, 1, p), NSCTL_RES_ERR, "plugin not found");
	assert_int_equal(F.unload_calls, 3);
}

static const char *const HELP_A[] = { "drop USER|SID [REASON]   Shutdown user session",
				      "kill USER|SID [REASON]   Kill user session", NULL };
static const char *const HELP_B[] = { "snoop USER|SID IP PORT   Intercept user traffic", NULL };

static void help_lines(void **state)
{
	(void)state;
	F.help[0] = HELP_A;
	F.help[1] = NULL; /* a plugin without help */
	F.help[2] = HELP_B;
	F.nhelp = 3;
	int r = ask(NSCTL_REQ_HELP, 0, NULL);
	assert_true(r > 0);
	assert_int_equal(R.type, NSCTL_RES_OK);
	assert_int_equal(R.argc, 3);
	assert_int_equal(R.argv[0].len, strlen(HELP_A[0]));
	assert_memory_equal(R.argv[0].p, HELP_A[0], strlen(HELP_A[0]));
	assert_memory_equal(R.argv[1].p, HELP_A[1], strlen(HELP_A[1]));
	assert_memory_equal(R.argv[2].p, HELP_B[0], strlen(HELP_B[0]));
	/* control_format_help builds the same packet */
	uint8_t h[NSCTL_MAX_PKT];
	assert_int_equal(control_format_help(&OPS, h, sizeof(h)), r);
	assert_memory_equal(h, OUT, (size_t)r);
	/* no plugins: OK with no lines */
	F.nhelp = 0;
	answer_is(ask(NSCTL_REQ_HELP, 0, NULL), NSCTL_RES_OK, NULL);
}

static void help_truncated_and_split(void **state)
{
	(void)state;
	static char longline[600];
	static const char *many[400];
	memset(longline, 'L', 599);
	/* 599 bytes: split into 255 + 255 + 89, nothing lost */
	static const char *one[2];
	one[0] = longline;
	F.help[0] = one;
	F.nhelp = 1;
	int r = ask(NSCTL_REQ_HELP, 0, NULL);
	assert_int_equal(R.argc, 3);
	assert_int_equal(R.argv[0].len, 255);
	assert_int_equal(R.argv[1].len, 255);
	assert_int_equal(R.argv[2].len, 89);
	assert_int_equal(r, 4 + 256 + 256 + 90 + 1);

	/* 400 lines do not fit 255 arguments: marker last, within 4096 */
	for (int i = 0; i < 399; i++)
		many[i] = "help line";
	many[399] = NULL;
	F.help[0] = many;
	r = ask(NSCTL_REQ_HELP, 0, NULL);
	assert_true(r > 0 && r <= NSCTL_MAX_PKT);
	assert_int_equal(R.argc, 255);
	assert_int_equal(R.argv[254].len, strlen("(help truncated)"));
	assert_memory_equal(R.argv[254].p, "(help truncated)", 16);
	assert_memory_equal(R.argv[253].p, "help line", 9);

	/* 40 lines of 200 bytes do not fit 4096 bytes */
	static char l200[201];
	memset(l200, 'h', 200);
	for (int i = 0; i < 40; i++)
		many[i] = l200;
	many[40] = NULL;
	r = ask(NSCTL_REQ_HELP, 0, NULL);
	assert_true(r <= NSCTL_MAX_PKT);
	/* 20 lines take 5 + 20*201 = 4025; a 21st would leave no room for the
	 * 17-byte marker (4025 + 201 + 17 > 4096) */
	assert_int_equal(R.argc, 21);
	assert_memory_equal(R.argv[20].p, "(help truncated)", 16);
	assert_int_equal(r, 5 + 20 * 201 + 17);
	/* format_help honours a smaller limit */
	uint8_t h[NSCTL_MAX_PKT];
	int n = control_format_help(&OPS, h, 1000);
	assert_true(n > 0 && n <= 1000);
	assert_int_equal(nsctl_unpack(&R, h, (size_t)n), 5); /* 5 + 4*201 + 218 > 1000 */
	assert_memory_equal(R.argv[4].p, "(help truncated)", 16);
}

static void control_dispatch(void **state)
{
	(void)state;
	const char *w[] = { "throttle", "joe", "64" };
	F.additional = "throttled joe";
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_OK, "throttled joe");
	assert_int_equal(F.calls, 1);
	assert_int_equal(F.argc, 3);
	assert_string_equal(F.argv[0], "throttle");
	assert_string_equal(F.argv[1], "joe");
	assert_string_equal(F.argv[2], "64");
	assert_true(F.argv_null_terminated);
	assert_int_equal(F.iam_master, 1);

	/* the plugin's own ERR, with and without text */
	F.response = NSCTL_RES_ERR;
	F.additional = "no such user";
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "no such user");
	F.additional = NULL;
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, NULL);

	/* RET_ERROR */
	F.rc = CONTROL_PLUGIN_RET_ERROR;
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "error returned by plugin");
	F.additional = "bad rate";
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "bad rate");

	/* not master */
	F.rc = CONTROL_PLUGIN_RET_NOTMASTER;
	F.master = false;
	F.master_addr = "10.0.0.7";
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "must be run on master: 10.0.0.7");
	assert_int_equal(F.iam_master, 0);
	F.master_addr = NULL;
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "must be run on master: none elected");

	/* nobody claimed it, or a bogus response value */
	F.rc = CONTROL_PLUGIN_RET_OK;
	F.response = 0;
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "unhandled action");
	F.response = 7;
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "unrecognised response value from plugin");
	F.response = NSCTL_RES_OK;
	F.rc = 42;
	answer_is(ask(NSCTL_REQ_CONTROL, 3, w), NSCTL_RES_ERR, "error returned by plugin");

	/* multi-line text: one argument per line */
	F.rc = CONTROL_PLUGIN_RET_STOP;
	F.additional = "line one\nline two\n";
	int r = ask(NSCTL_REQ_CONTROL, 3, w);
	assert_true(r > 0);
	assert_int_equal(R.argc, 2);
	assert_memory_equal(R.argv[1].p, "line two", 8);
	assert_int_equal(F.calls, 11);
}

static void malformed_requests(void **state)
{
	(void)state;
	/* loopback without a secret: answered with the original's text */
	static const uint8_t bad[][6] = {
		{ 0x90, 0x13, 0x14, 0x01, 0x05, 'a' },	/* short */
		{ 0x90, 0x14, 0x13, 0x00, 0xff, 0 },	/* magic */
		{ 0x90, 0x13, 0x19, 0x00, 0xff, 0 },	/* type */
		{ 0x90, 0x13, 0x13, 0x00, 0x00, 0 },	/* terminator */
		{ 0x90, 0x13, 0x13, 0x00, 0xff, 0 },	/* trailing byte (len 6) */
	};
	static const size_t blen[] = { 6, 5, 5, 5, 6 };
	for (size_t i = 0; i < 5; i++) {
		int r = control_handle(&C, bad[i], blen[i], v4("127.0.0.1"), SALEN, NOW, OUT,
				       sizeof(OUT));
		answer_is(r, NSCTL_RES_ERR, "error unpacking control packet");
	}
	assert_int_equal(control_handle(&C, NULL, 0, v4("127.0.0.1"), SALEN, NOW, OUT, sizeof(OUT)),
			 (int)(5 + 1 + strlen("error unpacking control packet")));
	/* embedded NUL: the plugin would see a different word */
	uint8_t req[16];
	struct nsctl_arg a = { (const uint8_t *)"ki\0ll", 5 };
	int n = nsctl_pack(req, sizeof(req), NSCTL_REQ_CONTROL, 1, &a);
	answer_is(control_handle(&C, req, (size_t)n, v4("127.0.0.1"), SALEN, NOW, OUT, sizeof(OUT)),
		  NSCTL_RES_ERR, "error unpacking control packet");
	assert_int_equal(F.calls, 0);
	/* responses are never answered */
	const char *t[] = { "x" };
	assert_int_equal(ask(NSCTL_RES_OK, 1, t), 0);
	assert_int_equal(ask(NSCTL_RES_ERR, 0, NULL), 0);
	assert_int_equal(C.stats.drop_response, 2);
	/* caller errors */
	assert_int_equal(control_handle(&C, req, (size_t)n, v4("127.0.0.1"), SALEN, NOW, OUT, 40),
			 -ENOSPC);
	assert_int_equal(control_handle(NULL, req, (size_t)n, v4("127.0.0.1"), SALEN, NOW, OUT, 40),
			 -EINVAL);
}

static void source_filter_without_secret(void **state)
{
	(void)state;
	static const char *const local4[] = { "127.0.0.1", "127.255.255.254", "127.1.2.3" };
	static const char *const remote4[] = { "10.0.0.1", "128.0.0.1", "126.255.255.255",
					       "0.0.0.0", "255.255.255.255" };
	for (size_t i = 0; i < 3; i++)
		assert_true(ask_from(v4(local4[i]), NSCTL_REQ_HELP, 0, NULL) > 0);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(ask_from(v4(remote4[i]), NSCTL_REQ_HELP, 0, NULL), 0);
	assert_true(ask_from(v6("::1"), NSCTL_REQ_HELP, 0, NULL) > 0);
	assert_true(ask_from(v6("::ffff:127.0.0.1"), NSCTL_REQ_HELP, 0, NULL) > 0);
	assert_int_equal(ask_from(v6("::2"), NSCTL_REQ_HELP, 0, NULL), 0);
	assert_int_equal(ask_from(v6("::ffff:10.0.0.1"), NSCTL_REQ_HELP, 0, NULL), 0);
	assert_int_equal(ask_from(v6("2001:db8::1"), NSCTL_REQ_HELP, 0, NULL), 0);
	assert_int_equal(ask_from(v6("::127.0.0.1"), NSCTL_REQ_HELP, 0, NULL), 0);
	assert_int_equal(C.stats.drop_nonlocal, 9);
	assert_int_equal(C.stats.rx, 14);
	/* a truncated sockaddr or no address at all is not local */
	assert_int_equal(control_handle(&C, OUT, 5, v4("127.0.0.1"), 4, NOW, OUT, sizeof(OUT)), 0);
	assert_int_equal(control_handle(&C, OUT, 5, NULL, 0, NOW, OUT, sizeof(OUT)), 0);
	struct sockaddr_un_like {
		sa_family_t f;
		char path[30];
	} u = { AF_UNIX, "x" };
	assert_false(control_addr_is_local((const struct sockaddr *)&u, sizeof(u)));
	/* a signed request is fine without a secret too (the trailer is ignored) */
	uint8_t req[64];
	int n = nsctl_pack(req, sizeof(req), NSCTL_REQ_HELP, 0, NULL);
	n = nsctl_auth_sign(req, (size_t)n, sizeof(req), "k", 1, NOW, (const uint8_t *)"12345678");
	answer_is(control_handle(&C, req, (size_t)n, v4("127.0.0.1"), SALEN, NOW, OUT, sizeof(OUT)),
		  NSCTL_RES_OK, NULL);
}

static uint8_t NONCE[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

static int signed_req(uint8_t *req, const char *secret, uint64_t t, uint8_t type, size_t argc,
		      const char *const *argv)
{
	int n = nsctl_pack_str(req, NSCTL_MAX_PKT, type, argc, argv);
	assert_true(n > 0);
	if (!secret)
		return n;
	n = nsctl_auth_sign(req, (size_t)n, NSCTL_MAX_PKT, secret, strlen(secret), t, NONCE);
	assert_true(n > 0);
	return n;
}

static int handle(const uint8_t *req, int n, const struct sockaddr *from, uint64_t now)
{
	return control_handle(&C, req, (size_t)n, from, SALEN, now, OUT, sizeof(OUT));
}

static void secret_required(void **state)
{
	(void)state;
	static uint8_t req[NSCTL_MAX_PKT];
	const char *w[] = { "kill", "joe" };
	assert_int_equal(control_set_secret(&C, "pa55word"), 0);
	F.additional = "killed";

	/* right secret, from anywhere: signed answer echoing our nonce */
	int n = signed_req(req, "pa55word", NOW, NSCTL_REQ_CONTROL, 2, w);
	int r = handle(req, n, v4("192.0.2.9"), NOW);
	assert_true(r > 0);
	assert_int_equal(nsctl_unpack(&R, OUT, (size_t)r), 1);
	assert_int_equal(R.type, NSCTL_RES_OK);
	assert_memory_equal(R.argv[0].p, "killed", 6);
	assert_true(R.has_auth);
	assert_memory_equal(R.auth.nonce, NONCE, 8);
	assert_true(R.auth.time == NOW);
	assert_int_equal(nsctl_auth_verify(&R, OUT, "pa55word", 8), 0);
	assert_int_equal(nsctl_auth_verify(&R, OUT, "pa55wore", 8), NSCTL_ERR_AUTH);
	assert_int_equal(F.calls, 1);

	/* the same datagram again: a replay */
	assert_int_equal(handle(req, n, v4("192.0.2.9"), NOW + 1), 0);
	assert_int_equal(C.stats.drop_replay, 1);

	/* wrong secret, missing trailer (even from loopback) */
	NONCE[0]++;
	n = signed_req(req, "pa55wore", NOW, NSCTL_REQ_CONTROL, 2, w);
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW), 0);
	n = signed_req(req, NULL, NOW, NSCTL_REQ_CONTROL, 2, w);
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW), 0);
	assert_int_equal(C.stats.drop_auth, 2);
	/* undecodable: dropped, not answered */
	req[0] = 0;
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW), 0);
	assert_int_equal(C.stats.drop_malformed, 1);
	assert_int_equal(F.calls, 1);

	/* clock window: 30 s either way */
	NONCE[0]++;
	n = signed_req(req, "pa55word", NOW - 31, NSCTL_REQ_CONTROL, 2, w);
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW), 0);
	n = signed_req(req, "pa55word", NOW + 31, NSCTL_REQ_CONTROL, 2, w);
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW), 0);
	assert_int_equal(C.stats.drop_stale, 2);
	n = signed_req(req, "pa55word", NOW - 30, NSCTL_REQ_CONTROL, 2, w);
	assert_true(handle(req, n, v4("127.0.0.1"), NOW) > 0);
	NONCE[0]++;
	n = signed_req(req, "pa55word", NOW + 30, NSCTL_REQ_CONTROL, 2, w);
	assert_true(handle(req, n, v4("127.0.0.1"), NOW) > 0);
	assert_int_equal(F.calls, 3);

	/* a signed response sent to us is still not answered */
	NONCE[0]++;
	n = signed_req(req, "pa55word", NOW, NSCTL_RES_OK, 0, NULL);
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW), 0);
	assert_int_equal(C.stats.drop_response, 1);

	/* secret removed again: loopback-only, unsigned */
	assert_int_equal(control_set_secret(&C, ""), 0);
	n = signed_req(req, NULL, NOW, NSCTL_REQ_HELP, 0, NULL);
	answer_is(handle(req, n, v4("127.0.0.1"), NOW), NSCTL_RES_OK, NULL);
	assert_int_equal(handle(req, n, v4("192.0.2.9"), NOW), 0);
	static char huge[CONTROL_SECRET_MAX + 2];
	memset(huge, 's', CONTROL_SECRET_MAX + 1);
	assert_int_equal(control_set_secret(&C, huge), -EINVAL);
}

static void replay_cache_full(void **state)
{
	(void)state;
	static uint8_t req[NSCTL_MAX_PKT];
	assert_int_equal(control_set_secret(&C, "k"), 0);
	/* fill every slot with distinct live nonces */
	for (int i = 0; i < CONTROL_REPLAY_SLOTS; i++) {
		NONCE[0] = (uint8_t)i;
		NONCE[1] = 0x77;
		int n = signed_req(req, "k", NOW, NSCTL_REQ_HELP, 0, NULL);
		assert_true(handle(req, n, v4("127.0.0.1"), NOW) > 0);
	}
	/* one more within the window: refused rather than forgetting one */
	NONCE[1] = 0x78;
	int n = signed_req(req, "k", NOW, NSCTL_REQ_HELP, 0, NULL);
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW), 0);
	assert_int_equal(C.stats.drop_replay, 1);
	/* once the old ones age out of the window there is room again */
	n = signed_req(req, "k", NOW + 31, NSCTL_REQ_HELP, 0, NULL);
	assert_true(handle(req, n, v4("127.0.0.1"), NOW + 31) > 0);
	/* and an aged-out nonce is refused by the window, not the cache */
	NONCE[0] = 0;
	NONCE[1] = 0x77;
	n = signed_req(req, "k", NOW, NSCTL_REQ_HELP, 0, NULL);
	assert_int_equal(handle(req, n, v4("127.0.0.1"), NOW + 31), 0);
	assert_int_equal(C.stats.drop_stale, 1);
}

/* ---- the nsctl binary against a loopback server ------------------------- */

static char NSCTL[PATH_MAX];

static int find_nsctl(void **state)
{
	(void)state;
	const char *env = getenv("NSCTL_BIN");
	if (env) {
		snprintf(NSCTL, sizeof(NSCTL), "%s", env);
		return 0;
	}
	/* build/<dir>/tests/unit/test_nsctl_control -> build/<dir>/bin/nsctl */
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	for (int i = 0; i < 3; i++) {
		char *s = strrchr(self, '/');
		if (!s)
			return -1;
		*s = '\0';
	}
	if (strlen(self) + sizeof("/bin/nsctl") > sizeof(NSCTL))
		return -1;
	strcpy(NSCTL, self);
	strcat(NSCTL, "/bin/nsctl");
	return 0;
}

struct run {
	int status;
	char out[8192], err[8192];
	int ndgrams;
	uint8_t first[NSCTL_MAX_PKT];
	int first_len;
	bool identical;		/* all datagrams received were the same bytes */
};

static void slurp(int fd, char *buf, size_t cap)
{
	size_t off = 0;
	ssize_t n;
	while (off + 1 < cap && (n = read(fd, buf + off, cap - 1 - off)) > 0)
		off += (size_t)n;
	buf[off] = '\0';
}

enum first_mode {
	FIRST_ANSWER,	/* normal server */
	FIRST_LOST,	/* the first request is lost on the way in */
	FIRST_NO_REPLY,	/* the first request is handled, its answer lost */
};

/*
 * Run nsctl with args against a UDP socket on 127.0.0.1:ephemeral served by
 * control_handle. secret_env: NSCTL_SECRET for the child (NULL: unset).
 */
static void run_nsctl(struct run *res, const char *const *args, enum first_mode mode,
		      const char *secret_env)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t al = sizeof(a);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	char hostport[32];
	snprintf(hostport, sizeof(hostport), "127.0.0.1:%u", ntohs(a.sin_port));

	const char *argv[32] = { NSCTL, "-h", hostport, "-t", "1" };
	int argc = 5;
	for (int i = 0; args[i]; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;

	int po[2], pe[2];
	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pe), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		if (secret_env)
			setenv("NSCTL_SECRET", secret_env, 1);
		else
			unsetenv("NSCTL_SECRET");
		execv(NSCTL, (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);

	memset(res, 0, sizeof(*res));
	res->identical = true;
	int status = 0;
	for (int spins = 0; spins < 100; spins++) { /* 10 s at most */
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) > 0) {
			uint8_t buf[NSCTL_MAX_PKT + 1];
			struct sockaddr_storage from;
			socklen_t fl = sizeof(from);
			ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			assert_true(n >= 0);
			if (res->ndgrams == 0) {
				memcpy(res->first, buf, (size_t)n);
				res->first_len = (int)n;
			} else if (n != res->first_len || memcmp(buf, res->first, (size_t)n)) {
				res->identical = false;
			}
			if (!(mode == FIRST_LOST && res->ndgrams == 0)) {
				int r = control_handle(&C, buf, (size_t)n, (struct sockaddr *)&from,
						       fl, (uint64_t)time(NULL), OUT, sizeof(OUT));
				if (r > 0 && !(mode == FIRST_NO_REPLY && res->ndgrams == 0))
					assert_int_equal(sendto(fd, OUT, (size_t)r, 0,
								(struct sockaddr *)&from, fl), r);
			}
			res->ndgrams++;
			continue;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (spins == 99) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("nsctl did not finish");
		}
	}
	slurp(po[0], res->out, sizeof(res->out));
	slurp(pe[0], res->err, sizeof(res->err));
	close(po[0]);
	close(pe[0]);
	close(fd);
	assert_true(WIFEXITED(status));
	res->status = WEXITSTATUS(status);
}

static struct run RUN;

static void tool_control_ok_and_err(void **state)
{
	(void)state;
	assert_int_equal(access(NSCTL, X_OK), 0);
	F.additional = "throttled joe\nat 64 kbit/s";
	const char *a[] = { "throttle", "joe", "64", NULL };
	run_nsctl(&RUN, a, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 0);
	assert_string_equal(RUN.out, "throttled joe\nat 64 kbit/s\n");
	assert_string_equal(RUN.err, "");
	assert_int_equal(RUN.ndgrams, 1);
	/* what the tool sent is the original's format, byte for byte */
	static const uint8_t want[] = { 0x90, 0x13, 0x14, 0x03, 0x08, 't', 'h', 'r', 'o', 't', 't', 'l',
					'e', 0x03, 'j', 'o', 'e', 0x02, '6', '4', 0xff };
	assert_int_equal(RUN.first_len, sizeof(want));
	assert_memory_equal(RUN.first, want, sizeof(want));
	assert_string_equal(F.argv[1], "joe");

	F.response = NSCTL_RES_ERR;
	F.additional = "no such user";
	run_nsctl(&RUN, a, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 1);
	assert_string_equal(RUN.out, "");
	assert_string_equal(RUN.err, "no such user\n");
}

static void tool_builtins(void **state)
{
	(void)state;
	const char *l[] = { "load_plugin", "garden", NULL };
	run_nsctl(&RUN, l, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 0);
	static const uint8_t want[] = { 0x90, 0x13, 0x11, 0x01, 0x06, 'g', 'a', 'r', 'd', 'e', 'n', 0xff };
	assert_int_equal(RUN.first_len, sizeof(want));
	assert_memory_equal(RUN.first, want, sizeof(want));
	assert_string_equal(F.loaded[0], "garden");
	run_nsctl(&RUN, l, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 1);
	assert_string_equal(RUN.err, "plugin already loaded\n");

	F.help[0] = HELP_A;
	F.nhelp = 1;
	const char *h[] = { "help", NULL };
	run_nsctl(&RUN, h, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 0);
	static const uint8_t hw[] = { 0x90, 0x13, 0x13, 0x00, 0xff };
	assert_memory_equal(RUN.first, hw, sizeof(hw));
	assert_non_null(strstr(RUN.out, "load_plugin PLUGIN"));
	assert_non_null(strstr(RUN.out, "unload_plugin PLUGIN"));
	assert_non_null(strstr(RUN.out, "drop USER|SID [REASON]   Shutdown user session\n"
					"kill USER|SID [REASON]   Kill user session\n"));
}

static void tool_refuses_long_argument(void **state)
{
	(void)state;
	static char big[300];
	memset(big, 'u', 256);
	const char *a[] = { "kill", big, NULL };
	run_nsctl(&RUN, a, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 1);
	assert_int_equal(RUN.ndgrams, 0);
	assert_non_null(strstr(RUN.err, "255"));
	big[255] = '\0';
	F.additional = "ok";
	run_nsctl(&RUN, a, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 0);
	assert_int_equal(strlen(F.argv[1]), 255);
}

static void tool_retries_once(void **state)
{
	(void)state;
	F.additional = "second try";
	const char *a[] = { "x", NULL };
	run_nsctl(&RUN, a, FIRST_LOST, NULL);
	assert_int_equal(RUN.status, 0);
	assert_string_equal(RUN.out, "second try\n");
	assert_int_equal(RUN.ndgrams, 2);
	assert_true(RUN.identical);

	/* nobody answers: two tries, then exit 1 */
	assert_int_equal(control_set_secret(&C, "server-secret"), 0);
	run_nsctl(&RUN, a, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 1);
	assert_int_equal(RUN.ndgrams, 2);
	assert_non_null(strstr(RUN.err, "no response"));
	assert_int_equal(F.calls, 1); /* the first run's retry only */
	assert_int_equal(C.stats.drop_auth, 2);
}

static void tool_with_secret(void **state)
{
	(void)state;
	assert_int_equal(control_set_secret(&C, "s3cret"), 0);
	F.additional = "done";
	const char *a[] = { "-s", "s3cret", "kill", "joe", NULL };
	run_nsctl(&RUN, a, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 0);
	assert_string_equal(RUN.out, "done\n");
	assert_int_equal(RUN.first_len, 4 + 5 + 4 + 1 + NSCTL_AUTH_LEN);
	assert_int_equal(C.stats.tx_ok, 1);

	/* from the environment */
	const char *b[] = { "kill", "joe", NULL };
	run_nsctl(&RUN, b, FIRST_ANSWER, "s3cret");
	assert_int_equal(RUN.status, 0);
	assert_int_equal(F.calls, 2);

	/* wrong secret: dropped twice (try and retry), tool fails */
	const char *c[] = { "-s", "wrong", "kill", "joe", NULL };
	run_nsctl(&RUN, c, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 1);
	assert_int_equal(RUN.ndgrams, 2);
	assert_int_equal(C.stats.drop_auth, 2);
	assert_int_equal(F.calls, 2);

	/* first request lost: the retry (same bytes) gets through */
	run_nsctl(&RUN, a, FIRST_LOST, NULL);
	assert_int_equal(RUN.ndgrams, 2);
	assert_true(RUN.identical);
	assert_int_equal(RUN.status, 0);
	assert_int_equal(F.calls, 3);

	/* answer lost: the retry is a replay and dropped, so the command ran
	 * once only (at most once), and the tool reports failure */
	run_nsctl(&RUN, a, FIRST_NO_REPLY, NULL);
	assert_int_equal(RUN.ndgrams, 2);
	assert_true(RUN.identical);
	assert_int_equal(RUN.status, 1);
	assert_int_equal(F.calls, 4);
	assert_int_equal(C.stats.drop_replay, 1);

	/* a client with a secret does not believe an unsigned answer */
	assert_int_equal(control_set_secret(&C, NULL), 0);
	run_nsctl(&RUN, a, FIRST_ANSWER, NULL);
	assert_int_equal(RUN.status, 1);
	assert_non_null(strstr(RUN.err, "not authenticated"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(error_text_bytes, setup),
		cmocka_unit_test_setup(load_plugin, setup),
		cmocka_unit_test_setup(unload_plugin, setup),
		cmocka_unit_test_setup(help_lines, setup),
		cmocka_unit_test_setup(help_truncated_and_split, setup),
		cmocka_unit_test_setup(control_dispatch, setup),
		cmocka_unit_test_setup(malformed_requests, setup),
		cmocka_unit_test_setup(source_filter_without_secret, setup),
		cmocka_unit_test_setup(secret_required, setup),
		cmocka_unit_test_setup(replay_cache_full, setup),
		cmocka_unit_test_setup(tool_control_ok_and_err, setup),
		cmocka_unit_test_setup(tool_builtins, setup),
		cmocka_unit_test_setup(tool_refuses_long_argument, setup),
		cmocka_unit_test_setup(tool_retries_once, setup),
		cmocka_unit_test_setup(tool_with_secret, setup),
	};
	return cmocka_run_group_tests(tests, find_nsctl, NULL);
}
