#include "hw_rules.h"

#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_util.h"

/* qsort has no context argument; the comparators read it from here. */
static const hw_totals *sort_totals;
static const uint32_t *sort_rank;

static int cmp_class(const void *a, const void *b) {
    const hw_class *x = &sort_totals->cls[*(const uint32_t *)a];
    const hw_class *y = &sort_totals->cls[*(const uint32_t *)b];
    int c = strcmp(hw_totals_str(sort_totals, x->school), hw_totals_str(sort_totals, y->school));
    if (c == 0)
        c = strcmp(hw_totals_str(sort_totals, x->name), hw_totals_str(sort_totals, y->name));
    return c;
}

static int cmp_day(const void *a, const void *b) {
    const hw_classday *x = &sort_totals->day[*(const uint32_t *)a];
    const hw_classday *y = &sort_totals->day[*(const uint32_t *)b];
    if (sort_rank[x->cls] != sort_rank[y->cls])
        return sort_rank[x->cls] < sort_rank[y->cls] ? -1 : 1;
    return (x->date > y->date) - (x->date < y->date);
}

static int cmp_row(const void *a, const void *b) {
    const hw_row_ref *x = &sort_totals->row[*(const uint32_t *)a];
    const hw_row_ref *y = &sort_totals->row[*(const uint32_t *)b];
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static int cmp_finding(const void *a, const void *b) {
    const hw_finding *x = a, *y = b;
    if (sort_rank[x->cls] != sort_rank[y->cls])
        return sort_rank[x->cls] < sort_rank[y->cls] ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->severity != y->severity)
        return x->severity < y->severity ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return cmp_row(&x->rows[0], &y->rows[0]);
}

static hw_finding *add(hw_findings *out, size_t *cap) {
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        out->item = hw_xreallocarray(out->item, *cap, sizeof *out->item);
    }
    hw_finding *f = &out->item[out->n++];
    memset(f, 0, sizeof *f);
    f->limit = HW_NO_CAP;
    return f;
}

/* Collects the written rows of days[0..n) into f->rows, by file and line. */
static void collect_rows(const hw_totals *t, const uint32_t *days, size_t n, hw_finding *f) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        for (uint32_t r = t->day[days[i]].first; r != HW_NONE; r = t->row[r].next)
            count++;
    f->rows = hw_xcalloc(count, sizeof *f->rows);
    for (size_t i = 0; i < n; i++)
        for (uint32_t r = t->day[days[i]].first; r != HW_NONE; r = t->row[r].next)
            f->rows[f->nrows++] = r;
    qsort(f->rows, f->nrows, sizeof *f->rows, cmp_row);
}

static void daily(const hw_policy *p, const hw_totals *t, const hw_band *band, uint32_t d,
                  hw_findings *out, size_t *cap) {
    const hw_classday *day = &t->day[d];
    hw_rule rule;
    int64_t limit;
    if (!band->written_allowed) {
        rule = HW_RULE_NO_WRITTEN;
        limit = 0;
    } else if (band->daily_cap != HW_NO_CAP) {
        rule = HW_RULE_DAILY_CAP;
        limit = band->daily_cap;
    } else {
        return;
    }
    if (day->written <= limit)
        return;
    hw_finding *f = add(out, cap);
    f->rule = rule;
    f->severity = p->severity[rule];
    f->cls = day->cls;
    f->grade = t->cls[day->cls].grade;
    f->date = day->date;
    f->total = day->written;
    f->ndays = 1;
    f->limit = limit;
    collect_rows(t, &d, 1, f);
}

/* days[0..n) are one class's days of one ISO week, in date order. */
static void weekly(const hw_policy *p, const hw_totals *t, const hw_band *band,
                   const uint32_t *days, size_t n, hw_findings *out, size_t *cap) {
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += t->day[days[i]].written;
    /* average > cap, compared exactly as sum > cap * n */
    if (sum <= band->weekly_average_cap * (int64_t)n)
        return;
    const hw_classday *first = &t->day[days[0]];
    hw_finding *f = add(out, cap);
    f->rule = HW_RULE_WEEKLY_AVERAGE;
    f->severity = p->severity[HW_RULE_WEEKLY_AVERAGE];
    f->cls = first->cls;
    f->grade = t->cls[first->cls].grade;
    f->weekly = true;
    hw_iso_week(first->date, &f->iso_year, &f->week, &f->date);
    f->total = sum;
    f->ndays = (uint32_t)n;
    f->limit = band->weekly_average_cap;
    collect_rows(t, days, n, f);
}

void hw_rules_run(const hw_policy *p, const hw_totals *t, hw_findings *out) {
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    uint32_t *order = hw_xcalloc(t->nclasses, sizeof *order);
    uint32_t *rank = hw_xcalloc(t->nclasses, sizeof *rank);
    for (uint32_t c = 0; c < t->nclasses; c++)
        order[c] = c;
    sort_totals = t;
    qsort(order, t->nclasses, sizeof *order, cmp_class);
    for (uint32_t i = 0; i < t->nclasses; i++)
        rank[order[i]] = i;
    sort_rank = rank;

    uint32_t *days = hw_xcalloc(t->ndays, sizeof *days);
    for (uint32_t d = 0; d < t->ndays; d++)
        days[d] = d;
    qsort(days, t->ndays, sizeof *days, cmp_day);

    for (size_t i = 0; i < t->ndays;) {
        uint32_t c = t->day[days[i]].cls;
        size_t end = i;
        while (end < t->ndays && t->day[days[end]].cls == c)
            end++;
        const hw_band *band = hw_policy_band(p, t->cls[c].grade);
        if (band) {
            for (size_t k = i; k < end; k++)
                daily(p, t, band, days[k], out, &cap);
            if (band->weekly_average_cap != HW_NO_CAP) {
                for (size_t k = i; k < end;) {
                    int y, w, y2, w2;
                    int32_t monday;
                    hw_iso_week(t->day[days[k]].date, &y, &w, &monday);
                    size_t wend = k + 1;
                    while (wend < end) {
                        hw_iso_week(t->day[days[wend]].date, &y2, &w2, &monday);
                        if (y2 != y || w2 != w)
                            break;
                        wend++;
                    }
                    weekly(p, t, band, days + k, wend - k, out, &cap);
                    k = wend;
                }
            }
        }
        i = end;
    }

    for (uint32_t i = 0; i < t->nnotes; i++) {
        const hw_type_note *note = &t->note[i];
        hw_finding *f = add(out, &cap);
        f->rule = HW_RULE_UNKNOWN_TYPE;
        f->severity = p->severity[HW_RULE_UNKNOWN_TYPE];
        f->cls = note->cls;
        f->grade = t->cls[note->cls].grade;
        f->date = note->date;
        f->total = t->row[note->row].umin;
        f->ndays = 1;
        f->type = note->type;
        f->rows = hw_xcalloc(1, sizeof *f->rows);
        f->rows[0] = note->row;
        f->nrows = 1;
    }

    if (out->n)
        qsort(out->item, out->n, sizeof *out->item, cmp_finding);
    for (size_t i = 0; i < out->n; i++) {
        if (out->item[i].severity == HW_SEV_ERROR)
            out->errors++;
        else
            out->warnings++;
    }
    free(days);
    free(order);
    free(rank);
    sort_totals = NULL;
    sort_rank = NULL;
}

void hw_findings_free(hw_findings *f) {
    for (size_t i = 0; i < f->n; i++)
        free(f->item[i].rows);
    free(f->item);
    memset(f, 0, sizeof *f);
}

double hw_finding_minutes(const hw_finding *f) {
    if (f->ndays <= 1 || f->total % (int64_t)f->ndays == 0)
        return (double)(f->total / (int64_t)(f->ndays ? f->ndays : 1)) / 1e6;
    return (double)f->total / (double)f->ndays / 1e6;
}
