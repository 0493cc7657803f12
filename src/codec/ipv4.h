/*
 * The little the LNS needs to know about the IP packets it forwards:
 * addresses for lookup and anti-spoofing, and TCP MSS clamping on SYNs so
 * that subscribers behind a smaller PPP MRU need no firewall rule (the
 * original's manual asks operators to add an iptables TCPMSS rule).
 *
 * Pure; packets are read and patched through buffer offsets, no casts.
 */
#ifndef L2TPNS_CODEC_IPV4_H
#define L2TPNS_CODEC_IPV4_H

#include <stddef.h>
#include <stdint.h>

/* Source and destination of an IPv4 packet (host order). Returns 0, or -1
 * when p is not a plausible IPv4 header (version, IHL, total length). */
int ipv4_addrs(const uint8_t *p, size_t len, uint32_t *src, uint32_t *dst);

/*
 * If p is an IPv4 TCP segment, first fragment, with SYN set and an MSS
 * option above max_mss, lower the MSS to max_mss and fix the TCP checksum
 * incrementally (RFC 1624). Returns 1 when clamped, 0 when left alone.
 */
int ipv4_clamp_mss(uint8_t *p, size_t len, uint16_t max_mss);

/* RFC 1071 Internet checksum of a buffer, for building test packets and ICMP. */
uint16_t inet_csum(const uint8_t *p, size_t len, uint32_t seed);

#endif
