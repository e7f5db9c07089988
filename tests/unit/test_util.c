/* The growing buffer's message formatter: %s and %d take the arguments in
 * turn, %N$s and %N$d name one (the Chinese messages put them in another
 * order), %% is a percent sign, and a conversion past the arguments gives
 * nothing; numbers are written in decimal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hw_util.h"

static void expect_format(const char *fmt, const char *const *arg, size_t n, const char *want) {
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, ">");
    hw_buf_format(&b, fmt, arg, n);
    assert_string_equal(b.data + 1, want);
    assert_int_equal(b.len, strlen(want) + 1);
    hw_buf_free(&b);
}

static void test_arguments_in_turn(void **state) {
    (void)state;
    const char *arg[] = {"一中 初一(3)班", "95", "2026-11-23", "7"};
    expect_format("%s: %s min on %s; grade %d", arg, 4,
                  "一中 初一(3)班: 95 min on 2026-11-23; grade 7");
    expect_format("no conversion", arg, 4, "no conversion");
    expect_format("", arg, 4, "");
}

static void test_arguments_by_position(void **state) {
    (void)state;
    const char *arg[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"};
    expect_format("%1$s：%3$s 作业 %2$s 分钟；%4$d 年级", arg, 4, "A：C 作业 B 分钟；D 年级");
    expect_format("%3$s %3$s %1$s", arg, 3, "C C A");
    expect_format("%11$s-%10$s", arg, 11, "K-J");
}

static void test_percent_and_missing(void **state) {
    (void)state;
    const char *arg[] = {"90"};
    expect_format("%1$d%% of the cap", arg, 1, "90% of the cap");
    expect_format("100%%", arg, 1, "100%");
    expect_format("%s and %s", arg, 1, "90 and ");
    expect_format("%2$s|%9$d|", arg, 1, "||");
    expect_format("%s", (const char *[]){NULL}, 1, "");
    expect_format("ends in %", arg, 1, "ends in ");
}

static void test_decimal(void **state) {
    (void)state;
    char out[21];
    assert_int_equal(hw_put_u64(out, 0), 1);
    assert_memory_equal(out, "0", 1);
    assert_int_equal(hw_put_u64(out, 1440), 4);
    assert_memory_equal(out, "1440", 4);
    assert_int_equal(hw_put_u64(out, UINT64_MAX), 20);
    assert_memory_equal(out, "18446744073709551615", 20);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arguments_in_turn),
        cmocka_unit_test(test_arguments_by_position),
        cmocka_unit_test(test_percent_and_missing),
        cmocka_unit_test(test_decimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
