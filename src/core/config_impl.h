/* Private to src/core/config*.c: list management shared by the statement
 * parser (config_parse.c) and the access-list module (config_acl.c). */
#ifndef L2TPNS_CORE_CONFIG_IMPL_H
#define L2TPNS_CORE_CONFIG_IMPL_H

#include "core/config.h"

/* Enter list NAME, creating it (empty) if needed. Returns its index, or
 * -EINVAL (bad name, or it exists with the other type), -ENOSPC, -ENOMEM. */
int config_acl_open(struct config *cfg, const char *name, bool extended,
		    char *why, size_t whylen);
/* Delete list NAME of that type. 0, -ENOENT or -EINVAL. */
int config_acl_remove(struct config *cfg, const char *name, bool extended,
		      char *why, size_t whylen);
/* Append a rule to list idx. 0, -ENOSPC or -ENOMEM. */
int config_acl_append(struct config *cfg, unsigned idx, const struct acl_rule *r,
		      char *why, size_t whylen);

#endif
