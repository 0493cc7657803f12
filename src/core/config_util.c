/* Error collector, word splitter and number/address parsers shared by the
 * configuration readers. */
#include "core/config_util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void config_errors_init(struct config_errors *e)
{
	e->count = 0;
}

void config_error(struct config_errors *e, const char *file, unsigned line,
		  const char *fmt, ...)
{
	if (!e)
		return;
	if (e->count < CONFIG_ERR_MAX) {
		char *m = e->msg[e->count];
		int n = 0;
		if (file && line)
			n = snprintf(m, CONFIG_ERR_LEN, "%s:%u: ", file, line);
		else if (file)
			n = snprintf(m, CONFIG_ERR_LEN, "%s: ", file);
		if (n < 0 || n >= CONFIG_ERR_LEN)
			n = 0;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(m + n, CONFIG_ERR_LEN - (size_t)n, fmt, ap);
		va_end(ap);
	}
	e->count++;
}

unsigned config_errors_kept(const struct config_errors *e)
{
	return e->count < CONFIG_ERR_MAX ? e->count : CONFIG_ERR_MAX;
}

int config_split(const char *line, size_t len, struct config_words *out,
		 const char **why)
{
	size_t i = 0;
	out->n = 0;
	*why = NULL;
	for (;;) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len)
			break;
		if (out->n >= CONFIG_MAX_WORDS) {
			*why = "too many words";
			return -EINVAL;
		}
		char *w = out->w[out->n];
		size_t wl = 0;
		char q = 0;
		if (line[i] == '"' || line[i] == '\'')
			q = line[i++];
		for (;;) {
			if (i >= len) {
				if (q) {
					*why = "unterminated quote";
					return -EINVAL;
				}
				break;
			}
			char c = line[i];
			if (q && c == q) {
				i++;
				/* `"a"b` would be ambiguous; require a blank */
				if (i < len && line[i] != ' ' && line[i] != '\t') {
					*why = "text after closing quote";
					return -EINVAL;
				}
				break;
			}
			if (!q && (c == ' ' || c == '\t'))
				break;
			if ((unsigned char)c < 0x20 || c == 0x7f) {
				*why = "control character";
				return -EINVAL;
			}
			if (wl + 1 >= CONFIG_WORD_MAX) {
				*why = "word too long";
				return -EINVAL;
			}
			w[wl++] = c;
			i++;
		}
		w[wl] = 0;
		out->quoted[out->n] = q != 0;
		out->n++;
	}
	return (int)out->n;
}

int config_parse_long(const char *s, long min, long max, long *out)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return -EINVAL;
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int config_parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	const char *p = s;
	if (*p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(p, NULL, 10);
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int config_parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

const char *config_fmt_ipv4(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
	return buf;
}

long config_next_line(const char *text, size_t len, size_t *pos,
		      const char **line)
{
	size_t i = *pos;
	if (i >= len)
		return -1;
	const char *nl = memchr(text + i, '\n', len - i);
	size_t end = nl ? (size_t)(nl - text) : len;
	*line = text + i;
	*pos = nl ? end + 1 : len;
	size_t l = end - i;
	if (l && text[i + l - 1] == '\r')
		l--;
	return (long)l;
}

#define CONFIG_FILE_MAX (16u << 20)

int config_read_file(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)CONFIG_FILE_MAX) {
		close(fd);
		return S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *b = malloc(cap);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (n + 1 >= cap) {
			/* the file grew since fstat: keep reading up to the cap */
			if (cap > CONFIG_FILE_MAX) {
				free(b);
				close(fd);
				return -EFBIG;
			}
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				close(fd);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, b + n, cap - 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			free(b);
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = 0;
	*text = b;
	*len = n;
	return 0;
}
