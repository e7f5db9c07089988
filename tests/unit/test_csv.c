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
    if (row->overflow) {
        assert_int_equal(row->nfields, 0);
        hw_buf_printf(b, "!%s@%zu\n", row->overflow == HW_ROW_TOO_LONG ? "long" : "wide",
                      row->overflow_column);
        return;
    }
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

/* A row of exactly HW_CSV_MAX_FIELDS fields is read; one more is skipped,
 * and the rows after it are read with their own line numbers. */
static void test_too_many_fields(void **state) {
    hw_buf text;
    hw_buf_init(&text);
    for (int i = 0; i < HW_CSV_MAX_FIELDS; i++)
        hw_buf_puts(&text, i ? ",x" : "x");
    hw_buf_puts(&text, "\n");
    hw_buf out;
    hw_buf_init(&out);
    assert_int_equal(parse_chunked(text.data, text.len, 4096, &out, NULL), HW_CSV_OK);
    assert_int_equal(out.len, 2 + 2 * HW_CSV_MAX_FIELDS);
    hw_buf_clear(&out);
    text.len--; /* the line end */
    hw_buf_puts(&text, ",y\n\"a\nb\",c\n");
    assert_int_equal(parse_chunked(text.data, text.len, 4096, &out, NULL), HW_CSV_OK);
    assert_string_equal(out.data, "1:!wide@16385\n2:a\nb|c\n");
    hw_buf_free(&out);
    hw_buf_free(&text);
}

/* Many small fields adding up past the bound make one overlong row. */
static void test_row_too_long_in_small_fields(void **state) {
    hw_buf text;
    hw_buf_init(&text);
    char field[1000];
    memset(field, 'x', sizeof field - 1);
    field[sizeof field - 1] = '\0';
    hw_buf_puts(&text, "h\n");
    for (int i = 0; i < 1100; i++)
        hw_buf_printf(&text, i ? ",%s" : "%s", field);
    hw_buf_puts(&text, "\nlast\n");
    hw_buf out;
    hw_buf_init(&out);
    assert_int_equal(parse_chunked(text.data, text.len, 65536, &out, NULL), HW_CSV_OK);
    /* 1048 fields of 999 bytes and a NUL each fit in 1 MiB; the 1049th does not. */
    assert_string_equal(out.data, "1:h\n2:!long@1049\n3:last\n");
    hw_buf_free(&out);
    hw_buf_free(&text);
}

/* One field past the bound: libcsv is taken off the row and a scan of our
 * own finds its end. It must end the row exactly where libcsv would, so the
 * same row with a short field gives the same rows after it. */
static void test_overlong_field_ends_where_libcsv_would(void **state) {
    static const char *const starts[] = {"\"", "a", "  \""};
    static const char *const tails[] = {
        "\",2\n",
        "\"\" inner \"\",2\n",
        "\" ,2\n",
        "\"  \"x\",2\n",
        "\"\nmore\n\"\n",
        "\"x\n\",2\n",
        "\"\r\n",
        "\"q\"\",\"\n\",2\r",
        "\"\"\"\"\n",
        "\"  \",2\n",
        ",\"new\nfield\"\n",
        "\t\"\n\"\n",
        "\n",
    };
    static const size_t chunks[] = {4096, 65537, (1 << 20) + 3};
    size_t big = HW_CSV_MAX_ROW_BYTES + 100000;
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++) {
        for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
            hw_buf small_text, big_text, want, got;
            hw_buf_init(&small_text);
            hw_buf_init(&big_text);
            hw_buf_init(&want);
            hw_buf_printf(&small_text, "h1,h2\n%sx%sn1,n2\n\"n\n3\",4\n", starts[s], tails[t]);
            hw_buf_printf(&big_text, "h1,h2\n%s", starts[s]);
            hw_buf_reserve(&big_text, big);
            memset(big_text.data + big_text.len, 'x', big);
            big_text.len += big;
            hw_buf_printf(&big_text, "%sn1,n2\n\"n\n3\",4\n", tails[t]);

            /* The short row, with its fields replaced by the overflow mark. */
            hw_buf small_out;
            hw_buf_init(&small_out);
            assert_int_equal(parse_chunked(small_text.data, small_text.len, 4096, &small_out, NULL),
                             HW_CSV_OK);
            const char *row2 = strstr(small_out.data, "\n2:") + 1;
            /* Rows are rendered "LINE:...\n": the third starts after the
             * next line end followed by digits and a colon (no field holds one). */
            const char *after = row2 + 2;
            for (;; after++) {
                after = strchr(after, '\n');
                size_t d = strspn(after + 1, "0123456789");
                if (after[1] == '\0' || (d && after[1 + d] == ':'))
                    break;
            }
            after++; /* the third row, or the end when row 2 took the rest */
            hw_buf_puts(&want, "1:h1|h2\n2:!long@1\n");
            hw_buf_puts(&want, after);

            for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
                hw_buf_init(&got);
                assert_int_equal(parse_chunked(big_text.data, big_text.len, chunks[c], &got, NULL),
                                 HW_CSV_OK);
                if (strcmp(got.data, want.data) != 0) {
                    fprintf(stderr, "start %zu tail %zu chunk %zu:\n got: %s\nwant: %s\n", s, t,
                            chunks[c], got.data, want.data);
                    fail();
                }
                hw_buf_free(&got);
            }
            hw_buf_free(&small_out);
            hw_buf_free(&small_text);
            hw_buf_free(&big_text);
            hw_buf_free(&want);
        }
    }
}

/* An overlong quoted field never closed is the unterminated-quote error. */
static void test_overlong_unterminated(void **state) {
    size_t big = HW_CSV_MAX_ROW_BYTES * 2;
    hw_buf text;
    hw_buf_init(&text);
    hw_buf_puts(&text, "a,b\n1,2\n3,\"");
    hw_buf_reserve(&text, big);
    memset(text.data + text.len, 'y', big);
    text.len += big;
    text.data[text.len] = '\0';
    hw_buf out;
    hw_buf_init(&out);
    unsigned long line = 0;
    assert_int_equal(parse_chunked(text.data, text.len, 100000, &out, &line), HW_CSV_UNTERMINATED);
    assert_string_equal(out.data, "1:a|b\n2:1|2\n");
    assert_int_equal(line, 3);
    hw_buf_free(&out);
    /* Closed at the end of the input without a line end: the row is skipped. */
    hw_buf_init(&out);
    hw_buf_puts(&text, "\"");
    assert_int_equal(parse_chunked(text.data, text.len, 100000, &out, &line), HW_CSV_OK);
    assert_string_equal(out.data, "1:a|b\n2:1|2\n3:!long@2\n");
    hw_buf_free(&out);
    hw_buf_free(&text);
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
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_row_too_long_in_small_fields),
        cmocka_unit_test(test_overlong_field_ends_where_libcsv_would),
        cmocka_unit_test(test_overlong_unterminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
