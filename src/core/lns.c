/*
 * Core lifecycle: tables sized from the configuration, the FSM
 * configuration derived from it, random bytes, pools and local users.
 */
#include "core/lns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t lns_now(struct lns *l)
{
	return l->loop.now ? l->loop.now : io_now_ms();
}

void lns_random(struct lns *l, void *out, size_t n)
{
	uint8_t *o = out;
	while (n) {
		if (l->rnd_off >= sizeof l->rnd) {
			ssize_t r = l->rnd_fd >= 0 ? read(l->rnd_fd, l->rnd, sizeof l->rnd) : -1;
			if (r != (ssize_t)sizeof l->rnd) {
				/* never silently weaken IDs: fall back to getrandom-like
				 * mixing of the clock only if the device fails, and say so */
				LNS_LOG(l, LOG_CRIT, "random device read failed; using clock-mixed bytes");
				uint64_t x = io_now_ms() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
				for (size_t i = 0; i < sizeof l->rnd; i++) {
					x ^= x << 13;
					x ^= x >> 7;
					x ^= x << 17;
					l->rnd[i] = (uint8_t)x;
				}
			}
			l->rnd_off = 0;
		}
		size_t k = sizeof l->rnd - l->rnd_off;
		if (k > n)
			k = n;
		memcpy(o, l->rnd + l->rnd_off, k);
		l->rnd_off += k;
		o += k;
		n -= k;
	}
}

struct session *lns_session(struct lns *l, uint32_t idx)
{
	if (!idx || idx >= l->max_sessions || l->sessions[idx].r.state == SESS_FREE)
		return NULL;
	return &l->sessions[idx];
}

struct tunnel *lns_tunnel_by_tid(struct lns *l, uint16_t tid)
{
	uint32_t i = l->tid2t[tid];
	return i ? &l->tunnels[i] : NULL;
}

/* Translate the startup-config into the pure FSMs' configuration. */
int lns_apply_config(struct lns *l)
{
	const struct config *c = l->cfg;
	struct l2tp_tunnel_conf tc = L2TP_TUNNEL_CONF_DEFAULT;
	struct l2tp_session_conf sc = L2TP_SESSION_CONF_DEFAULT;

	/* Acknowledge quickly: a LAC that keeps only a few messages in flight
	 * (many do, whatever window we advertise) otherwise stalls for the whole
	 * delay after every message we have no reply to (ICCN, SCCCN). 5 ms
	 * still lets the acks of one receive burst share a ZLB or ride on a
	 * reply. */
	tc.rel.ack_delay_ms = 5;
	/* io_loop_init (main) clears it: main sets it again after that */
	l->loop.coalesce_us = c->rx_coalesce_us > 0 ? (uint32_t)c->rx_coalesce_us : 0u;
	tc.rel.max_retries = (uint8_t)(c->l2tp_max_retries > 0 ? c->l2tp_max_retries : 5);
	if (c->l2tp_retry_cap > 0)
		tc.rel.rto_max_ms = (uint32_t)c->l2tp_retry_cap * 1000u;
	tc.hello_ms = c->disable_sending_hello ? 0 : (uint32_t)c->l2tp_hello_interval * 1000u;
	/* the name we give LACs (Host Name AVP, CHAP Name): -h, the config's
	 * hostname, else the system's, computed here so that neither -h nor the
	 * system's name ends up in a `write memory` */
	if (l->host_override[0])
		snprintf(l->hostname, sizeof l->hostname, "%s", l->host_override);
	else if (c->hostname[0])
		snprintf(l->hostname, sizeof l->hostname, "%s", c->hostname);
	else if (gethostname(l->hostname, sizeof l->hostname - 1) < 0 || !l->hostname[0])
		snprintf(l->hostname, sizeof l->hostname, "l2tpns");
	tc.host_name = l->hostname;
	tc.vendor_name = "l2tpns";
	tc.framing_cap = L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC;
	tc.secret.v = (const uint8_t *)c->l2tp_secret;
	tc.secret.len = strlen(c->l2tp_secret);
	if (c->l2tp_rx_window > 0)
		tc.rx_slots = (uint16_t)c->l2tp_rx_window;
	sc.linger_ms = (uint32_t)l2tp_rel_cycle_ms(&tc.rel);
	l->tconf = tc;
	l->sconf = sc;

	struct ppp_conf *p = &l->pconf;
	ppp_conf_default(p);
	p->fsm.restart_ms = (uint32_t)c->ppp_restart_time * 1000u;
	p->fsm.max_configure = (uint8_t)c->ppp_max_configure;
	p->fsm.max_failure = (uint8_t)c->ppp_max_failure;
	p->l2tp_mtu = (uint16_t)config_l2tp_mtu(c);
	uint8_t at[2];
	int n = config_radius_authtypes(c, at);
	p->n_auth = (uint8_t)n;
	for (int i = 0; i < n; i++)
		p->auth[i] = at[i] == CONFIG_AUTH_CHAP ? PPP_AUTH_CHAP : PPP_AUTH_PAP;
	p->keepalive = c->ppp_keepalive;
	p->echo_interval_ms = (uint32_t)c->echo_timeout * 1000u;
	p->idle_timeout_ms = (uint32_t)c->idle_echo_timeout * 1000u;
	p->our_ipv4 = c->peer_address ? c->peer_address
		      : c->bind_address ? c->bind_address
					: 0x01010101u; /* the manual's 1.1.1.1 */
	p->dns[0] = c->primary_dns;
	p->dns[1] = c->secondary_dns;
	snprintf(p->name, sizeof p->name, "%s", tc.host_name);
	static const uint8_t zero16[16];
	l->ipv6 = memcmp(c->ipv6_prefix, zero16, 16) != 0;
	p->ipv6 = l->ipv6;
	memset(p->our_ifid, 0, 8);
	p->our_ifid[7] = 1; /* our link-local is fe80::1, as the original's */
	memcpy(l->v6prefix, c->ipv6_prefix, 8);
	memset(l->v6prefix + 8, 0, 8);
	memset(l->our_ll, 0, 16);
	l->our_ll[0] = 0xfe;
	l->our_ll[1] = 0x80;
	l->our_ll[15] = 1;
	l->mss = (uint16_t)config_tcp_mss(c);
	l->log.level = c->debug + l->verbose;
	return 0;
}

int lns_load_users(struct lns *l)
{
	struct ppp_users nu;
	static struct config_errors errs;
	memset(&nu, 0, sizeof nu);
	config_errors_init(&errs);
	bool radius = l->cfg->primary_radius || l->cfg->secondary_radius;
	int r = ppp_users_load(l->cfg->local_users_file, &nu, &errs);
	if (r == -ENOENT && radius) {
		/* RADIUS takes precedence when configured: the file is optional */
		ppp_users_free(&nu);
		return 0;
	}
	if (r < 0) {
		for (unsigned i = 0; i < config_errors_kept(&errs); i++)
			LNS_LOG(l, LOG_ERR, "%s", errs.msg[i]);
		if (r == -ENOENT)
			LNS_LOG(l, LOG_WARN, "local users file %s missing: nobody can log in",
				l->cfg->local_users_file);
		ppp_users_free(&nu);
		return r;
	}
	ppp_users_free(&l->users);
	l->users = nu;
	LNS_LOG(l, LOG_INFO, "loaded %u local users from %s", (unsigned)l->users.n,
		l->cfg->local_users_file);
	return 0;
}

int lns_load_pool(struct lns *l)
{
	static struct config_errors errs;
	config_errors_init(&errs);
	/* The original reads /etc/l2tpns/ip_pool: the file beside the default
	 * startup-config. We read the ip_pool beside whichever config is used. */
	char path[CONFIG_STR_PATH + 16];
	const char *slash = strrchr(l->cfg_path, '/');
	if (slash)
		snprintf(path, sizeof path, "%.*s/ip_pool", (int)(slash - l->cfg_path), l->cfg_path);
	else
		snprintf(path, sizeof path, "ip_pool");
	int r = poolfile_load(path, l->cfg->bind_address, &l->poolfile, &errs);
	for (unsigned i = 0; i < config_errors_kept(&errs); i++)
		LNS_LOG(l, LOG_ERR, "%s", errs.msg[i]);
	if (r < 0)
		return r;
	uint64_t total = 0;
	for (unsigned i = 0; i < l->poolfile.n; i++)
		total += (uint64_t)1 << (32 - l->poolfile.r[i].prefix);
	if (total > l->max_sessions * 4ull + 65536)
		total = l->max_sessions * 4ull + 65536;
	if ((r = pool_init(&l->pool, (uint32_t)total)) < 0)
		return r;
	struct poolfile_iter it;
	uint32_t a;
	poolfile_iter_init(&it);
	while (poolfile_iter_next(&l->poolfile, &it, &a) > 0)
		if (pool_add(&l->pool, a) == -ENOSPC)
			break;
	LNS_LOG(l, LOG_INFO, "ip pool: %u addresses from %s", l->pool.n, path);
	return 0;
}

int lns_init(struct lns *l, struct config *cfg, const char *cfg_path)
{
	l->cfg = cfg;
	snprintf(l->cfg_path, sizeof l->cfg_path, "%s", cfg_path ? cfg_path : "");
	l->rnd_off = sizeof l->rnd;
	l->rnd_fd = open(cfg->random_device[0] ? cfg->random_device : "/dev/urandom",
			 O_RDONLY | O_CLOEXEC);
	l->udp_fd = l->tun_fd = l->status_fd = l->dae_fd = -1;
	l->started = (uint64_t)time(NULL);
	lns_apply_config(l);

	l->max_tunnels = (uint32_t)(cfg->max_tunnels > 0 ? cfg->max_tunnels : 1000) + 1;
	l->max_sessions = (uint32_t)(cfg->max_sessions > 0 ? cfg->max_sessions : 100000) + 1;
	l->tunnels = calloc(l->max_tunnels, sizeof *l->tunnels);
	l->sessions = calloc(l->max_sessions, sizeof *l->sessions);
	l->tid2t = calloc(65536, sizeof *l->tid2t);
	uint32_t nb = 16;
	while (nb < l->max_sessions)
		nb <<= 1;
	l->ubucket = malloc(nb * sizeof *l->ubucket);
	if (!l->tunnels || !l->sessions || !l->tid2t || !l->ubucket)
		return -ENOMEM;
	memset(l->ubucket, 0, nb * sizeof *l->ubucket);
	l->umask = nb - 1;
	if (iphash_init(&l->key2s, l->max_sessions) < 0 || iphash_init(&l->ip2s, l->max_sessions) < 0 ||
	    iphash_init(&l->ifid2s, l->max_sessions) < 0)
		return -ENOMEM;
	/* free lists, lowest index first so a small test sees small SIDs */
	for (uint32_t i = l->max_tunnels - 1; i >= 1; i--) {
		l->tunnels[i].fnext = l->tfree;
		l->tunnels[i].r.id = i;
		l->tunnels[i].lns = l;
		l->tfree = i;
	}
	/* Session slots are handed out from a high-water mark before any are
	 * recycled, so the table's pages become resident only as sessions
	 * arrive: memory follows the load, not max_sessions. */
	l->shwm = 1;
	lns_random(l, &l->next_unique, sizeof l->next_unique);
	return 0;
}

void lns_fini(struct lns *l)
{
	for (uint32_t i = 1; i < l->max_tunnels; i++)
		free(l->tunnels[i].relmem);
	free(l->tunnels);
	free(l->sessions);
	free(l->tid2t);
	free(l->ubucket);
	iphash_free(&l->key2s);
	iphash_free(&l->ip2s);
	iphash_free(&l->ifid2s);
	for (int i = 0; i <= 32; i++)
		if (l->rt[i].slots)
			iphash_free(&l->rt[i]);
	pool_free(&l->pool);
	poolfile_free(&l->poolfile);
	ppp_users_free(&l->users);
	if (l->rnd_fd >= 0)
		close(l->rnd_fd);
}

void lns_peer_of(const struct io_addr *a, struct l2tp_peer *p)
{
	memset(p, 0, sizeof *p);
	if (a->u.sa.sa_family == AF_INET) {
		p->family = AF_INET;
		p->port = ntohs(a->u.in.sin_port);
		memcpy(p->addr, &a->u.in.sin_addr, 4);
	} else if (a->u.sa.sa_family == AF_INET6) {
		p->family = AF_INET6;
		p->port = ntohs(a->u.in6.sin6_port);
		memcpy(p->addr, &a->u.in6.sin6_addr, 16);
	}
}

uint32_t lns_ifid_key(const uint8_t ifid[8])
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 8; i++)
		h = (h ^ ifid[i]) * 16777619u;
	return h ? h : 1; /* 0 is the empty key of iphash */
}

struct pkt *lns_pkt(struct lns *l)
{
	struct pkt *p = pkt_alloc(&l->pkts);
	if (!p) {
		lns_flush(l); /* return buffers held in the output batches */
		p = pkt_alloc(&l->pkts);
	}
	if (!p)
		l->c.out_of_pkts++;
	return p;
}

void lns_flush(struct lns *l)
{
	if (l->ntun_out) {
		if (l->tun_fd >= 0)
			io_tun_write(&l->tun, l->tun_out, l->ntun_out);
		else
			pkt_free_n(&l->pkts, l->tun_out, l->ntun_out);
		l->ntun_out = 0;
	}
	if (l->nudp_out) {
		io_udp_send(&l->udp, l->udp_out, l->nudp_out);
		l->nudp_out = 0;
	}
}

void lns_queue_udp(struct lns *l, struct pkt *p)
{
	if (l->nudp_out == (int)(sizeof l->udp_out / sizeof l->udp_out[0]))
		lns_flush(l);
	l->udp_out[l->nudp_out++] = p;
}

void lns_queue_tun(struct lns *l, struct pkt *p)
{
	if (l->ntun_out == (int)(sizeof l->tun_out / sizeof l->tun_out[0]))
		lns_flush(l);
	l->tun_out[l->ntun_out++] = p;
	l->c.tun_tx++;
}
