/* Record stage: CSV rows of one file in, normalised records or input errors
 * out. Finds the columns by header name and reads every notation. */
#ifndef HW_RECORD_H
#define HW_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw_csv.h"
#include "hw_decode.h"
#include "hw_msg.h"
#include "hw_policy.h"
#include "hw_util.h"

/* Where each field is in one file, and what the file calls its columns. */
typedef struct {
    int col[HW_FIELD__COUNT]; /* 0-based column of each field, -1 when absent */
    size_t ncols;
    char **name; /* header cells as written (folded), for messages */
} hw_header;

/* What reading one file needs to know, and where its errors go. */
typedef struct {
    const hw_policy *policy;
    const char *file; /* as the user named it */
    hw_lang lang;
    hw_encoding encoding; /* for the message about undecodable bytes */
    hw_error_sink sink;
    bool clean;     /* no NUL or undecodable byte in the text so far: cells need no check */
    bool fill_down; /* --fill-down: empty cells were filled from above (hw_fill_down) */
} hw_record_ctx;

/* One readable row. Strings point into the scratch buffer passed to
 * hw_record_read and live until the next call. */
typedef struct {
    const char *school; /* folded; "" when none */
    size_t school_len;
    const char *cls; /* folded class name */
    size_t cls_len;
    int grade;
    unsigned grade_col;     /* 1-based column the grade came from (for messages) */
    const char *grade_text; /* the value the grade came from */
    size_t grade_text_len;
    int32_t date; /* days since 1970-01-01 */
    const char *subject;
    size_t subject_len;
    int64_t umin; /* micro-minutes */
    hw_type_kind type;
    const char *type_text; /* folded type value ("" when none) */
    size_t type_len;
    unsigned long line;
} hw_record;

/* Maps a header row's cells to fields. Reports a field named twice or a
 * required column missing; returns false when the file cannot be checked.
 * h is filled either way and is freed with hw_header_free. */
bool hw_header_read(hw_header *h, const hw_record_ctx *ctx, const hw_row *row);
/* Frees what a header owns. */
void hw_header_free(hw_header *h);

/* Whether every field of a row is empty or only spaces (rows Excel writes as
 * ",,,"): such rows are skipped. */
bool hw_row_is_blank(const hw_row *row);

/* What hw_record_read returns for a row that is a header row again, as in
 * files joined end to end (copy a.csv + b.csv, cat): a whole header, every
 * required field named and none twice, where a data row was due. Nothing is
 * reported for it; the rows after it are read by it (hw_header_read). */
#define HW_RECORD_HEADER ((size_t)-1)

/* Reads a data row into rec. Returns the number of input errors reported for
 * it (0: rec is a readable row), or HW_RECORD_HEADER. scratch holds rec's
 * folded strings. */
size_t hw_record_read(const hw_header *h, const hw_record_ctx *ctx, const hw_row *row,
                      hw_buf *scratch, hw_record *rec);

/* --fill-down. A sheet with merged cells (合并单元格: a class or a date
 * written once for the rows of a day) exports the value in the first row and
 * empty cells below it. With the option, an empty school, class, grade or
 * date cell takes the last value above it in the same file. */
#define HW_FILL_FIELDS 4
typedef struct {
    hw_buf above[HW_FILL_FIELDS]; /* the last value of each; len 0: none yet */
    const char **field;           /* the row handed on, with the filled cells */
    size_t *len;
    size_t cap;
} hw_fill;

/* Starts with nothing above; free with hw_fill_free. */
void hw_fill_init(hw_fill *f);
void hw_fill_free(hw_fill *f);
/* Forgets what is above (a header row again starts another register). */
void hw_fill_reset(hw_fill *f);
/* row with its empty fill-down cells filled from above, as *out (valid until
 * the next call); remembers its other cells of those fields. */
const hw_row *hw_fill_down(hw_fill *f, const hw_header *h, const hw_row *row, hw_row *out);

/* Reports one input error about a cell: the message is "<header> "<value>"
 * <reason>", the reason being a message of the catalogue with its arguments. */
void hw_record_error(const hw_record_ctx *ctx, unsigned long line, unsigned column,
                     const char *header, const char *value, size_t value_len, hw_msg_id reason,
                     ...);

#endif
