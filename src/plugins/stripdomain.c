/*
 * stripdomain: PRE_AUTH cuts the user name at its first '@', so that
 * "joe@isp.example" is authenticated (and shown) as "joe" (reference §7.2).
 */
#include <string.h>

#include "l2tpns/plugin.h"

int plugin_api_version = PLUGIN_API_VERSION;

int plugin_pre_auth(struct param_pre_auth *data)
{
	/* an earlier plugin abandoned the request: nothing to rewrite */
	if (!data->continue_auth)
		return PLUGIN_RET_STOP;
	char *at = strchr(data->username, '@');
	if (at)
		*at = '\0';
	return PLUGIN_RET_OK;
}
