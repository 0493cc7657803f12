/*
 * IPv4 address -> session index map for the downstream data path.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones, so a table that sees millions of logins and logouts never
 * degrades). Capacity is fixed at creation to a power of two at least twice
 * the number of entries it must hold, so a lookup touches one or two cache
 * lines: 8 bytes per slot, 16 MiB for a million sessions.
 */
#ifndef L2TPNS_CORE_IPHASH_H
#define L2TPNS_CORE_IPHASH_H

#include <stddef.h>
#include <stdint.h>

struct iphash_slot {
	uint32_t addr; /* host order; 0 = empty (0.0.0.0 is never a session address) */
	uint32_t val;
};

struct iphash {
	struct iphash_slot *slots;
	uint32_t mask;
	uint32_t count;
};

/* Room for at least max_entries; returns 0 or -ENOMEM / -EINVAL. */
int iphash_init(struct iphash *h, uint32_t max_entries);
void iphash_free(struct iphash *h);
/* Insert or replace. -EINVAL for address 0, -ENOSPC when full. */
int iphash_put(struct iphash *h, uint32_t addr, uint32_t val);
/* Returns 0 and *val, or -ENOENT. */
int iphash_get(const struct iphash *h, uint32_t addr, uint32_t *val);
int iphash_del(struct iphash *h, uint32_t addr);

/* Fibonacci hashing spreads sequential pool addresses over the table. */
static inline uint32_t iphash_slot(const struct iphash *h, uint32_t addr)
{
	return (uint32_t)(((uint64_t)addr * 0x9e3779b97f4a7c15ull) >> 32) & h->mask;
}

/* Start loading the slot addr hashes to. The data path looks up a whole
 * burst: prefetching every key first overlaps the cache misses (a big
 * table is mostly out of cache) instead of taking them one by one. */
static inline void iphash_prefetch(const struct iphash *h, uint32_t addr)
{
	if (h->slots)
		__builtin_prefetch(&h->slots[iphash_slot(h, addr)]);
}

#endif
