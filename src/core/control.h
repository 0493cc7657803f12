/*
 * Server side of the nsctl control channel (UDP 1702): from one received
 * datagram to the response datagram, with no I/O of its own. The daemon owns
 * the socket; per datagram it calls
 *
 *     n = control_handle(&ctx, buf, len, (struct sockaddr *)&from, fromlen,
 *                        now_unix_seconds, out, sizeof out);
 *
 * and sends out[0..n) back to `from` (from the address the request was sent
 * to, as the original did) when n > 0; n == 0 means "stay silent".
 *
 * Who may talk to us (the original accepted anyone, reference §12.2):
 *   - no nsctl_secret: only 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104; the
 *     rest is dropped silently and counted (drop_nonlocal);
 *   - nsctl_secret set: from any address, but only requests carrying a valid
 *     HMAC-SHA256 trailer (codec/nsctl.h) whose time is within
 *     CONTROL_AUTH_WINDOW seconds of ours and whose (time, nonce) was not
 *     seen before. Failures are dropped silently and counted (drop_auth,
 *     drop_stale, drop_replay): an answer would make us a reflector towards
 *     spoofed sources and an oracle for guessing, and the nsctl tool says on
 *     timeout that the secret may be wrong. Responses to signed requests are
 *     signed and echo the request's nonce.
 *
 * Datagrams whose type is a response (0x21, 0x22) are never answered, so two
 * daemons cannot be made to ping-pong errors at each other.
 *
 * Request handling follows the original: load_plugin NAME, unload_plugin
 * NAME and help are built in and go to the ops callbacks; CONTROL requests go
 * to ops.plugin_control (the PLUGIN_CONTROL hook chain, reference §7.1). Error
 * texts are the original's.
 */
#ifndef L2TPNS_CORE_CONTROL_H
#define L2TPNS_CORE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "codec/nsctl.h"

#define CONTROL_AUTH_WINDOW 30		/* seconds of clock skew accepted */
#define CONTROL_REPLAY_SLOTS 256	/* signed requests remembered */
#define CONTROL_SECRET_MAX 256

/* Plugin hook return values: PLUGIN_RET_* of include/l2tpns/plugin.h (reference §7.1). */
enum control_plugin_ret {
	CONTROL_PLUGIN_RET_ERROR = 0,
	CONTROL_PLUGIN_RET_OK = 1,
	CONTROL_PLUGIN_RET_STOP = 2,
	CONTROL_PLUGIN_RET_NOTMASTER = 3,
};

/* The PLUGIN_CONTROL parameter block (struct param_control of the plugin API). */
struct control_call {
	int iam_master;		/* in */
	int argc;		/* in: every word, command included */
	char **argv;		/* in: NUL-terminated, argv[argc] == NULL */
	int response;		/* out: NSCTL_RES_OK / NSCTL_RES_ERR, 0 = nobody answered */
	const char *additional;	/* out: optional text; '\n' splits it into lines */
};

struct control_ops {
	void *arg;
	/* 1 loaded, 0 already loaded, < 0 could not load. */
	int (*load_plugin)(void *arg, const char *name);
	/* 1 unloaded, 0 known but not loaded, < 0 no such plugin. */
	int (*unload_plugin)(void *arg, const char *name);
	/*
	 * The i-th loaded plugin's plugin_control_help (NULL-terminated; *lines
	 * may be set to NULL for a plugin without help). 0, or < 0 when i is
	 * past the last plugin.
	 */
	int (*plugin_help)(void *arg, size_t i, const char *const **lines);
	/* Run the PLUGIN_CONTROL hooks; returns an enum control_plugin_ret. */
	int (*plugin_control)(void *arg, struct control_call *call);
	/*
	 * Cluster role: true when this node is the master (or standalone).
	 * Otherwise writes the master's address into master[cap], "" when none
	 * is elected. NULL callback: standalone.
	 */
	bool (*is_master)(void *arg, char *master, size_t cap);
};

struct control_stats {
	uint64_t rx;		/* datagrams given to control_handle */
	uint64_t tx_ok;		/* OK responses produced */
	uint64_t tx_err;	/* ERR responses produced */
	uint64_t drop_nonlocal;	/* no secret, non-loopback source */
	uint64_t drop_auth;	/* secret set, trailer missing or MAC wrong */
	uint64_t drop_stale;	/* trailer time outside the window */
	uint64_t drop_replay;	/* (time, nonce) seen already, or cache full */
	uint64_t drop_malformed;/* undecodable and not answerable */
	uint64_t drop_response;	/* a response type sent to us */
};

struct control_ctx {
	uint8_t secret[CONTROL_SECRET_MAX];
	size_t secret_len;	/* 0: loopback-only, unauthenticated */
	struct control_ops ops;
	struct control_stats stats;
	struct {
		uint64_t time;
		uint8_t nonce[NSCTL_NONCE_LEN];
		bool used;
	} seen[CONTROL_REPLAY_SLOTS];
	struct nsctl_msg msg;	/* decode scratch (4 KB, kept off the stack) */
};

/* secret: NULL or "" for none. -EINVAL if longer than CONTROL_SECRET_MAX. */
int control_init(struct control_ctx *c, const char *secret, const struct control_ops *ops);
/* Change the secret (SIGHUP reload); forgets remembered nonces. */
int control_set_secret(struct control_ctx *c, const char *secret);

/*
 * One request in, one response out. Returns the response length, 0 for no
 * response, or a negative errno for a caller error (bad pointers, out too
 * small: cap should be NSCTL_MAX_PKT).
 */
int control_handle(struct control_ctx *c, const uint8_t *req, size_t len,
		   const struct sockaddr *from, socklen_t fromlen, uint64_t now,
		   uint8_t *out, size_t cap);

/* 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104. */
bool control_addr_is_local(const struct sockaddr *sa, socklen_t len);

/*
 * The HELP response: an unsigned OK packet with one argument per help line of
 * every loaded plugin, in load order (lines over 255 bytes are split). When
 * the lines do not fit max_len (<= NSCTL_MAX_PKT) the last argument says
 * "(help truncated)" rather than lines silently going missing. Returns the
 * length or a negative enum nsctl_err.
 */
int control_format_help(const struct control_ops *ops, uint8_t *out, size_t max_len);

#endif
