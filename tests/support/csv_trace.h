/* Test support: a parse by the CSV stage rendered so that two parses compare
 * as byte strings. tests/unit/test_csv.c and fuzz/fuzz_csv.c hold the fast
 * path to libcsv with it. */
#ifndef CSV_TRACE_H
#define CSV_TRACE_H

#include <stddef.h>

#include "hw_csv.h"
#include "hw_util.h"

/* rows: each row as its line, then its overflow mark or each field's length
 * and bytes (so a field holding '|', a line end or NUL cannot pass for
 * another), then the status; trace: the reader's state after each feed,
 * which only parses in the same chunks can share. A row that breaks the
 * stage's promises (fields NUL-terminated, none when overflowing, none
 * marked plain that hw_fold would change) aborts. */
typedef struct {
    hw_buf rows;
    hw_buf trace;
} csv_trace;

/* Parses text in chunks of sizes[0], sizes[1], ... (cycled; all of it at
 * once when nsizes is 0), with the fast path on or off. */
void csv_trace_parse(const char *text, size_t len, const size_t *sizes, size_t nsizes, int fast,
                     csv_trace *res);
void csv_trace_free(csv_trace *res);
/* Whether two renderings are the same bytes. */
int csv_trace_same(const hw_buf *a, const hw_buf *b);
/* Writes to standard error what differs: the text, the chunks it was
 * parsed in (sizes[0..nsizes); none: all at once), and the renderings want
 * and got, at most 2000 bytes of each, with C escapes. */
void csv_trace_report(const char *what, const char *text, size_t len, const size_t *sizes,
                      size_t nsizes, const hw_buf *want, const hw_buf *got);

#endif
