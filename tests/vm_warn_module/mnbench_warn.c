// SPDX-License-Identifier: GPL-2.0
/*
 * A real WARN from a module, for the test that scripts/vm-run fails on
 * every kind of kernel report (tests/vm_log_check.sh).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init mnbench_warn_init(void)
{
	WARN(1, "mnbench_warn: a deliberate warning\n");
	return 0;
}

static void __exit mnbench_warn_exit(void)
{
}

module_init(mnbench_warn_init);
module_exit(mnbench_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mnbench test: one WARN at load");
