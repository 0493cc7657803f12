/* signalfd glue. */
#include "io/sig.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int io_sig_open(struct io_sig *s, const int *sigs, int n)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	static const int dflt[] = { SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGCHLD };
	if (!sigs) {
		sigs = dflt;
		n = (int)(sizeof(dflt) / sizeof(dflt[0]));
	}
	sigemptyset(&s->set);
	for (int i = 0; i < n; i++)
		if (sigaddset(&s->set, sigs[i]) < 0)
			return -EINVAL;
	/* Blocked first: a signal arriving between the two calls stays pending
	 * and is read from the fd instead of killing the process. */
	if (sigprocmask(SIG_BLOCK, &s->set, &s->old) < 0)
		return -errno;
	s->fd = signalfd(-1, &s->set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->fd < 0) {
		int err = -errno;
		sigprocmask(SIG_SETMASK, &s->old, NULL);
		return err;
	}
	return 0;
}

int io_sig_read(struct io_sig *s, struct signalfd_siginfo *v, int n)
{
	if (n <= 0)
		return 0;
	ssize_t r = read(s->fd, v, (size_t)n * sizeof(*v));
	if (r < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
	return (int)((size_t)r / sizeof(*v));
}

static int sig_ready(void *ctx, int fd, uint32_t events, int budget)
{
	(void)fd;
	(void)events;
	(void)budget;
	struct io_sig *s = ctx;
	struct signalfd_siginfo si[16];
	int n;
	do {
		n = io_sig_read(s, si, 16);
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			s->fn(s->ctx, &si[i]);
	} while (n == 16);
	return 0;
}

int io_sig_attach(struct io_sig *s, struct io_loop *l, io_sig_fn fn, void *ctx)
{
	if (s->fd < 0 || !fn)
		return -EINVAL;
	s->fn = fn;
	s->ctx = ctx;
	int err = io_loop_add(l, s->fd, EPOLLIN, IO_CONTROL, 0, sig_ready, s);
	if (err == 0)
		s->loop = l;
	return err;
}

int io_sig_restore_mask(const struct io_sig *s)
{
	return sigprocmask(SIG_SETMASK, &s->old, NULL) < 0 ? -errno : 0;
}

void io_sig_close(struct io_sig *s)
{
	if (s->fd < 0)
		return;
	if (s->loop)
		io_loop_del(s->loop, s->fd);
	close(s->fd);
	s->fd = -1;
	s->loop = NULL;
	io_sig_restore_mask(s);
}
