/* Test plugin without plugin_api_version. */
#include "l2tpns/plugin.h"

int plugin_timer(struct param_timer *d)
{
	(void)d;
	return PLUGIN_RET_ERROR;
}
