/*
 * Packet buffers: a pool of fixed-size buffers, each with HEADROOM before the
 * data, and vectors of them (struct pkt *v[], n) passed end to end.
 *
 * Why headroom: downstream, an IP packet read from the TUN gets an L2TP data
 * header (6-16 bytes, RFC 2661 section 3.1) and a PPP protocol field (2-4 bytes
 * with address/control, RFC 1662 section 3) in front of it before it is sent;
 * the kernel adds IP/UDP itself. Reading into buf + PKT_HEADROOM lets the core
 * prepend those with pkt_push() without copying the payload. 64 bytes also keep
 * the IP header 16-byte aligned.
 *
 * Ownership: a pkt belongs to exactly one place at a time. Receive functions
 * hand freshly filled pkts to the caller; send/write functions that take a
 * vector take ownership and return the buffers to their pool when done.
 */
#ifndef L2TPNS_IO_PKT_H
#define L2TPNS_IO_PKT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PKT_BUF_SIZE 2048
#define PKT_HEADROOM 64
/* Largest packet the receive paths accept (tail of the buffer after headroom). */
#define PKT_MAX_DATA (PKT_BUF_SIZE - PKT_HEADROOM)

/* A socket address of either family; len 0 means unset. */
struct io_addr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} u;
	socklen_t len;
};

enum {
	PKT_F_TRUNC = 1u << 0,	/* datagram was longer than the buffer (dropped tail) */
	/* UDP: may share a GSO message with its neighbours (io/udp.h). Set
	 * by the core on bulk data only: control messages stay one datagram
	 * per skb, so a capture on a GSO-capable link (veth) shows each as
	 * sent rather than merged, and a lone message gains nothing. */
	PKT_F_GSO = 1u << 1,
	PKT_F_FREE = 1u << 31,	/* in the pool's free list (double-free detection) */
};

struct pkt {
	uint8_t *data;		/* first byte of the packet inside buf */
	uint32_t len;
	uint32_t flags;
	/* UDP: the remote end (source on receive, destination on send). */
	struct io_addr peer;
	/* UDP: the local address a datagram arrived at (IP_PKTINFO), and the
	 * source address to use on send; len 0 lets the kernel choose. */
	struct io_addr local;
	int ifindex;		/* interface the datagram arrived on, 0 if unknown */
	uint64_t user;		/* opaque to src/io: for the core (session id ...) */
	uint8_t buf[PKT_BUF_SIZE];
};

struct pkt_pool {
	struct pkt *mem;
	struct pkt **free;	/* LIFO stack: the most recently used buffer is cache-warm */
	uint32_t n, nfree;
	uint64_t alloc_fail;	/* pkt_alloc on an empty pool */
	uint64_t double_free;	/* pkt_free of a pkt already free (ignored) */
};

int pkt_pool_init(struct pkt_pool *pp, uint32_t n);
void pkt_pool_destroy(struct pkt_pool *pp);
/* NULL when the pool is empty. The pkt is reset: data at headroom, len 0. */
struct pkt *pkt_alloc(struct pkt_pool *pp);
/* Fills v[0..ret-1]; returns how many could be allocated (0..n). */
int pkt_alloc_n(struct pkt_pool *pp, struct pkt *v[], int n);
void pkt_free(struct pkt_pool *pp, struct pkt *p);
void pkt_free_n(struct pkt_pool *pp, struct pkt *const v[], int n);
/* Data at headroom, len 0, flags and addresses cleared. */
void pkt_reset(struct pkt *p);

static inline uint32_t pkt_headroom(const struct pkt *p)
{
	return (uint32_t)(p->data - p->buf);
}

static inline uint32_t pkt_tailroom(const struct pkt *p)
{
	return (uint32_t)(PKT_BUF_SIZE - (size_t)(p->data - p->buf) - p->len);
}

/* Prepend n bytes (encapsulation); NULL if the headroom is too small. */
static inline uint8_t *pkt_push(struct pkt *p, uint32_t n)
{
	if (n > pkt_headroom(p))
		return NULL;
	p->data -= n;
	p->len += n;
	return p->data;
}

/* Strip n bytes from the front (decapsulation); NULL if shorter than n. */
static inline uint8_t *pkt_pull(struct pkt *p, uint32_t n)
{
	if (n > p->len)
		return NULL;
	p->data += n;
	p->len -= n;
	return p->data;
}

/* Append n bytes; returns where they go, NULL if no tailroom. */
static inline uint8_t *pkt_put(struct pkt *p, uint32_t n)
{
	if (n > pkt_tailroom(p))
		return NULL;
	uint8_t *t = p->data + p->len;
	p->len += n;
	return t;
}

#endif
