/*
 * The daemon's side of the plugin API (core/plugin.h): views of sessions and
 * tunnels, one function per event, the pluginfuncs callbacks and the
 * configuration's `load plugin` list.
 *
 * The plugin ABI's callbacks carry no context argument (the original's
 * signatures), so this file keeps the one daemon it serves in a file-local
 * pointer set by lns_plugins_init(); nothing outside this file sees it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/control.h"
#include "core/lns.h"
#include "core/plugin.h"
#include "l2tp_wire.h"

#define PENDING_KILLS 256

struct plugin_core {
	struct plugin_reg reg;
	struct pluginfuncs funcs;
	/* sessionkill(): the CDN goes at once, the slot is freed once no core
	 * loop can be walking the session lists (after the hook chain that
	 * asked, at the latest at the next 1 s tick) */
	struct {
		uint32_t id, unique;
	} pending[PENDING_KILLS];
	unsigned npending;
	bool warned_throttle, warned_snoop;
	char addrbuf[4][INET_ADDRSTRLEN];
};

static struct lns *the_lns;

/* ---- views ----------------------------------------------------------------- */

static void view_tunnel(const struct tunnel *t, struct plugin_tunnel *v)
{
	memset(v, 0, sizeof *v);
	v->id = t->r.tid;
	v->far = t->r.peer_tid;
	v->state = t->r.state;
	snprintf(v->hostname, sizeof v->hostname, "%s", t->r.hostname);
	snprintf(v->vendor, sizeof v->vendor, "%s", t->r.vendor);
	if (t->peer.u.sa.sa_family == AF_INET) {
		v->ip = ntohl(t->peer.u.in.sin_addr.s_addr);
		v->port = ntohs(t->peer.u.in.sin_port);
	} else if (t->peer.u.sa.sa_family == AF_INET6) {
		v->port = ntohs(t->peer.u.in6.sin6_port);
	}
	v->opened = (time_t)t->r.opened;
	v->sessions = t->r.nsess;
}

static void view_session(struct lns *l, const struct session *s, struct plugin_session *v)
{
	const struct session_rec *r = &s->r;
	uint64_t now = lns_now(l);
	memset(v, 0, sizeof *v);
	v->id = r->id;
	v->tunnel = r->tid;
	v->l2tp_sid = r->sid;
	v->far = r->peer_sid;
	v->state = r->state;
	v->unique_id = r->unique_id;
	snprintf(v->user, sizeof v->user, "%s", r->user);
	v->ip = r->ip;
	v->dns1 = r->dns[0];
	v->dns2 = r->dns[1];
	v->ipv6 = r->ipv6_up;
	v->mru = r->mru;
	snprintf(v->calling, sizeof v->calling, "%s", r->calling);
	snprintf(v->called, sizeof v->called, "%s", r->called);
	v->opened = (time_t)r->opened;
	v->idle = now > r->last_rx_ms ? (uint32_t)((now - r->last_rx_ms) / 1000) : 0;
	v->cin = r->cin;
	v->cout = r->cout;
	v->pin = r->pin;
	v->pout = r->pout;
	v->rx_connect_speed = r->rx_speed;
	v->tx_connect_speed = r->tx_speed;
}

/* An event about one session: views refreshed before each plugin's hook, so
 * a plugin sees what the previous one changed through pluginfuncs. */
struct ev_ctx {
	struct lns *l;
	struct session *s;
	struct plugin_session sv;
	struct plugin_tunnel tv;
};

static void ev_refresh(void *p)
{
	struct ev_ctx *e = p;
	if (e->s->r.state == SESS_FREE) {
		e->sv.state = PLUGIN_SESSION_CLOSING;	/* freed by an earlier hook */
		return;
	}
	view_session(e->l, e->s, &e->sv);
	view_tunnel(&e->l->tunnels[e->s->r.tunnel], &e->tv);
}

static struct plugin_reg *reg_of(const struct lns *l, int ev)
{
	struct plugin_core *pc = l->plugins;
	return pc && plugin_hooked(&pc->reg, ev) ? &pc->reg : NULL;
}

static void run_pending_kills(struct lns *l)
{
	struct plugin_core *pc = l->plugins;
	if (!pc || !pc->npending || pc->reg.running)
		return;
	for (unsigned i = 0; i < pc->npending; i++) {
		struct session *s = lns_session(l, pc->pending[i].id);
		if (s && s->r.unique_id == pc->pending[i].unique)
			lns_session_free(l, s);
	}
	pc->npending = 0;
	lns_flush(l);
}

/* ---- events ------------------------------------------------------------------ */

int lns_plugin_pre_auth(struct lns *l, struct session *s, char *user, size_t usercap, char *pass,
			size_t passcap, int proto, bool *continue_auth)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_PRE_AUTH);
	*continue_auth = true;
	if (!r)
		return PLUGIN_RET_OK;
	struct ev_ctx e = {.l = l, .s = s};
	struct param_pre_auth p = {&e.tv, &e.sv, user, pass, proto, 1, usercap, passcap};
	int ret = plugin_run(r, PLUGIN_PRE_AUTH, &p, ev_refresh, &e);
	if (usercap)
		user[usercap - 1] = 0;
	if (passcap)
		pass[passcap - 1] = 0;
	*continue_auth = p.continue_auth != 0;
	return ret;
}

int lns_plugin_post_auth(struct lns *l, struct session *s, const char *user, int proto,
			 bool *allowed)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_POST_AUTH);
	if (!r)
		return PLUGIN_RET_OK;
	char u[LNS_USER_MAX];
	snprintf(u, sizeof u, "%s", user);	/* plugins get a copy: read only */
	struct ev_ctx e = {.l = l, .s = s};
	struct param_post_auth p = {&e.tv, &e.sv, u, *allowed ? 1 : 0, proto};
	int ret = plugin_run(r, PLUGIN_POST_AUTH, &p, ev_refresh, &e);
	*allowed = p.auth_allowed != 0;
	return ret;
}

int lns_plugin_timer(struct lns *l, uint64_t now_unix)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_TIMER);
	int ret = PLUGIN_RET_OK;
	if (r) {
		struct param_timer p = {(time_t)now_unix};
		ret = plugin_run(r, PLUGIN_TIMER, &p, NULL, NULL);
	}
	run_pending_kills(l);
	return ret;
}

static int session_event(struct lns *l, struct session *s, int ev)
{
	struct plugin_reg *r = reg_of(l, ev);
	if (!r)
		return PLUGIN_RET_OK;
	struct ev_ctx e = {.l = l, .s = s};
	/* param_new_session and param_kill_session have the same shape */
	struct param_new_session p = {&e.tv, &e.sv};
	return plugin_run(r, ev, &p, ev_refresh, &e);
}

int lns_plugin_new_session(struct lns *l, struct session *s)
{
	return session_event(l, s, PLUGIN_NEW_SESSION);
}

int lns_plugin_kill_session(struct lns *l, struct session *s)
{
	if (s->plugin_killed || s->r.state == SESS_FREE)
		return PLUGIN_RET_OK;
	s->plugin_killed = true;
	return session_event(l, s, PLUGIN_KILL_SESSION);
}

int lns_plugin_control(struct lns *l, struct control_call *call)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_CONTROL);
	call->response = 0;
	call->additional = NULL;
	if (!r)
		return PLUGIN_RET_OK;
	struct param_control p = {call->iam_master, call->argc, call->argv, 0, NULL};
	int ret = plugin_run(r, PLUGIN_CONTROL, &p, NULL, NULL);
	call->response = p.response;
	call->additional = p.additional;
	run_pending_kills(l);
	lns_flush(l);
	return ret;
}

int lns_plugin_radius_response(struct lns *l, struct session *s, const char *key,
			       const char *value)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_RADIUS_RESPONSE);
	if (!r)
		return PLUGIN_RET_OK;
	char k[256], v[256];	/* copies: a plugin may cut them up (strtok) */
	snprintf(k, sizeof k, "%s", key);
	snprintf(v, sizeof v, "%s", value);
	struct ev_ctx e = {.l = l, .s = s};
	struct param_radius_response p = {&e.tv, &e.sv, k, v};
	return plugin_run(r, PLUGIN_RADIUS_RESPONSE, &p, ev_refresh, &e);
}

int lns_plugin_radius_reset(struct lns *l, struct session *s)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_RADIUS_RESET);
	if (!r)
		return PLUGIN_RET_OK;
	struct ev_ctx e = {.l = l, .s = s};
	struct param_radius_reset p = {&e.tv, &e.sv};
	return plugin_run(r, PLUGIN_RADIUS_RESET, &p, ev_refresh, &e);
}

int lns_plugin_radius_account(struct lns *l, struct session *s, uint8_t *buf, size_t cap,
			      size_t *used)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_RADIUS_ACCOUNT);
	*used = 0;
	if (!r)
		return PLUGIN_RET_OK;
	uint8_t *at = buf;
	struct ev_ctx e = {.l = l, .s = s};
	struct param_radius_account p = {&e.tv, &e.sv, &at, buf + cap};
	int ret = plugin_run(r, PLUGIN_RADIUS_ACCOUNT, &p, ev_refresh, &e);
	if (at < buf || at > buf + cap) {
		LNS_LOG(l, LOG_ERR, "tid=%u sid=%u radius_account hook moved the packet pointer "
			"out of its buffer: attributes discarded", s->r.tid, s->r.id);
		return PLUGIN_RET_ERROR;
	}
	*used = (size_t)(at - buf);
	return ret;
}

int lns_plugin_become_master(struct lns *l)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_BECOME_MASTER);
	return r ? plugin_run(r, PLUGIN_BECOME_MASTER, NULL, NULL, NULL) : PLUGIN_RET_OK;
}

int lns_plugin_new_session_master(struct lns *l, struct session *s)
{
	struct plugin_reg *r = reg_of(l, PLUGIN_NEW_SESSION_MASTER);
	if (!r)
		return PLUGIN_RET_OK;
	struct ev_ctx e = {.l = l, .s = s};
	return plugin_run(r, PLUGIN_NEW_SESSION_MASTER, &e.sv, ev_refresh, &e);
}

/* ---- pluginfuncs ---------------------------------------------------------------- */

static const char *who(void)
{
	const char *n = the_lns->plugins->reg.current;
	return n ? n : "?";
}

static int clamp_level(int level)
{
	return level < LOG_CRIT ? LOG_CRIT : level > LOG_DATA ? LOG_DATA : level;
}

static void f_log(int level, sessionidt s, tunnelidt t, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void f_log(int level, sessionidt s, tunnelidt t, const char *fmt, ...)
{
	char msg[LOG_LINE], ids[40] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')	/* the original's plugins end lines with \n */
		msg[--n] = 0;
	if (t && s)
		snprintf(ids, sizeof ids, "tid=%u sid=%u ", t, s);
	else if (t || s)
		snprintf(ids, sizeof ids, "%s=%u ", t ? "tid" : "sid", t ? t : s);
	LNS_LOG(the_lns, clamp_level(level), "plugin %s: %s%s", who(), ids, msg);
}

static void f_log_hex(int level, const char *title, const uint8_t *data, size_t len)
{
	struct lns *l = the_lns;
	if (clamp_level(level) > l->log.level)
		return;
	if (len > 512)
		len = 512;
	LNS_LOG(l, clamp_level(level), "plugin %s: %s (%zu bytes)", who(), title ? title : "",
		len);
	for (size_t off = 0; off < len; off += 16) {
		char line[16 * 3 + 1];
		size_t o = 0;
		for (size_t i = off; i < off + 16 && i < len; i++)
			o += (size_t)snprintf(line + o, sizeof line - o, " %02x", data[i]);
		LNS_LOG(l, clamp_level(level), "plugin %s:   %04zx%s", who(), off, line);
	}
}

static const char *f_fmtaddr(uint32_t addr, int n)
{
	char *b = the_lns->plugins->addrbuf[n & 3];
	struct in_addr a = {addr};
	inet_ntop(AF_INET, &a, b, INET_ADDRSTRLEN);
	return b;
}

static sessionidt f_get_session_by_username(const char *user)
{
	struct lns *l = the_lns;
	if (!user || !user[0])
		return 0;
	/* the bucket chain is newest first (lns_session_set_user prepends) */
	for (uint32_t i = lns_session_first_of_user(l, user); i; i = l->sessions[i].unext) {
		const struct session *s = &l->sessions[i];
		if (s->r.state != SESS_FREE && s->r.state != SESS_CLOSING && !s->plugin_killed &&
		    !strcmp(s->r.user, user))
			return i;
	}
	return 0;
}

static int f_get_session_by_id(sessionidt id, sessiont *out)
{
	struct session *s = lns_session(the_lns, id);
	if (!s || !out)
		return -ENOENT;
	view_session(the_lns, s, out);
	return 0;
}

static sessionidt f_get_id_by_session(const sessiont *s)
{
	return s ? s->id : 0;
}

static int f_getconfig(const char *key, char *buf, size_t len)
{
	int i = key ? config_var_index(key) : -ENOENT;
	if (i < 0)
		return -ENOENT;
	return config_get(the_lns->cfg, (size_t)i, buf, len);
}

static int f_sessionshutdown(sessionidt id, const char *reason, int result)
{
	struct lns *l = the_lns;
	struct session *s = lns_session(l, id);
	if (!s)
		return -ENOENT;
	if (result <= 0 || result > 0xffff)
		result = L2TP_CDN_ADMIN;
	if (s->r.state == SESS_CLOSING || s->plugin_killed)
		return 0;	/* already ending (e.g. asked from its KILL_SESSION hook) */
	LNS_LOG(l, LOG_INFO, "tid=%u sid=%u user=%s plugin %s: shutdown", s->r.tid, s->r.id,
		s->r.user, who());
	int r = lns_session_drop(l, s, (uint16_t)result, reason && reason[0] ? reason : "plugin");
	return r < 0 ? r : 0;
}

static int f_sessionkill(sessionidt id, const char *reason)
{
	struct lns *l = the_lns;
	struct plugin_core *pc = l->plugins;
	struct session *s = lns_session(l, id);
	if (!s)
		return -ENOENT;
	int r = f_sessionshutdown(id, reason, L2TP_CDN_ADMIN);
	if (r < 0)
		return r;
	if (pc->npending < PENDING_KILLS) {
		pc->pending[pc->npending].id = s->r.id;
		pc->pending[pc->npending].unique = s->r.unique_id;
		pc->npending++;
	}	/* else: it lingers as after a shutdown, which is harmless */
	run_pending_kills(l);
	return 0;
}

static int f_set_connect_speed(sessionidt id, uint32_t rx, uint32_t tx)
{
	struct session *s = lns_session(the_lns, id);
	if (!s)
		return -ENOENT;
	s->r.rx_speed = rx;
	s->r.tx_speed = tx;
	return 0;
}

static int not_active(bool *warned, const char *what)
{
	if (!*warned)
		LNS_LOG(the_lns, LOG_WARN, "plugin %s: %s is not active yet: request ignored",
			who(), what);
	*warned = true;
	return -ENOSYS;
}

static int f_throttle(sessionidt id, int in, int out)
{
	(void)in;
	(void)out;
	if (!lns_session(the_lns, id))
		return -ENOENT;
	return not_active(&the_lns->plugins->warned_throttle, "throttling");
}

static int f_snoop(sessionidt id, uint32_t ip, uint16_t port)
{
	(void)ip;
	(void)port;
	if (!lns_session(the_lns, id))
		return -ENOENT;
	return not_active(&the_lns->plugins->warned_snoop, "snooping");
}

/* ---- loading ------------------------------------------------------------------- */

static void reg_log(void *ctx, int level, const char *msg)
{
	LNS_LOG((struct lns *)ctx, level, "%s", msg);
}

int lns_plugins_init(struct lns *l)
{
	struct plugin_core *pc = calloc(1, sizeof *pc);
	if (!pc)
		return -ENOMEM;
	the_lns = l;
	pc->funcs = (struct pluginfuncs){
		.log = f_log,
		.log_hex = f_log_hex,
		.fmtaddr = f_fmtaddr,
		.get_session_by_username = f_get_session_by_username,
		.get_session_by_id = f_get_session_by_id,
		.get_id_by_session = f_get_id_by_session,
		.getconfig = f_getconfig,
		.sessionshutdown = f_sessionshutdown,
		.sessionkill = f_sessionkill,
		.set_connect_speed = f_set_connect_speed,
		.throttle = f_throttle,
		.snoop = f_snoop,
	};
	plugin_reg_init(&pc->reg, &pc->funcs, reg_log, l);
	l->plugins = pc;
	for (unsigned i = 0; i < l->cfg->nplugins; i++)
		lns_plugin_load(l, l->cfg->plugins[i]);
	/* A standalone server is its own master (the cluster, when it comes,
	 * calls this on election instead). */
	lns_plugin_become_master(l);
	return 0;
}

void lns_plugins_fini(struct lns *l)
{
	if (!l->plugins)
		return;
	plugin_reg_fini(&l->plugins->reg);
	free(l->plugins);
	l->plugins = NULL;
}

static bool listed(const struct config *c, const char *name)
{
	for (unsigned i = 0; i < c->nplugins; i++)
		if (!strcmp(c->plugins[i], name))
			return true;
	return false;
}

void lns_plugins_reconfig(struct lns *l, const struct config *old)
{
	if (!l->plugins)
		return;
	for (unsigned i = 0; i < old->nplugins; i++)
		if (!listed(l->cfg, old->plugins[i]) && plugin_find(&l->plugins->reg, old->plugins[i]) >= 0)
			lns_plugin_unload(l, old->plugins[i]);
	/* also retries one that failed before (e.g. installed since) */
	for (unsigned i = 0; i < l->cfg->nplugins; i++)
		if (plugin_find(&l->plugins->reg, l->cfg->plugins[i]) < 0)
			lns_plugin_load(l, l->cfg->plugins[i]);
}

int lns_plugin_load(struct lns *l, const char *name)
{
	if (!l->plugins)
		return -ENOMEM;
	return plugin_load(&l->plugins->reg, l->cfg->plugin_dir, name);
}

int lns_plugin_unload(struct lns *l, const char *name)
{
	if (!l->plugins)
		return -ESRCH;
	int r = plugin_unload(&l->plugins->reg, name);
	if (r != -ENOENT)
		return r;
	/* not loaded: "plugin not loaded" if it exists, else "not found" */
	char path[CONFIG_STR_PATH + PLUGIN_NAME_MAX + 8];
	struct stat st;
	if (!plugin_valid_name(name))
		return -ESRCH;
	snprintf(path, sizeof path, "%s/%s.so",
		 l->cfg->plugin_dir[0] ? l->cfg->plugin_dir : PLUGIN_DIR_DEFAULT, name);
	return stat(path, &st) == 0 ? -ENOENT : -ESRCH;
}

unsigned lns_plugin_count(const struct lns *l)
{
	return l->plugins ? l->plugins->reg.n : 0;
}

const char *lns_plugin_name(const struct lns *l, unsigned i)
{
	return l->plugins && i < l->plugins->reg.n ? l->plugins->reg.m[i].name : NULL;
}

int lns_plugin_help(const struct lns *l, size_t i, const char *const **lines)
{
	return l->plugins ? plugin_help(&l->plugins->reg, i, lines) : -ENOENT;
}
