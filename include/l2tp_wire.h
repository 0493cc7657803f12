/*
 * L2TPv2 wire constants (RFC 2661). Numbers only: no structs, no code.
 * Each constant carries the RFC section it comes from.
 */
#ifndef L2TPNS_L2TP_WIRE_H
#define L2TPNS_L2TP_WIRE_H

#define L2TP_UDP_PORT 1701 /* §8.1 */

/* §3.1 header, first 16 bits */
enum {
	L2TP_HDR_T = 0x8000,	/* message is control */
	L2TP_HDR_L = 0x4000,	/* Length field present */
	L2TP_HDR_S = 0x0800,	/* Ns and Nr present */
	L2TP_HDR_O = 0x0200,	/* Offset Size present */
	L2TP_HDR_P = 0x0100,	/* priority (data only) */
	L2TP_HDR_VER_MASK = 0x000f,
	L2TP_VERSION = 2,	/* §3.1: MUST be 2 */
	L2TP_VERSION_L2F = 1,	/* §3.1: L2F, silently discarded */
	L2TP_VERSION_3 = 3,	/* RFC 3931 */
};

/* §4.1 AVP header, first 16 bits */
enum {
	L2TP_AVP_M = 0x8000,	   /* mandatory */
	L2TP_AVP_H = 0x4000,	   /* hidden (§4.3) */
	L2TP_AVP_RSVD = 0x3c00,	   /* MUST be 0; set => treat AVP as unrecognised */
	L2TP_AVP_LEN_MASK = 0x03ff,
	L2TP_AVP_HDR_LEN = 6,	   /* flags/length, Vendor ID, Attribute Type */
	L2TP_AVP_MAX_LEN = 1023,
};

/* §3.2 control message types (AVP 0 value) */
enum l2tp_msg_type {
	L2TP_MSG_ZLB = 0, /* not a real type: a control message with no AVPs (§5.8) */
	L2TP_MSG_SCCRQ = 1,
	L2TP_MSG_SCCRP = 2,
	L2TP_MSG_SCCCN = 3,
	L2TP_MSG_STOPCCN = 4,
	/* 5 reserved */
	L2TP_MSG_HELLO = 6,
	L2TP_MSG_OCRQ = 7,
	L2TP_MSG_OCRP = 8,
	L2TP_MSG_OCCN = 9,
	L2TP_MSG_ICRQ = 10,
	L2TP_MSG_ICRP = 11,
	L2TP_MSG_ICCN = 12,
	/* 13 reserved */
	L2TP_MSG_CDN = 14,
	L2TP_MSG_WEN = 15,
	L2TP_MSG_SLI = 16,
	L2TP_MSG_MAX = 16,
};

/* §4.4 attribute types (IETF vendor 0) */
enum l2tp_avp_type {
	L2TP_AVP_MESSAGE_TYPE = 0,	   /* §4.4.1 */
	L2TP_AVP_RESULT_CODE = 1,	   /* §4.4.2 */
	L2TP_AVP_PROTOCOL_VERSION = 2,	   /* §4.4.3 */
	L2TP_AVP_FRAMING_CAP = 3,	   /* §4.4.3 */
	L2TP_AVP_BEARER_CAP = 4,	   /* §4.4.3 */
	L2TP_AVP_TIE_BREAKER = 5,	   /* §4.4.3 */
	L2TP_AVP_FIRMWARE_REV = 6,	   /* §4.4.3 */
	L2TP_AVP_HOST_NAME = 7,		   /* §4.4.3 */
	L2TP_AVP_VENDOR_NAME = 8,	   /* §4.4.3 */
	L2TP_AVP_ASSIGNED_TUNNEL_ID = 9,   /* §4.4.3 */
	L2TP_AVP_RX_WINDOW_SIZE = 10,	   /* §4.4.3 */
	L2TP_AVP_CHALLENGE = 11,	   /* §4.4.3 */
	L2TP_AVP_Q931_CAUSE = 12,	   /* §4.4.2 */
	L2TP_AVP_CHALLENGE_RESPONSE = 13,  /* §4.4.3 */
	L2TP_AVP_ASSIGNED_SESSION_ID = 14, /* §4.4.4 */
	L2TP_AVP_CALL_SERIAL = 15,	   /* §4.4.4 */
	L2TP_AVP_MIN_BPS = 16,		   /* §4.4.4 */
	L2TP_AVP_MAX_BPS = 17,		   /* §4.4.4 */
	L2TP_AVP_BEARER_TYPE = 18,	   /* §4.4.4 */
	L2TP_AVP_FRAMING_TYPE = 19,	   /* §4.4.4 */
	/* 20 unassigned */
	L2TP_AVP_CALLED_NUMBER = 21,	   /* §4.4.4 */
	L2TP_AVP_CALLING_NUMBER = 22,	   /* §4.4.4 */
	L2TP_AVP_SUB_ADDRESS = 23,	   /* §4.4.4 */
	L2TP_AVP_TX_CONNECT_SPEED = 24,	   /* §4.4.4 */
	L2TP_AVP_PHYSICAL_CHANNEL = 25,	   /* §4.4.4 */
	L2TP_AVP_INITIAL_RX_LCP = 26,	   /* §4.4.5 */
	L2TP_AVP_LAST_SENT_LCP = 27,	   /* §4.4.5 */
	L2TP_AVP_LAST_RX_LCP = 28,	   /* §4.4.5 */
	L2TP_AVP_PROXY_AUTH_TYPE = 29,	   /* §4.4.5 */
	L2TP_AVP_PROXY_AUTH_NAME = 30,	   /* §4.4.5 */
	L2TP_AVP_PROXY_AUTH_CHALLENGE = 31,/* §4.4.5 */
	L2TP_AVP_PROXY_AUTH_ID = 32,	   /* §4.4.5 */
	L2TP_AVP_PROXY_AUTH_RESPONSE = 33, /* §4.4.5 */
	L2TP_AVP_CALL_ERRORS = 34,	   /* §4.4.6 */
	L2TP_AVP_ACCM = 35,		   /* §4.4.6 */
	L2TP_AVP_RANDOM_VECTOR = 36,	   /* §4.4.3 */
	L2TP_AVP_PRIVATE_GROUP_ID = 37,	   /* §4.4.4 */
	L2TP_AVP_RX_CONNECT_SPEED = 38,	   /* §4.4.4 */
	L2TP_AVP_SEQUENCING_REQUIRED = 39, /* §4.4.4 */
	L2TP_AVP_MAX = 39,
	L2TP_AVP_PPP_DISCONNECT_CAUSE = 46, /* RFC 3145 */
};

/* §4.4.2 Result Code values in StopCCN */
enum l2tp_stopccn_result {
	L2TP_STOPCCN_CLEAR = 1,		/* general request to clear control connection */
	L2TP_STOPCCN_GENERAL_ERROR = 2, /* see Error Code */
	L2TP_STOPCCN_EXISTS = 3,	/* control channel already exists */
	L2TP_STOPCCN_NOT_AUTHORIZED = 4,/* requester not authorized */
	L2TP_STOPCCN_BAD_VERSION = 5,	/* protocol version not supported */
	L2TP_STOPCCN_SHUTDOWN = 6,	/* requester is being shut down */
	L2TP_STOPCCN_FSM_ERROR = 7,	/* finite state machine error */
};

/* §4.4.2 Result Code values in CDN */
enum l2tp_cdn_result {
	L2TP_CDN_LOST_CARRIER = 1,
	L2TP_CDN_GENERAL_ERROR = 2, /* see Error Code */
	L2TP_CDN_ADMIN = 3,
	L2TP_CDN_NO_FACILITIES_TEMP = 4,
	L2TP_CDN_NO_FACILITIES_PERM = 5,
	L2TP_CDN_INVALID_DEST = 6,
	L2TP_CDN_NO_CARRIER = 7,
	L2TP_CDN_BUSY = 8,
	L2TP_CDN_NO_DIALTONE = 9,
	L2TP_CDN_TIMEOUT = 10,
	L2TP_CDN_NO_FRAMING = 11,
};

/* §4.4.2 General Error Codes */
enum l2tp_error_code {
	L2TP_ERR_NONE = 0,
	L2TP_ERR_NO_TUNNEL = 1,	     /* no control connection exists yet */
	L2TP_ERR_LENGTH = 2,	     /* length is wrong */
	L2TP_ERR_RANGE = 3,	     /* field out of range or reserved field non-zero */
	L2TP_ERR_RESOURCES = 4,	     /* insufficient resources */
	L2TP_ERR_INVALID_SID = 5,    /* session ID invalid in this context */
	L2TP_ERR_VENDOR = 6,	     /* generic vendor-specific error */
	L2TP_ERR_TRY_ANOTHER = 7,    /* try another LNS */
	L2TP_ERR_UNKNOWN_MAVP = 8,   /* unknown AVP with the M bit */
};

/* §4.4.3 Framing and Bearer Capabilities / §4.4.4 Types */
enum {
	L2TP_FRAMING_SYNC = 0x1,
	L2TP_FRAMING_ASYNC = 0x2,
	L2TP_BEARER_DIGITAL = 0x1,
	L2TP_BEARER_ANALOG = 0x2,
};

/* §4.4.5 Proxy Authen Type values */
enum l2tp_proxy_auth_type {
	L2TP_PROXY_AUTH_TEXT = 1,     /* textual username/password exchange */
	L2TP_PROXY_AUTH_CHAP = 2,     /* PPP CHAP */
	L2TP_PROXY_AUTH_PAP = 3,      /* PPP PAP */
	L2TP_PROXY_AUTH_NONE = 4,     /* no authentication */
	L2TP_PROXY_AUTH_MSCHAPV1 = 5, /* Microsoft CHAP version 1 */
};

/* §5.8 defaults */
enum {
	L2TP_DEFAULT_RX_WINDOW = 4, /* peer window when Receive Window Size is absent */
	L2TP_CHALLENGE_RESPONSE_LEN = 16,
};

#endif
