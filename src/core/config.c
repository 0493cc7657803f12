/*
 * The variable table (reference §2: the 44 variables of bodea 2.2.1, the
 * FDN-fork / Debian 2.4.1 additions, then ours), defaults, `set` with
 * validation, value formatting and the derived values.
 */
#include "core/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *check_abs_path(const char *v);
static const char *check_authtypes(const char *v);
static const char *check_guests(const char *v);
static const char *check_ifname(const char *v);
static const char *check_multi_addr(const char *v);
static const char *check_yes_no_auto(const char *v);

#define F(m) offsetof(struct config, m), sizeof(((struct config *)0)->m)
#define V(name, type, def, min, max, flags, check, desc) \
	{ #name, type, F(name), def, min, max, flags, check, desc }
#define VI(name, def, min, max, flags, desc) \
	V(name, CFG_INT, def, min, max, flags, NULL, desc)
#define VS(name, def, flags, check, desc) \
	V(name, CFG_STRING, def, 0, 0, flags, check, desc)
#define VB(name, def, flags, desc) V(name, CFG_BOOL, def, 0, 0, flags, NULL, desc)
#define V4(name, def, flags, desc) V(name, CFG_IPV4, def, 0, 0, flags, NULL, desc)
#define V6(name, def, desc) V(name, CFG_IPV6, def, 0, 0, 0, NULL, desc)
#define VH(name, def, flags, desc) V(name, CFG_SHORT, def, 0, 65535, flags, NULL, desc)

#define R CFG_F_RESTART
#define S CFG_F_SECRET

static const struct config_var vars[] = {
	/* bodea 2.2.1 (reference §2 rows 1..44) */
	VI(debug, "0", 0, 5, 0, "log level 0..5: critical, error, warning, info, calls, data"),
	VS(log_file, "", 0, NULL, "log destination: file path (appended) or syslog:FACILITY; empty = stderr"),
	VS(pid_file, "", R, check_abs_path, "absolute path of the pid file; empty = none"),
	VS(random_device, "/dev/urandom", 0, NULL, "source of random bytes"),
	VS(l2tp_secret, "", S, NULL, "L2TP tunnel secret (Challenge/Response, hidden AVPs)"),
	VI(l2tp_mtu, "1500", 0, 65535, 0, "MTU of the path to the LAC; 0 = 1500, clamped to 576..2600"),
	VI(ppp_restart_time, "3", 1, 3600, 0, "PPP Restart timer, seconds (RFC 1661 4.6)"),
	VI(ppp_max_configure, "10", 1, 255, 0, "PPP Max-Configure (RFC 1661 4.6)"),
	VI(ppp_max_failure, "5", 1, 255, 0, "PPP Max-Failure (RFC 1661 4.6)"),
	V4(primary_dns, "0.0.0.0", 0, "DNS server 1 offered in IPCP when RADIUS gives none"),
	V4(secondary_dns, "0.0.0.0", 0, "DNS server 2 offered in IPCP"),
	V4(primary_radius, "0.0.0.0", 0, "RADIUS server 1"),
	V4(secondary_radius, "0.0.0.0", 0, "RADIUS server 2"),
	VH(primary_radius_port, "1645", 0, "RADIUS server 1 auth port (accounting = port + 1); 0 = 1645"),
	VH(secondary_radius_port, "0", 0, "RADIUS server 2 auth port; 0 = same as primary"),
	VB(radius_accounting, "no", 0, "send RADIUS accounting Start/Stop/Interim"),
	VI(radius_interim, "0", 0, INT_MAX, 0, "interim accounting interval, seconds; 0 = off"),
	VS(radius_secret, "", S, NULL, "RADIUS shared secret (also for DAE)"),
	VS(radius_authtypes, "pap", 0, check_authtypes, "pap and/or chap, comma or blank separated, in preference order"),
	VH(radius_dae_port, "3799", R, "UDP port for RADIUS Disconnect/CoA (RFC 5176)"),
	VH(radius_bind_min, "0", R, "lowest local port of the RADIUS sockets; 0 = any"),
	VH(radius_bind_max, "0", R, "highest local port of the RADIUS sockets; 0 = any"),
	VB(allow_duplicate_users, "no", 0, "allow several sessions of one user (else the older ones are dropped)"),
	VB(kill_timedout_sessions, "yes", 0, "drop a session whose Access-Accept has Session-Timeout 0"),
	VS(guest_account, "", 0, check_guests, "users exempt from the duplicate check (up to 10, comma or blank separated)"),
	V4(bind_address, "0.0.0.0", R, "L2TP listen address, tun address, NAS-IP-Address, BGP /32"),
	V4(peer_address, "0.0.0.0", 0, "address we claim in IPCP; 0 = bind_address"),
	VB(send_garp, "no", 0, "gratuitous ARP for bind_address when taking traffic (not with BGP)"),
	V(throttle_speed, CFG_ULONG, "28", 0, 0, 0, NULL, "default throttle rate, kbit/s"),
	VI(throttle_buckets, "6000", 0, 16777216, R, "number of token buckets (two per throttled session)"),
	VS(accounting_dir, "", 0, NULL, "directory for 5-minute usage files; empty = none"),
	VB(dump_speed, "no", 0, "log the bandwidth every second"),
	VI(multi_read_count, "10", 1, 1024, 0, "packets read per socket per loop turn"),
	VB(scheduler_fifo, "no", R, "run with SCHED_FIFO priority 1 on a multi-CPU host"),
	VB(lock_pages, "no", R, "mlockall() the process"),
	VI(icmp_rate, "0", 0, INT_MAX, 0, "ICMP host-unreachable messages per second; 0 = none"),
	VI(packet_limit, "0", 0, INT_MAX, 0, "downstream packets per session per 0.1 s; 0 = no limit"),
	V4(cluster_address, "239.192.13.13", R, "cluster multicast group"),
	VS(cluster_interface, "eth0", R, check_ifname, "interface for cluster multicast"),
	VI(cluster_mcast_ttl, "1", 0, 255, 0, "cluster multicast TTL"),
	VI(cluster_hb_interval, "5", 1, 36000, 0, "cluster heartbeat interval, 0.1 s"),
	VI(cluster_hb_timeout, "150", 1, 360000, 0, "master-loss timeout, 0.1 s; at least 4 * interval + 11"),
	VI(cluster_master_min_adv, "1", 0, INT_MAX, 0, "up-to-date slaves needed before the master withdraws routes"),
	V6(ipv6_prefix, "::", "IPv6 /64 prefix for clients; :: = no IPV6CP"),
	/* FDN fork / Debian 2.4.1 */
	/* the original always echoed after 10 s of silence and dropped the
	 * session after 240 s; the fork made it optional: on by default here */
	VB(ppp_keepalive, "yes", 0, "LCP Echo-Request after echo_timeout s of silence, drop after idle_echo_timeout"),
	VB(allow_duplicate_ip, "no", 0, "allow one static address on several sessions (fork)"),
	VB(account_all_origin, "no", 0, "accounting files also for LAC/PPPoE sessions, with origin field (fork)"),
	V4(cli_bind_address, "0.0.0.0", R, "address the CLI listens on; 0 = all"),
	VS(hostname, "", 0, NULL, "our L2TP Host Name; empty = system host name"),
	V4(nexthop_address, "0.0.0.0", 0, "BGP NEXT_HOP; 0 = our address"),
	V6(nexthop6_address, "::", "BGP IPv6 next hop"),
	VI(echo_timeout, "10", 1, 86400, 0, "seconds between LCP Echo-Requests"),
	VI(idle_echo_timeout, "240", 0, 86400, 0, "seconds without an Echo-Reply before the session is dropped"),
	V4(iftun_address, "0.0.0.0", R, "address of the tun interface; 0 = bind_address"),
	VS(tundevicename, "tun0", R, check_ifname, "name of the tun interface"),
	VB(disable_lac_func, "no", 0, "never forward sessions to a remote LNS (fork)"),
	VB(auth_tunnel_change_addr_src, "no", 0, "accept a LAC changing its source address (fork)"),
	V4(bind_address_remotelns, "0.0.0.0", R, "source address towards remote LNSs (fork)"),
	VH(bind_portremotelns, "65432", R, "source port towards remote LNSs (fork)"),
	VS(pppoe_if_to_bind, "", R, check_ifname, "PPPoE interface (fork l2tpns-pppoe)"),
	VS(pppoe_service_name, "", 0, NULL, "PPPoE Service-Name (fork)"),
	VS(pppoe_ac_name, "", 0, NULL, "PPPoE AC-Name (fork)"),
	VB(pppoe_only_equal_svc_name, "no", 0, "answer only PADIs with our Service-Name (fork)"),
	VB(disable_sending_hello, "no", 0, "never send L2TP HELLO (clients that cannot handle it)"),
	VB(disable_no_spoof, "no", 0, "do not check upstream source addresses (fork)"),
	VS(bind_multi_address, "", R, check_multi_addr, "up to 4 L2TP listen addresses, comma or blank separated"),
	VS(multi_hostname, "", 0, NULL, "host names matching bind_multi_address (fork)"),
	VB(no_throttle_local_IP, "no", 0, "do not throttle traffic between local sessions (fork)"),
	VI(dhcp6_preferred_lifetime, "604800", 0, INT_MAX, 0, "DHCPv6 preferred lifetime, seconds (fork)"),
	VI(dhcp6_valid_lifetime, "2592000", 0, INT_MAX, 0, "DHCPv6 valid lifetime, seconds (fork)"),
	VI(dhcp6_server_duid, "0", 0, INT_MAX, 0, "DHCPv6 server DUID number (fork)"),
	VI(dns6_lifetime, "1200", 0, INT_MAX, 0, "RDNSS lifetime, seconds (fork)"),
	V6(primary_ipv6_dns, "::", "IPv6 DNS server 1 (fork)"),
	V6(secondary_ipv6_dns, "::", "IPv6 DNS server 2 (fork)"),
	VS(default_ipv6_domain_list, "", 0, NULL, "DHCPv6 domain search list (fork)"),
	VH(cluster_port, "32792", R, "cluster UDP port"),
	/* ours */
	VI(l2tp_hello_interval, "60", 0, 3600, 0, "seconds of control silence before we send HELLO; 0 = never"),
	VI(l2tp_max_retries, "5", 1, 100, 0, "control message retransmissions before the tunnel is dropped"),
	VI(l2tp_retry_cap, "8", 1, 3600, 0, "cap of the control retransmission backoff, seconds"),
	VI(l2tp_rx_window, "16", 1, 32767, 0, "our advertised control Receive Window Size"),
	VB(tcp_mss_clamp, "yes", 0, "clamp the TCP MSS of SYNs to the session MRU - 40"),
	VS(local_users_file, "/etc/l2tpns/ppp-users", 0, NULL, "local PPP users (user password [address]); used without RADIUS"),
	VS(plugin_dir, "/usr/lib/l2tpns", 0, check_abs_path, "directory of plugins: `load plugin NAME` opens plugin_dir/NAME.so"),
	VI(max_sessions, "60000", 1, 16777216, R, "size of the session table"),
	VI(max_tunnels, "500", 1, 65535, R, "size of the tunnel table"),
	VS(nsctl_secret, "", S, NULL, "shared secret of nsctl requests; empty = unauthenticated"),
	VH(nsctl_port, "1702", R, "UDP port of nsctl"),
	VH(cli_port, "23", R, "TCP port of the CLI"),
	VS(radius_require_message_authenticator, "auto", 0, check_yes_no_auto, "Access-Accept/Reject/Challenge without Message-Authenticator (RFC 3579, BlastRADIUS): yes = refused, no = accepted, auto = refused from a server once it has sent one"),
	VS(radius_dae_clients, "", 0, check_multi_addr, "addresses allowed to send Disconnect/CoA, comma or blank separated; empty = the RADIUS servers"),
	VI(radius_accounting_queue, "100000", 16, 16777216, R, "accounting requests kept while no server answers; oldest Interim dropped first"),
	VI(radius_shutdown_wait, "10", 0, 3600, 0, "seconds a clean shutdown waits for outstanding Accounting-Stops"),
	VI(radius_timeout, "3", 1, 60, 0, "seconds before the first RADIUS retransmission (doubles, capped at 30)"),
	VI(radius_retries, "3", 1, 100, 0, "sends of an Access-Request per server before failing over / giving up"),
	VI(rx_coalesce_us, "50", 0, 1000, 0, "after a small receive batch, wait this many microseconds before the next (fewer wake-ups per packet, that much more latency); 0 = off"),
};

#define NVARS (sizeof vars / sizeof vars[0])

const struct config_var *config_vars(size_t *n)
{
	*n = NVARS;
	return vars;
}

int config_var_index(const char *name)
{
	for (size_t i = 0; i < NVARS; i++)
		if (!strcasecmp(vars[i].name, name))
			return (int)i;
	return -ENOENT;
}

bool config_var_needs_restart(const char *name)
{
	int i = config_var_index(name);
	return i >= 0 && (vars[i].flags & CFG_F_RESTART);
}

bool config_var_differs(const struct config *a, const struct config *b, size_t idx)
{
	if (idx >= NVARS)
		return false;
	const struct config_var *v = &vars[idx];
	const char *pa = (const char *)a + v->offset, *pb = (const char *)b + v->offset;
	if (v->type == CFG_STRING)
		return strcmp(pa, pb) != 0;
	return memcmp(pa, pb, v->size) != 0;
}

/* ---- list-valued strings --------------------------------------------- */

/* Next item of a comma/blank separated list; returns its length, 0 at end. */
static size_t list_next(const char **p, const char **item)
{
	const char *s = *p;
	while (*s == ',' || *s == ' ' || *s == '\t')
		s++;
	const char *e = s;
	while (*e && *e != ',' && *e != ' ' && *e != '\t')
		e++;
	*item = s;
	*p = e;
	return (size_t)(e - s);
}

static int authtypes(const char *v, uint8_t out[2])
{
	int n = 0;
	const char *p = v, *it;
	size_t l;
	while ((l = list_next(&p, &it)) > 0) {
		uint8_t t;
		if (l == 3 && !strncasecmp(it, "pap", 3))
			t = CONFIG_AUTH_PAP;
		else if (l == 4 && !strncasecmp(it, "chap", 4))
			t = CONFIG_AUTH_CHAP;
		else
			return -EINVAL;
		if (n == 1 && out[0] == t)
			continue;
		if (n < 2)
			out[n++] = t;
	}
	return n;
}

static const char *check_authtypes(const char *v)
{
	uint8_t t[2];
	int n = authtypes(v, t);
	if (n < 0)
		return "must list pap and/or chap";
	if (n == 0)
		return "must name at least one of pap, chap";
	return NULL;
}

#define GUEST_MAX 10
#define GUEST_NAME 31

static const char *check_guests(const char *v)
{
	const char *p = v, *it;
	size_t l;
	int n = 0;
	while ((l = list_next(&p, &it)) > 0) {
		if (l > GUEST_NAME)
			return "a guest name is longer than 31 characters";
		if (++n > GUEST_MAX)
			return "more than 10 guest names";
	}
	return NULL;
}

static const char *check_abs_path(const char *v)
{
	return *v && *v != '/' ? "must be an absolute path" : NULL;
}

static const char *check_ifname(const char *v)
{
	for (const char *p = v; *p; p++)
		if (*p == '/' || *p == ' ' || *p == ':' || *p == '\t')
			return "not a valid interface name";
	return NULL;
}

static int multi_addr(const char *v, uint32_t out[4])
{
	const char *p = v, *it;
	size_t l;
	int n = 0;
	while ((l = list_next(&p, &it)) > 0) {
		char a[16];
		uint32_t x;
		if (l >= sizeof a || n == 4)
			return -EINVAL;
		memcpy(a, it, l);
		a[l] = 0;
		if (config_parse_ipv4(a, &x) < 0)
			return -EINVAL;
		out[n++] = x;
	}
	return n;
}

static const char *check_yes_no_auto(const char *v)
{
	return strcmp(v, "yes") && strcmp(v, "no") && strcmp(v, "auto") ? "must be yes, no or auto"
									    : NULL;
}

int config_addr_list(const char *v, uint32_t out[4])
{
	return multi_addr(v, out);
}

static const char *check_multi_addr(const char *v)
{
	uint32_t a[4];
	return multi_addr(v, a) < 0 ? "must be up to 4 IPv4 addresses" : NULL;
}

/* ---- set / get ------------------------------------------------------- */

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "1", "on" };
	static const char *const no[] = { "no", "false", "0", "off" };
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static int set_var(struct config *cfg, const struct config_var *v,
		   const char *value, char *why, size_t whylen)
{
	char *p = (char *)cfg + v->offset;
	switch (v->type) {
	case CFG_INT: {
		long x;
		int r = config_parse_long(value, v->min, v->max, &x);
		if (r == -ERANGE) {
			snprintf(why, whylen, "value '%.60s' of %s out of range %ld..%ld",
				 value, v->name, v->min, v->max);
			return -EINVAL;
		}
		if (r < 0) {
			snprintf(why, whylen, "%s needs an integer, not '%.60s'", v->name, value);
			return -EINVAL;
		}
		int i = (int)x;
		memcpy(p, &i, sizeof i);
		return 0;
	}
	case CFG_SHORT: {
		long x;
		int r = config_parse_long(value, 0, 65535, &x);
		if (r < 0) {
			snprintf(why, whylen, "%s needs a number 0..65535, not '%.60s'", v->name, value);
			return -EINVAL;
		}
		uint16_t h = (uint16_t)x;
		memcpy(p, &h, sizeof h);
		return 0;
	}
	case CFG_ULONG: {
		unsigned long x;
		if (config_parse_ulong(value, ULONG_MAX, &x) < 0) {
			snprintf(why, whylen, "%s needs an unsigned integer, not '%.60s'", v->name, value);
			return -EINVAL;
		}
		memcpy(p, &x, sizeof x);
		return 0;
	}
	case CFG_BOOL: {
		bool b;
		if (!parse_bool(value, &b)) {
			snprintf(why, whylen, "%s needs yes/no (true/false, on/off, 1/0), not '%.60s'",
				 v->name, value);
			return -EINVAL;
		}
		memcpy(p, &b, sizeof b);
		return 0;
	}
	case CFG_STRING: {
		size_t l = strlen(value);
		if (l >= v->size) {
			snprintf(why, whylen, "value of %s longer than %zu characters", v->name, v->size - 1);
			return -EINVAL;
		}
		/* the printer must be able to quote it back */
		if (strchr(value, '"') && strchr(value, '\'')) {
			snprintf(why, whylen, "value of %s contains both quote characters", v->name);
			return -EINVAL;
		}
		for (const char *c = value; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f) {
				snprintf(why, whylen, "value of %s contains a control character", v->name);
				return -EINVAL;
			}
		const char *bad = v->check ? v->check(value) : NULL;
		if (bad) {
			snprintf(why, whylen, "bad %s '%.60s': %s", v->name, value, bad);
			return -EINVAL;
		}
		memcpy(p, value, l + 1);
		return 0;
	}
	case CFG_IPV4: {
		uint32_t a;
		if (config_parse_ipv4(value, &a) < 0) {
			snprintf(why, whylen, "%s needs an IPv4 address, not '%.60s'", v->name, value);
			return -EINVAL;
		}
		memcpy(p, &a, sizeof a);
		return 0;
	}
	case CFG_IPV6: {
		uint8_t a[16];
		if (inet_pton(AF_INET6, value, a) != 1) {
			snprintf(why, whylen, "%s needs an IPv6 address, not '%.60s'", v->name, value);
			return -EINVAL;
		}
		memcpy(p, a, sizeof a);
		return 0;
	}
	}
	snprintf(why, whylen, "internal: bad type of %s", v->name);
	return -EINVAL;
}

int config_set(struct config *cfg, const char *name, const char *value,
	       char *why, size_t whylen)
{
	int i = config_var_index(name);
	if (i < 0) {
		snprintf(why, whylen, "unknown variable '%.60s'", name);
		return -ENOENT;
	}
	return set_var(cfg, &vars[i], value, why, whylen);
}

int config_get(const struct config *cfg, size_t idx, char *buf, size_t len)
{
	if (idx >= NVARS)
		return -ENOENT;
	const struct config_var *v = &vars[idx];
	const char *p = (const char *)cfg + v->offset;
	switch (v->type) {
	case CFG_INT: {
		int i;
		memcpy(&i, p, sizeof i);
		return snprintf(buf, len, "%d", i);
	}
	case CFG_SHORT: {
		uint16_t h;
		memcpy(&h, p, sizeof h);
		return snprintf(buf, len, "%u", (unsigned)h);
	}
	case CFG_ULONG: {
		unsigned long x;
		memcpy(&x, p, sizeof x);
		return snprintf(buf, len, "%lu", x);
	}
	case CFG_BOOL: {
		bool b;
		memcpy(&b, p, sizeof b);
		return snprintf(buf, len, "%s", b ? "yes" : "no");
	}
	case CFG_STRING:
		return snprintf(buf, len, "%s", p);
	case CFG_IPV4: {
		uint32_t a;
		char t[16];
		memcpy(&a, p, sizeof a);
		return snprintf(buf, len, "%s", config_fmt_ipv4(a, t, sizeof t));
	}
	case CFG_IPV6: {
		char t[INET6_ADDRSTRLEN];
		if (!inet_ntop(AF_INET6, p, t, sizeof t))
			return -EINVAL;
		return snprintf(buf, len, "%s", t);
	}
	}
	return -EINVAL;
}

/* ---- objects --------------------------------------------------------- */

struct config *config_new(void)
{
	struct config *cfg = calloc(1, sizeof *cfg);
	if (!cfg)
		return NULL;
	for (size_t i = 0; i < NVARS; i++) {
		char why[CONFIG_ERR_LEN];
		/* the defaults are literals checked by the unit tests */
		if (set_var(cfg, &vars[i], vars[i].def, why, sizeof why) < 0)
			abort();
	}
	return cfg;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (unsigned i = 0; i < cfg->nacls; i++)
		free(cfg->acls[i].rules);
	free(cfg->acls);
	free(cfg->plugins);
	free(cfg);
}

struct config *config_dup(const struct config *cfg)
{
	struct config *c = malloc(sizeof *c);
	if (!c)
		return NULL;
	*c = *cfg;
	c->plugins = NULL;
	c->acls = NULL;
	c->nplugins = c->plugins_cap = 0;
	c->nacls = c->acls_cap = 0;
	if (cfg->nplugins) {
		c->plugins = malloc(cfg->nplugins * sizeof *c->plugins);
		if (!c->plugins)
			goto fail;
		memcpy(c->plugins, cfg->plugins, cfg->nplugins * sizeof *c->plugins);
		c->nplugins = c->plugins_cap = cfg->nplugins;
	}
	if (cfg->nacls) {
		c->acls = calloc(cfg->nacls, sizeof *c->acls);
		if (!c->acls)
			goto fail;
		c->acls_cap = cfg->nacls;
		for (unsigned i = 0; i < cfg->nacls; i++) {
			const struct config_acl *a = &cfg->acls[i];
			struct config_acl *b = &c->acls[i];
			*b = *a;
			b->rules = NULL;
			b->nrules = b->cap = 0;
			c->nacls = i + 1;
			if (a->nrules) {
				b->rules = malloc(a->nrules * sizeof *b->rules);
				if (!b->rules)
					goto fail;
				memcpy(b->rules, a->rules, a->nrules * sizeof *b->rules);
				b->nrules = b->cap = a->nrules;
			}
		}
	}
	return c;
fail:
	config_free(c);
	return NULL;
}

/* ---- derived values -------------------------------------------------- */

int config_l2tp_mtu(const struct config *cfg)
{
	int m = cfg->l2tp_mtu <= 0 ? 1500 : cfg->l2tp_mtu;
	if (m < 576)
		m = 576;
	if (m > 2600)
		m = 2600;
	return m;
}

int config_ppp_mru(const struct config *cfg)
{
	/* 38 = IP 20 + UDP 8 + L2TP header with length and sequence 8 +
	 * address/control 2 (reference §2 row 6); 1492 = RFC 2516 MRU */
	int mru = config_l2tp_mtu(cfg) - 38;
	return mru > 1492 ? 1492 : mru;
}

int config_tcp_mss(const struct config *cfg)
{
	return config_ppp_mru(cfg) - 40;
}

uint16_t config_radius_auth_port(const struct config *cfg, int i)
{
	uint16_t p = cfg->primary_radius_port ? cfg->primary_radius_port : 1645;
	if (i == 1 && cfg->secondary_radius_port)
		p = cfg->secondary_radius_port;
	return p;
}

uint16_t config_radius_acct_port(const struct config *cfg, int i)
{
	return (uint16_t)(config_radius_auth_port(cfg, i) + 1);
}

int config_radius_authtypes(const struct config *cfg, uint8_t out[2])
{
	int n = authtypes(cfg->radius_authtypes, out);
	if (n <= 0) {
		out[0] = CONFIG_AUTH_PAP;
		n = 1;
	}
	return n;
}

int config_cluster_hb_timeout(const struct config *cfg)
{
	long min = 4L * cfg->cluster_hb_interval + 11;
	return cfg->cluster_hb_timeout < min ? (int)min : cfg->cluster_hb_timeout;
}

bool config_is_guest(const struct config *cfg, const char *user)
{
	const char *p = cfg->guest_account, *it;
	size_t l, ul = strlen(user);
	while ((l = list_next(&p, &it)) > 0)
		if (l == ul && !memcmp(it, user, l))
			return true;
	return false;
}

int config_bind_multi_address(const struct config *cfg, uint32_t out[4])
{
	int n = multi_addr(cfg->bind_multi_address, out);
	return n < 0 ? 0 : n;
}
