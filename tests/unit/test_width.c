/* Display width: CJK and full-width characters take two columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hw_width.h"

static size_t w(const char *s) {
    return hw_text_width(s, strlen(s));
}

static void test_widths(void **state) {
    (void)state;
    assert_int_equal(w(""), 0);
    assert_int_equal(w("5(2)"), 4);
    assert_int_equal(w("三年级(2)班"), 11);
    assert_int_equal(w("三年级（2）班"), 13); /* full-width parentheses */
    assert_int_equal(w("ＡＢ"), 4);           /* full-width letters */
    assert_int_equal(w("　"), 2);             /* ideographic space */
    assert_int_equal(w("Ｍｏｎ ｄａｙ"), 13);
    assert_int_equal(w("ｶﾀｶﾅ"), 4); /* half-width katakana */
    assert_int_equal(w("한국"), 4);
    assert_int_equal(w("é"), 1);         /* precomposed */
    assert_int_equal(w("e\xCC\x81"), 1); /* e + combining acute */
    assert_int_equal(w("𠀀"), 2);        /* CJK extension B */
    assert_int_equal(w("±×"), 2);
    assert_int_equal(w("a\xFF"
                       "b"),
                     3);                /* an invalid byte counts as one */
    assert_int_equal(w("\xE4\xB8"), 2); /* a cut sequence: two bad bytes */
    assert_int_equal(hw_char_width(0x4E00), 2);
    assert_int_equal(hw_char_width(0x9FFF), 2);
    assert_int_equal(hw_char_width(0xA4D0), 1);
    assert_int_equal(hw_char_width(0x303F), 1);
    assert_int_equal(hw_char_width(0xFF61), 1);
    assert_int_equal(hw_char_width(0x200B), 0);
    assert_int_equal(hw_char_width('\t'), 0);
}

static void test_pad(void **state) {
    (void)state;
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_pad(&b, "初一(3)班", 12, 0);
    hw_buf_puts(&b, "|");
    hw_buf_pad(&b, "99", 4, 1);
    hw_buf_puts(&b, "|");
    hw_buf_pad(&b, "三年级(2)班", 4, 0);
    assert_string_equal(b.data, "初一(3)班   |  99|三年级(2)班");
    hw_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_pad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
