/*
 * RADIUS authenticators: Response Authenticator (RFC 2865 §3), the
 * Accounting-Request and DAE request authenticators (RFC 2866 §3, RFC 5176
 * §3.5), Message-Authenticator (RFC 3579 §3.2) and User-Password hiding
 * (RFC 2865 §5.2).
 */
#include <nettle/hmac.h>
#include <nettle/md5.h>

#include "codec/radius.h"

static const uint8_t ZERO16[16];

void radius_auth_compute(const uint8_t *pkt, size_t len, const uint8_t *auth,
			 const uint8_t *secret, size_t secret_len, uint8_t out[16])
{
	struct md5_ctx ctx;
	md5_init(&ctx);
	md5_update(&ctx, 4, pkt);
	md5_update(&ctx, RADIUS_AUTH_LEN, auth ? auth : ZERO16);
	md5_update(&ctx, len - RADIUS_HDR_LEN, pkt + RADIUS_HDR_LEN);
	md5_update(&ctx, secret_len, secret);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

void radius_msg_auth_compute(const uint8_t *pkt, size_t len, size_t ma_off,
			     const uint8_t *auth, const uint8_t *secret, size_t secret_len,
			     uint8_t out[16])
{
	struct hmac_md5_ctx ctx;
	hmac_md5_set_key(&ctx, secret_len, secret);
	hmac_md5_update(&ctx, 4, pkt);
	hmac_md5_update(&ctx, RADIUS_AUTH_LEN, auth ? auth : ZERO16);
	/* The attributes, with the Message-Authenticator's own value read as
	 * sixteen zero octets (§3.2). */
	hmac_md5_update(&ctx, ma_off - RADIUS_HDR_LEN, pkt + RADIUS_HDR_LEN);
	hmac_md5_update(&ctx, RADIUS_MSG_AUTH_LEN, ZERO16);
	hmac_md5_update(&ctx, len - ma_off - RADIUS_MSG_AUTH_LEN, pkt + ma_off + RADIUS_MSG_AUTH_LEN);
	hmac_md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

static int check_msg_auth(const struct radius_pkt *p, const uint8_t *auth,
			  const uint8_t *secret, size_t secret_len, bool required)
{
	if (!p->msg_auth_off)
		return required ? RADIUS_E_MSG_AUTH_MISSING : RADIUS_OK;
	uint8_t mac[16];
	radius_msg_auth_compute(p->data, p->len, p->msg_auth_off, auth, secret, secret_len, mac);
	return buf_ct_equal(mac, p->data + p->msg_auth_off, 16) ? RADIUS_OK
								 : RADIUS_E_MSG_AUTH_BAD;
}

int radius_verify_request(const struct radius_pkt *p, const uint8_t *secret,
			  size_t secret_len, bool require_msg_auth)
{
	switch (p->code) {
	case RADIUS_ACCESS_REQUEST:
	case RADIUS_STATUS_SERVER:
		/* The Request Authenticator is the client's nonce; only the
		 * Message-Authenticator, keyed over it, proves anything. */
		return check_msg_auth(p, p->auth, secret, secret_len, require_msg_auth);
	case RADIUS_ACCOUNTING_REQUEST:
	case RADIUS_DISCONNECT_REQUEST:
	case RADIUS_COA_REQUEST: {
		uint8_t ra[16];
		radius_auth_compute(p->data, p->len, NULL, secret, secret_len, ra);
		if (!buf_ct_equal(ra, p->auth, 16))
			return RADIUS_E_AUTH_BAD;
		/* RFC 5176 §3.4: the Message-Authenticator of these is
		 * computed with the authenticator field zeroed, since the
		 * authenticator covers it. */
		return check_msg_auth(p, NULL, secret, secret_len, require_msg_auth);
	}
	}
	return RADIUS_E_CODE;
}

int radius_verify_response(const struct radius_pkt *p, uint8_t req_id,
			   const uint8_t req_auth[16], const uint8_t *secret,
			   size_t secret_len, bool require_msg_auth)
{
	if (!radius_code_is_response(p->code))
		return RADIUS_E_CODE;
	if (p->id != req_id)
		return RADIUS_E_ID;
	uint8_t ra[16];
	radius_auth_compute(p->data, p->len, req_auth, secret, secret_len, ra);
	if (!buf_ct_equal(ra, p->auth, 16))
		return RADIUS_E_AUTH_BAD;
	return check_msg_auth(p, req_auth, secret, secret_len, require_msg_auth);
}

/* The §5.2 key stream block: MD5(secret | prev). */
static void pw_block(const uint8_t *secret, size_t secret_len, const uint8_t prev[16],
		     uint8_t b[16])
{
	struct md5_ctx ctx;
	md5_init(&ctx);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, 16, prev);
	md5_digest(&ctx, MD5_DIGEST_SIZE, b);
}

int radius_password_hide(const uint8_t *pw, size_t len, const uint8_t *secret,
			 size_t secret_len, const uint8_t auth[16], uint8_t *out, size_t cap)
{
	if (len > RADIUS_PASSWORD_MAX)
		return RADIUS_E_ATTR_LEN;
	size_t hlen = len ? (len + 15) / 16 * 16 : 16;
	if (cap < hlen)
		return RADIUS_E_NOSPACE;
	const uint8_t *prev = auth;
	for (size_t k = 0; k < hlen; k += 16) {
		uint8_t b[16];
		pw_block(secret, secret_len, prev, b);
		for (size_t i = 0; i < 16; i++) {
			uint8_t c = k + i < len ? pw[k + i] : 0;
			out[k + i] = (uint8_t)(c ^ b[i]);
		}
		prev = out + k; /* c(i) chains on the ciphertext */
	}
	return (int)hlen;
}

int radius_password_unhide(const uint8_t *hidden, size_t hlen, const uint8_t *secret,
			   size_t secret_len, const uint8_t auth[16],
			   uint8_t out[RADIUS_PASSWORD_MAX])
{
	if (hlen == 0 || hlen % 16 || hlen > RADIUS_PASSWORD_MAX)
		return RADIUS_E_PASSWORD_LEN;
	const uint8_t *prev = auth;
	for (size_t k = 0; k < hlen; k += 16) {
		uint8_t b[16];
		pw_block(secret, secret_len, prev, b);
		for (size_t i = 0; i < 16; i++)
			out[k + i] = (uint8_t)(hidden[k + i] ^ b[i]);
		prev = hidden + k;
	}
	size_t n = hlen;
	while (n > 0 && out[n - 1] == 0)
		n--;
	return (int)n;
}
