/* Test plugin B: appends "+b" to a user name "chain..." in PRE_AUTH, its
 * TIMER returns OK, STOP or ERROR for time 1, 2, 3; its CONTROL "reenter" logs a marker on which the
 * test's log callback tries to load a plugin from inside the hook. */
#include <stdio.h>
#include <string.h>

#include "l2tpns/plugin.h"

int plugin_api_version = PLUGIN_API_VERSION;
const char *plugin_control_help[] = {"  b1                line one of b", "  b2                line two of b",
				     NULL};
static struct pluginfuncs *f;

int plugin_init(struct pluginfuncs *funcs)
{
	f = funcs;
	return 1;
}

void plugin_done(void)
{
	f->log(PLUGIN_LOG_INFO, 0, 0, "b:done");
}

int plugin_pre_auth(struct param_pre_auth *d)
{
	size_t n = strlen(d->username);
	if (!strncmp(d->username, "chain", 5) && n + 2 < d->username_size)
		memcpy(d->username + n, "+b", 3);
	if (!strncmp(d->username, "abandon", 7))
		d->continue_auth = 0;
	return PLUGIN_RET_OK;
}

int plugin_timer(struct param_timer *d)
{
	f->log(PLUGIN_LOG_INFO, 0, 0, "b:timer %ld", (long)d->time_now);
	return d->time_now == 2 ? PLUGIN_RET_STOP : d->time_now == 3 ? PLUGIN_RET_ERROR
								       : PLUGIN_RET_OK;
}

int plugin_control(struct param_control *d)
{
	if (d->argc >= 1 && !strcmp(d->argv[0], "reenter")) {
		f->log(PLUGIN_LOG_INFO, 0, 0, "b:try-load");
		d->response = NSCTL_RES_OK;
		return PLUGIN_RET_STOP;
	}
	return PLUGIN_RET_OK;
}
