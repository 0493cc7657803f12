/*
 * The session side of RADIUS: Access-Request from a PPP authentication
 * (RFC 2865 §5), the Access-Accept applied to the session, accounting
 * Start / Interim-Update / Stop (RFC 2866, RFC 2869 §5.1-5.3 Gigawords and
 * Event-Timestamp), Accounting-On/Off, Session-Timeout and Idle-Timeout.
 */
#include "core/radius.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lns.h"
#include "core/plugin.h"

void lns_radius_session_id(const struct session *s, char out[17])
{
	/* unique across restarts: the counter restarts, the start time does not */
	snprintf(out, 17, "%08X%08X", (unsigned)s->r.unique_id, (unsigned)(uint32_t)s->r.opened);
}

static const uint8_t *sec(const struct lns *l, size_t *n)
{
	*n = strlen(l->cfg->radius_secret);
	return (const uint8_t *)l->cfg->radius_secret;
}

/* Attributes of every request about a session (RFC 2865 §5.4-5.7, 5.30-5.32,
 * 5.41; RFC 2866 §5.5). */
static void session_attrs(struct lns *l, const struct session *s, struct radius_builder *b)
{
	char id[17];
	uint32_t nas = rad_nas_ip(l);
	if (nas)
		radius_add_addr(b, RADIUS_ATTR_NAS_IP_ADDRESS, nas);
	radius_add_str(b, RADIUS_ATTR_NAS_IDENTIFIER, l->hostname);
	radius_add_u32(b, RADIUS_ATTR_NAS_PORT, s->r.id);
	radius_add_u32(b, RADIUS_ATTR_NAS_PORT_TYPE, RADIUS_PORT_TYPE_VIRTUAL);
	radius_add_u32(b, RADIUS_ATTR_SERVICE_TYPE, RADIUS_SERVICE_FRAMED);
	radius_add_u32(b, RADIUS_ATTR_FRAMED_PROTOCOL, 1);	/* PPP, §5.7 */
	radius_add_str(b, RADIUS_ATTR_CALLING_STATION_ID, s->r.calling);
	radius_add_str(b, RADIUS_ATTR_CALLED_STATION_ID, s->r.called);
	lns_radius_session_id(s, id);
	radius_add_str(b, RADIUS_ATTR_ACCT_SESSION_ID, id);
}

int lns_radius_auth(struct lns *l, struct session *s, const char *user, const uint8_t *pw,
		    size_t pwlen, bool chap, uint8_t chap_id, const uint8_t *challenge)
{
	uint8_t tmp[RADIUS_MAX_LEN], auth[16];
	size_t sl;
	const uint8_t *secret = sec(l, &sl);
	struct radius_builder b;
	/* RFC 2865 §3: the Request Authenticator must be unpredictable */
	lns_random(l, auth, sizeof auth);
	radius_build_init(&b, tmp, sizeof tmp, RADIUS_ACCESS_REQUEST, 0, auth, secret, sl, true);
	radius_add_str(&b, RADIUS_ATTR_USER_NAME, user);
	if (chap) {
		if (pwlen != 16) {
			LNS_LOG(l, LOG_WARN, "tid=%u sid=%u user=%s CHAP response of %zu octets",
				s->r.tid, s->r.sid, user, pwlen);
			return -EINVAL;
		}
		radius_add_chap(&b, chap_id, pw, challenge, PPP_CHAP_CHALLENGE_LEN);
	} else {
		radius_add_password(&b, pw, pwlen);
	}
	session_attrs(l, s, &b);
	int n = radius_build_finish(&b);
	if (n < 0) {
		LNS_LOG(l, LOG_ERR, "tid=%u sid=%u user=%s Access-Request: %s", s->r.tid, s->r.sid,
			user, radius_strerror(n));
		return -EINVAL;
	}
	uint8_t *buf = malloc((size_t)n);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, tmp, (size_t)n);
	int r = rad_submit(l, RAD_KIND_AUTH, 0, buf, (uint16_t)n, s->r.id, s->r.unique_id);
	if (r < 0) {
		LNS_LOG(l, LOG_ERR, "tid=%u sid=%u user=%s Access-Request not queued: %s", s->r.tid,
			s->r.sid, user, strerror(-r));
		return r;
	}
	s->rad_req = (uint32_t)r;
	LNS_LOG(l, LOG_CALL, "tid=%u sid=%u user=%s Access-Request (%s)", s->r.tid, s->r.sid, user,
		chap ? "CHAP" : "PAP");
	return 0;
}

/* "a.b.c.d/len [gateway [metric]]" or a classful "a.b.c.d ..." (RFC 2865
 * §5.22 leaves the text to the vendor; this is the common form). */
static int parse_route(const uint8_t *v, size_t n, uint32_t *net, uint8_t *plen)
{
	char t[64];
	if (n >= sizeof t)
		return -EINVAL;
	memcpy(t, v, n);
	t[n] = 0;
	char *sp = strpbrk(t, " \t");
	if (sp)
		*sp = 0;
	char *sl = strchr(t, '/');
	long bits = -1;
	if (sl) {
		*sl = 0;
		char *e;
		bits = strtol(sl + 1, &e, 10);
		if (*e || bits < 1 || bits > 32)
			return -EINVAL;
	}
	struct in_addr a;
	if (inet_pton(AF_INET, t, &a) != 1)
		return -EINVAL;
	uint32_t ip = ntohl(a.s_addr);
	if (bits < 0)
		bits = ip < 0x80000000u ? 8 : ip < 0xc0000000u ? 16 : 24;
	*plen = (uint8_t)bits;
	*net = ip & (~0u << (32 - bits));
	return *net ? 0 : -EINVAL;	/* no default route through a subscriber */
}

static void copy_str(char *dst, size_t cap, const uint8_t *v, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = 0;
}

/* Cisco-AVPairs go to the plugins' radius_response hook (throttle=,
 * intercept= ...: reference §7.1). */
static void lns_radius_avpair(struct lns *l, struct session *s, const char *key, const char *val)
{
	lns_plugin_radius_response(l, s, key, val);
}

/* Plugins may append attributes to accounting (radius_account hook); what
 * they write is checked attribute by attribute before it goes out. */
static void lns_radius_account_hook(struct lns *l, struct session *s, struct radius_builder *b)
{
	uint8_t buf[1024];
	size_t used = 0;
	lns_plugin_radius_account(l, s, buf, sizeof buf, &used);
	struct rd r;
	rd_init(&r, buf, used);
	while (rd_left(&r) >= 2) {
		uint8_t t = rd_u8(&r), n = rd_u8(&r);
		const uint8_t *v = n >= 2 ? rd_take(&r, (size_t)(n - 2)) : NULL;
		if (!v || t == RADIUS_ATTR_USER_PASSWORD || t == RADIUS_ATTR_MESSAGE_AUTHENTICATOR) {
			LNS_LOG(l, LOG_ERR, "sid=%u radius_account hook wrote a malformed attribute: "
				"the rest discarded", s->r.id);
			return;
		}
		radius_add(b, t, v, (size_t)(n - 2));
	}
}

static void cisco_avpairs(struct lns *l, struct session *s, const struct radius_attr *a)
{
	struct radius_vsa_iter it;
	struct radius_vsa v;
	if (radius_vsa_init(&it, a) < 0 || it.vendor != 9)
		return;
	while (radius_vsa_next(&it, &v) == 1) {
		if (v.type != 1)
			continue;
		struct radius_avpair_iter pi;
		struct radius_avpair kv;
		radius_avpair_init(&pi, v.v, v.len);
		while (radius_avpair_next(&pi, &kv) == 1) {
			char key[64], val[192];
			copy_str(key, sizeof key, (const uint8_t *)kv.key, kv.key_len);
			copy_str(val, sizeof val, (const uint8_t *)kv.val, kv.has_value ? kv.val_len : 0);
			LNS_LOG(l, LOG_CALL, "tid=%u sid=%u user=%s Cisco-AVPair %s=%s", s->r.tid,
				s->r.sid, s->r.user, key, val);
			lns_radius_avpair(l, s, key, val);
		}
	}
}

int lns_radius_apply(struct lns *l, struct session *s, const struct radius_pkt *p, bool coa)
{
	struct radius_iter it;
	struct radius_attr a;
	uint32_t v;
	bool class_seen = false;
	if (!coa)
		s->r.nroutes = 0;
	radius_iter_init(&it, p);
	while (radius_next(&it, &a) == 1) {
		switch (a.type) {
		case RADIUS_ATTR_SESSION_TIMEOUT:
			if (radius_attr_u32(&a, &v) == 0)
				s->r.session_timeout = v;
			break;
		case RADIUS_ATTR_IDLE_TIMEOUT:
			if (radius_attr_u32(&a, &v) == 0)
				s->r.idle_timeout = v;
			break;
		case RADIUS_ATTR_ACCT_INTERIM_INTERVAL:
			/* RFC 2869 §5.16: not below 60 s */
			/* RFC 2869 §5.16 asks the server for at least 60 s;
			 * the server's choice is honoured, a short one noted */
			if (radius_attr_u32(&a, &v) == 0) {
				s->r.interim = v;
				if (v && v < 60)
					LNS_LOG(l, LOG_CALL, "sid=%u Acct-Interim-Interval %u below 60 s",
						s->r.id, v);
			}
			break;
		case RADIUS_ATTR_CLASS:
			/* RFC 2865 §5.25: echoed unmodified; we keep the first */
			if (!coa && !class_seen && a.len <= LNS_CLASS_MAX) {
				memcpy(s->r.class_, a.v, a.len);
				s->r.class_len = a.len;
				class_seen = true;
			}
			break;
		case RADIUS_ATTR_FILTER_ID: {
			/* "NAME.in" / "NAME.out" select an access list (reference §6.4) */
			char f[64];
			copy_str(f, sizeof f, a.v, a.len);
			char *dot = strrchr(f, '.');
			if (dot && !strcmp(dot, ".in")) {
				copy_str(s->r.filter_in, sizeof s->r.filter_in, (const uint8_t *)f,
					 (size_t)(dot - f));
			} else if (dot && !strcmp(dot, ".out")) {
				copy_str(s->r.filter_out, sizeof s->r.filter_out, (const uint8_t *)f,
					 (size_t)(dot - f));
			} else {
				LNS_LOG(l, LOG_WARN, "sid=%u Filter-Id \"%s\" ignored: NAME.in or NAME.out",
					s->r.id, f);
			}
			break;
		}
		case RADIUS_ATTR_FRAMED_ROUTE: {
			uint32_t net;
			uint8_t plen;
			if (coa)
				break;	/* routes change only at login */
			if (s->r.nroutes >= LNS_MAX_ROUTES || parse_route(a.v, a.len, &net, &plen) < 0) {
				LNS_LOG(l, LOG_WARN, "sid=%u Framed-Route \"%.*s\" ignored", s->r.id,
					(int)a.len, (const char *)a.v);
				break;
			}
			s->r.route[s->r.nroutes].net = net;
			s->r.route[s->r.nroutes].plen = plen;
			s->r.nroutes++;
			break;
		}
		case RADIUS_ATTR_VENDOR_SPECIFIC:
			cisco_avpairs(l, s, &a);
			break;
		default:
			break;
		}
	}
	return 0;
}

void lns_radius_auth_done(struct lns *l, uint32_t sess, uint32_t uid, const struct radius_pkt *p)
{
	if (!sess || sess >= l->shwm)
		return;
	struct session *s = &l->sessions[sess];
	if (s->r.state == SESS_FREE || s->r.unique_id != uid)
		return;	/* the session is gone: the answer concerns nobody */
	s->rad_req = 0;
	if (!p) {
		LNS_LOG(l, LOG_ERR, "tid=%u sid=%u user=%s no RADIUS server answered", s->r.tid,
			s->r.sid, s->r.user);
		lns_session_cause(s, RADIUS_TERM_SERVICE_UNAVAILABLE);
		lns_auth_finish(l, s, false, 0, NULL, "RADIUS timeout");
		return;
	}
	if (p->code != RADIUS_ACCESS_ACCEPT) {
		/* Access-Challenge has no PPP PAP/CHAP equivalent: a reject */
		lns_auth_finish(l, s, false, 0, NULL,
				p->code == RADIUS_ACCESS_REJECT ? "RADIUS Access-Reject"
								: "RADIUS Access-Challenge");
		return;
	}
	struct radius_attr a;
	uint32_t ip = 0, dns[2] = {0, 0}, v;
	if (radius_find(p, RADIUS_ATTR_FRAMED_IP_ADDRESS, &a) == 1 && radius_attr_u32(&a, &v) == 0 &&
	    v != 0xfffffffeu && v != 0xffffffffu)
		ip = v;	/* §5.8: 0xFFFFFFFE "NAS should select": from the pool */
	if (radius_find(p, RADIUS_ATTR_ASCEND_PRIMARY_DNS, &a) == 1)
		radius_attr_u32(&a, &dns[0]);
	if (radius_find(p, RADIUS_ATTR_ASCEND_SECONDARY_DNS, &a) == 1)
		radius_attr_u32(&a, &dns[1]);
	s->r.radius_auth = true;
	lns_radius_apply(l, s, p, false);
	if (radius_find(p, RADIUS_ATTR_SESSION_TIMEOUT, &a) == 1 && s->r.session_timeout == 0 &&
	    l->cfg->kill_timedout_sessions) {
		lns_session_cause(s, RADIUS_TERM_SESSION_TIMEOUT);
		lns_auth_finish(l, s, false, 0, NULL, "RADIUS Session-Timeout 0");
		return;
	}
	lns_auth_finish(l, s, true, ip, dns[0] || dns[1] ? dns : NULL, "RADIUS");
}

/* ---- accounting ---- */

static bool acct_on(const struct lns *l)
{
	return l->cfg->radius_accounting && rad_enabled(l);
}

static void add_counters(struct radius_builder *b, const struct session *s)
{
	/* RFC 2869 §5.1/5.2: the 2^32 overflows go in the Gigawords */
	radius_add_u32(b, RADIUS_ATTR_ACCT_INPUT_OCTETS, (uint32_t)s->r.cin);
	radius_add_u32(b, RADIUS_ATTR_ACCT_OUTPUT_OCTETS, (uint32_t)s->r.cout);
	radius_add_u32(b, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS, (uint32_t)(s->r.cin >> 32));
	radius_add_u32(b, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS, (uint32_t)(s->r.cout >> 32));
	radius_add_u32(b, RADIUS_ATTR_ACCT_INPUT_PACKETS, (uint32_t)s->r.pin);
	radius_add_u32(b, RADIUS_ATTR_ACCT_OUTPUT_PACKETS, (uint32_t)s->r.pout);
}

/* Queue an Accounting-Request: the attributes are kept, the packet is
 * built per transmission (Acct-Delay-Time). */
static int acct_submit(struct lns *l, struct radius_builder *b, uint8_t status)
{
	int n = radius_build_finish(b);
	if (n < 0)
		return n;
	uint8_t *attrs = malloc((size_t)(n - RADIUS_HDR_LEN) + 1);
	if (!attrs)
		return -ENOMEM;
	memcpy(attrs, b->w.p + RADIUS_HDR_LEN, (size_t)(n - RADIUS_HDR_LEN));
	return rad_submit(l, RAD_KIND_ACCT, status, attrs, (uint16_t)(n - RADIUS_HDR_LEN), 0, 0);
}

static void acct_session(struct lns *l, struct session *s, uint8_t status)
{
	uint8_t tmp[RADIUS_MAX_LEN];
	size_t sl;
	const uint8_t *secret = sec(l, &sl);
	struct radius_builder b;
	radius_build_init(&b, tmp, sizeof tmp, RADIUS_ACCOUNTING_REQUEST, 0, NULL, secret, sl,
			  false);
	radius_add_u32(&b, RADIUS_ATTR_ACCT_STATUS_TYPE, status);
	radius_add_str(&b, RADIUS_ATTR_USER_NAME, s->r.user);
	session_attrs(l, s, &b);
	radius_add_u32(&b, RADIUS_ATTR_ACCT_AUTHENTIC,
		       s->r.radius_auth ? RADIUS_AUTHENTIC_RADIUS : RADIUS_AUTHENTIC_LOCAL);
	if (s->r.ip)
		s->r.acct_ip = s->r.ip;
	if (s->r.acct_ip)
		radius_add_addr(&b, RADIUS_ATTR_FRAMED_IP_ADDRESS, s->r.acct_ip);
	if (s->r.class_len)
		radius_add(&b, RADIUS_ATTR_CLASS, s->r.class_, s->r.class_len);
	radius_add_u32(&b, RADIUS_ATTR_EVENT_TIMESTAMP, (uint32_t)time(NULL));
	if (status != RADIUS_ACCT_START) {
		uint64_t end = s->r.closed ? s->r.closed : (uint64_t)time(NULL);
		radius_add_u32(&b, RADIUS_ATTR_ACCT_SESSION_TIME,
			       (uint32_t)(end > s->r.opened ? end - s->r.opened : 0));
		add_counters(&b, s);
	}
	if (status == RADIUS_ACCT_STOP)
		radius_add_u32(&b, RADIUS_ATTR_ACCT_TERMINATE_CAUSE,
			       s->r.term_cause ? s->r.term_cause : RADIUS_TERM_USER_REQUEST);
	lns_radius_account_hook(l, s, &b);
	int r = acct_submit(l, &b, status);
	if (r < 0)
		LNS_LOG(l, LOG_ERR, "tid=%u sid=%u user=%s accounting status %u lost: %s", s->r.tid,
			s->r.sid, s->r.user, status, strerror(-r));
}

void lns_radius_acct_start(struct lns *l, struct session *s)
{
	if (!acct_on(l) || s->r.acct_started)
		return;
	acct_session(l, s, RADIUS_ACCT_START);
	s->r.acct_started = true;
	uint32_t iv = s->r.interim ? s->r.interim : (uint32_t)l->cfg->radius_interim;
	s->next_interim_ms = iv ? lns_now(l) + (uint64_t)iv * 1000 : 0;
}

void lns_radius_acct_stop(struct lns *l, struct session *s)
{
	if (s->rad_req) {
		rad_cancel(l, s->rad_req);
		s->rad_req = 0;
	}
	io_loop_timer_cancel(&l->loop, &s->pol_timer);
	if (!s->r.acct_started)
		return;
	s->r.acct_started = false;
	if (rad_enabled(l))
		acct_session(l, s, RADIUS_ACCT_STOP);
}

void lns_radius_acct_onoff(struct lns *l, uint8_t status)
{
	if (!acct_on(l))
		return;
	uint8_t tmp[RADIUS_MAX_LEN];
	size_t sl;
	const uint8_t *secret = sec(l, &sl);
	struct radius_builder b;
	char id[17];
	radius_build_init(&b, tmp, sizeof tmp, RADIUS_ACCOUNTING_REQUEST, 0, NULL, secret, sl,
			  false);
	radius_add_u32(&b, RADIUS_ATTR_ACCT_STATUS_TYPE, status);
	uint32_t nas = rad_nas_ip(l);
	if (nas)
		radius_add_addr(&b, RADIUS_ATTR_NAS_IP_ADDRESS, nas);
	radius_add_str(&b, RADIUS_ATTR_NAS_IDENTIFIER, l->hostname);
	/* RFC 2866 §5.5 wants an Acct-Session-Id in every request */
	snprintf(id, sizeof id, "00000000%08X", (unsigned)(uint32_t)l->started);
	radius_add_str(&b, RADIUS_ATTR_ACCT_SESSION_ID, id);
	radius_add_u32(&b, RADIUS_ATTR_EVENT_TIMESTAMP, (uint32_t)time(NULL));
	int r = acct_submit(l, &b, status);
	LNS_LOG(l, r < 0 ? LOG_ERR : LOG_INFO, "radius: Accounting-%s %s",
		status == RADIUS_ACCT_ON ? "On" : "Off", r < 0 ? strerror(-r) : "queued");
}

/* ---- Session-Timeout, Idle-Timeout, interim ---- */

static uint64_t idle_base(const struct session *s)
{
	return s->r.last_data_ms > s->up_ms ? s->r.last_data_ms : s->up_ms;
}

void lns_radius_policy_arm(struct lns *l, struct session *s)
{
	uint64_t at = 0;
	if (s->r.state != SESS_UP)
		return;
	if (s->r.session_timeout)
		at = s->up_ms + (uint64_t)s->r.session_timeout * 1000;
	if (s->r.idle_timeout) {
		uint64_t t = idle_base(s) + (uint64_t)s->r.idle_timeout * 1000;
		if (!at || t < at)
			at = t;
	}
	if (s->r.acct_started && s->next_interim_ms && (!at || s->next_interim_ms < at))
		at = s->next_interim_ms;
	if (at)
		io_loop_timer_arm(&l->loop, &s->pol_timer, at);
	else
		io_loop_timer_cancel(&l->loop, &s->pol_timer);
}

void lns_radius_policy_cb(void *ctx, struct io_timer *t, uint64_t now)
{
	struct session *s = ctx;
	struct lns *l = s->lns;
	(void)t;
	if (s->r.state != SESS_UP)
		return;
	if (s->r.session_timeout && now >= s->up_ms + (uint64_t)s->r.session_timeout * 1000) {
		lns_session_cause(s, RADIUS_TERM_SESSION_TIMEOUT);
		lns_session_drop(l, s, L2TP_CDN_ADMIN, "Session-Timeout");
		return;
	}
	if (s->r.idle_timeout && now >= idle_base(s) + (uint64_t)s->r.idle_timeout * 1000) {
		lns_session_cause(s, RADIUS_TERM_IDLE_TIMEOUT);
		lns_session_drop(l, s, L2TP_CDN_ADMIN, "Idle-Timeout");
		return;
	}
	if (s->r.acct_started && s->next_interim_ms && now >= s->next_interim_ms) {
		acct_session(l, s, RADIUS_ACCT_INTERIM_UPDATE);
		uint32_t iv = s->r.interim ? s->r.interim : (uint32_t)l->cfg->radius_interim;
		s->next_interim_ms = iv ? now + (uint64_t)iv * 1000 : 0;
	}
	lns_radius_policy_arm(l, s);
}
