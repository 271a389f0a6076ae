/* test_keys.c - loading, checking, publishing and using the signing keys. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bridge/b64url.h"
#include "bridge/keys.h"
#include "bridge/log.h"

#include "jwt_check.h"

#define KID_2048      "cVKu5ct4jlyWE-SUxWSC6xPCNCDZSOyrsbcUnLOa0zk"
#define KID_2048_HASH "3ee5a16dccc3a3d10a464756200db0d14f97800256409f023323abb801855ecf"
#define KID_3072      "l1QnoI-eYQm9scp0TqTuJe-X-heaC-8YhSV9knTZtto"
#define KID_3072_HASH "cb3b2c6a2213acd15f30c1253aa42462e6495768da0c4a9a6cde706f67f908fb"

static char *log_buf;
static size_t log_len;
static FILE *log_stream;
static char tmpdir[256];

static int setup(void **state)
{
	log_stream = open_memstream(&log_buf, &log_len);
	br_log_set_stream(log_stream);
	br_log_set_level(BR_LOG_INFO);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/br-test-keys-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];
	br_log_set_stream(NULL);
	fclose(log_stream);
	free(log_buf);
	log_buf = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static const char *logged(void)
{
	fflush(log_stream);
	return log_buf != NULL ? log_buf : "";
}

static void rsa_config(struct br_config *cfg, enum br_jitsi_alg alg, const char *key)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->algorithm = alg;
	cfg->signing_key = (char *)key;
}

static char *tmp_copy(const char *src, const char *name, mode_t mode)
{
	static char path[512];
	char *text = fx_read(src, NULL);
	assert_non_null(text);
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void test_load_rs256(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};

	/* PKCS#8 and PKCS#1 forms of the same key give the same kid. */
	const char *files[] = {"keys/rsa2048.pem", "keys/rsa2048-pkcs1.pem"};
	for (size_t i = 0; i < 2; i++) {
		rsa_config(&cfg, BR_ALG_RS256, fx_path("%s", files[i]));
		struct br_keys *keys = br_keys_load(&cfg, &err);
		assert_non_null(keys);
		assert_true(br_keys_is_rsa(keys));
		assert_string_equal(br_keys_alg_name(keys), "RS256");
		assert_string_equal(br_keys_kid(keys), KID_2048);
		assert_int_equal(jc_jwks_count(keys), 1);
		assert_true(jc_jwks_kid_is(keys, 0, KID_2048));
		char hex[BR_KEYS_SHA256_HEX_LEN + 1];
		br_keys_sha256_hex(KID_2048, hex);
		assert_string_equal(hex, KID_2048_HASH);

		/* The published PEM is the SPKI form openssl pkey -pubout writes. */
		char *want_pem = fx_read(fx_path("keys/rsa2048.pub.pem"), NULL);
		assert_non_null(want_pem);
		size_t len = 0;
		const char *pem = br_keys_pem_by_hash(keys, KID_2048_HASH, &len);
		assert_non_null(pem);
		assert_string_equal(pem, want_pem);
		assert_int_equal(len, strlen(want_pem));
		assert_true(strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);
		free(want_pem);
		assert_null(br_keys_pem_by_hash(keys, KID_3072_HASH, NULL));
		assert_null(br_keys_pem_by_hash(keys, "3ee5", NULL));

		/* JWK set: the JWK computed by python3-cryptography. */
		char *jwk = fx_read(fx_path("keys/rsa2048.jwk.json"), NULL);
		assert_non_null(jwk);
		char want[4096];
		snprintf(want, sizeof(want), "{\"keys\":[%s]}", jwk);
		free(jwk);
		const char *jwks = br_keys_jwks(keys, &len);
		assert_string_equal(jwks, want);
		assert_int_equal(len, strlen(want));
		br_keys_free(keys);
	}
}

static void test_sha256_hex(void **state)
{
	char hex[BR_KEYS_SHA256_HEX_LEN + 1];
	br_keys_sha256_hex(KID_2048, hex);
	assert_string_equal(hex, KID_2048_HASH);
	br_keys_sha256_hex("", hex);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sign_rsa(void **state)
{
	static const enum br_jitsi_alg algs[] = {BR_ALG_RS256, BR_ALG_RS384, BR_ALG_RS512};
	static const char *names[] = {"RS256", "RS384", "RS512"};
	static const char *headers[] = {"eyJhbGciOiJSUzI1NiJ9", "eyJhbGciOiJSUzM4NCJ9",
	                                "eyJhbGciOiJSUzUxMiJ9"};
	struct br_config cfg;
	struct br_error err = {0};

	for (size_t i = 0; i < 3; i++) {
		rsa_config(&cfg, algs[i], fx_path("keys/rsa2048.pem"));
		struct br_keys *keys = br_keys_load(&cfg, &err);
		assert_non_null(keys);
		assert_string_equal(br_keys_alg_name(keys), names[i]);
		char input[256];
		snprintf(input, sizeof(input), "%s.eyJzdWIiOiJ4In0", headers[i]);
		unsigned char *sig = NULL;
		size_t siglen = 0;
		assert_int_equal(br_keys_sign(keys, (unsigned char *)input, strlen(input), &sig,
		                              &siglen, &err),
		                 0);
		assert_int_equal(siglen, 256);
		char *s64 = br_b64url_encode_new(sig, siglen);
		char token[1024];
		snprintf(token, sizeof(token), "%s.%s", input, s64);
		assert_true(jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)), algs[i]));
		/* The same signature under another digest does not verify. */
		assert_false(
		        jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)), algs[(i + 1) % 3]));
		/* A changed input does not verify. */
		token[5] ^= 1;
		assert_false(jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)), algs[i]));
		free(s64);
		free(sig);
		br_keys_free(keys);
	}
}

static void test_sign_hmac(void **state)
{
	static const enum br_jitsi_alg algs[] = {BR_ALG_HS256, BR_ALG_HS384, BR_ALG_HS512};
	static const size_t lens[] = {32, 48, 64};
	unsigned char secret[] = "0123456789abcdef0123456789abcdef!";
	struct br_config cfg = {0};
	struct br_error err = {0};

	cfg.app_secret = secret;
	cfg.app_secret_len = 32;
	for (size_t i = 0; i < 3; i++) {
		cfg.algorithm = algs[i];
		struct br_keys *keys = br_keys_load(&cfg, &err);
		assert_non_null(keys);
		assert_false(br_keys_is_rsa(keys));
		assert_null(br_keys_kid(keys));
		assert_int_equal(jc_jwks_count(keys), 0);
		assert_string_equal(br_keys_jwks(keys, NULL), "{\"keys\":[]}");
		const char *input = "eyJhbGciOiJIUzI1NiJ9.e30";
		unsigned char *sig = NULL;
		size_t siglen = 0;
		assert_int_equal(br_keys_sign(keys, (const unsigned char *)input, strlen(input),
		                              &sig, &siglen, &err),
		                 0);
		assert_int_equal(siglen, lens[i]);
		char *s64 = br_b64url_encode_new(sig, siglen);
		char token[512];
		snprintf(token, sizeof(token), "%s.%s", input, s64);
		assert_true(jc_verify_hmac(token, secret, 32, algs[i]));
		assert_false(jc_verify_hmac(token, secret + 1, 32, algs[i]));
		free(s64);
		free(sig);
		br_keys_free(keys);
	}
}

static void test_hmac_known_value(void **state)
{
	/* printf 'a.b' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef */
	static const char want[] =
	        "85c704308efb59b464c26979f002a8317c21c7d666dd53a61b753eacc4ce3a80";
	unsigned char secret[] = "0123456789abcdef0123456789abcdef";
	struct br_config cfg = {0};
	struct br_error err = {0};
	cfg.algorithm = BR_ALG_HS256;
	cfg.app_secret = secret;
	cfg.app_secret_len = 32;
	struct br_keys *keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	unsigned char *sig = NULL;
	size_t siglen = 0;
	assert_int_equal(br_keys_sign(keys, (const unsigned char *)"a.b", 3, &sig, &siglen, &err),
	                 0);
	char hex[65];
	for (size_t i = 0; i < siglen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sig[i]);
	assert_int_equal(siglen, 32);
	assert_string_equal(hex, want);
	free(sig);
	br_keys_free(keys);
}

static void test_bad_keys(void **state)
{
	const char *d = getenv("BR_TEST_DATA") ? getenv("BR_TEST_DATA") : "tests/data";
	struct {
		enum br_jitsi_alg alg;
		const char *key; /* relative to tests/data */
		const char *secret;
		enum br_error_code code;
		const char *want; /* after "[jitsi] signing_key: <path>: " when key is set */
	} cases[] = {
	        {BR_ALG_RS256, "keys/missing.pem", NULL, BR_E_IO,
	         "cannot open: No such file or directory"},
	        {BR_ALG_RS256, "keys/ec-p256.pem", NULL, BR_E_CONFIG,
	         "the key is EC, not RSA; the Jitsi token is signed with RS256, RS384 or RS512 "
	         "(Jitsi accepts no EC, PS or EdDSA keys)"},
	        {BR_ALG_RS256, "keys/rsa1024.pem", NULL, BR_E_CONFIG,
	         "RSA key of 1024 bits; it must have 2048 to 8192 bits (generate one with "
	         "jitsi-oidc-bridge --generate-key)"},
	        {BR_ALG_RS256, "keys/garbage.pem", NULL, BR_E_CONFIG, "not a PEM private key"},
	        {BR_ALG_RS256, "keys/README.md", NULL, BR_E_CONFIG, "not a PEM private key"},
	        {BR_ALG_RS256, "keys/rsa2048.pub.pem", NULL, BR_E_CONFIG,
	         "is a public key; signing needs the private key"},
	        {BR_ALG_RS256, "keys", NULL, BR_E_CONFIG, "not a regular file"},
	        {BR_ALG_RS256, NULL, NULL, BR_E_CONFIG, "[jitsi] signing_key: required with RS256"},
	        {BR_ALG_HS256, NULL, "0123456789abcdef0123456789abcde", BR_E_CONFIG,
	         "[jitsi] app_secret: too short (31 bytes; at least 32)"},
	        {BR_ALG_HS512, NULL, NULL, BR_E_CONFIG,
	         "[jitsi] app_secret: required with HS512 (or app_secret_file)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_config cfg = {0};
		struct br_error err = {0};
		char keypath[1024], want[4096];
		cfg.algorithm = cases[i].alg;
		if (cases[i].key != NULL) {
			snprintf(keypath, sizeof(keypath), "%s/%s", d, cases[i].key);
			cfg.signing_key = keypath;
		}
		if (cases[i].secret != NULL) {
			cfg.app_secret = (unsigned char *)cases[i].secret;
			cfg.app_secret_len = strlen(cases[i].secret);
		}
		assert_null(br_keys_load(&cfg, &err));
		assert_int_equal(err.code, cases[i].code);
		if (cases[i].key == NULL) {
			assert_string_equal(err.msg, cases[i].want);
		} else if (strcmp(cases[i].want, "not a PEM private key") == 0) {
			snprintf(want, sizeof(want),
			         "[jitsi] signing_key: %s: not a PEM private key (openssl pkey -in "
			         "%s "
			         "-noout tells why)",
			         keypath, keypath);
			assert_string_equal(err.msg, want);
		} else {
			snprintf(want, sizeof(want), "[jitsi] signing_key: %s: %s", keypath,
			         cases[i].want);
			assert_string_equal(err.msg, want);
		}
	}

	/* A FIFO as the key: refused at once, start-up never blocks on it. */
	char dir[] = "/tmp/br-keys-fifo.XXXXXX", fifo[64], want[256];
	struct br_config cfg = {0};
	struct br_error err = {0};
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/key.pem", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	cfg.algorithm = BR_ALG_RS256;
	cfg.signing_key = fifo;
	assert_null(br_keys_load(&cfg, &err));
	snprintf(want, sizeof(want), "[jitsi] signing_key: %s: not a regular file", fifo);
	assert_string_equal(err.msg, want);
	unlink(fifo);
	rmdir(dir);
}

static void test_encrypted(void **state)
{
	const char *files[] = {"keys/rsa2048-encrypted.pem", "keys/rsa2048-encrypted-pkcs1.pem"};
	for (size_t i = 0; i < 2; i++) {
		struct br_config cfg;
		struct br_error err = {0};
		char want[2048];
		const char *p = fx_path("%s", files[i]);
		rsa_config(&cfg, BR_ALG_RS256, p);
		assert_null(br_keys_load(&cfg, &err));
		assert_int_equal(err.code, BR_E_CONFIG);
		snprintf(want, sizeof(want),
		         "[jitsi] signing_key: %s: the key is encrypted; decrypt it (openssl pkey "
		         "-in "
		         "%s -out %s.plain)",
		         p, p, p);
		assert_string_equal(err.msg, want);
	}
}

static void test_mode_warning(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};

	const char *p = tmp_copy(fx_path("keys/rsa2048.pem"), "private.pem", 0600);
	rsa_config(&cfg, BR_ALG_RS256, p);
	struct br_keys *keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	br_keys_free(keys);
	assert_null(strstr(logged(), "readable by group or others"));

	p = tmp_copy(fx_path("keys/rsa2048.pem"), "shared.pem", 0640);
	rsa_config(&cfg, BR_ALG_RS256, p);
	keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	br_keys_free(keys);
	assert_non_null(strstr(logged(),
	                       "level=warn msg=\"private key file is readable by group or "
	                       "others (chmod 600 it)\""));
	assert_non_null(strstr(logged(), "mode=0640"));
	assert_non_null(strstr(logged(), "shared.pem"));
}

static void test_rotation(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	char prev[2048];

	/* New key signs; the old one (given as SPKI public PEM, and once more
	 * as its PKCS#1 public and private forms: published once) stays
	 * published. */
	snprintf(prev, sizeof(prev), "%s  %s\t%s", fx_path("keys/rsa2048.pub.pem"),
	         fx_path("keys/rsa2048-pkcs1.pub.pem"), fx_path("keys/rsa2048-pkcs1.pem"));
	rsa_config(&cfg, BR_ALG_RS256, fx_path("keys/rsa3072.pem"));
	cfg.previous_keys = prev;
	struct br_keys *keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	assert_string_equal(br_keys_kid(keys), KID_3072);
	assert_int_equal(jc_jwks_count(keys), 2);
	assert_true(jc_jwks_kid_is(keys, 0, KID_3072));
	assert_true(jc_jwks_kid_is(keys, 1, KID_2048));
	assert_non_null(br_keys_pem_by_hash(keys, KID_3072_HASH, NULL));
	assert_non_null(br_keys_pem_by_hash(keys, KID_2048_HASH, NULL));
	json_t *set = json_loads(br_keys_jwks(keys, NULL), JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(set);
	json_t *arr = json_object_get(set, "keys");
	assert_int_equal(json_array_size(arr), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "kid")),
	                    KID_3072);
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "kid")),
	                    KID_2048);
	json_decref(set);

	unsigned char *sig = NULL;
	size_t siglen = 0;
	assert_int_equal(br_keys_sign(keys, (const unsigned char *)"a.b", 3, &sig, &siglen, &err),
	                 0);
	assert_int_equal(siglen, 384); /* signed by the 3072-bit key */
	free(sig);
	br_keys_free(keys);

	/* A bad previous key stops loading, naming it. */
	snprintf(prev, sizeof(prev), "%s", fx_path("keys/ec-p256.pem"));
	assert_null(br_keys_load(&cfg, &err));
	char want[8192];
	snprintf(
	        want, sizeof(want),
	        "[jitsi] previous_keys: %s: the key is EC, not RSA; the Jitsi token is signed with "
	        "RS256, RS384 or RS512 (Jitsi accepts no EC, PS or EdDSA keys)",
	        prev);
	assert_string_equal(err.msg, want);

	snprintf(prev, sizeof(prev), "%s", fx_path("keys/garbage.pem"));
	assert_null(br_keys_load(&cfg, &err));
	snprintf(want, sizeof(want),
	         "[jitsi] previous_keys: %s: not a PEM key (openssl pkey -in %s -noout tells why; "
	         "-pubin for a public key)",
	         prev, prev);
	assert_string_equal(err.msg, want);
}

static void test_generate(void **state)
{
	struct br_error err = {0};
	char path[512];
	char *kid = NULL;
	struct stat st;

	snprintf(path, sizeof(path), "%s/new.pem", tmpdir);
	assert_int_equal(br_keys_generate(path, 0, &kid, &err), 0);
	assert_non_null(kid);
	assert_int_equal(strlen(kid), 43);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *text = fx_read(path, NULL);
	assert_true(strncmp(text, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
	free(text);

	struct br_config cfg;
	rsa_config(&cfg, BR_ALG_RS256, path);
	struct br_keys *keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	assert_string_equal(br_keys_kid(keys), kid);
	br_keys_free(keys);
	free(kid);

	/* Never overwrites. */
	char want[1024];
	kid = NULL;
	assert_int_equal(br_keys_generate(path, 2048, &kid, &err), -1);
	assert_null(kid);
	snprintf(want, sizeof(want), "%s: already exists; refusing to overwrite it", path);
	assert_string_equal(err.msg, want);

	/* Sizes out of range are refused before anything is created. */
	snprintf(path, sizeof(path), "%s/small.pem", tmpdir);
	assert_int_equal(br_keys_generate(path, 1024, NULL, &err), -1);
	assert_string_equal(err.msg, "--bits 1024: an RSA key must have 2048 to 8192 bits");
	assert_int_equal(br_keys_generate(path, 16384, NULL, &err), -1);
	assert_string_equal(err.msg, "--bits 16384: an RSA key must have 2048 to 8192 bits");
	assert_int_equal(access(path, F_OK), -1);

	snprintf(path, sizeof(path), "%s/nodir/x.pem", tmpdir);
	assert_int_equal(br_keys_generate(path, 2048, NULL, &err), -1);
	snprintf(want, sizeof(want), "%s: cannot create: No such file or directory", path);
	assert_string_equal(err.msg, want);
}

struct sign_job {
	const struct br_keys *keys;
	int ok;
};

static void *sign_thread(void *arg)
{
	struct sign_job *job = arg;
	for (int i = 0; i < 25; i++) {
		/* Claims {"i":N}: a different input each time. */
		char claims[16], input[64];
		snprintf(claims, sizeof(claims), "{\"i\":%d}", 10 + i);
		char *c64 = br_b64url_encode_new((unsigned char *)claims, strlen(claims));
		snprintf(input, sizeof(input), "eyJhbGciOiJSUzI1NiJ9.%s", c64);
		free(c64);
		unsigned char *sig = NULL;
		size_t siglen = 0;
		if (br_keys_sign(job->keys, (unsigned char *)input, strlen(input), &sig, &siglen,
		                 NULL) != 0)
			continue;
		char *s64 = br_b64url_encode_new(sig, siglen);
		char token[1024];
		snprintf(token, sizeof(token), "%s.%s", input, s64);
		if (jc_verify_rsa(token, jc_pem(job->keys, br_keys_kid(job->keys)), BR_ALG_RS256))
			job->ok++;
		free(s64);
		free(sig);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct br_config cfg;
	struct br_error err = {0};
	pthread_t th[4];
	struct sign_job jobs[4];

	rsa_config(&cfg, BR_ALG_RS256, fx_path("keys/rsa2048.pem"));
	struct br_keys *keys = br_keys_load(&cfg, &err);
	assert_non_null(keys);
	for (int i = 0; i < 4; i++) {
		jobs[i].keys = keys;
		jobs[i].ok = 0;
		assert_int_equal(pthread_create(&th[i], NULL, sign_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(jobs[i].ok, 25);
	}
	br_keys_free(keys);
}

/* A reload frees the old set and loads a new one, likely at the same
 * address: this thread's cached signing context must follow. */
static void test_reload_same_thread(void **state)
{
	static const char *files[] = {"keys/rsa2048.pem", "keys/rsa3072.pem", "keys/rsa2048.pem"};
	static const size_t lens[] = {256, 384, 256};
	for (size_t i = 0; i < 3; i++) {
		struct br_config cfg;
		struct br_error err = {0};
		rsa_config(&cfg, BR_ALG_RS256, fx_path("%s", files[i]));
		struct br_keys *keys = br_keys_load(&cfg, &err);
		assert_non_null(keys);
		const char *input = "eyJhbGciOiJSUzI1NiJ9.e30";
		unsigned char *sig = NULL;
		size_t siglen = 0;
		assert_int_equal(br_keys_sign(keys, (const unsigned char *)input, strlen(input),
		                              &sig, &siglen, &err),
		                 0);
		assert_int_equal(siglen, lens[i]);
		char *s64 = br_b64url_encode_new(sig, siglen);
		char token[1024];
		snprintf(token, sizeof(token), "%s.%s", input, s64);
		assert_true(jc_verify_rsa(token, jc_pem(keys, br_keys_kid(keys)), BR_ALG_RS256));
		free(s64);
		free(sig);
		br_keys_free(keys);
	}
	br_keys_thread_cleanup();
	br_keys_thread_cleanup(); /* twice is fine */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sha256_hex),
	        cmocka_unit_test_setup_teardown(test_load_rs256, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sign_rsa, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sign_hmac, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_hmac_known_value, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_keys, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_encrypted, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mode_warning, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_generate, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_reload_same_thread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
