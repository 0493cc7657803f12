/*
 * pcapdecode: print the messages of pcap/pcapng captures (L2TP, PPP and
 * whatever else has a printer: see pcapdecode.h) one per line, as tests/pcap
 * compares them with tshark's view, or (-x) write each message of one
 * protocol to its own file to seed the fuzzers.
 *
 *   pcapdecode [-v] [-s SECRET] [-x PROTO DIR] FILE...
 *
 * Exit status 0 whatever the packets contain; 1 when a file cannot be read
 * (or, with -x, written).
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pcapdecode.h"

/* Every protocol printer; see pcapdecode.h. */
static const struct pd_printer *(*const printers[])(void) = {
	pd_printer_l2tp,
	pd_printer_ppp,
	pd_printer_radius,
};

enum { PD_MAX_DEPTH = 8 };

void pd_line(struct pd_ctx *c, const char *fmt, ...)
{
	if (c->x_proto)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("%lu ", c->frame);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

void pd_extract(struct pd_ctx *c, const char *proto, const uint8_t *p, size_t len)
{
	if (!c->x_proto || strcmp(c->x_proto, proto) != 0 || c->x_err)
		return;
	/* <capture name>-<frame>-<n>: unique across one capture set, stable
	 * across runs so a corpus directory does not grow on re-extraction. */
	const char *base = strrchr(c->file, '/');
	base = base ? base + 1 : c->file;
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s-%lu-%u", c->x_dir, base, c->frame, c->x_seq++);
	if (n < 0 || (size_t)n >= sizeof path) {
		c->x_err = -ENAMETOOLONG;
		return;
	}
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(p, 1, len, f) != len)) {
		c->x_err = -errno;
		fprintf(stderr, "pcapdecode: %s: %s\n", path, strerror(errno));
	}
	if (f && fclose(f) != 0 && !c->x_err) {
		c->x_err = -errno;
		fprintf(stderr, "pcapdecode: %s: %s\n", path, strerror(errno));
	}
}

static void offer(struct pd_ctx *c, const uint8_t *buf, size_t len, const struct netpkt *np)
{
	for (size_t i = 0; i < sizeof printers / sizeof printers[0]; i++) {
		const struct pd_printer *p = printers[i]();
		if (p->kind == np->kind && (!p->match || p->match(np))) {
			p->handle(c, buf, len, np);
			return;
		}
	}
}

void pd_ppp_frame(struct pd_ctx *c, const uint8_t *buf, size_t len, size_t off, size_t n)
{
	if (off > len || len - off < n)
		return;
	struct netpkt np;
	memset(&np, 0, sizeof np);
	np.kind = NETPKT_PPP;
	np.off = off;
	np.len = n;
	pd_extract(c, "ppp", buf + off, n);
	offer(c, buf, len, &np);

	/* Go on into the IP datagram the frame carries (L2TP inside PPPoE,
	 * PPP inside L2TP inside PPP ...). Errors below PPP were reported by
	 * the PPP printer's own line or are link trouble (verbose only). */
	if (c->depth >= PD_MAX_DEPTH)
		return;
	int rc = netpkt_ppp(buf, len, off, n, &np);
	if (rc < 0) {
		if (c->verbose)
			pd_line(c, "net error=%s", netpkt_strerror(rc));
		return;
	}
	c->depth++;
	pd_follow(c, buf, len, &np);
	c->depth--;
}

void pd_follow(struct pd_ctx *c, const uint8_t *buf, size_t len, const struct netpkt *np)
{
	switch (np->kind) {
	case NETPKT_PPP:
		pd_ppp_frame(c, buf, len, np->off, np->len);
		break;
	case NETPKT_UDP:
	case NETPKT_TCP:
		/* A first fragment holds only part of the payload; without
		 * reassembly there is no message to print. */
		if (np->fragment)
			break;
		offer(c, buf, len, np);
		break;
	case NETPKT_NONE:
		break;
	}
}

static int decode_file(const char *path, struct pd_ctx *c)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	if (!pc) {
		fprintf(stderr, "pcapdecode: %s: %s\n", path, err);
		return -1;
	}
	/* Upper bits of the file's link type carry FCS information, which
	 * pcap_datalink() already masks off. */
	uint32_t lt = (uint32_t)pcap_datalink(pc);
	c->file = path;
	c->frame = 0;
	struct pcap_pkthdr *ph;
	const u_char *data;
	int rc, ret = 0;
	while ((rc = pcap_next_ex(pc, &ph, &data)) == 1) {
		c->frame++;
		c->depth = 0;
		c->x_seq = 0;
		/* caplen is all we have; a snapshot shorter than the wire
		 * length shows as truncated headers, never as a longer read. */
		size_t len = ph->caplen;
		pd_extract(c, "frame", data, len);
		struct netpkt np;
		int e = netpkt_link(lt, data, len, &np);
		if (e < 0) {
			/* On a PPP link the HDLC-like framing (RFC 1662) is the
			 * PPP frame's own header: its errors are PPP errors. */
			if (np.kind == NETPKT_PPP) {
				pd_extract(c, "ppp", data + np.off, np.len);
				pd_line(c, "ppp error=%s", netpkt_strerror(e));
			} else if (c->verbose) {
				pd_line(c, "net error=%s", netpkt_strerror(e));
			}
			continue;
		}
		pd_follow(c, data, len, &np);
	}
	if (rc == -1) {
		fprintf(stderr, "pcapdecode: %s: frame %lu: %s\n", path, c->frame + 1,
			pcap_geterr(pc));
		ret = -1;
	}
	pcap_close(pc);
	return ret;
}

/* mkdir -p: the corpus directories of tests/fuzz are nested. */
static int make_dirs(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof path)
		return -ENAMETOOLONG;
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char saved = path[i];
		path[i] = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return -errno;
		path[i] = saved;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: pcapdecode [-v] [-s SECRET] [-x PROTO DIR] FILE...\n"
			"  PROTO: frame (whole link frames), ppp (PPP frames), or a printer:\n"
			"         l2tp (UDP 1701 payloads), radius (RADIUS datagrams)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct pd_ctx c;
	memset(&c, 0, sizeof c);
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "-v")) {
			c.verbose = true;
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			c.secret = (const uint8_t *)argv[++i];
			c.secret_len = strlen(argv[i]);
		} else if (!strcmp(argv[i], "-x") && i + 2 < argc) {
			c.x_proto = argv[++i];
			c.x_dir = argv[++i];
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();
	if (c.x_proto) {
		bool known = !strcmp(c.x_proto, "frame") || !strcmp(c.x_proto, "ppp");
		for (size_t k = 0; k < sizeof printers / sizeof printers[0]; k++)
			known = known || !strcmp(printers[k]()->name, c.x_proto);
		if (!known) {
			fprintf(stderr, "pcapdecode: unknown protocol '%s'\n", c.x_proto);
			return 2;
		}
		int e = make_dirs(c.x_dir);
		if (e < 0) {
			fprintf(stderr, "pcapdecode: %s: %s\n", c.x_dir, strerror(-e));
			return 1;
		}
	}
	int status = 0;
	for (; i < argc; i++)
		if (decode_file(argv[i], &c) < 0)
			status = 1;
	if (c.x_err)
		status = 1;
	if (fflush(stdout) != 0)
		status = 1;
	return status;
}
