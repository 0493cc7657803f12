/*
 * nsctl: send one command to a running l2tpns over its control port.
 *
 *   nsctl [-d] [-h HOST[:PORT]] [-t TIMEOUT] [-s SECRET] COMMAND [ARG ...]
 *
 * load_plugin NAME, unload_plugin NAME and help are built in; any other
 * command goes to the daemon's plugins with every word as an argument, as
 * with the original nsctl. Exit 0 on an OK response (its arguments printed
 * to stdout, one per line), 1 otherwise (printed to stderr).
 *
 * With -s SECRET or NSCTL_SECRET in the environment the request carries the
 * HMAC-SHA256 trailer of codec/nsctl.h and only a response signed with the
 * same secret and echoing our nonce is believed. Without a secret the packet
 * is byte-for-byte the original's. One retry after TIMEOUT seconds resends
 * the same datagram: if only the answer was lost, a daemon with a secret
 * drops the copy as a replay, so a command never runs twice.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "codec/nsctl.h"

static const struct {
	const char *cmd;
	const char *usage;
	uint8_t type;
} builtins[] = {
	{ "load_plugin", " PLUGIN                          Load named plugin", NSCTL_REQ_LOAD },
	{ "unload_plugin", " PLUGIN                        Unload named plugin", NSCTL_REQ_UNLOAD },
	{ "help", "                                         List available commands", NSCTL_REQ_HELP },
};
#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static void usage(FILE *f)
{
	fprintf(f, "Usage: nsctl [-d] [-h HOST[:PORT]] [-t TIMEOUT] [-s SECRET] COMMAND [ARG ...]\n"
		   "  -d         dump packets to stderr\n"
		   "  -h         daemon address (default 127.0.0.1:%d; IPv6 as [ADDR]:PORT)\n"
		   "  -t         seconds to wait for an answer, per try (default 2; one retry)\n"
		   "  -s         shared secret (nsctl_secret); default $NSCTL_SECRET\n",
		NSCTL_PORT);
}

static void dump(const char *what, const uint8_t *p, size_t n)
{
	fprintf(stderr, "%s %zu bytes:", what, n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", p[i]);
	fputc('\n', stderr);
}

/* HOST, HOST:PORT, [V6]:PORT, or a bare IPv6 literal. */
static int split_host(char *spec, char **host, char **port)
{
	char *c;

	*port = NULL;
	if (spec[0] == '[') {
		c = strchr(spec, ']');
		if (!c)
			return -1;
		*c = '\0';
		*host = spec + 1;
		if (c[1] == ':')
			*port = c + 2;
		else if (c[1])
			return -1;
		return 0;
	}
	*host = spec;
	c = strchr(spec, ':');
	if (c && !strchr(c + 1, ':')) {
		*c = '\0';
		*port = c + 1;
	}
	return 0;
}

static int open_socket(const char *where)
{
	char spec[512], *host, *port, dport[8];
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res, *ai;
	int fd = -1, rc;

	snprintf(spec, sizeof(spec), "%s", where);
	if (split_host(spec, &host, &port) < 0 || !*host || (port && !*port)) {
		fprintf(stderr, "nsctl: bad host '%s'\n", where);
		return -1;
	}
	snprintf(dport, sizeof(dport), "%d", NSCTL_PORT);
	rc = getaddrinfo(host, port ? port : dport, &hints, &res);
	if (rc) {
		fprintf(stderr, "nsctl: %s: %s\n", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		/* Connected: the kernel then drops datagrams from anyone else. */
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		fprintf(stderr, "nsctl: %s: %s\n", host, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

/*
 * Wait up to ms for a response we believe. 1 and *m filled, 0 on timeout,
 * -1 on a socket error.
 */
static int await(int fd, int ms, bool debug, const char *secret, const uint8_t *nonce,
		 uint8_t *buf, struct nsctl_msg *m, int *unpack_err)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long el = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= ms)
			return 0;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int pr = poll(&pfd, 1, (int)(ms - el));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -1;
		if (pr == 0)
			return 0;
		ssize_t n = recv(fd, buf, NSCTL_MAX_PKT + 1, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			/* ECONNREFUSED: nothing listens; the retry may still find it. */
			if (errno == ECONNREFUSED) {
				*unpack_err = -ECONNREFUSED;
				return 0;
			}
			return -1;
		}
		if (debug)
			dump("received", buf, (size_t)n);
		int rc = nsctl_unpack(m, buf, (size_t)n);
		if (rc < 0) {
			*unpack_err = rc;
			continue;
		}
		if (nsctl_type_is_request(m->type))
			continue;
		if (secret) {
			if (nsctl_auth_verify(m, buf, secret, strlen(secret)) < 0 ||
			    memcmp(m->auth.nonce, nonce, NSCTL_NONCE_LEN) != 0) {
				if (debug)
					fprintf(stderr, "nsctl: ignoring an unauthenticated response\n");
				*unpack_err = NSCTL_ERR_AUTH;
				continue;
			}
		}
		return 1;
	}
}

int main(int argc, char **argv)
{
	static uint8_t pkt[NSCTL_MAX_PKT], buf[NSCTL_MAX_PKT + 1];
	static struct nsctl_msg m;
	const char *host = "127.0.0.1";
	const char *secret = getenv("NSCTL_SECRET");
	bool debug = false;
	long timeout = 2;
	int opt;

	while ((opt = getopt(argc, argv, "+dh:t:s:")) != -1) {
		switch (opt) {
		case 'd':
			debug = true;
			break;
		case 'h':
			host = optarg;
			break;
		case 't': {
			char *end;
			errno = 0;
			timeout = strtol(optarg, &end, 10);
			if (errno || *end || timeout < 1 || timeout > 3600) {
				fprintf(stderr, "nsctl: bad timeout '%s'\n", optarg);
				return 1;
			}
			break;
		}
		case 's':
			secret = optarg;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (secret && !*secret)
		secret = NULL;
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}

	const char *cmd = argv[optind];
	uint8_t type = NSCTL_REQ_CONTROL;
	size_t first = (size_t)optind;
	for (size_t i = 0; i < NBUILTINS; i++)
		if (!strcmp(cmd, builtins[i].cmd)) {
			type = builtins[i].type;
			first++; /* built-ins send their arguments, not their name */
			break;
		}
	int n = nsctl_pack_str(pkt, sizeof(pkt), type, (size_t)argc - first,
			       (const char *const *)argv + first);
	if (n < 0) {
		fprintf(stderr, "nsctl: %s\n", nsctl_strerror(n));
		return 1;
	}
	uint8_t nonce[NSCTL_NONCE_LEN] = { 0 };
	if (secret) {
		if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce)) {
			fprintf(stderr, "nsctl: getrandom: %s\n", strerror(errno));
			return 1;
		}
		n = nsctl_auth_sign(pkt, (size_t)n, sizeof(pkt), secret, strlen(secret),
				    (uint64_t)time(NULL), nonce);
		if (n < 0) {
			fprintf(stderr, "nsctl: %s\n", nsctl_strerror(n));
			return 1;
		}
	}

	int fd = open_socket(host);
	if (fd < 0)
		return 1;
	int got = 0, unpack_err = 0;
	for (int attempt = 0; attempt < 2 && got == 0; attempt++) {
		if (debug)
			dump("sending", pkt, (size_t)n);
		if (send(fd, pkt, (size_t)n, 0) < 0 && errno != ECONNREFUSED) {
			fprintf(stderr, "nsctl: send: %s\n", strerror(errno));
			close(fd);
			return 1;
		}
		got = await(fd, (int)(timeout * 1000), debug, secret, nonce, buf, &m, &unpack_err);
	}
	close(fd);
	if (got < 0) {
		fprintf(stderr, "nsctl: recv: %s\n", strerror(errno));
		return 1;
	}
	if (got == 0) {
		if (unpack_err == -ECONNREFUSED)
			fprintf(stderr, "nsctl: %s: nothing listening (connection refused)\n", host);
		else if (unpack_err == NSCTL_ERR_AUTH)
			fprintf(stderr, "nsctl: response not authenticated (secret mismatch?)\n");
		else if (unpack_err)
			fprintf(stderr, "nsctl: error unpacking control packet: %s\n",
				nsctl_strerror(unpack_err));
		else
			fprintf(stderr, "nsctl: no response from %s%s\n", host,
				secret ? " (wrong secret, or clocks more than 30 s apart?)"
				       : " (if nsctl_secret is set there, give -s or NSCTL_SECRET)");
		return 1;
	}

	FILE *out = m.type == NSCTL_RES_OK ? stdout : stderr;
	if (type == NSCTL_REQ_HELP && m.type == NSCTL_RES_OK)
		for (size_t i = 0; i < NBUILTINS; i++)
			fprintf(out, "%s%s\n", builtins[i].cmd, builtins[i].usage);
	for (unsigned i = 0; i < m.argc; i++)
		fprintf(out, "%.*s\n", (int)m.argv[i].len, (const char *)m.argv[i].p);
	return m.type == NSCTL_RES_OK ? 0 : 1;
}
