#if defined(__linux__)
#define _GNU_SOURCE /* CPU sets */
#endif
#include "hw_pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__linux__) && defined(__GLIBC__)
#include <sched.h>
#define HW_POOL_PLACE 1
#endif

#include "hw_util.h"

#if HW_POOL_PLACE
/* Where a worker starts. Linux mostly starts a new thread on the core of the
 * thread that made it and moves it to an idle core at a later balancing,
 * 0.1 to 3 ms on: a pool of a few milliseconds then ran on one core. So
 * each worker starts on a core of its own, counting from the one after the
 * caller's (which is the last, the caller mostly waits), and may run on any
 * core the process may once it has started. */
static cpu_set_t allowed; /* the cores the process may run on */
static int ncpus, cpu[CPU_SETSIZE];
static pthread_once_t allowed_once = PTHREAD_ONCE_INIT;

static void find_allowed(void) {
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return;
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, &allowed))
            cpu[ncpus++] = i;
}

/* The core k + 1 after core here, counting among the cores the process may
 * run on; -1 when here is not one of them. */
static int core_after(int here, unsigned k) {
    int at = 0;
    while (at < ncpus && cpu[at] != here)
        at++;
    return at == ncpus ? -1 : cpu[(at + 1 + (int)(k % (unsigned)ncpus)) % ncpus];
}

/* The set of core c alone. */
static cpu_set_t only(int c) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(c, &one);
    return one;
}

/* Sets attr to start worker k on its core; false when it is not placed. */
static bool place(pthread_attr_t *attr, unsigned k) {
    pthread_once(&allowed_once, find_allowed);
    int c = ncpus >= 2 ? core_after(sched_getcpu(), k) : -1;
    if (c < 0)
        return false;
    cpu_set_t one = only(c);
    return pthread_attr_setaffinity_np(attr, sizeof one, &one) == 0;
}

/* Starts worker k at t, placed when it can be. */
static bool start_worker(pthread_t *t, unsigned k, void *(*fn)(void *), void *arg) {
    pthread_attr_t attr;
    bool started = false;
    if (pthread_attr_init(&attr) == 0) {
        started = place(&attr, k) && pthread_create(t, &attr, fn, arg) == 0;
        pthread_attr_destroy(&attr);
    }
    return started || pthread_create(t, NULL, fn, arg) == 0;
}

/* Lets a worker placed by start_worker run on any core. */
static void unplace(void) {
    if (ncpus >= 2)
        pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
}

/* Moves the calling thread to core c, then lets it run on any; false when
 * it could not be moved. */
static bool move_self(int c) {
    cpu_set_t one = only(c);
    if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) != 0)
        return false;
    unplace();
    return true;
}

/* The core the calling thread runs on, -1 when not known. */
static int caller_cpu(void) {
    return sched_getcpu();
}

/* Moves worker k, woken on core caller (that of the pool's caller), to
 * another core. Linux mostly wakes a thread on the core of the thread that
 * woke it, and the two then share that core until a balancing moves one:
 * in about one run in two, a pool of a district's 3,000 small files ran on
 * one core for up to 20 of its 15 to 30 ms. */
static void step_aside(unsigned k, int caller) {
    if (ncpus < 2 || sched_getcpu() != caller)
        return;
    int to = core_after(caller, k % (unsigned)(ncpus - 1));
    if (to >= 0)
        move_self(to);
}

/* Whether a thread of p but who was last seen on core here. */
static bool core_shared(hw_pool *p, unsigned who, int here) {
    for (unsigned t = 0; t < p->threads; t++)
        if (t != who && atomic_load_explicit(&p->at[t], memory_order_relaxed) == here)
            return true;
    return false;
}

/* The first core no thread of p but who was last seen on, -1 if none. */
static int free_core(hw_pool *p, unsigned who) {
    for (int c = 0; c < ncpus; c++)
        if (!core_shared(p, who, cpu[c]))
            return cpu[c];
    return -1;
}

/* Moves the thread in place who of p to a free core when it finds itself
 * on the core another thread of p was last seen on. Linux wakes a thread
 * on the core of the thread that woke it, also after a wait of a few
 * microseconds on the process's memory map (a thread growing its heap or
 * loading a converter while the other reads a file), and at times moves a
 * running thread onto another's core; it then left both threads taking
 * turns on one core for up to 11 ms of a 15 ms pool while the other core
 * idled. Checked before each task, by whichever thread starts one first
 * (the other may be in the middle of a long task): the core is known
 * without a call into the kernel, and one thread moves at a time. */
static void spread(hw_pool *p, unsigned who) {
    int here = sched_getcpu();
    if (here < 0 || ncpus < 2)
        return;
    atomic_store_explicit(&p->at[who], here, memory_order_relaxed);
    if (!core_shared(p, who, here) || atomic_exchange(&p->moving, true))
        return;
    /* Looked at again: the thread that moved before may have left. */
    int to = core_shared(p, who, here) ? free_core(p, who) : -1;
    if (to >= 0 && move_self(to))
        atomic_store_explicit(&p->at[who], to, memory_order_relaxed);
    atomic_store(&p->moving, false);
}
#else
static bool start_worker(pthread_t *t, unsigned k, void *(*fn)(void *), void *arg) {
    (void)k;
    return pthread_create(t, NULL, fn, arg) == 0;
}

static void unplace(void) {}

static int caller_cpu(void) {
    return -1;
}

static void step_aside(unsigned k, int caller) {
    (void)k;
    (void)caller;
}

static void spread(hw_pool *p, unsigned who) {
    (void)p;
    (void)who;
}
#endif

/* Marks the thread in place who of p as waiting: its core is free. */
static void away(hw_pool *p, unsigned who) {
    atomic_store_explicit(&p->at[who], -1, memory_order_relaxed);
}

/* Starts the next task and marks it done, when one may start: the task
 * after the last one started, if it is within the window (or the pool is
 * cancelled, when it is skipped). p->mu is held, and released while the
 * task runs. Returns whether a task was started. */
static bool run_next(hw_pool *p, unsigned who) {
    if (p->next >= p->n || (p->next >= p->taken + p->window && !p->cancel))
        return false;
    size_t i = p->next++;
    bool skip = p->cancel;
    pthread_mutex_unlock(&p->mu);
    if (!skip) {
        spread(p, who);
        p->run(p->ctx, i);
    }
    pthread_mutex_lock(&p->mu);
    p->done[i] = true;
    if (p->wants == i)
        pthread_cond_signal(&p->done_cv);
    return true;
}

/* Each thread is woken only when it can go on: a worker when the window
 * moves (or the pool is cancelled), the caller when its task is done or,
 * while it helps, when the window moves. A member serves p until no task is
 * left to start. */
static void serve(hw_pool *p, unsigned who) {
    pthread_mutex_lock(&p->mu);
    while (p->next < p->n) {
        if (!run_next(p, who)) {
            away(p, who);
            p->idle++;
            pthread_cond_wait(&p->work, &p->mu);
            p->idle--;
        }
    }
    away(p, who);
    pthread_mutex_unlock(&p->mu);
}

/* ---- The crew ---------------------------------------------------------------
 * A run over a folder starts one short pool after another (the files looked
 * up, the reading, the rules, the report), and a thread started for each
 * began its first task 0.05 to 0.15 ms late, in pools of 0.3 to 0.5 ms.
 * Workers are kept instead: a member that has served a pool watches for the
 * next one for CREW_WATCH_NS, then sleeps until one comes, until
 * hw_pool_crew_end. A pool takes the members that are free and the crew
 * grows by the ones it lacks (all serve another pool when a pool starts
 * inside a task of another). */
#define CREW_WATCH_NS 300000L

typedef struct {
    pthread_t thread;
    unsigned k;         /* its place in the crew */
    hw_pool *pool;      /* the pool to serve, NULL while free (crew.mu) */
    unsigned who;       /* its place among the threads of pool (crew.mu) */
    atomic_bool posted; /* pool is set: what a watching member reads */
} member;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t wake; /* free members sleep here */
    pthread_cond_t left; /* hw_pool_end waits here for its members */
    member **m;          /* each allocated once: its thread holds its address */
    unsigned n, cap;
    atomic_bool quit; /* hw_pool_crew_end: members end */
} crew = {.mu = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER,
          .left = PTHREAD_COND_INITIALIZER};

static long elapsed_ns(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000000000L + (t.tv_nsec - t0->tv_nsec);
}

/* Watches for a pool (or the end) for CREW_WATCH_NS: the next pool mostly
 * comes sooner than a sleeping thread would wake. */
static void watch(member *me) {
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned i = 1; !atomic_load_explicit(&me->posted, memory_order_acquire) &&
                         !atomic_load_explicit(&crew.quit, memory_order_relaxed);
         i++) {
        if (i % 64 == 0 && elapsed_ns(&t0) >= CREW_WATCH_NS)
            return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
}

static void *member_main(void *arg) {
    member *me = arg;
    unplace();
    for (;;) {
        watch(me);
        pthread_mutex_lock(&crew.mu);
        while (!me->pool && !crew.quit)
            pthread_cond_wait(&crew.wake, &crew.mu);
        hw_pool *p = me->pool;
        unsigned who = me->who;
        pthread_mutex_unlock(&crew.mu);
        if (!p)
            return NULL;
        step_aside(me->k, p->cpu);
        serve(p, who);
        pthread_mutex_lock(&crew.mu);
        me->pool = NULL;
        atomic_store_explicit(&me->posted, false, memory_order_relaxed);
        if (--p->members == 0)
            pthread_cond_broadcast(&crew.left);
        pthread_mutex_unlock(&crew.mu);
    }
}

/* Gives p up to want members, free ones first, then new ones; returns how
 * many it got. */
static unsigned crew_take(hw_pool *p, unsigned want) {
    unsigned got = 0;
    pthread_mutex_lock(&crew.mu);
    for (unsigned i = 0; i < crew.n && got < want; i++) {
        if (!crew.m[i]->pool) {
            crew.m[i]->pool = p;
            crew.m[i]->who = 1 + got;
            atomic_store_explicit(&crew.m[i]->posted, true, memory_order_release);
            got++;
        }
    }
    while (got < want) {
        if (crew.n == crew.cap) {
            crew.cap = crew.cap ? crew.cap * 2 : 4;
            crew.m = hw_xreallocarray(crew.m, crew.cap, sizeof *crew.m);
        }
        member *m = hw_xcalloc(1, sizeof *m);
        m->k = crew.n;
        m->pool = p;
        m->who = 1 + got;
        atomic_store_explicit(&m->posted, true, memory_order_release);
        if (!start_worker(&m->thread, crew.n, member_main, m)) {
            free(m);
            break;
        }
        crew.m[crew.n++] = m;
        got++;
    }
    p->members = got;
    if (got)
        pthread_cond_broadcast(&crew.wake);
    pthread_mutex_unlock(&crew.mu);
    return got;
}

void hw_pool_crew_end(void) {
    pthread_mutex_lock(&crew.mu);
    crew.quit = true;
    pthread_cond_broadcast(&crew.wake);
    unsigned n = crew.n;
    pthread_mutex_unlock(&crew.mu);
    for (unsigned i = 0; i < n; i++) {
        pthread_join(crew.m[i]->thread, NULL);
        free(crew.m[i]);
    }
    pthread_mutex_lock(&crew.mu);
    free(crew.m);
    crew.m = NULL;
    crew.n = crew.cap = 0;
    crew.quit = false;
    pthread_mutex_unlock(&crew.mu);
}

bool hw_pool_start(hw_pool *p, size_t n, unsigned jobs, size_t window, void (*run)(void *, size_t),
                   void *ctx) {
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    p->run = run;
    p->ctx = ctx;
    p->cpu = caller_cpu();
    p->n = n;
    p->wants = n;
    p->window = window ? window : 1;
    p->done = hw_xcalloc(n ? n : 1, sizeof *p->done);
    if (jobs > n)
        jobs = (unsigned)n;
    p->threads = jobs + 1;
    atomic_init(&p->moving, false);
    p->at = hw_xcalloc(p->threads, sizeof *p->at);
    for (unsigned t = 0; t <= jobs; t++)
        atomic_init(&p->at[t], -1);
    return jobs && crew_take(p, jobs) > 0;
}

/* Moves the window past task i (never back), waking the workers waiting
 * for it; p->mu is held. */
static void pass(hw_pool *p, size_t i) {
    if (i + 1 > p->taken) {
        p->taken = i + 1;
        if (p->idle)
            pthread_cond_broadcast(&p->work);
        if (p->helping)
            pthread_cond_signal(&p->done_cv);
    }
}

void hw_pool_take(hw_pool *p, size_t i) {
    pthread_mutex_lock(&p->mu);
    p->wants = i;
    while (!p->done[i])
        pthread_cond_wait(&p->done_cv, &p->mu);
    p->wants = p->n;
    pass(p, i);
    pthread_mutex_unlock(&p->mu);
}

void hw_pool_help(hw_pool *p, size_t i) {
    pthread_mutex_lock(&p->mu);
    while (!p->done[i]) {
        if (run_next(p, 0))
            continue;
        away(p, 0);
        p->wants = i;
        p->helping = true;
        pthread_cond_wait(&p->done_cv, &p->mu);
        p->helping = false;
        p->wants = p->n;
    }
    pass(p, i);
    pthread_mutex_unlock(&p->mu);
}

void hw_pool_release(hw_pool *p, size_t i) {
    pthread_mutex_lock(&p->mu);
    pass(p, i);
    pthread_mutex_unlock(&p->mu);
}

void hw_pool_cancel(hw_pool *p) {
    pthread_mutex_lock(&p->mu);
    p->cancel = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
}

void hw_pool_end(hw_pool *p) {
    hw_pool_cancel(p);
    pthread_mutex_lock(&crew.mu);
    while (p->members)
        pthread_cond_wait(&crew.left, &crew.mu);
    pthread_mutex_unlock(&crew.mu);
    free(p->done);
    free(p->at);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
}

void hw_pool_run(size_t n, unsigned jobs, void (*run)(void *, size_t), void *ctx) {
    if (jobs < 2 || n < 2) {
        for (size_t i = 0; i < n; i++)
            run(ctx, i);
        return;
    }
    /* The caller is one of the threads. */
    hw_pool p;
    hw_pool_start(&p, n, (jobs < n ? jobs : (unsigned)n) - 1, n, run, ctx);
    hw_pool_help(&p, n - 1);
    hw_pool_end(&p);
}
