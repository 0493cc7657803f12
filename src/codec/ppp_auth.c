/*
 * PAP (RFC 1334 §2) and CHAP (RFC 1994 §4) packets, and the CHAP-MD5
 * response value (RFC 1994 §2.2, algorithm 5).
 */
#include "codec/ppp.h"

#include <string.h>

#include <nettle/md5.h>

#include "codec/buf.h"

/* ---- PAP ----------------------------------------------------------------- */

int ppp_pap_decode(const uint8_t *p, size_t len, struct ppp_pap_pkt *m)
{
	struct rd r;
	int rc;

	memset(m, 0, sizeof *m);
	rc = ppp_cp_decode(p, len, &m->cp);
	if (rc)
		return rc;
	rd_init(&r, m->cp.data, m->cp.data_len);
	switch (m->cp.code) {
	case PPP_PAP_AUTH_REQ:
		/* RFC 1334 §2.2.1: Peer-ID Length, Peer-ID, Passwd-Length,
		 * Password; each length octet must be there. */
		if (rd_left(&r) < 1)
			return PPP_E_DATA;
		m->peer_id_len = rd_u8(&r);
		m->peer_id = rd_take(&r, m->peer_id_len);
		if (r.err)
			return PPP_E_FIELD;
		if (rd_left(&r) < 1)
			return PPP_E_DATA;
		m->passwd_len = rd_u8(&r);
		m->passwd = rd_take(&r, m->passwd_len);
		if (r.err)
			return PPP_E_FIELD;
		return PPP_OK;
	case PPP_PAP_AUTH_ACK:
	case PPP_PAP_AUTH_NAK:
		/* RFC 1334 §2.2.2: Msg-Length, Message. Some peers send an
		 * Ack with Length 4; there is nothing to misread in it, so it
		 * is accepted as an empty message. */
		if (rd_left(&r) == 0)
			return PPP_OK;
		m->msg_len = rd_u8(&r);
		m->msg = rd_take(&r, m->msg_len);
		if (r.err)
			return PPP_E_FIELD;
		return PPP_OK;
	default:
		return PPP_E_CODE;
	}
}

int ppp_pap_req_build(struct wr *w, uint8_t id, const void *peer, size_t peer_len,
		      const void *pass, size_t pass_len)
{
	if (peer_len > UINT8_MAX || pass_len > UINT8_MAX)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, PPP_PAP_AUTH_REQ, id);
	wr_u8(w, (uint8_t)peer_len);
	wr_bytes(w, peer, peer_len);
	wr_u8(w, (uint8_t)pass_len);
	wr_bytes(w, pass, pass_len);
	return ppp_cp_end(w, at);
}

int ppp_pap_reply_build(struct wr *w, uint8_t code, uint8_t id, const void *msg, size_t len)
{
	if ((code != PPP_PAP_AUTH_ACK && code != PPP_PAP_AUTH_NAK) || len > UINT8_MAX)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	wr_u8(w, (uint8_t)len);
	wr_bytes(w, msg, len);
	return ppp_cp_end(w, at);
}

/* ---- CHAP ---------------------------------------------------------------- */

int ppp_chap_decode(const uint8_t *p, size_t len, struct ppp_chap_pkt *m)
{
	struct rd r;
	int rc;

	memset(m, 0, sizeof *m);
	rc = ppp_cp_decode(p, len, &m->cp);
	if (rc)
		return rc;
	rd_init(&r, m->cp.data, m->cp.data_len);
	switch (m->cp.code) {
	case PPP_CHAP_CHALLENGE:
	case PPP_CHAP_RESPONSE:
		/* RFC 1994 §4.1: Value-Size, Value, then Name up to Length. */
		if (rd_left(&r) < 1)
			return PPP_E_DATA;
		m->value_len = rd_u8(&r);
		m->value = rd_take(&r, m->value_len);
		if (r.err)
			return PPP_E_FIELD;
		m->name_len = (uint16_t)rd_left(&r);
		m->name = rd_take(&r, m->name_len);
		return PPP_OK;
	case PPP_CHAP_SUCCESS:
	case PPP_CHAP_FAILURE:
		/* RFC 1994 §4.2: Message is optional, its size from Length. */
		m->msg_len = m->cp.data_len;
		m->msg = m->cp.data;
		return PPP_OK;
	default:
		return PPP_E_CODE;
	}
}

int ppp_chap_value_build(struct wr *w, uint8_t code, uint8_t id, const void *value,
			 size_t value_len, const void *name, size_t name_len)
{
	/* RFC 1994 §4.1: Value-Size is one octet and at least 1. */
	if ((code != PPP_CHAP_CHALLENGE && code != PPP_CHAP_RESPONSE) || value_len == 0 ||
	    value_len > UINT8_MAX || name_len > UINT16_MAX - PPP_CP_HDR_LEN - 1 - value_len)
		return PPP_E_INVAL;
	size_t at = ppp_cp_begin(w, code, id);
	wr_u8(w, (uint8_t)value_len);
	wr_bytes(w, value, value_len);
	wr_bytes(w, name, name_len);
	return ppp_cp_end(w, at);
}

int ppp_chap_result_build(struct wr *w, uint8_t code, uint8_t id, const void *msg, size_t len)
{
	if (code != PPP_CHAP_SUCCESS && code != PPP_CHAP_FAILURE)
		return PPP_E_INVAL;
	return ppp_cp_build(w, code, id, msg, len);
}

void ppp_chap_md5(uint8_t id, const void *secret, size_t secret_len, const void *chal,
		  size_t chal_len, uint8_t out[PPP_CHAP_MD5_LEN])
{
	struct md5_ctx ctx;

	/* RFC 1994 §2.2: hash of Identifier, then secret, then challenge. */
	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, chal_len, chal);
	md5_digest(&ctx, PPP_CHAP_MD5_LEN, out);
}

bool ppp_chap_md5_check(uint8_t id, const void *secret, size_t secret_len, const void *chal,
			size_t chal_len, const uint8_t *resp, size_t resp_len)
{
	uint8_t want[PPP_CHAP_MD5_LEN];

	if (resp_len != PPP_CHAP_MD5_LEN)
		return false;
	ppp_chap_md5(id, secret, secret_len, chal, chal_len, want);
	return buf_ct_equal(want, resp, sizeof want);
}
