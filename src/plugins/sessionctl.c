/*
 * sessionctl: nsctl commands to end sessions (reference §7.2)
 *
 *     nsctl drop USER|SID [REASON]   clean shutdown: a CDN, result 3 (admin)
 *     nsctl kill USER|SID [REASON]   the same, and the slot is freed at once
 *
 * A word made only of digits is a session id, anything else a user name
 * (the newest live session of that user). Only the cluster master may end
 * sessions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpns/plugin.h"

int plugin_api_version = PLUGIN_API_VERSION;

const char *plugin_control_help[] = {
	"  drop USER|SID [REASON]                      Shutdown user session",
	"  kill USER|SID [REASON]                      Kill user session",
	NULL,
};

static struct pluginfuncs *funcs;

int plugin_init(struct pluginfuncs *f)
{
	funcs = f;
	return f != NULL;
}

static sessionidt find(const char *w)
{
	size_t n = strspn(w, "0123456789");
	if (n && !w[n] && n < 10) {
		sessiont v;
		sessionidt id = (sessionidt)strtoul(w, NULL, 10);
		return funcs->get_session_by_id(id, &v) == 0 ? id : 0;
	}
	return funcs->get_session_by_username(w);
}

int plugin_control(struct param_control *data)
{
	static char text[128];
	if (data->argc < 1)
		return PLUGIN_RET_OK;
	int drop = !strcmp(data->argv[0], "drop");
	if (!drop && strcmp(data->argv[0], "kill"))
		return PLUGIN_RET_OK;	/* not ours */
	if (!data->iam_master)
		return PLUGIN_RET_NOTMASTER;
	data->response = NSCTL_RES_ERR;
	if (data->argc < 2 || data->argc > 3) {
		data->additional = "usage: drop|kill USER|SID [REASON]";
		return PLUGIN_RET_STOP;
	}
	sessionidt s = find(data->argv[1]);
	if (!s) {
		snprintf(text, sizeof text, "no session for %.100s", data->argv[1]);
		data->additional = text;
		return PLUGIN_RET_STOP;
	}
	const char *reason = data->argc > 2 ? data->argv[2] : "Requested by administrator";
	int r = drop ? funcs->sessionshutdown(s, reason, PLUGIN_CDN_ADMIN)
		     : funcs->sessionkill(s, reason);
	if (r < 0) {
		snprintf(text, sizeof text, "session %u could not be ended (%d)", s, r);
		data->additional = text;
		return PLUGIN_RET_STOP;
	}
	snprintf(text, sizeof text, "%s session %u", drop ? "dropped" : "killed", s);
	data->response = NSCTL_RES_OK;
	data->additional = text;
	return PLUGIN_RET_STOP;
}
