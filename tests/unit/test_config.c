/* startup-config: variable table, every type, quoting, comments, errors
 * with line numbers, BGP block, plugins, derived values, golden round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

static struct config *parse_ok(const char *text)
{
	struct config_errors e;
	struct config *c = NULL;
	config_errors_init(&e);
	int r = config_parse(text, strlen(text), "startup-config", &c, &e);
	for (unsigned i = 0; i < config_errors_kept(&e); i++)
		print_error("unexpected: %s\n", e.msg[i]);
	assert_int_equal(r, 0);
	assert_non_null(c);
	return c;
}

/* Parse must fail with exactly n errors, the first being msg. */
static void parse_fails(const char *text, unsigned n, const char *msg)
{
	struct config_errors e;
	static struct config sentinel;
	struct config *c = &sentinel; /* must be reset to NULL */
	config_errors_init(&e);
	int r = config_parse(text, strlen(text), "startup-config", &c, &e);
	assert_int_equal(r, -EINVAL);
	assert_null(c);
	if (e.count != n)
		for (unsigned i = 0; i < config_errors_kept(&e); i++)
			print_error("got: %s\n", e.msg[i]);
	assert_int_equal(e.count, n);
	if (msg)
		assert_string_equal(e.msg[0], msg);
}

static char *print_cfg(const struct config *c, unsigned flags)
{
	struct config_buf b = { 0 };
	assert_int_equal(config_print(c, flags, config_buf_sink, &b), 0);
	assert_non_null(b.p);
	return b.p;
}

/* ---- table ----------------------------------------------------------- */

static const char *const original44[] = {
	"debug", "log_file", "pid_file", "random_device", "l2tp_secret", "l2tp_mtu",
	"ppp_restart_time", "ppp_max_configure", "ppp_max_failure", "primary_dns",
	"secondary_dns", "primary_radius", "secondary_radius", "primary_radius_port",
	"secondary_radius_port", "radius_accounting", "radius_interim", "radius_secret",
	"radius_authtypes", "radius_dae_port", "radius_bind_min", "radius_bind_max",
	"allow_duplicate_users", "kill_timedout_sessions", "guest_account", "bind_address",
	"peer_address", "send_garp", "throttle_speed", "throttle_buckets", "accounting_dir",
	"dump_speed", "multi_read_count", "scheduler_fifo", "lock_pages", "icmp_rate",
	"packet_limit", "cluster_address", "cluster_interface", "cluster_mcast_ttl",
	"cluster_hb_interval", "cluster_hb_timeout", "cluster_master_min_adv", "ipv6_prefix",
};

static const char *const fork_and_ours[] = {
	"ppp_keepalive", "allow_duplicate_ip", "account_all_origin", "cli_bind_address",
	"hostname", "nexthop_address", "nexthop6_address", "echo_timeout",
	"idle_echo_timeout", "iftun_address", "tundevicename", "disable_lac_func",
	"auth_tunnel_change_addr_src", "bind_address_remotelns", "bind_portremotelns",
	"pppoe_if_to_bind", "pppoe_service_name", "pppoe_ac_name",
	"pppoe_only_equal_svc_name", "disable_sending_hello", "disable_no_spoof",
	"bind_multi_address", "multi_hostname", "no_throttle_local_IP",
	"dhcp6_preferred_lifetime", "dhcp6_valid_lifetime", "dhcp6_server_duid",
	"dns6_lifetime", "primary_ipv6_dns", "secondary_ipv6_dns",
	"default_ipv6_domain_list", "cluster_port",
	"l2tp_hello_interval", "l2tp_max_retries", "l2tp_retry_cap", "l2tp_rx_window",
	"tcp_mss_clamp", "local_users_file", "plugin_dir", "max_sessions", "max_tunnels",
	"nsctl_secret", "nsctl_port", "cli_port",
	"radius_require_message_authenticator", "radius_dae_clients", "radius_accounting_queue",
	"radius_shutdown_wait", "radius_timeout", "radius_retries", "rx_coalesce_us",
};

static void table_has_every_variable(void **state)
{
	(void)state;
	size_t n;
	const struct config_var *v = config_vars(&n);
	assert_int_equal(n, 44 + sizeof fork_and_ours / sizeof fork_and_ours[0]);
	/* the original 44 first, in the original's order */
	for (size_t i = 0; i < 44; i++)
		assert_string_equal(v[i].name, original44[i]);
	for (size_t i = 0; i < sizeof fork_and_ours / sizeof fork_and_ours[0]; i++)
		assert_true(config_var_index(fork_and_ours[i]) >= 44);
	for (size_t i = 0; i < n; i++) {
		assert_true(strlen(v[i].desc) > 10);
		assert_int_equal(config_var_index(v[i].name), (int)i); /* unique */
		if (v[i].type == CFG_STRING)
			assert_true(v[i].size > 1);
	}
	assert_int_equal(config_var_index("fooo"), -ENOENT);
	/* names are matched without regard to case, as the CLI does */
	assert_int_equal(config_var_index("DEBUG"), 0);
}

static void defaults(void **state)
{
	(void)state;
	struct config *c = config_new();
	assert_non_null(c);
	assert_int_equal(c->debug, 0);
	assert_string_equal(c->random_device, "/dev/urandom");
	assert_int_equal(c->l2tp_mtu, 1500);
	assert_int_equal(c->ppp_restart_time, 3);
	assert_int_equal(c->ppp_max_configure, 10);
	assert_int_equal(c->ppp_max_failure, 5);
	assert_int_equal(c->primary_radius_port, 1645);
	assert_int_equal(c->secondary_radius_port, 0);
	assert_string_equal(c->radius_authtypes, "pap");
	assert_int_equal(c->radius_dae_port, 3799);
	assert_true(c->kill_timedout_sessions);
	assert_false(c->send_garp);
	assert_int_equal(c->throttle_speed, 28);
	assert_int_equal(c->throttle_buckets, 6000);
	assert_int_equal(c->multi_read_count, 10);
	assert_int_equal(c->cluster_address, 0xefc00d0d); /* 239.192.13.13 */
	assert_string_equal(c->cluster_interface, "eth0");
	assert_int_equal(c->cluster_mcast_ttl, 1);
	assert_int_equal(c->cluster_hb_interval, 5);
	assert_int_equal(c->cluster_hb_timeout, 150);
	assert_int_equal(c->cluster_master_min_adv, 1);
	static const uint8_t zero16[16];
	assert_memory_equal(c->ipv6_prefix, zero16, 16);
	assert_int_equal(c->echo_timeout, 10);
	assert_int_equal(c->idle_echo_timeout, 240);
	assert_string_equal(c->tundevicename, "tun0");
	assert_int_equal(c->bind_portremotelns, 65432);
	assert_int_equal(c->cluster_port, 32792);
	assert_int_equal(c->l2tp_hello_interval, 60);
	assert_int_equal(c->l2tp_max_retries, 5);
	assert_int_equal(c->l2tp_retry_cap, 8);
	assert_int_equal(c->l2tp_rx_window, 16);
	assert_true(c->tcp_mss_clamp);
	assert_string_equal(c->local_users_file, "/etc/l2tpns/ppp-users");
	assert_int_equal(c->max_sessions, 60000);
	assert_int_equal(c->max_tunnels, 500);
	assert_int_equal(c->nsctl_port, 1702);
	assert_int_equal(c->cli_port, 23);
	assert_int_equal(c->nplugins, 0);
	assert_int_equal(c->bgp.as, 0);
	assert_int_equal(c->nacls, 0);
	/* without plugins, BGP or lists: no BGP/Filters sections */
	char *out = print_cfg(c, 0);
	assert_true(strncmp(out, "# Current configuration:\nset debug 0\nset log_file \"\"\n", 51) == 0);
	static const char tail[] = "\nset radius_retries 3\nset rx_coalesce_us 50\n# Plugins\n# end\n";
	size_t l = strlen(out);
	assert_true(l > sizeof tail);
	assert_string_equal(out + l - (sizeof tail - 1), tail);
	free(out);
	config_free(c);
}

/* ---- types ----------------------------------------------------------- */

static void int_values(void **state)
{
	(void)state;
	struct config *c = parse_ok("set debug 3\nset l2tp_mtu 1400\nset radius_interim +600\n");
	assert_int_equal(c->debug, 3);
	assert_int_equal(c->l2tp_mtu, 1400);
	assert_int_equal(c->radius_interim, 600);
	config_free(c);
	parse_fails("set debug 6\n", 1, "startup-config:1: value '6' of debug out of range 0..5");
	parse_fails("set debug abc\n", 1, "startup-config:1: debug needs an integer, not 'abc'");
	parse_fails("set debug 3x\n", 1, NULL);
	parse_fails("set debug \"\"\n", 1, NULL);
	parse_fails("set l2tp_mtu -1\n", 1, NULL);
	parse_fails("set max_sessions 99999999999999999999\n", 1, NULL);
	parse_fails("set cluster_mcast_ttl 256\n", 1, NULL);
}

static void short_values(void **state)
{
	(void)state;
	struct config *c = parse_ok("set primary_radius_port 65535\nset radius_dae_port 0\n");
	assert_int_equal(c->primary_radius_port, 65535);
	assert_int_equal(c->radius_dae_port, 0);
	config_free(c);
	parse_fails("set primary_radius_port 65536\n", 1,
		    "startup-config:1: primary_radius_port needs a number 0..65535, not '65536'");
	parse_fails("set cli_port -1\n", 1, NULL);
	parse_fails("set cli_port 0x17\n", 1, NULL);
}

static void ulong_values(void **state)
{
	(void)state;
	struct config *c = parse_ok("set throttle_speed 4294967296\n");
	assert_true(c->throttle_speed == 4294967296ul);
	config_free(c);
	parse_fails("set throttle_speed -5\n", 1, NULL);
	parse_fails("set throttle_speed 1.5\n", 1, NULL);
	parse_fails("set throttle_speed 99999999999999999999999\n", 1, NULL);
}

static void bool_values(void **state)
{
	(void)state;
	static const char *const yes[] = { "yes", "true", "1", "on", "YES", "True" };
	static const char *const no[] = { "no", "false", "0", "off", "NO", "Off" };
	for (size_t i = 0; i < 6; i++) {
		char t[128];
		snprintf(t, sizeof t, "set radius_accounting %s\nset tcp_mss_clamp %s\n", yes[i], no[i]);
		struct config *c = parse_ok(t);
		assert_true(c->radius_accounting);
		assert_false(c->tcp_mss_clamp);
		char v[8];
		config_get(c, (size_t)config_var_index("radius_accounting"), v, sizeof v);
		assert_string_equal(v, "yes");
		config_get(c, (size_t)config_var_index("tcp_mss_clamp"), v, sizeof v);
		assert_string_equal(v, "no");
		config_free(c);
	}
	parse_fails("set send_garp maybe\n", 1,
		    "startup-config:1: send_garp needs yes/no (true/false, on/off, 1/0), not 'maybe'");
	parse_fails("set send_garp 2\n", 1, NULL);
}

static void string_values_and_quotes(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"set l2tp_secret \"two words\"\n"
		"set radius_secret 'say \"hi\"'\n"
		"set hostname lns1\n"
		"set log_file \"\"\n"
		"set accounting_dir '/var/run/x y'\n");
	assert_string_equal(c->l2tp_secret, "two words");
	assert_string_equal(c->radius_secret, "say \"hi\"");
	assert_string_equal(c->hostname, "lns1");
	assert_string_equal(c->log_file, "");
	assert_string_equal(c->accounting_dir, "/var/run/x y");
	char *out = print_cfg(c, 0);
	assert_non_null(strstr(out, "\nset l2tp_secret \"two words\"\n"));
	/* a value with a double quote is printed in single quotes */
	assert_non_null(strstr(out, "\nset radius_secret 'say \"hi\"'\n"));
	assert_non_null(strstr(out, "\nset hostname \"lns1\"\n"));
	free(out);
	config_free(c);

	/* 63 characters fit l2tp_secret (64 bytes), 64 do not */
	char t[200];
	snprintf(t, sizeof t, "set l2tp_secret %063d\n", 0);
	c = parse_ok(t);
	assert_int_equal(strlen(c->l2tp_secret), 63);
	config_free(c);
	snprintf(t, sizeof t, "set l2tp_secret %064d\n", 0);
	parse_fails(t, 1, "startup-config:1: value of l2tp_secret longer than 63 characters");

	parse_fails("set hostname \"open\n", 1, "startup-config:1: syntax error: unterminated quote");
	parse_fails("set hostname \"a\"b\n", 1, NULL);
	parse_fails("set hostname two words\n", 1,
		    "startup-config:1: unexpected 'words' after the value of hostname "
		    "(quote values that contain blanks)");
	parse_fails("set hostname\n", 1, "startup-config:1: expected 'set NAME VALUE'");
	parse_fails("set pid_file run/l2tpns.pid\n", 1,
		    "startup-config:1: bad pid_file 'run/l2tpns.pid': must be an absolute path");
	parse_fails("set tundevicename \"a/b\"\n", 1, NULL);
	parse_fails("set hostname \"tab\there\"\n", 1, "startup-config:1: syntax error: control character");
}

static void structured_strings(void **state)
{
	(void)state;
	struct config *c = parse_ok("set radius_authtypes \"chap, pap\"\n"
				    "set guest_account \"guest, visitor demo\"\n"
				    "set bind_multi_address \"10.0.0.1,10.0.0.2\"\n");
	uint8_t t[2];
	assert_int_equal(config_radius_authtypes(c, t), 2);
	assert_int_equal(t[0], CONFIG_AUTH_CHAP);
	assert_int_equal(t[1], CONFIG_AUTH_PAP);
	assert_true(config_is_guest(c, "visitor"));
	assert_true(config_is_guest(c, "demo"));
	assert_false(config_is_guest(c, "guestx"));
	assert_false(config_is_guest(c, "gues"));
	uint32_t a[4];
	assert_int_equal(config_bind_multi_address(c, a), 2);
	assert_int_equal(a[0], 0x0a000001);
	assert_int_equal(a[1], 0x0a000002);
	config_free(c);

	c = parse_ok("set radius_authtypes chap\n");
	assert_int_equal(config_radius_authtypes(c, t), 1);
	assert_int_equal(t[0], CONFIG_AUTH_CHAP);
	config_free(c);
	c = parse_ok("set radius_authtypes \"pap,pap\"\n");
	assert_int_equal(config_radius_authtypes(c, t), 1);
	assert_int_equal(t[0], CONFIG_AUTH_PAP);
	config_free(c);

	parse_fails("set radius_authtypes mschap\n", 1, NULL);
	parse_fails("set radius_authtypes \"\"\n", 1, NULL);
	parse_fails("set guest_account \"a b c d e f g h i j k\"\n", 1,
		    "startup-config:1: bad guest_account 'a b c d e f g h i j k': more than 10 guest names");
	parse_fails("set guest_account abcdefghijabcdefghijabcdefghijab\n", 1, NULL);
	parse_fails("set bind_multi_address \"1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 5.5.5.5\"\n", 1, NULL);
	parse_fails("set bind_multi_address \"1.1.1\"\n", 1, NULL);
}

static void ip_values(void **state)
{
	(void)state;
	struct config *c = parse_ok("set bind_address 192.0.2.1\n"
				    "set ipv6_prefix 2001:db8:1::\n"
				    "set primary_ipv6_dns 2001:db8::53\n");
	assert_int_equal(c->bind_address, 0xc0000201);
	static const uint8_t p6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	assert_memory_equal(c->ipv6_prefix, p6, 16);
	char *out = print_cfg(c, 0);
	assert_non_null(strstr(out, "\nset bind_address 192.0.2.1\n"));
	assert_non_null(strstr(out, "\nset ipv6_prefix 2001:db8:1::\n"));
	assert_non_null(strstr(out, "\nset primary_ipv6_dns 2001:db8::53\n"));
	assert_non_null(strstr(out, "\nset nexthop6_address ::\n"));
	free(out);
	config_free(c);
	parse_fails("set bind_address 1.2.3\n", 1,
		    "startup-config:1: bind_address needs an IPv4 address, not '1.2.3'");
	parse_fails("set bind_address 256.1.1.1\n", 1, NULL);
	parse_fails("set bind_address localhost\n", 1, NULL);
	parse_fails("set ipv6_prefix 2001:db8::g\n", 1, NULL);
	parse_fails("set ipv6_prefix 10.0.0.1\n", 1, NULL);
}

/* ---- file structure and errors --------------------------------------- */

static void comments_and_blanks(void **state)
{
	(void)state;
	struct config *c = parse_ok("# comment\r\n"
				    "! also a comment with \"unbalanced quote\r\n"
				    "\r\n"
				    "   \t\n"
				    "   # indented comment\n"
				    "  set debug 2\r\n"
				    "set DEBUG 4"); /* no final newline */
	assert_int_equal(c->debug, 4);
	config_free(c);
}

static void unknown_variable_with_line(void **state)
{
	(void)state;
	parse_fails("# a\nset debug 1\n\nset fooo 1\n", 1, "startup-config:4: unknown variable 'fooo'");
	parse_fails("frobnicate\n", 1, "startup-config:1: unknown command 'frobnicate'");
}

static void all_errors_reported(void **state)
{
	(void)state;
	struct config_errors e;
	struct config *c;
	config_errors_init(&e);
	const char *t = "set debug 9\nset fooo 1\nset debug 2\nset bind_address x\n"
			"load plugin\npermit any\n";
	assert_int_equal(config_parse(t, strlen(t), "f", &c, &e), -EINVAL);
	assert_null(c);
	assert_int_equal(e.count, 5);
	assert_string_equal(e.msg[0], "f:1: value '9' of debug out of range 0..5");
	assert_string_equal(e.msg[1], "f:2: unknown variable 'fooo'");
	assert_string_equal(e.msg[2], "f:4: bind_address needs an IPv4 address, not 'x'");
	assert_string_equal(e.msg[3], "f:5: expected 'load plugin NAME'");
	assert_string_equal(e.msg[4], "f:6: 'permit' outside an 'ip access-list' block");

	/* more errors than kept: all counted */
	struct config_buf b = { 0 };
	for (int i = 0; i < CONFIG_ERR_MAX + 10; i++)
		assert_int_equal(config_buf_sink(&b, "bogus\n", 6), 0);
	config_errors_init(&e);
	assert_int_equal(config_parse(b.p, b.len, "f", &c, &e), -EINVAL);
	assert_int_equal(e.count, CONFIG_ERR_MAX + 10);
	assert_int_equal(config_errors_kept(&e), CONFIG_ERR_MAX);
	assert_string_equal(e.msg[CONFIG_ERR_MAX - 1], "f:64: unknown command 'bogus'");
	config_buf_free(&b);
}

static void reload_error_keeps_running_config(void **state)
{
	(void)state;
	struct config *running = parse_ok("set debug 2\n");
	char *before = print_cfg(running, 0);
	struct config *next = running;
	struct config_errors e;
	config_errors_init(&e);
	const char *t = "set debug 5\nset nope 1\n";
	assert_int_equal(config_parse(t, strlen(t), "startup-config", &next, &e), -EINVAL);
	assert_null(next);
	char *after = print_cfg(running, 0);
	assert_string_equal(before, after);
	assert_int_equal(running->debug, 2);
	free(before);
	free(after);
	config_free(running);
}

/* ---- set API, restart flags ------------------------------------------ */

static void set_api(void **state)
{
	(void)state;
	struct config *c = config_new();
	char why[CONFIG_ERR_LEN];
	assert_int_equal(config_set(c, "debug", "4", why, sizeof why), 0);
	assert_int_equal(c->debug, 4);
	assert_int_equal(config_set(c, "debug", "44", why, sizeof why), -EINVAL);
	assert_string_equal(why, "value '44' of debug out of range 0..5");
	assert_int_equal(c->debug, 4); /* unchanged */
	assert_int_equal(config_set(c, "nosuch", "1", why, sizeof why), -ENOENT);
	assert_string_equal(why, "unknown variable 'nosuch'");
	assert_int_equal(config_set(c, "hostname", "x\"y'z", why, sizeof why), -EINVAL);
	assert_string_equal(c->hostname, "");
	/* a failed string check leaves the old value */
	assert_int_equal(config_set(c, "radius_authtypes", "chap", why, sizeof why), 0);
	assert_int_equal(config_set(c, "radius_authtypes", "eap", why, sizeof why), -EINVAL);
	assert_string_equal(c->radius_authtypes, "chap");
	char v[64];
	assert_int_equal(config_get(c, (size_t)config_var_index("cluster_address"), v, sizeof v), 13);
	assert_string_equal(v, "239.192.13.13");
	config_free(c);
}

static void restart_flags(void **state)
{
	(void)state;
	static const char *const restart[] = { "throttle_buckets", "lock_pages", "scheduler_fifo",
					       "tundevicename", "max_sessions", "max_tunnels",
					       "cluster_port", "cli_port", "nsctl_port" };
	for (size_t i = 0; i < sizeof restart / sizeof restart[0]; i++)
		assert_true(config_var_needs_restart(restart[i]));
	assert_false(config_var_needs_restart("debug"));
	assert_false(config_var_needs_restart("throttle_speed"));
	assert_false(config_var_needs_restart("radius_secret"));
	assert_false(config_var_needs_restart("nosuch"));

	struct config *a = config_new(), *b = config_new();
	int i = config_var_index("tundevicename"), j = config_var_index("debug");
	assert_false(config_var_differs(a, b, (size_t)i));
	char why[CONFIG_ERR_LEN];
	assert_int_equal(config_set(b, "tundevicename", "tun7", why, sizeof why), 0);
	assert_true(config_var_differs(a, b, (size_t)i));
	assert_false(config_var_differs(a, b, (size_t)j));
	config_free(a);
	config_free(b);
}

/* ---- derived values -------------------------------------------------- */

static void derived_values(void **state)
{
	(void)state;
	struct config *c = config_new();
	char why[CONFIG_ERR_LEN];
	/* reference §2 row 6: MRU 1462 and MSS 1422 at the default 1500 */
	assert_int_equal(config_l2tp_mtu(c), 1500);
	assert_int_equal(config_ppp_mru(c), 1462);
	assert_int_equal(config_tcp_mss(c), 1422);
	config_set(c, "l2tp_mtu", "0", why, sizeof why);
	assert_int_equal(config_l2tp_mtu(c), 1500);
	config_set(c, "l2tp_mtu", "100", why, sizeof why);
	assert_int_equal(config_l2tp_mtu(c), 576);
	assert_int_equal(config_ppp_mru(c), 538);
	config_set(c, "l2tp_mtu", "9000", why, sizeof why);
	assert_int_equal(config_l2tp_mtu(c), 2600);
	assert_int_equal(config_ppp_mru(c), 1492);
	assert_int_equal(config_tcp_mss(c), 1452);
	assert_int_equal(c->l2tp_mtu, 9000); /* stored as written */

	assert_int_equal(config_radius_auth_port(c, 0), 1645);
	assert_int_equal(config_radius_acct_port(c, 0), 1646);
	assert_int_equal(config_radius_auth_port(c, 1), 1645);
	config_set(c, "primary_radius_port", "1812", why, sizeof why);
	assert_int_equal(config_radius_auth_port(c, 1), 1812);
	assert_int_equal(config_radius_acct_port(c, 1), 1813);
	config_set(c, "secondary_radius_port", "2000", why, sizeof why);
	assert_int_equal(config_radius_auth_port(c, 0), 1812);
	assert_int_equal(config_radius_acct_port(c, 1), 2001);
	config_set(c, "primary_radius_port", "0", why, sizeof why);
	assert_int_equal(config_radius_auth_port(c, 0), 1645);

	assert_int_equal(config_cluster_hb_timeout(c), 150);
	config_set(c, "cluster_hb_interval", "50", why, sizeof why);
	assert_int_equal(config_cluster_hb_timeout(c), 211);
	config_free(c);
}

/* ---- plugins and BGP ------------------------------------------------- */

static void plugins(void **state)
{
	(void)state;
	struct config *c = parse_ok("load plugin garden\nload plugin \"autothrottle\"\n"
				    "load plugin sessionctl\nremove plugin garden\n");
	assert_int_equal(c->nplugins, 2);
	assert_string_equal(c->plugins[0], "autothrottle");
	assert_string_equal(c->plugins[1], "sessionctl");
	char *out = print_cfg(c, 0);
	assert_non_null(strstr(out, "# Plugins\nload plugin \"autothrottle\"\nload plugin \"sessionctl\"\n"));
	free(out);
	config_free(c);
	parse_fails("load plugin a\nload plugin a\n", 1, "startup-config:2: plugin 'a' is already loaded");
	parse_fails("remove plugin a\n", 1, "startup-config:1: plugin 'a' is not loaded");
	parse_fails("load plugin ../evil\n", 1, "startup-config:1: bad plugin name '../evil'");
	parse_fails("load plugins x\n", 1, NULL);
}

static void bgp_block(void **state)
{
	(void)state;
	struct config *c = parse_ok("router bgp 65001\n"
				    " neighbour 192.0.2.1 remote-as 65000\n"
				    " neighbor rtr2.example remote-as 65002\n"
				    " neighbour rtr2.example timers 10 30\n"
				    " neighbour 192.0.2.9 remote-as 1\n"
				    " no neighbor 192.0.2.9\n"
				    "set debug 1\n"
				    "router bgp 65001\n"
				    "neighbour 192.0.2.7 remote-as 7\n");
	assert_int_equal(c->bgp.as, 65001);
	assert_int_equal(c->bgp.npeers, 3);
	assert_string_equal(c->bgp.peer[0].name, "192.0.2.1");
	assert_int_equal(c->bgp.peer[0].as, 65000);
	assert_int_equal(c->bgp.peer[0].keepalive, 60);
	assert_int_equal(c->bgp.peer[0].hold, 180);
	assert_string_equal(c->bgp.peer[1].name, "rtr2.example");
	assert_int_equal(c->bgp.peer[1].keepalive, 10);
	assert_int_equal(c->bgp.peer[1].hold, 30);
	assert_string_equal(c->bgp.peer[2].name, "192.0.2.7");
	assert_int_equal(c->debug, 1);
	char *out = print_cfg(c, 0);
	assert_non_null(strstr(out, "# BGP\nrouter bgp 65001\n"
				    " neighbour 192.0.2.1 remote-as 65000\n"
				    " neighbour rtr2.example remote-as 65002\n"
				    " neighbour rtr2.example timers 10 30\n"
				    " neighbour 192.0.2.7 remote-as 7\n"));
	free(out);
	config_free(c);

	parse_fails("router bgp 0\n", 1, "startup-config:1: bad AS number '0' (1..65535)");
	/* the lines of a block whose header failed are not reported again */
	parse_fails("router bgp 70000\n neighbour 1.1.1.1 remote-as 2\n", 1, NULL);
	parse_fails("router bgp 1\nrouter bgp 2\n", 1,
		    "startup-config:2: BGP is already configured with AS 1");
	parse_fails("neighbour 1.1.1.1 remote-as 2\n", 1,
		    "startup-config:1: 'neighbour' outside a 'router bgp' block");
	/* a top-level statement ends the block */
	parse_fails("router bgp 1\nset debug 1\nneighbour 1.1.1.1 remote-as 2\n", 1,
		    "startup-config:3: 'neighbour' outside a 'router bgp' block");
	parse_fails("router bgp 1\nexit\nneighbour 1.1.1.1 remote-as 2\n", 1, NULL);
	parse_fails("router bgp 1\n neighbour 1.1.1.1 timers 10 2\n", 1,
		    "startup-config:2: bad hold time '2' (3..65535 s)");
	parse_fails("router bgp 1\n neighbour 1.1.1.1 timers 0 30\n", 1, NULL);
	parse_fails("router bgp 1\n neighbour 1.1.1.1 remote-as\n", 1, NULL);
	parse_fails("router bgp 1\n no neighbour 1.1.1.1\n", 1,
		    "startup-config:2: no neighbour '1.1.1.1'");
	/* a neighbour must get a remote-as somewhere in the file */
	parse_fails("router bgp 1\n neighbour 1.1.1.1 timers 10 30\n", 1,
		    "startup-config: neighbour 1.1.1.1 has no remote-as");
	struct config_buf b = { 0 };
	config_buf_sink(&b, "router bgp 1\n", 13);
	for (int i = 0; i <= CONFIG_BGP_MAX_PEERS; i++) {
		char l[64];
		int n = snprintf(l, sizeof l, " neighbour 10.0.0.%d remote-as 2\n", i + 1);
		config_buf_sink(&b, l, (size_t)n);
	}
	parse_fails(b.p, 1, "startup-config:10: too many BGP neighbours (at most 8)");
	config_buf_free(&b);
}

/* ---- statement-at-a-time (CLI) --------------------------------------- */

static void exec_statements(void **state)
{
	(void)state;
	struct config *c = config_new();
	struct config_exec x;
	struct config_errors e;
	config_errors_init(&e);
	config_exec_init(&x, c, NULL);
	char *before = print_cfg(c, 0);
	static const char *const bad[] = {
		"set debug 9", "router bgp x", "load plugin a/b", "ip access-list extended 1 2",
		"ip access-list bogus x", "no ip access-list standard nosuch", "deny any",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_true(config_exec_line(&x, bad[i], strlen(bad[i]), &e) < 0);
	assert_int_equal(e.count, sizeof bad / sizeof bad[0]);
	/* a CLI error message has no file:line prefix */
	assert_string_equal(e.msg[0], "value '9' of debug out of range 0..5");
	char *after = print_cfg(c, 0);
	assert_string_equal(before, after); /* failed statements changed nothing */
	free(before);
	free(after);

	x.mode = CONFIG_MODE_TOP;
	x.skip = false;
	assert_int_equal(config_exec_line(&x, "router bgp 5", 12, &e), 0);
	assert_int_equal(x.mode, CONFIG_MODE_BGP);
	assert_int_equal(config_exec_line(&x, "neighbour p remote-as 6", 23, &e), 0);
	assert_int_equal(config_exec_line(&x, "exit", 4, &e), 0);
	assert_int_equal(x.mode, CONFIG_MODE_TOP);
	assert_int_equal(config_exec_line(&x, "ip access-list standard web", 27, &e), 0);
	assert_int_equal(x.mode, CONFIG_MODE_ACL);
	assert_int_equal(config_exec_line(&x, "permit any", 10, &e), 0);
	assert_int_equal(config_exec_line(&x, "end", 3, &e), 0);
	assert_int_equal(x.mode, CONFIG_MODE_TOP);
	assert_int_equal(c->bgp.peer[0].as, 6);
	assert_int_equal(c->acls[0].nrules, 1);
	assert_int_equal(x.changed, 6);
	config_free(c);
}

/* ---- golden round trip ----------------------------------------------- */

static char *slurp(const char *name, size_t *len)
{
	char path[512], *text = NULL;
	const char *dir = getenv("L2TPNS_TESTDATA");
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/unit/data/config", name);
	int r = config_read_file(path, &text, len);
	if (r < 0)
		print_error("cannot read %s: %s (run from the top of the tree)\n", path, strerror(-r));
	assert_int_equal(r, 0);
	return text;
}

static void golden_round_trip(void **state)
{
	(void)state;
	size_t len, glen;
	char *text = slurp("rich.conf", &len);
	char *golden = slurp("rich.ok", &glen);
	struct config_errors e;
	struct config *c1, *c2;
	config_errors_init(&e);
	int r = config_parse(text, len, "rich.conf", &c1, &e);
	for (unsigned i = 0; i < config_errors_kept(&e); i++)
		print_error("%s\n", e.msg[i]);
	assert_int_equal(r, 0);
	char *p1 = print_cfg(c1, 0);
	assert_string_equal(p1, golden);
	/* print(parse(print(parse(X)))) == print(parse(X)) */
	assert_int_equal(config_parse(p1, strlen(p1), "printed", &c2, &e), 0);
	char *p2 = print_cfg(c2, 0);
	assert_string_equal(p1, p2);
	/* and a deep copy prints the same */
	struct config *c3 = config_dup(c1);
	assert_non_null(c3);
	config_free(c1);
	char *p3 = print_cfg(c3, 0);
	assert_string_equal(p3, p2);

	/* write memory, then load it back */
	char path[] = "/tmp/h6-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(config_write_file(c3, path), 0);
	struct config *c4;
	assert_int_equal(config_load_file(path, &c4, &e), 0);
	char *p4 = print_cfg(c4, 0);
	assert_string_equal(p4, p2);
	unlink(path);

	/* unprivileged view: secrets become comments */
	char *hidden = print_cfg(c3, CONFIG_PRINT_HIDE_SECRETS);
	assert_null(strstr(hidden, "lac-secret"));
	assert_non_null(strstr(hidden, "\n# set l2tp_secret (hidden)\n"));
	assert_non_null(strstr(hidden, "\n# set radius_secret (hidden)\n"));
	assert_non_null(strstr(hidden, "\n# set nsctl_secret (hidden)\n"));
	assert_non_null(strstr(hidden, "\nset hostname \"lns-1\"\n"));
	struct config *c5 = config_new();
	char *h5 = print_cfg(c5, CONFIG_PRINT_HIDE_SECRETS);
	assert_non_null(strstr(h5, "\nset l2tp_secret \"\"\n")); /* empty: nothing to hide */
	free(h5);
	config_free(c5);

	free(hidden);
	free(p1);
	free(p2);
	free(p3);
	free(p4);
	config_free(c2);
	config_free(c3);
	config_free(c4);
	free(text);
	free(golden);
}

static void default_file_parses(void **state)
{
	(void)state;
	struct config_errors e;
	struct config *c;
	config_errors_init(&e);
	int r = config_load_file("etc/startup-config.default", &c, &e);
	for (unsigned i = 0; i < config_errors_kept(&e); i++)
		print_error("%s\n", e.msg[i]);
	assert_int_equal(r, 0);
	config_free(c);
	assert_int_equal(config_load_file("/nonexistent/h6", &c, &e), -ENOENT);
	assert_string_equal(e.msg[0], "/nonexistent/h6: cannot read: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_has_every_variable),
		cmocka_unit_test(defaults),
		cmocka_unit_test(int_values),
		cmocka_unit_test(short_values),
		cmocka_unit_test(ulong_values),
		cmocka_unit_test(bool_values),
		cmocka_unit_test(string_values_and_quotes),
		cmocka_unit_test(structured_strings),
		cmocka_unit_test(ip_values),
		cmocka_unit_test(comments_and_blanks),
		cmocka_unit_test(unknown_variable_with_line),
		cmocka_unit_test(all_errors_reported),
		cmocka_unit_test(reload_error_keeps_running_config),
		cmocka_unit_test(set_api),
		cmocka_unit_test(restart_flags),
		cmocka_unit_test(derived_values),
		cmocka_unit_test(plugins),
		cmocka_unit_test(bgp_block),
		cmocka_unit_test(exec_statements),
		cmocka_unit_test(golden_round_trip),
		cmocka_unit_test(default_file_parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
