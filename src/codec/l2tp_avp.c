/*
 * RFC 2661 §4 AVPs: decoding a control message payload into struct l2tp_msg
 * and encoding one back, every AVP of §4.4 plus RFC 3145's PPP Disconnect
 * Cause Code.
 */
#include "codec/l2tp.h"

#include <string.h>

#include "codec/buf.h"

/* Largest AVP value: the 10-bit Length minus the 6-octet header (§4.1). */
enum { VAL_MAX = L2TP_AVP_MAX_LEN - L2TP_AVP_HDR_LEN };

#define BIT(t) L2TP_BIT(t)

/* Vendor-0 attribute types this codec understands: §4.4 (0-39 but the
 * unassigned 20) and RFC 3145 (46). */
static const uint64_t KNOWN = ((BIT(L2TP_AVP_MAX + 1) - 1) & ~BIT(20)) |
			      BIT(L2TP_AVP_PPP_DISCONNECT_CAUSE);

static bool known_type(uint16_t type)
{
	return type < 64 && ((KNOWN >> type) & 1u);
}

/* Minimum value length of the variable-length AVPs. §4.4.3 Host Name and
 * Challenge: "at least 1 octet"; a Random Vector of no octets would key
 * every hidden AVP after it with the secret alone. */
static size_t bytes_min(uint16_t type)
{
	switch (type) {
	case L2TP_AVP_HOST_NAME:
	case L2TP_AVP_CHALLENGE:
	case L2TP_AVP_RANDOM_VECTOR:
		return 1;
	default:
		return 0;
	}
}

static int store_bytes(uint16_t *len, uint8_t *v, size_t cap, const uint8_t *val, size_t n,
		       size_t min)
{
	if (n < min)
		return L2TP_E_AVP_LEN;
	if (n > cap)
		return L2TP_E_AVP_TOO_LONG;
	if (n)
		memcpy(v, val, n);
	*len = (uint16_t)n;
	return L2TP_OK;
}

#define STORE(f, t) store_bytes(&m->f.len, m->f.v, sizeof m->f.v, val, n, bytes_min(t))

/* §4.4.4 (Tx/Rx) Connect Speed is 4 octets, but some LACs (Cisco AS5300)
 * send the speed as ASCII decimal digits. Exactly 4 octets is always read
 * as the RFC's binary form. */
static int speed(const uint8_t *val, size_t n, uint32_t *out)
{
	if (n == 4) {
		*out = be32_get(val);
		return L2TP_OK;
	}
	if (n == 0 || n > 10)
		return L2TP_E_AVP_LEN;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (val[i] < '0' || val[i] > '9')
			return L2TP_E_AVP_LEN;
		v = v * 10 + (uint64_t)(val[i] - '0');
	}
	if (v > UINT32_MAX)
		return L2TP_E_AVP_LEN;
	*out = (uint32_t)v;
	return L2TP_OK;
}

/* Value lengths are those of §4.4.x ("Length is N" means N - 6 here). */
static int avp_store(struct l2tp_msg *m, uint16_t type, const uint8_t *val, size_t n)
{
	struct rd r;
	size_t fixed;

	rd_init(&r, val, n);
	switch (type) {
	case L2TP_AVP_MESSAGE_TYPE:
	case L2TP_AVP_FIRMWARE_REV:
	case L2TP_AVP_ASSIGNED_TUNNEL_ID:
	case L2TP_AVP_RX_WINDOW_SIZE:
	case L2TP_AVP_ASSIGNED_SESSION_ID:
	case L2TP_AVP_PROXY_AUTH_TYPE:
	case L2TP_AVP_PROXY_AUTH_ID:
	case L2TP_AVP_PROTOCOL_VERSION:
		fixed = 2;
		break;
	case L2TP_AVP_FRAMING_CAP:
	case L2TP_AVP_BEARER_CAP:
	case L2TP_AVP_CALL_SERIAL:
	case L2TP_AVP_MIN_BPS:
	case L2TP_AVP_MAX_BPS:
	case L2TP_AVP_BEARER_TYPE:
	case L2TP_AVP_FRAMING_TYPE:
	case L2TP_AVP_PHYSICAL_CHANNEL:
		fixed = 4;
		break;
	case L2TP_AVP_TIE_BREAKER: fixed = 8; break;
	case L2TP_AVP_CHALLENGE_RESPONSE: fixed = 16; break;
	case L2TP_AVP_CALL_ERRORS: fixed = 26; break;
	case L2TP_AVP_ACCM: fixed = 10; break;
	case L2TP_AVP_SEQUENCING_REQUIRED: fixed = 0; break;
	default: fixed = SIZE_MAX; break;
	}
	/* l2tpns's own load generator (test/generateload) sends 2-octet
	 * Framing and Bearer Capabilities; the original LNS took them, so a
	 * drop-in replacement must too (zero-extended; §4.4.3 says 4). */
	if (n == 2 && (type == L2TP_AVP_FRAMING_CAP || type == L2TP_AVP_BEARER_CAP))
		fixed = 2;
	if (fixed != SIZE_MAX && n != fixed)
		return L2TP_E_AVP_LEN;

	switch (type) {
	case L2TP_AVP_MESSAGE_TYPE: m->type = rd_u16(&r); break;
	case L2TP_AVP_RESULT_CODE:
		/* §4.4.2: Length 8, 10, or more than 10 with a message. */
		if (n < 2 || n == 3)
			return L2TP_E_AVP_LEN;
		m->result.result = rd_u16(&r);
		if (n >= 4) {
			m->result.has_error = true;
			m->result.error = rd_u16(&r);
		}
		return store_bytes(&m->result.msg.len, m->result.msg.v, sizeof m->result.msg.v,
				   val + (n > 4 ? 4 : n), n > 4 ? n - 4 : 0, 0);
	case L2TP_AVP_PROTOCOL_VERSION:
		m->proto_ver = rd_u8(&r);
		m->proto_rev = rd_u8(&r);
		break;
	case L2TP_AVP_FRAMING_CAP: m->framing_cap = n == 2 ? rd_u16(&r) : rd_u32(&r); break;
	case L2TP_AVP_BEARER_CAP: m->bearer_cap = n == 2 ? rd_u16(&r) : rd_u32(&r); break;
	case L2TP_AVP_TIE_BREAKER: rd_bytes(&r, m->tie_breaker, 8); break;
	case L2TP_AVP_FIRMWARE_REV: m->firmware_rev = rd_u16(&r); break;
	case L2TP_AVP_HOST_NAME: return STORE(host_name, type);
	case L2TP_AVP_VENDOR_NAME: return STORE(vendor_name, type);
	case L2TP_AVP_ASSIGNED_TUNNEL_ID: m->assigned_tid = rd_u16(&r); break;
	case L2TP_AVP_RX_WINDOW_SIZE: m->rx_window = rd_u16(&r); break;
	case L2TP_AVP_CHALLENGE: return STORE(challenge, type);
	case L2TP_AVP_Q931_CAUSE:
		/* §4.4.2: Cause Code (2), Cause Msg (1), Advisory Msg. */
		if (n < 3)
			return L2TP_E_AVP_LEN;
		m->q931.cause = rd_u16(&r);
		m->q931.msg_code = rd_u8(&r);
		return store_bytes(&m->q931.advisory.len, m->q931.advisory.v,
				   sizeof m->q931.advisory.v, val + 3, n - 3, 0);
	case L2TP_AVP_CHALLENGE_RESPONSE: rd_bytes(&r, m->challenge_resp, 16); break;
	case L2TP_AVP_ASSIGNED_SESSION_ID: m->assigned_sid = rd_u16(&r); break;
	case L2TP_AVP_CALL_SERIAL: m->call_serial = rd_u32(&r); break;
	case L2TP_AVP_MIN_BPS: m->min_bps = rd_u32(&r); break;
	case L2TP_AVP_MAX_BPS: m->max_bps = rd_u32(&r); break;
	case L2TP_AVP_BEARER_TYPE: m->bearer_type = rd_u32(&r); break;
	case L2TP_AVP_FRAMING_TYPE: m->framing_type = rd_u32(&r); break;
	case L2TP_AVP_CALLED_NUMBER: return STORE(called_number, type);
	case L2TP_AVP_CALLING_NUMBER: return STORE(calling_number, type);
	case L2TP_AVP_SUB_ADDRESS: return STORE(sub_address, type);
	case L2TP_AVP_TX_CONNECT_SPEED: return speed(val, n, &m->tx_connect_speed);
	case L2TP_AVP_PHYSICAL_CHANNEL: m->phys_channel = rd_u32(&r); break;
	case L2TP_AVP_INITIAL_RX_LCP: return STORE(initial_rx_lcp, type);
	case L2TP_AVP_LAST_SENT_LCP: return STORE(last_sent_lcp, type);
	case L2TP_AVP_LAST_RX_LCP: return STORE(last_rx_lcp, type);
	case L2TP_AVP_PROXY_AUTH_TYPE: m->proxy_auth_type = rd_u16(&r); break;
	case L2TP_AVP_PROXY_AUTH_NAME: return STORE(proxy_auth_name, type);
	case L2TP_AVP_PROXY_AUTH_CHALLENGE: return STORE(proxy_auth_challenge, type);
	case L2TP_AVP_PROXY_AUTH_ID: m->proxy_auth_id = rd_u16(&r); break;
	case L2TP_AVP_PROXY_AUTH_RESPONSE: return STORE(proxy_auth_response, type);
	case L2TP_AVP_CALL_ERRORS:
		rd_skip(&r, 2); /* §4.4.6 Reserved */
		m->call_errors.crc = rd_u32(&r);
		m->call_errors.framing = rd_u32(&r);
		m->call_errors.hw_overruns = rd_u32(&r);
		m->call_errors.buf_overruns = rd_u32(&r);
		m->call_errors.timeouts = rd_u32(&r);
		m->call_errors.alignment = rd_u32(&r);
		break;
	case L2TP_AVP_ACCM:
		rd_skip(&r, 2); /* §4.4.6 Reserved */
		m->accm.send = rd_u32(&r);
		m->accm.recv = rd_u32(&r);
		break;
	case L2TP_AVP_RANDOM_VECTOR: return STORE(random_vector, type);
	case L2TP_AVP_PRIVATE_GROUP_ID: return STORE(private_group_id, type);
	case L2TP_AVP_RX_CONNECT_SPEED: return speed(val, n, &m->rx_connect_speed);
	case L2TP_AVP_SEQUENCING_REQUIRED: break;
	case L2TP_AVP_PPP_DISCONNECT_CAUSE:
		/* RFC 3145 §2: Disconnect Code (2), Control Protocol (2),
		 * Direction (1), then optional text. Its "at least 11" is the
		 * whole AVP: 6 + 5. */
		if (n < 5)
			return L2TP_E_AVP_LEN;
		m->has_ppp_disconnect = true;
		m->ppp_disc_code = rd_u16(&r);
		m->ppp_disc_proto = rd_u16(&r);
		m->ppp_disc_direction = rd_u8(&r);
		return store_bytes(&m->ppp_disc_msg.len, m->ppp_disc_msg.v,
				   sizeof m->ppp_disc_msg.v, val + 5, n - 5, 0);
	default:
		return L2TP_E_INVAL;
	}
	return r.err ? L2TP_E_AVP_LEN : L2TP_OK;
}

int l2tp_msg_decode(const uint8_t *avps, size_t len, const struct l2tp_secret *sec,
		    struct l2tp_msg *m)
{
	uint8_t plain[VAL_MAX];
	struct rd r;
	bool first = true;

	memset(m, 0, sizeof *m);
	rd_init(&r, avps, len);
	while (rd_left(&r) > 0) {
		/* §4.1: every AVP has a 6-octet header and Length >= 6. A
		 * Length below 6 would make the loop spin or underflow. */
		if (rd_left(&r) < L2TP_AVP_HDR_LEN)
			return L2TP_E_AVP_OVERRUN;
		uint16_t fl = rd_u16(&r);
		size_t alen = fl & L2TP_AVP_LEN_MASK;
		if (alen < L2TP_AVP_HDR_LEN)
			return L2TP_E_AVP_SHORT;
		if (alen - 2 > rd_left(&r))
			return L2TP_E_AVP_OVERRUN;
		uint16_t vendor = rd_u16(&r);
		uint16_t type = rd_u16(&r);
		size_t n = alen - L2TP_AVP_HDR_LEN;
		const uint8_t *val = rd_take(&r, n);
		bool mbit = (fl & L2TP_AVP_M) != 0, hbit = (fl & L2TP_AVP_H) != 0;

		/* §4.1: reserved bits set => unrecognised; vendor AVPs are
		 * unrecognised too (we implement none). */
		bool known = vendor == 0 && !(fl & L2TP_AVP_RSVD) && known_type(type);
		if (first && !(known && type == L2TP_AVP_MESSAGE_TYPE))
			return L2TP_E_NO_MSG_TYPE; /* §4.4.1: first AVP */
		if (!known) {
			/* §4.2: unknown with M tears down session or
			 * tunnel (caller's choice); without M, ignored. */
			if (mbit && !m->unknown_m) {
				m->unknown_m = true;
				m->unknown_vendor = vendor;
				m->unknown_type = type;
			} else if (!mbit && m->skipped < UINT16_MAX) {
				m->skipped++;
			}
			continue;
		}
		/* §4.3: a message may carry several Random Vectors, each
		 * applying to the hidden AVPs after it; anything else twice
		 * is ambiguous. */
		if (type != L2TP_AVP_RANDOM_VECTOR && (m->present & BIT(type)))
			return L2TP_E_DUP_AVP;
		if (hbit) {
			if (type == L2TP_AVP_RANDOM_VECTOR)
				return L2TP_E_HIDDEN_FORBIDDEN;
			if (!sec || !sec->v || sec->len == 0)
				return L2TP_E_HIDDEN_NO_SECRET;
			if (!(m->present & BIT(L2TP_AVP_RANDOM_VECTOR)))
				return L2TP_E_HIDDEN_NO_RV;
			int k = l2tp_unhide(type, sec, m->random_vector.v, m->random_vector.len, val,
					    n, plain, sizeof plain);
			if (k < 0)
				return k == L2TP_E_NOSPACE ? L2TP_E_HIDDEN_LEN : k;
			val = plain;
			n = (size_t)k;
		}
		int e = avp_store(m, type, val, n);
		if (e)
			return e;
		m->present |= BIT(type);
		if (mbit)
			m->mandatory |= BIT(type);
		if (hbit)
			m->hidden |= BIT(type);
		if (first) {
			/* §4.4.1: an unknown type is fatal to the tunnel when
			 * M is set and ignored otherwise; the caller reads the
			 * M bit in m->mandatory. */
			if (m->type == L2TP_MSG_ZLB || !l2tp_msg_name(m->type))
				return L2TP_E_MSG_TYPE;
			first = false;
		}
	}
	return m->unknown_m ? L2TP_E_UNKNOWN_M : L2TP_OK;
}

/* ---- encoding ------------------------------------------------------------ */

static int put_bytes(struct wr *w, uint16_t len, const uint8_t *v, size_t cap, size_t min)
{
	if (len > cap || len < min)
		return L2TP_E_INVAL;
	wr_bytes(w, v, len);
	return L2TP_OK;
}

#define PUT(f, t) put_bytes(&w, m->f.len, m->f.v, sizeof m->f.v, bytes_min(t))

/* The value of AVP `type` as §4.4 lays it out; returns its length. */
static int avp_value(const struct l2tp_msg *m, uint16_t type, uint8_t *out, size_t cap)
{
	struct wr w;
	int e = L2TP_OK;

	wr_init(&w, out, cap);
	switch (type) {
	case L2TP_AVP_MESSAGE_TYPE: wr_u16(&w, m->type); break;
	case L2TP_AVP_RESULT_CODE:
		wr_u16(&w, m->result.result);
		/* The message needs the Error Code before it (§4.4.2). */
		if (m->result.has_error || m->result.msg.len) {
			wr_u16(&w, m->result.error);
			e = put_bytes(&w, m->result.msg.len, m->result.msg.v,
				      sizeof m->result.msg.v, 0);
		}
		break;
	case L2TP_AVP_PROTOCOL_VERSION:
		wr_u8(&w, m->proto_ver);
		wr_u8(&w, m->proto_rev);
		break;
	case L2TP_AVP_FRAMING_CAP: wr_u32(&w, m->framing_cap); break;
	case L2TP_AVP_BEARER_CAP: wr_u32(&w, m->bearer_cap); break;
	case L2TP_AVP_TIE_BREAKER: wr_bytes(&w, m->tie_breaker, 8); break;
	case L2TP_AVP_FIRMWARE_REV: wr_u16(&w, m->firmware_rev); break;
	case L2TP_AVP_HOST_NAME: e = PUT(host_name, type); break;
	case L2TP_AVP_VENDOR_NAME: e = PUT(vendor_name, type); break;
	case L2TP_AVP_ASSIGNED_TUNNEL_ID: wr_u16(&w, m->assigned_tid); break;
	case L2TP_AVP_RX_WINDOW_SIZE: wr_u16(&w, m->rx_window); break;
	case L2TP_AVP_CHALLENGE: e = PUT(challenge, type); break;
	case L2TP_AVP_Q931_CAUSE:
		wr_u16(&w, m->q931.cause);
		wr_u8(&w, m->q931.msg_code);
		e = put_bytes(&w, m->q931.advisory.len, m->q931.advisory.v,
			      sizeof m->q931.advisory.v, 0);
		break;
	case L2TP_AVP_CHALLENGE_RESPONSE: wr_bytes(&w, m->challenge_resp, 16); break;
	case L2TP_AVP_ASSIGNED_SESSION_ID: wr_u16(&w, m->assigned_sid); break;
	case L2TP_AVP_CALL_SERIAL: wr_u32(&w, m->call_serial); break;
	case L2TP_AVP_MIN_BPS: wr_u32(&w, m->min_bps); break;
	case L2TP_AVP_MAX_BPS: wr_u32(&w, m->max_bps); break;
	case L2TP_AVP_BEARER_TYPE: wr_u32(&w, m->bearer_type); break;
	case L2TP_AVP_FRAMING_TYPE: wr_u32(&w, m->framing_type); break;
	case L2TP_AVP_CALLED_NUMBER: e = PUT(called_number, type); break;
	case L2TP_AVP_CALLING_NUMBER: e = PUT(calling_number, type); break;
	case L2TP_AVP_SUB_ADDRESS: e = PUT(sub_address, type); break;
	case L2TP_AVP_TX_CONNECT_SPEED: wr_u32(&w, m->tx_connect_speed); break;
	case L2TP_AVP_PHYSICAL_CHANNEL: wr_u32(&w, m->phys_channel); break;
	case L2TP_AVP_INITIAL_RX_LCP: e = PUT(initial_rx_lcp, type); break;
	case L2TP_AVP_LAST_SENT_LCP: e = PUT(last_sent_lcp, type); break;
	case L2TP_AVP_LAST_RX_LCP: e = PUT(last_rx_lcp, type); break;
	case L2TP_AVP_PROXY_AUTH_TYPE: wr_u16(&w, m->proxy_auth_type); break;
	case L2TP_AVP_PROXY_AUTH_NAME: e = PUT(proxy_auth_name, type); break;
	case L2TP_AVP_PROXY_AUTH_CHALLENGE: e = PUT(proxy_auth_challenge, type); break;
	case L2TP_AVP_PROXY_AUTH_ID: wr_u16(&w, m->proxy_auth_id); break;
	case L2TP_AVP_PROXY_AUTH_RESPONSE: e = PUT(proxy_auth_response, type); break;
	case L2TP_AVP_CALL_ERRORS:
		wr_u16(&w, 0);
		wr_u32(&w, m->call_errors.crc);
		wr_u32(&w, m->call_errors.framing);
		wr_u32(&w, m->call_errors.hw_overruns);
		wr_u32(&w, m->call_errors.buf_overruns);
		wr_u32(&w, m->call_errors.timeouts);
		wr_u32(&w, m->call_errors.alignment);
		break;
	case L2TP_AVP_ACCM:
		wr_u16(&w, 0);
		wr_u32(&w, m->accm.send);
		wr_u32(&w, m->accm.recv);
		break;
	case L2TP_AVP_RANDOM_VECTOR: e = PUT(random_vector, type); break;
	case L2TP_AVP_PRIVATE_GROUP_ID: e = PUT(private_group_id, type); break;
	case L2TP_AVP_RX_CONNECT_SPEED: wr_u32(&w, m->rx_connect_speed); break;
	case L2TP_AVP_SEQUENCING_REQUIRED: break;
	case L2TP_AVP_PPP_DISCONNECT_CAUSE:
		wr_u16(&w, m->ppp_disc_code);
		wr_u16(&w, m->ppp_disc_proto);
		wr_u8(&w, m->ppp_disc_direction);
		e = put_bytes(&w, m->ppp_disc_msg.len, m->ppp_disc_msg.v,
			      sizeof m->ppp_disc_msg.v, 0);
		break;
	default: return L2TP_E_INVAL;
	}
	if (e)
		return e;
	return w.err ? L2TP_E_INVAL : (int)w.off;
}

struct hide_key {
	const struct l2tp_secret *sec;
	const uint8_t *rv;
	size_t rv_len;
};

static int emit(struct wr *w, uint16_t type, bool mbit, const uint8_t *val, size_t n,
		const struct hide_key *hk)
{
	uint8_t cipher[VAL_MAX];

	if (hk) {
		/* §4.3 allows padding to hide the value's length; we pad the
		 * subformat to a 16-octet multiple (one MD5 block), within
		 * the 10-bit AVP Length. */
		size_t pad = (16 - (2 + n) % 16) % 16;
		if (2 + n + pad > VAL_MAX)
			pad = 2 + n > VAL_MAX ? 0 : VAL_MAX - 2 - n;
		int k = l2tp_hide(type, hk->sec, hk->rv, hk->rv_len, val, n, pad, cipher,
				  sizeof cipher);
		if (k < 0)
			return k;
		val = cipher;
		n = (size_t)k;
	}
	if (n > VAL_MAX)
		return L2TP_E_INVAL;
	wr_u16(w, (uint16_t)((mbit ? L2TP_AVP_M : 0) | (hk ? L2TP_AVP_H : 0) |
			     (L2TP_AVP_HDR_LEN + n)));
	wr_u16(w, 0);
	wr_u16(w, type);
	wr_bytes(w, val, n);
	return L2TP_OK;
}

int l2tp_msg_encode(uint8_t *buf, size_t cap, uint16_t tid, uint16_t sid, uint16_t ns,
		    uint16_t nr, const struct l2tp_msg *m, const struct l2tp_secret *sec,
		    const uint8_t *rv, size_t rv_len)
{
	struct wr w;
	uint8_t val[VAL_MAX];
	int e;

	wr_init(&w, buf, cap);
	wr_u16(&w, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | L2TP_VERSION);
	wr_u16(&w, 0); /* Length, patched below */
	wr_u16(&w, tid);
	wr_u16(&w, sid);
	wr_u16(&w, ns);
	wr_u16(&w, nr);

	uint64_t present = m->present | (m->has_ppp_disconnect ? BIT(46) : 0);
	if (m->type == L2TP_MSG_ZLB) {
		if (present & ~BIT(L2TP_AVP_MESSAGE_TYPE))
			return L2TP_E_INVAL;
		goto done;
	}
	if (!l2tp_msg_name(m->type))
		return L2TP_E_INVAL;
	present |= BIT(L2TP_AVP_MESSAGE_TYPE);
	if (present & ~KNOWN)
		return L2TP_E_INVAL;
	uint64_t hidden = m->hidden & present;
	if (hidden & L2TP_NOHIDE_MASK)
		return L2TP_E_HIDDEN_FORBIDDEN;

	/* §4.3: the Random Vector must precede the first hidden AVP, so it
	 * goes right after Message Type; the rest in ascending order. */
	struct hide_key hk = { sec, NULL, 0 };
	bool rv_mbit = (m->mandatory & BIT(L2TP_AVP_RANDOM_VECTOR)) != 0;
	if (present & BIT(L2TP_AVP_RANDOM_VECTOR)) {
		if (m->random_vector.len > sizeof m->random_vector.v || m->random_vector.len < 1)
			return L2TP_E_INVAL;
		hk.rv = m->random_vector.v;
		hk.rv_len = m->random_vector.len;
	}
	if (hidden) {
		if (!sec || !sec->v || sec->len == 0)
			return L2TP_E_HIDDEN_NO_SECRET;
		if (!hk.rv) {
			if (!rv)
				return L2TP_E_HIDDEN_NO_RV;
			if (rv_len < 16 || rv_len > VAL_MAX)
				return L2TP_E_INVAL;
			hk.rv = rv;
			hk.rv_len = rv_len;
			rv_mbit = true; /* §4.4.3: M MUST be 1 */
		}
	}

	e = avp_value(m, L2TP_AVP_MESSAGE_TYPE, val, sizeof val);
	if (e < 0)
		return e;
	e = emit(&w, L2TP_AVP_MESSAGE_TYPE, m->mandatory & 1u, val, (size_t)e, NULL);
	if (e)
		return e;
	if (hk.rv) {
		e = emit(&w, L2TP_AVP_RANDOM_VECTOR, rv_mbit, hk.rv, hk.rv_len, NULL);
		if (e)
			return e;
	}
	for (uint16_t t = 1; t < 64; t++) {
		if (t == L2TP_AVP_RANDOM_VECTOR || !((present >> t) & 1u))
			continue;
		int n = avp_value(m, t, val, sizeof val);
		if (n < 0)
			return n;
		e = emit(&w, t, (m->mandatory >> t) & 1u, val, (size_t)n,
			 ((hidden >> t) & 1u) ? &hk : NULL);
		if (e)
			return e;
	}
done:
	if (w.err || w.off > UINT16_MAX)
		return L2TP_E_NOSPACE;
	wr_patch_u16(&w, 2, (uint16_t)w.off);
	return (int)w.off;
}
