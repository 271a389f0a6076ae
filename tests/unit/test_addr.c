/* test_addr.c - numeric addresses: listen addresses, networks, address
 * list matching and the loopback test for URLs. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "bridge/addr.h"

static void test_url_loopback(void **state)
{
	static const struct {
		const char *url;
		bool loopback;
	} cases[] = {
	        {"http://127.0.0.1", true},
	        {"http://127.0.0.1:8080/x", true},
	        {"https://127.255.1.2/", true},
	        {"http://[::1]:8080/x", true},
	        {"http://[::1]", true},
	        {"http://127.sso.example.org", false},
	        {"http://127.0.0.1.nip.io/", false},
	        {"http://127.1/", false},
	        {"http://localhost:8080/", false},
	        {"http://128.0.0.1/", false},
	        {"http://[::2]/", false},
	        {"http://[::ffff:127.0.0.1]/", false},
	        {"http://user@127.0.0.1/", false},
	        {"http://[::1/", false},
	        {"ftp://127.0.0.1/", false},
	        {"http://", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (br_addr_url_is_loopback(cases[i].url) != cases[i].loopback)
			fail_msg("%s: want %s", cases[i].url, cases[i].loopback ? "true" : "false");
}

static void test_listen(void **state)
{
	static const struct {
		const char *tok;
		const char *why; /* NULL: accepted */
		const char *host, *port;
		int family;
	} cases[] = {
	        {"127.0.0.1:8800", NULL, "127.0.0.1", "8800", AF_INET},
	        {"0.0.0.0:80", NULL, "0.0.0.0", "80", AF_INET},
	        {"[::1]:8800", NULL, "::1", "8800", AF_INET6},
	        {"[fd00::1]:65535", NULL, "fd00::1", "65535", AF_INET6},
	        {"127.0.0.1", "expected address:port", NULL, NULL, 0},
	        {"::1:8800", "an IPv6 address needs brackets: [::1]:8800", NULL, NULL, 0},
	        {"[::1]8800", "expected [IPv6]:port", NULL, NULL, 0},
	        {"[]:80", "invalid address", NULL, NULL, 0},
	        {":80", "invalid address", NULL, NULL, 0},
	        {"127.0.0.1:", "invalid port", NULL, NULL, 0},
	        {"127.0.0.1:0", "invalid port", NULL, NULL, 0},
	        {"127.0.0.1:65536", "invalid port", NULL, NULL, 0},
	        {"127.0.0.1:123456", "invalid port", NULL, NULL, 0},
	        {"127.0.0.1:8x", "invalid port", NULL, NULL, 0},
	        {"localhost:80", "not a numeric IP address (host names are not resolved)", NULL,
	         NULL, 0},
	        {"[127.0.0.1]:80", "not a numeric IP address (host names are not resolved)", NULL,
	         NULL, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_listen l;
		const char *why = NULL;
		int rc = br_addr_parse_listen(cases[i].tok, &l, &why);
		if (cases[i].why == NULL) {
			if (rc != 0)
				fail_msg("%s: refused: %s", cases[i].tok, why);
			assert_string_equal(l.host, cases[i].host);
			assert_string_equal(l.port, cases[i].port);
			assert_int_equal(l.addr.ss_family, cases[i].family);
			assert_int_equal(l.addrlen, cases[i].family == AF_INET
			                                    ? sizeof(struct sockaddr_in)
			                                    : sizeof(struct sockaddr_in6));
		} else {
			if (rc == 0)
				fail_msg("%s: accepted", cases[i].tok);
			assert_string_equal(why, cases[i].why);
		}
	}
}

static void test_cidr_parse(void **state)
{
	static const struct {
		const char *tok;
		const char *why; /* NULL: accepted */
		int family;
		unsigned prefix;
	} cases[] = {
	        {"127.0.0.1", NULL, AF_INET, 32},
	        {"10.0.0.0/8", NULL, AF_INET, 8},
	        {"0.0.0.0/0", NULL, AF_INET, 0},
	        {"::1", NULL, AF_INET6, 128},
	        {"fd00::/8", NULL, AF_INET6, 8},
	        {"10.0.0.1/8", "10.0.0.1/8 has host bits set beyond /8", 0, 0},
	        {"fd00::1/8", "fd00::1/8 has host bits set beyond /8", 0, 0},
	        {"10.0.0.0/33", "invalid prefix length in 10.0.0.0/33", 0, 0},
	        {"10.0.0.0/", "invalid prefix length in 10.0.0.0/", 0, 0},
	        {"10.0.0.0/8x", "invalid prefix length in 10.0.0.0/8x", 0, 0},
	        {"::/129", "invalid prefix length in ::/129", 0, 0},
	        {"/8", "invalid address /8", 0, 0},
	        {"example.org", "invalid address example.org (numeric IPv4 or IPv6 expected)", 0,
	         0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct br_cidr c;
		char why[200] = "";
		int rc = br_addr_parse_cidr(cases[i].tok, &c, why, sizeof(why));
		if (cases[i].why == NULL) {
			if (rc != 0)
				fail_msg("%s: refused: %s", cases[i].tok, why);
			assert_int_equal(c.family, cases[i].family);
			assert_int_equal(c.prefix, cases[i].prefix);
		} else {
			if (rc == 0)
				fail_msg("%s: accepted", cases[i].tok);
			assert_string_equal(why, cases[i].why);
		}
	}
}

static bool match(const struct br_cidr_list *list, const char *addr)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, addr, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, addr, &s4->sin_addr), 1);
	}
	return br_addr_list_match(list, (struct sockaddr *)&ss);
}

static void test_list_match(void **state)
{
	static const char *const nets[] = {"10.0.0.0/8", "192.168.1.128/25", "fd00::/8",
	                                   "2001:db8::1"};
	struct br_cidr items[4];
	struct br_cidr_list list = {items, 4}, empty = {NULL, 0};
	char why[200];

	for (size_t i = 0; i < 4; i++)
		assert_int_equal(br_addr_parse_cidr(nets[i], &items[i], why, sizeof(why)), 0);
	assert_true(match(&list, "10.255.0.1"));
	assert_false(match(&list, "11.0.0.1"));
	assert_true(match(&list, "192.168.1.128"));
	assert_true(match(&list, "192.168.1.255"));
	assert_false(match(&list, "192.168.1.127"));
	assert_true(match(&list, "fdff::1"));
	assert_false(match(&list, "fe00::1"));
	assert_true(match(&list, "2001:db8::1"));
	assert_false(match(&list, "2001:db8::2"));
	assert_true(match(&list, "::ffff:10.1.1.1")); /* a dual-stack listener's IPv4 peer */
	assert_false(match(&list, "::ffff:11.1.1.1"));
	assert_false(match(&empty, "10.0.0.1"));
	assert_false(br_addr_list_match(NULL, NULL));
	struct sockaddr unix_sa = {.sa_family = AF_UNIX};
	assert_false(br_addr_list_match(&list, &unix_sa));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_url_loopback),
	        cmocka_unit_test(test_listen),
	        cmocka_unit_test(test_cidr_parse),
	        cmocka_unit_test(test_list_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
