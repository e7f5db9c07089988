/* libFuzzer harness for the policy parser (hw_policy_parse, which --policy
 * files go through).
 *
 * Checked: no crash, no leak; a refused policy comes with a message; a policy
 * that is accepted is one the rules can use (bands within grades 1..12, in
 * order, not overlapping, caps not negative unless unset), and printing it
 * gives JSON that reads back (--print-policy round trip); after one round the
 * print is stable (word lists are sets: a first round may reorder them). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hw_policy.h"
#include "hw_util.h"

static void check_usable(const hw_policy *p) {
    for (size_t i = 0; i < p->nbands; i++) {
        const hw_band *b = &p->band[i];
        if (b->lo < 1 || b->hi > 12 || b->lo > b->hi)
            abort();
        if ((b->daily_cap < 0 && b->daily_cap != HW_NO_CAP) ||
            (b->weekly_average_cap < 0 && b->weekly_average_cap != HW_NO_CAP))
            abort();
        for (size_t k = 0; k < b->nsubject_caps; k++)
            if (b->subject_cap[k].cap < 0)
                abort();
        for (size_t k = 0; k < i; k++)
            if (b->lo <= p->band[k].hi && p->band[k].lo <= b->hi)
                abort();
    }
    if (p->warn_at_permille < 0 || p->warn_at_permille > 1000)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    hw_policy p;
    hw_buf err;
    hw_buf_init(&err);
    if (!hw_policy_parse(&p, (const char *)data, size, NULL, &err)) {
        if (!err.len)
            abort(); /* a refusal always says why */
        hw_buf_free(&err);
        return 0;
    }
    check_usable(&p);
    hw_buf once, twice, thrice;
    hw_buf_init(&once);
    hw_buf_init(&twice);
    hw_buf_init(&thrice);
    hw_policy_to_json(&p, &once);
    hw_policy q, r;
    if (!hw_policy_parse(&q, once.data, once.len, NULL, &err))
        abort(); /* what --print-policy prints must read back */
    check_usable(&q);
    hw_policy_to_json(&q, &twice);
    if (!hw_policy_parse(&r, twice.data, twice.len, NULL, &err))
        abort();
    hw_policy_to_json(&r, &thrice);
    if (twice.len != thrice.len || memcmp(twice.data, thrice.data, twice.len) != 0)
        abort();
    hw_policy_free(&r);
    hw_buf_free(&thrice);
    hw_policy_free(&q);
    hw_policy_free(&p);
    hw_buf_free(&once);
    hw_buf_free(&twice);
    hw_buf_free(&err);
    return 0;
}
