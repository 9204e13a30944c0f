// SPDX-License-Identifier: GPL-2.0
#define MN_NO_SCHED_POINTS	/* bookkeeping, not the code under test */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "oracle.h"
#include "scheduler.h"
#include "thread.h"

#define MAX_CLASSES	64
#define TRACE_LEN	512

const char *const violation_names[V_NR] = {
	[V_STALE_ACCESS] = "stale_access",
	[V_USE_AFTER_RELEASE] = "use_after_release",
	[V_SLEEP_IN_ATOMIC] = "sleep_in_atomic",
	[V_LOCK_ORDER] = "lock_order",
	[V_HANG] = "hang",
	[V_CONTRACT] = "contract",
};

static pthread_mutex_t oracle_lock = PTHREAD_MUTEX_INITIALIZER;
static u64 counts[V_NR];
static char first_of[V_NR][TRACE_LEN];
static char first[TRACE_LEN + 32];
static char cycles[ORACLE_CYCLES][TRACE_LEN];
static char stale_write[TRACE_LEN];
static unsigned int nr_cycles;
static void (*report_hook)(void);	/* oracle_set_report_hook() */

static pthread_mutex_t lockdep_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *class_names[MAX_CLASSES];
static int nr_classes;
static u8 edge[MAX_CLASSES][MAX_CLASSES];
static char edge_trace[MAX_CLASSES][MAX_CLASSES][160];

void oracle_reset(void)
{
	pthread_mutex_lock(&oracle_lock);
	memset(counts, 0, sizeof(counts));
	memset(first_of, 0, sizeof(first_of));
	memset(first, 0, sizeof(first));
	memset(cycles, 0, sizeof(cycles));
	memset(stale_write, 0, sizeof(stale_write));
	nr_cycles = 0;
	pthread_mutex_unlock(&oracle_lock);
	lockdep_reset();
}

void oracle_report(enum violation_kind kind, const char *fmt, ...)
{
	void (*hook)(void);
	char buf[TRACE_LEN];
	va_list ap;

	SCHED_TOUCH(SCHED_FP_WRITE, SCHED_OBJ_ORACLE);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&oracle_lock);
	if (!counts[kind]++)
		snprintf(first_of[kind], sizeof(first_of[kind]), "%s", buf);
	if (!first[0])
		snprintf(first, sizeof(first), "%s: %s", violation_names[kind],
			 buf);
	if (kind == V_LOCK_ORDER && nr_cycles < ORACLE_CYCLES)
		snprintf(cycles[nr_cycles++], TRACE_LEN, "%s", buf);
	pthread_mutex_unlock(&oracle_lock);
	hook = __atomic_load_n(&report_hook, __ATOMIC_ACQUIRE);
	if (hook)
		hook();
}

void oracle_set_report_hook(void (*hook)(void))
{
	__atomic_store_n(&report_hook, hook, __ATOMIC_RELEASE);
}

u64 oracle_count(enum violation_kind kind)
{
	u64 n;

	pthread_mutex_lock(&oracle_lock);
	n = counts[kind];
	pthread_mutex_unlock(&oracle_lock);
	return n;
}

u64 oracle_total(void)
{
	u64 n = 0;
	int k;

	for (k = 0; k < V_NR; k++)
		n += oracle_count(k);
	return n;
}

const char *oracle_first(void)
{
	return first;
}

void oracle_stale_write(const char *trace)
{
	oracle_report(V_STALE_ACCESS, "%s", trace);
	pthread_mutex_lock(&oracle_lock);
	if (!stale_write[0])
		snprintf(stale_write, sizeof(stale_write), "%s", trace);
	pthread_mutex_unlock(&oracle_lock);
}

const char *oracle_first_stale_write(void)
{
	return stale_write;
}

const char *oracle_cycle(unsigned int i)
{
	return i < ORACLE_CYCLES ? cycles[i] : "";
}

const char *oracle_first_of(enum violation_kind kind)
{
	return first_of[kind];
}

const char *oracle_where(char *buf, size_t len)
{
	struct model_thread *t = mt_self;
	const char *cb;

	if (!t) {
		snprintf(buf, len, "unregistered thread");
		return buf;
	}
	cb = READ_ONCE(t->callback);
	snprintf(buf, len, "%s [%s%s%s]", t->name, READ_ONCE(t->activity),
		 cb ? " -> " : "", cb ? cb : "");
	return buf;
}

int lockdep_class(const char *name)
{
	int i;

	pthread_mutex_lock(&lockdep_lock);
	for (i = 0; i < nr_classes; i++)
		if (!strcmp(class_names[i], name))
			goto out;
	if (nr_classes == MAX_CLASSES) {
		i = MAX_CLASSES - 1;	/* share the last class */
		goto out;
	}
	class_names[i] = name;
	nr_classes++;
out:
	pthread_mutex_unlock(&lockdep_lock);
	return i;
}

const char *lockdep_class_name(int id)
{
	return id >= 0 && id < MAX_CLASSES ? class_names[id] : "?";
}

void lockdep_reset(void)
{
	int i, j;

	/* Only what was recorded: exploration resets once per schedule. */
	pthread_mutex_lock(&lockdep_lock);
	for (i = 0; i < nr_classes; i++)
		for (j = 0; j < nr_classes; j++)
			if (edge[i][j]) {
				edge[i][j] = 0;
				edge_trace[i][j][0] = 0;
			}
	pthread_mutex_unlock(&lockdep_lock);
}

/* Breadth-first search for from ~> to; fills path (class ids). */
static int find_path(int from, int to, int *path)
{
	int prev[MAX_CLASSES], queue[MAX_CLASSES];
	int head = 0, tail = 0, n = 0, c, i;

	for (i = 0; i < MAX_CLASSES; i++)
		prev[i] = -2;
	prev[from] = -1;
	queue[tail++] = from;
	while (head < tail) {
		c = queue[head++];
		if (c == to)
			break;
		for (i = 0; i < nr_classes; i++) {
			if (edge[c][i] && prev[i] == -2) {
				prev[i] = c;
				queue[tail++] = i;
			}
		}
	}
	if (prev[to] == -2)
		return 0;
	for (c = to; c != -1; c = prev[c])
		path[n++] = c;
	for (i = 0; i < n / 2; i++) {
		c = path[i];
		path[i] = path[n - 1 - i];
		path[n - 1 - i] = c;
	}
	return n;
}

static void add_edge(int held, int next)
{
	int path[MAX_CLASSES], n, i;
	char where[128], text[TRACE_LEN];
	size_t off;

	if (__atomic_load_n(&edge[held][next], __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&lockdep_lock);
	if (edge[held][next]) {
		pthread_mutex_unlock(&lockdep_lock);
		return;
	}
	snprintf(edge_trace[held][next], sizeof(edge_trace[held][next]),
		 "%s took %s while holding %s", oracle_where(where,
		 sizeof(where)), class_names[next], class_names[held]);
	n = find_path(next, held, path);
	__atomic_store_n(&edge[held][next], 1, __ATOMIC_RELEASE);
	if (!n) {
		pthread_mutex_unlock(&lockdep_lock);
		return;
	}
	off = snprintf(text, sizeof(text), "%s; earlier:",
		       edge_trace[held][next]);
	for (i = 0; i + 1 < n && off < sizeof(text); i++)
		off += snprintf(text + off, sizeof(text) - off, " %s;",
				edge_trace[path[i]][path[i + 1]]);
	pthread_mutex_unlock(&lockdep_lock);
	oracle_report(V_LOCK_ORDER, "%s", text);
}

void lockdep_check_order(const struct mn_raw_lock *l)
{
	struct model_thread *t = mt_self;
	char where[128];
	int i;

	if (!t)
		return;
	for (i = 0; i < t->nheld; i++) {
		int held = t->held[i]->class_id;

		if (t->held[i] == l)
			oracle_report(V_LOCK_ORDER, "%s: recursive locking: takes %s, which it already holds (self-deadlock)",
				      oracle_where(where, sizeof(where)),
				      class_names[l->class_id]);
		else if (held != l->class_id)
			add_edge(held, l->class_id);
	}
}

void lockdep_push(const struct mn_raw_lock *l, bool trylock)
{
	struct model_thread *t = mt_self;

	if (!t)
		return;
	if (t->nheld == MT_MAX_HELD) {
		char where[128];

		/* As mn_warn(): the oracle's own WARN, not the primitives'. */
		oracle_report(V_CONTRACT, "%s: WARN(%s) at %s:%d",
			      oracle_where(where, sizeof(where)),
			      "too many locks held", __FILE__, __LINE__);
		return;
	}
	t->held[t->nheld] = l;
	t->held_by_trylock[t->nheld] = trylock;
	WRITE_ONCE(t->held_class[t->nheld], l->class_id);
	t->nheld++;
	WRITE_ONCE(t->nheld_pub, t->nheld);
	if (l->kind == MN_LOCK_SPIN)
		t->spin_depth++;
}

/* lockdep: "WARNING: bad unlock balance detected!" Out of line: rare. */
static noinline void bad_unlock_balance(const struct mn_raw_lock *l)
{
	char where[128];

	oracle_report(V_LOCK_ORDER, "%s: bad unlock balance: releases %s, which this thread does not hold",
		      oracle_where(where, sizeof(where)),
		      class_names[l->class_id]);
}

void lockdep_pop(const struct mn_raw_lock *l)
{
	struct model_thread *t = mt_self;
	int i;

	if (!t)
		return;
	for (i = t->nheld - 1; i >= 0; i--)
		if (t->held[i] == l)
			break;
	if (i < 0) {
		bad_unlock_balance(l);
		return;
	}
	for (; i + 1 < t->nheld; i++) {
		t->held[i] = t->held[i + 1];
		t->held_by_trylock[i] = t->held_by_trylock[i + 1];
		WRITE_ONCE(t->held_class[i], t->held[i]->class_id);
	}
	t->nheld--;
	WRITE_ONCE(t->nheld_pub, t->nheld);
	if (l->kind == MN_LOCK_SPIN)
		t->spin_depth--;
}

bool oracle_watchdog(u64 hang_ns)
{
	char text[TRACE_LEN];
	size_t off = 0;
	u64 now = ktime_get_ns(), since;
	bool stuck = false;
	int i, j;

	for (i = 0; i < MT_MAX_THREADS; i++) {
		struct model_thread *t = &mt_table[i];
		const char *what;

		if (!__atomic_load_n(&t->live, __ATOMIC_ACQUIRE))
			continue;
		what = __atomic_load_n(&t->blocked_what, __ATOMIC_ACQUIRE);
		since = READ_ONCE(t->blocked_since_ns);
		/* A wait may have begun after now was read. */
		if (!what || since > now || now - since < hang_ns)
			continue;
		stuck = true;
		if (off >= sizeof(text))
			continue;
		off += snprintf(text + off, sizeof(text) - off,
				"%s%s [%s] waits for %s", off ? "; " : "",
				t->name, READ_ONCE(t->activity), what);
		for (j = 0; j < READ_ONCE(t->nheld_pub) && off < sizeof(text);
		     j++)
			off += snprintf(text + off, sizeof(text) - off,
					"%s%s", j ? ", " : " holding ",
					lockdep_class_name(READ_ONCE(
						t->held_class[j])));
	}
	if (stuck)
		oracle_report(V_HANG, "%s", text);
	return stuck;
}
