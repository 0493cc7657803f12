#include "ipv6.h"

#include <string.h>

#include "buf.h"

int ipv6_addrs(const uint8_t *p, size_t len, const uint8_t **src, const uint8_t **dst,
	       uint8_t *next)
{
	if (len < IPV6_HDR_LEN || (p[0] >> 4) != 6)
		return -1;
	if ((size_t)be16_get(p + 4) + IPV6_HDR_LEN > len)
		return -1;
	*next = p[6];
	*src = p + 8;
	*dst = p + 24;
	return 0;
}

int ipv6_is_router_solicit(const uint8_t *p, size_t len)
{
	const uint8_t *s, *d;
	uint8_t nh;
	if (ipv6_addrs(p, len, &s, &d, &nh) < 0 || nh != 58 || p[7] != 255)
		return 0;
	/* §6.1.1: a solicitation with a bad checksum is silently discarded */
	return be16_get(p + 4) >= 8 && p[IPV6_HDR_LEN] == ICMPV6_RS && p[IPV6_HDR_LEN + 1] == 0 &&
	       icmpv6_csum(s, d, p + IPV6_HDR_LEN, be16_get(p + 4)) == 0;
}

uint16_t icmpv6_csum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *msg, size_t len)
{
	uint64_t sum = 0;
	for (int i = 0; i < 16; i += 2)
		sum += be16_get(src + i) + be16_get(dst + i);
	sum += (uint32_t)len; /* upper-layer length */
	sum += 58;	      /* next header */
	size_t i;
	for (i = 0; i + 1 < len; i += 2)
		sum += be16_get(msg + i);
	if (i < len)
		sum += (uint32_t)msg[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int ipv6_build_ra(uint8_t *out, size_t cap, const struct ipv6_ra *ra)
{
	struct wr w;
	wr_init(&w, out, cap);
	/* RFC 8200 §3 header; payload length patched below */
	wr_u32(&w, 0x60000000);
	wr_u16(&w, 0);
	wr_u8(&w, 58);	/* ICMPv6 */
	wr_u8(&w, 255); /* RFC 4861 §4.2: hop limit 255 proves the sender is on-link */
	wr_bytes(&w, ra->src, 16);
	wr_bytes(&w, ra->dst, 16);
	size_t msg = w.off;
	wr_u8(&w, ICMPV6_RA);
	wr_u8(&w, 0);
	wr_u16(&w, 0);	 /* checksum */
	wr_u8(&w, 64);	 /* Cur Hop Limit */
	wr_u8(&w, 0);	 /* M=0 O=0: addresses by SLAAC, no DHCPv6 */
	wr_u16(&w, ra->router_lifetime);
	wr_u32(&w, 0);	 /* Reachable Time: unspecified */
	wr_u32(&w, 0);	 /* Retrans Timer: unspecified */
	/* §4.6.2 Prefix Information */
	wr_u8(&w, 3);
	wr_u8(&w, 4);
	wr_u8(&w, ra->prefix_len);
	wr_u8(&w, 0xc0); /* L (on-link) and A (autonomous) */
	wr_u32(&w, ra->valid_lifetime);
	wr_u32(&w, ra->preferred_lifetime);
	wr_u32(&w, 0);
	wr_bytes(&w, ra->prefix, 16);
	if (ra->mtu) { /* §4.6.4 MTU */
		wr_u8(&w, 5);
		wr_u8(&w, 1);
		wr_u16(&w, 0);
		wr_u32(&w, ra->mtu);
	}
	if (w.err)
		return -1;
	size_t mlen = w.off - msg;
	be16_put(out + 4, (uint16_t)mlen);
	be16_put(out + msg + 2, icmpv6_csum(ra->src, ra->dst, out + msg, mlen));
	return (int)w.off;
}
