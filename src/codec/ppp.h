/*
 * PPP codecs: the frame header inside L2TP data messages (RFC 1661 §2,
 * RFC 1662 §3), the generic control packet (RFC 1661 §5), LCP (RFC 1661,
 * 1570, 1990), IPCP (RFC 1332, 1877), IPV6CP (RFC 5072), CCP (RFC 1962),
 * PAP (RFC 1334) and CHAP-MD5 (RFC 1994).
 *
 * Pure: no I/O, no clock, no logging, no allocation. Decoders fill
 * caller-owned fixed-size structures; pointers they return point into the
 * caller's input buffer and live as long as it does. Builders write into a
 * caller's struct wr (src/codec/buf.h) at its current offset and return the
 * number of octets written, or a negative enum ppp_err.
 *
 * Typical receive path:
 *   ppp_frame_decode(l2tp_payload, n, &f);        -> f.proto, f.payload
 *   ppp_lcp_decode(f.payload, f.payload_len, &m);  -> m.cp.code, m.opts, m.lcp
 * Typical send path (one buffer, header then packet):
 *   ppp_frame_hdr_write(&w, PPP_PROTO_LCP, true, false);
 *   ppp_lcp_conf_build(&w, PPP_CONF_REQ, id, &my_opts);
 */
#ifndef L2TPNS_CODEC_PPP_H
#define L2TPNS_CODEC_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/buf.h"
#include "ppp_wire.h"

/* Results: 0 (or a length) or one of these negative values. */
enum ppp_err {
	PPP_OK = 0,
	PPP_E_SHORT = -1,	/* frame too short for its protocol field */
	PPP_E_PROTO = -2,	/* protocol field not valid per RFC 1661 §2 */
	PPP_E_PKT_SHORT = -3,	/* control packet shorter than its 4-octet header */
	PPP_E_LEN_UNDER = -4,	/* Length field < 4 (RFC 1661 §5) */
	PPP_E_LEN_OVER = -5,	/* Length field larger than the data received */
	PPP_E_OPT_LEN = -6,	/* option Length 0 or 1 (RFC 1661 §6) */
	PPP_E_OPT_OVERRUN = -7,	/* option runs past the end of the packet */
	PPP_E_TOO_MANY_OPTS = -8, /* more than PPP_MAX_OPTS options */
	PPP_E_CODE = -9,	/* code not defined for this protocol (-> Code-Reject) */
	PPP_E_DATA = -10,	/* packet too short for the fixed fields of its code */
	PPP_E_FIELD = -11,	/* an inner length (PAP Peer-ID/Passwd/Msg, CHAP
				   Value-Size) runs past the packet */
	PPP_E_NOSPACE = -12,	/* builder: output buffer too small */
	PPP_E_INVAL = -13,	/* builder: inconsistent input (e.g. value > 255 octets) */
};

/* Stable short name of an error ("ok", "short", ...). Never NULL. */
const char *ppp_strerror(int err);
/* "LCP", "PAP", "CHAP", "IPCP", "IPV6CP", "CCP", "IP", "IPv6", "EAP", ...;
 * NULL when unknown. */
const char *ppp_proto_name(uint16_t proto);
/* Code name for this protocol: "Configure-Request" ... "Time-Remaining",
 * "Reset-Request"/"Reset-Ack" (CCP), "Authenticate-Request/Ack/Nak" (PAP),
 * "Challenge"/"Response"/"Success"/"Failure" (CHAP). NULL when the code is
 * not defined for the protocol. */
const char *ppp_code_name(uint16_t proto, uint8_t code);
/* Option name for this protocol ("MRU", "ACCM", "Auth-Protocol",
 * "Quality-Protocol", "Magic-Number", "PFC", "ACFC", "Callback", "MRRU",
 * "SSNHF", "Endpoint-Discriminator"; "IP-Addresses", "IP-Compression",
 * "IP-Address", "Primary-DNS", "Secondary-DNS", "Primary-NBNS",
 * "Secondary-NBNS"; "Interface-Identifier", "IPv6-Compression"; CCP
 * "Deflate", "MPPC", "BSD-Compress" ...). NULL when unknown. */
const char *ppp_opt_name(uint16_t proto, uint8_t type);

/* ---- frame header (RFC 1661 §2, RFC 1662 §3) ---------------------------- */

struct ppp_frame {
	bool has_ac;		/* ff 03 was present */
	bool pfc;		/* protocol field was one octet */
	uint16_t proto;
	uint16_t hdr_len;	/* 1..4 */
	const uint8_t *payload;	/* first octet after the protocol field */
	size_t payload_len;
};

/*
 * Decode the PPP header of one L2TP data payload. ff 03 is stripped when
 * present whatever ACFC says: CPEs omit it even after ACFC was refused, and
 * a valid protocol never starts ff 03 when it is absent. A first octet with
 * its low bit set is a PFC-compressed protocol (RFC 1661 §6.5); otherwise
 * two octets whose second must be odd (PPP_E_PROTO otherwise). An empty
 * payload is fine (e.g. a zero-length IP frame is the network layer's
 * business).
 */
int ppp_frame_decode(const uint8_t *p, size_t len, struct ppp_frame *f);

/* Write ff 03 (when ac) and the protocol, in one octet when pfc and the
 * value allows it (< 0x100 and odd). Returns octets written. */
int ppp_frame_hdr_write(struct wr *w, uint16_t proto, bool ac, bool pfc);

/* ---- generic control packet (RFC 1661 §5) ------------------------------- */

struct ppp_cp {
	uint8_t code, id;
	uint16_t len;		/* Length field: header included */
	const uint8_t *pkt;	/* the Code octet */
	const uint8_t *data;	/* pkt + 4 */
	uint16_t data_len;	/* len - 4 */
	uint16_t pad;		/* octets after Length: padding, ignored (§5) */
};

/* Header only: Length must be >= 4 and <= len; more data is padding. */
int ppp_cp_decode(const uint8_t *p, size_t len, struct ppp_cp *c);

/* ---- options (RFC 1661 §6) ---------------------------------------------- */

enum { PPP_MAX_OPTS = 64 };

/* Per-option flags the typed decoders set (raw parsing leaves them 0). */
enum {
	PPP_OPT_F_UNKNOWN = 1, /* type we do not implement (unassigned, or assigned but
				  unsupported such as LCP FCS-Alternatives or any CCP
				  algorithm we lack): Configure-Reject it (§5.4) */
	PPP_OPT_F_BAD = 2,     /* known type, but length/value malformed or larger than
				  we keep: the typed field is not filled */
	PPP_OPT_F_DUP = 4,     /* second occurrence of a type: typed field keeps the first */
};

struct ppp_opt {
	uint8_t type;
	uint8_t len;	  /* option Length field: Type and Length octets included */
	uint16_t off;	  /* offset of the Type octet from the Code octet (cp.pkt) */
	uint16_t val_off; /* off + 2: value is cp.pkt[val_off .. val_off + len - 2) */
	uint8_t flags;	  /* PPP_OPT_F_* */
};

struct ppp_optlist {
	uint16_t n;
	struct ppp_opt o[PPP_MAX_OPTS];
};

/* Split the data of a Configure-Request/Ack/Nak/Reject into its options, in
 * wire order. PPP_E_OPT_LEN / PPP_E_OPT_OVERRUN / PPP_E_TOO_MANY_OPTS. */
int ppp_opts_decode(const struct ppp_cp *c, struct ppp_optlist *l);

/* Iterate without a list (pcapdecode): start with *off = 0 (an offset into
 * c->data, advanced by each call); returns 1 and fills *o (flags 0), 0 at
 * the end, or a negative error (then stop: the rest can not be walked). */
int ppp_opt_next(const struct ppp_cp *c, uint16_t *off, struct ppp_opt *o);

static inline const uint8_t *ppp_opt_val(const struct ppp_cp *c, const struct ppp_opt *o)
{
	return c->pkt + o->val_off;
}

static inline uint8_t ppp_opt_vlen(const struct ppp_opt *o)
{
	return (uint8_t)(o->len - PPP_OPT_HDR_LEN);
}

/* ---- builders, generic -------------------------------------------------- */

/* Begin a control packet at w->off: Code, Identifier, Length placeholder.
 * Returns the offset to pass to ppp_cp_end(). */
size_t ppp_cp_begin(struct wr *w, uint8_t code, uint8_t id);
/* Patch the Length; returns the packet length or PPP_E_NOSPACE /
 * PPP_E_INVAL (> 65535). */
int ppp_cp_end(struct wr *w, size_t at);
/* Append one option (value of vlen <= 253 octets). */
void ppp_opt_put(struct wr *w, uint8_t type, const void *val, size_t vlen);
void ppp_opt_put_u8(struct wr *w, uint8_t type, uint8_t v);
void ppp_opt_put_u16(struct wr *w, uint8_t type, uint16_t v);
void ppp_opt_put_u32(struct wr *w, uint8_t type, uint32_t v);

/* Any control packet: header + data copied. */
int ppp_cp_build(struct wr *w, uint8_t code, uint8_t id, const void *data, size_t len);

/*
 * Configure-Ack/Nak/Reject echoing options of a received Configure-Request
 * byte-for-byte (RFC 1661 §5.2, §5.4: same order, unmodified): option
 * l->o[i] is included when bit i of sel is set (sel = ~0 for all, as an Ack
 * needs).
 */
int ppp_conf_echo(struct wr *w, uint8_t code, uint8_t id, const struct ppp_cp *rx,
		  const struct ppp_optlist *l, uint64_t sel);

/* Terminate-Request/Ack (code 5/6), data may be empty. */
int ppp_term_build(struct wr *w, uint8_t code, uint8_t id, const void *data, size_t len);

/*
 * Code-Reject (RFC 1661 §5.6): the rejected packet (starting at its Code
 * octet) is echoed, truncated so the whole Code-Reject fits in mru octets
 * (the peer's MRU; the Information field, RFC 1661 §6.1). PPP_E_INVAL when
 * mru < 4.
 */
int ppp_code_rej_build(struct wr *w, uint8_t id, const void *rej, size_t rej_len, size_t mru);

/* Protocol-Reject (RFC 1661 §5.7): Rejected-Protocol + the rejected
 * information field (the frame payload after the protocol), truncated to
 * fit mru (>= 6). */
int ppp_proto_rej_build(struct wr *w, uint8_t id, uint16_t proto, const void *info,
			size_t info_len, size_t mru);

/* Echo-Request/Reply (code 9/10) and Discard-Request (code 11): Magic-Number
 * + data (RFC 1661 §5.8, §5.9). */
int ppp_echo_build(struct wr *w, uint8_t code, uint8_t id, uint32_t magic, const void *data,
		   size_t len);
/* Identification (RFC 1570 §1.1): Magic-Number + Message. */
int ppp_ident_build(struct wr *w, uint8_t id, uint32_t magic, const void *msg, size_t len);
/* Time-Remaining (RFC 1570 §1.2): Magic-Number + Seconds-Remaining + Message. */
int ppp_time_rem_build(struct wr *w, uint8_t id, uint32_t magic, uint32_t seconds,
		       const void *msg, size_t len);

/* ---- LCP (RFC 1661 §5, §6; RFC 1570; RFC 1990) --------------------------- */

#define PPP_OPT_BIT(type) (UINT32_C(1) << (type))

enum {
	PPP_AUTH_DATA_MAX = 16,	    /* Auth-Protocol data we keep (CHAP: 1 octet) */
	PPP_QUALITY_DATA_MAX = 16,  /* Quality-Protocol data (LQR: 4 octets) */
	PPP_CALLBACK_MSG_MAX = 64,  /* Callback Message */
};

/* Typed LCP options. A field is meaningful only when PPP_OPT_BIT(type) is in
 * present (types 0..31; all LCP options we decode are < 32). PFC, ACFC and
 * SSNHF carry no value: the bit is the option. */
struct ppp_lcp_opts {
	uint32_t present;
	uint16_t mru;				/* 1 */
	uint32_t accm;				/* 2 */
	uint16_t auth_proto;			/* 3 */
	uint8_t auth_data_len;			/* 3: CHAP: 1, data[0] = algorithm */
	uint8_t auth_data[PPP_AUTH_DATA_MAX];
	uint16_t quality_proto;			/* 4 */
	uint8_t quality_data_len;		/* 4: LQR: 4 = Reporting-Period */
	uint8_t quality_data[PPP_QUALITY_DATA_MAX];
	uint32_t magic;				/* 5 */
	uint8_t callback_op;			/* 13 */
	uint8_t callback_msg_len;
	uint8_t callback_msg[PPP_CALLBACK_MSG_MAX];
	uint16_t mrru;				/* 17 */
	uint8_t epdisc_class;			/* 19 */
	uint8_t epdisc_len;
	uint8_t epdisc[PPP_EPDISC_ADDR_MAX];
	uint16_t n_unknown;			/* options flagged PPP_OPT_F_UNKNOWN */
	uint16_t n_bad;				/* options flagged PPP_OPT_F_BAD */
};

/* One decoded LCP packet. */
struct ppp_lcp_pkt {
	struct ppp_cp cp;
	struct ppp_optlist opts;	/* Configure-*: raw options, flags set */
	struct ppp_lcp_opts lcp;	/* Configure-*: typed */
	uint32_t magic;			/* Echo-*, Discard, Identification, Time-Remaining */
	uint32_t seconds;		/* Time-Remaining */
	uint16_t rej_proto;		/* Protocol-Reject */
	/* What follows the fixed fields: Terminate data, Code-Reject's rejected
	 * packet, Protocol-Reject's rejected information, Echo/Discard data,
	 * Identification/Time-Remaining message. */
	const uint8_t *rest;
	uint16_t rest_len;
};

/*
 * Decode one LCP packet (the payload of protocol 0xc021). PPP_E_CODE for a
 * code outside 1..13 (the header is still in m->cp, so the caller can
 * Code-Reject it); PPP_E_DATA when Echo/Discard/Identification lack the
 * Magic-Number, Time-Remaining its 8 octets, Protocol-Reject its protocol,
 * or Code-Reject any rejected packet.
 */
int ppp_lcp_decode(const uint8_t *p, size_t len, struct ppp_lcp_pkt *m);

/* Fill the typed view from a raw option list (sets each option's flags). */
void ppp_lcp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l, struct ppp_lcp_opts *o);

/* Write every present option of o in ascending type order. */
int ppp_lcp_opts_write(struct wr *w, const struct ppp_lcp_opts *o);
/* Configure-Request/Ack/Nak/Reject carrying the present options of o. */
int ppp_lcp_conf_build(struct wr *w, uint8_t code, uint8_t id, const struct ppp_lcp_opts *o);

/* ---- IPCP (RFC 1332, RFC 1877) ------------------------------------------ */

/* Presence bits of struct ppp_ipcp_opts (IPCP types do not fit a 32-bit
 * 1<<type set). */
enum {
	PPP_IPCP_HAS_ADDRS = 1u << 0,
	PPP_IPCP_HAS_COMP = 1u << 1,
	PPP_IPCP_HAS_ADDR = 1u << 2,
	PPP_IPCP_HAS_DNS1 = 1u << 3,
	PPP_IPCP_HAS_NBNS1 = 1u << 4,
	PPP_IPCP_HAS_DNS2 = 1u << 5,
	PPP_IPCP_HAS_NBNS2 = 1u << 6,
};

enum { PPP_COMP_DATA_MAX = 16 };

/* Addresses in host order (0x0a000001 = 10.0.0.1). */
struct ppp_ipcp_opts {
	uint32_t present;
	uint32_t addrs_src, addrs_dst;		/* 1, deprecated */
	uint16_t comp_proto;			/* 2 */
	uint8_t comp_data_len;			/* VJ: 2 (Max-Slot-Id, Comp-Slot-Id) */
	uint8_t comp_data[PPP_COMP_DATA_MAX];
	uint32_t addr;				/* 3 */
	uint32_t dns1, nbns1, dns2, nbns2;	/* 129, 130, 131, 132 */
	uint16_t n_unknown, n_bad;
};

/* ---- IPV6CP (RFC 5072) --------------------------------------------------- */

struct ppp_ipv6cp_opts {
	uint32_t present;			/* PPP_OPT_BIT(type) */
	uint8_t ifid[PPP_IPV6CP_IFID_LEN];	/* 1 */
	uint16_t comp_proto;			/* 2 */
	uint8_t comp_data_len;
	uint8_t comp_data[PPP_COMP_DATA_MAX];
	uint16_t n_unknown, n_bad;
};

/* ---- CCP (RFC 1962): parsed to be rejected ------------------------------- */

struct ppp_ccp_opts {
	uint32_t present;	/* PPP_OPT_BIT(type) for known types < 32 */
	uint16_t n_unknown, n_bad;
};

/* One decoded IPCP, IPV6CP or CCP packet; only the typed view of cp's
 * protocol is filled. */
struct ppp_ncp_pkt {
	uint16_t proto;
	struct ppp_cp cp;
	struct ppp_optlist opts;
	struct ppp_ipcp_opts ipcp;
	struct ppp_ipv6cp_opts ipv6cp;
	struct ppp_ccp_opts ccp;
	/* Terminate data, Code-Reject's rejected packet, CCP Reset data. */
	const uint8_t *rest;
	uint16_t rest_len;
};

/*
 * Decode one IPCP (0x8021), IPV6CP (0x8057) or CCP (0x80fd / 0x80fb)
 * packet. Codes 1..7 (and 14, 15 for CCP); PPP_E_CODE otherwise (header in
 * m->cp for the Code-Reject), PPP_E_INVAL for another protocol, PPP_E_DATA
 * for a Code-Reject without a rejected packet.
 */
int ppp_ncp_decode(uint16_t proto, const uint8_t *p, size_t len, struct ppp_ncp_pkt *m);

void ppp_ipcp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l, struct ppp_ipcp_opts *o);
void ppp_ipv6cp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l,
			  struct ppp_ipv6cp_opts *o);
void ppp_ccp_opts_from(const struct ppp_cp *c, struct ppp_optlist *l, struct ppp_ccp_opts *o);

/* Present options in ascending type order, and the Configure-* builders. */
int ppp_ipcp_opts_write(struct wr *w, const struct ppp_ipcp_opts *o);
int ppp_ipcp_conf_build(struct wr *w, uint8_t code, uint8_t id, const struct ppp_ipcp_opts *o);
int ppp_ipv6cp_opts_write(struct wr *w, const struct ppp_ipv6cp_opts *o);
int ppp_ipv6cp_conf_build(struct wr *w, uint8_t code, uint8_t id,
			  const struct ppp_ipv6cp_opts *o);

/* ---- PAP (RFC 1334 §2) -------------------------------------------------- */

struct ppp_pap_pkt {
	struct ppp_cp cp;
	const uint8_t *peer_id;	/* Authenticate-Request */
	uint8_t peer_id_len;
	const uint8_t *passwd;
	uint8_t passwd_len;
	const uint8_t *msg;	/* Authenticate-Ack/Nak */
	uint8_t msg_len;
};

/* PPP_E_CODE outside 1..3; PPP_E_DATA / PPP_E_FIELD when a length octet is
 * missing or runs past Length. An Ack/Nak with no Msg-Length octet at all
 * is accepted as an empty message (seen from real peers). */
int ppp_pap_decode(const uint8_t *p, size_t len, struct ppp_pap_pkt *m);
int ppp_pap_req_build(struct wr *w, uint8_t id, const void *peer, size_t peer_len,
		      const void *pass, size_t pass_len);
/* Authenticate-Ack/Nak (code 2/3) with Message (<= 255 octets). */
int ppp_pap_reply_build(struct wr *w, uint8_t code, uint8_t id, const void *msg, size_t len);

/* ---- CHAP (RFC 1994 §4) ------------------------------------------------- */

struct ppp_chap_pkt {
	struct ppp_cp cp;
	const uint8_t *value;	/* Challenge/Response */
	uint8_t value_len;
	const uint8_t *name;
	uint16_t name_len;
	const uint8_t *msg;	/* Success/Failure */
	uint16_t msg_len;
};

/* PPP_E_CODE outside 1..4; PPP_E_DATA without Value-Size, PPP_E_FIELD when
 * the Value runs past Length. A zero Value-Size is decoded (the caller
 * decides: RFC 1994 §4.1 requires at least one octet). */
int ppp_chap_decode(const uint8_t *p, size_t len, struct ppp_chap_pkt *m);
/* Challenge or Response (code 1/2): Value-Size, Value, Name. */
int ppp_chap_value_build(struct wr *w, uint8_t code, uint8_t id, const void *value,
			 size_t value_len, const void *name, size_t name_len);
/* Success or Failure (code 3/4) with Message. */
int ppp_chap_result_build(struct wr *w, uint8_t code, uint8_t id, const void *msg, size_t len);

/* RFC 1994 §2.2 / RFC 1994 §4.1 with MD5: MD5(Identifier || secret ||
 * challenge) into out. */
void ppp_chap_md5(uint8_t id, const void *secret, size_t secret_len, const void *chal,
		  size_t chal_len, uint8_t out[PPP_CHAP_MD5_LEN]);
/* Constant-time check of a received Response value. False when the length
 * is not 16. */
bool ppp_chap_md5_check(uint8_t id, const void *secret, size_t secret_len, const void *chal,
			size_t chal_len, const uint8_t *resp, size_t resp_len);

#endif
