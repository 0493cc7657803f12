/*
 * RADIUS codec: RFC 2865 packets and attributes, RFC 2866 accounting
 * authenticators, RFC 3579 Message-Authenticator, RFC 5176 dynamic
 * authorization (Disconnect/CoA), vendor-specific attributes and the Cisco
 * AVPair "key=value[,key=value...]" text.
 *
 * Pure: no I/O, no clock, no logging, no allocation. The decoder validates a
 * datagram once (header, every attribute's framing, the inner framing of the
 * VSAs of vendors known to follow RFC 2865 §5.26's recommended format, the
 * Message-Authenticator's size and uniqueness) and afterwards hands out
 * attributes through an iterator whose values point into the caller's
 * buffer, each with its exact length. The decoder therefore keeps no copy and
 * has no capacity limit: repeated attributes (Framed-Route, Class,
 * Cisco-AVPair ...) are simply met several times by the iterator.
 *
 * Packets are built through struct radius_builder on top of struct wr:
 * radius_build_init(), any number of radius_add_*(), radius_build_finish(),
 * which computes Length, the Message-Authenticator and the
 * Request/Response Authenticator, in that order (the authenticator covers
 * the Message-Authenticator's value, RFC 3579 §3.2, RFC 5176 §3.4).
 */
#ifndef L2TPNS_CODEC_RADIUS_H
#define L2TPNS_CODEC_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/buf.h"
#include "radius_wire.h"

/* Results: 0 (or a length, or an iterator's 1) or one of these. */
enum radius_err {
	RADIUS_OK = 0,
	RADIUS_E_SHORT = -1,		 /* datagram shorter than the 20-octet header */
	RADIUS_E_LEN_UNDER = -2,	 /* Length field below 20 (RFC 2865 §3) */
	RADIUS_E_LEN_OVER = -3,		 /* Length field larger than the datagram (§3) */
	RADIUS_E_LEN_MAX = -4,		 /* Length field above 4096 (§3) */
	RADIUS_E_ATTR_SHORT = -5,	 /* attribute Length below 2 (§5) */
	RADIUS_E_ATTR_OVERRUN = -6,	 /* attribute (or a lone Type octet) past Length */
	RADIUS_E_VSA_SHORT = -7,	 /* Vendor-Specific Length below 7 (§5.26) */
	RADIUS_E_VSA_INNER_SHORT = -8,	 /* vendor-length below 2 */
	RADIUS_E_VSA_INNER_OVERRUN = -9, /* vendor sub-attribute past the outer attribute */
	RADIUS_E_MSG_AUTH_LEN = -10,	 /* Message-Authenticator Length not 18 (RFC 3579 §3.2) */
	RADIUS_E_MSG_AUTH_DUP = -11,	 /* more than one Message-Authenticator */
	RADIUS_E_MSG_AUTH_MISSING = -12, /* required Message-Authenticator absent */
	RADIUS_E_MSG_AUTH_BAD = -13,	 /* Message-Authenticator does not verify */
	RADIUS_E_AUTH_BAD = -14,	 /* Request/Response Authenticator does not verify */
	RADIUS_E_ID = -15,		 /* response Identifier is not the request's */
	RADIUS_E_CODE = -16,		 /* Code not valid for the operation asked */
	RADIUS_E_ATTR_LEN = -17,	 /* value length wrong for the attribute's type */
	RADIUS_E_PASSWORD_LEN = -18,	 /* hidden User-Password not 16..128 by 16 (§5.2) */
	RADIUS_E_NOSPACE = -19,		 /* build: output buffer or 4096 octets exceeded */
	RADIUS_E_INVAL = -20,		 /* build: argument not allowed (see each function) */
};

/* A short stable name for an error ("attr-overrun" ...), for logs and
 * pcapdecode's "radius error=<name>". */
const char *radius_strerror(int err);
/* Name of a packet code ("Access-Request" ... "CoA-NAK"); NULL when unknown. */
const char *radius_code_name(uint8_t code);
/* Whether `code` is one of the responses (Access-Accept/Reject/Challenge,
 * Accounting-Response, Disconnect/CoA-ACK/NAK). */
bool radius_code_is_response(uint8_t code);

/* A validated packet. Pointers are into the buffer given to radius_decode,
 * which must outlive this structure. */
struct radius_pkt {
	const uint8_t *data;	/* data[0 .. len) is the packet */
	uint16_t len;		/* Length field; octets after it are padding (§3) */
	uint8_t code;
	uint8_t id;
	const uint8_t *auth;	/* the 16-octet Authenticator, data + 4 */
	uint16_t msg_auth_off;	/* offset in data of the Message-Authenticator
				   value; 0 when the packet has none */
	uint16_t n_attrs;
};

/*
 * Validate one UDP payload. Errors, checked in this order: RADIUS_E_SHORT,
 * RADIUS_E_LEN_UNDER, RADIUS_E_LEN_MAX, RADIUS_E_LEN_OVER, then per
 * attribute RADIUS_E_ATTR_OVERRUN / RADIUS_E_ATTR_SHORT,
 * RADIUS_E_MSG_AUTH_LEN, RADIUS_E_MSG_AUTH_DUP, RADIUS_E_VSA_SHORT and, for a
 * vendor radius_vendor_structured() accepts, RADIUS_E_VSA_INNER_*. Unknown
 * codes and attribute types are not errors: policy belongs to the caller.
 */
int radius_decode(const uint8_t *buf, size_t len, struct radius_pkt *p);

/* One attribute: v[0 .. len) is its value. */
struct radius_attr {
	uint8_t type;
	uint8_t len;		/* value octets, 0 .. 253 */
	const uint8_t *v;
	uint16_t off;		/* offset of its Type octet in the packet */
};

struct radius_iter {
	struct rd r;
};

void radius_iter_init(struct radius_iter *it, const struct radius_pkt *p);
/* 1 and *a filled, 0 at the end, or a negative error (only on a packet that
 * did not come from radius_decode). */
int radius_next(struct radius_iter *it, struct radius_attr *a);
/* First attribute of `type`: 1 and *a filled, or 0. */
int radius_find(const struct radius_pkt *p, uint8_t type, struct radius_attr *a);

/* Typed values. integer, enum, time and address (§5: all 4 octets) read
 * big-endian; an address comes back in host order (10.0.0.1 = 0x0a000001).
 * RADIUS_E_ATTR_LEN when the value is not exactly the type's size. */
int radius_attr_u32(const struct radius_attr *a, uint32_t *v);
/* RFC 3162 §2.3 / RFC 4818 §3 prefix: Reserved, Prefix-Length <= 128, then
 * at most 16 octets, at least enough for Prefix-Length; the bits past the
 * prefix length are cleared in `prefix`. */
int radius_attr_ipv6_prefix(const struct radius_attr *a, uint8_t prefix[16], uint8_t *plen);
/* 16-octet IPv6 address (RFC 3162 §2.1, RFC 6911 §3.1). */
int radius_attr_ipv6_addr(const struct radius_attr *a, uint8_t addr[16]);

/* Vendor-Specific attributes (RFC 2865 §5.26). */
struct radius_vsa {
	uint32_t vendor;
	uint8_t type;		/* vendor type */
	uint8_t len;		/* value octets (vendor-length - 2) */
	const uint8_t *v;
};

struct radius_vsa_iter {
	uint32_t vendor;
	struct rd r;		/* the value after the Vendor-Id */
};

/* Vendors whose VSAs use §5.26's recommended vendor-type/vendor-length
 * layout, and whose inner framing radius_decode therefore checks. Others
 * are kept as raw bytes after the Vendor-Id (radius_vsa_init still works
 * for them, and reports what it finds). */
bool radius_vendor_structured(uint32_t vendor);
/* Start on a Vendor-Specific attribute: RADIUS_E_INVAL when `a` is not one,
 * RADIUS_E_VSA_SHORT when it has no room for a Vendor-Id plus one octet. */
int radius_vsa_init(struct radius_vsa_iter *it, const struct radius_attr *a);
/* 1 and *s filled, 0 at the end, RADIUS_E_VSA_INNER_SHORT or
 * RADIUS_E_VSA_INNER_OVERRUN on bad framing (the iterator then stays at
 * its end). */
int radius_vsa_next(struct radius_vsa_iter *it, struct radius_vsa *s);

/*
 * Cisco-AVPair text (vendor 9, type 1). The value is split on ',' into
 * items and each item once on its first '=' (the manual's
 * "key=value,key2=value2" and the plain one-pair form are the same thing).
 * A value enclosed in double quotes loses them. Empty items are skipped;
 * an item without '=' comes back with has_value false.
 */
struct radius_avpair {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
	bool has_value;
};

struct radius_avpair_iter {
	const uint8_t *p;
	size_t len;
	size_t off;
};

void radius_avpair_init(struct radius_avpair_iter *it, const uint8_t *v, size_t len);
/* 1 and *kv filled, or 0 at the end. */
int radius_avpair_next(struct radius_avpair_iter *it, struct radius_avpair *kv);

/* ---- authenticators (radius_auth.c) -------------------------------------- */

/*
 * MD5(Code | Identifier | Length | A | Attributes | secret) over pkt[0..len)
 * with A = `auth` in place of octets 4..19 (all zero when auth is NULL): the
 * Response Authenticator (RFC 2865 §3, A = the request's authenticator) and
 * the Accounting-Request / Disconnect-Request / CoA-Request Authenticator
 * (RFC 2866 §3, RFC 5176 §2.3, A = zero). len >= 20.
 */
void radius_auth_compute(const uint8_t *pkt, size_t len, const uint8_t *auth,
			 const uint8_t *secret, size_t secret_len, uint8_t out[16]);

/*
 * HMAC-MD5(secret, packet) (RFC 3579 §3.2) over pkt[0..len) with octets
 * 4..19 replaced by `auth` (zero when NULL) and the 16 octets at ma_off
 * (the Message-Authenticator value) taken as zero. Needs 22 <= ma_off and
 * ma_off + 16 <= len, as radius_decode's msg_auth_off always is.
 */
void radius_msg_auth_compute(const uint8_t *pkt, size_t len, size_t ma_off,
			     const uint8_t *auth, const uint8_t *secret, size_t secret_len,
			     uint8_t out[16]);

/*
 * Check a request that arrived (Access-Request, Status-Server,
 * Accounting-Request, Disconnect-Request, CoA-Request; RADIUS_E_CODE
 * otherwise). The authenticator of the last three is verified (RFC 2866 §3,
 * RFC 5176 §2.3); an Access-Request's is random and cannot be. A
 * Message-Authenticator, when present, must verify (computed over the
 * authenticator as sent for Access-Request/Status-Server, over zeroes for
 * the others); when require_msg_auth is set its absence is
 * RADIUS_E_MSG_AUTH_MISSING. Comparisons are constant time.
 */
int radius_verify_request(const struct radius_pkt *p, const uint8_t *secret,
			  size_t secret_len, bool require_msg_auth);

/*
 * Check a response to the request we sent with Identifier req_id and
 * authenticator req_auth: RADIUS_E_CODE when the code is not a response,
 * RADIUS_E_ID, then the Response Authenticator (RFC 2865 §3, RFC 2866 §3,
 * RFC 5176 §2.3), then the Message-Authenticator (RFC 3579 §3.2: computed
 * with the request's authenticator), which must be present when
 * require_msg_auth is set.
 */
int radius_verify_response(const struct radius_pkt *p, uint8_t req_id,
			   const uint8_t req_auth[16], const uint8_t *secret,
			   size_t secret_len, bool require_msg_auth);

/*
 * User-Password hiding (RFC 2865 §5.2): the password padded with zeroes to
 * a multiple of 16 (16 for an empty one), each block XORed with
 * MD5(secret | previous block), the first with MD5(secret | auth). Returns
 * the hidden length, RADIUS_E_ATTR_LEN for a password over 128 octets,
 * RADIUS_E_NOSPACE when out is too small.
 */
int radius_password_hide(const uint8_t *pw, size_t len, const uint8_t *secret,
			 size_t secret_len, const uint8_t auth[16], uint8_t *out, size_t cap);
/* The inverse: returns the password length (trailing zero padding removed)
 * written to out, or RADIUS_E_PASSWORD_LEN when hlen is not 16..128 in
 * steps of 16. */
int radius_password_unhide(const uint8_t *hidden, size_t hlen, const uint8_t *secret,
			   size_t secret_len, const uint8_t auth[16],
			   uint8_t out[RADIUS_PASSWORD_MAX]);

/* ---- building (radius_build.c) ------------------------------------------- */

struct radius_builder {
	struct wr w;
	const uint8_t *secret;
	size_t secret_len;
	uint8_t auth[16];	/* see radius_build_init */
	uint8_t code;
	uint16_t msg_auth_off;	/* offset of the Message-Authenticator value, 0 if none */
	int err;		/* first error, sticky */
};

/*
 * Start a packet in buf[0 .. cap) (at most 4096 octets are used).
 *
 *  - Access-Request, Status-Server: `auth` is the random Request
 *    Authenticator (RFC 2865 §3: unpredictable, from the caller's random
 *    source). A Message-Authenticator is always added, as the first
 *    attribute (RFC 3579 §3.2, RFC 5997 §3; first so a forged packet
 *    cannot prefix chosen attributes, the CVE-2024-3596 mitigation).
 *  - Accounting-Request, Disconnect-Request, CoA-Request: `auth` must be
 *    NULL; the authenticator is computed by radius_build_finish.
 *  - A response code: `auth` is the request's authenticator.
 *
 * msg_auth asks for a Message-Authenticator (first attribute) on the codes
 * where it is optional. Other codes: RADIUS_E_CODE. Returns 0 or an error,
 * which also sticks in b->err.
 */
int radius_build_init(struct radius_builder *b, void *buf, size_t cap, uint8_t code,
		      uint8_t id, const uint8_t *auth, const uint8_t *secret,
		      size_t secret_len, bool msg_auth);

/*
 * Add one attribute; 0 or an error (sticky: later calls do nothing and
 * radius_build_finish returns it). A value over 253 octets is
 * RADIUS_E_ATTR_LEN; an empty value writes nothing (RFC 2865 §5: omit the
 * attribute rather than send a zero-length string); User-Password and
 * Message-Authenticator through radius_add are RADIUS_E_INVAL (they have
 * their own functions).
 */
int radius_add(struct radius_builder *b, uint8_t type, const void *v, size_t len);
int radius_add_str(struct radius_builder *b, uint8_t type, const char *s);
/* integer, enum, time (RFC 2865 §5) */
int radius_add_u32(struct radius_builder *b, uint8_t type, uint32_t v);
/* address in host order: 10.0.0.1 = 0x0a000001 */
int radius_add_addr(struct radius_builder *b, uint8_t type, uint32_t addr);
/* Vendor-Specific with one sub-attribute in §5.26's recommended layout
 * (value at most 247 octets). */
int radius_add_vsa(struct radius_builder *b, uint32_t vendor, uint8_t vtype,
		   const void *v, size_t len);
/* Cisco-AVPair "key=value" (vendor 9, type 1). */
int radius_add_avpair(struct radius_builder *b, const char *key, const char *value);
/* User-Password hidden with the secret and the Request Authenticator
 * (RFC 2865 §5.2). Access-Request only (RADIUS_E_CODE otherwise). */
int radius_add_password(struct radius_builder *b, const uint8_t *pw, size_t len);
/* CHAP-Password (RFC 2865 §5.3: CHAP Ident + 16-octet response) and, when
 * challenge is not NULL, CHAP-Challenge (§5.40) with it. Access-Request only. */
int radius_add_chap(struct radius_builder *b, uint8_t chap_id, const uint8_t resp[16],
		    const uint8_t *challenge, size_t challenge_len);

/* Write Length, the Message-Authenticator and the authenticator. Returns
 * the packet length, or the first error met. */
int radius_build_finish(struct radius_builder *b);

#endif
