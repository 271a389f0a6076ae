/*
 * rssfloor - the resident-memory floor of the bridge's libraries: a process
 * linked with exactly the libraries the bridge links (Makefile.am gives it
 * DEP_LIBS) that does the same global start-up the bridge does before it
 * reads its config (locale, OpenSSL and libcurl initialisation, an event
 * base, a curl multi handle), then prints its VmRSS, RssAnon and RssFile
 * in KiB on one line and exits.  bench/callback.sh compares the bridge's
 * idle RSS with it: whatever the bridge adds to this floor is its own.
 */
#include "config.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <jansson.h>
#include <locale.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

static long status_kib(const char *field)
{
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			sscanf(line + n + 1, "%ld", &v);
	fclose(f);
	return v;
}

int main(void)
{
	struct event_base *base;
	struct evhttp *http;
	CURLM *multi;
	json_t *j;

	setlocale(LC_CTYPE, "C.UTF-8");
	evthread_use_pthreads();
	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	base = event_base_new();
	http = base ? evhttp_new(base) : NULL;
	multi = curl_multi_init();
	j = json_loads("{\"floor\":true}", 0, NULL);
	if (http == NULL || multi == NULL || j == NULL)
		return 1;
	printf("VmRSS %ld RssAnon %ld RssFile %ld\n", status_kib("VmRSS"), status_kib("RssAnon"),
	       status_kib("RssFile"));
	json_decref(j);
	curl_multi_cleanup(multi);
	evhttp_free(http);
	event_base_free(base);
	curl_global_cleanup();
	return 0;
}
