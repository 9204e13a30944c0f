/* SPDX-License-Identifier: GPL-2.0 */
/* A model run's result as JSON (one object) or as text for a terminal. */
#ifndef MODEL_REPORT_H
#define MODEL_REPORT_H

#include <stdio.h>

#include "model.h"

int report_json(FILE *out, const struct model_result *res);
int report_text(FILE *out, const struct model_result *res);

#endif /* MODEL_REPORT_H */
