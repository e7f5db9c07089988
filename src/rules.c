#include "hw_rules.h"

#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_pool.h"
#include "hw_util.h"

/* qsort has no context argument; the comparators read it from here. */
static const hw_totals *sort_totals;
static const uint32_t *sort_rank;

/* A string to sort: the first eight bytes as a number that orders as the
 * bytes do (zero after the string's end), so that most comparisons read
 * no string. */
typedef struct {
    uint64_t prefix;
    uint32_t id; /* in the totals' strings */
} str_key;

static uint64_t prefix(const char *s) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = v << 8 | (unsigned char)*s;
        s += *s != '\0';
    }
    return v;
}

static int cmp_str(const void *a, const void *b) {
    const str_key *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    return strcmp(hw_totals_str(sort_totals, x->id), hw_totals_str(sort_totals, y->id));
}

/* Ranks the distinct schools (school) or class names of t's classes in
 * byte order: sets rank[id] for each string id one names (rank holds
 * UINT32_MAX for each of t's strings) and returns how many there are. A
 * district has hundreds of schools and fewer class names than that, shared
 * by its 35,000 classes: sorting those replaces comparing classes by name. */
/* Class c's school (school) or name, as a string id. */
static uint32_t class_string(const hw_totals *t, uint32_t c, bool school) {
    return school ? t->cls[c].school : t->cls[c].name;
}

static uint32_t rank_strings(const hw_totals *t, bool school, uint32_t *rank) {
    str_key *key = hw_xcalloc(t->nclasses ? t->nclasses : 1, sizeof *key);
    uint32_t n = 0;
    for (uint32_t c = 0; c < t->nclasses; c++) {
        uint32_t id = class_string(t, c, school);
        if (rank[id] == UINT32_MAX) {
            rank[id] = 0;
            key[n++] = (str_key){prefix(hw_totals_str(t, id)), id};
        }
    }
    qsort(key, n, sizeof *key, cmp_str);
    for (uint32_t i = 0; i < n; i++)
        rank[key[i].id] = i;
    free(key);
    return n;
}

/* Moves classes from[0..n) to to[], stably, by the rank of their school
 * (school) or name; nranks ranks. */
static void count_classes(const hw_totals *t, const uint32_t *rank, uint32_t nranks, bool school,
                          const uint32_t *from, uint32_t *to) {
    uint32_t *at = hw_xcalloc((size_t)nranks + 1, sizeof *at);
    for (uint32_t i = 0; i < t->nclasses; i++)
        at[rank[class_string(t, from[i], school)] + 1]++;
    for (uint32_t r = 0; r < nranks; r++)
        at[r + 1] += at[r];
    for (uint32_t i = 0; i < t->nclasses; i++)
        to[at[rank[class_string(t, from[i], school)]]++] = from[i];
    free(at);
}

/* Each class's place in the report's order (by school, then class name,
 * byte by byte): the classes sorted by name, then stably by school. */
static uint32_t *class_ranks(const hw_totals *t) {
    uint32_t *srank = hw_xcalloc(t->strings.n ? t->strings.n : 1, sizeof *srank);
    uint32_t *nrank = hw_xcalloc(t->strings.n ? t->strings.n : 1, sizeof *nrank);
    memset(srank, 0xFF, t->strings.n * sizeof *srank);
    memset(nrank, 0xFF, t->strings.n * sizeof *nrank);
    uint32_t nschools = rank_strings(t, true, srank);
    uint32_t nnames = rank_strings(t, false, nrank);
    uint32_t *a = hw_xcalloc(t->nclasses ? t->nclasses : 1, sizeof *a);
    uint32_t *b = hw_xcalloc(t->nclasses ? t->nclasses : 1, sizeof *b);
    for (uint32_t c = 0; c < t->nclasses; c++)
        a[c] = c;
    count_classes(t, nrank, nnames, false, a, b);
    count_classes(t, srank, nschools, true, b, a);
    for (uint32_t i = 0; i < t->nclasses; i++)
        b[a[i]] = i;
    free(a);
    free(srank);
    free(nrank);
    return b;
}

static int cmp_day_date(const void *a, const void *b) {
    int32_t x = sort_totals->day[*(const uint32_t *)a].date;
    int32_t y = sort_totals->day[*(const uint32_t *)b].date;
    return (x > y) - (x < y);
}

/* The class-days in class order (rank), each class's by date. A class's
 * days are mostly created in date order, so they are counted into place by
 * class and sorted by date only where they are not in order already: a
 * million class-days take a few milliseconds instead of a comparison sort.
 * Whether a class's days are in order is seen as they are counted, in one
 * pass over the class-days as they lie: looking again through the class
 * order would cost a cache miss a class-day when they lie in no class
 * order (rows date by date, each day's in the order they were entered).
 * Where class-days are many, threads share the passes, each a stretch of
 * the class-days as they lie: placing a class-day is a cache miss when
 * they lie in no class order. */
/* What one thread counted of its stretch of class-days, for each rank. */
typedef struct {
    uint32_t *count;       /* its class-days of the rank, then where they go */
    int32_t *first, *last; /* the dates of its first and last of the rank */
    bool *unsorted;        /* its class-days of the rank out of date order */
} day_share;

typedef struct {
    const hw_totals *t;
    const uint32_t *rank;
    size_t nshares;
    day_share *share;
    uint32_t *days;
} day_sort;

/* Share k's class-days: from *lo to *hi. */
static void share_days(const day_sort *s, size_t k, uint32_t *lo, uint32_t *hi) {
    *lo = (uint32_t)((uint64_t)s->t->ndays * k / s->nshares);
    *hi = (uint32_t)((uint64_t)s->t->ndays * (k + 1) / s->nshares);
}

static void count_days(void *ctx, size_t k) {
    day_sort *s = ctx;
    const hw_classday *day = s->t->day;
    day_share *h = &s->share[k];
    uint32_t lo, hi;
    share_days(s, k, &lo, &hi);
    for (uint32_t d = lo; d < hi; d++) {
        uint32_t r = s->rank[day[d].cls];
        if (h->count[r]++ == 0)
            h->first[r] = day[d].date;
        else if (day[d].date < h->last[r])
            h->unsorted[r] = true;
        h->last[r] = day[d].date;
    }
}

static void place_days(void *ctx, size_t k) {
    day_sort *s = ctx;
    const hw_classday *day = s->t->day;
    uint32_t *next = s->share[k].count;
    uint32_t lo, hi;
    share_days(s, k, &lo, &hi);
    for (uint32_t d = lo; d < hi; d++)
        s->days[next[s->rank[day[d].cls]]++] = d;
}

static uint32_t *sort_days(const hw_totals *t, const uint32_t *rank, unsigned jobs) {
    size_t nclasses = t->nclasses ? t->nclasses : 1;
    day_sort s = {.t = t, .rank = rank, .nshares = jobs > 1 && t->ndays >= 4096 ? jobs : 1};
    s.share = hw_xcalloc(s.nshares, sizeof *s.share);
    for (size_t k = 0; k < s.nshares; k++)
        s.share[k] = (day_share){
            hw_xcalloc(nclasses, sizeof(uint32_t)), hw_xcalloc(nclasses, sizeof(int32_t)),
            hw_xcalloc(nclasses, sizeof(int32_t)), hw_xcalloc(nclasses, sizeof(bool))};
    hw_pool_run(s.nshares, jobs, count_days, &s);
    /* Where each share's class-days of a rank go, and whether a rank's
     * class-days are in date order across the shares too (gathered in the
     * first share's unsorted). */
    bool *unsorted = s.share[0].unsorted;
    uint32_t *start = hw_xcalloc(nclasses + 1, sizeof *start);
    for (uint32_t r = 0; r < t->nclasses; r++) {
        uint32_t at = start[r];
        const day_share *before = NULL; /* the last share with class-days of r */
        for (size_t k = 0; k < s.nshares; k++) {
            day_share *h = &s.share[k];
            uint32_t n = h->count[r];
            h->count[r] = at;
            at += n;
            if (!n)
                continue;
            if (h->unsorted[r] || (before && h->first[r] < before->last[r]))
                unsorted[r] = true;
            before = h;
        }
        start[r + 1] = at;
    }
    s.days = hw_xcalloc(t->ndays ? t->ndays : 1, sizeof *s.days);
    hw_pool_run(s.nshares, jobs, place_days, &s);
    for (uint32_t r = 0; r < t->nclasses; r++)
        if (unsorted[r])
            qsort(s.days + start[r], start[r + 1] - start[r], sizeof *s.days, cmp_day_date);
    for (size_t k = 0; k < s.nshares; k++) {
        free(s.share[k].count);
        free(s.share[k].first);
        free(s.share[k].last);
        free(s.share[k].unsorted);
    }
    free(s.share);
    free(start);
    return s.days;
}

static int cmp_row(const void *a, const void *b) {
    const hw_row_ref *x = &sort_totals->row[*(const uint32_t *)a];
    const hw_row_ref *y = &sort_totals->row[*(const uint32_t *)b];
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* Sorts n items of size sz as qsort would, by insertion when they are few
 * (and at most SORT_SMALL_SIZE bytes each). A finding holds a few rows, a
 * class a few findings, mostly in order already, and a district's report
 * holds hundreds of thousands of each: qsort's setup cost more than the
 * sorting. */
#define SORT_SMALL_MOST 16
#define SORT_SMALL_SIZE 128
_Static_assert(sizeof(hw_finding) <= SORT_SMALL_SIZE, "a finding is sorted in place");
static void sort_small(void *base, size_t n, size_t sz, int (*cmp)(const void *, const void *)) {
    if (n > SORT_SMALL_MOST || sz > SORT_SMALL_SIZE) {
        qsort(base, n, sz, cmp);
        return;
    }
    unsigned char *a = base, tmp[SORT_SMALL_SIZE];
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        if (cmp(a + (j - 1) * sz, a + i * sz) <= 0)
            continue;
        memcpy(tmp, a + i * sz, sz);
        do {
            memcpy(a + j * sz, a + (j - 1) * sz, sz);
            j--;
        } while (j > 0 && cmp(a + (j - 1) * sz, tmp) > 0);
        memcpy(a + j * sz, tmp, sz);
    }
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
    if (x->cap_rule != y->cap_rule)
        return x->cap_rule < y->cap_rule ? -1 : 1;
    return cmp_row(&x->rows[0], &y->rows[0]);
}

/* A finding whose rows are still to be collected (see wait_rows): the
 * written rows of days[0..n), or of day alone when days is NULL. */
typedef struct {
    size_t item; /* in out */
    const uint32_t *days;
    uint32_t n, day;
} waiting;

/* Where findings are collected while the rules run. */
typedef struct {
    const hw_policy *p;
    const hw_totals *t;
    hw_findings *out;
    size_t cap;
    waiting *wait; /* findings waiting for their rows */
    size_t nwait, capwait;
    size_t *sort; /* pairs (first finding, count) of classes to put in order */
    size_t nsort, capsort;
    uint32_t *link; /* room for walking the waiting findings' rows */
    size_t caplink;
} run;

/* A new finding of rule r on class c, or NULL when the policy turns r off. */
static hw_finding *add(run *R, hw_rule r, uint32_t c) {
    if (R->p->severity[r] == HW_SEV_OFF)
        return NULL;
    hw_findings *out = R->out;
    if (out->n == R->cap) {
        R->cap = R->cap ? R->cap * 2 : 16;
        out->item = hw_xreallocarray(out->item, R->cap, sizeof *out->item);
    }
    hw_finding *f = &out->item[out->n++];
    memset(f, 0, sizeof *f);
    f->rule = r;
    f->severity = R->p->severity[r];
    f->cls = c;
    f->grade = R->t->cls[c].grade;
    f->limit = HW_NO_CAP;
    f->ndays = 1;
    f->subject = HW_NONE;
    return f;
}

/* Rows a block of a hw_findings holds, unless a finding needs more. */
#define ROW_BLOCK ((size_t)16384)

/* Room for n rows (at least one) in the blocks of out. */
static uint32_t *take_rows(hw_findings *out, size_t n) {
    if (n == 0)
        n = 1;
    if (n > out->left) {
        size_t size = n > ROW_BLOCK ? n : ROW_BLOCK;
        out->block = hw_xreallocarray(out->block, out->nblocks + 1, sizeof *out->block);
        out->next = out->block[out->nblocks++] = hw_xmalloc(size * sizeof **out->block);
        out->left = size;
    }
    uint32_t *rows = out->next;
    out->next += n;
    out->left -= n;
    return rows;
}

/* Collects the written rows of days[0..n) (of one subject unless HW_NONE)
 * into f->rows, by file and line. */
static void collect_rows(run *R, const uint32_t *days, size_t n, uint32_t subject, hw_finding *f) {
    const hw_totals *t = R->t;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        for (uint32_t r = t->day[days[i]].first; r != HW_NONE; r = t->row[r].next)
            count++;
    f->rows = take_rows(R->out, count);
    for (size_t i = 0; i < n; i++)
        for (uint32_t r = t->day[days[i]].first; r != HW_NONE; r = t->row[r].next)
            if (subject == HW_NONE || t->row[r].subject == subject)
                f->rows[f->nrows++] = r;
    sort_small(f->rows, f->nrows, sizeof *f->rows, cmp_row);
}

/* Findings wait for their rows in batches of about this many. */
#define WAIT_BATCH 64

/* Finding f will hold the written rows of days[0..n) (of day alone when
 * days is NULL), collected in a batch (see collect_waiting). */
static void wait_rows(run *R, const hw_finding *f, const uint32_t *days, size_t n, uint32_t day) {
    if (R->nwait == R->capwait) {
        R->capwait = R->capwait ? R->capwait * 2 : WAIT_BATCH * 2;
        R->wait = hw_xreallocarray(R->wait, R->capwait, sizeof *R->wait);
    }
    R->wait[R->nwait++] = (waiting){(size_t)(f - R->out->item), days, (uint32_t)n, day};
}

/* Collects the rows of the findings waiting, then puts each class's
 * findings in order. A class-day's rows are a list linked across the whole
 * register: where rows came in no order of classes, each link is a cache
 * miss, one after the other. The lists of a batch are first walked a link
 * of each at a time, so that their misses overlap; collecting them then
 * finds their rows in the cache. */
static void collect_waiting(run *R) {
    const hw_totals *t = R->t;
    size_t nlinks = 0;
    for (size_t i = 0; i < R->nwait; i++)
        nlinks += R->wait[i].n;
    if (nlinks > R->caplink) {
        R->caplink = nlinks;
        R->link = hw_xreallocarray(R->link, nlinks, sizeof *R->link);
    }
    size_t live = 0;
    for (size_t i = 0; i < R->nwait; i++) {
        const waiting *w = &R->wait[i];
        for (uint32_t k = 0; k < w->n; k++) {
            uint32_t first = t->day[w->days ? w->days[k] : w->day].first;
            if (first != HW_NONE)
                R->link[live++] = first;
        }
    }
    while (live) {
        size_t kept = 0;
        for (size_t i = 0; i < live; i++) {
            uint32_t next = t->row[R->link[i]].next;
            if (next != HW_NONE)
                R->link[kept++] = next;
        }
        live = kept;
    }
    for (size_t i = 0; i < R->nwait; i++) {
        const waiting *w = &R->wait[i];
        hw_finding *f = &R->out->item[w->item];
        collect_rows(R, w->days ? w->days : &w->day, w->n, f->subject, f);
    }
    R->nwait = 0;
    for (size_t i = 0; i < R->nsort; i += 2)
        sort_small(R->out->item + R->sort[i], R->sort[i + 1], sizeof *R->out->item, cmp_finding);
    R->nsort = 0;
}

/* The count findings from first on, one class's, are to be put in order
 * once their rows are collected. */
static void sort_later(run *R, size_t first, size_t count) {
    if (R->nsort + 2 > R->capsort) {
        R->capsort = R->capsort ? R->capsort * 2 : WAIT_BATCH;
        R->sort = hw_xreallocarray(R->sort, R->capsort, sizeof *R->sort);
    }
    R->sort[R->nsort++] = first;
    R->sort[R->nsort++] = count;
}

/* Whether total (over div days) is within the policy's warning share of cap
 * without passing it; compared exactly in integers. */
static bool near_cap(const hw_policy *p, int64_t total, int64_t cap, int64_t div) {
    if (!p->warn_at_permille || cap <= 0 || total > cap * div)
        return false;
    return total * 1000 >= cap * div * p->warn_at_permille;
}

/* A per-day finding of rule r (or near-cap of r) on day d. */
static void day_finding(run *R, hw_rule r, bool near, uint32_t d, int64_t total, int64_t limit,
                        uint32_t subject) {
    const hw_classday *day = &R->t->day[d];
    hw_finding *f = add(R, near ? HW_RULE_NEAR_CAP : r, day->cls);
    if (!f)
        return;
    f->cap_rule = r;
    f->date = day->date;
    f->total = total;
    f->limit = limit;
    f->subject = subject;
    wait_rows(R, f, NULL, 1, d);
}

/* The subject caps of a band on one day: each subject's written minutes. */
static void subject_caps(run *R, const hw_band *band, uint32_t d) {
    const hw_totals *t = R->t;
    /* A day has few subjects: a list of (subject, total) in first-seen order. */
    size_t rows = 0;
    for (uint32_t r = t->day[d].first; r != HW_NONE; r = t->row[r].next)
        rows++;
    uint32_t *subj = hw_xcalloc(rows, sizeof *subj);
    int64_t *sum = hw_xcalloc(rows, sizeof *sum);
    size_t n = 0;
    for (uint32_t r = t->day[d].first; r != HW_NONE; r = t->row[r].next) {
        size_t k = 0;
        while (k < n && subj[k] != t->row[r].subject)
            k++;
        if (k == n) {
            subj[n] = t->row[r].subject;
            sum[n++] = 0;
        }
        sum[k] += t->row[r].umin;
    }
    for (size_t k = 0; k < n; k++) {
        const char *name = hw_totals_str(t, subj[k]);
        int64_t cap = hw_band_subject_cap(band, name, strlen(name));
        if (cap == HW_NO_CAP)
            continue;
        if (sum[k] > cap)
            day_finding(R, HW_RULE_SUBJECT_CAP, false, d, sum[k], cap, subj[k]);
        else if (near_cap(R->p, sum[k], cap, 1))
            day_finding(R, HW_RULE_SUBJECT_CAP, true, d, sum[k], cap, subj[k]);
    }
    free(subj);
    free(sum);
}

static void daily(run *R, const hw_band *band, uint32_t d) {
    const hw_classday *day = &R->t->day[d];
    int64_t written = day->written;
    if (!band->written_allowed) {
        if (written > 0)
            day_finding(R, HW_RULE_NO_WRITTEN, false, d, written, 0, HW_NONE);
        return;
    }
    if (written > 0 && R->p->free_weekdays && (R->p->free_weekdays & (1u << hw_weekday(day->date))))
        day_finding(R, HW_RULE_HOMEWORK_FREE_DAY, false, d, written, 0, HW_NONE);
    if (band->daily_cap != HW_NO_CAP) {
        if (written > band->daily_cap)
            day_finding(R, HW_RULE_DAILY_CAP, false, d, written, band->daily_cap, HW_NONE);
        else if (near_cap(R->p, written, band->daily_cap, 1))
            day_finding(R, HW_RULE_DAILY_CAP, true, d, written, band->daily_cap, HW_NONE);
    }
    if (band->nsubject_caps)
        subject_caps(R, band, d);
}

/* The Monday of the ISO week of a date (weeks run Monday to Sunday). */
static int32_t monday_of(int32_t date) {
    return date - (hw_weekday(date) - 1);
}

/* days[0..n) are one class's days of one ISO week, in date order. */
static void weekly(run *R, const hw_band *band, const uint32_t *days, size_t n) {
    const hw_totals *t = R->t;
    int64_t sum = 0;
    int64_t school_days = 0;
    for (size_t i = 0; i < n; i++) {
        sum += t->day[days[i]].written;
        school_days += hw_weekday(t->day[days[i]].date) <= 5;
    }
    int64_t div = (int64_t)n;
    if (band->weekly_average_over == HW_AVG_SCHOOL_DAYS && school_days > 0)
        div = school_days;
    else if (band->weekly_average_over == HW_AVG_SEVEN_DAYS)
        div = 7;
    int64_t cap = band->weekly_average_cap;
    /* average > cap, compared exactly as sum > cap * div */
    bool over = sum > cap * div;
    if (!over && !near_cap(R->p, sum, cap, div))
        return;
    const hw_classday *first = &t->day[days[0]];
    hw_finding *f = add(R, over ? HW_RULE_WEEKLY_AVERAGE : HW_RULE_NEAR_CAP, first->cls);
    if (!f)
        return;
    f->cap_rule = HW_RULE_WEEKLY_AVERAGE;
    f->weekly = true;
    hw_iso_week(first->date, &f->iso_year, &f->week, &f->date);
    f->total = sum;
    f->ndays = (uint32_t)div;
    f->limit = cap;
    wait_rows(R, f, days, n, 0);
}

/* How far ahead run_classes fetches class-days. */
#define DAYS_AHEAD 16

/* Applies the daily and weekly rules to the class-days days[from..to), whole
 * classes in class order, and leaves the findings in the order of the
 * report (cmp_finding). */
static void run_classes(run *R, const uint32_t *days, size_t from, size_t to) {
    const hw_totals *t = R->t;
    for (size_t i = from; i < to;) {
        uint32_t c = t->day[days[i]].cls;
        size_t end = i;
        while (end < to && t->day[days[end]].cls == c) {
            /* class-days that lie in no class order are fetched ahead */
            if (end + DAYS_AHEAD < to)
                __builtin_prefetch(&t->day[days[end + DAYS_AHEAD]]);
            end++;
        }
        const hw_band *band = hw_policy_band(R->p, t->cls[c].grade);
        size_t found = R->out->n;
        if (band) {
            for (size_t k = i; k < end; k++)
                daily(R, band, days[k]);
            if (band->weekly_average_cap != HW_NO_CAP) {
                for (size_t k = i; k < end;) {
                    /* one ISO week: the days with the same Monday */
                    int32_t monday = monday_of(t->day[days[k]].date);
                    size_t wend = k + 1;
                    while (wend < end && monday_of(t->day[days[wend]].date) == monday)
                        wend++;
                    weekly(R, band, days + k, wend - k);
                    k = wend;
                }
            }
        }
        /* The class's findings in report order: classes come in that order */
        if (R->out->n - found > 1)
            sort_later(R, found, R->out->n - found);
        if (R->nwait >= WAIT_BATCH)
            collect_waiting(R);
        i = end;
    }
    collect_waiting(R);
}

/* The classes cut into shares for threads: share k is the class-days
 * days[cut[k] .. cut[k + 1]), each with its own findings. */
typedef struct {
    const hw_policy *p;
    const hw_totals *t;
    const uint32_t *days;
    size_t *cut;
    hw_findings *part;
    hw_finding *all; /* where the shares' findings go, one after the other */
    size_t *at;      /* share k's go at all[at[k]] */
} shares;

static void run_share(void *ctx, size_t k) {
    shares *s = ctx;
    run R = {.p = s->p, .t = s->t, .out = &s->part[k]};
    run_classes(&R, s->days, s->cut[k], s->cut[k + 1]);
    free(R.wait);
    free(R.sort);
    free(R.link);
}

/* Moves share k's findings into place: a district's hundreds of thousands
 * of findings are tens of megabytes, copied (and their pages first
 * touched) on all threads. */
static void place_share(void *ctx, size_t k) {
    shares *s = ctx;
    if (s->part[k].n)
        memcpy(s->all + s->at[k], s->part[k].item, s->part[k].n * sizeof *s->all);
    free(s->part[k].item);
}

/* Gives the blocks of rows of from to out. */
static void take_blocks(hw_findings *out, hw_findings *from) {
    if (from->nblocks) {
        out->block = hw_xreallocarray(out->block, out->nblocks + from->nblocks, sizeof *out->block);
        memcpy(out->block + out->nblocks, from->block, from->nblocks * sizeof *out->block);
        out->nblocks += from->nblocks;
        out->left = 0; /* the last block is another's, full or not */
    }
    free(from->block);
}

void hw_rules_run(const hw_policy *p, const hw_totals *t, hw_findings *out) {
    hw_rules_run_jobs(p, t, out, 1);
}

void hw_rules_run_jobs(const hw_policy *p, const hw_totals *t, hw_findings *out, unsigned jobs) {
    memset(out, 0, sizeof *out);
    run R = {.p = p, .t = t, .out = out};
    sort_totals = t;
    uint32_t *rank = class_ranks(t);
    sort_rank = rank;

    uint32_t *days = sort_days(t, rank, jobs);

    /* A few shares a thread, cut where a class ends; the findings of each
     * come one after the other, as one thread would make them. */
    size_t nshares = jobs > 1 && t->ndays >= 4096 ? (size_t)jobs * 4 : 1;
    shares s = {.p = p,
                .t = t,
                .days = days,
                .cut = hw_xcalloc(nshares + 1, sizeof *s.cut),
                .part = hw_xcalloc(nshares, sizeof *s.part)};
    for (size_t k = 1; k < nshares; k++) {
        size_t at = t->ndays * k / nshares;
        if (at < s.cut[k - 1])
            at = s.cut[k - 1];
        while (at > s.cut[k - 1] && at < t->ndays &&
               t->day[days[at]].cls == t->day[days[at - 1]].cls)
            at++;
        s.cut[k] = at;
    }
    s.cut[nshares] = t->ndays;
    hw_pool_run(nshares, jobs, run_share, &s);
    s.at = hw_xcalloc(nshares, sizeof *s.at);
    for (size_t k = 0; k < nshares; k++) {
        s.at[k] = out->n;
        out->n += s.part[k].n;
    }
    if (out->n) {
        out->item = s.all = hw_xreallocarray(NULL, out->n, sizeof *out->item);
        R.cap = out->n;
    }
    hw_pool_run(nshares, jobs, place_share, &s);
    for (size_t k = 0; k < nshares; k++)
        take_blocks(out, &s.part[k]);
    free(s.at);
    free(s.cut);
    free(s.part);

    for (uint32_t i = 0; i < t->nnotes; i++) {
        const hw_type_note *note = &t->note[i];
        hw_finding *f = add(&R, HW_RULE_UNKNOWN_TYPE, note->cls);
        if (!f)
            continue;
        f->date = note->date;
        f->total = t->row[note->row].umin;
        f->type = note->type;
        f->rows = take_rows(out, 1);
        f->rows[0] = note->row;
        f->nrows = 1;
    }

    /* The shares' findings are in order (run_classes); notes of unknown
     * types come after them. */
    if (t->nnotes && out->n > 1)
        qsort(out->item, out->n, sizeof *out->item, cmp_finding);
    for (size_t i = 0; i < out->n; i++) {
        if (out->item[i].severity == HW_SEV_ERROR)
            out->errors++;
        else
            out->warnings++;
    }
    free(days);
    free(rank);
    sort_totals = NULL;
    sort_rank = NULL;
}

void hw_findings_free(hw_findings *f) {
    for (size_t i = 0; i < f->nblocks; i++)
        free(f->block[i]);
    free(f->block);
    free(f->item);
    memset(f, 0, sizeof *f);
}

double hw_finding_minutes(const hw_finding *f) {
    int64_t div = f->ndays ? (int64_t)f->ndays : 1;
    if (f->total % div == 0)
        return (double)(f->total / div) / 1e6;
    return (double)f->total / (double)div / 1e6;
}

int64_t hw_finding_shown(const hw_finding *f) {
    int64_t div = f->ndays ? (int64_t)f->ndays : 1;
    return (f->total + div / 2) / div;
}

void hw_finding_when(const hw_finding *f, char out[16]) {
    if (f->weekly)
        hw_format_week(f->iso_year, f->week, out);
    else
        hw_format_date(f->date, out);
}

void hw_finding_identity(hw_finding_id *id, const hw_totals *t, const hw_finding *f) {
    const hw_class *c = &t->cls[f->cls];
    hw_finding_when(f, id->when);
    id->part[0] = hw_rule_id(f->rule);
    id->part[1] = hw_totals_str(t, c->school);
    id->part[2] = hw_totals_str(t, c->name);
    id->part[3] = id->when;
    id->part[4] = f->subject != HW_NONE ? hw_totals_str(t, f->subject) : NULL;
    id->part[5] = f->rule == HW_RULE_NEAR_CAP ? hw_rule_id(f->cap_rule) : NULL;
    id->part[6] = f->rule == HW_RULE_UNKNOWN_TYPE ? hw_totals_str(t, f->type) : NULL;
}
