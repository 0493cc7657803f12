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
#endif
