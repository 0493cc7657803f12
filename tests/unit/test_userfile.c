/* CLI users file (plain, MD5-crypt, {crypt} DES, enable) and the local PPP
 * users file. The hashes were made independently of this code:
 *   openssl passwd -1 -salt abc secret        -> $1$abc$iCQ2D3nhptRYi27fDYv2s1
 *   openssl passwd -1 -salt 12345678 'enable me'
 *                                              -> $1$12345678$x/wS/XmUhz9toVR0ufS6t/
 *   openssl passwd -1 -salt xy 'p:w'           -> $1$xy$/djy4BmiNzZm9W/QHVFoo1
 *   python3: crypt.crypt('secret', 'ab')       -> abNANd1rDfiNc
 *   python3: crypt.crypt('pass word', '$5$saltsalt$')
 *            -> $5$saltsalt$9Wp9Qw4Ze8Jxq5F1Z3UnS47KFhc8AqhCRyxFDa8e660
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/userfile.h"

static const char users[] =
	"# CLI users\n"
	"plain:hunter2\n"
	"\n"
	"md5:$1$abc$iCQ2D3nhptRYi27fDYv2s1\r\n"
	"des:{crypt}abNANd1rDfiNc\n"
	"sha:$5$saltsalt$9Wp9Qw4Ze8Jxq5F1Z3UnS47KFhc8AqhCRyxFDa8e660\n"
	"colon:a:b\n"
	"mdcolon:$1$xy$/djy4BmiNzZm9W/QHVFoo1\n"
	"enable:$1$12345678$x/wS/XmUhz9toVR0ufS6t/\n";

static void cli_users(void **state)
{
	(void)state;
	struct userfile uf;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(userfile_parse(users, sizeof users - 1, "users", &uf, &e), 0);
	assert_int_equal(uf.n, 7);
	assert_int_equal(uf.e[1].line, 4);

	assert_int_equal(userfile_check(&uf, "plain", "hunter2"), 0);
	assert_int_equal(userfile_check(&uf, "plain", "hunter"), -EACCES);
	assert_int_equal(userfile_check(&uf, "plain", "hunter22"), -EACCES);
	assert_int_equal(userfile_check(&uf, "plain", ""), -EACCES);

	assert_int_equal(uf.e[1].type, USERFILE_PW_CRYPT);
	assert_int_equal(userfile_check(&uf, "md5", "secret"), 0);
	assert_int_equal(userfile_check(&uf, "md5", "Secret"), -EACCES);
	/* the hash itself is not a password */
	assert_int_equal(userfile_check(&uf, "md5", "$1$abc$iCQ2D3nhptRYi27fDYv2s1"), -EACCES);

	assert_string_equal(uf.e[2].pass, "abNANd1rDfiNc");
	assert_int_equal(userfile_check(&uf, "des", "secret"), 0);
	assert_int_equal(userfile_check(&uf, "des", "secre"), -EACCES);

	assert_int_equal(userfile_check(&uf, "sha", "pass word"), 0);
	assert_int_equal(userfile_check(&uf, "sha", "password"), -EACCES);

	/* split at the first colon: the password may contain one */
	assert_int_equal(userfile_check(&uf, "colon", "a:b"), 0);
	assert_int_equal(userfile_check(&uf, "mdcolon", "p:w"), 0);

	assert_int_equal(userfile_check(&uf, "nobody", "x"), -ENOENT);
	/* enable is the enable password, not a login */
	assert_int_equal(userfile_check(&uf, "enable", "enable me"), -ENOENT);
	assert_int_equal(userfile_check_enable(&uf, "enable me"), 0);
	assert_int_equal(userfile_check_enable(&uf, "enable"), -EACCES);
	assert_true(userfile_has_logins(&uf));
	userfile_free(&uf);
	assert_int_equal(uf.n, 0);

	const char only_enable[] = "enable:x\n";
	assert_int_equal(userfile_parse(only_enable, sizeof only_enable - 1, "u", &uf, &e), 0);
	assert_false(userfile_has_logins(&uf));
	userfile_free(&uf);
	assert_int_equal(userfile_parse("a:b\n", 4, "u", &uf, &e), 0);
	assert_int_equal(userfile_check_enable(&uf, "b"), -ENOENT);
	userfile_free(&uf);
}

static void cli_users_errors(void **state)
{
	(void)state;
	static const char text[] =
		"ok:fine\n"
		"nocolon\n"
		":nopass\n"
		"empty:\n"
		"des:{crypt}short\n"
		"md5:$1$abc$tooshort\n"
		"ok:again\n"
		"sp ace:x\n"
		"bad:$9$unknown$algorithm\n";
	struct userfile uf;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(userfile_parse(text, sizeof text - 1, "users", &uf, &e), -EINVAL);
	assert_int_equal(uf.n, 0);
	assert_null(uf.e);
	assert_int_equal(e.count, 8);
	assert_string_equal(e.msg[0], "users:2: expected user:password");
	assert_string_equal(e.msg[1], "users:3: empty user name");
	assert_string_equal(e.msg[2], "users:4: empty password");
	assert_string_equal(e.msg[3], "users:5: {crypt} needs a 13-character DES crypt hash");
	assert_string_equal(e.msg[4], "users:6: malformed MD5-crypt hash (expected $1$SALT$ and 22 characters)");
	assert_string_equal(e.msg[5], "users:7: duplicate user");
	assert_string_equal(e.msg[6], "users:8: blank in user name");
	assert_string_equal(e.msg[7], "users:9: password hash not supported by the system crypt(3)");
}

static void cli_users_file(void **state)
{
	(void)state;
	char path[] = "/tmp/h6-users-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, users, sizeof users - 1), (ssize_t)(sizeof users - 1));
	close(fd);
	struct userfile uf;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(userfile_load(path, &uf, &e), 0);
	assert_int_equal(userfile_check(&uf, "md5", "secret"), 0);
	userfile_free(&uf);
	unlink(path);
	assert_int_equal(userfile_load(path, &uf, &e), -ENOENT);
	assert_int_equal(e.count, 1);
}

static const char ppp[] =
	"# local PPP users\n"
	"alice secret\n"
	"  bob 'pass word' 10.0.0.5\r\n"
	"carol \"it's\" *\n"
	"\t# indented comment\n"
	"\n"
	"dave '#notacomment' 192.0.2.1\n";

static void ppp_users(void **state)
{
	(void)state;
	struct ppp_users pu;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(ppp_users_parse(ppp, sizeof ppp - 1, "ppp-users", &pu, &e), 0);
	assert_int_equal(pu.n, 4);
	const struct ppp_user *u = ppp_users_find(&pu, "alice");
	assert_non_null(u);
	assert_string_equal(u->pass, "secret");
	assert_int_equal(u->addr, 0);
	assert_int_equal(u->line, 2);
	u = ppp_users_find(&pu, "bob");
	assert_non_null(u);
	assert_string_equal(u->pass, "pass word");
	assert_int_equal(u->addr, 0x0a000005);
	u = ppp_users_find(&pu, "carol");
	assert_non_null(u);
	assert_string_equal(u->pass, "it's");
	assert_int_equal(u->addr, 0);
	u = ppp_users_find(&pu, "dave");
	assert_non_null(u);
	assert_string_equal(u->pass, "#notacomment");
	assert_int_equal(u->addr, 0xc0000201);
	assert_null(ppp_users_find(&pu, "Alice")); /* names are case-sensitive */
	assert_null(ppp_users_find(&pu, "eve"));
	assert_null(ppp_users_find(&pu, ""));
	ppp_users_free(&pu);
	assert_null(ppp_users_find(&pu, "alice"));
}

static void ppp_users_many(void **state)
{
	(void)state;
	/* sorted lookup over many entries, inserted in reverse order */
	size_t cap = 1000 * 32, len = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	for (int i = 999; i >= 0; i--)
		len += (size_t)snprintf(t + len, cap - len, "u%03d p%d\n", i, i);
	struct ppp_users pu;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(ppp_users_parse(t, len, "p", &pu, &e), 0);
	for (int i = 0; i < 1000; i++) {
		char n[16], p[16];
		snprintf(n, sizeof n, "u%03d", i);
		snprintf(p, sizeof p, "p%d", i);
		const struct ppp_user *u = ppp_users_find(&pu, n);
		assert_non_null(u);
		assert_string_equal(u->pass, p);
		assert_int_equal(u->line, (unsigned)(1000 - i));
	}
	ppp_users_free(&pu);
	free(t);
}

static void ppp_users_errors(void **state)
{
	(void)state;
	static const char text[] =
		"alice secret\n"
		"lonely\n"
		"eve pw 1.2.3\n"
		"frank a b c\n"
		"gina \"open\n"
		"alice again\n"
		"hal pw 0.0.0.0\n";
	struct ppp_users pu;
	struct config_errors e;
	config_errors_init(&e);
	assert_int_equal(ppp_users_parse(text, sizeof text - 1, "ppp-users", &pu, &e), -EINVAL);
	assert_int_equal(pu.n, 0);
	assert_int_equal(e.count, 6);
	assert_string_equal(e.msg[0], "ppp-users:2: expected: user password [address]");
	assert_string_equal(e.msg[1], "ppp-users:3: bad address (an IPv4 address, or * for the pool)");
	assert_string_equal(e.msg[2], "ppp-users:4: expected: user password [address]");
	assert_string_equal(e.msg[3], "ppp-users:5: unterminated quote");
	assert_string_equal(e.msg[4], "ppp-users:7: bad address (an IPv4 address, or * for the pool)");
	assert_string_equal(e.msg[5], "ppp-users:6: duplicate user 'alice' (first on line 1)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cli_users),
		cmocka_unit_test(cli_users_errors),
		cmocka_unit_test(cli_users_file),
		cmocka_unit_test(ppp_users),
		cmocka_unit_test(ppp_users_many),
		cmocka_unit_test(ppp_users_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
