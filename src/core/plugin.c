/*
 * Plugin registry: loading, unloading and hook chains (core/plugin.h).
 */
#include "core/plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"

/* Hook symbols by event number: the intended table of reference §7.1 (not
 * the 2.2.x one shifted by two stale packet_rx/packet_tx entries). */
static const char *const hook_sym[PLUGIN_EVENT_MAX + 1] = {
	[PLUGIN_PRE_AUTH] = "plugin_pre_auth",
	[PLUGIN_POST_AUTH] = "plugin_post_auth",
	[PLUGIN_TIMER] = "plugin_timer",
	[PLUGIN_NEW_SESSION] = "plugin_new_session",
	[PLUGIN_KILL_SESSION] = "plugin_kill_session",
	[PLUGIN_CONTROL] = "plugin_control",
	[PLUGIN_RADIUS_RESPONSE] = "plugin_radius_response",
	[PLUGIN_RADIUS_RESET] = "plugin_radius_reset",
	[PLUGIN_RADIUS_ACCOUNT] = "plugin_radius_account",
	[PLUGIN_BECOME_MASTER] = "plugin_become_master",
	[PLUGIN_NEW_SESSION_MASTER] = "plugin_new_session_master",
};

typedef int (*hook_fn)(void *);
typedef int (*hook0_fn)(void);
typedef int (*init_fn)(struct pluginfuncs *);
typedef void (*done_fn)(void);

/* dlsym gives an object pointer; POSIX requires that converting it to a
 * function pointer works (XSH dlsym, "Application Usage"). */
#define AS_FN(type, p) ((type)(uintptr_t)(p))

static void plog(const struct plugin_reg *r, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void plog(const struct plugin_reg *r, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (!r->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->log(r->log_ctx, level, msg);
}

void plugin_reg_init(struct plugin_reg *r, struct pluginfuncs *funcs,
		     void (*log)(void *ctx, int level, const char *msg), void *log_ctx)
{
	memset(r, 0, sizeof *r);
	r->funcs = funcs;
	r->log = log;
	r->log_ctx = log_ctx;
}

bool plugin_valid_name(const char *n)
{
	size_t l = n ? strlen(n) : 0;
	if (l == 0 || l >= PLUGIN_NAME_MAX || n[0] == '.')
		return false;
	for (; *n; n++) {
		char c = *n;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

int plugin_find(const struct plugin_reg *r, const char *name)
{
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->m[i].name, name))
			return (int)i;
	return -ENOENT;
}

const char *plugin_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case -EINVAL:
		return "bad plugin name";
	case -EEXIST:
		return "already loaded";
	case -EBUSY:
		return "busy (called from a plugin hook)";
	case -ENOENT:
		return "not found";
	case -ESRCH:
		return "no such plugin";
	case -ENOEXEC:
		return "cannot be loaded";
	case -EPROTO:
		return "wrong plugin_api_version";
	case -ECANCELED:
		return "plugin_init refused";
	case -ENOMEM:
		return "out of memory";
	default:
		return strerror(-err);
	}
}

int plugin_load(struct plugin_reg *r, const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	if (!plugin_valid_name(name)) {
		plog(r, LOG_ERR, "plugin '%.64s': bad name (letters, digits, _ - . only)",
		     name ? name : "");
		return -EINVAL;
	}
	if (r->running) {
		plog(r, LOG_ERR, "plugin %s: not loaded from inside a plugin hook", name);
		return -EBUSY;
	}
	if (plugin_find(r, name) >= 0)
		return -EEXIST;
	snprintf(path, sizeof path, "%s/%s.so", dir && dir[0] ? dir : PLUGIN_DIR_DEFAULT, name);
	if (stat(path, &st) < 0) {
		int e = errno;
		plog(r, LOG_ERR, "plugin %s: cannot load %s: %s", name, path, strerror(e));
		return e == ENOENT ? -ENOENT : -ENOEXEC;
	}
	if (r->n == r->cap) {
		unsigned nc = r->cap ? r->cap * 2 : 8;
		struct plugin_mod *nm = realloc(r->m, nc * sizeof *nm);
		if (!nm)
			return -ENOMEM;
		r->m = nm;
		r->cap = nc;
	}
	dlerror();
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		const char *e = dlerror();
		plog(r, LOG_ERR, "plugin %s: cannot load %s: %s", name, path, e ? e : "?");
		return -ENOEXEC;
	}
	const int *ver = dlsym(dl, "plugin_api_version");
	if (!ver || *ver != PLUGIN_API_VERSION) {
		if (ver)
			plog(r, LOG_ERR,
			     "plugin %s: plugin_api_version %d, this daemon speaks %d: not loaded",
			     name, *ver, PLUGIN_API_VERSION);
		else
			plog(r, LOG_ERR, "plugin %s: no plugin_api_version symbol: not loaded", name);
		dlclose(dl);
		return -EPROTO;
	}
	struct plugin_mod *m = &r->m[r->n];
	memset(m, 0, sizeof *m);
	snprintf(m->name, sizeof m->name, "%s", name);
	m->dl = dl;
	for (int ev = 1; ev <= PLUGIN_EVENT_MAX; ev++)
		m->hook[ev] = dlsym(dl, hook_sym[ev]);
	m->done = AS_FN(done_fn, dlsym(dl, "plugin_done"));
	m->help = dlsym(dl, "plugin_control_help");
	void *init = dlsym(dl, "plugin_init");
	if (init) {
		r->current = m->name;
		r->running++;	/* init may call funcs; it may not load others */
		int ok = AS_FN(init_fn, init)(r->funcs);
		r->running--;
		r->current = NULL;
		if (!ok) {
			plog(r, LOG_ERR, "plugin %s: plugin_init refused to load", name);
			dlclose(dl);
			return -ECANCELED;
		}
	}
	r->n++;
	for (int ev = 1; ev <= PLUGIN_EVENT_MAX; ev++)
		if (m->hook[ev])
			r->nhooks[ev]++;
	char hooks[256] = "";
	size_t o = 0;
	for (int ev = 1; ev <= PLUGIN_EVENT_MAX && o < sizeof hooks; ev++)
		if (m->hook[ev])
			o += (size_t)snprintf(hooks + o, sizeof hooks - o, " %s",
					      hook_sym[ev] + strlen("plugin_"));
	plog(r, LOG_INFO, "plugin %s loaded from %s, hooks:%s", name, path, o ? hooks : " none");
	return 0;
}

static void unload_at(struct plugin_reg *r, unsigned i)
{
	struct plugin_mod *m = &r->m[i];
	if (m->done) {
		r->current = m->name;
		r->running++;
		m->done();
		r->running--;
		r->current = NULL;
	}
	for (int ev = 1; ev <= PLUGIN_EVENT_MAX; ev++)
		if (m->hook[ev])
			r->nhooks[ev]--;
	plog(r, LOG_INFO, "plugin %s unloaded", m->name);
	dlclose(m->dl);
	memmove(&r->m[i], &r->m[i + 1], (r->n - i - 1) * sizeof r->m[0]);
	r->n--;
}

int plugin_unload(struct plugin_reg *r, const char *name)
{
	int i = plugin_find(r, name);
	if (i < 0)
		return -ENOENT;
	if (r->running) {
		plog(r, LOG_ERR, "plugin %s: not unloaded from inside a plugin hook", name);
		return -EBUSY;
	}
	unload_at(r, (unsigned)i);
	return 0;
}

void plugin_reg_fini(struct plugin_reg *r)
{
	while (r->n)
		unload_at(r, r->n - 1);
	free(r->m);
	r->m = NULL;
	r->cap = 0;
}

int plugin_run(struct plugin_reg *r, int ev, void *param, plugin_refresh_fn refresh, void *ctx)
{
	int ret = PLUGIN_RET_OK;
	if (!plugin_hooked(r, ev))
		return ret;
	const char *outer = r->current;
	r->running++;
	for (unsigned i = 0; i < r->n && ret == PLUGIN_RET_OK; i++) {
		void *h = r->m[i].hook[ev];
		if (!h)
			continue;
		if (refresh)
			refresh(ctx);
		r->current = r->m[i].name;
		if (ev == PLUGIN_BECOME_MASTER)
			ret = AS_FN(hook0_fn, h)();
		else
			ret = AS_FN(hook_fn, h)(param);
	}
	r->current = outer;
	r->running--;
	return ret;
}

int plugin_help(const struct plugin_reg *r, size_t i, const char *const **lines)
{
	if (i >= r->n)
		return -ENOENT;
	*lines = (const char *const *)r->m[i].help;
	return 0;
}
