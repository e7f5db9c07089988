#include "hw_report_csv.h"

#include <iconv.h>
#include <string.h>

#include "hw_msg.h"
#include "hw_notation.h"
#include "hw_overview.h"
#include "hw_report_fmt.h"

void hw_csv_field(hw_buf *row, const char *s, int first) {
    if (!first)
        hw_buf_puts(row, ",");
    bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    bool quote =
        formula || strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || (*s && s[strlen(s) - 1] == ' ');
    if (!quote) {
        hw_buf_puts(row, s);
        return;
    }
    hw_buf_puts(row, formula ? "\"'" : "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            hw_buf_puts(row, "\"");
        hw_buf_append(row, p, 1);
    }
    hw_buf_puts(row, "\"");
}

void hw_csv_number(hw_buf *row, const char *num, int first) {
    if (!first)
        hw_buf_puts(row, ",");
    hw_buf_puts(row, num);
}

/* Where rows go: the BOM first, each row converted if need be. */
typedef struct {
    hw_report *r;
    iconv_t cd; /* (iconv_t)-1 for UTF-8 */
    hw_buf row, conv;
} writer;

static void writer_init(writer *w, hw_report *r) {
    w->r = r;
    w->cd = (iconv_t)-1;
    hw_buf_init(&w->row);
    hw_buf_init(&w->conv);
    if (r->out_encoding == HW_OUT_GB18030)
        w->cd = iconv_open("GB18030", "UTF-8");
    if (w->cd == (iconv_t)-1)
        fputs("\xEF\xBB\xBF", r->out);
}

static void end_row(writer *w) {
    hw_buf_puts(&w->row, "\r\n");
    if (w->cd == (iconv_t)-1) {
        fwrite(w->row.data, 1, w->row.len, w->r->out);
    } else {
        /* GB18030 encodes every code point; the text is valid UTF-8. */
        hw_buf_clear(&w->conv);
        hw_buf_reserve(&w->conv, w->row.len * 2 + 4);
        char *in = w->row.data, *out = w->conv.data;
        size_t inleft = w->row.len, outleft = w->conv.cap - 1;
        iconv(w->cd, &in, &inleft, &out, &outleft);
        fwrite(w->conv.data, 1, (size_t)(out - w->conv.data), w->r->out);
    }
    hw_buf_clear(&w->row);
}

static void writer_free(writer *w) {
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    hw_buf_free(&w->row);
    hw_buf_free(&w->conv);
}

static void headers(writer *w, const char *const *en, const char *const *zh, size_t n) {
    for (size_t i = 0; i < n; i++)
        hw_csv_field(&w->row, w->r->lang == HW_LANG_ZH ? zh[i] : en[i], i == 0);
    end_row(w);
}

static void finding_rows(writer *w, const hw_totals *t, const hw_findings *fs) {
    static const char *const en[] = {"rule", "severity", "school",  "class", "grade", "date",
                                     "week", "days",     "minutes", "limit", "type",  "subject",
                                     "file", "line",     "message", "rows"};
    static const char *const zh[] = {"规则", "级别", "学校", "班级",  "年级",     "日期",
                                     "周",   "天数", "分钟", "上限",  "作业类型", "科目",
                                     "文件", "行",   "说明", "明细行"};
    headers(w, en, zh, sizeof en / sizeof en[0]);
    /* File names are cleaned once, not per finding and row. */
    char **files = hw_report_files(t, 1);
    hw_buf b;
    hw_buf_init(&b);
    char num[32];
    for (size_t i = 0; i < fs->n; i++) {
        const hw_finding *f = &fs->item[i];
        const hw_class *c = &t->cls[f->cls];
        hw_buf *row = &w->row;
        hw_csv_field(row, hw_rule_id(f->rule), 1);
        hw_csv_field(
            row,
            hw_msg(w->r->lang, f->severity == HW_SEV_ERROR ? HW_M_SEV_ERROR : HW_M_SEV_WARNING), 0);
        hw_csv_field(row, hw_totals_str(t, c->school), 0);
        hw_csv_field(row, hw_totals_str(t, c->name), 0);
        snprintf(num, sizeof num, "%d", f->grade);
        hw_csv_number(row, num, 0);
        char date[11] = "", week[16] = "";
        if (f->weekly)
            hw_format_week(f->iso_year, f->week, week);
        else
            hw_format_date(f->date, date);
        hw_csv_field(row, date, 0);
        hw_csv_field(row, week, 0);
        if (f->weekly)
            snprintf(num, sizeof num, "%u", f->ndays);
        else
            num[0] = '\0';
        hw_csv_number(row, num, 0);
        int64_t div = f->ndays ? (int64_t)f->ndays : 1;
        if (f->total % div == 0)
            hw_format_minutes_json(f->total / div, num);
        else
            snprintf(num, sizeof num, "%.15g", hw_finding_minutes(f));
        hw_csv_number(row, num, 0);
        if (f->limit == HW_NO_CAP)
            num[0] = '\0';
        else
            hw_format_minutes_json(f->limit, num);
        hw_csv_number(row, num, 0);
        hw_csv_field(row, f->rule == HW_RULE_UNKNOWN_TYPE ? hw_totals_str(t, f->type) : "", 0);
        hw_csv_field(row, f->subject != HW_NONE ? hw_totals_str(t, f->subject) : "", 0);
        const hw_row_ref *first = &t->row[f->rows[0]];
        hw_csv_field(row, files[first->file], 0);
        snprintf(num, sizeof num, "%u", first->line);
        hw_csv_number(row, num, 0);
        hw_buf_clear(&b);
        hw_report_message(&b, w->r->lang, t, f);
        hw_csv_field(row, b.data, 0);
        hw_buf_clear(&b);
        for (size_t k = 0; k < f->nrows; k++) {
            const hw_row_ref *rr = &t->row[f->rows[k]];
            hw_format_minutes_json(rr->umin, num);
            hw_buf_printf(&b, "%s%s:%u %s %s", k ? "; " : "", files[rr->file], rr->line,
                          hw_totals_str(t, rr->subject), num);
        }
        hw_csv_field(row, b.data ? b.data : "", 0);
        end_row(w);
    }
    hw_buf_free(&b);
    hw_report_files_free(files, t);
}

static void overview_rows(writer *w, const hw_totals *t, const hw_findings *fs) {
    hw_overview o;
    hw_overview_build(&o, w->r->policy, t, fs);
    bool zh = w->r->lang == HW_LANG_ZH;
    hw_buf *row = &w->row;
    static const char *const en[] = {"school", "class",       "grade",
                                     "days",   "highest_day", "highest_day_minutes"};
    static const char *const zh_h[] = {"学校", "班级", "年级", "天数", "最高日", "最高日分钟"};
    for (size_t i = 0; i < 6; i++)
        hw_csv_field(row, zh ? zh_h[i] : en[i], i == 0);
    char s[48], num[32];
    for (size_t k = 0; k < o.nweeks; k++) {
        char wl[16];
        hw_overview_week_label(&o.week[k], wl);
        snprintf(s, sizeof s, zh ? "%s 日均" : "%s average", wl);
        hw_csv_field(row, s, 0);
    }
    hw_csv_field(row, zh ? "超标次数" : "breaches", 0);
    hw_csv_field(row, zh ? "警告数" : "warnings", 0);
    hw_csv_field(row, zh ? "最大超出分钟" : "worst_excess", 0);
    end_row(w);
    for (size_t i = 0; i < o.ncls; i++) {
        const hw_ov_class *c = &o.cls[i];
        hw_csv_field(row, c->school, 1);
        hw_csv_field(row, c->name, 0);
        snprintf(num, sizeof num, "%d", c->grade);
        hw_csv_number(row, num, 0);
        snprintf(num, sizeof num, "%u", c->ndays);
        hw_csv_number(row, num, 0);
        char date[11];
        hw_format_date(c->max_date, date);
        hw_csv_field(row, date, 0);
        hw_format_minutes_json(c->max_day < 0 ? 0 : c->max_day, num);
        hw_csv_number(row, num, 0);
        for (size_t k = 0; k < o.nweeks; k++) {
            int64_t avg = hw_overview_week_avg(&o, i, k);
            if (avg < 0)
                num[0] = '\0';
            else
                hw_format_minutes_text(avg, num);
            hw_csv_number(row, num, 0);
        }
        snprintf(num, sizeof num, "%zu", c->breaches);
        hw_csv_number(row, num, 0);
        snprintf(num, sizeof num, "%zu", c->warnings);
        hw_csv_number(row, num, 0);
        if (c->worst < 0)
            num[0] = '\0';
        else
            hw_format_minutes_json(c->worst, num);
        hw_csv_number(row, num, 0);
        end_row(w);
    }
    hw_overview_free(&o);
}

void hw_csv_findings(hw_report *r, const hw_totals *t, const hw_findings *f) {
    writer w;
    writer_init(&w, r);
    if (r->summary)
        overview_rows(&w, t, f);
    else
        finding_rows(&w, t, f);
    writer_free(&w);
}
