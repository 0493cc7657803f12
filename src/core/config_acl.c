/*
 * Named IPv4 access lists (reference §10.4): the rule grammar of the
 * original's CLI, parsed into plain structs and printed back canonically.
 *
 * Unlike the original we also parse the optional destination of a standard
 * rule (its manual documents it; its parser ignored it), and the limits are
 * CONFIG_ACL_MAX_LISTS x CONFIG_ACL_MAX_RULES instead of 32 x 31.
 */
#include "core/config_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool config_acl_name_valid(const char *name)
{
	size_t l = strlen(name);
	if (l == 0 || l >= CONFIG_ACL_NAME)
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int config_acl_index(const struct config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->nacls; i++)
		if (!strcmp(cfg->acls[i].name, name))
			return (int)i;
	return -ENOENT;
}

const struct config_acl *config_acl_find(const struct config *cfg, const char *name)
{
	int i = config_acl_index(cfg, name);
	return i < 0 ? NULL : &cfg->acls[i];
}

int config_acl_open(struct config *cfg, const char *name, bool extended,
		    char *why, size_t whylen)
{
	if (!config_acl_name_valid(name)) {
		snprintf(why, whylen, "bad access-list name '%s' (1..31 of A-Z a-z 0-9 _ -)", name);
		return -EINVAL;
	}
	int i = config_acl_index(cfg, name);
	if (i >= 0) {
		if (cfg->acls[i].extended != extended) {
			snprintf(why, whylen, "access-list '%s' exists as %s", name,
				 cfg->acls[i].extended ? "extended" : "standard");
			return -EINVAL;
		}
		return i;
	}
	if (cfg->nacls >= CONFIG_ACL_MAX_LISTS) {
		snprintf(why, whylen, "too many access-lists (at most %d)", CONFIG_ACL_MAX_LISTS);
		return -ENOSPC;
	}
	if (cfg->nacls == cfg->acls_cap) {
		unsigned nc = cfg->acls_cap ? cfg->acls_cap * 2 : 8;
		struct config_acl *n = realloc(cfg->acls, nc * sizeof *n);
		if (!n) {
			snprintf(why, whylen, "out of memory");
			return -ENOMEM;
		}
		cfg->acls = n;
		cfg->acls_cap = nc;
	}
	struct config_acl *a = &cfg->acls[cfg->nacls];
	memset(a, 0, sizeof *a);
	memcpy(a->name, name, strlen(name) + 1);
	a->extended = extended;
	return (int)cfg->nacls++;
}

int config_acl_remove(struct config *cfg, const char *name, bool extended,
		      char *why, size_t whylen)
{
	int i = config_acl_index(cfg, name);
	if (i < 0) {
		snprintf(why, whylen, "no access-list '%s'", name);
		return -ENOENT;
	}
	if (cfg->acls[i].extended != extended) {
		snprintf(why, whylen, "access-list '%s' is %s", name,
			 cfg->acls[i].extended ? "extended" : "standard");
		return -EINVAL;
	}
	free(cfg->acls[i].rules);
	memmove(&cfg->acls[i], &cfg->acls[i + 1],
		(cfg->nacls - (unsigned)i - 1) * sizeof cfg->acls[0]);
	cfg->nacls--;
	return 0;
}

int config_acl_append(struct config *cfg, unsigned idx, const struct acl_rule *r,
		      char *why, size_t whylen)
{
	struct config_acl *a = &cfg->acls[idx];
	if (a->nrules >= CONFIG_ACL_MAX_RULES) {
		snprintf(why, whylen, "access-list '%s' is full (at most %d rules)",
			 a->name, CONFIG_ACL_MAX_RULES);
		return -ENOSPC;
	}
	if (a->nrules == a->cap) {
		unsigned nc = a->cap ? a->cap * 2 : 8;
		struct acl_rule *n = realloc(a->rules, nc * sizeof *n);
		if (!n) {
			snprintf(why, whylen, "out of memory");
			return -ENOMEM;
		}
		a->rules = n;
		a->cap = nc;
	}
	a->rules[a->nrules++] = *r;
	return 0;
}

/* ---- rule grammar ---------------------------------------------------- */

struct cursor {
	const char *const *w;
	unsigned n, i;
	char *why;
	size_t whylen;
};

static const char *peek(const struct cursor *c)
{
	return c->i < c->n ? c->w[c->i] : NULL;
}

/* "before 'arg' after", or "before end of line after" when arg is NULL */
static int fail(struct cursor *c, const char *before, const char *arg,
		const char *after)
{
	if (arg)
		snprintf(c->why, c->whylen, "%s'%.60s'%s", before, arg, after);
	else
		snprintf(c->why, c->whylen, "%send of line%s", before, after);
	return -EINVAL;
}

/* any | host A | A WILDCARD */
static int parse_addr(struct cursor *c, const char *what, struct acl_addr *a)
{
	const char *t = peek(c);
	char m[96];
	snprintf(m, sizeof m, "expected %s (any, host A.B.C.D or A.B.C.D WILDCARD), got ", what);
	if (!t)
		return fail(c, m, NULL, "");
	if (!strcasecmp(t, "any")) {
		c->i++;
		a->addr = 0;
		a->wild = 0xffffffffu;
		return 0;
	}
	if (!strcasecmp(t, "host")) {
		c->i++;
		t = peek(c);
		if (!t || config_parse_ipv4(t, &a->addr) < 0)
			return fail(c, "expected an address after 'host', got ", t, "");
		c->i++;
		a->wild = 0;
		return 0;
	}
	if (config_parse_ipv4(t, &a->addr) < 0)
		return fail(c, m, t, "");
	c->i++;
	t = peek(c);
	if (!t || config_parse_ipv4(t, &a->wild) < 0)
		return fail(c, "expected a wildcard mask after the address, got ", t, "");
	c->i++;
	/* canonical: bits the wildcard ignores are zero, so printing and
	 * matching agree whatever the operator typed */
	a->addr &= ~a->wild;
	return 0;
}

static int parse_port_num(struct cursor *c, uint16_t *out)
{
	const char *t = peek(c);
	long v;
	if (!t || config_parse_long(t, 0, 65535, &v) < 0)
		return fail(c, "expected a port number 0..65535, got ", t, "");
	c->i++;
	*out = (uint16_t)v;
	return 0;
}

/* [eq|neq|gt|lt N | range A B] */
static int parse_ports(struct cursor *c, uint8_t proto, struct acl_ports *p)
{
	static const struct { const char *w; uint8_t op; } ops[] = {
		{ "eq", ACL_PORT_EQ }, { "neq", ACL_PORT_NEQ }, { "gt", ACL_PORT_GT },
		{ "lt", ACL_PORT_LT }, { "range", ACL_PORT_RANGE },
	};
	const char *t = peek(c);
	p->op = ACL_PORT_ANY;
	p->lo = p->hi = 0;
	if (!t)
		return 0;
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		if (strcasecmp(t, ops[k].w))
			continue;
		if (proto == 0)
			return fail(c, "port match ", t, " needs tcp or udp");
		c->i++;
		p->op = ops[k].op;
		if (parse_port_num(c, &p->lo) < 0)
			return -EINVAL;
		if (p->op == ACL_PORT_RANGE) {
			if (parse_port_num(c, &p->hi) < 0)
				return -EINVAL;
			if (p->hi < p->lo) {
				snprintf(c->why, c->whylen, "port range %u %u is reversed",
					 (unsigned)p->lo, (unsigned)p->hi);
				return -EINVAL;
			}
		} else {
			p->hi = p->lo;
		}
		return 0;
	}
	return 0;
}

static const struct { const char *name; uint8_t bit; } tcp_flags[] = {
	{ "fin", ACL_TCP_FIN }, { "syn", ACL_TCP_SYN }, { "rst", ACL_TCP_RST },
	{ "psh", ACL_TCP_PSH }, { "ack", ACL_TCP_ACK }, { "urg", ACL_TCP_URG },
};

static int parse_flags(struct cursor *c, struct acl_rule *r)
{
	unsigned k = 0;
	const char *t;
	while ((t = peek(c)) && (t[0] == '+' || t[0] == '-')) {
		uint8_t bit = 0;
		for (size_t j = 0; j < sizeof tcp_flags / sizeof tcp_flags[0]; j++)
			if (!strcasecmp(t + 1, tcp_flags[j].name))
				bit = tcp_flags[j].bit;
		if (!bit)
			return fail(c, "unknown TCP flag ", t, " (+ or - then fin syn rst psh ack urg)");
		if ((r->flags_set | r->flags_clear) & bit)
			return fail(c, "TCP flag ", t, " given twice");
		if (t[0] == '+')
			r->flags_set |= bit;
		else
			r->flags_clear |= bit;
		c->i++;
		k++;
	}
	if (!k)
		return fail(c, "expected TCP flags (+syn -ack ...), got ", t, "");
	return 0;
}

int config_acl_parse_rule(bool extended, const char *const *w, unsigned n,
			  struct acl_rule *r, char *why, size_t whylen)
{
	struct cursor c = { w, n, 0, why, whylen };
	memset(r, 0, sizeof *r);
	const char *t = peek(&c);
	if (t && !strcasecmp(t, "permit"))
		r->permit = true;
	else if (!t || strcasecmp(t, "deny"))
		return fail(&c, "expected permit or deny, got ", t, "");
	c.i++;
	if (!extended) {
		if (parse_addr(&c, "source", &r->src) < 0)
			return -EINVAL;
		r->dst.wild = 0xffffffffu;
		if (peek(&c) && parse_addr(&c, "destination", &r->dst) < 0)
			return -EINVAL;
		if (peek(&c))
			return fail(&c, "unexpected ", peek(&c), " at the end of a standard rule");
		return 0;
	}
	t = peek(&c);
	if (t && !strcasecmp(t, "ip"))
		r->proto = 0;
	else if (t && !strcasecmp(t, "tcp"))
		r->proto = 6;
	else if (t && !strcasecmp(t, "udp"))
		r->proto = 17;
	else
		return fail(&c, "expected ip, tcp or udp, got ", t, "");
	c.i++;
	if (parse_addr(&c, "source", &r->src) < 0 || parse_ports(&c, r->proto, &r->sport) < 0 ||
	    parse_addr(&c, "destination", &r->dst) < 0 || parse_ports(&c, r->proto, &r->dport) < 0)
		return -EINVAL;
	t = peek(&c);
	if (t && !strcasecmp(t, "established")) {
		if (r->proto != 6)
			return fail(&c, "", t, " needs tcp");
		c.i++;
		r->tcp_op = ACL_TCP_ESTABLISHED;
	} else if (t && (!strcasecmp(t, "match-any") || !strcasecmp(t, "match-all"))) {
		if (r->proto != 6)
			return fail(&c, "", t, " needs tcp");
		c.i++;
		r->tcp_op = !strcasecmp(t, "match-any") ? ACL_TCP_MATCH_ANY : ACL_TCP_MATCH_ALL;
		if (parse_flags(&c, r) < 0)
			return -EINVAL;
	} else if (t && !strcasecmp(t, "fragments")) {
		/* a non-initial fragment has no L4 header to match */
		if (r->sport.op != ACL_PORT_ANY || r->dport.op != ACL_PORT_ANY)
			return fail(&c, "", t, " cannot be combined with port matches");
		c.i++;
		r->fragments = true;
	}
	if (peek(&c))
		return fail(&c, "unexpected ", peek(&c), " at the end of the rule");
	return 0;
}

/* ---- canonical text -------------------------------------------------- */

struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = o->pos < o->len ? o->buf + o->pos : NULL;
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	int n = vsnprintf(p, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static void put_addr(struct out *o, const struct acl_addr *a)
{
	char x[16], y[16];
	if (a->wild == 0xffffffffu)
		put(o, " any");
	else if (a->wild == 0)
		put(o, " host %s", config_fmt_ipv4(a->addr, x, sizeof x));
	else
		put(o, " %s %s", config_fmt_ipv4(a->addr, x, sizeof x),
		    config_fmt_ipv4(a->wild, y, sizeof y));
}

static void put_ports(struct out *o, const struct acl_ports *p)
{
	static const char *const w[] = { "", "eq", "neq", "gt", "lt", "range" };
	if (p->op == ACL_PORT_ANY || p->op > ACL_PORT_RANGE)
		return;
	if (p->op == ACL_PORT_RANGE)
		put(o, " range %u %u", (unsigned)p->lo, (unsigned)p->hi);
	else
		put(o, " %s %u", w[p->op], (unsigned)p->lo);
}

int config_acl_format_rule(const struct acl_rule *r, bool extended,
			   char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	if (len)
		buf[0] = 0;
	put(&o, "%s", r->permit ? "permit" : "deny");
	if (!extended) {
		put_addr(&o, &r->src);
		if (r->dst.wild != 0xffffffffu)
			put_addr(&o, &r->dst);
		return (int)o.pos;
	}
	put(&o, " %s", r->proto == 6 ? "tcp" : r->proto == 17 ? "udp" : "ip");
	put_addr(&o, &r->src);
	put_ports(&o, &r->sport);
	put_addr(&o, &r->dst);
	put_ports(&o, &r->dport);
	if (r->tcp_op == ACL_TCP_ESTABLISHED) {
		put(&o, " established");
	} else if (r->tcp_op == ACL_TCP_MATCH_ANY || r->tcp_op == ACL_TCP_MATCH_ALL) {
		put(&o, " %s", r->tcp_op == ACL_TCP_MATCH_ANY ? "match-any" : "match-all");
		for (size_t j = 0; j < sizeof tcp_flags / sizeof tcp_flags[0]; j++) {
			if (r->flags_set & tcp_flags[j].bit)
				put(&o, " +%s", tcp_flags[j].name);
			if (r->flags_clear & tcp_flags[j].bit)
				put(&o, " -%s", tcp_flags[j].name);
		}
	}
	if (r->fragments)
		put(&o, " fragments");
	return (int)o.pos;
}
