// SPDX-License-Identifier: GPL-2.0
/* The defaults and the check of a run's settings (model_config.h). */
#include "model_config.h"
#include "vq/vring.h"

const char *explore_find_name(int find)
{
	if (find == EXPLORE_FIND_ANY)
		return "any";
	if (find == EXPLORE_FIND_STALE_WRITE)
		return "stale_write";
	return find >= 0 && find < V_NR ? violation_names[find] : NULL;
}

int explore_find_parse(const char *name)
{
	int find;

	for (find = EXPLORE_FIND_ANY; find <= EXPLORE_FIND_STALE_WRITE; find++)
		if (!strcmp(name, explore_find_name(find)))
			return find;
	return -2;
}

void model_config_default(struct model_config *cfg)
{
	/* No strategy: which one a run tests is the caller's choice. */
	memset(cfg, 0, sizeof(*cfg));
	cfg->load = LOAD_MIXED;
	cfg->invalidators = MODEL_INVALIDATORS_DEFAULT;
	cfg->gup = GUP_PIN;
	cfg->seed = 1;
	cfg->seconds = 2.0;
	cfg->vqs = 1;
	cfg->devices = 1;
	cfg->ring_size = 256;
	cfg->pages = 1;
	cfg->rate = 2000;
	cfg->window_us = 50;
	cfg->hang_ms = 2000;
	cfg->remap_ms = 20;
	cfg->drain_ms = 1000;
	cfg->rcu_host_gp = true;
	cfg->idle_vqs = -1;
	cfg->worker_window_us = 20;
	cfg->bound = 2;
	cfg->depth = 3;
	cfg->runs = 10000;
	cfg->find = EXPLORE_FIND_ANY;
}

void model_config_settle(struct model_config *cfg)
{
	if (cfg->load == LOAD_NONE)
		cfg->invalidators = 0;
	else if (cfg->invalidators == MODEL_INVALIDATORS_DEFAULT)
		/* Two: the search opens the window two overlapping need. */
		cfg->invalidators = cfg->explore ? 2 : 1;
}

static const char *check_timed(const struct model_config *cfg)
{
	if (cfg->invalidators != MODEL_INVALIDATORS_DEFAULT &&
	    cfg->invalidators > MODEL_MAX_INVALIDATORS)
		return "--invalidators must be 0..64";
	if (!(cfg->seconds > 0 && cfg->seconds <= 86400))
		return "--seconds must be in (0, 86400]";
	if (cfg->idle_vqs < -1 || cfg->idle_vqs > 16)
		return "--idle-vqs must be -1..16";
	if (cfg->vqs < 1 || cfg->vqs > MODEL_MAX_VQS)
		return "--vqs must be 1..1024";
	if (cfg->devices < 1 || cfg->devices > MODEL_MAX_DEVICES)
		return "--devices must be 1.." __stringify(MODEL_MAX_DEVICES);
	if (model_active_vqs(cfg) > MODEL_MAX_TOTAL_VQS)
		return "--vqs times --devices must be at most "
		       __stringify(MODEL_MAX_TOTAL_VQS);
	if (!mn_vring_num_valid(cfg->ring_size))
		return "--ring-size must be a power of two, "
		       __stringify(MN_VRING_MIN_NUM) ".."
		       __stringify(MN_VRING_MAX_NUM);
	if (cfg->pages < 1 || cfg->pages > MODEL_MAX_PAGES)
		return "--pages must be 1..64";
	if (cfg->window_us > 1000000)
		return "--window-us must be at most 1000000";
	if (cfg->hang_ms < 100)
		return "--hang-ms must be at least 100";
	return NULL;
}

static const char *check_search(const struct model_config *cfg)
{
	if (cfg->invalidators != MODEL_INVALIDATORS_DEFAULT &&
	    cfg->invalidators > EXPLORE_MAX_INVALIDATORS)
		return "--invalidators must be 0..3 with --explore";
	if (cfg->load != LOAD_NONE && !cfg->invalidators)
		return "--invalidators must be 1..3 with a load";
	if (cfg->bound > 16)
		return "--bound must be 0..16";
	if (cfg->pct && (cfg->depth < 1 || cfg->depth > 16))
		return "--depth must be 1..16";
	if (cfg->pct && cfg->dpor)
		return "one --search at a time";
	if (cfg->pct && !cfg->runs)
		return "--runs must be at least 1";
	if (!explore_find_name(cfg->find))
		return "unknown --find rule";
	return NULL;
}

const char *model_config_check(const struct model_config *cfg)
{
	if (!cfg->strategy)
		return "no strategy chosen";
	if (cfg->load < 0 || cfg->load >= LOAD_NR)
		return "unknown load";
	if (cfg->gup < 0 || cfg->gup >= GUP_NR)
		return "unknown --gup mode";
	return cfg->explore ? check_search(cfg) : check_timed(cfg);
}
