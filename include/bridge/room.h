/*
 * room.h - room names and tenants, in the forms Jitsi uses.
 *
 * A room arrives as typed by a person (or from Jitsi's {state}).  Jitsi's web
 * app sends the backend its getBackendSafeRoomName(): percent-decode, NFKC,
 * Unicode lower-case, encodeURIComponent.  The token's room claim must be
 * that form ("My Room" -> "my%20room"); rules see the readable form
 * ("my room"); the redirect uses encodeURIComponent of the room as typed.
 */
#ifndef BR_ROOM_H
#define BR_ROOM_H

#include <stdbool.h>

#include "bridge/error.h"

#define BR_ROOM_MAX_BYTES 200
/* Longest backend (token) form: XMPP's limit on a JID's localpart. */
#define BR_ROOM_MAX_BACKEND_BYTES 1023

struct br_room {
	char *typed;    /* the room as given (already percent-decoded once by the query parser) */
	char *readable; /* NFKC + lower-case: what rules see */
	char *backend;  /* encodeURIComponent(readable): the token's room claim */
	char *url_path; /* encodeURIComponent(typed): the redirect's last path segment */
};

/* Validates and normalises a room name.  Refuses (BR_E_INVALID, with a
 * message fit for a page) empty, > 200 bytes, invalid UTF-8, control
 * characters, '/', '\', '?', '#'. */
int br_room_parse(const char *typed, struct br_room *room, struct br_error *err);
void br_room_clear(struct br_room *room);

/* [A-Za-z0-9._-]{1,63}, not "." or "..". */
bool br_tenant_valid(const char *tenant);

/* Validates tenant and lower-cases it in place: the one form the rules, the
 * token's sub, the audit log and the redirect use (Prosody compares the
 * tenant case-insensitively, so a rule must never see another case than the
 * token carries).  Returns false, leaving tenant as it was, when invalid. */
bool br_tenant_normalize(char *tenant);

#endif
