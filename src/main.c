/* hwcheck: reads options, runs the pipeline, maps the result to an exit status. */
#include <csv.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw_check.h"
#include "hw_output.h"
#include "hw_policy.h"
#include "hw_report.h"
#include "hw_rules.h"

typedef struct {
    hw_format format;
    hw_lang lang;
    hw_encoding encoding;
    const char *output;
    char **files;
    size_t nfiles;
} options;

static const char usage_en[] =
    "Usage: hwcheck [OPTION]... FILE...\n"
    "Check homework registers (CSV) against the homework-burden caps (减负/双减).\n"
    "FILE - reads standard input.\n"
    "\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "  -o, --output FILE     write the report to FILE (replaced only when complete)\n"
    "      --lang LANG       zh or en (default: from LC_ALL, LC_MESSAGES, LANG)\n"
    "      --encoding ENC    auto (default), utf-8 or gb18030 (gbk)\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "Exit status: 0 nothing found (warnings alone included), 1 breaches found,\n"
    "2 usage error, unreadable file or any input error.\n";

static const char usage_zh[] =
    "用法：hwcheck [选项]... 文件...\n"
    "按减负/双减规定的书面作业时长上限检查作业登记表（CSV）。\n"
    "文件写 - 表示读取标准输入。\n"
    "\n"
    "  -f, --format 格式     text（默认）或 json\n"
    "  -o, --output 文件     将报告写入文件（写完整后才替换原文件）\n"
    "      --lang 语言       zh 或 en（默认取自 LC_ALL、LC_MESSAGES、LANG）\n"
    "      --encoding 编码   auto（默认）、utf-8 或 gb18030（gbk）\n"
    "  -h, --help            显示本帮助并退出\n"
    "  -V, --version         显示版本并退出\n"
    "\n"
    "退出状态：0 未发现问题（仅有警告也是 0），1 发现超标，\n"
    "2 用法错误、文件无法读取或有输入错误。\n";

static int usage_error(hw_lang lang, const char *what, const char *arg) {
    if (lang == HW_LANG_ZH)
        fprintf(stderr, "hwcheck：%s%s%s\n请运行 hwcheck --help 查看用法。\n", what,
                arg ? "：" : "", arg ? arg : "");
    else
        fprintf(stderr, "hwcheck: %s%s%s\nTry 'hwcheck --help'.\n", what, arg ? ": " : "",
                arg ? arg : "");
    return 2;
}

static bool parse_encoding(const char *s, hw_encoding *e) {
    static const struct {
        const char *name;
        hw_encoding enc;
    } names[] = {{"auto", HW_ENC_AUTO},       {"utf-8", HW_ENC_UTF8},  {"utf8", HW_ENC_UTF8},
                 {"gb18030", HW_ENC_GB18030}, {"gbk", HW_ENC_GB18030}, {"gb2312", HW_ENC_GB18030},
                 {"cp936", HW_ENC_GB18030}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(s, names[i].name) == 0) {
            *e = names[i].enc;
            return true;
        }
    }
    return false;
}

/* Returns -1 to go on, or the exit status. */
static int parse_options(int argc, char **argv, options *o) {
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"lang", required_argument, NULL, 'L'},
                                             {"encoding", required_argument, NULL, 'E'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->lang = hw_lang_from_env();
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o->format = HW_FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o->format = HW_FORMAT_JSON;
            else
                return usage_error(
                    o->lang, o->lang == HW_LANG_ZH ? "未知的输出格式" : "unknown format", optarg);
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'L':
            if (strcmp(optarg, "zh") == 0 || strncmp(optarg, "zh_", 3) == 0)
                o->lang = HW_LANG_ZH;
            else if (strcmp(optarg, "en") == 0 || strncmp(optarg, "en_", 3) == 0)
                o->lang = HW_LANG_EN;
            else
                return usage_error(o->lang,
                                   o->lang == HW_LANG_ZH ? "未知的语言（可用 zh、en）"
                                                         : "unknown language (zh, en)",
                                   optarg);
            break;
        case 'E':
            if (!parse_encoding(optarg, &o->encoding))
                return usage_error(o->lang,
                                   o->lang == HW_LANG_ZH
                                       ? "未知的编码（可用 auto、utf-8、gb18030）"
                                       : "unknown encoding (auto, utf-8, gb18030)",
                                   optarg);
            break;
        case 'h':
            fputs(o->lang == HW_LANG_ZH ? usage_zh : usage_en, stdout);
            return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
        case 'V':
            printf("hwcheck %s (libcsv %d.%d.%d, cJSON %s)\n", HW_VERSION, CSV_MAJOR, CSV_MINOR,
                   CSV_RELEASE, cJSON_Version());
            return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
        case ':':
            return usage_error(o->lang,
                               o->lang == HW_LANG_ZH ? "选项缺少参数" : "option needs a value",
                               argv[optind - 1]);
        default:
            return usage_error(o->lang, o->lang == HW_LANG_ZH ? "未知选项" : "unknown option",
                               argv[optind - 1]);
        }
    }
    o->files = argv + optind;
    o->nfiles = (size_t)(argc - optind);
    if (o->nfiles == 0)
        return usage_error(o->lang,
                           o->lang == HW_LANG_ZH ? "没有给出要检查的文件（- 表示标准输入）"
                                                 : "no input files (- reads standard input)",
                           NULL);
    return -1;
}

int main(int argc, char **argv) {
    /* `hwcheck ... | head` ends quietly when head has read enough: the
     * default SIGPIPE, even if whoever started us ignored it (then every
     * write would fail with EPIPE and end in an error message instead). */
    signal(SIGPIPE, SIG_DFL);
    options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;

    hw_policy policy;
    hw_policy_default(&policy);
    hw_output out;
    if (!hw_output_open(&out, o.output)) {
        int e = errno;
        hw_policy_free(&policy);
        fprintf(stderr,
                o.lang == HW_LANG_ZH ? "hwcheck：无法创建报告文件 %s：%s\n"
                                     : "hwcheck: cannot create the report file %s: %s\n",
                o.output, strerror(e));
        return 2;
    }

    hw_report report;
    hw_report_begin(&report, o.format, o.lang, out.fp, &policy);
    hw_check_opts copts = {&policy, o.encoding, o.lang, {hw_report_input_error, &report}};
    hw_check check;
    hw_check_init(&check, &copts);
    for (size_t i = 0; i < o.nfiles; i++)
        hw_check_file(&check, o.files[i]);

    hw_findings findings;
    hw_rules_run(&policy, &check.totals, &findings);
    hw_report_findings(&report, &check.totals, &findings);
    hw_summary summary = {check.files,           check.rows,         check.bad_rows,
                          check.totals.nclasses, check.totals.ndays, findings.n,
                          findings.errors,       findings.warnings,  check.errors};
    hw_report_end(&report, &summary);

    status = summary.errors ? 2 : summary.breaches ? 1 : 0;
    if (!hw_output_close(&out)) {
        fprintf(stderr,
                o.lang == HW_LANG_ZH ? "hwcheck：无法写入报告 %s：%s\n"
                                     : "hwcheck: cannot write the report to %s: %s\n",
                o.output               ? o.output
                : o.lang == HW_LANG_ZH ? "标准输出"
                                       : "standard output",
                strerror(errno));
        status = 2;
    }
    hw_findings_free(&findings);
    hw_check_free(&check);
    hw_policy_free(&policy);
    return status;
}
