/*
 * Signals as loop events through signalfd.
 *
 * Why signalfd: an asynchronous handler may only set a flag, and the loop
 * would then have to poll that flag; with the signals blocked and read from
 * an fd, SIGHUP (reload), SIGTERM/SIGINT (quit, sessions kept), SIGQUIT
 * (shutdown) and SIGCHLD (reap) arrive in order with the ordinary traffic and
 * the core handles them in normal context, free to log, allocate and send.
 *
 * The set is blocked process-wide (sigprocmask, inherited by threads created
 * later, so call io_sig_open before anything starts threads).
 * Children inherit a blocked mask across fork/exec: a child that execs must
 * call io_sig_restore_mask first. Standard signals coalesce: one SIGCHLD
 * may stand for several exited children, so reap with waitpid(WNOHANG) in a
 * loop.
 */
#ifndef L2TPNS_IO_SIG_H
#define L2TPNS_IO_SIG_H

#include <signal.h>
#include <sys/signalfd.h>

#include "io/loop.h"

typedef void (*io_sig_fn)(void *ctx, const struct signalfd_siginfo *si);

struct io_sig {
	int fd;
	sigset_t set;
	sigset_t old;		/* mask before io_sig_open */
	struct io_loop *loop;
	io_sig_fn fn;
	void *ctx;
};

/* Block sigs[0..n-1] and open a nonblocking signalfd for them; sigs NULL
 * means the daemon's set: SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGCHLD.
 * 0 or -errno. */
int io_sig_open(struct io_sig *s, const int *sigs, int n);
/* Read up to n queued signals into v; 0 when none. */
int io_sig_read(struct io_sig *s, struct signalfd_siginfo *v, int n);
/* Deliver each signal to fn from the loop (control class). */
int io_sig_attach(struct io_sig *s, struct io_loop *l, io_sig_fn fn, void *ctx);
/* Detach, close the fd and restore the previous mask. */
void io_sig_close(struct io_sig *s);
/* Restore the mask saved by io_sig_open (in a forked child before exec). */
int io_sig_restore_mask(const struct io_sig *s);

#endif
