#include "pool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint32_t user_hash(const char *u)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *u; u++)
		h = (h ^ (uint8_t)*u) * 16777619u;
	return h;
}

int pool_init(struct pool *p, uint32_t capacity)
{
	memset(p, 0, sizeof *p);
	if (!capacity)
		capacity = 1;
	p->e = calloc(capacity, sizeof *p->e);
	uint32_t nb = 16;
	while (nb < capacity && nb < (1u << 30))
		nb <<= 1;
	p->ubucket = malloc(nb * sizeof *p->ubucket);
	if (!p->e || !p->ubucket || iphash_init(&p->by_addr, capacity) < 0) {
		free(p->e);
		free(p->ubucket);
		memset(p, 0, sizeof *p);
		return -ENOMEM;
	}
	memset(p->ubucket, 0xff, nb * sizeof *p->ubucket);
	p->umask = nb - 1;
	p->cap = capacity;
	p->free_head = p->free_tail = POOL_NONE;
	return 0;
}

void pool_free(struct pool *p)
{
	free(p->e);
	free(p->ubucket);
	iphash_free(&p->by_addr);
	memset(p, 0, sizeof *p);
}

static void free_push_tail(struct pool *p, uint32_t i)
{
	struct pool_entry *e = &p->e[i];
	e->next = POOL_NONE;
	e->prev = p->free_tail;
	if (p->free_tail != POOL_NONE)
		p->e[p->free_tail].next = i;
	else
		p->free_head = i;
	p->free_tail = i;
	p->nfree++;
}

static void free_unlink(struct pool *p, uint32_t i)
{
	struct pool_entry *e = &p->e[i];
	if (e->prev != POOL_NONE)
		p->e[e->prev].next = e->next;
	else
		p->free_head = e->next;
	if (e->next != POOL_NONE)
		p->e[e->next].prev = e->prev;
	else
		p->free_tail = e->prev;
	e->prev = e->next = POOL_NONE;
	p->nfree--;
}

static void user_unlink(struct pool *p, uint32_t i)
{
	struct pool_entry *e = &p->e[i];
	if (!e->user[0])
		return;
	uint32_t *link = &p->ubucket[user_hash(e->user) & p->umask];
	while (*link != POOL_NONE && *link != i)
		link = &p->e[*link].unext;
	if (*link == i)
		*link = e->unext;
	e->unext = POOL_NONE;
}

static void remember_user(struct pool *p, uint32_t i, const char *user)
{
	struct pool_entry *e = &p->e[i];
	if (!user || !user[0] || !strncmp(e->user, user, sizeof e->user))
		return;
	user_unlink(p, i);
	strncpy(e->user, user, sizeof e->user - 1);
	e->user[sizeof e->user - 1] = 0;
	uint32_t *head = &p->ubucket[user_hash(e->user) & p->umask];
	e->unext = *head;
	*head = i;
}

int pool_add(struct pool *p, uint32_t addr)
{
	uint32_t v;
	if (!addr)
		return -EINVAL;
	if (iphash_get(&p->by_addr, addr, &v) == 0)
		return -EEXIST;
	if (p->n >= p->cap)
		return -ENOSPC;
	uint32_t i = p->n++;
	struct pool_entry *e = &p->e[i];
	memset(e, 0, sizeof *e);
	e->addr = addr;
	e->session = POOL_NONE;
	e->unext = POOL_NONE;
	free_push_tail(p, i);
	return iphash_put(&p->by_addr, addr, i);
}

static void hand_out(struct pool *p, uint32_t i, const char *user, uint32_t session)
{
	free_unlink(p, i);
	p->e[i].session = session;
	remember_user(p, i, user);
}

int pool_alloc(struct pool *p, const char *user, uint32_t session)
{
	if (!p->nfree)
		return -ENOSPC;
	if (user && user[0]) {
		char key[POOL_USER_MAX];
		strncpy(key, user, sizeof key - 1);
		key[sizeof key - 1] = 0;
		for (uint32_t i = p->ubucket[user_hash(key) & p->umask]; i != POOL_NONE;
		     i = p->e[i].unext) {
			if (p->e[i].session == POOL_NONE && !strcmp(p->e[i].user, key)) {
				hand_out(p, i, key, session);
				return (int)i;
			}
		}
	}
	uint32_t i = p->free_head;
	hand_out(p, i, user, session);
	return (int)i;
}

int pool_take(struct pool *p, uint32_t addr, const char *user, uint32_t session)
{
	int i = pool_find(p, addr);
	if (i < 0)
		return i;
	if (p->e[i].session != POOL_NONE)
		return -EBUSY;
	hand_out(p, (uint32_t)i, user, session);
	return i;
}

int pool_release(struct pool *p, uint32_t idx, uint32_t now)
{
	if (idx >= p->n || p->e[idx].session == POOL_NONE)
		return -EINVAL;
	p->e[idx].session = POOL_NONE;
	p->e[idx].last_used = now ? now : 1;
	free_push_tail(p, idx);
	return 0;
}

int pool_find(const struct pool *p, uint32_t addr)
{
	uint32_t v;
	if (iphash_get(&p->by_addr, addr, &v) < 0)
		return -ENOENT;
	return (int)v;
}
