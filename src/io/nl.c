/* rtnetlink requests (RFC 3549 describes the protocol; the message layout is
 * the Linux uapi <linux/rtnetlink.h>). Kernel replies are read with memcpy
 * into local structs, never by casting into the receive buffer. */
#include "io/nl.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define REQ_SIZE 512
#define RX_SIZE 65536

struct req {
	union {
		struct nlmsghdr align;
		uint8_t b[REQ_SIZE];
	} u;
	size_t len;
};

static void req_begin(struct req *r, uint16_t type, uint16_t flags, const void *hdr, size_t hlen)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)NLMSG_LENGTH(hlen),
		.nlmsg_type = type,
		.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags),
	};
	memset(r->u.b, 0, sizeof(r->u.b));
	memcpy(r->u.b, &h, sizeof(h));
	memcpy(r->u.b + NLMSG_HDRLEN, hdr, hlen);
	r->len = NLMSG_ALIGN(h.nlmsg_len);
}

static int req_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
	size_t need = RTA_SPACE(len);
	if (r->len + need > sizeof(r->u.b))
		return -EMSGSIZE;
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type };
	memcpy(r->u.b + r->len, &a, sizeof(a));
	memcpy(r->u.b + r->len + RTA_LENGTH(0), data, len);
	r->len += need;
	uint32_t total = (uint32_t)r->len;
	memcpy(r->u.b, &total, sizeof(total));	/* nlmsg_len is the first field */
	return 0;
}

static int req_u32(struct req *r, uint16_t type, uint32_t v)
{
	return req_attr(r, type, &v, sizeof(v));
}

int io_nl_open(struct io_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0)
		return -errno;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	socklen_t sl = sizeof(sa);
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &sl) < 0) {
		int err = -errno;
		close(nl->fd);
		nl->fd = -1;
		return err;
	}
	nl->portid = sa.nl_pid;
	/* Arbitrary start so replies to a previous process's socket of the
	 * same port id cannot be mistaken for ours. */
	nl->seq = (uint32_t)getpid() << 8;
	return 0;
}

void io_nl_close(struct io_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

/* Called for every non-control message of the reply; payload after the
 * nlmsghdr. A nonzero return is remembered and returned at the end. */
typedef int (*msg_fn)(void *ctx, uint16_t type, const uint8_t *p, size_t len);

static int talk(struct io_nl *nl, struct req *r, msg_fn fn, void *ctx)
{
	uint32_t seq = ++nl->seq;
	memcpy(r->u.b + offsetof(struct nlmsghdr, nlmsg_seq), &seq, sizeof(seq));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t s;
	do
		s = sendto(nl->fd, r->u.b, r->len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	while (s < 0 && errno == EINTR);
	if (s < 0)
		return -errno;

	uint8_t *buf = malloc(RX_SIZE);
	if (!buf)
		return -ENOMEM;
	int result = 0, cb_ret = 0;
	for (;;) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(nl->fd, buf, RX_SIZE, 0, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			result = (errno == EAGAIN || errno == EWOULDBLOCK) ? -ETIMEDOUT : -errno;
			break;
		}
		if (from.nl_pid != 0)
			continue;	/* not from the kernel */
		size_t off = 0, len = (size_t)n;
		bool end = false;
		while (!end && off + NLMSG_HDRLEN <= len) {
			struct nlmsghdr h;
			memcpy(&h, buf + off, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off) {
				result = -EBADMSG;
				end = true;
				break;
			}
			const uint8_t *pl = buf + off + NLMSG_HDRLEN;
			size_t plen = h.nlmsg_len - NLMSG_HDRLEN;
			off += NLMSG_ALIGN(h.nlmsg_len);
			if (h.nlmsg_seq != seq)
				continue;	/* stale answer to an earlier request */
			if (h.nlmsg_type == NLMSG_ERROR || h.nlmsg_type == NLMSG_DONE) {
				int32_t err = 0;
				if (plen >= sizeof(err))
					memcpy(&err, pl, sizeof(err));
				result = err;	/* 0 = ack, negative errno */
				end = true;
			} else if (fn && !cb_ret) {
				cb_ret = fn(ctx, h.nlmsg_type, pl, plen);
			}
		}
		if (end)
			break;
	}
	free(buf);
	return result ? result : cb_ret;
}

/* Walk rtattrs of one message; calls fn for each well-formed attribute. */
typedef void (*attr_fn)(void *ctx, uint16_t type, const uint8_t *d, size_t len);

static void walk_attrs(const uint8_t *p, size_t len, attr_fn fn, void *ctx)
{
	size_t off = 0;
	while (off + sizeof(struct rtattr) <= len) {
		struct rtattr a;
		memcpy(&a, p + off, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > len - off)
			return;
		fn(ctx, a.rta_type, p + off + RTA_LENGTH(0), a.rta_len - RTA_LENGTH(0));
		off += RTA_ALIGN(a.rta_len);
	}
}

/* ---- links ------------------------------------------------------------- */

struct link_q {
	struct io_nl_link *out;
	bool found;
};

static void link_attr(void *ctx, uint16_t type, const uint8_t *d, size_t len)
{
	struct io_nl_link *l = ctx;
	if (type == IFLA_MTU && len >= 4)
		memcpy(&l->mtu, d, 4);
	else if (type == IFLA_TXQLEN && len >= 4)
		memcpy(&l->txqlen, d, 4);
	else if (type == IFLA_IFNAME && len > 0) {
		size_t n = len < sizeof(l->name) ? len : sizeof(l->name) - 1;
		memcpy(l->name, d, n);
		l->name[n] = 0;
	}
}

static int link_msg(void *ctx, uint16_t type, const uint8_t *p, size_t len)
{
	struct link_q *q = ctx;
	struct ifinfomsg ifi;
	if (type != RTM_NEWLINK || len < sizeof(ifi))
		return 0;
	memcpy(&ifi, p, sizeof(ifi));
	memset(q->out, 0, sizeof(*q->out));
	q->out->ifindex = ifi.ifi_index;
	q->out->flags = ifi.ifi_flags;
	walk_attrs(p + NLMSG_ALIGN(sizeof(ifi)), len - NLMSG_ALIGN(sizeof(ifi)), link_attr, q->out);
	q->found = true;
	return 0;
}

int io_nl_link_get(struct io_nl *nl, int ifindex, const char *name, struct io_nl_link *out)
{
	struct req r;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex > 0 ? ifindex : 0 };
	req_begin(&r, RTM_GETLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	if (ifindex <= 0) {
		if (!name || !*name || strlen(name) >= IF_NAMESIZE)
			return -EINVAL;
		int err = req_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
		if (err)
			return err;
	}
	struct link_q q = { .out = out };
	int err = talk(nl, &r, link_msg, &q);
	if (err)
		return err;
	return q.found ? 0 : -ENODEV;
}

int io_nl_link_set(struct io_nl *nl, int ifindex, int up, uint32_t mtu, uint32_t txqlen)
{
	struct req r;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	if (up >= 0) {
		ifi.ifi_change = IFF_UP;
		ifi.ifi_flags = up ? IFF_UP : 0;
	}
	req_begin(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	int err = 0;
	if (mtu)
		err = req_u32(&r, IFLA_MTU, mtu);
	if (!err && txqlen)
		err = req_u32(&r, IFLA_TXQLEN, txqlen);
	return err ? err : talk(nl, &r, NULL, NULL);
}

int io_nl_link_del(struct io_nl *nl, int ifindex)
{
	struct req r;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	req_begin(&r, RTM_DELLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	return talk(nl, &r, NULL, NULL);
}

/* ---- addresses --------------------------------------------------------- */

static int alen_of(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
}

static int addr_req(struct io_nl *nl, bool add, int ifindex, int family, const void *addr,
		    int prefixlen)
{
	int alen = alen_of(family);
	if (alen < 0 || prefixlen < 0 || prefixlen > alen * 8)
		return -EINVAL;
	struct req r;
	struct ifaddrmsg ifa = {
		.ifa_family = (uint8_t)family,
		.ifa_prefixlen = (uint8_t)prefixlen,
		.ifa_index = (uint32_t)ifindex,
	};
	req_begin(&r, add ? RTM_NEWADDR : RTM_DELADDR,
		  NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0), &ifa, sizeof(ifa));
	int err = req_attr(&r, IFA_LOCAL, addr, (size_t)alen);
	if (!err)
		err = req_attr(&r, IFA_ADDRESS, addr, (size_t)alen);
	if (!err)
		err = talk(nl, &r, NULL, NULL);
	if (add && err == -EEXIST)
		return 0;
	if (!add && err == -EADDRNOTAVAIL)
		return 0;
	return err;
}

int io_nl_addr_add(struct io_nl *nl, int ifindex, int family, const void *addr, int prefixlen)
{
	return addr_req(nl, true, ifindex, family, addr, prefixlen);
}

int io_nl_addr_del(struct io_nl *nl, int ifindex, int family, const void *addr, int prefixlen)
{
	return addr_req(nl, false, ifindex, family, addr, prefixlen);
}

struct addr_walk {
	struct io_nl_addr a;
	bool have_local;
	io_nl_addr_cb cb;
	void *ctx;
	int family;
};

static void addr_attr(void *ctx, uint16_t type, const uint8_t *d, size_t len)
{
	struct addr_walk *w = ctx;
	size_t alen = (size_t)alen_of(w->a.family);
	if (len < alen)
		return;
	if (type == IFA_LOCAL) {
		memcpy(w->a.addr, d, alen);
		w->have_local = true;
	} else if (type == IFA_ADDRESS && !w->have_local) {
		memcpy(w->a.addr, d, alen);
	}
}

static int addr_msg(void *ctx, uint16_t type, const uint8_t *p, size_t len)
{
	struct addr_walk *w = ctx;
	struct ifaddrmsg ifa;
	if (type != RTM_NEWADDR || len < sizeof(ifa))
		return 0;
	memcpy(&ifa, p, sizeof(ifa));
	if (alen_of(ifa.ifa_family) < 0 || (w->family && ifa.ifa_family != w->family))
		return 0;
	memset(&w->a, 0, sizeof(w->a));
	w->have_local = false;
	w->a.family = ifa.ifa_family;
	w->a.ifindex = (int)ifa.ifa_index;
	w->a.prefixlen = ifa.ifa_prefixlen;
	walk_attrs(p + NLMSG_ALIGN(sizeof(ifa)), len - NLMSG_ALIGN(sizeof(ifa)), addr_attr, w);
	return w->cb(w->ctx, &w->a);
}

int io_nl_addr_dump(struct io_nl *nl, int family, io_nl_addr_cb cb, void *ctx)
{
	struct req r;
	struct ifaddrmsg ifa = { .ifa_family = (uint8_t)family };
	req_begin(&r, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa));
	struct addr_walk w = { .cb = cb, .ctx = ctx, .family = family };
	return talk(nl, &r, addr_msg, &w);
}

/* ---- routes ------------------------------------------------------------ */

static int route_req(struct io_nl *nl, bool add, int family, const void *dst, int prefixlen,
		     int oif)
{
	int alen = alen_of(family);
	if (alen < 0 || prefixlen < 0 || prefixlen > alen * 8)
		return -EINVAL;
	struct req r;
	struct rtmsg rtm = {
		.rtm_family = (uint8_t)family,
		.rtm_dst_len = (uint8_t)prefixlen,
		.rtm_table = RT_TABLE_MAIN,
		/* Add: a device route, as `ip route add P dev tun0` makes it.
		 * Delete: protocol/type 0 and scope NOWHERE match any. */
		.rtm_protocol = add ? IO_NL_RTPROT : 0,
		.rtm_scope = add ? RT_SCOPE_LINK : RT_SCOPE_NOWHERE,
		.rtm_type = add ? RTN_UNICAST : RTN_UNSPEC,
	};
	req_begin(&r, add ? RTM_NEWROUTE : RTM_DELROUTE,
		  NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0), &rtm, sizeof(rtm));
	/* Host bits below the prefix must be zero or the kernel refuses. */
	uint8_t d[16] = { 0 };
	memcpy(d, dst, (size_t)alen);
	for (int bit = prefixlen; bit < alen * 8; bit++)
		d[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
	int err = 0;
	if (prefixlen)
		err = req_attr(&r, RTA_DST, d, (size_t)alen);
	if (!err && oif > 0)
		err = req_u32(&r, RTA_OIF, (uint32_t)oif);
	if (!err)
		err = talk(nl, &r, NULL, NULL);
	if (add && err == -EEXIST)
		return 0;
	if (!add && (err == -ESRCH || err == -ENOENT))
		return 0;
	return err;
}

int io_nl_route_add(struct io_nl *nl, int family, const void *dst, int prefixlen, int oif)
{
	return route_req(nl, true, family, dst, prefixlen, oif);
}

int io_nl_route_del(struct io_nl *nl, int family, const void *dst, int prefixlen, int oif)
{
	return route_req(nl, false, family, dst, prefixlen, oif);
}

struct route_walk {
	struct io_nl_route r;
	io_nl_route_cb cb;
	void *ctx;
	int family;
};

static void route_attr(void *ctx, uint16_t type, const uint8_t *d, size_t len)
{
	struct route_walk *w = ctx;
	size_t alen = (size_t)alen_of(w->r.family);
	if (type == RTA_DST && len >= alen)
		memcpy(w->r.dst, d, alen);
	else if (type == RTA_OIF && len >= 4)
		memcpy(&w->r.oif, d, 4);
	else if (type == RTA_TABLE && len >= 4)
		memcpy(&w->r.table, d, 4);
}

static int route_msg(void *ctx, uint16_t type, const uint8_t *p, size_t len)
{
	struct route_walk *w = ctx;
	struct rtmsg rtm;
	if (type != RTM_NEWROUTE || len < sizeof(rtm))
		return 0;
	memcpy(&rtm, p, sizeof(rtm));
	if (alen_of(rtm.rtm_family) < 0 || (w->family && rtm.rtm_family != w->family))
		return 0;
	memset(&w->r, 0, sizeof(w->r));
	w->r.family = rtm.rtm_family;
	w->r.dst_len = rtm.rtm_dst_len;
	w->r.table = rtm.rtm_table;
	w->r.protocol = rtm.rtm_protocol;
	w->r.scope = rtm.rtm_scope;
	w->r.type = rtm.rtm_type;
	walk_attrs(p + NLMSG_ALIGN(sizeof(rtm)), len - NLMSG_ALIGN(sizeof(rtm)), route_attr, w);
	return w->cb(w->ctx, &w->r);
}

int io_nl_route_dump(struct io_nl *nl, int family, io_nl_route_cb cb, void *ctx)
{
	struct req r;
	struct rtmsg rtm = { .rtm_family = (uint8_t)family };
	req_begin(&r, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm));
	struct route_walk w = { .cb = cb, .ctx = ctx, .family = family };
	return talk(nl, &r, route_msg, &w);
}
