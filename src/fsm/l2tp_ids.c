/*
 * Random ID allocation, see l2tp_ids.h. Probing first and scanning last
 * keeps the common case unpredictable and the worst case bounded by one
 * pass over the table.
 */
#include <errno.h>
#include <string.h>

#include "fsm/l2tp_ids.h"

bool l2tp_peer_eq(const struct l2tp_peer *a, const struct l2tp_peer *b)
{
	return a->family == b->family && a->port == b->port &&
	       memcmp(a->addr, b->addr, sizeof a->addr) == 0;
}

int l2tp_id_pick(l2tp_id_used_fn used, void *ctx, uint32_t limit, const uint8_t *rnd,
		 size_t rnd_len)
{
	if (limit < 2 || limit > 65536u || !used)
		return -EINVAL;
	uint32_t span = limit - 1; /* IDs 1 .. limit-1 */
	uint32_t id = 1;
	for (size_t i = 0; rnd && i + 1 < rnd_len; i += 2) {
		uint32_t r = (uint32_t)rnd[i] << 8 | rnd[i + 1];
		/* Multiply-shift maps 0..65535 onto the span without a
		 * division; the bias is at most one part in 65536/span. */
		id = 1 + ((r * span) >> 16);
		if (!used(ctx, (uint16_t)id))
			return (int)id;
	}
	for (uint32_t k = 0; k < span; k++) {
		uint32_t c = 1 + (id - 1 + k) % span;
		if (!used(ctx, (uint16_t)c))
			return (int)c;
	}
	return -ENOSPC;
}

bool l2tp_idmap_test(const uint64_t *map, uint16_t id)
{
	return (map[id / 64] >> (id % 64)) & 1u;
}

void l2tp_idmap_set(uint64_t *map, uint16_t id)
{
	map[id / 64] |= (uint64_t)1 << (id % 64);
}

void l2tp_idmap_clear(uint64_t *map, uint16_t id)
{
	map[id / 64] &= ~((uint64_t)1 << (id % 64));
}

static bool map_used(void *ctx, uint16_t id)
{
	return l2tp_idmap_test(ctx, id);
}

int l2tp_idmap_pick(const uint64_t *map, uint32_t limit, const uint8_t *rnd, size_t rnd_len)
{
	return l2tp_id_pick(map_used, (void *)(uintptr_t)map, limit, rnd, rnd_len);
}
