/*
 * nsctl control packets: the wire format of the original l2tpns control
 * channel (UDP port 1702), plus our optional authenticator trailer.
 *
 * Base packet, byte-exact with the original so that an old nsctl talks to our
 * daemon and ours to an old daemon:
 *
 *     uint16  magic 0x9013 (network order)
 *     uint8   type   requests 0x11 LOAD, 0x12 UNLOAD, 0x13 HELP, 0x14 CONTROL
 *                    responses 0x21 OK, 0x22 ERR
 *     uint8   argc
 *     argc x { uint8 len; len bytes }     (no NUL on the wire)
 *     uint8   0xFF terminator
 *
 * The whole datagram is at most 4096 bytes. The original truncated arguments
 * that did not fit its buffer silently; an argument is here refused
 * (NSCTL_ERR_ARGLEN) when longer than the 255 its length byte can say.
 *
 * Authenticator trailer (our extension, used only when an nsctl_secret is
 * configured). It follows the 0xFF terminator:
 *
 *     uint8   kind   0x01 = HMAC-SHA256 v1
 *     uint8   len    48 (bytes after this one)
 *     uint64  time   sender's clock, UNIX seconds, network order
 *     uint8   nonce[8]   random, chosen by the requester
 *     uint8   mac[32]    HMAC-SHA256(key = secret, data = every datagram byte
 *                        from the magic through the nonce)
 *
 * The MAC covers the type byte, so a signed request cannot be replayed as a
 * response nor the reverse. The daemon answers a signed request with a signed
 * response that echoes the request's nonce, so the client can tell its answer
 * from a forged or stale one. The original rejected any byte after the
 * terminator, so a signed request to an old daemon fails cleanly with "error
 * unpacking control packet" rather than being half understood; unsigned
 * packets stay exactly the original format.
 *
 * Pure: no I/O, no allocation. Argument pointers returned by nsctl_unpack
 * point into the caller's datagram, which must outlive them (the original
 * returned pointers into a stack copy that was gone on return).
 */
#ifndef L2TPNS_CODEC_NSCTL_H
#define L2TPNS_CODEC_NSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NSCTL_PORT 1702
#define NSCTL_MAGIC 0x9013
#define NSCTL_MAX_PKT 4096	/* whole datagram, trailer included */
#define NSCTL_MAX_ARGC 255	/* argc is one byte */
#define NSCTL_MAX_ARGLEN 255	/* each length is one byte */
#define NSCTL_TERMINATOR 0xFF
#define NSCTL_HDR_LEN 4		/* magic, type, argc */
#define NSCTL_MIN_PKT 5		/* header and terminator */

#define NSCTL_AUTH_KIND_HMAC_SHA256 0x01
#define NSCTL_AUTH_BODY_LEN 48	/* time 8 + nonce 8 + mac 32 */
#define NSCTL_AUTH_LEN 50	/* kind, len, body */
#define NSCTL_NONCE_LEN 8
#define NSCTL_MAC_LEN 32

enum nsctl_type {
	NSCTL_REQ_LOAD = 0x11,
	NSCTL_REQ_UNLOAD = 0x12,
	NSCTL_REQ_HELP = 0x13,
	NSCTL_REQ_CONTROL = 0x14,
	NSCTL_RES_OK = 0x21,
	NSCTL_RES_ERR = 0x22,
};

/* -1..-4 keep the numbers the original's unpacker returned. */
enum nsctl_err {
	NSCTL_ERR_SHORT = -1,	/* datagram ends inside the packet */
	NSCTL_ERR_LONG = -2,	/* over 4096 bytes, or bytes after the terminator */
	NSCTL_ERR_MAGIC = -3,
	NSCTL_ERR_TYPE = -4,
	NSCTL_ERR_TERM = -5,	/* byte after the last argument is not 0xFF */
	NSCTL_ERR_ARGC = -6,	/* pack: more than 255 arguments */
	NSCTL_ERR_ARGLEN = -7,	/* pack: an argument over 255 bytes */
	NSCTL_ERR_SPACE = -8,	/* pack: does not fit the buffer or 4096 bytes */
	NSCTL_ERR_AUTH = -9,	/* trailer missing, malformed, or MAC mismatch */
	NSCTL_ERR_INVAL = -10,	/* bad argument from the caller */
};

struct nsctl_arg {
	const uint8_t *p;	/* not NUL-terminated */
	uint8_t len;
};

struct nsctl_auth {
	uint64_t time;
	uint8_t nonce[NSCTL_NONCE_LEN];
	uint8_t mac[NSCTL_MAC_LEN];
};

struct nsctl_msg {
	uint8_t type;
	uint8_t argc;
	struct nsctl_arg argv[NSCTL_MAX_ARGC];
	bool has_auth;
	struct nsctl_auth auth;
	size_t base_len;	/* bytes through the terminator */
	size_t signed_len;	/* bytes covered by the MAC (base + 18) */
};

bool nsctl_type_valid(unsigned type);
bool nsctl_type_is_request(unsigned type);

/*
 * Encode an unsigned packet into out[0..cap). Returns its length or a
 * negative enum nsctl_err; never writes past cap, never truncates an argument.
 */
int nsctl_pack(uint8_t *out, size_t cap, uint8_t type, size_t argc,
	       const struct nsctl_arg *argv);
/* The same from C strings (argv[i] may not be NULL). */
int nsctl_pack_str(uint8_t *out, size_t cap, uint8_t type, size_t argc,
		   const char *const *argv);

/*
 * Decode a datagram. A well-formed authenticator trailer is accepted and
 * returned in m->auth (not verified: see nsctl_auth_verify); any other byte
 * after the terminator is NSCTL_ERR_LONG. Returns argc or a negative error.
 */
int nsctl_unpack(struct nsctl_msg *m, const uint8_t *p, size_t len);

/*
 * Append a trailer to the len-byte packet in buf (cap bytes of room), MAC
 * computed with secret. Returns the new length or a negative error.
 */
int nsctl_auth_sign(uint8_t *buf, size_t len, size_t cap, const void *secret,
		    size_t secret_len, uint64_t time, const uint8_t nonce[NSCTL_NONCE_LEN]);

/* Write a trailer as given (MAC included) at the end of a packet; for repacking. */
int nsctl_auth_put(uint8_t *buf, size_t len, size_t cap, const struct nsctl_auth *a);

/*
 * Check the MAC of a message nsctl_unpack decoded from p. 0 when it matches,
 * NSCTL_ERR_AUTH when absent or wrong. Compared in constant time.
 */
int nsctl_auth_verify(const struct nsctl_msg *m, const uint8_t *p, const void *secret,
		      size_t secret_len);

const char *nsctl_strerror(int err);

#endif
