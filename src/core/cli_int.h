/* Internals shared by cli.c (listener, child), cli_srv.c (parent side of
 * requests) and cli_show.c (formatting). See core/cli.h. */
#ifndef L2TPNS_CORE_CLI_INT_H
#define L2TPNS_CORE_CLI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/config.h"
#include "io/timer.h"

struct lns;

struct cli_conn {
	struct lns *l;
	int fd;			/* parent's end of the socketpair; -1 free */
	pid_t pid;
	bool local;
	char peer[64];
	struct config_exec x;	/* config-mode state (router bgp / ip access-list blocks) */
	/* a read-only request waiting for its worker's turn (fork pacing) */
	bool pending;
	size_t pend_len;
	char pend[CLI_REQ_MAX + 1];
};

/*
 * What an operator asked for a session with snoop / throttle / filter. The
 * features land later (reference §10.1, §10.2, §10.4): until then the
 * request is recorded here, shown by `show session N`, `show throttle` and
 * `show tbf`, and each command says that nothing is enforced yet. An entry
 * belongs to a session while sid and unique_id both match; a new session
 * in the slot does not inherit it.
 */
#define CLI_HOLD_MAX 256
#define CLI_ACL_NAME 32
struct cli_hold {
	uint32_t sid, unique_id;	/* sid 0: free */
	uint32_t snoop_ip;		/* host order; 0 none */
	uint16_t snoop_port;
	bool throttled;
	uint32_t thr_in, thr_out;	/* kbit/s */
	char filter_in[CLI_ACL_NAME], filter_out[CLI_ACL_NAME];
};

struct cli_rates {
	double udp_eth_mbit, eth_udp_mbit;	/* last second */
	double udp_eth_max, eth_udp_max;	/* highest second seen */
	unsigned in_pps, out_pps;
};

struct cli_srv {
	int lfd;
	char users_path[CONFIG_STR_PATH + 16];
	uint64_t counters_reset;	/* unix seconds */
	uint64_t workers, fork_ns_total, fork_ns_max;	/* read-only commands run */
	uint64_t workers_delayed;	/* requests that waited for fork pacing */
	uint64_t next_fork_ns;	/* monotonic: no worker fork before this */
	struct io_timer fork_timer;
	unsigned fork_rr;	/* round robin over connections with a pending request */
	struct cli_conn conn[CLI_MAX_CHILDREN];
	/* bandwidth for `uptime`, sampled once a second */
	struct io_timer bw_timer;
	uint64_t last_cin, last_cout, last_pin, last_pout;
	struct cli_rates rates;
	struct cli_hold hold[CLI_HOLD_MAX];
};

struct session;
/* The operator's requests for session s, or NULL. */
const struct cli_hold *cli_hold_of(const struct cli_srv *srv, const struct session *s);

uint64_t cli_srv_counters_reset(const struct cli_srv *s);
void cli_srv_rates(const struct lns *l, struct cli_rates *out);
void cli_srv_bw_tick(void *ctx, struct io_timer *t, uint64_t now);
void cli_srv_fork_tick(void *ctx, struct io_timer *t, uint64_t now);
void cli_srv_conn_close(struct cli_conn *c);
/* In a forked CLI child or worker: lowest priority, off the daemon's CPUs. */
void cli_proc_background(void);
/* cli.c: the child's side; never returns. */
__attribute__((noreturn)) void cli_child_main(struct lns *l, int sock, int sp, bool local,
					       const char *peer);

#endif
