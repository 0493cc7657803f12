/*
 * udpblast: the host-side traffic source of `make bench` for the downstream
 * (host -> LAC) direction, which lacsim alone cannot drive one-way.
 *
 *   udpblast -b ADDR -p PORT [--learn S] [--quiet MS] [--duration S]
 *            [--size BYTES] [--pps N]
 *
 * Learning: it binds ADDR:PORT and records the distinct source addresses of
 * the datagrams that arrive (lacsim --data-to ADDR:PORT sends one from every
 * session), until --quiet MS pass without a datagram or --learn S in all.
 * This way it needs no knowledge of how an LNS numbers its pool.
 * Blasting: then for --duration S it sends --size-byte UDP payloads to those
 * addresses round-robin (same port they came from), in sendmmsg batches,
 * paced at --pps (0: as fast as the socket takes them).
 *
 * Prints one line: "learned N sent P pkts in T s = R pps errors E".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 64, MAXPEERS = 1 << 20, HASHSZ = 1 << 21, MAXPKT = 1472 };

struct opts {
	struct in_addr bind;
	uint16_t port;
	double learn_s, duration_s, pps;
	unsigned quiet_ms, size;
};

struct peers {
	struct sockaddr_in *a;
	uint32_t n;
	uint64_t *hash;		/* open addressing; key = addr<<16|port, +1 so 0 is empty */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void peer_add(struct peers *p, const struct sockaddr_in *sa)
{
	uint64_t key = ((uint64_t)ntohl(sa->sin_addr.s_addr) << 16 | ntohs(sa->sin_port)) + 1;
	uint64_t h = (key * 0x9e3779b97f4a7c15ull) >> 43;	/* 21 bits */

	if (p->n >= MAXPEERS)
		return;
	for (;;) {
		h &= HASHSZ - 1;
		if (p->hash[h] == key)
			return;
		if (!p->hash[h])
			break;
		h++;
	}
	p->hash[h] = key;
	p->a[p->n++] = *sa;
}

static int learn(int fd, const struct opts *o, struct peers *p)
{
	static uint8_t buf[BATCH][2048];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	uint64_t end = now_ns() + (uint64_t)(o->learn_s * 1e9);
	unsigned i;

	for (;;) {
		uint64_t t = now_ns();
		int tmo, n;
		struct pollfd pf = { .fd = fd, .events = POLLIN };

		if (t >= end)
			break;
		tmo = (int)((end - t) / 1000000u) + 1;
		if (p->n && tmo > (int)o->quiet_ms)
			tmo = (int)o->quiet_ms;
		if (poll(&pf, 1, tmo) <= 0) {
			if (p->n)
				break;	/* quiet after traffic: every session has spoken */
			continue;
		}
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof buf[i];
			memset(&mm[i], 0, sizeof mm[i]);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &from[i];
			mm[i].msg_hdr.msg_namelen = sizeof from[i];
		}
		n = recvmmsg(fd, mm, BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; n > 0 && i < (unsigned)n; i++)
			peer_add(p, &from[i]);
	}
	return p->n ? 0 : -ENOENT;
}

static void blast(int fd, const struct opts *o, const struct peers *p)
{
	static uint8_t payload[MAXPKT];
	struct mmsghdr mm[BATCH];
	struct iovec iov;
	uint64_t sent = 0, errs = 0, t0 = now_ns(), t1 = t0, end;
	uint32_t rr = 0;
	unsigned i;

	memset(payload, 0x5a, sizeof payload);
	memcpy(payload, "udpblast", 8);
	iov.iov_base = payload;
	iov.iov_len = o->size;
	end = t0 + (uint64_t)(o->duration_s * 1e9);
	while ((t1 = now_ns()) < end) {
		unsigned want = BATCH, k = 0;
		int r;

		if (o->pps > 0) {
			uint64_t due = (uint64_t)((double)(t1 - t0) * o->pps / 1e9);
			if (due <= sent + errs) {
				struct timespec ts = { 0, 50000 };
				nanosleep(&ts, NULL);
				continue;
			}
			if (due - sent - errs < want)
				want = (unsigned)(due - sent - errs);
		}
		for (i = 0; i < want; i++) {
			memset(&mm[i], 0, sizeof mm[i]);
			mm[i].msg_hdr.msg_iov = &iov;
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = (void *)&p->a[rr];
			mm[i].msg_hdr.msg_namelen = sizeof p->a[rr];
			if (++rr == p->n)
				rr = 0;
		}
		while (k < want) {
			r = sendmmsg(fd, mm + k, want - k, 0);
			if (r > 0) {
				k += (unsigned)r;
				sent += (unsigned)r;
			} else {
				/* e.g. ENOBUFS, or ICMP unreachable reported on the socket */
				errs++;
				k++;
			}
		}
	}
	printf("learned %u sent %llu pkts in %.3f s = %.1f pps errors %llu\n", p->n,
	       (unsigned long long)sent, (double)(t1 - t0) / 1e9,
	       (double)sent * 1e9 / (double)(t1 - t0 ? t1 - t0 : 1), (unsigned long long)errs);
}

static void usage(void)
{
	fprintf(stderr, "usage: udpblast -b ADDR -p PORT [--learn S] [--quiet MS] "
			"[--duration S] [--size BYTES] [--pps N]\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "learn", required_argument, NULL, 'l' },
		{ "quiet", required_argument, NULL, 'q' },
		{ "duration", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "pps", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .learn_s = 30, .duration_s = 5, .quiet_ms = 500, .size = 64 };
	struct peers p = { 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int c, fd, one = 1, sz = 8 << 20;

	while ((c = getopt_long(argc, argv, "b:p:h", lo, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (inet_pton(AF_INET, optarg, &o.bind) != 1) {
				usage();
				return 2;
			}
			break;
		case 'p': o.port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case 'l': o.learn_s = strtod(optarg, NULL); break;
		case 'q': o.quiet_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'd': o.duration_s = strtod(optarg, NULL); break;
		case 's': o.size = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': o.pps = strtod(optarg, NULL); break;
		default: usage(); return 2;
		}
	}
	if (!o.port || o.size < 1 || o.size > MAXPKT || o.duration_s <= 0 || o.pps < 0) {
		usage();
		return 2;
	}
	p.a = calloc(MAXPEERS, sizeof *p.a);
	p.hash = calloc(HASHSZ, sizeof *p.hash);
	if (!p.a || !p.hash)
		return 1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udpblast: socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	sa.sin_addr = o.bind;
	sa.sin_port = htons(o.port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		perror("udpblast: bind");
		return 1;
	}
	if (learn(fd, &o, &p) < 0) {
		fprintf(stderr, "udpblast: nothing arrived to learn addresses from\n");
		return 1;
	}
	blast(fd, &o, &p);
	free(p.a);
	free(p.hash);
	close(fd);
	return 0;
}
