/* Test plugin A (tests/unit/test_plugin.c, tests/sim/plugins.sh): records
 * what it sees through funcs->log, appends "+a" to a user name "chain..." in
 * PRE_AUTH, answers the nsctl command "a". */
#include <stdio.h>
#include <string.h>

#include "l2tpns/plugin.h"

int plugin_api_version = PLUGIN_API_VERSION;
const char *plugin_control_help[] = {"  a                 the a command", NULL};
static struct pluginfuncs *f;

int plugin_init(struct pluginfuncs *funcs)
{
	f = funcs;
	f->log(PLUGIN_LOG_INFO, 0, 0, "a:init");
	return 1;
}

void plugin_done(void)
{
	f->log(PLUGIN_LOG_INFO, 0, 0, "a:done");
}

int plugin_pre_auth(struct param_pre_auth *d)
{
	size_t n = strlen(d->username);
	if (!strncmp(d->username, "chain", 5) && n + 2 < d->username_size)
		memcpy(d->username + n, "+a", 3);
	return PLUGIN_RET_OK;
}

int plugin_timer(struct param_timer *d)
{
	f->log(PLUGIN_LOG_INFO, 0, 0, "a:timer %ld", (long)d->time_now);
	return PLUGIN_RET_OK;
}

int plugin_control(struct param_control *d)
{
	if (d->argc < 1 || strcmp(d->argv[0], "a"))
		return PLUGIN_RET_OK;
	d->response = NSCTL_RES_OK;
	d->additional = "from a";
	return PLUGIN_RET_STOP;
}

int plugin_become_master(void)
{
	f->log(PLUGIN_LOG_INFO, 0, 0, "a:master");
	return PLUGIN_RET_OK;
}
