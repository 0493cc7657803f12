/*
 * Logging with the original's six levels (manual: 0 critical ... 5 packets)
 * to stderr, a file (append) or syslog:FACILITY. Messages carry stable ids
 * (tid=3 sid=17 user=joe) put there by the callers' format strings.
 *
 * The last LOG_RING messages are kept in a ring so the CLI `debug` command
 * can follow the log live without touching the destination.
 */
#ifndef L2TPNS_CORE_LOG_H
#define L2TPNS_CORE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum log_level {
	LOG_CRIT = 0,
	LOG_ERR = 1,
	LOG_WARN = 2,
	LOG_INFO = 3,
	LOG_CALL = 4,
	LOG_DATA = 5,
};

#define LOG_RING 1024
#define LOG_LINE 512

struct log_ring_entry {
	uint64_t seq;
	uint8_t level;
	char text[LOG_LINE];
};

struct logger {
	int level;		/* messages above this are dropped (set debug N) */
	FILE *file;		/* NULL: stderr or syslog */
	bool syslog;
	int facility;
	char dest[256];		/* as configured: "", a path, or syslog:FACILITY */
	uint64_t seq;		/* messages written so far (ring position) */
	uint64_t suppressed;	/* dropped by rate limiting */
	struct log_ring_entry ring[LOG_RING];
};

/* Open a destination ("" = stderr). Returns 0 or -errno (unknown facility
 * gives -EINVAL); on error the logger keeps its previous destination. */
int log_open(struct logger *lg, const char *dest, int level);
/* Close and reopen the same destination (SIGHUP, for log rotation). */
int log_reopen(struct logger *lg);
void log_close(struct logger *lg);
void log_msg(struct logger *lg, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vmsg(struct logger *lg, int level, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Name of a level, "critical" ... "data" (CLI debug words). */
const char *log_level_name(int level);

#endif
