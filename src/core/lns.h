/*
 * The daemon core: tunnel and session tables, and the glue that runs the
 * pure L2TP and PPP state machines, assigns addresses, authenticates against
 * the local users file and moves subscriber packets between the L2TP socket
 * and the TUN device.
 *
 * State a cluster must replicate (struct session_rec, struct tunnel_rec) is
 * plain data without pointers, changed only through the functions of this
 * header; per-node state (FSM timers, retransmit queues) sits beside it.
 */
#ifndef L2TPNS_CORE_LNS_H
#define L2TPNS_CORE_LNS_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/iphash.h"
#include "core/log.h"
#include "core/pool.h"
#include "core/poolfile.h"
#include "core/userfile.h"
#include "fsm/l2tp_session.h"
#include "fsm/l2tp_tunnel.h"
#include "fsm/ppp_link.h"
#include "io/loop.h"
#include "io/nl.h"
#include "io/pkt.h"
#include "io/sig.h"
#include "io/tun.h"
#include "io/udp.h"

#define LNS_VERSION "3.0.0"
#define LNS_USER_MAX 128
#define LNS_NUMBER_MAX 64
#define LNS_HOST_MAX 64
#define LNS_MAX_ROUTES 10	/* Framed-Route per session (the original's MAXROUTE) */
#define LNS_CLASS_MAX 128	/* Class kept for accounting (the original's limit) */
#define LNS_FILTER_MAX 32

enum sess_state {
	SESS_FREE = 0,
	SESS_CALL,	/* L2TP call being set up (ICRQ .. ICCN) */
	SESS_PPP,	/* LCP / authentication / IPCP */
	SESS_UP,	/* IPCP opened: forwarding */
	SESS_CLOSING,	/* CDN sent or received; lingering for retransmissions */
};

/* Replicated part of a session: plain data. */
struct session_rec {
	uint32_t id;		/* index in the table: the CLI's SID */
	uint32_t tunnel;	/* tunnel index */
	uint16_t tid, sid;	/* our Tunnel and Session IDs (wire) */
	uint16_t peer_sid;
	uint8_t state;		/* enum sess_state */
	uint8_t ppp_phase;
	bool ipv4_up;
	bool ipv6_up;
	uint8_t ifid[8];	/* peer's IPV6CP Interface-Identifier */
	uint32_t ip;		/* host order; 0 none */
	int32_t pool_idx;	/* -1: not from the pool */
	bool ip_routed;		/* a /32 route was installed for it */
	uint32_t unique_id;
	uint32_t dns[2];
	uint16_t mru;
	uint64_t opened;	/* unix seconds */
	uint64_t closed;	/* unix seconds it left service (0: in service) */
	uint64_t last_rx_ms, last_data_ms;
	uint64_t cin, cout;	/* bytes from / to the user */
	uint64_t pin, pout;	/* packets */
	uint32_t tx_speed, rx_speed;
	/* RADIUS policy (Access-Accept / CoA) */
	uint32_t session_timeout;	/* seconds from session start; 0 none */
	uint32_t idle_timeout;		/* seconds without data; 0 none */
	uint32_t interim;		/* Interim-Update interval, seconds; 0 none */
	uint8_t nroutes;
	struct { uint32_t net; uint8_t plen; } route[LNS_MAX_ROUTES]; /* Framed-Route */
	uint8_t class_len;
	uint8_t class_[LNS_CLASS_MAX];	/* Class, echoed in accounting */
	char filter_in[LNS_FILTER_MAX], filter_out[LNS_FILTER_MAX]; /* Filter-Id */
	bool radius_auth;		/* authenticated by RADIUS */
	bool acct_started;		/* a Start was sent: a Stop is owed */
	uint32_t acct_ip;		/* Framed-IP-Address reported (kept for the Stop) */
	uint8_t term_cause;		/* Acct-Terminate-Cause (RFC 2866 §5.10), first reason */
	char user[LNS_USER_MAX];
	char calling[LNS_NUMBER_MAX];
	char called[LNS_NUMBER_MAX];
};

struct session {
	struct session_rec r;
	uint32_t tnext, tprev;	/* sessions of the same tunnel (0 ends) */
	uint32_t fnext;		/* free list */
	uint32_t unext;		/* same user-name bucket */
	struct l2tp_session l2s;
	struct ppp_link ppp;
	struct io_timer ppp_timer;
	struct io_timer l2_timer;
	struct io_timer pol_timer;	/* Session-/Idle-Timeout, interim accounting */
	uint64_t up_ms;			/* monotonic ms the session came up */
	uint64_t next_interim_ms;
	uint32_t rad_req;		/* pending Access-Request (radius.h), 0 none */
	/* A PPP frame that overtook the ICCN (it can: the ICCN may wait in the
	 * reliable-delivery queue): replayed when the call connects, so the
	 * client's first Configure-Request is not lost to its restart timer. */
	struct pkt *early;
	struct lns *lns;
	bool plugin_killed;	/* KILL_SESSION hooks ran (once per session) */
};

enum tun_state { TUN_FREE = 0, TUN_OPENING, TUN_OPEN, TUN_CLOSING };

struct tunnel_rec {
	uint32_t id;		/* index: the CLI's TID column shows our Tunnel ID */
	uint16_t tid, peer_tid;
	uint8_t state;		/* enum tun_state */
	uint32_t nsess;
	uint64_t opened;
	char hostname[LNS_HOST_MAX];
	char vendor[LNS_HOST_MAX];
};

struct tunnel {
	struct tunnel_rec r;
	struct l2tp_tunnel fsm;
	void *relmem;
	size_t relmem_size;	/* kept across reuse; regrown if the config asks for more */
	struct io_addr peer;	/* the LAC's address and port */
	struct io_addr local;	/* our address it talks to */
	uint32_t shead;		/* first session (0 = none) */
	uint32_t fnext;
	struct io_timer timer;
	struct lns *lns;
};

struct lns_counters {
	uint64_t udp_rx, udp_rx_bad_hdr, udp_rx_ctrl, udp_rx_data;
	uint64_t data_no_session, data_refused, data_spoofed, data_not_up, data_bad_ppp;
	uint64_t tun_rx, tun_rx_no_session, tun_rx_not_ipv4, tun_tx, mss_clamped;
	uint64_t ctrl_unknown_tunnel, ctrl_decode_err, ctrl_peer_mismatch;
	uint64_t tunnel_created, tunnel_freed, session_created, session_freed;
	uint64_t session_refused, auth_ok, auth_fail, ip_exhausted, out_of_pkts;
};

struct lns {
	struct config *cfg;
	char cfg_path[CONFIG_STR_PATH];
	struct logger log;
	struct io_log iolog;
	struct io_loop loop;
	struct pkt_pool pkts;
	struct io_nl nl;
	struct io_sig sig;
	struct io_udp udp;
	int udp_fd;
	struct io_tun tun;
	int tun_fd, tun_ifindex;
	char tun_name[IF_NAMESIZE];
	bool no_tun;		/* -T: control plane only (tests without privileges) */
	int verbose;		/* -v count, added to `set debug` (not saved by write memory) */
	char host_override[LNS_HOST_MAX]; /* -h NAME */
	char hostname[LNS_HOST_MAX];	  /* -h, else `set hostname`, else the system's */
	int rnd_fd;
	uint8_t rnd[4096];
	size_t rnd_off;

	/* derived per-call FSM configuration */
	struct l2tp_tunnel_conf tconf;
	struct l2tp_session_conf sconf;
	struct ppp_conf pconf;
	uint16_t mss;

	/* tables */
	struct tunnel *tunnels;
	uint32_t max_tunnels, ntunnels, tfree;
	uint32_t *tid2t;	/* 65536 entries: our Tunnel ID -> index */
	struct session *sessions;
	uint32_t max_sessions, nsessions, sfree;
	uint32_t shwm;		/* slots from here on were never used (not yet resident) */
	struct iphash key2s;	/* tid << 16 | sid -> session index */
	struct iphash ip2s;	/* IPv4 (host order) -> session index */
	struct iphash ifid2s;	/* hash of IPv6 interface identifier -> session index */
	/* Framed-Routes: one table per prefix length (created when first
	 * used), longest match first; consulted only when ip2s misses */
	struct iphash rt[33];
	uint32_t rt_count[33];
	bool ipv6;		/* ipv6_prefix set: IPV6CP and IPv6 forwarding */
	uint8_t v6prefix[16];	/* the /64 every session autoconfigures in */
	uint8_t our_ll[16];	/* fe80::1, source of our Router Advertisements */
	uint32_t *ubucket;	/* user-name hash -> first session */
	uint32_t umask;
	uint32_t next_unique;
	struct pool pool;
	struct poolfile poolfile;
	struct ppp_users users;

	/* output batches, flushed after each input burst */
	struct pkt *tun_out[IO_BURST_DEFAULT * 2];
	int ntun_out;
	struct pkt *udp_out[IO_BURST_DEFAULT * 2];
	int nudp_out;

	struct l2tp_msg scratch;
	struct ppp_out pout;
	struct lns_counters c;
	uint64_t started;	/* unix seconds */
	bool shutting_down;
	uint64_t shutdown_deadline;
	struct io_timer shutdown_timer;
	struct io_timer tick;	/* once a second: status, housekeeping */
	int status_fd;		/* nsctl-like status socket (UDP) */
	/* operator access (core/cli.h): nsctl endpoint and CLI listener state,
	 * allocated by lns_nsctl_open() / lns_cli_open(); NULL when not open */
	struct nsctl_srv *nsctl;
	struct cli_srv *cli;
	struct rad_client *rad;	/* core/radius.h; NULL without RADIUS servers */
	int dae_fd;		/* RFC 5176 Disconnect/CoA (core/dae.c); -1 closed */
	struct dae_state *dae_st;	/* its replay cache */
	struct dae_counters {
		uint64_t rx, bad_client, bad_packet, bad_auth, ignored, ack, nak, dup, stale;
	} dae;
	uint64_t acct_off_deadline; /* shutdown: wait for Stops until then */
	bool acct_off_sent;
	struct plugin_core *plugins;	/* core/plugin.h; NULL before lns_plugins_init */
};

/* lns.c */
int lns_init(struct lns *l, struct config *cfg, const char *cfg_path);
void lns_fini(struct lns *l);
int lns_apply_config(struct lns *l);
void lns_random(struct lns *l, void *out, size_t n);
uint64_t lns_now(struct lns *l);
struct session *lns_session(struct lns *l, uint32_t idx);
struct tunnel *lns_tunnel_by_tid(struct lns *l, uint16_t tid);
int lns_load_users(struct lns *l);
int lns_load_pool(struct lns *l);
void lns_flush(struct lns *l);
/* A pkt from the pool, counted when there is none. */
struct pkt *lns_pkt(struct lns *l);
void lns_queue_udp(struct lns *l, struct pkt *p);
void lns_queue_tun(struct lns *l, struct pkt *p);

/* ctrl.c: L2TP control plane */
void lns_ctrl_input(struct lns *l, struct pkt *p, const struct l2tp_hdr *h);
void lns_tunnel_kick(struct lns *l, struct tunnel *t);
int lns_tunnel_drop(struct lns *l, struct tunnel *t, uint16_t result, const char *why);
int lns_session_drop(struct lns *l, struct session *s, uint16_t result, const char *why);
/* Record why a session ends (Acct-Terminate-Cause); the first reason given wins. */
void lns_session_cause(struct session *s, uint8_t cause);
void lns_shutdown(struct lns *l);
void lns_session_free(struct lns *l, struct session *s);
void lns_session_set_user(struct lns *l, struct session *s, const char *user);
uint32_t lns_session_first_of_user(struct lns *l, const char *user);

/* ppp_glue.c */
void lns_ppp_start(struct lns *l, struct session *s);
void lns_ppp_input(struct lns *l, struct session *s, const uint8_t *frame, size_t len,
		   struct pkt *p, size_t ip_off);
void lns_ppp_run(struct lns *l, struct session *s, struct ppp_out *o);
void lns_ppp_ctx(struct lns *l, struct ppp_ctx *x);
void lns_session_release(struct lns *l, struct session *s);
void lns_session_timer_cb(void *ctx, struct io_timer *t, uint64_t now);
/* Install (add) or remove the session's Framed-Routes: kernel routes to the
 * TUN and the downstream lookup table. */
void lns_session_routes(struct lns *l, struct session *s, bool add);
static inline bool lns_session_owns(const struct session *s, uint32_t src)
{
	for (unsigned i = 0; i < s->r.nroutes; i++)
		if (s->r.route[i].plen &&
		    (src & (~0u << (32 - s->r.route[i].plen))) == s->r.route[i].net)
			return true;
	return false;
}
/* Longest Framed-Route match for a downstream destination. */
int lns_route_lookup(const struct lns *l, uint32_t ip, uint32_t *sid);
/* The verdict on a PPP authentication, from the users file or RADIUS:
 * duplicate-user policy, address assignment, then the PPP verdict. ip: a
 * static address (0 = from the pool); dns may be NULL. */
void lns_auth_finish(struct lns *l, struct session *s, bool accept, uint32_t ip,
		     const uint32_t dns[2], const char *how);

/* data.c */
void lns_udp_rx(void *ctx, struct io_udp *u, struct pkt *v[], int n);
void lns_tun_rx(void *ctx, struct io_tun *t, struct pkt *v[], int n);
void lns_data_up(struct lns *l, struct session *s, struct pkt *p, size_t ip_off);
void lns_data_up6(struct lns *l, struct session *s, struct pkt *p, size_t ip_off);
uint32_t lns_ifid_key(const uint8_t ifid[8]);
/* The FSMs' view of a socket address (family, address, port). */
void lns_peer_of(const struct io_addr *a, struct l2tp_peer *p);
void lns_send_ra(struct lns *l, struct session *s, const uint8_t dst[16]);
void lns_ppp_frame(struct lns *l, struct session *s, struct pkt *p, size_t frame_off, size_t n);

/* status.c */
int lns_status_open(struct lns *l);
void lns_print_sessions(struct lns *l, FILE *out);

#define LNS_LOG(l, lvl, ...) log_msg(&(l)->log, (lvl), __VA_ARGS__)

#endif
