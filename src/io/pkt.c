/* Packet buffer pool: one allocation, a LIFO free stack, O(1) alloc/free. */
#include "io/pkt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void pkt_reset(struct pkt *p)
{
	p->data = p->buf + PKT_HEADROOM;
	p->len = 0;
	p->flags = 0;
	p->peer.len = 0;
	p->local.len = 0;
	p->ifindex = 0;
	p->user = 0;
}

int pkt_pool_init(struct pkt_pool *pp, uint32_t n)
{
	memset(pp, 0, sizeof(*pp));
	if (n == 0)
		return -EINVAL;
	pp->mem = calloc(n, sizeof(struct pkt));
	pp->free = calloc(n, sizeof(struct pkt *));
	if (!pp->mem || !pp->free) {
		free(pp->mem);
		free(pp->free);
		memset(pp, 0, sizeof(*pp));
		return -ENOMEM;
	}
	pp->n = n;
	/* Stack with mem[0] on top so the first allocations are in address order. */
	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = &pp->mem[n - 1 - i];
		pkt_reset(p);
		p->flags = PKT_F_FREE;
		pp->free[i] = p;
	}
	pp->nfree = n;
	return 0;
}

void pkt_pool_destroy(struct pkt_pool *pp)
{
	free(pp->mem);
	free(pp->free);
	memset(pp, 0, sizeof(*pp));
}

struct pkt *pkt_alloc(struct pkt_pool *pp)
{
	if (pp->nfree == 0) {
		pp->alloc_fail++;
		return NULL;
	}
	struct pkt *p = pp->free[--pp->nfree];
	pkt_reset(p);
	return p;
}

int pkt_alloc_n(struct pkt_pool *pp, struct pkt *v[], int n)
{
	int i;
	for (i = 0; i < n; i++) {
		v[i] = pkt_alloc(pp);
		if (!v[i])
			break;
	}
	return i;
}

void pkt_free(struct pkt_pool *pp, struct pkt *p)
{
	if (!p)
		return;
	/* A pkt from another pool or freed twice would corrupt the stack. */
	if ((p->flags & PKT_F_FREE) || p < pp->mem || p >= pp->mem + pp->n ||
	    pp->nfree >= pp->n) {
		pp->double_free++;
		return;
	}
	p->flags = PKT_F_FREE;
	pp->free[pp->nfree++] = p;
}

void pkt_free_n(struct pkt_pool *pp, struct pkt *const v[], int n)
{
	for (int i = 0; i < n; i++)
		pkt_free(pp, v[i]);
}
