/*
 * libFuzzer harness: PPP frame header (RFC 1661 §2, RFC 1662 §3), generic
 * control packet header and option walk, and the names pcapdecode prints.
 *
 * Input: one PPP frame (optional ff 03, protocol, packet). A frame that
 * decodes is written again from (proto, has_ac, pfc) + payload and must give
 * the input back byte for byte; the option walk by iterator and by list must
 * agree; Code-Reject and Protocol-Reject built from the input must decode
 * back to it (truncated as the MRU demands).
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

static void names(uint16_t proto, const struct ppp_cp *c)
{
	const char *s = ppp_proto_name(proto);
	if (s)
		REQUIRE(s[0] != '\0');
	s = ppp_code_name(proto, c->code);
	if (s)
		REQUIRE(s[0] != '\0');
}

static void walk_options(uint16_t proto, const struct ppp_cp *c)
{
	struct ppp_optlist l;
	struct ppp_opt o;
	uint16_t off = 0;
	unsigned i = 0;
	int rc, lrc = ppp_opts_decode(c, &l);

	while ((rc = ppp_opt_next(c, &off, &o)) == 1) {
		REQUIRE(o.off >= PPP_CP_HDR_LEN && (size_t)o.off + o.len <= c->len);
		REQUIRE(o.val_off == o.off + 2);
		(void)ppp_opt_name(proto, o.type);
		if (lrc == 0) {
			REQUIRE(i < l.n);
			REQUIRE(l.o[i].type == o.type && l.o[i].len == o.len && l.o[i].off == o.off);
		}
		i++;
	}
	REQUIRE(rc <= 0);
	if (lrc == 0) {
		REQUIRE(rc == 0 && i == l.n);
		/* echoing every option rebuilds the packet exactly */
		if (c->code >= PPP_CONF_REQ && c->code <= PPP_CONF_REJ) {
			struct wr w;
			wr_init(&w, out, sizeof out);
			int n = ppp_conf_echo(&w, c->code, c->id, c, &l, ~UINT64_C(0));
			REQUIRE(n == c->len);
			REQUIRE(memcmp(out, c->pkt, c->len) == 0);
		}
	} else {
		REQUIRE(lrc == rc || lrc == PPP_E_TOO_MANY_OPTS);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppp_frame f;
	struct ppp_cp c;
	struct wr w;
	int n;

	if (size > 65535)
		return 0;
	if (ppp_frame_decode(data, size, &f) != PPP_OK)
		return 0;
	REQUIRE(f.hdr_len >= 1 && f.hdr_len <= 4 && f.hdr_len + f.payload_len == size);

	/* header round trip */
	wr_init(&w, out, sizeof out);
	n = ppp_frame_hdr_write(&w, f.proto, f.has_ac, f.pfc);
	REQUIRE(n == f.hdr_len);
	wr_bytes(&w, f.payload, f.payload_len);
	REQUIRE(!w.err && w.off == size && memcmp(out, data, size) == 0);

	/* Protocol-Reject of the payload at a few MRUs decodes back */
	static const size_t mrus[] = {6, 7, 64, 1500, 65535};
	for (unsigned i = 0; i < sizeof mrus / sizeof mrus[0]; i++) {
		struct ppp_lcp_pkt m;
		wr_init(&w, out, sizeof out);
		n = ppp_proto_rej_build(&w, 1, f.proto, f.payload, f.payload_len, mrus[i]);
		REQUIRE(n >= 6 && (size_t)n <= mrus[i]);
		REQUIRE(ppp_lcp_decode(out, (size_t)n, &m) == PPP_OK);
		REQUIRE(m.rej_proto == f.proto && m.rest_len == (size_t)n - 6);
		REQUIRE(m.rest_len == 0 || memcmp(m.rest, f.payload, m.rest_len) == 0);
	}

	if (ppp_cp_decode(f.payload, f.payload_len, &c) != PPP_OK)
		return 0;
	REQUIRE(c.len >= 4 && c.len <= f.payload_len && c.data_len == c.len - 4);
	names(f.proto, &c);
	walk_options(f.proto, &c);

	/* Code-Reject of the packet decodes back, truncated to the MRU */
	for (unsigned i = 0; i < sizeof mrus / sizeof mrus[0]; i++) {
		struct ppp_lcp_pkt m;
		wr_init(&w, out, sizeof out);
		n = ppp_code_rej_build(&w, 2, c.pkt, c.len, mrus[i]);
		REQUIRE(n >= 4 && (size_t)n <= mrus[i]);
		int rc = ppp_lcp_decode(out, (size_t)n, &m);
		if (n == 4) {
			REQUIRE(rc == PPP_E_DATA);
			continue;
		}
		REQUIRE(rc == PPP_OK && m.rest_len == (size_t)n - 4);
		REQUIRE(memcmp(m.rest, c.pkt, m.rest_len) == 0);
	}
	return 0;
}
