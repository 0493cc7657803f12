/* The CLI users file and the local PPP users file (see userfile.h). */
#include "core/userfile.h"

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared ---------------------------------------------------------- */

static bool ct_equal(const char *a, const char *b)
{
	/* no early exit on the first differing byte: the time taken must
	 * not tell a remote CLI user how much of a password was right */
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;
	size_t n = la < lb ? la : lb;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* Whether crypt(3) accepts hash as a setting (format and algorithm). */
static bool crypt_usable(const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		return false;
	const char *r = crypt_r("x", hash, cd);
	/* failure is NULL or a string starting with '*' (crypt(5)) */
	bool ok = r && r[0] != '*';
	free(cd);
	return ok;
}

static bool crypt_matches(const char *hash, const char *password)
{
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		return false;
	const char *r = crypt_r(password, hash, cd);
	bool ok = r && r[0] != '*' && ct_equal(r, hash);
	free(cd);
	return ok;
}

static bool des_hash_valid(const char *h)
{
	if (strlen(h) != 13)
		return false;
	for (const char *p = h; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '/'))
			return false;
	}
	return true;
}

/* ---- users (CLI) ----------------------------------------------------- */

static int uf_add(struct userfile *uf, struct userfile_entry *e)
{
	if (uf->n == uf->cap) {
		size_t nc = uf->cap ? uf->cap * 2 : 16;
		struct userfile_entry *n = realloc(uf->e, nc * sizeof *n);
		if (!n)
			return -ENOMEM;
		uf->e = n;
		uf->cap = nc;
	}
	uf->e[uf->n++] = *e;
	return 0;
}

static const struct userfile_entry *uf_find(const struct userfile *uf, const char *user)
{
	for (size_t i = 0; i < uf->n; i++)
		if (!strcmp(uf->e[i].user, user))
			return &uf->e[i];
	return NULL;
}

/* One `user:password` line into e; NULL or the reason it is bad. */
static const char *uf_line(const char *l, size_t len, struct userfile_entry *e)
{
	const char *colon = memchr(l, ':', len);
	if (!colon)
		return "expected user:password";
	size_t ul = (size_t)(colon - l), pl = len - ul - 1;
	const char *pw = colon + 1;
	if (ul == 0)
		return "empty user name";
	if (ul >= sizeof e->user)
		return "user name too long";
	for (size_t i = 0; i < ul; i++)
		if (l[i] == ' ' || l[i] == '\t')
			return "blank in user name";
	if (memchr(l, 0, len))
		return "NUL byte in line";
	if (pl == 0)
		return "empty password";
	memcpy(e->user, l, ul);
	e->user[ul] = 0;
	e->type = USERFILE_PW_PLAIN;
	if (pl > 7 && !memcmp(pw, "{crypt}", 7)) {
		pw += 7;
		pl -= 7;
		e->type = USERFILE_PW_CRYPT;
	}
	if (pl >= sizeof e->pass)
		return "password too long";
	memcpy(e->pass, pw, pl);
	e->pass[pl] = 0;
	if (e->type == USERFILE_PW_CRYPT) {
		if (!des_hash_valid(e->pass))
			return "{crypt} needs a 13-character DES crypt hash";
	} else if (pw[0] == '$') {
		/* manual: "$1$salt$" marks an MD5 hash; other $id$ hashes
		 * of the system crypt(3) come for free */
		e->type = USERFILE_PW_CRYPT;
		if (!strncmp(e->pass, "$1$", 3)) {
			const char *s = strchr(e->pass + 3, '$');
			if (!s || s - (e->pass + 3) > 8 || strlen(s + 1) != 22)
				return "malformed MD5-crypt hash (expected $1$SALT$ and 22 characters)";
		}
	}
	if (e->type == USERFILE_PW_CRYPT && !crypt_usable(e->pass))
		return "password hash not supported by the system crypt(3)";
	return NULL;
}

int userfile_parse(const char *text, size_t len, const char *file,
		   struct userfile *out, struct config_errors *errs)
{
	unsigned before = errs ? errs->count : 0, line = 0;
	bool bad = false;
	size_t pos = 0;
	const char *l;
	long ll;
	memset(out, 0, sizeof *out);
	while ((ll = config_next_line(text, len, &pos, &l)) >= 0) {
		line++;
		size_t i = 0;
		while (i < (size_t)ll && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i == (size_t)ll || l[0] == '#')
			continue;
		struct userfile_entry e;
		memset(&e, 0, sizeof e);
		e.line = line;
		const char *why = uf_line(l, (size_t)ll, &e);
		if (!why && uf_find(out, e.user))
			why = "duplicate user";
		if (why) {
			config_error(errs, file, line, "%s", why);
			bad = true;
			continue;
		}
		if (uf_add(out, &e) < 0) {
			config_error(errs, file, line, "out of memory");
			userfile_free(out);
			return -ENOMEM;
		}
	}
	if (bad || (errs && errs->count != before)) {
		userfile_free(out);
		return -EINVAL;
	}
	return 0;
}

int userfile_load(const char *path, struct userfile *out, struct config_errors *errs)
{
	char *text;
	size_t len;
	memset(out, 0, sizeof *out);
	int r = config_read_file(path, &text, &len);
	if (r < 0) {
		config_error(errs, path, 0, "cannot read: %s", strerror(-r));
		return r;
	}
	r = userfile_parse(text, len, path, out, errs);
	explicit_bzero(text, len);
	free(text);
	return r;
}

void userfile_free(struct userfile *uf)
{
	if (uf->e)
		explicit_bzero(uf->e, uf->cap * sizeof *uf->e);
	free(uf->e);
	memset(uf, 0, sizeof *uf);
}

static int uf_verify(const struct userfile_entry *e, const char *password)
{
	bool ok = e->type == USERFILE_PW_CRYPT ? crypt_matches(e->pass, password)
					       : ct_equal(e->pass, password);
	return ok ? 0 : -EACCES;
}

int userfile_check(const struct userfile *uf, const char *user, const char *password)
{
	if (!strcmp(user, "enable"))
		return -ENOENT;
	const struct userfile_entry *e = uf_find(uf, user);
	return e ? uf_verify(e, password) : -ENOENT;
}

int userfile_check_enable(const struct userfile *uf, const char *password)
{
	const struct userfile_entry *e = uf_find(uf, "enable");
	return e ? uf_verify(e, password) : -ENOENT;
}

bool userfile_has_logins(const struct userfile *uf)
{
	for (size_t i = 0; i < uf->n; i++)
		if (strcmp(uf->e[i].user, "enable"))
			return true;
	return false;
}

/* ---- local PPP users ------------------------------------------------- */

static int pu_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ppp_user *)a)->user, ((const struct ppp_user *)b)->user);
}

static const char *pu_line(const char *l, size_t len, struct ppp_user *u)
{
	struct config_words *w = malloc(sizeof *w);
	const char *why = NULL;
	if (!w)
		return "out of memory";
	if (config_split(l, len, w, &why) < 0)
		goto out;
	if (w->n < 2 || w->n > 3) {
		why = "expected: user password [address]";
		goto out;
	}
	if (strlen(w->w[0]) >= sizeof u->user || !w->w[0][0]) {
		why = w->w[0][0] ? "user name too long" : "empty user name";
		goto out;
	}
	if (strlen(w->w[1]) >= sizeof u->pass) {
		why = "password too long";
		goto out;
	}
	strcpy(u->user, w->w[0]);
	strcpy(u->pass, w->w[1]);
	u->addr = 0;
	if (w->n == 3 && strcmp(w->w[2], "*")) {
		if (config_parse_ipv4(w->w[2], &u->addr) < 0 || u->addr == 0) {
			why = "bad address (an IPv4 address, or * for the pool)";
			goto out;
		}
	}
out:
	free(w);
	return why;
}

int ppp_users_parse(const char *text, size_t len, const char *file,
		    struct ppp_users *out, struct config_errors *errs)
{
	unsigned line = 0;
	bool bad = false;
	size_t pos = 0;
	const char *l;
	long ll;
	memset(out, 0, sizeof *out);
	while ((ll = config_next_line(text, len, &pos, &l)) >= 0) {
		line++;
		size_t i = 0;
		while (i < (size_t)ll && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i == (size_t)ll || l[i] == '#')
			continue;
		struct ppp_user u;
		memset(&u, 0, sizeof u);
		u.line = line;
		const char *why = pu_line(l + i, (size_t)ll - i, &u);
		if (why) {
			config_error(errs, file, line, "%s", why);
			bad = true;
			continue;
		}
		if (out->n == out->cap) {
			size_t nc = out->cap ? out->cap * 2 : 16;
			struct ppp_user *n = realloc(out->u, nc * sizeof *n);
			if (!n) {
				config_error(errs, file, line, "out of memory");
				ppp_users_free(out);
				return -ENOMEM;
			}
			out->u = n;
			out->cap = nc;
		}
		out->u[out->n++] = u;
	}
	if (out->n)
		qsort(out->u, out->n, sizeof *out->u, pu_cmp);
	for (size_t i = 1; i < out->n; i++)
		if (!strcmp(out->u[i].user, out->u[i - 1].user)) {
			const struct ppp_user *a = &out->u[i - 1], *b = &out->u[i];
			config_error(errs, file, a->line > b->line ? a->line : b->line,
				     "duplicate user '%.60s' (first on line %u)", b->user,
				     a->line < b->line ? a->line : b->line);
			bad = true;
		}
	if (bad) {
		ppp_users_free(out);
		return -EINVAL;
	}
	return 0;
}

int ppp_users_load(const char *path, struct ppp_users *out, struct config_errors *errs)
{
	char *text;
	size_t len;
	memset(out, 0, sizeof *out);
	int r = config_read_file(path, &text, &len);
	if (r < 0) {
		config_error(errs, path, 0, "cannot read: %s", strerror(-r));
		return r;
	}
	r = ppp_users_parse(text, len, path, out, errs);
	explicit_bzero(text, len);
	free(text);
	return r;
}

void ppp_users_free(struct ppp_users *pu)
{
	if (pu->u)
		explicit_bzero(pu->u, pu->cap * sizeof *pu->u);
	free(pu->u);
	memset(pu, 0, sizeof *pu);
}

const struct ppp_user *ppp_users_find(const struct ppp_users *pu, const char *user)
{
	if (!pu->n)
		return NULL;
	struct ppp_user key;
	size_t l = strlen(user);
	if (l >= sizeof key.user)
		return NULL;
	memcpy(key.user, user, l + 1);
	return bsearch(&key, pu->u, pu->n, sizeof *pu->u, pu_cmp);
}
