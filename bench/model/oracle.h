/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The correctness oracle: counts violations of the rules docs/oracle.md
 * states and keeps the first trace of each kind. One model run at a time
 * per process.
 */
#ifndef MODEL_ORACLE_H
#define MODEL_ORACLE_H

#include <mn_compat.h>

enum violation_kind {
	V_STALE_ACCESS,		/* used a frame the pte no longer maps */
	V_USE_AFTER_RELEASE,	/* accessed a mapping after its release */
	V_SLEEP_IN_ATOMIC,	/* might_sleep() where sleeping is a bug */
	V_LOCK_ORDER,		/* a cycle in the lock-order graph */
	V_HANG,			/* threads blocked past the watchdog limit */
	V_CONTRACT,		/* broke the mmu_notifier API (kernel WARN) */
	V_NR
};

extern const char *const violation_names[V_NR];

void oracle_reset(void);
void oracle_report(enum violation_kind kind, const char *fmt, ...)
	__printf(2, 3);
/*
 * Called after every report, by the reporting thread (the exploration
 * scheduler notes the step); NULL: nobody. A hook, so that the oracle
 * depends on nothing that reports to it.
 */
void oracle_set_report_hook(void (*hook)(void));
u64 oracle_count(enum violation_kind kind);
u64 oracle_total(void);
/* First violation of the run, or of one kind; "" if none. */
const char *oracle_first(void);
const char *oracle_first_of(enum violation_kind kind);

/*
 * A stale write is worse than a stale read (it corrupts the page someone
 * else now owns): its first trace is kept apart from the reads'.
 */
void oracle_stale_write(const char *trace);
const char *oracle_first_stale_write(void);

/* Every lock cycle is its own finding: the first ORACLE_CYCLES of them. */
#define ORACLE_CYCLES	4
const char *oracle_cycle(unsigned int i);	/* "" past the last */

/* Lock classes, named like lockdep names them. */
int lockdep_class(const char *name);
const char *lockdep_class_name(int id);
void lockdep_reset(void);
/* Before a blocking acquisition: record held -> new edges, find cycles. */
void lockdep_check_order(const struct mn_raw_lock *l);
void lockdep_push(const struct mn_raw_lock *l, bool trylock);
void lockdep_pop(const struct mn_raw_lock *l);

/* Report threads blocked longer than hang_ns; true if it did. */
bool oracle_watchdog(u64 hang_ns);

/* What the calling thread is doing, for traces. */
const char *oracle_where(char *buf, size_t len);

#endif /* MODEL_ORACLE_H */
