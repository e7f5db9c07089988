#include "hw_report_html.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hw_msg.h"
#include "hw_notation.h"
#include "hw_overview.h"

/* Input errors shown in full; the rest are counted. */
#define MAX_ERRORS_SHOWN 200
/* A district's register holds tens of thousands of classes: the page shows
 * the worst of them, so that it opens in a browser and reads at a glance
 * (drawn in full, a 5M-row register made a page of 460 MB). What is left
 * out is said, and the CSV and JSON reports hold it all. */
#define MAX_HEAT_CLASSES 300
#define MAX_CHARTS 100
#define MAX_FINDINGS_SHOWN 1000
/* Above this many dates the heat map shows colours without numbers. */
#define DENSE_DATES 31

typedef struct {
    char *file, *message;
    unsigned long line;
    unsigned column;
} kept_error;

typedef struct {
    kept_error err[MAX_ERRORS_SHOWN];
    size_t nerr;
    const hw_totals *t;
    const hw_findings *f;
} html_state;

/* Every word of the page: English, then Chinese. */
enum {
    T_TITLE,
    T_SUBTITLE,
    T_POLICY,
    T_FILES_ROWS,
    T_CLASSES,
    T_CLASS_DAYS,
    T_BREACHES,
    T_CLASSES_OVER,
    T_WORST,
    T_NO_BREACH,
    T_INPUT_ERRORS,
    T_HEAT,
    T_HEAT_NOTE,
    T_CHARTS,
    T_CHARTS_NOTE,
    T_NO_CHARTS,
    T_FINDINGS,
    T_NO_FINDINGS,
    T_BY_GRADE,
    T_BY_SCHOOL,
    T_COL_CLASS,
    T_COL_GRADE,
    T_COL_WHEN,
    T_COL_RULE,
    T_COL_MIN,
    T_COL_LIMIT,
    T_COL_OVER,
    T_COL_ROWS,
    T_COL_SCHOOL,
    T_COL_NCLASSES,
    T_COL_NOVER,
    T_COL_DAYS,
    T_COL_NBREACH,
    T_COL_WORST,
    T_CAP,
    T_WEEK_CAP,
    T_WEEK_AVG,
    T_MIN,
    T_LEGEND_NONE,
    T_LEGEND_NOCAP,
    T_LEGEND_EMPTY,
    T_GRADE_N,
    T_BREACH_N,
    T_MORE_ERRORS,
    T_HEAT_MORE,
    T_CHARTS_MORE,
    T_FINDINGS_MORE,
    T_FOOTER,
    T_WORST_SUB,
    T_NO_CAP,
    T__COUNT
};

static const char *const words[T__COUNT][2] = {
    [T_TITLE] = {"Homework load report", "作业时长检查报告"},
    [T_SUBTITLE] = {"Written homework (书面作业) against the homework-burden caps (减负 / 双减)",
                    "书面作业时长与减负、双减规定上限的对照"},
    [T_POLICY] = {"Policy", "检查规则"},
    [T_FILES_ROWS] = {"%zu file(s), %zu row(s)", "%zu 个文件，%zu 行"},
    [T_CLASSES] = {"classes", "个班级"},
    [T_CLASS_DAYS] = {"class-days", "个班级日"},
    [T_BREACHES] = {"breaches", "处超标"},
    [T_CLASSES_OVER] = {"classes over a cap", "个班级超标"},
    [T_WORST] = {"worst class", "最严重的班级"},
    [T_NO_BREACH] = {"every class within the caps", "所有班级均未超标"},
    [T_INPUT_ERRORS] = {"Input errors", "输入错误"},
    [T_HEAT] = {"Daily load against the cap", "每日作业量与上限对照"},
    [T_HEAT_NOTE] = {"Each cell is one class on one day: its written minutes, coloured by their "
                     "share of the class's daily cap (for grades with only a weekly-average cap, "
                     "of that cap).",
                     "每格为一个班级一天的书面作业分钟数，颜色表示占该班每日上限的比例"
                     "（只有周日均上限的年级，按周日均上限计）。"},
    [T_CHARTS] = {"Classes in breach", "超标班级"},
    [T_CHARTS_NOTE] = {"Each bar is a day, stacked by subject; the dashed red line is the cap.",
                       "每根柱为一天，按科目分段；红色虚线为上限。"},
    [T_NO_CHARTS] = {"No class went over a cap.", "没有班级超标。"},
    [T_FINDINGS] = {"Findings", "检查结果"},
    [T_NO_FINDINGS] = {"Nothing to report.", "没有发现问题。"},
    [T_BY_GRADE] = {"By grade", "各年级"},
    [T_BY_SCHOOL] = {"By school", "各学校"},
    [T_COL_CLASS] = {"Class", "班级"},
    [T_COL_GRADE] = {"Grade", "年级"},
    [T_COL_WHEN] = {"Date / week", "日期 / 周"},
    [T_COL_RULE] = {"Rule", "规则"},
    [T_COL_MIN] = {"Minutes", "分钟"},
    [T_COL_LIMIT] = {"Cap", "上限"},
    [T_COL_OVER] = {"Over by", "超出"},
    [T_COL_ROWS] = {"Rows (subject, minutes, file:line)", "明细（科目、分钟、文件:行）"},
    [T_COL_SCHOOL] = {"School", "学校"},
    [T_COL_NCLASSES] = {"Classes", "班级数"},
    [T_COL_NOVER] = {"Over", "超标班级"},
    [T_COL_DAYS] = {"Class-days", "班级日"},
    [T_COL_NBREACH] = {"Breaches", "超标次数"},
    [T_COL_WORST] = {"Worst excess", "最大超出"},
    [T_CAP] = {"cap %s", "上限 %s"},
    [T_WEEK_CAP] = {"avg cap %s", "日均上限 %s"},
    [T_WEEK_AVG] = {"week average", "周日均"},
    [T_MIN] = {"%s min", "%s 分钟"},
    [T_LEGEND_NONE] = {"none", "无"},
    [T_LEGEND_NOCAP] = {"no cap", "无上限"},
    [T_LEGEND_EMPTY] = {"no record", "无记录"},
    [T_GRADE_N] = {"grade %d", "%d 年级"},
    [T_BREACH_N] = {"%zu breach(es), worst %s min over", "超标 %zu 次，最多超出 %s 分钟"},
    [T_MORE_ERRORS] = {"… and %zu more; run hwcheck in a terminal to see them all.",
                       "……另有 %zu 条；在终端运行 hwcheck 可看到全部。"},
    [T_HEAT_MORE] = {"Shown: the %zu classes with the most breaches, of %zu; hwcheck --format csv "
                     "--summary lists every class.",
                     "仅显示超标最多的 %zu 个班级（共 %zu 个）；hwcheck --format csv --summary "
                     "可列出全部班级。"},
    [T_CHARTS_MORE] = {"… and %zu more classes over a cap, not drawn; hwcheck --format csv lists "
                       "every finding.",
                       "……另有 %zu 个超标班级未绘图；hwcheck --format csv 可列出全部超标记录。"},
    [T_FINDINGS_MORE] = {"… and %zu more findings; hwcheck --format csv or --format json lists "
                         "them all.",
                         "……另有 %zu 条记录；hwcheck --format csv 或 --format json 可列出全部。"},
    [T_FOOTER] = {"Made by hwcheck %s from %s.", "由 hwcheck %s 根据 %s 生成。"},
    [T_WORST_SUB] = {"%zu breach(es), up to %s min over", "超标 %zu 次，最多超出 %s 分钟"},
    [T_NO_CAP] = {"no cap for this grade", "此年级无上限"},
};

static const char *W(const hw_report *r, int id) {
    return words[id][r->lang == HW_LANG_ZH];
}

void hw_html_escape(hw_buf *b, const char *s, size_t len) {
    hw_buf clean;
    hw_buf_init(&clean);
    hw_msg_excerpt(&clean, s, len, SIZE_MAX, 0);
    /* Runs of plain bytes are copied whole; the last append, even of no
     * bytes, leaves b a string. */
    size_t from = 0;
    for (size_t i = 0; i < clean.len; i++) {
        const char *entity;
        switch (clean.data[i]) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&#39;";
            break;
        default:
            continue;
        }
        hw_buf_append(b, clean.data + from, i - from);
        hw_buf_puts(b, entity);
        from = i + 1;
    }
    hw_buf_append(b, clean.data + from, clean.len - from);
    hw_buf_free(&clean);
}

static void esc(hw_buf *b, const char *s) {
    hw_html_escape(b, s, strlen(s));
}

void hw_html_begin(hw_report *r) {
    r->html = hw_xcalloc(1, sizeof(html_state));
}

void hw_html_input_error(hw_report *r, const hw_input_error *e) {
    html_state *st = r->html;
    if (st->nerr == MAX_ERRORS_SHOWN)
        return;
    kept_error *k = &st->err[st->nerr++];
    k->file = hw_xstrndup(e->file, strlen(e->file));
    k->message = hw_xstrndup(e->message, strlen(e->message));
    k->line = e->line;
    k->column = e->column;
}

void hw_html_findings(hw_report *r, const hw_totals *t, const hw_findings *f) {
    html_state *st = r->html;
    st->t = t;
    st->f = f;
}

static const char *const css[] = {
    "*{box-sizing:border-box}",
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}",
    "body{margin:0;background:#f4f5f7;color:#1f2933;font:14px/1.5 'Noto Sans CJK SC','Source Han ",
    "Sans SC','PingFang SC','Microsoft YaHei','Hiragino Sans GB','WenQuanYi Micro Hei',system-ui,",
    "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}",
    "main{max-width:1120px;margin:0 auto;padding:32px 28px 48px}",
    "header.top{border-bottom:3px solid #1f3a5f;padding-bottom:14px;margin-bottom:22px}",
    "h1{font-size:26px;margin:0 0 4px;color:#1f3a5f;letter-spacing:.02em}",
    ".sub{margin:0;color:#52606d}",
    ".meta{margin:6px 0 0;color:#7b8794;font-size:12.5px}",
    "h2{font-size:18px;color:#1f3a5f;margin:34px 0 6px;padding-bottom:4px;border-bottom:1px solid ",
    "#d9dee5;break-after:avoid}",
    "h3{font-size:14px;margin:16px 0 6px;color:#323f4b}",
    ".note{color:#616e7c;font-size:12.5px;margin:0 0 12px}",
    ".cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}",
    ".card{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:14px 16px;",
    "box-shadow:0 1px 2px rgba(16,24,40,.05)}",
    ".card .num{font-size:30px;font-weight:700;line-height:1.1;color:#1f3a5f;font-variant-numeric:",
    "tabular-nums}",
    ".card .label{color:#616e7c;font-size:12.5px;margin-top:2px}",
    ".card.bad .num{color:#c62f3a}.card.good .num{color:#2f855a}",
    ".card.wide{grid-column:span 2}",
    ".card.wide .num{font-size:20px;line-height:1.35}",
    ".card .detail{font-size:12.5px;color:#c62f3a;margin-top:2px}",
    ".groups{display:grid;grid-template-columns:1fr 1fr;gap:18px}",
    "table{border-collapse:collapse;width:100%;background:#fff}",
    "table.plain{font-size:12.5px;border:1px solid #e1e5ea}",
    "table.plain th,table.plain td{padding:5px 8px;border-bottom:1px solid #edf0f3;text-align:",
    "left}",
    "table.plain th{background:#f0f3f7;color:#323f4b;font-weight:600}"
    "table.plain td:first-child,table.plain th{white-space:nowrap}",
    "td.n,th.n{text-align:right!important;font-variant-numeric:tabular-nums;white-space:nowrap}",
    ".heatwrap{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:10px}",
    "table.heat{table-layout:fixed;font-size:10.5px}",
    "table.heat th{font-weight:600;color:#52606d;padding:2px 0;text-align:center;white-space:",
    "nowrap;overflow:hidden}",
    "table.heat th.cls{text-align:left;width:190px;padding-right:8px;font-size:11.5px;color:",
    "#1f2933;overflow:hidden;text-overflow:ellipsis}",
    "table.heat th.cls small{color:#9aa5b1;font-weight:400;margin-left:4px}",
    "table.heat th.wk{border-bottom:1px solid #d9dee5;color:#1f3a5f}",
    "table.heat th.day{font-weight:400;color:#7b8794;font-size:9.5px}",
    "table.heat tr.school th{text-align:left;color:#1f3a5f;font-size:12px;padding:8px 0 3px}",
    "table.heat td{height:20px;text-align:center;border:1.5px solid #fff;border-radius:3px;",
    "font-variant-numeric:tabular-nums;color:#243b53}",
    "table.heat td.x{color:#fff;font-weight:700}",
    "table.heat td.none{background:repeating-linear-gradient(45deg,#f7f8fa 0 3px,#eef0f3 3px 6px)}",
    "table.heat.dense td{font-size:0}",
    ".legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:11.5px;color:#52606d;margin:10px ",
    "0 0}",
    ".legend span{display:inline-flex;align-items:center;gap:5px}",
    ".legend i{display:inline-block;width:14px;height:12px;border-radius:2px}",
    ".charts{display:grid;grid-template-columns:1fr 1fr;gap:14px}",
    "figure.chart{margin:0;background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:",
    "10px 12px 8px;break-inside:avoid}",
    "figure.chart figcaption{font-weight:600;font-size:13px;color:#1f2933}",
    "figure.chart figcaption small{display:block;font-weight:400;color:#c62f3a;font-size:11.5px}",
    "svg.chart{width:100%;height:auto;display:block;margin-top:4px}",
    "svg text{font-family:inherit}",
    "table.findings{font-size:12px;border:1px solid #e1e5ea}",
    "table.findings th{background:#1f3a5f;color:#fff;font-weight:600;padding:6px 8px;text-align:",
    "left;white-space:nowrap}",
    "table.findings td{padding:5px 8px;border-bottom:1px solid #edf0f3;vertical-align:top}",
    "table.findings tr{break-inside:avoid}"
    "table.findings td.cls{white-space:nowrap;font-weight:600}"
    "table.findings td.cls small{display:block;font-weight:400;color:#7b8794;font-size:11px}"
    "table.findings td.when{white-space:nowrap}",
    "table.findings tr.warning td{color:#52606d}",
    "table.findings tr.error td.over{color:#c62f3a;font-weight:700}",
    ".rule{display:inline-block;font-size:11px;padding:0 6px;border-radius:9px;background:#fde8e8;",
    "color:#9b1c1c;white-space:nowrap}",
    "tr.warning .rule{background:#fdf6e3;color:#8a6d1d}",
    "ul.rows{margin:0;padding:0;list-style:none;color:#3e4c59}",
    "ul.rows li{line-height:1.55}ul.rows .file{display:block;color:#7b8794;font-size:11px}"
    "ul.rows .r{display:inline-block;white-space:nowrap;margin-right:12px}"
    "ul.rows .ln{color:#9aa5b1;font-size:11px;margin-right:4px}",
    ".sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:5px}",
    "ul.errors{background:#fff;border:1px solid #f5c6cb;border-radius:8px;padding:10px 14px 10px ",
    "30px;font-size:12.5px;color:#7a271a}",
    "footer{margin-top:36px;color:#9aa5b1;font-size:11.5px;border-top:1px solid #d9dee5;",
    "padding-top:8px}",
    "@page{size:A4;margin:12mm 10mm}",
    "@media print{body{background:#fff;font-size:10pt}main{max-width:none;padding:0}",
    ".card,.heatwrap,figure.chart{box-shadow:none}",
    "section.charts-section{break-before:page}",
    "section.findings-section{break-before:page}",
    "table.heat th.cls{width:150px}"
    "table.plain{font-size:8.5pt}table.plain th,table.plain td{padding:3px 5px}",
    "h2{margin-top:18px}}"};

/* Tableau 10 without its red, which marks caps and breaches. */
static const char *const palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
                                      "#edc948", "#9c755f", "#ff9da7", "#86bcb6", "#bab0ac"};
#define NPALETTE (sizeof palette / sizeof palette[0])

/* The heat map's colour steps by load / cap (permille), and a cap of 0. */
typedef struct {
    int upto; /* permille, inclusive */
    const char *bg;
    bool dark;
} step;
static const step steps[] = {
    {0, "#eef2f6", false},        {500, "#d3eedd", false},  {800, "#a7dbb9", false},
    {1000, "#fbe7a1", false},     {1250, "#f9a66c", false}, {1500, "#e8604c", true},
    {INT32_MAX, "#b3222f", true},
};

static const step *step_of(int64_t total, int64_t cap) {
    if (total <= 0)
        return &steps[0];
    if (cap <= 0)
        return &steps[sizeof steps / sizeof steps[0] - 1];
    int64_t pm = total * 1000 / cap;
    size_t i = 1;
    while (pm > steps[i].upto)
        i++;
    return &steps[i];
}

static void fmt_min(char out[32], int64_t umin) {
    hw_format_minutes_text(umin < 0 ? 0 : umin, out);
}

/* "School Class" or "Class", escaped. */
static void class_name(hw_buf *b, const hw_ov_class *c) {
    if (*c->school) {
        esc(b, c->school);
        hw_buf_puts(b, " ");
    }
    esc(b, c->name);
}

/* Subjects in one order for every chart: most written minutes first. */
typedef struct {
    uint32_t *order; /* string id -> colour index + 1, 0 = unused */
    uint32_t nstrings;
} subjects;

static const hw_totals *sort_t;
static int64_t *sort_sum;
static int cmp_subject(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (sort_sum[x] != sort_sum[y])
        return sort_sum[x] > sort_sum[y] ? -1 : 1;
    return strcmp(hw_totals_str(sort_t, x), hw_totals_str(sort_t, y));
}

static void subjects_build(subjects *s, const hw_totals *t) {
    s->nstrings = t->strings.n;
    s->order = hw_xcalloc(s->nstrings ? s->nstrings : 1, sizeof *s->order);
    int64_t *sum = hw_xcalloc(s->nstrings ? s->nstrings : 1, sizeof *sum);
    uint32_t *ids = hw_xcalloc(s->nstrings ? s->nstrings : 1, sizeof *ids);
    size_t n = 0;
    for (uint32_t r = 0; r < t->nrows; r++) {
        uint32_t id = t->row[r].subject;
        if (!sum[id] && !s->order[id]) {
            s->order[id] = 1;
            ids[n++] = id;
        }
        sum[id] += t->row[r].umin;
    }
    sort_t = t;
    sort_sum = sum;
    qsort(ids, n, sizeof *ids, cmp_subject);
    for (size_t i = 0; i < n; i++)
        s->order[ids[i]] = (uint32_t)i + 1;
    free(sum);
    free(ids);
}

/* Puts ids[0..n) in the common order, moving sums[] (unless NULL) with
 * them; a chart's bar or legend holds few subjects. */
static void sort_by_subject(const subjects *s, uint32_t *ids, int64_t *sums, size_t n) {
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && s->order[ids[j]] < s->order[ids[j - 1]]; j--) {
            uint32_t id = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = id;
            if (sums) {
                int64_t sum = sums[j];
                sums[j] = sums[j - 1];
                sums[j - 1] = sum;
            }
        }
}

static const char *subject_colour(const subjects *s, uint32_t id) {
    uint32_t k = s->order[id];
    return k ? palette[(k - 1) % NPALETTE] : palette[NPALETTE - 1];
}

static void headline(hw_report *r, hw_buf *b, const hw_overview *o, const hw_summary *s) {
    hw_buf_puts(b, "<section class=\"headline\"><div class=\"cards\">");
    hw_buf_printf(b,
                  "<div class=\"card\" id=\"n-classes\"><div class=\"num\">%zu</div><div "
                  "class=\"label\">%s</div></div>",
                  s->classes, W(r, T_CLASSES));
    hw_buf_printf(b,
                  "<div class=\"card\" id=\"n-class-days\"><div class=\"num\">%zu</div><div "
                  "class=\"label\">%s</div></div>",
                  s->class_days, W(r, T_CLASS_DAYS));
    hw_buf_printf(b,
                  "<div class=\"card %s\" id=\"n-breaches\"><div class=\"num\">%zu</div><div "
                  "class=\"label\">%s</div></div>",
                  s->breaches ? "bad" : "good", s->breaches, W(r, T_BREACHES));
    hw_buf_printf(b,
                  "<div class=\"card %s\" id=\"n-over\"><div class=\"num\">%zu <small "
                  "style=\"font-size:15px;color:#7b8794\">/ %zu</small></div><div "
                  "class=\"label\">%s</div></div>",
                  o->over ? "bad" : "good", o->over, o->ncls, W(r, T_CLASSES_OVER));
    hw_buf_puts(b, "<div class=\"card wide\" id=\"worst\">");
    if (o->ncls && o->cls[0].breaches) {
        const hw_ov_class *c = &o->cls[0];
        char m[32];
        fmt_min(m, c->worst);
        hw_buf_puts(b, "<div class=\"num\">");
        class_name(b, c);
        hw_buf_puts(b, "</div><div class=\"detail\">");
        hw_buf_printf(b, W(r, T_WORST_SUB), c->breaches, m);
        hw_buf_printf(b, "</div><div class=\"label\">%s</div>", W(r, T_WORST));
    } else {
        hw_buf_printf(b, "<div class=\"num\" style=\"color:#2f855a\">✓ %s</div>",
                      W(r, T_NO_BREACH));
    }
    hw_buf_puts(b, "</div>");
    hw_buf_printf(b,
                  "<div class=\"card %s\" id=\"n-errors\"><div class=\"num\">%zu</div><div "
                  "class=\"label\">%s</div></div>",
                  s->errors ? "bad" : "", s->errors, W(r, T_INPUT_ERRORS));
    hw_buf_printf(b,
                  "<div class=\"card\" id=\"n-warnings\"><div class=\"num\">%zu</div><div "
                  "class=\"label\">%s</div></div>",
                  s->warnings, r->lang == HW_LANG_ZH ? "条警告" : "warnings");
    hw_buf_puts(b, "</div></section>\n");
}

static void group_table(hw_report *r, hw_buf *b, const hw_ov_group *g, size_t n, bool school) {
    hw_buf_printf(b, "<div><h3>%s</h3><table class=\"plain\"><thead><tr><th>%s</th>",
                  W(r, school ? T_BY_SCHOOL : T_BY_GRADE),
                  W(r, school ? T_COL_SCHOOL : T_COL_GRADE));
    hw_buf_printf(b, "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>",
                  W(r, T_COL_NCLASSES), W(r, T_COL_NOVER), W(r, T_COL_DAYS));
    hw_buf_printf(b, "<th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>",
                  W(r, T_COL_NBREACH), W(r, T_COL_WORST));
    for (size_t i = 0; i < n; i++) {
        hw_buf_puts(b, "<tr><td>");
        if (school)
            esc(b, g[i].school);
        else
            hw_buf_printf(b, W(r, T_GRADE_N), g[i].grade);
        char m[40] = "–", v[32];
        if (g[i].worst >= 0) {
            fmt_min(v, g[i].worst);
            snprintf(m, sizeof m, "+%s", v);
        }
        hw_buf_printf(b,
                      "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td "
                      "class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%s</td></tr>",
                      g[i].classes, g[i].over, g[i].days, g[i].breaches, m);
    }
    hw_buf_puts(b, "</tbody></table></div>");
}

/* Classes in the heat map: by school, grade, then name. */
static const hw_overview *sort_o;
static int cmp_heat(const void *a, const void *b) {
    const hw_ov_class *x = &sort_o->cls[*(const size_t *)a];
    const hw_ov_class *y = &sort_o->cls[*(const size_t *)b];
    int c = strcmp(x->school, y->school);
    if (c)
        return c;
    if (x->grade != y->grade)
        return x->grade < y->grade ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The note under a part of the page that shows only the first of many
 * (MAX_HEAT_CLASSES, MAX_CHARTS, MAX_FINDINGS_SHOWN): what was left out and
 * which report holds it. */
static void more_note(hw_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hw_buf_puts(b, "<p class=\"note more\">");
    hw_buf_vprintf(b, fmt, ap);
    hw_buf_puts(b, "</p>");
    va_end(ap);
}

static void heat_map(hw_report *r, hw_buf *b, const hw_overview *o, const hw_totals *t) {
    hw_buf_printf(b, "<section class=\"heat-section\"><h2>%s</h2><p class=\"note\">%s</p>",
                  W(r, T_HEAT), W(r, T_HEAT_NOTE));
    bool dense = o->ndates > DENSE_DATES;
    hw_buf_printf(
        b, "<div class=\"heatwrap\"><table class=\"heat%s\"><thead><tr><th class=\"cls\"></th>",
        dense ? " dense" : "");
    /* Week headers over their dates: o->week[] holds the weeks of o->date[],
     * both ascending, so each week spans the dates up to its Sunday. */
    for (size_t i = 0, k = 0; i < o->ndates; k++) {
        size_t j = i;
        while (j < o->ndates && o->date[j] < o->week[k].monday + 7)
            j++;
        hw_buf_printf(b, "<th class=\"wk\" colspan=\"%zu\">W%02d</th>", j - i, o->week[k].week);
        i = j;
    }
    hw_buf_puts(b, "</tr><tr><th class=\"cls\"></th>");
    for (size_t i = 0; i < o->ndates; i++) {
        char date[11];
        hw_format_date(o->date[i], date);
        hw_buf_printf(b, "<th class=\"day\" title=\"%s\">%s</th>", date, dense ? "" : date + 8);
    }
    hw_buf_puts(b, "</tr></thead><tbody>");
    /* o->cls is worst first: the first MAX_HEAT_CLASSES, by school and name */
    size_t n = o->ncls < MAX_HEAT_CLASSES ? o->ncls : MAX_HEAT_CLASSES;
    size_t *idx = hw_xcalloc(n ? n : 1, sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_o = o;
    qsort(idx, n, sizeof *idx, cmp_heat);
    const char *school = NULL;
    for (size_t k = 0; k < n; k++) {
        const hw_ov_class *c = &o->cls[idx[k]];
        if (*c->school && (!school || strcmp(school, c->school) != 0)) {
            school = c->school;
            hw_buf_printf(b, "<tr class=\"school\"><th colspan=\"%zu\">", o->ndates + 1);
            esc(b, school);
            hw_buf_puts(b, "</th></tr>");
        }
        hw_buf_puts(b, "<tr><th class=\"cls\" title=\"");
        class_name(b, c);
        hw_buf_puts(b, "\">");
        esc(b, c->name);
        hw_buf_puts(b, "</th>");
        size_t di = 0;
        char m[32], cap[32];
        fmt_min(cap, c->cap);
        for (size_t i = 0; i < o->ndates; i++) {
            const hw_classday *d = NULL;
            while (di < c->ndays && t->day[o->days[c->first_day + di]].date < o->date[i])
                di++;
            if (di < c->ndays && t->day[o->days[c->first_day + di]].date == o->date[i])
                d = &t->day[o->days[c->first_day + di]];
            if (!d) {
                hw_buf_puts(b, "<td class=\"none\"></td>");
                continue;
            }
            fmt_min(m, d->written);
            char date[11];
            hw_format_date(d->date, date);
            if (c->cap == HW_NO_CAP) {
                hw_buf_printf(b, "<td style=\"background:#e4e7eb\" title=\"%s: %s / –\">%s</td>",
                              date, m, m);
                continue;
            }
            const step *s = step_of(d->written, c->cap);
            hw_buf_printf(b, "<td%s style=\"background:%s\" title=\"%s: %s / %s\">%s</td>",
                          s->dark ? " class=\"x\"" : "", s->bg, date, m, cap,
                          d->written > 0 ? m : "");
        }
        hw_buf_puts(b, "</tr>");
    }
    free(idx);
    hw_buf_puts(b, "</tbody></table>");
    if (n < o->ncls)
        more_note(b, W(r, T_HEAT_MORE), n, o->ncls);
    hw_buf_puts(b, "<div class=\"legend\">");
    static const char *const labels[] = {"0",      "≤ 50%",  "≤ 80%", "≤ 100%",
                                         "≤ 125%", "≤ 150%", "> 150%"};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        hw_buf_printf(b, "<span><i style=\"background:%s\"></i>%s</span>", steps[i].bg, labels[i]);
    hw_buf_printf(b, "<span><i style=\"background:#e4e7eb\"></i>%s</span>", W(r, T_LEGEND_NOCAP));
    hw_buf_printf(b,
                  "<span><i style=\"background:repeating-linear-gradient(45deg,#f7f8fa 0 3px,"
                  "#eef0f3 3px 6px)\"></i>%s</span>",
                  W(r, T_LEGEND_EMPTY));
    hw_buf_puts(b, "</div></div></section>\n");
}

/* A round step for the y axis of a chart whose top is max micro-minutes. */
static int64_t axis_step(int64_t max) {
    static const int steps_min[] = {5, 10, 15, 20, 30, 60, 90, 120, 180, 240, 360};
    for (size_t i = 0; i < sizeof steps_min / sizeof steps_min[0]; i++)
        if (max <= (int64_t)steps_min[i] * 5 * 1000000)
            return (int64_t)steps_min[i] * 1000000;
    return 360 * (int64_t)1000000;
}

static void chart(hw_report *r, hw_buf *b, const hw_overview *o, size_t ci, const hw_totals *t,
                  const hw_findings *fs, const subjects *subj) {
    const hw_ov_class *c = &o->cls[ci];
    const double W0 = 560, H0 = 230, L = 40, R = 74, T = 14, B = 34;
    double pw = W0 - L - R, ph = H0 - T - B;
    int64_t top = c->max_day > 0 ? c->max_day : 0;
    if (c->cap != HW_NO_CAP && c->cap * 5 / 4 > top)
        top = c->cap * 5 / 4;
    if (top < 10 * 1000000)
        top = 10 * 1000000;
    int64_t stepv = axis_step(top);
    int64_t ymax = (top + stepv - 1) / stepv * stepv;
    char m[32], cap[32];
    fmt_min(m, c->worst);
    hw_buf_puts(b, "<figure class=\"chart\" data-class=\"");
    class_name(b, c);
    hw_buf_printf(b, "\" data-breaches=\"%zu\"><figcaption>", c->breaches);
    class_name(b, c);
    hw_buf_puts(b, " · ");
    hw_buf_printf(b, W(r, T_GRADE_N), c->grade);
    hw_buf_puts(b, "<small>");
    hw_buf_printf(b, W(r, T_BREACH_N), c->breaches, m);
    hw_buf_puts(b, "</small></figcaption>");
    hw_buf_printf(b,
                  "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                  "xmlns=\"http://www.w3.org/2000/svg\">",
                  W0, H0);
    /* Grid and y labels. */
    for (int64_t v = 0; v <= ymax; v += stepv) {
        double y = T + ph - ph * (double)v / (double)ymax;
        fmt_min(m, v);
        hw_buf_printf(b,
                      "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                      "stroke-width=\"1\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                      "fill=\"#7b8794\" text-anchor=\"end\">%s</text>",
                      L, L + pw, y, y, v ? "#edf0f3" : "#9aa5b1", L - 6, y + 3.5, m);
    }
    /* Which days breach: from the class's findings. */
    uint32_t n = c->ndays;
    double slot = pw / (n ? n : 1);
    double bw = slot * 0.66;
    if (bw > 34)
        bw = 34;
    int label_every = n > 24 ? 3 : n > 14 ? 2 : 1;
    for (uint32_t k = 0; k < n; k++) {
        const hw_classday *d = &t->day[o->days[c->first_day + k]];
        double x = L + slot * k + (slot - bw) / 2;
        bool breach = false;
        for (size_t i = 0; i < c->nfindings; i++) {
            const hw_finding *f = &fs->item[c->first_finding + i];
            if (!f->weekly && f->severity == HW_SEV_ERROR && f->date == d->date)
                breach = true;
        }
        /* Stack by subject in the common order, the largest subject at the bottom. */
        double y = T + ph;
        uint32_t ids[64];
        int64_t sums[64];
        size_t nids = 0;
        for (uint32_t rr = d->first; rr != HW_NONE; rr = t->row[rr].next) {
            uint32_t sid = t->row[rr].subject;
            size_t q = 0;
            while (q < nids && ids[q] != sid)
                q++;
            if (q == nids) {
                if (nids == 64)
                    q = 63; /* more subjects than that in a day: the last bar takes the rest */
                else
                    ids[nids] = sid, sums[nids++] = 0;
            }
            sums[q] += t->row[rr].umin;
        }
        sort_by_subject(subj, ids, sums, nids);
        for (size_t q = 0; q < nids; q++) {
            double h = ph * (double)sums[q] / (double)ymax;
            y -= h;
            fmt_min(m, sums[q]);
            hw_buf_printf(b,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                          "fill=\"%s\"><title>",
                          x, y, bw, h, subject_colour(subj, ids[q]));
            esc(b, hw_totals_str(t, ids[q]));
            hw_buf_printf(b, " %s</title></rect>", m);
        }
        fmt_min(m, d->written);
        hw_buf_printf(b,
                      "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" "
                      "fill=\"%s\" font-weight=\"%s\">%s</text>",
                      x + bw / 2, y - 3, breach ? "#c62f3a" : "#52606d", breach ? "700" : "400",
                      d->written > 0 ? m : "");
        if (k % (uint32_t)label_every == 0) {
            char date[11];
            hw_format_date(d->date, date);
            hw_buf_printf(b,
                          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" "
                          "fill=\"#52606d\">%s</text>",
                          x + bw / 2, T + ph + 14, date + 5);
        }
    }
    /* Weekly averages of a class under a weekly cap, as a line over each week. */
    if (c->cap_weekly) {
        for (size_t w = 0; w < o->nweeks; w++) {
            int64_t avg = hw_overview_week_avg(o, ci, w);
            if (avg < 0)
                continue;
            uint32_t k0 = n, k1 = 0;
            for (uint32_t k = 0; k < n; k++) {
                const hw_classday *d = &t->day[o->days[c->first_day + k]];
                if (d->date >= o->week[w].monday && d->date < o->week[w].monday + 7) {
                    k0 = k < k0 ? k : k0;
                    k1 = k;
                }
            }
            double y = T + ph - ph * (double)avg / (double)ymax;
            hw_buf_printf(b,
                          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#1f3a5f\" stroke-width=\"2\"/>",
                          L + slot * k0 + 2, L + slot * (k1 + 1) - 2, y, y);
        }
    }
    if (c->cap != HW_NO_CAP) {
        double y = T + ph - ph * (double)c->cap / (double)ymax;
        fmt_min(cap, c->cap);
        hw_buf_printf(b,
                      "<line class=\"cap\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"#d62728\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\"/>"
                      "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#d62728\">",
                      L, L + pw, y, y, L + pw + 4, y + 3.5);
        hw_buf_printf(b, W(r, c->cap_weekly ? T_WEEK_CAP : T_CAP), cap);
        hw_buf_puts(b, "</text>");
    }
    hw_buf_puts(b, "</svg><div class=\"legend\">");
    /* The legend: this class's subjects in the common order. */
    uint32_t *seen = hw_xcalloc(subj->nstrings ? subj->nstrings : 1, sizeof *seen);
    uint32_t *list = hw_xcalloc(subj->nstrings ? subj->nstrings : 1, sizeof *list);
    size_t nl = 0;
    for (uint32_t k = 0; k < n; k++) {
        const hw_classday *d = &t->day[o->days[c->first_day + k]];
        for (uint32_t rr = d->first; rr != HW_NONE; rr = t->row[rr].next)
            if (!seen[t->row[rr].subject]++)
                list[nl++] = t->row[rr].subject;
    }
    sort_by_subject(subj, list, NULL, nl);
    for (size_t i = 0; i < nl; i++) {
        hw_buf_printf(b, "<span><i style=\"background:%s\"></i>", subject_colour(subj, list[i]));
        esc(b, hw_totals_str(t, list[i]));
        hw_buf_puts(b, "</span>");
    }
    if (c->cap != HW_NO_CAP)
        hw_buf_printf(b,
                      "<span><i style=\"background:none;border-top:2px dashed #d62728;height:0\">"
                      "</i>%s</span>",
                      c->cap_weekly ? (r->lang == HW_LANG_ZH ? "周日均上限" : "weekly-average cap")
                                    : (r->lang == HW_LANG_ZH ? "每日上限" : "daily cap"));
    if (c->cap_weekly)
        hw_buf_printf(b, "<span><i style=\"background:#1f3a5f;height:2px\"></i>%s</span>",
                      W(r, T_WEEK_AVG));
    free(seen);
    free(list);
    hw_buf_puts(b, "</div></figure>\n");
}

static void findings_table(hw_report *r, hw_buf *b, const hw_totals *t, const hw_findings *fs,
                           const subjects *subj) {
    hw_buf_printf(b, "<section class=\"findings-section\"><h2>%s</h2>", W(r, T_FINDINGS));
    if (!fs->n) {
        hw_buf_printf(b, "<p class=\"note\">%s</p></section>\n", W(r, T_NO_FINDINGS));
        return;
    }
    hw_buf_printf(b,
                  "<table class=\"findings\"><thead><tr><th>#</th><th>%s</th><th>%s</th>"
                  "<th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                  "<th class=\"n\">%s</th><th>%s</th></tr></thead><tbody>",
                  W(r, T_COL_CLASS), W(r, T_COL_GRADE), W(r, T_COL_WHEN), W(r, T_COL_RULE),
                  W(r, T_COL_MIN), W(r, T_COL_LIMIT), W(r, T_COL_OVER), W(r, T_COL_ROWS));
    hw_buf msg;
    hw_buf_init(&msg);
    size_t n = fs->n < MAX_FINDINGS_SHOWN ? fs->n : MAX_FINDINGS_SHOWN;
    for (size_t i = 0; i < n; i++) {
        const hw_finding *f = &fs->item[i];
        const hw_class *c = &t->cls[f->cls];
        bool err = f->severity == HW_SEV_ERROR;
        hw_buf_clear(&msg);
        hw_report_message(&msg, r->lang, t, f);
        hw_buf_printf(b, "<tr class=\"finding %s\" data-rule=\"%s\" title=\"",
                      err ? "error" : "warning", hw_rule_id(f->rule));
        esc(b, msg.data);
        hw_buf_printf(b, "\"><td class=\"n\">%zu</td><td class=\"cls\">", i + 1);
        const char *school = hw_totals_str(t, c->school);
        if (*school) {
            hw_buf_puts(b, "<small>");
            esc(b, school);
            hw_buf_puts(b, "</small>");
        }
        esc(b, hw_totals_str(t, c->name));
        hw_buf_printf(b, "</td><td class=\"n\">%d</td><td class=\"when\">", f->grade);
        char when[16];
        hw_finding_when(f, when);
        hw_buf_puts(b, when);
        hw_buf_printf(b, "</td><td><span class=\"rule\">%s</span>", hw_rule_id(f->rule));
        if (f->subject != HW_NONE) {
            hw_buf_puts(b, " ");
            esc(b, hw_totals_str(t, f->subject));
        }
        char m[32], lim[32] = "–", over[40] = "–", v[32];
        fmt_min(m, hw_finding_shown(f));
        if (f->limit != HW_NO_CAP)
            fmt_min(lim, f->limit);
        if (err) {
            fmt_min(v, hw_overview_excess(f));
            snprintf(over, sizeof over, "+%s", v);
        }
        hw_buf_printf(b,
                      "</td><td class=\"n min\">%s</td><td class=\"n limit\">%s</td><td "
                      "class=\"n over\">%s</td><td><ul class=\"rows\">",
                      m, lim, over);
        /* The file is named once for its run of rows; each row is its line,
         * subject and minutes. */
        for (size_t k = 0; k < f->nrows; k++) {
            const hw_row_ref *rr = &t->row[f->rows[k]];
            if (k == 0 || t->row[f->rows[k - 1]].file != rr->file) {
                if (k)
                    hw_buf_puts(b, "</li>");
                hw_buf_puts(b, "<li><span class=\"file\">");
                esc(b, t->file[rr->file]);
                hw_buf_puts(b, "</span>");
            }
            fmt_min(m, rr->umin);
            hw_buf_printf(b,
                          "<span class=\"r\" data-min=\"%s\"><span class=\"ln\">:%u</span>"
                          "<i class=\"sw\" style=\"background:%s\"></i>",
                          m, rr->line, subject_colour(subj, rr->subject));
            esc(b, hw_totals_str(t, rr->subject));
            hw_buf_printf(b, " <b>%s</b></span>", m);
        }
        if (f->nrows)
            hw_buf_puts(b, "</li>");
        hw_buf_puts(b, "</ul></td></tr>\n");
    }
    hw_buf_free(&msg);
    hw_buf_puts(b, "</tbody></table>");
    if (n < fs->n)
        more_note(b, W(r, T_FINDINGS_MORE), fs->n - n);
    hw_buf_puts(b, "</section>\n");
}

void hw_html_end(hw_report *r, const hw_summary *s) {
    html_state *st = r->html;
    const hw_totals *t = st->t;
    const hw_findings *fs = st->f;
    hw_buf b;
    hw_buf_init(&b);
    bool zh = r->lang == HW_LANG_ZH;
    hw_buf_printf(&b,
                  "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                  "<meta name=\"generator\" content=\"hwcheck %s\"><title>%s</title><style>",
                  zh ? "zh-CN" : "en", HW_VERSION, W(r, T_TITLE));
    for (size_t i = 0; i < sizeof css / sizeof css[0]; i++)
        hw_buf_puts(&b, css[i]);
    hw_buf_puts(&b, "</style></head>\n<body><main>");
    hw_overview o;
    memset(&o, 0, sizeof o);
    if (t)
        hw_overview_build(&o, r->policy, t, fs);
    hw_buf_printf(&b, "<header class=\"top\"><h1>%s</h1><p class=\"sub\">%s</p><p class=\"meta\">",
                  W(r, T_TITLE), W(r, T_SUBTITLE));
    hw_buf_printf(&b, zh ? "%s：" : "%s: ", W(r, T_POLICY));
    esc(&b, r->policy->name);
    if (o.ndates) {
        char d0[11], d1[11];
        hw_format_date(o.date[0], d0);
        hw_format_date(o.date[o.ndates - 1], d1);
        hw_buf_printf(&b, " · %s – %s", d0, d1);
    }
    hw_buf_puts(&b, " · ");
    hw_buf_printf(&b, W(r, T_FILES_ROWS), s->files, s->rows);
    hw_buf_puts(&b, "</p></header>\n");
    headline(r, &b, &o, s);
    if (o.ngrades || o.nschools) {
        hw_buf_puts(&b, "<section class=\"groups\">");
        if (o.nschools)
            group_table(r, &b, o.school, o.nschools, true);
        group_table(r, &b, o.grade, o.ngrades, false);
        hw_buf_puts(&b, "</section>\n");
    }
    fwrite(b.data, 1, b.len, r->out);
    hw_buf_clear(&b);
    if (t && o.ndates) {
        heat_map(r, &b, &o, t);
        fwrite(b.data, 1, b.len, r->out);
        hw_buf_clear(&b);
    }
    subjects subj = {NULL, 0};
    if (t)
        subjects_build(&subj, t);
    hw_buf_printf(&b, "<section class=\"charts-section\"><h2>%s</h2>", W(r, T_CHARTS));
    if (o.over) {
        hw_buf_printf(&b, "<p class=\"note\">%s</p><div class=\"charts\">\n", W(r, T_CHARTS_NOTE));
        for (size_t i = 0; i < o.ncls && i < MAX_CHARTS && o.cls[i].breaches; i++) {
            chart(r, &b, &o, i, t, fs, &subj);
            fwrite(b.data, 1, b.len, r->out);
            hw_buf_clear(&b);
        }
        hw_buf_puts(&b, "</div>");
        if (o.over > MAX_CHARTS)
            more_note(&b, W(r, T_CHARTS_MORE), o.over - MAX_CHARTS);
    } else {
        hw_buf_printf(&b, "<p class=\"note\">%s</p>", W(r, T_NO_CHARTS));
    }
    hw_buf_puts(&b, "</section>\n");
    if (t && fs)
        findings_table(r, &b, t, fs, &subj);
    if (st->nerr) {
        hw_buf_printf(&b, "<section class=\"errors-section\"><h2>%s</h2><ul class=\"errors\">",
                      W(r, T_INPUT_ERRORS));
        for (size_t i = 0; i < st->nerr; i++) {
            kept_error *k = &st->err[i];
            hw_buf_puts(&b, "<li><code>");
            esc(&b, k->file);
            if (k->line)
                hw_buf_printf(&b, ":%lu", k->line);
            if (k->line && k->column)
                hw_buf_printf(&b, ":%u", k->column);
            hw_buf_puts(&b, "</code> ");
            esc(&b, k->message);
            hw_buf_puts(&b, "</li>");
        }
        if (s->errors > st->nerr) {
            hw_buf_puts(&b, "<li>");
            hw_buf_printf(&b, W(r, T_MORE_ERRORS), s->errors - st->nerr);
            hw_buf_puts(&b, "</li>");
        }
        hw_buf_puts(&b, "</ul></section>\n");
    }
    hw_buf_puts(&b, "<footer>");
    char what[96];
    snprintf(what, sizeof what, zh ? "%zu 个文件" : "%zu file(s)", s->files);
    hw_buf_printf(&b, W(r, T_FOOTER), HW_VERSION, what);
    hw_buf_puts(&b, "</footer></main></body></html>\n");
    fwrite(b.data, 1, b.len, r->out);
    hw_buf_free(&b);
    free(subj.order);
    hw_overview_free(&o);
    for (size_t i = 0; i < st->nerr; i++) {
        free(st->err[i].file);
        free(st->err[i].message);
    }
    free(st);
    r->html = NULL;
}
