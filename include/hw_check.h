/* The pipeline for a list of inputs: each file is opened, sniffed, decoded,
 * parsed as CSV, read into records and added to the totals. */
#ifndef HW_CHECK_H
#define HW_CHECK_H

#include <stddef.h>

#include "hw_decode.h"
#include "hw_msg.h"
#include "hw_policy.h"
#include "hw_progress.h"
#include "hw_totals.h"

typedef struct {
    const hw_policy *policy;
    hw_encoding encoding; /* HW_ENC_AUTO unless --encoding */
    hw_lang lang;
    hw_error_sink sink;    /* where input errors go */
    hw_progress *progress; /* told of rows as they are read, or NULL */
} hw_check_opts;

typedef struct {
    hw_check_opts opts;
    hw_totals totals;
    size_t files;
    size_t rows;     /* data rows read */
    size_t bad_rows; /* rows with an input error */
    size_t errors;   /* input errors reported */
} hw_check;

/* Starts a check; free with hw_check_free. */
void hw_check_init(hw_check *c, const hw_check_opts *opts);
/* Frees what a check holds. */
void hw_check_free(hw_check *c);
/* Reads one input ("-" is standard input) into the totals. Problems become
 * input errors; the check goes on with the next file. */
void hw_check_file(hw_check *c, const char *path);

#endif
