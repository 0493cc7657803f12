/* Internals shared by cli.c (listener, child), cli_srv.c (parent side of
 * requests) and cli_show.c (formatting). See core/cli.h. */
#ifndef L2TPNS_CORE_CLI_INT_H
#define L2TPNS_CORE_CLI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/config.h"
#include "io/timer.h"

struct lns;

/* A whole-table listing (show session, users, tunnels, pool, ipcache,
 * histogram) produced in slices by the daemon's loop (cli_show.c). */
enum cli_list_kind {
	CLI_LIST_NONE,
	CLI_LIST_SESSION,
	CLI_LIST_USERS,
	CLI_LIST_TUNNELS,
	CLI_LIST_POOL,
	CLI_LIST_IPCACHE,
	CLI_LIST_HIST_IDLE,
	CLI_LIST_HIST_OPEN,
};

struct cli_list {
	int kind;
	bool all;		/* "all": free slots too */
	bool started;		/* header written */
	uint32_t next;		/* next table slot */
	time_t now;		/* this slice's clocks */
	uint64_t ms;
	uint32_t n1, n2;	/* per kind: rows counted (used / free) */
	unsigned hist[25];
};

/* If words are a whole-table listing, set j up for it and return true. */
bool cli_list_start(struct lns *l, char **w, int n, struct cli_list *j);
/* Format up to budget table slots into b; true while more remains. */
bool cli_list_step(struct lns *l, struct cli_list *j, struct config_buf *b, unsigned budget);

struct cli_conn {
	struct lns *l;
	int fd;			/* parent's end of the socketpair; -1 free */
	pid_t pid;
	bool local;
	char peer[64];
	struct config_exec x;	/* config-mode state (router bgp / ip access-list blocks) */
	/* replies not yet taken by the child: records of type, 2-byte length,
	 * text; sent as the socketpair takes them (EPOLLOUT) */
	struct config_buf out;
	size_t out_off;
	bool out_wait;		/* EPOLLOUT armed */
	bool listing;		/* list below is running */
	struct cli_list list;
	/* a request that arrived while this connection's reply was running */
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
	/* listings: slices, their cost, and readers that made them wait */
	uint64_t listings, slices, slice_ns_total, slice_ns_max, reader_waits;
	uint64_t next_slice_ns;	/* monotonic: no slice before this (pacing) */
	struct io_timer slice_timer;
	unsigned slice_rr;	/* round robin over connections with a listing */
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
void cli_srv_slice_tick(void *ctx, struct io_timer *t, uint64_t now);
void cli_srv_conn_close(struct cli_conn *c);
/* The socketpair takes data again (EPOLLOUT). */
void cli_srv_conn_writable(struct cli_conn *c);
/* Answer a child's "note" (its log line has been logged). */
void cli_srv_note_done(struct cli_conn *c);
/* In a CLI child: lowest priority, off the daemon's CPUs. */
void cli_proc_background(void);

#endif
