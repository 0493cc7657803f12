/*
 * io_uring backend of the TUN: `burst` reads kept outstanding (one slot
 * each), writes submitted as a batch. The loop watches the ring fd, which is
 * readable while completions are waiting.
 *
 * user_data: a read is (slot << 1) | 1; a write is the pkt pointer itself
 * (pkts are at least 8-byte aligned, so bit 0 tells them apart).
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include "io/tun_int.h"

#define RING_SQ 512
#define RING_CQ 4096
#define MAX_WRITES_INFLIGHT 2048

struct io_tun_uring {
	struct io_uring ring;
	struct pkt *rd[256];	/* buffer of each read slot, NULL = not posted */
	int nrd;
	int posted;		/* reads in the kernel */
	uint32_t writes;	/* writes in the kernel */
	int failed;		/* errno that made the ring unusable, 0 if fine */
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

static bool post_read(struct io_tun *t, int slot)
{
	struct io_tun_uring *u = t->u;
	if (!u->rd[slot]) {
		u->rd[slot] = pkt_alloc(t->pool);
		if (!u->rd[slot]) {
			t->st.rx_nobuf++;
			return false;
		}
	}
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
	int err = io_uring_queue_init_params(RING_SQ, &u->ring, &p);
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
	t->u = u;
	u->nrd = t->burst;
	for (int i = 0; i < u->nrd; i++)
		post_read(t, i);
	err = io_uring_submit(&u->ring);
	if (err < 0) {
		t->u = NULL;
		for (int i = 0; i < u->nrd; i++)
			pkt_free(t->pool, u->rd[i]);
		goto fail;
	}
	return 0;
fail:
	io_uring_queue_exit(&u->ring);
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
			u->writes--;
			struct pkt *p = (struct pkt *)(uintptr_t)ud;
			if (res < 0) {
				t->st.tx_err++;
				t->st.last_err = -res;
				/* EINVAL/EIO are per packet (not IPv4/6,
				 * truncated); only "cannot do writes at all"
				 * condemns the ring. */
				if (res == -EOPNOTSUPP || res == -ENOSYS)
					u->failed = -res;
			} else {
				t->st.tx_pkts++;
			}
			pkt_free(t->pool, p);
		}
	}
	io_uring_cq_advance(&u->ring, seen);

	if (!u->failed) {
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
			sqe = io_uring_get_sqe(&u->ring);
			if (!sqe) {
				int r = io_uring_submit(&u->ring);
				if (r < 0 && r != -EAGAIN && r != -EBUSY && r != -EINTR)
					u->failed = -r;
				sqe = io_uring_get_sqe(&u->ring);
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
	int r = io_uring_submit(&u->ring);
	if (r < 0 && r != -EAGAIN && r != -EBUSY && r != -EINTR) {
		u->failed = -r;
		t->st.last_err = -r;
	}
	return queued;
}

void tun_uring_exit(struct io_tun *t)
{
	struct io_tun_uring *u = t->u;
	if (!u)
		return;
	/* Buffers may only go back to the pool once the kernel has let go of
	 * them: cancel everything on the fd and wait (bounded) for the CQEs. */
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
		if (ud & 1u) {
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
	free(u);
	t->u = NULL;
}
