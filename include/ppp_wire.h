/*
 * PPP wire constants: frame header (RFC 1661 §2, RFC 1662 §3), LCP (RFC 1661,
 * 1570, 1990), PAP (RFC 1334), CHAP (RFC 1994), IPCP (RFC 1332, 1877),
 * IPV6CP (RFC 5072), CCP (RFC 1962). Numbers only: no structs, no code.
 * Each constant carries the RFC section it comes from.
 */
#ifndef L2TPNS_PPP_WIRE_H
#define L2TPNS_PPP_WIRE_H

/* RFC 1662 §3.1: HDLC-like framing Address and Control fields; carried in
 * L2TP data messages unless ACFC (RFC 1661 §6.6) lets the sender omit them. */
enum {
	PPP_ADDR_ALL_STATIONS = 0xff, /* RFC 1662 §3.1 */
	PPP_CTRL_UI = 0x03,	      /* RFC 1662 §3.1 */
	PPP_HDR_MAX = 4,	      /* ff 03 + 2-octet protocol */
};

/* RFC 1661 §2 Protocol field values (IANA "PPP DLL Protocol Numbers"). A
 * valid value has the low bit of the low octet set and the low bit of the
 * high octet clear; PFC (RFC 1661 §6.5) sends values < 0x100 in one octet. */
enum ppp_proto {
	PPP_PROTO_IP = 0x0021,	      /* RFC 1332 §1 */
	PPP_PROTO_VJC_COMP = 0x002d,  /* RFC 1332 §4 (Van Jacobson compressed TCP/IP) */
	PPP_PROTO_VJC_UNCOMP = 0x002f,/* RFC 1332 §4 */
	PPP_PROTO_MP = 0x003d,	      /* RFC 1990 §3 (multilink) */
	PPP_PROTO_IPV6 = 0x0057,      /* RFC 5072 §3 */
	PPP_PROTO_COMP_LINK = 0x00fb, /* RFC 1962 §1 (individual-link compressed datagram) */
	PPP_PROTO_COMP = 0x00fd,      /* RFC 1962 §1 (compressed datagram) */
	PPP_PROTO_IPCP = 0x8021,      /* RFC 1332 §2 */
	PPP_PROTO_ECP = 0x8053,	      /* RFC 1968 §2 */
	PPP_PROTO_IPV6CP = 0x8057,    /* RFC 5072 §2 */
	PPP_PROTO_CCP_LINK = 0x80fb,  /* RFC 1962 §2 (individual-link CCP) */
	PPP_PROTO_CCP = 0x80fd,	      /* RFC 1962 §2 */
	PPP_PROTO_LCP = 0xc021,	      /* RFC 1661 §5 */
	PPP_PROTO_PAP = 0xc023,	      /* RFC 1334 §2 */
	PPP_PROTO_LQR = 0xc025,	      /* RFC 1989 §2.5 */
	PPP_PROTO_CBCP = 0xc029,      /* Microsoft callback control (no RFC) */
	PPP_PROTO_BACP = 0xc02b,      /* RFC 2125 §5 */
	PPP_PROTO_BAP = 0xc02d,	      /* RFC 2125 §6 */
	PPP_PROTO_CHAP = 0xc223,      /* RFC 1994 §4 */
	PPP_PROTO_EAP = 0xc227,	      /* RFC 3748 §4 */
};

/* RFC 1661 §5: every control packet starts Code(1) Identifier(1) Length(2). */
enum {
	PPP_CP_HDR_LEN = 4,	/* RFC 1661 §5: Length counts these 4 octets */
	PPP_OPT_HDR_LEN = 2,	/* RFC 1661 §6: Type(1) Length(1) */
	PPP_DEFAULT_MRU = 1500, /* RFC 1661 §6.1 */
};

/* Codes. LCP uses 1..13; IPCP/IPV6CP use 1..7 (RFC 1332 §2, RFC 5072 §2);
 * CCP uses 1..7 plus 14/15 (RFC 1962 §2, §3). */
enum ppp_code {
	PPP_CONF_REQ = 1,	/* RFC 1661 §5.1 */
	PPP_CONF_ACK = 2,	/* RFC 1661 §5.2 */
	PPP_CONF_NAK = 3,	/* RFC 1661 §5.3 */
	PPP_CONF_REJ = 4,	/* RFC 1661 §5.4 */
	PPP_TERM_REQ = 5,	/* RFC 1661 §5.5 */
	PPP_TERM_ACK = 6,	/* RFC 1661 §5.5 */
	PPP_CODE_REJ = 7,	/* RFC 1661 §5.6 */
	PPP_PROTO_REJ = 8,	/* RFC 1661 §5.7 (LCP only) */
	PPP_ECHO_REQ = 9,	/* RFC 1661 §5.8 (LCP only) */
	PPP_ECHO_REP = 10,	/* RFC 1661 §5.8 (LCP only) */
	PPP_DISCARD_REQ = 11,	/* RFC 1661 §5.9 (LCP only) */
	PPP_IDENTIFICATION = 12,/* RFC 1570 §1.1 (LCP only) */
	PPP_TIME_REMAINING = 13,/* RFC 1570 §1.2 (LCP only) */
	PPP_CCP_RESET_REQ = 14,	/* RFC 1962 §3.1 (CCP only) */
	PPP_CCP_RESET_ACK = 15,	/* RFC 1962 §3.2 (CCP only) */
};

/* LCP Configuration Option types (IANA "LCP Configuration Option Types"). */
enum ppp_lcp_opt {
	PPP_LCP_OPT_VENDOR = 0,	     /* RFC 2153 §2 */
	PPP_LCP_OPT_MRU = 1,	     /* RFC 1661 §6.1, length 4 */
	PPP_LCP_OPT_ACCM = 2,	     /* RFC 1662 §7.1, length 6 */
	PPP_LCP_OPT_AUTH = 3,	     /* RFC 1661 §6.2, length >= 4 */
	PPP_LCP_OPT_QUALITY = 4,     /* RFC 1661 §6.3, length >= 4 */
	PPP_LCP_OPT_MAGIC = 5,	     /* RFC 1661 §6.4, length 6 */
	PPP_LCP_OPT_PFC = 7,	     /* RFC 1661 §6.5, length 2 */
	PPP_LCP_OPT_ACFC = 8,	     /* RFC 1661 §6.6, length 2 */
	PPP_LCP_OPT_FCS_ALT = 9,     /* RFC 1570 §2.1, length 3 */
	PPP_LCP_OPT_SDP = 10,	     /* RFC 1570 §2.2 Self-Describing-Padding, length 3 */
	PPP_LCP_OPT_NUMBERED = 11,   /* RFC 1663 §3 */
	PPP_LCP_OPT_MLP = 12,	     /* Multi-Link-Procedure (deprecated) */
	PPP_LCP_OPT_CALLBACK = 13,   /* RFC 1570 §2.3, length >= 3 */
	PPP_LCP_OPT_CONNECT_TIME = 14,	/* deprecated */
	PPP_LCP_OPT_COMPOUND = 15,   /* RFC 1570 §2.4 Compound-Frames (deprecated) */
	PPP_LCP_OPT_NDE = 16,	     /* Nominal-Data-Encapsulation (deprecated) */
	PPP_LCP_OPT_MRRU = 17,	     /* RFC 1990 §5.1.1, length 4 */
	PPP_LCP_OPT_SSNHF = 18,	     /* RFC 1990 §5.1.2, length 2 */
	PPP_LCP_OPT_EPDISC = 19,     /* RFC 1990 §5.1.3, length >= 3 */
	PPP_LCP_OPT_PROPRIETARY = 20,
	PPP_LCP_OPT_DCE_ID = 21,     /* RFC 1976 */
	PPP_LCP_OPT_MLPP = 22,	     /* RFC 1934 Multi-Link-Plus-Procedure */
	PPP_LCP_OPT_LINK_DISC = 23,  /* RFC 2125 §5.2 Link Discriminator for BACP */
	PPP_LCP_OPT_LCP_AUTH = 24,   /* LCP-Authentication-Option */
	PPP_LCP_OPT_COBS = 25,	     /* Consistent Overhead Byte Stuffing */
	PPP_LCP_OPT_PREFIX_ELISION = 26, /* RFC 2686 */
	PPP_LCP_OPT_MHF = 27,	     /* RFC 2686 Multilink header format */
	PPP_LCP_OPT_I18N = 28,	     /* RFC 2484 Internationalization */
	PPP_LCP_OPT_SDL = 29,	     /* RFC 3255 Simple Data Link on SONET/SDH */
};

/* RFC 1661 §6.2 / RFC 1994 §3: Authentication-Protocol values. */
enum {
	PPP_CHAP_ALG_MD5 = 5,	     /* RFC 1994 §3 */
	PPP_CHAP_ALG_MSCHAP = 0x80,  /* RFC 2433 §2 */
	PPP_CHAP_ALG_MSCHAPV2 = 0x81,/* RFC 2759 §2 */
	PPP_CHAP_MD5_LEN = 16,	     /* RFC 1994 §4.1: MD5 Value-Size */
};

/* RFC 1661 §6.3 / RFC 1989 §2.5: Link-Quality-Report Quality-Protocol data is
 * a 4-octet Reporting-Period. */
enum { PPP_LQR_PERIOD_LEN = 4 };

/* RFC 1570 §2.3 Callback Operation values. */
enum {
	PPP_CALLBACK_USER_AUTH = 0,	/* location determined by user authentication */
	PPP_CALLBACK_DIAL_STRING = 1,
	PPP_CALLBACK_LOCATION_ID = 2,
	PPP_CALLBACK_E164 = 3,
	PPP_CALLBACK_X500 = 4,		/* distinguished name */
	PPP_CALLBACK_CBCP = 6,		/* Microsoft CBCP (widely sent by Windows) */
};

/* RFC 1990 §5.1.3 Endpoint Discriminator classes and their address sizes. */
enum {
	PPP_EPDISC_NULL = 0,	  /* length 0 */
	PPP_EPDISC_LOCAL = 1,	  /* up to 20 */
	PPP_EPDISC_IPV4 = 2,	  /* 4 */
	PPP_EPDISC_MAC = 3,	  /* 6 */
	PPP_EPDISC_MAGIC = 4,	  /* up to 20 */
	PPP_EPDISC_E164 = 5,	  /* up to 15 */
	PPP_EPDISC_ADDR_MAX = 20, /* RFC 1990 §5.1.3 */
};

/* PAP codes, RFC 1334 §2.2. */
enum ppp_pap_code {
	PPP_PAP_AUTH_REQ = 1, /* RFC 1334 §2.2.1 */
	PPP_PAP_AUTH_ACK = 2, /* RFC 1334 §2.2.2 */
	PPP_PAP_AUTH_NAK = 3, /* RFC 1334 §2.2.2 */
};

/* CHAP codes, RFC 1994 §4. */
enum ppp_chap_code {
	PPP_CHAP_CHALLENGE = 1, /* RFC 1994 §4.1 */
	PPP_CHAP_RESPONSE = 2,	/* RFC 1994 §4.1 */
	PPP_CHAP_SUCCESS = 3,	/* RFC 1994 §4.2 */
	PPP_CHAP_FAILURE = 4,	/* RFC 1994 §4.2 */
};

/* IPCP Configuration Option types. */
enum ppp_ipcp_opt {
	PPP_IPCP_OPT_ADDRS = 1,	      /* RFC 1332 §3.1 IP-Addresses (deprecated), length 10 */
	PPP_IPCP_OPT_COMP = 2,	      /* RFC 1332 §3.2 IP-Compression-Protocol, length >= 4 */
	PPP_IPCP_OPT_ADDR = 3,	      /* RFC 1332 §3.3 IP-Address, length 6 */
	PPP_IPCP_OPT_MOBILE_IPV4 = 4, /* RFC 2290 §3 */
	PPP_IPCP_OPT_DNS1 = 129,      /* RFC 1877 §1.1 Primary DNS, length 6 */
	PPP_IPCP_OPT_NBNS1 = 130,     /* RFC 1877 §1.2 Primary NBNS, length 6 */
	PPP_IPCP_OPT_DNS2 = 131,      /* RFC 1877 §1.3 Secondary DNS, length 6 */
	PPP_IPCP_OPT_NBNS2 = 132,     /* RFC 1877 §1.4 Secondary NBNS, length 6 */
};

/* RFC 1332 §3.2: Van Jacobson compression, data = Max-Slot-Id, Comp-Slot-Id. */
enum { PPP_IPCP_VJ = 0x002d };

/* IPV6CP Configuration Option types, RFC 5072 §4. */
enum ppp_ipv6cp_opt {
	PPP_IPV6CP_OPT_IFID = 1, /* RFC 5072 §4.1 Interface-Identifier, length 10 */
	PPP_IPV6CP_OPT_COMP = 2, /* RFC 5072 §4.2 IPv6-Compression-Protocol, length >= 4 */
	PPP_IPV6CP_IFID_LEN = 8, /* RFC 5072 §4.1 */
};

/* CCP Configuration Option types, RFC 1962 §4 (IANA "PPP CCP Option Types").
 * We implement no compressor: each of these is Configure-Rejected. */
enum ppp_ccp_opt {
	PPP_CCP_OPT_OUI = 0,	     /* RFC 1962 §4.1 */
	PPP_CCP_OPT_PRED1 = 1,	     /* RFC 1978 */
	PPP_CCP_OPT_PRED2 = 2,	     /* RFC 1978 */
	PPP_CCP_OPT_PUDDLE = 3,	     /* Puddle Jumper */
	PPP_CCP_OPT_HP_PPC = 16,     /* Hewlett-Packard PPC */
	PPP_CCP_OPT_STAC = 17,	     /* RFC 1974 Stac LZS */
	PPP_CCP_OPT_MPPC = 18,	     /* RFC 2118 / RFC 3078 Microsoft PPC and MPPE */
	PPP_CCP_OPT_GANDALF = 19,    /* Gandalf FZA */
	PPP_CCP_OPT_V42BIS = 20,     /* V.42bis */
	PPP_CCP_OPT_BSD = 21,	     /* RFC 1977 BSD-Compress */
	PPP_CCP_OPT_LZS_DCP = 23,    /* RFC 1967 */
	PPP_CCP_OPT_MVRCA = 24,	     /* RFC 1975 Magnalink */
	PPP_CCP_OPT_DCE = 25,	     /* RFC 1976 */
	PPP_CCP_OPT_DEFLATE = 26,    /* RFC 1979 §2, length 4 */
	PPP_CCP_OPT_V44 = 27,	     /* V.44/LZJH */
};

#endif
