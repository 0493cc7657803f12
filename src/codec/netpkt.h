/*
 * Link and network layer dissection for captured frames: from a link-layer
 * frame down to the point where one of our protocols starts (a UDP or TCP
 * payload, or a PPP frame). Used by pcapdecode and its fuzz harness; the
 * daemon itself never sees link layers.
 *
 * Pure: no I/O, no allocation. Every result is an offset/length into the
 * caller's buffer, so successive steps (link -> PPP -> IP -> UDP -> L2TP ->
 * PPP -> ...) share one coordinate system. Every header is read through
 * struct rd; a malformed shape yields a negative enum netpkt_err and never a
 * read past `len`.
 */
#ifndef L2TPNS_CODEC_NETPKT_H
#define L2TPNS_CODEC_NETPKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* pcap link types (the LINKTYPE_ / DLT_ numbers as pcap_datalink() gives them). */
enum {
	NETPKT_DLT_NULL = 0,	     /* BSD loopback: 4-byte AF in the capturing host's order */
	NETPKT_DLT_EN10MB = 1,	     /* Ethernet II / 802.1Q */
	NETPKT_DLT_PPP = 9,	     /* PPP, with or without RFC 1662 ff 03 */
	NETPKT_DLT_RAW = 12,	     /* raw IP (Linux/most BSDs) */
	NETPKT_DLT_RAW_OPENBSD = 14, /* raw IP (OpenBSD's DLT_RAW) */
	NETPKT_DLT_PPP_SERIAL = 50,  /* RFC 1662 HDLC-like framing, or Cisco HDLC */
	NETPKT_DLT_PPP_ETHER = 51,   /* PPPoE header without Ethernet */
	NETPKT_LINKTYPE_RAW = 101,   /* raw IP in the file header */
	NETPKT_DLT_C_HDLC = 104,     /* Cisco HDLC */
	NETPKT_DLT_LOOP = 108,	     /* OpenBSD loopback: AF in network order */
	NETPKT_DLT_LINUX_SLL = 113,  /* Linux cooked v1 */
	NETPKT_DLT_PPP_WITH_DIR = 204, /* one direction byte, then PPP */
	NETPKT_LINKTYPE_IPV4 = 228,
	NETPKT_LINKTYPE_IPV6 = 229,
	NETPKT_DLT_LINUX_SLL2 = 276, /* Linux cooked v2 */
};

enum netpkt_err {
	NETPKT_OK = 0,
	NETPKT_E_SHORT = -1,	    /* a header runs past the captured bytes */
	NETPKT_E_LINKTYPE = -2,	    /* link type we do not dissect */
	NETPKT_E_FAMILY = -3,	    /* null/loopback address family unknown */
	NETPKT_E_HDLC = -4,	    /* ff not followed by 03 (RFC 1662 §3.1) */
	NETPKT_E_HDLC_ASYNC = -5,   /* 0x7e flag: async HDLC, needs unescaping */
	NETPKT_E_PPP_PROTO = -6,    /* PPP protocol field not odd/even (RFC 1661 §2) */
	NETPKT_E_VLAN_DEPTH = -7,   /* more stacked VLAN tags than we follow */
	NETPKT_E_PPPOE_HDR = -8,    /* PPPoE ver/type not 1/1 or code not 0 (RFC 2516 §4) */
	NETPKT_E_PPPOE_LEN = -9,    /* PPPoE length past the frame */
	NETPKT_E_IP_VERSION = -10,  /* version nibble does not match */
	NETPKT_E_IHL = -11,	    /* IPv4 IHL < 5 or past the datagram */
	NETPKT_E_IP_LEN = -12,	    /* IP total/payload length past the frame or < header */
	NETPKT_E_IPV6_EXT = -13,    /* IPv6 extension header past the payload */
	NETPKT_E_UDP_LEN = -14,	    /* UDP length < 8 or past the IP payload */
	NETPKT_E_TCP_OFF = -15,	    /* TCP data offset < 5 or past the segment */
	NETPKT_E_GRE = -16,	    /* PPTP GRE without key, wrong protocol, bad flags */
	NETPKT_E_GRE_LEN = -17,	    /* GRE payload length past the packet */
	NETPKT_E_DEPTH = -18,	    /* IP-in-IP nesting deeper than we follow */
};

/* A short stable name for an error ("short", "ihl" ...). */
const char *netpkt_strerror(int err);

enum netpkt_kind {
	NETPKT_NONE = 0, /* well formed, but nothing we follow (ARP, ICMP, PPPoE
			    discovery, non-first fragment, GRE ack ...) */
	NETPKT_UDP,	 /* [off, off+len) is a UDP payload */
	NETPKT_TCP,	 /* [off, off+len) is a TCP segment's payload */
	NETPKT_PPP,	 /* [off, off+len) is a PPP frame: ff 03 or the protocol first */
};

/* How a PPP frame was carried. */
enum netpkt_carrier {
	NETPKT_VIA_NONE = 0,
	NETPKT_VIA_LINK,  /* DLT_PPP, PPP_SERIAL, PPP_WITH_DIR */
	NETPKT_VIA_PPPOE, /* RFC 2516 session stage */
	NETPKT_VIA_GRE,	  /* RFC 2637 enhanced GRE */
};

struct netpkt {
	enum netpkt_kind kind;
	size_t off, len;	 /* the payload, in the caller's buffer */
	enum netpkt_carrier via; /* NETPKT_PPP only */
	/* innermost IP header seen (ip_ver 0: none) */
	uint8_t ip_ver;
	uint8_t ip_proto;	 /* transport protocol number */
	uint8_t src[16], dst[16];/* IPv4 in the first 4 bytes */
	bool fragment;		 /* first fragment: payload is incomplete */
	uint16_t sport, dport;	 /* UDP/TCP */
	uint16_t pppoe_sid;	 /* NETPKT_VIA_PPPOE */
	uint16_t gre_call_id;	 /* NETPKT_VIA_GRE */
	uint8_t nvlan;		 /* 802.1Q tags stripped */
	uint16_t vlan[2];	 /* their VIDs, outermost first */
};

enum { NETPKT_MAX_VLAN = 2, NETPKT_MAX_IP_DEPTH = 4 };

/*
 * Dissect a link-layer frame of pcap link type `linktype` from the start
 * of buf[0..len). Fills *out and returns 0 (out->kind may be NETPKT_NONE),
 * or a negative netpkt_err. On a PPP link, an error with out->kind ==
 * NETPKT_PPP means the frame's own PPP/HDLC header is bad (RFC 1662 framing,
 * RFC 1661 §2 protocol), as opposed to a broken link header.
 */
int netpkt_link(uint32_t linktype, const uint8_t *buf, size_t len, struct netpkt *out);

/*
 * Dissect the IP datagram at buf[off..off+n) (version from its first nibble)
 * down to its transport payload. IPv4-in-IP and IPv6-in-IP are followed up to
 * NETPKT_MAX_IP_DEPTH; PPTP GRE stops at its PPP frame.
 */
int netpkt_ip(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out);

/*
 * The PPP header of the frame at buf[off..off+n): skips ff 03 (RFC 1662
 * §3.1; address/control may be compressed away, RFC 1661 §6.6) and reads
 * the protocol, 1 or 2 octets (PFC, RFC 1661 §6.5). On success *proto and
 * *hdr (bytes before the information field) are set.
 */
int netpkt_ppp_hdr(const uint8_t *buf, size_t len, size_t off, size_t n, uint16_t *proto,
		   size_t *hdr);

/*
 * Follow a PPP frame (as returned with NETPKT_PPP, or the payload of an L2TP
 * data message) into IPv4 (0x0021) or IPv6 (0x0057): *out describes the
 * transport payload. Other protocols give NETPKT_NONE.
 */
int netpkt_ppp(const uint8_t *buf, size_t len, size_t off, size_t n, struct netpkt *out);

#endif
