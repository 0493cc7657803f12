#include "log.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

static const char *const level_names[] = {"critical", "error", "warning", "info", "calls", "data"};

const char *log_level_name(int level)
{
	if (level < 0 || level > LOG_DATA)
		return "?";
	return level_names[level];
}

static const struct {
	const char *name;
	int fac;
} facilities[] = {
	{"auth", LOG_AUTH},	{"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
	{"daemon", LOG_DAEMON}, {"kern", LOG_KERN},	    {"lpr", LOG_LPR},
	{"mail", LOG_MAIL},	{"news", LOG_NEWS},	    {"syslog", LOG_SYSLOG},
	{"user", LOG_USER},	{"uucp", LOG_UUCP},	    {"local0", LOG_LOCAL0},
	{"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},	    {"local3", LOG_LOCAL3},
	{"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},	    {"local6", LOG_LOCAL6},
	{"local7", LOG_LOCAL7},
};

int log_open(struct logger *lg, const char *dest, int level)
{
	FILE *f = NULL;
	bool sl = false;
	int fac = LOG_DAEMON;

	if (!dest)
		dest = "";
	if (!strncmp(dest, "syslog:", 7)) {
		size_t i;
		for (i = 0; i < sizeof facilities / sizeof facilities[0]; i++)
			if (!strcasecmp(dest + 7, facilities[i].name))
				break;
		if (i == sizeof facilities / sizeof facilities[0])
			return -EINVAL;
		fac = facilities[i].fac;
		sl = true;
	} else if (dest[0]) {
		f = fopen(dest, "a");
		if (!f)
			return -errno;
		setvbuf(f, NULL, _IOLBF, 0);
	}
	log_close(lg);
	lg->file = f;
	lg->syslog = sl;
	lg->facility = fac;
	lg->level = level;
	snprintf(lg->dest, sizeof lg->dest, "%s", dest);
	if (sl)
		openlog("l2tpns", LOG_PID | LOG_NDELAY, fac);
	return 0;
}

int log_reopen(struct logger *lg)
{
	char dest[sizeof lg->dest];
	memcpy(dest, lg->dest, sizeof dest);
	return log_open(lg, dest, lg->level);
}

void log_close(struct logger *lg)
{
	if (lg->file)
		fclose(lg->file);
	if (lg->syslog)
		closelog();
	lg->file = NULL;
	lg->syslog = false;
}

void log_vmsg(struct logger *lg, int level, const char *fmt, va_list ap)
{
	struct log_ring_entry *e = &lg->ring[lg->seq % LOG_RING];
	/* The ring keeps every level so `debug` can show more than the file. */
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	e->level = (uint8_t)level;
	e->seq = lg->seq++;
	if (level > lg->level)
		return;
	if (lg->syslog) {
		static const int prio[] = {LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG, LOG_DEBUG};
		syslog(prio[level < 0 ? 0 : level > 5 ? 5 : level], "%s", e->text);
		return;
	}
	FILE *out = lg->file ? lg->file : stderr;
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	fprintf(out, "%04d-%02d-%02d %02d:%02d:%02d.%03ld %d %s\n", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level, e->text);
}

void log_msg(struct logger *lg, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(lg, level, fmt, ap);
	va_end(ap);
}
