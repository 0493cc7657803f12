/* ip_pool parsing and expansion (see poolfile.h). */
#include "core/poolfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool skipped(const struct poolfile_range *r, uint32_t a)
{
	uint8_t low = (uint8_t)(a & 0xff);
	return r->is_range && (low == 0 || low == 255);
}

/* One line (no comment, trimmed) into r; NULL or the reason it is bad. */
static const char *pf_line(const char *l, size_t len, struct poolfile_range *r)
{
	char buf[64];
	if (len >= sizeof buf)
		return "line too long for an address";
	memcpy(buf, l, len);
	buf[len] = 0;
	if (memchr(l, 0, len))
		return "NUL byte in line";
	char *a = buf;
	char *colon = strchr(buf, ':');
	r->bindaddr = 0;
	if (colon) {
		*colon = 0;
		if (config_parse_ipv4(buf, &r->bindaddr) < 0 || r->bindaddr == 0)
			return "bad bind address before ':'";
		a = colon + 1;
	}
	char *slash = strchr(a, '/');
	r->prefix = 32;
	r->is_range = false;
	if (slash) {
		long p;
		*slash = 0;
		if (config_parse_long(slash + 1, 0, 32, &p) < 0 || slash[1] == '+' || slash[1] == '-')
			return "bad prefix length (expected /8 to /32)";
		if (p < POOLFILE_MIN_PREFIX)
			return "prefix too large (at most a /8)";
		r->prefix = (uint8_t)p;
		r->is_range = true;
	}
	if (config_parse_ipv4(a, &r->start) < 0)
		return "expected an IPv4 address or network (a.b.c.d or a.b.c.d/nn)";
	if (r->is_range && r->prefix < 32)
		r->start &= ~(0xffffffffu >> r->prefix);
	if (!r->is_range && r->start == 0)
		return "0.0.0.0 cannot be a pool address";
	return NULL;
}

int poolfile_parse(const char *text, size_t len, const char *file,
		   uint32_t bind_address, struct poolfile *out,
		   struct config_errors *errs)
{
	unsigned line = 0;
	bool bad = false;
	size_t pos = 0;
	const char *l;
	long ll;
	memset(out, 0, sizeof *out);
	while ((ll = config_next_line(text, len, &pos, &l)) >= 0) {
		line++;
		size_t i = 0, e = (size_t)ll;
		while (i < e && (l[i] == ' ' || l[i] == '\t'))
			i++;
		while (e > i && (l[e - 1] == ' ' || l[e - 1] == '\t'))
			e--;
		if (i == e || l[i] == '#')
			continue;
		struct poolfile_range r;
		memset(&r, 0, sizeof r);
		r.line = line;
		const char *why = pf_line(l + i, e - i, &r);
		if (why) {
			config_error(errs, file, line, "%s", why);
			bad = true;
			continue;
		}
		if (r.bindaddr && r.bindaddr != bind_address)
			continue;
		if (out->n == out->cap) {
			size_t nc = out->cap ? out->cap * 2 : 16;
			struct poolfile_range *n = realloc(out->r, nc * sizeof *n);
			if (!n) {
				config_error(errs, file, line, "out of memory");
				poolfile_free(out);
				return -ENOMEM;
			}
			out->r = n;
			out->cap = nc;
		}
		out->r[out->n++] = r;
	}
	if (bad) {
		poolfile_free(out);
		return -EINVAL;
	}
	return 0;
}

int poolfile_load(const char *path, uint32_t bind_address, struct poolfile *out,
		  struct config_errors *errs)
{
	char *text;
	size_t len;
	memset(out, 0, sizeof *out);
	int r = config_read_file(path, &text, &len);
	if (r < 0) {
		config_error(errs, path, 0, "cannot read: %s", strerror(-r));
		return r;
	}
	r = poolfile_parse(text, len, path, bind_address, out, errs);
	free(text);
	return r;
}

void poolfile_free(struct poolfile *pf)
{
	free(pf->r);
	memset(pf, 0, sizeof *pf);
}

void poolfile_iter_init(struct poolfile_iter *it)
{
	it->ri = 0;
	it->off = 0;
}

int poolfile_iter_next(const struct poolfile *pf, struct poolfile_iter *it, uint32_t *addr)
{
	while (it->ri < pf->n) {
		const struct poolfile_range *r = &pf->r[it->ri];
		uint64_t size = 1ull << (32 - r->prefix);
		while (it->off < size) {
			uint32_t a = r->start + (uint32_t)it->off++;
			if (!skipped(r, a)) {
				*addr = a;
				return 1;
			}
		}
		it->ri++;
		it->off = 0;
	}
	return 0;
}

uint64_t poolfile_range_count(const struct poolfile_range *r)
{
	uint64_t size = 1ull << (32 - r->prefix);
	if (!r->is_range)
		return 1;
	if (r->prefix <= 24)
		return size / 256 * 254;
	/* inside one /24: count the ends it contains */
	uint64_t n = size;
	uint32_t first = r->start, last = r->start + (uint32_t)(size - 1);
	if ((first & 0xff) == 0)
		n--;
	if ((last & 0xff) == 255)
		n--;
	return n;
}

uint64_t poolfile_count(const struct poolfile *pf)
{
	uint64_t n = 0;
	for (size_t i = 0; i < pf->n; i++)
		n += poolfile_range_count(&pf->r[i]);
	return n;
}
