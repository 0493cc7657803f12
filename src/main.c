/*
 * l2tpns: the daemon. Reads the startup-config, creates and addresses the
 * TUN device, installs the pool routes, listens on UDP 1701 and runs the
 * event loop until a signal ends it:
 *   SIGHUP          re-read the configuration (a broken one is refused and
 *                   the running one kept) and reopen the log
 *   SIGTERM/SIGINT  exit at once, leaving sessions for a cluster peer
 *   SIGQUIT         CDN every session, StopCCN every tunnel, then exit
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/lns.h"
#include "core/radius.h"
#include "core/plugin.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: l2tpns [-c FILE] [-n] [-v]... [-h HOSTNAME] [-S SECONDS] [-T]\n"
		"  -c FILE     startup-config (default /etc/l2tpns/startup-config)\n"
		"  -n          check the configuration, print it normalised, exit 0 or 1\n"
		"  -v          more debugging (adds to the debug variable)\n"
		"  -h NAME     host name sent to LACs (default: the system's)\n"
		"  -S SECONDS  print the session table every SECONDS seconds\n"
		"  -T          no TUN device (control plane only, for tests)\n");
}

static void io_log_cb(void *ctx, int level, const char *msg)
{
	log_msg(ctx, level, "io: %s", msg);
}

static int print_sink(void *ctx, const char *s, size_t len)
{
	return fwrite(s, 1, len, ctx) == len ? 0 : -EIO;
}

static struct lns L;
static int status_every;

static void reload(struct lns *l)
{
	struct config *nc = NULL;
	static struct config_errors errs;
	config_errors_init(&errs);
	if (config_load_file(l->cfg_path, &nc, &errs) < 0) {
		for (unsigned i = 0; i < config_errors_kept(&errs); i++)
			LNS_LOG(l, LOG_ERR, "%s", errs.msg[i]);
		LNS_LOG(l, LOG_ERR, "reload refused: %u error(s) in %s; running configuration kept",
			errs.count, l->cfg_path);
		return;
	}
	size_t nv;
	const struct config_var *v = config_vars(&nv);
	for (size_t i = 0; i < nv; i++)
		if (config_var_differs(l->cfg, nc, i) && (v[i].flags & CFG_F_RESTART))
			LNS_LOG(l, LOG_WARN, "set %s: takes effect at the next start", v[i].name);
	struct config *old = l->cfg;
	/* keep table sizes: they were allocated at start */
	nc->max_sessions = old->max_sessions;
	nc->max_tunnels = old->max_tunnels;
	l->cfg = nc;
	if (log_open(&l->log, nc->log_file, nc->debug) < 0)
		LNS_LOG(l, LOG_ERR, "cannot open log %s", nc->log_file);
	lns_apply_config(l);
	lns_load_users(l);
	lns_nsctl_reconfig(l);	/* nsctl_secret may have changed (core/cli.h) */
	if (l->rad)
		rad_reconfigure(l);
	else if (rad_open(l) < 0)
		LNS_LOG(l, LOG_ERR, "cannot open the RADIUS sockets");
	lns_plugins_reconfig(l, old);	/* `load plugin` lines added or removed */
	config_free(old);
	LNS_LOG(l, LOG_INFO, "configuration reloaded from %s", l->cfg_path);
}

static void on_signal(void *ctx, const struct signalfd_siginfo *si)
{
	struct lns *l = ctx;
	switch (si->ssi_signo) {
	case SIGHUP:
		reload(l);
		break;
	case SIGTERM:
	case SIGINT:
		LNS_LOG(l, LOG_INFO, "signal %u: exiting, sessions left in place", si->ssi_signo);
		io_loop_stop(&l->loop, 0);
		break;
	case SIGQUIT:
		lns_shutdown(l);
		break;
	case SIGCHLD:
		lns_cli_reap(l);	/* CLI connections and their workers (core/cli.h) */
		break;
	default:
		break;
	}
}

static void tick(void *ctx, struct io_timer *t, uint64_t now)
{
	struct lns *l = ctx;
	static uint64_t last_status;
	(void)now;
	lns_plugin_timer(l, (uint64_t)time(NULL));	/* PLUGIN_TIMER, once a second */
	if (status_every && (uint64_t)time(NULL) - last_status >= (uint64_t)status_every) {
		last_status = (uint64_t)time(NULL);
		lns_print_sessions(l, stdout);
		fflush(stdout);
	}
	io_loop_timer_after(&l->loop, t, 1000);
}

static int setup_tun(struct lns *l)
{
	const struct config *c = l->cfg;
	struct io_tun_cfg tc;
	memset(&tc, 0, sizeof tc);
	int fd = io_tun_open(c->tundevicename[0] ? c->tundevicename : "tun0", l->tun_name);
	if (fd < 0) {
		LNS_LOG(l, LOG_CRIT, "cannot create TUN device: %s", strerror(-fd));
		return fd;
	}
	l->tun_fd = fd;
	uint32_t a = htonl(c->bind_address ? c->bind_address : 0x01010101u);
	memcpy(tc.addr, &a, 4);
	tc.prefixlen = 32;
	tc.has_addr = 1;
	tc.mtu = (uint32_t)config_ppp_mru(c);
	tc.txqlen = 1000;
	int idx = io_tun_configure(&l->nl, l->tun_name, &tc);
	if (idx < 0) {
		LNS_LOG(l, LOG_CRIT, "cannot configure %s: %s", l->tun_name, strerror(-idx));
		return idx;
	}
	l->tun_ifindex = idx;
	if (l->ipv6) {
		/* fe80::1 for our advertisements and prefix::1/64, whose connected
		 * route sends the subscribers' /64 to the TUN (reference §1.2) */
		uint8_t a6[16];
		memcpy(a6, l->v6prefix, 16);
		a6[15] = 1;
		int r6 = io_nl_addr_add(&l->nl, idx, AF_INET6, l->our_ll, 64);
		if (r6 >= 0)
			r6 = io_nl_addr_add(&l->nl, idx, AF_INET6, a6, 64);
		if (r6 < 0)
			LNS_LOG(l, LOG_ERR, "IPv6 address on %s: %s", l->tun_name, strerror(-r6));
	}
	int r = io_tun_attach(&l->tun, &l->loop, fd, IO_TUN_AUTO, &l->pkts, IO_BURST_DEFAULT,
			      lns_tun_rx, l, &l->iolog);
	if (r < 0)
		return r;
	/* pool ranges are routed to us as a whole (reference §2 ip_pool) */
	for (size_t i = 0; i < l->poolfile.n; i++) {
		const struct poolfile_range *pr = &l->poolfile.r[i];
		if (!pr->is_range)
			continue;
		uint32_t d = htonl(pr->start);
		r = io_nl_route_add(&l->nl, AF_INET, &d, pr->prefix, idx);
		if (r < 0)
			LNS_LOG(l, LOG_ERR, "route to pool range failed: %s", strerror(-r));
	}
	LNS_LOG(l, LOG_INFO, "%s up (%s backend), mtu %u", l->tun_name,
		l->tun.backend == IO_TUN_URING ? "io_uring" : "read/write", tc.mtu);
	return 0;
}

static int setup_udp(struct lns *l)
{
	struct sockaddr_in sa;
	struct io_udp_opts o = {.rcvbuf = 4 << 20, .sndbuf = 4 << 20, .gro = true};
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(L2TP_UDP_PORT);
	sa.sin_addr.s_addr = htonl(l->cfg->bind_address);
	int fd = io_udp_open((struct sockaddr *)&sa, sizeof sa, &o);
	if (fd < 0) {
		LNS_LOG(l, LOG_CRIT, "cannot bind UDP %u: %s", L2TP_UDP_PORT, strerror(-fd));
		return fd;
	}
	l->udp_fd = fd;
	return io_udp_attach(&l->udp, &l->loop, fd, IO_BULK, IO_BURST_DEFAULT, &l->pkts, 0,
			     lns_udp_rx, l);
}

int main(int argc, char **argv)
{
	const char *path = "/etc/l2tpns/startup-config";
	const char *host = NULL;
	bool check = false;
	int verbose = 0, opt;
	struct lns *l = &L;

	/* a CLI connection's process (core/cli.h), started by the daemon */
	if (argc > 1 && !strcmp(argv[1], CLI_CHILD_ARG))
		return lns_cli_child_exec(argc, argv);
	while ((opt = getopt(argc, argv, "c:nvh:S:T?")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			host = optarg;
			break;
		case 'S':
			status_every = atoi(optarg);
			break;
		case 'T':
			l->no_tun = true;
			break;
		default:
			usage();
			return 2;
		}
	}

	struct config *cfg = NULL;
	static struct config_errors errs;
	config_errors_init(&errs);
	if (config_load_file(path, &cfg, &errs) < 0) {
		for (unsigned i = 0; i < config_errors_kept(&errs); i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		fprintf(stderr, "l2tpns: %u error(s) in %s\n", errs.count, path);
		return 1;
	}
	if (check) {
		int r = config_print(cfg, 0, print_sink, stdout);
		config_free(cfg);
		return r < 0 ? 1 : 0;
	}
	if (host)
		snprintf(l->host_override, sizeof l->host_override, "%s", host);
	l->verbose = verbose;

	if (log_open(&l->log, cfg->log_file, cfg->debug + verbose) < 0) {
		fprintf(stderr, "l2tpns: cannot open log %s\n", cfg->log_file);
		return 1;
	}
	if (lns_init(l, cfg, path) < 0) {
		LNS_LOG(l, LOG_CRIT, "out of memory sizing tables");
		return 1;
	}
	l->iolog.fn = io_log_cb;
	l->iolog.ctx = &l->log;
	if (cfg->lock_pages && mlockall(MCL_CURRENT) < 0)
		LNS_LOG(l, LOG_WARN, "mlockall: %s", strerror(errno));

	int npkts = 16384;
	if (pkt_pool_init(&l->pkts, (uint32_t)npkts) < 0 || io_loop_init(&l->loop, &l->iolog) < 0) {
		LNS_LOG(l, LOG_CRIT, "cannot set up the event loop");
		return 1;
	}
	l->loop.coalesce_us = cfg->rx_coalesce_us > 0 ? (uint32_t)cfg->rx_coalesce_us : 0u;
	if (io_sig_open(&l->sig, NULL, 0) < 0 || io_sig_attach(&l->sig, &l->loop, on_signal, l) < 0) {
		LNS_LOG(l, LOG_CRIT, "cannot set up signals");
		return 1;
	}
	if (lns_load_pool(l) < 0)
		LNS_LOG(l, LOG_WARN, "no ip_pool: only users with a fixed address can connect");
	if (lns_load_users(l) < 0)
		LNS_LOG(l, LOG_WARN, "no local users loaded");
	/* `load plugin` lines: a plugin that fails is logged, never fatal */
	if (lns_plugins_init(l) < 0)
		LNS_LOG(l, LOG_ERR, "out of memory: plugins not loaded");
	if (!l->no_tun) {
		if (io_nl_open(&l->nl) < 0 || setup_tun(l) < 0)
			return 1;
	}
	if (setup_udp(l) < 0)
		return 1;
	int ra0;
	if ((ra0 = rad_open(l)) < 0) {
		LNS_LOG(l, LOG_CRIT, "cannot open the RADIUS sockets: %s", strerror(-ra0));
		return 1;
	}
	lns_radius_acct_onoff(l, RADIUS_ACCT_ON);
	if ((ra0 = lns_dae_open(l)) < 0)
		LNS_LOG(l, LOG_ERR, "cannot open the DAE port %u: %s", cfg->radius_dae_port,
			strerror(-ra0));
	/* operator access (core/cli.h): not fatal, the data plane runs without */
	int ra = lns_nsctl_open(l);
	if (ra < 0)
		LNS_LOG(l, LOG_ERR, "cannot open nsctl UDP %u: %s", cfg->nsctl_port, strerror(-ra));
	if ((ra = lns_cli_open(l)) < 0)
		LNS_LOG(l, LOG_ERR, "cannot open the CLI on TCP %u: %s", cfg->cli_port, strerror(-ra));
	/* the file written now is the one removed at exit, whatever a reload
	 * does to the configuration (which also frees cfg) */
	static char pid_path[CONFIG_STR_PATH];
	snprintf(pid_path, sizeof pid_path, "%s", cfg->pid_file);
	if (pid_path[0]) {
		FILE *f = fopen(pid_path, "w");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		} else {
			LNS_LOG(l, LOG_ERR, "cannot write pid file %s: %s", cfg->pid_file, strerror(errno));
		}
	}
	timer_init(&l->tick, tick, l);
	io_loop_timer_after(&l->loop, &l->tick, 1000);
	LNS_LOG(l, LOG_INFO, "l2tpns %s ready: %u sessions, %u tunnels max, host %s", LNS_VERSION,
		l->max_sessions - 1, l->max_tunnels - 1, l->hostname);

	int rc = io_loop_run(&l->loop);
	lns_plugins_fini(l);	/* plugin_done of each */
	lns_flush(l);
	rad_close(l);
	lns_dae_close(l);
	if (status_every)
		lns_print_sessions(l, stdout);
	if (pid_path[0])
		unlink(pid_path);
	LNS_LOG(l, LOG_INFO, "exit");
	return rc;
}
