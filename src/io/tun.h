/*
 * The TUN device: open, configure over rtnetlink, and batched packet I/O.
 *
 * IFF_TUN | IFF_NO_PI. The original l2tpns used the 4-byte packet-info header
 * (flags + ethertype). We drop it: the ethertype it carries is implied by the
 * IP version nibble of the packet itself (4 or 6, the only protocols a
 * subscriber session carries), so the header is dead weight: 4 more bytes
 * to skip on every read and to write in front of every packet, consuming the
 * headroom the L2TP/PPP encapsulation wants. Reads return the bare IP packet
 * at pkt->data; writes take a bare IP packet.
 *
 * Backends, chosen at attach time:
 *  - io_uring (liburing): a ring keeps `burst` reads outstanding on the TUN
 *    fd (one multishot read over `burst` provided buffers where the kernel
 *    has it, Linux >= 6.7; see tun_uring.c); the ring fd is what the epoll loop watches, each wake-up reaps up to
 *    a burst of completions and re-arms the reads with ONE submission, and a
 *    vector of writes is one submission too. This is what takes the
 *    forwarding rate from ~300k to ~550k packets per CPU-second on our boxes,
 *    since a plain TUN does one syscall per packet.
 *  - read/write: one syscall per packet, used when io_uring is unavailable
 *    (old kernel, kernel.io_uring_disabled, seccomp) as found by a probe at
 *    attach time, or when the ring reports an unexpected error at runtime (the
 *    tun switches over, logs it, and counts it in st.uring_fallback).
 *
 * MTU: a packet must fit PKT_MAX_DATA after the headroom, so the configured
 * MTU is limited to that (io_tun_configure refuses more).
 */
#ifndef L2TPNS_IO_TUN_H
#define L2TPNS_IO_TUN_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "io/io.h"
#include "io/loop.h"
#include "io/nl.h"
#include "io/pkt.h"

enum io_tun_backend {
	IO_TUN_AUTO = 0,	/* io_uring if the probe succeeds, else read/write */
	IO_TUN_URING = 1,
	IO_TUN_RW = 2,
};

struct io_tun_stats {
	uint64_t rx_pkts;
	uint64_t tx_pkts;
	uint64_t rx_err;
	uint64_t tx_err;	/* writes the kernel refused (dropped) */
	uint64_t rx_nobuf;	/* a read could not be posted: pool empty */
	uint64_t tx_drop;	/* writes dropped for lack of ring space */
	uint64_t uring_fallback;
	int last_err;
};

struct io_tun;
struct io_tun_uring;		/* private to tun_uring.c */
/* Receives ownership of v[0..n-1] (IP packets): free them or pass them on. */
typedef void (*io_tun_rx_fn)(void *ctx, struct io_tun *t, struct pkt *v[], int n);

struct io_tun {
	int fd;
	int pollfd;		/* the fd registered on the loop: tun or ring */
	enum io_tun_backend backend;	/* in use: IO_TUN_URING or IO_TUN_RW */
	bool mshot;		/* io_uring reads through one multishot read */
	struct io_loop *loop;
	struct pkt_pool *pool;
	io_tun_rx_fn rx;
	void *ctx;
	int burst;
	struct io_tun_uring *u;
	struct io_tun_stats st;
	struct io_log log;
};

struct io_tun_cfg {
	uint32_t mtu;		/* 0: leave */
	uint32_t txqlen;	/* 0: leave (the original set 1000) */
	uint8_t addr[4];	/* IPv4 address for the device (bind_address or 1.1.1.1) */
	int prefixlen;		/* usually 32 */
	int has_addr;
};

/* Create or attach to TUN `name` ("" or NULL: tun%d); the kernel's name is
 * copied to ifname. Returns a nonblocking fd or -errno. */
int io_tun_open(const char *name, char ifname[IF_NAMESIZE]);
/* Set MTU/txqlen, add the address, bring the link up. Returns ifindex or -errno. */
int io_tun_configure(struct io_nl *nl, const char *ifname, const struct io_tun_cfg *cfg);

/* Plain per-packet I/O, the fallback and the reference. readv fills the
 * caller's v (reset first) until EAGAIN: count or -errno. writev writes all,
 * counting and dropping a packet the kernel refuses: count or -errno for
 * EBADF/EBADFD. */
int io_tun_readv(int fd, struct pkt *const v[], int n);
int io_tun_writev(int fd, struct pkt *const v[], int n, struct io_tun_stats *st);

/* Register on the loop as IO_BULK with the chosen backend; rx receives
 * vectors of at most burst (<= 256; 0 = 64) packets. */
int io_tun_attach(struct io_tun *t, struct io_loop *l, int fd, enum io_tun_backend want,
		  struct pkt_pool *pool, int burst, io_tun_rx_fn rx, void *ctx,
		  const struct io_log *log);
/* Takes ownership of v[0..n-1]; returns how many were written or submitted. */
int io_tun_write(struct io_tun *t, struct pkt *v[], int n);
/* Unregister, cancel outstanding I/O, give buffers back; fd left open. */
void io_tun_detach(struct io_tun *t);
const char *io_tun_backend_name(enum io_tun_backend b);

#endif
