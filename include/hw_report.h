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
} hw_format;

struct hw_report_writer;

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
    const struct hw_report_writer *writer; /* formats other than text and json */
    size_t nitems;                         /* items a writer has written so far */
    size_t nunmatched;                     /* baseline entries written so far */
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
/* Writes the summary and closes the report's structure. */
void hw_report_end(hw_report *r, const hw_summary *s);

#endif
