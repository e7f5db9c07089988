#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"

hw_record test_row(unsigned long line, const char *school, const char *cls, int grade,
                   const char *date, const char *subject, int64_t umin, hw_type_kind type) {
    hw_record rec;
    memset(&rec, 0, sizeof rec);
    rec.school = school;
    rec.school_len = strlen(school);
    rec.cls = cls;
    rec.cls_len = strlen(cls);
    rec.grade = grade;
    if (hw_parse_date(date, strlen(date), &rec.date) != HW_PARSE_OK)
        abort();
    rec.subject = subject;
    rec.subject_len = strlen(subject);
    rec.umin = umin;
    rec.type = type;
    rec.type_text = type == HW_TYPE_UNKNOWN ? "听写" : "";
    rec.type_len = strlen(rec.type_text);
    rec.line = line;
    return rec;
}
