/*
 * Link/network dissection for pcapdecode: see netpkt.h. Each step reads one
 * header through a struct rd bounded to the bytes that header may use, and
 * reports its payload as an offset into the caller's buffer.
 */
#include "codec/netpkt.h"

#include <string.h>

#include "codec/buf.h"

enum {
	ETH_IPV4 = 0x0800,
	ETH_IPV6 = 0x86dd,
	ETH_VLAN = 0x8100,    /* IEEE 802.1Q */
	ETH_QINQ = 0x88a8,    /* IEEE 802.1ad service tag */
	ETH_QINQ_OLD = 0x9100,/* pre-standard QinQ */
	ETH_PPPOE_DISC = 0x8863,
	ETH_PPPOE_SESS = 0x8864,

	PPP_IPV4 = 0x0021,    /* RFC 1332 */
	PPP_IPV6 = 0x0057,    /* RFC 5072 */

	IPPROTO_V_HOPOPTS = 0,
	IPPROTO_V_IPIP = 4,
	IPPROTO_V_TCP = 6,
	IPPROTO_V_UDP = 17,
	IPPROTO_V_IPV6 = 41,
	IPPROTO_V_ROUTING = 43,
	IPPROTO_V_FRAGMENT = 44,
	IPPROTO_V_GRE = 47,
	IPPROTO_V_AH = 51,
	IPPROTO_V_NONE = 59,
	IPPROTO_V_DSTOPTS = 60,
	IPPROTO_V_MOBILITY = 135,
	IPPROTO_V_HIP = 139,
	IPPROTO_V_SHIM6 = 140,

	GRE_PPTP_PROTO = 0x880b, /* RFC 2637 §4.1 */
};

const char *netpkt_strerror(int err)
{
	switch (err) {
	case NETPKT_OK: return "ok";
	case NETPKT_E_SHORT: return "short";
	case NETPKT_E_LINKTYPE: return "linktype";
	case NETPKT_E_FAMILY: return "af_family";
	case NETPKT_E_HDLC: return "hdlc_control";
	case NETPKT_E_HDLC_ASYNC: return "hdlc_async";
	case NETPKT_E_PPP_PROTO: return "ppp_protocol";
	case NETPKT_E_VLAN_DEPTH: return "vlan_depth";
	case NETPKT_E_PPPOE_HDR: return "pppoe_header";
	case NETPKT_E_PPPOE_LEN: return "pppoe_length";
	case NETPKT_E_IP_VERSION: return "ip_version";
	case NETPKT_E_IHL: return "ihl";
	case NETPKT_E_IP_LEN: return "ip_length";
	case NETPKT_E_IPV6_EXT: return "ipv6_ext";
	case NETPKT_E_UDP_LEN: return "udp_length";
	case NETPKT_E_TCP_OFF: return "tcp_offset";
	case NETPKT_E_GRE: return "gre";
	case NETPKT_E_GRE_LEN: return "gre_length";
	case NETPKT_E_DEPTH: return "depth";
	default: return "unknown_error";
	}
}

static void set_payload(struct netpkt *out, enum netpkt_kind kind, size_t off, size_t len)
{
	out->kind = kind;
	out->off = off;
	out->len = len;
}

/* A reader over buf[off..off+n), or a poisoned one when that range is not
 * inside buf. */
static struct rd rd_at(const uint8_t *buf, size_t len, size_t off, size_t n)
{
	struct rd r;
	if (off > len || len - off < n) {
		rd_init(&r, NULL, 0);
		r.err = true;
	} else {
		rd_init(&r, buf + off, n);
	}
	return r;
}

static int ip_step(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out,
		   unsigned depth);

/* UDP (RFC 768) / TCP (RFC 9293 §3.1) header at buf[off..off+n). */
static int transport(const uint8_t *buf, size_t len, size_t off, size_t n, uint8_t proto,
		     struct netpkt *out)
{
	struct rd r = rd_at(buf, len, off, n);
	out->ip_proto = proto;
	if (proto == IPPROTO_V_UDP) {
		out->sport = rd_u16(&r);
		out->dport = rd_u16(&r);
		uint16_t ulen = rd_u16(&r);
		rd_skip(&r, 2); /* checksum */
		if (r.err)
			return NETPKT_E_SHORT;
		/* The UDP length bounds the payload; IP padding after it is not
		 * ours. A first fragment carries less than the length says. */
		if (ulen < 8)
			return NETPKT_E_UDP_LEN;
		size_t plen = (size_t)ulen - 8;
		if (plen > rd_left(&r)) {
			if (!out->fragment)
				return NETPKT_E_UDP_LEN;
			plen = rd_left(&r);
		}
		set_payload(out, NETPKT_UDP, off + 8, plen);
		return 0;
	}
	if (proto == IPPROTO_V_TCP) {
		out->sport = rd_u16(&r);
		out->dport = rd_u16(&r);
		rd_skip(&r, 8); /* sequence, acknowledgment */
		uint8_t doff = rd_u8(&r) >> 4;
		if (r.err)
			return NETPKT_E_SHORT;
		if (doff < 5 || (size_t)doff * 4 > n)
			return NETPKT_E_TCP_OFF;
		set_payload(out, NETPKT_TCP, off + (size_t)doff * 4, n - (size_t)doff * 4);
		return 0;
	}
	set_payload(out, NETPKT_NONE, off, n);
	return 0;
}

/* RFC 2637 §4.1 enhanced GRE. Version 0 GRE (RFC 2784) is another protocol
 * altogether and is not followed. */
static int gre(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out)
{
	struct rd r = rd_at(buf, len, off, n);
	uint8_t f0 = rd_u8(&r), f1 = rd_u8(&r);
	uint16_t ptype = rd_u16(&r);
	if (r.err)
		return NETPKT_E_SHORT;
	if ((f1 & 0x07) != 1) {
		set_payload(out, NETPKT_NONE, off, n);
		return 0;
	}
	/* C, R, s, Recur and the flag bits MUST be 0 and K MUST be 1; the
	 * protocol type MUST be 880B: anything else is not PPTP. */
	if ((f0 & 0xcf) != 0x00 || !(f0 & 0x20) || (f1 & 0x78) != 0 || ptype != GRE_PPTP_PROTO)
		return NETPKT_E_GRE;
	uint16_t plen = rd_u16(&r);
	out->gre_call_id = rd_u16(&r);
	bool seq = f0 & 0x10, ack = f1 & 0x80;
	if (seq)
		rd_skip(&r, 4);
	if (ack)
		rd_skip(&r, 4);
	if (r.err)
		return NETPKT_E_SHORT;
	/* S clear: an acknowledgment only, no payload follows. */
	if (!seq) {
		set_payload(out, NETPKT_NONE, off + r.off, 0);
		return 0;
	}
	if (plen > rd_left(&r))
		return NETPKT_E_GRE_LEN;
	out->via = NETPKT_VIA_GRE;
	set_payload(out, NETPKT_PPP, off + r.off, plen);
	return 0;
}

static int ipv4(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out,
		unsigned depth)
{
	struct rd r = rd_at(buf, len, off, n);
	uint8_t vihl = rd_u8(&r);
	rd_skip(&r, 1); /* DSCP/ECN */
	uint16_t tot = rd_u16(&r);
	rd_skip(&r, 2); /* identification */
	uint16_t frag = rd_u16(&r);
	rd_skip(&r, 1); /* TTL */
	uint8_t proto = rd_u8(&r);
	rd_skip(&r, 2); /* checksum */
	rd_bytes(&r, out->src, 4);
	rd_bytes(&r, out->dst, 4);
	if (r.err)
		return NETPKT_E_SHORT;
	if (vihl >> 4 != 4)
		return NETPKT_E_IP_VERSION;
	/* RFC 791 §3.1: the header is at least 5 words; options follow. */
	size_t hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < 20 || hlen > n)
		return NETPKT_E_IHL;
	/* Total Length counts header and data; bytes beyond it (link padding)
	 * are not part of the datagram. */
	if (tot < hlen || tot > n)
		return NETPKT_E_IP_LEN;
	memset(out->src + 4, 0, 12);
	memset(out->dst + 4, 0, 12);
	out->ip_ver = 4;
	out->ip_proto = proto;
	/* RFC 791: only the fragment at offset 0 holds the transport header. */
	uint16_t foff = frag & 0x1fff;
	bool more = frag & 0x2000;
	if (foff != 0) {
		out->fragment = true;
		set_payload(out, NETPKT_NONE, off + hlen, tot - hlen);
		return 0;
	}
	out->fragment = more;
	return ip_step(buf, len, off + hlen, tot - hlen, out, depth);
}

static int ipv6(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out,
		unsigned depth)
{
	struct rd r = rd_at(buf, len, off, n);
	uint32_t vtf = rd_u32(&r);
	uint16_t plen = rd_u16(&r);
	uint8_t nh = rd_u8(&r);
	rd_skip(&r, 1); /* hop limit */
	rd_bytes(&r, out->src, 16);
	rd_bytes(&r, out->dst, 16);
	if (r.err)
		return NETPKT_E_SHORT;
	if (vtf >> 28 != 6)
		return NETPKT_E_IP_VERSION;
	/* RFC 8200 §3: Payload Length excludes the 40-byte header. Zero with
	 * a Hop-by-Hop header announces a jumbogram (RFC 2675 §2), which no
	 * link we read can carry: a length error too. */
	if (plen > n - 40 || (plen == 0 && nh == IPPROTO_V_HOPOPTS))
		return NETPKT_E_IP_LEN;
	out->ip_ver = 6;
	out->fragment = false;
	struct rd p = rd_at(buf, len, off + 40, plen);
	/* RFC 8200 §4: walk the extension header chain. Each header is at
	 * least 8 bytes, so the loop ends within plen / 8 steps. */
	for (;;) {
		size_t hl;
		switch (nh) {
		case IPPROTO_V_HOPOPTS:
		case IPPROTO_V_ROUTING:
		case IPPROTO_V_DSTOPTS:
		case IPPROTO_V_MOBILITY:
		case IPPROTO_V_HIP:
		case IPPROTO_V_SHIM6: {
			/* §4.3-4.6: length in 8-octet units, not counting the first 8. */
			if (rd_left(&p) < 8)
				return NETPKT_E_IPV6_EXT;
			struct rd peek = p;
			uint8_t next = rd_u8(&peek);
			hl = ((size_t)rd_u8(&peek) + 1) * 8;
			if (hl > rd_left(&p))
				return NETPKT_E_IPV6_EXT;
			rd_skip(&p, hl);
			nh = next;
			continue;
		}
		case IPPROTO_V_AH: {
			/* RFC 4302 §2.2: length in 4-octet units minus 2. */
			if (rd_left(&p) < 8)
				return NETPKT_E_IPV6_EXT;
			struct rd peek = p;
			uint8_t next = rd_u8(&peek);
			hl = ((size_t)rd_u8(&peek) + 2) * 4;
			if (hl > rd_left(&p))
				return NETPKT_E_IPV6_EXT;
			rd_skip(&p, hl);
			nh = next;
			continue;
		}
		case IPPROTO_V_FRAGMENT: {
			/* §4.5: fixed 8 bytes; offset in the top 13 bits of 16. */
			if (rd_left(&p) < 8)
				return NETPKT_E_IPV6_EXT;
			uint8_t next = rd_u8(&p);
			rd_skip(&p, 1);
			uint16_t fo = rd_u16(&p);
			rd_skip(&p, 4);
			if ((fo & 0xfff8) != 0) {
				out->fragment = true;
				out->ip_proto = next;
				set_payload(out, NETPKT_NONE, off + 40 + p.off, rd_left(&p));
				return 0;
			}
			out->fragment = fo & 1;
			nh = next;
			continue;
		}
		case IPPROTO_V_NONE:
			out->ip_proto = nh;
			set_payload(out, NETPKT_NONE, off + 40 + p.off, 0);
			return 0;
		default:
			out->ip_proto = nh;
			return ip_step(buf, len, off + 40 + p.off, rd_left(&p), out, depth);
		}
	}
}

/* What an IP header's protocol field leads to. out->ip_proto is set. */
static int ip_step(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out,
		   unsigned depth)
{
	uint8_t proto = out->ip_proto;
	switch (proto) {
	case IPPROTO_V_UDP:
	case IPPROTO_V_TCP:
		return transport(buf, len, off, n, proto, out);
	case IPPROTO_V_GRE:
		if (out->fragment) {
			set_payload(out, NETPKT_NONE, off, n);
			return 0;
		}
		return gre(buf, len, off, n, out);
	case IPPROTO_V_IPIP:
	case IPPROTO_V_IPV6:
		if (out->fragment) {
			set_payload(out, NETPKT_NONE, off, n);
			return 0;
		}
		if (depth + 1 >= NETPKT_MAX_IP_DEPTH)
			return NETPKT_E_DEPTH;
		if (proto == IPPROTO_V_IPIP)
			return ipv4(buf, len, off, n, out, depth + 1);
		return ipv6(buf, len, off, n, out, depth + 1);
	default:
		set_payload(out, NETPKT_NONE, off, n);
		return 0;
	}
}

/* An IP datagram; want (4 or 6, 0 for either) is the version the enclosing
 * header announced, which the version nibble must confirm. */
static int ip_datagram(const uint8_t *buf, size_t len, size_t off, size_t n, int want,
		       struct netpkt *out)
{
	struct rd r = rd_at(buf, len, off, n);
	uint8_t v = rd_u8(&r) >> 4;
	if (r.err)
		return NETPKT_E_SHORT;
	if (want && v != want)
		return NETPKT_E_IP_VERSION;
	if (v == 4)
		return ipv4(buf, len, off, n, out, 0);
	if (v == 6)
		return ipv6(buf, len, off, n, out, 0);
	return NETPKT_E_IP_VERSION;
}

int netpkt_ip(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out)
{
	return ip_datagram(buf, len, off, n, 0, out);
}

int netpkt_ppp_hdr(const uint8_t *buf, size_t len, size_t off, size_t n, uint16_t *proto,
		   size_t *hdr)
{
	struct rd r = rd_at(buf, len, off, n);
	struct rd peek = r;
	uint8_t first = rd_u8(&peek);
	if (peek.err)
		return NETPKT_E_SHORT;
	if (first == 0x7e)
		return NETPKT_E_HDLC_ASYNC; /* RFC 1662 §4.1 flag sequence */
	if (first == 0xff) {
		/* RFC 1662 §3.1: All-Stations address, then UI control 03. */
		rd_skip(&r, 1);
		uint8_t ctl = rd_u8(&r);
		if (r.err)
			return NETPKT_E_SHORT;
		if (ctl != 0x03)
			return NETPKT_E_HDLC;
	}
	/* RFC 1661 §2: the protocol's low octet is odd and its high octet
	 * even; a first octet with the low bit set is a compressed (PFC, §6.5)
	 * single-octet protocol. */
	uint8_t b0 = rd_u8(&r);
	if (r.err)
		return NETPKT_E_SHORT;
	uint16_t p;
	if (b0 & 1) {
		p = b0;
	} else {
		uint8_t b1 = rd_u8(&r);
		if (r.err)
			return NETPKT_E_SHORT;
		if (!(b1 & 1))
			return NETPKT_E_PPP_PROTO;
		p = (uint16_t)(b0 << 8 | b1);
	}
	*proto = p;
	*hdr = r.off;
	return 0;
}

int netpkt_ppp(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out)
{
	uint16_t proto;
	size_t hdr;
	int e = netpkt_ppp_hdr(buf, len, off, n, &proto, &hdr);
	if (e)
		return e;
	if (proto == PPP_IPV4 || proto == PPP_IPV6)
		return ip_datagram(buf, len, off + hdr, n - hdr, proto == PPP_IPV4 ? 4 : 6, out);
	set_payload(out, NETPKT_NONE, off + hdr, n - hdr);
	return 0;
}

/* RFC 2516 §4 session stage: ver 1, type 1, code 0, session id, length. */
static int pppoe(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out)
{
	struct rd r = rd_at(buf, len, off, n);
	uint8_t vt = rd_u8(&r);
	uint8_t code = rd_u8(&r);
	out->pppoe_sid = rd_u16(&r);
	uint16_t plen = rd_u16(&r);
	if (r.err)
		return NETPKT_E_SHORT;
	if (vt != 0x11 || code != 0x00)
		return NETPKT_E_PPPOE_HDR;
	/* Ethernet pads short frames: the PPPoE length is authoritative. */
	if (plen > rd_left(&r))
		return NETPKT_E_PPPOE_LEN;
	out->via = NETPKT_VIA_PPPOE;
	set_payload(out, NETPKT_PPP, off + 6, plen);
	return 0;
}

static int ethertype(const uint8_t *buf, size_t len, size_t off, uint16_t type,
		     struct netpkt *out)
{
	size_t n = len - off;
	switch (type) {
	case ETH_IPV4:
	case ETH_IPV6:
		return ip_datagram(buf, len, off, n, type == ETH_IPV4 ? 4 : 6, out);
	case ETH_PPPOE_SESS:
		return pppoe(buf, len, off, n, out);
	default:
		set_payload(out, NETPKT_NONE, off, n);
		return 0;
	}
}

static bool is_vlan(uint16_t t)
{
	return t == ETH_VLAN || t == ETH_QINQ || t == ETH_QINQ_OLD;
}

/* Ethernet II with up to NETPKT_MAX_VLAN 802.1Q/802.1ad tags. */
static int ethernet(const uint8_t *buf, size_t len, struct netpkt *out)
{
	struct rd r = rd_at(buf, len, 0, len);
	rd_skip(&r, 12);
	uint16_t type = rd_u16(&r);
	while (!r.err && is_vlan(type)) {
		if (out->nvlan == NETPKT_MAX_VLAN)
			return NETPKT_E_VLAN_DEPTH;
		uint16_t tci = rd_u16(&r);
		out->vlan[out->nvlan++] = tci & 0x0fff;
		type = rd_u16(&r);
	}
	if (r.err)
		return NETPKT_E_SHORT;
	/* IEEE 802.3: values up to 1500 are a length (802.2 LLC follows). */
	if (type <= 1500) {
		set_payload(out, NETPKT_NONE, r.off, len - r.off);
		return 0;
	}
	return ethertype(buf, len, r.off, type, out);
}

/* Link types whose frame is a PPP frame (RFC 1662 framing optional), or a
 * Cisco HDLC frame (address 0f/8f, control 00, then an Ethertype): serial
 * captures carry either under DLT_PPP as well as DLT_PPP_SERIAL. The
 * protocols 0x000f/0x008f that the first octet would mean under PFC are
 * unassigned, so the two cannot be confused. */
static int ppp_link(const uint8_t *buf, size_t len, size_t off, struct netpkt *out)
{
	/* The kind is set before any check so that a caller can tell a bad
	 * PPP/HDLC header from a bad header further in. */
	out->via = NETPKT_VIA_LINK;
	set_payload(out, NETPKT_PPP, off, len - off);
	struct rd r = rd_at(buf, len, off, len - off);
	uint8_t a = rd_u8(&r), c = rd_u8(&r);
	if (!r.err && (a == 0x0f || a == 0x8f) && c == 0x00) {
		uint16_t type = rd_u16(&r);
		out->via = NETPKT_VIA_NONE;
		set_payload(out, NETPKT_NONE, off, len - off);
		if (r.err)
			return NETPKT_E_SHORT;
		return ethertype(buf, len, off + 4, type, out);
	}
	uint16_t proto;
	size_t hdr;
	return netpkt_ppp_hdr(buf, len, off, len - off, &proto, &hdr);
}

/* Address families of BSD loopback headers, by operating system. */
static int null_family(uint32_t af)
{
	switch (af) {
	case 2: /* AF_INET everywhere */
		return 4;
	case 10: /* Linux */
	case 23: /* Windows */
	case 24: /* NetBSD, OpenBSD, BSD/OS */
	case 28: /* FreeBSD, DragonFly */
	case 30: /* Darwin */
		return 6;
	default:
		return 0;
	}
}

static int loopback(const uint8_t *buf, size_t len, struct netpkt *out)
{
	struct rd r = rd_at(buf, len, 0, len);
	uint32_t v = rd_u32(&r);
	if (r.err)
		return NETPKT_E_SHORT;
	/* DLT_NULL stores the family in the capturing host's byte order, which
	 * the file does not record (DLT_LOOP uses network order): every family
	 * is a small number, so a value with the upper half set is swapped. */
	uint32_t sw = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
	uint32_t af = (v & 0xffff0000u) ? sw : v;
	int ver = null_family(af);
	if (ver == 0)
		return NETPKT_E_FAMILY;
	return ethertype(buf, len, 4, ver == 4 ? ETH_IPV4 : ETH_IPV6, out);
}


int netpkt_link(uint32_t linktype, const uint8_t *buf, size_t len, struct netpkt *out)
{
	memset(out, 0, sizeof *out);
	if (!buf)
		len = 0;
	switch (linktype) {
	case NETPKT_DLT_EN10MB:
		return ethernet(buf, len, out);
	case NETPKT_DLT_LINUX_SLL: {
		/* packet type, ARPHRD type, address length, 8 address bytes,
		 * protocol (an Ethertype for the families we follow). */
		struct rd r = rd_at(buf, len, 0, len);
		rd_skip(&r, 14);
		uint16_t proto = rd_u16(&r);
		if (r.err)
			return NETPKT_E_SHORT;
		return ethertype(buf, len, 16, proto, out);
	}
	case NETPKT_DLT_LINUX_SLL2: {
		/* protocol, reserved, interface index, ARPHRD type, packet
		 * type, address length, 8 address bytes. */
		struct rd r = rd_at(buf, len, 0, len);
		uint16_t proto = rd_u16(&r);
		rd_skip(&r, 18);
		if (r.err)
			return NETPKT_E_SHORT;
		return ethertype(buf, len, 20, proto, out);
	}
	case NETPKT_DLT_RAW:
	case NETPKT_DLT_RAW_OPENBSD:
	case NETPKT_LINKTYPE_RAW:
		return ip_datagram(buf, len, 0, len, 0, out);
	case NETPKT_LINKTYPE_IPV4:
		return ip_datagram(buf, len, 0, len, 4, out);
	case NETPKT_LINKTYPE_IPV6:
		return ip_datagram(buf, len, 0, len, 6, out);
	case NETPKT_DLT_NULL:
	case NETPKT_DLT_LOOP:
		return loopback(buf, len, out);
	case NETPKT_DLT_PPP:
		return ppp_link(buf, len, 0, out);
	case NETPKT_DLT_PPP_SERIAL:
		return ppp_link(buf, len, 0, out);
	case NETPKT_DLT_C_HDLC: {
		struct rd r = rd_at(buf, len, 0, len);
		uint8_t a = rd_u8(&r), c = rd_u8(&r);
		uint16_t type = rd_u16(&r);
		if (r.err)
			return NETPKT_E_SHORT;
		if ((a != 0x0f && a != 0x8f) || c != 0x00)
			return NETPKT_E_HDLC;
		return ethertype(buf, len, 4, type, out);
	}
	case NETPKT_DLT_PPP_WITH_DIR:
		if (len < 1)
			return NETPKT_E_SHORT;
		return ppp_link(buf, len, 1, out);
	case NETPKT_DLT_PPP_ETHER:
		return pppoe(buf, len, 0, len, out);
	default:
		return NETPKT_E_LINKTYPE;
	}
}
