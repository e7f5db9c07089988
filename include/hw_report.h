/* Report stage: input errors as they are found, then the findings and a
 * summary, as text for people or JSON for programs. */
#ifndef HW_REPORT_H
#define HW_REPORT_H

#include <stdio.h>

#include "hw_msg.h"
#include "hw_policy.h"
#include "hw_rules.h"
#include "hw_totals.h"

typedef enum {
    HW_FORMAT_TEXT = 0,
    HW_FORMAT_JSON,
    HW_FORMAT_GCC,    /* FILE:LINE:COL: error: MESSAGE [RULE] (src/report_ci.c) */
    HW_FORMAT_GITHUB, /* GitHub Actions workflow commands (src/report_ci.c) */
    HW_FORMAT_SARIF,  /* SARIF 2.1.0 (src/report_sarif.c) */
    HW_FORMAT_CSV,    /* findings or the overview for Excel (src/report_csv.c) */
    HW_FORMAT_HTML,   /* one self-contained page (src/report_html.c) */
} hw_format;

struct hw_report_writer;

/* The encoding of a CSV report: UTF-8 with a BOM (what Excel needs to see
 * Chinese), or GB18030 (what Excel on Chinese Windows reads by default). */
typedef enum { HW_OUT_UTF8 = 0, HW_OUT_GB18030 } hw_out_encoding;

/* The counts that close a report. */
typedef struct {
    size_t files;
    size_t rows;     /* data rows read (blank ones not counted) */
    size_t bad_rows; /* rows with at least one input error */
    size_t classes;
    size_t class_days;
    size_t findings;
    size_t breaches; /* findings of severity error */
    size_t warnings;
    size_t errors;    /* input errors */
    bool baseline;    /* a baseline was given (--baseline) */
    size_t baselined; /* findings left out because the baseline holds them */
    size_t unmatched; /* baseline entries that matched no finding */
} hw_summary;

/* A baseline entry that matched no finding (strings valid during the call). */
typedef struct {
    const char *baseline; /* the baseline file */
    const char *rule;
    const char *school; /* NULL: none */
    const char *cls;
    const char *date;     /* NULL for weekly findings */
    const char *week;     /* NULL for daily findings */
    const char *subject;  /* or NULL */
    const char *cap_rule; /* or NULL */
    const char *type;     /* or NULL */
    const char *message;  /* as the earlier report wrote it */
} hw_unmatched;

typedef struct {
    hw_format format;
    hw_lang lang;
    FILE *out;
    size_t nerrors; /* input errors written so far */
    bool in_findings;
    const struct hw_report_writer *writer; /* gcc, github and sarif */
    size_t nitems;                         /* items a writer has written so far */
    size_t nunmatched;                     /* baseline entries written so far */
    /* Set after hw_report_begin: */
    bool summary;                 /* --summary: the per-class overview (hw_overview.h) */
    hw_out_encoding out_encoding; /* CSV only */
    const hw_policy *policy;
    void *html;    /* the HTML report's state (report_html.c) */
    unsigned jobs; /* threads that may format text and JSON findings (0, 1: this one) */
} hw_report;

/* The format a name ("text", "json", "gcc", ...) stands for; false if none. */
bool hw_report_format_from_name(const char *name, hw_format *format);

/* Starts a report on out (which the caller keeps and closes). */
void hw_report_begin(hw_report *r, hw_format format, hw_lang lang, FILE *out, const hw_policy *p);
/* Writes one input error; fits hw_error_sink (ctx is the hw_report). */
void hw_report_input_error(void *report, const hw_input_error *e);
/* Writes the findings. */
void hw_report_findings(hw_report *r, const hw_totals *t, const hw_findings *f);
/* Writes one baseline entry that matched no finding (after the findings). */
void hw_report_unmatched(hw_report *r, const hw_unmatched *u);
/* The message of a finding in a language, appended to m. */
void hw_report_message(hw_buf *m, hw_lang lang, const hw_totals *t, const hw_finding *f);
/* Writes the summary and closes the report's structure. */
void hw_report_end(hw_report *r, const hw_summary *s);

#endif
