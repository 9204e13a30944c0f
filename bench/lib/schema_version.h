/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The version of the JSON files the C programs write (docs/results.md,
 * "Schema versions"): raised when a key changes meaning or goes away,
 * not when one is added.
 */
#ifndef MN_SCHEMA_VERSION_H
#define MN_SCHEMA_VERSION_H

#define MN_SCHEMA_VERSION	1
/* The same, for Google Benchmark's context, whose values are strings. */
#define MN_SCHEMA_VERSION_STR	"1"

#endif /* MN_SCHEMA_VERSION_H */
