/*
 * L2TPv2 codec (RFC 2661): header, every AVP of §4.4, hidden AVPs (§4.3),
 * tunnel authentication (§5.1.1) and builders for every message an LNS (and,
 * for our test tools, a LAC) sends.
 *
 * Pure: no I/O, no clock, no logging, no allocation. Decoders fill
 * caller-owned fixed-size structures; every length that came off the wire is
 * checked before use, including lengths deciphered from hidden AVPs.
 */
#ifndef L2TPNS_CODEC_L2TP_H
#define L2TPNS_CODEC_L2TP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tp_wire.h"

/* Decode/encode results: 0 or one of these negative values, each distinct so
 * callers and pcapdecode can say exactly what was wrong. */
enum l2tp_err {
	L2TP_OK = 0,
	L2TP_E_SHORT = -1,	     /* datagram shorter than the header its flags announce */
	L2TP_E_VERSION = -2,	     /* version other than 2 or 3 */
	L2TP_E_V3 = -3,		     /* L2TPv3 (RFC 3931) header on the L2TPv2 port */
	L2TP_E_CTRL_FLAGS = -4,	     /* control message without L and S, or with O/P (§3.1) */
	L2TP_E_LEN_OVER = -5,	     /* declared Length larger than the datagram */
	L2TP_E_LEN_UNDER = -6,	     /* declared Length smaller than the header */
	L2TP_E_TRAILING = -7,	     /* bytes after the declared Length */
	L2TP_E_OFFSET = -8,	     /* Offset Size points past the end */
	L2TP_E_AVP_SHORT = -9,	     /* AVP length below 6 */
	L2TP_E_AVP_OVERRUN = -10,    /* AVP runs past the end of the message */
	L2TP_E_NO_MSG_TYPE = -11,    /* first AVP is not Message Type (§4.4.1) */
	L2TP_E_AVP_LEN = -12,	     /* AVP value length wrong for its type */
	L2TP_E_AVP_TOO_LONG = -13,   /* AVP value longer than we keep */
	L2TP_E_HIDDEN_NO_SECRET = -14, /* hidden AVP but no secret configured */
	L2TP_E_HIDDEN_NO_RV = -15,   /* hidden AVP not preceded by Random Vector */
	L2TP_E_HIDDEN_LEN = -16,     /* deciphered length does not fit the AVP */
	L2TP_E_UNKNOWN_M = -17,	     /* unknown AVP with the M bit: message fully
					decoded otherwise, see msg.unknown_* */
	L2TP_E_DUP_AVP = -18,	     /* the same AVP twice in one message */
	L2TP_E_MSG_TYPE = -19,	     /* Message Type value unknown */
	L2TP_E_NOSPACE = -20,	     /* encode: output buffer too small */
	L2TP_E_INVAL = -21,	     /* encode: inconsistent input */
	L2TP_E_HIDDEN_FORBIDDEN = -22, /* H bit on an AVP §4.4 says MUST NOT be
					  hidden: decode refuses it on Random
					  Vector only, encode on every such AVP
					  (L2TP_NOHIDE_MASK) */
};

/* A short name for an error, stable (used in logs and pcapdecode output). */
const char *l2tp_strerror(int err);
/* RFC 2661 name of a message type ("SCCRQ" ... "SLI"), NULL when unknown. */
const char *l2tp_msg_name(uint16_t type);
/* RFC 2661 name of an AVP type ("Host Name" ...), NULL when unknown. */
const char *l2tp_avp_name(uint16_t type);

/* §3.1 header, decoded. */
struct l2tp_hdr {
	uint16_t flags;	     /* first 16 bits as on the wire */
	uint8_t ver;
	bool ctrl;	     /* T */
	bool has_len;	     /* L */
	bool has_seq;	     /* S */
	bool has_off;	     /* O */
	bool prio;	     /* P */
	uint16_t length;     /* declared Length (0 when !has_len) */
	uint16_t tid;
	uint16_t sid;
	uint16_t ns;
	uint16_t nr;
	uint16_t off_size;
	uint16_t hdr_len;    /* bytes before the payload, offset padding included */
	uint16_t payload_len;/* bytes of payload (AVPs, or the PPP frame) */
};

/*
 * Decode and validate the header of one UDP payload. On L2TP_OK the payload
 * is pkt[h->hdr_len .. h->hdr_len + h->payload_len). For a control message
 * the declared Length must equal the datagram length (L2TP_E_TRAILING or
 * L2TP_E_LEN_OVER otherwise); the same holds for a data message that carries
 * L. Reserved (x) bits are ignored (§3.1). A datagram longer than 65535
 * octets without L yields L2TP_E_INVAL.
 */
int l2tp_hdr_decode(const uint8_t *pkt, size_t len, struct l2tp_hdr *h);

/* Fixed-capacity byte strings. Values longer than the capacity are refused
 * with L2TP_E_AVP_TOO_LONG rather than truncated. */
#define L2TP_BYTES(n) struct { uint16_t len; uint8_t v[n]; }

enum {
	L2TP_NAME_MAX = 256,   /* Host Name, Vendor Name, Proxy Authen Name */
	L2TP_NUMBER_MAX = 128, /* Called/Calling Number, Sub-Address, Private Group ID */
	L2TP_CHAL_MAX = 128,   /* Challenge, Random Vector, proxy challenge/response */
	L2TP_LCP_MAX = 256,    /* proxy LCP CONFREQ AVPs */
	L2TP_MSGTEXT_MAX = 256,/* Result Code / Q.931 advisory message */
};

/*
 * One control message. present/mandatory/hidden are bit sets indexed by
 * attribute type (0..L2TP_AVP_MAX); a field is meaningful only when its bit is
 * in `present`. The decoder records the M and H bits as received; the encoder
 * writes exactly the AVPs in `present`, in ascending attribute order after
 * Message Type, with the M bits in `mandatory` and hiding those in `hidden`.
 */
struct l2tp_msg {
	uint16_t type; /* AVP 0; L2TP_MSG_ZLB for a message without AVPs */
	uint64_t present;
	uint64_t mandatory;
	uint64_t hidden;

	struct {		/* 1 */
		uint16_t result;
		uint16_t error;	/* valid when has_error */
		bool has_error;
		L2TP_BYTES(L2TP_MSGTEXT_MAX) msg;
	} result;
	uint8_t proto_ver, proto_rev;	/* 2 */
	uint32_t framing_cap;		/* 3 */
	uint32_t bearer_cap;		/* 4 */
	uint8_t tie_breaker[8];		/* 5 */
	uint16_t firmware_rev;		/* 6 */
	L2TP_BYTES(L2TP_NAME_MAX) host_name;	/* 7 */
	L2TP_BYTES(L2TP_NAME_MAX) vendor_name;	/* 8 */
	uint16_t assigned_tid;		/* 9 */
	uint16_t rx_window;		/* 10 */
	L2TP_BYTES(L2TP_CHAL_MAX) challenge;	/* 11 */
	struct {			/* 12 */
		uint16_t cause;
		uint8_t msg_code;
		L2TP_BYTES(L2TP_MSGTEXT_MAX) advisory;
	} q931;
	uint8_t challenge_resp[16];	/* 13 */
	uint16_t assigned_sid;		/* 14 */
	uint32_t call_serial;		/* 15 */
	uint32_t min_bps;		/* 16 */
	uint32_t max_bps;		/* 17 */
	uint32_t bearer_type;		/* 18 */
	uint32_t framing_type;		/* 19 */
	L2TP_BYTES(L2TP_NUMBER_MAX) called_number;	/* 21 */
	L2TP_BYTES(L2TP_NUMBER_MAX) calling_number;	/* 22 */
	L2TP_BYTES(L2TP_NUMBER_MAX) sub_address;	/* 23 */
	uint32_t tx_connect_speed;	/* 24 */
	uint32_t phys_channel;		/* 25 */
	L2TP_BYTES(L2TP_LCP_MAX) initial_rx_lcp;	/* 26 */
	L2TP_BYTES(L2TP_LCP_MAX) last_sent_lcp;		/* 27 */
	L2TP_BYTES(L2TP_LCP_MAX) last_rx_lcp;		/* 28 */
	uint16_t proxy_auth_type;	/* 29 */
	L2TP_BYTES(L2TP_NAME_MAX) proxy_auth_name;	/* 30 */
	L2TP_BYTES(L2TP_CHAL_MAX) proxy_auth_challenge;	/* 31 */
	uint16_t proxy_auth_id;		/* 32: reserved octet + ID, as on the wire */
	L2TP_BYTES(L2TP_CHAL_MAX) proxy_auth_response;	/* 33 */
	struct {			/* 34 */
		uint32_t crc, framing, hw_overruns, buf_overruns, timeouts, alignment;
	} call_errors;
	struct {			/* 35 */
		uint32_t send, recv;
	} accm;
	L2TP_BYTES(L2TP_CHAL_MAX) random_vector;	/* 36 */
	L2TP_BYTES(L2TP_NUMBER_MAX) private_group_id;	/* 37 */
	uint32_t rx_connect_speed;	/* 38 */
	/* 39 Sequencing Required: presence only */

	/* RFC 3145 PPP Disconnect Cause Code (vendor 0, type 46), kept for CDN. */
	bool has_ppp_disconnect;
	uint16_t ppp_disc_code, ppp_disc_proto;
	uint8_t ppp_disc_direction;
	L2TP_BYTES(L2TP_MSGTEXT_MAX) ppp_disc_msg; /* optional UTF-8 text */

	/* First unrecognised AVP carrying the M bit (L2TP_E_UNKNOWN_M). */
	bool unknown_m;
	uint16_t unknown_vendor, unknown_type;
	/* Count of unrecognised AVPs without M that were skipped. */
	uint16_t skipped;
};

#define L2TP_HAS(m, avp) (((m)->present >> (avp)) & 1u)

/* Bit (in present/mandatory/hidden) of RFC 3145's AVP 46: the decoder sets
 * it together with has_ppp_disconnect; the encoder writes AVP 46 when either
 * is set. Bit 0 (Message Type) is set by the decoder on every non-ZLB. */
#define L2TP_BIT(avp) ((uint64_t)1 << (avp))

/* AVPs §4.4 says MUST NOT be hidden: Message Type, Protocol Version, Tie
 * Breaker, Host Name, Receive Window Size, Random Vector, Sequencing
 * Required. The decoder accepts a hidden one it can unhide (robustness),
 * except Random Vector; the encoder refuses them all. */
#define L2TP_NOHIDE_MASK                                                                   \
	(L2TP_BIT(L2TP_AVP_MESSAGE_TYPE) | L2TP_BIT(L2TP_AVP_PROTOCOL_VERSION) |           \
	 L2TP_BIT(L2TP_AVP_TIE_BREAKER) | L2TP_BIT(L2TP_AVP_HOST_NAME) |                   \
	 L2TP_BIT(L2TP_AVP_RX_WINDOW_SIZE) | L2TP_BIT(L2TP_AVP_RANDOM_VECTOR) |            \
	 L2TP_BIT(L2TP_AVP_SEQUENCING_REQUIRED))

/* The tunnel secret, needed to read and write hidden AVPs. */
struct l2tp_secret {
	const uint8_t *v;
	size_t len;
};

/*
 * Decode the AVPs of a control message payload (as located by
 * l2tp_hdr_decode). sec may be NULL (no secret). The message is zeroed first.
 * On L2TP_E_UNKNOWN_M every other AVP has still been decoded, so the caller
 * can answer with the right Result Code. An empty payload yields a ZLB.
 * On any other error, decoding stops at the faulty AVP: m->type (once the
 * first AVP was read) and the AVPs before it are valid. L2TP_E_MSG_TYPE:
 * m->type holds the unknown value and bit 0 of m->mandatory its M bit
 * (§4.4.1: M set => clear the tunnel, else ignore the message).
 * L2TP_E_NO_MSG_TYPE leaves m->type 0. Connect Speeds sent as ASCII digits
 * (Cisco AS5300) are accepted. An AVP that arrives hidden although §4.4
 * says it must not be is accepted (robustness), except the Random Vector.
 */
int l2tp_msg_decode(const uint8_t *avps, size_t len, const struct l2tp_secret *sec,
		    struct l2tp_msg *m);

/* §6: the AVPs RFC 2661 says each message MUST carry. Returns 0 when all are
 * present, else the attribute type of the first missing one plus 1 (so 0 is
 * never ambiguous): callers answer with Result 2, Error 2 ("length wrong")
 * per §4.4.2's use of missing mandatory AVPs. */
int l2tp_msg_missing_avp(const struct l2tp_msg *m);

/* Encode a control message, header included: T, L, S set, ver 2. rv supplies
 * the random bytes for the Random Vector that hidden AVPs need (rv may be NULL
 * when m->hidden is 0; at least 16 bytes otherwise); when m->hidden is set and
 * the message has no Random Vector, one is inserted from rv. Returns the
 * length written or an l2tp_err.
 * The Random Vector (m's own, or the inserted one, M set) goes right after
 * Message Type so it precedes every hidden AVP (§4.3); hidden values are
 * padded to a 16-octet subformat. Hidden bits in L2TP_NOHIDE_MASK give
 * L2TP_E_HIDDEN_FORBIDDEN; hidden bits of absent AVPs are ignored. */
int l2tp_msg_encode(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid, uint16_t ns,
		    uint16_t nr, const struct l2tp_msg *m, const struct l2tp_secret *sec,
		    const uint8_t *rv, size_t rv_len);

/* A ZLB acknowledgement (§5.8): header only. */
int l2tp_zlb_encode(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid, uint16_t ns,
		    uint16_t nr);

/* Data message header (§3.1), written in front of a PPP frame. No L, no S,
 * no O unless asked for; returns header length (6 without options). */
int l2tp_data_hdr_encode(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid, bool prio);

/* §5.1.1: MD5(msg_type as one octet || secret || challenge). msg_type is the
 * Message Type of the message carrying the response (SCCRP=2, SCCCN=3). */
void l2tp_challenge_response(uint8_t msg_type, const struct l2tp_secret *sec,
			     const uint8_t *chal, size_t chal_len, uint8_t out[16]);

/* §4.3 hiding, exposed for tests and the fuzzer: in and out may not overlap.
 * Hide: out = cipher of (u16 len || value || pad_len zero bytes), returns its
 * length. Unhide: returns the original value length or L2TP_E_HIDDEN_LEN. */
int l2tp_hide(uint16_t attr, const struct l2tp_secret *sec, const uint8_t *rv, size_t rv_len,
	      const uint8_t *val, size_t val_len, size_t pad_len, uint8_t *out, size_t cap);
int l2tp_unhide(uint16_t attr, const struct l2tp_secret *sec, const uint8_t *rv,
		size_t rv_len, const uint8_t *in, size_t in_len, uint8_t *out, size_t cap);

/* Builders: fill *m with exactly the AVPs RFC 2661 §6 lists for the message,
 * with the M bits the RFC prescribes. Strings are copied (and truncated to
 * the field capacity). Optional values are added when non-zero/non-NULL. */
struct l2tp_sccrq_args {
	uint16_t assigned_tid;
	const char *host_name;
	const char *vendor_name;	/* optional */
	uint16_t rx_window;		/* 0: omit */
	uint32_t framing_cap, bearer_cap;
	uint16_t firmware_rev;		/* 0: omit */
	const uint8_t *challenge;	/* optional */
	size_t challenge_len;
	const uint8_t *tie_breaker;	/* optional, 8 bytes */
};
void l2tp_build_sccrq(struct l2tp_msg *m, const struct l2tp_sccrq_args *a);
/* SCCRP: same arguments, plus an optional challenge response. */
void l2tp_build_sccrp(struct l2tp_msg *m, const struct l2tp_sccrq_args *a,
		      const uint8_t *chal_resp /* 16 bytes or NULL */);
void l2tp_build_scccn(struct l2tp_msg *m, const uint8_t *chal_resp /* or NULL */);
void l2tp_build_stopccn(struct l2tp_msg *m, uint16_t assigned_tid, uint16_t result,
			uint16_t error, const char *text /* optional */);
void l2tp_build_hello(struct l2tp_msg *m);
struct l2tp_icrq_args {
	uint16_t assigned_sid;
	uint32_t call_serial;
	uint32_t bearer_type;		/* 0: omit */
	uint32_t phys_channel;		/* 0: omit */
	const char *called_number, *calling_number, *sub_address; /* optional */
};
void l2tp_build_icrq(struct l2tp_msg *m, const struct l2tp_icrq_args *a);
void l2tp_build_icrp(struct l2tp_msg *m, uint16_t assigned_sid);
struct l2tp_iccn_args {
	uint32_t tx_connect_speed;
	uint32_t framing_type;
	uint32_t rx_connect_speed;	/* 0: omit */
	bool sequencing_required;
	/* proxy LCP and authentication (optional) */
	const uint8_t *initial_rx_lcp, *last_sent_lcp, *last_rx_lcp;
	size_t initial_rx_lcp_len, last_sent_lcp_len, last_rx_lcp_len;
	uint16_t proxy_auth_type;	/* 0: omit all proxy auth AVPs */
	const char *proxy_auth_name;
	const uint8_t *proxy_auth_challenge, *proxy_auth_response;
	size_t proxy_auth_challenge_len, proxy_auth_response_len;
	uint8_t proxy_auth_id;
};
void l2tp_build_iccn(struct l2tp_msg *m, const struct l2tp_iccn_args *a);
void l2tp_build_cdn(struct l2tp_msg *m, uint16_t assigned_sid, uint16_t result, uint16_t error,
		    const char *text /* optional */);
/* Optionally add Q.931 cause to a CDN built above. */
void l2tp_msg_set_q931(struct l2tp_msg *m, uint16_t cause, uint8_t msg_code);

#endif
