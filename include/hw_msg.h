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
    HW_M_UTF16, /* %s iconv's name of the encoding, %s file name */
    HW_M_BINARY,
    HW_M_MISSING_COLS, /* %s: list of columns */
    HW_M_DUP_COL,      /* %s field, %d first column */
    HW_M_UNTERMINATED,
    HW_M_HEADER_TOO_LONG, /* %zu MiB, %u columns */
    /* row problems */
    HW_M_BAD_BYTES, /* %s: encoding name */
    HW_M_NUL,
    HW_M_EXTRA_FIELDS, /* %zu: header columns */
    HW_M_REQUIRED,
    HW_M_GRADE_SYNTAX,
    HW_M_GRADE_RANGE,
    HW_M_GRADE_NONE,
    HW_M_GRADE_NONE_COL,
    HW_M_GRADE_CONFLICT, /* %d fixed grade, %s file, %lu line */
    HW_M_DATE_SYNTAX,
    HW_M_DATE_RANGE,
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
    /* words */
    HW_M_SEV_ERROR,
    HW_M_SEV_WARNING,
    HW_M_SUMMARY,        /* %zu files, %zu rows, %zu classes, %zu class-days */
    HW_M_SUMMARY_RESULT, /* %zu breaches, %zu warnings, %zu input errors */
    HW_M_ALL_CLEAR,
    HW_M__COUNT
} hw_msg_id;

/* The printf format of a message in a language (static storage). */
const char *hw_msg(hw_lang lang, hw_msg_id id);

/* The language the environment asks for: LC_ALL, LC_MESSAGES, then LANG;
 * a value starting with "zh" means Chinese. */
hw_lang hw_lang_from_env(void);

/* Appends to out a printable excerpt of a value: at most max bytes (cut on a
 * character boundary, then "…"), undecodable bytes and NUL shown as U+FFFD,
 * and with oneline, other control characters as spaces. */
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

#endif
