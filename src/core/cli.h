/*
 * Operator access: the nsctl UDP endpoint (nsctl_srv.c) and the telnet CLI
 * (cli*.c), both registered on the daemon's event loop.
 *
 * CLI process model: one process per connection (as the original), so a
 * slow telnet client never stalls the data plane; but no fork of the daemon
 * anywhere. A fork write-protects every page of the daemon (its session
 * table: 200 MB at 100,000 sessions), and each page the daemon writes
 * afterwards costs a page fault, about 20 us on a virtualised host: the
 * timer heap alone, which writes slot numbers into timers all over the
 * table, stopped forwarding for seconds after every fork.
 *
 *   parent (daemon)                       CLI child (libcli on the TCP socket)
 *   listen fd  --accept+posix_spawn--->   the daemon's binary, CLI_CHILD_ARG:
 *                                         login against the users file
 *   socketpair end (SEQPACKET) <--req---  every command, as words
 *              ---reply chunks-------->   printed by the child
 *
 * The child holds no tables. Each request goes to the parent, which runs it
 * in its loop without ever blocking:
 *   - state-changing commands (drop, clear counters, configure, reload,
 *     shutdown) at once, O(1) or O(sessions of one user/tunnel);
 *   - read-only commands (show ..., uptime, write memory/terminal) that
 *     read a bounded amount at once; whole-table listings (show session,
 *     users, tunnels, pool, ipcache, histogram) in slices of a few hundred
 *     table slots, paced so that all listings together take at most a few
 *     per cent of the daemon's time (cli_srv.c);
 *   - every reply goes through a per-connection queue sent as the child
 *     reads it (EPOLLOUT); a listing for a child that stops reading pauses
 *     until its queue drains, so a stalled client costs its queued bytes.
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
 * A listing reads the tables live: sessions that come or go while it runs
 * are listed or not; each row is consistent (the daemon is one thread).
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

/* The connection's process is the daemon's binary started with this first
 * argument (cli.c); main() hands such a start to lns_cli_child_exec(). */
#define CLI_CHILD_ARG "--cli-child"
int lns_cli_child_exec(int argc, char **argv);

/* cli.c: TCP cli_port on cli_bind_address. 0 or -errno. */
int lns_cli_open(struct lns *l);
/* SIGCHLD: reap every exited child (CLI connections). */
void lns_cli_reap(struct lns *l);

/* cli_srv.c (parent side): one request from a child. */
struct cli_conn;
void cli_srv_request(struct lns *l, struct cli_conn *c, char *req, size_t len);
int cli_srv_conn_fd(const struct cli_conn *c);

/* cli_show.c: read-only commands, formatted into b (whole tables in one go:
 * the daemon's loop uses cli_list_step instead, core/cli_int.h).
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
