/*
 * Operator access: the nsctl UDP endpoint (nsctl_srv.c) and the telnet CLI
 * (cli*.c), both registered on the daemon's event loop.
 *
 * CLI process model (as the original: one fork per connection, so a slow
 * client never stalls the data plane):
 *
 *   parent (daemon)                       CLI child (libcli on the TCP socket)
 *   listen fd  --accept+fork----------->  login against the users file
 *   socketpair end (SEQPACKET) <--req---  every command, as words
 *              ---reply chunks-------->   printed by the child
 *
 * The child never reads the tables itself: its copy-on-write image would be
 * as old as the login. Each request goes to the parent, which
 *   - runs state-changing commands (drop, clear counters, configure, reload,
 *     shutdown) itself, O(1) or O(sessions of one user/tunnel);
 *   - for read-only commands (show ..., uptime, write memory/terminal) forks
 *     a short-lived worker: the worker holds a fresh snapshot, formats the
 *     output (as slowly as it needs) and writes it to the same socketpair
 *     end, then _exit()s. So `show session` after `drop session` is current
 *     and the parent does no O(table) work.
 *   - `debug` polls: while debugging, the child asks the parent every second
 *     for the log ring entries after the last sequence number it saw (the
 *     ring keeps 1024 lines; a gap is reported as "(N lines missed)").
 *
 * Request datagram: "PRIV\nMODE\nWORD\nWORD..." (PRIV 0 or 15, MODE the
 * libcli mode). Reply datagrams: 'o' + text (output), 'e' + text (error),
 * and last 'x' + "0" (ok) or "1" (failed) [+ " NEXT MISSED MORE" for a log
 * poll "log SEQ|now"]. The child's own log lines travel as "note TEXT".
 *
 * Reaping: lns_cli_reap() calls waitpid(-1, WNOHANG) until nothing is
 * left, so it also reaps any other child of the daemon (there is none yet).
 */
#ifndef L2TPNS_CORE_CLI_H
#define L2TPNS_CORE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lns;
struct config_buf;

#define CLI_MAX_CHILDREN 16	/* concurrent connections; more are refused */
#define CLI_REQ_MAX 4096
#define CLI_CHUNK 16384		/* reply datagram payload */

/* libcli modes beyond MODE_EXEC/MODE_CONFIG (values as the original). */
#define CLI_MODE_CONFIG_BGP 8
#define CLI_MODE_CONFIG_NACL 9

/* nsctl_srv.c: UDP nsctl_port on all addresses. 0 or -errno. */
int lns_nsctl_open(struct lns *l);
/* After a configuration change: nsctl_secret may have changed. */
void lns_nsctl_reconfig(struct lns *l);

/* cli.c: TCP cli_port on cli_bind_address. 0 or -errno. */
int lns_cli_open(struct lns *l);
/* SIGCHLD: reap every exited child (CLI connections and workers). */
void lns_cli_reap(struct lns *l);

/* cli_srv.c (parent side): one request from a child. */
struct cli_conn;
void cli_srv_request(struct lns *l, struct cli_conn *c, char *req, size_t len);
int cli_srv_conn_fd(const struct cli_conn *c);

/* cli_show.c: read-only commands, formatted into b (run in a worker).
 * words[0..n) is the command (e.g. "show" "session" "3"); priv 0 or 15.
 * Returns 0, or -EINVAL when the command failed (text in b is the error). */
int cli_show(struct lns *l, bool priv, char **words, int n, struct config_buf *b);
/* cli_fmt.c: formatting helpers (pure, unit-tested). Return snprintf's. */
const char *cli_tunnel_state_name(int state);
int cli_fmt_duration(uint64_t secs, char *buf, size_t len);
struct cli_sess_row {
	unsigned sid, tid;
	const char *user;	/* "" or NULL: "*" */
	const char *ip;		/* dotted quad or "" */
	bool ipv6;		/* IPV6CP opened: the "6" column */
	uint64_t opened, down, up, idle;	/* seconds, bytes to / from the user */
	const char *lac;	/* the tunnel peer's address */
	const char *cli;	/* calling number; "" or NULL: "*" */
};
int cli_fmt_session_header(char *buf, size_t len);
int cli_fmt_session_row(char *buf, size_t len, const struct cli_sess_row *r);

#endif
