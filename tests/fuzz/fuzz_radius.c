/*
 * libFuzzer harness for the RADIUS codec (RFC 2865/2866/3579/5176).
 *
 * Input: one UDP payload. Whatever decodes is walked (attributes, VSAs,
 * Cisco-AVPair items, typed values), verified with the secret "fuzz" (the
 * result only exercised), then re-encoded through the builder with the same
 * Code, Identifier and authenticator and decoded again:
 *  - the attribute sequence must come back identical, except that the
 *    Message-Authenticator moves to the front (where the builder puts it)
 *    and a User-Password is re-hidden from its plaintext, which must then
 *    unhide to the same plaintext, and empty attributes are omitted
 *    (RFC 2865 §5);
 *  - without either of those, the attribute octets are identical;
 *  - the rebuilt packet verifies with the secret.
 * Any difference is an abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/radius.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t SECRET[] = "fuzz";
#define SEC SECRET, (sizeof SECRET - 1)

#define REQUIRE(c)                                                                         \
	do {                                                                               \
		if (!(c))                                                                  \
			abort();                                                           \
	} while (0)

static bool inside(const void *p, size_t n, const uint8_t *base, size_t len)
{
	const uint8_t *q = p;
	return q >= base && n <= len && q - base <= (ptrdiff_t)(len - n);
}

static void walk_vsa(const struct radius_attr *a)
{
	struct radius_vsa_iter vi;
	if (radius_vsa_init(&vi, a) < 0)
		return;
	struct radius_vsa s;
	int rc;
	while ((rc = radius_vsa_next(&vi, &s)) > 0) {
		REQUIRE(inside(s.v, s.len, a->v, a->len));
		if (s.vendor != RADIUS_VENDOR_CISCO || s.type != RADIUS_CISCO_AVPAIR)
			continue;
		struct radius_avpair_iter ai;
		struct radius_avpair kv;
		radius_avpair_init(&ai, s.v, s.len);
		while (radius_avpair_next(&ai, &kv) > 0) {
			REQUIRE(kv.key_len + kv.val_len <= s.len);
			REQUIRE(inside(kv.key, kv.key_len, s.v, s.len));
			REQUIRE(inside(kv.val, kv.val_len, s.v, s.len));
			REQUIRE(memchr(kv.key, ',', kv.key_len) == NULL);
			REQUIRE(memchr(kv.key, '=', kv.key_len) == NULL);
		}
	}
	/* a structured vendor's framing was checked by the decoder */
	if (radius_vendor_structured(vi.vendor))
		REQUIRE(rc == 0);
}

static void walk(const struct radius_pkt *p)
{
	struct radius_iter it;
	struct radius_attr a;
	uint16_t n = 0;
	int rc;
	radius_iter_init(&it, p);
	while ((rc = radius_next(&it, &a)) > 0) {
		n++;
		REQUIRE(inside(a.v, a.len, p->data, p->len));
		REQUIRE(a.v == p->data + a.off + 2);
		uint32_t v;
		uint8_t x[16], plen;
		(void)radius_attr_u32(&a, &v);
		(void)radius_attr_ipv6_addr(&a, x);
		if (radius_attr_ipv6_prefix(&a, x, &plen) == 0)
			REQUIRE(plen <= 128);
		if (a.type == RADIUS_ATTR_VENDOR_SPECIFIC)
			walk_vsa(&a);
		if (a.type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR)
			REQUIRE(a.off + 2 == p->msg_auth_off);
	}
	REQUIRE(rc == 0);
	REQUIRE(n == p->n_attrs);
}

/* Next attribute other than the Message-Authenticator and the empty ones
 * (which the builder omits). */
static int next_plain(struct radius_iter *it, struct radius_attr *a)
{
	int rc;
	while ((rc = radius_next(it, a)) > 0 &&
	       (a->type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR || a->len == 0))
		;
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct radius_pkt p;
	int rc = radius_decode(data, size, &p);
	if (rc < 0) {
		REQUIRE(rc >= RADIUS_E_INVAL);
		return 0;
	}
	REQUIRE(p.len >= RADIUS_HDR_LEN && p.len <= size && p.len <= RADIUS_MAX_LEN);
	walk(&p);
	(void)radius_verify_request(&p, SEC, false);
	(void)radius_verify_response(&p, p.id, p.auth, SEC, false);

	/* Rebuild. Unknown codes go out as Access-Accept (the builder
	 * refuses to invent a code's authenticator rule). */
	uint8_t code = radius_code_name(p.code) && p.code != RADIUS_STATUS_CLIENT
			       ? p.code
			       : RADIUS_ACCESS_ACCEPT;
	bool computed = code == RADIUS_ACCOUNTING_REQUEST || code == RADIUS_DISCONNECT_REQUEST ||
			code == RADIUS_COA_REQUEST;
	bool nonce = code == RADIUS_ACCESS_REQUEST || code == RADIUS_STATUS_SERVER;
	static uint8_t out[RADIUS_MAX_LEN];
	struct radius_builder b;
	rc = radius_build_init(&b, out, sizeof out, code, p.id, computed ? NULL : p.auth, SEC,
			       p.msg_auth_off != 0);
	REQUIRE(rc == 0);
	bool exact = !nonce && !p.msg_auth_off; /* attribute octets must be identical */
	size_t grow = (nonce && !p.msg_auth_off) ? 18 : 0;

	struct radius_iter it;
	struct radius_attr a;
	radius_iter_init(&it, &p);
	while (radius_next(&it, &a) > 0)
		if (a.len == 0)
			exact = false; /* omitted by the builder (RFC 2865 §5) */
	radius_iter_init(&it, &p);
	while (next_plain(&it, &a) > 0) {
		if (a.type == RADIUS_ATTR_USER_PASSWORD) {
			exact = false;
			if (code != RADIUS_ACCESS_REQUEST)
				continue; /* only an Access-Request can carry one */
			uint8_t pw[RADIUS_PASSWORD_MAX];
			int n = radius_password_unhide(a.v, a.len, SEC, p.auth, pw);
			if (n < 0) {
				REQUIRE(a.len == 0 || a.len % 16 || a.len > 128);
				continue;
			}
			/* re-hidden, it may be shorter (zero blocks dropped) */
			REQUIRE(radius_add_password(&b, pw, (size_t)n) == 0 || b.err == RADIUS_E_NOSPACE);
			continue;
		}
		rc = radius_add(&b, a.type, a.v, a.len);
		REQUIRE(rc == 0 || (rc == RADIUS_E_NOSPACE && grow));
	}
	int n = radius_build_finish(&b);
	if (n == RADIUS_E_NOSPACE) {
		REQUIRE(grow && p.len + grow > RADIUS_MAX_LEN);
		return 0;
	}
	REQUIRE(n >= RADIUS_HDR_LEN);

	struct radius_pkt q;
	REQUIRE(radius_decode(out, (size_t)n, &q) == 0);
	REQUIRE(q.code == code && q.id == p.id);
	REQUIRE((q.msg_auth_off != 0) == (p.msg_auth_off != 0 || nonce));
	if (q.msg_auth_off)
		REQUIRE(q.msg_auth_off == RADIUS_HDR_LEN + 2);
	if (exact) {
		REQUIRE(q.len == p.len);
		REQUIRE(memcmp(out + RADIUS_HDR_LEN, p.data + RADIUS_HDR_LEN,
			       p.len - RADIUS_HDR_LEN) == 0);
	}
	if (nonce) {
		REQUIRE(memcmp(q.auth, p.auth, 16) == 0);
		REQUIRE(radius_verify_request(&q, SEC, true) == 0);
	} else if (computed) {
		REQUIRE(radius_verify_request(&q, SEC, q.msg_auth_off != 0) == 0);
	} else {
		REQUIRE(radius_verify_response(&q, p.id, p.auth, SEC, q.msg_auth_off != 0) == 0);
	}

	/* Same attributes, in order. */
	struct radius_iter i1, i2;
	struct radius_attr x, y;
	radius_iter_init(&i1, &p);
	radius_iter_init(&i2, &q);
	for (;;) {
		int r1 = next_plain(&i1, &x);
		while (r1 > 0 && x.type == RADIUS_ATTR_USER_PASSWORD && code != RADIUS_ACCESS_REQUEST)
			r1 = next_plain(&i1, &x);
		if (r1 > 0 && x.type == RADIUS_ATTR_USER_PASSWORD) {
			uint8_t pw1[RADIUS_PASSWORD_MAX], pw2[RADIUS_PASSWORD_MAX];
			int n1 = radius_password_unhide(x.v, x.len, SEC, p.auth, pw1);
			if (n1 < 0)
				continue; /* was dropped */
			REQUIRE(next_plain(&i2, &y) > 0 && y.type == RADIUS_ATTR_USER_PASSWORD);
			int n2 = radius_password_unhide(y.v, y.len, SEC, q.auth, pw2);
			REQUIRE(n1 == n2 && memcmp(pw1, pw2, (size_t)n1) == 0);
			REQUIRE(y.len == (n1 ? (n1 + 15) / 16 * 16 : 16));
			continue;
		}
		int r2 = next_plain(&i2, &y);
		REQUIRE(r1 == r2);
		if (r1 <= 0)
			break;
		REQUIRE(x.type == y.type && x.len == y.len && memcmp(x.v, y.v, x.len) == 0);
	}
	return 0;
}
