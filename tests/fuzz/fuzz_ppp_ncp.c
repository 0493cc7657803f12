/*
 * libFuzzer harness: IPCP (RFC 1332, 1877), IPV6CP (RFC 5072), CCP
 * (RFC 1962).
 *
 * Input: one PPP frame (optional ff 03, protocol, packet). The payload is
 * decoded as each of the three protocols (the frame's own first), so a
 * mutated protocol field still exercises the decoders. Whatever decodes is
 * built again and must decode to the same fields; raw echo of the options
 * must be byte-exact.
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

#define SAME(f) REQUIRE(a->f == b->f)

static uint8_t out[70000];

static void same_ipcp(const struct ppp_ipcp_opts *a, const struct ppp_ipcp_opts *b)
{
	SAME(present);
	REQUIRE(b->n_bad == 0 && b->n_unknown == 0);
	if (a->present & PPP_IPCP_HAS_ADDRS) {
		SAME(addrs_src);
		SAME(addrs_dst);
	}
	if (a->present & PPP_IPCP_HAS_COMP) {
		SAME(comp_proto);
		SAME(comp_data_len);
		REQUIRE(memcmp(a->comp_data, b->comp_data, a->comp_data_len) == 0);
	}
	if (a->present & PPP_IPCP_HAS_ADDR)
		SAME(addr);
	if (a->present & PPP_IPCP_HAS_DNS1)
		SAME(dns1);
	if (a->present & PPP_IPCP_HAS_NBNS1)
		SAME(nbns1);
	if (a->present & PPP_IPCP_HAS_DNS2)
		SAME(dns2);
	if (a->present & PPP_IPCP_HAS_NBNS2)
		SAME(nbns2);
}

static void same_ipv6cp(const struct ppp_ipv6cp_opts *a, const struct ppp_ipv6cp_opts *b)
{
	SAME(present);
	REQUIRE(b->n_bad == 0 && b->n_unknown == 0);
	if (a->present & PPP_OPT_BIT(PPP_IPV6CP_OPT_IFID))
		REQUIRE(memcmp(a->ifid, b->ifid, sizeof a->ifid) == 0);
	if (a->present & PPP_OPT_BIT(PPP_IPV6CP_OPT_COMP)) {
		SAME(comp_proto);
		SAME(comp_data_len);
		REQUIRE(memcmp(a->comp_data, b->comp_data, a->comp_data_len) == 0);
	}
}

static void one(uint16_t proto, const uint8_t *p, size_t len)
{
	static struct ppp_ncp_pkt m, m2;
	struct wr w;
	int n, rc = ppp_ncp_decode(proto, p, len, &m);

	if (rc == PPP_E_CODE) {
		REQUIRE(ppp_code_name(proto, m.cp.code) == NULL);
		/* the header is there for the Code-Reject */
		wr_init(&w, out, sizeof out);
		n = ppp_code_rej_build(&w, 1, m.cp.pkt, m.cp.len, 1500);
		REQUIRE(n > 4);
		return;
	}
	if (rc != PPP_OK)
		return;
	REQUIRE(ppp_code_name(proto, m.cp.code) != NULL);
	wr_init(&w, out, sizeof out);
	if (m.cp.code > PPP_CONF_REJ) {
		/* Terminate, Code-Reject, Reset: header + opaque data */
		REQUIRE(m.rest_len == m.cp.data_len);
		n = ppp_cp_build(&w, m.cp.code, m.cp.id, m.rest, m.rest_len);
		REQUIRE(n == m.cp.len && memcmp(out, m.cp.pkt, m.cp.len) == 0);
		return;
	}
	n = ppp_conf_echo(&w, m.cp.code, m.cp.id, &m.cp, &m.opts, ~UINT64_C(0));
	REQUIRE(n == m.cp.len && memcmp(out, m.cp.pkt, m.cp.len) == 0);
	for (unsigned i = 0; i < m.opts.n; i++)
		REQUIRE((size_t)m.opts.o[i].off + m.opts.o[i].len <= m.cp.len);

	wr_init(&w, out, sizeof out);
	if (proto == PPP_PROTO_IPCP) {
		n = ppp_ipcp_conf_build(&w, m.cp.code, m.cp.id, &m.ipcp);
		REQUIRE(n >= 4);
		REQUIRE(ppp_ncp_decode(proto, out, (size_t)n, &m2) == PPP_OK);
		same_ipcp(&m.ipcp, &m2.ipcp);
	} else if (proto == PPP_PROTO_IPV6CP) {
		n = ppp_ipv6cp_conf_build(&w, m.cp.code, m.cp.id, &m.ipv6cp);
		REQUIRE(n >= 4);
		REQUIRE(ppp_ncp_decode(proto, out, (size_t)n, &m2) == PPP_OK);
		same_ipv6cp(&m.ipv6cp, &m2.ipv6cp);
	} else {
		/* CCP: everything is rejected; the Reject must decode as CCP
		 * with the same options and flags. */
		n = ppp_conf_echo(&w, PPP_CONF_REJ, m.cp.id, &m.cp, &m.opts, ~UINT64_C(0));
		REQUIRE(n == m.cp.len);
		REQUIRE(ppp_ncp_decode(proto, out, (size_t)n, &m2) == PPP_OK);
		REQUIRE(m2.opts.n == m.opts.n && m2.ccp.present == m.ccp.present);
		for (unsigned i = 0; i < m.opts.n; i++)
			REQUIRE(m2.opts.o[i].flags == m.opts.o[i].flags);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t protos[] = {PPP_PROTO_IPCP, PPP_PROTO_IPV6CP, PPP_PROTO_CCP};
	struct ppp_frame f;

	if (size > 65535)
		return 0;
	if (ppp_frame_decode(data, size, &f) != PPP_OK)
		return 0;
	for (unsigned i = 0; i < 3; i++)
		one(protos[i], f.payload, f.payload_len);
	/* any other protocol is refused */
	if (f.proto != PPP_PROTO_IPCP && f.proto != PPP_PROTO_IPV6CP && f.proto != PPP_PROTO_CCP &&
	    f.proto != PPP_PROTO_CCP_LINK) {
		static struct ppp_ncp_pkt m;
		REQUIRE(ppp_ncp_decode(f.proto, f.payload, f.payload_len, &m) == PPP_E_INVAL);
	}
	return 0;
}
