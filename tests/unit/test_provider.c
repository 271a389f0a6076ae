/* test_provider.c - the provider's refetch and retry policy: the rate limit
 * of JWKS refetches forced by an unknown kid, and the capped backoff. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bridge/provider.h"

static void test_refetch(void **state)
{
	struct br_provider_refetch r = {0};

	/* the first is never blocked, nor are any while they fail */
	assert_true(br_provider_refetch_allowed(&r, 1000));
	assert_true(br_provider_refetch_allowed(&r, 1001));
	/* a success starts the 60 s window */
	br_provider_refetch_succeeded(&r, 1002);
	assert_false(br_provider_refetch_allowed(&r, 1002));
	assert_false(br_provider_refetch_allowed(&r, 1061));
	assert_true(br_provider_refetch_allowed(&r, 1062));
	/* a clock stepping back does not block */
	assert_true(br_provider_refetch_allowed(&r, 900));
}

static void test_backoff(void **state)
{
	static const long base[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
	struct br_backoff b = {0};

	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
			long d = br_backoff_next(&b);

			assert_in_range(d, base[i] - base[i] / 5, base[i] + base[i] / 5);
		}
		br_backoff_reset(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_refetch),
	        cmocka_unit_test(test_backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
