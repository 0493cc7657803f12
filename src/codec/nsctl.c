/*
 * nsctl control packets (format and extension: see nsctl.h).
 */
#include "codec/nsctl.h"

#include <string.h>

#include <nettle/hmac.h>

#include "codec/buf.h"

bool nsctl_type_valid(unsigned type)
{
	switch (type) {
	case NSCTL_REQ_LOAD:
	case NSCTL_REQ_UNLOAD:
	case NSCTL_REQ_HELP:
	case NSCTL_REQ_CONTROL:
	case NSCTL_RES_OK:
	case NSCTL_RES_ERR:
		return true;
	default:
		return false;
	}
}

bool nsctl_type_is_request(unsigned type)
{
	return nsctl_type_valid(type) && (type & 0xF0) == 0x10;
}

int nsctl_pack(uint8_t *out, size_t cap, uint8_t type, size_t argc,
	       const struct nsctl_arg *argv)
{
	struct wr w;

	if (!out || (argc && !argv))
		return NSCTL_ERR_INVAL;
	if (!nsctl_type_valid(type))
		return NSCTL_ERR_TYPE;
	if (argc > NSCTL_MAX_ARGC)
		return NSCTL_ERR_ARGC;
	/* The datagram limit is part of the format: an old peer's buffer is 4096. */
	wr_init(&w, out, cap < NSCTL_MAX_PKT ? cap : NSCTL_MAX_PKT);
	wr_u16(&w, NSCTL_MAGIC);
	wr_u8(&w, type);
	wr_u8(&w, (uint8_t)argc);
	for (size_t i = 0; i < argc; i++) {
		if (argv[i].len && !argv[i].p)
			return NSCTL_ERR_INVAL;
		wr_u8(&w, argv[i].len);
		wr_bytes(&w, argv[i].p, argv[i].len);
	}
	wr_u8(&w, NSCTL_TERMINATOR);
	if (w.err)
		return NSCTL_ERR_SPACE;
	return (int)w.off;
}

int nsctl_pack_str(uint8_t *out, size_t cap, uint8_t type, size_t argc,
		   const char *const *argv)
{
	struct nsctl_arg a[NSCTL_MAX_ARGC];

	if (argc > NSCTL_MAX_ARGC)
		return NSCTL_ERR_ARGC;
	if (argc && !argv)
		return NSCTL_ERR_INVAL;
	for (size_t i = 0; i < argc; i++) {
		if (!argv[i])
			return NSCTL_ERR_INVAL;
		/* Refuse rather than truncate: a cut user name or address would
		 * act on the wrong session. */
		size_t n = strnlen(argv[i], NSCTL_MAX_ARGLEN + 1);
		if (n > NSCTL_MAX_ARGLEN)
			return NSCTL_ERR_ARGLEN;
		a[i].p = (const uint8_t *)argv[i];
		a[i].len = (uint8_t)n;
	}
	return nsctl_pack(out, cap, type, argc, a);
}

int nsctl_unpack(struct nsctl_msg *m, const uint8_t *p, size_t len)
{
	struct rd r;

	if (!m)
		return NSCTL_ERR_INVAL;
	memset(m, 0, sizeof(*m));
	if (!p || len < NSCTL_MIN_PKT)
		return NSCTL_ERR_SHORT;
	if (len > NSCTL_MAX_PKT)
		return NSCTL_ERR_LONG;
	rd_init(&r, p, len);
	if (rd_u16(&r) != NSCTL_MAGIC)
		return NSCTL_ERR_MAGIC;
	m->type = rd_u8(&r);
	if (!nsctl_type_valid(m->type))
		return NSCTL_ERR_TYPE;
	m->argc = rd_u8(&r);
	for (unsigned i = 0; i < m->argc; i++) {
		uint8_t n = rd_u8(&r);
		const uint8_t *q = rd_take(&r, n);
		if (r.err)
			return NSCTL_ERR_SHORT;
		m->argv[i].p = n ? q : p + r.off; /* empty: a valid, in-bounds pointer */
		m->argv[i].len = n;
	}
	uint8_t t = rd_u8(&r);
	if (r.err)
		return NSCTL_ERR_SHORT;
	if (t != NSCTL_TERMINATOR)
		return NSCTL_ERR_TERM;
	m->base_len = r.off;
	if (rd_left(&r) == 0)
		return m->argc;
	/* Only our exact trailer may follow; anything else is trailing garbage,
	 * as the original treated every byte past the terminator. */
	if (rd_left(&r) != NSCTL_AUTH_LEN || rd_u8(&r) != NSCTL_AUTH_KIND_HMAC_SHA256 ||
	    rd_u8(&r) != NSCTL_AUTH_BODY_LEN)
		return NSCTL_ERR_LONG;
	m->auth.time = rd_u64(&r);
	rd_bytes(&r, m->auth.nonce, NSCTL_NONCE_LEN);
	m->signed_len = r.off;
	rd_bytes(&r, m->auth.mac, NSCTL_MAC_LEN);
	if (!rd_done(&r))
		return NSCTL_ERR_LONG;
	m->has_auth = true;
	return m->argc;
}

static void mac_compute(uint8_t mac[NSCTL_MAC_LEN], const uint8_t *p, size_t len,
			const void *secret, size_t secret_len)
{
	struct hmac_sha256_ctx h;

	hmac_sha256_set_key(&h, secret_len, (const uint8_t *)secret);
	hmac_sha256_update(&h, len, p);
	hmac_sha256_digest(&h, NSCTL_MAC_LEN, mac);
}

/* Write kind, len, time, nonce at buf+len; returns offset of the MAC or <0. */
static int trailer_head(uint8_t *buf, size_t len, size_t cap, uint64_t time,
			const uint8_t *nonce)
{
	struct wr w;

	if (!buf || !nonce || len < NSCTL_MIN_PKT)
		return NSCTL_ERR_INVAL;
	if (len > cap || len > NSCTL_MAX_PKT - NSCTL_AUTH_LEN)
		return NSCTL_ERR_SPACE;
	if (buf[len - 1] != NSCTL_TERMINATOR)
		return NSCTL_ERR_TERM;
	wr_init(&w, buf, cap < NSCTL_MAX_PKT ? cap : NSCTL_MAX_PKT);
	w.off = len;
	wr_u8(&w, NSCTL_AUTH_KIND_HMAC_SHA256);
	wr_u8(&w, NSCTL_AUTH_BODY_LEN);
	wr_u64(&w, time);
	wr_bytes(&w, nonce, NSCTL_NONCE_LEN);
	(void)wr_take(&w, NSCTL_MAC_LEN); /* room check only */
	if (w.err)
		return NSCTL_ERR_SPACE;
	return (int)(w.off - NSCTL_MAC_LEN);
}

int nsctl_auth_sign(uint8_t *buf, size_t len, size_t cap, const void *secret,
		    size_t secret_len, uint64_t time, const uint8_t nonce[NSCTL_NONCE_LEN])
{
	if (!secret && secret_len)
		return NSCTL_ERR_INVAL;
	int at = trailer_head(buf, len, cap, time, nonce);
	if (at < 0)
		return at;
	mac_compute(buf + at, buf, (size_t)at, secret, secret_len);
	return at + NSCTL_MAC_LEN;
}

int nsctl_auth_put(uint8_t *buf, size_t len, size_t cap, const struct nsctl_auth *a)
{
	if (!a)
		return NSCTL_ERR_INVAL;
	int at = trailer_head(buf, len, cap, a->time, a->nonce);
	if (at < 0)
		return at;
	memcpy(buf + at, a->mac, NSCTL_MAC_LEN);
	return at + NSCTL_MAC_LEN;
}

int nsctl_auth_verify(const struct nsctl_msg *m, const uint8_t *p, const void *secret,
		      size_t secret_len)
{
	uint8_t mac[NSCTL_MAC_LEN];

	if (!m || !p || (!secret && secret_len))
		return NSCTL_ERR_INVAL;
	if (!m->has_auth || m->signed_len != m->base_len + NSCTL_AUTH_LEN - NSCTL_MAC_LEN)
		return NSCTL_ERR_AUTH;
	mac_compute(mac, p, m->signed_len, secret, secret_len);
	return buf_ct_equal(mac, m->auth.mac, NSCTL_MAC_LEN) ? 0 : NSCTL_ERR_AUTH;
}

const char *nsctl_strerror(int err)
{
	switch (err) {
	case NSCTL_ERR_SHORT:
		return "packet too short";
	case NSCTL_ERR_LONG:
		return "packet too long or trailing bytes";
	case NSCTL_ERR_MAGIC:
		return "bad magic";
	case NSCTL_ERR_TYPE:
		return "bad packet type";
	case NSCTL_ERR_TERM:
		return "missing terminator";
	case NSCTL_ERR_ARGC:
		return "too many arguments (max 255)";
	case NSCTL_ERR_ARGLEN:
		return "argument longer than 255 bytes";
	case NSCTL_ERR_SPACE:
		return "packet would exceed 4096 bytes";
	case NSCTL_ERR_AUTH:
		return "authenticator missing or wrong";
	case NSCTL_ERR_INVAL:
		return "invalid argument";
	default:
		return err >= 0 ? "success" : "unknown error";
	}
}
