#include "hw_msg.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One row per message: English, then Chinese. The argument order of the two
 * formats is the same, so callers pass one argument list for both. */
static const char *const catalog[HW_M__COUNT][2] = {
    [HW_M_OPEN] = {"cannot open the file: %s", "无法打开文件：%s"},
    [HW_M_READ] = {"cannot read the file: %s", "读取文件出错：%s"},
    [HW_M_DIRECTORY] = {"this is a folder, not a CSV file; name the CSV files in it",
                        "这是文件夹，不是 CSV 文件；请给出其中的 CSV 文件"},
    [HW_M_NOT_REGULAR] = {"this is not a regular file", "这不是普通文件"},
    [HW_M_EMPTY] = {"the file is empty: it needs a header row naming the columns "
                    "(班级/class, 日期/date, 科目/subject, 预计时长/minutes)",
                    "文件是空的：第一行须是表头，写明各列名称（班级、日期、科目、预计时长）"},
    [HW_M_XLSX] = {"this is an Excel workbook (.xlsx), not CSV; save it as CSV first, e.g. "
                   "libreoffice --headless --convert-to csv %s",
                   "这是 Excel 工作簿（.xlsx），不是 CSV；请先另存为 CSV，例如："
                   "libreoffice --headless --convert-to csv %s"},
    [HW_M_XLS] = {"this is an old Excel workbook (.xls), not CSV; save it as CSV first, e.g. "
                  "libreoffice --headless --convert-to csv %s",
                  "这是旧版 Excel 工作簿（.xls），不是 CSV；请先另存为 CSV，例如："
                  "libreoffice --headless --convert-to csv %s"},
    [HW_M_UTF16] = {"this file is UTF-16 (what Excel's \"Unicode text\" writes, columns split "
                    "by tabs), not UTF-8 or GBK; convert it to CSV first: iconv -f %s -t UTF-8 "
                    "%s | tr '\\t' ',' > %s",
                    "此文件是 UTF-16 编码（Excel“Unicode 文本”的格式，各列以制表符分隔），"
                    "不是 UTF-8 或 GBK；请先转换为 CSV：iconv -f %s -t UTF-8 %s | tr '\\t' "
                    "',' > %s"},
    [HW_M_BINARY] = {"this is not a text file (it is full of NUL bytes); give the CSV file "
                     "exported from the homework register",
                     "这不是文本文件（含大量 NUL 字节）；请给出从作业登记导出的 CSV 文件"},
    [HW_M_MISSING_COLS] = {"the header row lacks required column(s): %s; this file was not "
                           "checked",
                           "表头缺少必需的列：%s；此文件未检查"},
    [HW_M_NOT_COMMAS] = {"the header row's names are separated by %s, not commas: save the sheet "
                         "as CSV (逗号分隔, *.csv); this file was not checked",
                         "表头各列以%s而非逗号分隔：请将表格另存为 CSV（逗号分隔）(*.csv)；"
                         "此文件未检查"},
    [HW_M_DUP_COL] = {"names the field %s again (column %u already does); this file was not "
                      "checked",
                      "与第 %2$u 列重复表示字段 %1$s；此文件未检查"},
    [HW_M_UNTERMINATED] = {"a quoted field that starts in this row is never closed (a \" is "
                           "missing); the rest of the file could not be read",
                           "此行开始的带引号字段没有结束（缺少一个 \"）；文件其余部分无法读取"},
    [HW_M_HEADER_TOO_LONG] = {"the header row is longer than %zu MiB or has more than %u columns; "
                              "this is not a homework register, and this file was not checked",
                              "表头超过 %zu MiB 或多于 %u 列；这不是作业登记表，此文件未检查"},
    [HW_M_BAD_BYTES] = {"holds bytes that are not valid %s text; re-save the file as UTF-8 or "
                        "GBK, or give --encoding",
                        "含有无法按 %s 解码的字节；请将文件另存为 UTF-8 或 GBK，或使用 --encoding"},
    [HW_M_NUL] = {"holds a NUL byte; the file may be damaged or not a text file",
                  "含有 NUL 字节；文件可能已损坏或不是文本文件"},
    [HW_M_EXTRA_FIELDS] = {"stands beyond the %zu columns of the header; a comma inside a value "
                           "may need quoting",
                           "超出了表头的 %zu 列；内容中的逗号可能需要加引号"},
    [HW_M_REQUIRED] = {"is empty, but every row needs it", "为空，但每行都必须填写"},
    [HW_M_REQUIRED_MERGED] = {"is empty, but every row needs it (if the sheet merged this cell "
                              "with the ones above, --fill-down takes their value)",
                              "为空，但每行都必须填写（若表格中此单元格与上方合并，可加 "
                              "--fill-down 沿用上方的值）"},
    [HW_M_GRADE_SYNTAX] = {"is not a grade; write 1-12, 三年级, 初一, 高二, Grade 3 or G3",
                           "不是年级；请写 1-12、三年级、初一、高二、Grade 3 或 G3"},
    [HW_M_GRADE_RANGE] = {"is not a grade between 1 and 12", "不在 1 到 12 年级之间"},
    [HW_M_GRADE_NONE] =
        {"does not state a grade and there is no grade column; add a 年级/grade "
         "column or name the class as in 三年级(2)班 or 初一3班",
         "未写明年级，且没有年级列；请添加“年级”列，或将班级写成 三年级(2)班、初一3班 "
         "这样的名称"},
    [HW_M_GRADE_NONE_COL] = {"is empty and the class name does not state a grade (as 三年级(2)班 "
                             "or 初一3班 do)",
                             "为空，且班级名称未写明年级（如 三年级(2)班、初一3班）"},
    [HW_M_GRADE_CONFLICT] = {"differs from grade %d that %s:%lu gives for this class",
                             "与 %2$s:%3$lu 为此班级给出的年级 %1$d 不一致"},
    [HW_M_DATE_SYNTAX] = {"is not a date; write 2026-11-23, 2026/11/23, 2026.11.23 or "
                          "2026年11月23日",
                          "不是日期；请写 2026-11-23、2026/11/23、2026.11.23 或 2026年11月23日"},
    [HW_M_DATE_RANGE] = {"is not a date that exists", "不是存在的日期"},
    [HW_M_DATE_SERIAL] = {"is not a date but the number Excel keeps for %s: format the column "
                          "as a date (日期) before saving",
                          "不是日期，而是 Excel 记录 %s 所用的序号：请先将该列设为日期格式再保存"},
    [HW_M_DATE_WEEKDAY] = {"names another day of the week: %s is a %s",
                           "的星期与日期不符：%s 是%s"},
    [HW_M_MIN_SYNTAX] = {"is not a duration; write 30, 30分钟, 0.5小时, 1小时20分钟 or 无",
                         "不是时长；请写 30、30分钟、0.5小时、1小时20分钟 或 无"},
    [HW_M_MIN_NEGATIVE] = {"is below 0 minutes", "小于 0 分钟"},
    [HW_M_MIN_TOO_LARGE] = {"is more than a whole day (1440 minutes)", "超过一整天（1440 分钟）"},
    [HW_M_ROW_TOO_LONG] =
        {"this row holds more than %zu MiB of text (the limit of a row) from "
         "this column on; it was skipped. A \" may be missing before it",
         "此行自此列起超过 %zu MiB（一行的上限）；已跳过此行。此前可能缺少一个 \""},
    [HW_M_TOO_MANY_FIELDS] =
        {"this row has more than %u columns (the limit of a row); it was "
         "skipped. A comma inside a value may need quoting",
         "此行多于 %u 列（一行的上限）；已跳过此行。内容中的逗号可能需要加引号"},
    [HW_M_NO_WRITTEN] = {"%s: %s min of written homework on %s; grade %d may have none",
                         "%1$s：%3$s 布置书面作业 %2$s 分钟；%4$d 年级不应布置书面作业"},
    [HW_M_DAILY_CAP] = {"%s: %s min of written homework on %s, over the daily cap of %s min "
                        "for grade %d",
                        "%1$s：%3$s 书面作业共 %2$s 分钟，超过 %5$d 年级每日上限 %4$s 分钟"},
    [HW_M_WEEKLY_AVERAGE] = {"%s: written homework averaged %s min a day over %d day(s) of %s, "
                             "over the cap of %s min for grade %d",
                             "%1$s：%4$s 共 %3$d 天书面作业日均 %2$s 分钟，超过 %6$d 年级日均上限 "
                             "%5$s 分钟"},
    [HW_M_UNKNOWN_TYPE] = {"%3$s: type \"%1$s\" (%2$s, %4$s) is not one hwcheck knows; counted "
                           "as written",
                           "%3$s：作业类型“%1$s”（%2$s，%4$s）无法识别，已按书面作业计算"},
    [HW_M_FREE_DAY] = {"%1$s: %2$s min of written homework on %3$s, a homework-free %4$s",
                       "%1$s：%3$s（%4$s）是无作业日，却布置了书面作业 %2$s 分钟"},
    [HW_M_SUBJECT_CAP] = {"%1$s: %2$s min of written %3$s homework on %4$s, over the %3$s cap "
                          "of %5$s min",
                          "%1$s：%4$s %3$s书面作业 %2$s 分钟，超过该科每日上限 %5$s 分钟"},
    [HW_M_NEAR_CAP] = {"%1$s: %2$s min of written homework (%3$s) is %4$d%% of the cap of %5$s "
                       "min",
                       "%1$s：书面作业 %2$s 分钟（%3$s），已达上限 %5$s 分钟的 %4$d%%"},
    [HW_M_WHERE_WEEK] = {"daily average of %s", "%s 日均"},
    [HW_M_WEEKDAY_1] = {"Monday", "周一"},
    [HW_M_WEEKDAY_2] = {"Tuesday", "周二"},
    [HW_M_WEEKDAY_3] = {"Wednesday", "周三"},
    [HW_M_WEEKDAY_4] = {"Thursday", "周四"},
    [HW_M_WEEKDAY_5] = {"Friday", "周五"},
    [HW_M_WEEKDAY_6] = {"Saturday", "周六"},
    [HW_M_WEEKDAY_7] = {"Sunday", "周日"},
    [HW_M_SEV_ERROR] = {"error", "错误"},
    [HW_M_SEV_WARNING] = {"warning", "警告"},
    [HW_M_SUMMARY] = {"Checked %zu file(s), %zu row(s), %zu class(es), %zu class-day(s).",
                      "共检查 %zu 个文件、%zu 行、%zu 个班级、%zu 个班级日。"},
    [HW_M_SUMMARY_RESULT] = {"Found %zu breach(es), %zu warning(s), %zu input error(s).",
                             "发现 %zu 处超标、%zu 条警告、%zu 个输入错误。"},
    [HW_M_ALL_CLEAR] = {"No breaches: all written homework is within the caps.",
                        "未发现超标：书面作业均在上限之内。"},
    [HW_M_SEV_NOTE] = {"note", "提示"},
    [HW_M_BASELINE_UNMATCHED] = {"no longer found, so it can leave the baseline "
                                 "(--write-baseline rewrites it): %s [%s]",
                                 "已不再出现，可从基线中删除（用 --write-baseline 重写）：%s [%s]"},
    [HW_M_SUMMARY_BASELINE] = {"Baseline: %zu finding(s) already in it were not reported; %zu "
                               "of its entries no longer occur.",
                               "基线：其中已有的 %zu 处问题未再报告；其中 %zu 条已不再出现。"},
    [HW_M_BASELINE_BAD] = {"bad baseline, nothing was checked: %s: %s",
                           "基线文件有误，未检查任何文件：%s：%s"},
    [HW_M_BASELINE_OPEN] = {"cannot read it: %s", "无法读取：%s"},
    [HW_M_BASELINE_NOT_JSON] = {"not JSON (near byte %zu); a baseline is a report written by "
                                "--format json or --write-baseline",
                                "不是 JSON（约第 %zu 字节处）；基线应是 --format json 或 "
                                "--write-baseline 写出的报告"},
    [HW_M_BASELINE_NO_FINDINGS] = {"no \"findings\" array; a baseline is a report written by "
                                   "--format json or --write-baseline",
                                   "没有 \"findings\" 数组；基线应是 --format json 或 "
                                   "--write-baseline 写出的报告"},
    [HW_M_BASELINE_ENTRY] = {"findings[%zu].%s: missing or of the wrong type",
                             "findings[%zu].%s：缺失或类型不对"},
    [HW_M_BASELINE_WRITE] = {"cannot write the baseline %s: %s", "无法写入基线文件 %s：%s"},
    [HW_M_RULE_SHORT + 0] = {"Written homework in a grade that may have none",
                             "不应布置书面作业的年级布置了书面作业"},
    [HW_M_RULE_SHORT + 1] = {"Written homework on a homework-free day", "无作业日布置了书面作业"},
    [HW_M_RULE_SHORT + 2] = {"A day's written homework over the daily cap",
                             "当日书面作业超过每日上限"},
    [HW_M_RULE_SHORT + 3] = {"A subject's written homework over its daily cap",
                             "单科书面作业超过该科每日上限"},
    [HW_M_RULE_SHORT + 4] = {"A week's daily average of written homework over the cap",
                             "一周书面作业日均时长超过上限"},
    [HW_M_RULE_SHORT + 5] = {"Written homework close to a cap", "书面作业接近上限"},
    [HW_M_RULE_SHORT + 6] = {"A homework type hwcheck does not know", "无法识别的作业类型"},
    [HW_M_RULE_SHORT + 7] = {"A row or file that could not be read", "无法读取的行或文件"},
    [HW_M_RULE_FULL + 0] = {"The policy allows no written homework in this grade (the 2021 rule: "
                            "none for grades 1 and 2), and the class has written minutes on "
                            "this date.",
                            "策略规定此年级不布置书面作业（2021 年规定：小学一、二年级不布置家庭"
                            "书面作业），而该班当日有书面作业。"},
    [HW_M_RULE_FULL + 1] = {"The policy makes this weekday homework-free, and the class has "
                            "written minutes on it.",
                            "策略规定这一天为无作业日，而该班当日有书面作业。"},
    [HW_M_RULE_FULL + 2] = {"The class's written minutes on one date, added up over all "
                            "subjects and files, are above the daily cap of the grade's band.",
                            "该班某日各科（所有文件合计）书面作业时长超过所在年级段的每日上限。"},
    [HW_M_RULE_FULL + 3] = {"One subject's written minutes on one date are above the cap the "
                            "policy sets for that subject.",
                            "该班某日某一学科的书面作业时长超过策略为该科规定的每日上限。"},
    [HW_M_RULE_FULL + 4] = {"The average of the class's daily written totals over the dates of "
                            "one ISO week that appear in the register is above the cap of the "
                            "grade's band (the 2021 rule: 90 minutes for junior middle school).",
                            "该班一个 ISO 周内登记表中出现的各日书面作业时长的平均值超过所在年级段"
                            "的日均上限（2021 年规定：初中不超过 90 分钟）。"},
    [HW_M_RULE_FULL + 5] = {"A total reaches the policy's warn_at share of a cap without passing "
                            "it; a warning, which does not fail a check unless --fail-on warning.",
                            "某项合计已达到上限的 warn_at 比例但未超过；这是警告，除非使用 "
                            "--fail-on warning，否则不会使检查失败。"},
    [HW_M_RULE_FULL + 6] = {"The type column holds a word hwcheck does not know; the row is "
                            "counted as written homework so that nothing is under-reported.",
                            "类型列中的词无法识别；为避免少报，该行按书面作业计算。"},
    [HW_M_RULE_FULL + 7] = {"A file that is not a CSV register, or a row whose value (date, "
                            "minutes, grade, a required field) cannot be read; the row counts "
                            "for nothing and the exit status is 2.",
                            "文件不是 CSV 登记表，或某行的值（日期、时长、年级、必填项）无法读取；"
                            "该行不计入合计，退出状态为 2。"},
    [HW_M_RULE_HELP + 0] = {"Move the written work into class time or make it oral, reading or "
                            "practical homework (type 口头, 阅读, 实践), then check again.",
                            "请将书面作业改在校内完成，或改为口头、阅读、实践类作业（类型写 口头、"
                            "阅读、实践），然后重新检查。"},
    [HW_M_RULE_HELP + 1] = {"Move the written homework to another day, or change the "
                            "policy's homework_free_weekdays if the day is wrong.",
                            "请把书面作业移到其他日期；若无作业日设置有误，请修改策略的 "
                            "homework_free_weekdays。"},
    [HW_M_RULE_HELP + 2] = {"Shorten or move homework of the subjects listed in the message "
                            "until the day's total is within the cap; the rows are listed in "
                            "the report.",
                            "请缩短或调整消息中所列学科的作业，使当日合计不超过上限；报告中列出了"
                            "各行。"},
    [HW_M_RULE_HELP + 3] = {"Shorten this subject's homework on that date, or agree a different "
                            "cap in the policy's subject_caps.",
                            "请缩短该科当日的作业，或在策略的 subject_caps 中约定其他上限。"},
    [HW_M_RULE_HELP + 4] = {"Spread less written homework over the week: the average of the "
                            "dates shown must come within the cap.",
                            "请减少本周的书面作业，使所列各日的平均值不超过上限。"},
    [HW_M_RULE_HELP + 5] = {"No change is needed; plan the next homework with the remaining "
                            "minutes in mind, or set warn_at to null to turn the warning off.",
                            "无需修改；布置后续作业时请留意剩余时长，或将 warn_at 设为 null 关闭此"
                            "警告。"},
    [HW_M_RULE_HELP + 6] = {"Write a known type (书面, 口头, 阅读, 实践, ...) or add the word to "
                            "the policy's types.written or types.not_written.",
                            "请填写已知类型（书面、口头、阅读、实践等），或把该词加入策略的 "
                            "types.written 或 types.not_written。"},
    [HW_M_RULE_HELP + 7] = {"Correct the value named by line and column as the message says, or "
                            "save the workbook as CSV (UTF-8 or GBK), then check again.",
                            "请按消息提示更正所指行列中的值，或将工作簿另存为 CSV（UTF-8 或 "
                            "GBK），然后重新检查。"},
};

const char *hw_msg(hw_lang lang, hw_msg_id id) {
    if ((unsigned)id >= HW_M__COUNT)
        return "";
    return catalog[id][lang == HW_LANG_ZH ? 1 : 0];
}

hw_lang hw_lang_from_env(void) {
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "zh", 2) == 0 ? HW_LANG_ZH : HW_LANG_EN;
    }
    return HW_LANG_EN;
}

/* Length of the UTF-8 sequence that starts with byte c, 0 if c cannot start one. */
static size_t seq_len(unsigned char c) {
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

void hw_msg_excerpt(hw_buf *out, const char *s, size_t len, size_t max, int oneline) {
    static const char replacement[] = "\xEF\xBF\xBD";
    hw_buf_append(out, "", 0); /* a string even when nothing follows */
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = seq_len(c);
        bool ok = n > 0 && i + n <= len;
        for (size_t k = 1; ok && k < n; k++)
            ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        if (i + (ok ? n : 1) > max) {
            hw_buf_puts(out, "\xE2\x80\xA6"); /* … */
            return;
        }
        if (!ok || c == 0) {
            hw_buf_append(out, replacement, 3);
            i++;
        } else if (oneline && (c < 0x20 || c == 0x7F)) {
            hw_buf_append(out, " ", 1);
            i++;
        } else {
            hw_buf_append(out, s + i, n);
            i += n;
        }
    }
}

static void drop_error(void *ctx, const hw_input_error *e) {
    (void)ctx;
    (void)e;
}

const hw_error_sink hw_no_errors = {drop_error, NULL};
