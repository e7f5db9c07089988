/* A pool of worker threads that run numbered tasks in order, a window of
 * them ahead of the caller: the reading of files and parts, the settling of
 * totals, the rules and the report on more than one core. */
#ifndef HW_POOL_H
#define HW_POOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* Runs run(ctx, i) for i in 0..n on worker threads, at most window tasks
 * ahead of the last one the caller has taken with hw_pool_take. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t work;    /* workers wait here for the window to move */
    pthread_cond_t done_cv; /* the caller waits here for its task */
    void (*run)(void *ctx, size_t i);
    void *ctx;
    size_t n, next, taken, window;
    bool *done;
    bool cancel;        /* tasks not started yet are skipped */
    size_t wants;       /* the task the caller waits for, or n when it does not wait */
    unsigned idle;      /* workers waiting for the window */
    bool helping;       /* the caller waits in hw_pool_help */
    unsigned members;   /* threads of the crew (kept between pools) serving it */
    int cpu;            /* the core the caller started it on; -1 when not known */
    unsigned threads;   /* the caller and the members */
    atomic_int *at;     /* the core each runs a task on, -1 while it waits */
    atomic_bool moving; /* a thread moves to another core */
} hw_pool;

/* Gives the pool up to jobs threads, those kept from earlier pools first
 * (see hw_pool_crew_end); false when none could be had (call hw_pool_end
 * all the same). */
bool hw_pool_start(hw_pool *p, size_t n, unsigned jobs, size_t window, void (*run)(void *, size_t),
                   void *ctx);
/* Waits for task i to be done and lets the workers go one task further. */
void hw_pool_take(hw_pool *p, size_t i);
/* As hw_pool_take, but the caller runs the tasks that may start while it
 * waits: a pool whose caller helps needs a thread less, and runs on the
 * calling thread alone when none could be started. */
void hw_pool_help(hw_pool *p, size_t i);
/* Lets the workers go on past task i, as hw_pool_take does, without waiting
 * for it: for tasks whose results a worker consumes. */
void hw_pool_release(hw_pool *p, size_t i);
/* Tasks not started yet are skipped. */
void hw_pool_cancel(hw_pool *p);
/* Waits for the threads and frees the pool. */
void hw_pool_end(hw_pool *p);
/* Runs run(ctx, i) for i in 0..n on up to jobs threads, the calling thread
 * one of them, and waits for all; on the calling thread alone, in order,
 * when jobs is 1 or no thread starts. */
void hw_pool_run(size_t n, unsigned jobs, void (*run)(void *, size_t), void *ctx);

/* Ends the threads kept between pools (once no pool runs), so that a
 * program ends with none; a later pool starts them again. */
void hw_pool_crew_end(void);

#endif
