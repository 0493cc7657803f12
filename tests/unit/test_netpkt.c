/*
 * netpkt: every link type and encapsulation pcapdecode follows, with frames
 * written out byte by byte, and the malformed shapes each header check exists
 * for. Offsets asserted are counted by hand from the frames below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/netpkt.h"

/* Copy into a heap block of exactly len bytes, so that ASan reports any
 * read past the end of the frame. */
static int link_exact(uint32_t lt, const uint8_t *f, size_t len, struct netpkt *np)
{
	uint8_t *p = malloc(len ? len : 1);
	assert_non_null(p);
	memcpy(p, f, len);
	int rc = netpkt_link(lt, p, len, np);
	free(p);
	return rc;
}

#define ETH_HDR(type_hi, type_lo)                                                      \
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, type_hi, \
		type_lo

/* IPv4, IHL 5, total length 0x24 = 36 (20 + 8 + 8), UDP, 10.0.0.1 -> 10.0.0.2 */
#define IPV4_UDP36 \
	0x45, 0x00, 0x00, 0x24, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, \
	10, 0, 0, 1, 10, 0, 0, 2
/* UDP 1701 -> 1701, length 16 = 8 + 8 */
#define UDP_L2TP16 0x06, 0xa5, 0x06, 0xa5, 0x00, 0x10, 0x00, 0x00
/* 8 payload bytes: an L2TP data header (ver 2) + 2 bytes */
#define PAYLOAD8 0x00, 0x02, 0x00, 0x07, 0x00, 0x09, 0xc0, 0x21

static void test_ethernet_ipv4_udp(void **state)
{
	(void)state;
	const uint8_t f[] = { ETH_HDR(0x08, 0x00), IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	struct netpkt np;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 14 + 20 + 8);
	assert_int_equal(np.len, 8);
	assert_int_equal(np.sport, 1701);
	assert_int_equal(np.dport, 1701);
	assert_int_equal(np.ip_ver, 4);
	assert_int_equal(np.ip_proto, 17);
	assert_int_equal(np.src[0], 10);
	assert_int_equal(np.src[3], 1);
	assert_int_equal(np.dst[3], 2);
	assert_false(np.fragment);
	assert_int_equal(np.nvlan, 0);
}

static void test_ethernet_padding_ignored(void **state)
{
	(void)state;
	/* 6 bytes of Ethernet padding after the datagram: IP Total Length and
	 * UDP Length bound the payload, not the frame. */
	const uint8_t f[] = { ETH_HDR(0x08, 0x00), IPV4_UDP36, UDP_L2TP16, PAYLOAD8,
			      0, 0, 0, 0, 0, 0 };
	struct netpkt np;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 42);
	assert_int_equal(np.len, 8);
}

static void test_vlan_and_qinq(void **state)
{
	(void)state;
	/* 802.1Q VID 0x123 */
	const uint8_t q[] = { ETH_HDR(0x81, 0x00), 0x01, 0x23, 0x08, 0x00,
			      IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	struct netpkt np;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, q, sizeof q, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 18 + 28);
	assert_int_equal(np.nvlan, 1);
	assert_int_equal(np.vlan[0], 0x123);

	/* 802.1ad S-tag VID 10 (PCP bits set, must be masked), C-tag VID 20 */
	const uint8_t qq[] = { ETH_HDR(0x88, 0xa8), 0xe0, 0x0a, 0x81, 0x00, 0x00, 0x14,
			       0x08, 0x00, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, qq, sizeof qq, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 22 + 28);
	assert_int_equal(np.nvlan, 2);
	assert_int_equal(np.vlan[0], 10);
	assert_int_equal(np.vlan[1], 20);

	/* three tags: more than we follow */
	const uint8_t q3[] = { ETH_HDR(0x88, 0xa8), 0x00, 0x01, 0x81, 0x00, 0x00, 0x02,
			       0x81, 0x00, 0x00, 0x03, 0x08, 0x00, IPV4_UDP36, UDP_L2TP16,
			       PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, q3, sizeof q3, &np),
			 NETPKT_E_VLAN_DEPTH);

	/* tag cut short */
	const uint8_t qs[] = { ETH_HDR(0x81, 0x00), 0x00, 0x05, 0x08 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, qs, sizeof qs, &np), NETPKT_E_SHORT);
}

static void test_ethernet_not_followed(void **state)
{
	(void)state;
	struct netpkt np;
	/* ARP */
	const uint8_t arp[] = { ETH_HDR(0x08, 0x06), 0, 1, 8, 0, 6, 4, 0, 1 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, arp, sizeof arp, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	/* 802.3 length field (LLC follows) */
	const uint8_t llc[] = { ETH_HDR(0x00, 0x26), 0x42, 0x42, 0x03 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, llc, sizeof llc, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	/* ICMP inside IPv4 */
	const uint8_t icmp[] = { ETH_HDR(0x08, 0x00), 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1,
				 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 0, 0, 0, 0, 0, 0, 0 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, icmp, sizeof icmp, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	assert_int_equal(np.ip_proto, 1);
	/* Ethernet header cut short */
	const uint8_t sh[] = { ETH_HDR(0x08, 0x00) };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, sh, 13, &np), NETPKT_E_SHORT);
}

static void test_ipv4_options_and_ihl(void **state)
{
	(void)state;
	struct netpkt np;
	/* IHL 6: one option word (NOP NOP NOP EOL), total 40 */
	const uint8_t opt[] = { ETH_HDR(0x08, 0x00), 0x46, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0,
				10, 0, 0, 1, 10, 0, 0, 2, 1, 1, 1, 0, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, opt, sizeof opt, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 14 + 24 + 8);
	assert_int_equal(np.len, 8);

	/* IHL 4 (< 5, RFC 791 minimum) */
	uint8_t bad[sizeof opt];
	memcpy(bad, opt, sizeof opt);
	bad[14] = 0x44;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_IHL);
	/* IHL 15 = 60 bytes, past the 40-byte datagram and the frame */
	bad[14] = 0x4f;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_IHL);
	/* version 5 in an IPv4 Ethertype */
	bad[14] = 0x55;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np),
			 NETPKT_E_IP_VERSION);
	/* Total Length 41: one byte past the frame */
	memcpy(bad, opt, sizeof opt);
	bad[17] = 41;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_IP_LEN);
	/* Total Length 20 < IHL*4 = 24 */
	bad[17] = 20;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_IP_LEN);
	/* header cut at 19 bytes */
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, opt, 14 + 19, &np), NETPKT_E_SHORT);
}

static void test_udp_lengths(void **state)
{
	(void)state;
	struct netpkt np;
	uint8_t f[] = { ETH_HDR(0x08, 0x00), IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	/* UDP length 17: past the IP payload */
	f[14 + 20 + 5] = 17;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), NETPKT_E_UDP_LEN);
	/* UDP length 7: shorter than its own header */
	f[14 + 20 + 5] = 7;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), NETPKT_E_UDP_LEN);
	/* UDP length 10: 2-byte payload, the rest is IP-level slack */
	f[14 + 20 + 5] = 10;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.len, 2);
	/* UDP header cut short: IP says 27 bytes (20 + 7) */
	f[14 + 3] = 27;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, 14 + 27, &np), NETPKT_E_SHORT);
}

static void test_ipv4_fragments(void **state)
{
	(void)state;
	struct netpkt np;
	uint8_t f[] = { ETH_HDR(0x08, 0x00), IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	/* first fragment (MF): UDP header is here, payload incomplete */
	f[14 + 6] = 0x20;
	f[14 + 20 + 5] = 200; /* UDP length covers the whole datagram */
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_true(np.fragment);
	assert_int_equal(np.off, 42);
	assert_int_equal(np.len, 8);
	/* a later fragment (offset 185*8): no transport header at all */
	f[14 + 6] = 0x00;
	f[14 + 7] = 185;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	assert_true(np.fragment);
}

/* IPv6 header, payload length pl, next header nh, ::1 -> ::2 */
#define IPV6_HDR(pl, nh)                                                              \
	0x60, 0, 0, 0, 0x00, pl, nh, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, \
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2

static void test_ipv6_udp_and_extensions(void **state)
{
	(void)state;
	struct netpkt np;
	const uint8_t f[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(16, 17), UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 14 + 40 + 8);
	assert_int_equal(np.len, 8);
	assert_int_equal(np.ip_ver, 6);
	assert_int_equal(np.src[15], 1);
	assert_int_equal(np.dst[15], 2);

	/* Hop-by-Hop (8 bytes, PadN) then Destination Options (16 bytes) */
	const uint8_t ext[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(40, 0),
				60, 0, 1, 4, 0, 0, 0, 0,
				17, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, ext, sizeof ext, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 14 + 40 + 8 + 16 + 8);
	assert_int_equal(np.len, 8);

	/* Destination Options claiming (4+1)*8 = 40 bytes where 32 remain */
	uint8_t bad[sizeof ext];
	memcpy(bad, ext, sizeof ext);
	bad[14 + 40 + 8 + 1] = 4;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np),
			 NETPKT_E_IPV6_EXT);
	/* an extension header whose 8 fixed bytes are not there */
	const uint8_t cut[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(4, 0), 17, 0, 0, 0 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, cut, sizeof cut, &np),
			 NETPKT_E_IPV6_EXT);
	/* payload length past the frame */
	const uint8_t pl[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(17, 17), UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, pl, sizeof pl, &np), NETPKT_E_IP_LEN);
	/* payload length 0 before a Hop-by-Hop header: a jumbogram, refused */
	const uint8_t jumbo[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(0, 0), 17, 0, 0xc2, 4, 0, 1,
				  0, 0x20, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, jumbo, sizeof jumbo, &np),
			 NETPKT_E_IP_LEN);
	/* payload length 0 with No Next Header: a valid empty packet */
	const uint8_t empty[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(0, 59) };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, empty, sizeof empty, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	assert_int_equal(np.ip_proto, 59);
	/* header cut at 39 bytes */
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, 14 + 39, &np), NETPKT_E_SHORT);
	/* version 4 nibble under the IPv6 Ethertype */
	uint8_t v4[sizeof f];
	memcpy(v4, f, sizeof f);
	v4[14] = 0x40;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, v4, sizeof v4, &np),
			 NETPKT_E_IP_VERSION);
}

static void test_ipv6_fragments(void **state)
{
	(void)state;
	struct netpkt np;
	/* Fragment header: next 17, offset 0, M = 1 */
	const uint8_t first[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(24, 44),
				  17, 0, 0x00, 0x01, 0, 0, 0, 7, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, first, sizeof first, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_true(np.fragment);
	assert_int_equal(np.off, 14 + 40 + 8 + 8);
	/* offset 2 (x8 bytes): no UDP header in it */
	const uint8_t later[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(24, 44),
				  17, 0, 0x00, 0x10, 0, 0, 0, 7, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, later, sizeof later, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	assert_true(np.fragment);
	assert_int_equal(np.ip_proto, 17);
}

static void test_linux_cooked(void **state)
{
	(void)state;
	struct netpkt np;
	/* SLL v1: packet type 0, ARPHRD_ETHER, addr len 6, 8 addr bytes, proto */
	const uint8_t v1[] = { 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00,
			       IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_LINUX_SLL, v1, sizeof v1, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 16 + 28);
	/* SLL v2: proto, reserved, ifindex, ARPHRD, pkttype, addr len, 8 addr */
	const uint8_t v2[] = { 0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6,
			       1, 2, 3, 4, 5, 6, 0, 0, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_LINUX_SLL2, v2, sizeof v2, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 20 + 28);
	/* SLL carrying PPPoE session */
	const uint8_t pppoe[] = { 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x88, 0x64,
				  0x11, 0x00, 0x12, 0x34, 0x00, 0x02, 0xc0, 0x21 };
	assert_int_equal(link_exact(NETPKT_DLT_LINUX_SLL, pppoe, sizeof pppoe, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.off, 22);
	assert_int_equal(np.len, 2);
	/* headers cut short */
	assert_int_equal(link_exact(NETPKT_DLT_LINUX_SLL, v1, 15, &np), NETPKT_E_SHORT);
	assert_int_equal(link_exact(NETPKT_DLT_LINUX_SLL2, v2, 19, &np), NETPKT_E_SHORT);
}

static void test_raw_ip(void **state)
{
	(void)state;
	struct netpkt np;
	const uint8_t v4[] = { IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	const uint8_t v6[] = { IPV6_HDR(16, 17), UDP_L2TP16, PAYLOAD8 };
	const uint32_t raw[] = { NETPKT_DLT_RAW, NETPKT_DLT_RAW_OPENBSD, NETPKT_LINKTYPE_RAW };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(link_exact(raw[i], v4, sizeof v4, &np), 0);
		assert_int_equal(np.kind, NETPKT_UDP);
		assert_int_equal(np.off, 28);
		assert_int_equal(link_exact(raw[i], v6, sizeof v6, &np), 0);
		assert_int_equal(np.kind, NETPKT_UDP);
		assert_int_equal(np.off, 48);
	}
	assert_int_equal(link_exact(NETPKT_LINKTYPE_IPV4, v4, sizeof v4, &np), 0);
	assert_int_equal(np.off, 28);
	assert_int_equal(link_exact(NETPKT_LINKTYPE_IPV6, v6, sizeof v6, &np), 0);
	assert_int_equal(np.off, 48);
	/* the link type promises one version, the packet is the other */
	assert_int_equal(link_exact(NETPKT_LINKTYPE_IPV4, v6, sizeof v6, &np),
			 NETPKT_E_IP_VERSION);
	assert_int_equal(link_exact(NETPKT_LINKTYPE_IPV6, v4, sizeof v4, &np),
			 NETPKT_E_IP_VERSION);
	/* neither 4 nor 6 */
	const uint8_t v0[] = { 0x05, 0, 0, 0 };
	assert_int_equal(link_exact(NETPKT_DLT_RAW, v0, sizeof v0, &np), NETPKT_E_IP_VERSION);
	assert_int_equal(link_exact(NETPKT_DLT_RAW, v0, 0, &np), NETPKT_E_SHORT);
}

static void test_null_loopback_both_orders(void **state)
{
	(void)state;
	struct netpkt np;
	/* AF_INET = 2 written by a little-endian host */
	const uint8_t le[] = { 2, 0, 0, 0, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_NULL, le, sizeof le, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 4 + 28);
	/* by a big-endian host (and DLT_LOOP, always network order) */
	const uint8_t be[] = { 0, 0, 0, 2, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_NULL, be, sizeof be, &np), 0);
	assert_int_equal(np.off, 32);
	assert_int_equal(link_exact(NETPKT_DLT_LOOP, be, sizeof be, &np), 0);
	assert_int_equal(np.off, 32);
	/* AF_INET6 as Darwin (30) and FreeBSD (28), each byte order */
	const uint8_t d6[] = { 30, 0, 0, 0, IPV6_HDR(16, 17), UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_NULL, d6, sizeof d6, &np), 0);
	assert_int_equal(np.off, 4 + 48);
	const uint8_t f6[] = { 0, 0, 0, 28, IPV6_HDR(16, 17), UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_NULL, f6, sizeof f6, &np), 0);
	assert_int_equal(np.ip_ver, 6);
	/* AF 2 but an IPv6 packet: the family decides, and it disagrees */
	const uint8_t mis[] = { 2, 0, 0, 0, IPV6_HDR(16, 17), UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_NULL, mis, sizeof mis, &np),
			 NETPKT_E_IP_VERSION);
	/* unknown family (AF_UNIX = 1), and a cut header */
	const uint8_t unk[] = { 1, 0, 0, 0, IPV4_UDP36 };
	assert_int_equal(link_exact(NETPKT_DLT_NULL, unk, sizeof unk, &np), NETPKT_E_FAMILY);
	assert_int_equal(link_exact(NETPKT_DLT_NULL, le, 3, &np), NETPKT_E_SHORT);
}

static void test_ppp_links(void **state)
{
	(void)state;
	struct netpkt np;
	/* RFC 1662 framing: ff 03, then IPv4 */
	const uint8_t hd[] = { 0xff, 0x03, 0x00, 0x21, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_PPP, hd, sizeof hd, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.via, NETPKT_VIA_LINK);
	assert_int_equal(np.off, 0);
	assert_int_equal(np.len, sizeof hd);
	/* follow the PPP frame down to UDP */
	struct netpkt in;
	assert_int_equal(netpkt_ppp(hd, sizeof hd, np.off, np.len, &in), 0);
	assert_int_equal(in.kind, NETPKT_UDP);
	assert_int_equal(in.off, 4 + 28);
	assert_int_equal(in.len, 8);

	/* no address/control, LCP */
	const uint8_t lcp[] = { 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0, 0, 0, 0 };
	assert_int_equal(link_exact(NETPKT_DLT_PPP, lcp, sizeof lcp, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	uint16_t proto = 0;
	size_t hdr = 0;
	assert_int_equal(netpkt_ppp_hdr(lcp, sizeof lcp, 0, sizeof lcp, &proto, &hdr), 0);
	assert_int_equal(proto, 0xc021);
	assert_int_equal(hdr, 2);
	assert_int_equal(netpkt_ppp(lcp, sizeof lcp, 0, sizeof lcp, &in), 0);
	assert_int_equal(in.kind, NETPKT_NONE);

	/* PFC: protocol 0x21 in one octet */
	const uint8_t pfc[] = { 0x21, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(netpkt_ppp_hdr(pfc, sizeof pfc, 0, sizeof pfc, &proto, &hdr), 0);
	assert_int_equal(proto, 0x21);
	assert_int_equal(hdr, 1);
	assert_int_equal(netpkt_ppp(pfc, sizeof pfc, 0, sizeof pfc, &in), 0);
	assert_int_equal(in.off, 1 + 28);

	/* with a direction byte first */
	const uint8_t dir[] = { 0x01, 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x04 };
	assert_int_equal(link_exact(NETPKT_DLT_PPP_WITH_DIR, dir, sizeof dir, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.off, 1);
	assert_int_equal(np.len, sizeof dir - 1);

	/* ff not followed by UI control 03: the frame's own header is bad */
	const uint8_t ctl[] = { 0xff, 0x5f, 0x7e, 0x08, 0x00 };
	assert_int_equal(link_exact(NETPKT_DLT_PPP, ctl, sizeof ctl, &np), NETPKT_E_HDLC);
	assert_int_equal(np.kind, NETPKT_PPP);
	/* async HDLC with its 0x7e flag is not unescaped */
	const uint8_t flag[] = { 0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 0x7e };
	assert_int_equal(link_exact(NETPKT_DLT_PPP, flag, sizeof flag, &np),
			 NETPKT_E_HDLC_ASYNC);
	assert_int_equal(np.kind, NETPKT_PPP);
	/* protocol 0x3030: low octet even (RFC 1661 §2) */
	const uint8_t even[] = { 0x30, 0x30 };
	assert_int_equal(link_exact(NETPKT_DLT_PPP, even, sizeof even, &np),
			 NETPKT_E_PPP_PROTO);
	/* cut in the protocol field */
	assert_int_equal(link_exact(NETPKT_DLT_PPP, hd, 3, &np), NETPKT_E_SHORT);
	assert_int_equal(link_exact(NETPKT_DLT_PPP, hd, 1, &np), NETPKT_E_SHORT);
	/* IPv6 protocol announcing an IPv4 packet */
	const uint8_t mis[] = { 0x00, 0x57, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(netpkt_ppp(mis, sizeof mis, 0, sizeof mis, &in), NETPKT_E_IP_VERSION);
}

static void test_cisco_hdlc(void **state)
{
	(void)state;
	struct netpkt np;
	const uint8_t f[] = { 0x0f, 0x00, 0x08, 0x00, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	const uint32_t lts[] = { NETPKT_DLT_C_HDLC, NETPKT_DLT_PPP_SERIAL, NETPKT_DLT_PPP };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(link_exact(lts[i], f, sizeof f, &np), 0);
		assert_int_equal(np.kind, NETPKT_UDP);
		assert_int_equal(np.off, 4 + 28);
	}
	/* SLARP (0x8035) is not followed */
	const uint8_t slarp[] = { 0x8f, 0x00, 0x80, 0x35, 0, 0, 0, 2 };
	assert_int_equal(link_exact(NETPKT_DLT_C_HDLC, slarp, sizeof slarp, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	/* C_HDLC with a PPP-looking header is an error there */
	const uint8_t ppp[] = { 0xff, 0x03, 0xc0, 0x21 };
	assert_int_equal(link_exact(NETPKT_DLT_C_HDLC, ppp, sizeof ppp, &np), NETPKT_E_HDLC);
	assert_int_equal(link_exact(NETPKT_DLT_C_HDLC, f, 3, &np), NETPKT_E_SHORT);
}

static void test_pppoe(void **state)
{
	(void)state;
	struct netpkt np;
	/* session 0x1234, length 10: LCP Echo-Request id 1, length 8 */
	const uint8_t f[] = { ETH_HDR(0x88, 0x64), 0x11, 0x00, 0x12, 0x34, 0x00, 0x0a,
			      0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef,
			      0, 0, 0, 0 /* padding */ };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.via, NETPKT_VIA_PPPOE);
	assert_int_equal(np.pppoe_sid, 0x1234);
	assert_int_equal(np.off, 20);
	assert_int_equal(np.len, 10);
	/* PPPoE over 802.1Q */
	const uint8_t q[] = { ETH_HDR(0x81, 0x00), 0x00, 0x07, 0x88, 0x64, 0x11, 0x00, 0x00,
			      0x01, 0x00, 0x02, 0xc0, 0x21 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, q, sizeof q, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.off, 24);
	assert_int_equal(np.vlan[0], 7);
	/* length 15: past the end of the 14 bytes that follow */
	uint8_t bad[sizeof f];
	memcpy(bad, f, sizeof f);
	bad[19] = 15;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np),
			 NETPKT_E_PPPOE_LEN);
	/* version/type 2/1 and a discovery code in a session frame */
	memcpy(bad, f, sizeof f);
	bad[14] = 0x21;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np),
			 NETPKT_E_PPPOE_HDR);
	memcpy(bad, f, sizeof f);
	bad[15] = 0x09;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np),
			 NETPKT_E_PPPOE_HDR);
	/* header cut short */
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, 19, &np), NETPKT_E_SHORT);
	/* discovery (PADI) is not followed */
	const uint8_t padi[] = { ETH_HDR(0x88, 0x63), 0x11, 0x09, 0x00, 0x00, 0x00, 0x00 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, padi, sizeof padi, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	/* DLT_PPP_ETHER: the PPPoE header is the link header */
	assert_int_equal(link_exact(NETPKT_DLT_PPP_ETHER, f + 14, sizeof f - 14, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.off, 6);
}

/* IPv4 header for GRE with total length tl */
#define IPV4_GRE(tl) \
	0x45, 0, 0, tl, 0, 0, 0, 0, 64, 47, 0, 0, 192, 168, 0, 1, 192, 168, 0, 2

static void test_pptp_gre(void **state)
{
	(void)state;
	struct netpkt np;
	/* K and S set, A set, version 1, 880b, payload 4, call id 0x00c8,
	 * seq 1, ack 0: then ff 03 c0 21 */
	const uint8_t f[] = { ETH_HDR(0x08, 0x00), IPV4_GRE(40), 0x30, 0x81, 0x88, 0x0b,
			      0x00, 0x04, 0x00, 0xc8, 0, 0, 0, 1, 0, 0, 0, 0,
			      0xff, 0x03, 0xc0, 0x21 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.via, NETPKT_VIA_GRE);
	assert_int_equal(np.gre_call_id, 0xc8);
	assert_int_equal(np.off, 14 + 20 + 16);
	assert_int_equal(np.len, 4);
	/* without A: 12-byte header */
	const uint8_t na[] = { ETH_HDR(0x08, 0x00), IPV4_GRE(36), 0x30, 0x01, 0x88, 0x0b,
			       0x00, 0x04, 0x00, 0xc8, 0, 0, 0, 1, 0xff, 0x03, 0xc0, 0x21 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, na, sizeof na, &np), 0);
	assert_int_equal(np.kind, NETPKT_PPP);
	assert_int_equal(np.off, 14 + 20 + 12);
	/* acknowledgment only (S clear, A set): nothing to follow */
	const uint8_t ack[] = { ETH_HDR(0x08, 0x00), IPV4_GRE(32), 0x20, 0x81, 0x88, 0x0b,
				0x00, 0x00, 0x00, 0xc8, 0, 0, 0, 9 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, ack, sizeof ack, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
	/* K clear: RFC 2637 §4.1 makes the key (length + call id) mandatory */
	uint8_t bad[sizeof f];
	memcpy(bad, f, sizeof f);
	bad[34] = 0x10;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_GRE);
	/* checksum bit set */
	memcpy(bad, f, sizeof f);
	bad[34] = 0xb0;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_GRE);
	/* protocol type other than 880b */
	memcpy(bad, f, sizeof f);
	bad[37] = 0x0c;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_GRE);
	/* payload length 5: past the 4 bytes there */
	memcpy(bad, f, sizeof f);
	bad[39] = 5;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np),
			 NETPKT_E_GRE_LEN);
	/* header cut in the sequence number (IP length says 30) */
	memcpy(bad, f, sizeof f);
	bad[14 + 3] = 30;
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, 14 + 30, &np), NETPKT_E_SHORT);
	/* plain GRE version 0 (RFC 2784) carrying IPv4: another protocol */
	const uint8_t v0[] = { ETH_HDR(0x08, 0x00), IPV4_GRE(24), 0x00, 0x00, 0x08, 0x00 };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, v0, sizeof v0, &np), 0);
	assert_int_equal(np.kind, NETPKT_NONE);
}

static void test_tcp(void **state)
{
	(void)state;
	struct netpkt np;
	/* TCP 179 -> 1024, data offset 6 (one option word), 3 payload bytes */
	const uint8_t f[] = { ETH_HDR(0x08, 0x00), 0x45, 0, 0, 47, 0, 0, 0x40, 0, 64, 6, 0, 0,
			      1, 1, 1, 1, 2, 2, 2, 2,
			      0x00, 0xb3, 0x04, 0x00, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x18, 0xff,
			      0xff, 0, 0, 0, 0, 1, 1, 1, 0, 'a', 'b', 'c' };
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_TCP);
	assert_int_equal(np.sport, 179);
	assert_int_equal(np.dport, 1024);
	assert_int_equal(np.off, 14 + 20 + 24);
	assert_int_equal(np.len, 3);
	uint8_t bad[sizeof f];
	memcpy(bad, f, sizeof f);
	bad[14 + 20 + 12] = 0x40; /* data offset 4 < 5 */
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_TCP_OFF);
	bad[14 + 20 + 12] = 0xf0; /* 60 bytes > 27-byte segment */
	assert_int_equal(link_exact(NETPKT_DLT_EN10MB, bad, sizeof bad, &np), NETPKT_E_TCP_OFF);
}

static void test_ip_in_ip(void **state)
{
	(void)state;
	struct netpkt np;
	/* IPv4 (proto 4) carrying IPv4/UDP */
	const uint8_t f[] = { 0x45, 0, 0, 56, 0, 0, 0, 0, 64, 4, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
			      IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	assert_int_equal(link_exact(NETPKT_DLT_RAW, f, sizeof f, &np), 0);
	assert_int_equal(np.kind, NETPKT_UDP);
	assert_int_equal(np.off, 20 + 28);
	assert_int_equal(np.src[0], 10); /* the inner header's */
	/* four levels deep: refused */
	uint8_t deep[20 * 4 + 36];
	for (int i = 0; i < 4; i++) {
		memcpy(deep + 20 * i, f, 20);
		deep[20 * i + 3] = (uint8_t)(sizeof deep - 20 * (size_t)i);
	}
	memcpy(deep + 80, f + 20, 36);
	assert_int_equal(link_exact(NETPKT_DLT_RAW, deep, sizeof deep, &np), NETPKT_E_DEPTH);
}

static void test_unknown_linktype(void **state)
{
	(void)state;
	struct netpkt np;
	const uint8_t f[] = { 1, 2, 3, 4 };
	assert_int_equal(link_exact(107 /* frame relay */, f, sizeof f, &np),
			 NETPKT_E_LINKTYPE);
	assert_string_equal(netpkt_strerror(NETPKT_E_LINKTYPE), "linktype");
	assert_string_equal(netpkt_strerror(NETPKT_E_IHL), "ihl");
	assert_string_equal(netpkt_strerror(-999), "unknown_error");
}

/* Every prefix of every shape: an error or a payload inside the prefix,
 * never a read outside it (ASan watches the exact-size copies). */
static void test_every_truncation(void **state)
{
	(void)state;
	const uint8_t pppoe_l2tp[] = { ETH_HDR(0x88, 0x64), 0x11, 0x00, 0x00, 0x01, 0x00, 0x26,
				       0x00, 0x21, IPV4_UDP36, UDP_L2TP16, PAYLOAD8 };
	const uint8_t v6ext[] = { ETH_HDR(0x86, 0xdd), IPV6_HDR(40, 0),
				  60, 0, 1, 4, 0, 0, 0, 0,
				  17, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				  UDP_L2TP16, PAYLOAD8 };
	const uint8_t gre[] = { ETH_HDR(0x81, 0x00), 0, 1, 0x08, 0x00, IPV4_GRE(40),
				0x30, 0x81, 0x88, 0x0b, 0x00, 0x04, 0x00, 0xc8, 0, 0, 0, 1,
				0, 0, 0, 0, 0xff, 0x03, 0xc0, 0x21 };
	const struct { const uint8_t *p; size_t n; } shapes[] = {
		{ pppoe_l2tp, sizeof pppoe_l2tp },
		{ v6ext, sizeof v6ext },
		{ gre, sizeof gre },
	};
	for (size_t s = 0; s < 3; s++) {
		for (size_t n = 0; n <= shapes[s].n; n++) {
			struct netpkt np;
			int rc = link_exact(NETPKT_DLT_EN10MB, shapes[s].p, n, &np);
			if (n == shapes[s].n)
				assert_int_equal(rc, 0);
			if (rc == 0 && np.kind != NETPKT_NONE)
				assert_true(np.off + np.len <= n);
			else if (rc == 0)
				assert_true(n >= 14);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet_ipv4_udp),
		cmocka_unit_test(test_ethernet_padding_ignored),
		cmocka_unit_test(test_vlan_and_qinq),
		cmocka_unit_test(test_ethernet_not_followed),
		cmocka_unit_test(test_ipv4_options_and_ihl),
		cmocka_unit_test(test_udp_lengths),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv6_udp_and_extensions),
		cmocka_unit_test(test_ipv6_fragments),
		cmocka_unit_test(test_linux_cooked),
		cmocka_unit_test(test_raw_ip),
		cmocka_unit_test(test_null_loopback_both_orders),
		cmocka_unit_test(test_ppp_links),
		cmocka_unit_test(test_cisco_hdlc),
		cmocka_unit_test(test_pppoe),
		cmocka_unit_test(test_pptp_gre),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_ip_in_ip),
		cmocka_unit_test(test_unknown_linktype),
		cmocka_unit_test(test_every_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
