/*
 * The session table as the original's `show session` prints it (reference
 * §3.2): the same columns, so operators' scripts keep working.
 */
#include "core/lns.h"

#include <arpa/inet.h>
#include <time.h>

void lns_print_sessions(struct lns *l, FILE *out)
{
	time_t now = time(NULL);
	fprintf(out, "%5s %4s %-32s %-15s %s %s %s %s %10s %10s %10s %4s %-15s %s\n", "SID", "TID",
		"Username", "IP", "I", "T", "G", "6", "opened", "downloaded", "uploaded", "idle",
		"LAC", "CLI");
	for (uint32_t i = 1; i < l->max_sessions; i++) {
		const struct session *s = &l->sessions[i];
		if (s->r.state == SESS_FREE)
			continue;
		const struct tunnel *t = &l->tunnels[s->r.tunnel];
		char ip[INET_ADDRSTRLEN] = "", lac[INET6_ADDRSTRLEN] = "?";
		struct in_addr a = {htonl(s->r.ip)};
		if (s->r.ip)
			inet_ntop(AF_INET, &a, ip, sizeof ip);
		if (t->peer.u.sa.sa_family == AF_INET)
			inet_ntop(AF_INET, &t->peer.u.in.sin_addr, lac, sizeof lac);
		uint64_t idle = (lns_now(l) - s->r.last_rx_ms) / 1000;
		fprintf(out, "%5u %4u %-32s %-15s %s %s %s %s %10llu %10llu %10llu %4llu %-15s %s\n",
			s->r.id, s->r.tid, s->r.user[0] ? s->r.user : "*", ip, "N", "N", "N", "N",
			(unsigned long long)(now - (time_t)s->r.opened), (unsigned long long)s->r.cout,
			(unsigned long long)s->r.cin, (unsigned long long)idle, lac,
			s->r.calling[0] ? s->r.calling : "*");
	}
	fprintf(out, "%u sessions, %u tunnels; up %llu s\n", l->nsessions, l->ntunnels,
		(unsigned long long)(now - (time_t)l->started));
}
