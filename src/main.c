/* hwcheck: reads the command line into options and hands them to hw_run. */
#include <csv.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hw_check.h"
#include "hw_policy.h"
#include "hw_report.h"
#include "hw_run.h"

static const char usage_en[] =
    "Usage: hwcheck [OPTION]... FILE|FOLDER...\n"
    "Check homework registers (CSV) against the homework-burden caps (减负/双减).\n"
    "FILE - reads standard input; a FOLDER is searched for .csv files.\n"
    "\n"
    "  -f, --format FORMAT   text (default), json, csv, html, gcc, github or sarif\n"
    "  -o, --output FILE     write the report to FILE (replaced only when complete)\n"
    "      --summary         a per-class overview, worst first, with grade and school\n"
    "                        totals, in place of the list of findings\n"
    "      --files-from LIST check the paths listed in LIST too, one a line\n"
    "                        (- reads standard input)\n"
    "      --lang LANG       zh or en (default: from LC_ALL, LC_MESSAGES, LANG)\n"
    "      --encoding ENC    of the input: auto (default), utf-8 or gb18030 (gbk)\n"
    "      --fill-down       empty school, class, grade and date cells take the\n"
    "                        value above them (sheets with merged cells)\n"
    "      --output-encoding ENC\n"
    "                        of a CSV report: utf-8 (default, with BOM) or gb18030\n"
    "  -p, --policy FILE     check against the rules in a policy file (JSON)\n"
    "      --preset NAME     check against a built-in policy (see --list-presets)\n"
    "      --print-policy    print the policy in effect as JSON and exit\n"
    "      --list-presets    list the built-in policies and exit\n"
    "      --baseline FILE   leave out findings an earlier JSON report already holds\n"
    "      --write-baseline FILE  write this run's findings as a baseline (JSON report)\n"
    "      --fail-on LEVEL   error (default), warning or none: what sets exit status 1\n"
    "  -j, --jobs N          read with N threads (default: the number of cores)\n"
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
    "  -f, --format 格式     text（默认）、json、csv、html、gcc、github 或 sarif\n"
    "  -o, --output 文件     将报告写入文件（写完整后才替换原文件）\n"
    "      --summary         输出各班概况（最严重的在前）及各年级、各学校汇总，\n"
    "                        代替逐条的检查结果\n"
    "      --files-from 列表 同时检查列表文件中的路径，每行一个（- 表示标准输入）\n"
    "      --lang 语言       zh 或 en（默认取自 LC_ALL、LC_MESSAGES、LANG）\n"
    "      --encoding 编码   输入文件的编码：auto（默认）、utf-8 或 gb18030（gbk）\n"
    "      --fill-down       学校、班级、年级、日期为空时沿用上方的值\n"
    "                        （表格中有合并单元格时）\n"
    "      --output-encoding 编码\n"
    "                        CSV 报告的编码：utf-8（默认，带 BOM）或 gb18030\n"
    "  -p, --policy 文件     按策略文件（JSON）中的规则检查\n"
    "      --preset 名称     按内置策略检查（见 --list-presets）\n"
    "      --print-policy    以 JSON 输出当前生效的策略并退出\n"
    "      --list-presets    列出内置策略并退出\n"
    "      --baseline 文件   不再报告此前 JSON 报告（基线）中已有的问题\n"
    "      --write-baseline 文件  将本次发现的问题写为基线（JSON 报告）\n"
    "      --fail-on 级别    error（默认）、warning 或 none：何种问题使退出状态为 1\n"
    "  -j, --jobs N          使用 N 个线程读取（默认：CPU 核数）\n"
    "  -h, --help            显示本帮助并退出\n"
    "  -V, --version         显示版本并退出\n"
    "\n"
    "退出状态：0 未发现问题（仅有警告也是 0），1 发现超标，\n"
    "2 用法错误、文件无法读取或有输入错误。\n";

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

/* Reads a thread count 1..HW_MAX_JOBS. */
static bool parse_jobs(const char *s, unsigned *jobs) {
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || end == s || *end || n < 1 || n > HW_MAX_JOBS)
        return false;
    *jobs = (unsigned)n;
    return true;
}

/* The default thread count: the cores online. */
static unsigned default_jobs(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > HW_MAX_JOBS ? HW_MAX_JOBS : (unsigned)n;
}

/* Returns -1 to go on, or the exit status. */
static int parse_options(int argc, char **argv, hw_options *o) {
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"lang", required_argument, NULL, 'L'},
                                             {"encoding", required_argument, NULL, 'E'},
                                             {"policy", required_argument, NULL, 'p'},
                                             {"preset", required_argument, NULL, 'P'},
                                             {"print-policy", no_argument, NULL, 'R'},
                                             {"list-presets", no_argument, NULL, 'S'},
                                             {"baseline", required_argument, NULL, 'B'},
                                             {"write-baseline", required_argument, NULL, 'W'},
                                             {"fail-on", required_argument, NULL, 'F'},
                                             {"summary", no_argument, NULL, 's'},
                                             {"fill-down", no_argument, NULL, 'D'},
                                             {"files-from", required_argument, NULL, 'I'},
                                             {"output-encoding", required_argument, NULL, 'O'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->lang = hw_lang_from_env();
    o->jobs = default_jobs();
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:o:p:j:hV", longopts, NULL)) != -1) {
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
        case 'B':
            o->baseline = optarg;
            break;
        case 'W':
            o->write_baseline = optarg;
            break;
        case 'F':
            if (strcmp(optarg, "error") == 0)
                o->fail_on = HW_SEV_ERROR;
            else if (strcmp(optarg, "warning") == 0)
                o->fail_on = HW_SEV_WARNING;
            else if (strcmp(optarg, "none") == 0)
                o->fail_on = HW_SEV_OFF;
            else
                return hw_usage_error(o->lang,
                                      o->lang == HW_LANG_ZH
                                          ? "未知的 --fail-on 级别（可用 error、warning、none）"
                                          : "unknown --fail-on level (error, warning, none)",
                                      optarg);
            break;
        case 'f':
            if (!hw_report_format_from_name(optarg, &o->format))
                return hw_usage_error(
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
                return hw_usage_error(o->lang,
                                      o->lang == HW_LANG_ZH ? "未知的语言（可用 zh、en）"
                                                            : "unknown language (zh, en)",
                                      optarg);
            break;
        case 'E':
            if (!parse_encoding(optarg, &o->encoding))
                return hw_usage_error(o->lang,
                                      o->lang == HW_LANG_ZH
                                          ? "未知的编码（可用 auto、utf-8、gb18030）"
                                          : "unknown encoding (auto, utf-8, gb18030)",
                                      optarg);
            break;
        case 's':
            o->summary = true;
            break;
        case 'D':
            o->fill_down = true;
            break;
        case 'I':
            o->files_from = optarg;
            break;
        case 'O': {
            hw_encoding e;
            if (!parse_encoding(optarg, &e) || e == HW_ENC_AUTO)
                return hw_usage_error(o->lang,
                                      o->lang == HW_LANG_ZH
                                          ? "未知的输出编码（可用 utf-8、gb18030）"
                                          : "unknown output encoding (utf-8, gb18030)",
                                      optarg);
            o->out_encoding = e == HW_ENC_GB18030 ? HW_OUT_GB18030 : HW_OUT_UTF8;
            break;
        }
        case 'j':
            if (!parse_jobs(optarg, &o->jobs))
                return hw_usage_error(o->lang,
                                      o->lang == HW_LANG_ZH ? "线程数须为 1 到 256 之间的整数"
                                                            : "the number of jobs must be 1 to 256",
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
            return hw_usage_error(o->lang,
                                  o->lang == HW_LANG_ZH ? "选项缺少参数" : "option needs a value",
                                  argv[optind - 1]);
        default:
            return hw_usage_error(o->lang, o->lang == HW_LANG_ZH ? "未知选项" : "unknown option",
                                  argv[optind - 1]);
        }
    }
    o->files = argv + optind;
    o->nfiles = (size_t)(argc - optind);
    if (o->nfiles == 0 && !o->files_from && !o->print_policy && !o->list_presets)
        return hw_usage_error(o->lang,
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
    hw_options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    return hw_run(&o);
}
