#include "hw_report.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_overview.h"
#include "hw_pool.h"
#include "hw_report_csv.h"
#include "hw_report_fmt.h"
#include "hw_report_html.h"
#include "hw_report_json.h"
#include "hw_util.h"

/* How much of an offending value a JSON input error quotes. */
#define JSON_VALUE_MAX 1024

static void put(hw_report *r, const char *s) {
    fputs(s, r->out);
}

/* A printable copy of any text (file names need not be UTF-8). */
static void clean(hw_buf *b, const char *s, size_t len, size_t max) {
    hw_buf_clear(b);
    hw_msg_excerpt(b, s, len, max, 0);
}

void hw_report_one_line(hw_buf *b, const char *s) {
    hw_buf_clear(b);
    hw_msg_excerpt(b, s, strlen(s), SIZE_MAX, 1);
}

char **hw_report_files(const hw_totals *t, int oneline) {
    char **files = hw_xcalloc(t->nfiles ? t->nfiles : 1, sizeof *files);
    hw_buf b;
    hw_buf_init(&b);
    for (uint32_t i = 0; i < t->nfiles; i++) {
        hw_buf_clear(&b);
        hw_msg_excerpt(&b, t->file[i], strlen(t->file[i]), SIZE_MAX, oneline);
        files[i] = hw_xstrndup(b.data, b.len);
    }
    hw_buf_free(&b);
    return files;
}

void hw_report_files_free(char **files, const hw_totals *t) {
    for (uint32_t i = 0; i < t->nfiles; i++)
        free(files[i]);
    free(files);
}

void hw_report_print_json(hw_report *r, cJSON *o) {
    char *s = hw_need(cJSON_PrintUnformatted(o));
    fputs(s, r->out);
    free(s);
    cJSON_Delete(o);
}

static const struct {
    const char *name;
    hw_format format;
    const hw_report_writer *writer; /* NULL: text and json, written here */
} formats[] = {
    {"text", HW_FORMAT_TEXT, NULL},
    {"json", HW_FORMAT_JSON, NULL},
    {"gcc", HW_FORMAT_GCC, &hw_writer_gcc},
    {"github", HW_FORMAT_GITHUB, &hw_writer_github},
    {"sarif", HW_FORMAT_SARIF, &hw_writer_sarif},
    {"csv", HW_FORMAT_CSV, NULL},
    {"html", HW_FORMAT_HTML, NULL},
};

bool hw_report_format_from_name(const char *name, hw_format *format) {
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(name, formats[i].name) == 0) {
            *format = formats[i].format;
            return true;
        }
    }
    return false;
}

void hw_report_begin(hw_report *r, hw_format format, hw_lang lang, FILE *out, const hw_policy *p) {
    memset(r, 0, sizeof *r);
    r->format = format;
    r->lang = lang;
    r->out = out;
    r->policy = p;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].format == format)
            r->writer = formats[i].writer;
    if (r->writer) {
        r->writer->begin(r, p);
        return;
    }
    if (format == HW_FORMAT_HTML)
        hw_html_begin(r);
    if (format == HW_FORMAT_JSON) {
        fprintf(out, "{\"tool\":\"hwcheck\",\"version\":\"%s\",\"policy\":", HW_VERSION);
        hw_report_print_json(r, hw_need(cJSON_CreateString(p->name)));
        put(r, ",\n\"input_errors\":[");
    }
}

/* Appends member key: s cleaned (see clean), or null. */
static void str_or_null(hw_buf *j, const char *key, const char *s, size_t len, size_t max) {
    hw_json_member(j, key);
    hw_buf b;
    hw_buf_init(&b);
    if (s)
        clean(&b, s, len, max);
    hw_json_string_or_null(j, s ? b.data : NULL);
    hw_buf_free(&b);
}

/* Appends member key: v, or null for 0. */
static void uint_or_null(hw_buf *j, const char *key, unsigned long v) {
    hw_json_member(j, key);
    if (v)
        hw_json_number(j, (double)v);
    else
        hw_buf_puts(j, "null");
}

void hw_report_input_error(void *report, const hw_input_error *e) {
    hw_report *r = report;
    if (r->writer) {
        r->writer->input_error(r, e);
        r->nerrors++;
        return;
    }
    if (r->format == HW_FORMAT_HTML) {
        hw_html_input_error(r, e);
        r->nerrors++;
        return;
    }
    /* A CSV report is one table: input errors go to standard error as text. */
    FILE *out = r->format == HW_FORMAT_CSV ? stderr : r->out;
    hw_buf b;
    hw_buf_init(&b);
    if (r->format == HW_FORMAT_JSON) {
        hw_buf_puts(&b, r->nerrors ? ",\n{" : "\n{");
        str_or_null(&b, "file", e->file, strlen(e->file), SIZE_MAX);
        uint_or_null(&b, "line", e->line);
        uint_or_null(&b, "column", e->column);
        str_or_null(&b, "header", e->header, e->header ? strlen(e->header) : 0, SIZE_MAX);
        str_or_null(&b, "value", e->value, e->value_len, JSON_VALUE_MAX);
        str_or_null(&b, "message", e->message, strlen(e->message), SIZE_MAX);
        hw_buf_puts(&b, "}");
        fputs(b.data, out);
    } else {
        clean(&b, e->file, strlen(e->file), SIZE_MAX);
        fputs(b.data, out);
        if (e->line)
            fprintf(out, ":%lu", e->line);
        if (e->line && e->column)
            fprintf(out, ":%u", e->column);
        clean(&b, e->message, strlen(e->message), SIZE_MAX);
        fprintf(out, ": %s: %s\n", hw_msg(r->lang, HW_M_SEV_ERROR), b.data);
    }
    r->nerrors++;
    hw_buf_free(&b);
}

/* "school class" or just "class". */
static void class_label(hw_buf *b, const hw_totals *t, const hw_class *c) {
    const char *school = hw_totals_str(t, c->school);
    hw_buf_clear(b);
    if (*school) {
        hw_buf_puts(b, school);
        hw_buf_puts(b, " ");
    }
    hw_buf_puts(b, hw_totals_str(t, c->name));
}

static void week_label(char out[16], const hw_finding *f) {
    hw_format_week(f->iso_year, f->week, out);
}

/* A non-negative int as text, in buf. */
static const char *int_text(int v, char buf[21]) {
    buf[hw_put_u64(buf, v > 0 ? (uint64_t)v : 0)] = '\0';
    return buf;
}

void hw_report_message(hw_buf *m, hw_lang lang, const hw_totals *t, const hw_finding *f) {
    hw_buf label;
    hw_buf_init(&label);
    class_label(&label, t, &t->cls[f->cls]);
    char date[11], mins[32], limit[32], week[16], grade[21], number[21];
    hw_format_date(f->date, date);
    hw_format_minutes_text(hw_finding_shown(f), mins);
    hw_format_minutes_text(f->limit == HW_NO_CAP ? 0 : f->limit, limit);
    int_text(f->grade, grade);
    static const hw_msg_id formats[HW_RULE__COUNT] = {
        [HW_RULE_NO_WRITTEN] = HW_M_NO_WRITTEN,         [HW_RULE_HOMEWORK_FREE_DAY] = HW_M_FREE_DAY,
        [HW_RULE_DAILY_CAP] = HW_M_DAILY_CAP,           [HW_RULE_SUBJECT_CAP] = HW_M_SUBJECT_CAP,
        [HW_RULE_WEEKLY_AVERAGE] = HW_M_WEEKLY_AVERAGE, [HW_RULE_NEAR_CAP] = HW_M_NEAR_CAP,
        [HW_RULE_UNKNOWN_TYPE] = HW_M_UNKNOWN_TYPE,
    };
    const char *fmt = hw_msg(lang, formats[f->rule]);
    const char *subject = f->subject != HW_NONE ? hw_totals_str(t, f->subject) : "";
    /* the arguments of each format, in the order of its English text */
    const char *arg[6];
    size_t n = 0;
    hw_buf where; /* near-cap: the day, or the week, and the subject */
    hw_buf_init(&where);
    switch (f->rule) {
    case HW_RULE_NO_WRITTEN:
        n = 4, arg[0] = label.data, arg[1] = mins, arg[2] = date, arg[3] = grade;
        break;
    case HW_RULE_HOMEWORK_FREE_DAY:
        n = 4, arg[0] = label.data, arg[1] = mins, arg[2] = date;
        arg[3] = hw_msg(lang, (hw_msg_id)(HW_M_WEEKDAY_1 + hw_weekday(f->date) - 1));
        break;
    case HW_RULE_DAILY_CAP:
        n = 5, arg[0] = label.data, arg[1] = mins, arg[2] = date, arg[3] = limit, arg[4] = grade;
        break;
    case HW_RULE_SUBJECT_CAP:
        n = 5, arg[0] = label.data, arg[1] = mins, arg[2] = subject, arg[3] = date, arg[4] = limit;
        break;
    case HW_RULE_WEEKLY_AVERAGE:
        week_label(week, f);
        n = 6, arg[0] = label.data, arg[1] = mins, arg[2] = int_text((int)f->ndays, number);
        arg[3] = week, arg[4] = limit, arg[5] = grade;
        break;
    case HW_RULE_NEAR_CAP: {
        if (f->weekly) {
            week_label(week, f);
            hw_buf_format(&where, hw_msg(lang, HW_M_WHERE_WEEK), (const char *[]){week}, 1);
        } else if (f->subject != HW_NONE) {
            hw_buf_puts(&where, subject);
            hw_buf_puts(&where, lang == HW_LANG_ZH ? "，" : ", ");
            hw_buf_puts(&where, date);
        } else {
            hw_buf_puts(&where, date);
        }
        int64_t whole = f->limit * (int64_t)f->ndays;
        int percent = whole > 0 ? (int)((f->total * 100 + whole / 2) / whole) : 0;
        n = 5, arg[0] = label.data, arg[1] = mins, arg[2] = where.data;
        arg[3] = int_text(percent, number), arg[4] = limit;
        break;
    }
    default: {
        const hw_row_ref *row = &t->row[f->rows[0]];
        n = 4, arg[0] = hw_totals_str(t, f->type), arg[1] = hw_totals_str(t, row->subject);
        arg[2] = label.data, arg[3] = date;
        break;
    }
    }
    hw_buf_format(m, fmt, arg, n);
    hw_buf_free(&where);
    /* A day's finding names its rows' subjects, so the teacher sees what adds up. */
    if (!f->weekly && f->rule != HW_RULE_UNKNOWN_TYPE) {
        hw_buf_puts(m, lang == HW_LANG_ZH ? "（" : " (");
        for (size_t i = 0; i < f->nrows; i++) {
            const hw_row_ref *row = &t->row[f->rows[i]];
            hw_format_minutes_text(row->umin, mins);
            if (i)
                hw_buf_puts(m, lang == HW_LANG_ZH ? "，" : ", ");
            hw_buf_puts(m, hw_totals_str(t, row->subject));
            hw_buf_puts(m, " ");
            hw_buf_puts(m, mins);
            hw_buf_puts(m, lang == HW_LANG_ZH ? " 分钟" : " min");
        }
        hw_buf_puts(m, lang == HW_LANG_ZH ? "）" : ")");
    }
    hw_buf_free(&label);
}

/* Writes a finding as cJSON prints the object, "rows" last, every row of it
 * one object: built as text, since a cJSON tree of each row costs more than
 * reading the row did. files are the names as JSON strings, quotes and all. */
static void print_finding_json(hw_report *r, const hw_totals *t, const hw_finding *f,
                               const char *const *files, const char *message) {
    const hw_class *c = &t->cls[f->cls];
    hw_buf j;
    hw_buf_init(&j);
    hw_buf_reserve(&j, 512 + 96 * f->nrows);
    hw_buf_puts(&j, "{");
    hw_json_string_member(&j, "rule", hw_rule_id(f->rule));
    hw_json_string_member(&j, "severity", f->severity == HW_SEV_ERROR ? "error" : "warning");
    hw_json_member(&j, "school");
    hw_json_string_or_null(&j, c->school ? hw_totals_str(t, c->school) : NULL);
    hw_json_string_member(&j, "class", hw_totals_str(t, c->name));
    hw_json_number_member(&j, "grade", f->grade);
    if (f->weekly) {
        char week[16];
        week_label(week, f);
        hw_json_string_member(&j, "week", week);
        hw_json_number_member(&j, "days", f->ndays);
    } else {
        char date[11];
        hw_format_date(f->date, date);
        hw_json_string_member(&j, "date", date);
    }
    hw_json_number_member(&j, "minutes", hw_finding_minutes(f));
    hw_json_member(&j, "limit");
    if (f->limit == HW_NO_CAP)
        hw_buf_puts(&j, "null");
    else
        hw_json_number(&j, (double)f->limit / 1e6);
    if (f->rule == HW_RULE_UNKNOWN_TYPE)
        hw_json_string_member(&j, "type", hw_totals_str(t, f->type));
    if (f->subject != HW_NONE)
        hw_json_string_member(&j, "subject", hw_totals_str(t, f->subject));
    if (f->rule == HW_RULE_NEAR_CAP)
        hw_json_string_member(&j, "cap_rule", hw_rule_id(f->cap_rule));
    const hw_row_ref *first = &t->row[f->rows[0]];
    hw_json_member(&j, "file");
    hw_buf_puts(&j, files[first->file]);
    hw_json_number_member(&j, "line", first->line);
    hw_json_string_member(&j, "message", message);
    hw_json_member(&j, "rows");
    hw_buf_puts(&j, "[");
    for (size_t i = 0; i < f->nrows; i++) {
        const hw_row_ref *row = &t->row[f->rows[i]];
        hw_buf_puts(&j, i ? ",{" : "{");
        hw_json_member(&j, "file");
        hw_buf_puts(&j, files[row->file]);
        hw_json_number_member(&j, "line", row->line);
        hw_json_string_member(&j, "subject", hw_totals_str(t, row->subject));
        hw_json_number_member(&j, "minutes", (double)row->umin / 1e6);
        hw_buf_puts(&j, "}");
    }
    hw_buf_puts(&j, "]}");
    fwrite(j.data, 1, j.len, r->out);
    hw_buf_free(&j);
}

/* Writes finding i of fs; b is room for its message. */
static void write_finding(hw_report *r, const hw_totals *t, const hw_findings *fs, size_t i,
                          const char *const *files, hw_buf *b) {
    const hw_finding *f = &fs->item[i];
    hw_buf_clear(b);
    hw_report_message(b, r->lang, t, f);
    if (r->writer) {
        r->writer->finding(r, t, f, files, b->data);
    } else if (r->format == HW_FORMAT_JSON) {
        put(r, i ? ",\n" : "\n");
        print_finding_json(r, t, f, files, b->data);
    } else {
        /* file:line: severity: message [rule] */
        const hw_row_ref *first = &t->row[f->rows[0]];
        char line[24];
        line[0] = ':';
        size_t n = 1 + hw_put_u64(line + 1, first->line);
        fputs(files[first->file], r->out);
        fwrite(line, 1, n, r->out);
        fputs(": ", r->out);
        fputs(hw_msg(r->lang, f->severity == HW_SEV_ERROR ? HW_M_SEV_ERROR : HW_M_SEV_WARNING),
              r->out);
        fputs(": ", r->out);
        fwrite(b->data, 1, b->len, r->out);
        fputs(" [", r->out);
        fputs(hw_rule_id(f->rule), r->out);
        fputs("]\n", r->out);
    }
}

/* Findings, and rows of JSON findings, that one chunk formats at most: a
 * few chunks a thread, not so small that handing them out costs more. */
#define CHUNK_FINDINGS_MIN 128
#define CHUNK_FINDINGS_MAX 2048
#define CHUNK_ROWS 65536

/* Text and JSON findings formatted on worker threads, a chunk at a time
 * into memory, and written in order by this one: a few chunks at once, so
 * the memory held stays small whatever the number of findings. */
typedef struct {
    hw_report *r;
    const hw_totals *t;
    const hw_findings *fs;
    const char *const *files;
    size_t *cut; /* chunk k is findings cut[k] .. cut[k + 1] */
    char **text;
    size_t *len;
} chunks;

/* How many findings ahead format_chunk fetches the first row of. */
#define ROWS_AHEAD 8

static void format_chunk(void *ctx, size_t k) {
    chunks *c = ctx;
    hw_report local = *c->r;
    local.out = hw_need(open_memstream(&c->text[k], &c->len[k]));
    hw_buf b;
    hw_buf_init(&b);
    for (size_t i = c->cut[k]; i < c->cut[k + 1]; i++) {
        /* a finding's rows lie anywhere among the rows read: fetched ahead */
        if (i + ROWS_AHEAD < c->cut[k + 1])
            __builtin_prefetch(&c->t->row[c->fs->item[i + ROWS_AHEAD].rows[0]]);
        write_finding(&local, c->t, c->fs, i, c->files, &b);
    }
    hw_buf_free(&b);
    fclose(local.out);
}

static void write_in_chunks(hw_report *r, const hw_totals *t, const hw_findings *fs,
                            const char *const *files) {
    size_t n = 0, cap = 16;
    size_t *cut = hw_xcalloc(cap, sizeof *cut);
    size_t most = fs->n / ((size_t)r->jobs * 4);
    most = most < CHUNK_FINDINGS_MIN   ? CHUNK_FINDINGS_MIN
           : most > CHUNK_FINDINGS_MAX ? CHUNK_FINDINGS_MAX
                                       : most;
    for (size_t i = 0, findings = 0, rows = 0; i < fs->n; i++) {
        if (findings == most || rows >= CHUNK_ROWS) {
            if (n + 2 >= cap) {
                cap *= 2;
                cut = hw_xreallocarray(cut, cap, sizeof *cut);
            }
            cut[++n] = i;
            findings = rows = 0;
        }
        findings++;
        rows += r->format == HW_FORMAT_JSON ? fs->item[i].nrows : 0;
    }
    cut[++n] = fs->n;
    chunks c = {r, t, fs, files, cut, hw_xcalloc(n, sizeof *c.text), hw_xcalloc(n, sizeof *c.len)};
    hw_pool p;
    /* This thread formats chunks too, while it waits for the next to write. */
    hw_pool_start(&p, n, r->jobs - 1, (size_t)r->jobs * 2, format_chunk, &c);
    for (size_t k = 0; k < n; k++) {
        hw_pool_help(&p, k);
        fwrite(c.text[k], 1, c.len[k], r->out);
        free(c.text[k]);
        c.text[k] = NULL;
    }
    hw_pool_end(&p);
    free(c.text);
    free(c.len);
    free(cut);
}

void hw_report_findings(hw_report *r, const hw_totals *t, const hw_findings *fs) {
    r->in_findings = true;
    if (r->format == HW_FORMAT_CSV) {
        hw_csv_findings(r, t, fs);
        return;
    }
    if (r->format == HW_FORMAT_HTML) {
        hw_html_findings(r, t, fs);
        return;
    }
    if (r->format == HW_FORMAT_TEXT && r->summary) {
        hw_overview o;
        hw_overview_build(&o, r->policy, t, fs);
        if (r->nerrors)
            put(r, "\n");
        hw_overview_print(&o, r->lang, r->out);
        hw_overview_free(&o);
        return;
    }
    /* File names are cleaned once, not per finding; a line format keeps
     * each finding on one line whatever a file name holds. */
    char **files = hw_report_files(t, r->format == HW_FORMAT_GCC);
    hw_buf b;
    hw_buf_init(&b);
    /* A JSON finding names a file for each of its rows: quoted once here. */
    for (uint32_t i = 0; r->format == HW_FORMAT_JSON && i < t->nfiles; i++) {
        hw_buf_clear(&b);
        hw_json_string(&b, files[i]);
        free(files[i]);
        files[i] = hw_xstrndup(b.data, b.len);
    }
    if (r->format == HW_FORMAT_JSON)
        put(r, r->nerrors ? "\n],\n\"findings\":[" : "],\n\"findings\":[");
    if (!r->writer && r->jobs > 1 && fs->n > CHUNK_FINDINGS_MIN * 2) {
        write_in_chunks(r, t, fs, (const char *const *)files);
    } else {
        for (size_t i = 0; i < fs->n; i++)
            write_finding(r, t, fs, i, (const char *const *)files, &b);
    }
    if (r->format == HW_FORMAT_JSON)
        put(r, fs->n ? "\n]" : "]");
    if (r->format == HW_FORMAT_JSON && r->summary) {
        hw_overview o;
        hw_overview_build(&o, r->policy, t, fs);
        put(r, ",\n\"overview\":");
        hw_report_print_json(r, hw_overview_json(&o));
        hw_overview_free(&o);
    }
    hw_report_files_free(files, t);
    hw_buf_free(&b);
}

void hw_report_unmatched(hw_report *r, const hw_unmatched *u) {
    if (r->format == HW_FORMAT_JSON) {
        cJSON *o = hw_need(cJSON_CreateObject());
        hw_need(cJSON_AddStringToObject(o, "rule", u->rule));
        if (u->school)
            hw_need(cJSON_AddStringToObject(o, "school", u->school));
        else
            hw_need(cJSON_AddNullToObject(o, "school"));
        hw_need(cJSON_AddStringToObject(o, "class", u->cls));
        const char *keys[] = {"date", "week", "subject", "cap_rule", "type"};
        const char *vals[] = {u->date, u->week, u->subject, u->cap_rule, u->type};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (vals[i])
                hw_need(cJSON_AddStringToObject(o, keys[i], vals[i]));
        hw_need(cJSON_AddStringToObject(o, "message", u->message));
        put(r, r->nunmatched ? ",\n" : ",\n\"baseline_unmatched\":[\n");
        hw_report_print_json(r, o);
        r->nunmatched++;
        return;
    }
    hw_buf msg;
    hw_buf_init(&msg);
    hw_buf_printf(&msg, hw_msg(r->lang, HW_M_BASELINE_UNMATCHED), u->message, u->rule);
    if (r->writer)
        r->writer->unmatched(r, u, msg.data);
    else
        fprintf(r->out, "%s: %s: %s\n", u->baseline, hw_msg(r->lang, HW_M_SEV_NOTE), msg.data);
    hw_buf_free(&msg);
    r->nunmatched++;
}

cJSON *hw_report_summary_json(const hw_summary *s) {
    cJSON *o = hw_need(cJSON_CreateObject());
    hw_need(cJSON_AddNumberToObject(o, "files", (double)s->files));
    hw_need(cJSON_AddNumberToObject(o, "rows", (double)s->rows));
    hw_need(cJSON_AddNumberToObject(o, "bad_rows", (double)s->bad_rows));
    hw_need(cJSON_AddNumberToObject(o, "classes", (double)s->classes));
    hw_need(cJSON_AddNumberToObject(o, "class_days", (double)s->class_days));
    hw_need(cJSON_AddNumberToObject(o, "findings", (double)s->findings));
    hw_need(cJSON_AddNumberToObject(o, "breaches", (double)s->breaches));
    hw_need(cJSON_AddNumberToObject(o, "warnings", (double)s->warnings));
    hw_need(cJSON_AddNumberToObject(o, "errors", (double)s->errors));
    if (s->baseline) {
        hw_need(cJSON_AddNumberToObject(o, "baselined", (double)s->baselined));
        hw_need(cJSON_AddNumberToObject(o, "baseline_unmatched", (double)s->unmatched));
    }
    return o;
}

void hw_report_summary_text(hw_buf *b, hw_lang lang, const hw_summary *s) {
    hw_buf_printf(b, hw_msg(lang, HW_M_SUMMARY), s->files, s->rows, s->classes, s->class_days);
    hw_buf_puts(b, "\n");
    if (s->findings || s->errors)
        hw_buf_printf(b, hw_msg(lang, HW_M_SUMMARY_RESULT), s->breaches, s->warnings, s->errors);
    else
        hw_buf_puts(b, hw_msg(lang, HW_M_ALL_CLEAR));
    if (s->baseline) {
        hw_buf_puts(b, "\n");
        hw_buf_printf(b, hw_msg(lang, HW_M_SUMMARY_BASELINE), s->baselined, s->unmatched);
    }
}

void hw_report_end(hw_report *r, const hw_summary *s) {
    if (r->writer) {
        r->writer->end(r, s);
        return;
    }
    if (r->format == HW_FORMAT_CSV)
        return;
    if (r->format == HW_FORMAT_HTML) {
        hw_html_end(r, s);
        return;
    }
    if (r->format == HW_FORMAT_JSON) {
        if (!r->in_findings)
            put(r, r->nerrors ? "\n],\n\"findings\":[]" : "],\n\"findings\":[]");
        if (r->nunmatched)
            put(r, "\n]");
        else if (s->baseline)
            put(r, ",\n\"baseline_unmatched\":[]");
        cJSON *o = hw_report_summary_json(s);
        put(r, ",\n\"summary\":");
        hw_report_print_json(r, o);
        put(r, "}\n");
        return;
    }
    if (r->nerrors || s->findings || r->nunmatched || r->summary)
        put(r, "\n");
    hw_buf b;
    hw_buf_init(&b);
    hw_report_summary_text(&b, r->lang, s);
    put(r, b.data);
    put(r, "\n");
    hw_buf_free(&b);
}
