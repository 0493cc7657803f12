/*
 * Shared by the configuration-file readers (startup-config, users,
 * ppp-users, ip_pool): an error collector that keeps every message with its
 * file name and line number, so an operator sees all mistakes of a file at
 * once instead of fixing them one restart at a time, and the word splitter
 * of the startup-config language (double or single quotes, as the manual's
 * `set` description allows).
 */
#ifndef L2TPNS_CORE_CONFIG_UTIL_H
#define L2TPNS_CORE_CONFIG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_ERR_MAX 64	/* messages kept; more are counted only */
#define CONFIG_ERR_LEN 200

struct config_errors {
	unsigned count;		/* errors reported (may exceed CONFIG_ERR_MAX) */
	char msg[CONFIG_ERR_MAX][CONFIG_ERR_LEN];	/* "file:line: text" */
};

void config_errors_init(struct config_errors *e);
/* Record "file:line: text" (line 0: "file: text"; file NULL: "text"). */
void config_error(struct config_errors *e, const char *file, unsigned line,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Number kept in msg[] (min(count, CONFIG_ERR_MAX)). */
unsigned config_errors_kept(const struct config_errors *e);

#define CONFIG_MAX_WORDS 32
#define CONFIG_WORD_MAX 512

struct config_words {
	unsigned n;
	bool quoted[CONFIG_MAX_WORDS];
	char w[CONFIG_MAX_WORDS][CONFIG_WORD_MAX];
};

/*
 * Split one line (no newline) into words separated by blanks; a word may be
 * enclosed in "..." or '...' (no escapes: the other quote character may
 * appear inside). Returns the number of words, or -EINVAL with *why set for
 * an unterminated quote, a control character, too many words or a word too
 * long.
 */
int config_split(const char *line, size_t len, struct config_words *out,
		 const char **why);

/* Strict decimal parsers: the whole string must be consumed. 0 or -EINVAL
 * (not a number) / -ERANGE (outside [min, max]). */
int config_parse_long(const char *s, long min, long max, long *out);
int config_parse_ulong(const char *s, unsigned long max, unsigned long *out);
/* Dotted quad only (no hostnames, no inet_aton shorthand); host order. */
int config_parse_ipv4(const char *s, uint32_t *out);
/* Dotted quad into buf (>= 16 bytes) from host order. */
const char *config_fmt_ipv4(uint32_t a, char *buf, size_t len);

/* Next line of a text buffer: returns its length (without "\n" or "\r\n"),
 * advances *pos, or -1 at the end. */
long config_next_line(const char *text, size_t len, size_t *pos,
		      const char **line);

/* Read a whole file into a malloc'd NUL-terminated buffer (max 16 MiB).
 * 0 or -errno. */
int config_read_file(const char *path, char **text, size_t *len);

#endif
