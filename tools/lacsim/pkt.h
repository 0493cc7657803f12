/*
 * Pure helpers of the LAC simulator: IPv4/UDP packets built by hand for the
 * data phase, the test payload they carry, PPP frame header parsing, and a
 * timer heap. No I/O, no clock: unit-tested in tests/unit/test_lacsim_pkt.c.
 */
#ifndef LACSIM_PKT_H
#define LACSIM_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	PKT_IP_HDR = 20,
	PKT_UDP_HDR = 8,
	/* test payload: magic, session number, sequence, timestamp (ns) */
	PKT_PAYLOAD_MIN = 20,
	PKT_MAGIC = 0x4c53494d, /* "LSIM" */
};

/* RFC 1071 one's-complement sum of len bytes added to sum (not folded). */
uint32_t pkt_csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* Fold and complement a sum from pkt_csum_add. */
uint16_t pkt_csum_fold(uint32_t sum);

struct pkt_udp4 {
	uint32_t src, dst;	/* host order */
	uint16_t sport, dport;
	uint16_t ip_id;
	uint8_t ttl;
};

/*
 * Write an IPv4 header (RFC 791, no options, DF clear) and a UDP header
 * (RFC 768, checksum over the pseudo-header) in front of payload, which the
 * caller has already placed at buf + 28. Returns the total IP length or -1
 * when it does not fit (cap) or exceeds 65535.
 */
int pkt_udp4_build(uint8_t *buf, size_t cap, const struct pkt_udp4 *u, size_t payload_len);

/*
 * Parse an IPv4/UDP packet: header checksum, lengths and (if non-zero) the
 * UDP checksum are verified. On success fills *u and points *payload into
 * pkt; returns the payload length, or a negative value saying what was wrong:
 * -1 short/not IPv4, -2 bad IP header checksum, -3 not UDP or fragment,
 * -4 bad UDP length, -5 bad UDP checksum.
 */
int pkt_udp4_parse(const uint8_t *pkt, size_t len, struct pkt_udp4 *u, const uint8_t **payload);

struct pkt_payload {
	uint32_t session;	/* session number 1..T*N */
	uint32_t seq;
	uint64_t ts_ns;
};

/* Fill len bytes (>= PKT_PAYLOAD_MIN) with the test payload, rest zero.
 * Returns len or -1. */
int pkt_payload_write(uint8_t *p, size_t len, const struct pkt_payload *pl);
/* Read it back; -1 when too short or the magic is wrong. */
int pkt_payload_read(const uint8_t *p, size_t len, struct pkt_payload *pl);

/*
 * A PPP frame as carried in an L2TP data message (RFC 2661 §3.1 / RFC 1662
 * §3.2): optional ff 03 (ACFC), protocol of 1 byte when its low bit is set
 * (PFC, RFC 1661 §6.5) else 2 bytes. Returns the offset of the information
 * field and stores the protocol, or -1 when malformed.
 */
int pkt_ppp_parse(const uint8_t *f, size_t len, uint16_t *proto);

/* Timer heap keyed by due time; entries carry an opaque key and a generation
 * so a re-armed or cancelled timer's old entry is recognised as stale by the
 * caller (lazy deletion). */
struct tm_ent {
	uint64_t due;
	uint32_t key;
	uint32_t gen;
};
struct tm_heap {
	struct tm_ent *v;
	size_t n, cap;
};
/* Returns 0 or -1 when out of memory. */
int tm_push(struct tm_heap *h, uint64_t due, uint32_t key, uint32_t gen);
/* Due time of the earliest entry, UINT64_MAX when empty. */
uint64_t tm_next(const struct tm_heap *h);
/* Pop the earliest entry into *e; false when empty. */
bool tm_pop(struct tm_heap *h, struct tm_ent *e);
void tm_free(struct tm_heap *h);



/* Substitute n for the first %d, %u or %i of fmt ("%%" is a literal %),
 * e.g. "user%d" -> "user17". Returns the length or -1 when it does not fit
 * or fmt has another conversion. */
int pkt_fmt_user(char *out, size_t cap, const char *fmt, uint32_t n);

/* ---- IPv6 (RFC 8200) for --ipv6: the subscriber side of RFC 4861/4862 ---- */

enum {
	PKT_IP6_HDR = 40,
	PKT_NH_UDP = 17,
	PKT_NH_ICMP6 = 58,
	PKT_ICMP6_ECHO_REQ = 128,	/* RFC 4443 §4.1 */
	PKT_ICMP6_ECHO_REP = 129,	/* RFC 4443 §4.2 */
	PKT_ICMP6_RS = 133,		/* RFC 4861 §4.1 */
	PKT_ICMP6_RA = 134,		/* RFC 4861 §4.2 */
};

/* Upper-layer checksum over the RFC 8200 §8.1 pseudo-header (source,
 * destination, 32-bit length, next header) and the len bytes at msg,
 * folded and complemented. A message carrying a correct checksum sums to 0. */
uint16_t pkt_csum6(const uint8_t src[16], const uint8_t dst[16], uint8_t next,
		   const uint8_t *msg, size_t len);

struct pkt_udp6 {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t hlim;		/* 0: 64 */
};

/* IPv6 header + UDP header in front of a payload already at buf + 48.
 * Returns the total length or -1 when it does not fit. */
int pkt_udp6_build(uint8_t *buf, size_t cap, const struct pkt_udp6 *u, size_t payload_len);

/* Parse IPv6/UDP (no extension headers). Returns the payload length, or
 * -1 short/not IPv6/bad length, -3 not UDP, -4 bad UDP length, -5 bad or
 * zero UDP checksum (RFC 8200 §8.1: a zero UDP checksum is discarded). */
int pkt_udp6_parse(const uint8_t *pkt, size_t len, struct pkt_udp6 *u, const uint8_t **payload);

/* What a host keeps of a Router Advertisement. */
struct pkt_ra {
	uint8_t router[16];	/* its source, a link-local address */
	uint8_t dst[16];	/* its destination (the IP layer's business) */
	uint8_t prefix[16];	/* from the Prefix Information option */
	uint8_t prefix_len, prefix_flags;
	uint32_t valid, preferred;
	uint16_t router_lifetime;
	uint32_t mtu;		/* 0 when no MTU option */
};

enum pkt_ra_err {
	PKT_RA_SHORT = -1,	/* not IPv6, truncated, lengths inconsistent */
	PKT_RA_NOT_RA = -2,	/* not ICMPv6 type 134 code 0 */
	PKT_RA_HOPLIMIT = -3,	/* hop limit not 255 (RFC 4861 §6.1.2) */
	PKT_RA_SRC = -4,	/* source not link-local fe80::/64 (§6.1.2) */
	PKT_RA_CSUM = -5,	/* bad ICMPv6 checksum */
	PKT_RA_OPTS = -6,	/* an option of length 0 or past the end (§6.1.2) */
	PKT_RA_NO_PREFIX = -7,	/* no Prefix Information with A flag and a /64 (RFC 4862 §5.5.3) */
};

/* Validate a whole IPv6 packet as a Router Advertisement the way a host
 * must (RFC 4861 §6.1.2) and take the first autoconfiguration prefix from
 * it. Returns 0 or a negative enum pkt_ra_err. */
int pkt_ra_parse(const uint8_t *pkt, size_t len, struct pkt_ra *ra);
/* Short text for an enum pkt_ra_err. */
const char *pkt_ra_strerror(int err);

/* A Router Solicitation (RFC 4861 §4.1) from src to all-routers ff02::2,
 * hop limit 255, no options (PPP has no link-layer address). Returns its
 * length (48) or -1. */
int pkt_rs_build(uint8_t *buf, size_t cap, const uint8_t src[16]);

/* When req is an ICMPv6 Echo Request to me with a valid checksum, write the
 * Echo Reply (RFC 4443 §4.2: same identifier, sequence and data) from me to
 * its source into out and return its length. 0: not an Echo Request to me;
 * -1: malformed, bad checksum, or does not fit in cap. out and req must
 * not overlap. */
int pkt_echo6_reply(uint8_t *out, size_t cap, const uint8_t *req, size_t len, const uint8_t me[16]);
#endif
