/* SPDX-License-Identifier: GPL-2.0 */
/* Comma-separated name lists, as the command lines take them. */
#ifndef MN_NAME_LIST_H
#define MN_NAME_LIST_H

#include <stdbool.h>

/* Whether name is one of the items of list ("a,b,c"), exactly. */
bool name_in_list(const char *list, const char *name);

#endif /* MN_NAME_LIST_H */
