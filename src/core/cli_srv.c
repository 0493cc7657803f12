/*
 * Parent side of the CLI (core/cli.h): every request from a connection's
 * child is executed here, in the daemon's loop, without blocking: state
 * changes at once, whole-table listings in paced slices, and every reply
 * through a queue that waits for the child to read it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/cli_int.h"
#include "core/lns.h"
#include "core/plugin.h"
#include "l2tp_wire.h"

#define WORDS_MAX 64

/* ---- replies: queued per connection, sent as the child takes them ------- */

/*
 * Nothing here ever blocks: a reply is queued in the connection's out
 * buffer as records (type, 2-byte length, text) and sent as datagrams while
 * the socketpair takes them; the rest waits for EPOLLOUT. A child that stops
 * reading (its telnet client stopped) costs the queued bytes and nothing
 * else: a listing for it pauses until the queue drains.
 */
#define CLI_OUT_HIGH (4 * CLI_CHUNK)	/* a listing pauses above this much queued */

static void conn_arm(struct cli_conn *c, bool out)
{
	if (c->fd < 0 || c->out_wait == out)
		return;
	if (io_loop_mod(&c->l->loop, c->fd, out ? EPOLLIN | EPOLLOUT : EPOLLIN) == 0)
		c->out_wait = out;
	if (out && c->listing && c->l->cli)
		c->l->cli->reader_waits++;
}

static void conn_put(struct cli_conn *c, char type, const char *s, size_t len)
{
	/* drop what has been sent once it is half the buffer: the queue of a
	 * slow reader stays about CLI_OUT_HIGH, however long the listing */
	if (c->out_off && c->out_off >= c->out.len / 2) {
		memmove(c->out.p, c->out.p + c->out_off, c->out.len - c->out_off);
		c->out.len -= c->out_off;
		c->out_off = 0;
	}
	do {
		size_t n = len > CLI_CHUNK ? CLI_CHUNK : len, keep = c->out.len;
		char h[3] = {type, (char)(n & 255), (char)(n >> 8)};
		if (config_buf_sink(&c->out, h, 3) < 0 || (n && config_buf_sink(&c->out, s, n) < 0)) {
			c->out.len = keep;	/* out of memory: the child times out */
			return;
		}
		s += n;
		len -= n;
	} while (len);
}

static bool conn_busy(const struct cli_conn *c)
{
	return c->listing || c->out_off < c->out.len;
}

/* Send what the child takes now. 0: all sent; -EAGAIN: the rest waits for
 * EPOLLOUT; another -errno: the connection is going away. */
static int conn_flush(struct cli_conn *c)
{
	if (c->fd < 0)
		return -EBADF;
	while (c->out_off < c->out.len) {
		unsigned char *h = (unsigned char *)c->out.p + c->out_off;
		size_t n = h[1] | (size_t)h[2] << 8;
		struct iovec iov[2] = {{h, 1}, {h + 3, n}};
		struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
		if (sendmsg(c->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == ENOBUFS) {
				conn_arm(c, true);
				return -EAGAIN;
			}
			return -errno;
		}
		c->out_off += 3 + n;
	}
	c->out.len = c->out_off = 0;
	if (c->out.cap > 4 * CLI_OUT_HIGH)	/* after a big reply */
		config_buf_free(&c->out);
	conn_arm(c, false);
	return 0;
}

static void reply(struct cli_conn *c, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reply(struct cli_conn *c, bool ok, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof text)
		n = sizeof text - 1;
	if (n)
		conn_put(c, ok ? 'o' : 'e', text, (size_t)n);
	conn_put(c, 'x', ok ? "0" : "1", 1);
	conn_flush(c);
}

void cli_srv_note_done(struct cli_conn *c)
{
	conn_put(c, 'x', "0", 1);
	conn_flush(c);
}

/* ---- CLI processes stay out of the data plane's way ---------------------- */

void cli_proc_background(void)
{
	/*
	 * A CLI child may print 100,000 rows to a telnet client: it must take
	 * CPU only when the daemon does not want it. Lowest priority; and when
	 * the operator pinned the daemon to some CPUs (taskset, cpuset), the
	 * child inherited that mask: move it to the other CPUs, so it does not
	 * even share a run queue with the daemon. Failures leave it where it is.
	 */
	if (setpriority(PRIO_PROCESS, 0, 19) < 0)
		errno = 0;
	cpu_set_t mine, other;
	if (sched_getaffinity(0, sizeof mine, &mine) < 0)
		return;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	CPU_ZERO(&other);
	for (long i = 0; i < ncpu && i < CPU_SETSIZE; i++)
		if (!CPU_ISSET((int)i, &mine))
			CPU_SET((int)i, &other);
	if (CPU_COUNT(&other) && sched_setaffinity(0, sizeof other, &other) < 0)
		errno = 0;
}

/* ---- read-only commands: formatted here, whole tables in slices ---------- */

/*
 * No fork: a fork of the daemon write-protects every page of its session
 * table, and each page it writes afterwards (the timer heap alone writes
 * slot numbers into timers all over the table) costs a page fault; at
 * 100,000 sessions that stopped forwarding for seconds. Instead the daemon
 * formats listings itself, CLI_SLICE_SLOTS table slots at a time, and after
 * a slice that took T runs no other slice for (CLI_SLICE_PACE - 1) * T: all
 * listings together take at most 1/CLI_SLICE_PACE of the daemon's time,
 * however many operators list at once.
 */
#define CLI_SLICE_SLOTS 512
#define CLI_SLICE_PACE 25

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool slice_ready(const struct cli_conn *c)
{
	return c->listing && c->fd >= 0 && !c->out_wait && c->out.len - c->out_off < CLI_OUT_HIGH;
}

static void arm_slice(struct lns *l)
{
	struct cli_srv *s = l->cli;
	bool any = false;
	for (int k = 0; k < CLI_MAX_CHILDREN && !any; k++)
		any = slice_ready(&s->conn[k]);
	if (!any) {
		io_loop_timer_cancel(&l->loop, &s->slice_timer);
		return;
	}
	uint64_t now = mono_ns();
	uint64_t ms = s->next_slice_ns > now ? (s->next_slice_ns - now + 999999) / 1000000 : 0;
	io_loop_timer_after(&l->loop, &s->slice_timer, ms);
}

static void conn_idle(struct lns *l, struct cli_conn *c);

void cli_srv_slice_tick(void *ctx, struct io_timer *t, uint64_t now)
{
	struct lns *l = ctx;
	struct cli_srv *s = l->cli;
	static struct config_buf text;
	(void)t;
	(void)now;
	for (int k = 0; k < CLI_MAX_CHILDREN; k++) {
		unsigned i = (s->slice_rr + (unsigned)k) % CLI_MAX_CHILDREN;
		struct cli_conn *c = &s->conn[i];
		if (!slice_ready(c))
			continue;
		s->slice_rr = i + 1;
		uint64_t t0 = mono_ns();
		text.len = 0;
		bool more = cli_list_step(l, &c->list, &text, CLI_SLICE_SLOTS);
		if (text.len)
			conn_put(c, 'o', text.p, text.len);
		if (!more) {
			c->listing = false;
			conn_put(c, 'x', "0", 1);
		}
		conn_flush(c);
		uint64_t dt = mono_ns() - t0;
		s->next_slice_ns = t0 + CLI_SLICE_PACE * dt;
		s->slices++;
		s->slice_ns_total += dt;
		if (dt > s->slice_ns_max)
			s->slice_ns_max = dt;
		if (!more)
			conn_idle(l, c);
		break;
	}
	arm_slice(l);
}

static void run_show(struct lns *l, struct cli_conn *c, bool priv, char **w, int n)
{
	if (cli_list_start(l, w, n, &c->list)) {
		c->listing = true;
		l->cli->listings++;
		arm_slice(l);
		return;
	}
	/* the rest is O(1) or small (one session, one tunnel, the config) */
	struct config_buf b = {0};
	int r = cli_show(l, priv, w, n, &b);
	conn_put(c, r < 0 ? 'e' : 'o', b.p ? b.p : "", b.len);
	conn_put(c, 'x', r < 0 ? "1" : "0", 1);
	config_buf_free(&b);
	conn_flush(c);
}

/* The connection's reply is out: its next request may run; EPOLLOUT or a
 * drained queue may also let a listing continue. */
static void conn_idle(struct lns *l, struct cli_conn *c)
{
	if (c->listing) {
		arm_slice(l);
		return;
	}
	if (c->pending && !conn_busy(c)) {
		c->pending = false;
		cli_srv_request(l, c, c->pend, c->pend_len);
	}
}

void cli_srv_conn_writable(struct cli_conn *c)
{
	if (conn_flush(c) == 0 || c->out.len - c->out_off < CLI_OUT_HIGH)
		conn_idle(c->l, c);
}

/* ---- log streaming (debug) --------------------------------------------- */

static void log_poll(struct lns *l, struct cli_conn *c, const char *from)
{
	const struct logger *lg = &l->log;
	uint64_t want = strcmp(from, "now") ? strtoull(from, NULL, 10) : lg->seq;
	uint64_t first = lg->seq > LOG_RING ? lg->seq - LOG_RING : 0;
	uint64_t missed = 0, s;
	if (want < first) {
		missed = first - want;
		want = first;
	}
	if (want > lg->seq)
		want = lg->seq;
	char buf[CLI_CHUNK];
	size_t len = 0;
	for (s = want; s < lg->seq; s++) {
		const struct log_ring_entry *e = &lg->ring[s % LOG_RING];
		size_t tl = strnlen(e->text, sizeof e->text);
		if (len + tl + 3 > sizeof buf)
			break;	/* the rest at the next poll */
		buf[len++] = (char)('0' + (e->level > 9 ? 9 : e->level));
		memcpy(buf + len, e->text, tl);
		len += tl;
		buf[len++] = '\n';
	}
	if (len)
		conn_put(c, 'o', buf, len);
	char x[64];
	int xl = snprintf(x, sizeof x, "0 %llu %llu %d", (unsigned long long)s,
			  (unsigned long long)missed, s < lg->seq);
	conn_put(c, 'x', x, (size_t)xl);
	conn_flush(c);
}

/* ---- state changes ------------------------------------------------------ */

static void drop_cmd(struct lns *l, struct cli_conn *c, char **w, int n)
{
	char out[2048];
	size_t o = 0;
	bool ok = true;
#define OUT(...) (o += (size_t)snprintf(out + o, o < sizeof out ? sizeof out - o : 0, __VA_ARGS__))
	if (n < 3) {
		reply(c, false, "%% Usage: drop user USER... | drop session SID... | drop tunnel TID...\n");
		return;
	}
	for (int i = 2; i < n && o < sizeof out; i++) {
		if (!strcmp(w[1], "session")) {
			char *end;
			unsigned long id = strtoul(w[i], &end, 10);
			struct session *s = *end ? NULL : lns_session(l, (uint32_t)id);
			if (!s) {
				OUT("Invalid session id \"%s\"\n", w[i]);
				ok = false;
				continue;
			}
			LNS_LOG(l, LOG_INFO, "cli %s: drop session %lu", c->peer, id);
			lns_session_drop(l, s, L2TP_CDN_ADMIN, "Requested by administrator");
			OUT("Dropping session %lu\n", id);
		} else if (!strcmp(w[1], "tunnel")) {
			char *end;
			unsigned long id = strtoul(w[i], &end, 10);
			struct tunnel *t = !*end && id && id < 65536 ? lns_tunnel_by_tid(l, (uint16_t)id)
								      : NULL;
			if (!t || t->r.state == TUN_FREE) {
				OUT("Invalid tunnel id \"%s\"\n", w[i]);
				ok = false;
				continue;
			}
			LNS_LOG(l, LOG_INFO, "cli %s: drop tunnel %lu", c->peer, id);
			lns_tunnel_drop(l, t, L2TP_STOPCCN_CLEAR, "Requested by administrator");
			OUT("Dropping tunnel %lu\n", id);
		} else if (!strcmp(w[1], "user")) {
			uint32_t ids[256];
			unsigned k = 0;
			/* collect first: dropping may relink the bucket chain */
			for (uint32_t j = lns_session_first_of_user(l, w[i]); j && k < 256;
			     j = l->sessions[j].unext)
				if (l->sessions[j].r.state != SESS_FREE &&
				    !strcmp(l->sessions[j].r.user, w[i]))
					ids[k++] = j;
			if (!k) {
				OUT("User \"%s\" has no session\n", w[i]);
				ok = false;
				continue;
			}
			LNS_LOG(l, LOG_INFO, "cli %s: drop user %s (%u sessions)", c->peer, w[i], k);
			for (unsigned j = 0; j < k; j++)
				lns_session_drop(l, &l->sessions[ids[j]], L2TP_CDN_ADMIN,
						 "Requested by administrator");
			OUT("Dropping user %s (%u session%s)\n", w[i], k, k == 1 ? "" : "s");
		} else {
			reply(c, false, "%% Usage: drop user|session|tunnel ...\n");
			return;
		}
	}
#undef OUT
	reply(c, ok, "%.*s", (int)(o < sizeof out ? o : sizeof out - 1), out);
}

/* ---- snoop / throttle / filter: recorded, not enforced yet --------------- */

static bool hold_live(const struct lns *l, const struct cli_hold *h)
{
	if (!h->sid || h->sid >= l->max_sessions)
		return false;
	const struct session *s = &l->sessions[h->sid];
	return s->r.state != SESS_FREE && s->r.unique_id == h->unique_id;
}

static bool hold_empty(const struct cli_hold *h)
{
	return !h->snoop_ip && !h->throttled && !h->filter_in[0] && !h->filter_out[0];
}

const struct cli_hold *cli_hold_of(const struct cli_srv *srv, const struct session *s)
{
	for (unsigned i = 0; srv && i < CLI_HOLD_MAX; i++) {
		const struct cli_hold *h = &srv->hold[i];
		if (h->sid == s->r.id && h->unique_id == s->r.unique_id && !hold_empty(h))
			return h;
	}
	return NULL;
}

static struct cli_hold *hold_get(struct lns *l, const struct session *s)
{
	struct cli_hold *spare = NULL;
	for (unsigned i = 0; i < CLI_HOLD_MAX; i++) {
		struct cli_hold *h = &l->cli->hold[i];
		if (h->sid == s->r.id && h->unique_id == s->r.unique_id)
			return h;
		if (!spare && (hold_empty(h) || !hold_live(l, h)))
			spare = h;
	}
	if (spare) {
		memset(spare, 0, sizeof *spare);
		spare->sid = s->r.id;
		spare->unique_id = s->r.unique_id;
	}
	return spare;
}

static bool parse_rate(const char *w, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(w, &end, 10);
	if (*end || !*w || v == 0 || v > 10000000)
		return false;
	*out = (uint32_t)v;
	return true;
}

/*
 * snoop USER IP PORT | no snoop USER...
 * throttle USER [RATE | in RATE | out RATE | in RATE out RATE] | no throttle USER...
 * filter USER {in|out} ACL [{in|out} ACL] | no filter USER...
 * (reference §3.1). Applies to every session of USER.
 */
static void hold_cmd(struct lns *l, struct cli_conn *c, char **w, int n)
{
	bool neg = !strcmp(w[0], "no");
	const char *what = neg ? w[1] : w[0];
	char **arg = w + (neg ? 2 : 1);
	int na = n - (neg ? 2 : 1);
	const char *feature = !strcmp(what, "snoop") ? "lawful intercept (snoop)"
			      : !strcmp(what, "throttle") ? "throttling" : "filtering";
	uint32_t ip = 0, rin = (uint32_t)l->cfg->throttle_speed, rout = rin;
	unsigned long port = 0;
	const char *fin = NULL, *fout = NULL;
	int users = neg ? na : 1;
	if (na < 1) {
		reply(c, false, "%% Usage: %s%s USER ...\n", neg ? "no " : "", what);
		return;
	}
	if (!neg && !strcmp(what, "snoop")) {
		struct in_addr a;
		char *end = NULL;
		if (na != 3 || inet_pton(AF_INET, arg[1], &a) != 1 ||
		    !(port = strtoul(arg[2], &end, 10)) || *end || port > 65535) {
			reply(c, false, "%% Usage: snoop USER IP PORT\n");
			return;
		}
		ip = ntohl(a.s_addr);
	} else if (!neg && !strcmp(what, "throttle")) {
		bool ok = na == 1 || na == 2 || na == 3 || na == 5;
		if (na == 2)
			ok = parse_rate(arg[1], &rin) && parse_rate(arg[1], &rout);
		for (int i = 1; ok && na > 2 && i + 1 < na; i += 2)
			ok = (!strcmp(arg[i], "in") && parse_rate(arg[i + 1], &rin)) ||
			     (!strcmp(arg[i], "out") && parse_rate(arg[i + 1], &rout));
		if (na == 3 && ok)	/* only one direction named: the other is not throttled */
			*(strcmp(arg[1], "in") ? &rin : &rout) = 0;
		if (!ok) {
			reply(c, false, "%% Usage: throttle USER [RATE | in RATE | out RATE | in RATE out RATE]\n");
			return;
		}
	} else if (!neg) {	/* filter */
		bool ok = na == 3 || na == 5;
		for (int i = 1; ok && i + 1 < na; i += 2) {
			const char **slot = !strcmp(arg[i], "in") ? &fin : !strcmp(arg[i], "out") ? &fout : NULL;
			if (!slot) {
				ok = false;
				break;
			}
			if (!config_acl_find(l->cfg, arg[i + 1]) || strlen(arg[i + 1]) >= CLI_ACL_NAME) {
				reply(c, false, "%% Access list %s is not defined\n", arg[i + 1]);
				return;
			}
			*slot = arg[i + 1];
		}
		if (!ok) {
			reply(c, false, "%% Usage: filter USER {in|out} ACL [{in|out} ACL]\n");
			return;
		}
	}
	char out[2048];
	size_t o = 0;
	bool okall = true;
#define OUT(...) (o += (size_t)snprintf(out + o, o < sizeof out ? sizeof out - o : 0, __VA_ARGS__))
	for (int k = 0; k < users && o < sizeof out; k++) {
		const char *user = arg[k];
		unsigned hits = 0;
		for (uint32_t j = lns_session_first_of_user(l, user); j; j = l->sessions[j].unext) {
			struct session *s = &l->sessions[j];
			if (s->r.state == SESS_FREE || strcmp(s->r.user, user))
				continue;
			struct cli_hold *h = neg ? (struct cli_hold *)cli_hold_of(l->cli, s) : hold_get(l, s);
			if (!h) {
				if (!neg) {
					OUT("%% Session %u: too many recorded requests (%d)\n", j, CLI_HOLD_MAX);
					okall = false;
				}
				continue;
			}
			hits++;
			if (!strcmp(what, "snoop")) {
				h->snoop_ip = neg ? 0 : ip;
				h->snoop_port = neg ? 0 : (uint16_t)port;
			} else if (!strcmp(what, "throttle")) {
				if (!neg && h->throttled) {
					OUT("%% Session %u of %s is already throttled\n", j, user);
					okall = false;
					continue;
				}
				h->throttled = !neg;
				h->thr_in = neg ? 0 : rin;
				h->thr_out = neg ? 0 : rout;
			} else {
				/* the session's own record (RADIUS Filter-Id lands there too) */
				if (neg || fin) {
					snprintf(h->filter_in, sizeof h->filter_in, "%s", neg ? "" : fin);
					snprintf(s->r.filter_in, sizeof s->r.filter_in, "%s", h->filter_in);
				}
				if (neg || fout) {
					snprintf(h->filter_out, sizeof h->filter_out, "%s", neg ? "" : fout);
					snprintf(s->r.filter_out, sizeof s->r.filter_out, "%s", h->filter_out);
				}
			}
			OUT("%s session %u of %s\n", neg ? "Cleared for" : "Recorded for", j, user);
			LNS_LOG(l, LOG_INFO, "cli %s: %s%s sid=%u user=%s (not active yet)", c->peer,
				neg ? "no " : "", what, j, user);
		}
		if (!hits) {
			OUT("%% User %s has no session%s\n", user, neg ? " with that request" : "");
			okall = false;
		}
	}
	OUT("Note: %s is not active yet: the request is recorded and shown, nothing is enforced\n",
	    feature);
#undef OUT
	reply(c, okall, "%.*s", (int)(o < sizeof out ? o : sizeof out - 1), out);
}

/* Rebuild a config line from words; quote what the splitter would cut. */
static void join_line(char **w, int n, char *line, size_t cap)
{
	size_t o = 0;
	line[0] = 0;
	for (int i = 0; i < n && o < cap; i++) {
		bool q = !w[i][0] || strpbrk(w[i], " \t#!\"'");
		char qc = strchr(w[i], '"') ? '\'' : '"';
		int r = q ? snprintf(line + o, cap - o, "%s%c%s%c", i ? " " : "", qc, w[i], qc)
			  : snprintf(line + o, cap - o, "%s%s", i ? " " : "", w[i]);
		if (r < 0)
			break;
		o += (size_t)r;
	}
}

static const char *not_active(const char *w0, const char *w1)
{
	if (!strcmp(w0, "router") || !strcmp(w0, "neighbour") || !strcmp(w0, "neighbor") ||
	    (!strcmp(w0, "no") && (!strcmp(w1, "neighbour") || !strcmp(w1, "neighbor"))))
		return "BGP is not active yet: stored in the running configuration only";
	if (!strcmp(w0, "ip") || !strcmp(w0, "permit") || !strcmp(w0, "deny") ||
	    (!strcmp(w0, "no") && !strcmp(w1, "ip")))
		return "filters are not active yet: stored in the running configuration only";
	return NULL;
}

/*
 * `load plugin NAME` / `remove plugin NAME` (config mode): load or unload
 * now, and keep the running configuration's list in step with what is
 * loaded, so that show running-config and write memory keep it.
 */
static void plugin_cmd(struct lns *l, struct cli_conn *c, char **w, int n)
{
	static struct config_errors errs;
	bool load = !strcmp(w[0], "load");
	if (n != 3 || strcmp(w[1], "plugin")) {
		reply(c, false, "%% Usage: %s plugin NAME\n", w[0]);
		return;
	}
	const char *name = w[2];
	if (!plugin_valid_name(name)) {
		reply(c, false, "%% Bad plugin name \"%s\"\n", name);
		return;
	}
	int r = load ? lns_plugin_load(l, name) : lns_plugin_unload(l, name);
	if (load && r < 0 && r != -EEXIST) {
		reply(c, false, "%% Plugin %s: %s (see the log)\n", name, plugin_strerror(r));
		return;
	}
	char line[128];
	snprintf(line, sizeof line, "%s plugin %s", w[0], name);
	c->x.cfg = l->cfg;
	c->x.mode = CONFIG_MODE_TOP;
	c->x.file = NULL;
	c->x.skip = false;
	config_errors_init(&errs);
	/* -EEXIST / -ENOENT: the list already says so */
	int rc = config_exec_line(&c->x, line, strlen(line), &errs);
	if (!load && r < 0 && rc < 0) {
		reply(c, false, "%% Plugin %s is not loaded\n", name);
		return;
	}
	LNS_LOG(l, LOG_INFO, "cli %s: configure: %s", c->peer, line);
	if (load && r == -EEXIST)
		reply(c, true, "Plugin %s was already loaded\n", name);
	else
		reply(c, true, "%s", "");
}

static void config_cmd(struct lns *l, struct cli_conn *c, int mode, char **w, int n)
{
	static struct config_errors errs;
	char line[2048];
	if (mode == 1 /* MODE_CONFIG */ && (!strcmp(w[0], "load") || !strcmp(w[0], "remove"))) {
		plugin_cmd(l, c, w, n);
		return;
	}
	join_line(w, n, line, sizeof line);
	/* libcli's exit/end left a block: the next statement is top level */
	if (mode == 1 /* MODE_CONFIG */)
		c->x.mode = CONFIG_MODE_TOP;
	c->x.cfg = l->cfg;	/* a SIGHUP may have swapped it */
	c->x.file = NULL;
	c->x.skip = false;
	config_errors_init(&errs);
	int r = config_exec_line(&c->x, line, strlen(line), &errs);
	if (r < 0) {
		reply(c, false, "%% %s\n", config_errors_kept(&errs) ? errs.msg[0] : strerror(-r));
		return;
	}
	LNS_LOG(l, LOG_INFO, "cli %s: configure: %s", c->peer, line);
	lns_apply_config(l);
	lns_nsctl_reconfig(l);
	if (!strcmp(w[0], "set") && n > 1 && !strcmp(w[1], "log_file") &&
	    log_open(&l->log, l->cfg->log_file, l->cfg->debug) < 0)
		LNS_LOG(l, LOG_ERR, "cannot open log %s: keeping the previous destination",
			l->cfg->log_file);
	const char *na = not_active(w[0], n > 1 ? w[1] : "");
	if (na) {
		reply(c, true, "%s\n", na);
		return;
	}
	if (!strcmp(w[0], "set") && n > 1 && config_var_needs_restart(w[1])) {
		reply(c, true, "%s: takes effect at the next start\n", w[1]);
		return;
	}
	reply(c, true, "%s", "");
}

/* ---- dispatch ------------------------------------------------------------ */

void cli_srv_request(struct lns *l, struct cli_conn *c, char *req, size_t len)
{
	char *w[WORDS_MAX];
	if (conn_busy(c)) {
		/* the child waits for each reply: only one that gave up on a
		 * reply (timeout) sends the next request early; it runs after */
		if (len > CLI_REQ_MAX)
			len = CLI_REQ_MAX;
		if (req != c->pend)
			memmove(c->pend, req, len);
		c->pend_len = len;
		c->pending = true;
		return;
	}
	int n = 0;
	req[len] = 0;
	char *p = req;
	for (char *nl; p && n < WORDS_MAX; p = nl) {
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = 0;
		w[n++] = p;
	}
	if (p) {
		reply(c, false, "%% Too many arguments (at most %d)\n", WORDS_MAX - 3);
		return;
	}
	if (n < 3) {
		reply(c, false, "%% Bad request\n");
		return;
	}
	bool priv = atoi(w[0]) >= 15;
	int mode = atoi(w[1]);
	char **a = w + 2;
	int na = n - 2;
	const char *a1 = na > 1 ? a[1] : "";

	if (!strcmp(a[0], "log") && na == 2) {
		log_poll(l, c, a[1]);
		return;
	}
	if (mode != 0) {	/* config modes: privileged only (libcli enforces it too) */
		if (!priv)
			reply(c, false, "%% Privileged command\n");
		else
			config_cmd(l, c, mode, a, na);
		return;
	}
	if (!strcmp(a[0], "show") || !strcmp(a[0], "uptime") || !strcmp(a[0], "write")) {
		run_show(l, c, priv, a, na);
		return;
	}
	if (!priv) {
		reply(c, false, "%% Privileged command: use enable first\n");
		return;
	}
	if (!strcmp(a[0], "drop")) {
		drop_cmd(l, c, a, na);
	} else if (!strcmp(a[0], "clear") && !strcmp(a1, "counters")) {
		memset(&l->c, 0, sizeof l->c);
		l->cli->listings = l->cli->slices = l->cli->reader_waits = 0;
		l->cli->slice_ns_total = l->cli->slice_ns_max = 0;
		l->cli->counters_reset = (uint64_t)time(NULL);
		LNS_LOG(l, LOG_INFO, "cli %s: counters cleared", c->peer);
		reply(c, true, "Counters cleared\n");
	} else if (!strcmp(a[0], "reload")) {
		LNS_LOG(l, LOG_INFO, "cli %s: reload", c->peer);
		kill(getpid(), SIGHUP);	/* through signalfd: the same path as SIGHUP */
		reply(c, true, "Reloading the configuration from %s\n", l->cfg_path);
	} else if (!strcmp(a[0], "shutdown")) {
		LNS_LOG(l, LOG_INFO, "cli %s: shutdown", c->peer);
		kill(getpid(), SIGQUIT);
		reply(c, true, "Shutting down: every session and tunnel is being closed\n");
	} else if (!strcmp(a[0], "snoop") || !strcmp(a[0], "throttle") || !strcmp(a[0], "filter") ||
		   (!strcmp(a[0], "no") && (!strcmp(a1, "snoop") || !strcmp(a1, "throttle") ||
					    !strcmp(a1, "filter")))) {
		hold_cmd(l, c, a, na);
	} else if (!strcmp(a[0], "suspend") || !strcmp(a[0], "restart") ||
		   (!strcmp(a[0], "no") && !strcmp(a1, "suspend"))) {
		reply(c, false, "%% BGP is not active yet: nothing was changed\n");
	} else {
		reply(c, false, "%% Unknown command \"%s\"\n", a[0]);
	}
}

int cli_srv_conn_fd(const struct cli_conn *c)
{
	return c->fd;
}

uint64_t cli_srv_counters_reset(const struct cli_srv *s)
{
	return s->counters_reset;
}

/* ---- bandwidth for uptime ------------------------------------------------ */

void cli_srv_rates(const struct lns *l, struct cli_rates *out)
{
	memset(out, 0, sizeof *out);
	if (l->cli)
		*out = l->cli->rates;
}

void cli_srv_bw_tick(void *ctx, struct io_timer *t, uint64_t now)
{
	struct lns *l = ctx;
	struct cli_srv *s = l->cli;
	uint64_t cin = 0, cout = 0, pin = 0, pout = 0;
	(void)now;
	/* O(open sessions): walk the tunnels' session lists */
	for (uint32_t i = 1; i < l->max_tunnels; i++) {
		const struct tunnel *tu = &l->tunnels[i];
		if (tu->r.state == TUN_FREE)
			continue;
		for (uint32_t j = tu->shead; j; j = l->sessions[j].tnext) {
			const struct session_rec *r = &l->sessions[j].r;
			cin += r->cin;
			cout += r->cout;
			pin += r->pin;
			pout += r->pout;
		}
	}
	/* sessions that ended make a sum go down: count that second as 0 */
	struct cli_rates *r = &s->rates;
	r->udp_eth_mbit = cin > s->last_cin ? (double)(cin - s->last_cin) * 8 / 1e6 : 0;
	r->eth_udp_mbit = cout > s->last_cout ? (double)(cout - s->last_cout) * 8 / 1e6 : 0;
	r->in_pps = pin > s->last_pin ? (unsigned)(pin - s->last_pin) : 0;
	r->out_pps = pout > s->last_pout ? (unsigned)(pout - s->last_pout) : 0;
	if (r->udp_eth_mbit > r->udp_eth_max)
		r->udp_eth_max = r->udp_eth_mbit;
	if (r->eth_udp_mbit > r->eth_udp_max)
		r->eth_udp_max = r->eth_udp_mbit;
	s->last_cin = cin;
	s->last_cout = cout;
	s->last_pin = pin;
	s->last_pout = pout;
	io_loop_timer_after(&l->loop, t, 1000);
}

void cli_srv_conn_close(struct cli_conn *c)
{
	c->pending = false;
	c->listing = false;
	c->out_wait = false;
	c->out_off = 0;
	config_buf_free(&c->out);
	if (c->fd < 0)
		return;
	io_loop_del(&c->l->loop, c->fd);
	close(c->fd);
	c->fd = -1;
}

void lns_cli_reap(struct lns *l)
{
	int st;
	pid_t p;
	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		if (!l->cli)
			continue;
		for (int i = 0; i < CLI_MAX_CHILDREN; i++) {
			struct cli_conn *c = &l->cli->conn[i];
			if (c->pid == p) {
				LNS_LOG(l, LOG_INFO, "cli %s: connection closed", c->peer);
				c->pid = 0;
				cli_srv_conn_close(c);
			}
		}
	}
}
