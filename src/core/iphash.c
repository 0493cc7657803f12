#include "iphash.h"

#include <errno.h>
#include <stdlib.h>

static inline uint32_t slot_of(const struct iphash *h, uint32_t addr)
{
	return iphash_slot(h, addr);
}

int iphash_init(struct iphash *h, uint32_t max_entries)
{
	uint64_t cap = 16;
	if (max_entries > (1u << 30))
		return -EINVAL;
	while (cap < (uint64_t)max_entries * 2)
		cap <<= 1;
	h->slots = calloc(cap, sizeof *h->slots);
	if (!h->slots)
		return -ENOMEM;
	h->mask = (uint32_t)(cap - 1);
	h->count = 0;
	return 0;
}

void iphash_free(struct iphash *h)
{
	free(h->slots);
	h->slots = NULL;
	h->mask = 0;
	h->count = 0;
}

int iphash_put(struct iphash *h, uint32_t addr, uint32_t val)
{
	if (!addr)
		return -EINVAL;
	for (uint32_t i = slot_of(h, addr), n = 0; n <= h->mask; i = (i + 1) & h->mask, n++) {
		struct iphash_slot *s = &h->slots[i];
		if (s->addr == addr) {
			s->val = val;
			return 0;
		}
		if (!s->addr) {
			/* keep one slot in two free so probes stay short */
			if (h->count >= (h->mask + 1) / 2)
				return -ENOSPC;
			s->addr = addr;
			s->val = val;
			h->count++;
			return 0;
		}
	}
	return -ENOSPC;
}

int iphash_get(const struct iphash *h, uint32_t addr, uint32_t *val)
{
	if (!addr || !h->slots)
		return -ENOENT;
	for (uint32_t i = slot_of(h, addr);; i = (i + 1) & h->mask) {
		const struct iphash_slot *s = &h->slots[i];
		if (s->addr == addr) {
			*val = s->val;
			return 0;
		}
		if (!s->addr)
			return -ENOENT; /* at most half full: an empty slot always ends the probe */
	}
}

int iphash_del(struct iphash *h, uint32_t addr)
{
	if (!addr || !h->slots)
		return -ENOENT;
	uint32_t i = slot_of(h, addr);
	while (h->slots[i].addr != addr) {
		if (!h->slots[i].addr)
			return -ENOENT;
		i = (i + 1) & h->mask;
	}
	/* Backward-shift: pull later members of the probe run into the hole
	 * when their home slot does not lie cyclically in (hole, j]. */
	uint32_t hole = i;
	for (uint32_t j = (i + 1) & h->mask; h->slots[j].addr; j = (j + 1) & h->mask) {
		uint32_t home = slot_of(h, h->slots[j].addr);
		if (((j - home) & h->mask) >= ((j - hole) & h->mask)) {
			h->slots[hole] = h->slots[j];
			hole = j;
		}
	}
	h->slots[hole].addr = 0;
	h->slots[hole].val = 0;
	h->count--;
	return 0;
}
