#include "hw_csv.h"

#include <csv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_util.h"

/* SSE2 scans a line sixteen bytes at a time (every x86-64 has it); the
 * tests build the stage without it too (test_csv_words). */
#if defined(__SSE2__) && !defined(HW_CSV_NO_SSE2)
#define SSE2_SCAN 1
#include <emmintrin.h>
#endif

struct hw_csv_reader {
    struct csv_parser parser;
    hw_row_fn fn;
    void *ctx;
    hw_buf text;    /* the current row's fields, each followed by a NUL */
    size_t *offset; /* where each field starts in text */
    size_t *len;
    const char **field;
    unsigned char *plain; /* the fast path's hw_row.plain */
    size_t nfields, capfields;
    unsigned long line;     /* the line the next byte is on */
    unsigned long row_line; /* the line the open row started on */
    bool row_open;          /* some bytes of a row were fed */
    bool prev_cr;           /* the last byte fed was a CR */
    bool failed;
    hw_row_overflow overflow; /* the open row passed a bound: its fields are dropped */
    size_t overflow_column;
    size_t nseen;     /* fields of the open row, delivered or not */
    int skip;         /* SKIP_NONE, or where the scan of an overlong row stands */
    bool skip_sp;     /* SKIP_QEND: spaces followed the closing quote */
    bool slow;        /* every line goes to libcsv (hw_csv_set_fast) */
    bool held_blanks; /* blanks counted here, not given to libcsv (parse_line) */
};

/* libcsv's public parser states (csv.h does not name them). */
enum { LIBCSV_ROW_NOT_BEGUN = 0, LIBCSV_FIELD_NOT_BEGUN, LIBCSV_FIELD_BEGUN, LIBCSV_MIGHT_END };

/* Where the scan of a row too long for libcsv's buffer stands. libcsv is
 * taken off such a row (its buffer would grow with the field), and this scan,
 * which follows libcsv's own rules for quotes, finds where the row ends. */
enum {
    SKIP_NONE = 0,
    SKIP_START, /* before a field: spaces, then a quote or text */
    SKIP_TEXT,  /* in an unquoted field */
    SKIP_QUOTED,
    SKIP_QEND, /* a quote inside a quoted field: its end, or "" */
};

/* libcsv is fed at most this much at once (less near the bound). */
#ifndef HW_CSV_PIECE
#define HW_CSV_PIECE (64 * 1024)
#endif

/* libcsv holds at most this much of a field: its text, and a byte that may
 * yet be dropped (see parse_line). */
#define HELD_MAX (HW_CSV_MAX_ROW_BYTES + 1)

static void set_overflow(hw_csv_reader *r, hw_row_overflow why, size_t column) {
    if (r->overflow)
        return;
    r->overflow = why;
    r->overflow_column = column;
    r->nfields = 0;
    hw_buf_clear(&r->text);
}

static void ensure_fields(hw_csv_reader *r) {
    if (r->nfields < r->capfields)
        return;
    size_t cap = r->capfields ? r->capfields * 2 : 16;
    r->offset = hw_xreallocarray(r->offset, cap, sizeof *r->offset);
    r->len = hw_xreallocarray(r->len, cap, sizeof *r->len);
    r->field = hw_xreallocarray(r->field, cap, sizeof *r->field);
    r->plain = hw_xreallocarray(r->plain, cap, sizeof *r->plain);
    r->capfields = cap;
}

static void on_field(void *data, size_t len, void *ctx) {
    hw_csv_reader *r = ctx;
    r->nseen++;
    /* text.len counts a NUL after each field, for the comma before the next:
     * fields that fill the row exactly leave it at the bound plus one. */
    if (r->nseen > HW_CSV_MAX_FIELDS)
        set_overflow(r, HW_ROW_TOO_MANY_FIELDS, r->nseen);
    else if (r->text.len > HW_CSV_MAX_ROW_BYTES || len > HW_CSV_MAX_ROW_BYTES - r->text.len)
        set_overflow(r, HW_ROW_TOO_LONG, r->nseen);
    if (r->overflow)
        return;
    ensure_fields(r);
    if (!data)
        len = 0;
    r->offset[r->nfields] = r->text.len;
    r->len[r->nfields] = len;
    hw_buf_reserve(&r->text, len + 1);
    if (len)
        memcpy(r->text.data + r->text.len, data, len);
    r->text.data[r->text.len + len] = '\0'; /* keeps each field NUL-terminated */
    r->text.len += len + 1;
    r->nfields++;
}

static void on_row(int c, void *ctx) {
    (void)c;
    hw_csv_reader *r = ctx;
    /* The buffer may have moved while fields were appended: point now. */
    for (size_t i = 0; i < r->nfields; i++)
        r->field[i] = r->text.data + r->offset[i];
    hw_row row = {r->nfields, r->field, r->len, r->row_line, r->overflow, r->overflow_column, NULL};
    r->fn(r->ctx, &row);
    r->nfields = 0;
    r->nseen = 0;
    r->overflow = HW_ROW_OK;
    r->overflow_column = 0;
    hw_buf_clear(&r->text);
    r->row_open = false;
}

/* Sets up a libcsv parser. Not CSV_STRICT: a stray quote inside an unquoted
 * field (5"寸) is kept as text instead of stopping the whole file. */
static bool parser_init(struct csv_parser *p) {
    if (csv_init(p, 0) != 0)
        return false;
    csv_set_blk_size(p, 4096);
    return true;
}

hw_csv_reader *hw_csv_new(hw_row_fn fn, void *ctx) {
    hw_csv_reader *r = hw_xcalloc(1, sizeof *r);
    if (!parser_init(&r->parser)) {
        free(r);
        return NULL;
    }
    r->fn = fn;
    r->ctx = ctx;
    r->line = 1;
    hw_buf_init(&r->text);
    return r;
}

void hw_csv_free(hw_csv_reader *r) {
    if (!r)
        return;
    csv_free(&r->parser);
    hw_buf_free(&r->text);
    free(r->offset);
    free(r->len);
    free(r->field);
    free(r->plain);
    free(r);
}

/* libcsv skips spaces and tabs before a row begins: a segment of only those
 * (and line ends) does not start a row. */
static bool starts_row(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return true;
    return false;
}

/* Takes libcsv off a row whose current field has outgrown the bound: a new
 * parser (the old buffer is freed) takes over at the next row, and the scan
 * goes on from libcsv's state. */
static bool start_skip(hw_csv_reader *r) {
    /* The overflow on_field would give this field once complete. */
    set_overflow(r, r->nseen + 1 > HW_CSV_MAX_FIELDS ? HW_ROW_TOO_MANY_FIELDS : HW_ROW_TOO_LONG,
                 r->nseen + 1);
    int state = r->parser.pstate;
    bool quoted = r->parser.quoted != 0;
    r->skip_sp = r->parser.spaces > 0 || r->held_blanks;
    r->held_blanks = false;
    r->skip = state == LIBCSV_MIGHT_END                ? SKIP_QEND
              : state == LIBCSV_FIELD_BEGUN && quoted  ? SKIP_QUOTED
              : state == LIBCSV_FIELD_BEGUN && !quoted ? SKIP_TEXT
                                                       : SKIP_START;
    csv_free(&r->parser);
    return parser_init(&r->parser);
}

/* Scans p[0..n) of an overlong row; true when the row ends there (at a line
 * end outside quotes, which is always the last byte fed). */
static bool skip_scan(hw_csv_reader *r, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool eol = c == '\r' || c == '\n';
        switch (r->skip) {
        case SKIP_START:
            if (c == '"')
                r->skip = SKIP_QUOTED;
            else if (eol)
                return true;
            else if (c != ' ' && c != '\t' && c != ',')
                r->skip = SKIP_TEXT;
            break;
        case SKIP_TEXT:
            if (c == ',')
                r->skip = SKIP_START;
            else if (eol)
                return true;
            break;
        case SKIP_QUOTED:
            if (c == '"') {
                r->skip = SKIP_QEND;
                r->skip_sp = false;
            }
            break;
        case SKIP_QEND:
            if (c == ',')
                r->skip = SKIP_START;
            else if (eol)
                return true;
            else if (c == ' ' || c == '\t')
                r->skip_sp = true;
            else if (c == '"' && r->skip_sp)
                r->skip_sp = false; /* kept as text; the field may still end */
            else
                r->skip = SKIP_QUOTED; /* "" or text after a quote: still quoted */
            break;
        }
    }
    return false;
}

/* Delivers the overlong row that just ended. */
static void end_skip(hw_csv_reader *r) {
    r->skip = SKIP_NONE;
    on_row(0, r);
}

/* The text of the field libcsv is collecting: what it holds, less what it
 * drops if the field ends now (the blanks after unquoted text; a closing
 * quote and the blanks after it). */
static size_t field_text(const struct csv_parser *p) {
    return p->entry_pos - p->spaces - (p->pstate == LIBCSV_MIGHT_END);
}

/* Feeds a line, or its part in this chunk, to libcsv or to the scan of an
 * overlong row. A row passes the bound when one of its fields' text does,
 * wherever the chunks end: libcsv is fed in pieces that end where what it
 * holds could first reach HELD_MAX, and the text is checked after each.
 * When libcsv holds HELD_MAX bytes but the text is within the bound, the
 * rest are blanks or a closing quote that the field's end would drop; more
 * blanks are then counted here instead of held. If the field ends next, they
 * would have been dropped too; if anything else comes, they and what libcsv
 * holds become text past the bound. */
static bool parse_line(hw_csv_reader *r, const char *p, size_t n) {
    while (n > 0) {
        if (r->skip) {
            if (skip_scan(r, p, n))
                end_skip(r);
            return true;
        }
        size_t room = HELD_MAX - r->parser.entry_pos;
        if (room == 0) {
            if (*p == ' ' || *p == '\t') {
                r->held_blanks = true;
                p++;
                n--;
                continue;
            }
            if (*p != ',' && *p != '\r' && *p != '\n') {
                if (!start_skip(r))
                    return false;
                continue;
            }
            room = 1; /* the field ends */
        }
        size_t piece = n < HW_CSV_PIECE ? n : HW_CSV_PIECE;
        if (piece > room)
            piece = room;
        if (csv_parse(&r->parser, p, piece, on_field, on_row, r) != piece)
            return false;
        r->held_blanks = false;
        p += piece;
        n -= piece;
        if (field_text(&r->parser) > HW_CSV_MAX_ROW_BYTES && !start_skip(r))
            return false;
    }
    return true;
}

/* ---- The fast path -------------------------------------------------------
 * Most rows of a register need little of libcsv's leniency: each field is
 * unquoted text without quotes (spaces and tabs at its edges trimmed, as
 * libcsv trims them), or a quoted field followed by a comma or the row's
 * end; the row ends with LF, CR LF or CR, on its first line or, where quoted
 * fields hold line breaks, on a later one (fast_multiline). Such a row is
 * copied once and split in place, with the result libcsv would give; any
 * other line (and every line while a row is open) goes to libcsv.
 * tests/unit/test_csv.c and fuzz/fuzz_csv.c hold the two to the same rows
 * on every input. */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight bytes at a time, with hw_bytes_equal. */
#define WORD_SCAN 1
#endif

/* Bytes after a line's copy that the scans below may read. */
#define SCAN_PAD 16

/* The first ',' or '"' in b from i on; *fold set when a byte before it may
 * be folded. The line holds no line end, b has a ',' after it, and SCAN_PAD
 * readable bytes after that. */
static size_t next_stop(const char *b, size_t i, bool *fold) {
#ifdef SSE2_SCAN
    /* Sixteen bytes at a time, in exact masks. */
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i lead_a = _mm_set1_epi8((char)HW_FOLD_LEAD_A),
                  lead_b = _mm_set1_epi8((char)HW_FOLD_LEAD_B);
    unsigned folds = 0;
    for (;; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)));
        unsigned f = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, lead_a), _mm_cmpeq_epi8(v, lead_b)));
        if (m) {
            folds |= f & ((m & -m) - 1);
            *fold = folds != 0;
            return i + (unsigned)__builtin_ctz(m);
        }
        folds |= f;
    }
#elif defined(WORD_SCAN)
    uint64_t folds = 0;
    for (;; i += 8) {
        uint64_t v;
        memcpy(&v, b + i, sizeof v);
        uint64_t m = hw_bytes_equal(v, ',') | hw_bytes_equal(v, '"');
        uint64_t f = hw_bytes_equal(v, HW_FOLD_LEAD_A) | hw_bytes_equal(v, HW_FOLD_LEAD_B);
        if (m) {
            /* a flag below the stop's is the lowest of f: exact */
            folds |= f & ((m & -m) - 1);
            *fold = folds != 0;
            return i + (size_t)(__builtin_ctzll(m) >> 3);
        }
        folds |= f;
    }
#else
    bool f = false;
    for (; b[i] != ',' && b[i] != '"'; i++)
        f |= (unsigned char)b[i] == HW_FOLD_LEAD_A || (unsigned char)b[i] == HW_FOLD_LEAD_B;
    *fold = f;
    return i;
#endif
}

/* The first '"' in b[i..n), or n; b has SCAN_PAD readable bytes after n. Inline
 * rather than memchr: the quoted text between two quotes is short. */
static size_t next_quote(const char *b, size_t i, size_t n) {
#ifdef WORD_SCAN
    for (; i < n; i += 8) {
        uint64_t v;
        memcpy(&v, b + i, sizeof v);
        uint64_t m = hw_bytes_equal(v, '"');
        if (m) {
            size_t k = i + (size_t)(__builtin_ctzll(m) >> 3);
            return k < n ? k : n;
        }
    }
    return n;
#else
    while (i < n && b[i] != '"')
        i++;
    return i;
#endif
}

static bool is_blank_byte(char c) {
    return c == ' ' || c == '\t';
}

/* Splits the line p[0..n) (its line end excluded) into r's fields; false
 * when the line needs libcsv. */
static bool split_line(hw_csv_reader *r, const char *p, size_t n) {
    if (n == 0 || n >= HW_CSV_MAX_ROW_BYTES)
        return false;
    hw_buf_clear(&r->text);
    hw_buf_reserve(&r->text, n + 1 + SCAN_PAD);
    char *b = r->text.data;
    memcpy(b, p, n);
    b[n] = ',';                     /* a stop for the scan of the last field, */
    memset(b + n + 1, 0, SCAN_PAD); /* and bytes after it that the scans may read */
    size_t i = 0;
    r->nfields = 0;
    for (;;) {
        if (r->nfields == HW_CSV_MAX_FIELDS)
            return false;
        ensure_fields(r);
        size_t start, end;
        bool plain;
        if (b[i] == '"') {
            /* Quoted: "" stands for one quote, moved down over the other. */
            start = ++i;
            size_t w = i;
            for (;;) {
                size_t k = next_quote(b, i, n);
                if (k == n)
                    return false; /* closed on a later line, or never */
                if (w != i)
                    memmove(b + w, b + i, k - i);
                w += k - i;
                i = k + 1;
                if (i < n && b[i] == '"') {
                    b[w++] = '"';
                    i++;
                    continue;
                }
                break;
            }
            if (b[i] != ',') /* also the stop at n */
                return false;
            end = w;
            plain = false; /* its blanks are kept: hw_fold_needed tells */
        } else {
            start = i;
            bool fold;
            i = next_stop(b, i, &fold);
            if (b[i] != ',')
                return false;
            plain = !fold;
            /* libcsv trims spaces and tabs around unquoted text (" 语文 "
             * typed by hand), and a line of blanks alone is no row. */
            end = i;
            while (start < end && is_blank_byte(b[start]))
                start++;
            while (end > start && is_blank_byte(b[end - 1]))
                end--;
            if (start == end && r->nfields == 0 && i == n)
                return false;
        }
        r->field[r->nfields] = b + start;
        r->len[r->nfields] = end - start;
        /* unquoted: blanks trimmed above, and no CR or LF in the line */
        r->plain[r->nfields] = plain;
        r->nfields++;
        b[end] = '\0';
        if (i == n)
            return true;
        i++;
    }
}

/* Delivers the row of the line p[0..n) (its line end excluded); false, with
 * nothing delivered, when the line needs libcsv. */
static bool fast_row(hw_csv_reader *r, const char *p, size_t n) {
    bool ok = split_line(r, p, n);
    if (ok) {
        hw_row row = {r->nfields, r->field, r->len, r->line, HW_ROW_OK, 0, r->plain};
        r->fn(r->ctx, &row);
    }
    r->nfields = 0;
    return ok;
}

/* Where the line that ends with the CR at p[k] ends: after the LF that
 * follows it, or after the CR alone; 0 when p[0..n) ends with the CR, and
 * the next buffer must tell. */
static size_t line_end_after_cr(const char *p, size_t n, size_t k) {
    if (k + 1 >= n)
        return 0;
    return p[k + 1] == '\n' ? k + 2 : k + 1;
}

/* A row whose quoted fields span lines is looked for this far at most. */
#define MULTILINE_MAX ((size_t)16 * 1024)

/* The line ends in p[0..n) as the slow path counts them: a CR, or an LF
 * that does not follow a CR. */
static unsigned long line_ends(const char *p, size_t n) {
    unsigned long count = 0;
    for (size_t i = 0; i < n; i++)
        count += p[i] == '\r' || (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'));
    return count;
}

/* A row at p whose quoted fields hold line breaks (a teacher's Alt+Enter in
 * a cell), whole in p[0..n): delivered by the fast path as a one-line row
 * is, with *used its bytes and LF or CR LF, and *lines the lines it spans.
 * The row ends at the first line end outside quotes, counting quotes as
 * libcsv does for a row split_line accepts (any other row, which a stray
 * quote may have misled, split_line refuses). False, with nothing
 * delivered, when the row needs libcsv. */
static bool fast_multiline(hw_csv_reader *r, const char *p, size_t n, size_t *used,
                           unsigned long *lines) {
    if (n > MULTILINE_MAX)
        n = MULTILINE_MAX;
    unsigned long breaks = 0;
    size_t i = 0;
    for (;;) {
        size_t k = i;
        while (k < n && p[k] != '"' && p[k] != '\r' && p[k] != '\n')
            k++;
        if (k == n)
            return false;
        if (p[k] == '"') {
            const char *q = memchr(p + k + 1, '"', n - k - 1);
            if (!q)
                return false;
            breaks += line_ends(p + k + 1, (size_t)(q - p) - k - 1);
            i = (size_t)(q - p) + 1;
            continue;
        }
        size_t term = p[k] == '\n' ? k + 1 : line_end_after_cr(p, n, k);
        if (!breaks || !term || !fast_row(r, p, k))
            return false;
        *used = term;
        *lines = breaks + 1;
        return true;
    }
}

hw_csv_status hw_csv_feed(hw_csv_reader *r, const char *text, size_t n) {
    if (r->failed)
        return HW_CSV_FAILED;
    /* Each call to csv_parse gets at most one line, so when libcsv ends a
     * row we know which line it started on. */
    hw_eol_scan eols = {0};
    while (n > 0) {
        const char *eol = hw_eol_next(&eols, text, n);
        size_t seg = eol ? (size_t)(eol - text) + 1 : n;
        if (eol && !r->row_open && !r->slow && r->parser.pstate == LIBCSV_ROW_NOT_BEGUN) {
            /* A whole line between rows, ended by LF, CR LF or a CR that
             * the next byte shows is alone: the fast path. */
            size_t content = (size_t)(eol - text);
            size_t end = *eol == '\n' ? seg : line_end_after_cr(text, n, content);
            unsigned long lines = 1;
            if ((end && fast_row(r, text, content)) ||
                (memchr(text, '"', content) && fast_multiline(r, text, n, &end, &lines))) {
                r->line += lines;
                r->prev_cr = false;
                text += end;
                n -= end;
                continue;
            }
        }
        if (!r->row_open && starts_row(text, seg)) {
            r->row_open = true;
            r->row_line = r->line;
        }
        if (!parse_line(r, text, seg)) {
            r->failed = true;
            return HW_CSV_FAILED;
        }
        if (eol) {
            /* CR LF is one line end; a lone CR or LF is one too. */
            if (*eol == '\r' || !(r->prev_cr && seg == 1))
                r->line++;
            r->prev_cr = *eol == '\r';
        } else {
            r->prev_cr = false;
        }
        text += seg;
        n -= seg;
    }
    return HW_CSV_OK;
}

hw_csv_status hw_csv_finish(hw_csv_reader *r) {
    if (r->failed)
        return HW_CSV_FAILED;
    /* libcsv reports an unclosed quote at the end only in strict mode, which
     * would also stop at every stray quote; its public state tells us instead
     * (LIBCSV_FIELD_BEGUN with quoted set inside a quoted field). The open
     * row is not delivered: it would swallow the rest of the file as one
     * field. */
    if (r->skip == SKIP_QUOTED) {
        r->failed = true;
        return HW_CSV_UNTERMINATED;
    }
    if (r->skip) {
        end_skip(r);
        return HW_CSV_OK;
    }
    if (r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted) {
        r->failed = true;
        return HW_CSV_UNTERMINATED;
    }
    if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
        r->failed = true;
        return HW_CSV_FAILED;
    }
    return HW_CSV_OK;
}

unsigned long hw_csv_error_line(const hw_csv_reader *r) {
    return r->row_line;
}

unsigned long hw_csv_lines(const hw_csv_reader *r) {
    return r->line;
}

void hw_csv_set_line(hw_csv_reader *r, unsigned long line) {
    r->line = line;
}

int hw_csv_between_rows(const hw_csv_reader *r) {
    return !r->failed && !r->row_open && r->parser.pstate == LIBCSV_ROW_NOT_BEGUN;
}

void hw_csv_set_fast(hw_csv_reader *r, int fast) {
    r->slow = !fast;
}
