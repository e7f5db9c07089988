/* One run of hwcheck: the options of the command line, and what is done
 * with them (policy, inputs, the pipeline, reports, the exit status). */
#ifndef HW_RUN_H
#define HW_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "hw_decode.h"
#include "hw_msg.h"
#include "hw_policy.h"
#include "hw_report.h"

/* What the command line asks for; main.c fills it. */
typedef struct {
    hw_format format;
    hw_lang lang;
    hw_encoding encoding;
    const char *output;
    const char *policy_file; /* --policy */
    const char *preset;      /* --preset */
    bool print_policy;
    bool list_presets;
    const char *baseline;       /* --baseline */
    const char *write_baseline; /* --write-baseline */
    hw_severity fail_on;        /* the least severity that sets exit status 1; OFF: none */
    unsigned jobs;              /* -j: threads */
    char **files;
    size_t nfiles;
    const char *files_from; /* --files-from: a list of paths, "-" for standard input */
    bool summary;
    bool fill_down; /* --fill-down */
    hw_out_encoding out_encoding;
} hw_options;

/* Runs hwcheck as the options say; returns the exit status (0, 1 or 2). */
int hw_run(const hw_options *o);

/* Prints a usage error ("hwcheck: WHAT: ARG" and a pointer to --help) on
 * standard error in the language asked for; returns 2, the exit status. */
int hw_usage_error(hw_lang lang, const char *what, const char *arg);

#endif
