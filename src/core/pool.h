/*
 * Address pool with memory: every address remembers who held it last and
 * when, so a returning user gets the same address back while it is free;
 * otherwise the address freed longest ago is handed out (it is the one least
 * likely to be remembered by anybody). Every operation is O(1) expected.
 */
#ifndef L2TPNS_CORE_POOL_H
#define L2TPNS_CORE_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "iphash.h"

#define POOL_USER_MAX 64
#define POOL_NONE UINT32_MAX

struct pool_entry {
	uint32_t addr;	      /* host order */
	uint32_t session;     /* holder, POOL_NONE when free */
	uint32_t prev, next;  /* free list, oldest first */
	uint32_t unext;	      /* chain of the user-name hash bucket */
	uint32_t last_used;   /* seconds, when last released (0 = never used) */
	char user[POOL_USER_MAX]; /* last holder ("" = never used) */
};

struct pool {
	struct pool_entry *e;
	uint32_t n, cap;
	uint32_t free_head, free_tail, nfree;
	uint32_t *ubucket;    /* user-name hash -> first entry */
	uint32_t umask;
	struct iphash by_addr;
};

int pool_init(struct pool *p, uint32_t capacity);
void pool_free(struct pool *p);
/* Add an address (free). -EEXIST if already in the pool, -ENOSPC if full. */
int pool_add(struct pool *p, uint32_t addr);
/* Allocate for user: the user's previous address if free, else the oldest
 * free one. Returns the entry index or -ENOSPC. */
int pool_alloc(struct pool *p, const char *user, uint32_t session);
/* Take a specific address (static assignment inside a pool range).
 * -ENOENT if not in the pool, -EBUSY if held. */
int pool_take(struct pool *p, uint32_t addr, const char *user, uint32_t session);
/* Release an entry; now is recorded as its last use. */
int pool_release(struct pool *p, uint32_t idx, uint32_t now);
/* Entry index of an address, or -ENOENT. */
int pool_find(const struct pool *p, uint32_t addr);

#endif
