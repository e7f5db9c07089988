#include "hw_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw_csv.h"
#include "hw_record.h"
#include "hw_util.h"

/* Input is read in fixed chunks; no file is held whole. */
#define CHUNK (256 * 1024)
/* A part after the first reads its file's header in blocks this small. */
#define HEADER_BLOCK (16 * 1024)

/* What reading one file needs between rows. */
typedef struct {
    hw_check *check;
    uint32_t file;
    hw_record_ctx rctx;
    hw_header header;
    bool have_header;
    bool stop;         /* the header was unusable: the rest of the file is not checked */
    bool header_only;  /* reading a part's header: rows after it are not for us */
    bool header_again; /* a header row came again, and the rows after it follow it */
    bool valid_utf8;   /* the bytes are known to be valid UTF-8: no decoding needed */
    bool at_start;     /* nothing of the file fed yet (a BOM may come) */
    hw_buf scratch;
    hw_fill fill; /* --fill-down */
} file_state;

static void count_error(void *ctx, const hw_input_error *e) {
    hw_check *c = ctx;
    c->errors++;
    c->opts.sink.report(c->opts.sink.ctx, e);
}

void hw_check_init(hw_check *c, const hw_check_opts *opts) {
    memset(c, 0, sizeof *c);
    c->opts = *opts;
    hw_totals_init(&c->totals);
}

void hw_check_free(hw_check *c) {
    for (size_t i = 0; i < c->nconflicts; i++) {
        free(c->conflict[i].school);
        free(c->conflict[i].cls);
    }
    free(c->conflict);
    hw_totals_free(&c->totals);
}

/* Remembers that the error just reported is a grade conflict of rec's class. */
static void note_conflict(hw_check *c, const hw_record *rec) {
    if (c->nconflicts == c->capconflicts) {
        c->capconflicts = c->capconflicts ? c->capconflicts * 2 : 16;
        c->conflict = hw_xreallocarray(c->conflict, c->capconflicts, sizeof *c->conflict);
    }
    c->conflict[c->nconflicts++] =
        (hw_conflict){c->errors - 1, hw_xstrndup(rec->school, rec->school_len),
                      hw_xstrndup(rec->cls, rec->cls_len), rec->school_len, rec->cls_len};
}

void hw_check_report_conflict(hw_check *c, const hw_check *share, uint32_t file,
                              const hw_conflict *k, const hw_input_error *e) {
    hw_record rec = {
        .school = k->school, .school_len = k->school_len, .cls = k->cls, .cls_len = k->cls_len};
    hw_totals *t = &c->totals;
    uint32_t cls = hw_totals_find_class(t, &rec);
    if (cls == HW_NONE) { /* cannot be: the share's class was merged */
        c->opts.sink.report(c->opts.sink.ctx, e);
        return;
    }
    const hw_class *known = &t->cls[cls];
    /* the share's files may not be c's yet (a group is added once merged) */
    uint32_t g = known->grade_file;
    const char *name = g < t->nfiles ? t->file[g] : share->totals.file[g - file];
    hw_record_ctx ctx = {.lang = c->opts.lang, .file = e->file, .sink = c->opts.sink};
    hw_record_error(&ctx, e->line, e->column, e->header, e->value, e->value_len,
                    HW_M_GRADE_CONFLICT, known->grade, name, (unsigned long)known->grade_line);
}

static void file_error(file_state *fs, unsigned long line, hw_msg_id id, const char *arg) {
    hw_record_error(&fs->rctx, line, 0, NULL, NULL, 0, id, arg);
}

/* Appends s quoted for a POSIX shell, so a printed command can be pasted as is. */
static void shell_quote(hw_buf *b, const char *s) {
    hw_buf_puts(b, "'");
    for (; *s; s++) {
        if (*s == '\'')
            hw_buf_puts(b, "'\\''");
        else
            hw_buf_append(b, s, 1);
    }
    hw_buf_puts(b, "'");
}

/* The workbook or UTF-16 file refused with the command that converts it. */
static void convert_error(file_state *fs, hw_sniff kind, const char *name) {
    hw_buf in, out;
    hw_buf_init(&in);
    hw_buf_init(&out);
    shell_quote(&in, name);
    if (kind == HW_SNIFF_XLSX || kind == HW_SNIFF_XLS) {
        file_error(fs, 0, kind == HW_SNIFF_XLSX ? HW_M_XLSX : HW_M_XLS, in.data);
    } else {
        /* unicode.txt becomes unicode.csv; a .csv name gets -utf8 before it. */
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        const char *dot = strrchr(base, '.');
        size_t stem = dot && dot != base ? (size_t)(dot - name) : strlen(name);
        char *target = hw_xmalloc(stem + 10);
        memcpy(target, name, stem);
        strcpy(target + stem, dot && strcasecmp(dot, ".csv") == 0 ? "-utf8.csv" : ".csv");
        shell_quote(&out, target);
        free(target);
        hw_record_error(&fs->rctx, 0, 0, NULL, NULL, 0, HW_M_UTF16,
                        kind == HW_SNIFF_UTF16LE ? "UTF-16LE" : "UTF-16BE", in.data, out.data);
    }
    hw_buf_free(&in);
    hw_buf_free(&out);
}

/* A row past the CSV stage's bounds: named, counted, skipped. */
static void overflow_row(file_state *fs, const hw_row *row) {
    hw_check *c = fs->check;
    unsigned column = (unsigned)row->overflow_column;
    size_t mib = HW_CSV_MAX_ROW_BYTES >> 20;
    unsigned maxcols = HW_CSV_MAX_FIELDS;
    if (!fs->have_header) {
        hw_record_error(&fs->rctx, row->line, column, NULL, NULL, 0, HW_M_HEADER_TOO_LONG, mib,
                        maxcols);
        fs->have_header = true;
        fs->stop = true;
        return;
    }
    if (row->overflow == HW_ROW_TOO_MANY_FIELDS)
        hw_record_error(&fs->rctx, row->line, column, NULL, NULL, 0, HW_M_TOO_MANY_FIELDS, maxcols);
    else
        hw_record_error(&fs->rctx, row->line, column, NULL, NULL, 0, HW_M_ROW_TOO_LONG, mib);
    c->rows++;
    c->bad_rows++;
}

static void on_row(void *ctx, const hw_row *row) {
    file_state *fs = ctx;
    hw_check *c = fs->check;
    if (fs->stop)
        return;
    /* Read only to find the header (read_header): the rows after it belong
     * to an earlier part, which counts them. */
    if (fs->header_only && fs->have_header)
        return;
    if (row->overflow) {
        overflow_row(fs, row);
        return;
    }
    if (hw_row_is_blank(row))
        return;
    if (!fs->have_header) {
        fs->have_header = true;
        if (!hw_header_read(&fs->header, &fs->rctx, row))
            fs->stop = true;
        return;
    }
    hw_row filled;
    if (c->opts.fill_down)
        row = hw_fill_down(&fs->fill, &fs->header, row, &filled);
    hw_record rec;
    size_t errors = hw_record_read(&fs->header, &fs->rctx, row, &fs->scratch, &rec);
    if (errors == HW_RECORD_HEADER) {
        /* Files joined end to end: the rows after this header are read by
         * it, whatever order it gives the columns in, and fill down from
         * nothing. */
        hw_header_free(&fs->header);
        hw_header_read(&fs->header, &fs->rctx, row);
        hw_fill_reset(&fs->fill);
        fs->header_again = true;
        return;
    }
    c->rows++;
    /* A big file moves the progress line on while it is read. */
    if (c->opts.progress && (c->rows & 0x3FFF) == 0)
        hw_progress_update(c->opts.progress, c->files ? c->files - 1 : 0, c->rows);
    /* The class is looked up once: for its grade, then to add the row. A row
     * without a grade or a class has an error already and is not added. */
    uint32_t cls = rec.grade && rec.cls_len ? hw_totals_find_class(&c->totals, &rec) : HW_NONE;
    const hw_class *known = cls == HW_NONE ? NULL : &c->totals.cls[cls];
    if (known && known->grade != rec.grade) {
        /* In a speculative check the grade was fixed by a row of its own
         * share: the merge takes the share only if the totals before it
         * agree, and then names where they fixed it. */
        hw_record_error(&fs->rctx, row->line, rec.grade_col, fs->header.name[rec.grade_col - 1],
                        rec.grade_text, rec.grade_text_len, HW_M_GRADE_CONFLICT, known->grade,
                        c->totals.file[known->grade_file], (unsigned long)known->grade_line);
        if (c->speculative)
            note_conflict(c, &rec);
        errors++;
    } else if (!known && c->speculative && rec.grade && rec.cls_len && errors) {
        /* a grade for a class new here: checked when these totals are merged */
        hw_totals_note_grade(&c->totals, &rec);
    }
    if (errors)
        c->bad_rows++;
    else
        hw_totals_add_in(&c->totals, cls, fs->file, &rec);
}

/* Reads until buf is full or the input ends; -1 on a read error. */
static ssize_t read_full(int fd, unsigned char *buf, size_t cap) {
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Where a reading takes its bytes from: mem[0..len) first, then fd (-1:
 * nothing after mem). Parts of standard input read from a pipe are held in
 * memory (see check_pipe in parallel.c); a file is read from its fd. */
typedef struct {
    const unsigned char *mem;
    size_t len, at;
    int fd;
} source;

/* mem[0..len), then then_fd (-1: nothing more). */
static source mem_source(const unsigned char *mem, size_t len, int then_fd) {
    return (source){mem, len, 0, then_fd};
}

static source fd_source(int fd) {
    return mem_source(NULL, 0, fd);
}

/* read_full on a source: fills buf unless the input ends. */
static ssize_t source_read(source *src, unsigned char *buf, size_t cap) {
    size_t got = 0;
    if (src->at < src->len) {
        got = src->len - src->at < cap ? src->len - src->at : cap;
        memcpy(buf, src->mem + src->at, got);
        src->at += got;
    }
    if (got == cap || src->fd < 0)
        return (ssize_t)got;
    ssize_t more = read_full(src->fd, buf + got, cap - got);
    return more < 0 ? -1 : (ssize_t)got + more;
}

/* For a regular file the whole file decides, in one fast scan before parsing:
 * valid UTF-8 throughout (or nearly: see hw_utf8_check_mostly) is read as
 * UTF-8, anything else as GB18030. first: the file's first n bytes; buf: room
 * to read the rest in, NULL when first holds the whole file. *valid tells
 * whether the file is valid UTF-8 throughout: then it is parsed where it is
 * read, without decoding: a third less time. */
static hw_encoding prescan(int fd, const unsigned char *first, size_t n, unsigned char *buf,
                           bool *valid) {
    *valid = false;
    /* A UTF-8 BOM says UTF-8, as it does on a pipe: a bad byte further on is
     * an input error on its line, not a reason to read the file as GB18030
     * (where the BOM itself is mojibake). */
    bool bom = n >= 3 && memcmp(first, "\xEF\xBB\xBF", 3) == 0;
    hw_utf8_check chk;
    hw_utf8_check_init(&chk);
    hw_utf8_check_feed(&chk, first, n);
    while (buf && !chk.gave_up) {
        ssize_t got = read_full(fd, buf, CHUNK);
        if (got <= 0) {
            if (got < 0)
                return HW_ENC_AUTO;
            break;
        }
        hw_utf8_check_feed(&chk, buf, (size_t)got);
    }
    /* A sequence cut by the end of a file (a truncated download) does not
     * make a UTF-8 file GB18030: it is an input error on the last line. Only
     * when nothing before it was non-ASCII do those last bytes decide, as they
     * would on a pipe. */
    if (chk.nseq == 0)
        hw_utf8_check_end(&chk);
    if (buf && lseek(fd, (off_t)n, SEEK_SET) < 0)
        return HW_ENC_AUTO;
    /* UTF-8 with a few stray bytes is UTF-8: the stray bytes are input errors
     * on their lines (so such a file still goes through the decoder), and the
     * rest is not turned into mojibake. */
    *valid = chk.valid && chk.npending == 0;
    return bom || hw_utf8_check_mostly(&chk) ? HW_ENC_UTF8 : HW_ENC_GB18030;
}

hw_encoding hw_check_guess_encoding(int fd, bool *valid) {
    *valid = false;
    unsigned char *first = hw_xmalloc(CHUNK), *buf = NULL;
    ssize_t n = lseek(fd, 0, SEEK_SET) == 0 ? read_full(fd, first, CHUNK) : -1;
    if (n == CHUNK)
        buf = hw_xmalloc(CHUNK);
    hw_encoding enc = n < 0 ? HW_ENC_AUTO : prescan(fd, first, (size_t)n, buf, valid);
    free(first);
    free(buf);
    return enc;
}

/* Rows are checked cell by cell for NUL and undecodable bytes only once the
 * text fed has held one (two memchr per chunk instead of a scan per cell). */
static void note_dirt(file_state *fs, const unsigned char *p, size_t n) {
    if (fs->rctx.clean && n && (memchr(p, 0, n) || memchr(p, HW_BAD_BYTE, n)))
        fs->rctx.clean = false;
}

/* Decodes and parses one chunk; false when the CSV reader cannot go on. */
static bool feed(file_state *fs, hw_decoder *dec, hw_csv_reader *csv, hw_buf *text,
                 const unsigned char *p, size_t n, bool last) {
    if (fs->valid_utf8) {
        /* Text checked before (prescan, or the scan that split the file) is
         * parsed where it was read: decoding would only copy it. */
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        if (fs->at_start && n >= sizeof bom && memcmp(p, bom, sizeof bom) == 0) {
            p += sizeof bom;
            n -= sizeof bom;
        }
        fs->at_start = false;
        fs->rctx.encoding = HW_ENC_UTF8;
        note_dirt(fs, p, n);
        return n == 0 || hw_csv_feed(csv, (const char *)p, n) == HW_CSV_OK;
    }
    hw_buf_clear(text);
    if (n)
        hw_decoder_feed(dec, p, n, text);
    if (last)
        hw_decoder_finish(dec, text);
    hw_encoding e = hw_decoder_encoding(dec);
    fs->rctx.encoding = e == HW_ENC_AUTO ? HW_ENC_UTF8 : e;
    note_dirt(fs, (const unsigned char *)text->data, text->len);
    if (text->len && hw_csv_feed(csv, text->data, text->len) != HW_CSV_OK)
        return false;
    return true;
}

/* Reads the rest of the input after its first n bytes, in buf. A read
 * stops short only at the end of the input: a small file is read with no
 * further read. regular: src is a regular file's fd alone. */
static void read_stream(file_state *fs, source *src, bool regular, unsigned char *buf, size_t n) {
    bool at_end = n < CHUNK;
    hw_encoding enc = fs->check->opts.encoding;
    /* UTF-8 given (--encoding) is checked the same way: valid, it need not
     * be decoded either. */
    if ((enc == HW_ENC_AUTO || enc == HW_ENC_UTF8) && regular) {
        unsigned char *scan = at_end ? NULL : hw_xmalloc(CHUNK);
        bool valid;
        hw_encoding found = prescan(src->fd, buf, n, scan, &valid);
        free(scan);
        if (enc == HW_ENC_AUTO)
            enc = found;
        fs->valid_utf8 = enc == HW_ENC_UTF8 && valid;
        fs->at_start = true;
    }
    hw_decoder *dec = hw_decoder_new(enc);
    hw_csv_reader *csv = hw_csv_new(on_row, fs);
    hw_buf text;
    hw_buf_init(&text);
    bool ok = csv && feed(fs, dec, csv, &text, buf, n, false);
    while (ok && !fs->stop) {
        ssize_t got = at_end ? 0 : source_read(src, buf, CHUNK);
        if (got < 0) {
            file_error(fs, 0, HW_M_READ, strerror(errno));
            break;
        }
        at_end = got < CHUNK;
        if (got == 0) {
            ok = feed(fs, dec, csv, &text, NULL, 0, true);
            if (ok && !fs->stop) {
                hw_csv_status st = hw_csv_finish(csv);
                if (st == HW_CSV_UNTERMINATED)
                    file_error(fs, hw_csv_error_line(csv), HW_M_UNTERMINATED, NULL);
                else if (st != HW_CSV_OK)
                    ok = false;
            }
            break;
        }
        ok = feed(fs, dec, csv, &text, buf, (size_t)got, false);
    }
    if (!ok)
        file_error(fs, csv ? hw_csv_error_line(csv) : 0, HW_M_READ, strerror(ENOMEM));
    if (!fs->have_header && !fs->stop)
        file_error(fs, 0, HW_M_EMPTY, NULL);
    hw_buf_free(&text);
    hw_csv_free(csv);
    hw_decoder_free(dec);
}

static void fs_init(file_state *fs, hw_check *c, uint32_t file, hw_encoding enc) {
    memset(fs, 0, sizeof *fs);
    fs->check = c;
    fs->file = file;
    fs->rctx.policy = c->opts.policy;
    fs->rctx.file = c->totals.file[file];
    fs->rctx.lang = c->opts.lang;
    fs->rctx.encoding = enc == HW_ENC_AUTO ? HW_ENC_UTF8 : enc;
    fs->rctx.sink = (hw_error_sink){count_error, c};
    fs->rctx.clean = true;
    fs->rctx.fill_down = c->opts.fill_down;
    hw_buf_init(&fs->scratch);
    hw_fill_init(&fs->fill);
}

/* Frees what fs_init and the reading left in fs. */
static void fs_free(file_state *fs) {
    hw_header_free(&fs->header);
    hw_buf_free(&fs->scratch);
    hw_fill_free(&fs->fill);
}

/* A program, an image or an archive renamed .csv: one NUL byte in eight or
 * more at the start. A text file with a few NUL bytes (a damaged export) is
 * read, and its NULs are input errors on their lines. */
static bool is_binary(const unsigned char *p, size_t n) {
    size_t m = n < 512 ? n : 512, zeros = 0;
    for (size_t i = 0; i < m; i++)
        zeros += p[i] == 0;
    return zeros * 8 >= m && zeros >= 4;
}

/* Reads the input that src gives from its start, named name, into fs's file. */
static void read_input(file_state *fs, const char *name, source *src, bool regular) {
    unsigned char *buf = hw_xmalloc(CHUNK);
    ssize_t n = source_read(src, buf, CHUNK);
    if (n < 0) {
        file_error(fs, 0, HW_M_READ, strerror(errno));
    } else if (n == 0) {
        file_error(fs, 0, HW_M_EMPTY, NULL);
    } else {
        hw_sniff kind = hw_sniff_bytes(buf, (size_t)n);
        switch (kind) {
        case HW_SNIFF_XLSX:
        case HW_SNIFF_XLS:
        case HW_SNIFF_UTF16LE:
        case HW_SNIFF_UTF16BE:
            convert_error(fs, kind, name);
            break;
        default:
            if (is_binary(buf, (size_t)n))
                file_error(fs, 0, HW_M_BINARY, NULL);
            else
                read_stream(fs, src, regular, buf, (size_t)n);
            break;
        }
    }
    free(buf);
}

void hw_check_file(hw_check *c, const char *path) {
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    file_state fs;
    fs_init(&fs, c, hw_totals_add_file(&c->totals, name), c->opts.encoding);
    c->files++;

    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        file_error(&fs, 0, HW_M_OPEN, strerror(errno));
        return;
    }
    struct stat st;
    memset(&st, 0, sizeof st);
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        file_error(&fs, 0, HW_M_DIRECTORY, NULL);
        if (!is_stdin)
            close(fd);
        return;
    }
    source src = fd_source(fd);
    read_input(&fs, name, &src, S_ISREG(st.st_mode));
    if (!is_stdin)
        close(fd);
    fs_free(&fs);
}

void hw_check_stdin_after(hw_check *c, const unsigned char *bytes, size_t n) {
    file_state fs;
    fs_init(&fs, c, hw_totals_add_file(&c->totals, "<stdin>"), c->opts.encoding);
    c->files++;
    source src = mem_source(bytes, n, STDIN_FILENO);
    read_input(&fs, "<stdin>", &src, false);
    fs_free(&fs);
}

/* Reads the header row of the file from its start, up to limit bytes,
 * reporting nothing: the part that holds it reports its problems. The
 * bytes are checked as the rest of the file is (valid_utf8: taken to be
 * UTF-8). Returns whether the header was found, or the file found not to
 * have a usable one (the part after it then reads no row either). */
static bool read_header(file_state *fs, source *src, unsigned char *buf, long long limit,
                        bool valid_utf8) {
    fs->valid_utf8 = valid_utf8;
    fs->at_start = true;
    hw_error_sink sink = fs->rctx.sink;
    fs->rctx.sink = hw_no_errors;
    fs->header_only = true;
    hw_decoder *dec = hw_decoder_new(fs->rctx.encoding);
    hw_csv_reader *csv = hw_csv_new(on_row, fs);
    hw_buf text;
    hw_buf_init(&text);
    bool ok = csv != NULL;
    long long done = 0;
    while (ok && !fs->have_header && done < limit) {
        size_t want = limit - done < HEADER_BLOCK ? (size_t)(limit - done) : HEADER_BLOCK;
        ssize_t got = source_read(src, buf, want);
        if (got <= 0)
            break;
        done += got;
        ok = feed(fs, dec, csv, &text, buf, (size_t)got, false);
    }
    hw_buf_free(&text);
    hw_csv_free(csv);
    hw_decoder_free(dec);
    fs->header_only = false;
    fs->rctx.sink = sink;
    return fs->have_header || fs->stop;
}

/* Reads the rows of part from src (at its start). */
static hw_part_status read_part(file_state *fs, source *src, unsigned char *buf,
                                const hw_part *part, unsigned long *next_line) {
    hw_decoder *dec = hw_decoder_new(part->encoding);
    if (part->start > 0)
        hw_decoder_mid_stream(dec);
    fs->valid_utf8 = part->valid_utf8;
    fs->at_start = part->start == 0;
    hw_csv_reader *csv = hw_csv_new(on_row, fs);
    if (csv)
        hw_csv_set_line(csv, part->line);
    hw_buf text;
    hw_buf_init(&text);
    bool last = part->end < 0;
    long long left = last ? 0 : part->end - part->start;
    hw_part_status st = HW_PART_OK;
    bool ok = csv != NULL;
    /* Taken to be valid UTF-8: each chunk is checked before it is parsed,
     * and to the part's end even when the rows are not read (an unusable
     * header): the file's encoding rests on every byte. */
    bool checking = part->check_utf8;
    hw_utf8_check chk;
    hw_utf8_check_init(&chk);
    while (ok && (!fs->stop || checking)) {
        size_t want = last || left >= CHUNK ? CHUNK : (size_t)left;
        ssize_t got = want ? source_read(src, buf, want) : 0;
        if (got < 0) {
            file_error(fs, 0, HW_M_READ, strerror(errno));
            if (checking)
                st = HW_PART_NOT_UTF8;
            break;
        }
        if (checking &&
            (got ? !hw_utf8_check_feed(&chk, buf, (size_t)got) : !hw_utf8_check_end(&chk))) {
            st = HW_PART_NOT_UTF8;
            break;
        }
        if (fs->stop) { /* only checked */
            if (got == 0)
                break;
            left -= got;
            continue;
        }
        if (got == 0) {
            ok = feed(fs, dec, csv, &text, NULL, 0, true);
            if (ok && !fs->stop && last) {
                hw_csv_status cs = hw_csv_finish(csv);
                if (cs == HW_CSV_UNTERMINATED)
                    file_error(fs, hw_csv_error_line(csv), HW_M_UNTERMINATED, NULL);
                else if (cs != HW_CSV_OK)
                    ok = false;
            } else if (ok && !fs->stop) {
                if (!hw_csv_between_rows(csv))
                    st = HW_PART_CUT_ROW;
                else if (!fs->have_header)
                    st = HW_PART_NO_HEADER;
                else if (fs->header_again)
                    st = HW_PART_HEADER_AGAIN;
            }
            break;
        }
        left -= got;
        ok = feed(fs, dec, csv, &text, buf, (size_t)got, false);
    }
    if (!ok) {
        file_error(fs, csv ? hw_csv_error_line(csv) : 0, HW_M_READ, strerror(ENOMEM));
        if (checking)
            st = HW_PART_NOT_UTF8;
    }
    if (last && !fs->have_header && !fs->stop)
        file_error(fs, 0, HW_M_EMPTY, NULL);
    *next_line = csv ? hw_csv_lines(csv) : part->line;
    hw_buf_free(&text);
    hw_csv_free(csv);
    hw_decoder_free(dec);
    return st;
}

/* Reads part into c: its header from head (the input from its start),
 * then its rows from body, once body is at the part's start (seek: the
 * part's file is head's fd, to be moved there). */
static hw_part_status check_part(hw_check *c, uint32_t file, const hw_part *part, source *head,
                                 source *body, bool seek, unsigned long *next_line) {
    file_state fs;
    fs_init(&fs, c, file, part->encoding);
    *next_line = part->line;
    hw_part_status st = HW_PART_OK;
    unsigned char *buf = hw_xmalloc(CHUNK);
    if (part->start > 0 && !read_header(&fs, head, buf, part->start, part->valid_utf8))
        st = HW_PART_NO_HEADER;
    if (st == HW_PART_OK && (!fs.stop || part->check_utf8)) {
        if (seek && lseek(body->fd, (off_t)part->start, SEEK_SET) < 0)
            file_error(&fs, 0, HW_M_READ, strerror(errno));
        else
            st = read_part(&fs, body, buf, part, next_line);
    }
    free(buf);
    fs_free(&fs);
    return st;
}

hw_part_status hw_check_part(hw_check *c, const char *path, uint32_t file, const hw_part *part,
                             unsigned long *next_line) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        file_state fs;
        fs_init(&fs, c, file, part->encoding);
        *next_line = part->line;
        file_error(&fs, 0, HW_M_OPEN, strerror(errno));
        fs_free(&fs);
        return HW_PART_OK;
    }
    source src = fd_source(fd);
    hw_part_status st = check_part(c, file, part, &src, &src, true, next_line);
    close(fd);
    return st;
}

bool hw_check_header_within(hw_check *c, uint32_t file, const unsigned char *p, size_t n,
                            hw_encoding enc, bool valid_utf8) {
    file_state fs;
    fs_init(&fs, c, file, enc);
    source src = mem_source(p, n, -1);
    unsigned char *buf = hw_xmalloc(HEADER_BLOCK);
    bool found = read_header(&fs, &src, buf, (long long)n, valid_utf8);
    free(buf);
    fs_free(&fs);
    return found;
}

hw_part_status hw_check_part_bytes(hw_check *c, const hw_part_bytes *b, uint32_t file,
                                   const hw_part *part, unsigned long *next_line) {
    source head = mem_source(b->head, b->head_len, -1);
    source body = mem_source(b->bytes, b->len, b->more);
    return check_part(c, file, part, &head, &body, false, next_line);
}

hw_summary hw_check_summary(const hw_check *c, const hw_findings *f) {
    hw_summary s = {.files = c->files,
                    .rows = c->rows,
                    .bad_rows = c->bad_rows,
                    .classes = c->totals.nclasses,
                    .class_days = c->totals.ndays,
                    .findings = f->n,
                    .breaches = f->errors,
                    .warnings = f->warnings,
                    .errors = c->errors};
    return s;
}
