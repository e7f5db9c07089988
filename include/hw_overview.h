/* The overview an academic office reads first: per class its days, highest
 * day, each ISO week's average, breaches and worst excess; then per grade and
 * per school. Built from the totals and findings, in an order that does not
 * depend on the order the input was read in. */
#ifndef HW_OVERVIEW_H
#define HW_OVERVIEW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hw_msg.h"
#include "hw_policy.h"
#include "hw_rules.h"
#include "hw_totals.h"

/* One ISO week that appears in the input. */
typedef struct {
    int iso_year, week;
    int32_t monday;
} hw_ov_week;

typedef struct {
    uint32_t cls; /* index in totals.cls */
    const char *school, *name;
    int grade;
    int64_t cap;               /* what a day's load is measured against (HW_NO_CAP: nothing) */
    bool cap_weekly;           /* cap is the weekly-average cap (the band has no daily one) */
    uint32_t first_day, ndays; /* its class-days: overview.days[first_day..+ndays), by date */
    int64_t max_day;           /* micro-minutes of written homework on its highest day */
    int32_t max_date;
    size_t breaches, warnings;
    int64_t worst;        /* the largest excess over a cap among its breaches; -1 when none */
    size_t first_finding; /* its findings: findings.item[first_finding..+nfindings) */
    size_t nfindings;
} hw_ov_class;

/* Totals of a grade or a school. */
typedef struct {
    int grade;          /* grade groups */
    const char *school; /* school groups */
    size_t classes, over, days, breaches;
    int64_t worst;
} hw_ov_group;

typedef struct {
    hw_ov_class *cls; /* worst first: most breaches, then largest excess, then name */
    size_t ncls;
    size_t over;      /* classes with at least one breach */
    uint32_t *days;   /* class-day indices, grouped by class (in cls order), by date */
    hw_ov_week *week; /* ascending */
    size_t nweeks;
    int64_t *week_sum;   /* [class * nweeks + week]: written micro-minutes */
    uint32_t *week_days; /* [class * nweeks + week]: dates that appear; 0 = none */
    int32_t *date;       /* every date that appears, ascending */
    size_t ndates;
    hw_ov_group *grade; /* worst first */
    size_t ngrades;
    hw_ov_group *school; /* worst first; none when no class names a school */
    size_t nschools;
} hw_overview;

/* Builds the overview; t and f must outlive it. Free with hw_overview_free. */
void hw_overview_build(hw_overview *o, const hw_policy *p, const hw_totals *t,
                       const hw_findings *f);
/* Frees what the overview holds. */
void hw_overview_free(hw_overview *o);
/* How far a breach goes over its cap (micro-minutes; the average for a week). */
int64_t hw_overview_excess(const hw_finding *f);
/* A week's label: "2026-W48". */
void hw_overview_week_label(const hw_ov_week *w, char out[16]);
/* The class's average written micro-minutes in week w, or -1 if it has no
 * dates in that week. */
int64_t hw_overview_week_avg(const hw_overview *o, size_t cls, size_t w);
/* Writes the overview as aligned tables for a terminal (CJK text counted as
 * two columns). */
void hw_overview_print(const hw_overview *o, hw_lang lang, FILE *out);
/* The overview as JSON: {"classes":[...],"grades":[...],"schools":[...]}. */
cJSON *hw_overview_json(const hw_overview *o);

#endif
