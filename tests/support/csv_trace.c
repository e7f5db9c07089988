#include "csv_trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"

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
        if (row->plain && row->plain[i] && hw_fold_needed(row->field[i], row->len[i]))
            abort(); /* a field marked plain is one hw_fold gives back */
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

void csv_trace_parse(const char *text, size_t len, const size_t *sizes, size_t nsizes, int fast,
                     csv_trace *res) {
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

void csv_trace_free(csv_trace *res) {
    hw_buf_free(&res->rows);
    hw_buf_free(&res->trace);
}

int csv_trace_same(const hw_buf *a, const hw_buf *b) {
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Writes p[0..n) with C escapes, at most max bytes of it. */
static void print_escaped(FILE *fp, const char *p, size_t n, size_t max) {
    for (size_t i = 0; i < n && i < max; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n')
            fputs("\\n", fp);
        else if (c == '\r')
            fputs("\\r", fp);
        else if (c == '\t')
            fputs("\\t", fp);
        else if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(fp, "\\x%02x", c);
        else
            fputc(c, fp);
    }
    if (n > max)
        fprintf(fp, "... (%zu bytes)", n);
}

void csv_trace_report(const char *what, const char *text, size_t len, const size_t *sizes,
                      size_t nsizes, const hw_buf *want, const hw_buf *got) {
    enum { MAX = 2000 };
    fprintf(stderr, "%s\ntext (%zu bytes): \"", what, len);
    print_escaped(stderr, text, len, MAX);
    fprintf(stderr, "\"\nchunks:");
    for (size_t i = 0; i < nsizes; i++)
        fprintf(stderr, " %zu", sizes[i]);
    fprintf(stderr, "%s\nwant: \"", nsizes ? "" : " none");
    print_escaped(stderr, want->data, want->len, MAX);
    fprintf(stderr, "\"\n got: \"");
    print_escaped(stderr, got->data, got->len, MAX);
    fprintf(stderr, "\"\n");
}
