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
#include <stdlib.h>

#include "csv_trace.h"

#define MAX_SIZES 15

static void same(const char *what, const hw_buf *want, const hw_buf *got, const char *text,
                 size_t len, const size_t *sizes, size_t nsizes) {
    if (csv_trace_same(want, got))
        return;
    /* the whole input is in the crash file */
    csv_trace_report(what, text, len, sizes, nsizes, want, got);
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

    csv_trace want, fast_whole, slow_chunks, fast_chunks;
    csv_trace_parse(text, len, NULL, 0, 0, &want);
    csv_trace_parse(text, len, NULL, 0, 1, &fast_whole);
    csv_trace_parse(text, len, sizes, nsizes, 0, &slow_chunks);
    csv_trace_parse(text, len, sizes, nsizes, 1, &fast_chunks);

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

    csv_trace_free(&want);
    csv_trace_free(&fast_whole);
    csv_trace_free(&slow_chunks);
    csv_trace_free(&fast_chunks);
    return 0;
}
