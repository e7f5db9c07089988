/* The policy: which columns to read, which types are written homework, and
 * the caps per grade band. Rule code reads only this; no cap lives elsewhere. */
#ifndef HW_POLICY_H
#define HW_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The fields a register row holds. */
typedef enum {
    HW_FIELD_SCHOOL = 0,
    HW_FIELD_CLASS,
    HW_FIELD_GRADE,
    HW_FIELD_DATE,
    HW_FIELD_SUBJECT,
    HW_FIELD_MINUTES,
    HW_FIELD_TYPE,
    HW_FIELD_TITLE,
    HW_FIELD__COUNT
} hw_field;

/* The rules a finding can come from. */
typedef enum {
    HW_RULE_NO_WRITTEN = 0,
    HW_RULE_DAILY_CAP,
    HW_RULE_WEEKLY_AVERAGE,
    HW_RULE_UNKNOWN_TYPE,
    HW_RULE__COUNT
} hw_rule;

typedef enum { HW_SEV_ERROR = 0, HW_SEV_WARNING } hw_severity;

/* What a row's type value says about it. */
typedef enum { HW_TYPE_WRITTEN = 0, HW_TYPE_NOT_WRITTEN, HW_TYPE_UNKNOWN } hw_type_kind;

/* A cap that is not set. */
#define HW_NO_CAP INT64_C(-1)

/* A list of owned strings. */
typedef struct {
    char **item;
    size_t n;
} hw_strlist;

/* The caps of grades lo..hi. Minutes are in micro-minutes. */
typedef struct {
    int lo, hi;
    bool written_allowed;       /* false: any written homework breaches no-written */
    int64_t daily_cap;          /* a day's written total above it breaches daily-cap */
    int64_t weekly_average_cap; /* an ISO week's daily average above it breaches */
} hw_band;

typedef struct {
    char *name;
    hw_band *band;
    size_t nbands;
    hw_strlist written;                /* type words that are written homework */
    hw_strlist not_written;            /* type words that are not */
    hw_strlist alias[HW_FIELD__COUNT]; /* header names of each field */
    hw_severity severity[HW_RULE__COUNT];
} hw_policy;

/* Fills p with the built-in policy `shuangjian` of SPEC; free with hw_policy_free. */
void hw_policy_default(hw_policy *p);
/* Frees what a policy owns. */
void hw_policy_free(hw_policy *p);
/* The band that covers a grade, or NULL when no rule covers it. */
const hw_band *hw_policy_band(const hw_policy *p, int grade);
/* Classifies a folded type value: known written, known not written, or unknown.
 * Matching is exact after trimming; ASCII letters compare case-insensitively. */
hw_type_kind hw_policy_type(const hw_policy *p, const char *s, size_t len);
/* Which field a folded header cell names, or HW_FIELD__COUNT for none. */
hw_field hw_policy_field(const hw_policy *p, const char *s, size_t len);

/* The rule id shown to users: "no-written", "daily-cap", ... */
const char *hw_rule_id(hw_rule r);
/* The field's English name: "class", "minutes", ... */
const char *hw_field_name(hw_field f);
/* Whether every file must have a column for the field (grade is handled apart:
 * the class name may state it). */
bool hw_field_required(hw_field f);

/* Adds a copy of s to a list. */
void hw_strlist_add(hw_strlist *l, const char *s);
/* Frees a list's strings. */
void hw_strlist_free(hw_strlist *l);

#endif
