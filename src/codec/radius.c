/*
 * RADIUS packet validation, attribute and VSA iteration, typed values and
 * the Cisco-AVPair splitter (RFC 2865 §3, §5, §5.26; RFC 3579 §3.2).
 */
#include "codec/radius.h"

const char *radius_strerror(int err)
{
	switch (err) {
	case RADIUS_OK: return "ok";
	case RADIUS_E_SHORT: return "short";
	case RADIUS_E_LEN_UNDER: return "length-under";
	case RADIUS_E_LEN_OVER: return "length-over";
	case RADIUS_E_LEN_MAX: return "length-max";
	case RADIUS_E_ATTR_SHORT: return "attr-short";
	case RADIUS_E_ATTR_OVERRUN: return "attr-overrun";
	case RADIUS_E_VSA_SHORT: return "vsa-short";
	case RADIUS_E_VSA_INNER_SHORT: return "vsa-inner-short";
	case RADIUS_E_VSA_INNER_OVERRUN: return "vsa-inner-overrun";
	case RADIUS_E_MSG_AUTH_LEN: return "msg-auth-length";
	case RADIUS_E_MSG_AUTH_DUP: return "msg-auth-duplicate";
	case RADIUS_E_MSG_AUTH_MISSING: return "msg-auth-missing";
	case RADIUS_E_MSG_AUTH_BAD: return "msg-auth-bad";
	case RADIUS_E_AUTH_BAD: return "authenticator-bad";
	case RADIUS_E_ID: return "id-mismatch";
	case RADIUS_E_CODE: return "code";
	case RADIUS_E_ATTR_LEN: return "attr-length";
	case RADIUS_E_PASSWORD_LEN: return "password-length";
	case RADIUS_E_NOSPACE: return "nospace";
	case RADIUS_E_INVAL: return "inval";
	}
	return "unknown";
}

const char *radius_code_name(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST: return "Access-Request";
	case RADIUS_ACCESS_ACCEPT: return "Access-Accept";
	case RADIUS_ACCESS_REJECT: return "Access-Reject";
	case RADIUS_ACCOUNTING_REQUEST: return "Accounting-Request";
	case RADIUS_ACCOUNTING_RESPONSE: return "Accounting-Response";
	case RADIUS_ACCESS_CHALLENGE: return "Access-Challenge";
	case RADIUS_STATUS_SERVER: return "Status-Server";
	case RADIUS_STATUS_CLIENT: return "Status-Client";
	case RADIUS_DISCONNECT_REQUEST: return "Disconnect-Request";
	case RADIUS_DISCONNECT_ACK: return "Disconnect-ACK";
	case RADIUS_DISCONNECT_NAK: return "Disconnect-NAK";
	case RADIUS_COA_REQUEST: return "CoA-Request";
	case RADIUS_COA_ACK: return "CoA-ACK";
	case RADIUS_COA_NAK: return "CoA-NAK";
	}
	return NULL;
}

bool radius_code_is_response(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_ACCEPT:
	case RADIUS_ACCESS_REJECT:
	case RADIUS_ACCESS_CHALLENGE:
	case RADIUS_ACCOUNTING_RESPONSE:
	case RADIUS_DISCONNECT_ACK:
	case RADIUS_DISCONNECT_NAK:
	case RADIUS_COA_ACK:
	case RADIUS_COA_NAK:
		return true;
	}
	return false;
}

bool radius_vendor_structured(uint32_t vendor)
{
	return vendor == RADIUS_VENDOR_CISCO || vendor == RADIUS_VENDOR_MICROSOFT ||
	       vendor == RADIUS_VENDOR_ASCEND;
}

/*
 * One attribute off the reader. Overrun is tested before the short Length so
 * that a lone Type octet at the end (no Length octet at all) reads as what it
 * is: an attribute running past the packet.
 */
static int next_attr(struct rd *r, struct radius_attr *a)
{
	size_t left = rd_left(r);
	if (r->err)
		return RADIUS_E_ATTR_OVERRUN;
	if (left == 0)
		return 0;
	if (left < RADIUS_ATTR_HDR_LEN) {
		r->err = true;
		return RADIUS_E_ATTR_OVERRUN;
	}
	a->off = (uint16_t)r->off;
	a->type = rd_u8(r);
	uint8_t alen = rd_u8(r);
	if (alen < RADIUS_ATTR_HDR_LEN) {
		r->err = true;
		return RADIUS_E_ATTR_SHORT;
	}
	a->len = (uint8_t)(alen - RADIUS_ATTR_HDR_LEN);
	a->v = rd_take(r, a->len);
	if (!a->v)
		return RADIUS_E_ATTR_OVERRUN;
	return 1;
}

int radius_vsa_init(struct radius_vsa_iter *it, const struct radius_attr *a)
{
	rd_init(&it->r, NULL, 0);
	it->vendor = 0;
	if (a->type != RADIUS_ATTR_VENDOR_SPECIFIC)
		return RADIUS_E_INVAL;
	/* §5.26: Length >= 7, i.e. the Vendor-Id and at least one octet. */
	if (a->len < 5)
		return RADIUS_E_VSA_SHORT;
	struct rd r;
	rd_init(&r, a->v, a->len);
	it->vendor = rd_u32(&r);
	it->r = rd_sub(&r, rd_left(&r));
	return RADIUS_OK;
}

int radius_vsa_next(struct radius_vsa_iter *it, struct radius_vsa *s)
{
	struct rd *r = &it->r;
	size_t left = rd_left(r);
	if (left == 0)
		return 0;
	if (left < 2) {
		r->err = true;
		return RADIUS_E_VSA_INNER_OVERRUN;
	}
	s->vendor = it->vendor;
	s->type = rd_u8(r);
	uint8_t vlen = rd_u8(r);
	if (vlen < 2) {
		r->err = true;
		return RADIUS_E_VSA_INNER_SHORT;
	}
	s->len = (uint8_t)(vlen - 2);
	s->v = rd_take(r, s->len);
	if (!s->v)
		return RADIUS_E_VSA_INNER_OVERRUN;
	return 1;
}

static int check_vsa(const struct radius_attr *a)
{
	struct radius_vsa_iter it;
	int rc = radius_vsa_init(&it, a);
	if (rc < 0)
		return rc;
	if (!radius_vendor_structured(it.vendor))
		return RADIUS_OK;
	struct radius_vsa s;
	while ((rc = radius_vsa_next(&it, &s)) > 0)
		;
	return rc;
}

int radius_decode(const uint8_t *buf, size_t len, struct radius_pkt *p)
{
	memset(p, 0, sizeof *p);
	struct rd r;
	rd_init(&r, buf, len);
	uint8_t code = rd_u8(&r);
	uint8_t id = rd_u8(&r);
	uint16_t plen = rd_u16(&r);
	const uint8_t *auth = rd_take(&r, RADIUS_AUTH_LEN);
	if (!auth)
		return RADIUS_E_SHORT;
	if (plen < RADIUS_MIN_LEN)
		return RADIUS_E_LEN_UNDER;
	if (plen > RADIUS_MAX_LEN)
		return RADIUS_E_LEN_MAX;
	/* §3: a shorter datagram than Length is silently discarded; octets
	 * past Length are padding and ignored. */
	if (plen > len)
		return RADIUS_E_LEN_OVER;

	struct rd ar;
	rd_init(&ar, buf + RADIUS_HDR_LEN, plen - RADIUS_HDR_LEN);
	struct radius_attr a;
	uint16_t n = 0, ma_off = 0;
	int rc;
	while ((rc = next_attr(&ar, &a)) > 0) {
		n++;
		if (a.type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR) {
			/* RFC 3579 §3.2: Length 18; one per packet (the
			 * tables of §3.3 allow 0-1), else it cannot be
			 * verified unambiguously. */
			if (a.len != RADIUS_MSG_AUTH_LEN)
				return RADIUS_E_MSG_AUTH_LEN;
			if (ma_off)
				return RADIUS_E_MSG_AUTH_DUP;
			ma_off = (uint16_t)(RADIUS_HDR_LEN + a.off + RADIUS_ATTR_HDR_LEN);
		} else if (a.type == RADIUS_ATTR_VENDOR_SPECIFIC) {
			rc = check_vsa(&a);
			if (rc < 0)
				return rc;
		}
	}
	if (rc < 0)
		return rc;

	p->data = buf;
	p->len = plen;
	p->code = code;
	p->id = id;
	p->auth = auth;
	p->msg_auth_off = ma_off;
	p->n_attrs = n;
	return RADIUS_OK;
}

void radius_iter_init(struct radius_iter *it, const struct radius_pkt *p)
{
	if (p->data && p->len >= RADIUS_HDR_LEN)
		rd_init(&it->r, p->data + RADIUS_HDR_LEN, p->len - RADIUS_HDR_LEN);
	else
		rd_init(&it->r, NULL, 0);
}

int radius_next(struct radius_iter *it, struct radius_attr *a)
{
	int rc = next_attr(&it->r, a);
	if (rc > 0)
		a->off = (uint16_t)(a->off + RADIUS_HDR_LEN);
	return rc;
}

int radius_find(const struct radius_pkt *p, uint8_t type, struct radius_attr *a)
{
	struct radius_iter it;
	radius_iter_init(&it, p);
	while (radius_next(&it, a) > 0)
		if (a->type == type)
			return 1;
	return 0;
}

int radius_attr_u32(const struct radius_attr *a, uint32_t *v)
{
	if (a->len != 4) {
		*v = 0;
		return RADIUS_E_ATTR_LEN;
	}
	*v = be32_get(a->v);
	return RADIUS_OK;
}

int radius_attr_ipv6_addr(const struct radius_attr *a, uint8_t addr[16])
{
	if (a->len != 16) {
		memset(addr, 0, 16);
		return RADIUS_E_ATTR_LEN;
	}
	memcpy(addr, a->v, 16);
	return RADIUS_OK;
}

int radius_attr_ipv6_prefix(const struct radius_attr *a, uint8_t prefix[16], uint8_t *plen)
{
	memset(prefix, 0, 16);
	*plen = 0;
	/* RFC 3162 §2.3: Length 4..20, so 2..18 value octets. */
	if (a->len < 2 || a->len > 18)
		return RADIUS_E_ATTR_LEN;
	uint8_t bits = a->v[1];
	size_t have = (size_t)a->len - 2;
	if (bits > 128 || have < (size_t)(bits + 7) / 8)
		return RADIUS_E_ATTR_LEN;
	memcpy(prefix, a->v + 2, have);
	/* Bits beyond the prefix length carry nothing; clear them so two
	 * encodings of one prefix compare equal. */
	for (unsigned i = bits; i < 128; i++)
		prefix[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	*plen = bits;
	return RADIUS_OK;
}

void radius_avpair_init(struct radius_avpair_iter *it, const uint8_t *v, size_t len)
{
	it->p = v;
	it->len = v ? len : 0;
	it->off = 0;
}

int radius_avpair_next(struct radius_avpair_iter *it, struct radius_avpair *kv)
{
	while (it->off < it->len) {
		const uint8_t *s = it->p + it->off;
		size_t n = 0;
		while (it->off + n < it->len && s[n] != ',')
			n++;
		it->off += n + (it->off + n < it->len); /* past the ',' */
		if (n == 0)
			continue;
		size_t eq = 0;
		while (eq < n && s[eq] != '=')
			eq++;
		kv->key = (const char *)s;
		kv->key_len = eq;
		kv->has_value = eq < n;
		if (kv->has_value) {
			const uint8_t *val = s + eq + 1;
			size_t vl = n - eq - 1;
			if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
				val++;
				vl -= 2;
			}
			kv->val = (const char *)val;
			kv->val_len = vl;
		} else {
			kv->val = (const char *)s + n;
			kv->val_len = 0;
		}
		return 1;
	}
	return 0;
}
