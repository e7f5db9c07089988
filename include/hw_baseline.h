/* Baselines: the findings of an earlier JSON report that a check leaves
 * out, so a register with old breaches fails only on new ones. A finding
 * matches an entry by rule, school, class, date or week, and where the rule
 * needs it subject, cap_rule or type; never by line, since rows move. */
#ifndef HW_BASELINE_H
#define HW_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "hw_msg.h"
#include "hw_report.h"
#include "hw_rules.h"
#include "hw_totals.h"

/* One finding of the earlier report. Strings are owned. */
typedef struct {
    char *key; /* the fields matched on, joined */
    bool used; /* a finding of this run matched it */
    char *rule, *school, *cls, *date, *week, *subject, *cap_rule, *type, *message;
    hw_strlist files; /* the files its rows came from, relative to the working directory */
} hw_baseline_entry;

typedef struct {
    char *path;
    hw_baseline_entry *entry; /* in the order of the file */
    size_t n;
    hw_baseline_entry **sorted; /* by key, for lookup */
} hw_baseline;

/* Reads a JSON report (--format json or --write-baseline) as a baseline. On
 * failure returns false, b is left empty and err holds the reason in lang. */
bool hw_baseline_load(hw_baseline *b, const char *path, hw_lang lang, hw_buf *err);
/* Frees what a baseline holds. */
void hw_baseline_free(hw_baseline *b);
/* Removes from f the findings the baseline holds (each entry matches at most
 * one finding) and updates f's counts. Returns how many were removed. */
size_t hw_baseline_apply(hw_baseline *b, const hw_totals *t, hw_findings *f);
/* Writes each entry that matched no finding to the report, in file order,
 * leaving out entries none of whose files were checked in this run (a check
 * of the changed files only says nothing about the others). Returns how many. */
size_t hw_baseline_report_unmatched(const hw_baseline *b, const hw_totals *t, hw_report *r);

#endif
