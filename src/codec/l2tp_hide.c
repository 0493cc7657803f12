/*
 * RFC 2661 §4.3 hidden AVP values and §5.1.1 tunnel authentication, both
 * MD5 (nettle) over the tunnel secret.
 */
#include "codec/l2tp.h"

#include <nettle/md5.h>
#include <string.h>

#include "codec/buf.h"

enum { CHUNK = MD5_DIGEST_SIZE };

static int key_check(const struct l2tp_secret *sec, const uint8_t *rv, size_t rv_len)
{
	/* An empty secret is no secret: §4.3 lets the H bit be used only when
	 * a shared secret exists. */
	if (!sec || !sec->v || sec->len == 0)
		return L2TP_E_HIDDEN_NO_SECRET;
	if (!rv || rv_len == 0)
		return L2TP_E_HIDDEN_NO_RV;
	return L2TP_OK;
}

/* §4.3: b(1) = MD5(Attribute Type || secret || RV); b(i) = MD5(secret ||
 * c(i-1)). prev is NULL for the first chunk. */
static void keystream(uint16_t attr, const struct l2tp_secret *sec, const uint8_t *rv,
		      size_t rv_len, const uint8_t *prev, uint8_t b[CHUNK])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	if (!prev) {
		uint8_t t[2];
		be16_put(t, attr);
		md5_update(&ctx, sizeof t, t);
		md5_update(&ctx, sec->len, sec->v);
		md5_update(&ctx, rv_len, rv);
	} else {
		md5_update(&ctx, sec->len, sec->v);
		md5_update(&ctx, CHUNK, prev);
	}
	md5_digest(&ctx, CHUNK, b);
}

int l2tp_hide(uint16_t attr, const struct l2tp_secret *sec, const uint8_t *rv, size_t rv_len,
	      const uint8_t *val, size_t val_len, size_t pad_len, uint8_t *out, size_t cap)
{
	int e = key_check(sec, rv, rv_len);
	if (e)
		return e;
	if (val_len > UINT16_MAX || (val_len && !val) || pad_len > UINT16_MAX)
		return L2TP_E_INVAL;
	size_t total = 2 + val_len + pad_len;
	if (!out || total > cap)
		return L2TP_E_NOSPACE;

	/* Hidden AVP subformat: Original Length || value || padding. */
	be16_put(out, (uint16_t)val_len);
	if (val_len)
		memcpy(out + 2, val, val_len);
	memset(out + 2 + val_len, 0, pad_len);

	uint8_t b[CHUNK];
	for (size_t i = 0; i < total; i += CHUNK) {
		keystream(attr, sec, rv, rv_len, i ? out + i - CHUNK : NULL, b);
		size_t n = total - i < CHUNK ? total - i : CHUNK;
		for (size_t j = 0; j < n; j++)
			out[i + j] ^= b[j];
	}
	return (int)total;
}

int l2tp_unhide(uint16_t attr, const struct l2tp_secret *sec, const uint8_t *rv,
		size_t rv_len, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap)
{
	int e = key_check(sec, rv, rv_len);
	if (e)
		return e;
	/* The Original Length field itself must be there. */
	if (!in || in_len < 2)
		return L2TP_E_HIDDEN_LEN;

	uint8_t b[CHUNK];
	size_t orig = 0;
	for (size_t i = 0; i < in_len; i += CHUNK) {
		keystream(attr, sec, rv, rv_len, i ? in + i - CHUNK : NULL, b);
		size_t n = in_len - i < CHUNK ? in_len - i : CHUNK;
		for (size_t j = 0; j < n; j++) {
			size_t pos = i + j;
			uint8_t p = in[pos] ^ b[j];
			if (pos == 0) {
				orig = (size_t)p << 8;
			} else if (pos == 1) {
				orig |= p;
				/* The deciphered length is peer-controlled (or
				 * garbage under a wrong secret): it must fit in
				 * what was actually received. accel-ppp trusted
				 * it and overflowed on 0xffff. */
				if (orig > in_len - 2)
					return L2TP_E_HIDDEN_LEN;
				if (orig > cap || (orig && !out))
					return L2TP_E_NOSPACE;
			} else if (pos - 2 < orig) {
				out[pos - 2] = p;
			}
		}
	}
	return (int)orig;
}

void l2tp_challenge_response(uint8_t msg_type, const struct l2tp_secret *sec,
			     const uint8_t *chal, size_t chal_len, uint8_t out[16])
{
	struct md5_ctx ctx;

	/* §4.4.3/§5.1.1: the CHAP computation of RFC 1994 with the Message
	 * Type of the carrying message in the place of the CHAP ID. */
	md5_init(&ctx);
	md5_update(&ctx, 1, &msg_type);
	if (sec && sec->v && sec->len)
		md5_update(&ctx, sec->len, sec->v);
	if (chal && chal_len)
		md5_update(&ctx, chal_len, chal);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}
