/*
 * nsctl server side (policy in control.h, wire format in codec/nsctl.h).
 */
#include "core/control.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* The original's response texts (reference §7.3): operators' scripts match them. */
#define E_NAME "name of plugin required"
#define E_LOADED "plugin already loaded"
#define E_LOAD "error loading plugin"
#define E_NOTLOADED "plugin not loaded"
#define E_NOTFOUND "plugin not found"
#define E_PLUGIN "error returned by plugin"
#define E_MASTER "must be run on master: "
#define E_RESPONSE "unrecognised response value from plugin"
#define E_UNHANDLED "unhandled action"
#define E_UNPACK "error unpacking control packet"

int control_set_secret(struct control_ctx *c, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;

	if (!c || n > CONTROL_SECRET_MAX)
		return -EINVAL;
	memset(c->secret, 0, sizeof(c->secret));
	if (n)
		memcpy(c->secret, secret, n);
	c->secret_len = n;
	/* Nonces seen under the old key prove nothing under the new one. */
	memset(c->seen, 0, sizeof(c->seen));
	return 0;
}

int control_init(struct control_ctx *c, const char *secret, const struct control_ops *ops)
{
	if (!c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	if (ops)
		c->ops = *ops;
	return control_set_secret(c, secret);
}

bool control_addr_is_local(const struct sockaddr *sa, socklen_t len)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		struct sockaddr_in a;
		memcpy(&a, sa, sizeof(a));
		return (ntohl(a.sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		static const uint8_t lo[16] = { [15] = 1 };
		static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
		struct sockaddr_in6 a;
		memcpy(&a, sa, sizeof(a));
		const uint8_t *b = a.sin6_addr.s6_addr;
		if (!memcmp(b, lo, 16))
			return true;
		return !memcmp(b, mapped, 12) && b[12] == 127;
	}
	return false;
}

/*
 * Response under construction. Arguments point at strings that live for the
 * duration of the call; 'used' tracks the encoded size so nothing is packed
 * that would overflow, and 'reserve' keeps room for the truncation marker.
 */
struct resp {
	uint8_t type;
	size_t max;		/* size limit of the base packet */
	size_t used;		/* header + terminator + args so far */
	size_t argc;
	struct nsctl_arg argv[NSCTL_MAX_ARGC];
	const char *marker;	/* appended once when something did not fit */
	bool truncated;
};

static void resp_init(struct resp *r, uint8_t type, size_t max, const char *marker)
{
	r->type = type;
	r->max = max;
	r->used = NSCTL_MIN_PKT;
	r->argc = 0;
	r->marker = marker;
	r->truncated = false;
}

static bool resp_fits(const struct resp *r, size_t len, bool keep_marker_room)
{
	size_t need = 1 + len, argn = 1;
	if (keep_marker_room && r->marker) {
		need += 1 + strlen(r->marker);
		argn++;
	}
	return r->argc + argn <= NSCTL_MAX_ARGC && r->used + need <= r->max;
}

static void resp_put(struct resp *r, const char *p, size_t len)
{
	if (r->truncated)
		return;
	if (!resp_fits(r, len, true)) {
		r->truncated = true;
		if (r->marker && resp_fits(r, strlen(r->marker), false)) {
			r->argv[r->argc].p = (const uint8_t *)r->marker;
			r->argv[r->argc++].len = (uint8_t)strlen(r->marker);
			r->used += 1 + strlen(r->marker);
		}
		return;
	}
	r->argv[r->argc].p = (const uint8_t *)p;
	r->argv[r->argc++].len = (uint8_t)len;
	r->used += 1 + len;
}

/* One argument per line of text, lines over 255 bytes cut into pieces (not
 * dropped): the client prints one argument per line. */
static void resp_text(struct resp *r, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		const char *nl = s + n;
		do {
			size_t k = n > NSCTL_MAX_ARGLEN ? NSCTL_MAX_ARGLEN : n;
			resp_put(r, s, k);
			s += k;
			n -= k;
		} while (n);
		s = *nl ? nl + 1 : nl;
	}
}

static int resp_pack(const struct resp *r, uint8_t *out, size_t cap)
{
	return nsctl_pack(out, cap < r->max ? cap : r->max, r->type, r->argc, r->argv);
}

static void help_collect(const struct control_ops *ops, struct resp *r)
{
	if (!ops || !ops->plugin_help)
		return;
	for (size_t i = 0; i < 4096 && !r->truncated; i++) {
		const char *const *lines = NULL;
		if (ops->plugin_help(ops->arg, i, &lines) < 0)
			break;
		for (size_t j = 0; lines && lines[j] && !r->truncated; j++)
			resp_text(r, lines[j]);
	}
}

int control_format_help(const struct control_ops *ops, uint8_t *out, size_t max_len)
{
	struct resp r;

	resp_init(&r, NSCTL_RES_OK, max_len < NSCTL_MAX_PKT ? max_len : NSCTL_MAX_PKT,
		  "(help truncated)");
	help_collect(ops, &r);
	return resp_pack(&r, out, max_len);
}

/* Plugin names become file names under the plugin directory: same rule as
 * the configuration's `load plugin`, so nsctl cannot reach another path. */
static bool plugin_name_ok(const char *n)
{
	size_t l = strlen(n);
	if (l == 0 || l >= 64 || n[0] == '.')
		return false;
	for (; *n; n++) {
		char ch = *n;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.'))
			return false;
	}
	return true;
}

static void do_load(const struct control_ops *ops, int argc, char **argv, struct resp *r)
{
	if (argc != 1) {
		resp_text(r, E_NAME);
		return;
	}
	int rc = plugin_name_ok(argv[0]) && ops->load_plugin
			 ? ops->load_plugin(ops->arg, argv[0])
			 : -1;
	if (rc > 0)
		r->type = NSCTL_RES_OK;
	else
		resp_text(r, rc == 0 ? E_LOADED : E_LOAD);
}

static void do_unload(const struct control_ops *ops, int argc, char **argv, struct resp *r)
{
	if (argc != 1) {
		resp_text(r, E_NAME);
		return;
	}
	int rc = plugin_name_ok(argv[0]) && ops->unload_plugin
			 ? ops->unload_plugin(ops->arg, argv[0])
			 : -1;
	if (rc > 0)
		r->type = NSCTL_RES_OK;
	else
		resp_text(r, rc == 0 ? E_NOTLOADED : E_NOTFOUND);
}

static void do_control(const struct control_ops *ops, int argc, char **argv,
		       struct resp *r, char *scratch, size_t scratch_len)
{
	char master[64] = "";
	bool iam = ops->is_master ? ops->is_master(ops->arg, master, sizeof(master)) : true;
	master[sizeof(master) - 1] = '\0';
	struct control_call call = { iam ? 1 : 0, argc, argv, 0, NULL };
	int rc = ops->plugin_control ? ops->plugin_control(ops->arg, &call)
				     : CONTROL_PLUGIN_RET_OK;

	switch (rc) {
	case CONTROL_PLUGIN_RET_ERROR:
		resp_text(r, call.additional ? call.additional : E_PLUGIN);
		return;
	case CONTROL_PLUGIN_RET_NOTMASTER:
		snprintf(scratch, scratch_len, "%s%s", E_MASTER, master[0] ? master : "none elected");
		resp_text(r, scratch);
		return;
	case CONTROL_PLUGIN_RET_OK:
	case CONTROL_PLUGIN_RET_STOP:
		break;
	default:
		resp_text(r, E_PLUGIN);
		return;
	}
	/* No hook claimed the command: every plugin returned OK without setting
	 * a response. */
	if (call.response == 0) {
		resp_text(r, E_UNHANDLED);
		return;
	}
	if (call.response != NSCTL_RES_OK && call.response != NSCTL_RES_ERR) {
		resp_text(r, E_RESPONSE);
		return;
	}
	r->type = (uint8_t)call.response;
	resp_text(r, call.additional);
}

/* Time window and replay cache. Entries older than the window cannot be
 * replayed anyway (the window check refuses them), so their slots are free. */
static int replay_check(struct control_ctx *c, const struct nsctl_auth *a, uint64_t now)
{
	uint64_t lo = now > CONTROL_AUTH_WINDOW ? now - CONTROL_AUTH_WINDOW : 0;
	if (a->time < lo || a->time > now + CONTROL_AUTH_WINDOW) {
		c->stats.drop_stale++;
		return -1;
	}
	int slot = -1;
	for (int i = 0; i < CONTROL_REPLAY_SLOTS; i++) {
		bool live = c->seen[i].used && c->seen[i].time >= lo;
		if (!live) {
			if (slot < 0)
				slot = i;
			continue;
		}
		if (c->seen[i].time == a->time &&
		    !memcmp(c->seen[i].nonce, a->nonce, NSCTL_NONCE_LEN)) {
			c->stats.drop_replay++;
			return -1;
		}
	}
	/* Full of live entries: forgetting one would reopen it to replay. */
	if (slot < 0) {
		c->stats.drop_replay++;
		return -1;
	}
	c->seen[slot].used = true;
	c->seen[slot].time = a->time;
	memcpy(c->seen[slot].nonce, a->nonce, NSCTL_NONCE_LEN);
	return 0;
}

int control_handle(struct control_ctx *c, const uint8_t *req, size_t len,
		   const struct sockaddr *from, socklen_t fromlen, uint64_t now,
		   uint8_t *out, size_t cap)
{
	struct nsctl_msg *mp;
	char strs[NSCTL_MAX_PKT];	/* NUL-terminated copies of the arguments */
	char *argv[NSCTL_MAX_ARGC + 1];
	char scratch[128];
	struct resp r;

	if (!c || !out || (!req && len))
		return -EINVAL;
	if (cap < NSCTL_MIN_PKT + 1 + sizeof(E_UNPACK) + NSCTL_AUTH_LEN)
		return -ENOSPC;
	c->stats.rx++;
	mp = &c->msg;

	bool auth = c->secret_len > 0;
	if (!auth && !control_addr_is_local(from, fromlen)) {
		c->stats.drop_nonlocal++;
		return 0;
	}
	int argc = nsctl_unpack(mp, req, len);
	if (argc < 0 && auth) {
		/* Cannot find, let alone check, an authenticator. */
		c->stats.drop_malformed++;
		return 0;
	}
	if (auth) {
		if (nsctl_auth_verify(mp, req, c->secret, c->secret_len) < 0) {
			c->stats.drop_auth++;
			return 0;
		}
		if (replay_check(c, &mp->auth, now) < 0)
			return 0;
	}
	if (argc >= 0 && !nsctl_type_is_request(mp->type)) {
		c->stats.drop_response++;
		return 0;
	}
	/* A bad-magic or bad-type datagram is not even ours; only loopback gets
	 * here without a secret, so answering it cannot reflect anywhere. */

	size_t max = cap < NSCTL_MAX_PKT ? cap : NSCTL_MAX_PKT;
	if (auth)
		max -= NSCTL_AUTH_LEN;
	resp_init(&r, NSCTL_RES_ERR, max, "(output truncated)");

	if (argc >= 0) {
		/* The plugin API takes C strings; an embedded NUL would make the
		 * plugin see a different word than the operator typed. */
		size_t off = 0;
		for (int i = 0; i < argc; i++) {
			if (memchr(mp->argv[i].p, 0, mp->argv[i].len)) {
				argc = -1;
				break;
			}
			argv[i] = strs + off;
			memcpy(strs + off, mp->argv[i].p, mp->argv[i].len);
			off += mp->argv[i].len;
			strs[off++] = '\0';
		}
		if (argc >= 0)
			argv[argc] = NULL;
	}

	if (argc < 0) {
		resp_text(&r, E_UNPACK);
	} else {
		switch (mp->type) {
		case NSCTL_REQ_LOAD:
			do_load(&c->ops, argc, argv, &r);
			break;
		case NSCTL_REQ_UNLOAD:
			do_unload(&c->ops, argc, argv, &r);
			break;
		case NSCTL_REQ_HELP:
			r.type = NSCTL_RES_OK;
			r.marker = "(help truncated)";
			help_collect(&c->ops, &r);
			break;
		case NSCTL_REQ_CONTROL:
			do_control(&c->ops, argc, argv, &r, scratch, sizeof(scratch));
			break;
		default:
			resp_text(&r, E_UNHANDLED);
			break;
		}
	}

	int n = resp_pack(&r, out, max);
	if (n < 0)
		return n;
	if (auth) {
		/* Bind the answer to the question: same nonce, our time. */
		n = nsctl_auth_sign(out, (size_t)n, cap, c->secret, c->secret_len, now,
				    mp->auth.nonce);
		if (n < 0)
			return n;
	}
	if (r.type == NSCTL_RES_OK)
		c->stats.tx_ok++;
	else
		c->stats.tx_err++;
	return n;
}
