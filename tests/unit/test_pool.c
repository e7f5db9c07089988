/* The thread pool: every task runs once; the caller sees a task's result once
 * it has taken it; no task starts more than the window ahead of the last one
 * taken or released; a cancelled pool skips the tasks not started; a
 * caller that helps runs tasks itself, and all of them when no thread
 * started; threads are kept from one pool to the next, and a pool started
 * inside a task of another still gets its own; a worker may run on every
 * core the process may. */
#if defined(__linux__)
#define _GNU_SOURCE /* CPU sets */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hw_pool.h"

#define N 64

typedef struct {
    atomic_int runs[N];
    atomic_int started; /* tasks that have begun */
    atomic_int highest; /* the highest task begun, -1 for none */
    long result[N];
} tasks;

static void tasks_init(tasks *t) {
    for (int i = 0; i < N; i++)
        atomic_init(&t->runs[i], 0);
    atomic_init(&t->started, 0);
    atomic_init(&t->highest, -1);
    memset(t->result, 0, sizeof t->result);
}

static void run_task(void *ctx, size_t i) {
    tasks *t = ctx;
    atomic_fetch_add(&t->started, 1);
    int hi = atomic_load(&t->highest);
    while ((int)i > hi && !atomic_compare_exchange_weak(&t->highest, &hi, (int)i)) {
    }
    atomic_fetch_add(&t->runs[i], 1);
    t->result[i] = (long)i * (long)i;
}

/* Every task ran once. */
static void assert_each_ran_once(tasks *t) {
    for (int i = 0; i < N; i++)
        assert_int_equal(atomic_load(&t->runs[i]), 1);
}

/* Waits until n tasks have begun (the workers may be slow to start on a
 * busy machine), then gives them time to start more than they may. */
static void wait_started(tasks *t, int n) {
    struct timespec ts = {0, 1000 * 1000};
    for (int i = 0; i < 10000 && atomic_load(&t->started) < n; i++)
        nanosleep(&ts, NULL);
    ts.tv_nsec = 50 * 1000 * 1000;
    nanosleep(&ts, NULL);
}

static void test_every_task_runs_once(void **state) {
    (void)state;
    for (unsigned jobs = 1; jobs <= 4; jobs++) {
        tasks t;
        tasks_init(&t);
        hw_pool_run(N, jobs, run_task, &t);
        assert_each_ran_once(&t);
        for (int i = 0; i < N; i++)
            assert_int_equal(t.result[i], (long)i * i);
    }
}

/* Takes (or, with help, helps with) every task of p in order, checking that
 * each one's result is there once it is taken; then ends p. */
static void take_each_checked(hw_pool *p, tasks *t, bool help) {
    for (size_t i = 0; i < N; i++) {
        if (help)
            hw_pool_help(p, i);
        else
            hw_pool_take(p, i);
        assert_int_equal(t->result[i], (long)i * (long)i);
    }
    hw_pool_end(p);
}

static void test_taken_in_order_with_results(void **state) {
    (void)state;
    tasks t;
    tasks_init(&t);
    hw_pool p;
    assert_true(hw_pool_start(&p, N, 3, 4, run_task, &t));
    take_each_checked(&p, &t, false);
    assert_each_ran_once(&t);
}

/* Without a take, the workers stop at the window; a release moves it as a
 * take would, without waiting; then the rest runs to the end. */
static void test_window_and_release(void **state) {
    (void)state;
    tasks t;
    tasks_init(&t);
    hw_pool p;
    assert_true(hw_pool_start(&p, N, 2, 3, run_task, &t));
    wait_started(&t, 3);
    assert_int_equal(atomic_load(&t.highest), 2);
    hw_pool_release(&p, 0);
    wait_started(&t, 4);
    assert_int_equal(atomic_load(&t.highest), 3);
    hw_pool_release(&p, 1); /* released twice, by a take too: no harm */
    hw_pool_take(&p, 1);
    wait_started(&t, 5);
    assert_int_equal(atomic_load(&t.highest), 4);
    for (size_t i = 2; i < N; i++)
        hw_pool_take(&p, i);
    hw_pool_end(&p);
    assert_each_ran_once(&t);
}

static void test_cancel_skips_tasks_not_started(void **state) {
    (void)state;
    tasks t;
    tasks_init(&t);
    hw_pool p;
    assert_true(hw_pool_start(&p, N, 2, 2, run_task, &t));
    wait_started(&t, 2);
    hw_pool_cancel(&p);
    hw_pool_end(&p);
    assert_int_equal(atomic_load(&t.started), 2);
    assert_int_equal(atomic_load(&t.runs[0]), 1);
    assert_int_equal(atomic_load(&t.runs[1]), 1);
    assert_int_equal(atomic_load(&t.runs[2]), 0);
}

/* A pool without threads: the caller runs each task as it needs it. */
static void test_help_without_threads(void **state) {
    (void)state;
    tasks t;
    tasks_init(&t);
    hw_pool p;
    assert_false(hw_pool_start(&p, N, 0, 4, run_task, &t));
    for (size_t i = 0; i < N; i++) {
        hw_pool_help(&p, i);
        assert_int_equal(t.result[i], (long)i * (long)i);
        assert_int_equal(atomic_load(&t.highest), (int)i);
    }
    hw_pool_end(&p);
    assert_each_ran_once(&t);
}

typedef struct {
    tasks t;
    pthread_t caller;
    atomic_int by_caller; /* tasks the calling thread ran */
} helped;

static void run_slow_task(void *ctx, size_t i) {
    helped *h = ctx;
    struct timespec ts = {0, 200 * 1000};
    nanosleep(&ts, NULL);
    if (pthread_equal(pthread_self(), h->caller))
        atomic_fetch_add(&h->by_caller, 1);
    run_task(&h->t, i);
}

/* With a worker, the caller runs tasks too while it waits, and still sees
 * each result in order. */
static void test_caller_helps(void **state) {
    (void)state;
    helped h;
    tasks_init(&h.t);
    h.caller = pthread_self();
    atomic_init(&h.by_caller, 0);
    hw_pool p;
    assert_true(hw_pool_start(&p, N, 1, 2, run_slow_task, &h));
    take_each_checked(&p, &h.t, true);
    assert_each_ran_once(&h.t);
    assert_true(atomic_load(&h.by_caller) > 0);
    assert_true(atomic_load(&h.by_caller) < N);
}

/* Which thread ran each task, by its kernel id (a pthread_t is reused by
 * the next thread started once one has ended). */
typedef struct {
    pid_t by[N];
} threads_of;

static void note_thread(void *ctx, size_t i) {
    threads_of *t = ctx;
    struct timespec ts = {0, 100 * 1000};
    nanosleep(&ts, NULL); /* long enough for the worker to take some */
    t->by[i] = gettid();
}

/* A thread of the pool other than the caller (which helps), if one ran a task. */
static pid_t worker_of(const threads_of *t) {
    for (int i = 0; i < N; i++)
        if (t->by[i] != gettid())
            return t->by[i];
    return 0;
}

/* The worker of one pool serves the next, instead of a thread started anew. */
static void test_workers_kept_between_pools(void **state) {
    (void)state;
    threads_of a, b;
    hw_pool_run(N, 2, note_thread, &a);
    hw_pool_run(N, 2, note_thread, &b);
    assert_int_not_equal(worker_of(&a), 0);
    assert_int_equal(worker_of(&b), worker_of(&a));
    hw_pool_crew_end();
    tasks t; /* and pools work on after the crew has ended */
    tasks_init(&t);
    hw_pool_run(N, 2, run_task, &t);
    assert_each_ran_once(&t);
    hw_pool_crew_end();
}

static void run_inner_pool(void *ctx, size_t i) {
    tasks *inner = ctx;
    if (i == 0)
        hw_pool_run(N, 3, run_task, inner); /* while the crew serves the outer pool */
}

static void test_pool_inside_a_task(void **state) {
    (void)state;
    tasks inner;
    tasks_init(&inner);
    hw_pool_run(8, 3, run_inner_pool, &inner);
    assert_each_ran_once(&inner);
}

#if defined(__linux__) && defined(__GLIBC__)
#include <sched.h>

typedef struct {
    cpu_set_t process;
    atomic_int same; /* tasks whose thread may run where the process may */
} cores;

static void run_on_cores(void *ctx, size_t i) {
    (void)i;
    cores *c = ctx;
    cpu_set_t mine;
    if (sched_getaffinity(0, sizeof mine, &mine) == 0 && CPU_EQUAL(&mine, &c->process))
        atomic_fetch_add(&c->same, 1);
}

/* Workers start each on a core of its own, but are not kept there: a core
 * another program keeps busy must not hold a worker. */
static void test_workers_not_kept_on_one_core(void **state) {
    (void)state;
    cores c;
    assert_int_equal(sched_getaffinity(0, sizeof c.process, &c.process), 0);
    atomic_init(&c.same, 0);
    hw_pool_run(N, 4, run_on_cores, &c);
    assert_int_equal(atomic_load(&c.same), N);
}

/* Keeps the calling thread on core cpu; whether it could. */
static bool pin_to(int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0;
}

/* Puts the calling thread on core cpu, as Linux may at any wake or
 * balancing, and leaves it free to run on every core of process. */
static void move_to(int cpu, const cpu_set_t *process) {
    pin_to(cpu);
    sched_setaffinity(0, sizeof *process, process);
}

/* Sets process to the cores the process may run on; skips the test on
 * fewer than two. */
static void need_two_cores(cpu_set_t *process) {
    assert_int_equal(sched_getaffinity(0, sizeof *process, process), 0);
    if (CPU_COUNT(process) < 2)
        skip();
}

typedef struct {
    int here; /* the caller's core */
    cpu_set_t process;
    int cpu; /* where the task ran */
} woken;

static void note_cpu(void *ctx, size_t i) {
    (void)i;
    woken *w = ctx;
    w->cpu = sched_getcpu();
}

/* Moves the worker to the caller's core, as a balancing may have, and
 * leaves it free to run anywhere. */
static void go_to_caller(void *ctx, size_t i) {
    (void)i;
    woken *w = ctx;
    move_to(w->here, &w->process);
}

/* A worker that slept between pools serves the next on a core other than
 * its caller's, with the process's cores open to it. Woken, Linux mostly
 * puts it on the core of the caller that woke it, all the more when it
 * last ran there, and the two would take turns until a balancing moved
 * one. */
static void test_woken_worker_leaves_the_callers_core(void **state) {
    (void)state;
    woken w;
    need_two_cores(&w.process);
    w.here = sched_getcpu();
    assert_true(pin_to(w.here));
    int away = 0;
    for (int k = 0; k < 10; k++) {
        hw_pool p;
        assert_true(hw_pool_start(&p, 1, 1, 1, go_to_caller, &w));
        hw_pool_take(&p, 0);
        hw_pool_end(&p);
        usleep(2000); /* the worker sleeps: it watches for a pool 0.3 ms */
        w.cpu = -1;
        assert_true(hw_pool_start(&p, 1, 1, 1, note_cpu, &w));
        hw_pool_take(&p, 0);
        hw_pool_end(&p);
        away += w.cpu != w.here;
    }
    assert_int_equal(sched_setaffinity(0, sizeof w.process, &w.process), 0);
    hw_pool_crew_end();
    assert_int_equal(away, 10);
}

typedef struct {
    cpu_set_t process;
    pthread_t caller;
    atomic_int caller_cpu; /* where the caller began its latest task */
    int worker_tasks;      /* tasks the worker has begun */
    int worker_cpu;        /* where the worker began its second task, -1 if it did not */
    int caller_then;       /* where the caller was then */
} moved;

static void spin_ms(long ms) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do
        clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

/* The worker's first task moves it to the caller's core, as Linux may at
 * any wake, and leaves it free to run anywhere; its second notes where the
 * two are. */
static void run_moved(void *ctx, size_t i) {
    (void)i;
    moved *m = ctx;
    if (pthread_equal(pthread_self(), m->caller)) {
        atomic_store(&m->caller_cpu, sched_getcpu());
    } else {
        int k = m->worker_tasks++;
        if (k == 0) {
            move_to(atomic_load(&m->caller_cpu), &m->process);
        } else if (k == 1) {
            m->worker_cpu = sched_getcpu();
            m->caller_then = atomic_load(&m->caller_cpu);
        }
    }
    spin_ms(2);
}

/* Two threads of a pool put on one core in the middle of the pool are on
 * two before the next task: Linux left them taking turns on one core for up
 * to 11 ms of a 15 ms pool while the other core idled. The caller is kept
 * on its core, so that only the pool can part them. */
static void test_threads_put_on_one_core_part(void **state) {
    (void)state;
    moved m;
    need_two_cores(&m.process);
    m.caller = pthread_self();
    int apart = 0, served = 0;
    for (int k = 0; k < 10; k++) {
        int here = sched_getcpu();
        assert_true(pin_to(here));
        atomic_init(&m.caller_cpu, here);
        m.worker_tasks = 0;
        m.worker_cpu = -1;
        hw_pool p;
        assert_true(hw_pool_start(&p, 8, 1, 8, run_moved, &m));
        hw_pool_help(&p, 7);
        hw_pool_end(&p);
        if (m.worker_cpu >= 0) {
            served++;
            apart += m.worker_cpu != m.caller_then;
        }
    }
    assert_int_equal(sched_setaffinity(0, sizeof m.process, &m.process), 0);
    hw_pool_crew_end();
    assert_true(served >= 5);
    assert_int_equal(apart, served);
}
#endif

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_task_runs_once),
        cmocka_unit_test(test_taken_in_order_with_results),
        cmocka_unit_test(test_window_and_release),
        cmocka_unit_test(test_cancel_skips_tasks_not_started),
        cmocka_unit_test(test_help_without_threads),
        cmocka_unit_test(test_caller_helps),
        cmocka_unit_test(test_workers_kept_between_pools),
        cmocka_unit_test(test_pool_inside_a_task),
#if defined(__linux__) && defined(__GLIBC__)
        cmocka_unit_test(test_workers_not_kept_on_one_core),
        cmocka_unit_test(test_woken_worker_leaves_the_callers_core),
        cmocka_unit_test(test_threads_put_on_one_core_part),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
