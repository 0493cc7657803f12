/*
 * setrxspeed: POST_AUTH gives an accepted session whose LAC reported no Rx
 * Connect Speed one derived from its (Tx) Connect Speed, for LACs that send
 * only the downstream figure (reference §7.2): 256 -> 64, 512 -> 128,
 * 1500 -> 256, in the units the LAC used. Other speeds are left alone.
 */
#include <stddef.h>

#include "l2tpns/plugin.h"

int plugin_api_version = PLUGIN_API_VERSION;

static struct pluginfuncs *funcs;

int plugin_init(struct pluginfuncs *f)
{
	funcs = f;
	return f != NULL;
}

int plugin_post_auth(struct param_post_auth *data)
{
	const sessiont *s = data->s;
	uint32_t rx;

	if (!data->auth_allowed || !s || s->rx_connect_speed)
		return PLUGIN_RET_OK;
	switch (s->tx_connect_speed) {
	case 256:
		rx = 64;
		break;
	case 512:
		rx = 128;
		break;
	case 1500:
		rx = 256;
		break;
	default:
		return PLUGIN_RET_OK;
	}
	if (funcs->set_connect_speed(s->id, rx, s->tx_connect_speed) == 0)
		funcs->log(PLUGIN_LOG_CALL, s->id, s->tunnel, "rx speed set to %u", rx);
	return PLUGIN_RET_OK;
}
