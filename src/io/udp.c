/* UDP sockets: recvmmsg/sendmmsg with IP_PKTINFO, EAGAIN queue. */
#include "io/udp.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Room for one IPv6 packet-info cmsg (the larger of the two families). */
#define CMSG_ROOM CMSG_SPACE(sizeof(struct in6_pktinfo))

union cmsg_buf {
	struct cmsghdr align;
	uint8_t b[CMSG_ROOM];
};

static int setbuf_opt(int fd, int force_opt, int opt, int bytes)
{
	if (bytes <= 0)
		return 0;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof(bytes)) == 0)
		return 0;
	/* Not root (EPERM): the ordinary option, capped by the sysctl. */
	if (setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof(bytes)) < 0)
		return -errno;
	return 0;
}

int io_udp_open(const struct sockaddr *addr, socklen_t alen, const struct io_udp_opts *o)
{
	static const struct io_udp_opts none;
	if (!o)
		o = &none;
	int family = addr->sa_family;
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1, err;
	if (o->reuseaddr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	if (o->reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
		goto fail;
	if (family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0)
			goto fail;
		if (o->freebind && setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one)) < 0)
			goto fail;
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0)
			goto fail;
		if (o->freebind && setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one)) < 0)
			goto fail;
	}
	if ((err = setbuf_opt(fd, SO_RCVBUFFORCE, SO_RCVBUF, o->rcvbuf)) < 0 ||
	    (err = setbuf_opt(fd, SO_SNDBUFFORCE, SO_SNDBUF, o->sndbuf)) < 0) {
		close(fd);
		return err;
	}
	if (bind(fd, addr, alen) < 0)
		goto fail;
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

static void parse_pktinfo(struct msghdr *mh, struct pkt *p)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(&p->local, 0, sizeof(p->local));
			p->local.u.in.sin_family = AF_INET;
			/* ipi_addr: the destination the sender used, i.e. the
			 * address it expects the reply from. */
			p->local.u.in.sin_addr = pi.ipi_addr;
			p->local.len = sizeof(struct sockaddr_in);
			p->ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(&p->local, 0, sizeof(p->local));
			p->local.u.in6.sin6_family = AF_INET6;
			p->local.u.in6.sin6_addr = pi.ipi6_addr;
			p->local.len = sizeof(struct sockaddr_in6);
			p->ifindex = (int)pi.ipi6_ifindex;
		}
	}
}

int io_udp_recvv(int fd, struct pkt *const v[], int n, struct io_udp_stats *st)
{
	struct mmsghdr mm[IO_UDP_BATCH];
	struct iovec iov[IO_UDP_BATCH];
	union cmsg_buf cb[IO_UDP_BATCH];
	int got = 0;

	while (got < n) {
		int k = n - got < IO_UDP_BATCH ? n - got : IO_UDP_BATCH;
		for (int i = 0; i < k; i++) {
			struct pkt *p = v[got + i];
			pkt_reset(p);
			iov[i].iov_base = p->data;
			iov[i].iov_len = PKT_MAX_DATA;
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_name = &p->peer.u;
			mm[i].msg_hdr.msg_namelen = sizeof(p->peer.u);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_control = cb[i].b;
			mm[i].msg_hdr.msg_controllen = sizeof(cb[i].b);
		}
		int r = recvmmsg(fd, mm, (unsigned)k, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* Already received datagrams are still delivered. */
			if (got)
				break;
			return -errno;
		}
		for (int i = 0; i < r; i++) {
			struct pkt *p = v[got + i];
			p->len = mm[i].msg_len;
			p->peer.len = mm[i].msg_hdr.msg_namelen;
			if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
				p->flags |= PKT_F_TRUNC;
				if (st)
					st->rx_trunc++;
			}
			parse_pktinfo(&mm[i].msg_hdr, p);
		}
		got += r;
		if (st)
			st->rx_pkts += (uint64_t)r;
		if (r < k)
			break;
	}
	return got;
}

static size_t put_src(const struct pkt *p, union cmsg_buf *cb)
{
	if (!p->local.len)
		return 0;
	struct msghdr mh = { .msg_control = cb->b, .msg_controllen = sizeof(cb->b) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	memset(cb, 0, sizeof(*cb));
	if (p->local.u.sa.sa_family == AF_INET) {
		/* ipi_spec_dst sets the source address; ifindex 0 leaves the
		 * egress interface to the routing table. */
		struct in_pktinfo pi = { .ipi_spec_dst = p->local.u.in.sin_addr };
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	if (p->local.u.sa.sa_family == AF_INET6) {
		struct in6_pktinfo pi = { .ipi6_addr = p->local.u.in6.sin6_addr };
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	return 0;
}

static bool socket_error(int e)
{
	return e == EBADF || e == ENOTSOCK || e == EFAULT || e == EDESTADDRREQ;
}

int io_udp_sendv(int fd, struct pkt *const v[], int n, struct io_udp_stats *st)
{
	struct mmsghdr mm[IO_UDP_BATCH];
	struct iovec iov[IO_UDP_BATCH];
	union cmsg_buf cb[IO_UDP_BATCH];
	int done = 0;

	while (done < n) {
		int k = n - done < IO_UDP_BATCH ? n - done : IO_UDP_BATCH;
		for (int i = 0; i < k; i++) {
			struct pkt *p = v[done + i];
			iov[i].iov_base = p->data;
			iov[i].iov_len = p->len;
			memset(&mm[i], 0, sizeof(mm[i]));
			if (p->peer.len) {
				mm[i].msg_hdr.msg_name = &p->peer.u;
				mm[i].msg_hdr.msg_namelen = p->peer.len;
			}
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			size_t cl = put_src(p, &cb[i]);
			if (cl) {
				mm[i].msg_hdr.msg_control = cb[i].b;
				mm[i].msg_hdr.msg_controllen = cl;
			}
		}
		int off = 0;
		while (off < k) {
			int r = sendmmsg(fd, mm + off, (unsigned)(k - off), MSG_DONTWAIT);
			if (r > 0) {
				/* Partial: the rest is retried at once; a failing
				 * message shows up as the error of the next call. */
				off += r;
				if (st)
					st->tx_pkts += (uint64_t)r;
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				if (st)
					st->tx_eagain++;
				return done + off;
			}
			int e = r < 0 ? errno : EIO;
			if (socket_error(e))
				return done + off ? done + off : -e;
			/* This message alone failed: drop it, go on. */
			if (st) {
				st->tx_err++;
				st->last_err = e;
			}
			off++;
		}
		done += k;
	}
	return done;
}

/* ---- endpoint on the loop ------------------------------------------------ */

static int set_out(struct io_udp *u, bool on)
{
	if (!u->loop)
		return 0;
	uint32_t ev = EPOLLIN | (on ? EPOLLOUT : 0u);
	return io_loop_mod(u->loop, u->fd, ev);
}

int io_udp_flush(struct io_udp *u)
{
	while (u->qlen) {
		struct pkt *chunk[IO_UDP_BATCH];
		int k = 0;
		while (k < IO_UDP_BATCH && (uint32_t)k < u->qlen) {
			chunk[k] = u->q[(u->qhead + (uint32_t)k) % u->qcap];
			k++;
		}
		int r = io_udp_sendv(u->fd, chunk, k, &u->st);
		if (r < 0) {
			/* The socket itself is broken: nothing queued can go. */
			while (u->qlen) {
				pkt_free(u->pool, u->q[u->qhead]);
				u->qhead = (u->qhead + 1) % u->qcap;
				u->qlen--;
				u->st.tx_qdrop++;
			}
			set_out(u, false);
			return r;
		}
		pkt_free_n(u->pool, chunk, r);
		u->qhead = (u->qhead + (uint32_t)r) % u->qcap;
		u->qlen -= (uint32_t)r;
		if (r < k)
			break;
	}
	int err = set_out(u, u->qlen != 0);
	return err < 0 ? err : (int)u->qlen;
}

int io_udp_send(struct io_udp *u, struct pkt *v[], int n)
{
	int sent = 0, dropped = 0;
	if (u->qlen == 0) {
		sent = io_udp_sendv(u->fd, v, n, &u->st);
		if (sent < 0) {
			pkt_free_n(u->pool, v, n);
			return sent;
		}
		pkt_free_n(u->pool, v, sent);
		if (sent == n)
			return n;
	}
	for (int i = sent; i < n; i++) {
		if (u->qlen == u->qcap) {
			pkt_free(u->pool, v[i]);
			u->st.tx_qdrop++;
			dropped++;
			continue;
		}
		u->q[(u->qhead + u->qlen) % u->qcap] = v[i];
		u->qlen++;
	}
	int r = io_udp_flush(u);
	if (r < 0)
		return r;
	return n - dropped;
}

static int udp_ready(void *ctx, int fd, uint32_t events, int budget)
{
	(void)fd;
	struct io_udp *u = ctx;
	if ((events & EPOLLOUT) && u->qlen) {
		int r = io_udp_flush(u);
		if (r < 0)
			return r;
	}
	if (events && !(events & (EPOLLIN | EPOLLERR)))
		return 0;
	int burst = budget > 0 ? budget : u->burst;
	struct pkt *v[256];
	if (burst > 256)
		burst = 256;
	int n = pkt_alloc_n(u->pool, v, burst);
	if (n == 0) {
		u->st.rx_nobuf++;
		return 0;
	}
	int got = io_udp_recvv(u->fd, v, n, &u->st);
	if (got < 0) {
		pkt_free_n(u->pool, v, n);
		/* ICMP errors reported on the socket are not fatal for UDP. */
		return got == -ECONNREFUSED ? 0 : got;
	}
	pkt_free_n(u->pool, v + got, n - got);
	if (got)
		u->rx(u->ctx, u, v, got);
	/* Only a full burst means more may be waiting. */
	return got == burst ? budget : 0;
}

int io_udp_attach(struct io_udp *u, struct io_loop *l, int fd, enum io_class cls,
		  int burst, struct pkt_pool *pool, uint32_t qcap, io_udp_rx_fn rx, void *ctx)
{
	if (fd < 0 || !pool || !rx)
		return -EINVAL;
	memset(u, 0, sizeof(*u));
	u->fd = fd;
	u->pool = pool;
	u->rx = rx;
	u->ctx = ctx;
	u->burst = burst > 0 ? burst : IO_BURST_DEFAULT;
	u->qcap = qcap ? qcap : 4096;
	u->q = calloc(u->qcap, sizeof(*u->q));
	if (!u->q)
		return -ENOMEM;
	int err = io_loop_add(l, fd, EPOLLIN, cls, u->burst, udp_ready, u);
	if (err) {
		free(u->q);
		u->q = NULL;
		return err;
	}
	u->loop = l;
	return 0;
}

void io_udp_detach(struct io_udp *u)
{
	if (u->loop)
		io_loop_del(u->loop, u->fd);
	while (u->qlen) {
		pkt_free(u->pool, u->q[u->qhead]);
		u->qhead = (u->qhead + 1) % u->qcap;
		u->qlen--;
	}
	free(u->q);
	u->q = NULL;
	u->loop = NULL;
}
