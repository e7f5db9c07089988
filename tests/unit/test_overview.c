/* The overview (--summary): per class its days, highest day, week averages,
 * breaches and worst excess, worst first, whatever order rows came in; per
 * grade and school totals; the CSV field quoting it is written with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_overview.h"
#include "hw_report_csv.h"
#include "rows.h"

static hw_policy policy;

static void add(hw_totals *t, unsigned long line, const char *school, const char *cls, int grade,
                const char *date, const char *subject, int minutes) {
    hw_record rec = test_row(line, school, cls, grade, date, subject, minutes * HW_UMIN_PER_MIN,
                             HW_TYPE_WRITTEN);
    hw_totals_add(t, 0, &rec);
}

/* The fixture's rows, forwards or backwards: the overview must not care. */
static void fill(hw_totals *t, int reverse) {
    struct {
        const char *school, *cls;
        int grade;
        const char *date, *subject;
        int minutes;
    } rows[] = {
        {"A校", "三年级1班", 3, "2026-11-16", "语文", 40}, /* W47: +10 */
        {"A校", "三年级1班", 3, "2026-11-17", "数学", 20},
        {"A校", "三年级1班", 3, "2026-11-23", "数学", 31}, /* W48: +1 */
        {"A校", "三年级2班", 3, "2026-11-23", "语文", 30}, /* at the cap: no breach */
        {"B校", "五年级1班", 5, "2026-11-23", "语文", 50},
        {"B校", "五年级1班", 5, "2026-11-23", "数学", 30}, /* 80: +20 */
        {"B校", "一年级1班", 1, "2026-11-24", "数学", 5},  /* no-written: +5 */
    };
    size_t n = sizeof rows / sizeof rows[0];
    for (size_t k = 0; k < n; k++) {
        size_t i = reverse ? n - 1 - k : k;
        add(t, (unsigned long)i + 2, rows[i].school, rows[i].cls, rows[i].grade, rows[i].date,
            rows[i].subject, rows[i].minutes);
    }
}

static void check_overview(int reverse) {
    hw_totals t;
    hw_totals_init(&t);
    hw_totals_add_file(&t, "w.csv");
    fill(&t, reverse);
    hw_totals_settle(&t); /* backwards, dates come before their class's latest */
    hw_findings f;
    hw_rules_run(&policy, &t, &f);
    hw_overview o;
    hw_overview_build(&o, &policy, &t, &f);
    assert_int_equal(o.ncls, 4);
    assert_int_equal(o.over, 3);
    /* Worst first: two breaches, then the largest excess, then name. */
    assert_string_equal(o.cls[0].name, "三年级1班");
    assert_int_equal(o.cls[0].breaches, 2);
    assert_int_equal(o.cls[0].worst, 10 * HW_UMIN_PER_MIN);
    assert_int_equal(o.cls[0].ndays, 3);
    assert_int_equal(o.cls[0].max_day, 40 * HW_UMIN_PER_MIN);
    char date[11];
    hw_format_date(o.cls[0].max_date, date);
    assert_string_equal(date, "2026-11-16");
    assert_string_equal(o.cls[1].name, "五年级1班");
    assert_int_equal(o.cls[1].worst, 20 * HW_UMIN_PER_MIN);
    assert_string_equal(o.cls[2].name, "一年级1班");
    assert_int_equal(o.cls[2].worst, 5 * HW_UMIN_PER_MIN);
    assert_int_equal(o.cls[2].cap, 0);
    assert_string_equal(o.cls[3].name, "三年级2班");
    assert_int_equal(o.cls[3].breaches, 0);
    assert_int_equal(o.cls[3].worst, -1);
    /* Weeks 47 and 48; the class's W47 average is over its two dates. */
    assert_int_equal(o.nweeks, 2);
    assert_int_equal(o.week[0].week, 47);
    assert_int_equal(hw_overview_week_avg(&o, 0, 0), 30 * HW_UMIN_PER_MIN);
    assert_int_equal(hw_overview_week_avg(&o, 0, 1), 31 * HW_UMIN_PER_MIN);
    assert_int_equal(hw_overview_week_avg(&o, 1, 0), -1);
    /* Grades and schools, worst first. */
    assert_int_equal(o.ngrades, 3);
    assert_int_equal(o.grade[0].grade, 3);
    assert_int_equal(o.grade[0].classes, 2);
    assert_int_equal(o.grade[0].over, 1);
    assert_int_equal(o.grade[0].breaches, 2);
    assert_int_equal(o.nschools, 2);
    /* Two breaches each: B校's +20 is worse than A校's +10. */
    assert_string_equal(o.school[0].school, "B校");
    assert_string_equal(o.school[1].school, "A校");
    assert_int_equal(o.school[0].breaches, 2);
    assert_int_equal(o.school[0].worst, 20 * HW_UMIN_PER_MIN);

    /* The printed table aligns by display columns, CJK counted as two. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    hw_overview_print(&o, HW_LANG_EN, out);
    fclose(out);
    assert_non_null(strstr(text, "School  Class      Grade  Days  Highest day  W47 avg  W48 avg  "
                                 "Breaches  Worst excess\n"));
    assert_non_null(strstr(text, "A校     三年级1班  3         3   40 (11-16)       30       31"
                                 "         2           +10\n"));
    assert_non_null(strstr(text, "A校     三年级2班  3         1   30 (11-23)        -       30"
                                 "         0             -\n"));
    free(text);
    hw_overview_free(&o);
    hw_findings_free(&f);
    hw_totals_free(&t);
}

static void test_overview_any_order(void **state) {
    (void)state;
    check_overview(0);
    check_overview(1);
}

static void test_csv_fields(void **state) {
    (void)state;
    hw_buf b;
    hw_buf_init(&b);
    hw_csv_field(&b, "三年级(1)班", 1);
    hw_csv_field(&b, "a,b", 0);
    hw_csv_field(&b, "say \"hi\"", 0);
    hw_csv_field(&b, "two\nlines", 0);
    hw_csv_field(&b, "=1+2", 0);
    hw_csv_field(&b, "", 0);
    hw_csv_number(&b, "-5", 0);
    assert_string_equal(b.data,
                        "三年级(1)班,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=1+2\",,-5");
    hw_buf_free(&b);
}

static int setup(void **state) {
    (void)state;
    hw_policy_default(&policy);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    hw_policy_free(&policy);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overview_any_order, setup, teardown),
        cmocka_unit_test(test_csv_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
