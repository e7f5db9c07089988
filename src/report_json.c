/* JSON values in cJSON's own notation, without building a tree (see
 * hw_report_json.h). The unit test compares every function with cJSON. */
#include "hw_report_json.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hw_json_string(hw_buf *b, const char *s) {
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(s);
    /* at most six bytes out for one in */
    hw_buf_reserve(b, 6 * n + 2);
    char *o = b->data + b->len;
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c >= 32 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *o++ = (char)c;
            break;
        case '\b':
            *o++ = 'b';
            break;
        case '\f':
            *o++ = 'f';
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
            break;
        }
    }
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->data);
}

void hw_json_string_or_null(hw_buf *b, const char *s) {
    if (s)
        hw_json_string(b, s);
    else
        hw_buf_puts(b, "null");
}

/* Appends v in decimal. */
static void put_int(hw_buf *b, long long v) {
    char tmp[21];
    size_t n = 0;
    if (v < 0)
        tmp[n++] = '-';
    n += hw_put_u64(tmp + n, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
    hw_buf_append(b, tmp, n);
}

void hw_json_number(hw_buf *b, double d) {
    if (isnan(d) || isinf(d)) {
        hw_buf_puts(b, "null");
        return;
    }
    /* A whole number below 10^15 is all its digits in %1.15g too: the lines
     * and minutes of a report are written without printf. */
    if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d))) {
        put_int(b, (long long)d);
        return;
    }
    char s[32];
    snprintf(s, sizeof s, "%1.15g", d);
    double back = strtod(s, NULL);
    double most = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
    if (!(fabs(back - d) <= most * DBL_EPSILON))
        snprintf(s, sizeof s, "%1.17g", d);
    hw_buf_puts(b, s);
}

void hw_json_member(hw_buf *b, const char *key) {
    hw_buf_puts(b, b->len && b->data[b->len - 1] == '{' ? "\"" : ",\"");
    hw_buf_puts(b, key);
    hw_buf_puts(b, "\":");
}

void hw_json_string_member(hw_buf *b, const char *key, const char *s) {
    hw_json_member(b, key);
    hw_json_string(b, s);
}

void hw_json_number_member(hw_buf *b, const char *key, double d) {
    hw_json_member(b, key);
    hw_json_number(b, d);
}
