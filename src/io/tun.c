/* TUN device: open, rtnetlink configuration, read/write backend, and the
 * switch between backends. */
#include "io/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/tun_int.h"

int io_tun_open(const char *name, char ifname[IF_NAMESIZE])
{
	if (name && strlen(name) >= IF_NAMESIZE)
		return -EINVAL;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (name && *name)
		memcpy(ifr.ifr_name, name, strlen(name));
	/* TUNSETIFF has no netlink equivalent for binding an fd to a device. */
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	if (ifname) {
		memcpy(ifname, ifr.ifr_name, IF_NAMESIZE);
		ifname[IF_NAMESIZE - 1] = 0;
	}
	return fd;
}

int io_tun_configure(struct io_nl *nl, const char *ifname, const struct io_tun_cfg *cfg)
{
	if (cfg->mtu > PKT_MAX_DATA)
		return -EINVAL;
	struct io_nl_link link;
	int err = io_nl_link_get(nl, 0, ifname, &link);
	if (err)
		return err;
	if (cfg->mtu || cfg->txqlen) {
		err = io_nl_link_set(nl, link.ifindex, -1, cfg->mtu, cfg->txqlen);
		if (err)
			return err;
	}
	if (cfg->has_addr) {
		err = io_nl_addr_add(nl, link.ifindex, AF_INET, cfg->addr, cfg->prefixlen);
		if (err)
			return err;
	}
	err = io_nl_link_set(nl, link.ifindex, 1, 0, 0);
	return err ? err : link.ifindex;
}

int io_tun_readv(int fd, struct pkt *const v[], int n)
{
	int got = 0;
	while (got < n) {
		struct pkt *p = v[got];
		pkt_reset(p);
		ssize_t r = read(fd, p->data, PKT_MAX_DATA);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return got ? got : -errno;
		}
		if (r == 0)
			break;
		p->len = (uint32_t)r;
		got++;
	}
	return got;
}

int io_tun_writev(int fd, struct pkt *const v[], int n, struct io_tun_stats *st)
{
	for (int i = 0; i < n; i++) {
		ssize_t r;
		do
			r = write(fd, v[i]->data, v[i]->len);
		while (r < 0 && errno == EINTR);
		if (r < 0 && (errno == EBADF || errno == EBADFD))
			return i ? i : -errno;
		if (!st)
			continue;
		if (r < 0) {
			/* e.g. EINVAL for a malformed packet: drop that one only */
			st->tx_err++;
			st->last_err = errno;
		} else {
			st->tx_pkts++;
		}
	}
	return n;
}

const char *io_tun_backend_name(enum io_tun_backend b)
{
	switch (b) {
	case IO_TUN_AUTO:
		return "auto";
	case IO_TUN_URING:
		return "io_uring";
	case IO_TUN_RW:
		return "read/write";
	}
	return "?";
}

static int tun_rw_ready(void *ctx, int fd, uint32_t events, int budget)
{
	(void)events;
	struct io_tun *t = ctx;
	struct pkt *v[256];
	int burst = budget > 0 && budget < 256 ? budget : (budget > 0 ? 256 : t->burst);
	int n = pkt_alloc_n(t->pool, v, burst);
	if (n == 0) {
		t->st.rx_nobuf++;
		return 0;
	}
	int got = io_tun_readv(fd, v, n);
	if (got < 0) {
		pkt_free_n(t->pool, v, n);
		t->st.rx_err++;
		t->st.last_err = -got;
		return got;
	}
	pkt_free_n(t->pool, v + got, n - got);
	t->st.rx_pkts += (uint64_t)got;
	if (got)
		t->rx(t->ctx, t, v, got);
	return got == burst ? budget : 0;
}

static int tun_uring_ready(void *ctx, int fd, uint32_t events, int budget);

static int use_rw(struct io_tun *t)
{
	t->backend = IO_TUN_RW;
	t->pollfd = t->fd;
	return io_loop_add(t->loop, t->fd, EPOLLIN, IO_BULK, t->burst, tun_rw_ready, t);
}

/* Runtime failure of the ring: tear it down and continue with read/write. */
static int fall_back(struct io_tun *t)
{
	io_logf(&t->log, IO_LOG_WARN, "io: tun fd=%d io_uring failed (%s), using read/write",
		t->fd, strerror(t->st.last_err));
	t->st.uring_fallback++;
	io_loop_del(t->loop, t->pollfd);
	tun_uring_exit(t);
	t->mshot = false;
	return use_rw(t);
}

static int tun_uring_ready(void *ctx, int fd, uint32_t events, int budget)
{
	(void)fd;
	(void)events;
	struct io_tun *t = ctx;
	int r = tun_uring_reap(t, budget > 0 ? budget : t->burst);
	if (tun_uring_failed(t)) {
		int err = fall_back(t);
		if (err)
			return err;
		/* Level-triggered: data already queued on the tun wakes us. */
		return 0;
	}
	return r;
}

int io_tun_attach(struct io_tun *t, struct io_loop *l, int fd, enum io_tun_backend want,
		  struct pkt_pool *pool, int burst, io_tun_rx_fn rx, void *ctx,
		  const struct io_log *log)
{
	if (fd < 0 || !pool || !rx || burst < 0)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->fd = fd;
	t->loop = l;
	t->pool = pool;
	t->rx = rx;
	t->ctx = ctx;
	t->burst = burst ? (burst > 256 ? 256 : burst) : IO_BURST_DEFAULT;
	if (log)
		t->log = *log;
	if (want == IO_TUN_RW)
		return use_rw(t);
	int err = tun_uring_init(t);
	if (err) {
		if (want == IO_TUN_URING)
			return err;
		io_logf(&t->log, IO_LOG_INFO, "io: tun fd=%d io_uring unavailable (%s), using read/write",
			fd, strerror(-err));
		return use_rw(t);
	}
	t->backend = IO_TUN_URING;
	t->pollfd = tun_uring_fd(t);
	err = io_loop_add(l, t->pollfd, EPOLLIN, IO_BULK, t->burst, tun_uring_ready, t);
	if (err) {
		tun_uring_exit(t);
		return err;
	}
	io_logf(&t->log, IO_LOG_INFO, "io: tun fd=%d using io_uring, %s", fd,
		t->mshot ? "one multishot read" : "single reads");
	return 0;
}

int io_tun_write(struct io_tun *t, struct pkt *v[], int n)
{
	if (n <= 0)
		return 0;
	if (t->backend == IO_TUN_URING) {
		/* Takes all n; submitted writes complete or are cancelled
		 * in tun_uring_exit if the ring has to go. */
		int r = tun_uring_write(t, v, n);
		if (tun_uring_failed(t))
			fall_back(t);
		return r;
	}
	int r = io_tun_writev(t->fd, v, n, &t->st);
	pkt_free_n(t->pool, v, n);
	return r;
}

void io_tun_detach(struct io_tun *t)
{
	if (t->loop && t->pollfd >= 0)
		io_loop_del(t->loop, t->pollfd);
	if (t->backend == IO_TUN_URING)
		tun_uring_exit(t);
	t->loop = NULL;
	t->pollfd = -1;
}
