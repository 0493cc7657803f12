#include "buf.h"

void wr_patch_u16(struct wr *w, size_t at, uint16_t v)
{
	if (w->err || at > w->off || w->off - at < 2) {
		w->err = true;
		return;
	}
	be16_put(w->p + at, v);
}

bool rd_done(const struct rd *r)
{
	return !r->err && r->off == r->len;
}

bool buf_ct_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= (uint8_t)(x[i] ^ y[i]);
	return acc == 0;
}
