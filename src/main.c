/* hwcheck: reads options, runs the pipeline, maps the result to an exit status. */
#include <csv.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw_check.h"
#include "hw_inputs.h"
#include "hw_output.h"
#include "hw_policy.h"
#include "hw_progress.h"
#include "hw_report.h"
#include "hw_rules.h"

typedef struct {
    hw_format format;
    hw_lang lang;
    hw_encoding encoding;
    const char *output;
    const char *policy_file; /* --policy */
    const char *preset;      /* --preset */
    bool print_policy;
    bool list_presets;
    char **files;
    size_t nfiles;
    const char *files_from; /* --files-from: a list of paths, "-" for standard input */
    bool summary;
    hw_out_encoding out_encoding;
} options;

static const char usage_en[] =
    "Usage: hwcheck [OPTION]... FILE|FOLDER...\n"
    "Check homework registers (CSV) against the homework-burden caps (减负/双减).\n"
    "FILE - reads standard input; a FOLDER is searched for .csv files.\n"
    "\n"
    "  -f, --format FORMAT   text (default), json, csv or html\n"
    "  -o, --output FILE     write the report to FILE (replaced only when complete)\n"
    "      --summary         a per-class overview, worst first, with grade and school\n"
    "                        totals, in place of the list of findings\n"
    "      --files-from LIST check the paths listed in LIST too, one a line\n"
    "                        (- reads standard input)\n"
    "      --lang LANG       zh or en (default: from LC_ALL, LC_MESSAGES, LANG)\n"
    "      --encoding ENC    of the input: auto (default), utf-8 or gb18030 (gbk)\n"
    "      --output-encoding ENC\n"
    "                        of a CSV report: utf-8 (default, with BOM) or gb18030\n"
    "  -p, --policy FILE     check against the rules in a policy file (JSON)\n"
    "      --preset NAME     check against a built-in policy (see --list-presets)\n"
    "      --print-policy    print the policy in effect as JSON and exit\n"
    "      --list-presets    list the built-in policies and exit\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "Exit status: 0 nothing found (warnings alone included), 1 breaches found,\n"
    "2 usage error, unreadable file or any input error.\n";

static const char usage_zh[] =
    "用法：hwcheck [选项]... 文件|文件夹...\n"
    "按减负/双减规定的书面作业时长上限检查作业登记表（CSV）。\n"
    "文件写 - 表示读取标准输入；文件夹会被搜索其中所有 .csv 文件。\n"
    "\n"
    "  -f, --format 格式     text（默认）、json、csv 或 html\n"
    "  -o, --output 文件     将报告写入文件（写完整后才替换原文件）\n"
    "      --summary         输出各班概况（最严重的在前）及各年级、各学校汇总，\n"
    "                        代替逐条的检查结果\n"
    "      --files-from 列表 同时检查列表文件中的路径，每行一个（- 表示标准输入）\n"
    "      --lang 语言       zh 或 en（默认取自 LC_ALL、LC_MESSAGES、LANG）\n"
    "      --encoding 编码   输入文件的编码：auto（默认）、utf-8 或 gb18030（gbk）\n"
    "      --output-encoding 编码\n"
    "                        CSV 报告的编码：utf-8（默认，带 BOM）或 gb18030\n"
    "  -p, --policy 文件     按策略文件（JSON）中的规则检查\n"
    "      --preset 名称     按内置策略检查（见 --list-presets）\n"
    "      --print-policy    以 JSON 输出当前生效的策略并退出\n"
    "      --list-presets    列出内置策略并退出\n"
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
                                             {"policy", required_argument, NULL, 'p'},
                                             {"preset", required_argument, NULL, 'P'},
                                             {"print-policy", no_argument, NULL, 'R'},
                                             {"list-presets", no_argument, NULL, 'S'},
                                             {"summary", no_argument, NULL, 's'},
                                             {"files-from", required_argument, NULL, 'F'},
                                             {"output-encoding", required_argument, NULL, 'O'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->lang = hw_lang_from_env();
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:o:p:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->policy_file = optarg;
            break;
        case 'P':
            o->preset = optarg;
            break;
        case 'R':
            o->print_policy = true;
            break;
        case 'S':
            o->list_presets = true;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o->format = HW_FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o->format = HW_FORMAT_JSON;
            else if (strcmp(optarg, "csv") == 0)
                o->format = HW_FORMAT_CSV;
            else if (strcmp(optarg, "html") == 0)
                o->format = HW_FORMAT_HTML;
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
        case 's':
            o->summary = true;
            break;
        case 'F':
            o->files_from = optarg;
            break;
        case 'O': {
            hw_encoding e;
            if (!parse_encoding(optarg, &e) || e == HW_ENC_AUTO)
                return usage_error(o->lang,
                                   o->lang == HW_LANG_ZH
                                       ? "未知的输出编码（可用 utf-8、gb18030）"
                                       : "unknown output encoding (utf-8, gb18030)",
                                   optarg);
            o->out_encoding = e == HW_ENC_GB18030 ? HW_OUT_GB18030 : HW_OUT_UTF8;
            break;
        }
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
    if (o->nfiles == 0 && !o->files_from && !o->print_policy && !o->list_presets)
        return usage_error(o->lang,
                           o->lang == HW_LANG_ZH ? "没有给出要检查的文件（- 表示标准输入）"
                                                 : "no input files (- reads standard input)",
                           NULL);
    return -1;
}

/* Loads the policy the options name; a bad policy stops the run before any
 * input is read. Returns -1 to go on, or the exit status. */
static int load_policy(const options *o, hw_policy *policy) {
    if (o->preset && !o->policy_file && !hw_policy_preset(policy, o->preset))
        return usage_error(o->lang,
                           o->lang == HW_LANG_ZH ? "没有这个内置策略（见 --list-presets）"
                                                 : "no such preset (see --list-presets)",
                           o->preset);
    if (o->preset && o->policy_file) {
        const char *name, *desc;
        bool known = false;
        for (size_t i = 0; hw_policy_preset_info(i, &name, &desc); i++)
            known = known || strcmp(name, o->preset) == 0;
        if (!known)
            return usage_error(o->lang,
                               o->lang == HW_LANG_ZH ? "没有这个内置策略（见 --list-presets）"
                                                     : "no such preset (see --list-presets)",
                               o->preset);
    }
    if (o->policy_file) {
        hw_buf err;
        hw_buf_init(&err);
        if (!hw_policy_load(policy, o->policy_file, o->preset, &err)) {
            fprintf(stderr,
                    o->lang == HW_LANG_ZH ? "hwcheck：策略文件有误，未检查任何文件：%s\n"
                                          : "hwcheck: bad policy, nothing was checked: %s\n",
                    err.data);
            hw_buf_free(&err);
            return 2;
        }
        hw_buf_free(&err);
    } else if (!o->preset) {
        hw_policy_default(policy);
    }
    return -1;
}

/* The files to check: the arguments, then the --files-from list, folders
 * searched. Returns -1 to go on, or the exit status. */
static int expand_inputs(const options *o, hw_report *report, hw_inputs *in) {
    hw_inputs_init(in, o->lang, (hw_error_sink){hw_report_input_error, report});
    for (size_t i = 0; i < o->nfiles; i++)
        hw_inputs_add(in, o->files[i]);
    if (!o->files_from)
        return -1;
    bool is_stdin = strcmp(o->files_from, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(o->files_from, "r");
    if (!f || !hw_inputs_add_list(in, f)) {
        int e = errno;
        fprintf(stderr,
                o->lang == HW_LANG_ZH ? "hwcheck：无法读取文件列表 %s：%s\n"
                                      : "hwcheck: cannot read the list of files %s: %s\n",
                o->files_from, strerror(e));
        if (f && !is_stdin)
            fclose(f);
        return 2;
    }
    if (!is_stdin)
        fclose(f);
    return -1;
}

static int print_and_exit(FILE *f, const char *text) {
    fputs(text, f);
    return fflush(f) == 0 && !ferror(f) ? 0 : 2;
}

int main(int argc, char **argv) {
    options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    if (o.list_presets) {
        hw_buf text;
        hw_buf_init(&text);
        const char *name, *desc;
        for (size_t i = 0; hw_policy_preset_info(i, &name, &desc); i++)
            hw_buf_printf(&text, "%-22s %s\n", name, desc);
        status = print_and_exit(stdout, text.data);
        hw_buf_free(&text);
        return status;
    }

    hw_policy policy;
    status = load_policy(&o, &policy);
    if (status >= 0)
        return status;
    if (o.print_policy) {
        hw_buf text;
        hw_buf_init(&text);
        hw_policy_to_json(&policy, &text);
        status = print_and_exit(stdout, text.data);
        hw_buf_free(&text);
        hw_policy_free(&policy);
        return status;
    }
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
    report.summary = o.summary;
    report.out_encoding = o.out_encoding;
    hw_inputs inputs;
    status = expand_inputs(&o, &report, &inputs);
    if (status >= 0) {
        hw_inputs_free(&inputs);
        hw_output_abort(&out);
        hw_policy_free(&policy);
        return status;
    }
    hw_progress progress;
    hw_progress_start(&progress, stderr, false, inputs.n, o.lang);
    hw_check_opts copts = {
        &policy, o.encoding, o.lang, {hw_report_input_error, &report}, &progress};
    hw_check check;
    hw_check_init(&check, &copts);
    for (size_t i = 0; i < inputs.n; i++) {
        hw_check_file(&check, inputs.path[i]);
        hw_progress_update(&progress, i + 1, check.rows);
    }
    hw_progress_finish(&progress);
    check.errors += inputs.errors;
    hw_inputs_free(&inputs);

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
