/*
 * libFuzzer harness for the L2TPv2 codec (RFC 2661).
 *
 * Input: one UDP payload. Header decode, then message decode with no secret
 * and with the fixed secret "s3cret" (the one the hidden-AVP seeds were made
 * with). A message that decodes cleanly is encoded again and decoded again;
 * every field must agree, else abort(). The raw input is also fed to the AVP
 * decoder directly, and to hide/unhide.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/l2tp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t SECRET[] = "s3cret";
static const struct l2tp_secret SEC = { SECRET, 6 };
static const uint8_t RV[16] = { 0xa5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

#define REQUIRE(c)                                                                         \
	do {                                                                               \
		if (!(c))                                                                  \
			abort();                                                           \
	} while (0)

#define SAME(f) REQUIRE(a->f == b->f)
#define SAME_BYTES(f)                                                                      \
	do {                                                                               \
		SAME(f.len);                                                               \
		REQUIRE(memcmp(a->f.v, b->f.v, a->f.len) == 0);                            \
	} while (0)
#define IF(t) if ((a->present >> (t)) & 1u)

static void same_msg(const struct l2tp_msg *a, const struct l2tp_msg *b)
{
	SAME(type);
	SAME(present);
	SAME(mandatory);
	SAME(hidden);
	SAME(has_ppp_disconnect);
	REQUIRE(!b->unknown_m && b->skipped == 0);
	IF(1)
	{
		SAME(result.result);
		/* an error code is written whenever a message is */
		REQUIRE(b->result.has_error == (a->result.has_error || a->result.msg.len));
		SAME(result.error);
		SAME_BYTES(result.msg);
	}
	IF(2)
	{
		SAME(proto_ver);
		SAME(proto_rev);
	}
	IF(3) SAME(framing_cap);
	IF(4) SAME(bearer_cap);
	IF(5) REQUIRE(memcmp(a->tie_breaker, b->tie_breaker, 8) == 0);
	IF(6) SAME(firmware_rev);
	IF(7) SAME_BYTES(host_name);
	IF(8) SAME_BYTES(vendor_name);
	IF(9) SAME(assigned_tid);
	IF(10) SAME(rx_window);
	IF(11) SAME_BYTES(challenge);
	IF(12)
	{
		SAME(q931.cause);
		SAME(q931.msg_code);
		SAME_BYTES(q931.advisory);
	}
	IF(13) REQUIRE(memcmp(a->challenge_resp, b->challenge_resp, 16) == 0);
	IF(14) SAME(assigned_sid);
	IF(15) SAME(call_serial);
	IF(16) SAME(min_bps);
	IF(17) SAME(max_bps);
	IF(18) SAME(bearer_type);
	IF(19) SAME(framing_type);
	IF(21) SAME_BYTES(called_number);
	IF(22) SAME_BYTES(calling_number);
	IF(23) SAME_BYTES(sub_address);
	IF(24) SAME(tx_connect_speed);
	IF(25) SAME(phys_channel);
	IF(26) SAME_BYTES(initial_rx_lcp);
	IF(27) SAME_BYTES(last_sent_lcp);
	IF(28) SAME_BYTES(last_rx_lcp);
	IF(29) SAME(proxy_auth_type);
	IF(30) SAME_BYTES(proxy_auth_name);
	IF(31) SAME_BYTES(proxy_auth_challenge);
	IF(32) SAME(proxy_auth_id);
	IF(33) SAME_BYTES(proxy_auth_response);
	IF(34) REQUIRE(memcmp(&a->call_errors, &b->call_errors, sizeof a->call_errors) == 0);
	IF(35)
	{
		SAME(accm.send);
		SAME(accm.recv);
	}
	IF(36) SAME_BYTES(random_vector);
	IF(37) SAME_BYTES(private_group_id);
	IF(38) SAME(rx_connect_speed);
	if (a->has_ppp_disconnect) {
		SAME(ppp_disc_code);
		SAME(ppp_disc_proto);
		SAME(ppp_disc_direction);
		SAME_BYTES(ppp_disc_msg);
	}
}

static uint8_t out[70000];
static struct l2tp_msg m1, m2;

static void check_msg(const uint8_t *p, size_t n, const struct l2tp_secret *sec)
{
	int e = l2tp_msg_decode(p, n, sec, &m1);
	REQUIRE(l2tp_strerror(e) != NULL);
	(void)l2tp_msg_name(m1.type);
	if (e != L2TP_OK)
		return;
	REQUIRE(l2tp_msg_missing_avp(&m1) >= 0);
	if (m1.hidden)
		REQUIRE(sec != NULL);
	/* The decoder tolerates H on AVPs §4.4 says must not be hidden; the
	 * encoder refuses to produce them. */
	m1.hidden &= ~L2TP_NOHIDE_MASK;

	int k = l2tp_msg_encode(out, sizeof out, 0x1234, 0x5678, 9, 10, &m1, sec, RV, sizeof RV);
	REQUIRE(k >= 12);
	struct l2tp_hdr h;
	REQUIRE(l2tp_hdr_decode(out, (size_t)k, &h) == L2TP_OK);
	REQUIRE(h.ctrl && h.tid == 0x1234 && h.sid == 0x5678 && h.ns == 9 && h.nr == 10);
	REQUIRE(h.hdr_len == 12 && h.payload_len == k - 12);
	REQUIRE(l2tp_msg_decode(out + 12, h.payload_len, sec, &m2) == L2TP_OK);
	/* A re-encoded hidden message carries a Random Vector even if the
	 * source had none left after the last hidden AVP (it always had). */
	same_msg(&m1, &m2);
	/* too small a buffer is refused, never overrun */
	REQUIRE(l2tp_msg_encode(out, (size_t)k - 1, 0x1234, 0x5678, 9, 10, &m1, sec, RV,
				sizeof RV) == L2TP_E_NOSPACE);
}

static void check_hide(const uint8_t *data, size_t size)
{
	static uint8_t c[1100], p[1100];
	if (size < 3)
		return;
	uint16_t attr = (uint16_t)(data[0] << 8 | data[1]);
	size_t pad = data[2] % 32;
	const uint8_t *val = data + 3;
	size_t n = size - 3;
	if (n > 1000)
		n = 1000;
	int k = l2tp_hide(attr, &SEC, RV, sizeof RV, val, n, pad, c, sizeof c);
	REQUIRE(k == (int)(2 + n + pad));
	int u = l2tp_unhide(attr, &SEC, RV, sizeof RV, c, (size_t)k, p, sizeof p);
	REQUIRE(u == (int)n);
	REQUIRE(n == 0 || memcmp(p, val, n) == 0);
	/* the raw input as ciphertext: whatever the length deciphers to, it
	 * must fit what was given */
	u = l2tp_unhide(attr, &SEC, data, 3, data, size, p, sizeof p);
	REQUIRE(u == L2TP_E_HIDDEN_LEN || u == L2TP_E_NOSPACE ||
		(u >= 0 && (size_t)u <= size - 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct l2tp_hdr h;
	int e = l2tp_hdr_decode(data, size, &h);
	REQUIRE(l2tp_strerror(e) != NULL);
	if (e == L2TP_OK) {
		REQUIRE((size_t)h.hdr_len + h.payload_len <= size);
		if (h.ctrl) {
			check_msg(data + h.hdr_len, h.payload_len, NULL);
			check_msg(data + h.hdr_len, h.payload_len, &SEC);
		}
	} else {
		/* reach the AVP decoder without a valid header too */
		check_msg(data, size, NULL);
		check_msg(data, size, &SEC);
	}
	check_hide(data, size);
	return 0;
}
