/*
 * RADIUS packet builder (RFC 2865 §3, §5; RFC 2866 §3; RFC 3579 §3.2;
 * RFC 5176 §2.3, §3.4). Attributes are appended in call order; the authenticators
 * are written last, by radius_build_finish.
 */
#include "codec/radius.h"

static int fail(struct radius_builder *b, int err)
{
	if (!b->err)
		b->err = err;
	return b->err;
}

static bool is_request_auth_computed(uint8_t code)
{
	return code == RADIUS_ACCOUNTING_REQUEST || code == RADIUS_DISCONNECT_REQUEST ||
	       code == RADIUS_COA_REQUEST;
}

int radius_build_init(struct radius_builder *b, void *buf, size_t cap, uint8_t code,
		      uint8_t id, const uint8_t *auth, const uint8_t *secret,
		      size_t secret_len, bool msg_auth)
{
	memset(b, 0, sizeof *b);
	/* §3: never more than 4096 octets, whatever room the caller has. */
	wr_init(&b->w, buf, cap > RADIUS_MAX_LEN ? RADIUS_MAX_LEN : cap);
	b->secret = secret;
	b->secret_len = secret_len;
	b->code = code;

	if (code == RADIUS_ACCESS_REQUEST || code == RADIUS_STATUS_SERVER) {
		if (!auth)
			return fail(b, RADIUS_E_INVAL);
		msg_auth = true;
	} else if (is_request_auth_computed(code)) {
		if (auth)
			return fail(b, RADIUS_E_INVAL);
	} else if (radius_code_is_response(code)) {
		if (!auth)
			return fail(b, RADIUS_E_INVAL);
	} else {
		return fail(b, RADIUS_E_CODE);
	}
	if (auth)
		memcpy(b->auth, auth, RADIUS_AUTH_LEN);

	wr_u8(&b->w, code);
	wr_u8(&b->w, id);
	wr_u16(&b->w, 0); /* Length, patched by finish */
	/* Requests carry their nonce; everything else a placeholder the
	 * authenticator computation replaces. */
	if (code == RADIUS_ACCESS_REQUEST || code == RADIUS_STATUS_SERVER)
		wr_bytes(&b->w, b->auth, RADIUS_AUTH_LEN);
	else
		wr_zero(&b->w, RADIUS_AUTH_LEN);
	if (msg_auth) {
		wr_u8(&b->w, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
		wr_u8(&b->w, RADIUS_ATTR_HDR_LEN + RADIUS_MSG_AUTH_LEN);
		b->msg_auth_off = (uint16_t)b->w.off;
		wr_zero(&b->w, RADIUS_MSG_AUTH_LEN);
	}
	if (b->w.err)
		return fail(b, RADIUS_E_NOSPACE);
	return RADIUS_OK;
}

/* Header of one attribute of `len` value octets; false (error recorded) when it cannot be written. */
static bool put_hdr(struct radius_builder *b, uint8_t type, size_t len)
{
	if (b->err)
		return false;
	if (len > RADIUS_ATTR_MAX_VALUE) {
		fail(b, RADIUS_E_ATTR_LEN);
		return false;
	}
	wr_u8(&b->w, type);
	wr_u8(&b->w, (uint8_t)(len + RADIUS_ATTR_HDR_LEN));
	if (b->w.err) {
		fail(b, RADIUS_E_NOSPACE);
		return false;
	}
	return true;
}

static int put_value(struct radius_builder *b, const void *v, size_t len)
{
	wr_bytes(&b->w, v, len);
	return b->w.err ? fail(b, RADIUS_E_NOSPACE) : RADIUS_OK;
}

int radius_add(struct radius_builder *b, uint8_t type, const void *v, size_t len)
{
	if (type == RADIUS_ATTR_USER_PASSWORD || type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR)
		return fail(b, RADIUS_E_INVAL);
	if (len && !v)
		return fail(b, RADIUS_E_INVAL);
	/* RFC 2865 §5: a zero-length string MUST NOT be sent; the attribute
	 * is omitted instead (a caller's empty Calling-Station-Id is not an
	 * error). */
	if (len == 0)
		return b->err;
	if (!put_hdr(b, type, len))
		return b->err;
	return put_value(b, v, len);
}

int radius_add_str(struct radius_builder *b, uint8_t type, const char *s)
{
	if (!s)
		return fail(b, RADIUS_E_INVAL);
	return radius_add(b, type, s, strlen(s));
}

int radius_add_u32(struct radius_builder *b, uint8_t type, uint32_t v)
{
	uint8_t q[4];
	be32_put(q, v);
	return radius_add(b, type, q, sizeof q);
}

int radius_add_addr(struct radius_builder *b, uint8_t type, uint32_t addr)
{
	return radius_add_u32(b, type, addr);
}

int radius_add_vsa(struct radius_builder *b, uint32_t vendor, uint8_t vtype,
		   const void *v, size_t len)
{
	if (len && !v)
		return fail(b, RADIUS_E_INVAL);
	/* The outer Length octet must hold 2 + 4 + 2 + len (§5.26). */
	if (len > RADIUS_ATTR_MAX_VALUE - RADIUS_VSA_HDR_LEN)
		return fail(b, RADIUS_E_ATTR_LEN);
	if (!put_hdr(b, RADIUS_ATTR_VENDOR_SPECIFIC, len + RADIUS_VSA_HDR_LEN))
		return b->err;
	wr_u32(&b->w, vendor);
	wr_u8(&b->w, vtype);
	wr_u8(&b->w, (uint8_t)(len + 2));
	return put_value(b, v, len);
}

int radius_add_avpair(struct radius_builder *b, const char *key, const char *value)
{
	if (!key || !value)
		return fail(b, RADIUS_E_INVAL);
	size_t kl = strlen(key), vl = strlen(value);
	if (kl + 1 + vl > RADIUS_ATTR_MAX_VALUE - RADIUS_VSA_HDR_LEN)
		return fail(b, RADIUS_E_ATTR_LEN);
	uint8_t text[RADIUS_ATTR_MAX_VALUE];
	memcpy(text, key, kl);
	text[kl] = '=';
	memcpy(text + kl + 1, value, vl);
	return radius_add_vsa(b, RADIUS_VENDOR_CISCO, RADIUS_CISCO_AVPAIR, text, kl + 1 + vl);
}

int radius_add_password(struct radius_builder *b, const uint8_t *pw, size_t len)
{
	if (b->err)
		return b->err;
	if (b->code != RADIUS_ACCESS_REQUEST)
		return fail(b, RADIUS_E_CODE);
	if (len && !pw)
		return fail(b, RADIUS_E_INVAL);
	uint8_t hidden[RADIUS_PASSWORD_MAX];
	int n = radius_password_hide(pw, len, b->secret, b->secret_len, b->auth, hidden,
				     sizeof hidden);
	if (n < 0)
		return fail(b, n);
	if (!put_hdr(b, RADIUS_ATTR_USER_PASSWORD, (size_t)n))
		return b->err;
	return put_value(b, hidden, (size_t)n);
}

int radius_add_chap(struct radius_builder *b, uint8_t chap_id, const uint8_t resp[16],
		    const uint8_t *challenge, size_t challenge_len)
{
	if (b->err)
		return b->err;
	if (b->code != RADIUS_ACCESS_REQUEST)
		return fail(b, RADIUS_E_CODE);
	if (!resp || (challenge_len && !challenge))
		return fail(b, RADIUS_E_INVAL);
	if (!put_hdr(b, RADIUS_ATTR_CHAP_PASSWORD, 17))
		return b->err;
	wr_u8(&b->w, chap_id);
	if (put_value(b, resp, 16) < 0)
		return b->err;
	if (challenge)
		return radius_add(b, RADIUS_ATTR_CHAP_CHALLENGE, challenge, challenge_len);
	return RADIUS_OK;
}

int radius_build_finish(struct radius_builder *b)
{
	if (b->err)
		return b->err;
	if (b->w.err || b->w.off < RADIUS_HDR_LEN)
		return fail(b, RADIUS_E_NOSPACE);
	uint8_t *p = b->w.p;
	size_t len = b->w.off;
	be16_put(p + 2, (uint16_t)len);

	/* The Message-Authenticator first: the authenticator of requests we
	 * compute and of responses covers its value (RFC 3579 §3.2, RFC 5176
	 * §3.5). Computed requests sign it over a zero authenticator. */
	if (b->msg_auth_off) {
		const uint8_t *a = is_request_auth_computed(b->code) ? NULL : b->auth;
		uint8_t mac[16];
		radius_msg_auth_compute(p, len, b->msg_auth_off, a, b->secret, b->secret_len, mac);
		memcpy(p + b->msg_auth_off, mac, 16);
	}
	if (is_request_auth_computed(b->code)) {
		uint8_t ra[16];
		radius_auth_compute(p, len, NULL, b->secret, b->secret_len, ra);
		memcpy(p + 4, ra, 16);
	} else if (radius_code_is_response(b->code)) {
		uint8_t ra[16];
		radius_auth_compute(p, len, b->auth, b->secret, b->secret_len, ra);
		memcpy(p + 4, ra, 16);
	}
	return (int)len;
}
