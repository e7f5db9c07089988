#include "hw_policy.h"

#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_util.h"

static const char *const rule_ids[HW_RULE__COUNT] = {
    [HW_RULE_NO_WRITTEN] = "no-written",         [HW_RULE_HOMEWORK_FREE_DAY] = "homework-free-day",
    [HW_RULE_DAILY_CAP] = "daily-cap",           [HW_RULE_SUBJECT_CAP] = "subject-cap",
    [HW_RULE_WEEKLY_AVERAGE] = "weekly-average", [HW_RULE_NEAR_CAP] = "near-cap",
    [HW_RULE_UNKNOWN_TYPE] = "unknown-type",
};

static const char *const field_names[HW_FIELD__COUNT] = {
    [HW_FIELD_SCHOOL] = "school", [HW_FIELD_CLASS] = "class",     [HW_FIELD_GRADE] = "grade",
    [HW_FIELD_DATE] = "date",     [HW_FIELD_SUBJECT] = "subject", [HW_FIELD_MINUTES] = "minutes",
    [HW_FIELD_TYPE] = "type",     [HW_FIELD_TITLE] = "title",
};

/* The header names of SPEC and the variants registers commonly use. A name
 * matches only exactly (after trimming and folding): 截止日期 is not a date. */
static const char *const default_aliases[HW_FIELD__COUNT][16] = {
    [HW_FIELD_SCHOOL] = {"school", "学校", "学校名称"},
    [HW_FIELD_CLASS] = {"class", "班级", "班级名称"},
    [HW_FIELD_GRADE] = {"grade", "年级"},
    [HW_FIELD_DATE] = {"date", "日期", "布置日期", "作业日期"},
    [HW_FIELD_SUBJECT] = {"subject", "学科", "科目"},
    [HW_FIELD_MINUTES] = {"minutes", "预计时长", "预计用时", "时长", "用时", "作业时长",
                          "预计时长(分钟)", "预计用时(分钟)", "时长(分钟)", "用时(分钟)",
                          "作业时长(分钟)", "预计时长(分)", "预计用时(分)", "时长(分)", "用时(分)",
                          "作业时长(分)"},
    [HW_FIELD_TYPE] = {"type", "类型", "作业类型", "形式", "作业形式"},
    [HW_FIELD_TITLE] = {"title", "作业内容", "内容"},
};

static const char *const default_written[] = {"书面", "书面作业", "written", "笔头作业"};
static const char *const default_not_written[] = {
    "口头",     "口头作业", "oral",    "实践",  "实践作业", "practical",
    "阅读",     "阅读作业", "reading", "体育",  "体育作业", "劳动",
    "劳动作业", "其他",     "其它",    "other", "非书面",   "非书面作业"};

/* The first 8 bytes of s[0..len) (fewer: zeros after), ASCII lowercased as
 * same_word compares them. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* A type word is looked up for every row: its bytes are read in a load or
 * two (overlapping where len is not 1, 2, 4 or 8 long: the same bytes land
 * in the same places, so or-ing them is exact) and lowercased all at once. */
static uint64_t word_head(const char *s, size_t len) {
    uint64_t h;
    uint32_t a, b;
    if (len >= 8) {
        memcpy(&h, s, sizeof h);
    } else if (len >= 4) {
        memcpy(&a, s, sizeof a);
        memcpy(&b, s + len - 4, sizeof b);
        h = (uint64_t)a | (uint64_t)b << (8 * (len - 4));
    } else if (len > 0) {
        h = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << (8 * (len / 2)) |
            (uint64_t)(unsigned char)s[len - 1] << (8 * (len - 1));
    } else {
        return 0;
    }
    /* per byte below 0x80: the high bit of low7 + (0x80 - 'A') set when it
     * is 'A' or above, that of low7 + (0x80 - 'Z' - 1) when above 'Z' */
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;
    uint64_t low7 = h & ~high;
    uint64_t upper = (low7 + ones * (0x80 - 'A')) & ~(low7 + ones * (0x80 - 'Z' - 1)) & ~h & high;
    return h | upper >> 2;
}
#else
static uint64_t word_head(const char *s, size_t len) {
    uint64_t h = 0;
    for (size_t i = 0; i < len && i < 8; i++) {
        unsigned char c = (unsigned char)s[i];
        c = (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c); /* a branch-free lowercase */
        h |= (uint64_t)c << (8 * i);
    }
    return h;
}
#endif

/* Where the index looks first for a word of this length and head. */
static size_t index_slot(const hw_strlist *l, size_t len, uint64_t head) {
    return (size_t)(((head ^ len) * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (l->nindex - 1);
}

/* Puts item i in the index, which has room. */
static void index_put(hw_strlist *l, size_t i) {
    size_t k = index_slot(l, l->len[i], l->head[i]);
    while (l->index[k])
        k = (k + 1) & (l->nindex - 1);
    l->index[k] = (uint32_t)i + 1;
}

/* A list this short is scanned: no index (a baseline entry's few files). */
#define SCAN_MAX 4

/* Makes the list's index anew, at least half empty. */
static void reindex(hw_strlist *l) {
    free(l->index);
    l->index = NULL;
    l->nindex = 0;
    if (l->n <= SCAN_MAX)
        return;
    l->nindex = 8;
    while (l->nindex < 2 * l->n + 1)
        l->nindex *= 2;
    l->index = hw_xcalloc(l->nindex, sizeof *l->index);
    for (size_t i = 0; i < l->n; i++)
        index_put(l, i);
}

void hw_strlist_add(hw_strlist *l, const char *s) {
    l->item = hw_xreallocarray(l->item, l->n + 1, sizeof *l->item);
    l->len = hw_xreallocarray(l->len, l->n + 1, sizeof *l->len);
    l->head = hw_xreallocarray(l->head, l->n + 1, sizeof *l->head);
    l->len[l->n] = strlen(s);
    l->item[l->n] = hw_xstrndup(s, l->len[l->n]);
    l->head[l->n] = word_head(s, l->len[l->n]);
    l->n++;
    if (2 * l->n + 1 > l->nindex)
        reindex(l);
    else
        index_put(l, l->n - 1);
}

void hw_strlist_free(hw_strlist *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->item[i]);
    free(l->item);
    free(l->len);
    free(l->head);
    free(l->index);
    l->item = NULL;
    l->len = NULL;
    l->head = NULL;
    l->n = 0;
    l->index = NULL;
    l->nindex = 0;
}

void hw_policy_base(hw_policy *p) {
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < sizeof default_written / sizeof *default_written; i++)
        hw_strlist_add(&p->written, default_written[i]);
    for (size_t i = 0; i < sizeof default_not_written / sizeof *default_not_written; i++)
        hw_strlist_add(&p->not_written, default_not_written[i]);
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        for (size_t i = 0;
             i < sizeof *default_aliases / sizeof **default_aliases && default_aliases[f][i]; i++)
            hw_strlist_add(&p->alias[f], default_aliases[f][i]);
    for (int r = 0; r < HW_RULE__COUNT; r++)
        p->severity[r] =
            r == HW_RULE_UNKNOWN_TYPE || r == HW_RULE_NEAR_CAP ? HW_SEV_WARNING : HW_SEV_ERROR;
}

void hw_policy_default(hw_policy *p) {
    /* The preset is part of the program and tested; it cannot fail to load. */
    if (!hw_policy_preset(p, "shuangjian"))
        abort();
}

void hw_bands_free(hw_band *band, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(band[i].name);
        for (size_t k = 0; k < band[i].nsubject_caps; k++)
            free(band[i].subject_cap[k].subject);
        free(band[i].subject_cap);
    }
    free(band);
}

void hw_policy_free(hw_policy *p) {
    free(p->name);
    free(p->description);
    free(p->extends);
    hw_bands_free(p->band, p->nbands);
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

/* Whether item i of a list is s[0..len), whose head is given. */
static bool item_is(const hw_strlist *l, size_t i, const char *s, size_t len, uint64_t head) {
    return l->len[i] == len && l->head[i] == head && (len <= 8 || same_word(s, len, l->item[i]));
}

/* hw_strlist_has with s's head worked out already. */
static bool has_word(const hw_strlist *l, const char *s, size_t len, uint64_t head) {
    if (l->nindex == 0) {
        for (size_t i = 0; i < l->n; i++)
            if (item_is(l, i, s, len, head))
                return true;
        return false;
    }
    for (size_t k = index_slot(l, len, head); l->index[k]; k = (k + 1) & (l->nindex - 1))
        if (item_is(l, l->index[k] - 1, s, len, head))
            return true;
    return false;
}

bool hw_strlist_has(const hw_strlist *l, const char *s, size_t len) {
    return has_word(l, s, len, word_head(s, len));
}

void hw_strlist_remove(hw_strlist *l, const char *s, size_t len) {
    uint64_t head = word_head(s, len);
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (item_is(l, i, s, len, head)) {
            free(l->item[i]);
            continue;
        }
        l->item[kept] = l->item[i];
        l->len[kept] = l->len[i];
        l->head[kept] = l->head[i];
        kept++;
    }
    l->n = kept;
    reindex(l);
}

int64_t hw_band_subject_cap(const hw_band *b, const char *subject, size_t len) {
    int64_t other = HW_NO_CAP;
    for (size_t i = 0; i < b->nsubject_caps; i++) {
        if (strcmp(b->subject_cap[i].subject, "*") == 0)
            other = b->subject_cap[i].cap;
        else if (same_word(subject, len, b->subject_cap[i].subject))
            return b->subject_cap[i].cap;
    }
    return other;
}

hw_type_kind hw_policy_type(const hw_policy *p, const char *s, size_t len) {
    uint64_t head = word_head(s, len);
    if (has_word(&p->written, s, len, head))
        return HW_TYPE_WRITTEN;
    if (has_word(&p->not_written, s, len, head))
        return HW_TYPE_NOT_WRITTEN;
    return HW_TYPE_UNKNOWN;
}

hw_field hw_policy_field(const hw_policy *p, const char *s, size_t len) {
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        if (hw_strlist_has(&p->alias[f], s, len))
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
