/*
 * /etc/l2tpns/ip_pool (manual "ip_pool"; reference §2 "Files"): one IPv4
 * address or CIDR network per line, optionally prefixed `BINDADDR:` to
 * restrict the line to the cluster node whose bind_address is BINDADDR.
 *
 * A network ("a.b.c.d/nn", host bits ignored) is a range: the daemon adds a
 * route (and BGP announcement) for it, and, as the original did, its
 * addresses ending in .0 or .255 are never handed out (every /24 inside it
 * loses both, because old clients and routers treat them as network or
 * broadcast). A single address is used as written and gets no route.
 * Prefixes /0 to /7 are refused as too large.
 */
#ifndef L2TPNS_CORE_POOLFILE_H
#define L2TPNS_CORE_POOLFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config_util.h"

#define POOLFILE_MIN_PREFIX 8

struct poolfile_range {
	uint32_t start;		/* host order; network address of a range */
	uint8_t prefix;		/* 32 for a single address */
	bool is_range;		/* written as a.b.c.d/nn: route it, skip .0/.255 */
	uint32_t bindaddr;	/* host order; 0 = every node */
	unsigned line;
};

struct poolfile {
	struct poolfile_range *r;
	size_t n, cap;
};

/*
 * Parse an ip_pool text. Lines for another node (bindaddr != bind_address)
 * are checked but not kept. # starts a comment line; blank lines are
 * ignored. 0, or -EINVAL with every bad line in errs (out is then empty).
 */
int poolfile_parse(const char *text, size_t len, const char *file,
		   uint32_t bind_address, struct poolfile *out,
		   struct config_errors *errs);
int poolfile_load(const char *path, uint32_t bind_address, struct poolfile *out,
		  struct config_errors *errs);
void poolfile_free(struct poolfile *pf);

/* Iteration over every usable address, in file order. */
struct poolfile_iter {
	size_t ri;		/* current range */
	uint64_t off;		/* next offset inside it */
};

void poolfile_iter_init(struct poolfile_iter *it);
/* 1 and *addr (host order), or 0 when done. */
int poolfile_iter_next(const struct poolfile *pf, struct poolfile_iter *it, uint32_t *addr);
/* Number of usable addresses of one range / of all. */
uint64_t poolfile_range_count(const struct poolfile_range *r);
uint64_t poolfile_count(const struct poolfile *pf);

#endif
