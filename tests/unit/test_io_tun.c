/*
 * TUN and rtnetlink in a private network namespace (the test process
 * unshares one at start, so nothing touches the host's interfaces):
 * configuration read back over netlink, routes, and packets both ways
 * through the io_uring backend and the read/write fallback.
 * Needs root (CAP_NET_ADMIN) and /dev/net/tun; skips otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/nl.h"
#include "io/tun.h"

static int usable;		/* 1 when in a fresh namespace with TUN */

static int setup_ns(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		fprintf(stderr, "test_io_tun: not root, TUN/netlink tests skipped\n");
		return 0;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "test_io_tun: unshare(CLONE_NEWNET): %s, skipped\n", strerror(errno));
		return 0;
	}
	if (access("/dev/net/tun", R_OK | W_OK) < 0) {
		fprintf(stderr, "test_io_tun: no /dev/net/tun, skipped\n");
		return 0;
	}
	usable = 1;
	return 0;
}

#define NEED_NS()                   \
	do {                        \
		if (!usable)        \
			skip();     \
	} while (0)

static void ip4(const char *s, uint8_t out[4])
{
	assert_int_equal(inet_pton(AF_INET, s, out), 1);
}

struct find_route {
	int family, len, oif, found;
	uint8_t dst[16];
};

static int route_cb(void *ctx, const struct io_nl_route *r)
{
	struct find_route *f = ctx;
	size_t alen = f->family == AF_INET ? 4 : 16;
	if (r->family == f->family && r->dst_len == f->len && r->oif == f->oif &&
	    r->table == RT_TABLE_MAIN && !memcmp(r->dst, f->dst, alen))
		f->found++;
	return 0;
}

static int has_route(struct io_nl *nl, int family, const char *dst, int len, int oif)
{
	struct find_route f = { .family = family, .len = len, .oif = oif };
	assert_int_equal(inet_pton(family, dst, f.dst), 1);
	assert_int_equal(io_nl_route_dump(nl, family, route_cb, &f), 0);
	return f.found;
}

struct find_addr {
	int ifindex, found, prefixlen;
	uint8_t a[4];
};

static int addr_cb(void *ctx, const struct io_nl_addr *a)
{
	struct find_addr *f = ctx;
	if (a->family == AF_INET && a->ifindex == f->ifindex && !memcmp(a->addr, f->a, 4)) {
		f->found++;
		f->prefixlen = a->prefixlen;
	}
	return 0;
}

static int up_tun(struct io_nl *nl, const char *name, char ifname[IF_NAMESIZE], int *ifindex)
{
	int fd = io_tun_open(name, ifname);
	assert_true(fd >= 0);
	struct io_tun_cfg cfg = { .mtu = 1400, .txqlen = 1000, .prefixlen = 32, .has_addr = 1 };
	ip4("10.99.0.1", cfg.addr);
	*ifindex = io_tun_configure(nl, ifname, &cfg);
	assert_true(*ifindex > 0);
	return fd;
}

static void netlink_configures_tun_and_routes(void **state)
{
	(void)state;
	NEED_NS();
	struct io_nl nl;
	assert_int_equal(io_nl_open(&nl), 0);
	char ifname[IF_NAMESIZE];
	int ifindex;
	int fd = up_tun(&nl, "l2tpt0", ifname, &ifindex);
	assert_string_equal(ifname, "l2tpt0");

	/* read the link back */
	struct io_nl_link link;
	assert_int_equal(io_nl_link_get(&nl, ifindex, NULL, &link), 0);
	assert_string_equal(link.name, "l2tpt0");
	assert_int_equal(link.mtu, 1400);
	assert_int_equal(link.txqlen, 1000);
	assert_true(link.flags & IFF_UP);
	assert_int_equal(io_nl_link_get(&nl, 0, "nosuchdev", &link), -ENODEV);
	/* MTU beyond the buffer is refused before touching the device */
	struct io_tun_cfg big = { .mtu = PKT_MAX_DATA + 1 };
	assert_int_equal(io_tun_configure(&nl, ifname, &big), -EINVAL);

	/* the address is there exactly once, even if added again */
	uint8_t a[4];
	ip4("10.99.0.1", a);
	assert_int_equal(io_nl_addr_add(&nl, ifindex, AF_INET, a, 32), 0);
	struct find_addr fa = { .ifindex = ifindex };
	memcpy(fa.a, a, 4);
	assert_int_equal(io_nl_addr_dump(&nl, AF_INET, addr_cb, &fa), 0);
	assert_int_equal(fa.found, 1);
	assert_int_equal(fa.prefixlen, 32);

	/* a pool range: host bits given are masked off; add is idempotent */
	uint8_t d[4];
	ip4("10.100.0.77", d);
	assert_int_equal(has_route(&nl, AF_INET, "10.100.0.0", 24, ifindex), 0);
	assert_int_equal(io_nl_route_add(&nl, AF_INET, d, 24, ifindex), 0);
	assert_int_equal(io_nl_route_add(&nl, AF_INET, d, 24, ifindex), 0);
	assert_int_equal(has_route(&nl, AF_INET, "10.100.0.0", 24, ifindex), 1);
	/* a single session address */
	ip4("10.200.1.5", d);
	assert_int_equal(io_nl_route_add(&nl, AF_INET, d, 32, ifindex), 0);
	assert_int_equal(has_route(&nl, AF_INET, "10.200.1.5", 32, ifindex), 1);
	assert_int_equal(io_nl_route_del(&nl, AF_INET, d, 32, ifindex), 0);
	assert_int_equal(has_route(&nl, AF_INET, "10.200.1.5", 32, ifindex), 0);
	assert_int_equal(io_nl_route_del(&nl, AF_INET, d, 32, ifindex), 0);	/* ESRCH */
	ip4("10.100.0.0", d);
	assert_int_equal(io_nl_route_del(&nl, AF_INET, d, 24, ifindex), 0);
	assert_int_equal(has_route(&nl, AF_INET, "10.100.0.0", 24, ifindex), 0);
	/* errors that are not "already so" still come back */
	assert_int_equal(io_nl_route_add(&nl, AF_INET, d, 24, 9999), -ENODEV);
	assert_int_equal(io_nl_route_add(&nl, AF_INET, d, 33, ifindex), -EINVAL);

	/* IPv6 (Framed-IPv6-Route towards the tun), if the kernel has it */
	if (access("/proc/net/if_inet6", F_OK) == 0) {
		uint8_t d6[16];
		assert_int_equal(inet_pton(AF_INET6, "2001:db8:5::", d6), 1);
		assert_int_equal(io_nl_route_add(&nl, AF_INET6, d6, 48, ifindex), 0);
		assert_int_equal(io_nl_route_add(&nl, AF_INET6, d6, 48, ifindex), 0);
		assert_int_equal(has_route(&nl, AF_INET6, "2001:db8:5::", 48, ifindex), 1);
		assert_int_equal(io_nl_route_del(&nl, AF_INET6, d6, 48, ifindex), 0);
		assert_int_equal(has_route(&nl, AF_INET6, "2001:db8:5::", 48, ifindex), 0);
		assert_int_equal(io_nl_route_del(&nl, AF_INET6, d6, 48, ifindex), 0);
	}
	close(fd);
	io_nl_close(&nl);
}

/* ---- traffic ------------------------------------------------------------ */

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* IPv4 + UDP (checksum 0: allowed for IPv4, RFC 768) around payload. */
static uint32_t build_udp4(uint8_t *b, const uint8_t src[4], uint16_t sport,
			   const uint8_t dst[4], uint16_t dport, const char *payload)
{
	size_t pl = strlen(payload);
	uint32_t len = (uint32_t)(20 + 8 + pl);
	memset(b, 0, 28);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[8] = 64;
	b[9] = 17;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
	uint16_t c = csum(b, 20);
	b[10] = (uint8_t)(c >> 8);
	b[11] = (uint8_t)c;
	b[20] = (uint8_t)(sport >> 8);
	b[21] = (uint8_t)sport;
	b[22] = (uint8_t)(dport >> 8);
	b[23] = (uint8_t)dport;
	b[24] = (uint8_t)((8 + pl) >> 8);
	b[25] = (uint8_t)(8 + pl);
	memcpy(b + 28, payload, pl);
	return len;
}

struct coll {
	struct pkt_pool *pool;
	struct pkt *got[64];
	int n;
	int other;		/* packets that were not ours (IPv6 noise ...) */
	int max_batch;
};

static void on_tun(void *ctx, struct io_tun *t, struct pkt *v[], int n)
{
	(void)t;
	struct coll *c = ctx;
	if (n > c->max_batch)
		c->max_batch = n;
	for (int i = 0; i < n; i++) {
		const uint8_t *d = v[i]->data;
		/* ours: IPv4, UDP, to port 9999 */
		if (c->n < 64 && v[i]->len >= 28 && d[0] == 0x45 && d[9] == 17 &&
		    d[22] == 0x27 && d[23] == 0x0f)
			c->got[c->n++] = v[i];
		else {
			c->other++;
			pkt_free(c->pool, v[i]);
		}
	}
}

static void traffic(enum io_tun_backend want, const char *name)
{
	struct io_nl nl;
	assert_int_equal(io_nl_open(&nl), 0);
	char ifname[IF_NAMESIZE];
	int ifindex;
	int fd = up_tun(&nl, name, ifname, &ifindex);
	uint8_t net[4], me[4];
	ip4("10.100.0.0", net);
	ip4("10.99.0.1", me);
	assert_int_equal(io_nl_route_add(&nl, AF_INET, net, 24, ifindex), 0);

	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 512), 0);
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	struct coll c = { .pool = &pool };
	struct io_tun t;
	assert_int_equal(io_tun_attach(&t, &l, fd, want, &pool, 16, on_tun, &c, NULL), 0);
	assert_int_equal(t.backend, want);

	/* a socket on the tun's address; the kernel routes its datagrams to
	 * 10.100.0.x into the tun, where we read them */
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(5000) };
	memcpy(&sa.sin_addr, me, 4);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	for (int i = 0; i < 40; i++) {
		char msg[32];
		snprintf(msg, sizeof(msg), "down %d", i);
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9999) };
		to.sin_addr.s_addr = htonl(0x0a640000u + 1 + (uint32_t)i);
		assert_int_equal(sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&to, sizeof(to)),
				 (ssize_t)strlen(msg));
	}
	for (int i = 0; i < 50 && c.n < 40; i++)
		assert_true(io_loop_once(&l, 100) >= 0);
	assert_int_equal(c.n, 40);
	assert_true(c.max_batch <= 16);		/* the burst bound holds */
	for (int i = 0; i < 40; i++) {
		struct pkt *p = c.got[i];
		char msg[32];
		int ml = snprintf(msg, sizeof(msg), "down %d", i);
		assert_int_equal(p->data - p->buf, PKT_HEADROOM);
		assert_int_equal(p->len, 28 + (uint32_t)ml);
		assert_memory_equal(p->data + 12, me, 4);
		assert_int_equal(p->data[19], 1 + i);	/* 10.100.0.(i+1), in order */
		assert_memory_equal(p->data + 28, msg, (size_t)ml);
	}
	/* every read slot still posted: 16 buffers out of the pool */
	for (int i = 0; i < c.n; i++)
		pkt_free(&pool, c.got[i]);
	if (want == IO_TUN_URING)
		assert_int_equal(pool.nfree, 512 - 16);

	/* upstream: 32 packets written as one vector, received on s */
	struct pkt *v[32];
	assert_int_equal(pkt_alloc_n(&pool, v, 32), 32);
	for (int i = 0; i < 32; i++) {
		char msg[32];
		snprintf(msg, sizeof(msg), "up %d", i);
		uint8_t src[4] = { 10, 100, 0, (uint8_t)(100 + i) };
		v[i]->len = build_udp4(v[i]->data, src, 9999, me, 5000, msg);
	}
	assert_int_equal(io_tun_write(&t, v, 32), 32);
	for (int i = 0; i < 32; i++) {
		struct pollfd pf = { .fd = s, .events = POLLIN };
		assert_int_equal(poll(&pf, 1, 1000), 1);
		char buf[64], msg[32];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		int ml = snprintf(msg, sizeof(msg), "up %d", i);
		assert_int_equal(r, ml);
		assert_memory_equal(buf, msg, (size_t)ml);
		assert_int_equal(ntohl(from.sin_addr.s_addr), 0x0a640000u + 100 + (uint32_t)i);
		assert_int_equal(ntohs(from.sin_port), 9999);
	}
	/* a packet that is neither IPv4 nor IPv6 is refused by the kernel
	 * (EINVAL) and counted, alone */
	struct pkt *bad = pkt_alloc(&pool);
	bad->len = 20;
	memset(bad->data, 0, 20);
	assert_int_equal(io_tun_write(&t, &bad, 1), 1);
	for (int i = 0; i < 3; i++)
		io_loop_once(&l, 10);	/* reap write completions */
	assert_int_equal(t.st.tx_pkts, 32);
	assert_int_equal(t.st.tx_err, 1);
	assert_int_equal(t.backend, want);	/* one bad packet is not a ring failure */

	io_tun_detach(&t);
	assert_int_equal(pool.nfree, 512);	/* every buffer came back */
	close(s);
	close(fd);
	io_loop_destroy(&l);
	pkt_pool_destroy(&pool);
	io_nl_close(&nl);
}

static void traffic_through_io_uring(void **state)
{
	(void)state;
	NEED_NS();
	struct io_tun probe;
	struct pkt_pool pool;
	struct io_loop l;
	assert_int_equal(pkt_pool_init(&pool, 64), 0);
	assert_int_equal(io_loop_init(&l, NULL), 0);
	char ifname[IF_NAMESIZE];
	int fd = io_tun_open("l2tpt9", ifname);
	assert_true(fd >= 0);
	struct coll c = { .pool = &pool };
	int r = io_tun_attach(&probe, &l, fd, IO_TUN_AUTO, &pool, 8, on_tun, &c, NULL);
	assert_int_equal(r, 0);
	enum io_tun_backend got = probe.backend;
	if (got == IO_TUN_URING)
		fprintf(stderr, "test_io_tun: io_uring reads: %s\n",
			probe.mshot ? "one multishot read" : "single reads");
	io_tun_detach(&probe);
	close(fd);
	io_loop_destroy(&l);
	assert_int_equal(pool.nfree, 64);
	pkt_pool_destroy(&pool);
	if (got != IO_TUN_URING) {
		fprintf(stderr, "test_io_tun: io_uring unavailable here, skipped\n");
		skip();
	}
	traffic(IO_TUN_URING, "l2tpt1");
}

static void traffic_through_read_write(void **state)
{
	(void)state;
	NEED_NS();
	traffic(IO_TUN_RW, "l2tpt2");
}

static void send_down(int s, int i)
{
	char msg[32];
	snprintf(msg, sizeof(msg), "down %d", i);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9999) };
	to.sin_addr.s_addr = htonl(0x0a640000u + 1 + (uint32_t)i);
	assert_int_equal(sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)strlen(msg));
}

/* Every buffer held by the core: no read can be posted, so no completion
 * would ever wake the ring again. Once buffers come back, reading resumes
 * by itself. */
static void uring_resumes_after_pool_exhaustion(void **state)
{
	(void)state;
	NEED_NS();
	struct io_nl nl;
	assert_int_equal(io_nl_open(&nl), 0);
	char ifname[IF_NAMESIZE];
	int ifindex;
	int fd = up_tun(&nl, "l2tpt4", ifname, &ifindex);
	uint8_t net[4];
	ip4("10.100.0.0", net);
	assert_int_equal(io_nl_route_add(&nl, AF_INET, net, 24, ifindex), 0);
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 4), 0);	/* exactly the read slots */
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	struct coll c = { .pool = &pool };
	struct io_tun t;
	assert_int_equal(io_tun_attach(&t, &l, fd, IO_TUN_AUTO, &pool, 4, on_tun, &c, NULL), 0);
	if (t.backend != IO_TUN_URING) {
		io_tun_detach(&t);
		close(fd);
		skip();
	}
	assert_int_equal(pool.nfree, 0);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (int i = 0; i < 6; i++)
		send_down(s, i);
	for (int i = 0; i < 20 && c.n < 4; i++)
		io_loop_once(&l, 50);
	assert_int_equal(c.n, 4);	/* the 4 buffers we had */
	assert_true(t.st.rx_nobuf > 0);
	for (int i = 0; i < 3; i++)	/* starved: nothing more arrives */
		io_loop_once(&l, 10);
	assert_int_equal(c.n, 4);
	/* the core lets go of them: the remaining 2 must arrive */
	for (int i = 0; i < 4; i++)
		pkt_free(&pool, c.got[i]);
	c.n = 0;
	for (int i = 0; i < 20 && c.n < 2; i++)
		io_loop_once(&l, 50);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.got[0]->data[19], 5);
	assert_int_equal(c.got[1]->data[19], 6);
	pkt_free(&pool, c.got[0]);
	pkt_free(&pool, c.got[1]);
	io_tun_detach(&t);
	assert_int_equal(pool.nfree, 4);
	close(s);
	close(fd);
	io_loop_destroy(&l);
	pkt_pool_destroy(&pool);
	io_nl_close(&nl);
}

struct logged {
	int n;
	char last[256];
};

static void logger(void *ctx, int level, const char *msg)
{
	(void)level;
	struct logged *lg = ctx;
	lg->n++;
	snprintf(lg->last, sizeof(lg->last), "%s", msg);
}

/* The device disappears under the ring: the outstanding reads fail, the tun
 * drops to read/write, says so in the log, and no buffer is lost. */
static void ring_failure_falls_back_to_read_write(void **state)
{
	(void)state;
	NEED_NS();
	struct io_nl nl;
	assert_int_equal(io_nl_open(&nl), 0);
	char ifname[IF_NAMESIZE];
	int fd = io_tun_open("l2tpt3", ifname);
	assert_true(fd >= 0);
	struct io_nl_link link;
	assert_int_equal(io_nl_link_get(&nl, 0, ifname, &link), 0);
	struct pkt_pool pool;
	assert_int_equal(pkt_pool_init(&pool, 64), 0);
	struct io_loop l;
	assert_int_equal(io_loop_init(&l, NULL), 0);
	struct coll c = { .pool = &pool };
	struct logged lg = { 0 };
	struct io_log log = { logger, &lg };
	struct io_tun t;
	assert_int_equal(io_tun_attach(&t, &l, fd, IO_TUN_AUTO, &pool, 8, on_tun, &c, &log), 0);
	if (t.backend != IO_TUN_URING) {
		io_tun_detach(&t);
		close(fd);
		skip();
	}
	assert_int_equal(io_nl_link_del(&nl, link.ifindex), 0);
	for (int i = 0; i < 5 && t.backend == IO_TUN_URING; i++)
		io_loop_once(&l, 100);
	assert_int_equal(t.backend, IO_TUN_RW);
	assert_int_equal(t.st.uring_fallback, 1);
	assert_int_equal(t.pollfd, fd);
	assert_non_null(strstr(lg.last, "using read/write"));
	assert_int_equal(c.n, 0);
	io_tun_detach(&t);
	assert_int_equal(pool.nfree, 64);
	close(fd);
	io_loop_destroy(&l);
	pkt_pool_destroy(&pool);
	assert_int_equal(io_nl_link_get(&nl, 0, "l2tpt3", &link), -ENODEV);
	io_nl_close(&nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(netlink_configures_tun_and_routes),
		cmocka_unit_test(traffic_through_io_uring),
		cmocka_unit_test(traffic_through_read_write),
		cmocka_unit_test(ring_failure_falls_back_to_read_write),
		cmocka_unit_test(uring_resumes_after_pool_exhaustion),
	};
	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
