// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's litmus tests (Linux 6.1: tools/memory-model/litmus-tests/
 * and Documentation/litmus-tests/) as engine programs, each with the
 * "Result:" its file states for LKMM, and what SC and x86-TSO say.
 * Three 2+2W tests, two seqcount and two xchg ones have no file in 6.1:
 * their LKMM result is derived (from tools/memory-model/linux-kernel.cat,
 * or as the litmus tests they reduce to), as their comments say.
 *
 * Registers keep the litmus file's numbering where it starts at r0;
 * files that start at r1 use r1 -> 0, r2 -> 1, ...
 */
#include "litmus.h"

#define TOOLS	"tools/memory-model/litmus-tests"
#define DOCS	"Documentation/litmus-tests"
#define CAT	"derived from tools/memory-model/linux-kernel.cat"

enum { X, Y, Z, S, T };		/* locations; S and T are locks when used */

#define NEVER		LIT_NEVER
#define SOMETIMES	LIT_SOMETIMES

const struct litmus litmus_table[] = {
	{ "CoRR+poonceonce+Once", TOOLS, 2, 1, {0}, 0,
	  { { WR(X, 1) }, { RD(0, X), RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "CoRW+poonceonce+Once", TOOLS, 2, 1, {0}, 0,
	  { { RD(0, X), WR(X, 1) }, { WR(X, 2) } },
	  { LOC(X, 2), REG(0, 0, 2) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "CoWR+poonceonce+Once", TOOLS, 2, 1, {0}, 0,
	  { { WR(X, 1), RD(0, X) }, { WR(X, 2) } },
	  { LOC(X, 1), REG(0, 0, 2) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "CoWW+poonceonce", TOOLS, 1, 1, {0}, 0,
	  { { WR(X, 1), WR(X, 2) } },
	  { LOC(X, 1) }, 1,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "IRIW+fencembonceonces+OnceOnce", TOOLS, 4, 2, {0}, 0,
	  { { WR(X, 1) }, { RD(0, X), MB, RD(1, Y) },
	    { WR(Y, 1) }, { RD(0, Y), MB, RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0), REG(3, 0, 1), REG(3, 1, 0) }, 4,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "IRIW+poonceonces+OnceOnce", TOOLS, 4, 2, {0}, 0,
	  { { WR(X, 1) }, { RD(0, X), RD(1, Y) },
	    { WR(Y, 1) }, { RD(0, Y), RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0), REG(3, 0, 1), REG(3, 1, 0) }, 4,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "ISA2+pooncelock+pooncelock+pombonce", TOOLS, 3, 4, {0}, 1u << S,
	  { { LOCK(S), WR(X, 1), WR(Y, 1), UNLOCK(S) },
	    { LOCK(S), RD(0, Y), WR(Z, 1), UNLOCK(S) },
	    { RD(2, Z), MB, RD(1, X) } },
	  { REG(1, 0, 1), REG(2, 2, 1), REG(2, 1, 0) }, 3,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "ISA2+poonceonces", TOOLS, 3, 3, {0}, 0,
	  { { WR(X, 1), WR(Y, 1) }, { RD(0, Y), WR(Z, 1) },
	    { RD(0, Z), RD(1, X) } },
	  { REG(1, 0, 1), REG(2, 0, 1), REG(2, 1, 0) }, 3,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "ISA2+pooncerelease+poacquirerelease+poacquireonce", TOOLS, 3, 3,
	  {0}, 0,
	  { { WR(X, 1), WRREL(Y, 1) }, { RDACQ(0, Y), WRREL(Z, 1) },
	    { RDACQ(0, Z), RD(1, X) } },
	  { REG(1, 0, 1), REG(2, 0, 1), REG(2, 1, 0) }, 3,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "LB+fencembonceonce+ctrlonceonce", TOOLS, 2, 2, {0}, 0,
	  { { RD(0, X), WRIF(0, Y, 1) }, { RD(0, Y), MB, WR(X, 1) } },
	  { REG(0, 0, 1), REG(1, 0, 1) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "LB+poacquireonce+pooncerelease", TOOLS, 2, 2, {0}, 0,
	  { { RD(0, X), WRREL(Y, 1) }, { RDACQ(0, Y), WR(X, 1) } },
	  { REG(0, 0, 1), REG(1, 0, 1) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "LB+poonceonces", TOOLS, 2, 2, {0}, 0,
	  { { RD(0, X), WR(Y, 1) }, { RD(0, Y), WR(X, 1) } },
	  { REG(0, 0, 1), REG(1, 0, 1) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = NEVER,
	  .differs = true, .engine = NEVER,
	  .why = "threads execute in program order and a read returns only "
		 "an executed write, so no load is ever satisfied by a later "
		 "store: the engine never shows load buffering. Kernel code "
		 "that relies on the absence of LB without ordering is wrong "
		 "under LKMM but passes here." },
	{ "LB+unlocklockonceonce+poacquireonce", TOOLS, 2, 5, {0},
	  (1u << S) | (1u << T),
	  { { LOCK(S), RD(0, X), UNLOCK(S), LOCK(T), WR(Y, 1), UNLOCK(T) },
	    { RDACQ(1, Y), WR(X, 1) } },
	  { REG(0, 0, 1), REG(1, 1, 1) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "MP+fencewmbonceonce+fencermbonceonce", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), WMB, WR(Y, 1) }, { RD(0, Y), RMB, RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	/* p = &y initially; x, y, p are locations 0, 1, 2 and &x is 0. */
	{ "MP+onceassign+derefonce", TOOLS, 2, 3, { 0, 0, Y }, 0,
	  { { WR(X, 1), WRREL(Z, X) },
	    { RCU_LOCK, RD(0, Z), RDDEP(1, 0), RCU_UNLOCK } },
	  { REG(1, 0, X), REG(1, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	/* spin_is_locked(lo) reads the lock: 1 held, 0 free. */
	{ "MP+polockmbonce+poacquiresilsil", TOOLS, 2, 4, {0}, 1u << S,
	  { { LOCK(S), MB, WR(X, 1), UNLOCK(S) },
	    { RDACQ(0, X), RD(1, S), RD(2, S) } },
	  { REG(1, 0, 1), REG(1, 1, 0), REG(1, 2, 1) }, 3,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "MP+polockonce+poacquiresilsil", TOOLS, 2, 4, {0}, 1u << S,
	  { { LOCK(S), WR(X, 1), UNLOCK(S) },
	    { RDACQ(0, X), RD(1, S), RD(2, S) } },
	  { REG(1, 0, 1), REG(1, 1, 0), REG(1, 2, 1) }, 3,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "MP+polocks", TOOLS, 2, 4, {0}, 1u << S,
	  { { WR(X, 1), LOCK(S), WR(Y, 1), UNLOCK(S) },
	    { LOCK(S), RD(0, Y), UNLOCK(S), RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "MP+poonceonces", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), WR(Y, 1) }, { RD(0, Y), RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "MP+pooncerelease+poacquireonce", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), WRREL(Y, 1) }, { RDACQ(0, Y), RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "MP+porevlocks", TOOLS, 2, 4, {0}, 1u << S,
	  { { RD(0, Y), LOCK(S), RD(1, X), UNLOCK(S) },
	    { LOCK(S), WR(X, 1), UNLOCK(S), WR(Y, 1) } },
	  { REG(0, 0, 1), REG(0, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "MP+unlocklockonceonce+fencermbonceonce", TOOLS, 2, 5, {0},
	  (1u << S) | (1u << T),
	  { { LOCK(S), WR(X, 1), UNLOCK(S), LOCK(T), WR(Y, 1), UNLOCK(T) },
	    { RD(0, Y), RMB, RD(1, X) } },
	  { REG(1, 0, 1), REG(1, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "R+fencembonceonces", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), MB, WR(Y, 1) }, { WR(Y, 2), MB, RD(0, X) } },
	  { LOC(Y, 2), REG(1, 0, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "R+poonceonces", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), WR(Y, 1) }, { WR(Y, 2), RD(0, X) } },
	  { LOC(Y, 2), REG(1, 0, 0) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = SOMETIMES },
	{ "S+fencewmbonceonce+poacquireonce", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 2), WMB, WR(Y, 1) }, { RDACQ(0, Y), WR(X, 1) } },
	  { LOC(X, 2), REG(1, 0, 1) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "S+poonceonces", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 2), WR(Y, 1) }, { RD(0, Y), WR(X, 1) } },
	  { LOC(X, 2), REG(1, 0, 1) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "SB+fencembonceonces", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), MB, RD(0, Y) }, { WR(Y, 1), MB, RD(0, X) } },
	  { REG(0, 0, 0), REG(1, 0, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "SB+poonceonces", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), RD(0, Y) }, { WR(Y, 1), RD(0, X) } },
	  { REG(0, 0, 0), REG(1, 0, 0) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = SOMETIMES },
	/* r1, r2 of P0 are 0, 1; r3, r4 of P1 are 0, 1. */
	{ "SB+rfionceonce-poonceonces", TOOLS, 2, 2, {0}, 0,
	  { { WR(X, 1), RD(0, X), RD(1, Y) }, { WR(Y, 1), RD(0, Y), RD(1, X) } },
	  { REG(0, 1, 0), REG(1, 1, 0) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = SOMETIMES },
	{ "WRC+poonceonces+Once", TOOLS, 3, 2, {0}, 0,
	  { { WR(X, 1) }, { RD(0, X), WR(Y, 1) }, { RD(0, Y), RD(1, X) } },
	  { REG(1, 0, 1), REG(2, 0, 1), REG(2, 1, 0) }, 3,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "WRC+pooncerelease+fencermbonceonce+Once", TOOLS, 3, 2, {0}, 0,
	  { { WR(X, 1) }, { RD(0, X), WRREL(Y, 1) },
	    { RD(0, Y), RMB, RD(1, X) } },
	  { REG(1, 0, 1), REG(2, 0, 1), REG(2, 1, 0) }, 3,
	  NEVER, .sc = NEVER, .tso = NEVER },
	/* smp_mb__after_spinlock() is a full barrier: MB. */
	{ "Z6.0+pooncelock+poonceLock+pombonce", TOOLS, 3, 4, {0}, 1u << S,
	  { { LOCK(S), WR(X, 1), WR(Y, 1), UNLOCK(S) },
	    { LOCK(S), MB, RD(0, Y), WR(Z, 1), UNLOCK(S) },
	    { WR(Z, 2), MB, RD(1, X) } },
	  { REG(1, 0, 1), LOC(Z, 2), REG(2, 1, 0) }, 3,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "Z6.0+pooncelock+pooncelock+pombonce", TOOLS, 3, 4, {0}, 1u << S,
	  { { LOCK(S), WR(X, 1), WR(Y, 1), UNLOCK(S) },
	    { LOCK(S), RD(0, Y), WR(Z, 1), UNLOCK(S) },
	    { WR(Z, 2), MB, RD(1, X) } },
	  { REG(1, 0, 1), LOC(Z, 2), REG(2, 1, 0) }, 3,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "Z6.0+pooncerelease+poacquirerelease+fencembonceonce", TOOLS, 3, 3,
	  {0}, 0,
	  { { WR(X, 1), WRREL(Y, 1) }, { RDACQ(0, Y), WRREL(Z, 1) },
	    { WR(Z, 2), MB, RD(1, X) } },
	  { REG(1, 0, 1), LOC(Z, 2), REG(2, 1, 0) }, 3,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	/* atomic_inc: relaxed; smp_mb__after_atomic: MB; atomic_read: ONCE. */
	{ "Atomic-RMW+mb__after_atomic-is-stronger-than-acquire",
	  DOCS "/atomic", 2, 2, {0}, 0,
	  { { RD(0, X), RMB, RD(1, Y) },
	    { RMW(0, Y, MM_RMW_ADD, 0, 1, MM_ONCE), MB, WR(X, 1) } },
	  { REG(0, 0, 1), REG(0, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	/* v = 1; atomic_add_unless(v, 1, 0) || atomic_set(v, 0). */
	{ "Atomic-RMW-ops-are-atomic-WRT-atomic_set", DOCS "/atomic", 2, 1,
	  { 1 }, 0,
	  { { RMW(0, X, MM_RMW_ADD_UNLESS, 0, 1, MM_FULL) }, { WR(X, 0) } },
	  { LOC(X, 2) }, 1,
	  NEVER, .sc = NEVER, .tso = NEVER },
	/* x = 1, z = 1, y = &x: locations 0, 1, 2; &x is 0, &z is 1. */
	{ "RCU+sync+free", DOCS "/rcu", 2, 3, { 1, 1, X }, 0,
	  { { RCU_LOCK, RD(0, Z), RDDEP(1, 0), RCU_UNLOCK },
	    { WRREL(Z, Y), SYNC, WR(X, 0) } },
	  { REG(0, 0, X), REG(0, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "RCU+sync+read", DOCS "/rcu", 2, 2, {0}, 0,
	  { { RCU_LOCK, WR(X, 1), WR(Y, 1), RCU_UNLOCK },
	    { RD(0, X), SYNC, RD(1, Y) } },
	  { REG(1, 0, 1), REG(1, 1, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	/*
	 * 2+2W: no file in 6.1. exists (x=1 /\ y=1) needs both writes of
	 * each thread to reach the order reversed. Nothing orders them
	 * without fences; with smp_mb() pb is cyclic (coe ; strong-fence
	 * twice); smp_wmb() is not a strong fence and its cumul-fence
	 * edges meet hb only within a thread, so LKMM allows it.
	 */
	{ "2+2W+poonceonces", CAT, 2, 2, {0}, 0,
	  { { WR(X, 1), WR(Y, 2) }, { WR(Y, 1), WR(X, 2) } },
	  { LOC(X, 1), LOC(Y, 1) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	{ "2+2W+fencembonceonces", CAT, 2, 2, {0}, 0,
	  { { WR(X, 1), MB, WR(Y, 2) }, { WR(Y, 1), MB, WR(X, 2) } },
	  { LOC(X, 1), LOC(Y, 1) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "2+2W+fencewmbonceonces", CAT, 2, 2, {0}, 0,
	  { { WR(X, 1), WMB, WR(Y, 2) }, { WR(Y, 1), WMB, WR(X, 2) } },
	  { LOC(X, 1), LOC(Y, 1) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	/*
	 * Seqcount, as include/linux/seqlock.h builds it (no file in 6.1):
	 * the write section is seq++, wmb, data, wmb, seq++; the read
	 * section seq, rmb, data, rmb, seq. A reader must not see data of
	 * a write section with both sequence reads 0 (the write section
	 * is MP+fencewmbonceonce+fencermbonceonce twice). Without the
	 * second rmb (the missing-barrier bug) it may: MP+wmb+poonceonces.
	 */
	{ "seqcount+fencewmbs+fencermbs", "include/linux/seqlock.h", 2, 2,
	  {0}, 0,
	  { { WR(Y, 1), WMB, WR(X, 1), WMB, WR(Y, 2) },
	    { RD(0, Y), RMB, RD(1, X), RMB, RD(2, Y) } },
	  { REG(1, 0, 0), REG(1, 1, 1), REG(1, 2, 0) }, 3,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "seqcount+fencewmbs+fencermb-once", "include/linux/seqlock.h", 2, 2,
	  {0}, 0,
	  { { WR(Y, 1), WMB, WR(X, 1), WMB, WR(Y, 2) },
	    { RD(0, Y), RMB, RD(1, X), RD(2, Y) } },
	  { REG(1, 0, 0), REG(1, 1, 1), REG(1, 2, 0) }, 3,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
	/*
	 * xchg() is a value-returning RMW, fully ordered
	 * (Documentation/atomic_t.txt): SB with it is SB+fencembonceonces.
	 * xchg_relaxed() orders nothing: SB+poonceonces. On x86 both are
	 * a locked instruction, a full barrier.
	 */
	{ "SB+xchgs", "derived from Documentation/atomic_t.txt", 2, 2, {0}, 0,
	  { { RMW(1, X, MM_RMW_XCHG, 0, 1, MM_FULL), RD(0, Y) },
	    { RMW(1, Y, MM_RMW_XCHG, 0, 1, MM_FULL), RD(0, X) } },
	  { REG(0, 0, 0), REG(1, 0, 0) }, 2,
	  NEVER, .sc = NEVER, .tso = NEVER },
	{ "SB+xchgrelaxeds", "derived from Documentation/atomic_t.txt", 2, 2,
	  {0}, 0,
	  { { RMW(1, X, MM_RMW_XCHG, 0, 1, MM_ONCE), RD(0, Y) },
	    { RMW(1, Y, MM_RMW_XCHG, 0, 1, MM_ONCE), RD(0, X) } },
	  { REG(0, 0, 0), REG(1, 0, 0) }, 2,
	  SOMETIMES, .sc = NEVER, .tso = NEVER },
};

const unsigned int litmus_count = sizeof(litmus_table) / sizeof(litmus_table[0]);
