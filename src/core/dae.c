/*
 * Dynamic Authorization (RFC 5176): Disconnect-Request and CoA-Request on
 * radius_dae_port.
 *
 * Accepted only from radius_dae_clients (default: the RADIUS servers) and
 * only with a valid Request Authenticator (§2.3: MD5 over the packet with a
 * zero authenticator and the shared secret) and, when present, a valid
 * Message-Authenticator; anything else is silently discarded and counted
 * (§3.5 gives no answer to a packet that fails authentication). The session
 * is identified by User-Name, Acct-Session-Id, Framed-IP-Address and
 * NAS-Port (= our session id, as in Access-Request); every attribute given
 * must match (§3: identification attributes "MUST" all match). NAS
 * identification (NAS-IP-Address, NAS-Identifier) that is not ours is
 * Error-Cause 403. The answer leaves from the address the request came to.
 *
 * Replays (§6.4): a request whose Event-Timestamp is more than
 * DAE_WINDOW_S from our clock is discarded; a retransmission (same source,
 * Identifier and authenticator within DAE_DUP_MS) gets the answer already
 * given instead of being acted on twice (a repeated Disconnect would
 * otherwise find no session and NAK what was done).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/lns.h"
#include "core/plugin.h"
#include "core/radius.h"

#define DAE_WINDOW_S 300
#define DAE_DUP_MS 30000
#define DAE_DUP_N 64

struct dae_dup {
	uint32_t src;
	uint16_t port;
	uint8_t id;
	uint8_t auth[16];
	uint64_t at_ms;
	uint16_t len;
	uint8_t resp[64];
};

/* answers given lately, round robin */
struct dae_state {
	struct dae_dup dup[DAE_DUP_N];
	unsigned next;
	uint32_t signer[8];	/* clients seen with a Message-Authenticator (auto) */
};

/* radius_require_message_authenticator applies to DAE requests too (the
 * BlastRADIUS advice); "auto" requires it from a client once it sent one. */
static bool need_ma(struct lns *l, uint32_t src, bool has)
{
	const char *req = l->cfg->radius_require_message_authenticator;
	struct dae_state *st = l->dae_st;
	if (!strcmp(req, "yes"))
		return true;
	if (strcmp(req, "auto"))
		return false;
	for (unsigned i = 0; i < 8; i++)
		if (st->signer[i] == src)
			return true;
	if (has)
		for (unsigned i = 0; i < 8; i++)
			if (!st->signer[i]) {
				st->signer[i] = src;
				break;
			}
	return false;
}

static struct dae_dup *dup_find(struct dae_state *st, uint32_t src, uint16_t port,
				const struct radius_pkt *p, uint64_t now)
{
	for (unsigned i = 0; i < DAE_DUP_N; i++) {
		struct dae_dup *d = &st->dup[i];
		if (d->len && d->src == src && d->port == port && d->id == p->id &&
		    now - d->at_ms < DAE_DUP_MS && !memcmp(d->auth, p->auth, 16))
			return d;
	}
	return NULL;
}

static bool allowed(struct lns *l, uint32_t src)
{
	uint32_t a[4];
	int n = config_addr_list(l->cfg->radius_dae_clients, a);
	if (n > 0) {
		for (int i = 0; i < n; i++)
			if (a[i] == src)
				return true;
		return false;
	}
	return src && (src == l->cfg->primary_radius || src == l->cfg->secondary_radius);
}

struct dae_id {
	bool has_user, has_sid, has_ip, has_port;
	char user[LNS_USER_MAX];
	char sid[17];
	uint32_t ip, port;
};

static bool matches(const struct session *s, const struct dae_id *id)
{
	char sid[17];
	if (s->r.state == SESS_FREE || s->r.state == SESS_CLOSING)
		return false;
	if (id->has_user && strcmp(s->r.user, id->user))
		return false;
	if (id->has_ip && s->r.ip != id->ip)
		return false;
	if (id->has_port && s->r.id != id->port)
		return false;
	if (id->has_sid) {
		lns_radius_session_id(s, sid);
		if (strcasecmp(sid, id->sid))
			return false;
	}
	return true;
}

/* Error-Cause (RFC 5176 §3.5) or 0, and the identification. */
static int parse(struct lns *l, const struct radius_pkt *p, struct dae_id *id)
{
	struct radius_iter it;
	struct radius_attr a;
	uint32_t v;
	memset(id, 0, sizeof *id);
	radius_iter_init(&it, p);
	while (radius_next(&it, &a) == 1) {
		switch (a.type) {
		case RADIUS_ATTR_USER_NAME:
			if (a.len >= sizeof id->user)
				return 404;
			memcpy(id->user, a.v, a.len);
			id->user[a.len] = 0;
			id->has_user = true;
			break;
		case RADIUS_ATTR_ACCT_SESSION_ID:
			if (a.len != 16)
				return 503;	/* not one of ours */
			memcpy(id->sid, a.v, 16);
			id->sid[16] = 0;
			id->has_sid = true;
			break;
		case RADIUS_ATTR_FRAMED_IP_ADDRESS:
			if (radius_attr_u32(&a, &v) < 0)
				return 404;
			id->ip = v;
			id->has_ip = true;
			break;
		case RADIUS_ATTR_NAS_PORT:
			if (radius_attr_u32(&a, &v) < 0)
				return 404;
			id->port = v;
			id->has_port = true;
			break;
		case RADIUS_ATTR_NAS_IP_ADDRESS:
			if (radius_attr_u32(&a, &v) < 0 ||
			    (l->cfg->bind_address && v != l->cfg->bind_address))
				return 403;
			break;
		case RADIUS_ATTR_NAS_IDENTIFIER:
			if (a.len != strlen(l->hostname) || memcmp(a.v, l->hostname, a.len))
				return 403;
			break;
		case RADIUS_ATTR_SERVICE_TYPE:
			/* §3.2 Authorize-Only asks us to re-authorize: not supported */
			if (radius_attr_u32(&a, &v) == 0 && v == 17)
				return 405;
			break;
		default:
			break;
		}
	}
	if (!id->has_user && !id->has_sid && !id->has_ip && !id->has_port)
		return 402;
	return 0;
}

/* Act on every matching session; 0, or 503 when there is none. */
static int act(struct lns *l, const struct radius_pkt *p, const struct dae_id *id, bool coa)
{
	int n = 0;
	uint32_t idx;
	uint32_t first = 1, last = l->shwm;
	/* narrow the search with an index when one applies */
	if (id->has_port) {
		first = id->port;
		last = id->port < l->shwm ? id->port + 1 : 0;
	} else if (id->has_ip) {
		if (iphash_get(&l->ip2s, id->ip, &idx) < 0)
			return 503;
		first = idx;
		last = idx + 1;
	}
	for (uint32_t i = first; i < last; i++) {
		struct session *s = &l->sessions[i];
		if (!matches(s, id))
			continue;
		n++;
		if (coa) {
			LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s CoA-Request applied", s->r.tid,
				s->r.sid, s->r.user);
			lns_plugin_radius_reset(l, s);	/* reference §6.5: reset, then apply */
			lns_radius_apply(l, s, p, true);
			lns_radius_policy_arm(l, s);
		} else {
			lns_session_cause(s, RADIUS_TERM_ADMIN_RESET);
			lns_session_drop(l, s, L2TP_CDN_ADMIN, "Disconnect-Request");
		}
	}
	return n ? 0 : 503;
}

static void send_from(struct lns *l, const uint8_t *buf, size_t n, const struct sockaddr_in *to,
		      const struct in_pktinfo *pi);

static void reply(struct lns *l, const struct radius_pkt *req, uint8_t code, int cause,
		  const struct sockaddr_in *to, const struct in_pktinfo *pi)
{
	uint8_t buf[64];
	struct radius_builder b;
	size_t sl = strlen(l->cfg->radius_secret);
	/* §3.4: a Message-Authenticator in the answer when the request had one */
	radius_build_init(&b, buf, sizeof buf, code, req->id, req->auth,
			  (const uint8_t *)l->cfg->radius_secret, sl, req->msg_auth_off != 0);
	if (cause)
		radius_add_u32(&b, RADIUS_ATTR_ERROR_CAUSE, (uint32_t)cause);
	int n = radius_build_finish(&b);
	if (n < 0)
		return;
	struct dae_dup *d = &l->dae_st->dup[l->dae_st->next++ % DAE_DUP_N];
	d->src = ntohl(to->sin_addr.s_addr);
	d->port = ntohs(to->sin_port);
	d->id = req->id;
	memcpy(d->auth, req->auth, 16);
	d->at_ms = lns_now(l);
	d->len = (uint16_t)n;
	memcpy(d->resp, buf, (size_t)n);
	send_from(l, buf, (size_t)n, to, pi);
	if (code == RADIUS_DISCONNECT_ACK || code == RADIUS_COA_ACK)
		l->dae.ack++;
	else
		l->dae.nak++;
}

static void send_from(struct lns *l, const uint8_t *buf, size_t n, const struct sockaddr_in *to,
		      const struct in_pktinfo *pi)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cm;
	struct iovec iov = {(void *)buf, n};
	struct msghdr mh = {.msg_name = (void *)to, .msg_namelen = sizeof *to, .msg_iov = &iov,
			    .msg_iovlen = 1};
	if (pi) {
		memset(&cm, 0, sizeof cm);
		mh.msg_control = cm.b;
		mh.msg_controllen = sizeof cm.b;
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof *pi);
		struct in_pktinfo out = {.ipi_spec_dst = pi->ipi_addr};
		memcpy(CMSG_DATA(c), &out, sizeof out);
	}
	if (sendmsg(l->dae_fd, &mh, 0) < 0)
		LNS_LOG(l, LOG_WARN, "dae: reply: %s", strerror(errno));
}

static void request(struct lns *l, const uint8_t *buf, size_t n, const struct sockaddr_in *from,
		    const struct in_pktinfo *pi)
{
	char a[INET_ADDRSTRLEN];
	struct radius_pkt p;
	uint32_t src = ntohl(from->sin_addr.s_addr);
	inet_ntop(AF_INET, &from->sin_addr, a, sizeof a);
	l->dae.rx++;
	if (!allowed(l, src)) {
		l->dae.bad_client++;
		LNS_LOG(l, LOG_WARN, "dae: request from %s dropped: not in radius_dae_clients", a);
		return;
	}
	if (radius_decode(buf, n, &p) < 0) {
		l->dae.bad_packet++;
		return;
	}
	if (p.code != RADIUS_DISCONNECT_REQUEST && p.code != RADIUS_COA_REQUEST) {
		l->dae.ignored++;
		return;
	}
	int v = radius_verify_request(&p, (const uint8_t *)l->cfg->radius_secret,
				      strlen(l->cfg->radius_secret), false);
	if (v == 0 && !p.msg_auth_off && need_ma(l, src, false))
		v = RADIUS_E_MSG_AUTH_MISSING;
	else if (v == 0 && p.msg_auth_off)
		need_ma(l, src, true);
	if (v < 0) {
		l->dae.bad_auth++;
		LNS_LOG(l, LOG_WARN, "dae: %s from %s dropped: %s", radius_code_name(p.code), a,
			radius_strerror(v));
		return;
	}
	struct dae_dup *dup = dup_find(l->dae_st, src, ntohs(from->sin_port), &p, lns_now(l));
	if (dup) {
		l->dae.dup++;
		send_from(l, dup->resp, dup->len, from, pi);
		return;
	}
	struct radius_attr ts;
	uint32_t t;
	if (radius_find(&p, RADIUS_ATTR_EVENT_TIMESTAMP, &ts) == 1 && radius_attr_u32(&ts, &t) == 0) {
		int64_t skew = (int64_t)t - (int64_t)time(NULL);
		if (skew > DAE_WINDOW_S || skew < -DAE_WINDOW_S) {
			l->dae.stale++;
			LNS_LOG(l, LOG_WARN, "dae: %s from %s dropped: Event-Timestamp %llds from now",
				radius_code_name(p.code), a, (long long)skew);
			return;
		}
	}
	bool coa = p.code == RADIUS_COA_REQUEST;
	struct dae_id id;
	int cause = parse(l, &p, &id);
	if (!cause)
		cause = act(l, &p, &id, coa);
	LNS_LOG(l, LOG_INFO, "dae: %s id=%u from %s: %s (%d)", radius_code_name(p.code), p.id, a,
		cause ? "NAK" : "ACK", cause);
	uint8_t code = coa ? (cause ? RADIUS_COA_NAK : RADIUS_COA_ACK)
			   : (cause ? RADIUS_DISCONNECT_NAK : RADIUS_DISCONNECT_ACK);
	reply(l, &p, code, cause, from, pi);
	lns_flush(l);
}

static int on_readable(void *ctx, int fd, uint32_t ev, int budget)
{
	struct lns *l = ctx;
	(void)ev, (void)budget;
	for (int k = 0; k < 32; k++) {
		uint8_t buf[RADIUS_MAX_LEN + 1];
		struct sockaddr_in from;
		union {
			struct cmsghdr h;
			uint8_t b[CMSG_SPACE(sizeof(struct in_pktinfo))];
		} cm;
		struct iovec iov = {buf, sizeof buf};
		struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
				    .msg_iovlen = 1, .msg_control = cm.b,
				    .msg_controllen = sizeof cm.b};
		ssize_t n = recvmsg(fd, &mh, 0);
		if (n < 0)
			break;
		if (mh.msg_namelen < sizeof from || from.sin_family != AF_INET)
			continue;
		struct in_pktinfo pi, *pip = NULL;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
			    c->cmsg_len >= CMSG_LEN(sizeof pi)) {
				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				pip = &pi;
			}
		request(l, buf, (size_t)n, &from, pip);
	}
	return 0;
}

int lns_dae_open(struct lns *l)
{
	l->dae_fd = -1;
	if (!l->cfg->radius_dae_port || !l->cfg->radius_secret[0])
		return 0;
	if (!l->dae_st && !(l->dae_st = calloc(1, sizeof *l->dae_st)))
		return -ENOMEM;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(l->cfg->radius_dae_port)};
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    io_loop_add(&l->loop, fd, EPOLLIN, IO_CONTROL, 0, on_readable, l) < 0) {
		int e = -errno;
		close(fd);
		return e ? e : -EIO;
	}
	l->dae_fd = fd;
	LNS_LOG(l, LOG_INFO, "dae: listening on UDP %u", l->cfg->radius_dae_port);
	return 0;
}

void lns_dae_close(struct lns *l)
{
	if (l->dae_fd < 0)
		return;
	io_loop_del(&l->loop, l->dae_fd);
	close(l->dae_fd);
	l->dae_fd = -1;
	free(l->dae_st);
	l->dae_st = NULL;
}
