/* Logging glue and clock for src/io. */
#include "io/io.h"

#include <stdio.h>
#include <time.h>

void io_logf(const struct io_log *lg, int level, const char *fmt, ...)
{
	if (!lg || !lg->fn)
		return;
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	lg->fn(lg->ctx, level, line);
}

uint64_t io_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
