/*
 * A small rtnetlink client: interface MTU/up, addresses, routes towards the
 * TUN, and dumps to read them back. Each request carries NLM_F_ACK and waits
 * for the kernel's NLMSG_ERROR answer with the same sequence number, so a
 * failure is reported with the kernel's errno rather than assumed away.
 *
 * Why netlink and not ioctl (SIOCADDRT, what the original used) or running
 * `ip`: netlink covers IPv4 and IPv6 with one message format, reports errors
 * per request, needs no fork/exec in the data path, and lets us dump and
 * verify the resulting state.
 *
 * Route add/del are idempotent: adding an existing route (EEXIST) and
 * deleting a missing one (ESRCH for IPv4, ENOENT for IPv6) return 0, so the
 * core can re-assert routes after a restart or a cluster failover without
 * tracking what the kernel already has.
 *
 * The socket is blocking with a receive timeout: requests are synchronous
 * and the kernel answers at once; the timeout only bounds a kernel that does
 * not (-ETIMEDOUT).
 */
#ifndef L2TPNS_IO_NL_H
#define L2TPNS_IO_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

/* Protocol our routes are installed with (RTM "proto static"). */
#define IO_NL_RTPROT 4

struct io_nl {
	int fd;
	uint32_t seq;
	uint32_t portid;
};

struct io_nl_link {
	int ifindex;
	unsigned flags;		/* IFF_UP, IFF_RUNNING ... */
	uint32_t mtu;
	uint32_t txqlen;
	char name[IF_NAMESIZE];
};

struct io_nl_addr {
	int family;
	int ifindex;
	int prefixlen;
	uint8_t addr[16];	/* IFA_LOCAL (IFA_ADDRESS if absent) */
};

struct io_nl_route {
	int family;
	int dst_len;
	uint8_t dst[16];	/* RTA_DST, zero for a default route */
	int oif;		/* RTA_OIF, 0 if absent */
	uint32_t table;
	uint8_t protocol, scope, type;
};

int io_nl_open(struct io_nl *nl);
void io_nl_close(struct io_nl *nl);

/* Look a link up by index (ifindex > 0) or by name. 0, -ENODEV or -errno. */
int io_nl_link_get(struct io_nl *nl, int ifindex, const char *name, struct io_nl_link *out);
/* Delete a link (a persistent tun, a test device). -ENODEV if missing. */
int io_nl_link_del(struct io_nl *nl, int ifindex);
/* up: 1 up, 0 down, -1 unchanged; mtu/txqlen 0 = unchanged. */
int io_nl_link_set(struct io_nl *nl, int ifindex, int up, uint32_t mtu, uint32_t txqlen);

/* addr is 4 (AF_INET) or 16 (AF_INET6) bytes in network order. */
int io_nl_addr_add(struct io_nl *nl, int ifindex, int family, const void *addr, int prefixlen);
int io_nl_addr_del(struct io_nl *nl, int ifindex, int family, const void *addr, int prefixlen);

/* A route for dst/prefixlen out of interface oif in the main table. */
int io_nl_route_add(struct io_nl *nl, int family, const void *dst, int prefixlen, int oif);
int io_nl_route_del(struct io_nl *nl, int family, const void *dst, int prefixlen, int oif);

/* Dumps: cb is called per entry; a nonzero return stops the walk (the dump is
 * still read to its end) and is returned. Otherwise 0 or -errno. */
typedef int (*io_nl_route_cb)(void *ctx, const struct io_nl_route *r);
typedef int (*io_nl_addr_cb)(void *ctx, const struct io_nl_addr *a);
int io_nl_route_dump(struct io_nl *nl, int family, io_nl_route_cb cb, void *ctx);
int io_nl_addr_dump(struct io_nl *nl, int family, io_nl_addr_cb cb, void *ctx);

#endif
