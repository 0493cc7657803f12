/*
 * LAC simulator: shared state of the control (ctrl.c), PPP (ppp.c) and
 * driver (lacsim.c) parts. One process, one epoll loop, one UDP socket per
 * tunnel, batched I/O.
 */
#ifndef LACSIM_H
#define LACSIM_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/l2tp.h"
#include "pkt.h"

enum { LS_NS = 1, LS_US = 1000, LS_MS = 1000000, LS_SEC = 1000000000 };

enum tun_state {
	T_IDLE,
	T_WAIT_SCCRP,
	T_ESTABLISHED,
	T_CLOSING,	/* StopCCN sent */
	T_CLOSED,	/* gone (StopCCN from LNS, or ours acknowledged, or failed) */
};

enum sess_state {
	S_IDLE,		/* not started yet (ramp) */
	S_WAIT_TUNNEL,	/* started, tunnel not up yet or its window full */
	S_WAIT_ICRP,
	S_PPP,		/* ICCN sent, PPP negotiating */
	S_UP,		/* IPCP Opened with an address (and, with --ipv6, IPV6CP
			 * Opened and a valid Router Advertisement received) */
	S_CLOSING,	/* CDN sent by us */
	S_DOWN,		/* failed or closed */
};

/* RFC 1661 §4.2 states we can be in as an actively opening client. */
enum cp_state { CP_INITIAL, CP_REQ_SENT, CP_ACK_RCVD, CP_ACK_SENT, CP_OPENED, CP_CLOSED };

enum auth_kind { AUTH_NONE, AUTH_PAP, AUTH_CHAP };

enum ppp_phase { PH_LCP, PH_AUTH, PH_NETWORK, PH_DONE };

struct cp {
	uint8_t state;
	uint8_t id;		/* identifier of our last Configure-Request */
	uint8_t restarts;	/* retransmissions left (Max-Configure) */
	uint8_t naks;		/* Max-Failure budget */
	uint32_t opts;		/* bit set of the options we still request */
};

struct ppp {
	uint8_t phase;
	struct cp lcp, ipcp, ipv6cp;
	uint16_t mru;		/* MRU we request */
	uint32_t magic;		/* our Magic-Number */
	uint8_t auth;		/* protocol agreed (we Acked it in the LNS's LCP request) */
	uint8_t auth_id;
	uint8_t auth_tries;
	bool auth_done;
	uint32_t addr, dns1, dns2; /* IPCP, host order */
	uint32_t peer_addr;
	uint8_t next_id;
	/* --ipv6: RFC 5072 interface identifiers, RFC 4862 global address */
	uint8_t ifid[8], peer_ifid[8];
	uint8_t addr6[16];	/* prefix from the RA :: ifid, valid when ra_ok */
	bool ipv6_was_up;	/* counted once in n_ipv6_up */
	bool ra_ok;
	uint8_t rs_sent;
	int8_t ra_err;		/* why the last RA was refused (enum pkt_ra_err) */
};

struct session {
	uint32_t num;		/* 1..T*N, substituted into the user name */
	uint16_t tun;		/* tunnel index */
	uint16_t lsid, psid;	/* local / LNS session id */
	uint8_t state;
	uint8_t reason;		/* index into lac.reasons when failed */
	uint32_t tgen;		/* generation of the armed timer */
	uint64_t t_start, t_up;
	struct ppp ppp;
	/* data phase */
	uint32_t tx_seq;
	uint64_t tx_pkts, rx_pkts, rx_foreign, rx_dup_or_old;
	uint32_t rx_max_seq;
};

struct ctl_msg {
	uint16_t ns;
	uint16_t len;
	uint8_t type;
	bool sent;
	uint32_t sess;	/* session index + 1 for CDN, else 0 */
	uint8_t *buf;
};

struct tunnel {
	int fd;
	uint16_t idx;
	uint16_t ltid, ptid;
	uint8_t state;
	uint8_t reason;
	struct sockaddr_in peer;
	bool peer_port_learnt;
	uint16_t ns, nr;	/* next Ns to assign / next Ns expected from the LNS */
	uint16_t peer_rwin;
	bool ack_pending;	/* we owe the LNS an acknowledgement of nr */
	uint8_t chal[16];	/* the Challenge we sent (when -S) */
	/* unacknowledged and not yet sent messages, in Ns order */
	struct ctl_msg *q;
	size_t qhead, qlen, qcap;
	uint32_t tgen;
	uint32_t rto_ms;
	uint8_t retries;
	uint32_t first_sess;	/* index of its first session */
	uint32_t nsess;
	uint32_t pending_start;	/* sessions in S_WAIT_TUNNEL */
	uint32_t cursor;	/* no session before it is waiting */
	uint64_t t_sccrq, t_up;
	uint64_t ctl_tx, ctl_rx, ctl_rtx, zlb_tx;
};

enum { MAX_REASONS = 48, TX_BATCH = 256, RX_BATCH = 64, PKT_MAX = 2048 };

struct opts {
	struct sockaddr_in lns;
	struct in_addr bind;
	unsigned tunnels, per_tunnel;
	const char *user_fmt, *password;
	uint8_t auth;		/* AUTH_PAP or AUTH_CHAP: what we accept */
	double rate;		/* sessions/s, 0 = unlimited */
	const char *secret;
	bool hide;
	bool data;
	struct sockaddr_in data_to;
	bool ipv6;		/* negotiate IPV6CP and autoconfigure from the RA */
	bool rs;		/* send a Router Solicitation as soon as IPV6CP opens */
	bool ifid0;		/* first propose identifier 0: the LNS must Nak one */
	bool data6;		/* data phase over IPv6 to data_to6 */
	uint8_t data_to6[16];
	uint16_t data_port6;
	double pps;
	unsigned size;		/* UDP payload bytes */
	double duration;
	double hold;		/* seconds, <0 forever */
	bool json;
	double max_loss;
	double timeout;		/* setup timeout, seconds */
	uint16_t mru;
	const char *host_name;
	bool verbose;
};

struct reason {
	char text[96];
	uint32_t count;
};

struct txent {
	int fd;
	uint16_t len;
	bool data;		/* a data-phase packet (counted in d_tx_*) */
	uint16_t iplen;
	struct sockaddr_in to;
};

struct lac {
	struct opts o;
	struct l2tp_secret sec;
	int ep;
	struct tunnel *tun;
	struct session *sess;
	uint32_t nsess;
	struct tm_heap timers;
	/* started sessions in start order; next_start indexes it */
	uint32_t next_start;
	uint64_t t0, t_first_sccrq, t_last_up, t_all_up;
	uint32_t n_up, n_failed, n_attempted, n_closed, n_dropped, n_cur_up;
	struct reason reasons[MAX_REASONS];
	unsigned nreasons;
	/* batched transmission */
	struct txent tx[TX_BATCH];
	uint8_t (*txbuf)[PKT_MAX];
	unsigned ntx;
	uint64_t tx_errors;
	/* counters of what arrived */
	uint64_t rx_pkts, rx_bad_l2tp, rx_bad_ctl, rx_unknown_tunnel, rx_unknown_session,
		rx_data_other, ppp_proto_rej, lcp_echo_replies;
	uint64_t icmp_echoes; /* Echo-Requests to session addresses answered */
	/* --ipv6 */
	uint32_t n_ipv6_up, n_ra_ok;	/* sessions */
	uint64_t ra_rx, ra_bad, rs_tx, icmp6_echoes, rx6_other, rx6_not_mine;
	/* data phase */
	bool data_phase;
	uint64_t d_tx_pkts, d_tx_bytes, d_rx_pkts, d_rx_bytes, d_rx_foreign, d_rx_bad;
	uint64_t rtt_sum_ns, rtt_max_ns, rtt_n;
	uint64_t d_t_start, d_t_end, d_t_last_rx;
	uint64_t d_tx_drop;
	bool teardown;		/* closing at the end: not failures */
	bool exit_ok;
	uint8_t (*rxbuf)[PKT_MAX];
};

/* lacsim.c */
uint64_t lac_now(void);
void lac_random(void *p, size_t n);
/* Queue one datagram on fd to `to`; flushed in batches by sendmmsg. */
void lac_tx(struct lac *l, int fd, const struct sockaddr_in *to, const uint8_t *p, size_t len);
/* Buffer for the next datagram to queue: fill it then lac_tx_commit(). */
uint8_t *lac_tx_buf(struct lac *l);
void lac_tx_commit(struct lac *l, int fd, const struct sockaddr_in *to, size_t len);
void lac_flush(struct lac *l);
void lac_timer(struct lac *l, uint32_t key, uint32_t gen, uint64_t due);
/* Index of a failure reason (added if new); callers count it. */
unsigned lac_reason(struct lac *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lac_log(struct lac *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* timer keys: top bit distinguishes tunnels from sessions */
#define TKEY_TUN 0x80000000u

/* ctrl.c */
int ctrl_open_tunnel(struct lac *l, struct tunnel *t);
void ctrl_rx(struct lac *l, struct tunnel *t, const struct sockaddr_in *from, const uint8_t *p,
	     size_t len);
void ctrl_timer(struct lac *l, struct tunnel *t);
void ctrl_start_session(struct lac *l, struct session *s);
void ctrl_flush_acks(struct lac *l);
/* Session failed or ends: CDN to the LNS (when it knows the call), state DOWN. */
void ctrl_session_down(struct lac *l, struct session *s, uint16_t result, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ctrl_close_tunnel(struct lac *l, struct tunnel *t, uint16_t result, const char *why);
bool ctrl_idle(const struct lac *l);
/* Send a PPP frame (protocol + information) on the session's data channel. */
void ctrl_send_ppp(struct lac *l, struct session *s, uint16_t proto, const uint8_t *info,
		   size_t len);

/* ppp.c */
void ppp_start(struct lac *l, struct session *s);
void ppp_rx(struct lac *l, struct session *s, const uint8_t *frame, size_t len);
void ppp_timer(struct lac *l, struct session *s);

/* data (lacsim.c) */
void data_rx(struct lac *l, struct session *s, const uint8_t *ip, size_t len);
/* An IPv6 packet (PPP protocol 0x0057) for a session whose IPV6CP is Opened:
 * Router Advertisements, Echo-Requests, test traffic. */
void data_rx6(struct lac *l, struct session *s, const uint8_t *ip, size_t len);
/* ppp.c: a Router Advertisement was accepted (pkt_ra_parse() == 0) or refused. */
void ppp_ra(struct lac *l, struct session *s, const struct pkt_ra *ra, int err);

#endif
