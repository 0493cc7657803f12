/*
 * The daemon's configuration: the startup-config language of the original
 * l2tpns (manual "Configuration"; reference §2, §3, §10.4) parsed into one
 * plain object, and printed back in the `show running-config` format.
 *
 * Life cycle. config_parse() builds a NEW object from a text buffer and
 * reports every error with file name and line number; the caller swaps it in
 * only when there was none, so a SIGHUP reload with a typo never disturbs
 * the running configuration. The CLI applies single statements with
 * config_exec() (each statement applies completely or not at all) and
 * `write memory` / `-n` print with config_print().
 *
 * Variables live in named fields of struct config (cfg->l2tp_mtu ...),
 * described by a table (config_vars()) giving type, default, description
 * and flags. Values are stored as written; derived values the original
 * computed in update_config() (MTU clamp, MRU, RADIUS ports, authtypes ...)
 * come from the config_*() functions at the end of this header, never from a
 * second copy that could go stale.
 *
 * IPv4 addresses are kept in host byte order (as in core/pool.h).
 */
#ifndef L2TPNS_CORE_CONFIG_H
#define L2TPNS_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config_util.h"

/* ---- variables ------------------------------------------------------- */

enum config_type {
	CFG_INT,		/* int, decimal, per-variable range */
	CFG_SHORT,		/* uint16_t, 0..65535 */
	CFG_ULONG,		/* unsigned long */
	CFG_BOOL,		/* bool: yes|true|1|on / no|false|0|off; printed yes/no */
	CFG_STRING,		/* char[size]: at most size-1 bytes, printed quoted */
	CFG_IPV4,		/* uint32_t host order, dotted quad */
	CFG_IPV6,		/* uint8_t[16], inet_pton/inet_ntop */
};

#define CFG_F_RESTART 1u	/* takes effect only at the next start */
#define CFG_F_SECRET 2u		/* hidden by CONFIG_PRINT_HIDE_SECRETS */

struct config;

struct config_var {
	const char *name;
	enum config_type type;
	size_t offset;		/* into struct config */
	size_t size;		/* field size (STRING: max length + 1) */
	const char *def;	/* default, as it would be written after `set NAME` */
	long min, max;		/* CFG_INT range */
	unsigned flags;
	/* extra validation of a string value; returns NULL or why it is bad */
	const char *(*check)(const char *value);
	const char *desc;
};

#define CONFIG_PLUGIN_NAME 64		/* [A-Za-z0-9_.-], no '/' */
#define CONFIG_MAX_PLUGINS 64
#define CONFIG_BGP_PEER_NAME 64
#define CONFIG_BGP_MAX_PEERS 8		/* original: 2 */
#define CONFIG_BGP_KEEPALIVE 60		/* defaults (reference §9) */
#define CONFIG_BGP_HOLD 180

#define CONFIG_STR_SHORT 64
#define CONFIG_STR_PATH 256

struct config {
	/* original l2tpns (bodea 2.2.1), in its table order */
	int debug;
	char log_file[CONFIG_STR_PATH];
	char pid_file[CONFIG_STR_PATH];
	char random_device[CONFIG_STR_PATH];
	char l2tp_secret[CONFIG_STR_SHORT];
	int l2tp_mtu;
	int ppp_restart_time;
	int ppp_max_configure;
	int ppp_max_failure;
	uint32_t primary_dns;
	uint32_t secondary_dns;
	uint32_t primary_radius;
	uint32_t secondary_radius;
	uint16_t primary_radius_port;
	uint16_t secondary_radius_port;	/* 0: same as primary */
	bool radius_accounting;
	int radius_interim;
	char radius_secret[CONFIG_STR_SHORT];
	char radius_authtypes[32];
	uint16_t radius_dae_port;
	uint16_t radius_bind_min;
	uint16_t radius_bind_max;
	bool allow_duplicate_users;
	bool kill_timedout_sessions;
	char guest_account[128];
	uint32_t bind_address;
	uint32_t peer_address;
	bool send_garp;
	unsigned long throttle_speed;
	int throttle_buckets;
	char accounting_dir[128];
	bool dump_speed;
	int multi_read_count;
	bool scheduler_fifo;
	bool lock_pages;
	int icmp_rate;
	int packet_limit;
	uint32_t cluster_address;
	char cluster_interface[CONFIG_STR_SHORT];
	int cluster_mcast_ttl;
	int cluster_hb_interval;
	int cluster_hb_timeout;
	int cluster_master_min_adv;
	uint8_t ipv6_prefix[16];
	/* FDN fork / Debian 2.4.1 */
	bool ppp_keepalive;
	bool allow_duplicate_ip;
	bool account_all_origin;
	uint32_t cli_bind_address;
	char hostname[CONFIG_STR_SHORT];
	uint32_t nexthop_address;
	uint8_t nexthop6_address[16];
	int echo_timeout;
	int idle_echo_timeout;
	uint32_t iftun_address;
	char tundevicename[16];
	bool disable_lac_func;
	bool auth_tunnel_change_addr_src;
	uint32_t bind_address_remotelns;
	uint16_t bind_portremotelns;
	char pppoe_if_to_bind[16];
	char pppoe_service_name[CONFIG_STR_SHORT];
	char pppoe_ac_name[CONFIG_STR_SHORT];
	bool pppoe_only_equal_svc_name;
	bool disable_sending_hello;
	bool disable_no_spoof;
	char bind_multi_address[128];
	char multi_hostname[CONFIG_STR_PATH];
	bool no_throttle_local_IP;
	int dhcp6_preferred_lifetime;
	int dhcp6_valid_lifetime;
	int dhcp6_server_duid;
	int dns6_lifetime;
	uint8_t primary_ipv6_dns[16];
	uint8_t secondary_ipv6_dns[16];
	char default_ipv6_domain_list[CONFIG_STR_PATH];
	uint16_t cluster_port;
	/* ours */
	int l2tp_hello_interval;
	int l2tp_max_retries;
	int l2tp_retry_cap;
	int l2tp_rx_window;
	bool tcp_mss_clamp;
	char local_users_file[CONFIG_STR_PATH];
	char plugin_dir[CONFIG_STR_PATH];
	int max_sessions;
	int max_tunnels;
	char nsctl_secret[CONFIG_STR_SHORT];
	uint16_t nsctl_port;
	uint16_t cli_port;
	char radius_require_message_authenticator[8];	/* yes | no | auto */
	char radius_dae_clients[128];
	int radius_accounting_queue;
	int radius_shutdown_wait;
	int radius_timeout;
	int radius_retries;
	int rx_coalesce_us;

	/* `load plugin NAME`, in load order */
	char (*plugins)[CONFIG_PLUGIN_NAME];
	unsigned nplugins, plugins_cap;

	/* `router bgp AS` */
	struct config_bgp {
		uint16_t as;		/* 0: no BGP configured */
		unsigned npeers;
		struct config_bgp_peer {
			char name[CONFIG_BGP_PEER_NAME];	/* host name or address */
			uint16_t as;				/* remote-as (0 = not given yet) */
			uint16_t keepalive, hold;		/* seconds */
		} peer[CONFIG_BGP_MAX_PEERS];
	} bgp;

	/* `ip access-list` */
	struct config_acl *acls;
	unsigned nacls, acls_cap;
};

/* All variables, in printing order; *n receives the count. */
const struct config_var *config_vars(size_t *n);
/* Index of a variable (case-insensitive name), or -ENOENT. */
int config_var_index(const char *name);
/* Whether changing this variable needs a restart (CFG_F_RESTART). */
bool config_var_needs_restart(const char *name);
/* Whether variable idx differs between two configs. */
bool config_var_differs(const struct config *a, const struct config *b, size_t idx);


/* ---- access lists (reference §10.4) ---------------------------------- */

#define CONFIG_ACL_NAME 32		/* [A-Za-z0-9_-]{1,31} */
#define CONFIG_ACL_MAX_LISTS 1024
#define CONFIG_ACL_MAX_RULES 1024

enum acl_port_op { ACL_PORT_ANY, ACL_PORT_EQ, ACL_PORT_NEQ, ACL_PORT_GT,
		   ACL_PORT_LT, ACL_PORT_RANGE };
enum acl_tcp_op { ACL_TCP_NONE, ACL_TCP_ESTABLISHED, ACL_TCP_MATCH_ANY,
		  ACL_TCP_MATCH_ALL };
/* TCP header flag bits (RFC 793 §3.1) */
#define ACL_TCP_FIN 0x01
#define ACL_TCP_SYN 0x02
#define ACL_TCP_RST 0x04
#define ACL_TCP_PSH 0x08
#define ACL_TCP_ACK 0x10
#define ACL_TCP_URG 0x20

struct acl_addr {
	uint32_t addr;		/* host order, bits under the wildcard cleared */
	uint32_t wild;		/* Cisco wildcard: 1 = don't care */
};

struct acl_ports {
	uint8_t op;		/* enum acl_port_op */
	uint16_t lo, hi;	/* eq/neq/gt/lt use lo; range lo..hi */
};

struct acl_rule {
	bool permit;
	uint8_t proto;		/* 0 = ip (any), 6 = tcp, 17 = udp */
	struct acl_addr src, dst;
	struct acl_ports sport, dport;
	uint8_t tcp_op;		/* enum acl_tcp_op */
	uint8_t flags_set;	/* match-any/match-all: +flags */
	uint8_t flags_clear;	/*                      -flags */
	bool fragments;		/* non-initial fragments only */
};

struct config_acl {
	char name[CONFIG_ACL_NAME];
	bool extended;
	struct acl_rule *rules;
	unsigned nrules, cap;
};

/* Parse the words of one permit/deny line (w[0] is "permit" or "deny").
 * 0, or -EINVAL with a message in why (>= 128 bytes). */
int config_acl_parse_rule(bool extended, const char *const *w, unsigned n,
			  struct acl_rule *r, char *why, size_t whylen);
/* Canonical text of a rule (no indent, no newline); returns its length
 * (truncated output if >= len, like snprintf). */
int config_acl_format_rule(const struct acl_rule *r, bool extended,
			   char *buf, size_t len);
/* List by name, or NULL. */
const struct config_acl *config_acl_find(const struct config *cfg, const char *name);
/* Index of a list by name, or -ENOENT. */
int config_acl_index(const struct config *cfg, const char *name);
bool config_acl_name_valid(const char *name);

/* ---- objects ---------------------------------------------------------- */

/* A new config with every default; NULL on allocation failure. */
struct config *config_new(void);
void config_free(struct config *cfg);
/* Deep copy, NULL on allocation failure. */
struct config *config_dup(const struct config *cfg);

/*
 * Set one variable from its text, with the same validation as the file
 * parser. Returns 0, -ENOENT (unknown variable) or -EINVAL (bad value; why
 * gets a message). The variable is unchanged on error.
 */
int config_set(struct config *cfg, const char *name, const char *value,
	       char *why, size_t whylen);
/* Current value of variable idx as it would be printed after `set NAME `
 * (strings unquoted). Returns the length like snprintf. */
int config_get(const struct config *cfg, size_t idx, char *buf, size_t len);

/* ---- parsing ---------------------------------------------------------- */

/*
 * Parse a whole startup-config text. On success returns 0 and *out owns a
 * new config. On error returns -EINVAL (or -ENOMEM), *out is NULL and errs
 * holds every message as "FILE:LINE: text".
 *
 * Statements (one per line; leading blanks ignored; `#` or `!` first on the
 * line makes it a comment):
 *   set NAME VALUE
 *   load plugin NAME | remove plugin NAME
 *   router bgp AS
 *     neighbour|neighbor PEER remote-as AS
 *     neighbour|neighbor PEER timers KEEPALIVE HOLD
 *     no neighbour|neighbor PEER
 *   ip access-list standard|extended NAME
 *     permit|deny ...
 *   no ip access-list standard|extended NAME
 *   exit | end               (leave a router/access-list block)
 * A block's lines may be indented or not; any other statement ends the block.
 */
int config_parse(const char *text, size_t len, const char *file,
		 struct config **out, struct config_errors *errs);
/* Read path and config_parse() it (file name in messages = path). */
int config_load_file(const char *path, struct config **out,
		     struct config_errors *errs);

/* Statement-at-a-time interface for the CLI (config mode). */
enum config_mode { CONFIG_MODE_TOP, CONFIG_MODE_BGP, CONFIG_MODE_ACL };

struct config_exec {
	struct config *cfg;
	const char *file;	/* for messages; NULL for the CLI */
	unsigned line;
	enum config_mode mode;
	char acl[CONFIG_ACL_NAME];	/* current list in CONFIG_MODE_ACL */
	bool skip;		/* block header failed: ignore its lines */
	unsigned changed;	/* statements applied */
};

void config_exec_init(struct config_exec *x, struct config *cfg, const char *file);
/*
 * Execute one line against x->cfg. Returns 0 (also for blank lines and
 * comments), -EINVAL / -ENOENT / -ENOSPC / -EEXIST with the message added to
 * errs (which may be NULL). A failed statement changes nothing.
 */
int config_exec_line(struct config_exec *x, const char *line, size_t len,
		     struct config_errors *errs);
/* Checks that need the whole file (every neighbour has a remote-as). */
int config_check(const struct config *cfg, const char *file,
		 struct config_errors *errs);

/* ---- printing --------------------------------------------------------- */

/* Output sink: returns 0 or a negative error, which stops printing. */
typedef int (*config_sink)(void *ctx, const char *s, size_t len);

/* A growable buffer usable as a sink (config_buf_sink, ctx = the buffer). */
struct config_buf {
	char *p;		/* NUL-terminated when non-NULL */
	size_t len, cap;
};
int config_buf_sink(void *ctx, const char *s, size_t len);
void config_buf_free(struct config_buf *b);

#define CONFIG_PRINT_HIDE_SECRETS 1u	/* unprivileged `write terminal` */

/*
 * The `show running-config` text: "# Current configuration:", every
 * variable in table order ("set NAME value", strings double-quoted, or
 * single-quoted when they contain a double quote), "# Plugins" and
 * `load plugin "x"` lines, then, only when BGP is configured, "# BGP" and
 * the router block (a timers line only when not 60/180), then, only when
 * there are access lists, "# Filters" and each list with its rules
 * indented by one blank, then "# end". Lines end with "\n". As the original
 * did, every variable is printed, defaults included, in table order.
 */
int config_print(const struct config *cfg, unsigned flags, config_sink sink,
		 void *ctx);
/* One access list as `show access-list` / running-config prints it. */
int config_print_acl(const struct config_acl *acl, config_sink sink, void *ctx);
/* `write memory`: print to PATH.tmp, fsync, rename over PATH. 0 or -errno. */
int config_write_file(const struct config *cfg, const char *path);

/* ---- derived values (reference §2) ------------------------------------ */

enum config_auth { CONFIG_AUTH_PAP = 1, CONFIG_AUTH_CHAP = 2 };

/* l2tp_mtu with 0 or less meaning 1500, clamped to 576..2600. */
int config_l2tp_mtu(const struct config *cfg);
/* Our LCP MRU: min(l2tp_mtu - 38, 1492). */
int config_ppp_mru(const struct config *cfg);
/* MSS written by the clamp: MRU - 40. */
int config_tcp_mss(const struct config *cfg);
/* RADIUS server i (0 primary, 1 secondary): auth port (primary 0 -> 1645,
 * secondary 0 -> primary's) and accounting port (auth + 1). */
/* A list of up to 4 IPv4 addresses (bind_multi_address, radius_dae_clients):
 * the count, or -EINVAL. */
int config_addr_list(const char *v, uint32_t out[4]);
uint16_t config_radius_auth_port(const struct config *cfg, int i);
uint16_t config_radius_acct_port(const struct config *cfg, int i);
/* radius_authtypes as a list in preference order without duplicates;
 * returns the count (1 or 2; "pap" if the string is somehow empty). */
int config_radius_authtypes(const struct config *cfg, uint8_t out[2]);
/* cluster_hb_timeout raised to at least 4 * interval + 11 (original rule). */
int config_cluster_hb_timeout(const struct config *cfg);
/* Whether user is one of the guest_account names. */
bool config_is_guest(const struct config *cfg, const char *user);
/* bind_multi_address as up to 4 host-order addresses; returns the count. */
int config_bind_multi_address(const struct config *cfg, uint32_t out[4]);

#endif
