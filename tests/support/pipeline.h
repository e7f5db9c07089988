/* Test support: the whole pipeline (read, totals, rules, report) run as
 * hwcheck runs it, with the report written into a string. tests/unit/
 * test_parallel.c and fuzz/fuzz_pipeline.c compare reports made with it. */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>

#include "hw_decode.h"
#include "hw_policy.h"
#include "hw_report.h"

typedef struct {
    const hw_policy *policy;
    hw_encoding encoding;
    hw_lang lang;
    hw_format format;
    unsigned jobs;    /* threads that read, run the rules and format findings */
    size_t part_size; /* bytes per part of a split file; 0: the default */
    bool fill_down;   /* --fill-down */
} pipeline_opts;

typedef struct {
    char *text; /* the whole report, NUL-terminated; the caller frees it */
    size_t len;
    hw_summary summary; /* the counts that close the report */
} pipeline_result;

/* Checks paths[0..n) and reports on them. The program aborts if the string
 * cannot be made. */
void pipeline_run(const pipeline_opts *o, const char *const *paths, size_t n, pipeline_result *res);

#endif
