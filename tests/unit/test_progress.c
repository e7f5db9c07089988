/* The progress line: nothing unless standard error is a terminal; then only
 * after the delay, at most every few hundred milliseconds, erased at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_progress.h"

static int64_t now;
static int64_t fake_clock(void) {
    return now;
}

static void test_silent_when_not_a_terminal(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hw_progress p;
    hw_progress_start(&p, f, false, 10, HW_LANG_EN);
    for (int i = 0; i < 10; i++)
        hw_progress_update(&p, (size_t)i, 100000);
    hw_progress_finish(&p);
    fclose(f);
    assert_int_equal(len, 0);
    free(text);
}

static void test_line_redrawn_and_erased(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hw_progress p;
    now = 1000;
    hw_progress_start(&p, f, true, 300, HW_LANG_EN);
    p.clock_ms = fake_clock;
    p.start_ms = p.last_ms = now;
    now += 100; /* a short run shows nothing */
    hw_progress_update(&p, 1, 5000);
    fflush(f);
    assert_int_equal(len, 0);
    now = 1000 + 2000;
    hw_progress_update(&p, 120, 1234567);
    fflush(f);
    assert_string_equal(text, "\r\033[Khwcheck: 120/300 files, 1,234,567 rows, 617,283 rows/s");
    size_t before = len;
    now += 50; /* too soon to redraw */
    hw_progress_update(&p, 121, 1300000);
    fflush(f);
    assert_int_equal(len, before);
    now += 300;
    hw_progress_update(&p, 130, 1400000);
    hw_progress_finish(&p);
    fclose(f);
    assert_non_null(strstr(text, "130/300 files"));
    /* The run ends with the line erased. */
    assert_string_equal(text + len - 4, "\r\033[K");
    free(text);
}

static void test_chinese(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hw_progress p;
    now = 0;
    hw_progress_start(&p, f, true, 0, HW_LANG_ZH);
    p.clock_ms = fake_clock;
    p.start_ms = p.last_ms = 0;
    now = 1000;
    hw_progress_update(&p, 3, 2000);
    fclose(f);
    assert_string_equal(text, "\r\033[Khwcheck：3 个文件，2,000 行，每秒 2,000 行");
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silent_when_not_a_terminal),
        cmocka_unit_test(test_line_redrawn_and_erased),
        cmocka_unit_test(test_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
