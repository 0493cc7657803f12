/*
 * The wire-reading kernel: a bounds-checked reader and writer with a sticky
 * error flag.
 *
 * Every codec reads packets only through struct rd and writes them only
 * through struct wr. A read past the end returns zero (or fills zeroes) and
 * sets ->err; every later read on the same cursor also fails. A decoder can
 * therefore read a whole structure and test the flag once at the end, and no
 * sequence of peer-controlled lengths can make it touch memory outside the
 * buffer it was given. The writer works the same way for output: a write that
 * does not fit sets ->err and writes nothing.
 *
 * All multi-byte values are big-endian (network order), assembled byte by
 * byte: no struct casts onto packets, no unaligned loads, no bitfields.
 */
#ifndef L2TPNS_CODEC_BUF_H
#define L2TPNS_CODEC_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

struct wr {
	uint8_t *p;
	size_t cap;
	size_t off;
	bool err;
};

static inline void rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = (const uint8_t *)p;
	r->len = p ? len : 0;
	r->off = 0;
	r->err = false;
}

static inline size_t rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

/* Claim n bytes; on failure the cursor is poisoned and NULL returned. */
static inline const uint8_t *rd_take(struct rd *r, size_t n)
{
	if (r->err || r->len - r->off < n) {
		r->err = true;
		return NULL;
	}
	const uint8_t *q = r->p + r->off;
	r->off += n;
	return q;
}

static inline uint8_t rd_u8(struct rd *r)
{
	const uint8_t *q = rd_take(r, 1);
	return q ? q[0] : 0;
}

static inline uint16_t rd_u16(struct rd *r)
{
	const uint8_t *q = rd_take(r, 2);
	return q ? (uint16_t)((q[0] << 8) | q[1]) : 0;
}

static inline uint32_t rd_u32(struct rd *r)
{
	const uint8_t *q = rd_take(r, 4);
	return q ? ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) |
			   ((uint32_t)q[2] << 8) | q[3]
		 : 0;
}

static inline uint64_t rd_u64(struct rd *r)
{
	uint64_t hi = rd_u32(r);
	return (hi << 32) | rd_u32(r);
}

/* Copy n bytes out; on a short buffer dst is zero-filled and err set. */
static inline void rd_bytes(struct rd *r, void *dst, size_t n)
{
	const uint8_t *q = rd_take(r, n);
	if (q)
		memcpy(dst, q, n);
	else if (n)
		memset(dst, 0, n);
}

static inline void rd_skip(struct rd *r, size_t n)
{
	(void)rd_take(r, n);
}

/*
 * Carve the next n bytes off as an independent reader. If fewer than n bytes
 * remain, both the parent and the returned child are poisoned.
 */
static inline struct rd rd_sub(struct rd *r, size_t n)
{
	struct rd c;
	const uint8_t *q = rd_take(r, n);
	rd_init(&c, q, q ? n : 0);
	c.err = (q == NULL);
	return c;
}

static inline void wr_init(struct wr *w, void *p, size_t cap)
{
	w->p = (uint8_t *)p;
	w->cap = p ? cap : 0;
	w->off = 0;
	w->err = false;
}

static inline uint8_t *wr_take(struct wr *w, size_t n)
{
	if (w->err || w->cap - w->off < n) {
		w->err = true;
		return NULL;
	}
	uint8_t *q = w->p + w->off;
	w->off += n;
	return q;
}

static inline void wr_u8(struct wr *w, uint8_t v)
{
	uint8_t *q = wr_take(w, 1);
	if (q)
		q[0] = v;
}

static inline void wr_u16(struct wr *w, uint16_t v)
{
	uint8_t *q = wr_take(w, 2);
	if (q) {
		q[0] = (uint8_t)(v >> 8);
		q[1] = (uint8_t)v;
	}
}

static inline void wr_u32(struct wr *w, uint32_t v)
{
	uint8_t *q = wr_take(w, 4);
	if (q) {
		q[0] = (uint8_t)(v >> 24);
		q[1] = (uint8_t)(v >> 16);
		q[2] = (uint8_t)(v >> 8);
		q[3] = (uint8_t)v;
	}
}

static inline void wr_u64(struct wr *w, uint64_t v)
{
	wr_u32(w, (uint32_t)(v >> 32));
	wr_u32(w, (uint32_t)v);
}

static inline void wr_bytes(struct wr *w, const void *src, size_t n)
{
	uint8_t *q = wr_take(w, n);
	if (q && n)
		memcpy(q, src, n);
}

static inline void wr_zero(struct wr *w, size_t n)
{
	uint8_t *q = wr_take(w, n);
	if (q && n)
		memset(q, 0, n);
}

/* Big-endian helpers for fields at a known offset of a buffer the caller owns. */
static inline uint16_t be16_get(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t be32_get(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void be16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Patch a 16-bit length at an earlier offset of the writer (e.g. a header
 * length known only once the body is written). Sets err if out of range. */
void wr_patch_u16(struct wr *w, size_t at, uint16_t v);

/* True when the reader consumed exactly its whole buffer without error. */
bool rd_done(const struct rd *r);

/* Constant-time comparison for authenticators and challenge responses. */
bool buf_ct_equal(const void *a, const void *b, size_t n);

#endif
