/*
 * Pure formatting helpers of the CLI (no I/O): the columns the original
 * printed (reference §3.2), kept in one place so they are unit-tested
 * against the reference's printf formats.
 */
#include <stdio.h>

#include "core/cli.h"
#include "core/lns.h"

const char *cli_tunnel_state_name(int state)
{
	/* the original's names (reference §3.2) */
	switch (state) {
	case TUN_FREE:
		return "Free";
	case TUN_OPEN:
		return "Open";
	case TUN_CLOSING:
		return "Closing";
	case TUN_OPENING:
		return "Opening";
	default:
		return "?";
	}
}

int cli_fmt_duration(uint64_t secs, char *buf, size_t len)
{
	/* uptime(1) style, as the original's `uptime`: "N days, H:MM", else
	 * "H:MM" from an hour, "N mins" from a minute, else "N secs" */
	uint64_t d = secs / 86400, h = secs % 86400 / 3600, m = secs % 3600 / 60;
	int n = 0, r;
	if (!len)
		return -1;
	buf[0] = 0;
	if (d) {
		n = snprintf(buf, len, "%llu day%s, ", (unsigned long long)d, d == 1 ? "" : "s");
		if (n < 0 || (size_t)n >= len)
			return n;
	}
	if (secs >= 3600)
		r = snprintf(buf + n, len - (size_t)n, "%2llu:%02llu", (unsigned long long)h,
			     (unsigned long long)m);
	else if (secs >= 60)
		r = snprintf(buf + n, len - (size_t)n, "%llu min%s", (unsigned long long)m,
			     m == 1 ? "" : "s");
	else
		r = snprintf(buf + n, len - (size_t)n, "%llu sec%s", (unsigned long long)secs,
			     secs == 1 ? "" : "s");
	return r < 0 ? r : n + r;
}

int cli_fmt_session_header(char *buf, size_t len)
{
	return snprintf(buf, len, "%5s %4s %-32s %-15s %s %s %s %s %10s %10s %10s %4s %-15s %s",
			"SID", "TID", "Username", "IP", "I", "T", "G", "6", "opened", "downloaded",
			"uploaded", "idle", "LAC", "CLI");
}

int cli_fmt_session_row(char *buf, size_t len, const struct cli_sess_row *r)
{
	/* I, T, G: intercept, throttle, walled garden do not exist yet: N */
	return snprintf(buf, len, "%5u %4u %-32s %-15s %s %s %s %s %10llu %10llu %10llu %4llu %-15s %s",
			r->sid, r->tid, r->user && r->user[0] ? r->user : "*", r->ip ? r->ip : "",
			"N", "N", "N", r->ipv6 ? "Y" : "N", (unsigned long long)r->opened,
			(unsigned long long)r->down, (unsigned long long)r->up,
			(unsigned long long)r->idle, r->lac ? r->lac : "",
			r->cli && r->cli[0] ? r->cli : "*");
}
