/*
 * fwd_bench: how many 64-byte packets src/io forwards per CPU-second.
 *
 * In a private network namespace, a generator process (pinned to the last
 * CPU) offers load both ways to a forwarder (this process, pinned to CPU 0):
 *
 *   upstream   gen --UDP 8-byte hdr + 64-byte IPv4 pkt--> fwd :1701
 *              fwd strips the header, writes the packet into the TUN
 *              kernel delivers it to the generator's sink 10.99.0.1:7000
 *   downstream gen --UDP--> 10.100.0.2 (routed into the TUN)
 *              fwd reads it from the TUN, pushes an 8-byte header into the
 *              headroom, sends it to the generator's sink 127.0.0.1:7001
 *
 * The figure is packets forwarded / CPU time of the forwarder process
 * (CLOCK_PROCESS_CPUTIME_ID, which includes any io_uring worker threads).
 * Modes: "single" one syscall per packet on both sides (UDP burst 1, TUN
 * read/write), "mmsg+rw" recvmmsg/sendmmsg with per-packet TUN syscalls,
 * "mmsg+uring" recvmmsg/sendmmsg with io_uring-batched TUN.
 *
 * Usage: fwd_bench [seconds per mode, default 3]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/loop.h"
#include "io/nl.h"
#include "io/pkt.h"
#include "io/tun.h"
#include "io/udp.h"

#define HDR 8			/* stands in for the L2TP + PPP header */
#define FWD_PORT 1701
#define SINK_UP 7000
#define SINK_DOWN 7001

struct fwd {
	struct io_loop loop;
	struct pkt_pool pool;
	struct io_udp udp;
	struct io_tun tun;
	struct sockaddr_in sink;
	int single;
	uint64_t up, down;
};

static void die(const char *what, int err)
{
	fprintf(stderr, "fwd_bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

static void udp_in(void *ctx, struct io_udp *u, struct pkt *v[], int n)
{
	(void)u;
	struct fwd *f = ctx;
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (pkt_pull(v[i], HDR))
			v[k++] = v[i];
		else
			pkt_free(&f->pool, v[i]);
	}
	f->up += (uint64_t)io_tun_write(&f->tun, v, k);
}

static void tun_in(void *ctx, struct io_tun *t, struct pkt *v[], int n)
{
	(void)t;
	struct fwd *f = ctx;
	for (int i = 0; i < n; i++) {
		uint8_t *h = pkt_push(v[i], HDR);
		memset(h, 0, HDR);
		memcpy(&v[i]->peer.u.in, &f->sink, sizeof(f->sink));
		v[i]->peer.len = sizeof(f->sink);
	}
	if (f->single) {
		for (int i = 0; i < n; i++)
			f->down += (uint64_t)io_udp_send(&f->udp, &v[i], 1);
	} else {
		f->down += (uint64_t)io_udp_send(&f->udp, v, n);
	}
}

static void stop(void *ctx, struct io_timer *t, uint64_t now)
{
	(void)t;
	(void)now;
	io_loop_stop(ctx, 0);
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Generator: offers load both ways and drains both sinks until killed. */
static void generator(int cpu)
{
	pin(cpu);
	int up = socket(AF_INET, SOCK_DGRAM, 0);
	int down = socket(AF_INET, SOCK_DGRAM, 0);
	int s_up = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int s_down = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(SINK_UP) };
	inet_pton(AF_INET, "10.99.0.1", &a.sin_addr);
	if (bind(s_up, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind sink up", errno);
	a.sin_port = htons(SINK_DOWN);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (bind(s_down, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind sink down", errno);

	/* upstream datagram: 8-byte header + IPv4/UDP packet of 64 bytes */
	uint8_t up_pkt[HDR + 64];
	memset(up_pkt, 0, sizeof(up_pkt));
	uint8_t *ip = up_pkt + HDR;
	ip[0] = 0x45;
	ip[3] = 64;
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, "10.100.0.2", ip + 12);
	inet_pton(AF_INET, "10.99.0.1", ip + 16);
	uint16_t c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	ip[20] = 0x10;		/* source port 4096 */
	ip[22] = SINK_UP >> 8;
	ip[23] = SINK_UP & 0xff;
	ip[25] = 44;
	static uint8_t down_pl[36];

	struct sockaddr_in fwd = { .sin_family = AF_INET, .sin_port = htons(FWD_PORT) };
	inet_pton(AF_INET, "127.0.0.1", &fwd.sin_addr);
	struct sockaddr_in far = { .sin_family = AF_INET, .sin_port = htons(9) };
	inet_pton(AF_INET, "10.100.0.2", &far.sin_addr);

	enum { B = 32 };
	struct mmsghdr um[B], dm[B], rm[B];
	struct iovec uiov = { up_pkt, sizeof(up_pkt) }, diov = { down_pl, sizeof(down_pl) };
	static uint8_t rbuf[B][2048];
	struct iovec riov[B];
	for (int i = 0; i < B; i++) {
		um[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &fwd, .msg_namelen = sizeof(fwd),
						       .msg_iov = &uiov, .msg_iovlen = 1 } };
		dm[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &far, .msg_namelen = sizeof(far),
						       .msg_iov = &diov, .msg_iovlen = 1 } };
		riov[i] = (struct iovec){ rbuf[i], sizeof(rbuf[i]) };
		rm[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &riov[i], .msg_iovlen = 1 } };
	}
	for (;;) {
		sendmmsg(up, um, B, 0);
		sendmmsg(down, dm, B, 0);
		while (recvmmsg(s_up, rm, B, MSG_DONTWAIT, NULL) > 0)
			;
		while (recvmmsg(s_down, rm, B, MSG_DONTWAIT, NULL) > 0)
			;
	}
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(const char *mode, enum io_tun_backend be, int burst, int single, int seconds,
		int tunfd, int ncpu)
{
	struct fwd f;
	memset(&f, 0, sizeof(f));
	f.single = single;
	f.sink = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(SINK_DOWN) };
	inet_pton(AF_INET, "127.0.0.1", &f.sink.sin_addr);
	int err;
	if ((err = io_loop_init(&f.loop, NULL)) || (err = pkt_pool_init(&f.pool, 8192)))
		die("init", err);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(FWD_PORT) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	struct io_udp_opts o = { .rcvbuf = 4 << 20, .sndbuf = 4 << 20 };
	int ufd = io_udp_open((struct sockaddr *)&a, sizeof(a), &o);
	if (ufd < 0)
		die("udp", ufd);
	if ((err = io_udp_attach(&f.udp, &f.loop, ufd, IO_BULK, burst, &f.pool, 0, udp_in, &f)))
		die("udp attach", err);
	if ((err = io_tun_attach(&f.tun, &f.loop, tunfd, be, &f.pool, single ? 8 : 64, tun_in, &f,
				 NULL)))
		die("tun attach", err);

	pid_t g = fork();
	if (g == 0)
		generator(ncpu - 1);
	struct io_timer t;
	timer_init(&t, stop, &f.loop);
	/* let the generator start before measuring */
	usleep(200000);
	uint64_t up0 = f.up, down0 = f.down;
	double c0 = cpu_now();
	io_loop_timer_after(&f.loop, &t, (uint64_t)seconds * 1000);
	uint64_t w0 = io_now_ms();
	io_loop_run(&f.loop);
	double cpu = cpu_now() - c0;
	double wall = (double)(io_now_ms() - w0) / 1000.0;
	kill(g, SIGKILL);
	waitpid(g, NULL, 0);
	uint64_t n = (f.up - up0) + (f.down - down0);
	printf("%-11s %10.0f pkt/CPU-s  (%llu up + %llu down in %.2f s wall, %.2f s CPU; "
	       "udp tx_eagain %llu qdrop %llu, tun tx_err %llu)\n",
	       mode, cpu > 0 ? (double)n / cpu : 0.0, (unsigned long long)(f.up - up0),
	       (unsigned long long)(f.down - down0), wall, cpu,
	       (unsigned long long)f.udp.st.tx_eagain, (unsigned long long)f.udp.st.tx_qdrop,
	       (unsigned long long)f.tun.st.tx_err);
	fflush(stdout);
	io_tun_detach(&f.tun);
	io_udp_detach(&f.udp);
	close(ufd);
	io_loop_destroy(&f.loop);
	pkt_pool_destroy(&f.pool);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 3;
	if (seconds <= 0)
		seconds = 3;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "fwd_bench: needs root (network namespace, TUN); skipped\n");
		return 0;
	}
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	pin(0);
	struct io_nl nl;
	int err = io_nl_open(&nl);
	if (err)
		die("netlink", err);
	struct io_nl_link lo;
	if ((err = io_nl_link_get(&nl, 0, "lo", &lo)) || (err = io_nl_link_set(&nl, lo.ifindex, 1, 0, 0)))
		die("lo up", err);
	char ifname[IF_NAMESIZE];
	int tunfd = io_tun_open("bench0", ifname);
	if (tunfd < 0)
		die("tun", tunfd);
	struct io_tun_cfg cfg = { .mtu = 1500, .txqlen = 1000, .prefixlen = 32, .has_addr = 1 };
	inet_pton(AF_INET, "10.99.0.1", cfg.addr);
	int ifindex = io_tun_configure(&nl, ifname, &cfg);
	if (ifindex < 0)
		die("tun configure", ifindex);
	uint8_t net[4];
	inet_pton(AF_INET, "10.100.0.0", net);
	if ((err = io_nl_route_add(&nl, AF_INET, net, 24, ifindex)))
		die("route", err);

	printf("fwd_bench: 64-byte packets UDP<->TUN, %d s per mode, %d CPUs\n", seconds, ncpu);
	run("single", IO_TUN_RW, 1, 1, seconds, tunfd, ncpu);
	run("mmsg+rw", IO_TUN_RW, 64, 0, seconds, tunfd, ncpu);
	run("mmsg+uring", IO_TUN_URING, 64, 0, seconds, tunfd, ncpu);
	close(tunfd);
	io_nl_close(&nl);
	return 0;
}
