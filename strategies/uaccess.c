// SPDX-License-Identifier: GPL-2.0
/*
 * Reference point: never cache a mapping, every access takes the slow path
 * (copy_from_user/put_user), which is what vhost does today. The floor the
 * cached-mapping strategies have to beat.
 */
#include "strategy.h"
#include "vq/vq_loop.h"

MN_VQ_LOOP(mn_strategy_uaccess)

const struct mn_strategy mn_strategy_uaccess = {
	.name = "uaccess",
	.summary = "no cached mapping: every access through copy_*_user",
	MN_VQ_LOOP_OPS(mn_strategy_uaccess),
};
