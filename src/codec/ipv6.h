/*
 * The little the LNS needs of IPv6 (RFC 8200) on a PPP link: addresses for
 * lookup and anti-spoofing, recognising a Router Solicitation, and building
 * the Router Advertisement (RFC 4861 §4.2) that gives a subscriber its /64
 * prefix for stateless autoconfiguration (RFC 4862) once IPV6CP has agreed
 * the interface identifiers (RFC 5072).
 */
#ifndef L2TPNS_CODEC_IPV6_H
#define L2TPNS_CODEC_IPV6_H

#include <stddef.h>
#include <stdint.h>

#define IPV6_HDR_LEN 40
#define ICMPV6_RS 133
#define ICMPV6_RA 134

/* Pointers to the source and destination address of an IPv6 packet and its
 * Next Header. Returns 0, or -1 when p is not a plausible IPv6 packet
 * (version, payload length within len). */
int ipv6_addrs(const uint8_t *p, size_t len, const uint8_t **src, const uint8_t **dst,
	       uint8_t *next);

/* Whether p is an ICMPv6 Router Solicitation with hop limit 255 (RFC 4861
 * §6.1.1 requires it: a solicitation that crossed a router is ignored). */
int ipv6_is_router_solicit(const uint8_t *p, size_t len);

/* ICMPv6 checksum (RFC 8200 §8.1 pseudo-header) of the message at msg. */
uint16_t icmpv6_csum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *msg,
		     size_t len);

struct ipv6_ra {
	uint8_t src[16], dst[16];	/* our link-local, the subscriber (or ff02::1) */
	uint8_t prefix[16];
	uint8_t prefix_len;
	uint32_t valid_lifetime, preferred_lifetime;
	uint16_t router_lifetime;	/* seconds; the original sent 65535, beyond §4.2's 9000 */
	uint32_t mtu;			/* 0: no MTU option */
};

/* Write a whole IPv6 packet carrying the Router Advertisement. Returns its
 * length, or -1 when cap is too small. */
int ipv6_build_ra(uint8_t *out, size_t cap, const struct ipv6_ra *ra);

#endif
