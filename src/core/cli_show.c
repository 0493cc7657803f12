/*
 * Read-only CLI commands, formatted into a buffer by the daemon; listings of
 * whole tables through cli_list_start/cli_list_step, a slice at a time
 * (core/cli_int.h), so that no command walks a whole table in one go.
 * Column headers and row formats are the original's (reference §3.2), so
 * operators' scripts keep parsing them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/cli.h"
#include "core/cli_int.h"
#include "core/lns.h"
#include "core/radius.h"
#include "core/plugin.h"

__attribute__((format(printf, 2, 3))) static void bp(struct config_buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof tmp)
		n = sizeof tmp - 1;
	config_buf_sink(b, tmp, (size_t)n);
}

static int buf_sink(void *ctx, const char *s, size_t len)
{
	return config_buf_sink(ctx, s, len);
}

static const char *ip4(uint32_t host, char *buf)
{
	struct in_addr a = {htonl(host)};
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *peer_ip(const struct tunnel *t, char *buf, size_t len)
{
	const struct io_addr *p = &t->peer;
	if (p->u.sa.sa_family == AF_INET)
		return inet_ntop(AF_INET, &p->u.in.sin_addr, buf, (socklen_t)len);
	if (p->u.sa.sa_family == AF_INET6)
		return inet_ntop(AF_INET6, &p->u.in6.sin6_addr, buf, (socklen_t)len);
	snprintf(buf, len, "?");
	return buf;
}

static unsigned peer_port(const struct tunnel *t)
{
	const struct io_addr *p = &t->peer;
	if (p->u.sa.sa_family == AF_INET)
		return ntohs(p->u.in.sin_port);
	if (p->u.sa.sa_family == AF_INET6)
		return ntohs(p->u.in6.sin6_port);
	return 0;
}

static const char *phase_name(int p)
{
	static const char *const n[] = {"Dead", "Establish", "Authenticate", "Network", "Terminate"};
	return p >= 0 && p < 5 ? n[p] : "?";
}

static uint64_t now_ms(void)
{
	return io_now_ms();
}

static const char *cp_state(const struct session *s, int cp)
{
	const char *n = ppp_fsm_state_name(s->ppp.cp[cp].fsm.state);
	return n ? n : "?";
}

static void session_detail(struct lns *l, const struct session *s, struct config_buf *b)
{
	char ip[INET_ADDRSTRLEN] = "";
	time_t now = time(NULL);
	const struct session_rec *r = &s->r;
	const struct cli_hold *h = cli_hold_of(l->cli, s);
	bp(b, "Session %u:\n", r->id);
	bp(b, "\tUser:\t\t%s\n", r->user[0] ? r->user : "*");
	bp(b, "\tCalling Num:\t%s\n", r->calling);
	bp(b, "\tCalled Num:\t%s\n", r->called);
	bp(b, "\tTunnel ID:\t%u\n", r->tid);
	bp(b, "\tSession ID:\t%u (remote %u)\n", r->sid, r->peer_sid);
	bp(b, "\tL2TP state:\t%s\n", l2tp_sess_state_name(s->l2s.state));
	/* as the original: the phase, and the automata that matter in it */
	bp(b, "\tPPP Phase:\t%s", phase_name(r->ppp_phase));
	if (r->ppp_phase == PPP_PHASE_ESTABLISH)
		bp(b, " LCP state: %s", cp_state(s, PPP_CPI_LCP));
	else if (r->ppp_phase == PPP_PHASE_NETWORK)
		bp(b, " IPCP state: %s IPV6CP state: %s CCP state: %s", cp_state(s, PPP_CPI_IPCP),
		   cp_state(s, PPP_CPI_IPV6CP), cp_state(s, PPP_CPI_CCP));
	bp(b, "\n");
	bp(b, "\tLCP state:\t%s\n", cp_state(s, PPP_CPI_LCP));
	bp(b, "\tIPCP state:\t%s\n", cp_state(s, PPP_CPI_IPCP));
	bp(b, "\tIPV6CP state:\t%s\n", cp_state(s, PPP_CPI_IPV6CP));
	bp(b, "\tCCP state:\t%s\n", cp_state(s, PPP_CPI_CCP));
	if (r->ip)
		bp(b, "\tIP address:\t%s\n", ip4(r->ip, ip));
	if (r->ipv6_up)
		bp(b, "\tIPv6 ifid:\t%02x%02x:%02x%02x:%02x%02x:%02x%02x\n", r->ifid[0], r->ifid[1],
		   r->ifid[2], r->ifid[3], r->ifid[4], r->ifid[5], r->ifid[6], r->ifid[7]);
	bp(b, "\tUnique SID:\t%u\n", r->unique_id);
	bp(b, "\tOpened:\t\t%llu seconds\n", (unsigned long long)(now - (time_t)r->opened));
	bp(b, "\tIdle time:\t%llu seconds\n",
	   (unsigned long long)((now_ms() - r->last_rx_ms) / 1000));
	/* printed only when set, as the original */
	if (r->session_timeout)
		bp(b, "\tSess Timeout:\t%u seconds\n", r->session_timeout);
	if (r->idle_timeout)
		bp(b, "\tIdle Timeout:\t%u seconds\n", r->idle_timeout);
	if (r->interim)
		bp(b, "\tInterim:\t%u seconds\n", r->interim);
	if (r->class_len)
		bp(b, "\tClass:\t\t%u octets\n", r->class_len);
	for (unsigned i = 0; i < r->nroutes; i++)
		bp(b, "\tRoute:\t\t%s/%u\n", ip4(r->route[i].net, ip), r->route[i].plen);
	bp(b, "\tBytes In/Out:\t%llu/%llu\n", (unsigned long long)r->cout,
	   (unsigned long long)r->cin);
	bp(b, "\tPkts In/Out:\t%llu/%llu\n", (unsigned long long)r->pout,
	   (unsigned long long)r->pin);
	bp(b, "\tMRU:\t\t%u\n", r->mru);
	bp(b, "\tRx Speed:\t%u\n", r->rx_speed);
	bp(b, "\tTx Speed:\t%u\n", r->tx_speed);
	if (r->filter_in[0])
		bp(b, "\tFilter in:\t%s (requested; filters are not active yet)\n", r->filter_in);
	else
		bp(b, "\tFilter in:\tnone\n");
	if (r->filter_out[0])
		bp(b, "\tFilter out:\t%s (requested; filters are not active yet)\n", r->filter_out);
	else
		bp(b, "\tFilter out:\tnone\n");
	if (h && h->snoop_ip)
		bp(b, "\tIntercepted:\t%s:%u (requested; intercept is not active yet)\n",
		   ip4(h->snoop_ip, ip), h->snoop_port);
	else
		bp(b, "\tIntercepted:\tno\n");
	bp(b, "\tWalled Garden:\tno\n");
	if (h && h->throttled) {
		bp(b, "\tThrottled:\trequested (%u/%u kbps; throttling is not active yet)\n", h->thr_in,
		   h->thr_out);
		bp(b, "\t\t%6s %6s %6s | %7s %7s %8s %8s %8s %8s\n", "Rate", "Credit", "Queued",
		   "ByteIn", "PackIn", "ByteSent", "PackSent", "PackDrop", "PackDelay");
		if (h->thr_in)
			bp(b, "\tTBFI#%d\t%6u %6u %6u | %7u %7u %8u %8u %8u %8u\n", 0, h->thr_in, 0, 0,
			   0, 0, 0, 0, 0, 0);
		if (h->thr_out)
			bp(b, "\tTBFO#%d\t%6u %6u %6u | %7u %7u %8u %8u %8u %8u\n", 0, h->thr_out, 0, 0,
			   0, 0, 0, 0, 0, 0);
	} else {
		bp(b, "\tThrottled:\tno\n");
	}
}

static void show_session(struct lns *l, char **w, int n, struct config_buf *b)
{
	for (int i = 2; i < n; i++) {
		char *end;
		unsigned long id = strtoul(w[i], &end, 10);
		const struct session *s = *end ? NULL : lns_session(l, (uint32_t)id);
		if (!s)
			bp(b, "Invalid session id \"%s\"\n", w[i]);
		else
			session_detail(l, s, b);
	}
}

static void session_row(struct lns *l, const struct cli_list *j, const struct session *s,
			struct config_buf *b)
{
	const struct tunnel *t = &l->tunnels[s->r.tunnel];
	char ip[INET_ADDRSTRLEN] = "", lac[INET6_ADDRSTRLEN], line[512];
	if (s->r.ip)
		ip4(s->r.ip, ip);
	peer_ip(t, lac, sizeof lac);
	struct cli_sess_row row = {
		.sid = s->r.id, .tid = s->r.tid, .user = s->r.user, .ip = ip,
		.ipv6 = s->r.ipv6_up, .opened = (uint64_t)(j->now - (time_t)s->r.opened),
		.down = s->r.cout, .up = s->r.cin, .idle = (j->ms - s->r.last_rx_ms) / 1000,
		.lac = lac, .cli = s->r.calling};
	cli_fmt_session_row(line, sizeof line, &row);
	bp(b, "%s\n", line);
}

static void show_users(struct lns *l, char **w, int n, struct config_buf *b)
{
	for (int k = 2; k < n; k++) {
		int found = 0;
		for (uint32_t i = lns_session_first_of_user(l, w[k]); i; i = l->sessions[i].unext) {
			const struct session *s = &l->sessions[i];
			if (s->r.state != SESS_FREE && !strcmp(s->r.user, w[k])) {
				session_detail(l, s, b);
				found++;
			}
		}
		if (!found)
			bp(b, "User \"%s\" has no session\n", w[k]);
	}
}

static void tunnel_detail(struct lns *l, const struct tunnel *t, struct config_buf *b)
{
	char ip[INET6_ADDRSTRLEN];
	const struct l2tp_rel *r = &t->fsm.rel;
	bp(b, "Tunnel %u:\n", t->r.tid);
	bp(b, "\tState:\t\t%s\n", cli_tunnel_state_name(t->r.state));
	bp(b, "\tHostname:\t%s\n", t->r.hostname[0] ? t->r.hostname : "(none)");
	bp(b, "\tRemote IP:\t%s\n", peer_ip(t, ip, sizeof ip));
	bp(b, "\tRemote Port:\t%u\n", peer_port(t));
	bp(b, "\tRemote ID:\t%u\n", t->r.peer_tid);
	bp(b, "\tRx Window:\t%u\n", r->peer_window);
	bp(b, "\tNext Recv:\t%u\n", r->nr);
	bp(b, "\tNext Send:\t%u\n", r->ns_next);
	bp(b, "\tQueue Len:\t%u\n", (unsigned)(uint16_t)(r->ns_next - r->una));
	bp(b, "\tLast Packet Age:%llu\n",
	   (unsigned long long)(t->fsm.last_rx ? (now_ms() - t->fsm.last_rx) / 1000 : 0));
	config_buf_sink(b, "\tSessions:\t", 11);
	for (uint32_t i = t->shead; i; i = l->sessions[i].tnext)
		bp(b, "%u ", i);
	config_buf_sink(b, "\n", 1);
}

static void show_tunnels(struct lns *l, char **w, int n, struct config_buf *b)
{
	for (int i = 2; i < n; i++) {
		char *end;
		unsigned long id = strtoul(w[i], &end, 10);
		const struct tunnel *t = !*end && id && id < 65536 ? lns_tunnel_by_tid(l, (uint16_t)id)
								   : NULL;
		if (!t)
			bp(b, "Invalid tunnel id \"%s\"\n", w[i]);
		else
			tunnel_detail(l, t, b);
	}
}

static void tunnel_row(const struct tunnel *t, uint32_t i, struct config_buf *b)
{
	char ip[INET6_ADDRSTRLEN] = "";
	if (t->r.state != TUN_FREE)
		peer_ip(t, ip, sizeof ip);
	bp(b, "%4u %20s %20s %6s %6u\n", t->r.state == TUN_FREE ? i : t->r.tid,
	   t->r.hostname[0] ? t->r.hostname : "(none)", ip, cli_tunnel_state_name(t->r.state),
	   t->r.nsess);
}

static void pool_row(struct lns *l, struct cli_list *j, const struct pool_entry *e,
		     struct config_buf *b)
{
	char ip[INET_ADDRSTRLEN];
	ip4(e->addr, ip);
	if (e->session != POOL_NONE) {
		j->n1++;	/* used */
		const struct session *s = lns_session(l, e->session);
		bp(b, "%-15s\tY %8u %s\n", ip, e->session, s && s->r.user[0] ? s->r.user : e->user);
		return;
	}
	j->n2++;	/* free */
	if (e->user[0])
		bp(b, "%-15s\tN %8s [%s] %us\n", ip, "", e->user, (uint32_t)j->now - e->last_used);
	else if (j->all)
		bp(b, "%-15s\tN\n", ip);
}

/* show histogram idle|open: idle time in 5 s buckets, time open in powers
 * of two (reference §3.1) */
#define HIST_IDLE 13
#define HIST_OPEN 24
static void hist_add(struct cli_list *j, const struct session *s)
{
	unsigned k;
	if (j->kind == CLI_LIST_HIST_IDLE) {
		uint64_t secs = (j->ms - s->r.last_rx_ms) / 1000;
		k = secs / 5 < HIST_IDLE - 1 ? (unsigned)(secs / 5) : HIST_IDLE - 1;
	} else {
		uint64_t secs = (uint64_t)(j->now - (time_t)s->r.opened);
		for (k = 0; k < HIST_OPEN && secs >> k; k++)
			;
	}
	j->hist[k]++;
	j->n1++;
}

static void hist_print(const struct cli_list *j, struct config_buf *b)
{
	bool idle = j->kind == CLI_LIST_HIST_IDLE;
	bp(b, "%-16s %8s\n", idle ? "Idle (s)" : "Open (s)", "Sessions");
	for (unsigned k = 0; k < (idle ? HIST_IDLE : HIST_OPEN + 1u); k++) {
		char range[32];
		if (idle && k < HIST_IDLE - 1)
			snprintf(range, sizeof range, "%u-%u", k * 5, k * 5 + 4);
		else if (idle)
			snprintf(range, sizeof range, "%u+", k * 5);
		else if (k == 0)
			snprintf(range, sizeof range, "0");
		else if (k < HIST_OPEN)
			snprintf(range, sizeof range, "%lu-%lu", 1ul << (k - 1), (1ul << k) - 1);
		else
			snprintf(range, sizeof range, "%lu+", 1ul << (k - 1));
		if (j->hist[k])
			bp(b, "%-16s %8u\n", range, j->hist[k]);
	}
	bp(b, "%-16s %8u\n", "total", j->n1);
}

/* ---- whole-table listings, in slices (core/cli_int.h) -------------------- */

bool cli_list_start(struct lns *l, char **w, int n, struct cli_list *j)
{
	(void)l;
	memset(j, 0, sizeof *j);
	if (n < 2 || strcmp(w[0], "show"))
		return false;
	const char *what = w[1], *a2 = n > 2 ? w[2] : "";
	if (!strcmp(what, "session") && n == 2)
		j->kind = CLI_LIST_SESSION;
	else if (!strcmp(what, "users") && n == 2)
		j->kind = CLI_LIST_USERS;
	else if (!strcmp(what, "tunnels") && (n == 2 || !strcmp(a2, "all")))
		j->kind = CLI_LIST_TUNNELS;
	else if (!strcmp(what, "pool"))
		j->kind = CLI_LIST_POOL;
	else if (!strcmp(what, "ipcache"))
		j->kind = CLI_LIST_IPCACHE;
	else if (!strcmp(what, "histogram") && !strcmp(a2, "idle"))
		j->kind = CLI_LIST_HIST_IDLE;
	else if (!strcmp(what, "histogram") && !strcmp(a2, "open"))
		j->kind = CLI_LIST_HIST_OPEN;
	else
		return false;
	j->all = !strcmp(a2, "all");
	return true;
}

/*
 * Up to `budget` table slots from where the last call stopped. The tables
 * are read live: a session that comes or goes during a listing is listed or
 * not, every row is consistent in itself (the daemon is single-threaded).
 */
bool cli_list_step(struct lns *l, struct cli_list *j, struct config_buf *b, unsigned budget)
{
	j->now = time(NULL);
	j->ms = now_ms();
	if (!j->started) {
		j->started = true;
		char line[512];
		switch (j->kind) {
		case CLI_LIST_SESSION:
			cli_fmt_session_header(line, sizeof line);
			bp(b, "%s\n", line);
			break;
		case CLI_LIST_TUNNELS:
			bp(b, "%4s %20s %20s %6s %s\n", "TID", "Hostname", "IP", "State", "Sessions");
			break;
		case CLI_LIST_POOL:
			bp(b, "%-15s %4s %8s %s\n", "IP Address", "Used", "Session", "User");
			break;
		case CLI_LIST_IPCACHE:
			bp(b, "%7s %s\n", "Sess#", "IP Address");
			break;
		}
		/* slot 0 of the session and tunnel tables is never used */
		j->next = j->kind == CLI_LIST_POOL ? 0 : 1;
	}
	uint32_t end = j->kind == CLI_LIST_POOL ? l->pool.n
		     : j->kind == CLI_LIST_TUNNELS ? l->max_tunnels : l->max_sessions;
	for (; j->next < end && budget; j->next++, budget--) {
		uint32_t i = j->next;
		if (j->kind == CLI_LIST_POOL) {
			pool_row(l, j, &l->pool.e[i], b);
			continue;
		}
		if (j->kind == CLI_LIST_TUNNELS) {
			if (l->tunnels[i].r.state != TUN_FREE || j->all)
				tunnel_row(&l->tunnels[i], i, b);
			continue;
		}
		const struct session *s = &l->sessions[i];
		if (s->r.state == SESS_FREE)
			continue;
		char ip[INET_ADDRSTRLEN];
		switch (j->kind) {
		case CLI_LIST_SESSION:
			session_row(l, j, s, b);
			break;
		case CLI_LIST_USERS:
			if (s->r.user[0])
				bp(b, "%s\n", s->r.user);
			break;
		case CLI_LIST_IPCACHE:
			if (s->r.ip) {
				bp(b, "%7u %s\n", i, ip4(s->r.ip, ip));
				j->n1++;
			}
			break;
		default:
			hist_add(j, s);
		}
	}
	if (j->next < end)
		return true;
	switch (j->kind) {
	case CLI_LIST_POOL:
		if (!j->all)
			bp(b, "(Not displaying unused addresses)\n");
		bp(b, "\nFree: %u\nUsed: %u\n", j->n2, j->n1);
		break;
	case CLI_LIST_IPCACHE:
		bp(b, "%u entries in cache\n", j->n1);
		break;
	case CLI_LIST_HIST_IDLE:
	case CLI_LIST_HIST_OPEN:
		hist_print(j, b);
		break;
	}
	return false;
}

static unsigned for_each_throttled(struct lns *l, struct config_buf *b, bool tbf)
{
	unsigned n = 0;
	for (unsigned i = 0; l->cli && i < CLI_HOLD_MAX; i++) {
		const struct cli_hold *h = &l->cli->hold[i];
		const struct session *s = h->sid && h->sid < l->max_sessions ? &l->sessions[h->sid] : NULL;
		if (!h->throttled || !s || s->r.state == SESS_FREE || s->r.unique_id != h->unique_id)
			continue;
		if (!tbf) {
			bp(b, "%5u %4u %-32s %7u %6u %6u %6s %6s\n", s->r.id, s->r.tid, s->r.user,
			   h->thr_in > h->thr_out ? h->thr_in : h->thr_out, h->thr_in, h->thr_out, "-", "-");
			n++;
			continue;
		}
		for (int d = 0; d < 2; d++) {
			uint32_t rate = d ? h->thr_out : h->thr_in;
			if (rate)
				bp(b, "%6s %5u %5u %6u %6u | %7u %7u %8u %8u %8u %8u\n", "-", s->r.id, rate,
				   0, 0, 0, 0, 0, 0, 0, 0);
			n += rate != 0;
		}
	}
	return n;
}

static void show_throttle(struct lns *l, struct config_buf *b)
{
	bp(b, "%5s %4s %-32s %7s %6s %6s %6s\n", "SID", "TID", "Username", "Rate", "In", "Out",
	   "TBFI TBFO");
	unsigned n = for_each_throttled(l, b, false);
	bp(b, "(throttling is not active yet: %u requested, none enforced)\n", n);
}

static void show_tbf(struct lns *l, struct config_buf *b)
{
	bp(b, "%6s %5s %5s %6s %6s | %7s %7s %8s %8s %8s %8s\n", "TBF#", "Sid", "Rate", "Credit",
	   "Queued", "ByteIn", "PackIn", "ByteSent", "PackSent", "PackDrop", "PackDelay");
	unsigned n = for_each_throttled(l, b, true);
	bp(b, "%u tbf entries used, %u total\n", 0u, 0u);
	bp(b, "(throttling is not active yet: %u requested filters listed with TBF# -, none allocated)\n",
	   n);
}

/* The original's request table (reference §3.2), then what ours adds:
 * servers, queue and counters. */
static void show_radius(struct lns *l, bool all, struct config_buf *b)
{
	const struct rad_client *c = l->rad;
	char a[INET_ADDRSTRLEN];
	if (!c) {
		bp(b, "No RADIUS server configured: PPP users are checked against %s\n",
		   l->cfg->local_users_file);
		return;
	}
	static const char *const st[] = {"NULL", "AUTH", "START", "STOP", "INTRM", "ON", "OFF"};
	bp(b, "%6s%7s%5s%6s%9s%9s%4s\n", "ID", "Radius", "Sock", "State", "Session", "Retry", "Try");
	unsigned shown = 0;
	uint64_t now = lns_now(l);
	for (uint32_t i = 1; i < c->nreq && (all || shown < 1000); i++) {
		const struct rad_req *r = &c->req[i];
		if (!r->kind)
			continue;
		unsigned k = r->kind == RAD_KIND_AUTH ? 1
			   : r->status == RADIUS_ACCT_START ? 2
			   : r->status == RADIUS_ACCT_STOP ? 3
			   : r->status == RADIUS_ACCT_INTERIM_UPDATE ? 4
			   : r->status == RADIUS_ACCT_ON ? 5 : 6;
		unsigned slot = r->slot ? r->slot - 1u : 0;
		bp(b, "%6u%7d%5d%6s%9u%9u%4u%s\n", i, r->slot ? (int)(slot & 255) : -1,
		   r->slot ? (int)(slot / 256) : -1, st[k], r->sess,
		   r->timer.slot && r->timer.when > now ? (unsigned)((r->timer.when - now) / 1000) : 0,
		   r->fsm.tries, r->on_queue ? " queued" : "");
		shown++;
	}
	bp(b, "Free: %u  Used: %u  (Identifiers in use %u of %u, window %u)\n",
	   c->nreq - 1 - c->nauth - c->nacct, c->nauth + c->nacct, c->nslots_used, RAD_SLOTS,
	   c->cwnd);
	for (unsigned i = 0; i < c->nsrv; i++) {
		const struct rad_server *sv = &c->srv[i];
		bp(b, "Server %u: %s auth %u acct %u %s sent %llu answered %llu timeouts %llu\n",
		   i + 1, ip4(sv->addr, a), sv->auth_port, sv->acct_port,
		   sv->dead_until > now ? "DOWN" : "up", (unsigned long long)sv->sent,
		   (unsigned long long)sv->answered, (unsigned long long)sv->timeouts);
	}
	bp(b, "Accounting: %u outstanding (bound %u), %u waiting, %s\n", c->nacct, c->acct_max,
	   c->qlen, c->down ? "no server answering: queued" : "flowing");
#define RC(f) bp(b, "%-30s%llu\n", "radius_" #f, (unsigned long long)c->c.f)
	RC(auth_sent); RC(auth_retrans); RC(auth_accept); RC(auth_reject); RC(auth_challenge);
	RC(auth_timeout); RC(acct_sent); RC(acct_retrans); RC(acct_ok); RC(acct_parked);
	RC(acct_dropped_interim); RC(acct_dropped_start); RC(acct_dropped_stop); RC(rx);
	RC(rx_bad); RC(rx_unknown_id); RC(rx_wrong_source); RC(rx_bad_auth); RC(rx_no_msg_auth);
	RC(rx_bad_code); RC(no_slot); RC(send_err); RC(window_cuts);
#undef RC
	const struct dae_counters *d = &l->dae;
	bp(b, "DAE: port %u%s rx %llu ack %llu nak %llu bad_client %llu bad_auth %llu "
	   "duplicate %llu stale %llu\n",
	   l->cfg->radius_dae_port, l->dae_fd >= 0 ? "" : " (closed)", (unsigned long long)d->rx,
	   (unsigned long long)d->ack, (unsigned long long)d->nak,
	   (unsigned long long)d->bad_client, (unsigned long long)d->bad_auth,
	   (unsigned long long)d->dup, (unsigned long long)d->stale);
}

static void show_counters(struct lns *l, struct config_buf *b)
{
	const struct lns_counters *c = &l->c;
	bp(b, "%-30s%s\n", "Counter", "Value");
	bp(b, "-----------------------------------------\n");
#define C(f) bp(b, "%-30s%llu\n", #f, (unsigned long long)c->f)
	C(udp_rx); C(udp_rx_bad_hdr); C(udp_rx_ctrl); C(udp_rx_data);
	C(data_no_session); C(data_refused); C(data_spoofed); C(data_not_up); C(data_bad_ppp);
	C(tun_rx); C(tun_rx_no_session); C(tun_rx_not_ipv4); C(tun_tx); C(mss_clamped);
	C(ctrl_unknown_tunnel); C(ctrl_decode_err); C(ctrl_peer_mismatch);
	C(tunnel_created); C(tunnel_freed); C(session_created); C(session_freed);
	C(session_refused); C(auth_ok); C(auth_fail); C(ip_exhausted); C(out_of_pkts);
#undef C
	bp(b, "%-30s%u\n", "sessions_open", l->nsessions);
	bp(b, "%-30s%u\n", "tunnels_open", l->ntunnels);
	if (l->cli) {
		/* whole-table listings, formatted by the daemon in paced slices */
		const struct cli_srv *s = l->cli;
		bp(b, "%-30s%llu\n", "cli_listings", (unsigned long long)s->listings);
		bp(b, "%-30s%llu\n", "cli_slices", (unsigned long long)s->slices);
		bp(b, "%-30s%llu\n", "cli_slice_us_mean",
		   (unsigned long long)(s->slices ? s->slice_ns_total / s->slices / 1000 : 0));
		bp(b, "%-30s%llu\n", "cli_slice_us_max", (unsigned long long)(s->slice_ns_max / 1000));
		bp(b, "%-30s%llu\n", "cli_reader_waits", (unsigned long long)s->reader_waits);
	}
	time_t reset = (time_t)(l->cli ? cli_srv_counters_reset(l->cli) : l->started);
	char tb[64];
	struct tm tm;
	localtime_r(&reset, &tm);
	strftime(tb, sizeof tb, "%a %b %e %H:%M:%S %Y", &tm);
	bp(b, "\nLast counter reset %s\n", tb);
}

static void show_uptime(struct lns *l, struct config_buf *b)
{
	char now_s[16], up[64], la[3][16] = {"?", "?", "?"};
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(now_s, sizeof now_s, "%H:%M:%S", &tm);
	cli_fmt_duration((uint64_t)(now - (time_t)l->started), up, sizeof up);
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%15s %15s %15s", la[0], la[1], la[2]) != 3)
			snprintf(la[0], sizeof la[0], "?");
		fclose(f);
	}
	bp(b, "%s up %s, %u users, load average: %s, %s, %s\n", now_s, up, l->nsessions, la[0],
	   la[1], la[2]);
	struct cli_rates r;
	cli_srv_rates(l, &r);
	bp(b, "Bandwidth: UDP-ETH:%1.0f/%1.0f  ETH-UDP:%1.0f/%1.0f  TOTAL:%0.1f   IN:%u OUT:%u\n",
	   r.udp_eth_mbit, r.udp_eth_max, r.eth_udp_mbit, r.eth_udp_max,
	   r.udp_eth_mbit + r.eth_udp_mbit, r.in_pps, r.out_pps);
}

static void show_running(struct lns *l, bool secrets, struct config_buf *b)
{
	config_print(l->cfg, secrets ? 0 : CONFIG_PRINT_HIDE_SECRETS, buf_sink, b);
}

static void show_plugins(struct lns *l, struct config_buf *b)
{
	bp(b, "Plugins currently loaded:\n");
	for (unsigned i = 0; i < lns_plugin_count(l); i++)
		bp(b, "  %s\n", lns_plugin_name(l, i));
}

static void print_acl(const struct config_acl *a, struct config_buf *b)
{
	/* the original's heading; no match counts: filters are not applied yet */
	bp(b, "%s IP access list %s\n", a->extended ? "Extended" : "Standard", a->name);
	for (unsigned i = 0; i < a->nrules; i++) {
		char rule[256];
		config_acl_format_rule(&a->rules[i], a->extended, rule, sizeof rule);
		bp(b, " %s\n", rule);
	}
}

static void show_access_list(struct lns *l, char **w, int n, struct config_buf *b)
{
	if (n <= 2) {
		if (!l->cfg->nacls)
			bp(b, "No access lists configured\n");
		for (unsigned i = 0; i < l->cfg->nacls; i++)
			print_acl(&l->cfg->acls[i], b);
	}
	for (int i = 2; i < n; i++) {
		const struct config_acl *a = config_acl_find(l->cfg, w[i]);
		if (!a)
			bp(b, "Access list \"%s\" not found\n", w[i]);
		else
			print_acl(a, b);
	}
	bp(b, "(filters are not active yet: lists are stored, not applied, and match nothing)\n");
}

static void show_bgp(struct lns *l, struct config_buf *b)
{
	const struct config_bgp *g = &l->cfg->bgp;
	if (!g->as) {
		bp(b, "BGP not configured\n");
		return;
	}
	bp(b, "BGP is not active yet: configured local AS %u, no session is run\n", g->as);
	bp(b, "Peer                  AS         Address State       Retries Retry in Route Pend    Timers\n");
	bp(b, "------------------ ----- --------------- ----------- ------- -------- ----- ---- ---------\n");
	for (unsigned i = 0; i < g->npeers; i++)
		bp(b, "%-18.18s %5u %15s %-11s %7d %7ds %5s %4s %4u %4u\n", g->peer[i].name,
		   g->peer[i].as, "", "Idle", 0, 0, "", "", g->peer[i].keepalive, g->peer[i].hold);
}

int cli_show(struct lns *l, bool priv, char **w, int n, struct config_buf *b)
{
	if (n < 1)
		return -EINVAL;
	if (!strcmp(w[0], "uptime")) {
		show_uptime(l, b);
		return 0;
	}
	if (!strcmp(w[0], "write") && n >= 2) {
		if (!strcmp(w[1], "terminal")) {
			/* The original showed secrets here to anybody (reference
			 * §12.2 #3): they are shown only once enabled. */
			show_running(l, priv, b);
			return 0;
		}
		if (!strcmp(w[1], "memory")) {
			if (!priv)
				goto denied;
			int r = config_write_file(l->cfg, l->cfg_path);
			if (r < 0) {
				bp(b, "%% Cannot write %s: %s\n", l->cfg_path, strerror(-r));
				return -EINVAL;
			}
			bp(b, "Configuration written to %s\n", l->cfg_path);
			return 0;
		}
	}
	if (strcmp(w[0], "show") || n < 2)
		goto unknown;
	struct cli_list j;
	if (cli_list_start(l, w, n, &j)) {
		while (cli_list_step(l, &j, b, 4096))
			;
		return 0;
	}
	const char *what = w[1];
	if (!strcmp(what, "session"))
		show_session(l, w, n, b);
	else if (!strcmp(what, "users"))
		show_users(l, w, n, b);
	else if (!strcmp(what, "tunnels"))
		show_tunnels(l, w, n, b);
	else if (!strcmp(what, "counters"))
		show_counters(l, b);
	else if (!strcmp(what, "version"))
		bp(b, "L2TPNS %s\n", LNS_VERSION);
	else if (!strcmp(what, "running-config")) {
		if (!priv)
			goto denied;
		show_running(l, true, b);
	} else if (!strcmp(what, "radius"))
		show_radius(l, n > 2 && !strcmp(w[2], "all"), b);
	else if (!strcmp(what, "cluster"))
		bp(b, "Cluster status   : Standalone (clustering is not active yet)\n");
	else if (!strcmp(what, "plugins"))
		show_plugins(l, b);
	else if (!strcmp(what, "throttle"))
		show_throttle(l, b);
	else if (!strcmp(what, "tbf"))
		show_tbf(l, b);
	else if (!strcmp(what, "histogram"))
		bp(b, "%% Usage: show histogram idle|open\n");
	else if (!strcmp(what, "access-list"))
		show_access_list(l, w, n, b);
	else if (!strcmp(what, "bgp"))
		show_bgp(l, b);
	else
		goto unknown;
	return 0;
denied:
	bp(b, "%% Privileged command: use enable first\n");
	return -EINVAL;
unknown:
	bp(b, "%% Unknown command\n");
	return -EINVAL;
}
