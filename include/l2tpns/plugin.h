/*
 * l2tpns plugin API (installed as <l2tpns/plugin.h>).
 *
 * A plugin is a shared object NAME.so in the daemon's plugin_dir (default
 * /usr/lib/l2tpns), loaded by a `load plugin NAME` line of the
 * startup-config, by `load plugin NAME` in the CLI's configure mode or by
 * `nsctl load_plugin NAME`. Build one with
 *
 *     cc -std=c11 -fPIC -shared -I/usr/include -o NAME.so NAME.c
 *
 * The names are those of the original l2tpns (manual "Plugins", reference
 * §7.1) so that an existing plugin ports with small changes. What differs:
 *
 *   - plugin_api_version must be PLUGIN_API_VERSION (100): a plugin written
 *     for the original (version 7) is refused with a log line saying so, as
 *     its structures are not ours.
 *   - Hooks see sessions and tunnels as VIEWS (struct plugin_session,
 *     struct plugin_tunnel below): copies of the fields a plugin reads,
 *     refreshed before every plugin's hook runs. Writing to a view changes
 *     nothing in the daemon; every change goes through a pluginfuncs
 *     callback, so that each state change passes through the core's few
 *     functions (and can be replicated to a cluster).
 *   - Exactly the intended behaviour of the original's table is
 *     implemented: event N calls the hook named for event N.
 *
 * Symbols a plugin exports (all optional except plugin_api_version):
 *
 *     int plugin_api_version = PLUGIN_API_VERSION;
 *     int plugin_init(struct pluginfuncs *funcs);    0 refuses the load
 *     void plugin_done(void);                        at unload and at exit
 *     const char *plugin_control_help[];             NULL-terminated lines
 *                                                    for `nsctl help`
 *     int plugin_pre_auth(struct param_pre_auth *);  one per event, see below
 *     ...
 *
 * Hooks run in load order. Each returns a PLUGIN_RET_* value; anything but
 * PLUGIN_RET_OK stops the chain for that event and is what the daemon acts
 * on (e.g. a CONTROL hook that handled a command returns PLUGIN_RET_STOP).
 *
 * Every hook runs in the daemon's single thread, from its event loop: it must
 * not block (no DNS lookups, no waiting on the network); long work belongs
 * in a child process. The funcs pointer given to plugin_init stays valid
 * until plugin_done returns.
 */
#ifndef L2TPNS_PLUGIN_H
#define L2TPNS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PLUGIN_API_VERSION 100

/* Hook return values (the original's numbers). */
#define PLUGIN_RET_ERROR 0	/* failed: stop the chain, the daemon treats it as an error */
#define PLUGIN_RET_OK 1		/* carry on with the next plugin */
#define PLUGIN_RET_STOP 2	/* done: no further plugin sees this event */
#define PLUGIN_RET_NOTMASTER 3	/* CONTROL: only the cluster master can do this */

/* Events: the number, the hook symbol, its parameter. */
enum plugin_event {
	PLUGIN_PRE_AUTH = 1,		/* plugin_pre_auth(struct param_pre_auth *) */
	PLUGIN_POST_AUTH = 2,		/* plugin_post_auth(struct param_post_auth *) */
	PLUGIN_TIMER = 3,		/* plugin_timer(struct param_timer *) */
	PLUGIN_NEW_SESSION = 4,		/* plugin_new_session(struct param_new_session *) */
	PLUGIN_KILL_SESSION = 5,	/* plugin_kill_session(struct param_kill_session *) */
	PLUGIN_CONTROL = 6,		/* plugin_control(struct param_control *) */
	PLUGIN_RADIUS_RESPONSE = 7,	/* plugin_radius_response(struct param_radius_response *) */
	PLUGIN_RADIUS_RESET = 8,	/* plugin_radius_reset(struct param_radius_reset *) */
	PLUGIN_RADIUS_ACCOUNT = 9,	/* plugin_radius_account(struct param_radius_account *) */
	PLUGIN_BECOME_MASTER = 10,	/* plugin_become_master(void *): NULL */
	PLUGIN_NEW_SESSION_MASTER = 11,	/* plugin_new_session_master(sessiont *) */
};
#define PLUGIN_EVENT_MAX 11

/* Responses of a CONTROL hook (nsctl packet types, reference §7.3). */
#ifndef NSCTL_RES_OK
#define NSCTL_RES_OK 0x21
#define NSCTL_RES_ERR 0x22
#endif

/* Authentication protocols (PPP protocol numbers, RFC 1334, RFC 1994). */
#define PLUGIN_PROTO_PAP 0xC023
#define PLUGIN_PROTO_CHAP 0xC223

/* Log levels of pluginfuncs.log (the daemon's `set debug` scale). */
#define PLUGIN_LOG_CRIT 0
#define PLUGIN_LOG_ERR 1
#define PLUGIN_LOG_WARN 2
#define PLUGIN_LOG_INFO 3
#define PLUGIN_LOG_CALL 4
#define PLUGIN_LOG_DATA 5

/* Call Disconnect Notify result codes for sessionshutdown (RFC 2661 §4.4.2). */
#define PLUGIN_CDN_GENERAL_ERROR 2
#define PLUGIN_CDN_ADMIN 3

typedef uint32_t sessionidt;	/* the SID the CLI shows (show session) */
typedef uint32_t tunnelidt;	/* the TID the CLI shows: our L2TP Tunnel ID */

#define PLUGIN_USER_MAX 128
#define PLUGIN_NUMBER_MAX 64
#define PLUGIN_HOST_MAX 64

/* Session states in plugin_session.state. */
enum plugin_session_state {
	PLUGIN_SESSION_CALL = 1,	/* L2TP call being set up */
	PLUGIN_SESSION_PPP = 2,		/* LCP, authentication, IPCP */
	PLUGIN_SESSION_UP = 3,		/* IPCP opened: forwarding */
	PLUGIN_SESSION_CLOSING = 4,	/* being torn down */
};

/*
 * A session as plugins see it: a copy, taken just before the hook is called.
 * Field names follow the original's sessiont where it had one.
 */
struct plugin_session {
	sessionidt id;			/* SID */
	tunnelidt tunnel;		/* our Tunnel ID (TID) */
	uint16_t l2tp_sid;		/* our L2TP Session ID */
	uint16_t far;			/* the LAC's Session ID */
	int state;			/* enum plugin_session_state */
	uint32_t unique_id;		/* never reused while the daemon runs */
	char user[PLUGIN_USER_MAX];	/* "" before authentication */
	uint32_t ip;			/* IPv4 address, HOST byte order; 0 none */
	uint32_t dns1, dns2;		/* host order; 0 none */
	int ipv6;			/* IPV6CP opened */
	uint16_t mru;			/* the peer's MRU */
	char calling[PLUGIN_NUMBER_MAX];/* Calling Number AVP, "" if none */
	char called[PLUGIN_NUMBER_MAX];	/* Called Number AVP, "" if none */
	time_t opened;			/* unix time the call arrived */
	uint32_t idle;			/* seconds since the last packet from the user */
	uint64_t cin, cout;		/* bytes from / to the user */
	uint64_t pin, pout;		/* packets from / to the user */
	uint32_t rx_connect_speed;	/* Rx Connect Speed AVP, bit/s; 0 unknown */
	uint32_t tx_connect_speed;	/* (Tx) Connect Speed AVP, bit/s */
};

/* A tunnel as plugins see it (a copy). */
struct plugin_tunnel {
	tunnelidt id;			/* our Tunnel ID (TID) */
	uint16_t far;			/* the LAC's Tunnel ID */
	int state;			/* 1 opening, 2 open, 3 closing */
	char hostname[PLUGIN_HOST_MAX];	/* the LAC's Host Name AVP */
	char vendor[PLUGIN_HOST_MAX];	/* its Vendor Name AVP */
	uint32_t ip;			/* the LAC's IPv4 address, host order (0: IPv6) */
	uint16_t port;			/* its UDP port */
	time_t opened;
	uint32_t sessions;		/* sessions on it */
};

/* The original's type names, so that ported plugins keep their declarations. */
typedef struct plugin_session sessiont;
typedef struct plugin_tunnel tunnelt;

/*
 * PRE_AUTH: a PAP or CHAP request arrived, before the user is looked up
 * (local users or RADIUS). The hook may rewrite username (and, for PAP,
 * password) IN PLACE, at most *_size - 1 bytes plus the NUL; pointers must
 * not be replaced. continue_auth = 0 drops the request silently (the peer
 * retries or times out). For CHAP, password is "" and password_size 0.
 */
struct param_pre_auth {
	tunnelt *t;
	sessiont *s;
	char *username;
	char *password;
	int protocol;			/* PLUGIN_PROTO_PAP or PLUGIN_PROTO_CHAP */
	int continue_auth;		/* in 1; set 0 to abandon */
	size_t username_size;		/* capacity of username, NUL included */
	size_t password_size;		/* capacity of password, NUL included */
};

/*
 * POST_AUTH: the verdict is known (local users or RADIUS). auth_allowed may
 * be flipped either way; the final value decides.
 */
struct param_post_auth {
	tunnelt *t;
	sessiont *s;
	char *username;			/* read only */
	short auth_allowed;		/* in: the verdict so far; out: the verdict */
	int protocol;
};

/* TIMER: once a second. */
struct param_timer {
	time_t time_now;
};

/* NEW_SESSION: IPCP opened, the session forwards traffic. */
struct param_new_session {
	tunnelt *t;
	sessiont *s;
};

/* KILL_SESSION: the session is about to end (called once per session, with
 * its address still set, whoever ends it: the daemon, the LAC, the user). */
struct param_kill_session {
	tunnelt *t;
	sessiont *s;
};

/*
 * CONTROL: an nsctl command that is not built in (load_plugin,
 * unload_plugin, help). argv[0] is the command word, argv[argc] is NULL.
 * A plugin that handles it sets response to NSCTL_RES_OK or NSCTL_RES_ERR,
 * optionally additional (text sent back; '\n' separates lines; it must stay
 * valid until the hook is called again, e.g. a static buffer) and returns
 * PLUGIN_RET_STOP. A command nobody handles is answered "unhandled action".
 * PLUGIN_RET_NOTMASTER answers "must be run on master: ADDRESS".
 */
struct param_control {
	int iam_master;			/* 1: master or standalone */
	int argc;
	char **argv;
	int response;			/* out: 0 (not handled), NSCTL_RES_OK or _ERR */
	const char *additional;		/* out: optional text (const here; char * in the original) */
};

/* RADIUS_RESPONSE: one key=value pair of a Cisco-AVPair in an Access-Accept
 * or CoA-Request. */
struct param_radius_response {
	tunnelt *t;
	sessiont *s;
	char *key;
	char *value;
};

/* RADIUS_RESET: a CoA-Request arrived; reset what it may set again. */
struct param_radius_reset {
	tunnelt *t;
	sessiont *s;
};

/*
 * RADIUS_ACCOUNT: an Accounting-Request is being built. Append whole RADIUS
 * attributes (type, length, value; RFC 2865 §5) at *packet and advance
 * *packet past them, never beyond packet_end (the daemon discards what the
 * plugin appended if *packet ends up outside [start, packet_end]).
 */
struct param_radius_account {
	tunnelt *t;
	sessiont *s;
	uint8_t **packet;
	uint8_t *packet_end;		/* ours: one past the last writable byte */
};

/*
 * What the daemon offers plugins. Calls are valid from hooks and from
 * plugin_init / plugin_done. Functions returning int give 0 (or a count)
 * on success and a negative errno value on failure:
 *   -ENOENT   no such session
 *   -ENOSYS   the feature is not active in this daemon yet (logged once)
 *   -EINVAL   bad argument
 */
struct pluginfuncs {
	/* Log at level (PLUGIN_LOG_*), tagged with the plugin's session and
	 * tunnel when non-zero: "sid=N tid=N ...". */
	void (*log)(int level, sessionidt s, tunnelidt t, const char *fmt, ...)
		__attribute__((format(printf, 4, 5)));
	/* Hex dump of data (at most 512 bytes shown) under a title. */
	void (*log_hex)(int level, const char *title, const uint8_t *data, size_t len);
	/* Dotted quad of addr, NETWORK byte order (as the original's); n = 0..3
	 * selects one of four static buffers so several can be used in a call. */
	const char *(*fmtaddr)(uint32_t addr, int n);
	/* The newest live session of a user, 0 if none. */
	sessionidt (*get_session_by_username)(const char *username);
	/* Copy session s into *out: 0, or -ENOENT (free or out of range). */
	int (*get_session_by_id)(sessionidt s, sessiont *out);
	/* The SID of a view (its id field), 0 for NULL. */
	sessionidt (*get_id_by_session)(const sessiont *s);
	/* A configuration variable's value as `show running-config` prints it
	 * after `set NAME ` (strings unquoted) into buf: its length, or -ENOENT. */
	int (*getconfig)(const char *key, char *buf, size_t len);
	/* End session s cleanly: a CDN with cdn_result (0: PLUGIN_CDN_ADMIN)
	 * is sent; reason is logged and sent in the CDN's message. */
	int (*sessionshutdown)(sessionidt s, const char *reason, int cdn_result);
	/* End session s at once: CDN sent, the slot freed without lingering. */
	int (*sessionkill)(sessionidt s, const char *reason);
	/* Connect speeds (bit/s) of a session, e.g. from POST_AUTH. */
	int (*set_connect_speed)(sessionidt s, uint32_t rx, uint32_t tx);
	/* Throttle in/out to kbit/s (0 = unthrottle that direction).
	 * Not active yet: -ENOSYS. */
	int (*throttle)(sessionidt s, int rate_in, int rate_out);
	/* Copy the session's traffic to ip:port (host order), 0 stops.
	 * Not active yet: -ENOSYS. */
	int (*snoop)(sessionidt s, uint32_t ip, uint16_t port);
};

/*
 * The symbols a plugin defines (declared here so that a plugin compiles
 * cleanly with -Wmissing-prototypes). Define only those you need.
 * plugin_control_help is const here (the original had char *[]).
 */
extern int plugin_api_version;
extern const char *plugin_control_help[];
int plugin_init(struct pluginfuncs *funcs);
void plugin_done(void);
int plugin_pre_auth(struct param_pre_auth *data);
int plugin_post_auth(struct param_post_auth *data);
int plugin_timer(struct param_timer *data);
int plugin_new_session(struct param_new_session *data);
int plugin_kill_session(struct param_kill_session *data);
int plugin_control(struct param_control *data);
int plugin_radius_response(struct param_radius_response *data);
int plugin_radius_reset(struct param_radius_reset *data);
int plugin_radius_account(struct param_radius_account *data);
int plugin_become_master(void);
int plugin_new_session_master(sessiont *s);

#ifdef __cplusplus
}
#endif

#endif
