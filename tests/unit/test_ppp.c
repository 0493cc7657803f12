/*
 * PPP framing, generic control packets, option lists, LCP and the generic
 * builders (src/codec/ppp.c, ppp_lcp.c). Expected bytes are hand-decoded from
 * RFC 1661/1570/1990 layouts, or are real frames copied from
 * ../shared/captures/ppp/ (frame numbers as tshark counts them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "codec/ppp.h"

/* Parse a hex string (spaces allowed) into buf; returns the byte count. */
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

/* Assert that the writer holds exactly the bytes of the hex string. */
static void assert_wr_hex(const struct wr *w, const char *s)
{
	uint8_t want[2048];
	size_t n = hex(s, want, sizeof want);
	assert_false(w->err);
	assert_int_equal(w->off, n);
	assert_memory_equal(w->p, want, n);
}

/* ---- frame header ------------------------------------------------------- */

static void frame_with_and_without_ac(void **state)
{
	(void)state;
	uint8_t b[64];
	struct ppp_frame f;
	size_t n;

	/* packetlife__PPP_negotiation.cap #1: ff 03 + LCP */
	n = hex("ff03c0210101000f0305c223050506012ce96d", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_true(f.has_ac);
	assert_false(f.pfc);
	assert_int_equal(f.proto, PPP_PROTO_LCP);
	assert_int_equal(f.hdr_len, 4);
	assert_int_equal(f.payload_len, n - 4);
	assert_ptr_equal(f.payload, b + 4);

	/* john-samples lulu #27: the CPE omits ff 03 */
	n = hex("c02109000008aa471106", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_false(f.has_ac);
	assert_int_equal(f.proto, PPP_PROTO_LCP);
	assert_int_equal(f.hdr_len, 2);
	assert_int_equal(f.payload_len, 8);

	/* PFC: IP in one octet, with and without ff 03 */
	n = hex("21 4500", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_true(f.pfc);
	assert_false(f.has_ac);
	assert_int_equal(f.proto, PPP_PROTO_IP);
	assert_int_equal(f.hdr_len, 1);
	assert_int_equal(f.payload_len, 2);
	n = hex("ff03 57 60", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_true(f.pfc);
	assert_true(f.has_ac);
	assert_int_equal(f.proto, PPP_PROTO_IPV6);
	assert_int_equal(f.hdr_len, 3);

	/* tcpdump mlppp-oobr: ff 03 3d 30 -> MP, one payload octet */
	n = hex("ff033d30", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(f.proto, PPP_PROTO_MP);
	assert_int_equal(f.payload_len, 1);

	/* header only, empty payload */
	n = hex("0021", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(f.proto, PPP_PROTO_IP);
	assert_int_equal(f.payload_len, 0);
}

static void frame_malformed(void **state)
{
	(void)state;
	uint8_t b[8];
	struct ppp_frame f;

	assert_int_equal(ppp_frame_decode(NULL, 0, &f), PPP_E_SHORT);
	assert_int_equal(ppp_frame_decode(b, hex("ff03", b, sizeof b), &f), PPP_E_SHORT);
	assert_int_equal(ppp_frame_decode(b, hex("c0", b, sizeof b), &f), PPP_E_SHORT);
	assert_int_equal(ppp_frame_decode(b, hex("ff03c0", b, sizeof b), &f), PPP_E_SHORT);
	/* RFC 1661 §2: low octet even */
	assert_int_equal(ppp_frame_decode(b, hex("c020", b, sizeof b), &f), PPP_E_PROTO);
	/* tcpdump heapoverflow-ppp_hdlc_if_print: "00" */
	assert_int_equal(ppp_frame_decode(b, hex("3030", b, sizeof b), &f), PPP_E_PROTO);
	/* ff alone: odd, so a one-octet protocol 0x00ff, not a broken ff 03 */
	assert_int_equal(ppp_frame_decode(b, hex("ff60", b, sizeof b), &f), PPP_OK);
	assert_int_equal(f.proto, 0xff);
	assert_false(f.has_ac);
}

static void frame_header_write(void **state)
{
	(void)state;
	uint8_t b[8];
	struct wr w;

	wr_init(&w, b, sizeof b);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_LCP, true, false), 4);
	assert_wr_hex(&w, "ff03c021");
	wr_init(&w, b, sizeof b);
	/* PFC never shortens a protocol >= 0x100 (RFC 1661 §6.5) */
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_LCP, false, true), 2);
	assert_wr_hex(&w, "c021");
	wr_init(&w, b, sizeof b);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_IP, true, true), 3);
	assert_wr_hex(&w, "ff0321");
	wr_init(&w, b, sizeof b);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_IP, false, true), 1);
	assert_wr_hex(&w, "21");
	wr_init(&w, b, sizeof b);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_IPV6, false, false), 2);
	assert_wr_hex(&w, "0057");
	wr_init(&w, b, sizeof b);
	assert_int_equal(ppp_frame_hdr_write(&w, 0xc020, false, false), PPP_E_INVAL);
	assert_int_equal(ppp_frame_hdr_write(&w, 0x0121, false, false), PPP_E_INVAL);
	wr_init(&w, b, 3);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_LCP, true, false), PPP_E_NOSPACE);

	/* decode(write(x)) == x for every combination */
	const uint16_t protos[] = {PPP_PROTO_IP, PPP_PROTO_IPV6, PPP_PROTO_LCP, PPP_PROTO_CCP};
	for (unsigned i = 0; i < 4; i++)
		for (int ac = 0; ac < 2; ac++)
			for (int pfc = 0; pfc < 2; pfc++) {
				struct ppp_frame f;
				wr_init(&w, b, sizeof b);
				int n = ppp_frame_hdr_write(&w, protos[i], ac, pfc);
				assert_true(n > 0);
				assert_int_equal(ppp_frame_decode(b, (size_t)n, &f), PPP_OK);
				assert_int_equal(f.proto, protos[i]);
				assert_int_equal(f.has_ac, ac);
				assert_int_equal(f.pfc, pfc && protos[i] < 0x100);
				assert_int_equal(f.payload_len, 0);
			}
}

/* ---- control packet header ---------------------------------------------- */

static void cp_header(void **state)
{
	(void)state;
	uint8_t b[32];
	struct ppp_cp c;
	size_t n;

	assert_int_equal(ppp_cp_decode(b, hex("0101 00", b, sizeof b), &c), PPP_E_PKT_SHORT);
	assert_int_equal(ppp_cp_decode(NULL, 0, &c), PPP_E_PKT_SHORT);
	assert_int_equal(ppp_cp_decode(b, hex("0101 0003 00", b, sizeof b), &c), PPP_E_LEN_UNDER);
	assert_int_equal(ppp_cp_decode(b, hex("0101 0000", b, sizeof b), &c), PPP_E_LEN_UNDER);
	assert_int_equal(ppp_cp_decode(b, hex("0101 0009 01040578", b, sizeof b), &c),
			 PPP_E_LEN_OVER);
	/* RFC 1661 §5: octets past Length are padding (PPPoE/Ethernet pad) */
	n = hex("0906 000c 05fcd459 01fccbfb 0000 0000 0000", b, sizeof b);
	assert_int_equal(ppp_cp_decode(b, n, &c), PPP_OK);
	assert_int_equal(c.code, 9);
	assert_int_equal(c.id, 6);
	assert_int_equal(c.len, 12);
	assert_int_equal(c.data_len, 8);
	assert_int_equal(c.pad, 6);
	assert_ptr_equal(c.pkt, b);
	assert_ptr_equal(c.data, b + 4);
	/* exactly the header */
	assert_int_equal(ppp_cp_decode(b, hex("0605 0004", b, sizeof b), &c), PPP_OK);
	assert_int_equal(c.data_len, 0);
	assert_int_equal(c.pad, 0);
}

/* ---- options ------------------------------------------------------------ */

static void options_malformed(void **state)
{
	(void)state;
	uint8_t b[600];
	struct ppp_lcp_pkt m;
	size_t n;

	/* Length 0 and 1: the list can not be walked */
	n = hex("0101 000a 0104 05dc 0000", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_OPT_LEN);
	n = hex("0101 0008 0701 0802", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_OPT_LEN);
	/* option Length past the packet Length (bytes exist as padding) */
	n = hex("0101 0008 0506 1234 5678", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_OPT_OVERRUN);
	/* a lone Type octet at the end */
	n = hex("0101 0007 0702 05", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_OPT_OVERRUN);
	/* a Configure-Request with no options is valid */
	n = hex("0101 0004", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.opts.n, 0);
	assert_int_equal(m.lcp.present, 0);

	/* more options than PPP_MAX_OPTS */
	struct wr w;
	wr_init(&w, b, sizeof b);
	size_t at = ppp_cp_begin(&w, PPP_CONF_REQ, 1);
	for (int i = 0; i < PPP_MAX_OPTS + 1; i++)
		ppp_opt_put(&w, PPP_LCP_OPT_PFC, NULL, 0);
	assert_int_equal(ppp_cp_end(&w, at), 4 + 2 * (PPP_MAX_OPTS + 1));
	assert_int_equal(ppp_lcp_decode(b, w.off, &m), PPP_E_TOO_MANY_OPTS);
	/* exactly PPP_MAX_OPTS is fine; all but the first are duplicates */
	wr_init(&w, b, sizeof b);
	at = ppp_cp_begin(&w, PPP_CONF_REQ, 1);
	for (int i = 0; i < PPP_MAX_OPTS; i++)
		ppp_opt_put(&w, PPP_LCP_OPT_PFC, NULL, 0);
	assert_true(ppp_cp_end(&w, at) > 0);
	assert_int_equal(ppp_lcp_decode(b, w.off, &m), PPP_OK);
	assert_int_equal(m.opts.n, PPP_MAX_OPTS);
	assert_int_equal(m.opts.o[0].flags, 0);
	assert_int_equal(m.opts.o[PPP_MAX_OPTS - 1].flags, PPP_OPT_F_DUP);
}

static void option_iteration_and_names(void **state)
{
	(void)state;
	uint8_t b[64];
	struct ppp_cp c;
	struct ppp_opt o;
	uint16_t off = 0;
	/* zeek__pppoe.pcap #6 (after c021) */
	size_t n = hex("01010012 010405d4 0304c023 050601fccbfb", b, sizeof b);
	const char *want[] = {"MRU", "Auth-Protocol", "Magic-Number"};
	const uint16_t offs[] = {4, 8, 12};

	assert_int_equal(ppp_cp_decode(b, n, &c), PPP_OK);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ppp_opt_next(&c, &off, &o), 1);
		assert_string_equal(ppp_opt_name(PPP_PROTO_LCP, o.type), want[i]);
		assert_int_equal(o.off, offs[i]);
		assert_int_equal(o.val_off, offs[i] + 2);
	}
	assert_int_equal(ppp_opt_next(&c, &off, &o), 0);
	assert_int_equal(ppp_opt_next(&c, &off, &o), 0);
	/* MRU value through the accessor */
	off = 0;
	assert_int_equal(ppp_opt_next(&c, &off, &o), 1);
	assert_int_equal(ppp_opt_vlen(&o), 2);
	assert_int_equal(ppp_opt_val(&c, &o)[0], 0x05);
	assert_int_equal(ppp_opt_val(&c, &o)[1], 0xd4);
}

static void names(void **state)
{
	(void)state;
	const char *lcp_codes[] = {NULL,
		"Configure-Request", "Configure-Ack", "Configure-Nak", "Configure-Reject",
		"Terminate-Request", "Terminate-Ack", "Code-Reject", "Protocol-Reject",
		"Echo-Request", "Echo-Reply", "Discard-Request", "Identification",
		"Time-Remaining"};
	for (unsigned i = 1; i <= 13; i++)
		assert_string_equal(ppp_code_name(PPP_PROTO_LCP, (uint8_t)i), lcp_codes[i]);
	assert_null(ppp_code_name(PPP_PROTO_LCP, 0));
	assert_null(ppp_code_name(PPP_PROTO_LCP, 14));
	assert_string_equal(ppp_code_name(PPP_PROTO_IPCP, 7), "Code-Reject");
	assert_null(ppp_code_name(PPP_PROTO_IPCP, 8));
	assert_null(ppp_code_name(PPP_PROTO_IPV6CP, 9));
	assert_string_equal(ppp_code_name(PPP_PROTO_CCP, 14), "Reset-Request");
	assert_string_equal(ppp_code_name(PPP_PROTO_CCP, 15), "Reset-Ack");
	assert_null(ppp_code_name(PPP_PROTO_CCP, 8));
	assert_string_equal(ppp_code_name(PPP_PROTO_PAP, 1), "Authenticate-Request");
	assert_string_equal(ppp_code_name(PPP_PROTO_PAP, 2), "Authenticate-Ack");
	assert_string_equal(ppp_code_name(PPP_PROTO_PAP, 3), "Authenticate-Nak");
	assert_null(ppp_code_name(PPP_PROTO_PAP, 4));
	assert_string_equal(ppp_code_name(PPP_PROTO_CHAP, 1), "Challenge");
	assert_string_equal(ppp_code_name(PPP_PROTO_CHAP, 2), "Response");
	assert_string_equal(ppp_code_name(PPP_PROTO_CHAP, 3), "Success");
	assert_string_equal(ppp_code_name(PPP_PROTO_CHAP, 4), "Failure");
	assert_null(ppp_code_name(PPP_PROTO_CHAP, 5));
	assert_null(ppp_code_name(PPP_PROTO_IP, 1));

	static const struct { uint16_t proto; uint8_t type; const char *name; } opts[] = {
		{PPP_PROTO_LCP, 1, "MRU"}, {PPP_PROTO_LCP, 2, "ACCM"},
		{PPP_PROTO_LCP, 3, "Auth-Protocol"}, {PPP_PROTO_LCP, 4, "Quality-Protocol"},
		{PPP_PROTO_LCP, 5, "Magic-Number"}, {PPP_PROTO_LCP, 7, "PFC"},
		{PPP_PROTO_LCP, 8, "ACFC"}, {PPP_PROTO_LCP, 13, "Callback"},
		{PPP_PROTO_LCP, 17, "MRRU"}, {PPP_PROTO_LCP, 18, "SSNHF"},
		{PPP_PROTO_LCP, 19, "Endpoint-Discriminator"},
		{PPP_PROTO_IPCP, 1, "IP-Addresses"}, {PPP_PROTO_IPCP, 2, "IP-Compression"},
		{PPP_PROTO_IPCP, 3, "IP-Address"}, {PPP_PROTO_IPCP, 129, "Primary-DNS"},
		{PPP_PROTO_IPCP, 130, "Primary-NBNS"}, {PPP_PROTO_IPCP, 131, "Secondary-DNS"},
		{PPP_PROTO_IPCP, 132, "Secondary-NBNS"},
		{PPP_PROTO_IPV6CP, 1, "Interface-Identifier"},
		{PPP_PROTO_IPV6CP, 2, "IPv6-Compression"},
		{PPP_PROTO_CCP, 18, "MPPC"}, {PPP_PROTO_CCP, 26, "Deflate"},
		{PPP_PROTO_CCP, 21, "BSD-Compress"},
	};
	for (unsigned i = 0; i < sizeof opts / sizeof opts[0]; i++)
		assert_string_equal(ppp_opt_name(opts[i].proto, opts[i].type), opts[i].name);
	assert_null(ppp_opt_name(PPP_PROTO_LCP, 6));
	assert_null(ppp_opt_name(PPP_PROTO_LCP, 200));
	assert_null(ppp_opt_name(PPP_PROTO_IPCP, 5));
	assert_null(ppp_opt_name(PPP_PROTO_IPV6CP, 3));
	assert_null(ppp_opt_name(PPP_PROTO_CCP, 4));
	assert_null(ppp_opt_name(PPP_PROTO_PAP, 1));

	assert_string_equal(ppp_proto_name(PPP_PROTO_LCP), "LCP");
	assert_string_equal(ppp_proto_name(PPP_PROTO_IPV6CP), "IPV6CP");
	assert_string_equal(ppp_proto_name(PPP_PROTO_CHAP), "CHAP");
	assert_null(ppp_proto_name(0x1235));

	/* every error has its own name */
	for (int a = PPP_E_INVAL; a <= 0; a++) {
		assert_string_not_equal(ppp_strerror(a), "unknown_error");
		for (int b2 = PPP_E_INVAL; b2 < a; b2++)
			assert_string_not_equal(ppp_strerror(a), ppp_strerror(b2));
	}
	assert_string_equal(ppp_strerror(-99), "unknown_error");
}

/* ---- LCP from real captures --------------------------------------------- */

static void lcp_zeek_confreq_and_nak(void **state)
{
	(void)state;
	uint8_t b[64];
	struct ppp_frame f;
	struct ppp_lcp_pkt m;
	/* zeek__pppoe.pcap #6: MRU 1492, Auth PAP, Magic 0x01fccbfb */
	size_t n = hex("c02101010012010405d40304c023050601fccbfb", b, sizeof b);

	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_lcp_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_CONF_REQ);
	assert_int_equal(m.cp.id, 1);
	assert_int_equal(m.opts.n, 3);
	assert_int_equal(m.opts.o[0].type, PPP_LCP_OPT_MRU);
	assert_int_equal(m.opts.o[1].type, PPP_LCP_OPT_AUTH);
	assert_int_equal(m.opts.o[1].len, 4);
	assert_int_equal(m.opts.o[2].type, PPP_LCP_OPT_MAGIC);
	assert_int_equal(m.lcp.present, PPP_OPT_BIT(1) | PPP_OPT_BIT(3) | PPP_OPT_BIT(5));
	assert_int_equal(m.lcp.mru, 1492);
	assert_int_equal(m.lcp.auth_proto, PPP_PROTO_PAP);
	assert_int_equal(m.lcp.auth_data_len, 0);
	assert_int_equal(m.lcp.magic, 0x01fccbfb);
	assert_int_equal(m.lcp.n_unknown + m.lcp.n_bad, 0);

	/* ... and re-encoding the typed view gives the captured bytes */
	uint8_t out[64];
	struct wr w;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_LCP, false, false), 2);
	assert_int_equal(ppp_lcp_conf_build(&w, PPP_CONF_REQ, 1, &m.lcp), 18);
	assert_wr_hex(&w, "c02101010012010405d40304c023050601fccbfb");

	/* the Ack of it (#10 echoes #9, id 2) via ppp_conf_echo */
	n = hex("01020012010405dc0304c023050601fccbfb", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_ACK, m.cp.id, &m.cp, &m.opts, ~UINT64_C(0)),
			 18);
	assert_wr_hex(&w, "02020012010405dc0304c023050601fccbfb");

	/* #8: Configure-Nak suggesting MRU 1500 */
	struct ppp_lcp_opts nak = {0};
	nak.present = PPP_OPT_BIT(PPP_LCP_OPT_MRU);
	nak.mru = 1500;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_lcp_conf_build(&w, PPP_CONF_NAK, 1, &nak), 8);
	assert_wr_hex(&w, "03010008010405dc");
}

static void lcp_chap_md5_option(void **state)
{
	(void)state;
	uint8_t b[64];
	struct ppp_frame f;
	struct ppp_lcp_pkt m;
	/* packetlife__PPP_negotiation.cap #1: Auth CHAP/MD5, Magic */
	size_t n = hex("ff03c0210101000f0305c223050506012ce96d", b, sizeof b);

	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_lcp_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.lcp.auth_proto, PPP_PROTO_CHAP);
	assert_int_equal(m.lcp.auth_data_len, 1);
	assert_int_equal(m.lcp.auth_data[0], PPP_CHAP_ALG_MD5);
	assert_int_equal(m.lcp.magic, 0x012ce96d);

	/* john-samples lulu #15: ACCM 0, MS-CHAPv2, Magic, PFC, ACFC */
	n = hex("ff03c021010100190206000000000305c223810506aa47110607020802", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_lcp_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.lcp.present, PPP_OPT_BIT(2) | PPP_OPT_BIT(3) | PPP_OPT_BIT(5) |
						PPP_OPT_BIT(7) | PPP_OPT_BIT(8));
	assert_int_equal(m.lcp.accm, 0);
	assert_int_equal(m.lcp.auth_data[0], PPP_CHAP_ALG_MSCHAPV2);
	assert_int_equal(m.lcp.magic, 0xaa471106);
}

static void lcp_callback_reject_echo(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_lcp_pkt m;
	struct wr w;
	/* john-samples lulu #17 (Windows): MRU 1400, Magic, PFC, ACFC, Callback 6 */
	size_t n = hex("010000150104057805060c6f3548070208020d0306", b, sizeof b);

	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.opts.n, 5);
	assert_int_equal(m.lcp.mru, 1400);
	assert_int_equal(m.lcp.callback_op, PPP_CALLBACK_CBCP);
	assert_int_equal(m.lcp.callback_msg_len, 0);
	assert_int_equal(m.opts.o[4].type, PPP_LCP_OPT_CALLBACK);
	/* #18 is pppd's Configure-Reject of the Callback option only */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_REJ, 0, &m.cp, &m.opts, UINT64_C(1) << 4), 7);
	assert_wr_hex(&w, "040000070d0306");
	/* a list that does not describe the packet is refused, not followed */
	struct ppp_optlist bad = m.opts;
	bad.o[0].off = 200;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_REJ, 0, &m.cp, &bad, 1), PPP_E_INVAL);
	assert_int_equal(ppp_conf_echo(&w, PPP_ECHO_REQ, 0, &m.cp, &m.opts, 1), PPP_E_INVAL);
}

static void lcp_multilink_options(void **state)
{
	(void)state;
	uint8_t b[64];
	struct ppp_frame f;
	struct ppp_lcp_pkt m;
	/* tcpdump__pptp.pcap #16: Magic, PFC, ACFC, Callback, MRRU, Endpoint
	 * Discriminator class 1 (locally assigned, 20 octets) */
	size_t n = hex("ff03c0210100002c0506021952cf070208020d03061104064e13170129f76a90"
		       "77f1472c835247f271d656070000000c", b, sizeof b);
	const uint8_t ep[20] = {0x29, 0xf7, 0x6a, 0x90, 0x77, 0xf1, 0x47, 0x2c, 0x83, 0x52,
				0x47, 0xf2, 0x71, 0xd6, 0x56, 0x07, 0x00, 0x00, 0x00, 0x0c};

	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_lcp_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.opts.n, 6);
	assert_int_equal(m.lcp.magic, 0x021952cf);
	assert_int_equal(m.lcp.mrru, 1614);
	assert_int_equal(m.lcp.epdisc_class, PPP_EPDISC_LOCAL);
	assert_int_equal(m.lcp.epdisc_len, 20);
	assert_memory_equal(m.lcp.epdisc, ep, 20);
	assert_int_equal(m.lcp.n_bad + m.lcp.n_unknown, 0);
	/* re-encode: same option order here, so the same bytes */
	uint8_t out[64];
	struct wr w;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_lcp_conf_build(&w, PPP_CONF_REQ, 0, &m.lcp), 44);
	assert_memory_equal(out, f.payload, 44);
}

static void lcp_every_option_round_trip(void **state)
{
	(void)state;
	uint8_t out[256];
	struct wr w;
	struct ppp_lcp_opts o = {0}, back;
	struct ppp_lcp_pkt m;

	o.present = PPP_OPT_BIT(1) | PPP_OPT_BIT(2) | PPP_OPT_BIT(3) | PPP_OPT_BIT(4) |
		    PPP_OPT_BIT(5) | PPP_OPT_BIT(7) | PPP_OPT_BIT(8) | PPP_OPT_BIT(13) |
		    PPP_OPT_BIT(17) | PPP_OPT_BIT(18) | PPP_OPT_BIT(19);
	o.mru = 1460;
	o.accm = 0x000a0000;
	o.auth_proto = PPP_PROTO_CHAP;
	o.auth_data_len = 1;
	o.auth_data[0] = PPP_CHAP_ALG_MD5;
	o.quality_proto = PPP_PROTO_LQR;
	o.quality_data_len = 4;
	memcpy(o.quality_data, "\x00\x00\x03\xe8", 4);
	o.magic = 0xdeadbeef;
	o.callback_op = PPP_CALLBACK_DIAL_STRING;
	o.callback_msg_len = 3;
	memcpy(o.callback_msg, "555", 3);
	o.mrru = 1524;
	o.epdisc_class = PPP_EPDISC_IPV4;
	o.epdisc_len = 4;
	memcpy(o.epdisc, "\x0a\x00\x00\x01", 4);

	wr_init(&w, out, sizeof out);
	int n = ppp_lcp_conf_build(&w, PPP_CONF_REQ, 0x42, &o);
	/* hand-assembled: RFC 1661 §6.1-6.6, RFC 1662 §7.1, RFC 1570 §2.3,
	 * RFC 1990 §5.1 */
	assert_wr_hex(&w, "01 42 0038"
			  "01 04 05b4"
			  "02 06 000a0000"
			  "03 05 c223 05"
			  "04 08 c025 000003e8"
			  "05 06 deadbeef"
			  "07 02"
			  "08 02"
			  "0d 06 01 353535"
			  "11 04 05f4"
			  "12 02"
			  "13 07 02 0a000001");
	assert_int_equal(n, 0x38);
	assert_int_equal(ppp_lcp_decode(out, (size_t)n, &m), PPP_OK);
	back = m.lcp;
	assert_int_equal(back.present, o.present);
	assert_int_equal(back.mru, o.mru);
	assert_int_equal(back.accm, o.accm);
	assert_int_equal(back.auth_proto, o.auth_proto);
	assert_int_equal(back.auth_data_len, 1);
	assert_int_equal(back.auth_data[0], 5);
	assert_int_equal(back.quality_proto, o.quality_proto);
	assert_memory_equal(back.quality_data, o.quality_data, 4);
	assert_int_equal(back.magic, o.magic);
	assert_int_equal(back.callback_op, o.callback_op);
	assert_memory_equal(back.callback_msg, "555", 3);
	assert_int_equal(back.mrru, o.mrru);
	assert_int_equal(back.epdisc_class, o.epdisc_class);
	assert_memory_equal(back.epdisc, o.epdisc, 4);

	/* each code 1..4 carries the same option encoding */
	for (uint8_t code = 1; code <= 4; code++) {
		wr_init(&w, out, sizeof out);
		assert_int_equal(ppp_lcp_conf_build(&w, code, 7, &o), 0x38);
		assert_int_equal(out[0], code);
		assert_int_equal(ppp_lcp_decode(out, w.off, &m), PPP_OK);
		assert_int_equal(m.lcp.present, o.present);
	}
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_lcp_conf_build(&w, 5, 7, &o), PPP_E_INVAL);
	wr_init(&w, out, 20);
	assert_int_equal(ppp_lcp_conf_build(&w, 1, 7, &o), PPP_E_NOSPACE);
	o.epdisc_len = 21;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_lcp_conf_build(&w, 1, 7, &o), PPP_E_INVAL);
}

static void lcp_option_flags(void **state)
{
	(void)state;
	uint8_t b[128];
	struct ppp_lcp_pkt m;
	/* MRU length 3, PFC length 3, FCS-Alternatives (unimplemented),
	 * Magic twice, Endpoint Discriminator IPv4 with 2 octets, class 9,
	 * Auth-Protocol with no protocol, vendor type 0, type 200 */
	size_t n = hex("0109 0030"
		       "0103 05"
		       "0703 00"
		       "0903 01"
		       "0506 11111111"
		       "0506 22222222"
		       "1305 02 0a00"
		       "1303 09"
		       "0303 c2"
		       "0006 00000101"
		       "c802"
		       "0104 0400", b, sizeof b);
	const uint8_t want[] = {PPP_OPT_F_BAD, PPP_OPT_F_BAD, PPP_OPT_F_UNKNOWN, 0,
				PPP_OPT_F_DUP, PPP_OPT_F_BAD, PPP_OPT_F_BAD, PPP_OPT_F_BAD,
				PPP_OPT_F_UNKNOWN, PPP_OPT_F_UNKNOWN, 0};

	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.opts.n, 11);
	for (unsigned i = 0; i < 11; i++)
		assert_int_equal(m.opts.o[i].flags, want[i]);
	assert_int_equal(m.lcp.n_bad, 5);
	assert_int_equal(m.lcp.n_unknown, 3);
	/* the second, well-formed MRU is the one kept; the first Magic wins */
	assert_int_equal(m.lcp.present, PPP_OPT_BIT(1) | PPP_OPT_BIT(5));
	assert_int_equal(m.lcp.mru, 1024);
	assert_int_equal(m.lcp.magic, 0x11111111);
	assert_int_equal(m.lcp.epdisc_class, 0);

	/* Reject every unknown option byte-for-byte, in order */
	uint64_t sel = 0;
	for (unsigned i = 0; i < m.opts.n; i++)
		if (m.opts.o[i].flags & PPP_OPT_F_UNKNOWN)
			sel |= UINT64_C(1) << i;
	uint8_t out[64];
	struct wr w;
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, PPP_CONF_REJ, 9, &m.cp, &m.opts, sel), 15);
	assert_wr_hex(&w, "0409000f 090301 000600000101 c802");
}

/* ---- other LCP codes ---------------------------------------------------- */

static void lcp_echo_ident_protrej(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_lcp_pkt m;
	struct wr w;
	size_t n;

	/* zeek #28: Echo-Request, Magic 0x05fcd459, data 01fccbfb */
	n = hex("0901000c05fcd45901fccbfb", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.magic, 0x05fcd459);
	assert_int_equal(m.rest_len, 4);
	assert_memory_equal(m.rest, b + 8, 4);
	/* zeek #29: the reply, rebuilt */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_echo_build(&w, PPP_ECHO_REP, 1, 0x01fccbfb, m.rest, m.rest_len), 12);
	assert_wr_hex(&w, "0a01000c01fccbfb01fccbfb");
	/* john-samples #27: Echo-Request with only the Magic-Number */
	n = hex("09000008aa471106", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.magic, 0xaa471106);
	assert_int_equal(m.rest_len, 0);
	/* Echo/Discard/Identification without a Magic-Number */
	for (uint8_t code = 9; code <= 12; code++) {
		b[0] = code;
		hex("01 0004", b + 1, 3);
		assert_int_equal(ppp_lcp_decode(b, 4, &m), PPP_E_DATA);
		hex("01 0007 aabbcc", b + 1, 6);
		assert_int_equal(ppp_lcp_decode(b, 7, &m), PPP_E_DATA);
	}

	/* john-samples #31: Identification "MSRASV5.20" */
	n = hex("0c0200120c6f35484d5352415356352e3230", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_IDENTIFICATION);
	assert_int_equal(m.magic, 0x0c6f3548);
	assert_int_equal(m.rest_len, 10);
	assert_memory_equal(m.rest, "MSRASV5.20", 10);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_ident_build(&w, 2, 0x0c6f3548, "MSRASV5.20", 10), 18);
	assert_memory_equal(out, b, n);

	/* john-samples #39: Protocol-Reject of IPV6CP (Linux pppd) */
	n = hex("0802001480570105000e010adc15159b5957c96d", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_OK);
	assert_int_equal(m.rej_proto, PPP_PROTO_IPV6CP);
	assert_int_equal(m.rest_len, 14);
	uint8_t info[16];
	size_t ni = hex("0105000e010adc15159b5957c96d", info, sizeof info);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_proto_rej_build(&w, 2, PPP_PROTO_IPV6CP, info, ni, 1500), 20);
	assert_memory_equal(out, b, n);
	/* truncated to an MRU of 8: two octets of information left */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_proto_rej_build(&w, 3, PPP_PROTO_IPV6CP, info, ni, 8), 8);
	assert_wr_hex(&w, "08030008 8057 0105");
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_proto_rej_build(&w, 3, PPP_PROTO_IPV6CP, info, ni, 5), PPP_E_INVAL);
	/* Protocol-Reject too short to name a protocol */
	n = hex("08020005 80", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_DATA);
}

static void lcp_term_coderej_timerem(void **state)
{
	(void)state;
	uint8_t b[64], out[64];
	struct ppp_lcp_pkt m;
	struct wr w;
	size_t n;

	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_term_build(&w, PPP_TERM_REQ, 3, "bye", 3), 7);
	assert_wr_hex(&w, "05030007627965");
	assert_int_equal(ppp_lcp_decode(out, w.off, &m), PPP_OK);
	assert_int_equal(m.rest_len, 3);
	assert_memory_equal(m.rest, "bye", 3);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_term_build(&w, PPP_TERM_ACK, 3, NULL, 0), 4);
	assert_wr_hex(&w, "06030004");
	assert_int_equal(ppp_lcp_decode(out, w.off, &m), PPP_OK);
	assert_int_equal(m.rest_len, 0);
	assert_int_equal(ppp_term_build(&w, PPP_CONF_REQ, 3, NULL, 0), PPP_E_INVAL);

	/* Code-Reject of an unknown code 0x20, echoing the packet */
	n = hex("2007000a 0102030405 06", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_CODE);
	assert_int_equal(m.cp.code, 0x20);	/* header kept for the reply */
	assert_int_equal(m.cp.len, 10);
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_code_rej_build(&w, 8, m.cp.pkt, m.cp.len, 1500), 14);
	assert_wr_hex(&w, "0708000e 2007000a0102030405 06");
	assert_int_equal(ppp_lcp_decode(out, w.off, &m), PPP_OK);
	assert_int_equal(m.cp.code, PPP_CODE_REJ);
	assert_int_equal(m.rest_len, 10);
	assert_int_equal(m.rest[0], 0x20);
	/* truncated to fit an MRU of 9 */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_code_rej_build(&w, 8, b, n, 9), 9);
	assert_wr_hex(&w, "07080009 2007000a01");
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_code_rej_build(&w, 8, b, n, 3), PPP_E_INVAL);
	/* Code-Reject rejecting nothing */
	n = hex("07010004", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_DATA);
	/* code 0 is not a code either */
	n = hex("00010004", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_CODE);

	/* RFC 1570 §1.2 Time-Remaining: Magic, Seconds, Message */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_time_rem_build(&w, 5, 0x01020304, 3600, "ok", 2), 14);
	assert_wr_hex(&w, "0d05000e 01020304 00000e10 6f6b");
	assert_int_equal(ppp_lcp_decode(out, w.off, &m), PPP_OK);
	assert_int_equal(m.magic, 0x01020304);
	assert_int_equal(m.seconds, 3600);
	assert_int_equal(m.rest_len, 2);
	n = hex("0d05000b 01020304 000e10", b, sizeof b);
	assert_int_equal(ppp_lcp_decode(b, n, &m), PPP_E_DATA);

	/* RFC 1661 §5.9 Discard-Request */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_echo_build(&w, PPP_DISCARD_REQ, 6, 0xcafebabe, "x", 1), 9);
	assert_wr_hex(&w, "0b060009 cafebabe 78");
	assert_int_equal(ppp_lcp_decode(out, w.off, &m), PPP_OK);
	assert_int_equal(m.magic, 0xcafebabe);
	assert_int_equal(ppp_echo_build(&w, PPP_TERM_REQ, 6, 0, NULL, 0), PPP_E_INVAL);
}

static void builders_into_one_buffer(void **state)
{
	(void)state;
	uint8_t out[32];
	struct wr w;
	struct ppp_frame f;
	struct ppp_lcp_pkt m;

	/* header then packet in one caller buffer, as the data path sends */
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_frame_hdr_write(&w, PPP_PROTO_LCP, true, false), 4);
	assert_int_equal(ppp_echo_build(&w, PPP_ECHO_REQ, 1, 0x11223344, NULL, 0), 8);
	assert_wr_hex(&w, "ff03c021 09010008 11223344");
	assert_int_equal(ppp_frame_decode(out, w.off, &f), PPP_OK);
	assert_int_equal(ppp_lcp_decode(f.payload, f.payload_len, &m), PPP_OK);
	assert_int_equal(m.magic, 0x11223344);

	/* every short buffer size fails cleanly with NOSPACE */
	for (size_t cap = 0; cap < 8; cap++) {
		wr_init(&w, out, cap);
		assert_int_equal(ppp_echo_build(&w, PPP_ECHO_REQ, 1, 1, NULL, 0), PPP_E_NOSPACE);
	}
	/* an option value too large for the Length octet */
	uint8_t big[300] = {0};
	uint8_t out2[400];
	wr_init(&w, out2, sizeof out2);
	size_t at = ppp_cp_begin(&w, PPP_CONF_REQ, 1);
	ppp_opt_put(&w, 1, big, 254);
	assert_true(ppp_cp_end(&w, at) < 0);
	wr_init(&w, out2, sizeof out2);
	at = ppp_cp_begin(&w, PPP_CONF_REQ, 1);
	ppp_opt_put(&w, 1, big, 253);
	assert_int_equal(ppp_cp_end(&w, at), 4 + 255);
	assert_int_equal(ppp_cp_build(&w, 1, 1, big, 65535), PPP_E_INVAL);
}

/* ---- malformed captures ------------------------------------------------- */

static void malformed_captures(void **state)
{
	(void)state;
	uint8_t b[128];
	struct ppp_frame f;
	struct ppp_lcp_pkt m;
	struct ppp_ncp_pkt nm;
	size_t n;

	/* tcpdump ppp_ccp_config_deflate_option_asan: CCP Conf-Req, Length 15
	 * but 7 octets, then the same with Length fixed: the option claims 5 */
	n = hex("80fd01df000f1805ff", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(f.proto, PPP_PROTO_CCP);
	assert_int_equal(ppp_ncp_decode(f.proto, f.payload, f.payload_len, &nm), PPP_E_LEN_OVER);
	n = hex("80fd01df00071805ff", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_ncp_decode(f.proto, f.payload, f.payload_len, &nm),
			 PPP_E_OPT_OVERRUN);

	/* tcpdump ppp-invalid-lengths (first 32 octets): IPCP Conf-Nak whose
	 * Length 0x2103 is far beyond the data */
	n = hex("80210380210302da006161616161636161616179dcdcdcdc630e00090000000d", b,
		sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(ppp_ncp_decode(f.proto, f.payload, f.payload_len, &nm), PPP_E_LEN_OVER);
	/* same, with the Length cut to the data: option 02 da overruns */
	b[4] = 0x00;
	b[5] = (uint8_t)(n - 2);
	assert_int_equal(ppp_ncp_decode(f.proto, f.payload, f.payload_len, &nm),
			 PPP_E_OPT_OVERRUN);

	/* tcpdump ppp_error_hexdump: "ff 60 7e 80 21 ..." is protocol 0x00ff */
	n = hex("ff607e80210100002d6604006c72", b, sizeof b);
	assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
	assert_int_equal(f.proto, 0x00ff);
	assert_null(ppp_proto_name(f.proto));

	/* LCP control packets cut at every length never read past the end */
	n = hex("0101 0012 010405d4 0304c023 050601fccbfb", b, sizeof b);
	for (size_t cut = 0; cut < n; cut++) {
		int rc = ppp_lcp_decode(b, cut, &m);
		assert_true(rc == PPP_E_PKT_SHORT || rc == PPP_E_LEN_OVER);
	}
	/* and Length shortened at every value: below 4 -> under; else an
	 * option overrun or a clean cut between options */
	for (uint8_t len = 0; len < 0x12; len++) {
		b[3] = len;
		int rc = ppp_lcp_decode(b, n, &m);
		if (len < 4)
			assert_int_equal(rc, PPP_E_LEN_UNDER);
		else if (len == 4 || len == 8 || len == 12)
			assert_int_equal(rc, PPP_OK);
		else
			assert_true(rc == PPP_E_OPT_OVERRUN || rc == PPP_E_OPT_LEN);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frame_with_and_without_ac),
		cmocka_unit_test(frame_malformed),
		cmocka_unit_test(frame_header_write),
		cmocka_unit_test(cp_header),
		cmocka_unit_test(options_malformed),
		cmocka_unit_test(option_iteration_and_names),
		cmocka_unit_test(names),
		cmocka_unit_test(lcp_zeek_confreq_and_nak),
		cmocka_unit_test(lcp_chap_md5_option),
		cmocka_unit_test(lcp_callback_reject_echo),
		cmocka_unit_test(lcp_multilink_options),
		cmocka_unit_test(lcp_every_option_round_trip),
		cmocka_unit_test(lcp_option_flags),
		cmocka_unit_test(lcp_echo_ident_protrej),
		cmocka_unit_test(lcp_term_coderej_timerem),
		cmocka_unit_test(builders_into_one_buffer),
		cmocka_unit_test(malformed_captures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
