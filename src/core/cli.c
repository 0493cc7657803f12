/*
 * The telnet CLI (reference §3): a TCP listener on the daemon's loop and,
 * per connection, a child process running libcli (the daemon's binary
 * started with CLI_CHILD_ARG, never a fork: core/cli.h). The child only talks to
 * the user and forwards every command to the parent (core/cli.h); it never
 * logs itself (its file descriptors are closed, so a lingering session
 * cannot keep the daemon's ports or files open after a restart): log lines
 * go to the parent as "note" requests.
 *
 * Login (reference §3, bugs not reproduced): connections from the local
 * host need none, as in the original; others must log in with a user of the
 * users file beside the startup-config (/etc/l2tpns/users by default). When
 * that file is missing or defines no login, remote connections are refused
 * with a message (the original closed them silently while logging "open to
 * all"). Three failed logins end the connection. `enable` checks the file's
 * `enable:` line; without one, only local connections may enable.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libcli.h>
#include <stdarg.h>

#include "core/cli.h"
#include "core/cli_int.h"
#include "core/control.h"
#include "core/lns.h"

#define PRIV_U PRIVILEGE_UNPRIVILEGED
#define PRIV_P PRIVILEGE_PRIVILEGED

/* ---- the child --------------------------------------------------------- */

/* libcli's auth/enable callbacks carry no context: the child's one state. */
static struct cli_child {
	int sock, sp;
	bool local;
	char peer[64];
	struct userfile uf;
	bool have_uf;
	int fails;
	bool debug[LOG_DATA + 1];
	bool debugging;
	uint64_t log_seq;
	unsigned printed;	/* debug lines printed by this poll */
	char carry[CLI_CHUNK * 2];
	size_t ncarry;
} CH;

static int send_req(struct cli_def *cli, char **w, int n)
{
	char req[CLI_REQ_MAX];
	int o = snprintf(req, sizeof req, "%d\n%d", cli ? cli->privilege : 0, cli ? cli->mode : 0);
	for (int i = 0; i < n && o > 0 && (size_t)o < sizeof req; i++)
		o += snprintf(req + o, sizeof req - (size_t)o, "\n%s", w[i]);
	if (o < 0 || (size_t)o >= sizeof req)
		return -E2BIG;
	return send(CH.sp, req, (size_t)o, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	char kw[] = "note", *w[] = {kw, text};
	if (send_req(NULL, w, 2) < 0)
		return;
	char buf[256];
	struct pollfd p = {.fd = CH.sp, .events = POLLIN};
	while (poll(&p, 1, 5000) > 0 && recv(CH.sp, buf, sizeof buf, 0) > 0 && buf[0] != 'x')
		;
}

typedef void (*line_fn)(struct cli_def *cli, char type, const char *line);

static void print_line(struct cli_def *cli, char type, const char *line)
{
	if (type == 'e')
		cli_error(cli, "%s", line);
	else
		cli_print(cli, "%s", line);
}

static void emit(struct cli_def *cli, char type, const char *s, size_t n, line_fn fn, bool flush)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || CH.ncarry == sizeof CH.carry - 1) {
			CH.carry[CH.ncarry] = 0;
			fn(cli, type, CH.carry);
			CH.ncarry = 0;
			if (s[i] == '\n')
				continue;
		}
		CH.carry[CH.ncarry++] = s[i];
	}
	if (flush && CH.ncarry) {
		CH.carry[CH.ncarry] = 0;
		fn(cli, type, CH.carry);
		CH.ncarry = 0;
	}
}

/*
 * Send one request and print the reply. Returns 0 (ok), 1 (the command
 * failed) or a negative errno; the 'x' payload lands in x.
 */
static int ask(struct cli_def *cli, char **w, int n, line_fn fn, char *x, size_t xcap)
{
	static char buf[CLI_CHUNK + 2];
	int r = send_req(cli, w, n);
	if (r < 0) {
		cli_error(cli, "%% The daemon is not answering: %s", strerror(-r));
		return r;
	}
	char last = 'o';
	CH.ncarry = 0;
	for (;;) {
		struct pollfd p = {.fd = CH.sp, .events = POLLIN};
		if (poll(&p, 1, 120000) <= 0) {
			cli_error(cli, "%% The daemon is not answering");
			return -ETIMEDOUT;
		}
		ssize_t len = recv(CH.sp, buf, sizeof buf - 1, 0);
		if (len <= 0) {
			cli_error(cli, "%% The daemon went away");
			_exit(0);
		}
		if (buf[0] == 'x') {
			emit(cli, last, "", 0, fn, true);
			buf[len] = 0;
			if (x) {
				size_t xl = (size_t)len - 1 < xcap - 1 ? (size_t)len - 1 : xcap - 1;
				memcpy(x, buf + 1, xl);
				x[xl] = 0;
			}
			return buf[1] == '0' ? 0 : 1;
		}
		if (buf[0] != last)
			emit(cli, last, "", 0, fn, true);
		last = buf[0];
		emit(cli, last, buf + 1, (size_t)len - 1, fn, false);
	}
}

/* The command's words: libcli gives the full command name and the rest. */
static int fwd_words(struct cli_def *cli, const char *command, char **argv, int argc)
{
	char cmd[256], *w[CLI_MAX_LINE_WORDS + 16];
	int n = 0;
	snprintf(cmd, sizeof cmd, "%s", command);
	for (char *save = NULL, *t = strtok_r(cmd, " ", &save); t && n < 16;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	for (int i = 0; i < argc && n < CLI_MAX_LINE_WORDS + 16; i++)
		w[n++] = argv[i];
	return ask(cli, w, n, print_line, NULL, 0);
}

static bool wants_help(struct cli_def *cli, const char *usage, char **argv, int argc)
{
	if (argc > 0 && !strcmp(argv[argc - 1], "?")) {
		cli_print(cli, "  %s", usage);
		return true;
	}
	return false;
}

static int cmd_fwd(struct cli_def *cli, const char *command, char **argv, int argc)
{
	if (wants_help(cli, "<cr> or arguments", argv, argc))
		return CLI_OK;
	return fwd_words(cli, command, argv, argc) == 0 ? CLI_OK : CLI_ERROR;
}

static int cmd_router_bgp(struct cli_def *cli, const char *command, char **argv, int argc)
{
	if (wants_help(cli, "AS", argv, argc))
		return CLI_OK;
	if (fwd_words(cli, command, argv, argc) != 0)
		return CLI_ERROR;
	cli_set_configmode(cli, CLI_MODE_CONFIG_BGP, "router");
	return CLI_OK;
}

static int cmd_ip_acl(struct cli_def *cli, const char *command, char **argv, int argc)
{
	if (wants_help(cli, "standard|extended NAME", argv, argc))
		return CLI_OK;
	if (fwd_words(cli, command, argv, argc) != 0)
		return CLI_ERROR;
	bool ext = argc > 0 && !strncmp(argv[0], "ext", 3);
	cli_set_configmode(cli, CLI_MODE_CONFIG_NACL, ext ? "ext-nacl" : "std-nacl");
	return CLI_OK;
}

/* ---- debug: poll the parent's log ring --------------------------------- */

static void debug_line(struct cli_def *cli, char type, const char *line)
{
	(void)type;
	int lvl = line[0] - '0';
	if (lvl < 0 || lvl > LOG_DATA || !CH.debug[lvl])
		return;
	if (!CH.printed++)
		cli_print(cli, "%s", "");	/* off the prompt line */
	cli_print(cli, "%s: %s", log_level_name(lvl), line + 1);
}

static int regular(struct cli_def *cli)
{
	if (!CH.debugging)
		return CLI_OK;
	CH.printed = 0;
	for (int rounds = 0; rounds < 8; rounds++) {
		char seq[32], x[96];
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)CH.log_seq);
		char kw[] = "log", *w[] = {kw, seq};
		int r = ask(cli, w, 2, debug_line, x, sizeof x);
		unsigned long long next = 0, missed = 0;
		int more = 0;
		if (r != 0 || sscanf(x, "%*d %llu %llu %d", &next, &missed, &more) != 3)
			return CLI_OK;
		if (missed)
			cli_print(cli, "(%llu log lines missed)", missed);
		CH.log_seq = next;
		if (!more)
			break;
	}
	if (CH.printed)
		cli_reprompt(cli);
	return CLI_OK;
}

static const char *const level_words[] = {"critical", "error", "warning", "info", "calls", "data"};

static int set_debug(struct cli_def *cli, char **argv, int argc, bool on)
{
	bool any = false;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "?")) {
			cli_print(cli, "  all critical error warning info calls data");
			return CLI_OK;
		}
		bool hit = false;
		for (int k = 0; k <= LOG_DATA; k++)
			if (!strcmp(argv[i], "all") ? k != LOG_DATA /* "all" excludes data */
						    : !strcmp(argv[i], level_words[k])) {
				CH.debug[k] = on;
				hit = true;
			}
		if (!hit) {
			cli_error(cli, "%% Invalid debug flag \"%s\"", argv[i]);
			return CLI_ERROR;
		}
		any = true;
	}
	if (!any && !on)
		memset(CH.debug, 0, sizeof CH.debug);
	bool was = CH.debugging;
	CH.debugging = false;
	char flags[128] = "";
	for (int k = 0; k <= LOG_DATA; k++)
		if (CH.debug[k]) {
			CH.debugging = true;
			strcat(flags, " ");
			strcat(flags, level_words[k]);
		}
	if (CH.debugging && !was) {
		char x[96];
		char kw[] = "log", now[] = "now", *w[] = {kw, now};
		unsigned long long next = 0;
		if (ask(cli, w, 2, debug_line, x, sizeof x) == 0 &&
		    sscanf(x, "%*d %llu", &next) == 1)
			CH.log_seq = next;
	}
	if (CH.debugging)
		cli_print(cli, "Debugging (live log, polled every second):%s", flags);
	else
		cli_print(cli, "Debugging off");
	return CLI_OK;
}

static int cmd_debug(struct cli_def *cli, const char *command, char **argv, int argc)
{
	(void)command;
	if (!argc) {
		char flags[128] = "";
		for (int k = 0; k <= LOG_DATA; k++)
			if (CH.debug[k]) {
				strcat(flags, " ");
				strcat(flags, level_words[k]);
			}
		cli_print(cli, "Debugging:%s", flags[0] ? flags : " off");
		return CLI_OK;
	}
	return set_debug(cli, argv, argc, true);
}

static int cmd_no_debug(struct cli_def *cli, const char *command, char **argv, int argc)
{
	(void)command;
	return set_debug(cli, argv, argc, false);
}

/* ---- login ------------------------------------------------------------- */

static int auth_cb(const char *user, const char *pass)
{
	if (CH.have_uf && userfile_check(&CH.uf, user, pass) == 0) {
		note("login as %s", user);
		return CLI_OK;
	}
	CH.fails++;
	note("login as %s failed (%d)", user, CH.fails);
	if (CH.fails >= 3) {
		static const char msg[] = "\r\n\r\nAccess denied: too many failures\r\n";
		if (write(CH.sock, msg, sizeof msg - 1) < 0)
			_exit(1);
		_exit(1);
	}
	return CLI_ERROR;
}

/* libcli 1.10 takes a non-zero enable callback return as success (unlike
 * the auth callback, where CLI_OK is success). */
static int enable_cb(const char *pass)
{
	int r = CH.have_uf ? userfile_check_enable(&CH.uf, pass) : -ENOENT;
	if (r == 0 || (r == -ENOENT && CH.local)) {
		note("enable");
		return 1;
	}
	note(r == -ENOENT ? "enable refused: no enable password in the users file"
			  : "enable refused: wrong password");
	return 0;
}

static void reg(struct cli_def *cli, struct cli_command *parent, const char *name,
		int (*fn)(struct cli_def *, const char *, char **, int), int priv, int mode,
		const char *help)
{
	cli_register_command(cli, parent, name, fn, priv, mode, help);
}

static void register_commands(struct cli_def *cli)
{
	struct cli_command *c;
	c = cli_register_command(cli, NULL, "show", NULL, PRIV_U, MODE_EXEC, "Show information");
	reg(cli, c, "session", cmd_fwd, PRIV_U, MODE_EXEC, "Sessions: summary, or details of SID ...");
	reg(cli, c, "users", cmd_fwd, PRIV_U, MODE_EXEC, "User names, or session details of USER ...");
	reg(cli, c, "tunnels", cmd_fwd, PRIV_U, MODE_EXEC, "Tunnels: summary [all], or details of TID ...");
	reg(cli, c, "pool", cmd_fwd, PRIV_U, MODE_EXEC, "The IP address pool [all]");
	reg(cli, c, "counters", cmd_fwd, PRIV_U, MODE_EXEC, "Counters");
	reg(cli, c, "version", cmd_fwd, PRIV_U, MODE_EXEC, "Version");
	reg(cli, c, "running-config", cmd_fwd, PRIV_P, MODE_EXEC, "The running configuration");
	reg(cli, c, "radius", cmd_fwd, PRIV_U, MODE_EXEC, "RADIUS state");
	reg(cli, c, "cluster", cmd_fwd, PRIV_U, MODE_EXEC, "Cluster state");
	reg(cli, c, "plugins", cmd_fwd, PRIV_U, MODE_EXEC, "Loaded plugins");
	reg(cli, c, "throttle", cmd_fwd, PRIV_U, MODE_EXEC, "Throttled sessions");
	reg(cli, c, "tbf", cmd_fwd, PRIV_U, MODE_EXEC, "Token bucket filters (throttling)");
	reg(cli, c, "ipcache", cmd_fwd, PRIV_U, MODE_EXEC, "Address to session cache");
	struct cli_command *hist = cli_register_command(cli, c, "histogram", NULL, PRIV_U, MODE_EXEC,
						       "Histograms of the sessions");
	reg(cli, hist, "idle", cmd_fwd, PRIV_U, MODE_EXEC, "Idle time, 5 s buckets");
	reg(cli, hist, "open", cmd_fwd, PRIV_U, MODE_EXEC, "Time open, powers of two");
	reg(cli, c, "access-list", cmd_fwd, PRIV_U, MODE_EXEC, "Access lists [NAME ...]");
	reg(cli, c, "bgp", cmd_fwd, PRIV_U, MODE_EXEC, "BGP state");
	reg(cli, NULL, "uptime", cmd_fwd, PRIV_U, MODE_EXEC, "Uptime, users, load and bandwidth");
	c = cli_register_command(cli, NULL, "write", NULL, PRIV_U, MODE_EXEC, "Write the configuration");
	reg(cli, c, "memory", cmd_fwd, PRIV_P, MODE_EXEC, "To the startup-config file");
	reg(cli, c, "terminal", cmd_fwd, PRIV_U, MODE_EXEC, "To this terminal");
	c = cli_register_command(cli, NULL, "clear", NULL, PRIV_P, MODE_EXEC, "Clear");
	reg(cli, c, "counters", cmd_fwd, PRIV_P, MODE_EXEC, "Reset the counters");
	c = cli_register_command(cli, NULL, "drop", NULL, PRIV_P, MODE_EXEC, "Disconnect");
	reg(cli, c, "user", cmd_fwd, PRIV_P, MODE_EXEC, "Every session of USER ...");
	reg(cli, c, "session", cmd_fwd, PRIV_P, MODE_EXEC, "Session SID ... (CDN)");
	reg(cli, c, "tunnel", cmd_fwd, PRIV_P, MODE_EXEC, "Tunnel TID ... (StopCCN)");
	reg(cli, NULL, "reload", cmd_fwd, PRIV_P, MODE_EXEC, "Re-read the startup-config (SIGHUP)");
	reg(cli, NULL, "shutdown", cmd_fwd, PRIV_P, MODE_EXEC, "Close every session and exit (SIGQUIT)");
	reg(cli, NULL, "snoop", cmd_fwd, PRIV_P, MODE_EXEC, "Intercept USER IP PORT (recorded; not active yet)");
	reg(cli, NULL, "throttle", cmd_fwd, PRIV_P, MODE_EXEC, "Throttle USER [RATE|in RATE|out RATE|in RATE out RATE] (recorded; not active yet)");
	reg(cli, NULL, "filter", cmd_fwd, PRIV_P, MODE_EXEC, "Filter USER in|out ACL [in|out ACL] (recorded; not active yet)");
	reg(cli, NULL, "debug", cmd_debug, PRIV_U, MODE_EXEC, "Follow the log: all|critical|error|warning|info|calls|data");
	c = cli_register_command(cli, NULL, "suspend", NULL, PRIV_P, MODE_EXEC, "Suspend");
	reg(cli, c, "bgp", cmd_fwd, PRIV_P, MODE_EXEC, "BGP (not active yet)");
	c = cli_register_command(cli, NULL, "restart", NULL, PRIV_P, MODE_EXEC, "Restart");
	reg(cli, c, "bgp", cmd_fwd, PRIV_P, MODE_EXEC, "BGP (not active yet)");
	c = cli_register_command(cli, NULL, "no", NULL, PRIV_U, MODE_EXEC, "Negate");
	reg(cli, c, "debug", cmd_no_debug, PRIV_U, MODE_EXEC, "Stop following the log");
	reg(cli, c, "snoop", cmd_fwd, PRIV_P, MODE_EXEC, "Stop intercepting (not active yet)");
	reg(cli, c, "throttle", cmd_fwd, PRIV_P, MODE_EXEC, "Unthrottle (not active yet)");
	reg(cli, c, "filter", cmd_fwd, PRIV_P, MODE_EXEC, "Unfilter (not active yet)");
	struct cli_command *ns = cli_register_command(cli, c, "suspend", NULL, PRIV_P, MODE_EXEC, "Resume");
	reg(cli, ns, "bgp", cmd_fwd, PRIV_P, MODE_EXEC, "BGP (not active yet)");

	/* configure terminal (libcli built-in) */
	reg(cli, NULL, "set", cmd_fwd, PRIV_P, MODE_CONFIG, "set VARIABLE VALUE");
	c = cli_register_command(cli, NULL, "load", NULL, PRIV_P, MODE_CONFIG, "Load");
	reg(cli, c, "plugin", cmd_fwd, PRIV_P, MODE_CONFIG, "Load plugin NAME (plugin_dir/NAME.so)");
	c = cli_register_command(cli, NULL, "remove", NULL, PRIV_P, MODE_CONFIG, "Remove");
	reg(cli, c, "plugin", cmd_fwd, PRIV_P, MODE_CONFIG, "Unload plugin NAME");
	c = cli_register_command(cli, NULL, "router", NULL, PRIV_P, MODE_CONFIG, "Routing");
	reg(cli, c, "bgp", cmd_router_bgp, PRIV_P, MODE_CONFIG, "BGP AS (not active yet)");
	c = cli_register_command(cli, NULL, "ip", NULL, PRIV_P, MODE_CONFIG, "IP");
	reg(cli, c, "access-list", cmd_ip_acl, PRIV_P, MODE_CONFIG, "standard|extended NAME");
	c = cli_register_command(cli, NULL, "no", NULL, PRIV_P, MODE_CONFIG, "Negate");
	struct cli_command *ip = cli_register_command(cli, c, "ip", NULL, PRIV_P, MODE_CONFIG, "IP");
	reg(cli, ip, "access-list", cmd_fwd, PRIV_P, MODE_CONFIG, "Remove an access list");
	reg(cli, NULL, "neighbour", cmd_fwd, PRIV_P, CLI_MODE_CONFIG_BGP, "PEER remote-as AS | PEER timers K H");
	reg(cli, NULL, "neighbor", cmd_fwd, PRIV_P, CLI_MODE_CONFIG_BGP, "PEER remote-as AS | PEER timers K H");
	c = cli_register_command(cli, NULL, "no", NULL, PRIV_P, CLI_MODE_CONFIG_BGP, "Negate");
	reg(cli, c, "neighbour", cmd_fwd, PRIV_P, CLI_MODE_CONFIG_BGP, "Remove PEER");
	reg(cli, c, "neighbor", cmd_fwd, PRIV_P, CLI_MODE_CONFIG_BGP, "Remove PEER");
	reg(cli, NULL, "permit", cmd_fwd, PRIV_P, CLI_MODE_CONFIG_NACL, "Permit rule");
	reg(cli, NULL, "deny", cmd_fwd, PRIV_P, CLI_MODE_CONFIG_NACL, "Deny rule");
}

static void close_others(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	if (lo > 3)
		close_range(3, (unsigned)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, ~0u, 0);
}

/* argv of the child: CLI_CHILD_ARG PPID LOCAL PEER USERS_PATH; the TCP
 * connection on fd 3, the socketpair to the daemon on fd 4. */
#define CHILD_SOCK 3
#define CHILD_SP 4

static __attribute__((noreturn)) void cli_child_main(int sock, int sp, bool local,
						      const char *peer, const char *users_path)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGPIPE, SIG_IGN);
	cli_proc_background();
	close_others(sock, sp);
	CH.sock = sock;
	CH.sp = sp;
	CH.local = local;
	snprintf(CH.peer, sizeof CH.peer, "%s", peer);
	static struct config_errors errs;
	config_errors_init(&errs);
	CH.have_uf = userfile_load(users_path, &CH.uf, &errs) == 0;
	if (!local && (!CH.have_uf || !userfile_has_logins(&CH.uf))) {
		note("refused: %s defines no CLI login, only local connections are accepted",
		     users_path);
		static const char msg[] = "Access denied: no CLI users are configured; "
					  "only connections from the local host are accepted\r\n";
		if (write(sock, msg, sizeof msg - 1) < 0)
			_exit(1);
		_exit(0);
	}
	struct cli_def *cli = cli_init();
	if (!cli)
		_exit(1);
	cli_set_hostname(cli, "l2tpns");
	cli_set_banner(cli, "l2tpns " LNS_VERSION);
	if (!local)
		cli_set_auth_callback(cli, auth_cb);
	bool has_enable = CH.have_uf && userfile_check_enable(&CH.uf, "") != -ENOENT;
	if (!local || has_enable)
		cli_set_enable_callback(cli, enable_cb);
	register_commands(cli);
	cli_regular(cli, regular);
	cli_regular_interval(cli, 1);
	cli_loop(cli, sock);	/* closes sock */
	cli_done(cli);
	_exit(0);
}

int lns_cli_child_exec(int argc, char **argv)
{
	if (argc != 6)
		return 2;
	/* the daemon may have gone between spawn and here */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != (pid_t)strtol(argv[2], NULL, 10))
		return 1;
	cli_child_main(CHILD_SOCK, CHILD_SP, argv[3][0] == '1', argv[4], argv[5]);
}

/* ---- the parent: listener ---------------------------------------------- */

static int conn_rx(void *ctx, int fd, uint32_t events, int budget)
{
	struct cli_conn *c = ctx;
	char req[CLI_REQ_MAX + 1];
	(void)budget;
	if (events & EPOLLOUT)
		cli_srv_conn_writable(c);
	if (c->fd != fd || !(events & ~(uint32_t)EPOLLOUT))
		return 0;
	ssize_t r = recv(fd, req, CLI_REQ_MAX, MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r <= 0) {
		cli_srv_conn_close(c);
		return 0;
	}
	req[r] = 0;
	if (!strncmp(req, "0\n0\nnote\n", 9) || !strncmp(req, "15\n0\nnote\n", 10)) {
		LNS_LOG(c->l, LOG_INFO, "cli %s: %s", c->peer, strstr(req, "note\n") + 5);
		cli_srv_note_done(c);
		return 0;
	}
	cli_srv_request(c->l, c, req, (size_t)r);
	return 0;
}

static bool addr_local(const struct sockaddr_storage *ss)
{
	return control_addr_is_local((const struct sockaddr *)ss, sizeof *ss);
}

/*
 * The connection's process: the daemon's own binary started afresh (the
 * CLI_CHILD_ARG entry of main), never a fork. A fork would write-protect
 * every page of the daemon's tables, and each page it then writes costs a
 * page fault (about 20 us each on a virtualised host; at 100,000 sessions
 * that stopped forwarding for seconds). posix_spawn shares the address space
 * until the exec: nothing is copied or write-protected.
 */
static int spawn_fds(struct lns *l, int sock, int sp, bool local, const char *peer, pid_t *pid);
static int spawn_child(struct lns *l, int sock, int sp, bool local, const char *peer, pid_t *pid)
{
	/* the targets 3 and 4 must not be one of the sources */
	int hs = sock > CHILD_SP ? sock : fcntl(sock, F_DUPFD_CLOEXEC, CHILD_SP + 1);
	int hp = sp > CHILD_SP ? sp : fcntl(sp, F_DUPFD_CLOEXEC, CHILD_SP + 1);
	int r = hs < 0 || hp < 0 ? -errno : spawn_fds(l, hs, hp, local, peer, pid);
	if (hs >= 0 && hs != sock)
		close(hs);
	if (hp >= 0 && hp != sp)
		close(hp);
	return r;
}

static int spawn_fds(struct lns *l, int sock, int sp, bool local, const char *peer, pid_t *pid)
{
	char ppid[24], users[sizeof l->cli->users_path], peer_s[64];
	snprintf(ppid, sizeof ppid, "%d", (int)getpid());
	snprintf(users, sizeof users, "%s", l->cli->users_path);
	snprintf(peer_s, sizeof peer_s, "%s", peer);
	char arg0[] = "l2tpns-cli", arg1[] = CLI_CHILD_ARG, loc[] = {local ? '1' : '0', 0};
	char *argv[] = {arg0, arg1, ppid, loc, peer_s, users, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	int r = posix_spawn_file_actions_init(&fa);
	if (r)
		return -r;
	if ((r = posix_spawnattr_init(&at))) {
		posix_spawn_file_actions_destroy(&fa);
		return -r;
	}
	/* dup2 clears close-on-exec on the targets; the child closes the rest */
	if (!(r = posix_spawn_file_actions_adddup2(&fa, sock, CHILD_SOCK)) &&
	    !(r = posix_spawn_file_actions_adddup2(&fa, sp, CHILD_SP))) {
		sigemptyset(&none);
		sigemptyset(&def);
		sigaddset(&def, SIGPIPE);
		sigaddset(&def, SIGTERM);
		sigaddset(&def, SIGCHLD);
		posix_spawnattr_setsigmask(&at, &none);
		posix_spawnattr_setsigdefault(&at, &def);
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
		r = posix_spawn(pid, "/proc/self/exe", &fa, &at, argv, environ);
	}
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -r;
}

static int accept_one(struct lns *l, int lfd)
{
	struct cli_srv *s = l->cli;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
	if (fd < 0)
		return -errno;
	char peer[64] = "?";
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, peer, sizeof peer);
	struct cli_conn *c = NULL;
	for (int i = 0; i < CLI_MAX_CHILDREN && !c; i++)
		if (s->conn[i].fd < 0 && !s->conn[i].pid)
			c = &s->conn[i];
	int sp[2];
	if (!c || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
		static const char msg[] = "Too many CLI connections\r\n";
		LNS_LOG(l, LOG_WARN, "cli %s: refused, %s", peer, c ? strerror(errno) : "too many connections");
		if (send(fd, msg, sizeof msg - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			errno = 0;
		close(fd);
		return 0;
	}
	bool local = addr_local(&ss);
	pid_t p;
	int sr = spawn_child(l, fd, sp[1], local, peer, &p);
	close(fd);
	close(sp[1]);
	if (sr < 0) {
		LNS_LOG(l, LOG_ERR, "cli %s: cannot start the CLI process: %s", peer, strerror(-sr));
		close(sp[0]);
		return 0;
	}
	memset(c, 0, sizeof *c);
	c->l = l;
	c->fd = sp[0];
	c->pid = p;
	c->local = local;
	snprintf(c->peer, sizeof c->peer, "%s", peer);
	config_exec_init(&c->x, l->cfg, NULL);
	int r = io_loop_add(&l->loop, c->fd, EPOLLIN, IO_CONTROL, 0, conn_rx, c);
	if (r < 0) {
		close(c->fd);
		c->fd = -1;
		kill(p, SIGTERM);
		return r;
	}
	LNS_LOG(l, LOG_INFO, "cli %s: connection (%s), pid %d", peer, local ? "local, no login" : "login required",
		(int)p);
	return 0;
}

static int listen_rx(void *ctx, int fd, uint32_t events, int budget)
{
	(void)events;
	(void)budget;
	for (int i = 0; i < 8; i++) {
		int r = accept_one(ctx, fd);
		if (r == -EAGAIN || r == -EWOULDBLOCK)
			return 0;
		if (r < 0)
			return r;
	}
	return 0;
}

int lns_cli_open(struct lns *l)
{
	struct cli_srv *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	for (int i = 0; i < CLI_MAX_CHILDREN; i++)
		s->conn[i].fd = -1;
	s->counters_reset = (uint64_t)time(NULL);
	/* As ip_pool: the users file beside the startup-config in use. */
	const char *slash = strrchr(l->cfg_path, '/');
	if (slash)
		snprintf(s->users_path, sizeof s->users_path, "%.*s/users",
			 (int)(slash - l->cfg_path), l->cfg_path);
	else
		snprintf(s->users_path, sizeof s->users_path, "users");
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		free(s);
		return -errno;
	}
	int one = 1, r;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(l->cfg->cli_port),
				 .sin_addr.s_addr = htonl(l->cfg->cli_bind_address)};
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		free(s);
		return r;
	}
	s->lfd = fd;
	l->cli = s;
	if ((r = io_loop_add(&l->loop, fd, EPOLLIN, IO_CONTROL, 0, listen_rx, l)) < 0) {
		l->cli = NULL;
		close(fd);
		free(s);
		return r;
	}
	timer_init(&s->bw_timer, cli_srv_bw_tick, l);
	timer_init(&s->slice_timer, cli_srv_slice_tick, l);
	io_loop_timer_after(&l->loop, &s->bw_timer, 1000);
	struct userfile uf = {0};
	static struct config_errors errs;
	config_errors_init(&errs);
	bool ok = userfile_load(s->users_path, &uf, &errs) == 0 && userfile_has_logins(&uf);
	userfile_free(&uf);
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, a, sizeof a);
	LNS_LOG(l, LOG_INFO, "cli listening on %s:%u", a, l->cfg->cli_port);
	if (!ok)
		LNS_LOG(l, LOG_WARN, "cli: %s is missing or defines no login: "
			"only connections from the local host are accepted", s->users_path);
	return 0;
}
