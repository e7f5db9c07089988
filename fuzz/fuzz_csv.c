/* libFuzzer harness holding the CSV stage's fast path to libcsv.
 *
 * The CSV stage splits plain lines itself (split_line and fast_row in
 * src/csv.c) and sends every other line to libcsv; hw_csv_set_fast(r, 0)
 * sends them all to libcsv. The rows must be the same either way, whatever
 * the chunks the text arrives in.
 *
 * Input: a first byte k, then k % 16 bytes of chunk sizes (a byte b is a
 * chunk of b + 1 bytes; the sizes are used in turn, over and over; none
 * means one chunk), then the text. The text is parsed four times: libcsv
 * alone, whole (the reference); the fast path, whole; libcsv alone, in the
 * chunks; the fast path, in the chunks. Each must give the reference's rows
 * (every field's length and bytes, NULs included, line numbers, overflow
 * marks) and its final status; the fast path must also leave the reader in
 * the same state as libcsv after each feed (between rows or not, lines
 * seen). Any difference aborts, printing the two.
 *
 * The fuzz build makes the row bounds small (Makefile, FUZZ_DEFS), so short
 * inputs reach the rows that pass them and the lines the fast path leaves
 * to libcsv for being too long or too wide. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_csv.h"
#include "hw_util.h"

#define MAX_SIZES 15

typedef struct {
    hw_buf rows;  /* each row, then the status */
    hw_buf trace; /* the reader's state after each feed */
} parse_result;

static void collect(void *ctx, const hw_row *row) {
    hw_buf *b = ctx;
    hw_buf_printf(b, "@%lu", row->line);
    if (row->overflow) {
        if (row->nfields != 0)
            abort();
        hw_buf_printf(b, " !%d@%zu\n", (int)row->overflow, row->overflow_column);
        return;
    }
    hw_buf_printf(b, " %zu:", row->nfields);
    for (size_t i = 0; i < row->nfields; i++) {
        if (row->field[i][row->len[i]] != '\0')
            abort(); /* every field is NUL-terminated */
        hw_buf_printf(b, " [%zu]", row->len[i]);
        hw_buf_append(b, row->field[i], row->len[i]);
    }
    hw_buf_puts(b, "\n");
}

static hw_csv_status feed(hw_csv_reader *r, const char *text, size_t n, hw_buf *trace) {
    hw_csv_status st = hw_csv_feed(r, text, n);
    hw_buf_printf(trace, "%zu:%d,%d,%lu\n", n, (int)st, hw_csv_between_rows(r), hw_csv_lines(r));
    return st;
}

/* Parses text whole (nsizes 0) or in chunks of sizes[0], sizes[1], ... */
static void parse(const char *text, size_t len, const size_t *sizes, size_t nsizes, int fast,
                  parse_result *res) {
    hw_buf_init(&res->rows);
    hw_buf_init(&res->trace);
    hw_csv_reader *r = hw_csv_new(collect, &res->rows);
    if (!r)
        abort();
    hw_csv_set_fast(r, fast);
    hw_csv_status st = HW_CSV_OK;
    if (nsizes == 0)
        st = feed(r, text, len, &res->trace);
    for (size_t i = 0, k = 0; nsizes && i < len && st == HW_CSV_OK; k++) {
        size_t n = sizes[k % nsizes] < len - i ? sizes[k % nsizes] : len - i;
        st = feed(r, text + i, n, &res->trace);
        i += n;
    }
    if (st == HW_CSV_OK)
        st = hw_csv_finish(r);
    hw_buf_printf(&res->rows, "=%d", (int)st);
    if (st != HW_CSV_OK) /* the error line means something only then */
        hw_buf_printf(&res->rows, " at %lu", hw_csv_error_line(r));
    hw_buf_printf(&res->rows, ", %lu lines\n", hw_csv_lines(r));
    hw_csv_free(r);
}

static void free_result(parse_result *res) {
    hw_buf_free(&res->rows);
    hw_buf_free(&res->trace);
}

/* Prints bytes with C escapes, at most 2000 of them (the whole input is
 * in the crash file libFuzzer writes). */
static void print_escaped(const char *p, size_t n) {
    for (size_t i = 0; i < n && i < 2000; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n')
            fputs("\\n", stderr);
        else if (c == '\r')
            fputs("\\r", stderr);
        else if (c == '\t')
            fputs("\\t", stderr);
        else if (c == '"' || c == '\\')
            fprintf(stderr, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    if (n > 2000)
        fprintf(stderr, "... (%zu bytes)", n);
}

static void same(const char *what, const hw_buf *want, const hw_buf *got, const char *text,
                 size_t len, const size_t *sizes, size_t nsizes) {
    if (want->len == got->len && (want->len == 0 || memcmp(want->data, got->data, want->len) == 0))
        return;
    fprintf(stderr, "%s\ntext (%zu bytes): \"", what, len);
    print_escaped(text, len);
    fprintf(stderr, "\"\nchunks:");
    for (size_t i = 0; i < nsizes; i++)
        fprintf(stderr, " %zu", sizes[i]);
    fprintf(stderr, "%s\nwant: \"", nsizes ? "" : " none");
    print_escaped(want->data, want->len);
    fprintf(stderr, "\"\n got: \"");
    print_escaped(got->data, got->len);
    fprintf(stderr, "\"\n");
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    size_t nsizes = data[0] % (MAX_SIZES + 1);
    if (nsizes > size - 1)
        nsizes = size - 1;
    size_t sizes[MAX_SIZES];
    for (size_t i = 0; i < nsizes; i++)
        sizes[i] = (size_t)data[1 + i] + 1;
    const char *text = (const char *)data + 1 + nsizes;
    size_t len = size - 1 - nsizes;

    parse_result want, fast_whole, slow_chunks, fast_chunks;
    parse(text, len, NULL, 0, 0, &want);
    parse(text, len, NULL, 0, 1, &fast_whole);
    parse(text, len, sizes, nsizes, 0, &slow_chunks);
    parse(text, len, sizes, nsizes, 1, &fast_chunks);

    same("fast path, whole: rows differ from libcsv's", &want.rows, &fast_whole.rows, text, len,
         NULL, 0);
    same("fast path, whole: state after the feed differs from libcsv's", &want.trace,
         &fast_whole.trace, text, len, NULL, 0);
    same("libcsv in chunks: rows differ from libcsv whole", &want.rows, &slow_chunks.rows, text,
         len, sizes, nsizes);
    same("fast path in chunks: rows differ from libcsv's", &slow_chunks.rows, &fast_chunks.rows,
         text, len, sizes, nsizes);
    same("fast path in chunks: state after a feed differs from libcsv's", &slow_chunks.trace,
         &fast_chunks.trace, text, len, sizes, nsizes);

    free_result(&want);
    free_result(&fast_whole);
    free_result(&slow_chunks);
    free_result(&fast_chunks);
    return 0;
}
