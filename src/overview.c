#include "hw_overview.h"

#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_util.h"
#include "hw_width.h"

/* qsort has no context argument; the comparators read it from here. */
static const hw_totals *sort_t;
static const uint32_t *sort_pos; /* class index in the totals -> position in the overview */

static int cmp_names(const char *s1, const char *n1, const char *s2, const char *n2) {
    int c = strcmp(s1, s2);
    return c ? c : strcmp(n1, n2);
}

static int cmp_class(const void *a, const void *b) {
    const hw_ov_class *x = a, *y = b;
    if (x->breaches != y->breaches)
        return x->breaches > y->breaches ? -1 : 1;
    if (x->worst != y->worst)
        return x->worst > y->worst ? -1 : 1;
    return cmp_names(x->school, x->name, y->school, y->name);
}

static int cmp_group(const void *a, const void *b) {
    const hw_ov_group *x = a, *y = b;
    if (x->breaches != y->breaches)
        return x->breaches > y->breaches ? -1 : 1;
    if (x->worst != y->worst)
        return x->worst > y->worst ? -1 : 1;
    if (x->school && y->school)
        return strcmp(x->school, y->school);
    return (x->grade > y->grade) - (x->grade < y->grade);
}

static int cmp_day(const void *a, const void *b) {
    const hw_classday *x = &sort_t->day[*(const uint32_t *)a];
    const hw_classday *y = &sort_t->day[*(const uint32_t *)b];
    if (sort_pos[x->cls] != sort_pos[y->cls])
        return sort_pos[x->cls] < sort_pos[y->cls] ? -1 : 1;
    return (x->date > y->date) - (x->date < y->date);
}

static int cmp_date(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int64_t hw_overview_excess(const hw_finding *f) {
    return hw_finding_shown(f) - (f->limit == HW_NO_CAP ? 0 : f->limit);
}

void hw_overview_week_label(const hw_ov_week *w, char out[16]) {
    hw_format_week(w->iso_year, w->week, out);
}

static size_t week_index(const hw_overview *o, int32_t date) {
    int y, w;
    int32_t monday;
    hw_iso_week(date, &y, &w, &monday);
    size_t lo = 0, hi = o->nweeks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (o->week[mid].monday < monday)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int64_t hw_overview_week_avg(const hw_overview *o, size_t cls, size_t w) {
    uint32_t n = o->week_days[cls * o->nweeks + w];
    if (!n)
        return -1;
    return (o->week_sum[cls * o->nweeks + w] + n / 2) / n;
}

static int64_t class_cap(const hw_policy *p, int grade, bool *weekly) {
    const hw_band *b = hw_policy_band(p, grade);
    *weekly = false;
    if (!b)
        return HW_NO_CAP;
    if (!b->written_allowed)
        return 0;
    if (b->daily_cap != HW_NO_CAP)
        return b->daily_cap;
    *weekly = b->weekly_average_cap != HW_NO_CAP;
    return b->weekly_average_cap;
}

/* Adds a class to its group (found by grade, or by school when school). */
static void add_to_group(hw_ov_group **g, size_t *n, const hw_ov_class *c, bool school) {
    size_t i = 0;
    while (i < *n && (school ? strcmp((*g)[i].school, c->school) != 0 : (*g)[i].grade != c->grade))
        i++;
    if (i == *n) {
        *g = hw_xreallocarray(*g, *n + 1, sizeof **g);
        (*g)[i] = (hw_ov_group){c->grade, school ? c->school : NULL, 0, 0, 0, 0, -1};
        (*n)++;
    }
    hw_ov_group *x = &(*g)[i];
    x->classes++;
    x->over += c->breaches > 0;
    x->days += c->ndays;
    x->breaches += c->breaches;
    if (c->worst > x->worst)
        x->worst = c->worst;
}

void hw_overview_build(hw_overview *o, const hw_policy *p, const hw_totals *t,
                       const hw_findings *f) {
    memset(o, 0, sizeof *o);
    o->ncls = t->nclasses;
    o->cls = hw_xcalloc(o->ncls ? o->ncls : 1, sizeof *o->cls);
    for (uint32_t c = 0; c < t->nclasses; c++) {
        hw_ov_class *x = &o->cls[c];
        x->cls = c;
        x->school = hw_totals_str(t, t->cls[c].school);
        x->name = hw_totals_str(t, t->cls[c].name);
        x->grade = t->cls[c].grade;
        x->cap = class_cap(p, x->grade, &x->cap_weekly);
        x->worst = -1;
        x->max_day = -1;
    }
    for (size_t i = 0; i < f->n; i++) {
        const hw_finding *fi = &f->item[i];
        hw_ov_class *x = &o->cls[fi->cls];
        if (!x->nfindings)
            x->first_finding = i;
        x->nfindings++;
        if (fi->severity != HW_SEV_ERROR) {
            x->warnings++;
            continue;
        }
        x->breaches++;
        int64_t e = hw_overview_excess(fi);
        if (e > x->worst)
            x->worst = e;
    }
    for (uint32_t d = 0; d < t->ndays; d++)
        o->cls[t->day[d].cls].ndays++;
    qsort(o->cls, o->ncls, sizeof *o->cls, cmp_class);

    /* Class-days grouped by class in overview order, then by date. */
    uint32_t *pos = hw_xcalloc(t->nclasses ? t->nclasses : 1, sizeof *pos);
    for (size_t i = 0; i < o->ncls; i++)
        pos[o->cls[i].cls] = (uint32_t)i;
    o->days = hw_xcalloc(t->ndays ? t->ndays : 1, sizeof *o->days);
    for (uint32_t d = 0; d < t->ndays; d++)
        o->days[d] = d;
    sort_t = t;
    sort_pos = pos;
    qsort(o->days, t->ndays, sizeof *o->days, cmp_day);
    sort_t = NULL;
    sort_pos = NULL;

    /* Dates and weeks that appear. */
    o->date = hw_xcalloc(t->ndays ? t->ndays : 1, sizeof *o->date);
    for (uint32_t d = 0; d < t->ndays; d++)
        o->date[d] = t->day[d].date;
    qsort(o->date, t->ndays, sizeof *o->date, cmp_date);
    for (size_t i = 0; i < t->ndays; i++)
        if (o->ndates == 0 || o->date[o->ndates - 1] != o->date[i])
            o->date[o->ndates++] = o->date[i];
    o->week = hw_xcalloc(o->ndates ? o->ndates : 1, sizeof *o->week);
    for (size_t i = 0; i < o->ndates; i++) {
        hw_ov_week w;
        hw_iso_week(o->date[i], &w.iso_year, &w.week, &w.monday);
        if (o->nweeks == 0 || o->week[o->nweeks - 1].monday != w.monday)
            o->week[o->nweeks++] = w;
    }
    size_t cells = o->ncls * o->nweeks;
    o->week_sum = hw_xcalloc(cells ? cells : 1, sizeof *o->week_sum);
    o->week_days = hw_xcalloc(cells ? cells : 1, sizeof *o->week_days);

    uint32_t at = 0;
    for (size_t i = 0; i < o->ncls; i++) {
        hw_ov_class *x = &o->cls[i];
        x->first_day = at;
        for (uint32_t k = 0; k < x->ndays; k++) {
            const hw_classday *day = &t->day[o->days[at + k]];
            if (day->written > x->max_day) {
                x->max_day = day->written;
                x->max_date = day->date;
            }
            size_t w = week_index(o, day->date);
            o->week_sum[i * o->nweeks + w] += day->written;
            o->week_days[i * o->nweeks + w]++;
        }
        at += x->ndays;
        o->over += x->breaches > 0;
        add_to_group(&o->grade, &o->ngrades, x, false);
        if (*x->school)
            add_to_group(&o->school, &o->nschools, x, true);
    }
    free(pos);
    if (o->ngrades)
        qsort(o->grade, o->ngrades, sizeof *o->grade, cmp_group);
    if (o->nschools)
        qsort(o->school, o->nschools, sizeof *o->school, cmp_group);
}

void hw_overview_free(hw_overview *o) {
    free(o->cls);
    free(o->days);
    free(o->week);
    free(o->week_sum);
    free(o->week_days);
    free(o->date);
    free(o->grade);
    free(o->school);
    memset(o, 0, sizeof *o);
}

/* ---- the terminal tables ---- */

typedef struct {
    char **cell; /* row-major, ncols per row; row 0 is the header */
    size_t ncols, nrows, cap;
    const bool *right; /* per column */
} table;

/* Cells are appended one by one; n counts them. */
typedef struct {
    table tb;
    size_t n;
} builder;

static void put(builder *b, const char *s) {
    table *tb = &b->tb;
    if (b->n == tb->cap) {
        tb->cap = tb->cap ? tb->cap * 2 : 64;
        tb->cell = hw_xreallocarray(tb->cell, tb->cap, sizeof *tb->cell);
    }
    tb->cell[b->n++] = hw_xstrndup(s, strlen(s));
    tb->nrows = b->n / tb->ncols;
}

static void print_table(builder *b, FILE *out) {
    table *tb = &b->tb;
    size_t *w = hw_xcalloc(tb->ncols, sizeof *w);
    for (size_t i = 0; i < b->n; i++) {
        size_t cw = hw_text_width(tb->cell[i], strlen(tb->cell[i]));
        if (cw > w[i % tb->ncols])
            w[i % tb->ncols] = cw;
    }
    hw_buf line;
    hw_buf_init(&line);
    for (size_t r = 0; r < tb->nrows; r++) {
        hw_buf_clear(&line);
        for (size_t c = 0; c < tb->ncols; c++) {
            if (c)
                hw_buf_puts(&line, "  ");
            bool last = c + 1 == tb->ncols;
            const char *s = tb->cell[r * tb->ncols + c];
            if (tb->right[c])
                hw_buf_pad(&line, s, w[c], 1);
            else
                hw_buf_pad(&line, s, last ? 0 : w[c], 0);
        }
        while (line.len && line.data[line.len - 1] == ' ')
            line.data[--line.len] = '\0';
        fprintf(out, "%s\n", line.data);
        if (r == 0) {
            size_t total = 0;
            for (size_t c = 0; c < tb->ncols; c++)
                total += w[c] + (c ? 2 : 0);
            for (size_t i = 0; i < total; i++)
                fputc('-', out);
            fputc('\n', out);
        }
    }
    hw_buf_free(&line);
    for (size_t i = 0; i < b->n; i++)
        free(tb->cell[i]);
    free(tb->cell);
    free(w);
}

static void minutes(char out[32], int64_t umin) {
    if (umin < 0)
        strcpy(out, "-");
    else
        hw_format_minutes_text(umin, out);
}

static void excess(char out[32], int64_t umin) {
    if (umin < 0) {
        strcpy(out, "-");
        return;
    }
    char m[32];
    hw_format_minutes_text(umin, m);
    snprintf(out, 32, "+%.30s", m);
}

static void grade_label(char out[24], int grade, hw_lang lang) {
    snprintf(out, 24, lang == HW_LANG_ZH ? "%d年级" : "%d", grade);
}

/* More weeks than this are shown as one column: the highest week average. */
#define MAX_WEEK_COLUMNS 8

static void group_table(const hw_ov_group *g, size_t n, bool school, hw_lang lang, FILE *out) {
    bool zh = lang == HW_LANG_ZH;
    static const bool right[] = {false, true, true, true, true, true};
    builder b = {{NULL, 6, 0, 0, right}, 0};
    put(&b, school ? (zh ? "学校" : "School") : (zh ? "年级" : "Grade"));
    put(&b, zh ? "班级数" : "Classes");
    put(&b, zh ? "超标班级" : "Over");
    put(&b, zh ? "班级日" : "Class-days");
    put(&b, zh ? "超标次数" : "Breaches");
    put(&b, zh ? "最大超出" : "Worst excess");
    char s[32];
    for (size_t i = 0; i < n; i++) {
        if (school) {
            put(&b, g[i].school);
        } else {
            char gl[24];
            grade_label(gl, g[i].grade, lang);
            put(&b, gl);
        }
        snprintf(s, sizeof s, "%zu", g[i].classes);
        put(&b, s);
        snprintf(s, sizeof s, "%zu", g[i].over);
        put(&b, s);
        snprintf(s, sizeof s, "%zu", g[i].days);
        put(&b, s);
        snprintf(s, sizeof s, "%zu", g[i].breaches);
        put(&b, s);
        excess(s, g[i].worst);
        put(&b, s);
    }
    print_table(&b, out);
}

void hw_overview_print(const hw_overview *o, hw_lang lang, FILE *out) {
    bool zh = lang == HW_LANG_ZH;
    bool schools = o->nschools > 0;
    bool per_week = o->nweeks <= MAX_WEEK_COLUMNS;
    bool one_year = o->nweeks == 0 || o->week[0].iso_year == o->week[o->nweeks - 1].iso_year;
    size_t nweekcols = per_week ? o->nweeks : 1;
    size_t ncols = (schools ? 1 : 0) + 6 + nweekcols;
    bool *right = hw_xcalloc(ncols, sizeof *right);
    for (size_t c = (schools ? 1 : 0) + 2; c < ncols; c++)
        right[c] = true;
    builder b = {{NULL, ncols, 0, 0, right}, 0};
    if (schools)
        put(&b, zh ? "学校" : "School");
    put(&b, zh ? "班级" : "Class");
    put(&b, zh ? "年级" : "Grade");
    put(&b, zh ? "天数" : "Days");
    put(&b, zh ? "最高日" : "Highest day");
    char s[64], m[32];
    if (per_week) {
        for (size_t w = 0; w < o->nweeks; w++) {
            char wl[16];
            hw_overview_week_label(&o->week[w], wl);
            snprintf(s, sizeof s, zh ? "%s 日均" : "%s avg", one_year ? wl + 5 : wl);
            put(&b, s);
        }
    } else {
        put(&b, zh ? "最高周日均" : "Highest week avg");
    }
    put(&b, zh ? "超标次数" : "Breaches");
    put(&b, zh ? "最大超出" : "Worst excess");
    for (size_t i = 0; i < o->ncls; i++) {
        const hw_ov_class *x = &o->cls[i];
        if (schools)
            put(&b, x->school);
        put(&b, x->name);
        grade_label(s, x->grade, lang);
        put(&b, s);
        snprintf(s, sizeof s, "%u", x->ndays);
        put(&b, s);
        if (x->max_day > 0) {
            char date[11];
            hw_format_date(x->max_date, date);
            minutes(m, x->max_day);
            snprintf(s, sizeof s, "%s (%s)", m, date + 5);
        } else {
            strcpy(s, "0");
        }
        put(&b, s);
        int64_t top = -1;
        for (size_t w = 0; w < o->nweeks; w++) {
            int64_t avg = hw_overview_week_avg(o, i, w);
            if (per_week) {
                minutes(m, avg);
                put(&b, m);
            } else if (avg > top) {
                top = avg;
            }
        }
        if (!per_week) {
            minutes(m, top);
            put(&b, m);
        }
        snprintf(s, sizeof s, "%zu", x->breaches);
        put(&b, s);
        excess(m, x->worst);
        put(&b, m);
    }
    fputs(zh ? "各班情况（书面作业分钟数，超标最多的在前）\n"
             : "By class, worst first (minutes of written homework)\n",
          out);
    print_table(&b, out);
    free(right);
    fputs(zh ? "\n各年级汇总\n" : "\nBy grade\n", out);
    group_table(o->grade, o->ngrades, false, lang, out);
    if (schools) {
        fputs(zh ? "\n各学校汇总\n" : "\nBy school\n", out);
        group_table(o->school, o->nschools, true, lang, out);
    }
}

/* ---- JSON ---- */

static void add_minutes(cJSON *o, const char *key, int64_t umin) {
    if (umin < 0)
        hw_need(cJSON_AddNullToObject(o, key));
    else
        hw_need(cJSON_AddNumberToObject(o, key, (double)umin / 1e6));
}

static cJSON *group_json(const hw_ov_group *g, size_t n, bool school) {
    cJSON *a = hw_need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        cJSON *x = hw_need(cJSON_CreateObject());
        hw_need(cJSON_AddItemToArray(a, x) ? x : NULL);
        if (school)
            hw_need(cJSON_AddStringToObject(x, "school", g[i].school));
        else
            hw_need(cJSON_AddNumberToObject(x, "grade", g[i].grade));
        hw_need(cJSON_AddNumberToObject(x, "classes", (double)g[i].classes));
        hw_need(cJSON_AddNumberToObject(x, "classes_over", (double)g[i].over));
        hw_need(cJSON_AddNumberToObject(x, "class_days", (double)g[i].days));
        hw_need(cJSON_AddNumberToObject(x, "breaches", (double)g[i].breaches));
        add_minutes(x, "worst_excess", g[i].worst);
    }
    return a;
}

cJSON *hw_overview_json(const hw_overview *o) {
    cJSON *root = hw_need(cJSON_CreateObject());
    cJSON *classes = hw_need(cJSON_AddArrayToObject(root, "classes"));
    for (size_t i = 0; i < o->ncls; i++) {
        const hw_ov_class *c = &o->cls[i];
        cJSON *x = hw_need(cJSON_CreateObject());
        hw_need(cJSON_AddItemToArray(classes, x) ? x : NULL);
        if (*c->school)
            hw_need(cJSON_AddStringToObject(x, "school", c->school));
        else
            hw_need(cJSON_AddNullToObject(x, "school"));
        hw_need(cJSON_AddStringToObject(x, "class", c->name));
        hw_need(cJSON_AddNumberToObject(x, "grade", c->grade));
        hw_need(cJSON_AddNumberToObject(x, "days", c->ndays));
        cJSON *hi = hw_need(cJSON_AddObjectToObject(x, "highest_day"));
        char date[11];
        hw_format_date(c->max_date, date);
        hw_need(cJSON_AddStringToObject(hi, "date", date));
        add_minutes(hi, "minutes", c->max_day);
        cJSON *weeks = hw_need(cJSON_AddArrayToObject(x, "weeks"));
        for (size_t w = 0; w < o->nweeks; w++) {
            uint32_t n = o->week_days[i * o->nweeks + w];
            if (!n)
                continue;
            cJSON *wo = hw_need(cJSON_CreateObject());
            hw_need(cJSON_AddItemToArray(weeks, wo) ? wo : NULL);
            char wl[16];
            hw_overview_week_label(&o->week[w], wl);
            hw_need(cJSON_AddStringToObject(wo, "week", wl));
            hw_need(cJSON_AddNumberToObject(wo, "days", n));
            hw_need(cJSON_AddNumberToObject(wo, "average",
                                            (double)o->week_sum[i * o->nweeks + w] / n / 1e6));
        }
        hw_need(cJSON_AddNumberToObject(x, "breaches", (double)c->breaches));
        hw_need(cJSON_AddNumberToObject(x, "warnings", (double)c->warnings));
        add_minutes(x, "worst_excess", c->worst);
    }
    hw_need(cJSON_AddItemToObject(root, "grades", group_json(o->grade, o->ngrades, false)) ? root
                                                                                           : NULL);
    hw_need(cJSON_AddItemToObject(root, "schools", group_json(o->school, o->nschools, true))
                ? root
                : NULL);
    return root;
}
