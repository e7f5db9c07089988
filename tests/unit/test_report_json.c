/* The JSON writer of the report: the same text as cJSON_PrintUnformatted
 * for every string byte and for numbers of every kind a report holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw_report_json.h"
#include "hw_util.h"

/* What cJSON prints for item (which it frees). */
static char *cjson(cJSON *item) {
    char *s = cJSON_PrintUnformatted(item);
    assert_non_null(s);
    cJSON_Delete(item);
    return s;
}

static void same_string(const char *s) {
    char *want = cjson(cJSON_CreateString(s));
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, "x"); /* appended after what is there */
    hw_json_string(&b, s);
    assert_string_equal(b.data + 1, want);
    assert_int_equal(b.len, strlen(want) + 1);
    hw_buf_free(&b);
    free(want);
}

static void same_number(double d) {
    char *want = cjson(cJSON_CreateNumber(d));
    hw_buf b;
    hw_buf_init(&b);
    hw_json_number(&b, d);
    if (strcmp(b.data, want) != 0)
        fail_msg("%.17g: got %s, cJSON %s", d, b.data, want);
    hw_buf_free(&b);
    free(want);
}

static void test_strings(void **state) {
    (void)state;
    same_string("");
    same_string("三年级(2)班");
    same_string("a \"quoted\" \\ back/slash");
    char one[2] = {0, 0};
    for (int c = 1; c < 256; c++) {
        one[0] = (char)c;
        same_string(one);
    }
    /* every byte in a run, as in a file name that is no UTF-8 */
    char all[256];
    for (int c = 1; c < 256; c++)
        all[c - 1] = (char)c;
    all[255] = '\0';
    same_string(all);
}

static void test_numbers(void **state) {
    (void)state;
    /* (not -0, which cJSON 1.7.16 and later print as 0, and no report holds) */
    const double fixed[] = {0,
                            1,
                            -1,
                            30,
                            12.5,
                            0.1,
                            0.000001,
                            1e-7,
                            1440.000001,
                            91.33333333333333,
                            2.0 / 3,
                            999999999999999.0,
                            1e15,
                            1e21,
                            123456789012.5,
                            (double)INT_MAX,
                            (double)INT_MAX + 1,
                            (double)INT_MIN,
                            (double)INT_MIN - 1,
                            4294967296.0,
                            DBL_MAX,
                            DBL_MIN,
                            5e-324,
                            NAN,
                            INFINITY,
                            -INFINITY};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        same_number(fixed[i]);
    /* micro-minutes as the report divides them, and averages of days */
    for (int64_t umin = 0; umin < 3000000; umin += 997)
        same_number((double)umin / 1e6);
    for (int64_t umin = 1; umin < 1440000000; umin = umin * 3 + 7)
        for (int days = 1; days <= 7; days++)
            same_number((double)umin / 1e6 / days);
    srand(7);
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = 0;
        for (int k = 0; k < 4; k++)
            bits = bits << 16 | (uint64_t)(rand() & 0xFFFF);
        double d;
        memcpy(&d, &bits, sizeof d);
        same_number(d);
    }
}

static void test_members(void **state) {
    (void)state;
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, "{");
    hw_json_member(&b, "line");
    hw_json_number(&b, 7);
    hw_json_member(&b, "rows");
    hw_buf_puts(&b, "[{");
    hw_json_member(&b, "subject");
    hw_json_string(&b, "数学");
    hw_buf_puts(&b, "}]}");
    assert_string_equal(b.data, "{\"line\":7,\"rows\":[{\"subject\":\"数学\"}]}");
    hw_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
