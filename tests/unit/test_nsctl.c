/*
 * nsctl codec: the original l2tpns control packet format (reference §7.3),
 * byte for byte, and our HMAC-SHA256 trailer. Expected bytes are written out
 * by hand from the format; the MAC vector was computed with python3
 * hmac/hashlib, not with this code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "codec/nsctl.h"

static struct nsctl_msg M;

/* Unpack from an exact-size heap copy so ASan catches any read past the end. */
static int unpack_exact(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	assert_non_null(c);
	if (n)
		memcpy(c, p, n);
	int rc = nsctl_unpack(&M, c, n);
	/* pointers must lie inside the copy; rebase them onto p for checks */
	for (unsigned i = 0; rc >= 0 && i < M.argc; i++) {
		assert_true(M.argv[i].p >= c && M.argv[i].p + M.argv[i].len <= c + n);
		M.argv[i].p = p + (M.argv[i].p - c);
	}
	free(c);
	return rc;
}

static void arg_is(unsigned i, const char *s)
{
	assert_int_equal(M.argv[i].len, strlen(s));
	assert_memory_equal(M.argv[i].p, s, strlen(s));
}

static void pack_then_unpack(uint8_t type, size_t argc, const char *const *argv,
			     const uint8_t *want, size_t wlen)
{
	uint8_t buf[NSCTL_MAX_PKT];
	int n = nsctl_pack_str(buf, sizeof(buf), type, argc, argv);
	assert_int_equal(n, (int)wlen);
	assert_memory_equal(buf, want, wlen);
	assert_int_equal(unpack_exact(want, wlen), (int)argc);
	assert_int_equal(M.type, type);
	assert_int_equal(M.argc, argc);
	assert_false(M.has_auth);
	assert_int_equal(M.base_len, wlen);
	for (size_t i = 0; i < argc; i++)
		arg_is((unsigned)i, argv[i]);
}

static void help_request(void **state)
{
	(void)state;
	static const uint8_t want[] = { 0x90, 0x13, 0x13, 0x00, 0xff };
	pack_then_unpack(NSCTL_REQ_HELP, 0, NULL, want, sizeof(want));
}

static void load_and_unload_requests(void **state)
{
	(void)state;
	const char *a[] = { "garden" };
	static const uint8_t load[] = { 0x90, 0x13, 0x11, 0x01, 0x06, 'g', 'a', 'r', 'd', 'e', 'n', 0xff };
	static const uint8_t unload[] = { 0x90, 0x13, 0x12, 0x01, 0x06, 'g', 'a', 'r', 'd', 'e', 'n', 0xff };
	pack_then_unpack(NSCTL_REQ_LOAD, 1, a, load, sizeof(load));
	pack_then_unpack(NSCTL_REQ_UNLOAD, 1, a, unload, sizeof(unload));
}

static void control_request(void **state)
{
	(void)state;
	const char *a[] = { "throttle", "joe", "64" };
	static const uint8_t want[] = { 0x90, 0x13, 0x14, 0x03, 0x08, 't', 'h', 'r', 'o', 't', 't', 'l',
					'e', 0x03, 'j', 'o', 'e', 0x02, '6', '4', 0xff };
	pack_then_unpack(NSCTL_REQ_CONTROL, 3, a, want, sizeof(want));
}

static void responses(void **state)
{
	(void)state;
	static const uint8_t ok[] = { 0x90, 0x13, 0x21, 0x00, 0xff };
	pack_then_unpack(NSCTL_RES_OK, 0, NULL, ok, sizeof(ok));
	const char *e[] = { "plugin not found" };
	static const uint8_t err[] = { 0x90, 0x13, 0x22, 0x01, 0x10, 'p', 'l', 'u', 'g', 'i', 'n', ' ', 'n',
				       'o', 't', ' ', 'f', 'o', 'u', 'n', 'd', 0xff };
	pack_then_unpack(NSCTL_RES_ERR, 1, e, err, sizeof(err));
	/* empty arguments are legal and keep their place */
	const char *two[] = { "", "x" };
	static const uint8_t e2[] = { 0x90, 0x13, 0x21, 0x02, 0x00, 0x01, 'x', 0xff };
	pack_then_unpack(NSCTL_RES_OK, 2, two, e2, sizeof(e2));
}

static void type_predicates(void **state)
{
	(void)state;
	for (unsigned t = 0; t < 256; t++) {
		bool v = t == 0x11 || t == 0x12 || t == 0x13 || t == 0x14 || t == 0x21 || t == 0x22;
		assert_int_equal(nsctl_type_valid(t), v);
		assert_int_equal(nsctl_type_is_request(t), v && t < 0x20);
	}
}

static void argument_limits(void **state)
{
	(void)state;
	static uint8_t buf[NSCTL_MAX_PKT + 64];
	static char big[300];
	memset(big, 'a', sizeof(big) - 1);

	/* 255 bytes: the largest a length byte can say, including len == 0xff */
	big[255] = '\0';
	const char *one[] = { big };
	int n = nsctl_pack_str(buf, sizeof(buf), NSCTL_REQ_CONTROL, 1, one);
	assert_int_equal(n, 4 + 1 + 255 + 1);
	assert_int_equal(buf[4], 0xff);
	assert_int_equal(buf[n - 1], 0xff);
	assert_int_equal(unpack_exact(buf, (size_t)n), 1);
	assert_int_equal(M.argv[0].len, 255);

	/* 256: refused, never truncated */
	big[255] = 'a';
	big[256] = '\0';
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(nsctl_pack_str(buf, sizeof(buf), NSCTL_REQ_CONTROL, 1, one),
			 NSCTL_ERR_ARGLEN);
	assert_int_equal(buf[0], 0xee);

	/* 255 arguments fit the argc byte, 256 do not */
	static const char *many[256];
	for (int i = 0; i < 256; i++)
		many[i] = "z";
	n = nsctl_pack_str(buf, sizeof(buf), NSCTL_REQ_CONTROL, 255, many);
	assert_int_equal(n, 4 + 255 * 2 + 1);
	assert_int_equal(buf[3], 255);
	assert_int_equal(unpack_exact(buf, (size_t)n), 255);
	arg_is(254, "z");
	assert_int_equal(nsctl_pack_str(buf, sizeof(buf), NSCTL_REQ_CONTROL, 256, many),
			 NSCTL_ERR_ARGC);

	/* NULL string, bad type */
	const char *nul[] = { NULL };
	assert_int_equal(nsctl_pack_str(buf, sizeof(buf), NSCTL_REQ_CONTROL, 1, nul),
			 NSCTL_ERR_INVAL);
	assert_int_equal(nsctl_pack_str(buf, sizeof(buf), 0x15, 0, NULL), NSCTL_ERR_TYPE);
}

static void packet_size_limit(void **state)
{
	(void)state;
	static uint8_t buf[NSCTL_MAX_PKT + 64];
	static char a255[256], tail[256];
	memset(a255, 'b', 255);
	/* 15 x 255-byte args = 3844 bytes of header+args, so a 250-byte 16th
	 * argument makes exactly 4096 with the terminator; 251 is one too many. */
	const char *argv[16];
	for (int i = 0; i < 15; i++)
		argv[i] = a255;
	argv[15] = tail;
	memset(tail, 'c', 250);
	tail[250] = '\0';
	int n = nsctl_pack_str(buf, sizeof(buf), NSCTL_REQ_CONTROL, 16, argv);
	assert_int_equal(n, 4096);
	assert_int_equal(unpack_exact(buf, 4096), 16);
	tail[250] = 'c';
	tail[251] = '\0';
	assert_int_equal(nsctl_pack_str(buf, sizeof(buf), NSCTL_REQ_CONTROL, 16, argv),
			 NSCTL_ERR_SPACE);

	/* a small buffer: error, and not one byte written past cap */
	uint8_t small[16];
	memset(small, 0xee, sizeof(small));
	const char *a[] = { "abcdefghij" };
	assert_int_equal(nsctl_pack_str(small, 12, NSCTL_REQ_CONTROL, 1, a), NSCTL_ERR_SPACE);
	for (int i = 12; i < 16; i++)
		assert_int_equal(small[i], 0xee);
	/* 4 + 1 + 10 + 1 = 16 fits exactly */
	assert_int_equal(nsctl_pack_str(small, 16, NSCTL_REQ_CONTROL, 1, a), 16);
}

static void unpack_short(void **state)
{
	(void)state;
	static const uint8_t help[] = { 0x90, 0x13, 0x13, 0x00, 0xff };
	for (size_t n = 0; n < sizeof(help); n++)
		assert_int_equal(unpack_exact(help, n), NSCTL_ERR_SHORT);
	assert_int_equal(nsctl_unpack(&M, NULL, 5), NSCTL_ERR_SHORT);
	/* argument length runs past the end */
	static const uint8_t p1[] = { 0x90, 0x13, 0x14, 0x01, 0x05, 'a', 'b', 0xff };
	assert_int_equal(unpack_exact(p1, sizeof(p1)), NSCTL_ERR_SHORT);
	/* argc says two, only one present, terminator eaten as a length */
	static const uint8_t p2[] = { 0x90, 0x13, 0x14, 0x02, 0x01, 'a', 0xff };
	assert_int_equal(unpack_exact(p2, sizeof(p2)), NSCTL_ERR_SHORT);
	/* last argument ends exactly at the end: no terminator */
	static const uint8_t p3[] = { 0x90, 0x13, 0x14, 0x01, 0x01, 'a' };
	assert_int_equal(unpack_exact(p3, sizeof(p3)), NSCTL_ERR_SHORT);
}

static void unpack_long_and_trailing(void **state)
{
	(void)state;
	static uint8_t big[NSCTL_MAX_PKT + 1];
	memset(big, 0, sizeof(big));
	big[0] = 0x90;
	big[1] = 0x13;
	big[2] = 0x13;
	big[4] = 0xff;
	assert_int_equal(unpack_exact(big, sizeof(big)), NSCTL_ERR_LONG);
	static const uint8_t t1[] = { 0x90, 0x13, 0x13, 0x00, 0xff, 0x00 };
	assert_int_equal(unpack_exact(t1, sizeof(t1)), NSCTL_ERR_LONG);

	/* 50 trailing bytes that are not our trailer */
	uint8_t t[5 + NSCTL_AUTH_LEN + 1] = { 0x90, 0x13, 0x13, 0x00, 0xff, 0x01, 48 };
	assert_int_equal(unpack_exact(t, 5 + NSCTL_AUTH_LEN), 0);
	assert_true(M.has_auth);
	t[5] = 0x02; /* unknown kind */
	assert_int_equal(unpack_exact(t, 5 + NSCTL_AUTH_LEN), NSCTL_ERR_LONG);
	t[5] = 0x01;
	t[6] = 47; /* wrong body length */
	assert_int_equal(unpack_exact(t, 5 + NSCTL_AUTH_LEN), NSCTL_ERR_LONG);
	t[6] = 48;
	assert_int_equal(unpack_exact(t, 5 + NSCTL_AUTH_LEN - 1), NSCTL_ERR_LONG);
	assert_int_equal(unpack_exact(t, 5 + NSCTL_AUTH_LEN + 1), NSCTL_ERR_LONG);
}

static void unpack_magic_type_terminator(void **state)
{
	(void)state;
	uint8_t p[] = { 0x90, 0x13, 0x13, 0x00, 0xff };
	p[1] = 0x14;
	assert_int_equal(unpack_exact(p, sizeof(p)), NSCTL_ERR_MAGIC);
	p[0] = 0x13;
	p[1] = 0x90; /* little-endian magic, as a host-order sender would write it */
	assert_int_equal(unpack_exact(p, sizeof(p)), NSCTL_ERR_MAGIC);
	p[0] = 0x90;
	p[1] = 0x13;
	static const uint8_t bad[] = { 0x00, 0x10, 0x15, 0x20, 0x23, 0x31, 0xff };
	for (size_t i = 0; i < sizeof(bad); i++) {
		p[2] = bad[i];
		assert_int_equal(unpack_exact(p, sizeof(p)), NSCTL_ERR_TYPE);
	}
	p[2] = 0x13;
	p[4] = 0x00;
	assert_int_equal(unpack_exact(p, sizeof(p)), NSCTL_ERR_TERM);
	/* fewer args than bytes: argc 0 but an argument follows */
	static const uint8_t q[] = { 0x90, 0x13, 0x14, 0x00, 0x01, 'a', 0xff };
	assert_int_equal(unpack_exact(q, sizeof(q)), NSCTL_ERR_TERM);
	/* errors are distinct */
	assert_true(NSCTL_ERR_SHORT != NSCTL_ERR_LONG && NSCTL_ERR_LONG != NSCTL_ERR_MAGIC &&
		    NSCTL_ERR_MAGIC != NSCTL_ERR_TYPE && NSCTL_ERR_TYPE != NSCTL_ERR_TERM);
	assert_int_equal(NSCTL_ERR_SHORT, -1);
	assert_int_equal(NSCTL_ERR_TYPE, -4);
}

static const uint8_t NONCE[8] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7 };
/* python3: hmac.new(b's3cret', base + trailer_head, hashlib.sha256) */
static const uint8_t MAC[32] = { 0xef, 0x4b, 0x0c, 0x7b, 0xb3, 0xf0, 0xd3, 0x5b, 0x9f, 0x7a, 0xf2,
				 0xa4, 0xd8, 0xd5, 0x1d, 0x85, 0xd9, 0x79, 0x4e, 0x2e, 0xc9, 0x86,
				 0xbb, 0x57, 0xff, 0x9e, 0x3a, 0x21, 0x25, 0xcd, 0x20, 0xd9 };

static int signed_throttle(uint8_t *buf, size_t cap)
{
	const char *a[] = { "throttle", "joe", "64" };
	int n = nsctl_pack_str(buf, cap, NSCTL_REQ_CONTROL, 3, a);
	assert_int_equal(n, 21);
	return nsctl_auth_sign(buf, (size_t)n, cap, "s3cret", 6, 0x0102030405060708ull, NONCE);
}

static void auth_trailer_bytes(void **state)
{
	(void)state;
	uint8_t buf[128];
	int n = signed_throttle(buf, sizeof(buf));
	assert_int_equal(n, 21 + 50);
	static const uint8_t head[] = { 0x01, 0x30, 1, 2, 3, 4, 5, 6, 7, 8,
					0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7 };
	assert_memory_equal(buf + 21, head, sizeof(head));
	assert_memory_equal(buf + 39, MAC, 32);

	assert_int_equal(unpack_exact(buf, (size_t)n), 3);
	assert_true(M.has_auth);
	assert_int_equal(M.base_len, 21);
	assert_int_equal(M.signed_len, 39);
	assert_true(M.auth.time == 0x0102030405060708ull);
	assert_memory_equal(M.auth.nonce, NONCE, 8);
	assert_int_equal(nsctl_auth_verify(&M, buf, "s3cret", 6), 0);

	/* repack from the decoded fields gives the same bytes */
	uint8_t re[128];
	int m = nsctl_pack(re, sizeof(re), M.type, M.argc, M.argv);
	assert_int_equal(m, 21);
	assert_int_equal(nsctl_auth_put(re, 21, sizeof(re), &M.auth), n);
	assert_memory_equal(re, buf, (size_t)n);
}

static void auth_rejections(void **state)
{
	(void)state;
	uint8_t buf[128];
	int n = signed_throttle(buf, sizeof(buf));
	assert_int_equal(unpack_exact(buf, (size_t)n), 3);
	assert_int_equal(nsctl_auth_verify(&M, buf, "s3cres", 6), NSCTL_ERR_AUTH);
	assert_int_equal(nsctl_auth_verify(&M, buf, "s3cret", 5), NSCTL_ERR_AUTH);
	assert_int_equal(nsctl_auth_verify(&M, buf, "", 0), NSCTL_ERR_AUTH);

	/* every covered byte matters: flip each of the 39 in turn (the packet
	 * still decodes when the flipped byte is argument text or time/nonce) */
	for (int i = 0; i < 71; i++) {
		buf[i] ^= 0x01;
		if (unpack_exact(buf, (size_t)n) >= 0)
			assert_int_equal(nsctl_auth_verify(&M, buf, "s3cret", 6), NSCTL_ERR_AUTH);
		buf[i] ^= 0x01;
	}
	/* no trailer */
	assert_int_equal(unpack_exact(buf, 21), 3);
	assert_int_equal(nsctl_auth_verify(&M, buf, "s3cret", 6), NSCTL_ERR_AUTH);

	/* no room for a trailer */
	assert_int_equal(nsctl_auth_sign(buf, 21, 70, "s3cret", 6, 1, NONCE), NSCTL_ERR_SPACE);
	static uint8_t full[NSCTL_MAX_PKT + 64];
	static char a255[256];
	memset(a255, 'x', 255);
	const char *argv[16];
	for (int i = 0; i < 16; i++)
		argv[i] = a255;
	/* 4 + 15*256 + 1 = 3845; +50 fits; a 16th 255-byte arg would not */
	int f = nsctl_pack_str(full, sizeof(full), NSCTL_REQ_CONTROL, 15, argv);
	assert_int_equal(f, 3845);
	assert_int_equal(nsctl_auth_sign(full, (size_t)f, sizeof(full), "k", 1, 1, NONCE), 3895);
	/* 4046 + 50 = 4096: largest signable base */
	static char tail[256];
	memset(tail, 'y', 200);
	argv[15] = tail;
	f = nsctl_pack_str(full, sizeof(full), NSCTL_REQ_CONTROL, 16, argv);
	assert_int_equal(f, 4046);
	assert_int_equal(nsctl_auth_sign(full, (size_t)f, sizeof(full), "k", 1, 1, NONCE), 4096);
	tail[200] = 'y';
	f = nsctl_pack_str(full, sizeof(full), NSCTL_REQ_CONTROL, 16, argv);
	assert_int_equal(f, 4047);
	assert_int_equal(nsctl_auth_sign(full, (size_t)f, sizeof(full), "k", 1, 1, NONCE),
			 NSCTL_ERR_SPACE);
	/* signing something that does not end in a terminator */
	buf[20] = 0;
	assert_int_equal(nsctl_auth_sign(buf, 21, sizeof(buf), "k", 1, 1, NONCE), NSCTL_ERR_TERM);
}

static void strerror_texts(void **state)
{
	(void)state;
	for (int e = -1; e >= -10; e--)
		assert_string_not_equal(nsctl_strerror(e), "unknown error");
	assert_string_equal(nsctl_strerror(-99), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(help_request),
		cmocka_unit_test(load_and_unload_requests),
		cmocka_unit_test(control_request),
		cmocka_unit_test(responses),
		cmocka_unit_test(type_predicates),
		cmocka_unit_test(argument_limits),
		cmocka_unit_test(packet_size_limit),
		cmocka_unit_test(unpack_short),
		cmocka_unit_test(unpack_long_and_trailing),
		cmocka_unit_test(unpack_magic_type_terminator),
		cmocka_unit_test(auth_trailer_bytes),
		cmocka_unit_test(auth_rejections),
		cmocka_unit_test(strerror_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
