/*
 * lacsim: an L2TP LAC and PPP client simulator and load generator.
 *
 * One process, one epoll loop. Each tunnel has its own UDP socket (its own
 * source port): to the LNS every tunnel looks like a separate LAC, so it has
 * to demultiplex by Tunnel ID *and* answer to the right port (RFC 2661 §8.1),
 * and a bug that keys tunnels on the peer address alone shows up. Datagrams
 * are sent in batches with sendmmsg and read with recvmmsg; timers live in a
 * heap; there is no per-session syscall beyond the packets themselves.
 *
 * Phases: set-up (tunnels at once, sessions ramped at -r), data (with
 * --data-to or --data-to6), hold (--hold / --forever), teardown (CDN per call, StopCCN per
 * tunnel, wait briefly for the acknowledgements), report.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "codec/buf.h"
#include "lacsim.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	(void)sig;
	got_signal++;
}

uint64_t lac_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * LS_SEC + (uint64_t)ts.tv_nsec;
}

void lac_random(void *p, size_t n)
{
	uint8_t *b = p;

	while (n) {
		ssize_t r = getrandom(b, n, 0);
		if (r <= 0)
			continue;
		b += r;
		n -= (size_t)r;
	}
}

void lac_log(struct lac *l, const char *fmt, ...)
{
	va_list ap;

	(void)l;
	fprintf(stderr, "lacsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

unsigned lac_reason(struct lac *l, const char *fmt, ...)
{
	char t[96];
	va_list ap;
	unsigned i;

	va_start(ap, fmt);
	vsnprintf(t, sizeof t, fmt, ap);
	va_end(ap);
	for (i = 0; i < l->nreasons; i++)
		if (!strcmp(l->reasons[i].text, t))
			break;
	if (i == l->nreasons) {
		if (l->nreasons == MAX_REASONS)
			i = MAX_REASONS - 1; /* the last slot collects the overflow */
		else
			snprintf(l->reasons[l->nreasons++].text, sizeof l->reasons[0].text, "%s", t);
	}
	return i;
}

void lac_timer(struct lac *l, uint32_t key, uint32_t gen, uint64_t due)
{
	if (tm_push(&l->timers, due, key, gen) < 0)
		lac_log(l, "out of memory for timers");
}

/* ---- batched transmission ----------------------------------------------- */

void lac_flush(struct lac *l)
{
	struct mmsghdr mm[TX_BATCH];
	struct iovec iov[TX_BATCH];
	unsigned i = 0, j;

	for (j = 0; j < l->ntx; j++) {
		iov[j].iov_base = l->txbuf[j];
		iov[j].iov_len = l->tx[j].len;
		memset(&mm[j], 0, sizeof mm[j]);
		mm[j].msg_hdr.msg_iov = &iov[j];
		mm[j].msg_hdr.msg_iovlen = 1;
		mm[j].msg_hdr.msg_name = &l->tx[j].to;
		mm[j].msg_hdr.msg_namelen = sizeof l->tx[j].to;
	}
	while (i < l->ntx) {
		unsigned k = i, tries = 0;
		int r;
		/* one sendmmsg per run of datagrams for the same socket */
		while (k < l->ntx && l->tx[k].fd == l->tx[i].fd)
			k++;
		while (i < k) {
			r = sendmmsg(l->tx[i].fd, mm + i, k - i, 0);
			if (r > 0) {
				i += (unsigned)r;
				continue;
			}
			if (r < 0 && (errno == EAGAIN || errno == ENOBUFS) && tries++ < 20) {
				struct pollfd pf = { .fd = l->tx[i].fd, .events = POLLOUT };
				poll(&pf, 1, 1);
				continue;
			}
			/* the datagram is lost; control messages are retransmitted */
			l->tx_errors++;
			if (l->tx[i].data) {
				l->d_tx_pkts--;
				l->d_tx_bytes -= l->tx[i].iplen;
				l->d_tx_drop++;
			}
			i++;
		}
	}
	l->ntx = 0;
}

uint8_t *lac_tx_buf(struct lac *l)
{
	if (l->ntx == TX_BATCH)
		lac_flush(l);
	l->tx[l->ntx].data = false;
	return l->txbuf[l->ntx];
}

void lac_tx_commit(struct lac *l, int fd, const struct sockaddr_in *to, size_t len)
{
	struct txent *e = &l->tx[l->ntx++];

	e->fd = fd;
	e->len = (uint16_t)len;
	e->to = *to;
	if (l->ntx == TX_BATCH)
		lac_flush(l);
}

void lac_tx(struct lac *l, int fd, const struct sockaddr_in *to, const uint8_t *p, size_t len)
{
	uint8_t *b = lac_tx_buf(l);

	if (len > PKT_MAX)
		return;
	memcpy(b, p, len);
	lac_tx_commit(l, fd, to, len);
}

/* ---- data phase --------------------------------------------------------- */

/* The UDP port a session's test traffic comes from. */
static uint16_t data_sport(const struct session *s)
{
	return (uint16_t)(1024 + s->num % 60000);
}

/* --data-to6: the same test payload over IPv6, from prefix::ifid. */
static void data_send_one6(struct lac *l, struct session *s, uint64_t now)
{
	struct tunnel *t = &l->tun[s->tun];
	uint8_t *b = lac_tx_buf(l);
	struct pkt_payload pl = { .session = s->num, .seq = s->tx_seq, .ts_ns = now };
	struct pkt_udp6 u = { .sport = data_sport(s), .dport = l->o.data_port6, .hlim = 64 };
	int h = l2tp_data_hdr_encode(b, PKT_MAX, t->ptid, s->psid, false), n;
	struct txent *e;

	if (h < 0)
		return;
	memcpy(u.src, s->ppp.addr6, 16);
	memcpy(u.dst, l->o.data_to6, 16);
	b[h] = 0xff;
	b[h + 1] = 0x03;
	be16_put(b + h + 2, 0x0057);
	if (pkt_payload_write(b + h + 4 + PKT_IP6_HDR + PKT_UDP_HDR, l->o.size, &pl) < 0)
		return;
	n = pkt_udp6_build(b + h + 4, PKT_MAX - (size_t)h - 4, &u, l->o.size);
	if (n < 0)
		return;
	s->tx_seq++;
	s->tx_pkts++;
	l->d_tx_pkts++;
	l->d_tx_bytes += (uint64_t)n;
	e = &l->tx[l->ntx];
	e->data = true;
	e->iplen = (uint16_t)n;
	lac_tx_commit(l, t->fd, &t->peer, (size_t)(h + 4 + n));
}

static void data_send_one(struct lac *l, struct session *s, uint64_t now)
{
	if (l->o.data6) {
		data_send_one6(l, s, now);
		return;
	}
	struct tunnel *t = &l->tun[s->tun];
	uint8_t *b = lac_tx_buf(l);
	struct pkt_payload pl = { .session = s->num, .seq = s->tx_seq, .ts_ns = now };
	struct pkt_udp4 u = {
		.src = s->ppp.addr,
		.dst = ntohl(l->o.data_to.sin_addr.s_addr),
		.sport = data_sport(s),
		.dport = ntohs(l->o.data_to.sin_port),
		.ip_id = (uint16_t)s->tx_seq,
		.ttl = 64,
	};
	int h = l2tp_data_hdr_encode(b, PKT_MAX, t->ptid, s->psid, false), n;
	struct txent *e;

	if (h < 0)
		return;
	b[h] = 0xff;
	b[h + 1] = 0x03;
	be16_put(b + h + 2, 0x0021);
	if (pkt_payload_write(b + h + 4 + PKT_IP_HDR + PKT_UDP_HDR, l->o.size, &pl) < 0)
		return;
	n = pkt_udp4_build(b + h + 4, PKT_MAX - (size_t)h - 4, &u, l->o.size);
	if (n < 0)
		return;
	s->tx_seq++;
	s->tx_pkts++;
	l->d_tx_pkts++;
	l->d_tx_bytes += (uint64_t)n;
	/* marked before the commit, which may flush at once: a datagram the
	 * kernel refuses is then taken back out of the data counters */
	e = &l->tx[l->ntx];
	e->data = true;
	e->iplen = (uint16_t)n;
	lac_tx_commit(l, t->fd, &t->peer, (size_t)(h + 4 + n));
}

/* Answer an ICMP Echo-Request to the session's address (RFC 792), so that a
 * person can ping a subscriber through the LNS. */
static bool icmp_echo(struct lac *l, struct session *s, const uint8_t *ip, size_t len)
{
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4, tot;
	if (len < 28 || (ip[0] >> 4) != 4 || ip[9] != 1 || ihl < 20 || len < ihl + 8 ||
	    be32_get(ip + 16) != s->ppp.addr || ip[ihl] != 8)
		return false;
	tot = be16_get(ip + 2);
	if (tot > len || tot < ihl + 8 || tot + 64 > PKT_MAX)
		return true;
	struct tunnel *t = &l->tun[s->tun];
	uint8_t *b = lac_tx_buf(l);
	int h = l2tp_data_hdr_encode(b, PKT_MAX, t->ptid, s->psid, false);
	if (h < 0)
		return true;
	b[h] = 0xff;
	b[h + 1] = 0x03;
	be16_put(b + h + 2, 0x0021);
	uint8_t *r = b + h + 4;
	memcpy(r, ip, tot);
	memcpy(r + 12, ip + 16, 4); /* swap addresses: the header sum is unchanged */
	memcpy(r + 16, ip + 12, 4);
	r[ihl] = 0; /* Echo-Reply */
	r[ihl + 2] = r[ihl + 3] = 0;
	uint32_t sum = 0;
	for (size_t i = ihl; i + 1 < tot; i += 2)
		sum += be16_get(r + i);
	if ((tot - ihl) & 1)
		sum += (uint32_t)r[tot - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	be16_put(r + ihl + 2, (uint16_t)~sum);
	l->icmp_echoes++;
	lac_tx_commit(l, t->fd, &t->peer, (size_t)h + 4 + tot);
	return true;
}

static void data_count(struct lac *l, struct session *s, const struct pkt_payload *p, bool mine,
		       size_t iplen);

void data_rx(struct lac *l, struct session *s, const uint8_t *ip, size_t len)
{
	struct pkt_udp4 u;
	struct pkt_payload pl;
	const uint8_t *pay;
	int n;

	if (icmp_echo(l, s, ip, len))
		return;
	n = pkt_udp4_parse(ip, len, &u, &pay);

	if (n < 0 || u.src != ntohl(l->o.data_to.sin_addr.s_addr) ||
	    u.sport != ntohs(l->o.data_to.sin_port) || pkt_payload_read(pay, (size_t)n, &pl) < 0) {
		l->rx_data_other++;
		return;
	}
	data_count(l, s, &pl, pl.session == s->num && u.dst == s->ppp.addr, be16_get(ip + 2));
}

/* An echoed test packet for s; mine: it is addressed to s and carries its
 * session number, else the LNS delivered another session's packet here. */
static void data_count(struct lac *l, struct session *s, const struct pkt_payload *p, bool mine,
		       size_t iplen)
{
	struct pkt_payload pl = *p;
	uint64_t now = lac_now();

	if (!mine) {
		s->rx_foreign++;
		l->d_rx_foreign++;
		return;
	}
	s->rx_pkts++;
	if (s->rx_pkts > 1 && pl.seq <= s->rx_max_seq)
		s->rx_dup_or_old++;
	if (pl.seq > s->rx_max_seq)
		s->rx_max_seq = pl.seq;
	l->d_rx_pkts++;
	l->d_rx_bytes += iplen;
	l->d_t_last_rx = now;
	if (now > pl.ts_ns) {
		uint64_t rtt = now - pl.ts_ns;
		l->rtt_sum_ns += rtt;
		l->rtt_n++;
		if (rtt > l->rtt_max_ns)
			l->rtt_max_ns = rtt;
	}
}

/* A host accepts only packets for its own addresses and the multicast groups
 * it joined (RFC 4291 §2.8): fe80::ifid, prefix::ifid once autoconfigured,
 * all-nodes ff02::1. Anything else, e.g. an RA sent to the unspecified
 * address ::, which RFC 4291 §2.5.2 forbids as a destination, is counted
 * and dropped. */
static bool for_us6(struct lac *l, struct session *s, const uint8_t *ip, size_t len)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t ll[16] = { 0xfe, 0x80 };
	const uint8_t *dst = ip + 24;

	if (len < PKT_IP6_HDR || (ip[0] >> 4) != 6) {
		l->rx6_other++;
		return false;
	}
	memcpy(ll + 8, s->ppp.ifid, 8);
	if (!memcmp(dst, ll, 16) || !memcmp(dst, all_nodes, 16) ||
	    (s->ppp.ra_ok && !memcmp(dst, s->ppp.addr6, 16)))
		return true;
	l->rx6_not_mine++;
	if (l->o.verbose) {
		char d[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, dst, d, sizeof d);
		lac_log(l, "tid=%u sid=%u n=%u IPv6 packet not for us: dst=%s next=%u", s->tun + 1u,
			s->lsid, s->num, d, ip[6]);
	}
	return false;
}

void data_rx6(struct lac *l, struct session *s, const uint8_t *ip, size_t len)
{
	struct pkt_udp6 u;
	struct pkt_payload pl;
	const uint8_t *pay;
	int n;

	if (!for_us6(l, s, ip, len))
		return;
	if (len >= PKT_IP6_HDR + 1 && (ip[0] >> 4) == 6 && ip[6] == PKT_NH_ICMP6 &&
	    ip[PKT_IP6_HDR] == PKT_ICMP6_RA) {
		struct pkt_ra ra;
		ppp_ra(l, s, &ra, pkt_ra_parse(ip, len, &ra));
		return;
	}
	if (s->ppp.ra_ok) {
		struct tunnel *t = &l->tun[s->tun];
		uint8_t *b = lac_tx_buf(l);
		int h = l2tp_data_hdr_encode(b, PKT_MAX, t->ptid, s->psid, false);
		/* RFC 4443 §4.2: a person can ping6 the subscriber's address */
		n = h < 0 ? 0
			  : pkt_echo6_reply(b + h + 4, PKT_MAX - (size_t)h - 4, ip, len, s->ppp.addr6);
		if (n > 0) {
			b[h] = 0xff;
			b[h + 1] = 0x03;
			be16_put(b + h + 2, 0x0057);
			l->icmp6_echoes++;
			lac_tx_commit(l, t->fd, &t->peer, (size_t)h + 4 + (size_t)n);
			return;
		}
		if (n < 0) {
			l->rx6_other++;
			return;
		}
	}
	n = pkt_udp6_parse(ip, len, &u, &pay);
	if (n < 0 || !l->o.data6 || memcmp(u.src, l->o.data_to6, 16) != 0 ||
	    u.sport != l->o.data_port6 || pkt_payload_read(pay, (size_t)n, &pl) < 0 ||
	    s->state != S_UP) {
		l->rx6_other++;
		return;
	}
	data_count(l, s, &pl, pl.session == s->num && !memcmp(u.dst, s->ppp.addr6, 16),
		   (size_t)be16_get(ip + 4) + PKT_IP6_HDR);
}

/* [ADDR]:PORT with an IPv6 address. */
static int parse_addr6(const char *s, uint8_t a[16], uint16_t *port)
{
	char host[64];
	const char *c = strchr(s, ']');
	char *end;
	long p;

	if (s[0] != '[' || !c || c[1] != ':' || (size_t)(c - s - 1) >= sizeof host)
		return -1;
	memcpy(host, s + 1, (size_t)(c - s - 1));
	host[c - s - 1] = 0;
	p = strtol(c + 2, &end, 10);
	if (*end || p <= 0 || p > 65535)
		return -1;
	*port = (uint16_t)p;
	return inet_pton(AF_INET6, host, a) == 1 ? 0 : -1;
}

/* ---- options ------------------------------------------------------------ */

static int parse_addr(const char *s, struct sockaddr_in *a, uint16_t defport)
{
	char host[64];
	const char *c = strrchr(s, ':');
	size_t hl = c ? (size_t)(c - s) : strlen(s);
	char *end;
	long port = defport;

	if (hl >= sizeof host)
		return -1;
	memcpy(host, s, hl);
	host[hl] = 0;
	if (c) {
		port = strtol(c + 1, &end, 10);
		if (*end || port <= 0 || port > 65535)
			return -1;
	}
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: lacsim -s LNS_IP[:PORT] [-b LOCAL_IP] -t TUNNELS -n SESSIONS_PER_TUNNEL\n"
		"              -u USER_FMT -p PASSWORD [-a pap|chap] [-r SESSIONS_PER_S]\n"
		"              [-S SECRET [-H]] [--data-to IP:PORT [--pps N] [--size BYTES]\n"
		"              [--duration S] [--max-loss PERCENT]] [--hold S | --forever]\n"
		"              [--timeout S] [--mru N] [--host-name NAME] [--json] [-v]\n"
		"              [--ipv6 [--rs] [--ifid0] [--data-to6 [IPV6]:PORT]]\n"
		"  USER_FMT: %%d is replaced by the session number 1..T*N (session k of\n"
		"  tunnel t, both from 0, is number t*N+k+1); sessions start round-robin\n"
		"  over the tunnels. --size is the UDP payload size (>= %d, size + 28 <=\n"
		"  --mru, default 1400); rates in Mbit/s count whole IPv4 packets.\n"
		"  --ipv6 negotiates IPV6CP too: a session is up once it also has a\n"
		"  global address from a valid Router Advertisement (--rs: solicit one at\n"
		"  once); --ifid0 first proposes Interface-Identifier 0 so that the LNS\n"
		"  has to Nak one; --data-to6 sends the data phase over IPv6 (size + 48\n"
		"  <= --mru).\n"
		"  Exit 0 only if every session came up\n"
		"  and stayed up (and data loss <= --max-loss, default 1%%).\n",
		PKT_PAYLOAD_MIN);
}

static int parse_opts(struct opts *o, int argc, char **argv)
{
	enum { O_DATA = 256, O_PPS, O_SIZE, O_DUR, O_HOLD, O_FOREVER, O_JSON, O_LOSS, O_TMO,
	       O_MRU, O_HOST, O_IPV6, O_RS, O_DATA6, O_IFID0 };
	static const struct option lo[] = {
		{ "data-to", required_argument, NULL, O_DATA },
		{ "pps", required_argument, NULL, O_PPS },
		{ "size", required_argument, NULL, O_SIZE },
		{ "duration", required_argument, NULL, O_DUR },
		{ "hold", required_argument, NULL, O_HOLD },
		{ "forever", no_argument, NULL, O_FOREVER },
		{ "json", no_argument, NULL, O_JSON },
		{ "max-loss", required_argument, NULL, O_LOSS },
		{ "timeout", required_argument, NULL, O_TMO },
		{ "mru", required_argument, NULL, O_MRU },
		{ "host-name", required_argument, NULL, O_HOST },
		{ "ipv6", no_argument, NULL, O_IPV6 },
		{ "rs", no_argument, NULL, O_RS },
		{ "ifid0", no_argument, NULL, O_IFID0 },
		{ "data-to6", required_argument, NULL, O_DATA6 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	bool have_lns = false;

	memset(o, 0, sizeof *o);
	o->tunnels = 1;
	o->per_tunnel = 1;
	o->auth = AUTH_PAP;
	o->pps = 1000;
	o->size = 64;
	o->duration = 10;
	o->max_loss = 1.0;
	o->timeout = -1;
	o->mru = 1400;
	o->host_name = "lacsim";
	while ((c = getopt_long(argc, argv, "s:b:t:n:u:p:a:r:S:Hvh", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_addr(optarg, &o->lns, L2TP_UDP_PORT) < 0)
				return -1;
			have_lns = true;
			break;
		case 'b':
			if (inet_pton(AF_INET, optarg, &o->bind) != 1)
				return -1;
			break;
		case 't': o->tunnels = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': o->per_tunnel = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'u': o->user_fmt = optarg; break;
		case 'p': o->password = optarg; break;
		case 'a':
			if (!strcmp(optarg, "pap"))
				o->auth = AUTH_PAP;
			else if (!strcmp(optarg, "chap"))
				o->auth = AUTH_CHAP;
			else
				return -1;
			break;
		case 'r': o->rate = strtod(optarg, NULL); break;
		case 'S': o->secret = optarg; break;
		case 'H': o->hide = true; break;
		case 'v': o->verbose = true; break;
		case O_DATA:
			if (parse_addr(optarg, &o->data_to, 9) < 0)
				return -1;
			o->data = true;
			break;
		case O_PPS: o->pps = strtod(optarg, NULL); break;
		case O_SIZE: o->size = (unsigned)strtoul(optarg, NULL, 10); break;
		case O_DUR: o->duration = strtod(optarg, NULL); break;
		case O_HOLD: o->hold = strtod(optarg, NULL); break;
		case O_FOREVER: o->hold = -1; break;
		case O_JSON: o->json = true; break;
		case O_LOSS: o->max_loss = strtod(optarg, NULL); break;
		case O_TMO: o->timeout = strtod(optarg, NULL); break;
		case O_MRU: o->mru = (uint16_t)strtoul(optarg, NULL, 10); break;
		case O_HOST: o->host_name = optarg; break;
		case O_IPV6: o->ipv6 = true; break;
		case O_RS: o->rs = true; break;
		case O_IFID0: o->ifid0 = true; break;
		case O_DATA6:
			if (parse_addr6(optarg, o->data_to6, &o->data_port6) < 0)
				return -1;
			o->data6 = o->data = o->ipv6 = true;
			break;
		default:
			return -1;
		}
	}
	if (!have_lns || !o->user_fmt || !o->password || o->tunnels == 0 ||
	    o->tunnels > 65535 || o->per_tunnel == 0 || o->per_tunnel > 65535 ||
	    (uint64_t)o->tunnels * o->per_tunnel > 1000000 || o->size < PKT_PAYLOAD_MIN ||
	    o->size > 1472 || o->mru < 128 || o->mru > 1500 || o->pps < 0 || o->rate < 0) {
		return -1;
	}
	{
		char u[128];
		if (pkt_fmt_user(u, sizeof u, o->user_fmt, 1) < 0) {
			fprintf(stderr, "lacsim: bad -u format (one %%d at most)\n");
			return -1;
		}
	}
	if (o->data6 && o->data_to.sin_family) {
		fprintf(stderr, "lacsim: --data-to and --data-to6 exclude each other\n");
		return -1;
	}
	if ((o->rs || o->ifid0) && !o->ipv6)
		return -1;
	if (o->data6 && o->size + PKT_IP6_HDR + PKT_UDP_HDR > o->mru) {
		fprintf(stderr, "lacsim: --size %u + 48 exceeds --mru %u\n", o->size, o->mru);
		return -1;
	}
	if (o->data && o->size + PKT_IP_HDR + PKT_UDP_HDR > o->mru) {
		/* the LNS must not send us more than our MRU (RFC 1661 §6.1):
		 * echoed packets above it would be dropped and count as loss */
		fprintf(stderr, "lacsim: --size %u + 28 exceeds --mru %u\n", o->size, o->mru);
		return -1;
	}
	if (o->hide && !o->secret) {
		fprintf(stderr, "lacsim: -H needs -S SECRET\n");
		return -1;
	}
	if (o->timeout < 0)
		o->timeout = 30 + (o->rate > 0 ? o->tunnels * (double)o->per_tunnel / o->rate : 0);
	return 0;
}

/* ---- reporting ---------------------------------------------------------- */

static double secs(uint64_t ns)
{
	return (double)ns / 1e9;
}

static void status_line(struct lac *l, uint64_t now)
{
	unsigned i, tup = 0;
	uint64_t rtx = 0, ctx = 0;

	for (i = 0; i < l->o.tunnels; i++) {
		tup += l->tun[i].state == T_ESTABLISHED;
		rtx += l->tun[i].ctl_rtx;
		ctx += l->tun[i].ctl_tx;
	}
	fprintf(stderr,
		"[%7.1fs] tunnels %u/%u  sessions up %u/%u failed %u dropped %u  ctl tx %llu rtx %llu"
		"  data tx %llu rx %llu\n",
		secs(now - l->t0), tup, l->o.tunnels, l->n_cur_up, l->nsess, l->n_failed,
		l->n_dropped, (unsigned long long)ctx, (unsigned long long)rtx,
		(unsigned long long)l->d_tx_pkts, (unsigned long long)l->d_rx_pkts);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

struct data_sum {
	double tx_s, rx_s, loss;
	uint32_t s_ok, s_silent, s_foreign, s_sent;
	uint64_t dup;
};

static void data_summary(struct lac *l, struct data_sum *d)
{
	uint32_t i;

	memset(d, 0, sizeof *d);
	d->tx_s = l->d_t_end > l->d_t_start ? secs(l->d_t_end - l->d_t_start) : 0;
	d->rx_s = l->d_t_last_rx > l->d_t_start ? secs(l->d_t_last_rx - l->d_t_start) : 0;
	d->loss = l->d_tx_pkts ? 100.0 * (double)(l->d_tx_pkts - (l->d_rx_pkts < l->d_tx_pkts
								      ? l->d_rx_pkts
								      : l->d_tx_pkts)) /
					 (double)l->d_tx_pkts
			       : 0;
	for (i = 0; i < l->nsess; i++) {
		struct session *s = &l->sess[i];
		if (!s->tx_pkts)
			continue;
		d->s_sent++;
		d->dup += s->rx_dup_or_old;
		if (s->rx_foreign)
			d->s_foreign++;
		else if (!s->rx_pkts)
			d->s_silent++;
		else
			d->s_ok++;
	}
}

static double rate(double n, double s)
{
	return s > 0 ? n / s : 0;
}

enum { JSON_ADDRS6 = 100 };

/* Counts, and the addresses of the first sessions so a test can reach them
 * ("" for a session without one). */
static void report_ipv6_json(struct lac *l)
{
	uint32_t i;

	printf("\"ipv6_up\":%u,\"ra_ok\":%u,\"ra_rx\":%llu,\"ra_bad\":%llu,\"rs_tx\":%llu,"
	       "\"icmp6_echoes\":%llu,\"rx6_other\":%llu,\"rx6_not_mine\":%llu,\"addrs6\":[",
	       l->n_ipv6_up, l->n_ra_ok, (unsigned long long)l->ra_rx,
	       (unsigned long long)l->ra_bad, (unsigned long long)l->rs_tx,
	       (unsigned long long)l->icmp6_echoes, (unsigned long long)l->rx6_other,
	       (unsigned long long)l->rx6_not_mine);
	for (i = 0; i < l->nsess && i < JSON_ADDRS6; i++) {
		char a[INET6_ADDRSTRLEN] = "";
		if (l->sess[i].ppp.ra_ok)
			inet_ntop(AF_INET6, l->sess[i].ppp.addr6, a, sizeof a);
		printf("%s\"%s\"", i ? "," : "", a);
	}
	printf("],");
}

static void report(struct lac *l)
{
	uint64_t setup_ns = l->t_last_up > l->t_first_sccrq ? l->t_last_up - l->t_first_sccrq : 0;
	double setup_rate = rate(l->n_up, secs(setup_ns));
	uint64_t ctl_tx = 0, ctl_rx = 0, rtx = 0, zlb = 0;
	struct data_sum d;
	unsigned i;
	bool first = true;

	for (i = 0; i < l->o.tunnels; i++) {
		ctl_tx += l->tun[i].ctl_tx;
		ctl_rx += l->tun[i].ctl_rx;
		rtx += l->tun[i].ctl_rtx;
		zlb += l->tun[i].zlb_tx;
	}
	data_summary(l, &d);
	if (l->o.json) {
		printf("{\"tunnels\":%u,\"sessions\":%u,\"attempted\":%u,\"up\":%u,\"failed\":%u,"
		       "\"dropped\":%u,\"closed_acked\":%u,\"reasons\":[",
		       l->o.tunnels, l->nsess, l->n_attempted, l->n_up, l->n_failed, l->n_dropped,
		       l->n_closed);
		for (i = 0; i < l->nreasons; i++) {
			if (!l->reasons[i].count)
				continue;
			printf("%s{\"reason\":", first ? "" : ",");
			json_str(l->reasons[i].text);
			printf(",\"count\":%u}", l->reasons[i].count);
			first = false;
		}
		printf("],\"setup_s\":%.6f,\"setup_rate\":%.2f,\"time_to_all_up_s\":%.6f,",
		       secs(setup_ns), setup_rate,
		       l->t_all_up ? secs(l->t_all_up - l->t0) : -1.0);
		printf("\"control\":{\"tx\":%llu,\"rx\":%llu,\"retransmits\":%llu,\"zlb_tx\":%llu,"
		       "\"bad\":%llu,\"lcp_echo_replies\":%llu,\"proto_rejects\":%llu},",
		       (unsigned long long)ctl_tx, (unsigned long long)ctl_rx,
		       (unsigned long long)rtx, (unsigned long long)zlb,
		       (unsigned long long)(l->rx_bad_l2tp + l->rx_bad_ctl),
		       (unsigned long long)l->lcp_echo_replies, (unsigned long long)l->ppp_proto_rej);
		if (l->o.data)
			printf("\"data\":{\"tx_pkts\":%llu,\"tx_bytes\":%llu,\"rx_pkts\":%llu,"
			       "\"rx_bytes\":%llu,\"tx_dropped_locally\":%llu,\"loss_pct\":%.4f,"
			       "\"tx_pps\":%.1f,\"tx_mbps\":%.3f,\"rx_pps\":%.1f,\"rx_mbps\":%.3f,"
			       "\"rtt_avg_us\":%.1f,\"rtt_max_us\":%.1f,\"sessions_sending\":%u,"
			       "\"sessions_verified\":%u,\"sessions_no_reply\":%u,"
			       "\"sessions_foreign\":%u,\"foreign_pkts\":%llu,\"reordered_or_dup\":%llu},",
			       (unsigned long long)l->d_tx_pkts, (unsigned long long)l->d_tx_bytes,
			       (unsigned long long)l->d_rx_pkts, (unsigned long long)l->d_rx_bytes,
			       (unsigned long long)l->d_tx_drop, d.loss, rate((double)l->d_tx_pkts, d.tx_s),
			       rate((double)l->d_tx_bytes * 8 / 1e6, d.tx_s),
			       rate((double)l->d_rx_pkts, d.rx_s),
			       rate((double)l->d_rx_bytes * 8 / 1e6, d.rx_s),
			       l->rtt_n ? (double)l->rtt_sum_ns / (double)l->rtt_n / 1e3 : 0,
			       (double)l->rtt_max_ns / 1e3, d.s_sent, d.s_ok, d.s_silent,
			       d.s_foreign, (unsigned long long)l->d_rx_foreign,
			       (unsigned long long)d.dup);
		if (l->o.ipv6)
			report_ipv6_json(l);
		printf("\"ok\":%s}\n", l->exit_ok ? "true" : "false");
		fflush(stdout);
		return;
	}
	printf("sessions: %u attempted, %u up, %u failed, %u dropped after up, %u closed+acked\n",
	       l->n_attempted, l->n_up, l->n_failed, l->n_dropped, l->n_closed);
	for (i = 0; i < l->nreasons; i++)
		if (l->reasons[i].count)
			printf("  %6u x %s\n", l->reasons[i].count, l->reasons[i].text);
	printf("setup: %.3f s from first SCCRQ to last IPCP Opened, %.1f sessions/s", secs(setup_ns),
	       setup_rate);
	if (l->t_all_up)
		printf(", all up after %.3f s\n", secs(l->t_all_up - l->t0));
	else
		printf(", not all up\n");
	printf("control: %llu sent, %llu received, %llu retransmitted, %llu ZLB, %llu bad\n",
	       (unsigned long long)ctl_tx, (unsigned long long)ctl_rx, (unsigned long long)rtx,
	       (unsigned long long)zlb, (unsigned long long)(l->rx_bad_l2tp + l->rx_bad_ctl));
	if (l->o.data) {
		printf("data out: %llu pkts %llu bytes in %.3f s = %.1f pps %.3f Mbit/s"
		       " (%llu dropped locally)\n",
		       (unsigned long long)l->d_tx_pkts, (unsigned long long)l->d_tx_bytes, d.tx_s,
		       rate((double)l->d_tx_pkts, d.tx_s),
		       rate((double)l->d_tx_bytes * 8 / 1e6, d.tx_s),
		       (unsigned long long)l->d_tx_drop);
		printf("data back: %llu pkts %llu bytes in %.3f s = %.1f pps %.3f Mbit/s\n",
		       (unsigned long long)l->d_rx_pkts, (unsigned long long)l->d_rx_bytes, d.rx_s,
		       rate((double)l->d_rx_pkts, d.rx_s),
		       rate((double)l->d_rx_bytes * 8 / 1e6, d.rx_s));
		printf("loss %.3f%%, rtt avg %.1f us max %.1f us; sessions: %u sent, %u verified,"
		       " %u no reply, %u got foreign packets (%llu)\n",
		       d.loss, l->rtt_n ? (double)l->rtt_sum_ns / (double)l->rtt_n / 1e3 : 0,
		       (double)l->rtt_max_ns / 1e3, d.s_sent, d.s_ok, d.s_silent, d.s_foreign,
		       (unsigned long long)l->d_rx_foreign);
	}
	if (l->o.ipv6)
		printf("ipv6: %u sessions IPV6CP up, %u with a valid RA; RAs %llu valid %llu refused,"
		       " %llu RS sent, %llu Echo-Requests answered\n",
		       l->n_ipv6_up, l->n_ra_ok, (unsigned long long)l->ra_rx,
		       (unsigned long long)l->ra_bad, (unsigned long long)l->rs_tx,
		       (unsigned long long)l->icmp6_echoes);
	printf("result: %s\n", l->exit_ok ? "OK" : "FAIL");
}

/* ---- the loop ----------------------------------------------------------- */

static int open_sockets(struct lac *l)
{
	unsigned i;
	int big = 4 << 20;

	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->ep < 0)
		return -errno;
	for (i = 0; i < l->o.tunnels; i++) {
		struct tunnel *t = &l->tun[i];
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr = l->o.bind };
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

		t->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (t->fd < 0)
			return -errno;
		setsockopt(t->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
		setsockopt(t->fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
		if (bind(t->fd, (struct sockaddr *)&a, sizeof a) < 0)
			return -errno;
		if (epoll_ctl(l->ep, EPOLL_CTL_ADD, t->fd, &ev) < 0)
			return -errno;
	}
	return 0;
}

static void rx_socket(struct lac *l, struct tunnel *t)
{
	struct mmsghdr mm[RX_BATCH];
	struct iovec iov[RX_BATCH];
	struct sockaddr_in from[RX_BATCH];
	int round, i, n;

	for (round = 0; round < 16; round++) {
		for (i = 0; i < RX_BATCH; i++) {
			iov[i].iov_base = l->rxbuf[i];
			iov[i].iov_len = PKT_MAX;
			memset(&mm[i], 0, sizeof mm[i]);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &from[i];
			mm[i].msg_hdr.msg_namelen = sizeof from[i];
		}
		n = recvmmsg(t->fd, mm, RX_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++) {
			l->rx_pkts++;
			ctrl_rx(l, t, &from[i], l->rxbuf[i], mm[i].msg_len);
		}
		if (n < RX_BATCH)
			return;
	}
}

static void run_timers(struct lac *l, uint64_t now)
{
	struct tm_ent e;

	while (tm_next(&l->timers) <= now && tm_pop(&l->timers, &e)) {
		if (e.key & TKEY_TUN) {
			struct tunnel *t = &l->tun[e.key & ~TKEY_TUN];
			if (e.gen == t->tgen)
				ctrl_timer(l, t);
		} else {
			struct session *s = &l->sess[e.key];
			if (e.gen == s->tgen)
				ppp_timer(l, s);
		}
	}
}

/* One turn: wait for packets or the earliest deadline, handle them, flush. */
static void turn(struct lac *l, uint64_t deadline)
{
	struct epoll_event ev[64];
	uint64_t now = lac_now(), next = tm_next(&l->timers);
	int i, n, ms;

	if (deadline < next)
		next = deadline;
	ms = next <= now ? 0 : (int)((next - now + LS_MS - 1) / LS_MS);
	if (ms > 100)
		ms = 100;
	n = epoll_wait(l->ep, ev, 64, ms);
	for (i = 0; i < n; i++)
		rx_socket(l, &l->tun[ev[i].data.u32]);
	run_timers(l, lac_now());
	ctrl_flush_acks(l);
	lac_flush(l);
}

static uint32_t start_index(const struct lac *l, uint32_t j)
{
	/* round-robin over the tunnels */
	return (j % l->o.tunnels) * l->o.per_tunnel + j / l->o.tunnels;
}

static void phase_setup(struct lac *l)
{
	uint64_t end = l->t0 + (uint64_t)(l->o.timeout * 1e9), next_status = l->t0 + LS_SEC;
	unsigned i;

	for (i = 0; i < l->o.tunnels; i++)
		if (ctrl_open_tunnel(l, &l->tun[i]) < 0)
			l->tun[i].state = T_CLOSED;
	lac_flush(l);
	while (!got_signal) {
		uint64_t now = lac_now(), next_start = UINT64_MAX;
		while (l->next_start < l->nsess) {
			uint64_t due = l->o.rate > 0
					       ? l->t0 + (uint64_t)((double)l->next_start / l->o.rate * 1e9)
					       : 0;
			if (due > now) {
				next_start = due;
				break;
			}
			ctrl_start_session(l, &l->sess[start_index(l, l->next_start++)]);
		}
		if (l->n_up + l->n_failed >= l->nsess)
			break;
		if (now >= end)
			break;
		if (!l->o.json && now >= next_status) {
			status_line(l, now);
			next_status += LS_SEC;
		}
		turn(l, next_start < end ? next_start : end);
	}
	if (l->n_up == l->nsess)
		l->t_all_up = l->t_last_up;
	/* whatever has not come up by now has failed */
	for (i = 0; i < l->nsess; i++) {
		struct session *s = &l->sess[i];
		static const char *const names[] = { "not started", "waiting for tunnel/window",
						     "waiting for ICRP", "PPP", "up", "closing",
						     "down" };
		if (s->state == S_IDLE) {
			s->reason = (uint8_t)lac_reason(l, "setup timeout: not started");
			l->reasons[s->reason].count++;
			s->state = S_DOWN;
			l->n_failed++;
		} else if (s->state == S_WAIT_TUNNEL || s->state == S_WAIT_ICRP ||
			   s->state == S_PPP) {
			const char *ph = s->state != S_PPP ? names[s->state]
				       : s->ppp.phase == PH_LCP ? "LCP"
				       : s->ppp.phase == PH_AUTH ? "authentication" : "IPCP";
			ctrl_session_down(l, s, L2TP_CDN_GENERAL_ERROR, "%s: %s",
					  got_signal ? "interrupted during setup" : "setup timeout", ph);
		}
	}
	lac_flush(l);
}

static void phase_data(struct lac *l)
{
	uint32_t *up, nup = 0, rr = 0, i;
	uint64_t now, end, drain_end;

	up = calloc(l->nsess, sizeof *up);
	if (!up)
		return;
	for (i = 0; i < l->nsess; i++)
		if (l->sess[i].state == S_UP)
			up[nup++] = i;
	l->data_phase = true;
	l->d_t_start = lac_now();
	end = l->d_t_start + (uint64_t)(l->o.duration * 1e9);
	while (nup && !got_signal && (now = lac_now()) < end) {
		uint64_t due = (uint64_t)((double)(now - l->d_t_start) * l->o.pps / 1e9);
		uint64_t want = due > l->d_tx_pkts + l->d_tx_drop ? due - l->d_tx_pkts - l->d_tx_drop : 0;
		uint32_t tries = 0;
		if (want > 4096)
			want = 4096;
		while (want && tries++ < nup * 2 + 4096) {
			struct session *s = &l->sess[up[rr++ % nup]];
			if (s->state != S_UP)
				continue;
			data_send_one(l, s, now);
			want--;
		}
		lac_flush(l);
		l->d_t_end = lac_now();
		turn(l, now + LS_MS);
	}
	/* let the replies in flight arrive */
	drain_end = lac_now() + LS_SEC;
	while (!got_signal && (now = lac_now()) < drain_end && l->d_rx_pkts < l->d_tx_pkts)
		turn(l, drain_end);
	free(up);
}

static void phase_hold(struct lac *l)
{
	uint64_t start = lac_now(), next = start + LS_SEC;
	uint64_t end = l->o.hold < 0 ? UINT64_MAX : start + (uint64_t)(l->o.hold * 1e9);

	while (!got_signal) {
		uint64_t now = lac_now();
		if (now >= end)
			break;
		/* the LNS ended everything (e.g. its SIGQUIT): nothing left to hold */
		bool alive = false;
		for (uint32_t i = 0; i < l->o.tunnels && !alive; i++)
			alive = l->tun[i].state == T_ESTABLISHED;
		if (!alive)
			break;
		if (now >= next) {
			status_line(l, now);
			next += LS_SEC;
		}
		turn(l, next < end ? next : end);
	}
}

static void phase_teardown(struct lac *l)
{
	uint64_t end;
	uint32_t i;
	int sig0;

	l->teardown = true;
	for (i = 0; i < l->nsess; i++)
		if (l->sess[i].state == S_UP)
			ctrl_session_down(l, &l->sess[i], L2TP_CDN_ADMIN, "lacsim: end of test");
	/* §5.7: StopCCN after the calls; queued behind the CDNs so it is
	 * delivered last, then wait briefly for every acknowledgement */
	for (i = 0; i < l->o.tunnels; i++)
		if (l->tun[i].state == T_ESTABLISHED || l->tun[i].state == T_WAIT_SCCRP)
			ctrl_close_tunnel(l, &l->tun[i], L2TP_STOPCCN_CLEAR, "lacsim done");
	lac_flush(l);
	sig0 = got_signal;
	end = lac_now() + 5ull * LS_SEC;
	/* another Ctrl-C skips the wait */
	while (!ctrl_idle(l) && lac_now() < end && got_signal == sig0)
		turn(l, end);
}

int main(int argc, char **argv)
{
	struct lac *l = calloc(1, sizeof *l);
	struct sigaction sa;
	uint32_t i;
	int rc;

	if (!l)
		return 2;
	if (parse_opts(&l->o, argc, argv) < 0) {
		usage();
		return 2;
	}
	if (l->o.secret) {
		l->sec.v = (const uint8_t *)l->o.secret;
		l->sec.len = strlen(l->o.secret);
	}
	l->nsess = l->o.tunnels * l->o.per_tunnel;
	l->tun = calloc(l->o.tunnels, sizeof *l->tun);
	l->sess = calloc(l->nsess, sizeof *l->sess);
	l->txbuf = calloc(TX_BATCH, PKT_MAX);
	l->rxbuf = calloc(RX_BATCH, PKT_MAX);
	if (!l->tun || !l->sess || !l->txbuf || !l->rxbuf)
		return 2;
	for (i = 0; i < l->o.tunnels; i++) {
		struct tunnel *t = &l->tun[i];
		t->idx = (uint16_t)i;
		t->ltid = (uint16_t)(i + 1);
		t->peer = l->o.lns;
		t->first_sess = i * l->o.per_tunnel;
		t->nsess = l->o.per_tunnel;
		t->fd = -1;
	}
	for (i = 0; i < l->nsess; i++) {
		l->sess[i].num = i + 1;
		l->sess[i].tun = (uint16_t)(i / l->o.per_tunnel);
		l->sess[i].lsid = (uint16_t)(i % l->o.per_tunnel + 1);
	}
	rc = open_sockets(l);
	if (rc < 0) {
		fprintf(stderr, "lacsim: sockets: %s\n", strerror(-rc));
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	l->t0 = lac_now();
	phase_setup(l);
	if (l->o.data && l->n_cur_up && !got_signal)
		phase_data(l);
	if (l->o.hold && !got_signal)
		phase_hold(l);
	phase_teardown(l);

	l->exit_ok = l->n_up == l->nsess && l->n_dropped == 0;
	if (l->o.data) {
		struct data_sum d;
		data_summary(l, &d);
		if (!l->d_tx_pkts || d.loss > l->o.max_loss || d.s_foreign)
			l->exit_ok = false;
	}
	report(l);
	for (i = 0; i < l->o.tunnels; i++) {
		struct tunnel *t = &l->tun[i];
		while (t->qlen) {
			free(t->q[t->qhead].buf);
			t->qhead = (t->qhead + 1) % t->qcap;
			t->qlen--;
		}
		free(t->q);
		if (t->fd >= 0)
			close(t->fd);
	}
	close(l->ep);
	tm_free(&l->timers);
	free(l->tun);
	free(l->sess);
	free(l->txbuf);
	free(l->rxbuf);
	rc = l->exit_ok ? 0 : 1;
	free(l);
	return rc;
}
