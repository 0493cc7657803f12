/*
 * libFuzzer harness: PAP (RFC 1334 §2) and CHAP (RFC 1994 §4), plus the
 * CHAP-MD5 check on whatever a Response carries.
 *
 * Input: one PPP frame (optional ff 03, protocol, packet). The payload is
 * decoded as PAP and as CHAP. Whatever decodes is built again from its
 * fields and must decode to the same fields (byte-exact when the packet has
 * nothing after its last field).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c)                                                                         \
	do {                                                                               \
		if (!(c))                                                                  \
			abort();                                                           \
	} while (0)

static uint8_t out[70000];

static bool same_bytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static void pap(const uint8_t *p, size_t len)
{
	struct ppp_pap_pkt m, m2;
	struct wr w;
	int n;

	if (ppp_pap_decode(p, len, &m) != PPP_OK)
		return;
	wr_init(&w, out, sizeof out);
	if (m.cp.code == PPP_PAP_AUTH_REQ) {
		n = ppp_pap_req_build(&w, m.cp.id, m.peer_id, m.peer_id_len, m.passwd,
				      m.passwd_len);
		REQUIRE(n == 4 + 2 + m.peer_id_len + m.passwd_len);
		REQUIRE(n <= m.cp.len);
		REQUIRE(ppp_pap_decode(out, (size_t)n, &m2) == PPP_OK);
		REQUIRE(same_bytes(m.peer_id, m.peer_id_len, m2.peer_id, m2.peer_id_len));
		REQUIRE(same_bytes(m.passwd, m.passwd_len, m2.passwd, m2.passwd_len));
	} else {
		REQUIRE(m.cp.code == PPP_PAP_AUTH_ACK || m.cp.code == PPP_PAP_AUTH_NAK);
		n = ppp_pap_reply_build(&w, m.cp.code, m.cp.id, m.msg, m.msg_len);
		REQUIRE(n == 5 + m.msg_len);
		REQUIRE(ppp_pap_decode(out, (size_t)n, &m2) == PPP_OK);
		REQUIRE(same_bytes(m.msg, m.msg_len, m2.msg, m2.msg_len));
	}
	REQUIRE(m2.cp.code == m.cp.code && m2.cp.id == m.cp.id);
	/* nothing after the last field: the rebuild is the packet itself */
	if ((size_t)n == m.cp.len)
		REQUIRE(memcmp(out, m.cp.pkt, m.cp.len) == 0);
}

static void chap(const uint8_t *p, size_t len)
{
	struct ppp_chap_pkt m, m2;
	struct wr w;
	int n;

	if (ppp_chap_decode(p, len, &m) != PPP_OK)
		return;
	wr_init(&w, out, sizeof out);
	if (m.cp.code == PPP_CHAP_CHALLENGE || m.cp.code == PPP_CHAP_RESPONSE) {
		REQUIRE(1 + m.value_len + m.name_len == m.cp.data_len);
		n = ppp_chap_value_build(&w, m.cp.code, m.cp.id, m.value, m.value_len, m.name,
					 m.name_len);
		if (m.value_len == 0) {
			/* RFC 1994 §4.1: we never send an empty Value */
			REQUIRE(n == PPP_E_INVAL);
			return;
		}
		REQUIRE(n == m.cp.len && memcmp(out, m.cp.pkt, m.cp.len) == 0);
		REQUIRE(ppp_chap_decode(out, (size_t)n, &m2) == PPP_OK);
		REQUIRE(same_bytes(m.value, m.value_len, m2.value, m2.value_len));
		REQUIRE(same_bytes(m.name, m.name_len, m2.name, m2.name_len));
		/* the check must never accept a wrong-length value, and must
		 * accept the value it computes itself */
		uint8_t r[PPP_CHAP_MD5_LEN];
		ppp_chap_md5(m.cp.id, m.name, m.name_len, m.value, m.value_len, r);
		REQUIRE(ppp_chap_md5_check(m.cp.id, m.name, m.name_len, m.value, m.value_len, r,
					   sizeof r));
		if (m.value_len != PPP_CHAP_MD5_LEN)
			REQUIRE(!ppp_chap_md5_check(m.cp.id, m.name, m.name_len, m.value,
						    m.value_len, m.value, m.value_len));
	} else {
		REQUIRE(m.cp.code == PPP_CHAP_SUCCESS || m.cp.code == PPP_CHAP_FAILURE);
		n = ppp_chap_result_build(&w, m.cp.code, m.cp.id, m.msg, m.msg_len);
		REQUIRE(n == m.cp.len && memcmp(out, m.cp.pkt, m.cp.len) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppp_frame f;

	if (size > 65535)
		return 0;
	if (ppp_frame_decode(data, size, &f) != PPP_OK)
		return 0;
	pap(f.payload, f.payload_len);
	chap(f.payload, f.payload_len);
	return 0;
}
