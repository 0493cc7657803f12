/*
 * UDP sockets, batch-first.
 *
 * io_udp_open: nonblocking socket bound to address:port with IP_PKTINFO (or
 * IPV6_RECVPKTINFO) on. Why: when the LNS listens on INADDR_ANY on a host with
 * several addresses, a reply sent without a source would leave from whichever
 * address the route picks; the LAC expects the answer from the address it sent
 * to (it matches the tunnel on it, and NAT/firewalls do too). Every received
 * pkt records the local address in pkt->local, and io_udp_sendv uses pkt->local
 * as the source, so a reply that copies peer/local from the request is right.
 *
 * io_udp_recvv/io_udp_sendv: one recvmmsg/sendmmsg per 64 packets. The caller
 * owns the pkts (no queue).
 *
 * Segmentation offload (Linux >= 4.18 GSO, >= 5.0 GRO), used by struct io_udp
 * when the kernel has it, with the plain per-datagram path as the fallback:
 *  - GSO: a run of equal-size datagrams (flagged PKT_F_GSO: bulk data) to
 *    the same peer from the same local address is ONE sendmmsg message carrying a UDP_SEGMENT cmsg: the stack
 *    (routing, netfilter, qdisc, driver) is traversed once per run and the
 *    datagrams are cut just before the device (or by it). What goes on the
 *    wire is identical. io_udp_send first groups a vector by destination
 *    (stable: the order of the datagrams to one peer is kept, RFC 2661 §5.4
 *    sequencing and TCP inside the sessions care; the relative order of
 *    different peers means nothing) so that runs are as long as possible.
 *  - GRO (opt-in, io_udp_opts.gro): the kernel may hand us several datagrams
 *    of one flow as one buffer, with their size in a UDP_GRO cmsg, when the
 *    receiving device does GRO; io_udp cuts it back into one pkt per
 *    datagram before the core sees it, so the core never knows.
 *
 * struct io_udp: an fd registered on the loop, delivering received vectors to
 * the core and taking vectors to send. When the socket buffer is full
 * (EAGAIN) the unsent tail is kept in a bounded queue and EPOLLOUT is armed;
 * the queue drains in order when the socket becomes writable, then EPOLLOUT is
 * disarmed again (level-triggered EPOLLOUT would otherwise spin).
 */
#ifndef L2TPNS_IO_UDP_H
#define L2TPNS_IO_UDP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "io/io.h"
#include "io/loop.h"
#include "io/pkt.h"

#define IO_UDP_BATCH 64		/* messages per recvmmsg/sendmmsg call */
#define IO_UDP_GSO_SEGS 64	/* datagrams per GSO message (kernel limit >= 64) */

struct io_udp_opts {
	int rcvbuf;		/* bytes, 0 = kernel default */
	int sndbuf;
	/* Off by default: a second daemon binding the same address:port must
	 * fail loudly, not silently share (and steal) datagrams. */
	bool reuseaddr;		/* SO_REUSEADDR */
	bool reuseport;		/* SO_REUSEPORT (one socket per worker) */
	bool freebind;		/* IP_FREEBIND: bind before the address exists */
	bool gro;		/* UDP_GRO: accept coalesced datagrams (io_udp splits) */
};

struct io_udp_stats {
	uint64_t rx_pkts;
	uint64_t rx_trunc;	/* datagrams longer than PKT_MAX_DATA */
	uint64_t rx_nobuf;	/* receive skipped: pool empty */
	uint64_t tx_pkts;
	uint64_t tx_err;	/* dropped by a per-packet send error */
	uint64_t tx_eagain;	/* times the socket was full */
	uint64_t tx_qdrop;	/* dropped because the send queue was full */
	uint64_t tx_gso_msgs;	/* messages that carried more than one datagram */
	uint64_t tx_gso_segs;	/* datagrams sent inside those */
	uint64_t tx_gso_fail;	/* GSO messages refused and resent one by one */
	uint64_t rx_gro_msgs;	/* coalesced buffers received */
	uint64_t rx_gro_segs;	/* datagrams cut out of them */
	int last_err;		/* errno of the last per-packet send error */
};

/* Returns the fd or -errno. Sizes it asks for with SO_RCVBUFFORCE first
 * (root may exceed net.core.rmem_max), then SO_RCVBUF. */
int io_udp_open(const struct sockaddr *addr, socklen_t alen, const struct io_udp_opts *o);

/* Receive up to n datagrams into the caller's pkts v[0..n-1] (each reset:
 * data at headroom). Returns how many were filled (0 if none) or -errno. */
int io_udp_recvv(int fd, struct pkt *const v[], int n, struct io_udp_stats *st);
/* Send v[0..n-1], each to v[i]->peer (len 0: connected socket) from
 * v[i]->local (len 0: kernel's choice). Partial sends are resumed; a packet
 * that fails on its own (EMSGSIZE, EHOSTUNREACH, EPERM ...) is dropped and
 * counted so one bad destination cannot block the rest. Returns how many
 * pkts are done with (sent or dropped), < n when the socket is full, or
 * -errno for an error of the socket itself (EBADF, ENOTSOCK, EFAULT). */
int io_udp_sendv(int fd, struct pkt *const v[], int n, struct io_udp_stats *st);
/* As io_udp_sendv, but each run of consecutive pkts flagged PKT_F_GSO with
 * the same peer and local address and the same length (the last of a run may be shorter) goes
 * as one UDP_SEGMENT message (at most IO_UDP_GSO_SEGS datagrams). A run the
 * kernel refuses as such (EINVAL, EIO: no checksum offload, IPsec) is resent
 * one datagram at a time and counted in tx_gso_fail. */
int io_udp_sendv_gso(int fd, struct pkt *const v[], int n, struct io_udp_stats *st);
/* Reorder v[0..n-1] so that pkts for the same destination (peer + local)
 * are adjacent, keeping their order within a destination; destinations in
 * the order of their first pkt. Leaves v alone beyond 64 destinations. */
void io_udp_group(struct pkt *v[], int n);
/* True if the kernel takes UDP_SEGMENT on this socket. */
bool io_udp_gso_supported(int fd);

struct io_udp;
/* Receives ownership of v[0..n-1]: free them or pass them on. */
typedef void (*io_udp_rx_fn)(void *ctx, struct io_udp *u, struct pkt *v[], int n);

struct io_udp {
	int fd;
	struct io_loop *loop;
	struct pkt_pool *pool;
	io_udp_rx_fn rx;
	void *ctx;
	int burst;
	bool gso;		/* send runs as UDP_SEGMENT messages (probed) */
	bool gro;		/* UDP_GRO is on: receive through gro_buf */
	uint8_t *gro_buf;	/* IO_UDP_BATCH overflow areas of 64 KiB, one per message */
	struct pkt **q;		/* ring of pkts waiting for EPOLLOUT */
	uint32_t qcap, qhead, qlen;
	struct io_udp_stats st;
};

/* Register fd (class and burst as for io_loop_add; burst <= 0 = 64) and keep
 * at most qcap pkts waiting for a full socket (0 = 4096). GSO is used when
 * the socket supports it, GRO when the socket has UDP_GRO on (gso/gro may be
 * cleared by the caller afterwards to force the plain paths). */
int io_udp_attach(struct io_udp *u, struct io_loop *l, int fd, enum io_class cls,
		  int burst, struct pkt_pool *pool, uint32_t qcap, io_udp_rx_fn rx, void *ctx);
/* Unregister, free queued pkts; the fd is left open for the caller. */
void io_udp_detach(struct io_udp *u);
/* Takes ownership of v[0..n-1]. Sends now what the socket takes, queues the
 * rest (in order, behind anything already queued) and arms EPOLLOUT; pkts that
 * do not fit the queue are freed and counted. Returns n minus the dropped,
 * or -errno for a socket error (all n freed). */
int io_udp_send(struct io_udp *u, struct pkt *v[], int n);
/* Send what is queued; returns the number still queued or -errno. */
int io_udp_flush(struct io_udp *u);

#endif
