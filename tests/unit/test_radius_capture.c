/*
 * RADIUS codec against real packets of ../shared/captures (payloads
 * extracted with `tshark -r FILE -Y radius -T fields -e udp.payload`):
 *
 *  - radius/john-samples__radius-sample-1.pcapng (secret "true"): a GGSN's
 *    Accounting-Request Start/Interim/Stop/Start with 3GPP VSAs and the
 *    server's Accounting-Responses;
 *  - radius/john-samples__radius-sample-4.pcapng (secret "testing123"):
 *    FreeRADIUS on localhost, EAP-MD5, PAP and CHAP, each request with a
 *    Message-Authenticator, some replies with one; frames 15-19 use another
 *    secret;
 *  - radius/tcpdump__RADIUS-RFC5176.pcap (secret "testing123", found by
 *    trying it: the Disconnect-Request of frame 1 verifies);
 *  - shapes: RFC 3162 prefixes with wrong lengths, RFC 5176 Error-Cause,
 *    RFC 5447 attributes, CoA on port 1700;
 *  - malformed/tcpdump__radius_rfc5447_invalid_length.pcap and
 *    malformed/tcpdump__radius_attr_asan.pcap (payload after its IP options).
 *
 * Which frame holds what was checked with python3 (hashlib/hmac) before
 * being written down here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codec/radius.h"

#define SEC(s) (const uint8_t *)(s), (sizeof(s) - 1)

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && n < cap) {
		unsigned v = 0;
		for (int i = 0; i < 2; i++) {
			char c = s[i];
			v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		}
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

struct frame {
	uint8_t b[RADIUS_MAX_LEN];
	size_t n;
	struct radius_pkt p;
};

static void load(struct frame *f, const char *hex)
{
	f->n = unhex(hex, f->b, sizeof f->b);
	assert_int_equal(radius_decode(f->b, f->n, &f->p), RADIUS_OK);
	assert_int_equal(f->p.len, f->n);
}

static const char S1_F1[] =
	"0413019cf1c2adc328be3e7625b3f4f429ac2169280600000001330600000001370652e7"
	"76952d0600000001290600000000320a64323030303030621f0d36363933373936303434"
	"3208060a2800012c126234643663386434643230303030306204060a5082810706000000"
	"071e0b72696e7465726e6574010b72696e7465726e65743d060000000506060000000205"
	"060001adb157055547571a17000028af01113532303034343030303031333531331a0c00"
	"0028af0206d200000b1a0c000028af0306000000001a0c000028af04060a5081121a2700"
	"0028af052130352d30623931316637313936663466653434323966666666303034613030"
	"1a0c000028af0606b4d6c86c1a0c000028af0706b4d6c8d41a0d000028af080735323030"
	"341a0d000028af090735323030341a09000028af0a03351a09000028af0c03311a0c0000"
	"28af0d06303830301a0d000028af120735323030341a17000028af141139393030303239"
	"30323030343331301a09000028af1503011a10000028af160a0125f04006561bf81a0a00"
	"0028af170482001a09000028af1a030a";
static const char S1_F6[] =
	"051300148074b7315aa04d720a00fdf8647509d4";
static const char S1_F9[] =
	"041401a09206b4b100eead22bd546ee9af88f06e2806000000032a060000b6782b060004"
	"fcf52f06000001bb300600000161330600000001370652e776ae2d060000000129060000"
	"00002e0600000019320a64323030303030621f0d363639333739363034343208060a2800"
	"012c126234643663386434643230303030306204060a5082810706000000071e0b72696e"
	"7465726e6574010b72696e7465726e65743d060000000506060000000205060001adb157"
	"055547571a17000028af01113532303034343030303031333531331a0c000028af0206d2"
	"00000b1a0c000028af0306000000001a0c000028af04060a5081121a1f000028af051930"
	"382d34343036303030303230303030303030613431301a0c000028af0606b4d6c8761a0c"
	"000028af0706b4d6c8d41a0d000028af080735323030341a0d000028af09073532303034"
	"1a09000028af0a03351a09000028af0c03311a0c000028af0d06303830301a0d000028af"
	"120735323030341a09000028af1503061a15000028af160f8225f04003ec25f040009088"
	"021a0a000028af170482001a09000028af1a0312";
static const char S1_F13[] =
	"05140014aa16e8db1c248e2ed87c11f1f9c948f3";
static const char S1_F15[] =
	"041501affef3531e8fb5560f89bd64254a7f84f52806000000023106000000012a060000"
	"b6782b060004fcf52f06000001bb300600000161330600000001370652e776ae2d060000"
	"00012906000000002e0600000019320a64323030303030621f0d36363933373936303434"
	"3208060a2800012c126234643663386434643230303030306204060a5082810706000000"
	"071e0b72696e7465726e6574010b72696e7465726e65743d060000000506060000000205"
	"060001adb157055547571a17000028af01113532303034343030303031333531331a0c00"
	"0028af0206d200000b1a0c000028af0306000000001a0c000028af04060a5081121a1f00"
	"0028af051930382d36633039303030306333353030303031346666301a0c000028af0606"
	"b4d6c8761a0c000028af0706b4d6c8d41a0d000028af080735323030341a0d000028af09"
	"0735323030341a09000028af0a03351a09000028af0b03ff1a09000028af0c03311a0c00"
	"0028af0d06303830301a0d000028af120735323030341a09000028af1503061a15000028"
	"af160f8225f04003ec25f040009088021a0a000028af170482001a09000028af1a0300";
static const char S1_F18[] =
	"051500148070f2055ece7079877ff9976332b5f6";
static const char S1_F23[] =
	"0415019c666bb3188e633cd1aa82bc7a7aa66904280600000001330600000001370652e7"
	"76e72d0600000001290600000000320a63323030303030631f0d36363933373936303434"
	"3208060a30000e2c126234643663386434633230303030306304060a5082810706000000"
	"071e0b72696e7465726e6574010b72696e7465726e65743d060000000506060000000205"
	"060001adb157055547571a17000028af01113532303034343030303031333531331a0c00"
	"0028af0206c200000c1a0c000028af0306000000001a0c000028af04060a5081121a2700"
	"0028af052130352d30623931316637313936663466653434323966666666303034613030"
	"1a0c000028af0606b4d6c8621a0c000028af0706b4d6c8d41a0d000028af080735323030"
	"341a0d000028af090735323030341a09000028af0a03351a09000028af0c03311a0c0000"
	"28af0d06303830301a0d000028af120735323030341a17000028af141139393030303239"
	"30323030343331301a09000028af1503011a10000028af160a0125f04006561bf81a0a00"
	"0028af170482001a09000028af1a030a";
static const char S1_F28[] =
	"0515001454b512ed22df6c4e877b6d177236ce7f";
static const char S4_F1[] =
	"0167005740b664dbf5d681b2adbd1769515118c8010773746576650212dbc6c4b758be14"
	"f005b3877c9e2fb6010406c0a8001c05060000007b50125f0f8647e8c89bd881364268fc"
	"d045324f0c0266000a017374657665";
static const char S4_F2[] =
	"0b67008383ece707a2f31bb65badfb22a64023d90606000000020706000000010806ac10"
	"03210906ffffff000a06000000030b097374642e7070700c06000005dc0d06000000014f"
	"18016700160410ff0bf1d6e401a9cbe5b46eb943e5549a50126e794a020c45c66f4247ba"
	"8c5ff04ed11812736f868573088277414ae3f31eac34e9";
static const char S4_F3[] =
	"01680075b3e22ff855a690280e6c3444c46e663b010773746576650212fb92fb798ed9d6"
	"30275018e45c6c8ba20406c0a8001c05060000007b50128f34afd11960af922582abea64"
	"ffc2f31812736f868573088277414ae3f31eac34e94f18026700160410c76e1d28726fd1"
	"c0cb671a5424168d26";
static const char S4_F4[] =
	"0368002c71624da25c0b5897f70539e019a81eae4f06046700045012ce70fe87a997b44d"
	"e583cd19bea29321";
static const char S4_F5[] =
	"01710057a4e48005358cafa1bdd4fc63eb8bc47601077374657665021215b2ec9a8dcf3e"
	"08037384aac161a8b50406c0a8001c05060000007b50124f0d82ff3605618aa3865f5a72"
	"9014794f0c0270000a017374657665";
static const char S4_F6[] =
	"0b71008333fd82fc521b41a414e3f8e418275d450606000000020706000000010806ac10"
	"03210906ffffff000a06000000030b097374642e7070700c06000005dc0d06000000014f"
	"18017100160410ba0bf4a7e7177359caa52e7eb10d9d0b501259fdf234544b48d7c932e7"
	"bd721aa8d41812dbe0f49fdb91f0d023718fe66f2de007";
static const char S4_F7[] =
	"017200758ab086d60ae57ca04652a68710e630de010773746576650212c0238daf7ea499"
	"d48be32512a0ae5bc70406c0a8001c05060000007b5012c50b17d546cdf7c0a0bfffbdd3"
	"5a72801812dbe0f49fdb91f0d023718fe66f2de0074f1802710016041036d93b94f14271"
	"4e95061613640ed36d";
static const char S4_F8[] =
	"02720066e6c459f60763148765355164ac5994140606000000020706000000010806ac10"
	"03210906ffffff000a06000000030b097374642e7070700c06000005dc0d06000000014f"
	"0603710004501269ff0aab721668cd28256de57573b9bd01077374657665";
static const char S4_F9[] =
	"0161004b27896aa2d9719bb136ca6d51d925ea83010773746576650212e47fedf8e66d2b"
	"6211407090b929f0030406c0a8001c05060000007b50125e3adc9efc352420e8ca852cdf"
	"d202dd";
static const char S4_F10[] =
	"026100478f2f54cfbb2b5e386e6d252cabd468910606000000020706000000010806ac10"
	"03210906ffffff000a06000000030b097374642e7070700c06000005dc0d0600000001";
static const char S4_F11[] =
	"01a8004c95bbe85b56ad0aa36dd80f9b7c59067d010773746576650313a80574ae2c413a"
	"393f07b5564984bda7400406c0a8001c05060000007b50129da0af08542770931216d4a4"
	"cf110bf3";
static const char S4_F12[] =
	"02a8004776d70f96ce405e457bdb0861cc33eacc0606000000020706000000010806ac10"
	"03210906ffffff000a06000000030b097374642e7070700c06000005dc0d0600000001";
static const char S4_F13[] =
	"012b004b6f75df8862888f90d4f6ff19ae4f38fb0107737465766502121a6c451bc3a845"
	"7e4a5039e36c4843b60406c0a8001c05060000007b5012aa5dcc5ab695fb6baf1cec851f"
	"601e22";
static const char S4_F14[] =
	"032b001442d5fe68699de5322f636f566bdd10f3";
static const char S4_F15[] =
	"01b8004b00efa0456c0755d2c0509338beff484001077374657665021246b90761ed64b6"
	"2835c166d070fb53eb0406c0a8001c05060000007b5012c8f4e9e54928fbaec3bb91f76a"
	"43684c";
static const char S4_F16[] =
	"01b8004b00efa0456c0755d2c0509338beff484001077374657665021246b90761ed64b6"
	"2835c166d070fb53eb0406c0a8001c05060000007b5012c8f4e9e54928fbaec3bb91f76a"
	"43684c";
static const char S4_F17[] =
	"01b8004b00efa0456c0755d2c0509338beff484001077374657665021246b90761ed64b6"
	"2835c166d070fb53eb0406c0a8001c05060000007b5012c8f4e9e54928fbaec3bb91f76a"
	"43684c";
static const char S4_F18[] =
	"0194004b49b92b106a475b3d86687e511514e5ac010773746576650212002d2837536d16"
	"291de218b46ca0bd920406c0a8001c05060000007b5012da2e52a7d91ff9f1355c012060"
	"33d610";
static const char S4_F19[] =
	"02940047f8ee562ed9f55c3a6681982499070d570606000000020706000000010806ac10"
	"03210906ffffff000a06000000030b097374642e7070700c06000005dc0d0600000001";
static const char DAE_F1[] =
	"28010026e1792d2b4ab349f1a4c0fcc733d091c1501258513d662847e5f8734a30dbdac8"
	"e4af";
static const char DAE_F2[] =
	"290200263bc9c343f689990756b96c583a56890a5012a74fa4bea5e08c870edb69432c27"
	"7d17";
static const char DAE_F3[] =
	"2a030026d867c308c9c43112b3a669a0e8c0ab8c50121bdbc1709249ede4da288122a087"
	"b8ae";
static const char DAE_F4[] =
	"2b0400265f18309be67cd6150fe4c3a0b93536c950122703ee367cd046d1dfbc5fe5b3cf"
	"5bbf";
static const char DAE_F5[] =
	"2c05002655ab6cb78aa161d692753fa9130c50195012e4dfa9eeddf9d216de2be1780adc"
	"bb73";
static const char DAE_F6[] =
	"2d06002640f21bdee27a87a5d757a30bfed62f285012852579e8e2e5dcbd781a9007266a"
	"06a7";
static const char RFC3162_F1[] =
	"01f0008d2afdb090418ac6365298fbbb15e0fd2e0105626f62021245e8d5daead87e4015"
	"e0fcc0ec0f08a15f1220010db80a0b12f000000000000000016114004020010db80a0b12"
	"f00000000000000000610c004020010db80a0b12f0610400006103006115004020010db8"
	"0a0b12f00000000000000000006114008120010db80a0b12f00000000000000001";
static const char RFC5176_2_F1[] =
	"01c80037bc6e7022445e359835692c8c121c19850105626f62021212f41bff810dbe2294"
	"a8eedc62c57d036506000000c96506000000d1";
static const char RFC5447_F1[] =
	"014f00385bec15a7f3ac1590f65629a9f979c34001076c757365727c0a00000600000000"
	"017d132020010db8000000000000000000000000";
static const char PORT1700_F1[] =
	"2ba600197fbf02c6662b5990838a5e6e331b3ff00105626f62";

static uint32_t u32_of(const struct radius_pkt *p, uint8_t type)
{
	struct radius_attr a;
	uint32_t v = 0;
	assert_int_equal(radius_find(p, type, &a), 1);
	assert_int_equal(radius_attr_u32(&a, &v), 0);
	return v;
}

/* Accounting: every request's authenticator (RFC 2866 §3) and every
 * response's (answering the request with the same Identifier). */
static void test_sample1_accounting(void **state)
{
	(void)state;
	static const char *const req[] = { S1_F1, S1_F9, S1_F15, S1_F23 };
	static const char *const resp[] = { S1_F6, S1_F13, S1_F18, S1_F28 };
	static const uint32_t status[] = { RADIUS_ACCT_START, RADIUS_ACCT_INTERIM_UPDATE,
					   RADIUS_ACCT_STOP, RADIUS_ACCT_START };
	static struct frame q, r;
	for (int i = 0; i < 4; i++) {
		load(&q, req[i]);
		load(&r, resp[i]);
		assert_int_equal(q.p.code, RADIUS_ACCOUNTING_REQUEST);
		assert_int_equal(r.p.code, RADIUS_ACCOUNTING_RESPONSE);
		assert_int_equal(radius_verify_request(&q.p, SEC("true"), false), RADIUS_OK);
		assert_int_equal(radius_verify_request(&q.p, SEC("false"), false),
				 RADIUS_E_AUTH_BAD);
		assert_int_equal(radius_verify_response(&r.p, q.p.id, q.p.auth, SEC("true"), false),
				 RADIUS_OK);
		assert_int_equal(radius_verify_response(&r.p, q.p.id, q.p.auth, SEC("true"), true),
				 RADIUS_E_MSG_AUTH_MISSING);
		assert_int_equal(u32_of(&q.p, RADIUS_ATTR_ACCT_STATUS_TYPE), status[i]);
	}
	/* the Stop carries Acct-Terminate-Cause User-Request */
	load(&q, S1_F15);
	assert_int_equal(u32_of(&q.p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), RADIUS_TERM_USER_REQUEST);
	/* a response checked against the wrong request */
	load(&q, S1_F1);
	load(&r, S1_F13);
	assert_int_equal(radius_verify_response(&r.p, q.p.id, q.p.auth, SEC("true"), false),
			 RADIUS_E_ID);
	assert_int_equal(radius_verify_response(&r.p, r.p.id, q.p.auth, SEC("true"), false),
			 RADIUS_E_AUTH_BAD);

	/* 3GPP VSAs (vendor 10415) are kept raw: not a vendor whose layout we
	 * check, yet they follow §5.26 and iterate cleanly */
	struct radius_iter it;
	struct radius_attr a;
	int vsas = 0;
	radius_iter_init(&it, &q.p);
	while (radius_next(&it, &a) > 0) {
		if (a.type != RADIUS_ATTR_VENDOR_SPECIFIC)
			continue;
		struct radius_vsa_iter vi;
		struct radius_vsa s;
		assert_int_equal(radius_vsa_init(&vi, &a), 0);
		assert_int_equal(vi.vendor, 10415);
		assert_int_equal(radius_vsa_next(&vi, &s), 1);
		assert_int_equal(s.len + 8, a.len + 2);
		assert_int_equal(radius_vsa_next(&vi, &s), 0);
		vsas++;
	}
	assert_int_equal(vsas, 18);
}

struct s4 {
	const char *req, *resp; /* resp NULL: no answer captured */
	const char *password;	/* PAP password, NULL: none */
	bool resp_ma;		/* the reply carries a Message-Authenticator */
};

/* Access-Request Message-Authenticators, Response Authenticators, reply
 * Message-Authenticators and User-Password of FreeRADIUS's exchanges. */
static void test_sample4_access(void **state)
{
	(void)state;
	static const struct s4 ex[] = {
		{ S4_F1, S4_F2, "bad", true },	    /* EAP-MD5 -> Access-Challenge */
		{ S4_F3, S4_F4, "bad", true },	    /* -> Access-Reject */
		{ S4_F5, S4_F6, "testing", true },  /* EAP-MD5 -> Access-Challenge */
		{ S4_F7, S4_F8, "testing", true },  /* -> Access-Accept */
		{ S4_F9, S4_F10, "testing", false },	/* PAP -> Access-Accept */
		{ S4_F11, S4_F12, NULL, false },	/* CHAP -> Access-Accept */
		{ S4_F13, S4_F14, "bad_password", false }, /* PAP -> Access-Reject */
	};
	static const uint8_t codes[] = { 11, 3, 11, 2, 2, 2, 3 };
	static struct frame q, r;
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		load(&q, ex[i].req);
		load(&r, ex[i].resp);
		assert_int_equal(q.p.code, RADIUS_ACCESS_REQUEST);
		assert_int_equal(r.p.code, codes[i]);
		assert_true(q.p.msg_auth_off != 0);
		assert_int_equal(radius_verify_request(&q.p, SEC("testing123"), true), RADIUS_OK);
		assert_int_equal(radius_verify_request(&q.p, SEC("testing124"), true),
				 RADIUS_E_MSG_AUTH_BAD);
		assert_int_equal(radius_verify_response(&r.p, q.p.id, q.p.auth, SEC("testing123"),
							ex[i].resp_ma), RADIUS_OK);
		assert_int_equal(r.p.msg_auth_off != 0, ex[i].resp_ma);
		if (!ex[i].resp_ma)
			assert_int_equal(radius_verify_response(&r.p, q.p.id, q.p.auth,
								SEC("testing123"), true),
					 RADIUS_E_MSG_AUTH_MISSING);

		struct radius_attr a;
		assert_int_equal(radius_find(&q.p, RADIUS_ATTR_USER_NAME, &a), 1);
		assert_int_equal(a.len, 5);
		assert_memory_equal(a.v, "steve", 5);
		if (ex[i].password) {
			uint8_t pw[RADIUS_PASSWORD_MAX];
			size_t want = strlen(ex[i].password);
			assert_int_equal(radius_find(&q.p, RADIUS_ATTR_USER_PASSWORD, &a), 1);
			assert_int_equal(radius_password_unhide(a.v, a.len, SEC("testing123"),
								q.p.auth, pw), (int)want);
			assert_memory_equal(pw, ex[i].password, want);
		} else {
			assert_int_equal(radius_find(&q.p, RADIUS_ATTR_USER_PASSWORD, &a), 0);
		}

		/* flip one octet of the reply: the Response Authenticator
		 * no longer verifies */
		r.b[r.n - 1] ^= 0x01;
		assert_int_equal(radius_verify_response(&r.p, q.p.id, q.p.auth,
							SEC("testing123"), false),
				 RADIUS_E_AUTH_BAD);
	}

	/* CHAP (frame 11): CHAP-Password = Ident 0xa8 + 16 octets, the
	 * challenge being the Request Authenticator (RFC 2865 §5.3) */
	load(&q, S4_F11);
	struct radius_attr a;
	assert_int_equal(radius_find(&q.p, RADIUS_ATTR_CHAP_PASSWORD, &a), 1);
	assert_int_equal(a.len, 17);
	assert_int_equal(a.v[0], 0xa8);
	assert_int_equal(radius_find(&q.p, RADIUS_ATTR_CHAP_CHALLENGE, &a), 0);
	load(&r, S4_F12);
	assert_int_equal(u32_of(&r.p, RADIUS_ATTR_FRAMED_IP_ADDRESS), 0xac100321);
	assert_int_equal(u32_of(&r.p, RADIUS_ATTR_FRAMED_MTU), 1500);
	assert_int_equal(radius_find(&r.p, RADIUS_ATTR_FILTER_ID, &a), 1);
	assert_memory_equal(a.v, "std.ppp", 7);

	/* frames 15-17: a client with the wrong secret, retransmitted
	 * unchanged and never answered; 18-19: another secret altogether */
	static const char *const wrong[] = { S4_F15, S4_F16, S4_F17, S4_F18 };
	for (int i = 0; i < 4; i++) {
		load(&q, wrong[i]);
		assert_int_equal(radius_verify_request(&q.p, SEC("testing123"), true),
				 RADIUS_E_MSG_AUTH_BAD);
	}
	load(&r, S4_F19);
	assert_int_equal(radius_verify_response(&r.p, q.p.id, q.p.auth, SEC("testing123"), false),
			 RADIUS_E_AUTH_BAD);
}

/* RFC 5176 capture: frame 1 is a complete Disconnect-Request (authenticator
 * and Message-Authenticator over zeros, §3.5). The other five were made by
 * a tool that put a random authenticator in each and keyed the
 * Message-Authenticator over it: they decode, their MA matches that
 * construction, and they do not pass as genuine DAE packets. */
static void test_dae_capture(void **state)
{
	(void)state;
	static struct frame f;
	load(&f, DAE_F1);
	assert_int_equal(f.p.code, RADIUS_DISCONNECT_REQUEST);
	assert_int_equal(radius_verify_request(&f.p, SEC("testing123"), true), RADIUS_OK);

	static const char *const other[] = { DAE_F2, DAE_F3, DAE_F4, DAE_F5, DAE_F6 };
	static const uint8_t codes[] = { 41, 42, 43, 44, 45 };
	for (int i = 0; i < 5; i++) {
		load(&f, other[i]);
		assert_int_equal(f.p.code, codes[i]);
		assert_int_equal(f.p.msg_auth_off, 22);
		uint8_t mac[16];
		radius_msg_auth_compute(f.b, f.n, f.p.msg_auth_off, f.p.auth, SEC("testing123"), mac);
		assert_memory_equal(mac, f.b + 22, 16);
	}
	load(&f, DAE_F4);
	assert_int_equal(radius_verify_request(&f.p, SEC("testing123"), false), RADIUS_E_AUTH_BAD);

	load(&f, PORT1700_F1);
	assert_int_equal(f.p.code, RADIUS_COA_REQUEST);
	assert_int_equal(f.p.id, 166);
	assert_int_equal(f.p.n_attrs, 1);

	load(&f, RFC5176_2_F1);
	struct radius_iter it;
	struct radius_attr a;
	radius_iter_init(&it, &f.p);
	uint32_t causes[2], v;
	int k = 0;
	while (radius_next(&it, &a) > 0)
		if (a.type == RADIUS_ATTR_ERROR_CAUSE) {
			assert_int_equal(radius_attr_u32(&a, &v), 0);
			causes[k++] = v;
		}
	assert_int_equal(k, 2);
	assert_int_equal(causes[0], RADIUS_EC_RESIDUAL_CONTEXT_REMOVED);
	assert_int_equal(causes[1], 209);
}

/* RFC 3162 §2.3: six Framed-IPv6-Prefix, three of them malformed. The
 * packet itself is well framed; the typed reader refuses the bad ones. */
static void test_ipv6_prefixes(void **state)
{
	(void)state;
	static struct frame f;
	load(&f, RFC3162_F1);
	struct radius_iter it;
	struct radius_attr a;
	uint8_t pre[16], plen;
	static const int want_rc[] = { 0, 0, 0, RADIUS_E_ATTR_LEN, RADIUS_E_ATTR_LEN,
				       RADIUS_E_ATTR_LEN };
	static const uint8_t want_len[] = { 64, 64, 0, 0, 0, 0 };
	int k = 0;
	radius_iter_init(&it, &f.p);
	while (radius_next(&it, &a) > 0) {
		if (a.type == RADIUS_ATTR_NAS_IPV6_ADDRESS) {
			assert_int_equal(radius_attr_ipv6_addr(&a, pre), 0);
			assert_int_equal(pre[0], 0x20);
			assert_int_equal(pre[15], 0x01);
		}
		if (a.type != RADIUS_ATTR_FRAMED_IPV6_PREFIX)
			continue;
		assert_true(k < 6);
		assert_int_equal(radius_attr_ipv6_prefix(&a, pre, &plen), want_rc[k]);
		assert_int_equal(plen, want_len[k]);
		if (want_len[k] == 64) {
			static const uint8_t p64[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x0a, 0x0b, 0x12, 0xf0 };
			assert_memory_equal(pre, p64, 8);
		}
		k++;
	}
	assert_int_equal(k, 6);

	load(&f, RFC5447_F1);
	assert_int_equal(f.p.n_attrs, 3);
}

/* The two malformed captures: distinct errors, nothing read past them. */
static void test_malformed_captures(void **state)
{
	(void)state;
	uint8_t b[128];
	struct radius_pkt p;
	/* Length 57 in a 56-octet datagram */
	size_t n = unhex("014f00395bec15a7f3ac1590f65629a9f979c34001076c757365727c0a0000060000"
			 "0000017d132020010db8000000000000000000000000", b, sizeof b);
	assert_int_equal(n, 56);
	assert_int_equal(radius_decode(b, n, &p), RADIUS_E_LEN_OVER);
	/* with the datagram as long as Length says, the last attribute (125,
	 * length 0x13) is one octet past it */
	b[56] = 0;
	assert_int_equal(radius_decode(b, 57, &p), RADIUS_E_ATTR_OVERRUN);
	/* the ASan capture: Length 263 in 45 octets */
	n = unhex("3a6a01070901020ed7ff03edb63a0f00cb0f00cb0505050504fe040404040404040404"
		  "0404040403f714040403", b, sizeof b);
	assert_int_equal(n, 45);
	assert_int_equal(radius_decode(b, n, &p), RADIUS_E_LEN_OVER);
	/* Length is its only fault: patched to the datagram, its six
	 * attributes (5, 254, 4, 4, 4, 20) frame exactly */
	b[2] = 0;
	b[3] = 45;
	assert_int_equal(radius_decode(b, n, &p), RADIUS_OK);
	assert_int_equal(p.n_attrs, 6);
	/* one octet less and the last attribute overruns */
	b[3] = 44;
	assert_int_equal(radius_decode(b, n, &p), RADIUS_E_ATTR_OVERRUN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample1_accounting),
		cmocka_unit_test(test_sample4_access),
		cmocka_unit_test(test_dae_capture),
		cmocka_unit_test(test_ipv6_prefixes),
		cmocka_unit_test(test_malformed_captures),
	};
	return cmocka_run_group_tests_name("radius_capture", tests, NULL, NULL);
}
