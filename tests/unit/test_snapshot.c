/* test_snapshot.c - the reference-counted bundle a request works with:
 * build, install, current, ref/unref; a reload shares the provider state
 * when [provider] is unchanged and keeps the random state key; a request
 * keeps its snapshot across an install; readers on other threads never see
 * an older snapshot after a newer one. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge/keys.h"
#include "bridge/provider.h"
#include "bridge/snapshot.h"

static char dir[64];
static char conf[128];
static char key[128];

static void write_conf(const char *issuer, const char *client_id, const char *extra)
{
	FILE *f = fopen(conf, "w");

	assert_non_null(f);
	fprintf(f,
	        "[server]\npublic_url = https://meet.example.org/auth/\n"
	        "[provider]\nissuer = %s\nclient_id = %s\nclient_secret = s3cret\n"
	        "[jitsi]\nurl = https://meet.example.org/\ndomain = meet.example.org\n"
	        "signing_key = %s\n%s",
	        issuer, client_id, key, extra);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct br_error err = {0};

	strcpy(dir, "/tmp/br-snapshot-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/bridge.conf", dir);
	snprintf(key, sizeof(key), "%s/signing.pem", dir);
	if (br_keys_generate(key, 0, NULL, &err) != 0)
		fail_msg("%s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct br_snapshot *build(const struct br_snapshot *prev)
{
	struct br_error err = {0};
	struct br_snapshot *snap = br_snapshot_build(conf, prev, &err);

	if (snap == NULL)
		fail_msg("%s", err.msg);
	return snap;
}

/* Runs first: nothing is installed in a fresh process. */
static void test_build_install_current(void **state)
{
	struct br_snapshot *a, *cur;

	assert_null(br_snapshot_current());
	write_conf("https://sso.example.org/", "jitsi", "");
	a = build(NULL);
	assert_int_equal(a->refs, 1);
	assert_int_equal(a->generation, 0);
	assert_string_equal(a->cfg->client_id, "jitsi");
	assert_non_null(a->keys);
	assert_non_null(a->policy);
	assert_non_null(a->provider);

	br_snapshot_install(a); /* steals our reference */
	assert_int_equal(a->refs, 1);
	assert_int_equal(a->generation, 1);
	cur = br_snapshot_current();
	assert_ptr_equal(cur, a);
	assert_int_equal(a->refs, 2);
	assert_ptr_equal(br_snapshot_ref(cur), a);
	assert_int_equal(a->refs, 3);
	br_snapshot_unref(cur);
	br_snapshot_unref(cur);
	assert_int_equal(a->refs, 1);
	br_snapshot_unref(NULL); /* fine */
}

/* A reload: the request holding the old snapshot finishes with it. */
static void test_reload_keeps_old_for_holders(void **state)
{
	struct br_snapshot *old = br_snapshot_current(), *b, *cur;
	unsigned char old_key[sizeof(old->cfg->state_key)];

	assert_non_null(old);
	assert_int_equal(old->refs, 2); /* the registry's and ours */
	assert_true(old->cfg->state_key_random);
	memcpy(old_key, old->cfg->state_key, sizeof(old_key));

	/* [provider] unchanged (client_id is not part of it): the provider
	 * state and its caches carry over; the random state key too, so
	 * logins in flight still open. */
	write_conf("https://sso.example.org/", "jitsi-2", "");
	b = build(old);
	assert_ptr_equal(b->provider, old->provider);
	assert_ptr_not_equal(b->cfg, old->cfg);
	assert_string_equal(b->cfg->client_id, "jitsi-2");
	assert_memory_equal(b->cfg->state_key, old_key, sizeof(old_key));

	br_snapshot_install(b);
	assert_int_equal(b->generation, old->generation + 1);
	assert_int_equal(old->refs, 1); /* only ours is left */
	/* still usable */
	assert_string_equal(old->cfg->client_id, "jitsi");
	assert_memory_equal(old->cfg->state_key, old_key, sizeof(old_key));
	cur = br_snapshot_current();
	assert_ptr_equal(cur, b);
	br_snapshot_unref(cur);
	/* The last reference to old: its config goes, the shared provider
	 * stays with b. */
	br_snapshot_unref(old);
	assert_string_equal(b->cfg->issuer, "https://sso.example.org/");
	char reason[128];
	assert_false(br_provider_ready(b->provider, reason, sizeof(reason)));
	assert_string_equal(reason, "provider metadata not loaded");
}

static void test_provider_change_and_fresh_key(void **state)
{
	struct br_snapshot *b = br_snapshot_current(), *c, *d;

	/* Another issuer: a provider of its own. */
	write_conf("https://other.example.org/", "jitsi", "");
	c = build(b);
	assert_ptr_not_equal(c->provider, b->provider);
	assert_memory_equal(c->cfg->state_key, b->cfg->state_key, sizeof(c->cfg->state_key));
	/* Without a previous snapshot the random state key is new. */
	d = build(NULL);
	assert_memory_not_equal(d->cfg->state_key, b->cfg->state_key, sizeof(d->cfg->state_key));
	br_snapshot_unref(d);
	br_snapshot_unref(c); /* never installed: freed here */
	assert_ptr_equal(br_snapshot_current(), b);
	assert_int_equal(b->refs, 3);
	br_snapshot_unref(b);
	br_snapshot_unref(b);
}

/* A config that does not load leaves the current snapshot in place. */
static void test_bad_config(void **state)
{
	struct br_snapshot *cur = br_snapshot_current();
	unsigned long gen = cur->generation;
	struct br_error err = {0};
	char want[256];

	write_conf("https://sso.example.org/", "jitsi", "[jitsi]\nbogus = 1\n");
	assert_null(br_snapshot_build(conf, cur, &err));
	snprintf(want, sizeof(want), "%s:12: [jitsi] bogus: unknown key", conf);
	assert_string_equal(err.msg, want);
	br_snapshot_unref(cur);
	cur = br_snapshot_current();
	assert_int_equal(cur->generation, gen);
	br_snapshot_unref(cur);
}

#define READERS 2
#define RELOADS 20

static bool stop;

/* A request: takes the current snapshot, reads it, lets it go. */
static void *reader(void *arg)
{
	unsigned long last = 0, seen = 0;

	/* At least one read, even when the writer finished all its reloads
	 * before this thread first ran (a loaded machine). */
	do {
		struct br_snapshot *s = br_snapshot_current();
		if (s->generation < last)
			return (void *)"went back to an older snapshot";
		if (s->generation != last)
			seen++;
		last = s->generation;
		if (strcmp(s->cfg->issuer, "https://sso.example.org/") != 0)
			return (void *)"read a wrong issuer";
		br_snapshot_unref(s);
	} while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE));
	return seen > 0 ? NULL : (void *)"saw no snapshot";
}

/* Reloads while requests take and drop the current snapshot (run under
 * ASan or valgrind, a reference miscounted shows as a use after free). */
static void test_concurrent_readers(void **state)
{
	pthread_t t[READERS];
	struct br_snapshot *cur = br_snapshot_current();
	unsigned long first = cur->generation;

	write_conf("https://sso.example.org/", "jitsi", "");
	for (int i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
	for (int i = 0; i < RELOADS; i++) {
		struct br_snapshot *next = build(cur);
		br_snapshot_install(next);
		br_snapshot_unref(cur);
		cur = br_snapshot_current();
		assert_ptr_equal(cur, next);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	for (int i = 0; i < READERS; i++) {
		void *why;
		assert_int_equal(pthread_join(t[i], &why), 0);
		if (why != NULL)
			fail_msg("reader %d: %s", i, (const char *)why);
	}
	assert_int_equal(cur->generation, first + RELOADS);
	assert_int_equal(cur->refs, 2);
	br_snapshot_unref(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_build_install_current),
	        cmocka_unit_test(test_reload_keeps_old_for_holders),
	        cmocka_unit_test(test_provider_change_and_fresh_key),
	        cmocka_unit_test(test_bad_config),
	        cmocka_unit_test(test_concurrent_readers),
	};
	return cmocka_run_group_tests_name("snapshot", tests, setup, teardown);
}
