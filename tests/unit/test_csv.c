/* The CSV stage: rows, fields and the line each row starts on, whatever the
 * chunk sizes the text arrives in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hw_csv.h"
#include "hw_util.h"

/* Rows rendered as "LINE:field|field|...\n" so a whole parse compares as one string. */
static void collect(void *ctx, const hw_row *row) {
    hw_buf *b = ctx;
    hw_buf_printf(b, "%lu:", row->line);
    for (size_t i = 0; i < row->nfields; i++) {
        if (i)
            hw_buf_puts(b, "|");
        hw_buf_append(b, row->field[i], row->len[i]);
        assert_int_equal(row->field[i][row->len[i]], '\0');
    }
    hw_buf_puts(b, "\n");
}

static hw_csv_status parse_chunked(const char *text, size_t len, size_t chunk, hw_buf *out,
                                   unsigned long *err_line) {
    hw_csv_reader *r = hw_csv_new(collect, out);
    assert_non_null(r);
    hw_csv_status st = HW_CSV_OK;
    for (size_t i = 0; i < len && st == HW_CSV_OK; i += chunk)
        st = hw_csv_feed(r, text + i, len - i < chunk ? len - i : chunk);
    if (st == HW_CSV_OK)
        st = hw_csv_finish(r);
    if (err_line)
        *err_line = hw_csv_error_line(r);
    hw_csv_free(r);
    return st;
}

/* Parses text in every chunk size from 1 byte up and checks each gives want. */
static void expect_rows(const char *text, const char *want) {
    size_t len = strlen(text);
    for (size_t chunk = 1; chunk <= len + 1; chunk++) {
        hw_buf out;
        hw_buf_init(&out);
        assert_int_equal(parse_chunked(text, len, chunk, &out, NULL), HW_CSV_OK);
        if (strcmp(out.data ? out.data : "", want) != 0) {
            fprintf(stderr, "chunk %zu:\n got: %s\nwant: %s\n", chunk, out.data, want);
            fail();
        }
        hw_buf_free(&out);
    }
}

static void test_lf_crlf_cr(void **state) {
    expect_rows("a,b\n1,2\n", "1:a|b\n2:1|2\n");
    expect_rows("a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n");
    expect_rows("a,b\r1,2\r", "1:a|b\n2:1|2\n");
    expect_rows("a,b\r\n1,2\n3,4\r5,6", "1:a|b\n2:1|2\n3:3|4\n4:5|6\n");
}

static void test_blank_lines_keep_line_numbers(void **state) {
    expect_rows("\n\na,b\n\n1,2\n   \n\t\n3,4\n", "3:a|b\n5:1|2\n8:3|4\n");
    expect_rows("\r\n\r\na,b\r\n\r\n1,2\r\n", "3:a|b\n5:1|2\n");
}

static void test_quoted_fields_span_lines(void **state) {
    expect_rows("a,b\n\"x\ny\",2\n3,4\n", "1:a|b\n2:x\ny|2\n4:3|4\n");
    expect_rows("a,b\r\n\"x\r\ny\r\nz\",2\r\n3,4\r\n", "1:a|b\n2:x\r\ny\r\nz|2\n5:3|4\n");
    expect_rows("a\n\"he said \"\"hi\"\", then left\"\n", "1:a\n2:he said \"hi\", then left\n");
    expect_rows("a,b\n\"1,5\",\"\"\n", "1:a|b\n2:1,5|\n");
}

static void test_last_row_without_newline(void **state) {
    expect_rows("a,b\n1,2", "1:a|b\n2:1|2\n");
    expect_rows("a", "1:a\n");
}

static void test_stray_quote_is_text(void **state) {
    /* A hand-typed 5" in an unquoted field must not stop the file. */
    expect_rows("a,b\n5\"寸,2\n3,4\n", "1:a|b\n2:5\"寸|2\n3:3|4\n");
}

static void test_commas_only_row_is_a_row(void **state) {
    /* Rows of only commas reach the record stage, which skips them. */
    expect_rows("a,b\n,\n1,2\n", "1:a|b\n2:|\n3:1|2\n");
}

static void test_nul_and_bad_bytes_kept(void **state) {
    const char text[] = "a,b\nx\0y,\xFF\n";
    hw_buf out;
    hw_buf_init(&out);
    assert_int_equal(parse_chunked(text, sizeof text - 1, 3, &out, NULL), HW_CSV_OK);
    assert_int_equal(out.len, strlen("1:a|b\n2:") + 3 + 1 + 1 + 1);
    assert_memory_equal(out.data + 8, "x\0y|\xFF\n", 6);
    hw_buf_free(&out);
}

static void test_unterminated_quote(void **state) {
    const char *text = "a,b\n1,2\n\"open,3\n4,5\n";
    for (size_t chunk = 1; chunk <= strlen(text); chunk++) {
        hw_buf out;
        hw_buf_init(&out);
        unsigned long line = 0;
        assert_int_equal(parse_chunked(text, strlen(text), chunk, &out, &line),
                         HW_CSV_UNTERMINATED);
        assert_string_equal(out.data, "1:a|b\n2:1|2\n");
        assert_int_equal(line, 3);
        hw_buf_free(&out);
    }
}

static void test_wide_row(void **state) {
    hw_buf text, want;
    hw_buf_init(&text);
    hw_buf_init(&want);
    hw_buf_puts(&want, "1:");
    for (int i = 0; i < 10000; i++) {
        hw_buf_printf(&text, i ? ",%d" : "%d", i);
        hw_buf_printf(&want, i ? "|%d" : "%d", i);
    }
    hw_buf_puts(&text, "\n");
    hw_buf_puts(&want, "\n");
    hw_buf out;
    hw_buf_init(&out);
    assert_int_equal(parse_chunked(text.data, text.len, 4096, &out, NULL), HW_CSV_OK);
    assert_string_equal(out.data, want.data);
    hw_buf_free(&out);
    hw_buf_free(&text);
    hw_buf_free(&want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lf_crlf_cr),
        cmocka_unit_test(test_blank_lines_keep_line_numbers),
        cmocka_unit_test(test_quoted_fields_span_lines),
        cmocka_unit_test(test_last_row_without_newline),
        cmocka_unit_test(test_stray_quote_is_text),
        cmocka_unit_test(test_commas_only_row_is_a_row),
        cmocka_unit_test(test_nul_and_bad_bytes_kept),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_wide_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
