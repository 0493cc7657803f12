/* Test plugin written for the original's API version 7. */
#include "l2tpns/plugin.h"

int plugin_api_version = 7;

int plugin_timer(struct param_timer *d)
{
	(void)d;
	return PLUGIN_RET_ERROR;
}
