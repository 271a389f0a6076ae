/* test_config.c - the config loader: every error names file, line, section
 * and key; defaults, environment overrides, secrets, key files, address
 * lists; the example config and man page never drift from the key table. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bridge/catalogue.h"
#include "bridge/configuration.h"
#include "bridge/jitsi.h"
#include "bridge/look.h"
#include "bridge/log.h"

#define BASE                                                                                       \
	"[server]\n"                                                                               \
	"public_url = https://meet.example.org/auth/\n"                                            \
	"[provider]\n"                                                                             \
	"issuer = https://sso.example.org/realms/acme/\n"                                          \
	"client_id = jitsi\n"                                                                      \
	"client_secret = s3cret\n"                                                                 \
	"[jitsi]\n"                                                                                \
	"url = https://meet.example.org/\n"                                                        \
	"domain = meet.example.org\n"

/* BASE has 9 lines: keys appended after it start at line 10. */

/* BASE up to its domain line: the domain given after it is on line 9. */
#define NO_DOMAIN                                                                                  \
	"[server]\npublic_url = https://meet.example.org/auth/\n[provider]\n"                      \
	"issuer = https://sso.example.org/\nclient_id = jitsi\nclient_secret = s\n"                \
	"[jitsi]\nurl = https://meet.example.org/\n"

static char tmpdir[64];
static char olddir[4096];

static void write_file(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(name, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_str(const char *name, const char *s)
{
	write_file(name, s, strlen(s));
}

static int setup(void **state)
{
	assert_non_null(getcwd(olddir, sizeof(olddir)));
	strcpy(tmpdir, "/tmp/br-config-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(mkdir("creds", 0700), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	assert_int_equal(chdir(olddir), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct br_config *load(const char *ini, char *const *env, struct br_error *err)
{
	static char *const empty_env[] = {NULL};
	write_str("bridge.conf", ini);
	br_error_clear(err);
	return br_config_load("bridge.conf", env != NULL ? env : empty_env, err);
}

/* --- bad configs: the exact message ------------------------------------------------------ */

struct bad_case {
	const char *ini;
	const char *env[4];
	const char *want;
};

static const struct bad_case bad_cases[] = {
        {"[server]\nfoo = 1\n", {NULL}, "bridge.conf:2: [server] foo: unknown key"},
        {"[server]\n\n[nope]\n", {NULL}, "bridge.conf:3: [nope]: unknown section"},
        {"a = b\n", {NULL}, "bridge.conf:1: a: key outside any [section]"},
        {"[server]\njunk\n",
         {NULL},
         "bridge.conf:2: syntax error: expected [section], key = value or a comment"},
        {"[server]\nworkers = 2\n; c\nworkers = 3\n",
         {NULL},
         "bridge.conf:4: [server] workers: duplicate key (first set at line 2)"},
        {"[server]\n", {NULL}, "bridge.conf: [server] public_url: missing required key"},
        {"[server]\npublic_url = https://a.example/\n",
         {NULL},
         "bridge.conf: [provider] issuer: missing required key"},
        {"[server]\npublic_url = https://a.example/\n[provider]\nissuer = https://b.example\n",
         {NULL},
         "bridge.conf: [provider] client_id: missing required key"},
        {"[server]\npublic_url = https://a.example/\n[provider]\nissuer = https://b.example\n"
         "client_id = x\n[jitsi]\nurl = https://c.example\n",
         {NULL},
         "bridge.conf: [jitsi] domain: missing required key"},
        {"[server]\npublic_url = https://a.example/\n[provider]\nissuer = https://b.example\n"
         "client_id = x\n[jitsi]\nurl = https://c.example\ndomain = c.example\n",
         {NULL},
         "bridge.conf: [provider] client_secret: missing required key (or client_secret_file; "
         "token_endpoint_auth = none for a public client)"},
        {BASE "[server]\nlisten = localhost:8800\n",
         {NULL},
         "bridge.conf:11: [server] listen: localhost:8800: not a numeric IP address (host names "
         "are not resolved)"},
        {BASE "[server]\nlisten = ::1:8800\n",
         {NULL},
         "bridge.conf:11: [server] listen: ::1:8800: an IPv6 address needs brackets: "
         "[::1]:8800"},
        {BASE "[server]\nlisten = 127.0.0.1:70000\n",
         {NULL},
         "bridge.conf:11: [server] listen: 127.0.0.1:70000: invalid port"},
        {BASE "[server]\nlisten = 127.0.0.1:80 [::1]:80 127.0.0.1:80\n",
         {NULL},
         "bridge.conf:11: [server] listen: 127.0.0.1:80 is listed twice"},
        {BASE "[server]\nlisten = 127.0.0.1\n",
         {NULL},
         "bridge.conf:11: [server] listen: 127.0.0.1: expected address:port"},
        {BASE "[server]\nadmin_allow = 10.0.0.0/33\n",
         {NULL},
         "bridge.conf:11: [server] admin_allow: invalid prefix length in 10.0.0.0/33"},
        {BASE "[server]\nadmin_allow = 10.0.0.1/8\n",
         {NULL},
         "bridge.conf:11: [server] admin_allow: 10.0.0.1/8 has host bits set beyond /8"},
        {BASE "[server]\ntrusted_proxies = ::1 example.org\n",
         {NULL},
         "bridge.conf:11: [server] trusted_proxies: invalid address example.org (numeric IPv4 "
         "or IPv6 expected)"},
        {BASE "[server]\nworkers = 0\n",
         {NULL},
         "bridge.conf:11: [server] workers: expected auto or 1 to 1024, not \"0\""},
        {BASE "[server]\nmax_header_size = 100\n",
         {NULL},
         "bridge.conf:11: [server] max_header_size: expected an integer from 1024 to 1048576, "
         "not \"100\""},
        {BASE "[server]\nmax_connections = 12abc\n",
         {NULL},
         "bridge.conf:11: [server] max_connections: expected an integer from 1 to 1000000, not "
         "\"12abc\""},
        {BASE "app_id = my app\n",
         {NULL},
         "bridge.conf:10: [jitsi] app_id: may hold only letters, digits and . _ ~ : / @ + - (1 "
         "to 255 of them), as it goes into Prosody's and Jitsi's configuration: not \"my app\""},
        {BASE "audience = jitsi\",\"evil\n",
         {NULL},
         "bridge.conf:10: [jitsi] audience: may hold only letters, digits and . _ ~ : / @ + - (1 "
         "to 255 of them), as it goes into Prosody's and Jitsi's configuration: not "
         "\"jitsi\",\"evil\""},
        {NO_DOMAIN "domain = Meet.example.org\n",
         {NULL},
         "bridge.conf:9: [jitsi] domain: expected a host name in lower case (a-z 0-9 - and dots), "
         "as Jitsi compares the token's sub with it, not \"Meet.example.org\""},
        {NO_DOMAIN "domain = meet..example.org\n",
         {NULL},
         "bridge.conf:9: [jitsi] domain: expected a host name in lower case (a-z 0-9 - and dots), "
         "as Jitsi compares the token's sub with it, not \"meet..example.org\""},
        {NO_DOMAIN "domain = -meet.example.org\n",
         {NULL},
         "bridge.conf:9: [jitsi] domain: expected a host name in lower case (a-z 0-9 - and dots), "
         "as Jitsi compares the token's sub with it, not \"-meet.example.org\""},
        {NO_DOMAIN "domain = meet-.example.org\n",
         {NULL},
         "bridge.conf:9: [jitsi] domain: expected a host name in lower case (a-z 0-9 - and dots), "
         "as Jitsi compares the token's sub with it, not \"meet-.example.org\""},
        {NO_DOMAIN "domain = meet.example.org.\n",
         {NULL},
         "bridge.conf:9: [jitsi] domain: expected a host name in lower case (a-z 0-9 - and dots), "
         "as Jitsi compares the token's sub with it, not \"meet.example.org.\""},
        {BASE "[server]\nlog_level = verbose\n",
         {NULL},
         "bridge.conf:11: [server] log_level: expected one of debug, info, warn, error, not "
         "\"verbose\""},
        {BASE "[server]\nlogin_timeout = 10x\n",
         {NULL},
         "bridge.conf:11: [server] login_timeout: expected a positive duration such as 30s, "
         "10m, 1h or 2d, not \"10x\""},
        {BASE "[server]\nheader_timeout = 0\n",
         {NULL},
         "bridge.conf:11: [server] header_timeout: expected a positive duration such as 30s, "
         "10m, 1h or 2d, not \"0\""},
        {BASE "[server]\nlogin_timeout =\n",
         {NULL},
         "bridge.conf:11: [server] login_timeout: empty value (remove the line to get the "
         "default, 10m)"},
        {BASE "[server]\npublic_url = ftp://meet.example.org\n",
         {NULL},
         "bridge.conf:11: [server] public_url: duplicate key (first set at line 2)"},
        {"[server]\npublic_url = ftp://meet.example.org\n",
         {NULL},
         "bridge.conf:2: [server] public_url: must be an absolute http:// or https:// URL"},
        {"[server]\npublic_url = https://meet.example.org/a?x=1\n",
         {NULL},
         "bridge.conf:2: [server] public_url: must not have a ?query"},
        {"[server]\npublic_url = https://meet.example.org:0/\n",
         {NULL},
         "bridge.conf:2: [server] public_url: has an invalid port"},
        {"[server]\npublic_url = https://meet.example.org/auth//\n",
         {NULL},
         "bridge.conf:2: [server] public_url: must not end with //"},
        {"[server]\npublic_url = https://user@meet.example.org/\n",
         {NULL},
         "bridge.conf:2: [server] public_url: must not hold user information (user@host)"},
        {"[server]\npublic_url = https:///x\n",
         {NULL},
         "bridge.conf:2: [server] public_url: has no host"},
        {"[server]\npublic_url = https://meet.example.org/#x\n",
         {NULL},
         "bridge.conf:2: [server] public_url: must not have a #fragment"},
        {BASE "[provider]\ndiscovery = maybe\n",
         {NULL},
         "bridge.conf:11: [provider] discovery: expected true or false (yes/no, on/off, 1/0), "
         "not \"maybe\""},
        {BASE "[provider]\ndiscovery = no\nauthorization_endpoint = https://sso.example.org/a\n"
              "jwks_uri = https://sso.example.org/k\n",
         {NULL},
         "bridge.conf: [provider] token_endpoint: missing required key (discovery = false)"},
        {BASE "[provider]\ndiscovery = false\nauthorization_endpoint = https://sso.example.org/a\n"
              "token_endpoint = https://sso.example.org/t\njwks_uri = https://sso.example.org/k\n"
              "userinfo = always\n",
         {NULL},
         "bridge.conf: [provider] userinfo_endpoint: missing required key (discovery = false "
         "and userinfo = always)"},
        {BASE "[provider]\ntoken_endpoint_auth = private_key_jwt\n",
         {NULL},
         "bridge.conf:11: [provider] token_endpoint_auth: expected one of client_secret_basic, "
         "client_secret_post, none, not \"private_key_jwt\""},
        {BASE "[provider]\ntoken_endpoint_auth = none\n",
         {NULL},
         "bridge.conf:6: [provider] client_secret: not used with token_endpoint_auth = none; "
         "remove it"},
        {BASE "[provider]\nclient_secret_file = secret.txt\n",
         {NULL},
         "bridge.conf:11: [provider] client_secret_file: client_secret is set too (line 6); "
         "give only one of them"},
        {"[provider]\nclient_secret_file = nosuch.secret\n" BASE,
         {NULL},
         "bridge.conf:8: [provider] client_secret: client_secret_file is set too (line 2); give "
         "only one of them"},
        {BASE "[provider]\nscopes = profile email\n",
         {NULL},
         "bridge.conf:11: [provider] scopes: must hold openid"},
        {BASE "[provider]\nid_token_algs = RS256 HS256\n",
         {NULL},
         "bridge.conf:11: [provider] id_token_algs: unsupported algorithm HS256 (RS256 RS384 "
         "RS512 PS256 PS384 PS512 ES256 ES384 ES512)"},
        {BASE "[provider]\nextra_auth_params = kc_idp_hint=github&state=x\n",
         {NULL},
         "bridge.conf:11: [provider] extra_auth_params: must not set a parameter the bridge "
         "sets itself"},
        {BASE "[provider]\nca_file = nosuch.pem\n",
         {NULL},
         "bridge.conf:11: [provider] ca_file: cannot read ./nosuch.pem: No such file or "
         "directory"},
        {BASE "[provider]\nissuer = x\n",
         {NULL},
         "bridge.conf:11: [provider] issuer: duplicate key (first set at line 4)"},
        {BASE "[claims]\nid =\n",
         {NULL},
         "bridge.conf:11: [claims] id: empty value (remove the line to get the default, sub)"},
        {BASE "[claims]\nname = sub a..b claims[\"x\"\n",
         {NULL},
         "bridge.conf:11: [claims] name: claim path \"a..b\" at column 3: expected a claim name "
         "after '.'"},
        {BASE "[claims]\ngroups = claims[\"x\"\n",
         {NULL},
         "bridge.conf:11: [claims] groups: claim path \"claims[\"x\"\" at column 11: expected "
         "']' after the claim name"},
        {BASE "[claims]\nid = https://example.org/uid\n",
         {NULL},
         "bridge.conf:11: [claims] id: claim path \"https://example.org/uid\" at column 6: "
         "unexpected ':' (write claims[\"...\"] for a name holding it)"},
        {BASE "[jitsi]\nalgorithm = ES256\n",
         {NULL},
         "bridge.conf:11: [jitsi] algorithm: expected one of RS256, RS384, RS512, HS256, HS384, "
         "HS512, not \"ES256\""},
        {BASE "[jitsi]\nalgorithm = HS256\n",
         {NULL},
         "bridge.conf: [jitsi] app_secret: missing required key (or app_secret_file) with HS* "
         "algorithms"},
        {BASE "[jitsi]\nalgorithm = HS384\napp_secret = short\n",
         {NULL},
         "bridge.conf:12: [jitsi] app_secret: too short for HS384: 5 bytes, at least 32 needed"},
        {BASE "[jitsi]\nalgorithm = HS256\napp_secret = 0123456789abcdef0123456789abcdef\n"
              "signing_key = /x.pem\n",
         {NULL},
         "bridge.conf:13: [jitsi] signing_key: not used with algorithm = HS256 (it signs with "
         "app_secret)"},
        {BASE "[jitsi]\nalgorithm = HS512\napp_secret = 0123456789abcdef0123456789abcdef\n"
              "previous_keys = /x.pem\n",
         {NULL},
         "bridge.conf:13: [jitsi] previous_keys: not used with algorithm = HS512"},
        {BASE "[jitsi]\napp_secret = 0123456789abcdef0123456789abcdef\n",
         {NULL},
         "bridge.conf:11: [jitsi] app_secret: not used with algorithm = RS256; remove it or "
         "choose HS256/384/512"},
        {BASE "[jitsi]\nroom = any\n",
         {NULL},
         "bridge.conf:11: [jitsi] room: expected one of requested, wildcard, not \"any\""},
        /* room = wildcard: a "*" token would carry a decision made for
         * one room to every room. */
        {BASE "[jitsi]\nroom = wildcard\n[rules]\nallow = inGroup(\"a\") or room =~ "
              "\"^open-\"\n",
         {NULL},
         "bridge.conf:13: [rules] allow: reads room, but [jitsi] room = wildcard gives one "
         "token for every room: a decision made for one room would hold in all of them (use "
         "room = requested, or a rule without room)"},
        {BASE "[jitsi]\nroom = wildcard\n[rules]\nallow = true\nmoderator = false and "
              "lower(room) == \"x\"\n",
         {NULL},
         "bridge.conf:14: [rules] moderator: reads room, but [jitsi] room = wildcard gives one "
         "token for every room: a decision made for one room would hold in all of them (use "
         "room = requested, or a rule without room)"},
        {BASE "[jitsi]\nroom = wildcard\n[features]\nlivestreaming = false\nrecording = "
              "inGroup(\"rec\") and startsWith(room, \"rec-\")\n",
         {NULL},
         "bridge.conf:14: [features] recording: reads room, but [jitsi] room = wildcard gives "
         "one token for every room: a decision made for one room would hold in all of them "
         "(use room = requested, or a rule without room)"},
        {BASE "[jitsi]\nroom = wildcard\n[rules]\nlobby_bypass = room == \"open\"\n",
         {NULL},
         "bridge.conf:13: [rules] lobby_bypass: reads room, but [jitsi] room = wildcard gives "
         "one token for every room: a decision made for one room would hold in all of them "
         "(use room = requested, or a rule without room)"},
        {BASE "[jitsi]\nroom = wildcard\n",
         {"JITSI_OIDC_BRIDGE_RULES_SECURITY_BYPASS=startsWith(room, \"x\")", NULL},
         "JITSI_OIDC_BRIDGE_RULES_SECURITY_BYPASS: [rules] security_bypass: reads room, but "
         "[jitsi] room = wildcard gives one token for every room: a decision made for one room "
         "would hold in all of them (use room = requested, or a rule without room)"},
        {BASE "[jitsi]\nroom = wildcard\n",
         {"JITSI_OIDC_BRIDGE_RULES_MODERATOR=room in [\"a\", \"b\"]", NULL},
         "JITSI_OIDC_BRIDGE_RULES_MODERATOR: [rules] moderator: reads room, but [jitsi] room = "
         "wildcard gives one token for every room: a decision made for one room would hold in "
         "all of them (use room = requested, or a rule without room)"},
        {BASE "[features]\nbad.name = true\n",
         {NULL},
         "bridge.conf:11: [features] bad.name: a feature name is 1 to 64 characters of A-Z a-z "
         "0-9 _ -"},
        {BASE "[features]\nrecording = true\nrecording = false\n",
         {NULL},
         "bridge.conf:12: [features] recording: duplicate key (first set at line 11)"},
        {BASE "[features]\nrecording =\n",
         {NULL},
         "bridge.conf:11: [features] recording: empty rule"},
        {BASE "[rules]\nallow =\n",
         {NULL},
         "bridge.conf:11: [rules] allow: empty value (remove the line to get the default, true)"},
        {BASE "[server]\nstate_key_file = nosuch.key\n",
         {NULL},
         "bridge.conf:11: [server] state_key_file: cannot open ./nosuch.key: No such file or "
         "directory"},
        {BASE "[provider]\nclient_secret_file = nosuch.secret\n",
         {NULL},
         "bridge.conf:11: [provider] client_secret_file: client_secret is set too (line 6); "
         "give only one of them"},
        /* the environment */
        {BASE,
         {"JITSI_OIDC_BRIDGE_CLAIMS_EMAIL=mail emails[0]", NULL},
         "JITSI_OIDC_BRIDGE_CLAIMS_EMAIL: [claims] email: claim path \"emails[0]\" at column 8: "
         "expected a quoted claim name after '['"},
        {BASE,
         {"JITSI_OIDC_BRIDGE_SERVER_NOPE=1", NULL},
         "JITSI_OIDC_BRIDGE_SERVER_NOPE: unknown variable"},
        {BASE,
         {"JITSI_OIDC_BRIDGE_SERVER_WORKERS=many", NULL},
         "JITSI_OIDC_BRIDGE_SERVER_WORKERS: [server] workers: expected auto or 1 to 1024, not "
         "\"many\""},
        {BASE,
         {"JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE=nosuch.secret", NULL},
         "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE: [provider] client_secret_file: cannot "
         "open ./nosuch.secret: No such file or directory"},
        {BASE,
         {"JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET=a",
          "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE=b", NULL},
         "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE: [provider] client_secret_file: "
         "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET is set too; give only one of them"},
        {BASE,
         {"JITSI_OIDC_BRIDGE_FEATURES_BAD.NAME=true", NULL},
         "JITSI_OIDC_BRIDGE_FEATURES_BAD.NAME: [features] bad.name: a feature name is 1 to 64 "
         "characters of A-Z a-z 0-9 _ -"},
        {BASE "[provider]\ntoken_endpoint = http://sso.example.org/token\n",
         {NULL},
         "bridge.conf:11: [provider] token_endpoint: plain http while the issuer is https; use "
         "https (plain http only for a loopback address: 127.0.0.0/8 or [::1])"},
        {BASE "[provider]\njwks_uri = http://127.sso.example.org/jwks\n",
         {NULL},
         "bridge.conf:11: [provider] jwks_uri: plain http while the issuer is https; use "
         "https (plain http only for a loopback address: 127.0.0.0/8 or [::1])"},
        {BASE "[provider]\nauthorization_endpoint = http://localhost/a\n",
         {NULL},
         "bridge.conf:11: [provider] authorization_endpoint: plain http while the issuer is "
         "https; use https (plain http only for a loopback address: 127.0.0.0/8 or [::1])"},
        {BASE "[provider]\nuserinfo_endpoint = http://sso.example.org/u\n",
         {NULL},
         "bridge.conf:11: [provider] userinfo_endpoint: plain http while the issuer is https; "
         "use https (plain http only for a loopback address: 127.0.0.0/8 or [::1])"},
        {BASE "[provider]\nend_session_endpoint = http://sso.example.org/e\n",
         {NULL},
         "bridge.conf:11: [provider] end_session_endpoint: plain http while the issuer is "
         "https; use https (plain http only for a loopback address: 127.0.0.0/8 or [::1])"},
        {"[server]\n",
         {"JITSI_OIDC_BRIDGE_SERVER_PUBLIC_URL=meet.example.org", NULL},
         "JITSI_OIDC_BRIDGE_SERVER_PUBLIC_URL: [server] public_url: must be an absolute http:// "
         "or https:// URL"},
};

static void test_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct br_error err;
		struct br_config *cfg =
		        load(bad_cases[i].ini, (char *const *)bad_cases[i].env, &err);
		if (cfg != NULL || strcmp(err.msg, bad_cases[i].want) != 0)
			fprintf(stderr, "case %zu:\n  got  %s\n  want %s\n", i,
			        cfg ? "(loaded)" : err.msg, bad_cases[i].want);
		assert_null(cfg);
		assert_int_equal(err.code, BR_E_CONFIG);
		assert_string_equal(err.msg, bad_cases[i].want);
	}
}

static void test_bad_file_contents(void **state)
{
	struct br_error err;
	char big[9000 + 64];

	/* a NUL byte */
	write_file("bridge.conf", "[server]\nworkers = 1\0\n", 22);
	assert_null(br_config_load("bridge.conf", (char *const[]){NULL}, &err));
	assert_string_equal(err.msg, "bridge.conf:2: NUL byte in the file");

	/* a NUL byte in the second chunk of a long line (libinih keeps
	 * parsing what it read so far: found by fuzzing) */
	memcpy(big, "[rules]\nallow = ", 16);
	memset(big + 16, 'x', 300);
	big[16 + 250] = '\0';
	big[16 + 300] = '\n';
	write_file("bridge.conf", big, 16 + 301);
	assert_null(br_config_load("bridge.conf", (char *const[]){NULL}, &err));
	assert_string_equal(err.msg, "bridge.conf:2: NUL byte in the file");

	/* a line longer than 8192 bytes */
	memcpy(big, "[rules]\nallow = ", 16);
	memset(big + 16, 'x', 9000);
	strcpy(big + 16 + 9000, "\n");
	assert_null(load(big, NULL, &err));
	assert_string_equal(err.msg, "bridge.conf:2: line too long (more than 8192 bytes)");

	/* no file */
	assert_null(br_config_load("nosuch.conf", (char *const[]){NULL}, &err));
	assert_string_equal(err.msg, "nosuch.conf: cannot open: No such file or directory");
}

/* --- good configs ------------------------------------------------------------------------ */

static void test_defaults(void **state)
{
	struct br_error err;
	struct br_config *cfg = load(BASE, NULL, &err);

	assert_non_null(cfg);
	assert_string_equal(cfg->path, "bridge.conf");
	assert_int_equal(cfg->n_listen, 1);
	assert_string_equal(cfg->listen[0].host, "127.0.0.1");
	assert_string_equal(cfg->listen[0].port, "8800");
	assert_int_equal(cfg->listen[0].addr.ss_family, AF_INET);
	/* exactly one trailing '/' dropped from public_url and jitsi url ... */
	assert_string_equal(cfg->public_url, "https://meet.example.org/auth");
	assert_string_equal(cfg->public_path, "/auth");
	assert_true(cfg->public_https);
	assert_string_equal(cfg->jitsi_url, "https://meet.example.org");
	/* ... and never from the issuer */
	assert_string_equal(cfg->issuer, "https://sso.example.org/realms/acme/");
	assert_int_equal(cfg->workers, (int)sysconf(_SC_NPROCESSORS_ONLN));
	assert_true(cfg->state_key_random);
	assert_int_equal(cfg->login_timeout, 600);
	assert_int_equal(cfg->admin_allow.n, 2);
	assert_int_equal(cfg->trusted_proxies.n, 0);
	assert_int_equal(cfg->max_header_size, 8192);
	assert_int_equal(cfg->max_query_size, 4096);
	assert_int_equal(cfg->header_timeout, 10);
	assert_int_equal(cfg->max_connections, 10000);
	assert_int_equal(cfg->log_level, BR_LOG_INFO);
	assert_string_equal(cfg->client_id, "jitsi");
	assert_string_equal(cfg->client_secret, "s3cret");
	assert_int_equal(cfg->token_endpoint_auth, BR_AUTH_CLIENT_SECRET_BASIC);
	assert_string_equal(cfg->scopes, "openid profile email");
	assert_true(cfg->discovery);
	assert_null(cfg->authorization_endpoint);
	assert_null(cfg->token_endpoint);
	assert_null(cfg->userinfo_endpoint);
	assert_null(cfg->jwks_uri);
	assert_null(cfg->end_session_endpoint);
	assert_null(cfg->extra_auth_params);
	assert_int_equal(cfg->userinfo, BR_USERINFO_AUTO);
	assert_null(cfg->id_token_algs);
	assert_null(cfg->ca_file);
	assert_int_equal(cfg->timeout, 10);
	assert_int_equal(cfg->clock_skew, 60);
	assert_int_equal(cfg->max_token_age, 600);
	assert_string_equal(cfg->claims.id, "sub");
	assert_string_equal(cfg->claims.name, "name preferred_username");
	assert_string_equal(cfg->claims.email, "email");
	assert_string_equal(cfg->claims.avatar, "picture");
	assert_string_equal(cfg->claims.groups, "groups");
	assert_string_equal(cfg->app_id, "jitsi");
	assert_string_equal(cfg->audience, "jitsi");
	assert_string_equal(cfg->domain, "meet.example.org");
	assert_int_equal(cfg->algorithm, BR_ALG_RS256);
	assert_string_equal(cfg->signing_key, "/var/lib/jitsi-oidc-bridge/signing.pem");
	assert_null(cfg->previous_keys);
	assert_null(cfg->app_secret);
	assert_int_equal(cfg->token_lifetime, 3600);
	assert_int_equal(cfg->room, BR_ROOM_REQUESTED);
	assert_int_equal(cfg->delivery, BR_DELIVERY_FRAGMENT);
	assert_string_equal(cfg->rules.allow.name, "allow");
	assert_string_equal(cfg->rules.allow.text, "true");
	assert_int_equal(cfg->rules.allow.line, 0);
	assert_string_equal(cfg->rules.moderator.text, "true");
	assert_string_equal(cfg->rules.lobby_bypass.text, "false");
	assert_string_equal(cfg->rules.security_bypass.text, "false");
	assert_int_equal(cfg->jitsi_apps, 0);
	assert_string_equal(cfg->app_scheme, "org.jitsi.meet");
	assert_string_equal(cfg->android_package, "org.jitsi.meet");
	assert_string_equal(cfg->desktop_scheme, "jitsi-meet");
	assert_int_equal(cfg->rules.n_features, 0);
	assert_null(cfg->warnings);
	br_config_free(cfg);
}

/* [jitsi] apps and the apps' names; the bypass rules. */
static void test_apps(void **state)
{
	static const struct {
		const char *ini, *err;
	} bad[] = {
	        {BASE "apps = ios browser\n",
	         "bridge.conf:10: [jitsi] apps: expected a list of ios, android, electron, not "
	         "\"browser\""},
	        {BASE "apps = IOS\n",
	         "bridge.conf:10: [jitsi] apps: expected a list of ios, android, electron, not "
	         "\"IOS\""},
	        {BASE "app_scheme = https\n",
	         "bridge.conf:10: [jitsi] app_scheme: expected an app's own URL scheme (a letter, "
	         "then letters, digits, + - or ., at most 64; not http, https, javascript, data, "
	         "file, intent, ...), not \"https\""},
	        {BASE "desktop_scheme = javascript\n",
	         "bridge.conf:10: [jitsi] desktop_scheme: expected an app's own URL scheme (a "
	         "letter, then letters, digits, + - or ., at most 64; not http, https, javascript, "
	         "data, file, intent, ...), not \"javascript\""},
	        {BASE "desktop_scheme = jitsi-meet://\n",
	         "bridge.conf:10: [jitsi] desktop_scheme: expected an app's own URL scheme (a "
	         "letter, then letters, digits, + - or ., at most 64; not http, https, javascript, "
	         "data, file, intent, ...), not \"jitsi-meet://\""},
	        {BASE "android_package = org.jitsi.meet;end\n",
	         "bridge.conf:10: [jitsi] android_package: expected an Android application id (two "
	         "or more dot-separated names of letters, digits and _, each starting with a "
	         "letter), not \"org.jitsi.meet;end\""},
	        {BASE "android_package = meet\n",
	         "bridge.conf:10: [jitsi] android_package: expected an Android application id (two "
	         "or more dot-separated names of letters, digits and _, each starting with a "
	         "letter), not \"meet\""},
	};
	static char *const env[] = {"JITSI_OIDC_BRIDGE_JITSI_APPS=android", NULL};
	struct br_error err;
	struct br_config *cfg = load(BASE "apps = electron  ios\n"
	                                  "app_scheme = com.example.meet+x\n"
	                                  "android_package = com.example.meet_2\n"
	                                  "desktop_scheme = example-meet\n"
	                                  "[rules]\nlobby_bypass = inGroup(\"staff\")\n",
	                             NULL, &err);

	assert_non_null(cfg);
	assert_int_equal(cfg->jitsi_apps,
	                 BR_JITSI_APP_BIT(BR_JITSI_IOS) | BR_JITSI_APP_BIT(BR_JITSI_ELECTRON));
	assert_string_equal(cfg->app_scheme, "com.example.meet+x");
	assert_string_equal(cfg->android_package, "com.example.meet_2");
	assert_string_equal(cfg->desktop_scheme, "example-meet");
	assert_string_equal(cfg->rules.lobby_bypass.text, "inGroup(\"staff\")");
	assert_int_equal(cfg->rules.lobby_bypass.line, 15);
	assert_string_equal(cfg->rules.security_bypass.text, "false");
	br_config_free(cfg);

	cfg = load(BASE, env, &err);
	assert_non_null(cfg);
	assert_int_equal(cfg->jitsi_apps, BR_JITSI_APP_BIT(BR_JITSI_ANDROID));
	br_config_free(cfg);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(load(bad[i].ini, NULL, &err));
		assert_string_equal(err.msg, bad[i].err);
	}
}

/* The Jitsi names at the edges of what is allowed. */
static void test_jitsi_names(void **state)
{
	struct br_error err;
	struct br_config *cfg = load(NO_DOMAIN "domain = meet-1.x0.example.org\n"
	                                       "app_id = urn:jitsi/app@x+y~z\n"
	                                       "audience = my_aud.v2-A\n",
	                             NULL, &err);
	char ini[512];

	assert_non_null(cfg);
	assert_string_equal(cfg->domain, "meet-1.x0.example.org");
	assert_string_equal(cfg->app_id, "urn:jitsi/app@x+y~z");
	assert_string_equal(cfg->audience, "my_aud.v2-A");
	br_config_free(cfg);
	/* 63-character labels pass, 64 do not */
	snprintf(ini, sizeof(ini), NO_DOMAIN "domain = %.63s.org\n",
	         "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop");
	cfg = load(ini, NULL, &err);
	assert_non_null(cfg);
	br_config_free(cfg);
	snprintf(ini, sizeof(ini), NO_DOMAIN "domain = %.64s.org\n",
	         "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop");
	assert_null(load(ini, NULL, &err));
}

static void test_values(void **state)
{
	struct br_error err;
	write_str("ca.pem", "-----BEGIN CERTIFICATE-----\n");
	struct br_config *cfg = load("[server]\n"
	                             "public_url = http://127.0.0.1:8800/\n"
	                             "listen = 127.0.0.1:8800 [::1]:8801  0.0.0.0:80\n"
	                             "workers = 3\n"
	                             "login_timeout = 2d\n"
	                             "admin_allow =\n"
	                             "trusted_proxies = 10.0.0.0/8 fd00::/8\n"
	                             "log_level = debug\n"
	                             "[provider]\n"
	                             "issuer = http://127.0.0.1:9000\n"
	                             "client_id = bridge\n"
	                             "token_endpoint_auth = none\n"
	                             "discovery = off\n"
	                             "authorization_endpoint = http://127.0.0.1:9000/auth\n"
	                             "token_endpoint = http://127.0.0.1:9000/token?x=1\n"
	                             "jwks_uri = http://127.0.0.1:9000/jwks\n"
	                             "userinfo = never\n"
	                             "id_token_algs = RS256 ES256\n"
	                             "clock_skew = 0\n"
	                             "extra_auth_params = kc_idp_hint=github&acr_values=x\n"
	                             "ca_file = ca.pem\n"
	                             "[claims]\n"
	                             "avatar =\n"
	                             "groups = realm_access.roles groups\n"
	                             "[jitsi]\n"
	                             "url = https://meet.example.org/team/\n"
	                             "domain = meet.example.org\n"
	                             "algorithm = RS512\n"
	                             "signing_key = keys/new.pem\n"
	                             "previous_keys = old1.pem /etc/old2.pem\n"
	                             "room = wildcard\n"
	                             "delivery = query\n"
	                             "[rules]\n"
	                             "allow = inGroup(\"jitsi\") ; comment\n"
	                             "[features]\n"
	                             "screen-sharing = true\n"
	                             "recording = inGroup(\"rec\")\n",
	                             NULL, &err);

	assert_non_null(cfg);
	assert_int_equal(cfg->n_listen, 3);
	assert_string_equal(cfg->listen[1].host, "::1");
	assert_string_equal(cfg->listen[1].port, "8801");
	assert_int_equal(cfg->listen[1].addr.ss_family, AF_INET6);
	assert_int_equal(cfg->listen[1].addrlen, sizeof(struct sockaddr_in6));
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&cfg->listen[1].addr)->sin6_port), 8801);
	assert_string_equal(cfg->listen[2].host, "0.0.0.0");
	assert_int_equal(ntohs(((struct sockaddr_in *)&cfg->listen[2].addr)->sin_port), 80);
	assert_string_equal(cfg->public_url, "http://127.0.0.1:8800");
	assert_string_equal(cfg->public_path, "");
	assert_false(cfg->public_https);
	assert_int_equal(cfg->workers, 3);
	assert_int_equal(cfg->login_timeout, 172800);
	assert_int_equal(cfg->admin_allow.n, 0);
	assert_int_equal(cfg->trusted_proxies.n, 2);
	assert_int_equal(cfg->trusted_proxies.items[1].family, AF_INET6);
	assert_int_equal(cfg->trusted_proxies.items[1].prefix, 8);
	assert_int_equal(cfg->log_level, BR_LOG_DEBUG);
	assert_string_equal(cfg->issuer, "http://127.0.0.1:9000");
	assert_null(cfg->client_secret);
	assert_int_equal(cfg->token_endpoint_auth, BR_AUTH_NONE);
	assert_false(cfg->discovery);
	assert_string_equal(cfg->token_endpoint, "http://127.0.0.1:9000/token?x=1");
	assert_int_equal(cfg->userinfo, BR_USERINFO_NEVER);
	assert_string_equal(cfg->id_token_algs, "RS256 ES256");
	assert_int_equal(cfg->clock_skew, 0);
	assert_string_equal(cfg->extra_auth_params, "kc_idp_hint=github&acr_values=x");
	assert_string_equal(cfg->ca_file, "./ca.pem");
	assert_string_equal(cfg->claims.avatar, "");
	assert_string_equal(cfg->claims.groups, "realm_access.roles groups");
	assert_string_equal(cfg->jitsi_url, "https://meet.example.org/team");
	assert_int_equal(cfg->algorithm, BR_ALG_RS512);
	assert_string_equal(cfg->signing_key, "./keys/new.pem");
	assert_string_equal(cfg->previous_keys, "./old1.pem /etc/old2.pem");
	assert_int_equal(cfg->room, BR_ROOM_WILDCARD);
	assert_int_equal(cfg->delivery, BR_DELIVERY_QUERY);
	assert_string_equal(cfg->rules.allow.text, "inGroup(\"jitsi\")");
	assert_int_equal(cfg->rules.allow.line, 34);
	assert_int_equal(cfg->rules.n_features, 2);
	assert_string_equal(cfg->rules.features[0].name, "screen-sharing");
	assert_string_equal(cfg->rules.features[0].text, "true");
	assert_int_equal(cfg->rules.features[0].line, 36);
	assert_string_equal(cfg->rules.features[1].name, "recording");
	assert_int_equal(cfg->rules.features[1].line, 37);
	assert_null(cfg->warnings);
	br_config_free(cfg);
}

static void test_long_rule(void **state)
{
	struct br_error err;
	char ini[sizeof(BASE) + 8000];
	char rule[6001];

	for (size_t i = 0; i < 6000; i++)
		rule[i] = "ab "[i % 3];
	rule[5999] = 'z';
	rule[6000] = '\0';
	snprintf(ini, sizeof(ini), BASE "[rules]\nmoderator = %s\nallow = false\n", rule);
	struct br_config *cfg = load(ini, NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->rules.moderator.text, rule);
	assert_int_equal(cfg->rules.moderator.line, 11);
	assert_int_equal(cfg->rules.allow.line, 12);
	br_config_free(cfg);
}

/* room = wildcard is fine with rules that do not read room; claims["room"]
 * is a claim of that name, not the room. */
static void test_wildcard_rules(void **state)
{
	struct br_error err;
	struct br_config *cfg =
	        load(BASE "[jitsi]\nroom = wildcard\n[rules]\nallow = claims[\"room\"] == \"x\" "
	                  "and tenant == \"acme\"\nmoderator = inGroup(\"m\")\n[features]\n"
	                  "recording = \"room\" in groups\n",
	             NULL, &err);
	if (cfg == NULL)
		fail_msg("%s", err.msg);
	br_config_free(cfg);
	/* A rule that does not parse is reported by the policy, not here. */
	cfg = load(BASE "[jitsi]\nroom = wildcard\n[rules]\nallow = (room\n", NULL, &err);
	assert_non_null(cfg);
	br_config_free(cfg);
}

static void test_env_overrides(void **state)
{
	struct br_error err;
	char cred[200];

	snprintf(cred, sizeof(cred), "CREDENTIALS_DIRECTORY=%s/creds", tmpdir);
	write_str("creds/client", "from-creds\n\n");
	write_str("client", "from-confdir\n");
	char *const env[] = {"PATH=/bin",
	                     "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_ID=env-id",
	                     "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE=client",
	                     "JITSI_OIDC_BRIDGE_SERVER_WORKERS=2",
	                     "JITSI_OIDC_BRIDGE_FEATURES_SCREEN_SHARING=false",
	                     "JITSI_OIDC_BRIDGE_FEATURES_RECORDING=inGroup(\"r\")",
	                     cred,
	                     NULL};
	struct br_config *cfg = load(BASE "[features]\nrecording = true\n", env, &err);

	assert_non_null(cfg);
	assert_string_equal(cfg->client_id, "env-id");
	/* CREDENTIALS_DIRECTORY first; exactly one newline dropped */
	assert_string_equal(cfg->client_secret, "from-creds\n");
	assert_int_equal(cfg->workers, 2);
	assert_int_equal(cfg->rules.n_features, 2);
	assert_string_equal(cfg->rules.features[0].name, "recording");
	assert_string_equal(cfg->rules.features[0].text, "inGroup(\"r\")");
	assert_int_equal(cfg->rules.features[0].line, 0);
	assert_string_equal(cfg->rules.features[1].name, "screen-sharing");
	assert_string_equal(cfg->rules.features[1].text, "false");
	br_config_free(cfg);

	/* not in $CREDENTIALS_DIRECTORY: next to the config file */
	write_str("other", "from-confdir\n");
	char *const env2[] = {cred, "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE=other", NULL};
	cfg = load(BASE, env2, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->client_secret, "from-confdir");
	br_config_free(cfg);

	/* the env replaces either form of a secret from the file */
	char *const env3[] = {"JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET=env-secret", NULL};
	cfg = load(BASE, env3, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->client_secret, "env-secret");
	br_config_free(cfg);

	/* required keys may come from the environment alone */
	char *const env4[] = {"JITSI_OIDC_BRIDGE_SERVER_PUBLIC_URL=https://a.example/",
	                      "JITSI_OIDC_BRIDGE_PROVIDER_ISSUER=https://b.example",
	                      "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_ID=x",
	                      "JITSI_OIDC_BRIDGE_PROVIDER_TOKEN_ENDPOINT_AUTH=none",
	                      "JITSI_OIDC_BRIDGE_JITSI_URL=https://c.example",
	                      "JITSI_OIDC_BRIDGE_JITSI_DOMAIN=c.example",
	                      NULL};
	cfg = load("", env4, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->public_url, "https://a.example");
	assert_string_equal(cfg->domain, "c.example");
	br_config_free(cfg);
}

static void test_secret_files(void **state)
{
	struct br_error err;

	/* A FIFO (or device) as a secret must fail at once, not block start-up
	 * waiting for a writer. */
	unlink("key.fifo");
	assert_int_equal(mkfifo("key.fifo", 0600), 0);
	assert_null(load(BASE "[server]\nstate_key_file = key.fifo\n", NULL, &err));
	assert_string_equal(
	        err.msg,
	        "bridge.conf:11: [server] state_key_file: ./key.fifo is not a regular file");
	assert_null(
	        load(BASE "[jitsi]\nalgorithm = HS256\napp_secret_file = key.fifo\n", NULL, &err));
	assert_string_equal(err.msg, "bridge.conf:12: [jitsi] app_secret_file: ./key.fifo is not a "
	                             "regular file");
	unlink("key.fifo");

	write_str("app.secret", "0123456789abcdef0123456789abcdef\n");
	assert_int_equal(chmod("app.secret", 0644), 0);
	struct br_config *cfg =
	        load(BASE "[jitsi]\nalgorithm = HS256\napp_secret_file = app.secret\n", NULL, &err);
	assert_non_null(cfg);
	assert_int_equal(cfg->algorithm, BR_ALG_HS256);
	assert_int_equal(cfg->app_secret_len, 32);
	assert_memory_equal(cfg->app_secret, "0123456789abcdef0123456789abcdef", 32);
	assert_null(cfg->signing_key);
	assert_false(br_config_alg_is_rsa(cfg->algorithm));
	assert_string_equal(cfg->warnings, "bridge.conf: [jitsi] app_secret_file: ./app.secret is "
	                                   "readable by everyone\n");
	br_config_free(cfg);

	/* 31 bytes after the newline is dropped: too short */
	write_str("short.secret", "0123456789abcdef0123456789abcde\n");
	cfg = load(BASE "[jitsi]\nalgorithm = HS512\napp_secret_file = short.secret\n", NULL, &err);
	assert_null(cfg);
	assert_string_equal(err.msg,
	                    "bridge.conf:12: [jitsi] app_secret_file: too short for HS512: "
	                    "31 bytes, at least 32 needed");

	write_str("empty.secret", "\n");
	cfg = load(
	        "[server]\npublic_url = https://a.example\n[provider]\nissuer = https://b.example\n"
	        "client_id = x\nclient_secret_file = empty.secret\n",
	        NULL, &err);
	assert_null(cfg);
	assert_string_equal(err.msg,
	                    "bridge.conf:6: [provider] client_secret_file: the secret is empty");

	/* the client secret from a file */
	write_str("c.secret", "a b;c");
	assert_int_equal(chmod("c.secret", 0600), 0);
	cfg = load(
	        "[server]\npublic_url = https://a.example\n[provider]\nissuer = https://b.example\n"
	        "client_id = x\nclient_secret_file = c.secret\n[jitsi]\nurl = https://c.example\n"
	        "domain = c.example\n",
	        NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->client_secret, "a b;c");
	assert_null(cfg->warnings); /* from a file: nothing was cut, nothing to warn */
	br_config_free(cfg);
}

static void test_state_key(void **state)
{
#define HEXKEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1F"
	static const char hex[] = HEXKEY;
	unsigned char raw[32], want[32];
	struct br_error err;

	for (int i = 0; i < 32; i++)
		raw[i] = want[i] = (unsigned char)i;
	want[31] = 0x1f;

	static const struct {
		const char *data;
		size_t len;
		const char *err;
	} cases[] = {
	        {(const char *)NULL, 32, NULL}, /* raw bytes, filled below */
	        {hex, 64, NULL},
	        {HEXKEY "\n", 65, NULL},
	        {HEXKEY "\n\n", 66,
	         "bridge.conf:11: [server] state_key_file: ./state.key must hold exactly 32 bytes "
	         "or "
	         "64 hex characters (it holds 66 bytes)"},
	        {"0123456789012345678901234567890", 31,
	         "bridge.conf:11: [server] state_key_file: ./state.key must hold exactly 32 bytes "
	         "or "
	         "64 hex characters (it holds 31 bytes)"},
	        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g", 64,
	         "bridge.conf:11: [server] state_key_file: ./state.key must hold exactly 32 bytes "
	         "or "
	         "64 hex characters (it holds 64 bytes)"},
	        {"", 0,
	         "bridge.conf:11: [server] state_key_file: ./state.key must hold exactly 32 bytes "
	         "or "
	         "64 hex characters (it holds 0 bytes)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file("state.key", cases[i].data ? cases[i].data : (const char *)raw,
		           cases[i].len);
		chmod("state.key", 0600);
		struct br_config *cfg =
		        load(BASE "[server]\nstate_key_file = state.key\n", NULL, &err);
		if (cases[i].err != NULL) {
			assert_null(cfg);
			assert_string_equal(err.msg, cases[i].err);
			continue;
		}
		assert_non_null(cfg);
		assert_false(cfg->state_key_random);
		assert_memory_equal(cfg->state_key, i == 0 ? raw : want, 32);
		assert_null(cfg->warnings);
		br_config_free(cfg);
	}

	/* unset: random, and different each time */
	struct br_config *a = load(BASE, NULL, &err), *b = load(BASE, NULL, &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a->state_key_random);
	assert_memory_not_equal(a->state_key, b->state_key, 32);
	br_config_free(a);
	br_config_free(b);

	/* readable by everyone: a warning */
	write_file("state.key", hex, 64);
	chmod("state.key", 0644);
	a = load(BASE "[server]\nstate_key_file = state.key\n", NULL, &err);
	assert_non_null(a);
	assert_string_equal(a->warnings,
	                    "bridge.conf: [server] state_key_file: ./state.key is readable by "
	                    "everyone\n");
	br_config_free(a);
}

/* A URL is never cut: the public path (routes, cookie paths) and every
 * URL (redirect_uri, endpoints) beyond their limits are refused with
 * FILE:LINE, not truncated into fixed buffers. */
static void test_url_lengths(void **state)
{
	struct br_error err;
	struct br_config *cfg;
	char path[BR_CONFIG_PUBLIC_PATH_MAX + 2], ini[4096 + BR_CONFIG_URL_MAX];
	char url[BR_CONFIG_URL_MAX + 2];

	(void)state;
	/* the longest public path: accepted, and whole */
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[BR_CONFIG_PUBLIC_PATH_MAX] = '\0';
	snprintf(ini, sizeof(ini), BASE "[server]\npublic_url = https://meet.example.org%s\n",
	         path);
	ini[strstr(ini, "public_url = https://meet.example.org/auth/\n") - ini] = '#';
	cfg = load(ini, NULL, &err);
	assert_non_null(cfg);
	assert_int_equal(strlen(cfg->public_path), BR_CONFIG_PUBLIC_PATH_MAX);
	br_config_free(cfg);
	/* one byte more: refused */
	path[BR_CONFIG_PUBLIC_PATH_MAX] = 'a';
	path[BR_CONFIG_PUBLIC_PATH_MAX + 1] = '\0';
	snprintf(ini, sizeof(ini), BASE "[server]\npublic_url = https://meet.example.org%s\n",
	         path);
	ini[strstr(ini, "public_url = https://meet.example.org/auth/\n") - ini] = '#';
	assert_null(load(ini, NULL, &err));
	assert_string_equal(err.msg, "bridge.conf:11: [server] public_url: its path is longer than "
	                             "200 bytes");
	/* a URL of BR_CONFIG_URL_MAX bytes is accepted, one byte more is not */
	memset(url, 'a', sizeof(url));
	memcpy(url, "https://sso.example.org/", 24);
	url[BR_CONFIG_URL_MAX] = '\0';
	snprintf(ini, sizeof(ini), BASE "[provider]\nend_session_endpoint = %s\n", url);
	cfg = load(ini, NULL, &err);
	assert_non_null(cfg);
	assert_int_equal(strlen(cfg->end_session_endpoint), BR_CONFIG_URL_MAX);
	br_config_free(cfg);
	url[BR_CONFIG_URL_MAX] = 'a';
	url[BR_CONFIG_URL_MAX + 1] = '\0';
	snprintf(ini, sizeof(ini), BASE "[provider]\nend_session_endpoint = %s\n", url);
	assert_null(load(ini, NULL, &err));
	assert_string_equal(err.msg, "bridge.conf:11: [provider] end_session_endpoint: is longer "
	                             "than 2048 bytes");
}

static void test_previous_state_key(void **state)
{
	static const char cur[] =
	        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static const char old[] =
	        "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	struct br_error err;
	struct br_config *cfg;

	write_file("state.key", cur, 64);
	write_file("old.key", old, 64);
	chmod("state.key", 0600);
	chmod("old.key", 0600);
	cfg = load(BASE "[server]\nstate_key_file = state.key\nprevious_state_key_file = old.key\n",
	           NULL, &err);
	assert_non_null(cfg);
	assert_true(cfg->has_previous_state_key);
	assert_int_equal(cfg->state_key[0], 0x00);
	assert_int_equal(cfg->previous_state_key[0], 0xff);
	assert_int_equal(cfg->previous_state_key[31], 0x1f);
	br_config_free(cfg);

	/* unset: none */
	cfg = load(BASE "[server]\nstate_key_file = state.key\n", NULL, &err);
	assert_non_null(cfg);
	assert_false(cfg->has_previous_state_key);
	br_config_free(cfg);

	/* a previous key without a current one makes no sense */
	assert_null(load(BASE "[server]\nprevious_state_key_file = old.key\n", NULL, &err));
	assert_non_null(strstr(err.msg, "[server] state_key_file: missing required key"));
	/* the same key twice is a mistake in the roll */
	assert_null(load(BASE "[server]\nstate_key_file = state.key\nprevious_state_key_file = "
	                      "state.key\n",
	                 NULL, &err));
	assert_string_equal(err.msg, "bridge.conf:12: [server] previous_state_key_file: holds the "
	                             "same key as state_key_file");
	/* its own errors name it */
	write_file("old.key", "short", 5);
	assert_null(load(BASE "[server]\nprevious_state_key_file = old.key\n", NULL, &err));
	assert_non_null(strstr(err.msg, "[server] previous_state_key_file: ./old.key must hold"));
}

static void test_inline_mode(void **state)
{
	struct br_error err;
	struct br_config *cfg;

	/* BASE: public_url and the Jitsi url share the origin */
	cfg = load(BASE, NULL, &err);
	assert_non_null(cfg);
	assert_int_equal(cfg->inline_mode, BR_INLINE_AUTO);
	assert_true(cfg->inline_on);
	assert_int_equal(cfg->session_lifetime, 12 * 3600);
	br_config_free(cfg);

	cfg = load(BASE "[jitsi]\ninline = off\n[server]\nsession_lifetime = 2h\n", NULL, &err);
	assert_non_null(cfg);
	assert_int_equal(cfg->inline_mode, BR_INLINE_OFF);
	assert_false(cfg->inline_on);
	assert_int_equal(cfg->session_lifetime, 7200);
	br_config_free(cfg);

	cfg = load("[server]\npublic_url = https://auth.example.org/x\n[provider]\n"
	           "issuer = https://sso.example.org\nclient_id = x\nclient_secret = s\n"
	           "[jitsi]\nurl = https://meet.example.org\ndomain = meet.example.org\n",
	           NULL, &err);
	assert_non_null(cfg);
	assert_false(cfg->inline_on); /* another origin: Jitsi would drop the message */
	br_config_free(cfg);
	cfg = load("[server]\npublic_url = https://meet.example.org/auth\n[provider]\n"
	           "issuer = https://sso.example.org\nclient_id = x\nclient_secret = s\n"
	           "[jitsi]\nurl = https://MEET.example.org:443/\ndomain = meet.example.org\n",
	           NULL, &err);
	assert_non_null(cfg);
	assert_true(cfg->inline_on);
	br_config_free(cfg);

	assert_null(load(BASE "[jitsi]\ninline = on\n", NULL, &err));
	assert_non_null(strstr(err.msg, "[jitsi] inline: expected one of"));
}

static void test_sso_keys(void **state)
{
	struct br_error err;
	struct br_config *cfg;

	/* unset: native SSO off, no redirect URI */
	cfg = load(BASE, NULL, &err);
	assert_non_null(cfg);
	assert_null(cfg->sso_client_id);
	assert_null(cfg->sso_redirect_uri);
	br_config_free(cfg);

	/* set: the redirect URI defaults to Jitsi's sso.html */
	cfg = load(BASE "sso_client_id = jitsi-meet\n", NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->sso_client_id, "jitsi-meet");
	assert_string_equal(cfg->sso_redirect_uri, "https://meet.example.org/static/sso.html");
	br_config_free(cfg);

	cfg = load(BASE "sso_client_id = jitsi-meet\nsso_redirect_uri = https://meet.example.org/"
	                "t/static/sso.html\n",
	           NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->sso_redirect_uri, "https://meet.example.org/t/static/sso.html");
	br_config_free(cfg);

	/* a query would never match what sso.html sends (origin + pathname) */
	assert_null(load(BASE "sso_client_id = x\nsso_redirect_uri = https://meet.example.org/"
	                      "static/sso.html?a=1\n",
	                 NULL, &err));
	assert_non_null(strstr(err.msg, "bridge.conf:11: [jitsi] sso_redirect_uri"));
	/* the client id is a word: it goes into config.js between quotes */
	assert_null(load(BASE "sso_client_id = it's\n", NULL, &err));
	assert_non_null(strstr(err.msg, "bridge.conf:10: [jitsi] sso_client_id"));
}

static void test_warnings(void **state)
{
	struct br_error err;
	struct br_config *cfg =
	        load("[server]\npublic_url = https://meet.example.org\n[provider]\n"
	             "issuer = http://sso.example.org\nclient_id = x\nclient_secret = ab+c ;d\n"
	             "[jitsi]\nurl = https://meet.example.org\ndomain = meet.example.org\n",
	             NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->client_secret, "ab+c");
	assert_string_equal(
	        cfg->warnings,
	        "bridge.conf:4: [provider] issuer: plain http outside this host; use https\n"
	        "bridge.conf:6: [provider] client_secret: the value was cut at \" ;\" (an inline "
	        "comment); if the secret holds \" ;\", use client_secret_file\n"
	        "bridge.conf:6: [provider] client_secret: the secret holds characters outside "
	        "A-Za-z0-9-._~; some providers do not decode them in client_secret_basic: prefer "
	        "an "
	        "unreserved secret or token_endpoint_auth = client_secret_post\n");
	br_config_free(cfg);

	/* a host name that starts with 127. is not this host */
	cfg = load("[server]\npublic_url = https://a.example\n[provider]\n"
	           "issuer = http://127.sso.example.org\nclient_id = x\nclient_secret = ab\n"
	           "[jitsi]\nurl = https://c.example\ndomain = c.example\n",
	           NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(
	        cfg->warnings,
	        "bridge.conf:4: [provider] issuer: plain http outside this host; use https\n");
	br_config_free(cfg);
	cfg = load("[server]\npublic_url = http://127.0.0.1:8800\n[provider]\n"
	           "issuer = http://[::1]:8801\nclient_id = x\nclient_secret = ab\n"
	           "token_endpoint = http://127.0.0.2/t\n"
	           "[jitsi]\nurl = https://c.example\ndomain = c.example\n",
	           NULL, &err);
	assert_non_null(cfg);
	assert_null(cfg->warnings);
	br_config_free(cfg);

	/* client_secret_post: no decoding problem, no warning */
	cfg = load(
	        "[server]\npublic_url = https://a.example\n[provider]\nissuer = https://b.example\n"
	        "client_id = x\nclient_secret = a+b\ntoken_endpoint_auth = client_secret_post\n"
	        "[jitsi]\nurl = https://c.example\ndomain = c.example\n",
	        NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->client_secret, "a+b");
	assert_null(cfg->warnings);
	br_config_free(cfg);
}

/* [pages]: each key's exact error, the files read and checked at load,
 * the accent colour's contrast warning. */
static void test_pages(void **state)
{
	struct br_error err;
	struct br_config *cfg;
	char want[2048], cwd[512];
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	static const unsigned char webp[] = "RIFF\x10\0\0\0WEBPVP8 ";

	/* bridge.conf is in the working directory: its paths resolve to ./x */
	snprintf(cwd, sizeof(cwd), ".");
	write_str("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>");
	write_file("logo.png", png, sizeof(png) - 1);
	write_file("logo.webp", webp, sizeof(webp) - 1);
	write_str("evil.css", "body { color: #222 }\n/* @import in a comment is fine */\n"
	                      "@import 'https://evil.example/x.css';\n");
	write_str("url.css", "a{content:\"url( in a string\"}\nmain {\n background: "
	                     "URL(https://evil.example/x.png)\n}\n");
	write_str("escape.css", "main{background:\\75 rl(x)}\n");
	write_str("ok.css", "main { border-top: 4px solid #0b6e4f } /* url( */\nh1::before "
	                    "{ content: \"\\201C\" }\n");
	size_t big_len = BR_LOOK_LOGO_MAX + 1;
	unsigned char *big = calloc(1, big_len);
	assert_non_null(big);
	memcpy(big, png, 8);
	write_file("big.png", big, big_len);
	free(big);
	assert_int_equal(mkdir("msgs", 0700), 0);
	write_str("msgs/de.ini", "landing.title = Willkommen\nexpired.room = Raum\n");

	static const struct {
		const char *keys;
		const char *want; /* after "bridge.conf:11: [pages] "; %s: the config's directory */
	} bad[] = {
	        {"default_language = klingon",
	         "default_language: not a language tag (like de or pt-br)"},
	        {"default_language = pl",
	         "default_language: no messages for \"pl\" (built in: en de fr es it nl pt; add "
	         "others as <tag>.ini in messages_dir)"},
	        {"accent_colour = red", "accent_colour: not a colour: write #rgb or #rrggbb (e.g. "
	                                "#0b6e4f)"},
	        {"accent_colour = #12345g",
	         "accent_colour: not a colour: write #rgb or #rrggbb (e.g. #0b6e4f)"},
	        {"accent_colour = #1234",
	         "accent_colour: not a colour: write #rgb or #rrggbb (e.g. "
	         "#0b6e4f)"},
	        {"logo = logo.svg", "logo: not a PNG, JPEG or WebP image (by its first bytes; SVG "
	                            "is not accepted: it can carry script)"},
	        {"logo = nope.png", "logo: cannot open %s/nope.png: No such file or directory"},
	        {"logo = big.png", "logo: %s/big.png is too large (more than 262144 bytes)"},
	        {"stylesheet = evil.css",
	         "stylesheet: %s/evil.css:3: @import: the style sheet may not load anything"},
	        {"stylesheet = url.css",
	         "stylesheet: %s/url.css:3: url(), image() and image-set() are not allowed: the "
	         "style sheet may not load anything (the logo has its own key)"},
	        {"stylesheet = escape.css",
	         "stylesheet: %s/escape.css:1: a backslash escape outside a string (it could "
	         "spell url( or @import)"},
	        {"messages_dir = msgs",
	         "messages_dir: %s/msgs/de.ini:2: expired.room: missing placeholder {room} (it "
	         "takes {room})"},
	        {"messages_dir = nothere", "messages_dir: %s/nothere: No such file or directory"},
	        {"organisation = a\x01b", "organisation: must not hold control characters"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char ini[1024], tail[1024];
		snprintf(ini, sizeof(ini), BASE "[pages]\n%s\n", bad[i].keys);
		const char *pct = strstr(bad[i].want, "%s");
		if (pct != NULL)
			snprintf(tail, sizeof(tail), "%.*s%s%s", (int)(pct - bad[i].want),
			         bad[i].want, cwd, pct + 2);
		else
			snprintf(tail, sizeof(tail), "%s", bad[i].want);
		snprintf(want, sizeof(want), "bridge.conf:11: [pages] %s", tail);
		cfg = load(ini, NULL, &err);
		if (cfg != NULL || strcmp(err.msg, want) != 0)
			fprintf(stderr, "case %zu:\n  got  %s\n  want %s\n", i,
			        cfg ? "(loaded)" : err.msg, want);
		assert_null(cfg);
		assert_string_equal(err.msg, want);
	}

	/* defaults: no branding, English, the built-in catalogue */
	cfg = load(BASE, NULL, &err);
	assert_non_null(cfg);
	assert_null(cfg->catalogue);
	assert_int_equal(cfg->default_lang, 0);
	assert_null(cfg->organisation);
	assert_null(cfg->accent);
	assert_null(cfg->logo);
	assert_null(cfg->css);
	br_config_free(cfg);

	/* everything set */
	write_str("msgs/de.ini", "landing.title = Willkommen\n");
	cfg = load(BASE "[pages]\nmessages_dir = msgs\ndefault_language = DE\n"
	                "organisation = Beispiel-Universität\nlogo = logo.webp\n"
	                "accent_colour = #06A\nstylesheet = ok.css\nsupport = Hotline 1234\n",
	           NULL, &err);
	if (cfg == NULL)
		fail_msg("%s", err.msg);
	assert_non_null(cfg->catalogue);
	assert_string_equal(br_catalogue_tag(cfg->catalogue, cfg->default_lang), "de");
	assert_string_equal(
	        br_catalogue_text(cfg->catalogue, cfg->default_lang, BR_MSG_LANDING_TITLE),
	        "Willkommen");
	assert_string_equal(cfg->organisation, "Beispiel-Universität");
	assert_string_equal(cfg->logo_type, "image/webp");
	assert_int_equal(cfg->logo_len, sizeof(webp) - 1);
	assert_memory_equal(cfg->logo, webp, sizeof(webp) - 1);
	assert_string_equal(cfg->accent, "#0066aa");
	assert_non_null(cfg->css);
	assert_int_equal(cfg->css_len, strlen(cfg->css));
	assert_string_equal(cfg->support, "Hotline 1234");
	assert_null(cfg->warnings);
	br_config_free(cfg);

	/* a PNG; an accent too light to read: the exact warning */
	cfg = load(BASE "[pages]\nlogo = logo.png\naccent_colour = #ffcc00\n", NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->logo_type, "image/png");
	assert_string_equal(cfg->warnings,
	                    "bridge.conf:12: [pages] accent_colour: #ffcc00 has a contrast of "
	                    "1.51:1 with the white page and the button's white text; WCAG 2 AA "
	                    "asks for at least 4.5:1 (choose a darker colour)\n");
	br_config_free(cfg);
	/* just below and just above the line */
	cfg = load(BASE "[pages]\naccent_colour = #777777\n", NULL, &err);
	assert_non_null(cfg);
	assert_non_null(cfg->warnings);
	assert_non_null(strstr(cfg->warnings, "a contrast of 4.48:1"));
	br_config_free(cfg);
	cfg = load(BASE "[pages]\naccent_colour = #767676\n", NULL, &err);
	assert_non_null(cfg);
	assert_null(cfg->warnings);
	br_config_free(cfg);

	/* from the environment */
	char *const env[] = {"JITSI_OIDC_BRIDGE_PAGES_ORGANISATION=Acme",
	                     "JITSI_OIDC_BRIDGE_PAGES_DEFAULT_LANGUAGE=it", NULL};
	cfg = load(BASE, env, &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->organisation, "Acme");
	assert_string_equal(br_catalogue_tag(br_catalogue_builtin(), cfg->default_lang), "it");
	br_config_free(cfg);
}

/* "loopback" is decided by address parsing, never by a prefix. */
static void test_duration(void **state)
{
	static const struct {
		const char *s;
		long want;
	} cases[] = {
	        {"30", 30},
	        {"30s", 30},
	        {"10m", 600},
	        {"1h", 3600},
	        {"2d", 172800},
	        {"0", 0},
	        {"", -1},
	        {"s", -1},
	        {"-5", -1},
	        {"5 m", -1},
	        {"5ms", -1},
	        {"1w", -1},
	        {"1.5h", -1},
	        {" 5", -1},
	        {"3650d", 315360000},
	        {"3651d", -1},
	        {"99999999999999999999", -1},
	        {"10M", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(br_config_parse_duration(cases[i].s), cases[i].want);
	assert_int_equal(br_config_parse_duration(NULL), -1);
}

static void test_cidr_match(void **state)
{
	struct br_error err;
	struct br_config *cfg = load(BASE "[server]\nadmin_allow = 127.0.0.1 ::1 10.0.0.0/8 "
	                                  "fd00::/8 192.168.1.128/25\n",
	                             NULL, &err);
	assert_non_null(cfg);
	assert_int_equal(cfg->admin_allow.n, 5);

	static const struct {
		const char *addr;
		bool want;
	} cases[] = {
	        {"127.0.0.1", true},        {"127.0.0.2", false},    {"10.1.2.3", true},
	        {"11.0.0.1", false},        {"::1", true},           {"::2", false},
	        {"fd12:3456::1", true},     {"fe80::1", false},      {"::ffff:10.9.9.9", true},
	        {"::ffff:11.0.0.1", false}, {"192.168.1.200", true}, {"192.168.1.100", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sockaddr_storage ss;
		memset(&ss, 0, sizeof(ss));
		if (strchr(cases[i].addr, ':') != NULL) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			s6->sin6_family = AF_INET6;
			assert_int_equal(inet_pton(AF_INET6, cases[i].addr, &s6->sin6_addr), 1);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			s4->sin_family = AF_INET;
			assert_int_equal(inet_pton(AF_INET, cases[i].addr, &s4->sin_addr), 1);
		}
		if (br_addr_list_match(&cfg->admin_allow, (struct sockaddr *)&ss) != cases[i].want)
			fprintf(stderr, "case %s\n", cases[i].addr);
		assert_int_equal(br_addr_list_match(&cfg->admin_allow, (struct sockaddr *)&ss),
		                 cases[i].want);
	}
	/* the empty list matches nobody */
	struct sockaddr_in lo = {.sin_family = AF_INET};
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_false(br_addr_list_match(&cfg->trusted_proxies, (struct sockaddr *)&lo));
	assert_true(br_addr_list_match(&cfg->admin_allow, (struct sockaddr *)&lo));
	br_config_free(cfg);

	cfg = load(BASE "[server]\nadmin_allow = 0.0.0.0/0\n", NULL, &err);
	assert_non_null(cfg);
	lo.sin_addr.s_addr = htonl(0xC0000201);
	assert_true(br_addr_list_match(&cfg->admin_allow, (struct sockaddr *)&lo));
	br_config_free(cfg);
}

static void test_alg(void **state)
{
	static const struct {
		enum br_jitsi_alg alg;
		const char *name;
		bool rsa;
	} cases[] = {
	        {BR_ALG_RS256, "RS256", true},  {BR_ALG_RS384, "RS384", true},
	        {BR_ALG_RS512, "RS512", true},  {BR_ALG_HS256, "HS256", false},
	        {BR_ALG_HS384, "HS384", false}, {BR_ALG_HS512, "HS512", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(br_config_alg_name(cases[i].alg), cases[i].name);
		assert_int_equal(br_config_alg_is_rsa(cases[i].alg), cases[i].rsa);
	}
}

/* --- generated files --------------------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 > cap) {
			cap = n + 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void check_generated(const char *rel, void (*gen)(FILE *))
{
	const char *srcdir = getenv("BR_SRCDIR");
	char path[4096];
	char *want = NULL;
	size_t want_len = 0, got_len = 0;
	char *got = NULL;

	/* make check sets it; without it the drift would go unseen. */
	if (srcdir == NULL)
		fail_msg("BR_SRCDIR is not set (run the test through make check)");
	snprintf(path, sizeof(path), "%s/%s", srcdir, rel);
	FILE *m = open_memstream(&got, &got_len);
	assert_non_null(m);
	gen(m);
	fclose(m);
	want = read_all(path, &want_len);
	if (want == NULL || want_len != got_len || memcmp(want, got, got_len) != 0)
		fprintf(stderr, "%s differs from the key table: run make config-docs\n", rel);
	assert_non_null(want);
	assert_int_equal(want_len, got_len);
	assert_memory_equal(want, got, got_len);
	free(want);
	free(got);
}

static void test_example_in_sync(void **state)
{
	check_generated("etc/bridge.conf.example", br_config_write_example);
}

static void test_man_in_sync(void **state)
{
	check_generated("docs/bridge.conf.5", br_config_write_man);
}

static void test_example_loads(void **state)
{
	const char *srcdir = getenv("BR_SRCDIR");
	char path[4096];
	struct br_error err;

	/* make check sets it; without it the drift would go unseen. */
	if (srcdir == NULL)
		fail_msg("BR_SRCDIR is not set (run the test through make check)");
	snprintf(path, sizeof(path), "%s/etc/bridge.conf.example", srcdir);
	char *const env[] = {
	        "JITSI_OIDC_BRIDGE_SERVER_PUBLIC_URL=https://meet.example.org/auth",
	        "JITSI_OIDC_BRIDGE_PROVIDER_ISSUER=https://sso.example.org/realms/acme",
	        "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_ID=jitsi",
	        "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET=s3cret",
	        "JITSI_OIDC_BRIDGE_JITSI_URL=https://meet.example.org",
	        "JITSI_OIDC_BRIDGE_JITSI_DOMAIN=meet.example.org",
	        NULL};
	struct br_config *cfg = br_config_load(path, env, &err);
	if (cfg == NULL)
		fprintf(stderr, "%s\n", err.msg);
	assert_non_null(cfg);
	assert_string_equal(cfg->public_path, "/auth");
	assert_int_equal(cfg->login_timeout, 600);
	assert_int_equal(cfg->rules.n_features, 0);
	assert_null(cfg->warnings);
	br_config_free(cfg);

	/* without the environment, the first required key is missing */
	assert_null(br_config_load(path, (char *const[]){NULL}, &err));
	snprintf(path, sizeof(path),
	         "%s/etc/bridge.conf.example: [server] public_url: missing "
	         "required key",
	         srcdir);
	assert_string_equal(err.msg, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_bad, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_file_contents, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_apps, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_jitsi_names, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_long_rule, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_wildcard_rules, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_env_overrides, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_secret_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_state_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_url_lengths, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_previous_state_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_inline_mode, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sso_keys, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
	        cmocka_unit_test(test_duration),
	        cmocka_unit_test_setup_teardown(test_cidr_match, setup, teardown),
	        cmocka_unit_test(test_alg),
	        cmocka_unit_test(test_example_in_sync),
	        cmocka_unit_test(test_man_in_sync),
	        cmocka_unit_test(test_example_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
