/*
 * IPCP (RFC 1332, 1877), IPV6CP (RFC 5072) and CCP (RFC 1962) codecs
 * (src/codec/ppp_ncp.c). Real frames come from ../shared/captures/ppp/,
 * frame numbers as tshark counts them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "codec/ppp.h"

static size_t hex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_int_equal(hi, -1);
	return n;
}

static void assert_wr_hex(const struct wr *w, const char *s)
{
	uint8_t want[512];
	size_t n = hex(s, want, sizeof want);
	assert_false(w->err);
	assert_int_equal(w->off, n);
	assert_memory_equal(w->p, want, n);
}

/* Decode a whole frame (header included) as an NCP packet. */
static int decode_frame(const char *s, uint8_t *b, size_t cap, struct ppp_ncp_pkt *m)
{
	struct ppp_frame f;
	size_t n = hex(s, b, cap);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	return ppp_ncp_decode(f.proto, f.payload, f.payload_len, m);
}

static void ipcp_zeek_nak_and_ack(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_ncp_pkt m;
	struct wr w;

	/* zeek__pppoe.pcap #13: IP-Address 10.0.0.1 */
	assert_int_equal(decode_frame("80210101000a03060a000001", b, sizeof b, &m), PPP_OK);
	assert_int_equal(m.proto, PPP_PROTO_IPCP);
	assert_int_equal(m.cp.code, PPP_CONF_REQ);
	assert_int_equal(m.ipcp.present, PPP_IPCP_HAS_ADDR);
	assert_int_equal(m.ipcp.addr, 0x0a000001);
	/* #19: the BRAS Naks the CPE's 0.0.0.0 with 10.0.2.16 */
	struct ppp_ipcp_opts nak = {0};
	nak.present = PPP_IPCP_HAS_ADDR;
	nak.addr = 0x0a000210;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_IPCP, false, false), 2);
	assert_int_equal(ppp_ipcp_conf_build(&w, PPP_CONF_NAK, 1, &nak), 10);
	assert_wr_hex(&w, "80210301000a03060a000210");
	/* #27: the Ack of the request that followed */
	assert_int_equal(decode_frame("80210102000a03060a000210", b, sizeof b, &m), PPP_OK);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_ACK, m.cp.id, &m.cp, &m.opts, ~UINT64_C(0)),
			 10);
	assert_wr_hex(&w, "0202000a03060a000210");
}

static void ipcp_windows_dns_nbns(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_ncp_pkt m;
	struct wr w;

	/* john-samples lulu #48: Windows asks IP-Address, DNS and NBNS, all 0 */
	assert_int_equal(decode_frame("802101080022030600000000810600000000820600000000830600000000"
				      "840600000000", b, sizeof b, &m), PPP_OK);
	assert_int_equal(m.opts.n, 5);
	assert_int_equal(m.ipcp.present, PPP_IPCP_HAS_ADDR | PPP_IPCP_HAS_DNS1 |
					 PPP_IPCP_HAS_NBNS1 | PPP_IPCP_HAS_DNS2 |
					 PPP_IPCP_HAS_NBNS2);
	assert_int_equal(m.ipcp.n_unknown + m.ipcp.n_bad, 0);
	assert_int_equal(m.opts.o[1].type, PPP_IPCP_OPT_DNS1);
	assert_int_equal(m.opts.o[2].type, PPP_IPCP_OPT_NBNS1);
	assert_int_equal(m.opts.o[3].type, PPP_IPCP_OPT_DNS2);
	assert_int_equal(m.opts.o[4].type, PPP_IPCP_OPT_NBNS2);
	/* #49: pppd rejects the four RFC 1877 options, byte for byte */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_REJ, 8, &m.cp, &m.opts, 0x1e), 28);
	assert_wr_hex(&w, "0408001c810600000000820600000000830600000000840600000000");
	/* #51: Nak of the address alone */
	assert_int_equal(decode_frame("80210309000a0306c0a802ea", b, sizeof b, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_CONF_NAK);
	assert_int_equal(m.ipcp.addr, 0xc0a802ea);

	/* all four RFC 1877 options with values, hand-assembled */
	struct ppp_ipcp_opts o = {0};
	o.present = PPP_IPCP_HAS_ADDR | PPP_IPCP_HAS_DNS1 | PPP_IPCP_HAS_NBNS1 |
		    PPP_IPCP_HAS_DNS2 | PPP_IPCP_HAS_NBNS2;
	o.addr = 0x0a000005;
	o.dns1 = 0x08080808;
	o.nbns1 = 0x0a000101;
	o.dns2 = 0x01010101;
	o.nbns2 = 0x0a000102;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipcp_conf_build(&w, PPP_CONF_NAK, 9, &o), 34);
	assert_wr_hex(&w, "03090022 03060a000005 810608080808 82060a000101 830601010101"
			  " 84060a000102");
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, out, w.off, &m), PPP_OK);
	assert_int_equal(m.ipcp.present, o.present);
	assert_int_equal(m.ipcp.dns1, o.dns1);
	assert_int_equal(m.ipcp.nbns1, o.nbns1);
	assert_int_equal(m.ipcp.dns2, o.dns2);
	assert_int_equal(m.ipcp.nbns2, o.nbns2);
}

static void ipcp_addresses_and_compression(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_ncp_pkt m;
	struct wr w;

	/* RFC 1332 §3.1 IP-Addresses (deprecated) and §3.2 VJ compression
	 * (Max-Slot-Id 15, Comp-Slot-Id 1) */
	size_t n = hex("0103 0014 010a c0000201 c0000202 0206 002d 0f01", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, b, n, &m), PPP_OK);
	assert_int_equal(m.ipcp.present, PPP_IPCP_HAS_ADDRS | PPP_IPCP_HAS_COMP);
	assert_int_equal(m.ipcp.addrs_src, 0xc0000201);
	assert_int_equal(m.ipcp.addrs_dst, 0xc0000202);
	assert_int_equal(m.ipcp.comp_proto, PPP_IPCP_VJ);
	assert_int_equal(m.ipcp.comp_data_len, 2);
	assert_int_equal(m.ipcp.comp_data[0], 15);
	assert_int_equal(m.ipcp.comp_data[1], 1);
	/* re-encode gives the same bytes */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipcp_conf_build(&w, PPP_CONF_REQ, 3, &m.ipcp), (int)n);
	assert_memory_equal(out, b, n);
	/* an LNS rejects both: echo them */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_REJ, 3, &m.cp, &m.opts, 3), 20);
	assert_int_equal(out[0], PPP_CONF_REJ);
	assert_memory_equal(out + 4, b + 4, 16);

	/* malformed values: VJ with Length 4, IP-Address Length 5, IP-Addresses
	 * Length 6; unknown type 200; a duplicated IP-Address */
	n = hex("0104 0022 0204002d 03050a0000 01060a000001 c803ff 03060a000001 03060a000002",
		b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, b, n, &m), PPP_OK);
	assert_int_equal(m.opts.n, 6);
	assert_int_equal(m.opts.o[0].flags, PPP_OPT_F_BAD);
	assert_int_equal(m.opts.o[1].flags, PPP_OPT_F_BAD);
	assert_int_equal(m.opts.o[2].flags, PPP_OPT_F_BAD);
	assert_int_equal(m.opts.o[3].flags, PPP_OPT_F_UNKNOWN);
	assert_int_equal(m.opts.o[4].flags, 0);
	assert_int_equal(m.opts.o[5].flags, PPP_OPT_F_DUP);
	assert_int_equal(m.ipcp.present, PPP_IPCP_HAS_ADDR);
	assert_int_equal(m.ipcp.addr, 0x0a000001);
	assert_int_equal(m.ipcp.n_bad, 3);
	assert_int_equal(m.ipcp.n_unknown, 1);
}

static void ipcp_other_codes(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_ncp_pkt m;
	struct wr w;

	/* john-samples lulu #43: IPCP Terminate-Ack */
	assert_int_equal(decode_frame("802106070004", b, sizeof b, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_TERM_ACK);
	assert_int_equal(m.cp.id, 7);
	assert_int_equal(m.rest_len, 0);
	/* RFC 1332 §2: codes 8..13 are LCP-only -> Code-Reject */
	for (uint8_t code = 8; code <= 15; code++) {
		size_t n = hex("00 01 0008 00000000", b, sizeof b);
		b[0] = code;
		assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, b, n, &m), PPP_E_CODE);
		assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPV6CP, b, n, &m), PPP_E_CODE);
		assert_int_equal(m.cp.code, code);
		/* build the Code-Reject from what the decoder kept */
		wr_init(&w, out, sizeof out);
		assert_int_equal(ppp_code_rej_build(&w, 1, m.cp.pkt, m.cp.len, 1500), 12);
		assert_int_equal(out[0], PPP_CODE_REJ);
		assert_memory_equal(out + 4, b, 8);
	}
	/* Code-Reject with the rejected packet, and without */
	size_t n = hex("0702 0008 0e010004", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, b, n, &m), PPP_OK);
	assert_int_equal(m.rest_len, 4);
	n = hex("0702 0004", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, b, n, &m), PPP_E_DATA);
	/* not an NCP */
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_LCP, b, n, &m), PPP_E_INVAL);
	/* Terminate-Request with data */
	n = hex("0509 0006 abcd", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, b, n, &m), PPP_OK);
	assert_int_equal(m.rest_len, 2);
	assert_int_equal(m.rest[0], 0xab);
}

static void ipv6cp(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_ncp_pkt m;
	struct wr w;
	const uint8_t ifid[8] = {0xc8, 0x01, 0x0e, 0xff, 0xfe, 0x88, 0x00, 0x08};

	/* zeek__pppoe.pcap #14: Interface-Identifier c801:0eff:fe88:0008 */
	assert_int_equal(decode_frame("80570101000e010ac8010efffe880008", b, sizeof b, &m), PPP_OK);
	assert_int_equal(m.proto, PPP_PROTO_IPV6CP);
	assert_int_equal(m.ipv6cp.present, PPP_OPT_BIT(PPP_IPV6CP_OPT_IFID));
	assert_memory_equal(m.ipv6cp.ifid, ifid, 8);
	/* re-encoded identically; #18 is the Ack */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_IPV6CP, false, false), 2);
	assert_int_equal(ppp_ipv6cp_conf_build(&w, PPP_CONF_REQ, 1, &m.ipv6cp), 14);
	assert_wr_hex(&w, "80570101000e010ac8010efffe880008");
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipv6cp_conf_build(&w, PPP_CONF_ACK, 1, &m.ipv6cp), 14);
	assert_wr_hex(&w, "0201000e010ac8010efffe880008");

	/* RFC 5072 §4.2 compression, round trip; bad IFID length; unknown */
	struct ppp_ipv6cp_opts o = {0};
	o.present = PPP_OPT_BIT(PPP_IPV6CP_OPT_IFID) | PPP_OPT_BIT(PPP_IPV6CP_OPT_COMP);
	memcpy(o.ifid, ifid, 8);
	o.comp_proto = 0x0061;
	o.comp_data_len = 2;
	o.comp_data[0] = 0x00;
	o.comp_data[1] = 0x0f;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipv6cp_conf_build(&w, PPP_CONF_REQ, 2, &o), 20);
	assert_wr_hex(&w, "01020014 010ac8010efffe880008 02060061000f");
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPV6CP, out, w.off, &m), PPP_OK);
	assert_int_equal(m.ipv6cp.present, o.present);
	assert_int_equal(m.ipv6cp.comp_proto, 0x0061);
	assert_int_equal(m.ipv6cp.comp_data_len, 2);
	size_t n = hex("0103 000f 0108 c8010efffe88 0303 00", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPV6CP, b, n, &m), PPP_OK);
	assert_int_equal(m.opts.o[0].flags, PPP_OPT_F_BAD);
	assert_int_equal(m.opts.o[1].flags, PPP_OPT_F_UNKNOWN);
	assert_int_equal(m.ipv6cp.present, 0);
	/* ... and IPV6CP carried inside LCP Protocol-Reject (lulu #38/#39) */
	assert_int_equal(decode_frame("80570105000e010adc15159b5957c96d", b, sizeof b, &m), PPP_OK);
	assert_int_equal(m.cp.id, 5);
}

static void ccp(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_ncp_pkt m;
	struct wr w;

	/* john-samples lulu #37: CCP Conf-Req with MPPE/MPPC (type 18) */
	assert_int_equal(decode_frame("80fd0101000a120601000040", b, sizeof b, &m), PPP_OK);
	assert_int_equal(m.proto, PPP_PROTO_CCP);
	assert_int_equal(m.opts.n, 1);
	assert_int_equal(m.opts.o[0].type, PPP_CCP_OPT_MPPC);
	assert_int_equal(m.opts.o[0].flags, 0);
	assert_int_equal(m.ccp.present, PPP_OPT_BIT(PPP_CCP_OPT_MPPC));
	/* we implement no compressor: reject every option */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_REJ, m.cp.id, &m.cp, &m.opts, ~UINT64_C(0)),
			 10);
	assert_wr_hex(&w, "0401000a120601000040");

	/* Deflate (RFC 1979 §2) well-formed, then with Length 3, BSD with
	 * Length 4, an unknown type, a duplicate Deflate */
	size_t n = hex("0102 0016 1a04 7800 1a03 78 1504 0102 0403 00 1a04 7800", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_CCP, b, n, &m), PPP_OK);
	assert_int_equal(m.opts.n, 5);
	assert_int_equal(m.opts.o[0].flags, 0);
	assert_int_equal(m.opts.o[1].flags, PPP_OPT_F_DUP);
	assert_int_equal(m.opts.o[2].flags, PPP_OPT_F_BAD);
	assert_int_equal(m.opts.o[3].flags, PPP_OPT_F_UNKNOWN);
	assert_int_equal(m.opts.o[4].flags, PPP_OPT_F_DUP);
	assert_int_equal(m.ccp.n_bad, 1);
	assert_int_equal(m.ccp.n_unknown, 1);
	/* the reject still echoes all of them, including the malformed */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_REJ, 2, &m.cp, &m.opts, ~UINT64_C(0)), 0x16);
	assert_memory_equal(out + 4, b + 4, 0x12);

	/* RFC 1962 §3: Reset-Request/Ack are CCP codes; also on 0x80fb */
	n = hex("0e03 0006 abcd", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_CCP, b, n, &m), PPP_OK);
	assert_int_equal(m.rest_len, 2);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_CCP_LINK, b, n, &m), PPP_OK);
	b[0] = PPP_CCP_RESET_ACK;
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_CCP, b, n, &m), PPP_OK);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_IPCP, b, n, &m), PPP_E_CODE);
	b[0] = PPP_ECHO_REQ;
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_CCP, b, n, &m), PPP_E_CODE);
	/* Terminate-Request, and its Ack (RFC 1962 needs no more of us) */
	n = hex("0507 0004", b, sizeof b);
	assert_int_equal(ppp_ncp_decode(PPP_PROTO_CCP, b, n, &m), PPP_OK);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_term_build(&w, PPP_TERM_ACK, m.cp.id, NULL, 0), 4);
	assert_wr_hex(&w, "06070004");
}

static void ncp_malformed(void **state)
{
	(void)state;
	uint8_t b[64];
	struct ppp_ncp_pkt m;
	const uint16_t protos[] = {PPP_PROTO_IPCP, PPP_PROTO_IPV6CP, PPP_PROTO_CCP};

	for (unsigned i = 0; i < 3; i++) {
		uint16_t p = protos[i];
		size_t n;
		n = hex("0101 0003", b, sizeof b);
		assert_int_equal(ppp_ncp_decode(p, b, n, &m), PPP_E_LEN_UNDER);
		n = hex("0101 00", b, sizeof b);
		assert_int_equal(ppp_ncp_decode(p, b, n, &m), PPP_E_PKT_SHORT);
		n = hex("0101 000c 0306 0a00", b, sizeof b);
		assert_int_equal(ppp_ncp_decode(p, b, n, &m), PPP_E_LEN_OVER);
		n = hex("0101 0008 0300 0a00", b, sizeof b);
		assert_int_equal(ppp_ncp_decode(p, b, n, &m), PPP_E_OPT_LEN);
		n = hex("0101 0008 0301 0a00", b, sizeof b);
		assert_int_equal(ppp_ncp_decode(p, b, n, &m), PPP_E_OPT_LEN);
		n = hex("0101 0008 0306 0a00 0000", b, sizeof b);
		assert_int_equal(ppp_ncp_decode(p, b, n, &m), PPP_E_OPT_OVERRUN);
		n = hex("0101 0005 03", b, sizeof b);
		assert_int_equal(ppp_ncp_decode(p, b, n, &m), PPP_E_OPT_OVERRUN);
	}
}

static void ncp_builder_limits(void **state)
{
	(void)state;
	uint8_t out[64];
	struct wr w;
	struct ppp_ipcp_opts o = {0};
	struct ppp_ipv6cp_opts o6 = {0};

	o.present = PPP_IPCP_HAS_ADDR;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipcp_conf_build(&w, PPP_TERM_REQ, 1, &o), PPP_E_INVAL);
	wr_init(&w, out, 9);
	assert_int_equal(ppp_ipcp_conf_build(&w, PPP_CONF_REQ, 1, &o), PPP_E_NOSPACE);
	o.present = PPP_IPCP_HAS_COMP;
	o.comp_data_len = PPP_COMP_DATA_MAX + 1;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipcp_conf_build(&w, PPP_CONF_REQ, 1, &o), PPP_E_INVAL);
	o6.present = PPP_OPT_BIT(PPP_IPV6CP_OPT_IFID);
	wr_init(&w, out, 13);
	assert_int_equal(ppp_ipv6cp_conf_build(&w, PPP_CONF_REQ, 1, &o6), PPP_E_NOSPACE);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipv6cp_conf_build(&w, 0, 1, &o6), PPP_E_INVAL);
	/* an empty option set is a valid (empty) Configure-Request */
	o.present = 0;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ipcp_conf_build(&w, PPP_CONF_REQ, 4, &o), 4);
	assert_wr_hex(&w, "01040004");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipcp_zeek_nak_and_ack),
		cmocka_unit_test(ipcp_windows_dns_nbns),
		cmocka_unit_test(ipcp_addresses_and_compression),
		cmocka_unit_test(ipcp_other_codes),
		cmocka_unit_test(ipv6cp),
		cmocka_unit_test(ccp),
		cmocka_unit_test(ncp_malformed),
		cmocka_unit_test(ncp_builder_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
