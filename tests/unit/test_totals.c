/* Totals: classes told apart by their bytes, and totals read in parts and
 * merged (class-days settled once, on one thread or several) equal to the
 * same rows added one by one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_totals.h"
#include "hw_util.h"
#include "rows.h"

/* A register's rows, some dates out of order and classes mixed. */
typedef struct {
    const char *school, *cls;
    int grade;
    const char *date, *subject;
    int minutes;
    hw_type_kind type;
} row_spec;

static const row_spec rows[] = {
    {"一小", "三年级(1)班", 3, "2026-11-23", "语文", 20, HW_TYPE_WRITTEN},
    {"一小", "三年级(1)班", 3, "2026-11-23", "数学", 15, HW_TYPE_WRITTEN},
    {"一小", "三年级(2)班", 3, "2026-11-23", "语文", 10, HW_TYPE_NOT_WRITTEN},
    {"一小", "三年级(1)班", 3, "2026-11-25", "英语", 5, HW_TYPE_WRITTEN},
    {"二小", "三年级(1)班", 4, "2026-11-24", "语文", 25, HW_TYPE_WRITTEN},
    {"一小", "三年级(1)班", 3, "2026-11-24", "数学", 30, HW_TYPE_WRITTEN},
    {"一小", "三年级(2)班", 3, "2026-11-25", "数学", 12, HW_TYPE_UNKNOWN},
    {"一小", "三年级(1)班", 3, "2026-11-23", "科学", 7, HW_TYPE_WRITTEN},
    {"二小", "三年级(1)班", 4, "2026-11-23", "数学", 40, HW_TYPE_WRITTEN},
    {"一小", "三年级(2)班", 3, "2026-11-23", "英语", 9, HW_TYPE_WRITTEN},
    {"二小", "三年级(1)班", 4, "2026-11-24", "英语", 11, HW_TYPE_NOT_WRITTEN},
    {"一小", "三年级(1)班", 3, "2026-11-24", "语文", 8, HW_TYPE_WRITTEN},
};
#define NROWS (sizeof rows / sizeof *rows)

/* Adds rows[from..to) to t, as lines from + 2 on (line 1 is the header). */
static void add_rows(hw_totals *t, size_t from, size_t to, unsigned long first_line) {
    for (size_t i = from; i < to; i++) {
        const row_spec *r = &rows[i];
        hw_record rec = test_row(first_line + (i - from), r->school, r->cls, r->grade, r->date,
                                 r->subject, (int64_t)r->minutes * 1000000, r->type);
        hw_totals_add(t, 0, &rec);
    }
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every class-day of t, one line each, sorted: class, date, written minutes
 * and its rows (line:subject) in the order they are chained. */
static char *dump(const hw_totals *t) {
    char **line = calloc(t->ndays ? t->ndays : 1, sizeof *line);
    assert_non_null(line);
    for (uint32_t d = 0; d < t->ndays; d++) {
        const hw_classday *day = &t->day[d];
        const hw_class *c = &t->cls[day->cls];
        hw_buf b;
        hw_buf_init(&b);
        hw_buf_printf(&b, "%s/%s g%d %d %lld:", hw_totals_str(t, c->school),
                      hw_totals_str(t, c->name), c->grade, (int)day->date,
                      (long long)day->written / 1000000);
        for (uint32_t r = day->first; r != HW_NONE; r = t->row[r].next)
            hw_buf_printf(&b, " %u:%s", t->row[r].line, hw_totals_str(t, t->row[r].subject));
        line[d] = b.data;
    }
    qsort(line, t->ndays, sizeof *line, cmp_str);
    hw_buf all;
    hw_buf_init(&all);
    for (uint32_t d = 0; d < t->ndays; d++) {
        hw_buf_printf(&all, "%s\n", line[d]);
        free(line[d]);
    }
    free(line);
    hw_buf_printf(&all, "rows %u notes %u classes %u\n", t->nrows, t->nnotes, t->nclasses);
    return all.data;
}

/* The rows added one by one, as one thread reads them, then settled. */
static char *serial_dump(void) {
    hw_totals t;
    hw_totals_init(&t);
    hw_totals_add_file(&t, "a.csv");
    add_rows(&t, 0, NROWS, 2);
    add_rows(&t, 0, NROWS, 100);
    hw_totals_settle(&t);
    char *s = dump(&t);
    hw_totals_free(&t);
    return s;
}

/* Settles t a range of classes at a time, the last range first (the ranges
 * are settled and placed in any order, on any threads). */
static void settle_backwards(hw_totals *t) {
    /* NULL when every class-day went in place (classes new to dst). */
    hw_settle *s = hw_totals_settle_begin(t);
    for (size_t i = hw_totals_settle_parts(s); i-- > 0;)
        hw_totals_settle_part(s, i);
    for (size_t i = hw_totals_settle_parts(s); i-- > 0;)
        hw_totals_settle_place(s, i);
    hw_totals_settle_end(s);
    assert_int_equal(t->npend, 0);
    assert_false(t->unsettled);
}

/* The rows cut into parts at cut[0..ncuts), each read on its own (merge_only,
 * settled or not), merged in order and settled; then the rows once more,
 * added one by one to what the merge left (a class's latest class-day must
 * be right), and settled. */
static char *parts_dump(const size_t *cut, size_t ncuts, bool settle_parts) {
    hw_totals dst;
    hw_totals_init(&dst);
    hw_totals_add_file(&dst, "a.csv");
    size_t from = 0;
    for (size_t k = 0; k <= ncuts; k++) {
        size_t to = k < ncuts ? cut[k] : NROWS;
        hw_totals part;
        hw_totals_init(&part);
        part.merge_only = true;
        hw_totals_add_file(&part, "a.csv");
        add_rows(&part, from, to, 1);
        if (settle_parts)
            hw_totals_settle(&part);
        assert_true(hw_totals_merge(&dst, &part, 0, from + 1));
        hw_totals_free(&part);
        from = to;
    }
    settle_backwards(&dst);
    add_rows(&dst, 0, NROWS, 100);
    hw_totals_settle(&dst);
    char *d = dump(&dst);
    hw_totals_free(&dst);
    return d;
}

static void test_parts_merged_equal_rows_added(void **state) {
    (void)state;
    char *want = serial_dump();
    /* Two classes of the same name in two schools, one class-day made only
     * by a row that is not written, rows in reading order within a day. */
    assert_non_null(strstr(want, "二小/三年级(1)班 g4"));
    assert_non_null(strstr(want, "一小/三年级(2)班 g3 20780 18: 11:英语 109:英语\n"));
    assert_non_null(strstr(
        want, "一小/三年级(1)班 g3 20780 84: 2:语文 3:数学 9:科学 100:语文 101:数学 107:科学\n"));
    static const size_t cuts[][3] = {{1, 5, 9}, {6, 6, 6}, {2, 3, 11}, {11, 11, 11}, {12, 12, 12}};
    for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
        for (int settle_parts = 0; settle_parts < 2; settle_parts++) {
            char *got = parts_dump(cuts[k], 3, settle_parts);
            if (strcmp(got, want) != 0)
                fail_msg("cuts %zu, parts settled %d:\n--- want\n%s--- got\n%s", k, settle_parts,
                         want, got);
            free(got);
        }
    }
    free(want);
}

/* Row i of a register of MANY_CLASSES classes (more than two ranges of the
 * settle), each with rows on four dates, the rows in a scrambled order. */
#define MANY_CLASSES 300
#define MANY_ROWS (MANY_CLASSES * 8)
static void add_many(hw_totals *t, size_t from, size_t to, unsigned long first_line) {
    static const char *const dates[] = {"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"};
    static const char *const subjects[] = {"语文", "数学"};
    for (size_t i = from; i < to; i++) {
        size_t k = (i * 1237) % MANY_ROWS; /* 1237 is prime to MANY_ROWS: each k once */
        char cls[32];
        snprintf(cls, sizeof cls, "五年级(%zu)班", k % MANY_CLASSES);
        hw_record rec = test_row(first_line + (i - from), "三小", cls, 5,
                                 dates[(k / MANY_CLASSES) % 4], subjects[k / (4 * MANY_CLASSES)],
                                 (int64_t)(k % 17 + 1) * 1000000, HW_TYPE_WRITTEN);
        hw_totals_add(t, 0, &rec);
    }
}

static void test_many_classes_merged_equal_rows_added(void **state) {
    (void)state;
    hw_totals one;
    hw_totals_init(&one);
    hw_totals_add_file(&one, "a.csv");
    add_many(&one, 0, MANY_ROWS, 2);
    settle_backwards(&one);
    assert_int_equal(one.ndays, MANY_CLASSES * 4);
    char *want = dump(&one);
    hw_totals_free(&one);
    static const size_t cuts[] = {0, 100, 700, 701, 1500, 2300, MANY_ROWS};
    hw_totals dst;
    hw_totals_init(&dst);
    hw_totals_add_file(&dst, "a.csv");
    for (size_t k = 0; k + 1 < sizeof cuts / sizeof *cuts; k++) {
        hw_totals part;
        hw_totals_init(&part);
        part.merge_only = true;
        hw_totals_add_file(&part, "a.csv");
        /* room made for classes before some are added, and after, as the
         * parts of a file do from the parts before them: nothing changes */
        size_t half = cuts[k] + (cuts[k + 1] - cuts[k]) / 2;
        hw_totals_reserve_classes(&part, 40 * k, 300 * k);
        add_many(&part, cuts[k], half, 1);
        hw_totals_reserve_classes(&part, part.nclasses + 70 * k, part.nckey + 900 * k);
        add_many(&part, half, cuts[k + 1], 1 + half - cuts[k]);
        assert_true(hw_totals_merge(&dst, &part, 0, cuts[k] + 1));
        hw_totals_free(&part);
    }
    assert_true(dst.npend > 0);
    settle_backwards(&dst);
    char *got = dump(&dst);
    assert_string_equal(got, want);
    /* settled: each class's class-days by date, the classes in order */
    for (uint32_t d = 1; d < dst.ndays; d++) {
        assert_true(dst.day[d - 1].cls <= dst.day[d].cls);
        if (dst.day[d - 1].cls == dst.day[d].cls)
            assert_true(dst.day[d - 1].date < dst.day[d].date);
    }
    for (uint32_t c = 0; c < dst.nclasses; c++)
        assert_int_equal(dst.day[dst.cls[c].top_day].cls, c);
    free(want);
    free(got);
    hw_totals_free(&dst);
}

static void test_settle_sorts_class_days_by_class_and_date(void **state) {
    (void)state;
    hw_totals t;
    hw_totals_init(&t);
    t.merge_only = true;
    hw_totals_add_file(&t, "a.csv");
    add_rows(&t, 0, NROWS, 2);
    /* Out of order, a date before a class's latest makes a class-day apart. */
    uint32_t before = t.ndays;
    hw_totals_settle(&t);
    assert_true(t.ndays < before);
    for (uint32_t d = 1; d < t.ndays; d++) {
        assert_true(t.day[d - 1].cls <= t.day[d].cls);
        if (t.day[d - 1].cls == t.day[d].cls)
            assert_true(t.day[d - 1].date < t.day[d].date);
    }
    /* The latest class-day of each class is known again: a row of that date
     * adds to it; one of a date in between makes a class-day apart, which
     * the next settle joins to its own. */
    uint32_t n = t.ndays;
    hw_record rec =
        test_row(50, "一小", "三年级(1)班", 3, "2026-11-25", "语文", 1000000, HW_TYPE_WRITTEN);
    hw_totals_add(&t, 0, &rec);
    assert_int_equal(t.ndays, n);
    assert_false(t.unsettled);
    rec = test_row(51, "一小", "三年级(1)班", 3, "2026-11-24", "语文", 1000000, HW_TYPE_WRITTEN);
    hw_totals_add(&t, 0, &rec);
    assert_int_equal(t.ndays, n + 1);
    assert_true(t.unsettled);
    hw_totals_settle(&t);
    assert_int_equal(t.ndays, n);
    hw_totals_free(&t);
}

static void test_merge_refuses_other_grade(void **state) {
    (void)state;
    hw_totals dst, src;
    hw_totals_init(&dst);
    hw_totals_init(&src);
    hw_totals_add_file(&dst, "a.csv");
    hw_totals_add_file(&src, "a.csv");
    src.merge_only = true;
    add_rows(&dst, 0, 4, 2);
    hw_record rec =
        test_row(1, "一小", "三年级(2)班", 3, "2026-11-26", "语文", 1000000, HW_TYPE_WRITTEN);
    hw_totals_add(&src, 0, &rec);
    rec = test_row(2, "一小", "三年级(1)班", 5, "2026-11-26", "语文", 1000000, HW_TYPE_WRITTEN);
    hw_totals_add(&src, 0, &rec);
    uint32_t nrows = dst.nrows, nclasses = dst.nclasses, ndays = dst.ndays;
    assert_false(hw_totals_merge(&dst, &src, 0, 10));
    assert_int_equal(dst.nrows, nrows);
    assert_int_equal(dst.nclasses, nclasses);
    assert_int_equal(dst.ndays, ndays);
    assert_int_equal(dst.npend, 0);
    hw_totals_free(&src);

    /* A grade noted for a class the part had no readable row of counts too. */
    hw_totals_init(&src);
    hw_totals_add_file(&src, "a.csv");
    rec = test_row(3, "一小", "三年级(1)班", 4, "2026-11-26", "语文", 1000000, HW_TYPE_WRITTEN);
    hw_totals_note_grade(&src, &rec);
    assert_false(hw_totals_merge(&dst, &src, 0, 10));
    rec.grade = 3;
    hw_totals_free(&src);
    hw_totals_init(&src);
    hw_totals_add_file(&src, "a.csv");
    hw_totals_note_grade(&src, &rec);
    assert_true(hw_totals_merge(&dst, &src, 0, 10));
    hw_totals_free(&src);
    hw_totals_free(&dst);
}

static void test_classes_told_apart_by_bytes(void **state) {
    (void)state;
    hw_totals t;
    hw_totals_init(&t);
    hw_totals_add_file(&t, "a.csv");
    /* The same bytes run together, split differently between school and
     * class; names that are prefixes of others; no school. */
    static const struct {
        const char *school, *cls;
        int grade;
    } k[] = {{"AB", "C", 3},  {"A", "BC", 4},   {"", "ABC", 5},
             {"A", "1班", 6}, {"A", "11班", 7}, {"A", "1班 ", 8}};
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
            hw_record rec = test_row(i + 2, k[i].school, k[i].cls, k[i].grade, "2026-11-23", "语文",
                                     1000000, HW_TYPE_WRITTEN);
            if (round == 0)
                hw_totals_add(&t, 0, &rec);
            assert_int_equal(hw_totals_class_grade(&t, &rec), k[i].grade);
        }
    }
    assert_int_equal(t.nclasses, sizeof k / sizeof *k);
    /* Enough classes that the table grows, each found again. */
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "%d班", i);
        hw_record rec =
            test_row(100 + i, "B", name, 1 + i % 12, "2026-11-23", "语文", 0, HW_TYPE_WRITTEN);
        hw_totals_add(&t, 0, &rec);
    }
    for (int i = 4999; i >= 0; i--) {
        snprintf(name, sizeof name, "%d班", i);
        hw_record rec = test_row(1, "B", name, 0, "2026-11-23", "语文", 0, HW_TYPE_WRITTEN);
        assert_int_equal(hw_totals_class_grade(&t, &rec), 1 + i % 12);
    }
    hw_totals_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_merged_equal_rows_added),
        cmocka_unit_test(test_many_classes_merged_equal_rows_added),
        cmocka_unit_test(test_settle_sorts_class_days_by_class_and_date),
        cmocka_unit_test(test_merge_refuses_other_grade),
        cmocka_unit_test(test_classes_told_apart_by_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
