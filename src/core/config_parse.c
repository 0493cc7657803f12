/*
 * The startup-config statement language: what the original ran through its
 * CLI in config mode (reference §3.1), one statement per line. Every error
 * is reported with file and line and parsing goes on, so one run lists all
 * the mistakes of a file.
 */
#include "core/config_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void config_exec_init(struct config_exec *x, struct config *cfg, const char *file)
{
	memset(x, 0, sizeof *x);
	x->cfg = cfg;
	x->file = file;
	x->mode = CONFIG_MODE_TOP;
}

static bool is(const char *w, const char *kw)
{
	return !strcasecmp(w, kw);
}

static bool is_neighbour(const char *w)
{
	/* the original's spelling, and the manual's / Cisco's */
	return is(w, "neighbour") || is(w, "neighbor");
}

static int report(struct config_exec *x, struct config_errors *errs, int rc,
		  const char *why)
{
	config_error(errs, x->file, x->line, "%s", why);
	return rc;
}

static bool plugin_name_valid(const char *n)
{
	size_t l = strlen(n);
	if (l == 0 || l >= CONFIG_PLUGIN_NAME || n[0] == '.')
		return false;
	for (const char *p = n; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static int plugin_stmt(struct config_exec *x, bool load, const char *name,
		       char *why, size_t wl)
{
	struct config *cfg = x->cfg;
	if (!plugin_name_valid(name)) {
		snprintf(why, wl, "bad plugin name '%.60s'", name);
		return -EINVAL;
	}
	unsigned i;
	for (i = 0; i < cfg->nplugins; i++)
		if (!strcmp(cfg->plugins[i], name))
			break;
	if (!load) {
		if (i == cfg->nplugins) {
			snprintf(why, wl, "plugin '%.60s' is not loaded", name);
			return -ENOENT;
		}
		memmove(&cfg->plugins[i], &cfg->plugins[i + 1],
			(cfg->nplugins - i - 1) * sizeof cfg->plugins[0]);
		cfg->nplugins--;
		return 0;
	}
	if (i < cfg->nplugins) {
		snprintf(why, wl, "plugin '%.60s' is already loaded", name);
		return -EEXIST;
	}
	if (cfg->nplugins >= CONFIG_MAX_PLUGINS) {
		snprintf(why, wl, "too many plugins (at most %d)", CONFIG_MAX_PLUGINS);
		return -ENOSPC;
	}
	if (cfg->nplugins == cfg->plugins_cap) {
		unsigned nc = cfg->plugins_cap ? cfg->plugins_cap * 2 : 8;
		char (*np)[CONFIG_PLUGIN_NAME] = realloc(cfg->plugins, nc * sizeof *np);
		if (!np) {
			snprintf(why, wl, "out of memory");
			return -ENOMEM;
		}
		cfg->plugins = np;
		cfg->plugins_cap = nc;
	}
	memcpy(cfg->plugins[cfg->nplugins++], name, strlen(name) + 1);
	return 0;
}

static bool peer_name_valid(const char *n)
{
	size_t l = strlen(n);
	if (l == 0 || l >= CONFIG_BGP_PEER_NAME)
		return false;
	for (const char *p = n; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '_'))
			return false;
	}
	return true;
}

static int find_peer(const struct config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->bgp.npeers; i++)
		if (!strcasecmp(cfg->bgp.peer[i].name, name))
			return (int)i;
	return -ENOENT;
}

static int parse_as(const char *w, uint16_t *as, char *why, size_t wl)
{
	long v;
	if (config_parse_long(w, 1, 65535, &v) < 0) {
		snprintf(why, wl, "bad AS number '%.60s' (1..65535)", w);
		return -EINVAL;
	}
	*as = (uint16_t)v;
	return 0;
}

/* neighbour PEER remote-as AS | neighbour PEER timers K H | no neighbour PEER */
static int bgp_stmt(struct config_exec *x, const struct config_words *cw,
		    char *why, size_t wl)
{
	struct config_bgp *b = &x->cfg->bgp;
	bool no = is(cw->w[0], "no");
	unsigned k = no ? 2 : 1;
	if (cw->n <= k) {
		snprintf(why, wl, "neighbour needs a peer name or address");
		return -EINVAL;
	}
	const char *peer = cw->w[k];
	if (!peer_name_valid(peer)) {
		snprintf(why, wl, "bad neighbour name '%.60s'", peer);
		return -EINVAL;
	}
	int i = find_peer(x->cfg, peer);
	if (no) {
		if (cw->n > 3) {
			snprintf(why, wl, "unexpected '%.60s' after 'no neighbour %s'", cw->w[3], peer);
			return -EINVAL;
		}
		if (i < 0) {
			snprintf(why, wl, "no neighbour '%.60s'", peer);
			return -ENOENT;
		}
		memmove(&b->peer[i], &b->peer[i + 1],
			(b->npeers - (unsigned)i - 1) * sizeof b->peer[0]);
		b->npeers--;
		return 0;
	}
	uint16_t as = 0, ka = CONFIG_BGP_KEEPALIVE, hold = CONFIG_BGP_HOLD;
	bool timers;
	if (cw->n == 4 && is(cw->w[2], "remote-as")) {
		timers = false;
		if (parse_as(cw->w[3], &as, why, wl) < 0)
			return -EINVAL;
	} else if (cw->n == 5 && is(cw->w[2], "timers")) {
		long v;
		timers = true;
		if (config_parse_long(cw->w[3], 1, 65535, &v) < 0) {
			snprintf(why, wl, "bad keepalive '%.60s' (1..65535 s)", cw->w[3]);
			return -EINVAL;
		}
		ka = (uint16_t)v;
		if (config_parse_long(cw->w[4], 3, 65535, &v) < 0) {
			snprintf(why, wl, "bad hold time '%.60s' (3..65535 s)", cw->w[4]);
			return -EINVAL;
		}
		hold = (uint16_t)v;
	} else {
		snprintf(why, wl, "expected 'neighbour PEER remote-as AS' or "
			 "'neighbour PEER timers KEEPALIVE HOLD'");
		return -EINVAL;
	}
	if (i < 0) {
		if (b->npeers >= CONFIG_BGP_MAX_PEERS) {
			snprintf(why, wl, "too many BGP neighbours (at most %d)", CONFIG_BGP_MAX_PEERS);
			return -ENOSPC;
		}
		i = (int)b->npeers++;
		struct config_bgp_peer *p = &b->peer[i];
		memset(p, 0, sizeof *p);
		memcpy(p->name, peer, strlen(peer) + 1);
		p->keepalive = CONFIG_BGP_KEEPALIVE;
		p->hold = CONFIG_BGP_HOLD;
	}
	if (timers) {
		b->peer[i].keepalive = ka;
		b->peer[i].hold = hold;
	} else {
		b->peer[i].as = as;
	}
	return 0;
}

static int acl_rule_stmt(struct config_exec *x, const struct config_words *cw,
			 char *why, size_t wl)
{
	int idx = config_acl_index(x->cfg, x->acl);
	if (idx < 0) {
		snprintf(why, wl, "access-list '%.60s' no longer exists", x->acl);
		return -ENOENT;
	}
	const char *w[CONFIG_MAX_WORDS];
	for (unsigned i = 0; i < cw->n; i++)
		w[i] = cw->w[i];
	struct acl_rule r;
	if (config_acl_parse_rule(x->cfg->acls[idx].extended, w, cw->n, &r, why, wl) < 0)
		return -EINVAL;
	return config_acl_append(x->cfg, (unsigned)idx, &r, why, wl);
}

/* ip access-list standard|extended NAME, with k = index of "ip" */
static int acl_header(const struct config_words *cw, unsigned k, bool *ext,
		      char *why, size_t wl)
{
	if (cw->n != k + 4 || !is(cw->w[k + 1], "access-list") ||
	    !(is(cw->w[k + 2], "standard") || is(cw->w[k + 2], "extended"))) {
		snprintf(why, wl, "expected '%sip access-list standard|extended NAME'",
			 k ? "no " : "");
		return -EINVAL;
	}
	*ext = is(cw->w[k + 2], "extended");
	return 0;
}

static int top_stmt(struct config_exec *x, const struct config_words *cw,
		    char *why, size_t wl)
{
	const char *w0 = cw->w[0];
	if (is(w0, "set")) {
		if (cw->n < 3) {
			snprintf(why, wl, "expected 'set NAME VALUE'");
			return -EINVAL;
		}
		if (cw->n > 3) {
			snprintf(why, wl, "unexpected '%.60s' after the value of %.60s "
				 "(quote values that contain blanks)", cw->w[3], cw->w[1]);
			return -EINVAL;
		}
		return config_set(x->cfg, cw->w[1], cw->w[2], why, wl);
	}
	if (is(w0, "load") || is(w0, "remove")) {
		if (cw->n != 3 || !is(cw->w[1], "plugin")) {
			snprintf(why, wl, "expected '%s plugin NAME'", is(w0, "load") ? "load" : "remove");
			return -EINVAL;
		}
		return plugin_stmt(x, is(w0, "load"), cw->w[2], why, wl);
	}
	if (is(w0, "router")) {
		uint16_t as;
		if (cw->n != 3 || !is(cw->w[1], "bgp")) {
			snprintf(why, wl, "expected 'router bgp AS'");
			return -EINVAL;
		}
		if (parse_as(cw->w[2], &as, why, wl) < 0)
			return -EINVAL;
		if (x->cfg->bgp.as && x->cfg->bgp.as != as) {
			snprintf(why, wl, "BGP is already configured with AS %u",
				 (unsigned)x->cfg->bgp.as);
			return -EINVAL;
		}
		x->cfg->bgp.as = as;
		x->mode = CONFIG_MODE_BGP;
		return 0;
	}
	if (is(w0, "ip")) {
		bool ext;
		if (acl_header(cw, 0, &ext, why, wl) < 0)
			return -EINVAL;
		int r = config_acl_open(x->cfg, cw->w[3], ext, why, wl);
		if (r < 0)
			return r;
		memcpy(x->acl, cw->w[3], strlen(cw->w[3]) + 1);
		x->mode = CONFIG_MODE_ACL;
		return 0;
	}
	if (is(w0, "no") && cw->n > 1 && is(cw->w[1], "ip")) {
		bool ext;
		if (acl_header(cw, 1, &ext, why, wl) < 0)
			return -EINVAL;
		return config_acl_remove(x->cfg, cw->w[4], ext, why, wl);
	}
	if (is_neighbour(w0) || (is(w0, "no") && cw->n > 1 && is_neighbour(cw->w[1]))) {
		snprintf(why, wl, "'%.60s' outside a 'router bgp' block", w0);
		return -EINVAL;
	}
	if (is(w0, "permit") || is(w0, "deny")) {
		snprintf(why, wl, "'%.60s' outside an 'ip access-list' block", w0);
		return -EINVAL;
	}
	snprintf(why, wl, "unknown command '%.60s'", w0);
	return -EINVAL;
}

int config_exec_line(struct config_exec *x, const char *line, size_t len,
		     struct config_errors *errs)
{
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] == '#' || line[i] == '!')
		return 0;
	struct config_words *cw = malloc(sizeof *cw);
	if (!cw)
		return report(x, errs, -ENOMEM, "out of memory");
	const char *bad;
	char why[CONFIG_ERR_LEN];
	int rc;
	if (config_split(line + i, len - i, cw, &bad) < 0) {
		snprintf(why, sizeof why, "syntax error: %s", bad);
		rc = -EINVAL;
		goto out;
	}
	why[0] = 0;
	const char *w0 = cw->w[0];
	if (cw->n == 1 && (is(w0, "exit") || is(w0, "end"))) {
		x->mode = CONFIG_MODE_TOP;
		x->skip = false;
		rc = 0;
		goto out;
	}
	bool bgp_line = is_neighbour(w0) || (is(w0, "no") && cw->n > 1 && is_neighbour(cw->w[1]));
	bool acl_line = is(w0, "permit") || is(w0, "deny");
	if (x->skip && ((x->mode == CONFIG_MODE_BGP && bgp_line) ||
			(x->mode == CONFIG_MODE_ACL && acl_line))) {
		/* the block's header was reported already; its lines would
		 * only repeat that error */
		free(cw);
		return 0;
	}
	if (x->mode == CONFIG_MODE_BGP && bgp_line) {
		rc = bgp_stmt(x, cw, why, sizeof why);
		goto out;
	}
	if (x->mode == CONFIG_MODE_ACL && acl_line) {
		rc = acl_rule_stmt(x, cw, why, sizeof why);
		goto out;
	}
	/* anything else ends the block, as the next command at the
	 * outer level would in the original's CLI */
	x->mode = CONFIG_MODE_TOP;
	x->skip = false;
	rc = top_stmt(x, cw, why, sizeof why);
	if (rc < 0 && (is(w0, "router") || is(w0, "ip"))) {
		x->mode = is(w0, "router") ? CONFIG_MODE_BGP : CONFIG_MODE_ACL;
		x->skip = true;
	}
out:
	free(cw);
	if (rc < 0)
		return report(x, errs, rc, why[0] ? why : "error");
	x->changed++;
	return 0;
}

int config_check(const struct config *cfg, const char *file,
		 struct config_errors *errs)
{
	int rc = 0;
	for (unsigned i = 0; i < cfg->bgp.npeers; i++)
		if (!cfg->bgp.peer[i].as) {
			config_error(errs, file, 0, "neighbour %s has no remote-as",
				     cfg->bgp.peer[i].name);
			rc = -EINVAL;
		}
	if (cfg->radius_bind_min && cfg->radius_bind_max &&
	    cfg->radius_bind_min > cfg->radius_bind_max) {
		config_error(errs, file, 0, "radius_bind_min %u is above radius_bind_max %u",
			     (unsigned)cfg->radius_bind_min, (unsigned)cfg->radius_bind_max);
		rc = -EINVAL;
	}
	return rc;
}

int config_parse(const char *text, size_t len, const char *file,
		 struct config **out, struct config_errors *errs)
{
	struct config_errors local;
	if (!errs) {
		config_errors_init(&local);
		errs = &local;
	}
	*out = NULL;
	unsigned before = errs->count;
	struct config *cfg = config_new();
	if (!cfg) {
		config_error(errs, file, 0, "out of memory");
		return -ENOMEM;
	}
	struct config_exec x;
	config_exec_init(&x, cfg, file);
	size_t pos = 0;
	const char *line;
	long l;
	bool nomem = false;
	while ((l = config_next_line(text, len, &pos, &line)) >= 0) {
		x.line++;
		if (config_exec_line(&x, line, (size_t)l, errs) == -ENOMEM)
			nomem = true;
	}
	config_check(cfg, file, errs);
	if (errs->count != before) {
		config_free(cfg);
		return nomem ? -ENOMEM : -EINVAL;
	}
	*out = cfg;
	return 0;
}

int config_load_file(const char *path, struct config **out,
		     struct config_errors *errs)
{
	char *text;
	size_t len;
	*out = NULL;
	int r = config_read_file(path, &text, &len);
	if (r < 0) {
		config_error(errs, path, 0, "cannot read: %s", strerror(-r));
		return r;
	}
	r = config_parse(text, len, path, out, errs);
	free(text);
	return r;
}
