/* The report stage: the JSON object of SPEC (parsed back with cJSON) and the
 * text lines FILE:LINE: SEVERITY: MESSAGE [RULE]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_report.h"
#include "hw_rules.h"
#include "rows.h"

static hw_policy policy;
static hw_totals totals;

static void add(uint32_t file, unsigned long line, const char *school, const char *cls, int grade,
                const char *date, const char *subject, int64_t umin, hw_type_kind type) {
    hw_record rec = test_row(line, school, cls, grade, date, subject, umin, type);
    hw_totals_add(&totals, file, &rec);
}

/* Writes a whole report of the fixture into a string the caller frees, the
 * rules and the findings on jobs threads; with one input error if asked. */
static char *render_jobs(hw_format format, hw_lang lang, unsigned jobs, bool input_error) {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    hw_report r;
    hw_report_begin(&r, format, lang, out, &policy);
    r.jobs = jobs;
    if (input_error) {
        hw_input_error e = {"w.csv", 9, 4, "预计时长", "半\xFF天", 7, "bad minutes"};
        hw_report_input_error(&r, &e);
    }
    hw_findings f;
    hw_totals_settle(&totals);
    hw_rules_run_jobs(&policy, &totals, &f, jobs);
    hw_report_findings(&r, &totals, &f);
    hw_summary s = {1,
                    input_error ? 10 : 0,
                    input_error,
                    totals.nclasses,
                    totals.ndays,
                    f.n,
                    f.errors,
                    f.warnings,
                    input_error,
                    false,
                    0,
                    0};
    hw_report_end(&r, &s);
    hw_findings_free(&f);
    fclose(out);
    return text;
}

static char *render(hw_format format, hw_lang lang) {
    return render_jobs(format, lang, 1, true);
}

static int setup(void **state) {
    hw_policy_default(&policy);
    hw_totals_init(&totals);
    hw_totals_add_file(&totals, "w.csv");
    add(0, 2, "", "三年级(2)班", 3, "2026-11-23", "语文", 20 * HW_UMIN_PER_MIN, HW_TYPE_WRITTEN);
    add(0, 3, "", "三年级(2)班", 3, "2026-11-23", "数学", 12500000, HW_TYPE_UNKNOWN);
    add(0, 4, "实验中学", "初一(3)班", 7, "2026-11-23", "数学", 100 * HW_UMIN_PER_MIN,
        HW_TYPE_WRITTEN);
    add(0, 5, "实验中学", "初一(3)班", 7, "2026-11-24", "数学", 101 * HW_UMIN_PER_MIN,
        HW_TYPE_WRITTEN);
    add(0, 6, "实验中学", "初一(3)班", 7, "2026-11-25", "数学", 80 * HW_UMIN_PER_MIN,
        HW_TYPE_WRITTEN);
    return 0;
}

static int teardown(void **state) {
    hw_totals_free(&totals);
    hw_policy_free(&policy);
    return 0;
}

static void test_json(void **state) {
    char *text = render(HW_FORMAT_JSON, HW_LANG_EN);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "input_errors");
    assert_int_equal(cJSON_GetArraySize(errors), 1);
    cJSON *e = cJSON_GetArrayItem(errors, 0);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e, "line")->valueint, 9);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e, "column")->valueint, 4);
    /* the bad byte is shown as U+FFFD, so the JSON stays valid UTF-8 */
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e, "value")->valuestring,
                        "半\xEF\xBF\xBD天");

    cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    assert_int_equal(cJSON_GetArraySize(findings), 3);
    cJSON *daily = cJSON_GetArrayItem(findings, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(daily, "rule")->valuestring, "daily-cap");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(daily, "severity")->valuestring, "error");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(daily, "school")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(daily, "class")->valuestring,
                        "三年级(2)班");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(daily, "grade")->valueint, 3);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(daily, "date")->valuestring, "2026-11-23");
    assert_true(cJSON_GetObjectItemCaseSensitive(daily, "minutes")->valuedouble == 32.5);
    assert_true(cJSON_GetObjectItemCaseSensitive(daily, "limit")->valuedouble == 30);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(daily, "file")->valuestring, "w.csv");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(daily, "line")->valueint, 2);
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(daily, "rows");
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    cJSON *r1 = cJSON_GetArrayItem(rows, 1);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(r1, "line")->valueint, 3);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r1, "subject")->valuestring, "数学");
    assert_true(cJSON_GetObjectItemCaseSensitive(r1, "minutes")->valuedouble == 12.5);

    cJSON *warn = cJSON_GetArrayItem(findings, 1);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(warn, "rule")->valuestring,
                        "unknown-type");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(warn, "severity")->valuestring, "warning");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(warn, "type")->valuestring, "听写");

    cJSON *weekly = cJSON_GetArrayItem(findings, 2);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(weekly, "week")->valuestring, "2026-W48");
    assert_null(cJSON_GetObjectItemCaseSensitive(weekly, "date"));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(weekly, "school")->valuestring,
                        "实验中学");
    assert_true(cJSON_GetObjectItemCaseSensitive(weekly, "minutes")->valuedouble == 281.0 / 3);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(weekly, "rows")), 3);

    cJSON *summary = cJSON_GetObjectItemCaseSensitive(root, "summary");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(summary, "classes")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(summary, "class_days")->valueint, 4);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(summary, "findings")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(summary, "errors")->valueint, 1);
    cJSON_Delete(root);
    free(text);
}

static void test_text(void **state) {
    char *text = render(HW_FORMAT_TEXT, HW_LANG_EN);
    assert_non_null(strstr(text, "w.csv:9:4: error: bad minutes\n"));
    assert_non_null(strstr(text, "w.csv:2: error: 三年级(2)班: 32.5 min of written homework on "
                                 "2026-11-23, over the daily cap of 30 min for grade 3 (语文 20 "
                                 "min, 数学 12.5 min) [daily-cap]\n"));
    assert_non_null(strstr(text, "w.csv:3: warning: "));
    assert_non_null(strstr(text, "w.csv:4: error: 实验中学 初一(3)班: written homework averaged "
                                 "93.7 min a day over 3 day(s) of 2026-W48, over the cap of 90 "
                                 "min for grade 7 [weekly-average]\n"));
    assert_non_null(strstr(text, "Found 2 breach(es), 1 warning(s), 1 input error(s).\n"));
    free(text);
    text = render(HW_FORMAT_TEXT, HW_LANG_ZH);
    assert_non_null(strstr(text,
                           "w.csv:2: 错误: 三年级(2)班：2026-11-23 书面作业共 32.5 分钟，超过 "
                           "3 年级每日上限 30 分钟"));
    assert_non_null(strstr(text, "发现 2 处超标、1 条警告、1 个输入错误。"));
    free(text);
}

/* --format gcc is one line per item: a line break in a file name (a name
 * any Unix file may have) does not split a finding's line, as it does not
 * split an input error's. */
static void test_gcc_file_name_on_one_line(void **state) {
    uint32_t file = hw_totals_add_file(&totals, "a\nb.csv");
    add(file, 7, "", "四年级(1)班", 4, "2026-11-23", "数学", 45 * HW_UMIN_PER_MIN, HW_TYPE_WRITTEN);
    char *text = render(HW_FORMAT_GCC, HW_LANG_EN);
    assert_null(strstr(text, "a\nb.csv"));
    assert_non_null(strstr(text, "\na b.csv:7:1: error: 四年级(1)班: 45 min"));
    free(text);
}

/* A district's register (thousands of classes, tens of thousands of
 * findings, some days of many rows) is checked and written in shares on
 * several threads: the text and JSON are those of one thread, byte for byte. */
static void test_threads_write_what_one_writes(void **state) {
    char cls[64];
    unsigned long line = 10;
    for (int c = 0; c < 1500; c++) {
        snprintf(cls, sizeof cls, "%s(%d)班", c % 3 ? "五年级" : "初一", c);
        int grade = c % 3 ? 5 : 7;
        for (int d = 0; d < 10; d++) {
            char date[16];
            snprintf(date, sizeof date, "2026-11-%02d", 9 + d);
            int rows = c % 97 == 0 ? 40 : 3;
            for (int k = 0; k < rows; k++)
                add(0, line++, c % 2 ? "实验小学" : "", cls, grade, date, k % 2 ? "数学" : "语文",
                    (int64_t)(10 + (c + d + k) % 25) * HW_UMIN_PER_MIN,
                    k == 2 && d == 3 ? HW_TYPE_UNKNOWN : HW_TYPE_WRITTEN);
        }
    }
    static const hw_format formats[] = {HW_FORMAT_TEXT, HW_FORMAT_JSON};
    for (size_t i = 0; i < 2; i++) {
        char *want = render_jobs(formats[i], HW_LANG_ZH, 1, false);
        assert_true(strlen(want) > 100000);
        for (unsigned jobs = 2; jobs <= 3; jobs++) {
            char *got = render_jobs(formats[i], HW_LANG_ZH, jobs, false);
            size_t at = 0;
            while (got[at] && got[at] == want[at])
                at++;
            if (got[at] || want[at])
                fail_msg("%u threads, %s: differs at byte %zu: \"%.60s\", not \"%.60s\"", jobs,
                         i ? "JSON" : "text", at, got + at, want + at);
            free(got);
        }
        free(want);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gcc_file_name_on_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_write_what_one_writes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
