/* Test plugin whose plugin_init refuses the load. */
#include "l2tpns/plugin.h"

int plugin_api_version = PLUGIN_API_VERSION;

int plugin_init(struct pluginfuncs *funcs)
{
	funcs->log(PLUGIN_LOG_INFO, 0, 0, "refuse:init");
	return 0;
}

int plugin_timer(struct param_timer *d)
{
	(void)d;
	return PLUGIN_RET_ERROR;
}
