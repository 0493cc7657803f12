/* UDP helpers on loopback: batches through recvmmsg/sendmmsg, IP_PKTINFO,
 * truncation, per-packet errors, and the EAGAIN queue with EPOLLOUT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/udp.h"

static struct sockaddr_in sin4(const char *ip, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &l);
	return ntohs(a.sin_port);
}

static int open4(const char *ip, uint16_t port)
{
	struct sockaddr_in a = sin4(ip, port);
	return io_udp_open((struct sockaddr *)&a, sizeof(a), NULL);
}

/* Packet i: length 1 + (i * 37) % 1400, bytes (i * 7 + k) & 0xff. */
static void fill(struct pkt *p, int i, const struct sockaddr_in *dst)
{
	pkt_reset(p);
	p->len = 1 + (uint32_t)(i * 37) % 1400;
	for (uint32_t k = 0; k < p->len; k++)
		p->data[k] = (uint8_t)(i * 7 + (int)k);
	memcpy(&p->peer.u.in, dst, sizeof(*dst));
	p->peer.len = sizeof(*dst);
}

static int check(const struct pkt *p, int i)
{
	if (p->len != 1 + (uint32_t)(i * 37) % 1400)
		return 0;
	for (uint32_t k = 0; k < p->len; k++)
		if (p->data[k] != (uint8_t)(i * 7 + (int)k))
			return 0;
	return 1;
}

static void batch_of_64_round_trips_intact_with_pktinfo(void **state)
{
	(void)state;
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 256), 0);
	struct io_udp_opts o = { .rcvbuf = 1 << 20, .sndbuf = 1 << 20 };
	struct sockaddr_in any = sin4("0.0.0.0", 0);
	int srv = io_udp_open((struct sockaddr *)&any, sizeof(any), &o);
	int cli = open4("127.0.0.1", 0);
	assert_true(srv >= 0 && cli >= 0);
	int rb;
	socklen_t rl = sizeof(rb);
	getsockopt(srv, SOL_SOCKET, SO_RCVBUF, &rb, &rl);
	/* the kernel doubles what was set; only root may pass rmem_max */
	if (geteuid() == 0)
		assert_true(rb >= 1 << 20);
	else
		assert_true(rb > 0);
	assert_true(fcntl(srv, F_GETFL) & O_NONBLOCK);

	/* The server listens on 0.0.0.0 and the client sends to 127.0.0.9:
	 * the server must learn 127.0.0.9 and reply from it. */
	struct sockaddr_in dst = sin4("127.0.0.9", port_of(srv));
	struct pkt *v[64];
	assert_int_equal(pkt_alloc_n(&pool, v, 64), 64);
	for (int i = 0; i < 64; i++)
		fill(v[i], i, &dst);
	struct io_udp_stats st = { 0 };
	assert_int_equal(io_udp_sendv(cli, v, 64, &st), 64);
	assert_int_equal(st.tx_pkts, 64);

	struct pkt *r[70];
	assert_int_equal(pkt_alloc_n(&pool, r, 70), 70);
	struct io_udp_stats rs = { 0 };
	assert_int_equal(io_udp_recvv(srv, r, 70, &rs), 64);
	assert_int_equal(rs.rx_pkts, 64);
	for (int i = 0; i < 64; i++) {
		assert_true(check(r[i], i));
		assert_int_equal(r[i]->data - r[i]->buf, PKT_HEADROOM);
		assert_int_equal(r[i]->peer.u.in.sin_family, AF_INET);
		assert_int_equal(ntohs(r[i]->peer.u.in.sin_port), port_of(cli));
		assert_int_equal(r[i]->local.len, sizeof(struct sockaddr_in));
		assert_int_equal(ntohl(r[i]->local.u.in.sin_addr.s_addr), 0x7f000009);
		assert_true(r[i]->ifindex > 0);	/* lo */
	}
	/* nothing more: 0, not an error */
	assert_int_equal(io_udp_recvv(srv, r + 69, 1, NULL), 0);

	/* reply to the first with peer/local as received: the source is
	 * 127.0.0.9, not the 127.0.0.1 the route would pick */
	r[0]->len = 3;
	memcpy(r[0]->data, "ack", 3);
	assert_int_equal(io_udp_sendv(srv, r, 1, NULL), 1);
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	char buf[16];
	assert_int_equal(recvfrom(cli, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl), 3);
	assert_memory_equal(buf, "ack", 3);
	assert_int_equal(ntohl(from.sin_addr.s_addr), 0x7f000009);
	assert_int_equal(ntohs(from.sin_port), port_of(srv));

	pkt_free_n(&pool, v, 64);
	pkt_free_n(&pool, r, 70);
	assert_int_equal(pool.nfree, 256);
	close(srv);
	close(cli);
	pkt_pool_destroy(&pool);
}

static void oversize_is_flagged_and_bad_packet_skipped(void **state)
{
	(void)state;
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 8), 0);
	int srv = open4("127.0.0.1", 0);
	int cli = open4("127.0.0.1", 0);
	struct sockaddr_in dst = sin4("127.0.0.1", port_of(srv));
	static uint8_t big[3000];
	memset(big, 0xab, sizeof(big));
	assert_int_equal(sendto(cli, big, sizeof(big), 0, (struct sockaddr *)&dst, sizeof(dst)),
			 (ssize_t)sizeof(big));
	struct pkt *r[1];
	r[0] = pkt_alloc(&pool);
	struct io_udp_stats st = { 0 };
	assert_int_equal(io_udp_recvv(srv, r, 1, &st), 1);
	assert_true(r[0]->flags & PKT_F_TRUNC);
	assert_int_equal(st.rx_trunc, 1);
	assert_int_equal(r[0]->len, PKT_MAX_DATA);	/* what fitted */
	pkt_free(&pool, r[0]);

	/* middle packet has an IPv6 destination on an IPv4 socket: it alone
	 * is dropped, the two around it are delivered */
	struct pkt *v[3];
	assert_int_equal(pkt_alloc_n(&pool, v, 3), 3);
	for (int i = 0; i < 3; i++)
		fill(v[i], i, &dst);
	memset(&v[1]->peer, 0, sizeof(v[1]->peer));
	v[1]->peer.u.in6.sin6_family = AF_INET6;
	v[1]->peer.u.in6.sin6_port = htons(9);
	v[1]->peer.u.in6.sin6_addr = in6addr_loopback;
	v[1]->peer.len = sizeof(struct sockaddr_in6);
	memset(&st, 0, sizeof(st));
	assert_int_equal(io_udp_sendv(cli, v, 3, &st), 3);
	assert_int_equal(st.tx_pkts, 2);
	assert_int_equal(st.tx_err, 1);
	assert_true(st.last_err != 0);
	assert_int_equal(io_udp_recvv(srv, v, 3, NULL), 2);
	assert_true(check(v[0], 0));
	assert_true(check(v[1], 2));
	/* a socket-level error is returned as such */
	assert_int_equal(io_udp_sendv(-1, v, 1, NULL), -EBADF);
	pkt_free_n(&pool, v, 3);
	close(srv);
	close(cli);
	pkt_pool_destroy(&pool);
}

struct sink {
	int n;
	int seen[256];
	struct pkt_pool *pool;
};

static void on_rx(void *ctx, struct io_udp *u, struct pkt *v[], int n)
{
	(void)u;
	struct sink *s = ctx;
	for (int i = 0; i < n; i++) {
		if (s->n < 256)
			s->seen[s->n] = v[i]->data[0];
		s->n++;
	}
	pkt_free_n(s->pool, v, n);
}

/* EAGAIN: a datagram socketpair with a minimal send buffer stands in for a
 * full UDP socket buffer (its datagrams stay charged to the sender until the
 * peer reads them), which loopback UDP cannot produce reliably because it
 * drops at the receiver instead. Same code path: sendmmsg says EAGAIN. */
static void eagain_queues_in_order_and_epollout_drains(void **state)
{
	(void)state;
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 512), 0);
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	int sp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sp), 0);
	int small = 4096;
	assert_int_equal(setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	struct sink tx_side = { .pool = &pool }, rx_side = { .pool = &pool };
	struct io_udp a, b;
	assert_int_equal(io_udp_attach(&a, &l, sp[0], IO_BULK, 64, &pool, 150, on_rx, &tx_side), 0);
	assert_int_equal(io_udp_attach(&b, &l, sp[1], IO_BULK, 64, &pool, 0, on_rx, &rx_side), 0);

	struct pkt *v[200];
	assert_int_equal(pkt_alloc_n(&pool, v, 200), 200);
	for (int i = 0; i < 200; i++) {
		v[i]->len = 1;
		v[i]->data[0] = (uint8_t)i;	/* peer.len 0: connected pair */
	}
	/* Nobody reads b yet: the first few go out, the rest is queued up to
	 * 150, the overflow dropped. */
	int accepted = io_udp_send(&a, v, 200);
	assert_true(a.st.tx_eagain >= 1);
	int sent_now = (int)a.st.tx_pkts;
	assert_true(sent_now > 0 && sent_now < 200);
	assert_int_equal(a.qlen, 150);
	assert_int_equal(a.st.tx_qdrop, 200 - sent_now - 150);
	assert_int_equal(accepted, sent_now + 150);
	assert_true(io_loop_events(&l, sp[0]) & EPOLLOUT);
	/* everything not queued (sent or dropped) went back to the pool */
	assert_int_equal(pool.nfree, 512 - 150);

	/* Run the loop: b reads, a becomes writable and drains in bursts. */
	for (int i = 0; i < 100 && rx_side.n < accepted; i++)
		assert_true(io_loop_once(&l, 100) >= 0);
	assert_int_equal(rx_side.n, accepted);
	assert_int_equal(a.qlen, 0);
	for (int i = 0; i < accepted; i++)
		assert_int_equal(rx_side.seen[i], i);	/* in order, no gaps */
	assert_false(io_loop_events(&l, sp[0]) & EPOLLOUT);	/* disarmed */
	assert_int_equal(tx_side.n, 0);
	assert_int_equal(pool.nfree, 512);

	io_udp_detach(&a);
	io_udp_detach(&b);
	close(sp[0]);
	close(sp[1]);
	io_loop_destroy(&l);
	pkt_pool_destroy(&pool);
}

static void endpoint_delivers_bounded_bursts(void **state)
{
	(void)state;
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 256), 0);
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	struct io_udp_opts o = { .rcvbuf = 1 << 20 };
	struct sockaddr_in lo = sin4("127.0.0.1", 0);
	int srv = io_udp_open((struct sockaddr *)&lo, sizeof(lo), &o);
	int cli = open4("127.0.0.1", 0);
	struct sink s = { .pool = &pool };
	struct io_udp u;
	assert_int_equal(io_udp_attach(&u, &l, srv, IO_BULK, 16, &pool, 0, on_rx, &s), 0);
	struct sockaddr_in dst = sin4("127.0.0.1", port_of(srv));
	for (int i = 0; i < 40; i++) {
		uint8_t b = (uint8_t)i;
		assert_int_equal(sendto(cli, &b, 1, 0, (struct sockaddr *)&dst, sizeof(dst)), 1);
	}
	/* 40 waiting, burst 16: 16, 16, 8 over three iterations */
	int want[3] = { 16, 32, 40 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(io_loop_once(&l, 100), 1);
		assert_int_equal(s.n, want[i]);
	}
	for (int i = 0; i < 40; i++)
		assert_int_equal(s.seen[i], i);
	assert_int_equal(pool.nfree, 256);
	io_udp_detach(&u);
	close(srv);
	close(cli);
	io_loop_destroy(&l);
	pkt_pool_destroy(&pool);
}

static void set_dest(struct pkt *p, const char *ip, uint16_t port)
{
	struct sockaddr_in a = sin4(ip, port);
	memcpy(&p->peer.u.in, &a, sizeof(a));
	p->peer.len = sizeof(a);
}

/* Grouping keeps each destination's order and the destinations' order of
 * first appearance; one destination or none to move leaves v untouched. */
static void group_is_stable_per_destination(void **state)
{
	(void)state;
	static struct pkt pk[9];
	struct pkt *v[9];
	const char *ip[9] = { "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3", "10.0.0.2",
			      "10.0.0.1", "10.0.0.3", "10.0.0.1", "10.0.0.2" };
	for (int i = 0; i < 9; i++) {
		pkt_reset(&pk[i]);
		set_dest(&pk[i], ip[i], 1701);
		pk[i].user = (uint64_t)i;
		v[i] = &pk[i];
	}
	/* same address, other port: another destination */
	set_dest(&pk[7], "10.0.0.1", 1702);
	io_udp_group(v, 9);
	const int want[9] = { 0, 2, 5, 1, 4, 8, 3, 6, 7 };
	for (int i = 0; i < 9; i++)
		assert_int_equal(v[i]->user, want[i]);
	/* already grouped: unchanged */
	io_udp_group(v, 9);
	for (int i = 0; i < 9; i++)
		assert_int_equal(v[i]->user, want[i]);
}

struct lsink {
	int n;
	uint32_t len[512];
	uint8_t first[512];
	uint16_t port[512];
	uint32_t flags[512];
	struct pkt_pool *pool;
};

static void on_rx_len(void *ctx, struct io_udp *u, struct pkt *v[], int n)
{
	(void)u;
	struct lsink *s = ctx;
	for (int i = 0; i < n; i++) {
		if (s->n < 512) {
			s->len[s->n] = v[i]->len;
			s->first[s->n] = v[i]->data[0];
			s->port[s->n] = ntohs(v[i]->peer.u.in.sin_port);
			s->flags[s->n] = v[i]->flags;
		}
		s->n++;
	}
	pkt_free_n(s->pool, v, n);
}

/* GSO out, GRO in, on loopback: a UDP_SEGMENT message reaches a UDP_GRO
 * socket as one buffer (lo does not cut it), so this exercises both the
 * send runs and the receive split. Runs: 3 x 100 B + 50 B (the last of a
 * run may be shorter), then 200 B after a break; a second destination in
 * between; and a plain 3000-byte datagram still arrives truncated. */
static void gso_runs_and_gro_split_round_trip(void **state)
{
	(void)state;
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 512), 0);
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	struct io_udp_opts o = { .rcvbuf = 1 << 20, .gro = true };
	struct sockaddr_in lo = sin4("127.0.0.1", 0);
	int srv = io_udp_open((struct sockaddr *)&lo, sizeof(lo), &o);
	int srv2 = open4("127.0.0.1", 0);
	int cli = open4("127.0.0.1", 0);
	assert_true(srv >= 0 && srv2 >= 0 && cli >= 0);
	if (!io_udp_gso_supported(cli)) {
		skip();
		return;
	}
	struct lsink s = { .pool = &pool };
	struct io_udp u;
	assert_int_equal(io_udp_attach(&u, &l, srv, IO_BULK, 64, &pool, 0, on_rx_len, &s), 0);
	assert_true(u.gro);
	/* 0..3: srv (100,100,100,50) 4: srv2, 5..6: srv (200,200) */
	const uint32_t len[7] = { 100, 100, 100, 50, 100, 200, 200 };
	struct pkt *v[7];
	assert_int_equal(pkt_alloc_n(&pool, v, 7), 7);
	for (int i = 0; i < 7; i++) {
		v[i]->len = len[i];
		v[i]->flags |= PKT_F_GSO;
		memset(v[i]->data, i, len[i]);
		set_dest(v[i], "127.0.0.1", port_of(i == 4 ? srv2 : srv));
	}
	struct io_udp_stats st = { 0 };
	assert_int_equal(io_udp_sendv_gso(cli, v, 7, &st), 7);
	assert_int_equal(st.tx_pkts, 7);
	assert_int_equal(st.tx_gso_msgs, 2);	/* 4 + 2; the lone ones plain */
	assert_int_equal(st.tx_gso_segs, 6);
	pkt_free_n(&pool, v, 7);

	static uint8_t big[3000];
	memset(big, 0xab, sizeof(big));
	struct sockaddr_in dst = sin4("127.0.0.1", port_of(srv));
	assert_int_equal(sendto(cli, big, sizeof(big), 0, (struct sockaddr *)&dst, sizeof(dst)),
			 (ssize_t)sizeof(big));
	for (int i = 0; i < 10 && s.n < 7; i++)
		assert_true(io_loop_once(&l, 100) >= 0);
	assert_int_equal(s.n, 7);
	const int from[6] = { 0, 1, 2, 3, 5, 6 };
	for (int i = 0; i < 6; i++) {
		assert_int_equal(s.len[i], len[from[i]]);
		assert_int_equal(s.first[i], from[i]);
		assert_int_equal(s.port[i], port_of(cli));
		assert_false(s.flags[i] & PKT_F_TRUNC);
	}
	assert_int_equal(s.len[6], PKT_MAX_DATA);
	assert_true(s.flags[6] & PKT_F_TRUNC);
	assert_int_equal(u.st.rx_pkts, 7);
	assert_int_equal(u.st.rx_gro_msgs, 2);
	assert_int_equal(u.st.rx_gro_segs, 6);
	assert_int_equal(u.st.rx_trunc, 1);
	char b[256];
	assert_int_equal(recv(srv2, b, sizeof(b), MSG_DONTWAIT), 100);
	assert_int_equal(b[0], 4);
	assert_int_equal(pool.nfree, 512);

	/* The endpoint groups and sends with GSO by itself: 2 x 30 datagrams
	 * interleaved for two ports come out as 2 GSO messages. */
	struct lsink s2 = { .pool = &pool };
	struct io_udp c;
	assert_int_equal(io_udp_attach(&c, &l, cli, IO_BULK, 64, &pool, 0, on_rx_len, &s2), 0);
	assert_true(c.gso);
	struct pkt *w[60];
	assert_int_equal(pkt_alloc_n(&pool, w, 60), 60);
	for (int i = 0; i < 60; i++) {
		w[i]->len = 64;
		w[i]->flags |= PKT_F_GSO;
		memset(w[i]->data, i, 64);
		set_dest(w[i], "127.0.0.1", port_of(i % 2 ? srv2 : srv));
	}
	assert_int_equal(io_udp_send(&c, w, 60), 60);
	assert_int_equal(c.st.tx_gso_msgs, 2);
	assert_int_equal(c.st.tx_gso_segs, 60);
	s.n = 0;
	for (int i = 0; i < 10 && s.n < 30; i++)
		assert_true(io_loop_once(&l, 100) >= 0);
	assert_int_equal(s.n, 30);
	for (int i = 0; i < 30; i++)
		assert_int_equal(s.first[i], 2 * i);	/* in order */
	for (int i = 0; i < 30; i++) {
		assert_int_equal(recv(srv2, b, sizeof(b), MSG_DONTWAIT), 64);
		assert_int_equal(b[0], 2 * i + 1);
	}
	assert_int_equal(pool.nfree, 512);

	/* Unflagged pkts (control messages) never share a message. */
	assert_int_equal(pkt_alloc_n(&pool, w, 8), 8);
	for (int i = 0; i < 8; i++) {
		w[i]->len = 64;
		memset(w[i]->data, i, 64);
		set_dest(w[i], "127.0.0.1", port_of(srv2));
	}
	assert_int_equal(io_udp_send(&c, w, 8), 8);
	assert_int_equal(c.st.tx_gso_msgs, 2);
	assert_int_equal(c.st.tx_pkts, 68);
	for (int i = 0; i < 8; i++)
		assert_int_equal(recv(srv2, b, sizeof(b), MSG_DONTWAIT), 64);
	io_udp_detach(&c);
	io_udp_detach(&u);
	close(srv);
	close(srv2);
	close(cli);
	io_loop_destroy(&l);
	pkt_pool_destroy(&pool);
}

static void pool_headroom_and_double_free(void **state)
{
	(void)state;
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 2), 0);
	struct pkt *p = pkt_alloc(&pool), *q = pkt_alloc(&pool);
	assert_non_null(p);
	assert_non_null(q);
	assert_null(pkt_alloc(&pool));
	assert_int_equal(pool.alloc_fail, 1);
	memcpy(pkt_put(p, 4), "\x45\x00\x00\x14", 4);
	/* L2TP (6) + PPP (4) in front without moving the payload */
	uint8_t *payload = p->data;
	uint8_t *h = pkt_push(p, 10);
	assert_ptr_equal(h + 10, payload);
	assert_int_equal(p->len, 14);
	assert_int_equal(pkt_headroom(p), PKT_HEADROOM - 10);
	assert_null(pkt_push(p, PKT_HEADROOM));	/* more than is left */
	assert_ptr_equal(pkt_pull(p, 10), payload);
	assert_null(pkt_pull(p, 5));
	assert_int_equal(pkt_tailroom(p), PKT_MAX_DATA - 4);
	pkt_free(&pool, p);
	pkt_free(&pool, p);
	assert_int_equal(pool.double_free, 1);
	assert_int_equal(pool.nfree, 1);
	pkt_free(&pool, q);
	assert_int_equal(pool.nfree, 2);
	pkt_pool_destroy(&pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_of_64_round_trips_intact_with_pktinfo),
		cmocka_unit_test(oversize_is_flagged_and_bad_packet_skipped),
		cmocka_unit_test(eagain_queues_in_order_and_epollout_drains),
		cmocka_unit_test(endpoint_delivers_bounded_bursts),
		cmocka_unit_test(group_is_stable_per_destination),
		cmocka_unit_test(gso_runs_and_gro_split_round_trip),
		cmocka_unit_test(pool_headroom_and_double_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
