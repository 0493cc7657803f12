/*
 * io_uring backend of the TUN, writes submitted as a batch. The loop watches
 * the ring fd, which is readable while completions are waiting. Reads:
 *  - Linux >= 6.7: ONE multishot read (IORING_OP_READ_MULTISHOT) over a ring
 *    of `burst` provided buffers (pkts). One poll on the TUN serves every
 *    packet; each completion names the buffer it filled, which is replaced
 *    by a fresh pkt. Measured here: the reads' kernel time falls sharply,
 *    since `burst` single reads are each armed on the TUN's wait queue and
 *    all woken for every packet that arrives.
 *  - otherwise: `burst` single reads kept outstanding (one slot each).
 *
 * user_data: a single read is (slot << 1) | 1, the multishot read MSHOT_UD;
 * a write is the pkt pointer itself (pkts are at least 8-byte aligned, so
 * bit 0 tells them apart).
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include "io/tun_int.h"

#define RING_SQ 512
#define RING_CQ 4096
#define MAX_WRITES_INFLIGHT 2048
/* liburing 2.3 predates the opcode (Linux 6.7); the kernel's number. */
#define OP_READ_MULTISHOT 49
#define MSHOT_UD ((0xffffull << 1) | 1u)	/* beyond any read slot (<= 256) */
#define BGID 7				/* our only provided-buffer group */

struct io_tun_uring {
	struct io_uring ring;
	struct pkt *rd[256];	/* buffer of each read slot, NULL = not posted */
	int nrd;
	int posted;		/* reads in the kernel */
	uint32_t writes;	/* writes in the kernel */
	int failed;		/* errno that made the ring unusable, 0 if fine */
	/* multishot mode: rd[] is indexed by buffer ID */
	bool mshot;
	bool armed;		/* the multishot read is in the kernel */
	struct io_uring_buf_ring *br;
	unsigned br_entries;
	/* Writes have a ring of their own (wring, wr == &wring) when it can be
	 * set up, else share the read ring (wr == &ring). Why: the loop polls
	 * the read ring's fd, and every completion posted to a polled ring
	 * wakes the poller; writes complete inside the submitting call, so
	 * their completions are collected right there instead. */
	struct io_uring wring;
	struct io_uring *wr;
};

static bool ring_supports(struct io_uring *ring)
{
	struct io_uring_probe *pr = io_uring_get_probe_ring(ring);
	if (!pr)
		return false;
	bool ok = io_uring_opcode_supported(pr, IORING_OP_READ) &&
		  io_uring_opcode_supported(pr, IORING_OP_WRITE) &&
		  io_uring_opcode_supported(pr, IORING_OP_ASYNC_CANCEL);
	io_uring_free_probe(pr);
	return ok;
}

/* A NOP round trip: catches rings that set up but cannot submit (seccomp). */
static int nop_roundtrip(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_nop(sqe);
	sqe->user_data = 0;
	int r = io_uring_submit(ring);
	if (r < 0)
		return r;
	struct io_uring_cqe *cqe;
	r = io_uring_wait_cqe(ring, &cqe);
	if (r < 0)
		return r;
	r = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return r;
}

/* The pkt parked in read slot `slot`, taken from the pool when empty;
 * false (counted) when the pool has none. */
static bool slot_filled(struct io_tun *t, int slot)
{
	struct io_tun_uring *u = t->u;
	if (!u->rd[slot] && !(u->rd[slot] = pkt_alloc(t->pool))) {
		t->st.rx_nobuf++;
		return false;
	}
	return true;
}

static bool post_read(struct io_tun *t, int slot)
{
	struct io_tun_uring *u = t->u;
	if (!slot_filled(t, slot))
		return false;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	if (!sqe) {
		io_uring_submit(&u->ring);
		sqe = io_uring_get_sqe(&u->ring);
		if (!sqe)
			return false;
	}
	struct pkt *p = u->rd[slot];
	pkt_reset(p);
	/* Offset 0: a tun is a stream, the kernel ignores the position. */
	io_uring_prep_read(sqe, t->fd, p->data, PKT_MAX_DATA, 0);
	io_uring_sqe_set_data64(sqe, ((uint64_t)slot << 1) | 1u);
	u->posted++;
	return true;
}

/* Give buffer slot `bid` a pkt and put it in the provided-buffer ring;
 * false if the pool is empty (the slot waits for the next reap). */
static bool mshot_fill(struct io_tun *t, int bid, int *added)
{
	struct io_tun_uring *u = t->u;
	if (!slot_filled(t, bid))
		return false;
	struct pkt *p = u->rd[bid];
	pkt_reset(p);
	io_uring_buf_ring_add(u->br, p->data, PKT_MAX_DATA, (unsigned short)bid,
			      io_uring_buf_ring_mask(u->br_entries), (*added)++);
	return true;
}

static bool mshot_arm(struct io_tun *t)
{
	struct io_tun_uring *u = t->u;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	if (!sqe) {
		io_uring_submit(&u->ring);
		sqe = io_uring_get_sqe(&u->ring);
		if (!sqe)
			return false;
	}
	/* no address, no length: each read takes a whole buffer of BGID */
	io_uring_prep_rw(OP_READ_MULTISHOT, sqe, t->fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	io_uring_sqe_set_data64(sqe, MSHOT_UD);
	u->armed = true;
	u->posted = 1;
	return true;
}

/* Set up the provided-buffer ring and arm the multishot read; false (and
 * nothing left behind) if this kernel cannot. */
static bool mshot_init(struct io_tun *t)
{
	struct io_tun_uring *u = t->u;
	struct io_uring_probe *pr = io_uring_get_probe_ring(&u->ring);
	bool ok = pr && io_uring_opcode_supported(pr, OP_READ_MULTISHOT);
	if (pr)
		io_uring_free_probe(pr);
	if (!ok)
		return false;
	u->br_entries = 1;
	while (u->br_entries < (unsigned)u->nrd)
		u->br_entries <<= 1;
	void *mem = NULL;
	if (posix_memalign(&mem, 4096, u->br_entries * sizeof(struct io_uring_buf)))
		return false;
	memset(mem, 0, u->br_entries * sizeof(struct io_uring_buf));
	struct io_uring_buf_reg reg;
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uint64_t)(uintptr_t)mem;
	reg.ring_entries = u->br_entries;
	reg.bgid = BGID;
	if (io_uring_register_buf_ring(&u->ring, &reg, 0) < 0) {
		free(mem);
		return false;
	}
	u->br = mem;
	io_uring_buf_ring_init(u->br);
	u->mshot = true;
	t->mshot = true;
	int added = 0;
	for (int i = 0; i < u->nrd; i++)
		mshot_fill(t, i, &added);
	io_uring_buf_ring_advance(u->br, added);
	if (added)
		mshot_arm(t);
	return true;
}

int tun_uring_init(struct io_tun *t)
{
	struct io_tun_uring *u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	/* A CQ much larger than the SQ: writes complete at once and reads
	 * wait, so completions pile up between two reaps. */
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = RING_CQ;
	/* Linux >= 6.0: one task submits (the loop's), and completions that
	 * need task work wait for our next io_uring_enter instead of
	 * interrupting whatever we are doing. Older kernels refuse the flags
	 * (EINVAL): then the plain ring. */
	p.flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN;
	int err = io_uring_queue_init_params(RING_SQ, &u->ring, &p);
	if (err == -EINVAL) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = RING_CQ;
		err = io_uring_queue_init_params(RING_SQ, &u->ring, &p);
	}
	if (err < 0) {
		free(u);
		return err;
	}
	if (!ring_supports(&u->ring)) {
		err = -EOPNOTSUPP;
		goto fail;
	}
	err = nop_roundtrip(&u->ring);
	if (err < 0)
		goto fail;
	u->wr = &u->ring;
	struct io_uring_params wp;
	memset(&wp, 0, sizeof(wp));
	wp.flags = p.flags & (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN);
	if (io_uring_queue_init_params(RING_SQ, &u->wring, &wp) == 0)
		u->wr = &u->wring;
	t->u = u;
	u->nrd = t->burst;
	if (!mshot_init(t))
		for (int i = 0; i < u->nrd; i++)
			post_read(t, i);
	err = io_uring_submit(&u->ring);
	if (err < 0) {
		t->u = NULL;
		for (int i = 0; i < u->nrd; i++)
			pkt_free(t->pool, u->rd[i]);
		if (u->wr != &u->ring)
			io_uring_queue_exit(&u->wring);
		goto fail;
	}
	return 0;
fail:
	io_uring_queue_exit(&u->ring);
	free(u->br);
	free(u);
	return err;
}

int tun_uring_fd(const struct io_tun *t)
{
	return t->u ? t->u->ring.ring_fd : -1;
}

bool tun_uring_failed(const struct io_tun *t)
{
	return t->u && t->u->failed;
}

/* Errors that say "this request, not the ring": the packet is lost or the
 * read is simply posted again. */
static bool transient(int res)
{
	return res == -EAGAIN || res == -EINTR || res == -ECANCELED || res == -ENOBUFS;
}

static void write_done(struct io_tun *t, const struct io_uring_cqe *cqe)
{
	struct io_tun_uring *u = t->u;
	int res = cqe->res;
	u->writes--;
	if (res < 0) {
		t->st.tx_err++;
		t->st.last_err = -res;
		/* EINVAL/EIO are per packet (not IPv4/6, truncated); only
		 * "cannot do writes at all" condemns the ring. */
		if (res == -EOPNOTSUPP || res == -ENOSYS)
			u->failed = -res;
	} else {
		t->st.tx_pkts++;
	}
	pkt_free(t->pool, (struct pkt *)(uintptr_t)cqe->user_data);
}

/* Collect the completions of the separate write ring. */
static void wring_reap(struct io_tun *t)
{
	struct io_tun_uring *u = t->u;
	unsigned head, seen = 0;
	struct io_uring_cqe *cqe;
	if (u->wr == &u->ring)
		return;
	io_uring_for_each_cqe(&u->wring, head, cqe) {
		seen++;
		if (cqe->user_data)
			write_done(t, cqe);
	}
	io_uring_cq_advance(&u->wring, seen);
}

int tun_uring_reap(struct io_tun *t, int budget)
{
	struct io_tun_uring *u = t->u;
	struct pkt *out[256];
	int nout = 0, refill[256], nrefill = 0;
	unsigned head, seen = 0;
	struct io_uring_cqe *cqe;

	if (budget > 256)
		budget = 256;
	io_uring_for_each_cqe(&u->ring, head, cqe) {
		uint64_t ud = cqe->user_data;
		int res = cqe->res;
		if (ud == MSHOT_UD) {
			if (nout >= budget)
				break;	/* the rest waits for the next burst */
			seen++;
			if (!(cqe->flags & IORING_CQE_F_MORE)) {
				u->armed = false;	/* ended: re-armed below */
				u->posted = 0;
			}
			if (res > 0 && (cqe->flags & IORING_CQE_F_BUFFER)) {
				int bid = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
				if (bid < u->nrd && u->rd[bid]) {
					struct pkt *p = u->rd[bid];
					p->len = (uint32_t)res;
					out[nout++] = p;
					u->rd[bid] = NULL;
					refill[nrefill++] = bid;
				}
			} else if (res <= 0 && !transient(res)) {
				/* -ENOBUFS (all buffers used) just ends it */
				t->st.rx_err++;
				t->st.last_err = res ? -res : EIO;
				if (!u->failed)
					u->failed = t->st.last_err;
			}
			continue;
		}
		if (ud & 1u) {
			if (nout >= budget)
				break;	/* the rest waits for the next burst */
			int slot = (int)(ud >> 1);
			seen++;
			u->posted--;
			if (slot >= u->nrd || !u->rd[slot])
				continue;
			if (res > 0) {
				struct pkt *p = u->rd[slot];
				p->len = (uint32_t)res;
				out[nout++] = p;
				u->rd[slot] = NULL;
			} else if (!transient(res)) {
				t->st.rx_err++;
				t->st.last_err = res ? -res : EIO;
				/* EOF or a hard error on the read itself: the
				 * tun is gone or the op unusable here. */
				if (!u->failed)
					u->failed = t->st.last_err;
			}
			refill[nrefill++] = slot;
		} else {
			seen++;
			if (ud == 0)
				continue;	/* NOP / cancel */
			write_done(t, cqe);
		}
	}
	io_uring_cq_advance(&u->ring, seen);
	wring_reap(t);	/* writes that did not complete inline */

	if (!u->failed && u->mshot) {
		/* Every empty slot, also those the pool could not fill last
		 * time, goes back into the buffer ring. */
		int added = 0;
		for (int i = 0; i < nrefill; i++)
			mshot_fill(t, refill[i], &added);
		for (int i = 0; i < u->nrd; i++)
			if (!u->rd[i])
				mshot_fill(t, i, &added);
		io_uring_buf_ring_advance(u->br, added);
		/* a slot holding a pkt is a buffer in the ring: re-arm only
		 * with something to read into (else the pool is dry: the
		 * loop calls us again, see the end) */
		bool any = false;
		for (int i = 0; i < u->nrd && !any; i++)
			any = u->rd[i] != NULL;
		if (!u->armed && any)
			mshot_arm(t);
		int r = io_uring_submit(&u->ring);
		if (r < 0 && r != -EAGAIN && r != -EBUSY && r != -EINTR)
			u->failed = -r;
	} else if (!u->failed) {
		/* Also re-posts slots that found the pool empty last time. */
		for (int i = 0; i < nrefill; i++)
			post_read(t, refill[i]);
		for (int i = 0; i < u->nrd && u->posted < u->nrd; i++)
			if (!u->rd[i])
				post_read(t, i);
		int r = io_uring_submit(&u->ring);
		if (r < 0 && r != -EAGAIN && r != -EBUSY && r != -EINTR)
			u->failed = -r;
	}
	t->st.rx_pkts += (uint64_t)nout;
	if (nout)
		t->rx(t->ctx, t, out, nout);
	/* With no read posted (pool empty) no completion would ever wake us
	 * again: ask the loop to call back next iteration and retry. */
	if (u->posted == 0 && !u->failed)
		return budget;
	return nout >= budget ? budget : nout;
}

int tun_uring_write(struct io_tun *t, struct pkt *v[], int n)
{
	struct io_tun_uring *u = t->u;
	int queued = 0;
	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = NULL;
		if (u->writes < MAX_WRITES_INFLIGHT && !u->failed) {
			sqe = io_uring_get_sqe(u->wr);
			if (!sqe) {
				int r = io_uring_submit(u->wr);
				if (r < 0 && r != -EAGAIN && r != -EBUSY && r != -EINTR)
					u->failed = -r;
				wring_reap(t);
				sqe = io_uring_get_sqe(u->wr);
			}
		}
		if (!sqe) {
			t->st.tx_drop++;
			pkt_free(t->pool, v[i]);
			continue;
		}
		io_uring_prep_write(sqe, t->fd, v[i]->data, v[i]->len, 0);
		io_uring_sqe_set_data64(sqe, (uint64_t)(uintptr_t)v[i]);
		u->writes++;
		queued++;
	}
	/* One io_uring_enter for the whole vector. */
	int r = io_uring_submit(u->wr);
	if (r < 0 && r != -EAGAIN && r != -EBUSY && r != -EINTR) {
		u->failed = -r;
		t->st.last_err = -r;
	}
	/* TUN writes complete during the submission: buffers back now */
	wring_reap(t);
	return queued;
}

void tun_uring_exit(struct io_tun *t)
{
	struct io_tun_uring *u = t->u;
	if (!u)
		return;
	/* Buffers may only go back to the pool once the kernel has let go of
	 * them: cancel everything on the fd and wait (bounded) for the CQEs. */
	if (u->wr != &u->ring) {
		struct io_uring_sqe *wsqe = io_uring_get_sqe(&u->wring);
		if (wsqe) {
			io_uring_prep_cancel_fd(wsqe, t->fd, IORING_ASYNC_CANCEL_ALL);
			io_uring_sqe_set_data64(wsqe, 0);
		}
		io_uring_submit(&u->wring);
		for (int tries = 0; u->writes > 0 && tries < 50;) {
			struct io_uring_cqe *cqe;
			struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
			if (io_uring_wait_cqe_timeout(&u->wring, &cqe, &ts) < 0) {
				tries++;
				continue;
			}
			if (cqe->user_data)
				write_done(t, cqe);
			io_uring_cqe_seen(&u->wring, cqe);
		}
		io_uring_queue_exit(&u->wring);
	}
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	if (sqe) {
		io_uring_prep_cancel_fd(sqe, t->fd, IORING_ASYNC_CANCEL_ALL);
		io_uring_sqe_set_data64(sqe, 0);
	}
	io_uring_submit(&u->ring);
	bool *done = calloc((size_t)u->nrd + 1, sizeof(bool));
	int tries = 0;
	while ((u->posted > 0 || u->writes > 0) && tries < 50) {
		struct io_uring_cqe *cqe;
		struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
		if (io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts) < 0) {
			tries++;
			continue;
		}
		uint64_t ud = cqe->user_data;
		if (ud == MSHOT_UD) {
			/* buffers it filled stay in rd[] and are freed below */
			if (!(cqe->flags & IORING_CQE_F_MORE))
				u->posted = 0;
		} else if (ud & 1u) {
			int slot = (int)(ud >> 1);
			u->posted--;
			if (done && slot < u->nrd)
				done[slot] = true;
		} else if (ud) {
			u->writes--;
			pkt_free(t->pool, (struct pkt *)(uintptr_t)ud);
		}
		io_uring_cqe_seen(&u->ring, cqe);
	}
	/* Slots whose read never completed stay allocated (leaked on purpose):
	 * the kernel might still write into them. */
	for (int i = 0; i < u->nrd; i++)
		if (u->rd[i] && (u->posted == 0 || (done && done[i])))
			pkt_free(t->pool, u->rd[i]);
	free(done);
	io_uring_queue_exit(&u->ring);
	free(u->br);
	free(u);
	t->u = NULL;
}
