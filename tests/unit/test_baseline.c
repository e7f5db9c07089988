/* Baselines: what a baseline file must hold, and that matching ignores lines
 * and takes each entry once. Also the path normalisation of CI reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw_baseline.h"
#include "hw_notation.h"
#include "hw_report_fmt.h"
#include "rows.h"
#include "temp_file.h"

static bool load_text(hw_baseline *b, const char *text, hw_buf *err) {
    char path[TEMP_FILE_PATH];
    temp_file_write(path, "baseline", text, strlen(text));
    bool ok = hw_baseline_load(b, path, HW_LANG_EN, err);
    unlink(path);
    return ok;
}

static void test_refused(void **state) {
    (void)state;
    hw_baseline b;
    hw_buf err;
    hw_buf_init(&err);
    assert_false(load_text(&b, "{\"findings\":[", &err));
    assert_non_null(strstr(err.data, "not JSON"));
    assert_false(load_text(&b, "[]", &err));
    assert_non_null(strstr(err.data, "\"findings\""));
    assert_false(load_text(&b, "{\"findings\":[{\"rule\":\"daily-cap\",\"class\":\"x\"}]}", &err));
    assert_string_equal(err.data, "findings[0].date: missing or of the wrong type");
    assert_false(load_text(&b, "{\"findings\":[{\"rule\":1}]}", &err));
    assert_string_equal(err.data, "findings[0].rule: missing or of the wrong type");
    assert_false(load_text(&b, "{\"findings\":[]} x", &err));
    hw_buf_free(&err);
}

static void add_row(hw_totals *t, unsigned long line, const char *date, int64_t umin) {
    hw_record rec = test_row(line, "", "三年级(2)班", 3, date, "语文", umin, HW_TYPE_WRITTEN);
    hw_totals_add(t, 0, &rec);
}

static void test_match_ignores_lines_and_counts_once(void **state) {
    (void)state;
    hw_policy p;
    hw_policy_default(&p);
    hw_totals t;
    hw_totals_init(&t);
    hw_totals_add_file(&t, "w.csv");
    add_row(&t, 2, "2026-11-24", 40000000);
    add_row(&t, 3, "2026-11-25", 40000000);
    hw_findings f;
    hw_totals_settle(&t);
    hw_rules_run(&p, &t, &f);
    assert_int_equal(f.n, 2);
    /* One entry for the 24th (at another line), one for a day now clean, and
     * a duplicate of the 24th that has nothing left to match. */
    hw_baseline b;
    hw_buf err;
    hw_buf_init(&err);
    assert_true(load_text(
        &b,
        "{\"findings\":["
        "{\"rule\":\"daily-cap\",\"school\":null,\"class\":\"三年级(2)班\",\"date\":\"2026-11-24\","
        "\"file\":\"./w.csv\",\"line\":99},"
        "{\"rule\":\"daily-cap\",\"school\":null,\"class\":\"三年级(2)班\",\"date\":\"2026-11-20\","
        "\"file\":\"w.csv\"},"
        "{\"rule\":\"daily-cap\",\"school\":null,\"class\":\"三年级(2)班\",\"date\":\"2026-11-24\","
        "\"file\":\"other.csv\"}]}",
        &err));
    assert_int_equal(hw_baseline_apply(&b, &t, &f), 1);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.errors, 1);
    char date[11];
    hw_format_date(f.item[0].date, date);
    assert_string_equal(date, "2026-11-25");
    /* Unmatched: the 20th (its file was checked); not the entry of other.csv. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    hw_report r;
    hw_report_begin(&r, HW_FORMAT_GCC, HW_LANG_EN, out, &p);
    assert_int_equal(hw_baseline_report_unmatched(&b, &t, &r), 1);
    fclose(out);
    assert_non_null(strstr(text, ": note: no longer found"));
    free(text);
    hw_baseline_free(&b);
    hw_buf_free(&err);
    hw_findings_free(&f);
    hw_totals_free(&t);
    hw_policy_free(&p);
}

static void test_relpath(void **state) {
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    hw_buf b;
    hw_buf_init(&b);
    const char *cases[][2] = {{"a.csv", "a.csv"},
                              {"./a.csv", "a.csv"},
                              {".//./d/a.csv", "d/a.csv"},
                              {"../a.csv", "../a.csv"},
                              {"/nowhere/a.csv", "/nowhere/a.csv"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hw_buf_clear(&b);
        hw_report_relpath(&b, cases[i][0]);
        assert_string_equal(b.data, cases[i][1]);
    }
    char abs[4200];
    snprintf(abs, sizeof abs, "%s/d/a.csv", cwd);
    hw_buf_clear(&b);
    hw_report_relpath(&b, abs);
    assert_string_equal(b.data, strcmp(cwd, "/") == 0 ? abs : "d/a.csv");
    hw_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_match_ignores_lines_and_counts_once),
        cmocka_unit_test(test_relpath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
