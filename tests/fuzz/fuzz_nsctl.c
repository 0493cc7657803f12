/*
 * libFuzzer harness for the nsctl control packet codec (codec/nsctl.h) and
 * the server side that consumes it (core/control.c).
 *
 * Input: one UDP payload as received on port 1702. A datagram that decodes
 * is packed again from the decoded fields (and its trailer re-emitted) and
 * must give back exactly the input bytes, else abort(). The repacked base is
 * then signed with a fixed secret, must decode and verify, and must not
 * verify under another secret. The raw input also goes through
 * control_handle (loopback without a secret, and any source with one); every
 * response it produces must decode as an OK/ERR packet within 4096 bytes.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/nsctl.h"
#include "core/control.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c)                                                                         \
	do {                                                                               \
		if (!(c))                                                                  \
			abort();                                                           \
	} while (0)

static const char *const HELP[] = { "drop USER|SID", "kill USER|SID", NULL };

static int help(void *arg, size_t i, const char *const **lines)
{
	(void)arg;
	if (i >= 2)
		return -1;
	*lines = HELP;
	return 0;
}

static int load(void *arg, const char *name)
{
	(void)arg;
	return (int)(strlen(name) % 3) - 1;
}

/* Echo the arguments back as the answer text, exercising line splitting. */
static char echo[8192];
static int control(void *arg, struct control_call *c)
{
	(void)arg;
	size_t off = 0;
	for (int i = 0; i < c->argc; i++) {
		size_t n = strlen(c->argv[i]);
		REQUIRE(n <= NSCTL_MAX_ARGLEN);
		REQUIRE(off + n + 1 < sizeof(echo));
		memcpy(echo + off, c->argv[i], n);
		off += n;
		echo[off++] = '\n';
	}
	echo[off] = '\0';
	REQUIRE(c->argv[c->argc] == NULL);
	c->response = c->argc % 2 ? NSCTL_RES_OK : NSCTL_RES_ERR;
	c->additional = echo;
	return c->argc % 4 == 3 ? CONTROL_PLUGIN_RET_NOTMASTER : CONTROL_PLUGIN_RET_STOP;
}

static const struct control_ops OPS = {
	.load_plugin = load, .unload_plugin = load, .plugin_help = help, .plugin_control = control,
};

static struct nsctl_msg m, m2;
static struct control_ctx ctx;
static uint8_t out[NSCTL_MAX_PKT], re[NSCTL_MAX_PKT];

static void check_response(int n)
{
	REQUIRE(n >= 0 && n <= NSCTL_MAX_PKT);
	if (n == 0)
		return;
	REQUIRE(nsctl_unpack(&m2, out, (size_t)n) >= 0);
	REQUIRE(m2.type == NSCTL_RES_OK || m2.type == NSCTL_RES_ERR);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t nonce[NSCTL_NONCE_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	int argc = nsctl_unpack(&m, data, size);

	if (argc >= 0) {
		REQUIRE(argc == m.argc);
		REQUIRE(nsctl_type_valid(m.type));
		REQUIRE(m.base_len <= size);
		for (int i = 0; i < argc; i++)
			REQUIRE(m.argv[i].p >= data && m.argv[i].p + m.argv[i].len <= data + m.base_len);
		int n = nsctl_pack(re, sizeof(re), m.type, m.argc, m.argv);
		REQUIRE(n == (int)m.base_len);
		REQUIRE(memcmp(re, data, (size_t)n) == 0);
		if (m.has_auth) {
			REQUIRE(size == m.base_len + NSCTL_AUTH_LEN);
			REQUIRE(nsctl_auth_put(re, (size_t)n, sizeof(re), &m.auth) == (int)size);
			REQUIRE(memcmp(re, data, size) == 0);
		} else {
			REQUIRE(size == m.base_len);
		}
		/* sign what we repacked: must verify with that key only */
		int s = nsctl_auth_sign(re, (size_t)n, sizeof(re), "fuzz", 4, 77, nonce);
		if (n + NSCTL_AUTH_LEN <= NSCTL_MAX_PKT) {
			REQUIRE(s == n + NSCTL_AUTH_LEN);
			REQUIRE(nsctl_unpack(&m2, re, (size_t)s) == argc);
			REQUIRE(m2.has_auth && m2.auth.time == 77);
			REQUIRE(nsctl_auth_verify(&m2, re, "fuzz", 4) == 0);
			REQUIRE(nsctl_auth_verify(&m2, re, "fuzZ", 4) == NSCTL_ERR_AUTH);
		} else {
			REQUIRE(s == NSCTL_ERR_SPACE);
		}
	} else {
		REQUIRE(argc >= NSCTL_ERR_TERM && argc <= NSCTL_ERR_SHORT);
	}

	/* the server side, both policies */
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	REQUIRE(control_init(&ctx, NULL, &OPS) == 0);
	check_response(control_handle(&ctx, data, size, (struct sockaddr *)&lo, sizeof(lo), 100,
				      out, sizeof(out)));
	REQUIRE(control_set_secret(&ctx, "fuzz") == 0);
	check_response(control_handle(&ctx, data, size, (struct sockaddr *)&lo, sizeof(lo), 100,
				      out, sizeof(out)));
	/* a correctly signed copy of a decodable request reaches the handlers */
	if (argc >= 0 && m.base_len + NSCTL_AUTH_LEN <= NSCTL_MAX_PKT) {
		memcpy(re, data, m.base_len);
		int s = nsctl_auth_sign(re, m.base_len, sizeof(re), "fuzz", 4, 100, nonce);
		REQUIRE(s > 0);
		int r = control_handle(&ctx, re, (size_t)s, (struct sockaddr *)&lo, sizeof(lo), 100,
				       out, sizeof(out));
		check_response(r);
		REQUIRE((r > 0) == nsctl_type_is_request(m.type));
		if (r > 0)
			REQUIRE(m2.has_auth && nsctl_auth_verify(&m2, out, "fuzz", 4) == 0);
	}
	return 0;
}
