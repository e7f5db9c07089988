/* The policy: which columns to read, which types are written homework, and
 * the caps per grade band. Rule code reads only this; no cap lives elsewhere.
 * Policies are JSON (docs/policy.schema.json); the built-in presets are JSON
 * too and go through the same loader. */
#ifndef HW_POLICY_H
#define HW_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw_util.h"

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

/* The rules a finding can come from; the order is the report order of
 * findings on one class and date. */
typedef enum {
    HW_RULE_NO_WRITTEN = 0,
    HW_RULE_HOMEWORK_FREE_DAY,
    HW_RULE_DAILY_CAP,
    HW_RULE_SUBJECT_CAP,
    HW_RULE_WEEKLY_AVERAGE,
    HW_RULE_NEAR_CAP,
    HW_RULE_UNKNOWN_TYPE,
    HW_RULE__COUNT
} hw_rule;

/* HW_SEV_OFF turns a rule off. */
typedef enum { HW_SEV_ERROR = 0, HW_SEV_WARNING, HW_SEV_OFF } hw_severity;

/* What a row's type value says about it. */
typedef enum { HW_TYPE_WRITTEN = 0, HW_TYPE_NOT_WRITTEN, HW_TYPE_UNKNOWN } hw_type_kind;

/* Which days a weekly average divides by. */
typedef enum {
    HW_AVG_DATES = 0,   /* the dates of the week that appear for the class (SPEC) */
    HW_AVG_SCHOOL_DAYS, /* the Monday..Friday dates that appear (weekend minutes still count) */
    HW_AVG_SEVEN_DAYS,  /* always 7 */
} hw_avg_over;

/* A cap that is not set. */
#define HW_NO_CAP INT64_C(-1)

/* A list of owned strings; one of more than a few is looked up by a small
 * hash index, as the type words are for every row. */
typedef struct {
    char **item;
    size_t *len;    /* strlen of each item, */
    uint64_t *head; /* and its first 8 bytes, ASCII lowercased */
    size_t n;
    uint32_t *index; /* open addressing on (len, head): item number + 1, or 0 */
    size_t nindex;   /* a power of two above twice n; 0: no index, the list is scanned */
} hw_strlist;

/* A per-subject daily cap; subject "*" is every subject not named. */
typedef struct {
    char *subject;
    int64_t cap; /* micro-minutes */
} hw_subject_cap;

/* The caps of grades lo..hi. Minutes are in micro-minutes. */
typedef struct {
    char *name; /* optional, for people */
    int lo, hi;
    bool written_allowed;       /* false: any written homework breaches no-written */
    int64_t daily_cap;          /* a day's written total above it breaches daily-cap */
    int64_t weekly_average_cap; /* an ISO week's daily average above it breaches */
    hw_avg_over weekly_average_over;
    hw_subject_cap *subject_cap;
    size_t nsubject_caps;
} hw_band;

typedef struct {
    char *name;
    char *description;
    char *extends; /* the preset this policy was built on, or NULL */
    hw_band *band;
    size_t nbands;
    unsigned free_weekdays;            /* bit d (1 = Monday .. 7 = Sunday): no written homework */
    hw_strlist written;                /* type words that are written homework */
    hw_strlist not_written;            /* type words that are not */
    hw_strlist alias[HW_FIELD__COUNT]; /* header names of each field */
    hw_severity severity[HW_RULE__COUNT];
    int warn_at_permille; /* near-cap warning from this share of a cap; 0 = off */
} hw_policy;

/* Fills p with what every preset builds on: the built-in column names, type
 * words and rule severities, and no bands. Free with hw_policy_free. */
void hw_policy_base(hw_policy *p);
/* Fills p with the built-in policy `shuangjian` of SPEC; free with hw_policy_free. */
void hw_policy_default(hw_policy *p);
/* Frees what a policy owns. */
void hw_policy_free(hw_policy *p);
/* Frees an array of n bands and what they own. */
void hw_bands_free(hw_band *band, size_t n);

/* Builds the policy of a built-in preset. Returns false if there is no such
 * preset (p is then left empty). */
bool hw_policy_preset(hw_policy *p, const char *name);
/* The built-in presets: name and one-line description of the i-th, or false
 * past the last. */
bool hw_policy_preset_info(size_t i, const char **name, const char **description);

/* Reads a policy from JSON text. Keys left out keep the values of the preset
 * named by "extends" (else base_preset, else `shuangjian`). On failure returns
 * false, p is left empty and err holds a message naming the key path and what
 * was expected ("bands[1].daily_cap: expected a number of minutes >= 0"). */
bool hw_policy_parse(hw_policy *p, const char *json, size_t len, const char *base_preset,
                     hw_buf *err);
/* Reads a policy file (see hw_policy_parse); messages start with the path. */
bool hw_policy_load(hw_policy *p, const char *path, const char *base_preset, hw_buf *err);
/* Appends the policy as JSON that hw_policy_parse reads back to the same policy. */
void hw_policy_to_json(const hw_policy *p, hw_buf *out);

/* The band that covers a grade, or NULL when no rule covers it. */
const hw_band *hw_policy_band(const hw_policy *p, int grade);
/* The daily cap on one subject in a band, or HW_NO_CAP. */
int64_t hw_band_subject_cap(const hw_band *b, const char *subject, size_t len);
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
/* Removes every item that is s[0..len) as hw_strlist_has compares, keeping
 * the order of the rest. */
void hw_strlist_remove(hw_strlist *l, const char *s, size_t len);
/* Frees a list's strings. */
void hw_strlist_free(hw_strlist *l);
/* Whether a list holds s (ASCII letters ignoring case). */
bool hw_strlist_has(const hw_strlist *l, const char *s, size_t len);

#endif
