/* Rules stage: the totals and the policy in, findings out, in report order
 * (school, class, then date or week). */
#ifndef HW_RULES_H
#define HW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw_policy.h"
#include "hw_totals.h"

/* One breach or warning. */
typedef struct {
    hw_rule rule;
    hw_severity severity;
    uint32_t cls; /* index in totals.cls */
    int grade;
    bool weekly;
    int32_t date; /* the day; for a weekly finding, the Monday of the week */
    int iso_year, week;
    int64_t total;  /* micro-minutes: the day's total, or the sum over the week's dates */
    uint32_t ndays; /* what the total is divided by: 1 for a day, the days of a week */
    int64_t limit;  /* micro-minutes, HW_NO_CAP when the rule has none */
    uint32_t *rows; /* contributing rows (indices in totals.row), by file and line,
                       in the blocks of the findings that hold it */
    size_t nrows;
    uint32_t type;    /* unknown-type: the type text's string id */
    uint32_t subject; /* subject-cap and its near-cap: the subject's string id, else HW_NONE */
    hw_rule cap_rule; /* near-cap: the rule whose cap is near */
} hw_finding;

typedef struct {
    hw_finding *item;
    size_t n;
    size_t errors; /* findings of severity error (breaches) */
    size_t warnings;
    /* The findings' rows, a block at a time: a district's report holds
     * hundreds of thousands of findings of a few rows each. */
    uint32_t **block;
    size_t nblocks;
    uint32_t *next; /* the free room at the end of the last block */
    size_t left;
} hw_findings;

/* Applies every rule of the policy to the totals, which are settled
 * (hw_totals_settle; hw_check_files leaves them so): one class-day a class
 * and date. out is freed with hw_findings_free. */
void hw_rules_run(const hw_policy *p, const hw_totals *t, hw_findings *out);
/* hw_rules_run on up to jobs threads, each taking a share of the classes:
 * the same findings in the same order. */
void hw_rules_run_jobs(const hw_policy *p, const hw_totals *t, hw_findings *out, unsigned jobs);
/* Frees the findings. */
void hw_findings_free(hw_findings *f);
/* The minutes a finding reports (a day's total or a week's average), as a
 * double for JSON. */
double hw_finding_minutes(const hw_finding *f);
/* The micro-minutes a report shows for a finding: a day's total, or a
 * week's average rounded to the nearest micro-minute. */
int64_t hw_finding_shown(const hw_finding *f);
/* The date or week a finding is about: "2026-11-24" or "2026-W48". */
void hw_finding_when(const hw_finding *f, char out[16]);

/* What a finding is from one run to the next, whatever rows it holds or
 * where they stand: what a baseline matches on and a SARIF fingerprint
 * hashes. part[] is rule, school ("" for none), class, date or week (in
 * when), then subject, capped rule and type word, each NULL where the rule
 * has none; the first four are never NULL. The SARIF fingerprints that
 * code-scanning services keep are hashed from these parts: what they are
 * and their order do not change. */
#define HW_FINDING_ID_PARTS 7
typedef struct {
    char when[16];
    const char *part[HW_FINDING_ID_PARTS];
} hw_finding_id;
/* Fills id for finding f of the totals t (whose strings it points into). */
void hw_finding_identity(hw_finding_id *id, const hw_totals *t, const hw_finding *f);

#endif
