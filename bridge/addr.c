/*
 * addr.c - numeric addresses: listen addresses, networks (CIDR) and the
 * loopback test for URLs (see addr.h).
 *
 * The configuration loader parses with these; httpd matches every request's
 * peer against the lists (admin_allow, trusted_proxies).  Nothing here
 * resolves a name.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "bridge/addr.h"

int br_addr_parse_listen(const char *tok, struct br_listen *l, const char **why)
{
	char host[64];
	const char *port;
	size_t hlen;

	if (tok[0] == '[') {
		const char *rb = strchr(tok, ']');
		if (rb == NULL || rb[1] != ':') {
			*why = "expected [IPv6]:port";
			return -1;
		}
		hlen = (size_t)(rb - tok - 1);
		if (hlen == 0 || hlen >= sizeof(host)) {
			*why = "invalid address";
			return -1;
		}
		memcpy(host, tok + 1, hlen);
		port = rb + 2;
	} else {
		const char *c = strchr(tok, ':');
		if (c == NULL) {
			*why = "expected address:port";
			return -1;
		}
		if (strchr(c + 1, ':') != NULL) {
			*why = "an IPv6 address needs brackets: [::1]:8800";
			return -1;
		}
		hlen = (size_t)(c - tok);
		if (hlen == 0 || hlen >= sizeof(host)) {
			*why = "invalid address";
			return -1;
		}
		memcpy(host, tok, hlen);
		port = c + 1;
	}
	host[hlen] = '\0';
	size_t plen = strlen(port);
	long pv = 0;
	if (plen == 0 || plen > 5) {
		*why = "invalid port";
		return -1;
	}
	for (size_t i = 0; i < plen; i++) {
		if (!isdigit((unsigned char)port[i])) {
			*why = "invalid port";
			return -1;
		}
		pv = pv * 10 + (port[i] - '0');
	}
	if (pv < 1 || pv > 65535) {
		*why = "invalid port";
		return -1;
	}
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = tok[0] == '[' ? AF_INET6 : AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(host, port, &hints, &res) != 0 || res == NULL) {
		*why = "not a numeric IP address (host names are not resolved)";
		return -1;
	}
	memset(l, 0, sizeof(*l));
	memcpy(l->host, host, hlen + 1);
	memcpy(l->port, port, plen + 1);
	memcpy(&l->addr, res->ai_addr, res->ai_addrlen);
	l->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int br_addr_parse_cidr(const char *tok, struct br_cidr *c, char *why, size_t whylen)
{
	char addr[64];
	const char *slash = strchr(tok, '/');
	size_t alen = slash != NULL ? (size_t)(slash - tok) : strlen(tok);

	if (alen == 0 || alen >= sizeof(addr)) {
		snprintf(why, whylen, "invalid address %.80s", tok);
		return -1;
	}
	memcpy(addr, tok, alen);
	addr[alen] = '\0';
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, addr, c->addr) == 1) {
		c->family = AF_INET;
		c->prefix = 32;
	} else if (inet_pton(AF_INET6, addr, c->addr) == 1) {
		c->family = AF_INET6;
		c->prefix = 128;
	} else {
		snprintf(why, whylen, "invalid address %.80s (numeric IPv4 or IPv6 expected)", tok);
		return -1;
	}
	if (slash != NULL) {
		const char *p = slash + 1;
		unsigned v = 0;
		size_t n = strlen(p);
		if (n == 0 || n > 3) {
			snprintf(why, whylen, "invalid prefix length in %.80s", tok);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			if (!isdigit((unsigned char)p[i])) {
				snprintf(why, whylen, "invalid prefix length in %.80s", tok);
				return -1;
			}
			v = v * 10 + (unsigned)(p[i] - '0');
		}
		if (v > c->prefix) {
			snprintf(why, whylen, "invalid prefix length in %.80s", tok);
			return -1;
		}
		c->prefix = v;
	}
	/* Host bits beyond the prefix usually mean a typo in the network. */
	size_t bytes = c->family == AF_INET ? 4 : 16;
	for (size_t i = 0; i < bytes; i++) {
		unsigned bit0 = (unsigned)i * 8;
		unsigned char mask;
		if (bit0 + 8 <= c->prefix)
			mask = 0xff;
		else if (bit0 >= c->prefix)
			mask = 0;
		else
			mask = (unsigned char)(0xff << (8 - (c->prefix - bit0)));
		if (c->addr[i] & (unsigned char)~mask) {
			snprintf(why, whylen, "%.80s has host bits set beyond /%u", tok, c->prefix);
			return -1;
		}
	}
	return 0;
}

static bool cidr_match_bytes(const struct br_cidr *c, const unsigned char *a)
{
	unsigned full = c->prefix / 8, rest = c->prefix % 8;

	if (memcmp(c->addr, a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (c->addr[full] & mask) == (a[full] & mask);
}

bool br_addr_list_match(const struct br_cidr_list *list, const struct sockaddr *addr)
{
	unsigned char v4[4], v6[16];
	bool has4 = false, has6 = false;

	if (list == NULL || addr == NULL)
		return false;
	if (addr->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)addr;
		memcpy(v4, &s->sin_addr, 4);
		has4 = true;
	} else if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)addr;
		memcpy(v6, &s->sin6_addr, 16);
		has6 = true;
		/* A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d. */
		if (IN6_IS_ADDR_V4MAPPED(&s->sin6_addr)) {
			memcpy(v4, v6 + 12, 4);
			has4 = true;
		}
	} else {
		return false;
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct br_cidr *c = &list->items[i];
		if (c->family == AF_INET && has4 && cidr_match_bytes(c, v4))
			return true;
		if (c->family == AF_INET6 && has6 && cidr_match_bytes(c, v6))
			return true;
	}
	return false;
}

bool br_addr_url_is_loopback(const char *url)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *h, *end;
	size_t n;

	if (strncmp(url, "https://", 8) == 0)
		h = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		h = url + 7;
	else
		return false;
	n = strcspn(h, "/?#");
	if (memchr(h, '@', n) != NULL)
		return false; /* user information: never a plain host */
	if (h[0] == '[') {
		struct in6_addr a6;
		end = memchr(h, ']', n);
		if (end == NULL || (size_t)(end - h - 1) >= sizeof(host))
			return false;
		memcpy(host, h + 1, (size_t)(end - h - 1));
		host[end - h - 1] = '\0';
		return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
	}
	end = memchr(h, ':', n);
	if (end != NULL)
		n = (size_t)(end - h);
	if (n == 0 || n >= sizeof(host))
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	{
		struct in_addr a4;
		return inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
	}
}
