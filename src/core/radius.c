/*
 * RADIUS client transport: sockets and Identifiers, per-request
 * retransmission (fsm/radius_req.h), server health, the accounting queue.
 * See radius.h for the policy.
 */
#include "core/radius.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/lns.h"

#define RAD(l) ((l)->rad)

static void req_event(struct lns *l, struct rad_req *r, enum rreq_event ev);
static void run_actions(struct lns *l, struct rad_req *r, const struct rreq_out *o);
static void pump(struct lns *l);

static void pump_cb(void *ctx, struct io_timer *t, uint64_t now)
{
	(void)t, (void)now;
	pump(ctx);
}

bool rad_enabled(const struct lns *l)
{
	return l->rad && l->rad->nsrv > 0;
}

uint32_t rad_acct_outstanding(const struct lns *l)
{
	return l->rad ? l->rad->nacct : 0;
}

uint32_t rad_nas_ip(const struct lns *l)
{
	if (l->cfg->bind_address)
		return l->cfg->bind_address;
	return l->rad ? l->rad->nas_ip : 0;
}

/* The kernel's source address towards a server: connect() a UDP socket
 * (nothing is sent) and read it back. */
static uint32_t source_towards(uint32_t addr, uint16_t port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t r = 0;
	if (fd < 0)
		return 0;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(addr),
				 .sin_port = htons(port)};
	socklen_t sl = sizeof sa;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
		r = ntohl(sa.sin_addr.s_addr);
	close(fd);
	return r;
}

static const uint8_t *secret(const struct lns *l, size_t *n)
{
	*n = strlen(l->cfg->radius_secret);
	return (const uint8_t *)l->cfg->radius_secret;
}

void rad_reconfigure(struct lns *l)
{
	struct rad_client *c = RAD(l);
	if (!c)
		return;
	const struct config *cfg = l->cfg;
	uint32_t addrs[RAD_MAX_SERVERS] = {cfg->primary_radius, cfg->secondary_radius};
	uint8_t n = 0;
	for (int i = 0; i < RAD_MAX_SERVERS; i++) {
		if (!addrs[i])
			continue;
		struct rad_server *s = &c->srv[n];
		if (s->addr != addrs[i])
			memset(s, 0, sizeof *s);
		s->addr = addrs[i];
		s->auth_port = config_radius_auth_port(cfg, i);
		s->acct_port = config_radius_acct_port(cfg, i);
		n++;
	}
	c->nsrv = n;
	c->nas_ip = n ? source_towards(c->srv[0].addr, c->srv[0].auth_port) : 0;
	c->conf.nservers = n ? n : 1;
	c->conf.tries = (uint8_t)(cfg->radius_retries > 255 ? 255 : cfg->radius_retries);
	c->conf.timeout_ms = (uint32_t)cfg->radius_timeout * 1000u;
	c->conf.cap_ms = c->conf.timeout_ms > 30000 ? c->conf.timeout_ms : 30000;
}

static int open_sock(struct lns *l, int i, uint16_t port);
static int on_readable(void *ctx, int fd, uint32_t ev, int budget);

int rad_open(struct lns *l)
{
	const struct config *cfg = l->cfg;
	if (!cfg->primary_radius && !cfg->secondary_radius)
		return 0;
	struct rad_client *c = calloc(1, sizeof *c);
	if (!c)
		return -ENOMEM;
	c->lns = l;
	c->cwnd = RAD_CWND_START;
	for (int i = 0; i < RAD_NSOCK; i++)
		c->fd[i] = -1;
	c->acct_max = (uint32_t)cfg->radius_accounting_queue;
	c->nreq = c->acct_max + RAD_AUTH_MAX + 1;
	/* calloc'd pages stay untouched until a request uses them */
	c->req = calloc(c->nreq, sizeof *c->req);
	if (!c->req) {
		free(c);
		return -ENOMEM;
	}
	for (uint32_t i = c->nreq - 1; i >= 1; i--) {
		c->req[i].fnext = c->rfree;
		c->rfree = i;
	}
	timer_init(&c->pump_timer, pump_cb, l);
	l->rad = c;
	rad_reconfigure(l);
	uint16_t port = cfg->radius_bind_min;
	for (int i = 0; i < RAD_NSOCK; i++) {
		int r = open_sock(l, i, port);
		if (r < 0) {
			LNS_LOG(l, LOG_ERR, "radius: socket %d (port %u): %s", i, port, strerror(-r));
			rad_close(l);
			return r;
		}
		if (port && cfg->radius_bind_max && ++port > cfg->radius_bind_max) {
			/* fewer ports than sockets: use what the range allows */
			LNS_LOG(l, LOG_WARN, "radius: bind range %u-%u gives %d sockets",
				cfg->radius_bind_min, cfg->radius_bind_max, i + 1);
			for (int j = i + 1; j < RAD_NSOCK; j++)
				c->fd[j] = -1;
			break;
		}
	}
	char a[INET_ADDRSTRLEN];
	struct in_addr ia = {htonl(c->srv[0].addr)};
	LNS_LOG(l, LOG_INFO, "radius: %u server(s), first %s auth %u acct %u", c->nsrv,
		inet_ntop(AF_INET, &ia, a, sizeof a), c->srv[0].auth_port, c->srv[0].acct_port);
	return 0;
}

static int open_sock(struct lns *l, int i, uint16_t port)
{
	struct rad_client *c = RAD(l);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	int buf = 1 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	socklen_t sl = sizeof sa;
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	c->port[i] = ntohs(sa.sin_port);
	int r = io_loop_add(&l->loop, fd, EPOLLIN, IO_CONTROL, 0, on_readable, l);
	if (r < 0) {
		close(fd);
		return r;
	}
	c->fd[i] = fd;
	return 0;
}

void rad_close(struct lns *l)
{
	struct rad_client *c = RAD(l);
	if (!c)
		return;
	for (int i = 0; i < RAD_NSOCK; i++)
		if (c->fd[i] >= 0) {
			io_loop_del(&l->loop, c->fd[i]);
			close(c->fd[i]);
		}
	io_loop_timer_cancel(&l->loop, &c->pump_timer);
	for (uint32_t i = 1; i < c->nreq; i++) {
		if (c->req[i].kind)
			io_loop_timer_cancel(&l->loop, &c->req[i].timer);
		free(c->req[i].buf);
	}
	free(c->req);
	free(c);
	l->rad = NULL;
}

/* ---- request table ---- */

static uint32_t idx_of(struct rad_client *c, struct rad_req *r)
{
	return (uint32_t)(r - c->req);
}

static struct rad_queue *queue_of(struct rad_client *c, const struct rad_req *r)
{
	return r->kind == RAD_KIND_AUTH ? &c->qa : &c->qc;
}

static void q_remove(struct rad_client *c, struct rad_req *r)
{
	if (!r->on_queue)
		return;
	struct rad_queue *q = queue_of(c, r);
	if (r->qprev)
		c->req[r->qprev - 1].qnext = r->qnext;
	else
		q->head = r->qnext;
	if (r->qnext)
		c->req[r->qnext - 1].qprev = r->qprev;
	else
		q->tail = r->qprev;
	r->on_queue = false;
	r->qprev = r->qnext = 0;
	q->len--;
	c->qlen--;
}

/* Parked records go back in front so their order is kept; new ones at the tail. */
static void q_add(struct rad_client *c, struct rad_req *r, bool front)
{
	struct rad_queue *q = queue_of(c, r);
	uint32_t i = idx_of(c, r) + 1;
	r->on_queue = true;
	if (front) {
		r->qnext = q->head;
		r->qprev = 0;
		if (q->head)
			c->req[q->head - 1].qprev = i;
		else
			q->tail = i;
		q->head = i;
	} else {
		r->qprev = q->tail;
		r->qnext = 0;
		if (q->tail)
			c->req[q->tail - 1].qnext = i;
		else
			q->head = i;
		q->tail = i;
	}
	q->len++;
	c->qlen++;
}

static void slot_release(struct rad_client *c, struct rad_req *r)
{
	if (!r->slot)
		return;
	c->idmap[r->slot - 1] = 0;
	c->nslots_used--;
	r->slot = 0;
}

static void req_free(struct lns *l, struct rad_req *r)
{
	struct rad_client *c = RAD(l);
	io_loop_timer_cancel(&l->loop, &r->timer);
	q_remove(c, r);
	slot_release(c, r);
	if (r->kind == RAD_KIND_AUTH)
		c->nauth--;
	else if (r->kind == RAD_KIND_ACCT)
		c->nacct--;
	free(r->buf);
	memset(r, 0, sizeof *r);
	r->fnext = c->rfree;
	c->rfree = idx_of(c, r);
	/* a slot came free: waiting requests may go (from the loop, not from
	 * inside whatever freed this one) */
	if (c->qlen)
		io_loop_timer_after(&l->loop, &c->pump_timer, 0);
}

static void timer_cb(void *ctx, struct io_timer *t, uint64_t now)
{
	struct lns *l = ctx;
	struct rad_client *c = RAD(l);
	(void)now;
	/* the timer is embedded in its request: its index from the address */
	size_t i = (size_t)((uintptr_t)t - (uintptr_t)&c->req[0].timer) / sizeof c->req[0];
	if (i < c->nreq && &c->req[i].timer == t)
		req_event(l, &c->req[i], RREQ_EV_TIMEOUT);
	lns_flush(l);
}

/* Make room for one more accounting record at the bound (radius.h). */
static bool acct_make_room(struct lns *l, uint8_t status)
{
	struct rad_client *c = RAD(l);
	if (c->nacct < c->acct_max)
		return true;
	static const uint8_t order[] = {RADIUS_ACCT_INTERIM_UPDATE, RADIUS_ACCT_START, RADIUS_ACCT_ON,
					RADIUS_ACCT_OFF, RADIUS_ACCT_STOP};
	for (size_t k = 0; k < sizeof order; k++) {
		if (order[k] == RADIUS_ACCT_STOP && status != RADIUS_ACCT_STOP)
			break;	/* a Start or Interim never pushes out a Stop */
		for (uint32_t i = c->qc.head; i; i = c->req[i - 1].qnext) {
			struct rad_req *r = &c->req[i - 1];
			if (r->kind != RAD_KIND_ACCT || r->status != order[k])
				continue;
			if (order[k] == RADIUS_ACCT_INTERIM_UPDATE)
				c->c.acct_dropped_interim++;
			else if (order[k] == RADIUS_ACCT_STOP)
				c->c.acct_dropped_stop++;
			else
				c->c.acct_dropped_start++;
			LNS_LOG(l, order[k] == RADIUS_ACCT_STOP ? LOG_ERR : LOG_WARN,
				"radius: accounting queue full (%u): oldest status %u record dropped",
				c->acct_max, order[k]);
			req_free(l, r);
			return true;
		}
	}
	return false;
}

int rad_submit(struct lns *l, uint8_t kind, uint8_t status, uint8_t *buf, uint16_t len,
	       uint32_t sess, uint32_t sess_uid)
{
	struct rad_client *c = RAD(l);
	if (!c || !c->nsrv) {
		free(buf);
		return -ENOTCONN;
	}
	if ((kind == RAD_KIND_AUTH && c->nauth >= RAD_AUTH_MAX) ||
	    (kind == RAD_KIND_ACCT && !acct_make_room(l, status)) || !c->rfree) {
		if (kind == RAD_KIND_ACCT) {
			if (status == RADIUS_ACCT_STOP)
				c->c.acct_dropped_stop++;
			else if (status == RADIUS_ACCT_INTERIM_UPDATE)
				c->c.acct_dropped_interim++;
			else
				c->c.acct_dropped_start++;
		}
		free(buf);
		return -ENOBUFS;
	}
	uint32_t i = c->rfree;
	struct rad_req *r = &c->req[i];
	c->rfree = r->fnext;
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->status = status;
	r->buf = buf;
	r->len = len;
	r->sess = sess;
	r->sess_uid = sess_uid;
	r->lns = l;
	r->created_ms = lns_now(l);
	rreq_init(&r->fsm);
	timer_init(&r->timer, timer_cb, l);
	if (kind == RAD_KIND_AUTH)
		c->nauth++;
	else
		c->nacct++;
	q_add(c, r, false);
	pump(l);
	return (int)i;
}

void rad_cancel(struct lns *l, uint32_t idx)
{
	struct rad_client *c = RAD(l);
	if (!c || !idx || idx >= c->nreq || c->req[idx].kind != RAD_KIND_AUTH)
		return;
	req_event(l, &c->req[idx], RREQ_EV_CANCEL);
}

/* The first server not in hold-down; when all are, the one back soonest. */
static uint8_t pick_server(struct rad_client *c, uint64_t now)
{
	uint8_t best = 0;
	for (uint8_t i = 0; i < c->nsrv; i++) {
		if (c->srv[i].dead_until <= now)
			return i;
		if (c->srv[i].dead_until < c->srv[best].dead_until)
			best = i;
	}
	return best;
}

static bool take_slot(struct rad_client *c, struct rad_req *r)
{
	if (c->nslots_used >= RAD_SLOTS)
		return false;
	for (uint32_t n = 0; n < RAD_SLOTS; n++) {
		uint32_t s = (c->cursor + n) % RAD_SLOTS;
		if (c->idmap[s] || c->fd[s / 256] < 0)
			continue;
		c->idmap[s] = idx_of(c, r) + 1;
		c->nslots_used++;
		c->cursor = (s + 1) % RAD_SLOTS;
		r->slot = (uint16_t)(s + 1);
		return true;
	}
	return false;
}

/* Send waiting requests while Identifiers are free, Access-Requests first.
 * While every server is down only one accounting record is in flight: the
 * probe. */
static void pump(struct lns *l)
{
	struct rad_client *c = RAD(l);
	uint64_t now = lns_now(l);
	if (!c->nsrv)
		return;	/* servers removed by a reload: requests wait for new ones */
	while (c->qlen && c->nslots_used < RAD_SLOTS && c->nslots_used < c->cwnd) {
		struct rad_req *r;
		if (c->qa.head) {
			r = &c->req[c->qa.head - 1];
		} else {
			if (c->down && c->nacct - c->qc.len >= 1)
				break;
			r = &c->req[c->qc.head - 1];
		}
		q_remove(c, r);
		struct rreq_out o;
		if (rreq_step(&r->fsm, &c->conf, RREQ_EV_START, pick_server(c, now), now, &o) == 0)
			run_actions(l, r, &o);
		if (r->on_queue)
			break;	/* no Identifier after all: wait for one to come free */
	}
}

static void req_event(struct lns *l, struct rad_req *r, enum rreq_event ev)
{
	struct rad_client *c = RAD(l);
	struct rreq_out o;
	if (rreq_step(&r->fsm, &c->conf, ev, 0, lns_now(l), &o) == 0)
		run_actions(l, r, &o);
}

/* RFC 2865 §3: a Request Authenticator is not reused for another request
 * (here: the same one to another server). The User-Password was hidden
 * with the old one: uncovered and hidden again with the new (the CHAP
 * challenge travels in CHAP-Challenge, so CHAP needs nothing). */
static int refresh_authenticator(struct lns *l, struct rad_req *r)
{
	size_t sl;
	const uint8_t *sec = secret(l, &sl);
	uint8_t auth[16], pw[RADIUS_PASSWORD_MAX];
	lns_random(l, auth, sizeof auth);
	for (size_t off = RADIUS_HDR_LEN; off + 2 <= r->len && r->buf[off + 1] >= 2;
	     off += r->buf[off + 1]) {
		uint8_t t = r->buf[off], n = r->buf[off + 1];
		if (off + n > r->len)
			return -EINVAL;
		if (t != RADIUS_ATTR_USER_PASSWORD)
			continue;
		int pl = radius_password_unhide(r->buf + off + 2, (size_t)(n - 2), sec, sl,
						r->buf + 4, pw);
		if (pl < 0)
			return pl;
		int hl = radius_password_hide(pw, (size_t)pl, sec, sl, auth, r->buf + off + 2,
					      (size_t)(n - 2));
		memset(pw, 0, sizeof pw);
		if (hl != n - 2)
			return -EINVAL;
	}
	memcpy(r->buf + 4, auth, 16);
	return 0;
}

/* A new transmission: a fresh Identifier; accounting is rebuilt with the
 * current Acct-Delay-Time (RFC 2866 §5.2: the Identifier changes with it). */
static int build(struct lns *l, struct rad_req *r)
{
	struct rad_client *c = RAD(l);
	size_t sl;
	const uint8_t *sec = secret(l, &sl);
	slot_release(c, r);
	if (!take_slot(c, r))
		return -EAGAIN;
	uint8_t id = (uint8_t)((r->slot - 1) & 0xff);
	if (r->kind == RAD_KIND_AUTH) {
		if (r->sent_once && refresh_authenticator(l, r) < 0)
			return -EINVAL;
		r->sent_once = true;
		/* Message-Authenticator is the first attribute (radius_build_init) */
		r->buf[1] = id;
		uint8_t ma[16];
		radius_msg_auth_compute(r->buf, r->len, 22, r->buf + 4, sec, sl, ma);
		memcpy(r->buf + 22, ma, 16);
		memcpy(r->auth, r->buf + 4, 16);
		return 0;
	}
	uint8_t tmp[RADIUS_MAX_LEN];
	struct radius_builder b;
	radius_build_init(&b, tmp, sizeof tmp, RADIUS_ACCOUNTING_REQUEST, id, NULL, sec, sl, false);
	radius_add_u32(&b, RADIUS_ATTR_ACCT_DELAY_TIME,
		       (uint32_t)((lns_now(l) - r->created_ms) / 1000));
	struct rd rd;
	rd_init(&rd, r->buf, r->len);
	/* the stored attributes were written by radius_sess.c: well formed */
	while (rd_left(&rd) >= 2) {
		uint8_t t = rd_u8(&rd), n = rd_u8(&rd);
		const uint8_t *v = n >= 2 ? rd_take(&rd, (size_t)(n - 2)) : NULL;
		if (!v)
			break;
		radius_add(&b, t, v, (size_t)(n - 2));
	}
	int len = radius_build_finish(&b);
	if (len < 0)
		return len;
	uint8_t *p = realloc(r->pkt, (size_t)len);
	if (!p)
		return -ENOMEM;
	memcpy(p, tmp, (size_t)len);
	r->pkt = p;
	r->pktlen = (uint16_t)len;
	memcpy(r->auth, p + 4, 16);
	return 0;
}

static void transmit(struct lns *l, struct rad_req *r)
{
	struct rad_client *c = RAD(l);
	struct rad_server *sv = &c->srv[r->server < c->nsrv ? r->server : 0];
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(sv->addr),
				 .sin_port = htons(r->kind == RAD_KIND_AUTH ? sv->auth_port
									    : sv->acct_port)};
	const uint8_t *p = r->kind == RAD_KIND_AUTH ? r->buf : r->pkt;
	size_t n = r->kind == RAD_KIND_AUTH ? r->len : r->pktlen;
	if (!r->slot || !p || !c->nsrv || !sv->addr)
		return;
	int fd = c->fd[(r->slot - 1) / 256];
	if (sendto(fd, p, n, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
		/* the retransmission timer covers it */
		c->c.send_err++;
		return;
	}
	sv->sent++;
}

static void run_actions(struct lns *l, struct rad_req *r, const struct rreq_out *o)
{
	struct rad_client *c = RAD(l);
	uint64_t now = lns_now(l);
	char a[INET_ADDRSTRLEN];
	for (unsigned i = 0; i < o->n; i++) {
		const struct rreq_act *x = &o->a[i];
		switch (x->type) {
		case RREQ_A_SEND:
			r->server = x->server;
			if (build(l, r) < 0) {
				/* no Identifier free: wait in line again */
				c->c.no_slot++;
				io_loop_timer_cancel(&l->loop, &r->timer);
				rreq_init(&r->fsm);
				q_add(c, r, true);
				return;
			}
			if (r->kind == RAD_KIND_AUTH)
				c->c.auth_sent++;
			else
				c->c.acct_sent++;
			transmit(l, r);
			break;
		case RREQ_A_RESEND:
			if (now - c->cwnd_cut_ms >= 1000 && c->cwnd > RAD_CWND_MIN) {
				c->cwnd = c->cwnd / 2 > RAD_CWND_MIN ? c->cwnd / 2 : RAD_CWND_MIN;
				c->cwnd_cut_ms = now;
				c->c.window_cuts++;
			}
			if (r->kind == RAD_KIND_AUTH)
				c->c.auth_retrans++;
			else
				c->c.acct_retrans++;
			transmit(l, r);
			break;
		case RREQ_A_TIMER:
			io_loop_timer_arm(&l->loop, &r->timer, x->at);
			break;
		case RREQ_A_STOP_TIMER:
			io_loop_timer_cancel(&l->loop, &r->timer);
			break;
		case RREQ_A_SERVER_FAILED: {
			struct rad_server *sv = &c->srv[x->server < c->nsrv ? x->server : 0];
			sv->timeouts++;
			if (sv->dead_until <= now) {
				struct in_addr ia = {htonl(sv->addr)};
				LNS_LOG(l, LOG_WARN, "radius: server %s not answering: skipped for %us",
					inet_ntop(AF_INET, &ia, a, sizeof a), RAD_HOLD_DOWN_MS / 1000);
			}
			sv->dead_until = now + RAD_HOLD_DOWN_MS;
			break;
		}
		case RREQ_A_DONE:
			break;
		case RREQ_A_EXHAUSTED:
			slot_release(c, r);
			if (r->kind == RAD_KIND_AUTH) {
				uint32_t sess = r->sess, uid = r->sess_uid;
				c->c.auth_timeout++;
				req_free(l, r);
				lns_radius_auth_done(l, sess, uid, NULL);
				return;
			}
			/* accounting is never given up: park it in front and
			 * let one probe find a server */
			if (!c->down)
				LNS_LOG(l, LOG_ERR, "radius: no server answers: accounting queued");
			c->down = true;
			c->c.acct_parked++;
			q_add(c, r, true);
			io_loop_timer_after(&l->loop, &c->pump_timer, 0);
			return;
		default:
			break;
		}
	}
	if (r->fsm.state == RREQ_DONE)
		req_free(l, r);
}

static bool code_fits(uint8_t kind, uint8_t code)
{
	if (kind == RAD_KIND_AUTH)
		return code == RADIUS_ACCESS_ACCEPT || code == RADIUS_ACCESS_REJECT ||
		       code == RADIUS_ACCESS_CHALLENGE;
	return code == RADIUS_ACCOUNTING_RESPONSE;
}

static void response(struct lns *l, int sock, const uint8_t *buf, size_t n,
		     const struct sockaddr_in *from)
{
	struct rad_client *c = RAD(l);
	struct radius_pkt p;
	c->c.rx++;
	if (radius_decode(buf, n, &p) < 0) {
		c->c.rx_bad++;
		return;
	}
	uint32_t slot = (uint32_t)sock * 256 + p.id;
	uint32_t ri = c->idmap[slot];
	if (!ri) {
		c->c.rx_unknown_id++;	/* late answer to a request already settled */
		return;
	}
	struct rad_req *r = &c->req[ri - 1];
	const struct rad_server *sv = &c->srv[r->server < c->nsrv ? r->server : 0];
	uint16_t port = r->kind == RAD_KIND_AUTH ? sv->auth_port : sv->acct_port;
	if (ntohl(from->sin_addr.s_addr) != sv->addr || ntohs(from->sin_port) != port) {
		c->c.rx_wrong_source++;
		return;
	}
	if (!code_fits(r->kind, p.code)) {
		c->c.rx_bad_code++;
		return;
	}
	size_t sl;
	const uint8_t *sec = secret(l, &sl);
	/* "auto": like FreeRADIUS's own client setting, a server that has once
	 * signed an answer must sign them all (a forgery cannot downgrade it);
	 * stock servers that never sign keep working */
	const char *req = l->cfg->radius_require_message_authenticator;
	struct rad_server *from_srv = &c->srv[r->server < c->nsrv ? r->server : 0];
	bool need_ma = r->kind == RAD_KIND_AUTH &&
		       (!strcmp(req, "yes") || (!strcmp(req, "auto") && from_srv->ma_seen));
	int v = radius_verify_response(&p, p.id, r->auth, sec, sl, need_ma);
	if (v == RADIUS_E_MSG_AUTH_MISSING) {
		c->c.rx_no_msg_auth++;
		LNS_LOG(l, LOG_WARN, "radius: %s id=%u without Message-Authenticator dropped "
			"(radius_require_message_authenticator %s)", radius_code_name(p.code), p.id, req);
		return;
	}
	if (v < 0) {
		c->c.rx_bad_auth++;
		LNS_LOG(l, LOG_WARN, "radius: %s id=%u dropped: %s", radius_code_name(p.code), p.id,
			radius_strerror(v));
		return;
	}
	struct rad_server *srv = from_srv;
	if (r->kind == RAD_KIND_AUTH && p.msg_auth_off && !srv->ma_seen) {
		srv->ma_seen = true;
		LNS_LOG(l, LOG_INFO, "radius: server signs its answers: Message-Authenticator "
			"required from now on");
	}
	srv->answered++;
	srv->dead_until = 0;
	if (c->cwnd < RAD_SLOTS && ++c->cwnd_acc >= c->cwnd) {
		c->cwnd++;
		c->cwnd_acc = 0;
	}
	if (c->qlen)
		io_loop_timer_after(&l->loop, &c->pump_timer, 0);
	if (c->down) {
		c->down = false;
		LNS_LOG(l, LOG_INFO, "radius: server answers again: %u accounting records to send",
			c->nacct);
		io_loop_timer_after(&l->loop, &c->pump_timer, 0);
	}
	if (r->kind == RAD_KIND_AUTH) {
		uint32_t sess = r->sess, uid = r->sess_uid;
		if (p.code == RADIUS_ACCESS_ACCEPT)
			c->c.auth_accept++;
		else if (p.code == RADIUS_ACCESS_REJECT)
			c->c.auth_reject++;
		else
			c->c.auth_challenge++;
		slot_release(c, r);
		req_event(l, r, RREQ_EV_RESPONSE);	/* frees it */
		lns_radius_auth_done(l, sess, uid, &p);
		return;
	}
	c->c.acct_ok++;
	req_event(l, r, RREQ_EV_RESPONSE);
}

static int on_readable(void *ctx, int fd, uint32_t ev, int budget)
{
	struct lns *l = ctx;
	struct rad_client *c = RAD(l);
	(void)ev, (void)budget;
	int sock = -1;
	for (int i = 0; i < RAD_NSOCK; i++)
		if (c->fd[i] == fd)
			sock = i;
	if (sock < 0)
		return 0;
	for (int k = 0; k < 64; k++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(fd, c->rxbuf, sizeof c->rxbuf, 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			break;
		if (fl < sizeof from || from.sin_family != AF_INET) {
			c->c.rx_wrong_source++;
			continue;
		}
		response(l, sock, c->rxbuf, (size_t)n, &from);
		if (!l->rad)
			break;
	}
	lns_flush(l);	/* verdicts answered PPP: send now, not with the next packet */
	return 0;
}
