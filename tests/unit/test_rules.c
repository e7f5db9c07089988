/* Totals and rules: exact sums across files, each rule's boundary, ISO weeks,
 * and the order findings come in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_rules.h"
#include "rows.h"

static hw_policy policy;
static hw_totals totals;

static int setup(void **state) {
    hw_policy_default(&policy);
    hw_totals_init(&totals);
    hw_totals_add_file(&totals, "a.csv");
    hw_totals_add_file(&totals, "b.csv");
    return 0;
}

static int teardown(void **state) {
    hw_totals_free(&totals);
    hw_policy_free(&policy);
    return 0;
}

static int32_t day(const char *s) {
    int32_t d;
    assert_int_equal(hw_parse_date(s, strlen(s), &d), HW_PARSE_OK);
    return d;
}

/* Adds a readable row: minutes as written in a register. */
static void add(uint32_t file, unsigned long line, const char *school, const char *cls, int grade,
                const char *date, const char *subject, const char *minutes, hw_type_kind type) {
    int64_t umin;
    assert_int_equal(hw_parse_minutes(minutes, strlen(minutes), &umin), HW_PARSE_OK);
    hw_record rec = test_row(line, school, cls, grade, date, subject, umin, type);
    hw_grade_origin o;
    assert_false(hw_totals_grade_conflict(&totals, &rec, &o));
    hw_totals_add(&totals, file, &rec);
}

/* The rules on what was added, settled first as hw_check_files leaves it. */
static void run_rules(hw_findings *f) {
    hw_totals_settle(&totals);
    hw_rules_run(&policy, &totals, f);
}

static void test_exact_totals(void **state) {
    /* 0.1小时 six times is 36 minutes exactly: over 30 for grade 3 */
    for (int i = 0; i < 6; i++)
        add(0, 2 + (unsigned long)i, "", "三年级1班", 3, "2026-11-23", "数学", "0.1小时",
            HW_TYPE_WRITTEN);
    /* 0.1小时 five times is 30: not over */
    for (int i = 0; i < 5; i++)
        add(0, 20 + (unsigned long)i, "", "三年级1班", 3, "2026-11-24", "数学", "0.1小时",
            HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.item[0].rule, HW_RULE_DAILY_CAP);
    assert_int_equal(f.item[0].total, 36 * HW_UMIN_PER_MIN);
    assert_true(hw_finding_minutes(&f.item[0]) == 36.0);
    assert_int_equal(f.item[0].limit, 30 * HW_UMIN_PER_MIN);
    assert_int_equal(f.item[0].nrows, 6);
    hw_findings_free(&f);
}

static void test_day_spans_files_and_oral_does_not_count(void **state) {
    add(1, 5, "", "五年级2班", 5, "2026-11-23", "语文", "30", HW_TYPE_WRITTEN);
    add(0, 9, "", "五年级2班", 5, "2026-11-23", "数学", "25", HW_TYPE_WRITTEN);
    add(0, 10, "", "五年级2班", 5, "2026-11-23", "英语", "20", HW_TYPE_NOT_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 0);
    hw_findings_free(&f);
    add(1, 6, "", "五年级2班", 5, "2026-11-23", "科学", "5.5", HW_TYPE_WRITTEN);
    run_rules(&f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.item[0].total, 605 * HW_UMIN_PER_MIN / 10);
    /* rows by file then line: a.csv:9, then b.csv:5, b.csv:6; the oral row is not one */
    assert_int_equal(f.item[0].nrows, 3);
    assert_int_equal(totals.row[f.item[0].rows[0]].file, 0);
    assert_int_equal(totals.row[f.item[0].rows[0]].line, 9);
    assert_int_equal(totals.row[f.item[0].rows[2]].line, 6);
    hw_findings_free(&f);
}

static void test_no_written(void **state) {
    add(0, 2, "", "一年级1班", 1, "2026-11-23", "语文", "10", HW_TYPE_NOT_WRITTEN);
    add(0, 3, "", "一年级1班", 1, "2026-11-24", "语文", "0", HW_TYPE_WRITTEN);
    add(0, 4, "", "二年级1班", 2, "2026-11-24", "数学", "1", HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.item[0].rule, HW_RULE_NO_WRITTEN);
    assert_int_equal(f.item[0].grade, 2);
    assert_int_equal(f.item[0].limit, 0);
    hw_findings_free(&f);
}

static void test_weekly_average_over_dates_that_appear(void **state) {
    /* 2026-W48: Mon 100, Tue 100, Wed oral only (a date that appears, 0 written) */
    add(0, 2, "", "初一3班", 7, "2026-11-23", "数学", "100", HW_TYPE_WRITTEN);
    add(0, 3, "", "初一3班", 7, "2026-11-24", "数学", "100", HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 1); /* average 100 over 2 days */
    assert_true(f.item[0].weekly);
    assert_int_equal(f.item[0].ndays, 2);
    assert_int_equal(f.item[0].week, 48);
    hw_findings_free(&f);
    add(0, 4, "", "初一3班", 7, "2026-11-25", "语文", "20", HW_TYPE_NOT_WRITTEN);
    run_rules(&f);
    assert_int_equal(f.n, 0); /* 200 / 3 = 66.7 */
    hw_findings_free(&f);
    /* exactly 90 on average is not over: 2026-W53 runs into 2027 */
    add(0, 5, "", "初一3班", 7, "2026-12-31", "数学", "80", HW_TYPE_WRITTEN);
    add(0, 6, "", "初一3班", 7, "2027-01-01", "数学", "100", HW_TYPE_WRITTEN);
    run_rules(&f);
    assert_int_equal(f.n, 0);
    hw_findings_free(&f);
    add(0, 7, "", "初一3班", 7, "2027-01-01", "英语", "0.1", HW_TYPE_WRITTEN);
    run_rules(&f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.item[0].iso_year, 2026);
    assert_int_equal(f.item[0].week, 53);
    assert_int_equal(f.item[0].ndays, 2);
    assert_true(hw_finding_minutes(&f.item[0]) == 90.05);
    hw_findings_free(&f);
}

static void test_senior_grades_have_no_rule(void **state) {
    add(0, 2, "", "高一1班", 10, "2026-11-23", "数学", "600", HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 0);
    assert_int_equal(totals.nclasses, 1);
    hw_findings_free(&f);
}

static void test_order_and_warnings(void **state) {
    add(0, 2, "乙校", "三年级1班", 3, "2026-11-24", "数学", "40", HW_TYPE_WRITTEN);
    add(0, 3, "甲校", "三年级2班", 3, "2026-11-24", "数学", "40", HW_TYPE_WRITTEN);
    add(0, 4, "甲校", "三年级1班", 3, "2026-11-25", "数学", "40", HW_TYPE_WRITTEN);
    add(0, 5, "甲校", "三年级1班", 3, "2026-11-24", "数学", "10", HW_TYPE_UNKNOWN);
    add(0, 6, "", "三年级9班", 3, "2026-11-26", "数学", "31", HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 5);
    assert_int_equal(f.errors, 4);
    assert_int_equal(f.warnings, 1);
    /* no school first, then by school, class, date; names compare as UTF-8
     * bytes, so 乙 (U+4E59) comes before 甲 (U+7532) */
    assert_string_equal(hw_totals_str(&totals, totals.cls[f.item[0].cls].name), "三年级9班");
    assert_string_equal(hw_totals_str(&totals, totals.cls[f.item[1].cls].school), "乙校");
    assert_int_equal(f.item[2].rule, HW_RULE_UNKNOWN_TYPE);
    assert_int_equal(f.item[2].severity, HW_SEV_WARNING);
    assert_int_equal(f.item[3].rule, HW_RULE_DAILY_CAP);
    assert_int_equal(f.item[3].date, day("2026-11-25"));
    assert_string_equal(hw_totals_str(&totals, totals.cls[f.item[4].cls].name), "三年级2班");
    hw_findings_free(&f);
}

/* Classes sort by their school's, then their name's UTF-8 bytes, whether
 * they differ in the first eight bytes (which most comparisons look at
 * alone) or after them; the school first, though the name of a class of a
 * later school sorts first. */
static void test_classes_sort_as_utf8_bytes(void **state) {
    static const struct {
        const char *school, *cls;
    } k[] = {{"甲校", "三年级(2)班"}, {"甲学", "三年级(1)班"},  {"乙校", "三年级(1)班"},
             {"A校", "三年级(1)班"},  {"甲校", "三年级(10)班"}, {"甲校", "三年级(1)班"},
             {"乙校", "三年级(0)班"}};
    /* in order: A (0x41), 乙 (E4 B9 99), 甲 (E7 94 B2); 学 (E5 AD A6)
     * before 校 (E6 A0 A1); "(0)" before "(1)" before "(10)" before "(2)" */
    static const int want[] = {3, 6, 2, 1, 5, 4, 0};
    for (size_t i = 0; i < sizeof k / sizeof *k; i++)
        add(0, 2 + i, k[i].school, k[i].cls, 3, "2026-11-24", "数学", "40", HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, sizeof k / sizeof *k);
    for (size_t i = 0; i < f.n; i++) {
        const hw_class *c = &totals.cls[f.item[i].cls];
        assert_string_equal(hw_totals_str(&totals, c->school), k[want[i]].school);
        assert_string_equal(hw_totals_str(&totals, c->name), k[want[i]].cls);
    }
    hw_findings_free(&f);
}

static void test_grade_conflict(void **state) {
    add(0, 2, "", "三年级1班", 3, "2026-11-24", "数学", "10", HW_TYPE_WRITTEN);
    hw_record rec;
    memset(&rec, 0, sizeof rec);
    rec.school = "";
    rec.cls = "三年级1班";
    rec.cls_len = strlen(rec.cls);
    rec.grade = 4;
    hw_grade_origin o;
    assert_true(hw_totals_grade_conflict(&totals, &rec, &o));
    assert_int_equal(o.grade, 3);
    assert_int_equal(o.line, 2);
    rec.school = "甲校";
    rec.school_len = strlen(rec.school);
    assert_false(hw_totals_grade_conflict(&totals, &rec, &o)); /* another school's class */
}

/* Replaces the fixture's policy with one read from JSON. */
static void use_policy(const char *json) {
    hw_policy_free(&policy);
    hw_buf err;
    hw_buf_init(&err);
    assert_true(hw_policy_parse(&policy, json, strlen(json), NULL, &err));
    hw_buf_free(&err);
}

static void test_subject_caps(void **state) {
    use_policy("{\"bands\":[{\"grades\":[3,6],\"daily_cap\":90,"
               "\"subject_caps\":{\"语文\":15,\"数学\":15,\"*\":10}}]}");
    add(0, 2, "", "四年级1班", 4, "2026-11-23", "语文", "10", HW_TYPE_WRITTEN);
    add(0, 3, "", "四年级1班", 4, "2026-11-23", "语文", "6", HW_TYPE_WRITTEN);
    add(0, 4, "", "四年级1班", 4, "2026-11-23", "数学", "15", HW_TYPE_WRITTEN);
    add(0, 5, "", "四年级1班", 4, "2026-11-23", "美术", "10.5", HW_TYPE_WRITTEN);
    add(0, 6, "", "四年级1班", 4, "2026-11-23", "英语", "30", HW_TYPE_NOT_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 2); /* 语文 16 > 15 and 美术 10.5 > 10; 数学 15 is at its cap */
    assert_int_equal(f.item[0].rule, HW_RULE_SUBJECT_CAP);
    assert_string_equal(hw_totals_str(&totals, f.item[0].subject), "语文");
    assert_int_equal(f.item[0].total, 16 * HW_UMIN_PER_MIN);
    assert_int_equal(f.item[0].limit, 15 * HW_UMIN_PER_MIN);
    assert_int_equal(f.item[0].nrows, 2);
    assert_string_equal(hw_totals_str(&totals, f.item[1].subject), "美术");
    assert_int_equal(f.item[1].nrows, 1);
    assert_int_equal(totals.row[f.item[1].rows[0]].line, 5);
    hw_findings_free(&f);
}

static void test_homework_free_day_and_off(void **state) {
    use_policy("{\"homework_free_weekdays\":[3],\"severity\":{\"no-written\":\"off\"}}");
    add(0, 2, "", "三年级1班", 3, "2026-11-25", "语文", "5", HW_TYPE_WRITTEN); /* a Wednesday */
    add(0, 3, "", "三年级1班", 3, "2026-11-26", "语文", "5", HW_TYPE_WRITTEN);
    add(0, 4, "", "三年级1班", 3, "2026-11-27", "语文", "20", HW_TYPE_NOT_WRITTEN);
    add(0, 5, "", "一年级1班", 1, "2026-11-27", "语文", "20", HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.item[0].rule, HW_RULE_HOMEWORK_FREE_DAY);
    assert_int_equal(f.item[0].limit, 0);
    assert_int_equal(totals.row[f.item[0].rows[0]].line, 2);
    hw_findings_free(&f);
}

static void test_near_cap(void **state) {
    use_policy("{\"warn_at\":0.9}");
    add(0, 2, "", "三年级1班", 3, "2026-11-23", "语文", "26.9", HW_TYPE_WRITTEN);
    add(0, 3, "", "三年级1班", 3, "2026-11-24", "语文", "27", HW_TYPE_WRITTEN);
    add(0, 4, "", "三年级1班", 3, "2026-11-25", "语文", "30", HW_TYPE_WRITTEN);
    add(0, 5, "", "三年级1班", 3, "2026-11-26", "语文", "30.5", HW_TYPE_WRITTEN);
    add(0, 6, "", "初一1班", 7, "2026-11-23", "数学", "81", HW_TYPE_WRITTEN);
    add(0, 7, "", "初一1班", 7, "2026-11-24", "数学", "81", HW_TYPE_WRITTEN);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 4);
    /* 26.9 is below 90% of 30; 27 and 30 are near; 30.5 is over */
    assert_int_equal(f.item[0].rule, HW_RULE_NEAR_CAP);
    assert_int_equal(f.item[0].severity, HW_SEV_WARNING);
    assert_int_equal(f.item[0].cap_rule, HW_RULE_DAILY_CAP);
    assert_int_equal(f.item[0].date, day("2026-11-24"));
    assert_int_equal(f.item[1].rule, HW_RULE_NEAR_CAP);
    assert_int_equal(f.item[2].rule, HW_RULE_DAILY_CAP);
    assert_int_equal(f.item[3].rule, HW_RULE_NEAR_CAP);
    assert_int_equal(f.item[3].cap_rule, HW_RULE_WEEKLY_AVERAGE);
    assert_true(f.item[3].weekly);
    hw_findings_free(&f);
}

static void test_weekly_average_over(void **state) {
    /* Mon 100, Tue 100, Sat 100 (written): 300 over the week */
    const char *modes[] = {"dates", "school-days", "seven-days"};
    const uint32_t want_div[] = {3, 2, 7};
    const size_t want_n[] = {1, 1, 0};
    for (int m = 0; m < 3; m++) {
        char json[200];
        snprintf(json, sizeof json,
                 "{\"bands\":[{\"grades\":[7,9],\"weekly_average_cap\":90,"
                 "\"weekly_average_over\":\"%s\"}]}",
                 modes[m]);
        use_policy(json);
        hw_totals_free(&totals);
        hw_totals_init(&totals);
        hw_totals_add_file(&totals, "a.csv");
        add(0, 2, "", "初一1班", 7, "2026-11-23", "数学", "100", HW_TYPE_WRITTEN);
        add(0, 3, "", "初一1班", 7, "2026-11-24", "数学", "100", HW_TYPE_WRITTEN);
        add(0, 4, "", "初一1班", 7, "2026-11-28", "数学", "100", HW_TYPE_WRITTEN);
        hw_findings f;
        run_rules(&f);
        assert_int_equal(f.n, want_n[m]);
        if (f.n) {
            assert_int_equal(f.item[0].ndays, want_div[m]);
            assert_int_equal(f.item[0].total, 300 * HW_UMIN_PER_MIN);
        }
        hw_findings_free(&f);
    }
}

/* A class's dates may come in any order (a register sorted by subject, or
 * a later week's file given first): every row still lands on its own
 * class-day, with the days of many classes interleaved. */
static void test_dates_out_of_order(void **state) {
    static const char *const dates[] = {"2026-11-26", "2026-11-23", "2026-11-27", "2026-11-24",
                                        "2026-11-23", "2026-11-26", "2026-11-25", "2026-11-27"};
    char cls[32];
    unsigned long line = 2;
    for (int round = 0; round < 2; round++) {
        for (size_t d = 0; d < sizeof dates / sizeof *dates; d++) {
            for (int c = 0; c < 300; c++) {
                snprintf(cls, sizeof cls, "三年级%d班", c);
                add(0, line++, "", cls, 3, dates[d], "数学", "4", HW_TYPE_WRITTEN);
            }
        }
    }
    /* 5 dates a class; 23, 26 and 27 hold 4 rows (16 minutes), 24 and 25 hold 2:
     * the rows of a date before their class's latest wait for the settle. */
    assert_true(totals.unsettled);
    hw_totals_settle(&totals);
    assert_false(totals.unsettled);
    assert_int_equal(totals.nclasses, 300);
    assert_int_equal(totals.ndays, 300 * 5);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 0);
    hw_findings_free(&f);
    for (int c = 0; c < 300; c++) {
        snprintf(cls, sizeof cls, "三年级%d班", c);
        add(0, line++, "", cls, 3, "2026-11-24", "语文", "27", HW_TYPE_WRITTEN);
    }
    run_rules(&f);
    assert_int_equal(f.n, 300); /* 8 + 27 = 35 on the 24th, over 30 */
    for (size_t i = 0; i < f.n; i++) {
        assert_int_equal(f.item[i].date, day("2026-11-24"));
        assert_int_equal(f.item[i].total, 35 * HW_UMIN_PER_MIN);
        assert_int_equal(f.item[i].nrows, 3);
    }
    hw_findings_free(&f);
}

/* The rules take a class's class-days in date order wherever they lie
 * (merged totals leave them in the order the parts came): a week's days
 * apart in the totals still make one week. */
static void test_class_days_in_any_order(void **state) {
    add(0, 2, "", "初一1班", 7, "2026-11-23", "数学", "100", HW_TYPE_WRITTEN);
    add(0, 3, "", "初一1班", 7, "2026-11-24", "数学", "100", HW_TYPE_WRITTEN);
    add(0, 4, "", "初一1班", 7, "2026-11-30", "数学", "10", HW_TYPE_WRITTEN);
    hw_totals_settle(&totals);
    assert_int_equal(totals.ndays, 3);
    /* the next week's Monday between the two days of this one */
    hw_classday d = totals.day[1];
    totals.day[1] = totals.day[2];
    totals.day[2] = d;
    hw_findings f;
    hw_rules_run(&policy, &totals, &f);
    assert_int_equal(f.n, 1); /* (100 + 100) / 2 over 90, the week whole */
    assert_int_equal(f.item[0].ndays, 2);
    assert_int_equal(f.item[0].total, 200 * HW_UMIN_PER_MIN);
    assert_int_equal(f.item[0].date, day("2026-11-23"));
    hw_findings_free(&f);
}

/* On two threads, each counts a stretch of the class-days as they lie: a
 * class's days in date order within each stretch, but not from one to the
 * next, are put in date order all the same. */
static void test_class_days_out_of_order_across_threads(void **state) {
    add(0, 2, "", "初一1班", 7, "2026-11-23", "数学", "100", HW_TYPE_WRITTEN);
    add(0, 3, "", "初一1班", 7, "2026-11-24", "数学", "100", HW_TYPE_WRITTEN);
    add(0, 4, "", "初一1班", 7, "2026-11-30", "数学", "10", HW_TYPE_WRITTEN);
    enum { OTHERS = 5000 }; /* under a cap: no findings */
    for (int c = 0; c < OTHERS; c++) {
        char name[32];
        snprintf(name, sizeof name, "三年级%d班", c);
        add(0, (unsigned long)(5 + c), "", name, 3, "2026-11-23", "数学", "10", HW_TYPE_WRITTEN);
    }
    hw_totals_settle(&totals);
    assert_int_equal(totals.ndays, 3 + OTHERS);
    /* the 24th last: the first thread has the 23rd and the 30th, in order */
    hw_classday d = totals.day[1];
    totals.day[1] = totals.day[totals.ndays - 1];
    totals.day[totals.ndays - 1] = d;
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        hw_findings f;
        hw_rules_run_jobs(&policy, &totals, &f, jobs);
        assert_int_equal(f.n, 1); /* (100 + 100) / 2 over 90, the week whole */
        assert_int_equal(f.item[0].ndays, 2);
        assert_int_equal(f.item[0].total, 200 * HW_UMIN_PER_MIN);
        assert_int_equal(f.item[0].date, day("2026-11-23"));
        hw_findings_free(&f);
    }
}

/* A band with a daily and a weekly cap: each class's weekly findings are
 * made after its daily ones, and come out among them by date, each with its
 * own rows (collected a batch of findings at a time), the same on one
 * thread as on two (which share the classes out past 4,096 class-days). */
static void test_daily_and_weekly_findings_in_order(void **state) {
    use_policy("{\"bands\":[{\"grades\":[7,9],\"daily_cap\":60,\"weekly_average_cap\":90}]}");
    enum { CLASSES = 1500 };
    for (int c = 0; c < CLASSES; c++) {
        char name[32];
        snprintf(name, sizeof name, "初一%d班", c);
        add(0, (unsigned long)(2 + 3 * c), "", name, 7, "2026-11-30", "数学", "100",
            HW_TYPE_WRITTEN);
        add(0, (unsigned long)(3 + 3 * c), "", name, 7, "2026-11-23", "数学", "100",
            HW_TYPE_WRITTEN);
        add(0, (unsigned long)(4 + 3 * c), "", name, 7, "2026-11-24", "数学", "100",
            HW_TYPE_WRITTEN);
    }
    hw_totals_settle(&totals);
    /* each finding's rows: the lines of class c are 2 + 3c (the 30th),
     * 3 + 3c (the 23rd) and 4 + 3c (the 24th) */
    const struct {
        hw_rule rule;
        const char *date;
        size_t nrows;
        unsigned long line[2];
    } want[] = {
        {HW_RULE_DAILY_CAP, "2026-11-23", 1, {3}},
        {HW_RULE_WEEKLY_AVERAGE, "2026-11-23", 2, {3, 4}},
        {HW_RULE_DAILY_CAP, "2026-11-24", 1, {4}},
        {HW_RULE_DAILY_CAP, "2026-11-30", 1, {2}},
        {HW_RULE_WEEKLY_AVERAGE, "2026-11-30", 1, {2}},
    };
    const size_t per = sizeof want / sizeof want[0];
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        hw_findings f;
        hw_rules_run_jobs(&policy, &totals, &f, jobs);
        assert_int_equal(f.n, CLASSES * per);
        for (size_t i = 0; i < f.n; i++) {
            assert_int_equal(f.item[i].rule, want[i % per].rule);
            assert_int_equal(f.item[i].date, day(want[i % per].date));
            assert_int_equal(f.item[i].cls, f.item[i - i % per].cls);
            int c;
            assert_int_equal(
                sscanf(hw_totals_str(&totals, totals.cls[f.item[i].cls].name), "初一%d班", &c), 1);
            assert_int_equal(f.item[i].nrows, want[i % per].nrows);
            for (size_t k = 0; k < f.item[i].nrows; k++)
                assert_int_equal(totals.row[f.item[i].rows[k]].line,
                                 want[i % per].line[k] + 3 * (unsigned long)c);
            if (i >= per)
                assert_true(strcmp(hw_totals_str(&totals, totals.cls[f.item[i - per].cls].name),
                                   hw_totals_str(&totals, totals.cls[f.item[i].cls].name)) < 0);
        }
        hw_findings_free(&f);
    }
}

/* Notes of unknown types turned off and nothing else found: no findings
 * (and nothing sorted: under UBSan, sorting the empty list was an error). */
static void test_unknown_type_off_alone(void **state) {
    use_policy("{\"severity\":{\"unknown-type\":\"off\"}}");
    add(0, 2, "", "三年级1班", 3, "2026-11-23", "数学", "10", HW_TYPE_UNKNOWN);
    assert_int_equal(totals.nnotes, 1);
    hw_findings f;
    run_rules(&f);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.warnings, 0);
    hw_findings_free(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exact_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_class_days_in_any_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_class_days_out_of_order_across_threads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_classes_sort_as_utf8_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_day_spans_files_and_oral_does_not_count, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weekly_average_over_dates_that_appear, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_senior_grades_have_no_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_and_warnings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grade_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subject_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_homework_free_day_and_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_near_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weekly_average_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_daily_and_weekly_findings_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_type_off_alone, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
