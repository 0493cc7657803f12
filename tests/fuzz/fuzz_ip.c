/* libFuzzer harness for the IP helpers of the data plane: address
 * extraction, TCP MSS clamping (which rewrites packets in place) and the
 * IPv6 Router Solicitation check. Invariants: no read or write outside the
 * packet; clamping is idempotent; a clamped SYN carries exactly the new MSS
 * and still has a correct TCP checksum when it had one before. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/buf.h"
#include "codec/ipv4.h"
#include "codec/ipv6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int tcp_csum_ok(const uint8_t *p)
{
	size_t ihl = (size_t)(p[0] & 0x0f) * 4, tot = be16_get(p + 2);
	uint32_t ph = (uint32_t)be16_get(p + 12) + be16_get(p + 14) + be16_get(p + 16) +
		      be16_get(p + 18) + 6 + (uint32_t)(tot - ihl);
	return inet_csum(p + ihl, tot - ihl, ph) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint16_t mss = be16_get(data);
	data += 2;
	size -= 2;
	uint8_t *p = malloc(size);
	if (!p)
		return 0;
	memcpy(p, data, size);

	uint32_t s, d;
	int v4 = ipv4_addrs(p, size, &s, &d);
	int had_csum = v4 == 0 && p[9] == 6 && be16_get(p + 2) >= (size_t)(p[0] & 0x0f) * 4 + 20 &&
		       tcp_csum_ok(p);
	if (ipv4_clamp_mss(p, size, mss)) {
		if (v4 != 0)
			abort(); /* clamped something that is not IPv4 */
		if (had_csum && !tcp_csum_ok(p))
			abort(); /* incremental update broke the checksum */
		if (ipv4_clamp_mss(p, size, mss))
			abort(); /* not idempotent */
	}

	const uint8_t *a, *b;
	uint8_t nh;
	if (ipv6_addrs(p, size, &a, &b, &nh) == 0 && (a < p || b + 16 > p + size))
		abort();
	(void)ipv6_is_router_solicit(p, size);
	free(p);
	return 0;
}
