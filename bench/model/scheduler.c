// SPDX-License-Identifier: GPL-2.0
/*
 * The exploration scheduler (scheduler.h). Each thread waits on its own
 * semaphore; exactly one runs, and at its next scheduling point it either
 * goes on or posts the chosen thread's semaphore and waits on its own. A
 * thread in a wait loop (mt_wait_begin .. _end) is blocked until another
 * thread makes progress; when every unfinished thread is blocked, that is
 * a deadlock, reported with who waits for what.
 */
#define MN_NO_SCHED_POINTS	/* its own READ_ONCEs are not points */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdio.h>

#include "oracle.h"
#include "scheduler.h"
#include "thread.h"

/* Far beyond any scenario's length: more is a livelock. */
#define SCHED_STEP_LIMIT	200000

struct sched_thread {
	sem_t run;		/* posted when it is this thread's turn */
	sem_t registered;	/* posted once it is in mt_table */
	const char *name;
	void (*fn)(void *arg);
	void *arg;
	pthread_t tid;
	bool created;
	struct model_thread *mt;
	bool waiting;		/* blocked until another thread progresses */
	bool finished;
	struct sched_fp fp;	/* what its current step touched so far */
	struct sched_fp wait_fp;	/* what its wait's re-check touches */
	bool wait_fp_set;
	int model_depth;	/* inside model code (SCHED_MODEL_SCOPE) */
	bool precise;		/* ... all of it SCHED_MODEL_SCOPE_PRECISE */
	int suspended_depth;	/* model_depth outside the current callback */
};

static struct {
	bool active;
	bool aborting;
	unsigned int n;
	struct sched_thread th[SCHED_MAX_THREADS];
	sem_t done;
	pthread_mutex_t exit_lock;	/* aborted threads exit together */
	const struct sched_policy *policy;
	unsigned int prio[SCHED_MAX_THREADS];
	unsigned int next_change;
	struct sched_result *res;
	struct sched_trace *trace;
} sc;

static __thread int sched_id = -1;

static void trace_add(const char *fmt, ...) __printf(1, 2);

static void trace_add(const char *fmt, ...)
{
	struct sched_trace *t = sc.trace;
	va_list ap;
	int n;

	if (!t || t->used + 1 >= t->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->used += (size_t)n < t->len - t->used ? (size_t)n
							: t->len - t->used - 1;
}

/* A signal must not let a thread run beside the one whose turn it is. */
static void wait_turn(sem_t *sem)
{
	while (sem_wait(sem) && errno == EINTR)
		;
}

static void fp_add(struct sched_fp *fp, int kind, u64 obj)
{
	unsigned int i;

	if (fp->any)
		return;
	for (i = 0; i < fp->n; i++)
		if (fp->obj[i] == obj) {
			fp->kind[i] |= (u8)kind;
			return;
		}
	if (fp->n == SCHED_FP_MAX) {
		fp->any = true;
		return;
	}
	fp->kind[fp->n] = (u8)kind;
	fp->obj[fp->n++] = obj;
}

static void fp_any(struct sched_fp *fp)
{
	memset(fp, 0, sizeof(*fp));
	fp->any = true;
}

bool sched_fp_dependent(const struct sched_fp *a, const struct sched_fp *b)
{
	unsigned int i, j;

	if (a->any || b->any)
		return true;
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (a->obj[i] == b->obj[j] &&
			    ((a->kind[i] | b->kind[j]) & SCHED_FP_WRITE))
				return true;
	return false;
}

/* A new step of thread t begins: what it touches from the start. */
static void fp_begin(struct sched_thread *t, int kind, u64 obj)
{
	memset(&t->fp, 0, sizeof(t->fp));
	if (kind)
		fp_add(&t->fp, kind, obj);
	if (t->model_depth && !t->precise)
		fp_add(&t->fp, SCHED_FP_WRITE, SCHED_OBJ_MM);
}

static u8 enabled_set(void)
{
	u8 e = 0;
	unsigned int i;

	for (i = 0; i < sc.n; i++)
		if (!sc.th[i].finished && !sc.th[i].waiting)
			e |= 1u << i;
	return e;
}

static int default_choice(int me, u8 enabled)
{
	unsigned int i, best = 0;
	bool found = false;

	if (sc.policy->pct) {
		for (i = 0; i < sc.n; i++)
			if ((enabled & (1u << i)) &&
			    (!found || sc.prio[i] > sc.prio[best])) {
				best = i;
				found = true;
			}
		return (int)best;
	}
	if (me >= 0 && (enabled & (1u << me)))
		return me;
	return __builtin_ctz(enabled);
}

/*
 * The next thread to run, -1 if none can; records real choices. ran
 * (-1: none) is the thread whose step ended here, with footprint fp.
 */
static int choose(int me, bool me_runs, int ran, const struct sched_fp *fp)
{
	const struct sched_hook *hook = sc.policy->hook;
	struct sched_result *r = sc.res;
	u8 enabled = enabled_set();
	int chosen, def;
	unsigned int k;

	if (!enabled) {
		if (hook)	/* the last step of the execution */
			hook->choose(hook->ctx, ran, fp, 0, -1);
		return -1;
	}
	def = default_choice(me_runs ? me : -1, enabled);
	if (hook)
		chosen = hook->choose(hook->ctx, ran, fp, enabled, def);
	else if (!(enabled & (enabled - 1)))
		return def;	/* one thread can run: nothing to decide */
	k = r->ndecisions;
	if (!hook)
		chosen = k < sc.policy->prefix_len ? sc.policy->prefix[k] : def;
	if (chosen >= (int)sc.n || !(enabled & (1u << chosen)))
		chosen = def;	/* a schedule for another scenario */
	if (!(enabled & (enabled - 1)))
		return chosen;
	if (k < SCHED_MAX_DECISIONS) {
		r->d[k].enabled = enabled;
		r->d[k].current = (signed char)(me_runs ? me : -1);
		r->d[k].chosen = (u8)chosen;
		r->d[k].nchoices = 0;
		r->ndecisions++;
	} else {
		r->decisions_overflow = true;
	}
	return chosen;
}

/* Unwind the calling thread if the execution is being aborted. */
static void check_abort(void)
{
	if (sc.aborting && mt_self && mt_self->abort_armed)
		longjmp(mt_self->abort_jmp, 1);
}

static void switch_to(int me, int next)
{
	if (next != me) {
		trace_add("  -- switch to %s\n", sc.th[next].name);
		sem_post(&sc.th[next].run);
		wait_turn(&sc.th[me].run);
	}
	check_abort();
}

/* Wake every other unfinished thread so it unwinds, then unwind. */
static void abort_execution(int me)
{
	unsigned int i;

	sc.aborting = true;
	mt_abort_all();
	for (i = 0; i < sc.n; i++)
		if ((int)i != me && !sc.th[i].finished)
			sem_post(&sc.th[i].run);
	check_abort();
}

static int holder_of(int class_id)
{
	unsigned int i;
	int k;

	for (i = 0; i < sc.n; i++) {
		const struct model_thread *t = sc.th[i].mt;

		for (k = 0; t && !sc.th[i].finished && k < t->nheld; k++)
			if (t->held[k]->class_id == class_id)
				return (int)i;
	}
	return -1;
}

static void describe_deadlock(void)
{
	struct sched_result *r = sc.res;
	size_t used = 0;
	unsigned int i;

	for (i = 0; i < sc.n; i++) {
		const struct model_thread *t = sc.th[i].mt;
		const char *what;
		int h;

		if (sc.th[i].finished || !t ||
		    used >= sizeof(r->deadlock_cycle))
			continue;
		what = READ_ONCE(t->blocked_what);
		h = t->blocked_class >= 0 ? holder_of(t->blocked_class) : -1;
		used += snprintf(r->deadlock_cycle + used,
				 sizeof(r->deadlock_cycle) - used,
				 "%s%s waits for %s%s%s%s", used ? "; " : "",
				 sc.th[i].name, what ? what : "?",
				 h >= 0 ? " (held by " : "",
				 h >= 0 ? sc.th[h].name : "",
				 h >= 0 ? ")" : "");
	}
}

static void step(int me, const char *op, const char *func, int line)
{
	struct sched_result *r = sc.res;
	const char *cb = READ_ONCE(mt_self->callback);

	r->steps++;
	if (line)
		trace_add("%6lu %-8s %-20s %s:%d%s%s%s\n", r->steps,
			  sc.th[me].name, op, func, line, cb ? " [" : "",
			  cb ? cb : "", cb ? "]" : "");
	else
		trace_add("%6lu %-8s %-20s %s%s%s%s\n", r->steps,
			  sc.th[me].name, op, func, cb ? " [" : "",
			  cb ? cb : "", cb ? "]" : "");
	if (r->steps > SCHED_STEP_LIMIT) {
		r->step_limit = true;
		abort_execution(me);
	}
	while (sc.policy->pct && sc.next_change < sc.policy->nchanges &&
	       sc.policy->change_at[sc.next_change] <= r->steps)
		sc.prio[me] = sc.policy->change_prio[sc.next_change++];
}

void sched_point_at(const char *op, const char *func, int line, int kind,
		    u64 obj)
{
	struct sched_fp ended;
	int me = sched_id, next;
	unsigned int i;

	if (!sc.active || me < 0)
		return;
	/* A wait loop's re-check is part of the wait, not progress. */
	if (READ_ONCE(mt_self->blocked_what)) {
		if (kind)
			fp_add(&sc.th[me].fp, kind, obj);
		else
			sc.th[me].fp.any = true;
		return;
	}
	step(me, op, func, line);
	for (i = 0; i < sc.n; i++)
		sc.th[i].waiting = false;
	ended = sc.th[me].fp;
	sc.th[me].wait_fp_set = false;
	fp_begin(&sc.th[me], kind, obj);
	if (!kind)
		sc.th[me].fp.any = true;
	next = choose(me, true, me, &ended);
	switch_to(me, next);
}

int sched_current(void)
{
	return sc.active ? sched_id : -1;
}

unsigned int sched_choose_value(unsigned int n)
{
	const struct sched_hook *hook = sc.policy->hook;
	struct sched_result *r = sc.res;
	unsigned int k = r->ndecisions, chosen;

	if (!sc.active || sched_id < 0 || n < 2)
		return 0;
	if (n > 255)
		n = 255;
	if (hook && hook->choose_value)
		chosen = hook->choose_value(hook->ctx, n);
	else
		chosen = k < sc.policy->prefix_len ? sc.policy->prefix[k] : 0;
	if (chosen >= n)
		chosen = 0;	/* the default, or a schedule for another run */
	if (k < SCHED_MAX_DECISIONS) {
		r->d[k].enabled = 0;
		r->d[k].current = -1;
		r->d[k].chosen = (u8)chosen;
		r->d[k].nchoices = (u8)n;
		r->ndecisions++;
	} else {
		r->decisions_overflow = true;
	}
	return chosen;
}

unsigned int sched_decisions(void)
{
	return sc.res ? sc.res->ndecisions : 0;
}

const char *sched_thread_name(int t)
{
	return t >= 0 && (unsigned int)t < sc.n ? sc.th[t].name : "init";
}

void sched_trace_text(const char *text)
{
	if (sc.active && sched_id >= 0)
		trace_add("       %-8s %s\n", sc.th[sched_id].name, text);
}

/* A point that declares nothing: its step may touch anything. */
void sched_point(const char *op, const char *func, int line)
{
	sched_point_at(op, func, line, 0, 0);
}

void sched_touch(int kind, u64 obj)
{
	if (sc.active && sched_id >= 0)
		fp_add(&sc.th[sched_id].fp, kind, obj);
}

void sched_wait_fp(int kind, u64 obj)
{
	struct sched_thread *t;

	if (!sc.active || sched_id < 0)
		return;
	t = &sc.th[sched_id];
	memset(&t->wait_fp, 0, sizeof(t->wait_fp));
	if (kind)
		fp_add(&t->wait_fp, kind, obj);
	t->wait_fp_set = true;
}

void sched_model_enter(void)
{
	struct sched_thread *t;

	if (!sc.active || sched_id < 0)
		return;
	t = &sc.th[sched_id];
	if (!t->model_depth++ || t->precise) {
		t->precise = false;	/* for the rest of the outer scope */
		fp_add(&t->fp, SCHED_FP_WRITE, SCHED_OBJ_MM);
	}
}

void sched_model_enter_precise(int kind, u64 obj)
{
	struct sched_thread *t;

	if (!sc.active || sched_id < 0)
		return;
	t = &sc.th[sched_id];
	if (!t->model_depth++)
		t->precise = true;
	else if (!t->precise)	/* inside imprecise model code */
		fp_add(&t->fp, SCHED_FP_WRITE, SCHED_OBJ_MM);
	fp_add(&t->fp, kind, obj);
}

void sched_model_suspend(void)
{
	if (sc.active && sched_id >= 0) {
		sc.th[sched_id].suspended_depth = sc.th[sched_id].model_depth;
		sc.th[sched_id].model_depth = 0;
		sc.th[sched_id].precise = false;	/* never set here */
	}
}

void sched_model_resume(void)
{
	struct sched_thread *t;

	if (!sc.active || sched_id < 0)
		return;
	t = &sc.th[sched_id];
	t->model_depth = t->suspended_depth;
	if (t->model_depth)
		fp_add(&t->fp, SCHED_FP_WRITE, SCHED_OBJ_MM);
}

void sched_model_exit(int *unused)
{
	(void)unused;
	if (sc.active && sched_id >= 0 && sc.th[sched_id].model_depth &&
	    !--sc.th[sched_id].model_depth)
		sc.th[sched_id].precise = false;
}

void sched_note(const char *op, const char *obj)
{
	if (sc.active && sched_id >= 0)
		fp_add(&sc.th[sched_id].fp, SCHED_FP_WRITE, SCHED_OBJ_MM);
	if (sc.active && sched_id >= 0)
		trace_add("       %-8s %-20s %s\n", sc.th[sched_id].name, op,
			  obj);
}

bool sched_wait(void)
{
	int me = sched_id, next;

	struct sched_thread *t;
	struct sched_fp ended;
	int class_id;

	if (!sc.active || me < 0)
		return false;
	t = &sc.th[me];
	t->waiting = true;
	/*
	 * Its next step re-checks what it waits for: a lock's word, what
	 * sched_wait_fp() said, or else anything.
	 */
	ended = t->fp;
	class_id = READ_ONCE(mt_self->blocked_class);
	if (class_id >= 0) {
		fp_begin(t, SCHED_FP_WRITE, SCHED_OBJ_CLASS(class_id));
	} else if (t->wait_fp_set) {
		fp_begin(t, 0, 0);
		t->fp.n = t->wait_fp.n;
		memcpy(t->fp.kind, t->wait_fp.kind, sizeof(t->fp.kind));
		memcpy(t->fp.obj, t->wait_fp.obj, sizeof(t->fp.obj));
		if (t->model_depth)
			fp_add(&t->fp, SCHED_FP_WRITE, SCHED_OBJ_MM);
	} else {
		fp_any(&t->fp);
	}
	next = choose(me, false, me, &ended);
	if (next < 0) {
		sc.res->deadlock = true;
		describe_deadlock();
		trace_add("  -- deadlock: %s\n", sc.res->deadlock_cycle);
		abort_execution(me);
	}
	switch_to(me, next);
	return true;
}

void sched_note_violation(void)
{
	if (sc.active && sched_id >= 0 && !sc.res->violation_step) {
		sc.res->violation_step = sc.res->steps ? sc.res->steps : 1;
		trace_add("  -- the oracle reports a violation here\n");
	}
}

unsigned long sched_steps(void)
{
	return sc.active ? sc.res->steps : 0;
}

/* A thread's exit is progress; hand over, or tell sched_run it is over. */
static void finish(int me)
{
	unsigned int i;
	bool all;
	int next;

	pthread_mutex_lock(&sc.exit_lock);
	sc.th[me].finished = true;
	for (i = 0, all = true; i < sc.n; i++) {
		sc.th[i].waiting = false;
		all &= sc.th[i].finished;
	}
	trace_add("  -- %s finished\n", sc.th[me].name);
	if (all && sc.policy->hook)	/* the last step of the execution */
		sc.policy->hook->choose(sc.policy->hook->ctx, me, &sc.th[me].fp,
					0, -1);
	if (all)
		sem_post(&sc.done);
	if (all || sc.aborting) {
		pthread_mutex_unlock(&sc.exit_lock);
		return;
	}
	pthread_mutex_unlock(&sc.exit_lock);
	next = choose(-1, false, me, &sc.th[me].fp);
	if (next < 0) {
		/* Everyone left is blocked, and nobody can progress now. */
		sc.res->deadlock = true;
		describe_deadlock();
		trace_add("  -- deadlock: %s\n", sc.res->deadlock_cycle);
		sc.aborting = true;
		mt_abort_all();
		for (i = 0; i < sc.n; i++)
			if (!sc.th[i].finished)
				sem_post(&sc.th[i].run);
		return;
	}
	sem_post(&sc.th[next].run);
}

static void *thread_main(void *arg)
{
	struct sched_thread *t = arg;
	int me = (int)(t - sc.th);
	struct model_thread *mt = mt_register(t->name);

	sched_id = me;
	t->mt = mt;
	sem_post(&t->registered);
	wait_turn(&t->run);
	if (mt) {
		mt->abort_armed = true;
		if (!setjmp(mt->abort_jmp) && !sc.aborting)
			t->fn(t->arg);
		mt->abort_armed = false;
	}
	sched_id = -1;
	finish(me);
	mt_unregister();
	return NULL;
}

void sched_run(unsigned int n, const char *const *names,
	       void (*fn)(void *arg), void *const *args,
	       const struct sched_policy *policy, struct sched_result *res,
	       struct sched_trace *trace)
{
	unsigned int i, started = 0;
	int first;

	memset(res, 0, sizeof(*res));
	memset(&sc, 0, sizeof(sc));
	sc.n = n < SCHED_MAX_THREADS ? n : SCHED_MAX_THREADS;
	sc.policy = policy;
	sc.res = res;
	sc.trace = trace;
	memcpy(sc.prio, policy->prio, sizeof(sc.prio));
	sem_init(&sc.done, 0, 0);
	pthread_mutex_init(&sc.exit_lock, NULL);
	mt_set_wait_hook(sched_wait);
	oracle_set_report_hook(sched_note_violation);
	/* One at a time, so each gets the same mt_table slot every time. */
	for (i = 0; i < sc.n; i++) {
		struct sched_thread *t = &sc.th[i];

		sem_init(&t->run, 0, 0);
		sem_init(&t->registered, 0, 0);
		t->name = names[i];
		t->fn = fn;
		t->arg = args[i];
		fp_any(&t->fp);	/* its start, up to its first point */
		if (pthread_create(&t->tid, NULL, thread_main, t)) {
			t->finished = true;
			continue;
		}
		t->created = true;
		started++;
		wait_turn(&t->registered);
	}
	sc.active = true;
	first = started ? choose(-1, false, -1, NULL) : -1;
	if (first >= 0) {
		sem_post(&sc.th[first].run);
		wait_turn(&sc.done);
	}
	for (i = 0; i < sc.n; i++)
		if (sc.th[i].created)
			pthread_join(sc.th[i].tid, NULL);
	sc.active = false;
	oracle_set_report_hook(NULL);
	mt_set_wait_hook(NULL);
	for (i = 0; i < sc.n; i++) {
		sem_destroy(&sc.th[i].run);
		sem_destroy(&sc.th[i].registered);
	}
	sem_destroy(&sc.done);
	pthread_mutex_destroy(&sc.exit_lock);
	mt_reset();
}
