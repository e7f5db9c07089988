/* Test support: readable rows made by hand, as the record stage would give
 * them, for the tests that build totals without reading a file. */
#ifndef ROWS_H
#define ROWS_H

#include <stdint.h>

#include "hw_record.h"

/* A readable row. date is YYYY-MM-DD (the program aborts if it is not a
 * date), umin micro-minutes; a row of an unknown type reads "听写". The
 * strings are used in place, not copied. */
hw_record test_row(unsigned long line, const char *school, const char *cls, int grade,
                   const char *date, const char *subject, int64_t umin, hw_type_kind type);

#endif
