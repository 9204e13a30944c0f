/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every strategy mnbench knows, once, in benchmark order. Everything else
 * is derived from this list: the registry, mnbench's matrix, the verdict
 * tests, and build/strategies.json for the scripts and plots (CMake has
 * the C preprocessor expand it through strategy_list_json.h). Adding a
 * strategy is a new file strategies/NAME.c defining mn_strategy_NAME
 * (both builds compile every .c file of strategies/), and one line here.
 *
 * MN_STRATEGY(name, flags) -- the flags:
 *   MN_KNOWN_UNSAFE         known wrong: the verdict tests require the
 *                           oracle to catch it; every other strategy must
 *                           be safe under every load
 *   MN_BREAKS_KERNEL_RULES  sleeps where the kernel forbids it, inverts
 *                           the page-lock order, or fails a start while
 *                           having an end (6.1 WARNs, and an interval
 *                           notifier in the same mm then waits forever):
 *                           the module runs it only when loaded with
 *                           allow_dangerous=1
 *   MN_REFERENCE            a floor or ceiling to compare against, not a
 *                           candidate: left out of the quick sweeps
 *   MN_TEST_ONLY            exists to test the oracle: not benchmarked
 *
 * One entry per line, nothing else on it: some tests read it as text.
 */
MN_STRATEGY(invalidate_range, MN_KNOWN_UNSAFE | MN_BREAKS_KERNEL_RULES)
MN_STRATEGY(mutex, MN_KNOWN_UNSAFE | MN_BREAKS_KERNEL_RULES)
MN_STRATEGY(counter, 0)
MN_STRATEGY(seqcount, 0)
MN_STRATEGY(spinlock, MN_KNOWN_UNSAFE | MN_BREAKS_KERNEL_RULES)
MN_STRATEGY(seqcount_callrcu, MN_KNOWN_UNSAFE | MN_BREAKS_KERNEL_RULES)
MN_STRATEGY(vhost53, MN_KNOWN_UNSAFE | MN_BREAKS_KERNEL_RULES)
MN_STRATEGY(interval, 0)
MN_STRATEGY(uaccess, MN_REFERENCE)
MN_STRATEGY(unsafe, MN_KNOWN_UNSAFE | MN_REFERENCE)
MN_STRATEGY(valid_flag, MN_KNOWN_UNSAFE | MN_TEST_ONLY)
