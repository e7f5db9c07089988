/* CSV stage: decoded UTF-8 text in, rows with the line each starts on out.
 * libcsv does the parsing; this module feeds it line by line so that every
 * row knows the line an editor shows for it. A line that is one plain row
 * is split here instead, with the same result (see fast_row in csv.c). */
#ifndef HW_CSV_H
#define HW_CSV_H

#include <stddef.h>

/* Bounds on one row, so that memory stays bounded whatever the input holds:
 * the text of its fields together, and the number of its fields (Excel's
 * sheets have at most 16384 columns). A row beyond them is delivered without
 * its fields, marked, and the rows after it are read as usual. */
#ifndef HW_CSV_MAX_ROW_BYTES /* the fuzz build makes them small, to reach them */
#define HW_CSV_MAX_ROW_BYTES ((size_t)1 << 20)
#endif
#ifndef HW_CSV_MAX_FIELDS
#define HW_CSV_MAX_FIELDS 16384
#endif

/* Why a row's fields were not delivered. */
typedef enum {
    HW_ROW_OK = 0,
    HW_ROW_TOO_LONG,        /* its text passed HW_CSV_MAX_ROW_BYTES */
    HW_ROW_TOO_MANY_FIELDS, /* it has more than HW_CSV_MAX_FIELDS fields */
} hw_row_overflow;

/* One record. Fields are NUL-terminated copies (a field may also hold NUL
 * bytes: use len); they stay valid only during the row callback. */
typedef struct {
    size_t nfields;
    const char *const *field;
    const size_t *len;
    unsigned long line;       /* the line on which the row starts, the first being 1 */
    hw_row_overflow overflow; /* not HW_ROW_OK: nfields is 0, the row was skipped */
    size_t overflow_column;   /* 1-based column where the bound was passed */
    /* NULL, or for each field whether hw_fold would give it back unchanged
     * (1) or may not (0): what the fast path saw while it split the line,
     * so that a cell's bytes need not be looked at again. */
    const unsigned char *plain;
} hw_row;

/* Called for each row, blank lines excluded. */
typedef void (*hw_row_fn)(void *ctx, const hw_row *row);

typedef enum {
    HW_CSV_OK = 0,
    HW_CSV_UNTERMINATED, /* a quoted field never closed at the end of input */
    HW_CSV_FAILED,       /* libcsv could not go on (out of memory) */
} hw_csv_status;

typedef struct hw_csv_reader hw_csv_reader;

/* A reader that calls fn(ctx, row) for each row; free with hw_csv_free. */
hw_csv_reader *hw_csv_new(hw_row_fn fn, void *ctx);
/* Frees a reader (NULL is fine). */
void hw_csv_free(hw_csv_reader *r);
/* Parses len more bytes of text; rows complete in them are delivered. */
hw_csv_status hw_csv_feed(hw_csv_reader *r, const char *text, size_t len);
/* Ends the input, delivering a last row that has no final line end. */
hw_csv_status hw_csv_finish(hw_csv_reader *r);
/* The line on which the row that could not be finished starts. */
unsigned long hw_csv_error_line(const hw_csv_reader *r);
/* The number of lines seen so far (line ends, plus one for a last line). */
unsigned long hw_csv_lines(const hw_csv_reader *r);
/* Numbers the next line fed as line (for text that starts mid-file). */
void hw_csv_set_line(hw_csv_reader *r, unsigned long line);
/* Whether the text fed so far ends between rows (no row begun, no quoted
 * field open), so that the text after it can be parsed on its own. */
int hw_csv_between_rows(const hw_csv_reader *r);
/* Whether plain lines take the fast path (the default) or go to libcsv
 * like all others: the rows are the same either way. */
void hw_csv_set_fast(hw_csv_reader *r, int fast);

#endif
