/*
 * The nsctl endpoint (reference §7.3): UDP nsctl_port on every address,
 * each datagram given to control_handle() (core/control.h, which decides who
 * may talk to us), the answer sent from the address the request was sent to
 * (IP_PKTINFO), as the original did, so a multi-homed LNS answers from the
 * address the client expects.
 *
 * Built-ins (core/control.c): load_plugin / unload_plugin load and unload
 * at run time only (as the original: the running configuration's `load
 * plugin` list is the CLI's business); help concatenates the plugins'
 * plugin_control_help; any other command goes to the CONTROL hooks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/control.h"
#include "core/lns.h"
#include "core/plugin.h"

struct nsctl_srv {
	struct control_ctx ctx;
	int fd;
	uint8_t in[NSCTL_MAX_PKT + 64];
	uint8_t out[NSCTL_MAX_PKT];
};

static int ns_load(void *arg, const char *name)
{
	struct lns *l = arg;
	int r = lns_plugin_load(l, name);
	if (r == 0)
		LNS_LOG(l, LOG_INFO, "nsctl: load_plugin %s", name);
	return r == 0 ? 1 : r == -EEXIST ? 0 : r;
}

static int ns_unload(void *arg, const char *name)
{
	struct lns *l = arg;
	int r = lns_plugin_unload(l, name);
	if (r == 0)
		LNS_LOG(l, LOG_INFO, "nsctl: unload_plugin %s", name);
	return r == 0 ? 1 : r == -ENOENT ? 0 : r;
}

static int ns_help(void *arg, size_t i, const char *const **lines)
{
	return lns_plugin_help(arg, i, lines);
}

static int ns_control(void *arg, struct control_call *call)
{
	struct lns *l = arg;
	int r = lns_plugin_control(l, call);
	if (r == PLUGIN_RET_OK && !call->response)
		LNS_LOG(l, LOG_INFO, "nsctl: no plugin handles '%s'", call->argc > 0 ? call->argv[0] : "");
	return r;
}

static int ns_rx(void *ctx, int fd, uint32_t events, int budget)
{
	struct lns *l = ctx;
	struct nsctl_srv *n = l->nsctl;
	(void)events;
	(void)budget;
	/* A bounded number per wakeup: control traffic must not starve others. */
	for (int k = 0; k < 32; k++) {
		struct sockaddr_in from;
		char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct iovec iov = {n->in, sizeof n->in};
		struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from,
				    .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof cbuf};
		ssize_t r = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
		struct in_pktinfo pi;
		bool have_pi = false;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
				memcpy(&pi, CMSG_DATA(cm), sizeof pi);
				have_pi = true;
			}
		int len = control_handle(&n->ctx, n->in, (size_t)r, (struct sockaddr *)&from,
					 mh.msg_namelen, (uint64_t)time(NULL), n->out, sizeof n->out);
		if (len <= 0)
			continue;
		char ob[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct iovec oiov = {n->out, (size_t)len};
		struct msghdr om = {.msg_name = &from, .msg_namelen = mh.msg_namelen,
				    .msg_iov = &oiov, .msg_iovlen = 1};
		if (have_pi) {
			memset(ob, 0, sizeof ob);
			om.msg_control = ob;
			om.msg_controllen = sizeof ob;
			struct cmsghdr *cm = CMSG_FIRSTHDR(&om);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
			struct in_pktinfo opi;
			memset(&opi, 0, sizeof opi);
			opi.ipi_spec_dst = pi.ipi_addr;	/* source = where the request went */
			memcpy(CMSG_DATA(cm), &opi, sizeof opi);
		}
		if (sendmsg(fd, &om, MSG_DONTWAIT) < 0)
			LNS_LOG(l, LOG_WARN, "nsctl: reply to %s failed: %s", inet_ntoa(from.sin_addr),
				strerror(errno));
	}
	return 0;
}

int lns_nsctl_open(struct lns *l)
{
	struct nsctl_srv *n = calloc(1, sizeof *n);
	if (!n)
		return -ENOMEM;
	struct control_ops ops = {.arg = l, .load_plugin = ns_load, .unload_plugin = ns_unload,
				  .plugin_help = ns_help, .plugin_control = ns_control};
	int r = control_init(&n->ctx, l->cfg->nsctl_secret, &ops);
	if (r < 0) {
		free(n);
		return r;
	}
	n->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (n->fd < 0) {
		r = -errno;
		free(n);
		return r;
	}
	/* no SO_REUSEADDR: on UDP it would let a second daemon share the port */
	int one = 1;
	setsockopt(n->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons(l->cfg->nsctl_port ? l->cfg->nsctl_port : NSCTL_PORT)};
	if (bind(n->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    (r = io_loop_add(&l->loop, n->fd, EPOLLIN, IO_CONTROL, 0, ns_rx, l)) < 0) {
		if (r == 0)
			r = -errno;
		close(n->fd);
		free(n);
		return r;
	}
	l->nsctl = n;
	LNS_LOG(l, LOG_INFO, "nsctl listening on UDP %u (%s)", ntohs(sa.sin_port),
		l->cfg->nsctl_secret[0] ? "signed requests from anywhere" : "local host only");
	return 0;
}

void lns_nsctl_reconfig(struct lns *l)
{
	if (l->nsctl && control_set_secret(&l->nsctl->ctx, l->cfg->nsctl_secret) < 0)
		LNS_LOG(l, LOG_ERR, "nsctl_secret too long: kept the previous one");
}
