/*
 * pcapdecode internals. The core (pcapdecode.c) reads captures, walks each
 * frame with src/codec/netpkt and hands every payload it reaches to the
 * protocol printers. A printer is one file (print_<proto>.c) exporting one
 * function that returns its struct pd_printer; adding a protocol is that file,
 * one line in the table of pcapdecode.c and one source in tools/pcapdecode.mk.
 */
#ifndef L2TPNS_PCAPDECODE_H
#define L2TPNS_PCAPDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/netpkt.h"

struct pd_ctx {
	unsigned long frame;	/* 1-based number of the frame in its file */
	const char *file;	/* path of the capture being read */
	unsigned depth;		/* nesting of PPP/IP encapsulations followed */
	/* -x PROTO DIR: write payloads instead of printing */
	const char *x_proto;
	const char *x_dir;
	unsigned x_seq;		/* payloads written for the current frame */
	int x_err;		/* first write error (-errno) */
	/* -s SECRET: L2TP tunnel secret, to read hidden AVPs */
	const uint8_t *secret;
	size_t secret_len;
	bool verbose;		/* also print link/network layer errors */
};

/* Print "<frame> " and the formatted text as one line (nothing in -x mode). */
void pd_line(struct pd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* In -x mode with PROTO equal to `proto`, write p[0..len) as one file. */
void pd_extract(struct pd_ctx *c, const char *proto, const uint8_t *p, size_t len);

/*
 * A PPP frame found at buf[off..off+n) (starting with ff 03 or the
 * protocol): extract it, print it, then follow its IPv4/IPv6 payload.
 */
void pd_ppp_frame(struct pd_ctx *c, const uint8_t *buf, size_t len, size_t off, size_t n);

/* Continue with a netpkt result (UDP/TCP payload or PPP frame). */
void pd_follow(struct pd_ctx *c, const uint8_t *buf, size_t len, const struct netpkt *np);

struct pd_printer {
	const char *name;
	enum netpkt_kind kind; /* which payloads it is offered: UDP, TCP or PPP */
	/* Whether the payload is its protocol (ports, for UDP/TCP). */
	bool (*match)(const struct netpkt *np);
	/* Print (and extract) the payload np->off/np->len of buf. */
	void (*handle)(struct pd_ctx *c, const uint8_t *buf, size_t len,
		       const struct netpkt *np);
};

const struct pd_printer *pd_printer_l2tp(void);
const struct pd_printer *pd_printer_ppp(void);
const struct pd_printer *pd_printer_radius(void);

#endif
