/*
 * `show running-config` / `write memory` / `l2tpns -n`: the configuration
 * printed in the format of reference §3.2, which config_parse() reads back
 * to the same object (print(parse(print(c))) == print(c)).
 */
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int config_buf_sink(void *ctx, const char *s, size_t len)
{
	struct config_buf *b = ctx;
	if (b->len + len + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 1024;
		while (nc < b->len + len + 1)
			nc *= 2;
		char *p = realloc(b->p, nc);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = 0;
	return 0;
}

void config_buf_free(struct config_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

struct printer {
	config_sink sink;
	void *ctx;
	int err;
};

static void pr(struct printer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pr(struct printer *p, const char *fmt, ...)
{
	if (p->err)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line) {
		/* every printed item is bounded well below this */
		p->err = -EOVERFLOW;
		return;
	}
	p->err = p->sink(p->ctx, line, (size_t)n);
}

static void print_acl(struct printer *p, const struct config_acl *a)
{
	pr(p, "ip access-list %s %s\n", a->extended ? "extended" : "standard", a->name);
	for (unsigned i = 0; i < a->nrules; i++) {
		char r[256];
		config_acl_format_rule(&a->rules[i], a->extended, r, sizeof r);
		pr(p, " %s\n", r);
	}
}

int config_print_acl(const struct config_acl *acl, config_sink sink, void *ctx)
{
	struct printer p = { sink, ctx, 0 };
	print_acl(&p, acl);
	return p.err;
}

int config_print(const struct config *cfg, unsigned flags, config_sink sink,
		 void *ctx)
{
	struct printer p = { sink, ctx, 0 };
	size_t n;
	const struct config_var *v = config_vars(&n);

	pr(&p, "# Current configuration:\n");
	for (size_t i = 0; i < n; i++) {
		char val[CONFIG_STR_PATH + 8];
		config_get(cfg, i, val, sizeof val);
		if (v[i].type != CFG_STRING) {
			pr(&p, "set %s %s\n", v[i].name, val);
		} else if ((flags & CONFIG_PRINT_HIDE_SECRETS) && (v[i].flags & CFG_F_SECRET) && *val) {
			/* a comment, so that pasting it back cannot set a
			 * wrong secret */
			pr(&p, "# set %s (hidden)\n", v[i].name);
		} else {
			/* config_set() refuses values with both quotes */
			char q = strchr(val, '"') ? '\'' : '"';
			pr(&p, "set %s %c%s%c\n", v[i].name, q, val, q);
		}
	}
	pr(&p, "# Plugins\n");
	for (unsigned i = 0; i < cfg->nplugins; i++)
		pr(&p, "load plugin \"%s\"\n", cfg->plugins[i]);
	if (cfg->bgp.as) {
		pr(&p, "# BGP\n");
		pr(&p, "router bgp %u\n", (unsigned)cfg->bgp.as);
		for (unsigned i = 0; i < cfg->bgp.npeers; i++) {
			const struct config_bgp_peer *b = &cfg->bgp.peer[i];
			if (b->as)
				pr(&p, " neighbour %s remote-as %u\n", b->name, (unsigned)b->as);
			if (!b->as || b->keepalive != CONFIG_BGP_KEEPALIVE || b->hold != CONFIG_BGP_HOLD)
				pr(&p, " neighbour %s timers %u %u\n", b->name,
				   (unsigned)b->keepalive, (unsigned)b->hold);
		}
	}
	if (cfg->nacls) {
		pr(&p, "# Filters\n");
		for (unsigned i = 0; i < cfg->nacls; i++)
			print_acl(&p, &cfg->acls[i]);
	}
	pr(&p, "# end\n");
	return p.err;
}

static int fd_sink(void *ctx, const char *s, size_t len)
{
	int fd = *(int *)ctx;
	while (len) {
		ssize_t w = write(fd, s, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

int config_write_file(const struct config *cfg, const char *path)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return -ENAMETOOLONG;
	/* 0600: the file holds the RADIUS and L2TP secrets */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int r = config_print(cfg, 0, fd_sink, &fd);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	/* rename last: a crash leaves either the old or the new file whole */
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}
