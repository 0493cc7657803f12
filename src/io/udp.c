/* UDP sockets: recvmmsg/sendmmsg with IP_PKTINFO, EAGAIN queue. */
#include "io/udp.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Room for one IPv6 packet-info cmsg (the larger of the two families) and
 * one UDP_SEGMENT / UDP_GRO cmsg. */
#define CMSG_ROOM (CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)))
/* Bytes of datagrams in one GSO message: under the 65507-byte UDP payload
 * limit of IPv4 (and IPv6's 65527). */
#define GSO_MAX_BYTES 65000u
/* iovecs of one io_udp_sendv_gso round (one per datagram). */
#define GSO_IOV 256
/* The overflow area behind each pkt with GRO on: a coalesced buffer is at
 * most one 64 KiB IP packet. */
#define IO_UDP_GRO_OVER 65536u

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
	/* GRO is best effort: an old kernel without it still works, with one
	 * datagram per receive as before. */
	if (o->gro)
		(void)setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof(one));
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

/* ---- segmentation offload ------------------------------------------------ */

bool io_udp_gso_supported(int fd)
{
	int v = 0;
	socklen_t l = sizeof(v);
	return getsockopt(fd, SOL_UDP, UDP_SEGMENT, &v, &l) == 0;
}

static bool addr_eq(const struct io_addr *a, const struct io_addr *b, bool port)
{
	if (a->len != b->len)
		return false;
	if (!a->len)
		return true;
	if (a->u.sa.sa_family != b->u.sa.sa_family)
		return false;
	if (a->u.sa.sa_family == AF_INET)
		return a->u.in.sin_addr.s_addr == b->u.in.sin_addr.s_addr &&
		       (!port || a->u.in.sin_port == b->u.in.sin_port);
	if (a->u.sa.sa_family == AF_INET6)
		return memcmp(&a->u.in6.sin6_addr, &b->u.in6.sin6_addr, 16) == 0 &&
		       a->u.in6.sin6_scope_id == b->u.in6.sin6_scope_id &&
		       (!port || a->u.in6.sin6_port == b->u.in6.sin6_port);
	return memcmp(&a->u, &b->u, a->len) == 0;
}

/* Same 4-tuple on the wire: peer address and port, local address (the
 * local port is the socket's). */
static bool same_dest(const struct pkt *a, const struct pkt *b)
{
	return addr_eq(&a->peer, &b->peer, true) && addr_eq(&a->local, &b->local, false);
}

static uint32_t dest_hash(const struct pkt *p)
{
	uint32_t h = p->peer.len;
	if (p->peer.len && p->peer.u.sa.sa_family == AF_INET) {
		h ^= p->peer.u.in.sin_addr.s_addr ^ ((uint32_t)p->peer.u.in.sin_port << 16);
	} else if (p->peer.len && p->peer.u.sa.sa_family == AF_INET6) {
		uint32_t w[4];
		memcpy(w, &p->peer.u.in6.sin6_addr, sizeof(w));
		h ^= w[0] ^ w[1] ^ w[2] ^ w[3] ^ ((uint32_t)p->peer.u.in6.sin6_port << 16);
	}
	if (p->local.len && p->local.u.sa.sa_family == AF_INET)
		h += p->local.u.in.sin_addr.s_addr * 31u;
	return h * 0x9e3779b1u;
}

void io_udp_group(struct pkt *v[], int n)
{
	enum { CHUNK = 256, SLOTS = 128, MAXG = 64 };
	for (int base = 0; base < n; base += CHUNK) {
		int m = n - base < CHUNK ? n - base : CHUNK;
		struct pkt **w = v + base;
		int8_t slot[SLOTS];
		int rep[MAXG], cnt[MAXG], ng = 0;
		uint8_t gid[CHUNK];
		bool moved = false;
		memset(slot, -1, sizeof(slot));
		for (int i = 0; i < m; i++) {
			uint32_t s = dest_hash(w[i]) >> 25;	/* 7 bits: SLOTS */
			int g = -1;
			for (int probe = 0; probe < SLOTS; probe++, s = (s + 1) % SLOTS) {
				if (slot[s] < 0)
					break;
				if (same_dest(w[rep[slot[s]]], w[i])) {
					g = slot[s];
					break;
				}
			}
			if (g < 0) {
				if (ng == MAXG)
					goto next;	/* too many peers to bother: as is */
				g = ng++;
				slot[s] = (int8_t)g;
				rep[g] = i;
				cnt[g] = 0;
			} else if (g != ng - 1) {
				moved = true;	/* an earlier destination again */
			}
			gid[i] = (uint8_t)g;
			cnt[g]++;
		}
		if (moved) {
			struct pkt *tmp[CHUNK];
			int pos[MAXG];
			for (int g = 0, acc = 0; g < ng; g++) {
				pos[g] = acc;
				acc += cnt[g];
			}
			for (int i = 0; i < m; i++)
				tmp[pos[gid[i]]++] = w[i];
			memcpy(w, tmp, (size_t)m * sizeof(*w));
		}
next:;
	}
}

/* Append a UDP_SEGMENT cmsg behind the first cl bytes of cb. */
static size_t put_segment(union cmsg_buf *cb, size_t cl, uint16_t seg)
{
	struct msghdr mh = { .msg_control = cb->b, .msg_controllen = sizeof(cb->b) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (cl)
		c = CMSG_NXTHDR(&mh, c);	/* behind put_src's */
	if (!c)
		return cl;
	memset(c, 0, CMSG_SPACE(sizeof(seg)));
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(seg));
	memcpy(CMSG_DATA(c), &seg, sizeof(seg));
	return cl + CMSG_SPACE(sizeof(seg));
}

/* Refusals of the GSO message as such: the datagrams may still go one by one. */
static bool gso_refused(int e)
{
	return e == EINVAL || e == EIO || e == EMSGSIZE || e == ENOPROTOOPT || e == EOPNOTSUPP;
}

int io_udp_sendv_gso(int fd, struct pkt *const v[], int n, struct io_udp_stats *st)
{
	struct mmsghdr mm[IO_UDP_BATCH];
	struct iovec iov[GSO_IOV];
	union cmsg_buf cb[IO_UDP_BATCH];
	int first[IO_UDP_BATCH + 1];	/* v index of each message's first pkt */
	int done = 0;

	while (done < n) {
		int k = 0, ni = 0, i = done;
		while (i < n && k < IO_UDP_BATCH && ni < GSO_IOV) {
			/* the run starting at i: equal sizes, the last may be
			 * shorter (the kernel cuts at every seg bytes) */
			uint32_t seg = (v[i]->flags & PKT_F_GSO) ? v[i]->len : 0, bytes = seg;
			int j = i + 1;
			while (seg && j < n && (v[j]->flags & PKT_F_GSO) && j - i < IO_UDP_GSO_SEGS && ni + (j - i) < GSO_IOV &&
			       v[j - 1]->len == seg && v[j]->len && v[j]->len <= seg &&
			       bytes + v[j]->len <= GSO_MAX_BYTES && same_dest(v[i], v[j])) {
				bytes += v[j]->len;
				j++;
			}
			struct pkt *p = v[i];
			memset(&mm[k], 0, sizeof(mm[k]));
			for (int x = i; x < j; x++) {
				iov[ni + x - i].iov_base = v[x]->data;
				iov[ni + x - i].iov_len = v[x]->len;
			}
			if (p->peer.len) {
				mm[k].msg_hdr.msg_name = &p->peer.u;
				mm[k].msg_hdr.msg_namelen = p->peer.len;
			}
			mm[k].msg_hdr.msg_iov = &iov[ni];
			mm[k].msg_hdr.msg_iovlen = (size_t)(j - i);
			size_t cl = put_src(p, &cb[k]);
			if (j - i > 1)
				cl = put_segment(&cb[k], cl, (uint16_t)seg);
			if (cl) {
				mm[k].msg_hdr.msg_control = cb[k].b;
				mm[k].msg_hdr.msg_controllen = cl;
			}
			first[k++] = i;
			ni += j - i;
			i = j;
		}
		first[k] = i;
		int off = 0;
		while (off < k) {
			int r = sendmmsg(fd, mm + off, (unsigned)(k - off), MSG_DONTWAIT);
			if (r > 0) {
				for (int m = off; m < off + r && st; m++) {
					int segs = first[m + 1] - first[m];
					st->tx_pkts += (uint64_t)segs;
					if (segs > 1) {
						st->tx_gso_msgs++;
						st->tx_gso_segs += (uint64_t)segs;
					}
				}
				off += r;
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				if (st)
					st->tx_eagain++;
				return first[off];
			}
			int e = r < 0 ? errno : EIO;
			if (socket_error(e))
				return first[off] ? first[off] : -e;
			int segs = first[off + 1] - first[off];
			if (segs > 1 && gso_refused(e)) {
				if (st)
					st->tx_gso_fail++;
				int r2 = io_udp_sendv(fd, v + first[off], segs, st);
				if (r2 < 0)
					return first[off] ? first[off] : r2;
				if (r2 < segs)
					return first[off] + r2;	/* full socket midway */
				off++;
				continue;
			}
			/* This message alone failed: drop its datagrams, go on. */
			if (st) {
				st->tx_err += (uint64_t)segs;
				st->last_err = e;
			}
			off++;
		}
		done = i;
	}
	return done;
}

/* ---- endpoint on the loop ------------------------------------------------ */

static int udp_sendv(struct io_udp *u, struct pkt *const v[], int n)
{
	if (!u->gso)
		return io_udp_sendv(u->fd, v, n, &u->st);
	int r = io_udp_sendv_gso(u->fd, v, n, &u->st);
	/* A device without checksum offload (or IPsec on the route) refuses
	 * every GSO message: stop trying once refusals dominate. */
	if (u->st.tx_gso_fail >= 64 && u->st.tx_gso_fail > u->st.tx_gso_msgs)
		u->gso = false;
	return r;
}

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
		int r = udp_sendv(u, chunk, k);
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
	if (u->gso)
		io_udp_group(v, n);
	if (u->qlen == 0) {
		sent = udp_sendv(u, v, n);
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

static int gro_size(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int g;
			memcpy(&g, CMSG_DATA(c), sizeof(g));
			return g;
		}
	}
	return 0;
}

/* Bytes [off, off + n) of a datagram that was received into head (the
 * first PKT_MAX_DATA bytes) and over (the rest). */
static void stream_copy(uint8_t *dst, const uint8_t *head, const uint8_t *over, uint32_t off,
			uint32_t n)
{
	if (off < PKT_MAX_DATA) {
		uint32_t a = PKT_MAX_DATA - off < n ? PKT_MAX_DATA - off : n;
		memcpy(dst, head + off, a);
		dst += a;
		off += a;
		n -= a;
	}
	if (n)
		memcpy(dst, over + (off - PKT_MAX_DATA), n);
}

/* Cut received buffer p (len bytes, datagrams of seg bytes; seg 0: one
 * datagram) into pkts appended to out. Returns how many. */
static int gro_split(struct io_udp *u, struct pkt *p, const uint8_t *over, uint32_t len,
		     uint32_t seg, bool trunc, struct pkt **out)
{
	if (!seg || seg >= len) {
		if (len > PKT_MAX_DATA) {
			/* longer than a pkt: what the plain path delivers */
			len = PKT_MAX_DATA;
			trunc = true;
		}
		p->len = len;
		if (trunc) {
			p->flags |= PKT_F_TRUNC;
			u->st.rx_trunc++;
		}
		out[0] = p;
		return 1;
	}
	uint32_t nseg = (len + seg - 1) / seg;
	int got = 0;
	for (uint32_t i = 0; i < nseg; i++) {
		uint32_t off = i * seg, sl = len - off < seg ? len - off : seg;
		bool cut = sl > PKT_MAX_DATA || (trunc && i == nseg - 1);
		if (sl > PKT_MAX_DATA)
			sl = PKT_MAX_DATA;
		struct pkt *q = p;
		if (i) {
			q = pkt_alloc(u->pool);
			if (!q) {
				u->st.rx_nobuf += nseg - i;	/* the rest is lost */
				break;
			}
			q->peer = p->peer;
			q->local = p->local;
			q->ifindex = p->ifindex;
			stream_copy(q->data, p->data, over, off, sl);
		}
		q->len = sl;
		if (cut) {
			q->flags |= PKT_F_TRUNC;
			u->st.rx_trunc++;
		}
		out[got++] = q;
	}
	u->st.rx_gro_msgs++;
	u->st.rx_gro_segs += (uint64_t)got;
	return got;
}

/* Receive with UDP_GRO on: each message is a pkt followed by an overflow
 * area, so a lone datagram lands in its pkt as on the plain path and only
 * coalesced ones are copied out, one pkt per datagram. */
static int udp_ready_gro(struct io_udp *u, int budget)
{
	struct mmsghdr mm[IO_UDP_BATCH];
	struct iovec iov[IO_UDP_BATCH][2];
	union cmsg_buf cb[IO_UDP_BATCH];
	struct pkt *head[IO_UDP_BATCH];
	/* delivered in chunks: one buffer may hold up to 64 datagrams */
	struct pkt *out[4 * IO_UDP_GSO_SEGS];
	int k = u->burst < IO_UDP_BATCH ? u->burst : IO_UDP_BATCH;
	int n = pkt_alloc_n(u->pool, head, k);
	if (n == 0) {
		u->st.rx_nobuf++;
		return 0;
	}
	for (int i = 0; i < n; i++) {
		iov[i][0].iov_base = head[i]->data;
		iov[i][0].iov_len = PKT_MAX_DATA;
		iov[i][1].iov_base = u->gro_buf + (size_t)i * IO_UDP_GRO_OVER;
		iov[i][1].iov_len = IO_UDP_GRO_OVER;
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_name = &head[i]->peer.u;
		mm[i].msg_hdr.msg_namelen = sizeof(head[i]->peer.u);
		mm[i].msg_hdr.msg_iov = iov[i];
		mm[i].msg_hdr.msg_iovlen = 2;
		mm[i].msg_hdr.msg_control = cb[i].b;
		mm[i].msg_hdr.msg_controllen = sizeof(cb[i].b);
	}
	int r;
	do
		r = recvmmsg(u->fd, mm, (unsigned)n, MSG_DONTWAIT, NULL);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;
		pkt_free_n(u->pool, head, n);
		if (e == EAGAIN || e == EWOULDBLOCK || e == ECONNREFUSED)
			return 0;
		return -e;
	}
	pkt_free_n(u->pool, head + r, n - r);
	if (u->loop)
		io_loop_note_batch(u->loop, r, n);
	int nout = 0;
	for (int i = 0; i < r; i++) {
		struct pkt *p = head[i];
		p->peer.len = mm[i].msg_hdr.msg_namelen;
		parse_pktinfo(&mm[i].msg_hdr, p);
		int g = gro_size(&mm[i].msg_hdr);
		if (nout + IO_UDP_GSO_SEGS > (int)(sizeof(out) / sizeof(out[0]))) {
			u->st.rx_pkts += (uint64_t)nout;
			u->rx(u->ctx, u, out, nout);
			nout = 0;
		}
		nout += gro_split(u, p, iov[i][1].iov_base, mm[i].msg_len, g > 0 ? (uint32_t)g : 0,
				  (mm[i].msg_hdr.msg_flags & MSG_TRUNC) != 0, out + nout);
	}
	u->st.rx_pkts += (uint64_t)nout;
	if (nout)
		u->rx(u->ctx, u, out, nout);
	return r == n ? budget : 0;
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
	if (u->gro)
		return udp_ready_gro(u, budget);
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
	if (u->loop)
		io_loop_note_batch(u->loop, got, burst);
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
	u->gso = io_udp_gso_supported(fd);
	int on = 0;
	socklen_t ol = sizeof(on);
	if (getsockopt(fd, SOL_UDP, UDP_GRO, &on, &ol) == 0 && on) {
		/* pages are touched only as coalesced buffers arrive */
		u->gro_buf = malloc((size_t)IO_UDP_BATCH * IO_UDP_GRO_OVER);
		u->gro = u->gro_buf != NULL;
	}
	int err = io_loop_add(l, fd, EPOLLIN, cls, u->burst, udp_ready, u);
	if (err) {
		free(u->q);
		free(u->gro_buf);
		u->q = NULL;
		u->gro_buf = NULL;
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
	free(u->gro_buf);
	u->q = NULL;
	u->gro_buf = NULL;
	u->gro = false;
	u->loop = NULL;
}
