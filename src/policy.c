#include "hw_policy.h"

#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_util.h"

static const char *const rule_ids[HW_RULE__COUNT] = {
    [HW_RULE_NO_WRITTEN] = "no-written",
    [HW_RULE_DAILY_CAP] = "daily-cap",
    [HW_RULE_WEEKLY_AVERAGE] = "weekly-average",
    [HW_RULE_UNKNOWN_TYPE] = "unknown-type",
};

static const char *const field_names[HW_FIELD__COUNT] = {
    [HW_FIELD_SCHOOL] = "school", [HW_FIELD_CLASS] = "class",     [HW_FIELD_GRADE] = "grade",
    [HW_FIELD_DATE] = "date",     [HW_FIELD_SUBJECT] = "subject", [HW_FIELD_MINUTES] = "minutes",
    [HW_FIELD_TYPE] = "type",     [HW_FIELD_TITLE] = "title",
};

/* The header names of SPEC and the variants registers commonly use. A name
 * matches only exactly (after trimming and folding): 截止日期 is not a date. */
static const char *const default_aliases[HW_FIELD__COUNT][10] = {
    [HW_FIELD_SCHOOL] = {"school", "学校", "学校名称"},
    [HW_FIELD_CLASS] = {"class", "班级", "班级名称"},
    [HW_FIELD_GRADE] = {"grade", "年级"},
    [HW_FIELD_DATE] = {"date", "日期", "布置日期", "作业日期"},
    [HW_FIELD_SUBJECT] = {"subject", "学科", "科目"},
    [HW_FIELD_MINUTES] = {"minutes", "预计时长", "预计用时", "时长", "用时", "预计时长(分钟)",
                          "预计用时(分钟)", "时长(分钟)", "用时(分钟)"},
    [HW_FIELD_TYPE] = {"type", "类型", "作业类型", "形式", "作业形式"},
    [HW_FIELD_TITLE] = {"title", "作业内容", "内容"},
};

static const char *const default_written[] = {"书面", "书面作业", "written", "笔头作业"};
static const char *const default_not_written[] = {
    "口头",     "口头作业", "oral",    "实践",  "实践作业", "practical",
    "阅读",     "阅读作业", "reading", "体育",  "体育作业", "劳动",
    "劳动作业", "其他",     "其它",    "other", "非书面",   "非书面作业"};

/* The caps of SPEC's default policy `shuangjian`, in minutes. */
static const struct {
    int lo, hi;
    bool written_allowed;
    int daily, weekly;
} default_bands[] = {
    {1, 2, false, -1, -1},
    {3, 4, true, 30, -1},
    {5, 6, true, 60, -1},
    {7, 9, true, -1, 90},
};

void hw_strlist_add(hw_strlist *l, const char *s) {
    l->item = hw_xreallocarray(l->item, l->n + 1, sizeof *l->item);
    l->item[l->n++] = hw_xstrndup(s, strlen(s));
}

void hw_strlist_free(hw_strlist *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->item[i]);
    free(l->item);
    l->item = NULL;
    l->n = 0;
}

void hw_policy_default(hw_policy *p) {
    memset(p, 0, sizeof *p);
    p->name = hw_xstrndup("shuangjian", strlen("shuangjian"));
    size_t nb = sizeof default_bands / sizeof default_bands[0];
    p->band = hw_xcalloc(nb, sizeof *p->band);
    p->nbands = nb;
    for (size_t i = 0; i < nb; i++) {
        hw_band *b = &p->band[i];
        b->lo = default_bands[i].lo;
        b->hi = default_bands[i].hi;
        b->written_allowed = default_bands[i].written_allowed;
        b->daily_cap =
            default_bands[i].daily < 0 ? HW_NO_CAP : default_bands[i].daily * HW_UMIN_PER_MIN;
        b->weekly_average_cap =
            default_bands[i].weekly < 0 ? HW_NO_CAP : default_bands[i].weekly * HW_UMIN_PER_MIN;
    }
    for (size_t i = 0; i < sizeof default_written / sizeof *default_written; i++)
        hw_strlist_add(&p->written, default_written[i]);
    for (size_t i = 0; i < sizeof default_not_written / sizeof *default_not_written; i++)
        hw_strlist_add(&p->not_written, default_not_written[i]);
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        for (size_t i = 0; i < 10 && default_aliases[f][i]; i++)
            hw_strlist_add(&p->alias[f], default_aliases[f][i]);
    for (int r = 0; r < HW_RULE__COUNT; r++)
        p->severity[r] = r == HW_RULE_UNKNOWN_TYPE ? HW_SEV_WARNING : HW_SEV_ERROR;
}

void hw_policy_free(hw_policy *p) {
    free(p->name);
    free(p->band);
    hw_strlist_free(&p->written);
    hw_strlist_free(&p->not_written);
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        hw_strlist_free(&p->alias[f]);
    memset(p, 0, sizeof *p);
}

const hw_band *hw_policy_band(const hw_policy *p, int grade) {
    for (size_t i = 0; i < p->nbands; i++)
        if (grade >= p->band[i].lo && grade <= p->band[i].hi)
            return &p->band[i];
    return NULL;
}

/* Exact comparison where ASCII letters ignore case; other bytes compare as is. */
static bool same_word(const char *a, size_t alen, const char *b) {
    /* b's end is found on the way (no strlen): this runs for every row. */
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (y == '\0')
            return false;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return b[alen] == '\0';
}

static bool in_list(const hw_strlist *l, const char *s, size_t len) {
    for (size_t i = 0; i < l->n; i++)
        if (same_word(s, len, l->item[i]))
            return true;
    return false;
}

hw_type_kind hw_policy_type(const hw_policy *p, const char *s, size_t len) {
    if (in_list(&p->written, s, len))
        return HW_TYPE_WRITTEN;
    if (in_list(&p->not_written, s, len))
        return HW_TYPE_NOT_WRITTEN;
    return HW_TYPE_UNKNOWN;
}

hw_field hw_policy_field(const hw_policy *p, const char *s, size_t len) {
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        if (in_list(&p->alias[f], s, len))
            return (hw_field)f;
    return HW_FIELD__COUNT;
}

const char *hw_rule_id(hw_rule r) {
    return (unsigned)r < HW_RULE__COUNT ? rule_ids[r] : "?";
}

const char *hw_field_name(hw_field f) {
    return (unsigned)f < HW_FIELD__COUNT ? field_names[f] : "?";
}

bool hw_field_required(hw_field f) {
    return f == HW_FIELD_CLASS || f == HW_FIELD_DATE || f == HW_FIELD_SUBJECT ||
           f == HW_FIELD_MINUTES;
}
