/*
 * Two small user databases.
 *
 * /etc/l2tpns/users (manual "users"): CLI logins, one `user:password` per
 * line; the password is plain text, an MD5-crypt hash `$1$salt$hash` (or any
 * other `$id$` hash the system crypt(3) knows), or `{crypt}` followed by a
 * traditional DES crypt hash. The user `enable` is not a login: its password
 * is the one of the CLI `enable` command.
 *
 * The local PPP users file (config local_users_file, default
 * /etc/l2tpns/ppp-users): our built-in authentication when no RADIUS server
 * is configured, one `user password [address]` per line, blank separated,
 * the password may be quoted ("..." or '...'), `#` starts a comment line.
 * Passwords are plain text because CHAP (RFC 1994 §4.1) needs the secret
 * itself. The address is a static IPv4 address, or absent / `*` to take one
 * from the pool.
 */
#ifndef L2TPNS_CORE_USERFILE_H
#define L2TPNS_CORE_USERFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config_util.h"

#define USERFILE_NAME 128	/* as the original's MAXUSER */
#define USERFILE_PASS 256

enum userfile_pw { USERFILE_PW_PLAIN, USERFILE_PW_CRYPT };

struct userfile_entry {
	char user[USERFILE_NAME];
	char pass[USERFILE_PASS];	/* plain text, or the crypt(3) hash */
	uint8_t type;			/* enum userfile_pw */
	unsigned line;
};

struct userfile {
	struct userfile_entry *e;
	size_t n, cap;
};

/* Parse a users file into *out (which must be zeroed or freed before).
 * 0, or -EINVAL with every bad line in errs (out is then empty). */
int userfile_parse(const char *text, size_t len, const char *file,
		   struct userfile *out, struct config_errors *errs);
int userfile_load(const char *path, struct userfile *out, struct config_errors *errs);
void userfile_free(struct userfile *uf);
/* CLI login: 0 if the password matches, -EACCES if not, -ENOENT for an
 * unknown user (or "enable", which is not a login). */
int userfile_check(const struct userfile *uf, const char *user, const char *password);
/* `enable`: 0, -EACCES, or -ENOENT when the file has no enable line. */
int userfile_check_enable(const struct userfile *uf, const char *password);
/* Whether the file defines any login (the original closed remote CLI
 * connections when it did not). */
bool userfile_has_logins(const struct userfile *uf);

struct ppp_user {
	char user[USERFILE_NAME];
	char pass[USERFILE_PASS];
	uint32_t addr;		/* host order; 0 = from the pool */
	unsigned line;
};

struct ppp_users {
	struct ppp_user *u;	/* sorted by name after parsing */
	size_t n, cap;
};

/* Parse a local PPP users file (out zeroed or freed before). 0 or -EINVAL
 * with every bad line (and duplicate user) in errs. */
int ppp_users_parse(const char *text, size_t len, const char *file,
		    struct ppp_users *out, struct config_errors *errs);
int ppp_users_load(const char *path, struct ppp_users *out, struct config_errors *errs);
void ppp_users_free(struct ppp_users *pu);
/* Entry of a user (exact, case-sensitive name), or NULL. O(log n). */
const struct ppp_user *ppp_users_find(const struct ppp_users *pu, const char *user);

#endif
