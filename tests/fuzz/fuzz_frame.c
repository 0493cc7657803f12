/*
 * libFuzzer harness for src/codec/netpkt: the input is one link-layer frame
 * (seeds: whole frames extracted from the captures by `pcapdecode -x frame`).
 * A frame carries no link type, so it is dissected under every link type
 * netpkt knows, and each PPP frame found is followed into IP the way
 * pcapdecode does. Besides ASan/UBSan findings, a payload reported outside
 * the input is a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "codec/netpkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct netpkt *np, size_t size)
{
	if (np->off > size || size - np->off < np->len)
		abort();
}

static void follow(const uint8_t *data, size_t size, struct netpkt np, unsigned depth)
{
	check(&np, size);
	if (np.kind != NETPKT_PPP || depth > 8)
		return;
	struct netpkt in;
	uint16_t proto;
	size_t hdr;
	if (netpkt_ppp_hdr(data, size, np.off, np.len, &proto, &hdr) == 0 && hdr > np.len)
		abort();
	if (netpkt_ppp(data, size, np.off, np.len, &in) == 0)
		follow(data, size, in, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t types[] = {
		NETPKT_DLT_NULL,	NETPKT_DLT_EN10MB,	  NETPKT_DLT_PPP,
		NETPKT_DLT_RAW,		NETPKT_DLT_PPP_SERIAL,	  NETPKT_DLT_PPP_ETHER,
		NETPKT_DLT_C_HDLC,	NETPKT_DLT_LOOP,	  NETPKT_DLT_LINUX_SLL,
		NETPKT_DLT_PPP_WITH_DIR, NETPKT_LINKTYPE_IPV4,	  NETPKT_LINKTYPE_IPV6,
		NETPKT_DLT_LINUX_SLL2,
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		struct netpkt np;
		if (netpkt_link(types[i], data, size, &np) == 0)
			follow(data, size, np, 0);
	}
	/* The IP entry point on its own, as L2TP-in-IP tools would use it. */
	struct netpkt np;
	if (netpkt_ip(data, size, 0, size, &np) == 0)
		check(&np, size);
	return 0;
}
