/* Policies: presets, every key a policy file can set, every refusal with the
 * key path it names, and printing that reads back to the same policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_policy.h"

#define MIN(x) ((int64_t)(x)*HW_UMIN_PER_MIN)

static void parse_ok(hw_policy *p, const char *json) {
    hw_buf err;
    hw_buf_init(&err);
    if (!hw_policy_parse(p, json, strlen(json), NULL, &err)) {
        fprintf(stderr, "refused: %s\n", err.data);
        fail();
    }
    hw_buf_free(&err);
}

static void test_presets(void **state) {
    const char *name, *desc;
    size_t n = 0;
    for (; hw_policy_preset_info(n, &name, &desc); n++) {
        hw_policy p;
        assert_true(hw_policy_preset(&p, name));
        assert_string_equal(p.name, name);
        assert_true(p.nbands > 0);
        hw_policy_free(&p);
    }
    assert_true(n >= 4);
    hw_policy p;
    assert_false(hw_policy_preset(&p, "no-such-preset"));
}

static void test_default_is_spec(void **state) {
    hw_policy p;
    hw_policy_default(&p);
    assert_string_equal(p.name, "shuangjian");
    assert_false(hw_policy_band(&p, 2)->written_allowed);
    assert_int_equal(hw_policy_band(&p, 4)->daily_cap, MIN(30));
    assert_int_equal(hw_policy_band(&p, 5)->daily_cap, MIN(60));
    assert_int_equal(hw_policy_band(&p, 9)->weekly_average_cap, MIN(90));
    assert_int_equal(hw_policy_band(&p, 9)->daily_cap, HW_NO_CAP);
    assert_null(hw_policy_band(&p, 10));
    assert_int_equal(hw_policy_type(&p, "ORAL", 4), HW_TYPE_NOT_WRITTEN);
    assert_int_equal(hw_policy_type(&p, "书面", strlen("书面")), HW_TYPE_WRITTEN);
    assert_int_equal(hw_policy_type(&p, "听写", strlen("听写")), HW_TYPE_UNKNOWN);
    assert_int_equal(hw_policy_field(&p, "布置日期", strlen("布置日期")), HW_FIELD_DATE);
    assert_int_equal(hw_policy_field(&p, "截止日期", strlen("截止日期")), HW_FIELD__COUNT);
    assert_int_equal(hw_policy_field(&p, "作业时长(分)", strlen("作业时长(分)")), HW_FIELD_MINUTES);
    assert_int_equal(hw_policy_field(&p, "完成时间(分钟)", strlen("完成时间(分钟)")),
                     HW_FIELD__COUNT);
    assert_int_equal(p.severity[HW_RULE_UNKNOWN_TYPE], HW_SEV_WARNING);
    hw_policy_free(&p);
}

static void test_extends_and_keys(void **state) {
    hw_policy p;
    parse_ok(&p, "{\"name\":\"实验小学\",\"extends\":\"national-strict\","
                 "\"homework_free_weekdays\":[3,5],\"warn_at\":0.9,"
                 "\"types\":{\"written\":[\"阅读\"],\"not_written\":[\"听写\"]},"
                 "\"columns\":{\"class\":[\"班别\"],\"minutes\":[\"完成时间（分钟）\"]},"
                 "\"severity\":{\"daily-cap\":\"warning\",\"unknown-type\":\"off\"}}");
    assert_string_equal(p.name, "实验小学");
    assert_string_equal(p.extends, "national-strict");
    assert_int_equal(hw_policy_band(&p, 6)->daily_cap, MIN(60)); /* from the preset */
    assert_int_equal(hw_policy_band(&p, 8)->daily_cap, MIN(90));
    assert_int_equal(p.free_weekdays, (1u << 3) | (1u << 5));
    assert_int_equal(p.warn_at_permille, 900);
    assert_int_equal(hw_policy_type(&p, "阅读", strlen("阅读")), HW_TYPE_WRITTEN);
    assert_int_equal(hw_policy_type(&p, "听写", strlen("听写")), HW_TYPE_NOT_WRITTEN);
    /* 阅读 left the not-written words: every word still there is found */
    assert_true(p.not_written.n > 3);
    for (size_t i = 0; i < p.not_written.n; i++)
        assert_int_equal(hw_policy_type(&p, p.not_written.item[i], strlen(p.not_written.item[i])),
                         HW_TYPE_NOT_WRITTEN);
    assert_int_equal(hw_policy_type(&p, "阅读作业", strlen("阅读作业")), HW_TYPE_NOT_WRITTEN);
    assert_int_equal(hw_policy_field(&p, "班别", strlen("班别")), HW_FIELD_CLASS);
    assert_int_equal(hw_policy_field(&p, "班级", strlen("班级")), HW_FIELD_CLASS);
    /* names are folded like headers: full-width parentheses match */
    assert_int_equal(hw_policy_field(&p, "完成时间(分钟)", strlen("完成时间(分钟)")),
                     HW_FIELD_MINUTES);
    assert_int_equal(p.severity[HW_RULE_DAILY_CAP], HW_SEV_WARNING);
    assert_int_equal(p.severity[HW_RULE_UNKNOWN_TYPE], HW_SEV_OFF);
    hw_policy_free(&p);
}

static void test_bands_replace(void **state) {
    hw_policy p;
    parse_ok(&p,
             "{\"bands\":[{\"name\":\"全校\",\"grades\":[1,6],\"daily_cap\":45.5,"
             "\"subject_caps\":{\"语文\":15,\"*\":10}},"
             "{\"grades\":9,\"weekly_average_cap\":80,\"weekly_average_over\":\"school-days\"}]}");
    assert_int_equal(p.nbands, 2);
    const hw_band *b = hw_policy_band(&p, 1);
    assert_true(b->written_allowed);
    assert_int_equal(b->daily_cap, 45500000);
    assert_int_equal(hw_band_subject_cap(b, "语文", strlen("语文")), MIN(15));
    assert_int_equal(hw_band_subject_cap(b, "美术", strlen("美术")), MIN(10));
    assert_null(hw_policy_band(&p, 7));
    assert_int_equal(hw_policy_band(&p, 9)->weekly_average_over, HW_AVG_SCHOOL_DAYS);
    hw_policy_free(&p);
}

static void test_round_trip(void **state) {
    const char *name, *desc;
    for (size_t i = 0; hw_policy_preset_info(i, &name, &desc); i++) {
        hw_policy p, q;
        assert_true(hw_policy_preset(&p, name));
        hw_buf a, b;
        hw_buf_init(&a);
        hw_buf_init(&b);
        hw_policy_to_json(&p, &a);
        parse_ok(&q, a.data);
        hw_policy_to_json(&q, &b);
        /* the only difference: a policy read from a file says what it extends */
        assert_non_null(strstr(b.data, "\"extends\": \"shuangjian\""));
        assert_int_equal(p.nbands, q.nbands);
        for (size_t k = 0; k < p.nbands; k++) {
            assert_int_equal(p.band[k].lo, q.band[k].lo);
            assert_int_equal(p.band[k].daily_cap, q.band[k].daily_cap);
            assert_int_equal(p.band[k].weekly_average_cap, q.band[k].weekly_average_cap);
        }
        assert_int_equal(p.written.n, q.written.n);
        assert_int_equal(p.not_written.n, q.not_written.n);
        hw_policy_free(&p);
        hw_policy_free(&q);
        hw_buf_free(&a);
        hw_buf_free(&b);
    }
}

static void test_print_keeps_commas_in_names(void **state) {
    /* A header name with a comma must print as it is, not with a space added. */
    hw_policy p, q;
    parse_ok(&p, "{\"columns\":{\"class\":[\"班级,名称\"]}}");
    hw_buf a, b;
    hw_buf_init(&a);
    hw_buf_init(&b);
    hw_policy_to_json(&p, &a);
    assert_non_null(strstr(a.data, "\"班级,名称\""));
    parse_ok(&q, a.data);
    hw_policy_to_json(&q, &b);
    assert_string_equal(a.data, b.data);
    hw_policy_free(&p);
    hw_policy_free(&q);
    hw_buf_free(&a);
    hw_buf_free(&b);
}

static void test_refusals(void **state) {
    static const struct {
        const char *json;
        const char *message;
    } cases[] = {
        {"", "not valid JSON at line 1, column 1"},
        {"{\"bands\":[}", "not valid JSON at line 1, column 11"},
        {"{\n  \"bands\": [\n    {\"grades\": [3, 4],\n     \"daily_cap\": 30,}\n  ]\n}",
         "not valid JSON at line 4"},
        {"[]", "expected a JSON object"},
        {"{} {}", "text after the policy object"},
        {"{\"colour\":1}", "colour: unknown key; expected one of name,"},
        {"{\"name\":\"a\",\"name\":\"b\"}", "name: given twice"},
        {"{\"extends\":\"nope\"}", "extends: no preset named \"nope\""},
        {"{\"extends\":3}", "extends: expected the name of a preset"},
        {"{\"bands\":{}}", "bands: expected an array of grade bands, got an object"},
        {"{\"bands\":[]}", "bands: expected at least one grade band"},
        {"{\"bands\":[{\"daily_cap\":30}]}", "bands[0]: missing key \"grades\""},
        {"{\"bands\":[{\"grades\":[3,4],\"dialy_cap\":30}]}", "bands[0].dialy_cap: unknown key"},
        {"{\"bands\":[{\"grades\":[3,4],\"daily_cap\":-5}]}",
         "bands[0].daily_cap: expected a number of minutes from 0 to 100000 (or null for no cap), "
         "got -5"},
        {"{\"bands\":[{\"grades\":[3,4],\"daily_cap\":\"30分钟\"}]}",
         "bands[0].daily_cap: expected a number of minutes"},
        {"{\"bands\":[{\"grades\":[4,3]}]}", "bands[0].grades: expected [first, last] with first"},
        {"{\"bands\":[{\"grades\":[0,3]}]}", "bands[0].grades[0]: expected a grade from 1 to 12"},
        {"{\"bands\":[{\"grades\":[3,13]}]}", "bands[0].grades[1]: expected a grade from 1 to 12"},
        {"{\"bands\":[{\"grades\":\"3-4\"}]}", "bands[0].grades: expected [first, last] grades"},
        {"{\"bands\":[{\"grades\":[1,6]},{\"grades\":[6,9]}]}",
         "bands[1].grades: grades 6-9 overlap bands[0] (grades 1-6)"},
        {"{\"bands\":[{\"grades\":[3,4],\"written\":\"no\"}]}",
         "bands[0].written: expected true or false"},
        {"{\"bands\":[{\"grades\":[7,9],\"weekly_average_over\":\"weekdays\"}]}",
         "bands[0].weekly_average_over: expected \"dates\", \"school-days\" or \"seven-days\""},
        {"{\"bands\":[{\"grades\":[3,4],\"subject_caps\":{\"语文\":null}}]}",
         "bands[0].subject_caps.语文: expected a number of minutes >= 0"},
        {"{\"bands\":[{\"grades\":[3,4],\"subject_caps\":[15]}]}",
         "bands[0].subject_caps: expected an object of subject: minutes"},
        {"{\"bands\":[{\"grades\":[3,4],\"subject_caps\":{\" \":10}}]}",
         "bands[0].subject_caps. : a subject name cannot be empty"},
        {"{\"bands\":[{\"grades\":[3,4],\"subject_caps\":{\"语文\":10,\" 语文\":15}}]}",
         "bands[0].subject_caps. 语文: given twice"},
        {"{\"homework_free_weekdays\":[0]}",
         "homework_free_weekdays[0]: expected a weekday from 1 (Monday) to 7 (Sunday), got 0"},
        {"{\"homework_free_weekdays\":\"wednesday\"}", "homework_free_weekdays: expected an array"},
        {"{\"types\":{\"written\":\"书面\"}}", "types.written: expected an array of strings"},
        {"{\"types\":{\"written\":[\"\"]}}", "types.written[0]: expected a non-empty string"},
        {"{\"types\":{\"oral\":[]}}", "types.oral: unknown key; expected one of written, "
                                      "not_written"},
        {"{\"columns\":{\"klass\":[\"班别\"]}}", "columns.klass: unknown key"},
        {"{\"columns\":{\"class\":[1]}}", "columns.class[0]: expected a non-empty string"},
        {"{\"severity\":{\"daily-cap\":\"loud\"}}",
         "severity.daily-cap: expected \"error\", \"warning\" or \"off\", got \"loud\""},
        {"{\"severity\":{\"daily_cap\":\"off\"}}", "severity.daily_cap: unknown rule"},
        {"{\"warn_at\":90}", "warn_at: expected a share of a cap above 0 and at most 1"},
        {"{\"warn_at\":0}", "warn_at: expected a share"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hw_policy p;
        hw_buf err;
        hw_buf_init(&err);
        bool ok = hw_policy_parse(&p, cases[i].json, strlen(cases[i].json), NULL, &err);
        if (ok || !strstr(err.data, cases[i].message)) {
            fprintf(stderr, "case %zu: %s\n got: %s\nwant: %s\n", i, cases[i].json,
                    ok ? "(accepted)" : err.data, cases[i].message);
            if (ok)
                hw_policy_free(&p);
            fail();
        }
        hw_buf_free(&err);
    }
}

static void test_load_names_the_file(void **state) {
    hw_policy p;
    hw_buf err;
    hw_buf_init(&err);
    assert_false(hw_policy_load(&p, "/nonexistent/policy.json", NULL, &err));
    assert_non_null(strstr(err.data, "/nonexistent/policy.json: "));
    hw_buf_free(&err);
}

static unsigned char ascii_lower(unsigned char c) {
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Words of 1 to 10 bytes are the same when they differ only in the case of
 * ASCII letters, at any place: the bytes next to the letters ('@' and '`',
 * '[' and '{'), and bytes of Chinese text, are not letters. */
static void test_word_case_at_each_place(void **state) {
    static const unsigned char bytes[] = {'@', 'A', 'M', 'Z', '[', '`', 'a', 'z', '{', 0xC3, 0xE4};
    const char *base = "kQzB7xYw3m", *other = "KqZb7XyW3M"; /* the same, in the other case */
    size_t nb = sizeof bytes;
    for (size_t len = 1; len <= 10; len++) {
        for (size_t at = 0; at < len; at++) {
            for (size_t x = 0; x < nb; x++) {
                char held[11], asked[11];
                memcpy(held, base, len);
                held[len] = '\0';
                held[at] = (char)bytes[x];
                hw_strlist l = {0};
                hw_strlist_add(&l, held);
                for (size_t y = 0; y < nb; y++) {
                    memcpy(asked, other, len);
                    asked[at] = (char)bytes[y];
                    bool same = ascii_lower(bytes[x]) == ascii_lower(bytes[y]);
                    if (hw_strlist_has(&l, asked, len) != same)
                        fail_msg("length %zu, byte %zu: %02x held, %02x asked", len, at, bytes[x],
                                 bytes[y]);
                }
                hw_strlist_free(&l);
            }
        }
    }
}

/* A list finds each of its words, ASCII letters in any case, whatever it
 * holds beside them: words that share a length and their first 8 bytes,
 * hundreds of names (its index grows), words removed and added again. */
static void test_word_lists(void **state) {
    hw_strlist l = {0};
    assert_false(hw_strlist_has(&l, "书面", strlen("书面")));
    hw_strlist_add(&l, "书面作业");
    assert_true(hw_strlist_has(&l, "书面作业", strlen("书面作业")));
    assert_false(hw_strlist_has(&l, "书面作文", strlen("书面作文"))); /* same head, same length */
    assert_false(hw_strlist_has(&l, "书面", strlen("书面")));
    hw_strlist_add(&l, "书面作文");
    hw_strlist_add(&l, "Written");
    assert_true(hw_strlist_has(&l, "书面作文", strlen("书面作文")));
    assert_true(hw_strlist_has(&l, "WRITTEN", 7));
    assert_false(hw_strlist_has(&l, "WRITTE", 6));
    char word[32];
    for (int i = 0; i < 500; i++) {
        snprintf(word, sizeof word, "Name %d", i);
        hw_strlist_add(&l, word);
    }
    for (int i = 0; i < 500; i++) {
        snprintf(word, sizeof word, "name %d", i);
        assert_true(hw_strlist_has(&l, word, strlen(word)));
    }
    assert_false(hw_strlist_has(&l, "name 500", 8));
    hw_strlist_remove(&l, "书面作业", strlen("书面作业"));
    hw_strlist_remove(&l, "NAME 7", 6);
    assert_int_equal(l.n, 501);
    assert_false(hw_strlist_has(&l, "书面作业", strlen("书面作业")));
    assert_false(hw_strlist_has(&l, "name 7", 6));
    assert_true(hw_strlist_has(&l, "书面作文", strlen("书面作文")));
    assert_true(hw_strlist_has(&l, "name 70", 7));
    assert_string_equal(l.item[0], "书面作文"); /* the order of the rest is kept */
    hw_strlist_add(&l, "书面作业");
    assert_true(hw_strlist_has(&l, "书面作业", strlen("书面作业")));
    hw_strlist_free(&l);
    assert_false(hw_strlist_has(&l, "书面作业", strlen("书面作业")));
    hw_strlist_add(&l, "x");
    assert_true(hw_strlist_has(&l, "X", 1));
    hw_strlist_free(&l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_lists),
        cmocka_unit_test(test_word_case_at_each_place),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_default_is_spec),
        cmocka_unit_test(test_extends_and_keys),
        cmocka_unit_test(test_bands_replace),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_load_names_the_file),
        cmocka_unit_test(test_print_keeps_commas_in_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
