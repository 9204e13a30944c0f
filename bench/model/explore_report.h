/* SPDX-License-Identifier: GPL-2.0 */
/* Reports of an exploration (explore_report.c). */
#ifndef MODEL_EXPLORE_REPORT_H
#define MODEL_EXPLORE_REPORT_H

#include <stdio.h>

#include "explore.h"

/* How the verdict was reached, in one line. */
void explore_how(const struct model_config *c,
		 const struct explore_result *r, char *buf, size_t len);
int explore_report_text(FILE *out, const struct model_config *c,
			const struct explore_result *r);
int explore_report_json(FILE *out, const struct model_config *c,
			const struct explore_result *r);

#endif /* MODEL_EXPLORE_REPORT_H */
