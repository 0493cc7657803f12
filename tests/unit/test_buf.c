/* The wire-reading kernel: every read and write is bounds-checked and the
 * error is sticky. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "codec/buf.h"

static void rd_reads_big_endian(void **state)
{
	(void)state;
	const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
	struct rd r;
	rd_init(&r, b, sizeof b);
	assert_int_equal(rd_u8(&r), 0x01);
	assert_int_equal(rd_u16(&r), 0x0203);
	assert_int_equal(rd_u32(&r), 0x04050607);
	assert_true(rd_u64(&r) == 0x08090a0b0c0d0e0fULL);
	assert_int_equal(rd_left(&r), 0);
	assert_true(rd_done(&r));
}

static void rd_short_read_is_sticky(void **state)
{
	(void)state;
	const uint8_t b[] = {0xaa, 0xbb, 0xcc};
	struct rd r;
	rd_init(&r, b, sizeof b);
	assert_int_equal(rd_u16(&r), 0xaabb);
	assert_int_equal(rd_u16(&r), 0); /* only one byte left */
	assert_true(r.err);
	/* the remaining byte is not handed out after the error */
	assert_int_equal(rd_u8(&r), 0);
	assert_int_equal(rd_left(&r), 0);
	assert_false(rd_done(&r));
	uint8_t dst[4] = {1, 2, 3, 4};
	rd_bytes(&r, dst, sizeof dst);
	assert_int_equal(dst[0] | dst[1] | dst[2] | dst[3], 0);
	assert_null(rd_take(&r, 0));
}

static void rd_huge_length_cannot_wrap(void **state)
{
	(void)state;
	const uint8_t b[8] = {0};
	struct rd r;
	rd_init(&r, b, sizeof b);
	rd_skip(&r, 4);
	assert_null(rd_take(&r, (size_t)-2)); /* off + n would wrap */
	assert_true(r.err);
}

static void rd_sub_carves_and_poisons(void **state)
{
	(void)state;
	const uint8_t b[] = {0, 4, 'a', 'b', 'c', 'd', 9};
	struct rd r;
	rd_init(&r, b, sizeof b);
	uint16_t n = rd_u16(&r);
	struct rd s = rd_sub(&r, n);
	assert_false(s.err);
	assert_int_equal(rd_left(&s), 4);
	assert_int_equal(rd_u8(&s), 'a');
	assert_int_equal(rd_u8(&r), 9);
	assert_true(rd_done(&r));

	rd_init(&r, b, sizeof b);
	s = rd_sub(&r, 100);
	assert_true(s.err);
	assert_true(r.err);
	assert_int_equal(rd_u8(&s), 0);
}

static void rd_null_buffer(void **state)
{
	(void)state;
	struct rd r;
	rd_init(&r, NULL, 10);
	assert_int_equal(rd_left(&r), 0);
	assert_int_equal(rd_u8(&r), 0);
	assert_true(r.err);
}

static void wr_writes_and_overflows(void **state)
{
	(void)state;
	uint8_t b[7];
	memset(b, 0xee, sizeof b);
	struct wr w;
	wr_init(&w, b, sizeof b);
	wr_u8(&w, 0x11);
	wr_u16(&w, 0x2233);
	wr_u32(&w, 0x44556677);
	assert_false(w.err);
	assert_int_equal(w.off, 7);
	const uint8_t want[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
	assert_memory_equal(b, want, sizeof want);
	wr_u8(&w, 0x88); /* no room */
	assert_true(w.err);
	assert_int_equal(w.off, 7);
	wr_init(&w, b, 3);
	wr_u32(&w, 0xdeadbeef); /* refused whole, nothing written */
	assert_true(w.err);
	assert_int_equal(b[0], 0x11);
}

static void wr_patch(void **state)
{
	(void)state;
	uint8_t b[8];
	struct wr w;
	wr_init(&w, b, sizeof b);
	wr_u16(&w, 0);
	wr_zero(&w, 4);
	wr_patch_u16(&w, 0, (uint16_t)w.off);
	assert_false(w.err);
	assert_int_equal(be16_get(b), 6);
	wr_patch_u16(&w, 5, 1); /* past what was written */
	assert_true(w.err);
}

static void wr_u64_and_bytes(void **state)
{
	(void)state;
	uint8_t b[12];
	struct wr w;
	wr_init(&w, b, sizeof b);
	wr_u64(&w, 0x0102030405060708ULL);
	wr_bytes(&w, "wxyz", 4);
	assert_false(w.err);
	struct rd r;
	rd_init(&r, b, w.off);
	assert_true(rd_u64(&r) == 0x0102030405060708ULL);
	assert_int_equal(rd_u32(&r), 0x7778797a);
}

static void ct_equal(void **state)
{
	(void)state;
	assert_true(buf_ct_equal("abcd", "abcd", 4));
	assert_false(buf_ct_equal("abcd", "abce", 4));
	assert_true(buf_ct_equal("", "", 0));
}

static void be_helpers(void **state)
{
	(void)state;
	uint8_t b[4];
	be32_put(b, 0xa1b2c3d4);
	assert_int_equal(be32_get(b), 0xa1b2c3d4);
	be16_put(b, 0xfffe);
	assert_int_equal(be16_get(b), 0xfffe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rd_reads_big_endian),
		cmocka_unit_test(rd_short_read_is_sticky),
		cmocka_unit_test(rd_huge_length_cannot_wrap),
		cmocka_unit_test(rd_sub_carves_and_poisons),
		cmocka_unit_test(rd_null_buffer),
		cmocka_unit_test(wr_writes_and_overflows),
		cmocka_unit_test(wr_patch),
		cmocka_unit_test(wr_u64_and_bytes),
		cmocka_unit_test(ct_equal),
		cmocka_unit_test(be_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
