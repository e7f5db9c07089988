/* The record stage: columns found by header name, values read or refused
 * with file, line, column and value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_record.h"

typedef struct {
    int n;
    unsigned long line[8];
    unsigned column[8];
    char value[8][64];
    char message[8][256];
} errors;

static void keep(void *ctx, const hw_input_error *e) {
    errors *es = ctx;
    if (es->n < 8) {
        es->line[es->n] = e->line;
        es->column[es->n] = e->column;
        snprintf(es->value[es->n], 64, "%.*s", (int)(e->value ? e->value_len : 0),
                 e->value ? e->value : "");
        snprintf(es->message[es->n], 256, "%s", e->message);
    }
    es->n++;
}

static hw_policy policy;
static errors errs;
static hw_record_ctx ctx;

static int setup(void **state) {
    hw_policy_default(&policy);
    memset(&errs, 0, sizeof errs);
    ctx = (hw_record_ctx){&policy, "w.csv", HW_LANG_EN, HW_ENC_UTF8, {keep, &errs}, false, false};
    return 0;
}

static int teardown(void **state) {
    hw_policy_free(&policy);
    return 0;
}

/* Splits a comma-separated line (no quoting) into a row. */
typedef struct {
    char text[512];
    const char *field[32];
    size_t len[32];
    hw_row row;
} rowbuf;

static const hw_row *mkrow(rowbuf *rb, const char *line, unsigned long n) {
    snprintf(rb->text, sizeof rb->text, "%s", line);
    size_t k = 0;
    char *p = rb->text;
    for (;;) {
        char *comma = strchr(p, ',');
        rb->field[k] = p;
        rb->len[k] = comma ? (size_t)(comma - p) : strlen(p);
        k++;
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    rb->row = (hw_row){k, rb->field, rb->len, n, HW_ROW_OK, 0, NULL};
    return &rb->row;
}

static void test_header_names(void **state) {
    hw_header h;
    rowbuf rb;
    assert_true(hw_header_read(&h, &ctx, mkrow(&rb, " 班级 ,日期,截止日期,学科,预计用时,备注", 1)));
    assert_int_equal(h.col[HW_FIELD_CLASS], 0);
    assert_int_equal(h.col[HW_FIELD_DATE], 1); /* 截止日期 is not a date column */
    assert_int_equal(h.col[HW_FIELD_SUBJECT], 3);
    assert_int_equal(h.col[HW_FIELD_MINUTES], 4);
    assert_int_equal(h.col[HW_FIELD_GRADE], -1);
    assert_int_equal(errs.n, 0);
    hw_header_free(&h);
    assert_true(hw_header_read(&h, &ctx, mkrow(&rb, "CLASS,Date,SUBJECT,Minutes,ＴＹＰＥ", 1)));
    assert_int_equal(h.col[HW_FIELD_TYPE], 4);
    hw_header_free(&h);
}

static void test_header_refusals(void **state) {
    hw_header h;
    rowbuf rb;
    assert_false(hw_header_read(&h, &ctx, mkrow(&rb, "班级,日期,科目,时长,用时", 1)));
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.line[0], 1);
    assert_int_equal(errs.column[0], 5);
    assert_string_equal(errs.value[0], "用时");
    hw_header_free(&h);
    errs.n = 0;
    assert_false(hw_header_read(&h, &ctx, mkrow(&rb, "班级,科目,备注", 1)));
    assert_int_equal(errs.n, 1);
    assert_non_null(strstr(errs.message[0], "date/日期"));
    assert_non_null(strstr(errs.message[0], "minutes/"));
    assert_null(strstr(errs.message[0], "class"));
    hw_header_free(&h);
    /* saved tab-separated, or with semicolons: said so, not as missing columns */
    static const char *const other[][2] = {{"班级\t日期\t科目\t预计时长", "tabs"},
                                           {"class;date;subject;minutes", "semicolons"}};
    for (size_t i = 0; i < 2; i++) {
        errs.n = 0;
        assert_false(hw_header_read(&h, &ctx, mkrow(&rb, other[i][0], 1)));
        assert_int_equal(errs.n, 1);
        assert_non_null(strstr(errs.message[0], other[i][1]));
        assert_non_null(strstr(errs.message[0], "CSV"));
        hw_header_free(&h);
    }
}

static void test_row_values(void **state) {
    hw_header h;
    rowbuf rb;
    hw_buf scratch;
    hw_buf_init(&scratch);
    assert_true(hw_header_read(&h, &ctx, mkrow(&rb, "学校,班级,日期,科目,用时,类型", 1)));
    hw_record rec;
    assert_int_equal(
        hw_record_read(&h, &ctx,
                       mkrow(&rb, " 实验小学 ,三年级（2）班,2026年11月23日,语文,0.5小时,口头", 7),
                       &scratch, &rec),
        0);
    assert_int_equal(rec.line, 7);
    assert_string_equal(rec.school, "实验小学");
    assert_string_equal(rec.cls, "三年级(2)班");
    assert_int_equal(rec.grade, 3);
    assert_int_equal(rec.umin, 30 * HW_UMIN_PER_MIN);
    assert_int_equal(rec.type, HW_TYPE_NOT_WRITTEN);
    char date[11];
    hw_format_date(rec.date, date);
    assert_string_equal(date, "2026-11-23");
    /* missing trailing fields are empty: no type means written */
    assert_int_equal(
        hw_record_read(&h, &ctx, mkrow(&rb, ",初一3班,2026/11/23,数学,40", 8), &scratch, &rec), 0);
    assert_int_equal(rec.grade, 7);
    assert_int_equal(rec.type, HW_TYPE_WRITTEN);
    assert_int_equal(rec.school_len, 0);
    assert_int_equal(
        hw_record_read(&h, &ctx, mkrow(&rb, ",七(1)班,2026/11/23,数学,40,听写", 9), &scratch, &rec),
        0);
    assert_int_equal(rec.type, HW_TYPE_UNKNOWN);
    assert_string_equal(rec.type_text, "听写");
    assert_int_equal(errs.n, 0);
    hw_header_free(&h);
    hw_buf_free(&scratch);
}

static void test_row_errors_name_column_and_value(void **state) {
    hw_header h;
    rowbuf rb;
    hw_buf scratch;
    hw_buf_init(&scratch);
    assert_true(hw_header_read(&h, &ctx, mkrow(&rb, "班级,年级,日期,科目,预计时长", 1)));
    hw_record rec;
    assert_int_equal(
        hw_record_read(&h, &ctx, mkrow(&rb, "3班,十三,2026-02-30,,半天", 4), &scratch, &rec), 4);
    /* reported left to right: grade, date, subject (required), minutes */
    assert_int_equal(errs.column[0], 2);
    assert_string_equal(errs.value[0], "十三");
    assert_int_equal(errs.line[0], 4);
    assert_int_equal(errs.column[1], 3);
    assert_string_equal(errs.value[1], "2026-02-30");
    assert_int_equal(errs.column[2], 4);
    assert_int_equal(errs.column[3], 5);
    assert_string_equal(errs.value[3], "半天");
    errs.n = 0;
    /* no grade value and a class name that states none */
    assert_int_equal(
        hw_record_read(&h, &ctx, mkrow(&rb, "实验班,,2026-11-23,数学,10", 5), &scratch, &rec), 1);
    assert_int_equal(errs.column[0], 2);
    errs.n = 0;
    assert_int_equal(
        hw_record_read(&h, &ctx, mkrow(&rb, "三年级1班,,2026-11-23,数学,-5", 6), &scratch, &rec),
        1);
    assert_non_null(strstr(errs.message[0], "below 0"));
    errs.n = 0;
    assert_int_equal(
        hw_record_read(&h, &ctx, mkrow(&rb, "三年级1班,,2026-11-23,数学,10,,x", 7), &scratch, &rec),
        1);
    assert_int_equal(errs.column[0], 7);
    assert_string_equal(errs.value[0], "x");
    hw_header_free(&h);
    hw_buf_free(&scratch);
}

/* What hw_record_read returns for line n under the header 班级,日期,科目,预计时长. */
static size_t read_under_header(const char *line, unsigned long n) {
    hw_header h;
    rowbuf rb;
    hw_buf scratch;
    hw_buf_init(&scratch);
    assert_true(hw_header_read(&h, &ctx, mkrow(&rb, "班级,日期,科目,预计时长", 1)));
    hw_record rec;
    size_t got = hw_record_read(&h, &ctx, mkrow(&rb, line, n), &scratch, &rec);
    hw_header_free(&h);
    hw_buf_free(&scratch);
    return got;
}

/* A header row where a data row was due (files joined end to end) is
 * reported as such, not as errors; a row that names only some fields is
 * data, and its errors are reported. */
static void test_header_row_again(void **state) {
    assert_int_equal(read_under_header("班级,日期,科目,预计时长", 9), HW_RECORD_HEADER);
    /* another column order, after the BOM of the file joined on */
    const char *other = "\xEF\xBB\xBF日期,科目,Class,minutes";
    assert_int_equal(read_under_header(other, 9), HW_RECORD_HEADER);
    assert_int_equal(errs.n, 0);
    hw_header again;
    rowbuf rb;
    assert_true(hw_header_read(&again, &ctx, mkrow(&rb, other, 9)));
    assert_int_equal(again.col[HW_FIELD_DATE], 0);
    assert_int_equal(again.col[HW_FIELD_CLASS], 2);
    hw_header_free(&again);
    /* no minutes column: a data row with errors */
    assert_int_equal(read_under_header("班级,日期,科目,备注", 10), 3);
    assert_int_equal(errs.n, 3);
}

/* --fill-down: empty school, class, grade and date cells take the last value
 * above them; other cells, and rows before any value, stay as they are. */
static void test_fill_down(void **state) {
    hw_header h;
    rowbuf rb;
    hw_buf scratch;
    hw_buf_init(&scratch);
    assert_true(hw_header_read(&h, &ctx, mkrow(&rb, "学校,班级,日期,科目,预计时长", 1)));
    hw_fill f;
    hw_fill_init(&f);
    hw_row out;
    hw_record rec;
    ctx.fill_down = true;
    /* nothing above yet: the class stays empty and is an error */
    const hw_row *r = hw_fill_down(&f, &h, mkrow(&rb, "一小,,2026-11-23,语文,20", 2), &out);
    assert_int_equal(hw_record_read(&h, &ctx, r, &scratch, &rec), 1);
    r = hw_fill_down(&f, &h, mkrow(&rb, "一小,三年级(2)班,2026-11-23,语文,20", 3), &out);
    assert_int_equal(hw_record_read(&h, &ctx, r, &scratch, &rec), 0);
    /* merged: empty below the first row, blanks too, and a short row */
    r = hw_fill_down(&f, &h, mkrow(&rb, ",, \u3000,数学,15", 4), &out);
    assert_int_equal(hw_record_read(&h, &ctx, r, &scratch, &rec), 0);
    assert_string_equal(rec.school, "一小");
    assert_string_equal(rec.cls, "三年级(2)班");
    int32_t nov23;
    assert_int_equal(hw_parse_date("2026-11-23", 10, &nov23), HW_PARSE_OK);
    assert_int_equal(rec.date, nov23);
    assert_string_equal(rec.subject, "数学");
    /* the subject and minutes do not fill */
    r = hw_fill_down(&f, &h, mkrow(&rb, ",,2026-11-24,,", 5), &out);
    assert_int_equal(hw_record_read(&h, &ctx, r, &scratch, &rec), 2);
    r = hw_fill_down(&f, &h, mkrow(&rb, ",四年级(1)班", 6), &out);
    assert_int_equal(out.nfields, 3); /* up to the date column */
    assert_int_equal(hw_record_read(&h, &ctx, r, &scratch, &rec), 2);
    assert_string_equal(rec.cls, "四年级(1)班");
    int32_t nov24;
    hw_parse_date("2026-11-24", 10, &nov24);
    assert_int_equal(rec.date, nov24);
    /* a header row again starts from nothing */
    hw_fill_reset(&f);
    errs.n = 0;
    r = hw_fill_down(&f, &h, mkrow(&rb, "一小,,2026-11-25,语文,20", 7), &out);
    assert_int_equal(hw_record_read(&h, &ctx, r, &scratch, &rec), 1);
    /* with --fill-down on, the message does not suggest it */
    assert_null(strstr(errs.message[0], "fill-down"));
    ctx.fill_down = false;
    errs.n = 0;
    assert_int_equal(
        hw_record_read(&h, &ctx, mkrow(&rb, "一小,,2026-11-25,语文,20", 7), &scratch, &rec), 1);
    assert_non_null(strstr(errs.message[0], "--fill-down"));
    errs.n = 0;
    /* a short row's missing date is no merged cell */
    assert_int_equal(read_under_header("三年级1班", 8), 3);
    assert_null(strstr(errs.message[0], "fill-down"));
    hw_fill_free(&f);
    hw_header_free(&h);
    hw_buf_free(&scratch);
}

/* A date column formatted as a number holds Excel's day numbers: the
 * message names the date, and the row is still an error. */
static void test_excel_date_number(void **state) {
    assert_int_equal(read_under_header("三年级1班,46349,语文,20", 2), 1);
    assert_non_null(strstr(errs.message[0], "2026-11-23"));
    assert_non_null(strstr(errs.message[0], "Excel"));
    errs.n = 0;
    /* outside 2000..2099, or not five digits: an ordinary date error */
    assert_int_equal(read_under_header("三年级1班,36525,语文,20", 3), 1);
    assert_null(strstr(errs.message[0], "Excel"));
    errs.n = 0;
    assert_int_equal(read_under_header("三年级1班,463490,语文,20", 4), 1);
    assert_null(strstr(errs.message[0], "Excel"));
}

static void test_bad_bytes_and_nul(void **state) {
    assert_int_equal(read_under_header("三年级1班,2026-11-23,\xFF\xFE,10", 3), 1);
    assert_int_equal(errs.column[0], 3);
    assert_non_null(strstr(errs.message[0], "UTF-8"));
    /* the message quotes the value with U+FFFD in place of the bad bytes */
    assert_non_null(strstr(errs.message[0], "\xEF\xBF\xBD"));
}

static void test_blank_rows(void **state) {
    rowbuf rb;
    assert_true(hw_row_is_blank(mkrow(&rb, ",, ,\xE3\x80\x80", 2)));
    assert_false(hw_row_is_blank(mkrow(&rb, ",,x,", 2)));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_header_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_errors_name_column_and_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_row_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fill_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_excel_date_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bytes_and_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
