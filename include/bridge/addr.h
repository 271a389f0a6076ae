/*
 * addr.h - numeric IP addresses: listen addresses, networks and address
 * lists (CIDR), and the loopback test for URLs.
 *
 * Used by the configuration loader (parsing) and by httpd on every request
 * (matching the peer against admin_allow and trusted_proxies).  Nothing here
 * resolves a host name.
 */
#ifndef BR_ADDR_H
#define BR_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* One address to listen on: "127.0.0.1:8800" or "[::1]:8800". */
struct br_listen {
	char host[64]; /* numeric address without brackets */
	char port[8];
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

/* One entry of an address list such as admin_allow: address/prefix. */
struct br_cidr {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned int prefix;
};

/* A list of networks; items is owned by whoever built the list (the config
 * frees its own). */
struct br_cidr_list {
	struct br_cidr *items;
	size_t n;
};

/* Parses one listen address, "a.b.c.d:port" or "[v6]:port", numeric only.
 * Returns 0 and fills *l, or -1 with *why set to a static text. */
int br_addr_parse_listen(const char *tok, struct br_listen *l, const char **why);

/* Parses one network, "addr" or "addr/prefix" (IPv4 or IPv6); host bits
 * beyond the prefix are refused.  Returns 0 and fills *c, or -1 with why
 * (whylen bytes) telling what is wrong, quoting tok. */
int br_addr_parse_cidr(const char *tok, struct br_cidr *c, char *why, size_t whylen);

/* Whether addr (AF_INET/AF_INET6 sockaddr) is in the list; an IPv4-mapped
 * IPv6 peer (::ffff:a.b.c.d) matches IPv4 entries.  False for NULL. */
bool br_addr_list_match(const struct br_cidr_list *list, const struct sockaddr *addr);

/* Whether url (http:// or https://) names a loopback IP literal as its
 * host: an IPv4 address in 127.0.0.0/8 in dotted-quad form, or [::1].  Real
 * address parsing (inet_pton), never a string prefix: 127.sso.example.org
 * and localhost are host names, which DNS or /etc/hosts may point anywhere.
 * The one place the bridge decides "loopback" for a URL. */
bool br_addr_url_is_loopback(const char *url);

#endif
