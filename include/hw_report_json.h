/* JSON values written as cJSON_PrintUnformatted writes them, straight into
 * a buffer. A report's findings and their rows are most of its bytes: a
 * cJSON object made, printed and freed for each row took longer than
 * reading the rows (src/report_json.c). */
#ifndef HW_REPORT_JSON_H
#define HW_REPORT_JSON_H

#include "hw_util.h"

/* s as a JSON string, quoted: ", \ and control characters escaped as cJSON
 * does, every other byte as it is. */
void hw_json_string(hw_buf *b, const char *s);
/* As hw_json_string, or null for NULL. */
void hw_json_string_or_null(hw_buf *b, const char *s);
/* d as cJSON prints a number: null for NaN and infinities, otherwise with
 * 15 significant digits (%1.15g), or 17 when 15 would not read back as d. */
void hw_json_number(hw_buf *b, double d);
/* "key": for the next member of an object, after a comma unless it is the
 * first (b ends with the object's '{'); its value follows. key is plain ASCII. */
void hw_json_member(hw_buf *b, const char *key);
/* hw_json_member, then its value. */
void hw_json_string_member(hw_buf *b, const char *key, const char *s);
void hw_json_number_member(hw_buf *b, const char *key, double d);

#endif
