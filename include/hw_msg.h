/* Messages in Chinese and English, and the shape of an input error. */
#ifndef HW_MSG_H
#define HW_MSG_H

#include <stddef.h>

#include "hw_util.h"

typedef enum { HW_LANG_EN = 0, HW_LANG_ZH } hw_lang;

/* Every message the checker shows; each is a printf format per language. */
typedef enum {
    /* whole-file problems */
    HW_M_OPEN, /* %s: strerror */
    HW_M_READ, /* %s: strerror */
    HW_M_DIRECTORY,
    HW_M_NOT_REGULAR,
    HW_M_EMPTY,
    HW_M_XLSX,  /* %s: file name for the command */
    HW_M_XLS,   /* %s */
    HW_M_UTF16, /* %s encoding (UTF-16LE, UTF-16BE), %s file, %s output file */
    HW_M_BINARY,
    HW_M_MISSING_COLS, /* %s: list of columns */
    HW_M_NOT_COMMAS,   /* %s: the separator's name */
    HW_M_DUP_COL,      /* %s field, %d first column */
    HW_M_UNTERMINATED,
    HW_M_HEADER_TOO_LONG, /* %zu MiB, %u columns */
    /* row problems */
    HW_M_BAD_BYTES, /* %s: encoding name */
    HW_M_NUL,
    HW_M_EXTRA_FIELDS, /* %zu: header columns */
    HW_M_REQUIRED,
    HW_M_REQUIRED_MERGED,
    HW_M_GRADE_SYNTAX,
    HW_M_GRADE_RANGE,
    HW_M_GRADE_NONE,
    HW_M_GRADE_NONE_COL,
    HW_M_GRADE_CONFLICT, /* %d fixed grade, %s file, %lu line */
    HW_M_DATE_SYNTAX,
    HW_M_DATE_RANGE,
    HW_M_DATE_WEEKDAY, /* %s the date, %s its day of the week */
    HW_M_DATE_SERIAL,  /* %s the date the number stands for */
    HW_M_MIN_SYNTAX,
    HW_M_MIN_NEGATIVE,
    HW_M_MIN_TOO_LARGE,
    HW_M_ROW_TOO_LONG,    /* %zu MiB */
    HW_M_TOO_MANY_FIELDS, /* %u columns */
    /* findings: %s class label, then as noted */
    HW_M_NO_WRITTEN,     /* %s class, %s minutes, %s date, %d grade */
    HW_M_DAILY_CAP,      /* %s class, %s minutes, %s date, %s limit, %d grade */
    HW_M_WEEKLY_AVERAGE, /* %s class, %s minutes, %d days, %s week, %s limit, %d grade */
    HW_M_UNKNOWN_TYPE,   /* %s type, %s subject, %s class, %s date */
    HW_M_FREE_DAY,       /* %s class, %s minutes, %s date, %s weekday name */
    HW_M_SUBJECT_CAP,    /* %s class, %s minutes, %s subject, %s date, %s limit */
    HW_M_NEAR_CAP, /* %s class, %s minutes, %s where (date, week, subject), %d percent, %s limit */
    HW_M_WHERE_WEEK, /* %s week: "the average of 2026-W48" */
    HW_M_WEEKDAY_1,
    HW_M_WEEKDAY_2,
    HW_M_WEEKDAY_3,
    HW_M_WEEKDAY_4,
    HW_M_WEEKDAY_5,
    HW_M_WEEKDAY_6,
    HW_M_WEEKDAY_7,
    /* words */
    HW_M_SEV_ERROR,
    HW_M_SEV_WARNING,
    HW_M_SUMMARY,        /* %zu files, %zu rows, %zu classes, %zu class-days */
    HW_M_SUMMARY_RESULT, /* %zu breaches, %zu warnings, %zu input errors */
    HW_M_ALL_CLEAR,
    /* baselines */
    HW_M_SEV_NOTE,
    HW_M_BASELINE_UNMATCHED, /* %s message of the earlier report, %s rule */
    HW_M_SUMMARY_BASELINE,   /* %zu findings left out, %zu entries unmatched */
    HW_M_BASELINE_BAD,       /* %s file, %s reason */
    HW_M_BASELINE_OPEN,      /* %s: strerror */
    HW_M_BASELINE_NOT_JSON,  /* %zu: byte offset */
    HW_M_BASELINE_NO_FINDINGS,
    HW_M_BASELINE_ENTRY, /* %zu index, %s key */
    HW_M_BASELINE_WRITE, /* %s file, %s strerror */
    /* rules, in hw_rule order then input errors: a short and a full
     * description, and help on what to do */
    HW_M_RULE_SHORT,
    HW_M_RULE_SHORT_LAST = HW_M_RULE_SHORT + 7,
    HW_M_RULE_FULL,
    HW_M_RULE_FULL_LAST = HW_M_RULE_FULL + 7,
    HW_M_RULE_HELP,
    HW_M_RULE_HELP_LAST = HW_M_RULE_HELP + 7,
    HW_M__COUNT
} hw_msg_id;

/* The printf format of a message in a language (static storage). */
const char *hw_msg(hw_lang lang, hw_msg_id id);

/* The language the environment asks for: LC_ALL, LC_MESSAGES, then LANG;
 * a value starting with "zh" means Chinese. */
hw_lang hw_lang_from_env(void);

/* Appends to out a printable excerpt of a value: at most max bytes (cut on a
 * character boundary, then "…"), undecodable bytes and NUL shown as U+FFFD,
 * and with oneline, other control characters as spaces. out->data is a
 * NUL-terminated string afterwards, also when s is empty. */
void hw_msg_excerpt(hw_buf *out, const char *s, size_t len, size_t max, int oneline);

/* A row or file that could not be read. Strings belong to whoever reports
 * the error and stay valid only for the duration of the report call. */
typedef struct {
    const char *file;   /* as the user named it */
    unsigned long line; /* 0: the file as a whole */
    unsigned column;    /* 1-based; 0: no column */
    const char *header; /* the column's header text, or NULL */
    const char *value;  /* the offending value (UTF-8, may hold bad bytes), or NULL */
    size_t value_len;
    const char *message; /* in the report's language */
} hw_input_error;

/* Where input errors go, as soon as they are found. */
typedef struct {
    void (*report)(void *ctx, const hw_input_error *e);
    void *ctx;
} hw_error_sink;

/* A sink that drops what it is told: for reading that only looks. */
extern const hw_error_sink hw_no_errors;

#endif
