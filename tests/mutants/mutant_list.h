/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every mutant, one MN_MUTANT(name) per file tests/mutants/NAME.c; the
 * barrier mutants (one ordering primitive removed or weakened) are
 * MN_BARRIER(name): SC cannot kill them, so they have no mutant/ test
 * of their own but tests/barrier_mutants.py.
 */
MN_MUTANT(counter_no_recheck)
MN_MUTANT(counter_no_count)
MN_MUTANT(counter_unlocked_access)
MN_MUTANT(counter_end_no_seq)
MN_MUTANT(counter_sleep_nonblock)
MN_MUTANT(counter_alloc_in_start)
MN_MUTANT(counter_release_ignored)
MN_MUTANT(seqcount_no_gp)
MN_MUTANT(seqcount_release_before_gp)
MN_MUTANT(seqcount_no_retry)
MN_MUTANT(seqcount_write_unlocked)
MN_MUTANT(seqcount_no_establish_recheck)
MN_MUTANT(seqcount_map_in_read)
MN_MUTANT(seqcount_lockdep_write)
MN_BARRIER(counter_no_rmb)
MN_BARRIER(seqcount_read_relaxed)
MN_BARRIER(seqcount_retry_no_rmb)
MN_BARRIER(seqcount_begin_no_wmb)
MN_BARRIER(seqcount_end_no_wmb)
MN_BARRIER(locked_map_publish_once)
MN_BARRIER(seqcount_establish_relaxed)
