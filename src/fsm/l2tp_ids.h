/*
 * Tunnel and Session ID allocation (RFC 2661 §3.1, §5.3) and the identity of
 * a peer's transport address.
 *
 * IDs are drawn from random bytes supplied by the caller, so that an
 * off-path sender cannot guess a live (Tunnel ID, Session ID) pair from the
 * order of allocation (the original handed them out sequentially). The
 * tables are the caller's and sized at run time: a "used" predicate or a
 * bitmap of limit bits. Session IDs are per tunnel (§3.1: the Session ID is
 * local to the tunnel), so the total number of sessions is not bounded by
 * 65,535.
 */
#ifndef L2TPNS_FSM_L2TP_IDS_H
#define L2TPNS_FSM_L2TP_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Transport address of a peer: family (AF_INET/AF_INET6 value as the caller
 * uses it), address (4 or 16 bytes, rest zero) and UDP port, host order. */
struct l2tp_peer {
	uint8_t family;
	uint16_t port;
	uint8_t addr[16];
};

bool l2tp_peer_eq(const struct l2tp_peer *a, const struct l2tp_peer *b);

typedef bool (*l2tp_id_used_fn)(void *ctx, uint16_t id);

/*
 * Pick an unused ID in 1 .. limit-1 (limit 2 .. 65536; 0 is reserved by
 * §3.1). Each two bytes of rnd make one random probe; after the probes (at
 * most rnd_len / 2) a scan from the last probe finds any free ID left, so a
 * nearly full table still succeeds in bounded time. Returns the ID, -ENOSPC
 * when every ID is used, -EINVAL for a bad limit.
 */
int l2tp_id_pick(l2tp_id_used_fn used, void *ctx, uint32_t limit, const uint8_t *rnd,
		 size_t rnd_len);

/* The same over a caller-owned bitmap of limit bits (bit i = ID i used). */
static inline size_t l2tp_idmap_words(uint32_t limit)
{
	return ((size_t)limit + 63) / 64;
}
bool l2tp_idmap_test(const uint64_t *map, uint16_t id);
void l2tp_idmap_set(uint64_t *map, uint16_t id);
void l2tp_idmap_clear(uint64_t *map, uint16_t id);
int l2tp_idmap_pick(const uint64_t *map, uint32_t limit, const uint8_t *rnd, size_t rnd_len);

#endif
