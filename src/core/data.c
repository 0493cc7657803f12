/*
 * The data plane. Upstream: a burst of datagrams from the L2TP socket, each
 * data message checked against its session (tunnel ID, session ID and the
 * sender's address and port: RFC 2661 §5.3 leaves it to us, and the original
 * accepted any sender), decapsulated in place and queued for the TUN.
 * Downstream: a burst of IP packets from the TUN, each session found by
 * destination address in O(1), encapsulated in the buffer's headroom and
 * queued for one sendmmsg. Nothing is copied on either path.
 */
#include "core/lns.h"

#include <arpa/inet.h>
#include <string.h>

#include "codec/buf.h"
#include "codec/ipv4.h"
#include "codec/ipv6.h"
#include "codec/l2tp.h"

void lns_data_up(struct lns *l, struct session *s, struct pkt *p, size_t ip_off)
{
	uint32_t src, dst;
	pkt_pull(p, (uint32_t)ip_off);
	if (ipv4_addrs(p->data, p->len, &src, &dst) < 0) {
		l->c.data_bad_ppp++;
		pkt_free(&l->pkts, p);
		return;
	}
	/* anti-spoofing: only the session's own address (or a network of its
	 * Framed-Routes) may send */
	if (src != s->r.ip && !lns_session_owns(s, src)) {
		l->c.data_spoofed++;
		pkt_free(&l->pkts, p);
		return;
	}
	p->len = be16_get(p->data + 2); /* drop any link padding after the IP packet */
	if (l->cfg->tcp_mss_clamp && p->data[9] == 6 && ipv4_clamp_mss(p->data, p->len, l->mss))
		l->c.mss_clamped++;
	s->r.cin += p->len;
	s->r.pin++;
	s->r.last_data_ms = s->r.last_rx_ms;
	lns_queue_tun(l, p);
}

void lns_data_up6(struct lns *l, struct session *s, struct pkt *p, size_t ip_off)
{
	const uint8_t *src, *dst;
	uint8_t nh;
	pkt_pull(p, (uint32_t)ip_off);
	if (ipv6_addrs(p->data, p->len, &src, &dst, &nh) < 0) {
		l->c.data_bad_ppp++;
		pkt_free(&l->pkts, p);
		return;
	}
	if (ipv6_is_router_solicit(p->data, p->len)) {
		/* RFC 4861 §6.2.6: a solicitation from the unspecified address is
		 * answered to all-nodes, never to :: */
		static const uint8_t any[16], all_nodes[16] = {0xff, 0x02, [15] = 1};
		lns_send_ra(l, s, memcmp(src, any, 16) ? src : all_nodes);
		pkt_free(&l->pkts, p);
		return;
	}
	/* anti-spoofing: our /64 and the identifier IPV6CP agreed, nothing else
	 * (link-local traffic is for us, and we answer only solicitations) */
	if (memcmp(src, l->v6prefix, 8) != 0 || memcmp(src + 8, s->r.ifid, 8) != 0) {
		l->c.data_spoofed++;
		pkt_free(&l->pkts, p);
		return;
	}
	p->len = (uint32_t)be16_get(p->data + 4) + IPV6_HDR_LEN;
	s->r.cin += p->len;
	s->r.pin++;
	s->r.last_data_ms = s->r.last_rx_ms;
	lns_queue_tun(l, p);
}

static void data_input(struct lns *l, struct pkt *p, const struct l2tp_hdr *h)
{
	uint32_t idx;
	l->c.udp_rx_data++;
	if (iphash_get(&l->key2s, (uint32_t)h->tid << 16 | h->sid, &idx) < 0) {
		l->c.data_no_session++;
		pkt_free(&l->pkts, p);
		return;
	}
	struct session *s = &l->sessions[idx];
	struct tunnel *t = &l->tunnels[s->r.tunnel];
	struct l2tp_peer peer;
	lns_peer_of(&p->peer, &peer);
	if (!l2tp_data_accept(&t->fsm, &s->l2s, h->tid, h->sid, &peer)) {
		/* keep it only while buffers are plentiful: a redial storm must not
		 * park the whole pool in half-open calls */
		if (s->l2s.state == L2TP_SESS_WAIT_CONNECT && l2tp_peer_eq(&peer, &t->fsm.peer) &&
		    l->pkts.nfree > l->pkts.n / 4) {
			pkt_pull(p, h->hdr_len);
			p->len = h->payload_len;
			if (s->early)
				pkt_free(&l->pkts, s->early);
			s->early = p;
			return;
		}
		l->c.data_refused++;
		pkt_free(&l->pkts, p);
		return;
	}
	l2tp_tunnel_note_rx(&t->fsm, lns_now(l));
	lns_ppp_frame(l, s, p, h->hdr_len, h->payload_len);
}

/* One PPP frame of an established session at p->data + fo, n bytes. */
void lns_ppp_frame(struct lns *l, struct session *s, struct pkt *p, size_t fo, size_t n)
{
	s->r.last_rx_ms = lns_now(l);
	const uint8_t *f = p->data + fo;
	size_t off = 0;
	/* RFC 1661 §6.6 / 1662: ff 03 may be absent, whatever ACFC said
	 * (npppd notes a Yamaha RTX-1000 omitting it after refusing ACFC) */
	if (n >= 2 && f[0] == 0xff && f[1] == 0x03)
		off = 2;
	if (n > off + 2 && s->r.ipv4_up && ((f[off] == 0x00 && f[off + 1] == 0x21) || f[off] == 0x21)) {
		off += f[off] == 0x21 ? 1 : 2;
		lns_data_up(l, s, p, fo + off);
		return;
	}
	if (n > off + 2 && s->r.ipv6_up && ((f[off] == 0x00 && f[off + 1] == 0x57) || f[off] == 0x57)) {
		off += f[off] == 0x57 ? 1 : 2;
		lns_data_up6(l, s, p, fo + off);
		return;
	}
	/* control protocols, and IP before IPCP is up, go through the PPP FSM */
	size_t pos = off + ((n > off && (f[off] & 1)) ? 1 : 2);
	lns_ppp_input(l, s, f, n, p, fo + pos);
}

/* Prefetch the session-map slot of every data message of a burst (RFC 2661
 * §3.1 header: T=0, optional Length, then Tunnel ID and Session ID). A
 * malformed one is only a wasted prefetch: the decoder below judges it. */
static void prefetch_sessions(struct lns *l, struct pkt *const v[], int n)
{
	for (int i = 0; i < n; i++) {
		const uint8_t *d = v[i]->data;
		if (v[i]->len < 8 || (d[0] & 0x80))
			continue;
		uint32_t o = (d[0] & 0x40) ? 4 : 2;
		iphash_prefetch(&l->key2s, (uint32_t)be16_get(d + o) << 16 | be16_get(d + o + 2));
	}
}

void lns_udp_rx(void *ctx, struct io_udp *u, struct pkt *v[], int n)
{
	struct lns *l = ctx;
	(void)u;
	prefetch_sessions(l, v, n);
	for (int i = 0; i < n; i++) {
		struct pkt *p = v[i];
		struct l2tp_hdr h;
		l->c.udp_rx++;
		int r = l2tp_hdr_decode(p->data, p->len, &h);
		if (r < 0) {
			l->c.udp_rx_bad_hdr++;
			pkt_free(&l->pkts, p);
			continue;
		}
		if (h.ctrl)
			lns_ctrl_input(l, p, &h);
		else
			data_input(l, p, &h);
	}
	lns_flush(l);
}

void lns_tun_rx(void *ctx, struct io_tun *tu, struct pkt *v[], int n)
{
	struct lns *l = ctx;
	(void)tu;
	/* IPv4 destinations of the burst: see prefetch_sessions */
	for (int i = 0; i < n; i++)
		if (v[i]->len >= 20 && (v[i]->data[0] >> 4) == 4)
			iphash_prefetch(&l->ip2s, be32_get(v[i]->data + 16));
	for (int i = 0; i < n; i++) {
		struct pkt *p = v[i];
		uint32_t src, dst, idx;
		uint16_t proto = 0x0021;
		l->c.tun_rx++;
		if (p->len && (p->data[0] >> 4) == 6) {
			const uint8_t *s6, *d6;
			uint8_t nh;
			proto = 0x0057;
			if (!l->ipv6 || ipv6_addrs(p->data, p->len, &s6, &d6, &nh) < 0 ||
			    memcmp(d6, l->v6prefix, 8) != 0 ||
			    iphash_get(&l->ifid2s, lns_ifid_key(d6 + 8), &idx) < 0 ||
			    memcmp(l->sessions[idx].r.ifid, d6 + 8, 8) != 0) {
				l->c.tun_rx_no_session++;
				pkt_free(&l->pkts, p);
				continue;
			}
		} else if (ipv4_addrs(p->data, p->len, &src, &dst) < 0) {
			l->c.tun_rx_not_ipv4++;
			pkt_free(&l->pkts, p);
			continue;
		} else if (iphash_get(&l->ip2s, dst, &idx) < 0 &&
			   lns_route_lookup(l, dst, &idx) < 0) {
			l->c.tun_rx_no_session++;
			pkt_free(&l->pkts, p);
			continue;
		}
		struct session *s = &l->sessions[idx];
		struct tunnel *t = &l->tunnels[s->r.tunnel];
		if (proto == 0x0021 && l->cfg->tcp_mss_clamp && p->data[9] == 6 &&
		    ipv4_clamp_mss(p->data, p->len, l->mss))
			l->c.mss_clamped++;
		s->r.cout += p->len;
		s->r.pout++;
		/* Idle-Timeout counts data in either direction (reference §6.4) */
		s->r.last_data_ms = l->loop.now;
		/* L2TP data header (RFC 2661 §3.1: no L, S, O) + ff 03 00 21 */
		uint8_t *h = pkt_push(p, 10);
		if (!h) {
			pkt_free(&l->pkts, p);
			continue;
		}
		be16_put(h, L2TP_VERSION);
		be16_put(h + 2, t->r.peer_tid);
		be16_put(h + 4, s->r.peer_sid);
		h[6] = 0xff;
		h[7] = 0x03;
		be16_put(h + 8, proto);
		p->peer = t->peer;
		p->local = t->local;
		p->flags |= PKT_F_GSO; /* bulk data: may share a UDP GSO message */
		lns_queue_udp(l, p);
	}
	lns_flush(l);
}
