/* Pure helpers of the LAC simulator; see pkt.h. */
#include "pkt.h"

#include <stdlib.h>
#include <string.h>

#include "codec/buf.h"

uint32_t pkt_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	/* RFC 1071 §4.1: 16-bit big-endian words, odd byte padded with zero. */
	for (i = 0; i + 1 < len; i += 2)
		sum += be16_get(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t pkt_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t pseudo_sum(uint32_t src, uint32_t dst, uint16_t udp_len)
{
	/* RFC 768: source, destination, zero, protocol 17, UDP length */
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17u + udp_len;
}

int pkt_udp4_build(uint8_t *buf, size_t cap, const struct pkt_udp4 *u, size_t payload_len)
{
	size_t total = PKT_IP_HDR + PKT_UDP_HDR + payload_len;
	uint8_t *ip = buf, *udp = buf + PKT_IP_HDR;
	uint16_t c;

	if (total > cap || total > 65535)
		return -1;
	ip[0] = 0x45;		/* version 4, IHL 5 */
	ip[1] = 0;
	be16_put(ip + 2, (uint16_t)total);
	be16_put(ip + 4, u->ip_id);
	be16_put(ip + 6, 0);	/* no flags, offset 0 */
	ip[8] = u->ttl ? u->ttl : 64;
	ip[9] = 17;
	be16_put(ip + 10, 0);
	be32_put(ip + 12, u->src);
	be32_put(ip + 16, u->dst);
	be16_put(ip + 10, pkt_csum_fold(pkt_csum_add(0, ip, PKT_IP_HDR)));

	be16_put(udp, u->sport);
	be16_put(udp + 2, u->dport);
	be16_put(udp + 4, (uint16_t)(PKT_UDP_HDR + payload_len));
	be16_put(udp + 6, 0);
	c = pkt_csum_fold(pkt_csum_add(pseudo_sum(u->src, u->dst,
						  (uint16_t)(PKT_UDP_HDR + payload_len)),
				       udp, PKT_UDP_HDR + payload_len));
	/* RFC 768: a computed zero is sent as all ones (zero means "none") */
	be16_put(udp + 6, c ? c : 0xffff);
	return (int)total;
}

int pkt_udp4_parse(const uint8_t *pkt, size_t len, struct pkt_udp4 *u, const uint8_t **payload)
{
	size_t ihl, tot, ulen;
	const uint8_t *udp;

	if (len < PKT_IP_HDR || (pkt[0] >> 4) != 4)
		return -1;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	tot = be16_get(pkt + 2);
	if (ihl < PKT_IP_HDR || tot < ihl || tot > len)
		return -1;
	if (pkt_csum_fold(pkt_csum_add(0, pkt, ihl)) != 0)
		return -2;
	if (pkt[9] != 17 || (be16_get(pkt + 6) & 0x3fff) != 0)
		return -3;
	udp = pkt + ihl;
	if (tot - ihl < PKT_UDP_HDR)
		return -4;
	ulen = be16_get(udp + 4);
	if (ulen < PKT_UDP_HDR || ulen > tot - ihl)
		return -4;
	u->src = be32_get(pkt + 12);
	u->dst = be32_get(pkt + 16);
	u->sport = be16_get(udp);
	u->dport = be16_get(udp + 2);
	u->ip_id = be16_get(pkt + 4);
	u->ttl = pkt[8];
	if (be16_get(udp + 6) != 0 &&
	    pkt_csum_fold(pkt_csum_add(pseudo_sum(u->src, u->dst, (uint16_t)ulen), udp, ulen)) != 0)
		return -5;
	*payload = udp + PKT_UDP_HDR;
	return (int)(ulen - PKT_UDP_HDR);
}

int pkt_payload_write(uint8_t *p, size_t len, const struct pkt_payload *pl)
{
	if (len < PKT_PAYLOAD_MIN)
		return -1;
	memset(p, 0, len);
	be32_put(p, PKT_MAGIC);
	be32_put(p + 4, pl->session);
	be32_put(p + 8, pl->seq);
	be32_put(p + 12, (uint32_t)(pl->ts_ns >> 32));
	be32_put(p + 16, (uint32_t)pl->ts_ns);
	return (int)len;
}

int pkt_payload_read(const uint8_t *p, size_t len, struct pkt_payload *pl)
{
	if (len < PKT_PAYLOAD_MIN || be32_get(p) != PKT_MAGIC)
		return -1;
	pl->session = be32_get(p + 4);
	pl->seq = be32_get(p + 8);
	pl->ts_ns = ((uint64_t)be32_get(p + 12) << 32) | be32_get(p + 16);
	return 0;
}

int pkt_ppp_parse(const uint8_t *f, size_t len, uint16_t *proto)
{
	size_t off = 0;

	if (len >= 2 && f[0] == 0xff && f[1] == 0x03)
		off = 2;
	if (off >= len)
		return -1;
	if (f[off] & 1) {
		/* RFC 1661 §2: protocol values are odd in their low octet, so a
		 * first octet with the low bit set is a compressed protocol */
		*proto = f[off];
		return (int)(off + 1);
	}
	if (len - off < 2 || !(f[off + 1] & 1))
		return -1;
	*proto = be16_get(f + off);
	return (int)(off + 2);
}

static bool tm_less(const struct tm_ent *a, const struct tm_ent *b)
{
	return a->due < b->due;
}

int tm_push(struct tm_heap *h, uint64_t due, uint32_t key, uint32_t gen)
{
	size_t i;

	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 256;
		struct tm_ent *nv = realloc(h->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		h->v = nv;
		h->cap = nc;
	}
	i = h->n++;
	h->v[i] = (struct tm_ent){ .due = due, .key = key, .gen = gen };
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!tm_less(&h->v[i], &h->v[p]))
			break;
		struct tm_ent t = h->v[i];
		h->v[i] = h->v[p];
		h->v[p] = t;
		i = p;
	}
	return 0;
}

uint64_t tm_next(const struct tm_heap *h)
{
	return h->n ? h->v[0].due : UINT64_MAX;
}

bool tm_pop(struct tm_heap *h, struct tm_ent *e)
{
	size_t i = 0;

	if (!h->n)
		return false;
	*e = h->v[0];
	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && tm_less(&h->v[l], &h->v[m]))
			m = l;
		if (r < h->n && tm_less(&h->v[r], &h->v[m]))
			m = r;
		if (m == i)
			break;
		struct tm_ent t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
	return true;
}

void tm_free(struct tm_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

int pkt_fmt_user(char *out, size_t cap, const char *fmt, uint32_t n)
{
	size_t o = 0;
	bool used = false;

	/* done by hand: a user-supplied format must never reach printf */
	for (; *fmt; fmt++) {
		char num[16];
		size_t k, nl = 0;
		uint32_t v = n;
		if (*fmt != '%') {
			if (o + 1 >= cap)
				return -1;
			out[o++] = *fmt;
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			if (o + 1 >= cap)
				return -1;
			out[o++] = '%';
			continue;
		}
		if (used || (*fmt != 'd' && *fmt != 'u' && *fmt != 'i'))
			return -1;
		used = true;
		do {
			num[nl++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		if (o + nl >= cap)
			return -1;
		for (k = 0; k < nl; k++)
			out[o++] = num[nl - 1 - k];
	}
	if (o >= cap)
		return -1;
	out[o] = 0;
	return (int)o;
}

/* ---- IPv6 --------------------------------------------------------------- */

uint16_t pkt_csum6(const uint8_t src[16], const uint8_t dst[16], uint8_t next,
		   const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;

	/* RFC 8200 §8.1: pseudo-header of source, destination, upper-layer
	 * length as 32 bits, three zero octets and the next header */
	sum = pkt_csum_add(sum, src, 16);
	sum = pkt_csum_add(sum, dst, 16);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + next;
	return pkt_csum_fold(pkt_csum_add(sum, msg, len));
}

static void ip6_hdr(uint8_t *b, size_t plen, uint8_t next, uint8_t hlim, const uint8_t src[16],
		    const uint8_t dst[16])
{
	/* RFC 8200 §3: version 6, traffic class and flow label 0 */
	be32_put(b, 0x60000000u);
	be16_put(b + 4, (uint16_t)plen);
	b[6] = next;
	b[7] = hlim;
	memcpy(b + 8, src, 16);
	memcpy(b + 24, dst, 16);
}

/* The upper-layer part of an IPv6 packet without extension headers: its
 * length, or -1 when the header is not IPv6 or the lengths disagree. */
static int ip6_payload(const uint8_t *pkt, size_t len)
{
	size_t plen;

	if (len < PKT_IP6_HDR || (pkt[0] >> 4) != 6)
		return -1;
	plen = be16_get(pkt + 4);
	/* trailing link padding is allowed, a packet longer than the frame not */
	if (plen > len - PKT_IP6_HDR)
		return -1;
	return (int)plen;
}

int pkt_udp6_build(uint8_t *buf, size_t cap, const struct pkt_udp6 *u, size_t payload_len)
{
	size_t ulen = PKT_UDP_HDR + payload_len, total = PKT_IP6_HDR + ulen;
	uint8_t *udp = buf + PKT_IP6_HDR;
	uint16_t c;

	if (total > cap || ulen > 65535)
		return -1;
	ip6_hdr(buf, ulen, PKT_NH_UDP, u->hlim ? u->hlim : 64, u->src, u->dst);
	be16_put(udp, u->sport);
	be16_put(udp + 2, u->dport);
	be16_put(udp + 4, (uint16_t)ulen);
	be16_put(udp + 6, 0);
	c = pkt_csum6(u->src, u->dst, PKT_NH_UDP, udp, ulen);
	/* RFC 8200 §8.1: mandatory in IPv6; a computed zero goes as ffff */
	be16_put(udp + 6, c ? c : 0xffff);
	return (int)total;
}

int pkt_udp6_parse(const uint8_t *pkt, size_t len, struct pkt_udp6 *u, const uint8_t **payload)
{
	int plen = ip6_payload(pkt, len);
	const uint8_t *udp = pkt + PKT_IP6_HDR;
	size_t ulen;

	if (plen < 0)
		return -1;
	if (pkt[6] != PKT_NH_UDP)
		return -3;
	if ((size_t)plen < PKT_UDP_HDR)
		return -4;
	ulen = be16_get(udp + 4);
	if (ulen < PKT_UDP_HDR || ulen > (size_t)plen)
		return -4;
	if (be16_get(udp + 6) == 0 || pkt_csum6(pkt + 8, pkt + 24, PKT_NH_UDP, udp, ulen) != 0)
		return -5;
	memcpy(u->src, pkt + 8, 16);
	memcpy(u->dst, pkt + 24, 16);
	u->sport = be16_get(udp);
	u->dport = be16_get(udp + 2);
	u->hlim = pkt[7];
	*payload = udp + PKT_UDP_HDR;
	return (int)(ulen - PKT_UDP_HDR);
}

int pkt_ra_parse(const uint8_t *pkt, size_t len, struct pkt_ra *ra)
{
	static const uint8_t ll[8] = { 0xfe, 0x80 };
	int plen = ip6_payload(pkt, len);
	const uint8_t *m = pkt + PKT_IP6_HDR;
	size_t i, ml;
	bool have = false;

	if (plen < 0)
		return PKT_RA_SHORT;
	ml = (size_t)plen;
	if (pkt[6] != PKT_NH_ICMP6 || ml < 4 || m[0] != PKT_ICMP6_RA || m[1] != 0)
		return PKT_RA_NOT_RA;
	/* RFC 4861 §6.1.2: the checks a host makes before using an RA */
	if (pkt[7] != 255)
		return PKT_RA_HOPLIMIT;
	if (memcmp(pkt + 8, ll, 8) != 0)
		return PKT_RA_SRC;
	if (pkt_csum6(pkt + 8, pkt + 24, PKT_NH_ICMP6, m, ml) != 0)
		return PKT_RA_CSUM;
	if (ml < 16)
		return PKT_RA_SHORT;
	memset(ra, 0, sizeof *ra);
	memcpy(ra->router, pkt + 8, 16);
	memcpy(ra->dst, pkt + 24, 16);
	ra->router_lifetime = be16_get(m + 6);
	for (i = 16; i < ml;) {
		size_t ol;
		if (ml - i < 2 || m[i + 1] == 0)
			return PKT_RA_OPTS;
		ol = (size_t)m[i + 1] * 8;
		if (ol > ml - i)
			return PKT_RA_OPTS;
		if (m[i] == 3 && ol == 32 && !have) {
			/* §4.6.2 Prefix Information; RFC 4862 §5.5.3: autonomous
			 * only with the A flag, a prefix that is not link-local,
			 * preferred <= valid, and prefix + our 64-bit ifid = 128 */
			const uint8_t *o = m + i;
			if ((o[3] & 0x40) && o[2] == 64 && memcmp(o + 16, ll, 8) != 0 &&
			    be32_get(o + 8) <= be32_get(o + 4)) {
				ra->prefix_len = o[2];
				ra->prefix_flags = o[3];
				ra->valid = be32_get(o + 4);
				ra->preferred = be32_get(o + 8);
				memcpy(ra->prefix, o + 16, 16);
				have = true;
			}
		} else if (m[i] == 5 && ol == 8) {
			ra->mtu = be32_get(m + i + 4); /* §4.6.4 */
		}
		i += ol;
	}
	return have ? 0 : PKT_RA_NO_PREFIX;
}

const char *pkt_ra_strerror(int err)
{
	switch (err) {
	case 0: return "ok";
	case PKT_RA_SHORT: return "truncated or not IPv6";
	case PKT_RA_NOT_RA: return "not an ICMPv6 Router Advertisement";
	case PKT_RA_HOPLIMIT: return "hop limit not 255";
	case PKT_RA_SRC: return "source not link-local";
	case PKT_RA_CSUM: return "bad ICMPv6 checksum";
	case PKT_RA_OPTS: return "bad option length";
	case PKT_RA_NO_PREFIX: return "no /64 Prefix Information with the A flag";
	default: return "?";
	}
}

int pkt_rs_build(uint8_t *buf, size_t cap, const uint8_t src[16])
{
	static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };
	uint8_t *m = buf + PKT_IP6_HDR;

	if (cap < PKT_IP6_HDR + 8)
		return -1;
	/* RFC 4861 §4.1: type 133, code 0, 4 reserved octets; hop limit 255 */
	ip6_hdr(buf, 8, PKT_NH_ICMP6, 255, src, all_routers);
	memset(m, 0, 8);
	m[0] = PKT_ICMP6_RS;
	be16_put(m + 2, pkt_csum6(src, all_routers, PKT_NH_ICMP6, m, 8));
	return PKT_IP6_HDR + 8;
}

int pkt_echo6_reply(uint8_t *out, size_t cap, const uint8_t *req, size_t len, const uint8_t me[16])
{
	int plen = ip6_payload(req, len);
	const uint8_t *m = req + PKT_IP6_HDR;
	uint8_t *r = out + PKT_IP6_HDR;

	if (plen < 0)
		return -1;
	if (req[6] != PKT_NH_ICMP6 || plen < 8 || m[0] != PKT_ICMP6_ECHO_REQ ||
	    memcmp(req + 24, me, 16) != 0)
		return 0;
	if (m[1] != 0 || pkt_csum6(req + 8, req + 24, PKT_NH_ICMP6, m, (size_t)plen) != 0 ||
	    PKT_IP6_HDR + (size_t)plen > cap)
		return -1;
	/* RFC 4443 §4.2: identifier, sequence number and data returned as sent */
	ip6_hdr(out, (size_t)plen, PKT_NH_ICMP6, 64, me, req + 8);
	memmove(r, m, (size_t)plen);
	r[0] = PKT_ICMP6_ECHO_REP;
	r[2] = r[3] = 0;
	be16_put(r + 2, pkt_csum6(me, out + 24, PKT_NH_ICMP6, r, (size_t)plen));
	return PKT_IP6_HDR + plen;
}
