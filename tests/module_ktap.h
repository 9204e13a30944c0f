/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest harness (tests/kselftest/, Linux's own) for the module's
 * test programs: FIXTURE, TEST_F and KTAP on stdout, diagnostics (TH_LOG
 * and failed expectations) included, so one stream holds the verdict.
 * The harness is kept as Linux ships it; its one warning under this
 * project's -Wextra is silenced here rather than edited out there.
 */
#ifndef MN_TESTS_MODULE_KTAP_H
#define MN_TESTS_MODULE_KTAP_H

#define TH_LOG_STREAM	stdout

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest/kselftest_harness.h"
#pragma GCC diagnostic pop

#endif /* MN_TESTS_MODULE_KTAP_H */
