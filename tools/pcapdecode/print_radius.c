/*
 * RADIUS printer: one line per datagram on the authentication, accounting
 * and dynamic-authorization ports, either direction.
 *
 *   radius <Code-Name> id=<n>
 *   radius error=<reason>          what radius_decode refuses, and a Code
 *                                  nobody assigned (error=code): RFC 2865
 *                                  §3 discards those silently
 *
 * Ports: 1812/1813 (RFC 2865 §3, RFC 2866 §3), the pre-assignment
 * 1645/1646 still used by the original's defaults, 3799 (RFC 5176) and
 * 1700 (the CoA port of Cisco/Juniper before RFC 3576).
 */
#include "codec/radius.h"
#include "pcapdecode.h"

static bool radius_port(uint16_t port)
{
	switch (port) {
	case RADIUS_PORT_AUTH:
	case RADIUS_PORT_ACCT:
	case RADIUS_PORT_AUTH_OLD:
	case RADIUS_PORT_ACCT_OLD:
	case RADIUS_PORT_DAE:
	case RADIUS_PORT_DAE_CISCO:
		return true;
	}
	return false;
}

static bool radius_match(const struct netpkt *np)
{
	return radius_port(np->sport) || radius_port(np->dport);
}

static void radius_handle(struct pd_ctx *c, const uint8_t *buf, size_t len,
			  const struct netpkt *np)
{
	(void)len;
	const uint8_t *p = buf + np->off;
	pd_extract(c, "radius", p, np->len);

	struct radius_pkt pkt;
	int rc = radius_decode(p, np->len, &pkt);
	if (rc < 0) {
		pd_line(c, "radius error=%s", radius_strerror(rc));
		return;
	}
	const char *name = radius_code_name(pkt.code);
	if (name)
		pd_line(c, "radius %s id=%u", name, pkt.id);
	else
		pd_line(c, "radius error=%s", radius_strerror(RADIUS_E_CODE));
}

const struct pd_printer *pd_printer_radius(void)
{
	static const struct pd_printer p = {
		.name = "radius",
		.kind = NETPKT_UDP,
		.match = radius_match,
		.handle = radius_handle,
	};
	return &p;
}
