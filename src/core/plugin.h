/*
 * Plugins (public API: include/l2tpns/plugin.h; reference §7.1).
 *
 * Two parts:
 *
 *  plugin.c       the registry: dlopen(RTLD_NOW) of DIR/NAME.so, API version
 *                 check, plugin_init / plugin_done, hook lookup by symbol
 *                 name, and running one event's hooks in load order (any
 *                 return other than PLUGIN_RET_OK stops the chain and is
 *                 returned). Knows nothing of the daemon's tables: unit-tested
 *                 alone with small test plugins (tests/unit/test_plugin.c).
 *
 *  plugin_core.c  the daemon's side: one lns_plugin_*() function per event,
 *                 which builds the views (struct plugin_session/_tunnel)
 *                 from the tables and runs the chain; the pluginfuncs
 *                 callbacks, each going through the core's own functions
 *                 (lns_session_drop ...); the `load plugin` list of the
 *                 configuration loaded at start and reconciled on SIGHUP.
 *
 * Loading and unloading are refused while a hook chain is running (a hook
 * cannot pull the registry from under the loop that called it).
 */
#ifndef L2TPNS_CORE_PLUGIN_H
#define L2TPNS_CORE_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tpns/plugin.h"

#define PLUGIN_NAME_MAX 64	/* as CONFIG_PLUGIN_NAME */
#define PLUGIN_DIR_DEFAULT "/usr/lib/l2tpns"

struct plugin_mod {
	char name[PLUGIN_NAME_MAX];
	void *dl;
	void *hook[PLUGIN_EVENT_MAX + 1];	/* dlsym of plugin_<event>, or NULL */
	void (*done)(void);
	const char **help;			/* plugin_control_help, or NULL */
};

struct plugin_reg {
	struct pluginfuncs *funcs;	/* handed to every plugin_init */
	/* log sink: one finished line, level as core/log.h */
	void (*log)(void *ctx, int level, const char *msg);
	void *log_ctx;
	struct plugin_mod *m;		/* loaded plugins, in load order */
	unsigned n, cap;
	unsigned nhooks[PLUGIN_EVENT_MAX + 1];	/* plugins with a hook per event */
	int running;			/* hook chains in progress (nesting depth) */
	const char *current;		/* plugin whose code runs now, or NULL */
};

/* Before each hook: refresh the views the parameter points at. */
typedef void (*plugin_refresh_fn)(void *ctx);

void plugin_reg_init(struct plugin_reg *r, struct pluginfuncs *funcs,
		     void (*log)(void *ctx, int level, const char *msg), void *log_ctx);
/* Unload everything, last loaded first (plugin_done of each). */
void plugin_reg_fini(struct plugin_reg *r);

/* [A-Za-z0-9_.-], 1..63 characters, not starting with '.': never a path. */
bool plugin_valid_name(const char *name);

/*
 * Load DIR/NAME.so. 0, or:
 *   -EINVAL     bad name
 *   -EEXIST     already loaded
 *   -EBUSY      called from inside a hook
 *   -ENOENT     no such file
 *   -ENOEXEC    dlopen failed (text from dlerror() logged)
 *   -EPROTO     plugin_api_version missing or not PLUGIN_API_VERSION
 *   -ECANCELED  plugin_init returned 0
 *   -ENOMEM
 * Every failure is logged with the plugin's name.
 */
int plugin_load(struct plugin_reg *r, const char *dir, const char *name);
/* Unload (plugin_done, dlclose). 0, -ENOENT not loaded, -EBUSY in a hook. */
int plugin_unload(struct plugin_reg *r, const char *name);
/* Index of a loaded plugin, or -ENOENT. */
int plugin_find(const struct plugin_reg *r, const char *name);
/* Short text for a plugin_load/unload error ("not found", ...). */
const char *plugin_strerror(int err);

/* Whether any loaded plugin hooks event ev (skip building views if not). */
static inline bool plugin_hooked(const struct plugin_reg *r, int ev)
{
	return r && ev > 0 && ev <= PLUGIN_EVENT_MAX && r->nhooks[ev] > 0;
}

/*
 * Run event ev's hooks in load order with param; refresh(ctx), if given, is
 * called before each hook. Returns PLUGIN_RET_OK when every hook returned
 * OK (or none exists), else the first other value.
 */
int plugin_run(struct plugin_reg *r, int ev, void *param, plugin_refresh_fn refresh,
	       void *ctx);

/* The i-th plugin's help lines (NULL-terminated, *lines may be NULL): 0,
 * or -ENOENT past the last plugin. */
int plugin_help(const struct plugin_reg *r, size_t i, const char *const **lines);

/* ---- plugin_core.c: the daemon's side ----------------------------------- */

struct lns;
struct session;
struct config;
struct control_call;

/* Set up the registry and load the configuration's `load plugin` list
 * (failures logged, never fatal). */
int lns_plugins_init(struct lns *l);
void lns_plugins_fini(struct lns *l);
/* SIGHUP: l->cfg is the new configuration, old the previous one: plugins
 * only old listed are unloaded, those the new one lists are loaded. */
void lns_plugins_reconfig(struct lns *l, const struct config *old);

/* Operator commands. Load: 0, -EEXIST or an error as plugin_load.
 * Unload: 0, -ENOENT (not loaded, but DIR/NAME.so exists), -ESRCH (no such
 * plugin at all) or -EBUSY. */
int lns_plugin_load(struct lns *l, const char *name);
int lns_plugin_unload(struct lns *l, const char *name);
unsigned lns_plugin_count(const struct lns *l);
const char *lns_plugin_name(const struct lns *l, unsigned i);
int lns_plugin_help(const struct lns *l, size_t i, const char *const **lines);

/* Events. Each returns the chain's PLUGIN_RET_* value. */
/* user/pass are rewritten in place (NUL-terminated within their capacity);
 * *continue_auth false: abandon the request silently. */
int lns_plugin_pre_auth(struct lns *l, struct session *s, char *user, size_t usercap, char *pass,
			size_t passcap, int proto, bool *continue_auth);
int lns_plugin_post_auth(struct lns *l, struct session *s, const char *user, int proto,
			 bool *allowed);
int lns_plugin_timer(struct lns *l, uint64_t now_unix);
int lns_plugin_new_session(struct lns *l, struct session *s);
/* Once per session: later calls for the same session do nothing. */
int lns_plugin_kill_session(struct lns *l, struct session *s);
int lns_plugin_control(struct lns *l, struct control_call *call);
int lns_plugin_radius_response(struct lns *l, struct session *s, const char *key,
			       const char *value);
int lns_plugin_radius_reset(struct lns *l, struct session *s);
/* Plugins append attributes to buf[0..cap); *used receives how many bytes
 * (0 when a plugin overran or moved the pointer backwards). */
int lns_plugin_radius_account(struct lns *l, struct session *s, uint8_t *buf, size_t cap,
			      size_t *used);
int lns_plugin_become_master(struct lns *l);
int lns_plugin_new_session_master(struct lns *l, struct session *s);

#endif
