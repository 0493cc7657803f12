/* Access lists (reference §10.4): every syntax form into the struct,
 * canonical printing, errors, list management and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

/* Parse one rule line; returns the parser's result, *why on error. */
static int rule(bool ext, const char *line, struct acl_rule *r, char *why)
{
	struct config_words w;
	const char *bad;
	assert_true(config_split(line, strlen(line), &w, &bad) > 0);
	const char *p[CONFIG_MAX_WORDS];
	for (unsigned i = 0; i < w.n; i++)
		p[i] = w.w[i];
	return config_acl_parse_rule(ext, p, w.n, r, why, 200);
}

/* line parses; its canonical text is canon; canon parses to the same rule. */
static void canon(bool ext, const char *line, const char *want, struct acl_rule *r)
{
	char why[200] = "", txt[256];
	int rc = rule(ext, line, r, why);
	if (rc)
		print_error("%s: %s\n", line, why);
	assert_int_equal(rc, 0);
	int n = config_acl_format_rule(r, ext, txt, sizeof txt);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(txt, want);
	struct acl_rule r2;
	assert_int_equal(rule(ext, txt, &r2, why), 0);
	assert_memory_equal(r, &r2, sizeof r2);
}

static void bad(bool ext, const char *line, const char *want_why)
{
	struct acl_rule r;
	char why[200] = "";
	assert_int_equal(rule(ext, line, &r, why), -EINVAL);
	if (want_why)
		assert_string_equal(why, want_why);
	else
		assert_true(why[0] != 0);
}

static void standard_rules(void **state)
{
	(void)state;
	struct acl_rule r;
	canon(false, "permit any", "permit any", &r);
	assert_true(r.permit);
	assert_int_equal(r.src.wild, 0xffffffff);
	assert_int_equal(r.dst.wild, 0xffffffff);

	canon(false, "deny host 192.0.2.7", "deny host 192.0.2.7", &r);
	assert_false(r.permit);
	assert_int_equal(r.src.addr, 0xc0000207);
	assert_int_equal(r.src.wild, 0);

	/* bits under the wildcard are cleared, 0.0.0.0 wildcard is host,
	 * all-ones wildcard is any */
	canon(false, "permit 10.1.2.3 0.0.255.255", "permit 10.1.0.0 0.0.255.255", &r);
	assert_int_equal(r.src.addr, 0x0a010000);
	assert_int_equal(r.src.wild, 0x0000ffff);
	canon(false, "permit 10.1.2.3 0.0.0.0", "permit host 10.1.2.3", &r);
	canon(false, "permit 10.1.2.3 255.255.255.255", "permit any", &r);
	/* non-contiguous wildcard (Cisco allows it) */
	canon(false, "deny 10.0.0.1 0.255.0.0", "deny 10.0.0.1 0.255.0.0", &r);

	/* the manual's optional destination, which the original ignored */
	canon(false, "permit any host 192.0.2.1", "permit any host 192.0.2.1", &r);
	assert_int_equal(r.dst.addr, 0xc0000201);
	assert_int_equal(r.dst.wild, 0);
	canon(false, "PERMIT HOST 1.2.3.4 ANY", "permit host 1.2.3.4", &r);
	assert_int_equal(r.proto, 0);
}

static void extended_rules(void **state)
{
	(void)state;
	struct acl_rule r;
	canon(true, "permit ip any any", "permit ip any any", &r);
	assert_int_equal(r.proto, 0);
	assert_int_equal(r.sport.op, ACL_PORT_ANY);

	canon(true, "deny tcp host 1.1.1.1 eq 80 any", "deny tcp host 1.1.1.1 eq 80 any", &r);
	assert_int_equal(r.proto, 6);
	assert_int_equal(r.sport.op, ACL_PORT_EQ);
	assert_int_equal(r.sport.lo, 80);
	assert_int_equal(r.dport.op, ACL_PORT_ANY);

	canon(true, "permit udp any range 1000 2000 10.0.0.0 0.255.255.255 neq 53",
	      "permit udp any range 1000 2000 10.0.0.0 0.255.255.255 neq 53", &r);
	assert_int_equal(r.proto, 17);
	assert_int_equal(r.sport.op, ACL_PORT_RANGE);
	assert_int_equal(r.sport.lo, 1000);
	assert_int_equal(r.sport.hi, 2000);
	assert_int_equal(r.dport.op, ACL_PORT_NEQ);
	assert_int_equal(r.dport.lo, 53);

	canon(true, "permit tcp any gt 1023 any lt 1024", "permit tcp any gt 1023 any lt 1024", &r);
	assert_int_equal(r.sport.op, ACL_PORT_GT);
	assert_int_equal(r.dport.op, ACL_PORT_LT);
	canon(true, "permit tcp any any eq 0", "permit tcp any any eq 0", &r);
	canon(true, "permit tcp any any range 65535 65535", "permit tcp any any range 65535 65535", &r);

	canon(true, "permit tcp any any established", "permit tcp any any established", &r);
	assert_int_equal(r.tcp_op, ACL_TCP_ESTABLISHED);

	/* flags print in header order fin syn rst psh ack urg */
	canon(true, "permit tcp any any match-all -ack +syn", "permit tcp any any match-all +syn -ack", &r);
	assert_int_equal(r.tcp_op, ACL_TCP_MATCH_ALL);
	assert_int_equal(r.flags_set, ACL_TCP_SYN);
	assert_int_equal(r.flags_clear, ACL_TCP_ACK);
	canon(true, "deny tcp any any match-any +urg +psh -fin +rst",
	      "deny tcp any any match-any -fin +rst +psh +urg", &r);
	assert_int_equal(r.tcp_op, ACL_TCP_MATCH_ANY);
	assert_int_equal(r.flags_set, ACL_TCP_URG | ACL_TCP_PSH | ACL_TCP_RST);
	assert_int_equal(r.flags_set, 0x2c);
	assert_int_equal(r.flags_clear, 0x01);

	canon(true, "deny ip any any fragments", "deny ip any any fragments", &r);
	assert_true(r.fragments);
	canon(true, "permit udp host 10.0.0.1 any fragments", "permit udp host 10.0.0.1 any fragments", &r);
	canon(true, "permit tcp any any fragments", "permit tcp any any fragments", &r);
}

static void rule_errors(void **state)
{
	(void)state;
	bad(false, "allow any", "expected permit or deny, got 'allow'");
	bad(false, "permit", "expected source (any, host A.B.C.D or A.B.C.D WILDCARD), got end of line");
	bad(false, "permit host", "expected an address after 'host', got end of line");
	bad(false, "permit host 1.2.3", "expected an address after 'host', got '1.2.3'");
	bad(false, "permit 1.2.3.4", "expected a wildcard mask after the address, got end of line");
	bad(false, "permit any any any", "unexpected 'any' at the end of a standard rule");
	bad(false, "permit ip any any", NULL);
	bad(true, "permit icmp any any", "expected ip, tcp or udp, got 'icmp'");
	bad(true, "permit ip any", "expected destination (any, host A.B.C.D or A.B.C.D WILDCARD), got end of line");
	bad(true, "permit tcp any eq 70000 any", "expected a port number 0..65535, got '70000'");
	bad(true, "permit tcp any eq any", "expected a port number 0..65535, got 'any'");
	bad(true, "permit ip any eq 80 any", "port match 'eq' needs tcp or udp");
	bad(true, "permit tcp any range 20 10 any", "port range 20 10 is reversed");
	bad(true, "permit udp any any established", "'established' needs tcp");
	bad(true, "permit ip any any match-any +syn", "'match-any' needs tcp");
	bad(true, "permit tcp any any eq 80 fragments", "'fragments' cannot be combined with port matches");
	bad(true, "permit tcp any any match-any", "expected TCP flags (+syn -ack ...), got end of line");
	bad(true, "permit tcp any any match-all +foo", "unknown TCP flag '+foo' (+ or - then fin syn rst psh ack urg)");
	bad(true, "permit tcp any any match-all +syn -syn", "TCP flag '-syn' given twice");
	bad(true, "permit tcp any any established fragments", "unexpected 'fragments' at the end of the rule");
	bad(true, "permit tcp any any log", "unexpected 'log' at the end of the rule");
}

static struct config *parse(const char *text, struct config_errors *e)
{
	struct config *c = NULL;
	config_errors_init(e);
	config_parse(text, strlen(text), "acl", &c, e);
	return c;
}

static void list_statements(void **state)
{
	(void)state;
	struct config_errors e;
	struct config *c = parse("ip access-list extended web\n"
				 " permit tcp any any eq 80\n"
				 "ip access-list standard mgmt\n"
				 " permit host 10.0.0.1\n"
				 "ip access-list extended web\n" /* re-entered: appends */
				 " deny ip any any\n"
				 "ip access-list standard gone\n"
				 "no ip access-list standard gone\n", &e);
	assert_non_null(c);
	assert_int_equal(c->nacls, 2);
	const struct config_acl *web = config_acl_find(c, "web");
	assert_non_null(web);
	assert_true(web->extended);
	assert_int_equal(web->nrules, 2);
	assert_false(web->rules[1].permit);
	assert_null(config_acl_find(c, "gone"));
	assert_int_equal(config_acl_index(c, "mgmt"), 1);
	struct config_buf b = { 0 };
	assert_int_equal(config_print_acl(web, config_buf_sink, &b), 0);
	assert_string_equal(b.p, "ip access-list extended web\n"
				 " permit tcp any any eq 80\n"
				 " deny ip any any\n");
	config_buf_free(&b);
	config_free(c);

	assert_null(parse("ip access-list standard a\nip access-list extended a\n", &e));
	assert_string_equal(e.msg[0], "acl:2: access-list 'a' exists as standard");
	assert_null(parse("ip access-list standard a\nno ip access-list extended a\n", &e));
	assert_string_equal(e.msg[0], "acl:2: access-list 'a' is standard");
	assert_null(parse("no ip access-list standard a\n", &e));
	assert_string_equal(e.msg[0], "acl:1: no access-list 'a'");
	assert_null(parse("ip access-list standard bad.name\n permit any\n", &e));
	assert_int_equal(e.count, 1); /* its rule is not reported again */
	assert_string_equal(e.msg[0], "acl:1: bad access-list name 'bad.name' (1..31 of A-Z a-z 0-9 _ -)");
	assert_null(parse("ip access-list standard abcdefghijabcdefghijabcdefghijab\n", &e));
	assert_null(parse("ip access-list named x\n", &e));
	assert_string_equal(e.msg[0], "acl:1: expected 'ip access-list standard|extended NAME'");
	assert_null(parse("ip access-list standard a\n permit tcp any any\n deny any\n set x\n", &e));
	assert_int_equal(e.count, 2);
	assert_string_equal(e.msg[0], "acl:2: expected source (any, host A.B.C.D or A.B.C.D WILDCARD), got 'tcp'");
	assert_true(config_acl_name_valid("a-b_C9"));
	assert_false(config_acl_name_valid(""));
}

static void limits(void **state)
{
	(void)state;
	struct config_buf b = { 0 };
	char l[64];
	config_buf_sink(&b, "ip access-list standard big\n", 28);
	for (int i = 0; i < CONFIG_ACL_MAX_RULES; i++)
		config_buf_sink(&b, " permit any\n", 12);
	struct config_errors e;
	struct config *c = parse(b.p, &e);
	assert_non_null(c);
	assert_int_equal(c->acls[0].nrules, CONFIG_ACL_MAX_RULES);
	config_free(c);
	config_buf_sink(&b, " deny any\n", 10);
	assert_null(parse(b.p, &e));
	assert_int_equal(e.count, 1);
	snprintf(l, sizeof l, "acl:%d: access-list 'big' is full (at most 1024 rules)",
		 CONFIG_ACL_MAX_RULES + 2);
	assert_string_equal(e.msg[0], l);
	config_buf_free(&b);

	for (int i = 0; i < CONFIG_ACL_MAX_LISTS; i++) {
		int n = snprintf(l, sizeof l, "ip access-list extended l%d\n", i);
		config_buf_sink(&b, l, (size_t)n);
	}
	c = parse(b.p, &e);
	assert_non_null(c);
	assert_int_equal(c->nacls, CONFIG_ACL_MAX_LISTS);
	/* a deep copy keeps every list */
	struct config *d = config_dup(c);
	assert_non_null(d);
	assert_int_equal(d->nacls, CONFIG_ACL_MAX_LISTS);
	assert_string_equal(d->acls[CONFIG_ACL_MAX_LISTS - 1].name, "l1023");
	config_free(d);
	config_free(c);
	config_buf_sink(&b, "ip access-list extended one-more\n", 33);
	assert_null(parse(b.p, &e));
	assert_string_equal(e.msg[0], "acl:1025: too many access-lists (at most 1024)");
	config_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(standard_rules),
		cmocka_unit_test(extended_rules),
		cmocka_unit_test(rule_errors),
		cmocka_unit_test(list_statements),
		cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
