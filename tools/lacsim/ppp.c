/*
 * PPP client side of a simulated session, carried in L2TP data messages:
 * LCP (RFC 1661), PAP (RFC 1334 §2), CHAP-MD5 (RFC 1994), IPCP (RFC 1332,
 * DNS options RFC 1877), and with --ipv6 IPV6CP (RFC 5072) followed by
 * stateless autoconfiguration from the LNS's Router Advertisement (RFC 4861
 * §6.3.4, RFC 4862 §5.5.3). Without --ipv6, IPV6CP and every other protocol
 * are answered with LCP Protocol-Reject (RFC 1661 §5.7), as pppd without
 * IPv6 does.
 *
 * Written here, not on src/codec/ppp*.c: that codec did not exist when this
 * was written, and a test driver with its own PPP implementation checks the
 * LNS's PPP codec against an independent reading of the RFCs (a bug shared
 * by both sides would otherwise go unseen). It only needs the client side.
 */
#include <arpa/inet.h>
#include <nettle/md5.h>
#include <stdio.h>
#include <string.h>

#include "codec/buf.h"
#include "lacsim.h"

enum {
	PROTO_IP = 0x0021,
	PROTO_IPCP = 0x8021,
	PROTO_IPV6 = 0x0057,
	PROTO_IPV6CP = 0x8057,
	PROTO_LCP = 0xc021,
	PROTO_PAP = 0xc023,
	PROTO_CHAP = 0xc223,

	/* RFC 1661 §5 codes */
	CONF_REQ = 1, CONF_ACK, CONF_NAK, CONF_REJ, TERM_REQ, TERM_ACK, CODE_REJ,
	PROT_REJ, ECHO_REQ, ECHO_REP, DISC_REQ,

	/* RFC 1661 §4.6 defaults */
	RESTART_MS = 3000,
	MAX_CONFIGURE = 10,
	MAX_FAILURE = 5,

	/* LCP options, RFC 1661 §6 */
	LCP_MRU = 1, LCP_ACCM = 2, LCP_AUTH = 3, LCP_MAGIC = 5, LCP_PFC = 7, LCP_ACFC = 8,
	/* IPCP options, RFC 1332 §3.3, RFC 1877 §1 */
	IPCP_ADDR = 3, IPCP_DNS1 = 129, IPCP_DNS2 = 131,
	/* IPV6CP option, RFC 5072 §4.1 */
	IPV6CP_IFID = 1,
	/* RFC 4861 §10 MAX_RTR_SOLICITATIONS */
	MAX_RS = 3,

	/* our request option bits */
	O_MRU = 1, O_MAGIC = 2,
	O_ADDR = 1, O_DNS1 = 2, O_DNS2 = 4,
	O_IFID = 1,

	V_ACK = 0, V_NAK = 1, V_REJ = 2,
};

struct cp_ops {
	uint16_t proto;
	const char *name;
	size_t (*build_req)(struct ppp *p, uint8_t *o, size_t cap);
	/* verdict on one option of the LNS's request; a Nak writes the whole
	 * suggested option into nak and its length into *nlen */
	int (*check)(struct lac *l, struct session *s, uint8_t type, const uint8_t *v, size_t vl,
		     uint8_t *nak, size_t *nlen);
	void (*nak)(struct lac *l, struct session *s, uint8_t type, const uint8_t *v, size_t vl);
	void (*rej)(struct lac *l, struct session *s, uint8_t type);
	void (*up)(struct lac *l, struct session *s);
};

static const struct cp_ops lcp_ops, ipcp_ops, ipv6cp_ops;

static void arm(struct lac *l, struct session *s)
{
	s->tgen++;
	lac_timer(l, (uint32_t)(s - l->sess), s->tgen, lac_now() + (uint64_t)RESTART_MS * LS_MS);
}

static void send_pkt(struct lac *l, struct session *s, uint16_t proto, uint8_t code, uint8_t id,
		     const uint8_t *d, size_t dl)
{
	uint8_t b[PKT_MAX];

	if (dl + 4 > sizeof b)
		dl = sizeof b - 4;
	b[0] = code;
	b[1] = id;
	be16_put(b + 2, (uint16_t)(dl + 4));
	if (dl)
		memcpy(b + 4, d, dl);
	ctrl_send_ppp(l, s, proto, b, dl + 4);
}

static struct cp *cp_of(struct session *s, const struct cp_ops *ops)
{
	if (ops == &lcp_ops)
		return &s->ppp.lcp;
	return ops == &ipv6cp_ops ? &s->ppp.ipv6cp : &s->ppp.ipcp;
}

static void send_cr(struct lac *l, struct session *s, const struct cp_ops *ops)
{
	struct cp *c = cp_of(s, ops);
	uint8_t o[64];
	size_t n = ops->build_req(&s->ppp, o, sizeof o);

	/* §5.1: a new Identifier for each new Configure-Request content */
	c->id = ++s->ppp.next_id;
	send_pkt(l, s, ops->proto, CONF_REQ, c->id, o, n);
	arm(l, s);
}

static void cp_open(struct lac *l, struct session *s, const struct cp_ops *ops)
{
	struct cp *c = cp_of(s, ops);

	c->restarts = MAX_CONFIGURE;
	c->naks = 0;
	c->state = CP_REQ_SENT;
	send_cr(l, s, ops);
}

static void fail(struct lac *l, struct session *s, const char *why)
{
	ctrl_session_down(l, s, L2TP_CDN_GENERAL_ERROR, "%s", why);
}

/* ---- LCP ---------------------------------------------------------------- */

static size_t lcp_build(struct ppp *p, uint8_t *o, size_t cap)
{
	struct wr w;

	wr_init(&w, o, cap);
	if (p->lcp.opts & O_MRU) {
		wr_u8(&w, LCP_MRU);
		wr_u8(&w, 4);
		wr_u16(&w, p->mru);
	}
	if (p->lcp.opts & O_MAGIC) {
		wr_u8(&w, LCP_MAGIC);
		wr_u8(&w, 6);
		wr_u32(&w, p->magic);
	}
	return w.err ? 0 : w.off;
}

static int lcp_check(struct lac *l, struct session *s, uint8_t type, const uint8_t *v, size_t vl,
		     uint8_t *nak, size_t *nlen)
{
	switch (type) {
	case LCP_MRU:
		if (vl != 2)
			return V_REJ;
		if (be16_get(v) >= 64)
			return V_ACK;
		/* §6.1: suggest the default when the value is unusable */
		nak[0] = LCP_MRU, nak[1] = 4;
		be16_put(nak + 2, 1500);
		*nlen = 4;
		return V_NAK;
	case LCP_ACCM:
		return vl == 4 ? V_ACK : V_REJ;
	case LCP_AUTH:
		if (vl < 2)
			return V_REJ;
		if (l->o.auth == AUTH_PAP && be16_get(v) == PROTO_PAP && vl == 2)
			return V_ACK;
		if (l->o.auth == AUTH_CHAP && be16_get(v) == PROTO_CHAP && vl == 3 && v[2] == 5)
			return V_ACK;
		/* §6.2: Nak with the protocol we are willing to use */
		nak[0] = LCP_AUTH;
		if (l->o.auth == AUTH_PAP) {
			nak[1] = 4;
			be16_put(nak + 2, PROTO_PAP);
			*nlen = 4;
		} else {
			nak[1] = 5;
			be16_put(nak + 2, PROTO_CHAP);
			nak[4] = 5; /* RFC 1994 §3: MD5 */
			*nlen = 5;
		}
		return V_NAK;
	case LCP_MAGIC:
		if (vl != 4)
			return V_REJ;
		if (be32_get(v) != 0 && be32_get(v) != s->ppp.magic)
			return V_ACK;
		/* §6.4: a looped-back or zero magic is Nak'd with a new value */
		nak[0] = LCP_MAGIC, nak[1] = 6;
		{
			uint32_t m;
			lac_random(&m, sizeof m);
			be32_put(nak + 2, m | 1);
		}
		*nlen = 6;
		return V_NAK;
	case LCP_PFC:
	case LCP_ACFC:
		/* we accept compressed frames (pkt_ppp_parse) but always send
		 * full ones, which §6.5/§6.6 allow */
		return vl == 0 ? V_ACK : V_REJ;
	default:
		return V_REJ;
	}
}

static void lcp_nak(struct lac *l, struct session *s, uint8_t type, const uint8_t *v, size_t vl)
{
	(void)l;
	if (type == LCP_MRU && vl == 2 && be16_get(v) >= 64 && be16_get(v) <= 1500)
		s->ppp.mru = be16_get(v);
	else if (type == LCP_MAGIC)
		lac_random(&s->ppp.magic, sizeof s->ppp.magic);
}

static void lcp_rej(struct lac *l, struct session *s, uint8_t type)
{
	(void)l;
	if (type == LCP_MRU)
		s->ppp.lcp.opts &= ~(uint32_t)O_MRU;
	else if (type == LCP_MAGIC)
		s->ppp.lcp.opts &= ~(uint32_t)O_MAGIC;
}

/* §3.5 Network-Layer Protocol phase: each NCP starts on its own */
static void network_start(struct lac *l, struct session *s)
{
	s->ppp.phase = PH_NETWORK;
	cp_open(l, s, &ipcp_ops);
	if (l->o.ipv6)
		cp_open(l, s, &ipv6cp_ops);
}

static void auth_send_pap(struct lac *l, struct session *s)
{
	char user[128];
	uint8_t b[300];
	size_t ul, pl = strlen(l->o.password);
	int n = pkt_fmt_user(user, sizeof user, l->o.user_fmt, s->num);

	ul = n < 0 ? 0 : (size_t)n;
	if (pl > 255)
		pl = 255;
	/* RFC 1334 §2.2.1: Peer-ID Length, Peer-ID, Passwd-Length, Password */
	b[0] = (uint8_t)ul;
	memcpy(b + 1, user, ul);
	b[1 + ul] = (uint8_t)pl;
	memcpy(b + 2 + ul, l->o.password, pl);
	s->ppp.auth_id = ++s->ppp.next_id;
	send_pkt(l, s, PROTO_PAP, 1, s->ppp.auth_id, b, 2 + ul + pl);
	s->ppp.auth_tries++;
	arm(l, s);
}

static void lcp_up(struct lac *l, struct session *s)
{
	s->ppp.phase = PH_AUTH;
	s->ppp.auth_tries = 0;
	switch (s->ppp.auth) {
	case AUTH_PAP:
		auth_send_pap(l, s);
		break;
	case AUTH_CHAP:
		arm(l, s); /* wait for the LNS's Challenge */
		break;
	default:
		network_start(l, s);
		break;
	}
}

static const struct cp_ops lcp_ops = {
	.proto = PROTO_LCP, .name = "LCP", .build_req = lcp_build, .check = lcp_check,
	.nak = lcp_nak, .rej = lcp_rej, .up = lcp_up,
};

/* ---- IPCP --------------------------------------------------------------- */

static void put_addr_opt(struct wr *w, uint8_t type, uint32_t a)
{
	wr_u8(w, type);
	wr_u8(w, 6);
	wr_u32(w, a);
}

static size_t ipcp_build(struct ppp *p, uint8_t *o, size_t cap)
{
	struct wr w;

	wr_init(&w, o, cap);
	/* RFC 1332 §3.3: 0.0.0.0 asks the LNS to Nak with our address */
	if (p->ipcp.opts & O_ADDR)
		put_addr_opt(&w, IPCP_ADDR, p->addr);
	if (p->ipcp.opts & O_DNS1)
		put_addr_opt(&w, IPCP_DNS1, p->dns1);
	if (p->ipcp.opts & O_DNS2)
		put_addr_opt(&w, IPCP_DNS2, p->dns2);
	return w.err ? 0 : w.off;
}

static int ipcp_check(struct lac *l, struct session *s, uint8_t type, const uint8_t *v, size_t vl,
		      uint8_t *nak, size_t *nlen)
{
	(void)l, (void)nak, (void)nlen;
	if (type == IPCP_ADDR && vl == 4 && be32_get(v) != 0) {
		s->ppp.peer_addr = be32_get(v);
		return V_ACK;
	}
	/* the LNS asking us for an address, compression, or anything else:
	 * we have nothing to offer (RFC 1661 §5.4) */
	return V_REJ;
}

static void ipcp_nak(struct lac *l, struct session *s, uint8_t type, const uint8_t *v, size_t vl)
{
	(void)l;
	if (vl != 4)
		return;
	if (type == IPCP_ADDR)
		s->ppp.addr = be32_get(v);
	else if (type == IPCP_DNS1)
		s->ppp.dns1 = be32_get(v);
	else if (type == IPCP_DNS2)
		s->ppp.dns2 = be32_get(v);
}

static void ipcp_rej(struct lac *l, struct session *s, uint8_t type)
{
	if (type == IPCP_ADDR) {
		fail(l, s, "IPCP: LNS rejected IP-Address");
		return;
	}
	if (type == IPCP_DNS1)
		s->ppp.ipcp.opts &= ~(uint32_t)O_DNS1;
	else if (type == IPCP_DNS2)
		s->ppp.ipcp.opts &= ~(uint32_t)O_DNS2;
}

/* The session is up once every network layer asked for is: IPCP with an
 * address, and with --ipv6 IPV6CP plus a global address from an RA. */
static void session_up(struct lac *l, struct session *s)
{
	uint64_t now;

	if (s->state != S_PPP || s->ppp.ipcp.state != CP_OPENED)
		return;
	if (l->o.ipv6 && (s->ppp.ipv6cp.state != CP_OPENED || !s->ppp.ra_ok))
		return; /* the timer keeps running for what is still missing */
	now = lac_now();
	s->tgen++;
	s->ppp.phase = PH_DONE;
	s->state = S_UP;
	s->t_up = now;
	l->n_up++;
	l->n_cur_up++;
	l->t_last_up = now;
	if (l->o.verbose) {
		char a6[INET6_ADDRSTRLEN] = "";
		if (l->o.ipv6)
			inet_ntop(AF_INET6, s->ppp.addr6, a6, sizeof a6);
		lac_log(l, "tid=%u sid=%u n=%u up addr=%u.%u.%u.%u ptid=%u psid=%u%s%s", s->tun + 1u,
			s->lsid, s->num, s->ppp.addr >> 24, (s->ppp.addr >> 16) & 255,
			(s->ppp.addr >> 8) & 255, s->ppp.addr & 255, l->tun[s->tun].ptid, s->psid,
			l->o.ipv6 ? " addr6=" : "", a6);
	}
}

static void ipcp_up(struct lac *l, struct session *s)
{
	if (s->state == S_UP) {
		s->tgen++;
		return; /* renegotiated while up (§4.3 RCR in Opened): still up */
	}
	if (s->ppp.addr == 0) {
		fail(l, s, "IPCP: opened without an address");
		return;
	}
	session_up(l, s);
}

static const struct cp_ops ipcp_ops = {
	.proto = PROTO_IPCP, .name = "IPCP", .build_req = ipcp_build, .check = ipcp_check,
	.nak = ipcp_nak, .rej = ipcp_rej, .up = ipcp_up,
};

/* ---- IPV6CP (RFC 5072) ---------------------------------------------------- */

static void random_ifid(uint8_t out[8], const uint8_t *avoid)
{
	static const uint8_t zero[8];

	/* §4.1: never zero, and not the value the other side uses */
	do
		lac_random(out, 8);
	while (!memcmp(out, zero, 8) || (avoid && !memcmp(out, avoid, 8)));
}

static size_t ipv6cp_build(struct ppp *p, uint8_t *o, size_t cap)
{
	struct wr w;

	wr_init(&w, o, cap);
	if (p->ipv6cp.opts & O_IFID) {
		wr_u8(&w, IPV6CP_IFID);
		wr_u8(&w, 10);
		wr_bytes(&w, p->ifid, 8);
	}
	return w.err ? 0 : w.off;
}

static int ipv6cp_check(struct lac *l, struct session *s, uint8_t type, const uint8_t *v,
			size_t vl, uint8_t *nak, size_t *nlen)
{
	static const uint8_t zero[8];

	(void)l;
	if (type != IPV6CP_IFID || vl != 8)
		return V_REJ; /* IPv6-Compression-Protocol and anything else */
	if (memcmp(v, zero, 8) != 0 && memcmp(v, s->ppp.ifid, 8) != 0) {
		memcpy(s->ppp.peer_ifid, v, 8);
		return V_ACK;
	}
	/* §4.1: zero, or the same as ours, is Nak'd with a different
	 * non-zero suggestion */
	nak[0] = IPV6CP_IFID, nak[1] = 10;
	random_ifid(nak + 2, s->ppp.ifid);
	*nlen = 10;
	return V_NAK;
}

static void ipv6cp_nak(struct lac *l, struct session *s, uint8_t type, const uint8_t *v, size_t vl)
{
	static const uint8_t zero[8];

	(void)l;
	if (type != IPV6CP_IFID || vl != 8)
		return;
	/* §4.1: use the suggested identifier if it is acceptable, else pick
	 * another one ourselves */
	if (memcmp(v, zero, 8) != 0 && memcmp(v, s->ppp.peer_ifid, 8) != 0)
		memcpy(s->ppp.ifid, v, 8);
	else
		random_ifid(s->ppp.ifid, s->ppp.peer_ifid);
}

static void ipv6cp_rej(struct lac *l, struct session *s, uint8_t type)
{
	if (type == IPV6CP_IFID)
		fail(l, s, "IPV6CP: LNS rejected Interface-Identifier");
}

static void send_rs(struct lac *l, struct session *s)
{
	uint8_t ll[16] = { 0xfe, 0x80 }, b[64];
	int n;

	/* RFC 5072 §5: the link-local address is fe80::ifid; no DAD is
	 * needed, IPV6CP made the identifiers unique on the link */
	memcpy(ll + 8, s->ppp.ifid, 8);
	n = pkt_rs_build(b, sizeof b, ll);
	if (n < 0)
		return;
	ctrl_send_ppp(l, s, PROTO_IPV6, b, (size_t)n);
	s->ppp.rs_sent++;
	l->rs_tx++;
}

static void ipv6cp_up(struct lac *l, struct session *s)
{
	static const uint8_t zero[8];

	if (!memcmp(s->ppp.ifid, zero, 8)) {
		fail(l, s, "IPV6CP: opened with our Interface-Identifier 0 (LNS Acked zero)");
		return;
	}
	if (!s->ppp.ipv6_was_up) {
		s->ppp.ipv6_was_up = true;
		l->n_ipv6_up++;
	}
	/* The LNS advertises as IPV6CP opens; with --rs we also solicit at
	 * once (RFC 4861 §6.3.7), otherwise only when no valid RA came
	 * within a restart interval (ppp_timer). */
	if (l->o.rs && s->ppp.rs_sent == 0)
		send_rs(l, s);
	session_up(l, s);
}

static const struct cp_ops ipv6cp_ops = {
	.proto = PROTO_IPV6CP, .name = "IPV6CP", .build_req = ipv6cp_build, .check = ipv6cp_check,
	.nak = ipv6cp_nak, .rej = ipv6cp_rej, .up = ipv6cp_up,
};

void ppp_ra(struct lac *l, struct session *s, const struct pkt_ra *ra, int err)
{
	if (err < 0) {
		l->ra_bad++;
		s->ppp.ra_err = (int8_t)err;
		if (l->o.verbose)
			lac_log(l, "tid=%u sid=%u n=%u Router Advertisement refused: %s", s->tun + 1u,
				s->lsid, s->num, pkt_ra_strerror(err));
		return;
	}
	l->ra_rx++;
	if (l->o.verbose) {
		char d[INET6_ADDRSTRLEN], pf[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, ra->dst, d, sizeof d);
		inet_ntop(AF_INET6, ra->prefix, pf, sizeof pf);
		lac_log(l, "tid=%u sid=%u n=%u RA ok dst=%s prefix=%s/%u", s->tun + 1u, s->lsid,
			s->num, d, pf, ra->prefix_len);
	}
	/* RFC 4862 §5.5.3 d): the address is the /64 prefix then our
	 * identifier */
	memcpy(s->ppp.addr6, ra->prefix, 8);
	memcpy(s->ppp.addr6 + 8, s->ppp.ifid, 8);
	if (!s->ppp.ra_ok) {
		s->ppp.ra_ok = true;
		l->n_ra_ok++;
	}
	session_up(l, s);
}

/* ---- the RFC 1661 §4 automaton, for the states a client reaches -------- */

/* Walk options; -1 when an option length is malformed (§5: discard). */
static int opts_valid(const uint8_t *o, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (len - i < 2 || o[i + 1] < 2 || o[i + 1] > len - i)
			return -1;
		i += o[i + 1];
	}
	return 0;
}

static void rcv_conf_req(struct lac *l, struct session *s, const struct cp_ops *ops, uint8_t id,
			 const uint8_t *o, size_t len)
{
	struct cp *c = cp_of(s, ops);
	uint8_t rej[PKT_MAX], nakb[PKT_MAX];
	size_t rl = 0, nl = 0, i;
	uint8_t code;

	if (opts_valid(o, len) < 0)
		return;
	for (i = 0; i < len; i += o[i + 1]) {
		uint8_t one[16];
		size_t ol = 0;
		int v = ops->check(l, s, o[i], o + i + 2, o[i + 1] - 2u, one, &ol);
		if (v == V_REJ) {
			memcpy(rej + rl, o + i, o[i + 1]);
			rl += o[i + 1];
		} else if (v == V_NAK) {
			memcpy(nakb + nl, one, ol);
			nl += ol;
		}
	}
	/* §5.3/§5.4: Reject takes precedence over Nak, Nak over Ack */
	if (rl) {
		code = CONF_REJ;
		send_pkt(l, s, ops->proto, CONF_REJ, id, rej, rl);
	} else if (nl) {
		code = CONF_NAK;
		if (++c->naks > MAX_FAILURE) {
			char why[96];
			snprintf(why, sizeof why, "%s: LNS keeps requesting options we Nak%s", ops->name,
				 ops == &lcp_ops ? " (auth protocol? see -a)" : "");
			fail(l, s, why);
			return;
		}
		send_pkt(l, s, ops->proto, CONF_NAK, id, nakb, nl);
	} else {
		code = CONF_ACK;
		if (ops == &lcp_ops) {
			s->ppp.auth = AUTH_NONE;
			for (i = 0; i < len; i += o[i + 1])
				if (o[i] == LCP_AUTH)
					s->ppp.auth = be16_get(o + i + 2) == PROTO_PAP ? AUTH_PAP
										       : AUTH_CHAP;
		}
		send_pkt(l, s, ops->proto, CONF_ACK, id, o, len);
	}
	switch (c->state) {
	case CP_REQ_SENT:
		if (code == CONF_ACK)
			c->state = CP_ACK_SENT;
		break;
	case CP_ACK_RCVD:
		if (code == CONF_ACK) {
			c->state = CP_OPENED;
			ops->up(l, s);
		}
		break;
	case CP_ACK_SENT:
		if (code != CONF_ACK)
			c->state = CP_REQ_SENT;
		break;
	case CP_OPENED:
		/* §4.3 RCR in Opened: this-layer-down, renegotiate */
		if (ops == &lcp_ops) {
			s->ppp.phase = PH_LCP;
			s->ppp.ipcp.state = CP_INITIAL;
			s->ppp.ipv6cp.state = CP_INITIAL;
		}
		c->restarts = MAX_CONFIGURE;
		send_cr(l, s, ops);
		c->state = code == CONF_ACK ? CP_ACK_SENT : CP_REQ_SENT;
		if (s->state == S_UP && ops == &lcp_ops)
			fail(l, s, "LCP renegotiated by LNS while up");
		break;
	default:
		break;
	}
}

static void rcv_conf_ack(struct lac *l, struct session *s, const struct cp_ops *ops, uint8_t id)
{
	struct cp *c = cp_of(s, ops);

	if (id != c->id)
		return; /* §5.2: stale or bogus Ack is discarded */
	switch (c->state) {
	case CP_REQ_SENT:
		c->state = CP_ACK_RCVD;
		c->restarts = MAX_CONFIGURE;
		break;
	case CP_ACK_SENT:
		c->state = CP_OPENED;
		ops->up(l, s);
		break;
	case CP_ACK_RCVD:
	case CP_OPENED:
		/* §4.3: crossed connection, start again */
		send_cr(l, s, ops);
		c->state = CP_REQ_SENT;
		break;
	default:
		break;
	}
}

static void rcv_conf_nakrej(struct lac *l, struct session *s, const struct cp_ops *ops,
			    uint8_t code, uint8_t id, const uint8_t *o, size_t len)
{
	struct cp *c = cp_of(s, ops);
	size_t i;

	if (id != c->id || opts_valid(o, len) < 0)
		return;
	for (i = 0; i < len; i += o[i + 1]) {
		if (code == CONF_NAK)
			ops->nak(l, s, o[i], o + i + 2, o[i + 1] - 2u);
		else
			ops->rej(l, s, o[i]);
		if (s->state == S_DOWN || s->state == S_CLOSING)
			return;
	}
	if (c->state == CP_ACK_RCVD || c->state == CP_OPENED)
		c->state = CP_REQ_SENT;
	send_cr(l, s, ops);
}

/* §5.6: unknown code, Code-Reject carrying the packet */
static void code_reject(struct lac *l, struct session *s, const struct cp_ops *ops,
			const uint8_t *pkt, size_t n)
{
	uint8_t r[1400];

	if (n > sizeof r)
		n = sizeof r;
	memcpy(r, pkt, n);
	send_pkt(l, s, ops->proto, CODE_REJ, ++s->ppp.next_id, r, n);
}

static void cp_rx(struct lac *l, struct session *s, const struct cp_ops *ops, const uint8_t *p,
		  size_t len)
{
	uint8_t code, id;
	size_t plen;

	if (len < 4)
		return;
	code = p[0];
	id = p[1];
	plen = be16_get(p + 2);
	/* §5: shorter than its Length is discarded, padding beyond is ignored */
	if (plen < 4 || plen > len)
		return;
	p += 4;
	plen -= 4;
	switch (code) {
	case CONF_REQ:
		rcv_conf_req(l, s, ops, id, p, plen);
		break;
	case CONF_ACK:
		rcv_conf_ack(l, s, ops, id);
		break;
	case CONF_NAK:
	case CONF_REJ:
		rcv_conf_nakrej(l, s, ops, code, id, p, plen);
		break;
	case TERM_REQ: {
		char why[64];
		send_pkt(l, s, ops->proto, TERM_ACK, id, NULL, 0);
		snprintf(why, sizeof why, "%s Terminate-Request from LNS", ops->name);
		ctrl_session_down(l, s, L2TP_CDN_ADMIN, "%s", why);
		break;
	}
	case TERM_ACK:
	case CODE_REJ:
		break;
	case PROT_REJ:
		if (ops == &lcp_ops && plen >= 2 && be16_get(p) == PROTO_IPCP)
			fail(l, s, "LNS Protocol-Rejected IPCP");
		else if (ops == &lcp_ops && plen >= 2 && be16_get(p) == PROTO_IPV6CP && l->o.ipv6)
			fail(l, s, "LNS Protocol-Rejected IPV6CP (no ipv6_prefix?)");
		break;
	case ECHO_REQ:
		if (ops != &lcp_ops) {
			code_reject(l, s, ops, p - 4, plen + 4);
		} else if (s->ppp.lcp.state == CP_OPENED) {
			uint8_t r[PKT_MAX];
			/* §5.8: reply carries our own Magic-Number */
			be32_put(r, (s->ppp.lcp.opts & O_MAGIC) ? s->ppp.magic : 0);
			if (plen > 4 && plen < sizeof r)
				memcpy(r + 4, p + 4, plen - 4);
			send_pkt(l, s, PROTO_LCP, ECHO_REP, id, r, plen < 4 || plen >= sizeof r ? 4 : plen);
			l->lcp_echo_replies++;
		}
		break;
	case ECHO_REP:
	case DISC_REQ:
		if (ops != &lcp_ops)
			code_reject(l, s, ops, p - 4, plen + 4);
		break;
	default:
		code_reject(l, s, ops, p - 4, plen + 4);
		break;
	}
}

/* ---- authentication ----------------------------------------------------- */

static void auth_ok(struct lac *l, struct session *s)
{
	s->ppp.auth_done = true;
	network_start(l, s);
}

static void pap_rx(struct lac *l, struct session *s, const uint8_t *p, size_t len)
{
	char why[96];
	size_t ml;

	if (len < 4 || s->ppp.phase != PH_AUTH || s->ppp.auth != AUTH_PAP || p[1] != s->ppp.auth_id)
		return;
	if (be16_get(p + 2) < 4 || be16_get(p + 2) > len)
		return;
	if (p[0] == 2) {
		auth_ok(l, s);
	} else if (p[0] == 3) {
		/* RFC 1334 §2.2.2: Msg-Length, Message */
		ml = len > 4 ? p[4] : 0;
		if (ml > len - 5 || len < 5)
			ml = 0;
		snprintf(why, sizeof why, "PAP Authenticate-Nak: %.*s", (int)(ml > 60 ? 60 : ml),
			 (const char *)p + 5);
		fail(l, s, why);
	}
}

static void chap_rx(struct lac *l, struct session *s, const uint8_t *p, size_t len)
{
	size_t plen;

	if (len < 4 || s->ppp.auth != AUTH_CHAP)
		return;
	plen = be16_get(p + 2);
	if (plen < 4 || plen > len)
		return;
	switch (p[0]) {
	case 1: { /* RFC 1994 §4.1 Challenge: Value-Size, Value, Name */
		char user[128];
		uint8_t r[300], vs;
		struct md5_ctx md5;
		int ul;
		if (plen < 5 || (vs = p[4]) == 0 || (size_t)vs + 5 > plen)
			return;
		if (s->ppp.phase != PH_AUTH && s->ppp.phase != PH_NETWORK && s->ppp.phase != PH_DONE)
			return;
		ul = pkt_fmt_user(user, sizeof user, l->o.user_fmt, s->num);
		if (ul < 0)
			ul = 0;
		/* §4.1: Response = MD5(Identifier || secret || Challenge) */
		md5_init(&md5);
		md5_update(&md5, 1, p + 1);
		md5_update(&md5, strlen(l->o.password), (const uint8_t *)l->o.password);
		md5_update(&md5, vs, p + 5);
		r[0] = 16;
		md5_digest(&md5, 16, r + 1);
		memcpy(r + 17, user, (size_t)ul);
		s->ppp.auth_id = p[1];
		send_pkt(l, s, PROTO_CHAP, 2, p[1], r, 17 + (size_t)ul);
		if (s->ppp.phase == PH_AUTH)
			arm(l, s);
		break;
	}
	case 3: /* Success */
		if (s->ppp.phase == PH_AUTH && p[1] == s->ppp.auth_id)
			auth_ok(l, s);
		break;
	case 4: /* Failure */
		if (p[1] == s->ppp.auth_id) {
			char why[96];
			snprintf(why, sizeof why, "CHAP Failure: %.*s",
				 (int)(plen - 4 > 60 ? 60 : plen - 4), (const char *)p + 4);
			fail(l, s, why);
		}
		break;
	default:
		break;
	}
}

/* ---- entry points ------------------------------------------------------- */

void ppp_start(struct lac *l, struct session *s)
{
	struct ppp *p = &s->ppp;

	memset(p, 0, sizeof *p);
	p->phase = PH_LCP;
	p->mru = l->o.mru;
	lac_random(&p->magic, sizeof p->magic);
	p->magic |= 1; /* never zero (RFC 1661 §6.4) */
	p->next_id = (uint8_t)s->num;
	p->lcp.opts = O_MRU | O_MAGIC;
	p->ipcp.opts = O_ADDR | O_DNS1 | O_DNS2;
	p->ipv6cp.opts = O_IFID;
	/* RFC 5072 §4.1: a zero identifier asks the peer to Nak with one */
	if (!l->o.ifid0)
		random_ifid(p->ifid, NULL);
	cp_open(l, s, &lcp_ops);
}

/* §4.1 TO+: send the Configure-Request again; TO- when Max-Configure is
 * exhausted fails the session (-1). */
static int retransmit(struct lac *l, struct session *s, const struct cp_ops *ops)
{
	struct cp *c = cp_of(s, ops);

	if (c->restarts == 0) {
		char why[64];
		snprintf(why, sizeof why, "%s: no answer to Configure-Request (state %u)", ops->name,
			 c->state);
		fail(l, s, why);
		return -1;
	}
	c->restarts--;
	if (c->state == CP_ACK_RCVD)
		c->state = CP_REQ_SENT;
	send_cr(l, s, ops);
	return 0;
}

void ppp_timer(struct lac *l, struct session *s)
{
	struct cp *c;

	if (s->state != S_PPP)
		return;
	if (s->ppp.phase == PH_AUTH) {
		if (s->ppp.auth_tries >= MAX_CONFIGURE) {
			fail(l, s, s->ppp.auth == AUTH_PAP ? "PAP: no answer from LNS"
							   : "CHAP: no Challenge/Success from LNS");
			return;
		}
		if (s->ppp.auth == AUTH_PAP) {
			auth_send_pap(l, s);
		} else {
			s->ppp.auth_tries++;
			arm(l, s);
		}
		return;
	}
	if (s->ppp.phase == PH_LCP) {
		retransmit(l, s, &lcp_ops);
		return;
	}
	/* network phase: every NCP still negotiating gets its TO+ */
	bool sent = false;
	const struct cp_ops *ncp[2] = { &ipcp_ops, l->o.ipv6 ? &ipv6cp_ops : NULL };
	for (unsigned k = 0; k < 2; k++) {
		if (!ncp[k])
			continue;
		c = cp_of(s, ncp[k]);
		if (c->state == CP_OPENED || c->state == CP_INITIAL || c->state == CP_CLOSED)
			continue;
		if (retransmit(l, s, ncp[k]) < 0)
			return;
		sent = true;
	}
	if (sent || !l->o.ipv6 || s->ppp.ipv6cp.state != CP_OPENED || s->ppp.ra_ok)
		return;
	/* IPV6CP is open but no valid RA yet: solicit one (RFC 4861 §6.3.7) */
	if (s->ppp.rs_sent >= MAX_RS) {
		char why[96];
		snprintf(why, sizeof why, "IPv6: no valid Router Advertisement (%s)",
			 s->ppp.ra_err ? pkt_ra_strerror(s->ppp.ra_err) : "none received");
		fail(l, s, why);
		return;
	}
	send_rs(l, s);
	arm(l, s);
}

void ppp_rx(struct lac *l, struct session *s, const uint8_t *f, size_t len)
{
	uint16_t proto;
	int off = pkt_ppp_parse(f, len, &proto);

	if (off < 0)
		return;
	f += off;
	len -= (size_t)off;
	switch (proto) {
	case PROTO_LCP:
		cp_rx(l, s, &lcp_ops, f, len);
		return;
	case PROTO_PAP:
		pap_rx(l, s, f, len);
		return;
	case PROTO_CHAP:
		chap_rx(l, s, f, len);
		return;
	case PROTO_IPCP:
		/* §3.4: NCP packets before the Network phase are discarded */
		if (s->ppp.phase == PH_NETWORK || s->ppp.phase == PH_DONE)
			cp_rx(l, s, &ipcp_ops, f, len);
		return;
	case PROTO_IPV6CP:
		if (!l->o.ipv6)
			break; /* Protocol-Reject below, as before --ipv6 existed */
		if (s->ppp.phase == PH_NETWORK || s->ppp.phase == PH_DONE)
			cp_rx(l, s, &ipv6cp_ops, f, len);
		return;
	case PROTO_IP:
		if (s->state == S_UP)
			data_rx(l, s, f, len);
		return;
	case PROTO_IPV6:
		if (!l->o.ipv6)
			break;
		/* RFC 5072 §2: IPv6 only once IPV6CP is Opened */
		if (s->ppp.ipv6cp.state == CP_OPENED)
			data_rx6(l, s, f, len);
		return;
	default:
		break;
	}
	/* §5.7: unsupported protocols (IPV6CP, CCP...) get Protocol-Reject,
	 * only once LCP is Opened; the rejected packet is echoed back
	 * truncated so the reply fits the LNS's MRU */
	if (s->ppp.lcp.state == CP_OPENED) {
		uint8_t r[1400];
		size_t n = len + 2 < sizeof r ? len + 2 : sizeof r;
		be16_put(r, proto);
		memcpy(r + 2, f, n - 2);
		send_pkt(l, s, PROTO_LCP, PROT_REJ, ++s->ppp.next_id, r, n);
		l->ppp_proto_rej++;
	}
}
