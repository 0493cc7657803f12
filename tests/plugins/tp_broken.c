/* Test plugin that needs a symbol nobody defines: dlopen(RTLD_NOW) fails. */
#include "l2tpns/plugin.h"

int tp_no_such_function_anywhere(void);

int plugin_api_version = PLUGIN_API_VERSION;

int plugin_timer(struct param_timer *d)
{
	(void)d;
	return tp_no_such_function_anywhere();
}
