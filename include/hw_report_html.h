/* The HTML report (--format html): one self-contained page (inline CSS and
 * SVG, no script, no network) that prints on A4: headline figures, a
 * class x day heat map of load against the cap, a stacked bar chart per class
 * in breach with its cap, and the findings with the rows behind each. */
#ifndef HW_REPORT_HTML_H
#define HW_REPORT_HTML_H

#include "hw_report.h"
#include "hw_util.h"

/* Sets up r->html. */
void hw_html_begin(hw_report *r);
/* Keeps an input error for the report's last section. */
void hw_html_input_error(hw_report *r, const hw_input_error *e);
/* Remembers the totals and findings (they must live until hw_html_end). */
void hw_html_findings(hw_report *r, const hw_totals *t, const hw_findings *f);
/* Writes the page and frees r->html. */
void hw_html_end(hw_report *r, const hw_summary *s);
/* Appends s[0..len) with & < > " ' escaped (invalid UTF-8 shown as U+FFFD). */
void hw_html_escape(hw_buf *b, const char *s, size_t len);

#endif
