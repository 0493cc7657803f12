/*
 * The session table for the daemon's -S option: exactly what the CLI's
 * `show session` prints (reference §3.2 columns), plus a totals line.
 */
#include "core/cli.h"
#include "core/lns.h"

#include <time.h>

void lns_print_sessions(struct lns *l, FILE *out)
{
	struct config_buf b = {0};
	char show[] = "show", session[] = "session";
	char *w[] = {show, session};
	if (cli_show(l, false, w, 2, &b) == 0 && b.p)
		fputs(b.p, out);
	config_buf_free(&b);
	fprintf(out, "%u sessions, %u tunnels; up %llu s\n", l->nsessions, l->ntunnels,
		(unsigned long long)((uint64_t)time(NULL) - l->started));
}
