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
	struct cli_conn conn[CLI_MAX_CHILDREN];
	/* bandwidth for `uptime`, sampled once a second */
	struct io_timer bw_timer;
	uint64_t last_cin, last_cout, last_pin, last_pout;
	struct cli_rates rates;
};

uint64_t cli_srv_counters_reset(const struct cli_srv *s);
void cli_srv_rates(const struct lns *l, struct cli_rates *out);
void cli_srv_bw_tick(void *ctx, struct io_timer *t, uint64_t now);
void cli_srv_conn_close(struct cli_conn *c);
/* cli.c: the child's side; never returns. */
__attribute__((noreturn)) void cli_child_main(struct lns *l, int sock, int sp, bool local,
					       const char *peer);

#endif
