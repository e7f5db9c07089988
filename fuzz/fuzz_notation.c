/* libFuzzer harness for the notation parsers: grade, date, minutes, the grade
 * a class name states, and folding. Beyond not crashing, every accepted value
 * must be in range, and dates and minutes must survive formatting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"

static void check_grade(int g) {
    if (g < 1 || g > 12)
        abort();
}

static void parse_all(const char *s, size_t n) {
    int grade = 0;
    if (hw_parse_grade(s, n, &grade) == HW_PARSE_OK)
        check_grade(grade);
    grade = 0;
    if (hw_grade_from_class(s, n, &grade))
        check_grade(grade);

    int32_t days = 0;
    if (hw_parse_date(s, n, &days) == HW_PARSE_OK) {
        /* 1900-01-01 .. 9999-12-31 */
        if (days < -25567 || days > 2932896)
            abort();
        char text[11];
        hw_format_date(days, text);
        int32_t again = 0;
        if (hw_parse_date(text, 10, &again) != HW_PARSE_OK || again != days)
            abort();
        int y, w;
        int32_t monday;
        hw_iso_week(days, &y, &w, &monday);
        if (w < 1 || w > 53 || monday > days || days - monday > 6 || hw_weekday(monday) != 1)
            abort();
    }

    int64_t umin = -1;
    hw_parse_status st = hw_parse_minutes(s, n, &umin);
    if (st == HW_PARSE_OK) {
        if (umin < 0 || umin > HW_MAX_ROW_MINUTES * HW_UMIN_PER_MIN)
            abort();
        char text[32], json[32];
        hw_format_minutes_text(umin, text);
        hw_format_minutes_json(umin, json);
        if (!memchr(text, '\0', sizeof text) || !memchr(json, '\0', sizeof json))
            abort();
        /* The exact JSON number reads back as the same amount. */
        int64_t again = -1;
        if (hw_parse_minutes(json, strlen(json), &again) != HW_PARSE_OK || again != umin)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *s = (const char *)data;
    /* Parsers see folded text in the pipeline; raw bytes must not hurt either. */
    parse_all(s, size);
    char *folded = malloc(size + 1);
    if (!folded)
        abort();
    size_t n = hw_fold(s, size, folded);
    if (n > size || folded[n] != '\0')
        abort();
    /* Folding twice changes nothing more. */
    char *twice = malloc(n + 1);
    if (!twice)
        abort();
    size_t n2 = hw_fold(folded, n, twice);
    if (n2 != n || memcmp(folded, twice, n) != 0)
        abort();
    parse_all(folded, n);
    free(twice);
    free(folded);
    return 0;
}
