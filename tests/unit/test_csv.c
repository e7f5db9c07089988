/* The CSV stage: rows, fields and the line each row starts on, whatever the
 * chunk sizes the text arrives in, and the same with the fast path on or off. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "csv_trace.h"
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

/* Fields that fill the row's bound exactly, commas counted, and any field
 * after them, even empty. (The room left once was computed as the bound
 * less the text so far, which wrapped around when that was the bound plus
 * one: every later field was then read, and a row of 100 fields of 1 MiB
 * was held whole.) */
static void test_fields_filling_the_bound(void **state) {
    const size_t max = HW_CSV_MAX_ROW_BYTES;
    static const struct {
        size_t first;      /* bytes of x short of the bound */
        const char *rest;  /* after them; "M" stands for max bytes of y */
        const char *marks; /* the row's mark, or "" when read */
    } cases[] = {
        {0, "", ""},         /* max bytes of x: read */
        {0, ",", "!long@2"}, /* and an empty field */
        {0, ",M,M", "!long@2"},
        {2, ",y", ""}, /* max - 2, comma, y: max bytes in all */
        {2, ",yy", "!long@2"},
        {2, ",y,", "!long@3"},
        {2, ",y,M,M", "!long@3"},
    };
    hw_buf text, want, got;
    hw_buf_init(&text);
    hw_buf_init(&want);
    hw_buf_init(&got);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        size_t start = text.len;
        hw_buf_reserve(&text, max);
        memset(text.data + text.len, 'x', max - cases[k].first);
        text.len += max - cases[k].first;
        for (const char *p = cases[k].rest; *p; p++) {
            if (*p != 'M') {
                hw_buf_append(&text, p, 1);
                continue;
            }
            hw_buf_reserve(&text, max);
            memset(text.data + text.len, 'y', max);
            text.len += max;
        }
        size_t end = text.len;
        hw_buf_puts(&text, "\n");
        hw_buf_printf(&want, "%zu:", k + 1);
        if (*cases[k].marks) {
            hw_buf_puts(&want, cases[k].marks);
        } else {
            for (size_t i = start; i < end; i++)
                hw_buf_append(&want, text.data[i] == ',' ? "|" : &text.data[i], 1);
        }
        hw_buf_puts(&want, "\n");
    }
    assert_int_equal(parse_chunked(text.data, text.len, 65536, &got, NULL), HW_CSV_OK);
    if (strcmp(got.data, want.data) != 0) {
        for (const char *g = got.data, *w = want.data;;
             g = strchr(g, '\n') + 1, w = strchr(w, '\n') + 1) {
            if (strncmp(g, w, strcspn(w, "\n") + 1) != 0) {
                fprintf(stderr, "got %.40s...\nwant %.40s...\n", g, w);
                break;
            }
        }
        fail();
    }
    hw_buf_free(&text);
    hw_buf_free(&want);
    hw_buf_free(&got);
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

/* Calls to libcsv's parser (the Makefile links this test with
 * --wrap=csv_parse). */
static size_t libcsv_calls;
size_t __real_csv_parse(struct csv_parser *p, const void *s, size_t len,
                        void (*cb1)(void *, size_t, void *), void (*cb2)(int, void *), void *data);
size_t __wrap_csv_parse(struct csv_parser *p, const void *s, size_t len,
                        void (*cb1)(void *, size_t, void *), void (*cb2)(int, void *), void *data) {
    libcsv_calls++;
    return __real_csv_parse(p, s, len, cb1, cb2, data);
}

/* Rows whose quoted fields hold line breaks (Alt+Enter in a cell), as LF or
 * CR LF, take the fast path whole, and so do fields with spaces or tabs at
 * their edges (typed by hand), and lines ended by CR alone: libcsv is not
 * called for them. A stray quote still goes to libcsv, which the count
 * shows is really counted. */
static void test_lenient_rows_take_the_fast_path(void **state) {
    static const char text[] = "班级,作业内容\n"
                               "三年级(1)班,\"练习册P15,\n第2-6题\"\n"
                               "三年级(1)班,\"背诵\r\n默写\r\n\"\"课文\"\"\"\r\n"
                               " 三年级(2)班\t, 抄写 \n";
    hw_buf out;
    hw_buf_init(&out);
    libcsv_calls = 0;
    assert_int_equal(parse_chunked(text, sizeof text - 1, sizeof text, &out, NULL), HW_CSV_OK);
    assert_int_equal(libcsv_calls, 0);
    assert_string_equal(out.data, "1:班级|作业内容\n2:三年级(1)班|练习册P15,\n第2-6题\n"
                                  "4:三年级(1)班|背诵\r\n默写\r\n\"课文\"\n"
                                  "7:三年级(2)班|抄写\n");
    /* Lines ended by CR alone (Excel's "CSV (Macintosh)"): only the last,
     * whose CR ends the text (an LF could follow in the next feed), goes to
     * libcsv. */
    hw_buf_clear(&out);
    static const char mac[] = "班级,时长\r三年级(1)班,20\r\"a\rb\",c\rx,y\r";
    assert_int_equal(parse_chunked(mac, sizeof mac - 1, sizeof mac, &out, NULL), HW_CSV_OK);
    assert_int_equal(libcsv_calls, 1);
    assert_string_equal(out.data, "1:班级|时长\n2:三年级(1)班|20\n3:a\rb|c\n5:x|y\n");
    hw_buf_clear(&out);
    assert_int_equal(parse_chunked("x,5\"c\nd,e\n", 10, 10, &out, NULL), HW_CSV_OK);
    assert_true(libcsv_calls > 0);
    assert_string_equal(out.data, "1:x|5\"c\n2:d|e\n");
    hw_buf_free(&out);
}

/* The fast path marks the fields it saw need no folding (hw_row.plain), so
 * that the record stage takes their bytes as they are: unquoted text without
 * a full-width character or an ideographic space, its blanks trimmed. A
 * quoted field keeps its blanks and is not marked; nor is any field of a
 * row that libcsv read, nor a field of a row that fill-down made. */
static void plain_flags(void *ctx, const hw_row *row) {
    hw_buf *b = ctx;
    if (!row->plain) {
        hw_buf_puts(b, "-\n");
        return;
    }
    for (size_t i = 0; i < row->nfields; i++)
        hw_buf_puts(b, row->plain[i] ? "1" : "0");
    hw_buf_puts(b, "\n");
}

static void test_fast_path_marks_plain_fields(void **state) {
    static const char text[] =
        "三年级(1)班,三年级（1）班, 语文\t,３０,\"数学\",\" 20\",,a\xe3\x80\x80"
        "b\n"
        "一小,初一(3)班,2026-11-23,English,20,\xef\xbc\x88x\n"
        "x,5\"c\n";
    hw_buf out;
    hw_buf_init(&out);
    hw_csv_reader *r = hw_csv_new(plain_flags, &out);
    assert_non_null(r);
    assert_int_equal(hw_csv_feed(r, text, sizeof text - 1), HW_CSV_OK);
    assert_int_equal(hw_csv_finish(r), HW_CSV_OK);
    hw_csv_free(r);
    /* the third line has a stray quote: libcsv reads it */
    assert_string_equal(out.data, "10100010\n111110\n-\n");
    /* the same text, every line to libcsv: nothing marked */
    hw_buf_clear(&out);
    r = hw_csv_new(plain_flags, &out);
    hw_csv_set_fast(r, 0);
    assert_int_equal(hw_csv_feed(r, text, sizeof text - 1), HW_CSV_OK);
    assert_int_equal(hw_csv_finish(r), HW_CSV_OK);
    hw_csv_free(r);
    assert_string_equal(out.data, "-\n-\n-\n");
    hw_buf_free(&out);
}

/* ---- The fast path held to libcsv ---------------------------------------
 * hw_csv_set_fast(r, 0) sends every line to libcsv. The rows (fields, their
 * lengths and bytes, NULs included, line numbers, overflow marks), the status
 * and the reader's state after each hw_csv_feed must be the same with the
 * fast path on, whatever the chunks the text arrives in. */

/* Parses text with the fast path on and off in the given chunks; both must
 * give the rows of want (libcsv on the whole text), and the same trace. */
static bool fast_matches_in(const char *text, size_t len, const size_t *sizes, size_t nsizes,
                            const csv_trace *want) {
    csv_trace slow, fast;
    if (nsizes)
        csv_trace_parse(text, len, sizes, nsizes, 0, &slow);
    else
        slow = *want; /* the same parse; not freed here */
    csv_trace_parse(text, len, sizes, nsizes, 1, &fast);
    bool ok = true;
    if (!csv_trace_same(&want->rows, &slow.rows)) {
        /* Not the fast path: libcsv's own rows depend on the chunks. */
        csv_trace_report("libcsv in chunks differs from libcsv whole", text, len, sizes, nsizes,
                         &want->rows, &slow.rows);
        ok = false;
    } else if (!csv_trace_same(&slow.rows, &fast.rows)) {
        csv_trace_report("the fast path's rows differ from libcsv's", text, len, sizes, nsizes,
                         &slow.rows, &fast.rows);
        ok = false;
    } else if (!csv_trace_same(&slow.trace, &fast.trace)) {
        csv_trace_report("the fast path's state after a feed differs from libcsv's", text, len,
                         sizes, nsizes, &slow.trace, &fast.trace);
        ok = false;
    }
    if (nsizes)
        csv_trace_free(&slow);
    csv_trace_free(&fast);
    return ok;
}

static const size_t chunk_sizes[] = {1, 2, 3, 7, 64, 4096};
/* For lines of thousands of fields or about HW_CSV_MAX_ROW_BYTES bytes: the
 * fast path sees a line only in a chunk that holds it whole, so the chunks
 * are of the lines' scale and cut them at varying points (small chunks would
 * only test libcsv against itself, slowly). */
static const size_t big_chunk_sizes[] = {16411, HW_CSV_MAX_ROW_BYTES + 3};

/* The fast path against libcsv on text whole and in chunks of each size. */
static void expect_fast_matches_in(const char *text, size_t len, const size_t *sizes,
                                   size_t nsizes) {
    csv_trace want;
    csv_trace_parse(text, len, NULL, 0, 0, &want);
    bool ok = fast_matches_in(text, len, NULL, 0, &want);
    for (size_t c = 0; ok && c < nsizes; c++)
        ok = fast_matches_in(text, len, &sizes[c], 1, &want);
    csv_trace_free(&want);
    if (!ok)
        fail();
}

static void expect_fast_matches(const char *text, size_t len) {
    expect_fast_matches_in(text, len, chunk_sizes, sizeof chunk_sizes / sizeof *chunk_sizes);
}

static void expect_fast_matches_big(const char *text, size_t len) {
    expect_fast_matches_in(text, len, big_chunk_sizes,
                           sizeof big_chunk_sizes / sizeof *big_chunk_sizes);
}

#define TEXT(s)                                                                                    \
    { s, sizeof s - 1 }

typedef struct {
    const char *text;
    size_t len;
} text_case;

/* Lines that are plain, nearly plain, or anything but. */
static const text_case tricky[] = {
    TEXT(""),
    TEXT("a,b\n1,2\n"),
    /* Quoted fields, "" escapes, quoted empty fields. */
    TEXT("\"a\"\"b\",c\n"),
    TEXT("\"\"\"\",\"\"\"\"\"\"\n"),
    TEXT("\"\",x\nx,\"\"\n\"\"\n\"\",\"\"\n"),
    TEXT("\"a\"\"\",b\n\"\"\"a\",b\n"),
    TEXT("\"a,b\",\"c,,d\",\"\"\",\"\n"),
    TEXT("\"a\"\n\"a\",\n,\"a\"\n\"a\",,\"b\"\n"),
    /* A closing quote followed by a space, text, a quote after a space. */
    TEXT("\"a\" ,b\n\"a\"x,b\n\"a\" x,b\n\"a\"  \"b\",c\n\"a\"\t,b\n"),
    TEXT("\"a\"\" \",b\n\"a\" \n\"a\"\t\n\"\" ,\"\"x\n"),
    TEXT("\"a\"\0,b\n\"a\"\"\0\",b\n"),
    /* Spaces and tabs at the edges of fields and between words. */
    TEXT(" a,b\na ,b\na,\tb\na,b\t\na, b ,c\n"),
    TEXT("\t\"q\"\t,x\n \"q\",x\nx, \"q\"\n"),
    TEXT("a b,c\td\na\tb\tc\n \t \n\t\n"),
    TEXT("a,  ,b\n,\t,\n  a  \n"),
    /* Line ends: lone CR, CR LF, mixtures, CR as the last byte. */
    TEXT("a,b\rc,d\r"),
    TEXT("a\r\rb\r\r\r"),
    TEXT("a,b\r\nc,d\r\n"),
    TEXT("a\r\n\r\nb\r\n\r\n"),
    TEXT("a\r\r\nb\n\rc\n\r\n"),
    TEXT("a\n\rb\r\n"),
    TEXT("a\rb\n\nc\n\r\nd\n"), /* a plain line between a lone CR and LF */
    TEXT("a,b\r"),
    TEXT("\"a\"\r\n\"a\"\rb\n\"\"\r"),
    /* Blank lines, lines of spaces, lines of commas. */
    TEXT("\n\n\na\n\n"),
    TEXT("\r\n\r\n\r\n"),
    TEXT("   \na\n \t \nb\n   "),
    TEXT("  "),
    TEXT(",\n,,\n,,,\r\n,"),
    TEXT(" , \n , ,\t\n"),
    TEXT("  \n\"a\",b\n\t\n a\n"),
    /* NUL bytes inside and as whole fields. */
    TEXT("a\0b,\0\n"),
    TEXT("\"\0\",\0x\n\0\n\0"),
    TEXT(" \0 ,x\n\0 \0,\t\0\n"),
    TEXT("\"a\0\"\"\0\",\0\"\n"),
    /* A stray quote inside unquoted text. */
    TEXT("5\"寸,2\n3,4\n"),
    TEXT("a\"b\"c,d\na\",b\n"),
    TEXT("a\"\n\"b\n"),
    TEXT("x,5\"\n\"y\",1\n"),
    /* Quoted fields that span lines. */
    TEXT("\"a\nb\",c\nd,e\n"),
    TEXT("\"a\r\nb\",c\r\nd,e\r\n"),
    TEXT("\"a\rb\"\r"),
    TEXT("x,\"\n\n\"\n"),
    TEXT("\"a\n\"\"b\"\"\n\",c\n"),
    TEXT("\"a\n\",\"\nb\"\nc\n"),
    TEXT("\"\n\"\n\"\r\"\r"),
    /* ... and the rows the fast path takes whole (line breaks only inside
     * quotes, ended by LF or CR LF), or must leave to libcsv. */
    TEXT("\"a\r\n\r\nb\",\"c\nd\"\r\ne,f\n"),
    TEXT("\"a\n\"\"\n\"\"\",b\n\"\n\"\n"),
    TEXT("x,\"a\rb\"\r\ny\n\"a\nb\"\r"),
    TEXT("a,\"b\nc\"d,e\nf\n"),
    TEXT("a, \"b\nc\",d\nf\n"),
    TEXT("x,5\"c\nd,\"e\nf\",g\n"),
    TEXT("\"a\nb\",c\n\"d\ne"),
    TEXT(" a , b \n\t\t,x\n, \t\n \"q\" ,x\n"),
    TEXT("a,b\r\"c\rd\",e\r\r\nf\r\"g\r\n\"\r"),
    /* A quote never closed, and rows with no final line end. */
    TEXT("a,b\n\"open\n"),
    TEXT("\""),
    TEXT("a,\"b"),
    TEXT("a,\"b\"\"\n"),
    TEXT("\"x\"\n\""),
    TEXT("x\n\"a\"\""),
    TEXT("a,b"),
    TEXT("a,\"b\""),
    TEXT("a,\"b\" "),
    TEXT("a,\"b\"\r"),
    /* Chinese text, UTF-8, with a full-width comma (not a delimiter). */
    TEXT("日期,班级,科目,时长\n2024-11-25,三年级(2)班,语文,30分钟\n"),
    TEXT("\"张三，李四\",数学,\"说明：\"\"口算\"\"\"\r\n王五,英语, 20 \r\n"),
    TEXT("中\n\"中\n中\",中\n中\"中,中\r中"),
};

static void test_fast_path_matches_libcsv(void **state) {
    for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++)
        expect_fast_matches(tricky[i].text, tricky[i].len);
}

/* Each short tricky text cut into three pieces at every pair of points, so
 * that every byte (a CR, a quote, a line's last byte) ends a chunk. */
static void test_fast_path_matches_libcsv_at_every_cut(void **state) {
    for (size_t t = 0; t < sizeof tricky / sizeof *tricky; t++) {
        const char *text = tricky[t].text;
        size_t len = tricky[t].len;
        csv_trace want;
        csv_trace_parse(text, len, NULL, 0, 0, &want);
        for (size_t i = 0; i <= len; i++) {
            for (size_t j = i; j <= len; j++) {
                size_t sizes[3] = {i, j - i, len - j};
                if (!fast_matches_in(text, len, sizes, 3, &want))
                    fail();
            }
        }
        csv_trace_free(&want);
    }
}

/* Appends a line of nfields fields and n bytes (line end excluded), n being
 * at least nfields - 1: x's split evenly, or with the first field quoted
 * (a quote pair and a "" escape, so n - 4 bytes of its text). */
static void append_line(hw_buf *b, size_t nfields, size_t n, bool quoted, const char *eol) {
    size_t text = n - (nfields - 1);
    if (quoted) {
        assert_true(text >= 4);
        text -= 4;
    }
    size_t start = b->len;
    hw_buf_reserve(b, n + strlen(eol));
    char *p = b->data + b->len;
    for (size_t f = 0; f < nfields; f++) {
        size_t flen = text / nfields + (f < text % nfields);
        if (f)
            *p++ = ',';
        if (quoted && f == 0) {
            *p++ = '"';
            memset(p, 'q', flen + 2);
            p[flen / 2] = '"'; /* with the next byte, "" */
            p[flen / 2 + 1] = '"';
            p += flen + 2;
            *p++ = '"';
        } else {
            memset(p, 'x', flen);
            p += flen;
        }
    }
    b->len = (size_t)(p - b->data);
    assert_int_equal(b->len - start, n);
    hw_buf_puts(b, eol);
}

static void count_overflow(void *ctx, const hw_row *row) {
    if (row->overflow)
        ++*(size_t *)ctx;
}

/* How many rows of text pass a bound (libcsv alone, whole). */
static size_t overflows(const hw_buf *text) {
    size_t n = 0;
    hw_csv_reader *r = hw_csv_new(count_overflow, &n);
    assert_non_null(r);
    hw_csv_set_fast(r, 0);
    assert_int_equal(hw_csv_feed(r, text->data, text->len), HW_CSV_OK);
    assert_int_equal(hw_csv_finish(r), HW_CSV_OK);
    hw_csv_free(r);
    return n;
}

/* Rows at the bounds (HW_CSV_MAX_FIELDS fields, HW_CSV_MAX_ROW_BYTES bytes)
 * and one past: the fast path takes the first, libcsv the rest. */
static void test_fast_path_matches_libcsv_near_bounds(void **state) {
    const size_t max_fields = HW_CSV_MAX_FIELDS, max_bytes = HW_CSV_MAX_ROW_BYTES;
    const size_t nf[] = {max_fields - 1, max_fields, max_fields + 1};
    const size_t few[] = {2, 16}, bytes_near[] = {max_bytes - 1, max_bytes, max_bytes + 1};
    static const char *const eols[] = {"\n", "\r\n", "\r", ""};
    for (size_t f = 0; f < 3; f++) {
        /* Fields of a byte or two, the last line with each line end. */
        for (size_t e = 0; e < sizeof eols / sizeof *eols; e++) {
            hw_buf text;
            hw_buf_init(&text);
            hw_buf_puts(&text, "h\n");
            append_line(&text, nf[f], 2 * nf[f] - 1, false, "\n"); /* x,x,...,x */
            append_line(&text, nf[f], 3 * nf[f] - 1, false, "\n"); /* xx,x,... */
            append_line(&text, nf[f], nf[f] - 1, false, "\n");     /* ,,,,, */
            hw_buf_puts(&text, "a,row\n");
            append_line(&text, nf[f], 2 * nf[f] + 3, true, eols[e]); /* the last */
            assert_int_equal(overflows(&text), nf[f] > max_fields ? 4 : 0);
            expect_fast_matches_big(text.data, text.len);
            hw_buf_free(&text);
        }
        for (size_t n = 0; n < 3; n++) {
            hw_buf text;
            hw_buf_init(&text);
            /* As many fields and bytes as a row may hold, and one more. */
            append_line(&text, nf[f], bytes_near[n], false, "\n");
            append_line(&text, nf[f], bytes_near[n], true, "\r\n");
            hw_buf_puts(&text, "\"a\nb\",c\n");
            /* The quoted line's text is 3 bytes shorter: it passes no bound. */
            assert_int_equal(overflows(&text), nf[f] > max_fields          ? 2
                                               : bytes_near[n] > max_bytes ? 1
                                                                           : 0);
            expect_fast_matches_big(text.data, text.len);
            hw_buf_free(&text);
        }
    }
    /* A field past the bound by more than libcsv is fed at once: libcsv is
     * taken off the row, and lines inside it that look plain are not rows. */
    static const char *const overlong[][2] = {
        {"h\n\"", "\na,b\r\nc,d\n\"\" x\n\",e\nf,g\n"},
        {"h\r\nx,", "\r\na,b\r\n\"c\",d\r\n"},
    };
    hw_buf text;
    hw_buf_init(&text);
    for (size_t k = 0; k < sizeof overlong / sizeof *overlong; k++) {
        hw_buf_puts(&text, overlong[k][0]);
        size_t big = max_bytes + max_bytes / 8;
        hw_buf_reserve(&text, big);
        memset(text.data + text.len, 'y', big);
        text.len += big;
        hw_buf_puts(&text, overlong[k][1]);
    }
    assert_int_equal(overflows(&text), sizeof overlong / sizeof *overlong);
    expect_fast_matches_big(text.data, text.len);
    hw_buf_free(&text);
    /* Two fields, or 16 of 64 KiB: a field of a MiB would only make libcsv's
     * buffer grow 4 KiB at a time, slowly under ASan, for nothing new. */
    for (size_t k = 0; k < sizeof few / sizeof *few; k++) {
        hw_buf_init(&text);
        for (size_t n = 0; n < 3; n++) {
            append_line(&text, few[k], bytes_near[n], false, "\r\n");
            append_line(&text, few[k], bytes_near[n], true, "\n");
        }
        assert_int_equal(overflows(&text), 1); /* the unquoted line of max_bytes + 1 */
        expect_fast_matches_big(text.data, text.len);
        hw_buf_free(&text);
    }
}

/* xorshift64*: the same numbers on every machine and run. */
static uint64_t next_random(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

/* Short random texts over an alphabet of CSV's special bytes and a few
 * others; each parsed whole, in chunks of 1, 2, 3 and 7 bytes and in chunks
 * of random sizes, with the fast path on and off. */
static void test_fast_path_matches_libcsv_random(void **state) {
    static const text_case alphabet[] = {TEXT("a"), TEXT(","),  TEXT("\""), TEXT("\r"), TEXT("\n"),
                                         TEXT(" "), TEXT("\t"), TEXT("\0"), TEXT("x"),  TEXT("中")};
    const size_t nsym = sizeof alphabet / sizeof *alphabet;
    uint64_t seed = UINT64_C(0x9E3779B97F4A7C15);
    for (int round = 0; round < 4000; round++) {
        char text[40 * 3];
        size_t len = 0;
        size_t nsyms = next_random(&seed) % 40;
        for (size_t i = 0; i < nsyms; i++) {
            const text_case *sym = &alphabet[next_random(&seed) % nsym];
            memcpy(text + len, sym->text, sym->len);
            len += sym->len;
        }
        csv_trace want;
        csv_trace_parse(text, len, NULL, 0, 0, &want);
        bool ok = fast_matches_in(text, len, NULL, 0, &want);
        for (size_t c = 0; ok && c < 4; c++)
            ok = fast_matches_in(text, len, &chunk_sizes[c], 1, &want);
        size_t sizes[8];
        for (size_t i = 0; i < 8; i++)
            sizes[i] = next_random(&seed) % 9; /* an empty chunk now and then */
        sizes[0] |= 1;                         /* never all empty */
        if (ok)
            ok = fast_matches_in(text, len, sizes, 8, &want);
        csv_trace_free(&want);
        if (!ok) {
            fprintf(stderr, "round %d\n", round);
            fail();
        }
    }
}

/* A field at the bound: its text decides, not the blanks or the closing
 * quote that the field's end drops, nor where the chunks end. (Checked only
 * where a chunk ended, the bound once counted those when a chunk ended just
 * after them: a quoted field of exactly HW_CSV_MAX_ROW_BYTES was read whole,
 * or was too long when a chunk ended after its closing quote.) All the
 * cases are lines of one text, so that libcsv's buffer grows once a parse. */
static void test_field_at_bound_whatever_the_chunks(void **state) {
    const size_t max = HW_CSV_MAX_ROW_BYTES;
    static const char *const tails[] = {"", " \t"};
    enum { NCASES = 8, NCUTS = 4 };
    size_t cut[NCUTS][NCASES]; /* after the text, the quote, a blank, the blanks */
    hw_buf text, want;
    hw_buf_init(&text);
    hw_buf_init(&want);
    size_t k = 0;
    for (size_t len = max; len <= max + 1; len++) {
        for (int quoted = 0; quoted < 2; quoted++) {
            for (size_t t = 0; t < sizeof tails / sizeof *tails; t++, k++) {
                hw_buf_puts(&text, quoted ? "\"" : "");
                hw_buf_reserve(&text, len);
                memset(text.data + text.len, 'x', len);
                text.len += len;
                cut[0][k] = text.len;
                hw_buf_puts(&text, quoted ? "\"" : "");
                cut[1][k] = text.len;
                hw_buf_puts(&text, tails[t]);
                cut[2][k] = *tails[t] ? text.len - 1 : text.len;
                cut[3][k] = text.len;
                hw_buf_puts(&text, "\n");
                if (len <= max) {
                    hw_buf_printf(&want, "@%zu 1: [%zu]", k + 1, len);
                    hw_buf_append(&want, text.data + cut[0][k] - len, len);
                    hw_buf_puts(&want, "\n");
                } else {
                    hw_buf_printf(&want, "@%zu !1@1\n", k + 1);
                }
            }
        }
    }
    assert_int_equal(k, NCASES);
    hw_buf_puts(&text, "next,row\n");
    hw_buf_printf(&want, "@%d 2: [4]next [3]row\n=0, %d lines\n", NCASES + 1, NCASES + 2);

    csv_trace got;
    csv_trace_parse(text.data, text.len, NULL, 0, 0, &got);
    bool ok = csv_trace_same(&want, &got.rows);
    if (!ok)
        csv_trace_report("fields at the bound", text.data, text.len, NULL, 0, &want, &got.rows);
    csv_trace_free(&got);
    /* In chunks that end at one of those places on every line. */
    for (size_t c = 0; ok && c < NCUTS; c++) {
        size_t sizes[NCASES + 1];
        for (size_t i = 0; i < NCASES; i++)
            sizes[i] = cut[c][i] - (i ? cut[c][i - 1] : 0);
        sizes[NCASES] = text.len - cut[c][NCASES - 1];
        csv_trace_parse(text.data, text.len, sizes, NCASES + 1, 0, &got);
        ok = csv_trace_same(&want, &got.rows);
        if (!ok)
            csv_trace_report("fields at the bound", text.data, text.len, sizes, NCASES + 1, &want,
                             &got.rows);
        csv_trace_free(&got);
    }
    hw_buf_free(&text);
    hw_buf_free(&want);
    if (!ok)
        fail();
}

/* More blanks than libcsv is fed at once after a field at or just under
 * the bound: dropped when the field ends there, text past the bound when
 * anything else follows them. */
static void test_blanks_after_field_at_bound(void **state) {
    const size_t max = HW_CSV_MAX_ROW_BYTES, blanks = 200003;
    static const struct {
        const char *open, *close, *after;
        bool read;
        size_t len; /* of the text, less than the bound by 1 (or 0) */
    } cases[] = {
        {"", "", "\n", true, 1}, /* read: the blanks are dropped */
        {"\"", "\"", "\n", true, 1},
        {"", "", "y\n", false, 1}, /* the blanks are text */
        {"\"", "\"", "\"\n", false, 1},
        {"\"", "\"", "y\n\"\n", false, 1}, /* quoted again: the line end is text */
        {"\"", "\"", "\"\n", false, 0},    /* all the blanks counted, none held */
    };
    hw_buf text, want;
    hw_buf_init(&text);
    hw_buf_init(&want);
    unsigned long line = 1;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        size_t len = max - cases[k].len;
        hw_buf_puts(&text, cases[k].open);
        hw_buf_reserve(&text, len + blanks);
        memset(text.data + text.len, 'x', len);
        text.len += len;
        hw_buf_puts(&text, cases[k].close);
        memset(text.data + text.len, k % 2 ? ' ' : '\t', blanks);
        text.len += blanks;
        hw_buf_puts(&text, cases[k].after);
        if (cases[k].read) {
            hw_buf_printf(&want, "@%lu 1: [%zu]", line, len);
            hw_buf_reserve(&want, len);
            memset(want.data + want.len, 'x', len);
            want.len += len;
            hw_buf_puts(&want, "\n");
        } else {
            hw_buf_printf(&want, "@%lu !1@1\n", line);
        }
        for (const char *p = cases[k].after; *p; p++)
            line += *p == '\n';
    }
    hw_buf_puts(&text, "next,row\n");
    hw_buf_printf(&want, "@%lu 2: [4]next [3]row\n=0, %lu lines\n", line, line + 1);
    static const size_t chunks[] = {4096, 65537};
    csv_trace got;
    csv_trace_parse(text.data, text.len, NULL, 0, 0, &got);
    bool ok = csv_trace_same(&want, &got.rows);
    csv_trace_free(&got);
    for (size_t c = 0; ok && c < sizeof chunks / sizeof *chunks; c++) {
        csv_trace_parse(text.data, text.len, &chunks[c], 1, 0, &got);
        ok = csv_trace_same(&want, &got.rows);
        csv_trace_free(&got);
    }
    hw_buf_free(&text);
    hw_buf_free(&want);
    if (!ok)
        fail();
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
        cmocka_unit_test(test_fields_filling_the_bound),
        cmocka_unit_test(test_overlong_field_ends_where_libcsv_would),
        cmocka_unit_test(test_overlong_unterminated),
        cmocka_unit_test(test_lenient_rows_take_the_fast_path),
        cmocka_unit_test(test_fast_path_marks_plain_fields),
        cmocka_unit_test(test_fast_path_matches_libcsv),
        cmocka_unit_test(test_fast_path_matches_libcsv_at_every_cut),
        cmocka_unit_test(test_fast_path_matches_libcsv_near_bounds),
        cmocka_unit_test(test_fast_path_matches_libcsv_random),
        cmocka_unit_test(test_field_at_bound_whatever_the_chunks),
        cmocka_unit_test(test_blanks_after_field_at_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
