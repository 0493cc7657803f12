/* Private interface between tun.c and tun_uring.c. */
#ifndef L2TPNS_IO_TUN_INT_H
#define L2TPNS_IO_TUN_INT_H

#include <stdbool.h>

#include "io/tun.h"

/* Probe and set up the ring, post the reads. 0 or -errno (then unusable). */
int tun_uring_init(struct io_tun *t);
/* Reap completions: deliver up to budget read packets to t->rx, free written
 * buffers, re-post reads. Returns packets delivered or -errno. */
int tun_uring_reap(struct io_tun *t, int budget);
int tun_uring_write(struct io_tun *t, struct pkt *v[], int n);
/* Ring hit an unexpected error; the caller should fall back to read/write. */
bool tun_uring_failed(const struct io_tun *t);
int tun_uring_fd(const struct io_tun *t);
void tun_uring_exit(struct io_tun *t);

#endif
