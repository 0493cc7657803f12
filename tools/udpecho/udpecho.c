/*
 * udpecho: reflect every UDP datagram to its sender, in batches
 * (recvmmsg/sendmmsg). The data responder of lacsim's traffic tests.
 *
 *   udpecho [-b ADDR] -p PORT [--stats]
 *
 * ADDR is IPv4 or IPv6 (then an IPv6-only socket); without it, IPv4 any.
 *
 * Counts are printed on SIGINT/SIGTERM (and every second with --stats).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 64, MAXPKT = 65536 };

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct counts {
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes, tx_err;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void print_counts(const struct counts *c, const char *what)
{
	fprintf(stderr, "udpecho: %s rx %llu pkts %llu bytes, tx %llu pkts %llu bytes, %llu errors\n",
		what, (unsigned long long)c->rx_pkts, (unsigned long long)c->rx_bytes,
		(unsigned long long)c->tx_pkts, (unsigned long long)c->tx_bytes,
		(unsigned long long)c->tx_err);
}

/* Send back datagrams [0, n) of the batch; keep trying briefly when the
 * socket buffer is full rather than dropping. */
static void reflect(int fd, struct mmsghdr *mm, unsigned n, struct counts *c)
{
	unsigned i = 0, tries = 0;

	while (i < n) {
		int r = sendmmsg(fd, mm + i, n - i, 0);
		if (r > 0) {
			unsigned k;
			for (k = i; k < i + (unsigned)r; k++) {
				c->tx_pkts++;
				c->tx_bytes += mm[k].msg_len;
			}
			i += (unsigned)r;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == ENOBUFS) && tries++ < 50) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };
			poll(&pf, 1, 1);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		c->tx_err++; /* e.g. ICMP-reported unreachable: skip that one */
		i++;
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static uint8_t buf[BATCH][MAXPKT];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage from[BATCH];
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	bool v6 = false;
	struct counts c = { 0 };
	struct sigaction sa;
	bool stats = false;
	long port = -1;
	uint64_t next;
	int fd, opt, big = 8 << 20;

	while ((opt = getopt_long(argc, argv, "b:p:h", lo, NULL)) != -1) {
		switch (opt) {
		case 'b':
			v6 = strchr(optarg, ':') != NULL;
			if (v6 ? inet_pton(AF_INET6, optarg, &a6.sin6_addr) != 1
			       : inet_pton(AF_INET, optarg, &a.sin_addr) != 1) {
				fprintf(stderr, "udpecho: bad address %s\n", optarg);
				return 2;
			}
			break;
		case 'p':
			port = strtol(optarg, NULL, 10);
			break;
		case 's':
			stats = true;
			break;
		default:
			fprintf(stderr, "usage: udpecho [-b ADDR] -p PORT [--stats]\n");
			return 2;
		}
	}
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "usage: udpecho [-b ADDR] -p PORT [--stats]\n");
		return 2;
	}
	a.sin_port = htons((uint16_t)port);
	a6.sin6_port = htons((uint16_t)port);
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && v6) {
		int one = 1;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	}
	if (fd < 0 || (v6 ? bind(fd, (struct sockaddr *)&a6, sizeof a6)
			  : bind(fd, (struct sockaddr *)&a, sizeof a)) < 0) {
		perror("udpecho: socket/bind");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: let poll return EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	next = now_ns() + 1000000000u;
	while (!stop) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int n, i, rounds;

		n = poll(&pf, 1, stats ? 200 : 1000);
		if (stats && now_ns() >= next) {
			print_counts(&c, "stats");
			next += 1000000000u;
		}
		if (n <= 0)
			continue;
		for (rounds = 0; rounds < 64 && !stop; rounds++) {
			for (i = 0; i < BATCH; i++) {
				iov[i].iov_base = buf[i];
				iov[i].iov_len = MAXPKT;
				memset(&mm[i], 0, sizeof mm[i]);
				mm[i].msg_hdr.msg_iov = &iov[i];
				mm[i].msg_hdr.msg_iovlen = 1;
				mm[i].msg_hdr.msg_name = &from[i];
				mm[i].msg_hdr.msg_namelen = sizeof from[i];
			}
			n = recvmmsg(fd, mm, BATCH, MSG_DONTWAIT, NULL);
			if (n <= 0)
				break;
			for (i = 0; i < n; i++) {
				c.rx_pkts++;
				c.rx_bytes += mm[i].msg_len;
				/* the same buffers go back out, to the sender's address */
				iov[i].iov_len = mm[i].msg_len;
			}
			reflect(fd, mm, (unsigned)n, &c);
			if (n < BATCH)
				break;
		}
	}
	print_counts(&c, "total");
	close(fd);
	return 0;
}
