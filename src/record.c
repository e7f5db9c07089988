#include "hw_record.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"

/* How much of a value a message quotes. */
#define EXCERPT_MAX 80

void hw_record_error(const hw_record_ctx *ctx, unsigned long line, unsigned column,
                     const char *header, const char *value, size_t value_len, hw_msg_id reason,
                     ...) {
    hw_buf msg;
    hw_buf_init(&msg);
    bool zh = ctx->lang == HW_LANG_ZH;
    if (header && *header)
        hw_buf_puts(&msg, header);
    /* A header cell named as its own value is not repeated in the message. */
    bool is_header =
        header && value && strlen(header) == value_len && memcmp(header, value, value_len) == 0;
    if (value && value_len && !is_header) {
        hw_buf_puts(&msg, zh ? "“" : (header && *header) ? " \"" : "\"");
        hw_msg_excerpt(&msg, value, value_len, EXCERPT_MAX, 1);
        hw_buf_puts(&msg, zh ? "”" : "\" ");
    } else if (header && *header && !zh) {
        hw_buf_puts(&msg, " ");
    }
    va_list ap;
    va_start(ap, reason);
    hw_buf_vprintf(&msg, hw_msg(ctx->lang, reason), ap);
    va_end(ap);
    hw_input_error e = {ctx->file, line, column, header, value, value_len, msg.data};
    ctx->sink.report(ctx->sink.ctx, &e);
    hw_buf_free(&msg);
}

/* Whether s[0..len) is only spaces, tabs, line ends and U+3000. */
static bool is_blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '\xE3' && i + 2 < len && s[i + 1] == '\x80' && s[i + 2] == '\x80') {
            i += 2;
            continue;
        }
        return false;
    }
    return true;
}

static const hw_field fill_fields[HW_FILL_FIELDS] = {HW_FIELD_SCHOOL, HW_FIELD_CLASS,
                                                     HW_FIELD_GRADE, HW_FIELD_DATE};

void hw_fill_init(hw_fill *f) {
    memset(f, 0, sizeof *f);
    for (int k = 0; k < HW_FILL_FIELDS; k++)
        hw_buf_init(&f->above[k]);
}

void hw_fill_free(hw_fill *f) {
    for (int k = 0; k < HW_FILL_FIELDS; k++)
        hw_buf_free(&f->above[k]);
    free(f->field);
    free(f->len);
    memset(f, 0, sizeof *f);
}

void hw_fill_reset(hw_fill *f) {
    for (int k = 0; k < HW_FILL_FIELDS; k++)
        hw_buf_clear(&f->above[k]);
}

const hw_row *hw_fill_down(hw_fill *f, const hw_header *h, const hw_row *row, hw_row *out) {
    /* a short row has its missing trailing cells empty: those fill too */
    size_t n = row->nfields;
    for (int k = 0; k < HW_FILL_FIELDS; k++)
        if (h->col[fill_fields[k]] >= 0 && (size_t)h->col[fill_fields[k]] + 1 > n)
            n = (size_t)h->col[fill_fields[k]] + 1;
    if (n > f->cap) {
        f->cap = n;
        f->field = hw_xreallocarray(f->field, n, sizeof *f->field);
        f->len = hw_xreallocarray(f->len, n, sizeof *f->len);
    }
    for (size_t j = 0; j < n; j++) {
        f->field[j] = j < row->nfields ? row->field[j] : "";
        f->len[j] = j < row->nfields ? row->len[j] : 0;
    }
    for (int k = 0; k < HW_FILL_FIELDS; k++) {
        int j = h->col[fill_fields[k]];
        if (j < 0)
            continue;
        hw_buf *above = &f->above[k];
        if (!is_blank(f->field[j], f->len[j])) {
            hw_buf_clear(above);
            hw_buf_append(above, f->field[j], f->len[j]);
        } else if (above->len) {
            f->field[j] = above->data;
            f->len[j] = above->len;
        }
    }
    *out = *row;
    out->nfields = n;
    out->field = f->field;
    out->len = f->len;
    out->plain = NULL; /* a cell filled from above is not the one split */
    return out;
}

bool hw_row_is_blank(const hw_row *row) {
    for (size_t i = 0; i < row->nfields; i++)
        if (!is_blank(row->field[i], row->len[i]))
            return false;
    return true;
}

/* The BOM a file starts with, which files joined end to end carry along. */
#define BOM "\xEF\xBB\xBF"

/* Header cell j of row, folded into out (room for its bytes and a NUL),
 * without the BOM of a file joined after another; returns its length. */
static size_t header_cell(const hw_row *row, size_t j, char *out) {
    const char *v = row->field[j];
    size_t n = row->len[j];
    if (j == 0 && n >= 3 && memcmp(v, BOM, 3) == 0) {
        v += 3;
        n -= 3;
    }
    return hw_fold(v, n, out);
}

bool hw_header_read(hw_header *h, const hw_record_ctx *ctx, const hw_row *row) {
    memset(h, 0, sizeof *h);
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        h->col[f] = -1;
    h->ncols = row->nfields;
    h->name = hw_xcalloc(row->nfields, sizeof *h->name);
    bool ok = true;
    /* A header that cannot be decoded means the wrong encoding: say that once
     * instead of listing every column as missing. */
    for (size_t j = 0; j < row->nfields; j++) {
        if (memchr(row->field[j], HW_BAD_BYTE, row->len[j])) {
            hw_record_error(ctx, row->line, (unsigned)j + 1, NULL, row->field[j], row->len[j],
                            HW_M_BAD_BYTES, hw_encoding_name(ctx->encoding));
            return false;
        }
    }
    for (size_t j = 0; j < row->nfields; j++) {
        char *name = hw_xmalloc(row->len[j] + 1);
        size_t n = header_cell(row, j, name);
        h->name[j] = name;
        hw_field f = hw_policy_field(ctx->policy, name, n);
        if (f == HW_FIELD__COUNT)
            continue;
        if (h->col[f] >= 0) {
            hw_record_error(ctx, row->line, (unsigned)j + 1, name, name, n, HW_M_DUP_COL,
                            hw_field_name(f), (unsigned)h->col[f] + 1);
            ok = false;
            continue;
        }
        h->col[f] = (int)j;
    }
    hw_buf missing;
    hw_buf_init(&missing);
    for (int f = 0; f < HW_FIELD__COUNT; f++) {
        if (!hw_field_required((hw_field)f) || h->col[f] >= 0)
            continue;
        const hw_strlist *names = &ctx->policy->alias[f];
        if (missing.len)
            hw_buf_puts(&missing, ", ");
        /* Name the field as users know it: its first Chinese and English names. */
        hw_buf_puts(&missing, hw_field_name((hw_field)f));
        for (size_t i = 0; i < names->n; i++) {
            if ((unsigned char)names->item[i][0] >= 0x80) {
                hw_buf_printf(&missing, "/%s", names->item[i]);
                break;
            }
        }
    }
    if (missing.len) {
        /* Saved as 文本文件(制表符分隔), or by a European Excel with ';':
         * the whole header is one cell holding the names. */
        const char *sep = row->nfields != 1                          ? NULL
                          : memchr(row->field[0], '\t', row->len[0]) ? "\t"
                          : memchr(row->field[0], ';', row->len[0])  ? ";"
                                                                     : NULL;
        if (sep)
            hw_record_error(ctx, row->line, 0, NULL, NULL, 0, HW_M_NOT_COMMAS,
                            *sep == '\t' ? (ctx->lang == HW_LANG_ZH ? "制表符" : "tabs")
                                         : (ctx->lang == HW_LANG_ZH ? "分号" : "semicolons"));
        else
            hw_record_error(ctx, row->line, 0, NULL, NULL, 0, HW_M_MISSING_COLS, missing.data);
        ok = false;
    }
    hw_buf_free(&missing);
    return ok;
}

void hw_header_free(hw_header *h) {
    if (h->name)
        for (size_t j = 0; j < h->ncols; j++)
            free(h->name[j]);
    free(h->name);
    memset(h, 0, sizeof *h);
}

/* The folded text of a field, in scratch; "" when the row is too short. */
typedef struct {
    const char *s;
    size_t len;
    unsigned col; /* 1-based */
    const char *header;
    const char *raw;
    size_t raw_len;
    bool present; /* the row reaches its column (a short row's last cells are empty) */
} cell;

/* get_cell runs for seven cells of every row: inlined into its caller, so
 * that the parts of a cell the caller does not use are never filled in. As
 * a call it took 5-8 % of the CPU of a run that reads a large file. */
#if defined(__GNUC__)
#define CELL_INLINE inline __attribute__((always_inline))
#else
#define CELL_INLINE inline
#endif

static CELL_INLINE cell get_cell(const hw_header *h, const hw_row *row, hw_field f,
                                 hw_buf *scratch) {
    cell c = {"", 0, 0, NULL, "", 0, false};
    int j = h->col[f];
    if (j < 0)
        return c;
    c.col = (unsigned)j + 1;
    c.header = h->name[j];
    if ((size_t)j >= row->nfields)
        return c;
    c.raw = row->field[j];
    c.raw_len = row->len[j];
    c.present = true;
    if ((row->plain && row->plain[j]) || !hw_fold_needed(c.raw, c.raw_len)) {
        c.s = c.raw; /* NUL-terminated, like a folded copy */
        c.len = c.raw_len;
        return c;
    }
    /* scratch was reserved for the whole row, so it does not move here. */
    char *out = scratch->data + scratch->len;
    c.len = hw_fold(row->field[j], row->len[j], out);
    c.s = out;
    scratch->len += c.len + 1;
    return c;
}

static hw_msg_id minutes_reason(hw_parse_status st) {
    switch (st) {
    case HW_PARSE_NEGATIVE:
        return HW_M_MIN_NEGATIVE;
    case HW_PARSE_TOO_LARGE:
        return HW_M_MIN_TOO_LARGE;
    default:
        return HW_M_MIN_SYNTAX;
    }
}

/* A row's errors are held until the row is read, then reported left to right. */
#define ROW_ERRORS_MAX 16
typedef struct {
    hw_input_error e[ROW_ERRORS_MAX];
    size_t n;
} row_errors;

static void hold(void *ctx, const hw_input_error *e) {
    row_errors *re = ctx;
    if (re->n == ROW_ERRORS_MAX)
        return;
    re->e[re->n] = *e;
    re->e[re->n].message = hw_xstrndup(e->message, strlen(e->message));
    re->n++;
}

static size_t read_row(const hw_header *h, const hw_record_ctx *ctx, const hw_row *row,
                       hw_buf *scratch, hw_record *rec);

/* Whether a row that did not read as data is a whole header row. Checked
 * only for such rows: first whether its cell in the class column names a
 * field, as a header's does (the same header again names the class there,
 * one in another column order some other field) and a class name does not. */
static bool header_again(const hw_header *h, const hw_record_ctx *ctx, const hw_row *row) {
    int j = h->col[HW_FIELD_CLASS];
    if (j < 0 || (size_t)j >= row->nfields)
        return false;
    char *name = hw_xmalloc(row->len[j] + 1);
    size_t n = header_cell(row, (size_t)j, name);
    bool named = hw_policy_field(ctx->policy, name, n) != HW_FIELD__COUNT;
    free(name);
    if (!named)
        return false;
    hw_record_ctx quiet = *ctx;
    quiet.sink = hw_no_errors;
    hw_header again;
    bool ok = hw_header_read(&again, &quiet, row);
    hw_header_free(&again);
    return ok;
}

size_t hw_record_read(const hw_header *h, const hw_record_ctx *ctx, const hw_row *row,
                      hw_buf *scratch, hw_record *rec) {
    row_errors held;
    held.n = 0;
    hw_record_ctx local = *ctx;
    local.sink = (hw_error_sink){hold, &held};
    size_t errors = read_row(h, &local, row, scratch, rec);
    if (errors && header_again(h, ctx, row)) {
        for (size_t i = 0; i < held.n; i++)
            free((char *)held.e[i].message);
        return HW_RECORD_HEADER;
    }
    /* insertion sort: stable, and a row has only a handful of errors */
    for (size_t i = 1; i < held.n; i++) {
        hw_input_error e = held.e[i];
        size_t k = i;
        for (; k > 0 && held.e[k - 1].column > e.column; k--)
            held.e[k] = held.e[k - 1];
        held.e[k] = e;
    }
    for (size_t i = 0; i < held.n; i++) {
        ctx->sink.report(ctx->sink.ctx, &held.e[i]);
        free((char *)held.e[i].message);
    }
    return errors;
}

/* Whether s[0..n) holds HW_BAD_BYTE or NUL. Cells are short: one plain
 * loop beats two memchr calls. */
static bool has_bad_or_nul(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == HW_BAD_BYTE || c == 0)
            return true;
    }
    return false;
}

/* The date a cell holds as the number Excel keeps for it (days since
 * 1899-12-30, shown when the column is formatted as a number): five digits
 * for 2000-01-01 to 2099-12-31. Told, not read: a number could mean
 * anything. INT32_MIN for anything else. */
static int32_t excel_serial(const char *s, size_t len) {
    if (len != 5)
        return INT32_MIN;
    int32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return INT32_MIN;
        v = v * 10 + (s[i] - '0');
    }
    if (v < 36526 || v > 73050)
        return INT32_MIN;
    return v - 25569; /* 1970-01-01 is 25569 */
}

static size_t read_row(const hw_header *h, const hw_record_ctx *ctx, const hw_row *row,
                       hw_buf *scratch, hw_record *rec) {
    size_t errors = 0;
    unsigned long line = row->line;
    memset(rec, 0, sizeof *rec);
    rec->line = line;

    /* Bytes that could not be decoded, or NUL, stand in a cell: say which. */
    for (size_t j = 0; j < row->nfields && !ctx->clean; j++) {
        const char *v = row->field[j];
        size_t n = row->len[j];
        if (!has_bad_or_nul(v, n))
            continue;
        const char *name = j < h->ncols ? h->name[j] : NULL;
        if (memchr(v, HW_BAD_BYTE, n)) {
            hw_record_error(ctx, line, (unsigned)j + 1, name, v, n, HW_M_BAD_BYTES,
                            hw_encoding_name(ctx->encoding));
            errors++;
        } else if (memchr(v, '\0', n)) {
            hw_record_error(ctx, line, (unsigned)j + 1, name, v, n, HW_M_NUL);
            errors++;
        }
        if (errors) /* one such message a row is enough: the cause is the file */
            break;
    }
    for (size_t j = h->ncols; j < row->nfields; j++) {
        if (!is_blank(row->field[j], row->len[j])) {
            hw_record_error(ctx, line, (unsigned)j + 1, NULL, row->field[j], row->len[j],
                            HW_M_EXTRA_FIELDS, h->ncols);
            errors++;
            break;
        }
    }

    /* Room for the folded copy of every field's cell, so scratch never moves
     * while cells point into it. */
    size_t total = HW_FIELD__COUNT;
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        if (h->col[f] >= 0 && (size_t)h->col[f] < row->nfields)
            total += row->len[h->col[f]];
    hw_buf_clear(scratch);
    hw_buf_reserve(scratch, total);
    cell school = get_cell(h, row, HW_FIELD_SCHOOL, scratch);
    cell cls = get_cell(h, row, HW_FIELD_CLASS, scratch);
    cell grade = get_cell(h, row, HW_FIELD_GRADE, scratch);
    cell date = get_cell(h, row, HW_FIELD_DATE, scratch);
    cell subject = get_cell(h, row, HW_FIELD_SUBJECT, scratch);
    cell minutes = get_cell(h, row, HW_FIELD_MINUTES, scratch);
    cell type = get_cell(h, row, HW_FIELD_TYPE, scratch);

    rec->school = school.s;
    rec->school_len = school.len;
    rec->cls = cls.s;
    rec->cls_len = cls.len;
    rec->subject = subject.s;
    rec->subject_len = subject.len;
    rec->type_text = type.s;
    rec->type_len = type.len;

    /* Required values, in column order so messages read left to right. An
     * empty class or date cell is most often a merged cell's: say what
     * fills it. */
    const cell *required[] = {&cls, &date, &subject, &minutes};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        if (required[i]->len == 0) {
            bool merged = (required[i] == &cls || required[i] == &date) && required[i]->present &&
                          !ctx->fill_down;
            hw_record_error(ctx, line, required[i]->col, required[i]->header, "", 0,
                            merged ? HW_M_REQUIRED_MERGED : HW_M_REQUIRED);
            errors++;
        }
    }

    if (date.len) {
        hw_parse_status st = hw_parse_date(date.s, date.len, &rec->date);
        if (st == HW_PARSE_WEEKDAY) {
            char iso[11];
            hw_format_date(rec->date, iso);
            hw_record_error(
                ctx, line, date.col, date.header, date.raw, date.raw_len, HW_M_DATE_WEEKDAY, iso,
                hw_msg(ctx->lang, (hw_msg_id)(HW_M_WEEKDAY_1 + hw_weekday(rec->date) - 1)));
            errors++;
        } else if (st != HW_PARSE_OK) {
            int32_t serial = excel_serial(date.s, date.len);
            if (serial != INT32_MIN) {
                char iso[11];
                hw_format_date(serial, iso);
                hw_record_error(ctx, line, date.col, date.header, date.raw, date.raw_len,
                                HW_M_DATE_SERIAL, iso);
            } else {
                hw_record_error(ctx, line, date.col, date.header, date.raw, date.raw_len,
                                st == HW_PARSE_RANGE ? HW_M_DATE_RANGE : HW_M_DATE_SYNTAX);
            }
            errors++;
        }
    }
    if (minutes.len) {
        hw_parse_status st = hw_parse_minutes(minutes.s, minutes.len, &rec->umin);
        if (st != HW_PARSE_OK) {
            hw_record_error(ctx, line, minutes.col, minutes.header, minutes.raw, minutes.raw_len,
                            minutes_reason(st));
            errors++;
        }
    }

    /* A non-empty grade value wins; otherwise the class name may state it. */
    if (grade.len) {
        hw_parse_status st = hw_parse_grade(grade.s, grade.len, &rec->grade);
        if (st != HW_PARSE_OK) {
            hw_record_error(ctx, line, grade.col, grade.header, grade.raw, grade.raw_len,
                            st == HW_PARSE_RANGE ? HW_M_GRADE_RANGE : HW_M_GRADE_SYNTAX);
            errors++;
        }
        rec->grade_col = grade.col;
        rec->grade_text = grade.raw;
        rec->grade_text_len = grade.raw_len;
    } else if (cls.len) {
        if (!hw_grade_from_class(cls.s, cls.len, &rec->grade)) {
            if (grade.col)
                hw_record_error(ctx, line, grade.col, grade.header, "", 0, HW_M_GRADE_NONE_COL);
            else
                hw_record_error(ctx, line, cls.col, cls.header, cls.raw, cls.raw_len,
                                HW_M_GRADE_NONE);
            errors++;
        }
        rec->grade_col = cls.col;
        rec->grade_text = cls.raw;
        rec->grade_text_len = cls.raw_len;
    }

    /* A missing or empty type means written; an unknown one counts as written
     * too (never under-report) and becomes a warning later. */
    rec->type = type.len ? hw_policy_type(ctx->policy, type.s, type.len) : HW_TYPE_WRITTEN;
    return errors;
}
