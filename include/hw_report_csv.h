/* The CSV report (--format csv): one row per finding with the fields of the
 * JSON report, or with --summary one row per class of the overview. Made for
 * Excel: UTF-8 with a BOM (or GB18030), CRLF line ends, RFC 4180 quoting. */
#ifndef HW_REPORT_CSV_H
#define HW_REPORT_CSV_H

#include "hw_report.h"
#include "hw_util.h"

/* Writes the whole CSV table to r->out. */
void hw_csv_findings(hw_report *r, const hw_totals *t, const hw_findings *f);
/* Appends one field, quoted when it holds a comma, quote, CR or LF; text that
 * Excel would run as a formula (starting with = + - @) gets a leading '. */
void hw_csv_field(hw_buf *row, const char *s, int first);
/* Appends one number field, never quoted. */
void hw_csv_number(hw_buf *row, const char *num, int first);

#endif
