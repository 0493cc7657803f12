#include "ipv4.h"

#include "buf.h"

int ipv4_addrs(const uint8_t *p, size_t len, uint32_t *src, uint32_t *dst)
{
	if (len < 20 || (p[0] >> 4) != 4 || (p[0] & 0x0f) < 5)
		return -1;
	size_t tot = be16_get(p + 2);
	if (tot < (size_t)(p[0] & 0x0f) * 4 || tot > len)
		return -1;
	*src = be32_get(p + 12);
	*dst = be32_get(p + 16);
	return 0;
}

uint16_t inet_csum(const uint8_t *p, size_t len, uint32_t seed)
{
	uint64_t sum = seed;
	size_t i;
	for (i = 0; i + 1 < len; i += 2)
		sum += be16_get(p + i);
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') */
static uint16_t csum_replace16(uint16_t hc, uint16_t old, uint16_t new_)
{
	uint32_t s = (uint16_t)~hc + (uint32_t)(uint16_t)~old + new_;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

int ipv4_clamp_mss(uint8_t *p, size_t len, uint16_t max_mss)
{
	if (len < 20 || (p[0] >> 4) != 4 || p[9] != 6 /* TCP */)
		return 0;
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	size_t tot = be16_get(p + 2);
	/* only the first fragment carries the TCP header (offset 0) */
	if (ihl < 20 || tot > len || tot < ihl + 20 || (be16_get(p + 6) & 0x1fff))
		return 0;
	uint8_t *tcp = p + ihl;
	size_t thl = (size_t)(tcp[12] >> 4) * 4;
	if (!(tcp[13] & 0x02) /* SYN */ || thl < 20 || ihl + thl > tot)
		return 0;
	/* RFC 793 §3.1 options: kind 0 ends, kind 1 is one byte, others TLV */
	for (size_t o = 20; o < thl;) {
		uint8_t kind = tcp[o];
		if (kind == 0)
			break;
		if (kind == 1) {
			o++;
			continue;
		}
		if (o + 1 >= thl || tcp[o + 1] < 2 || o + tcp[o + 1] > thl)
			break;
		if (kind == 2 && tcp[o + 1] == 4) {
			uint16_t mss = be16_get(tcp + o + 2);
			if (mss <= max_mss)
				return 0;
			be16_put(tcp + o + 2, max_mss);
			be16_put(tcp + 16, csum_replace16(be16_get(tcp + 16), mss, max_mss));
			return 1;
		}
		o += tcp[o + 1];
	}
	return 0;
}
