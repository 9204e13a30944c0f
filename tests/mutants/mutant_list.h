/* SPDX-License-Identifier: GPL-2.0 */
/* Every mutant, one MN_MUTANT(name) per file tests/mutants/NAME.c. */
MN_MUTANT(counter_no_recheck)
MN_MUTANT(counter_no_count)
MN_MUTANT(counter_unlocked_access)
MN_MUTANT(counter_end_no_seq)
MN_MUTANT(counter_sleep_nonblock)
MN_MUTANT(counter_alloc_in_start)
MN_MUTANT(seqcount_no_gp)
MN_MUTANT(seqcount_release_before_gp)
MN_MUTANT(seqcount_no_retry)
MN_MUTANT(seqcount_write_unlocked)
MN_MUTANT(seqcount_no_establish_recheck)
MN_MUTANT(seqcount_map_in_read)
