/*
 * oidc.h - the login flow's handlers: /login, /callback, /logout, and the
 * parser of the token response (Jitsi's {state} is jitsi.c's).
 */
#ifndef BR_OIDC_H
#define BR_OIDC_H

#include <stdbool.h>
#include <stddef.h>

#include "bridge/error.h"
#include "bridge/httpd.h"
#include "bridge/jitsi.h"

#define BR_OIDC_TOKEN_RESPONSE_MAX (256 * 1024)

void br_oidc_login(struct br_req *r);
void br_oidc_callback(struct br_req *r);
void br_oidc_logout(struct br_req *r);
/* Jitsi's native SSO ([jitsi] sso_client_id set; sso.h): GET P/authorize
 * and POST P/token. */
void br_oidc_authorize(struct br_req *r);
void br_oidc_token(struct br_req *r);

/* The routes above, for br_httpd_new(): P/login, P/callback, P/logout
 * (GET only), P/authorize (GET) and P/token (POST) with sso_client_id. */
extern const struct br_route br_oidc_routes[];
extern const size_t br_oidc_n_routes;

/* What a /login request asks for: Jitsi's {state} (state_q, may be NULL)
 * parsed into *js (br_jitsi_state_parse(); zeroed without a state; release
 * with br_jitsi_state_clear(), also on failure), the room (the query's
 * room, else the state's) and the tenant (likewise; NULL when none), as new
 * strings.  The room must parse (br_room_parse) and the tenant must be
 * valid; the tenant is returned lower-cased, the form the login state, the
 * rules, the token, the audit log and the redirect all use.  -1 with
 * BR_E_INVALID (a message fit for a page) or BR_E_NOMEM otherwise. */
int br_oidc_login_target(const char *room_q, const char *tenant_q, const char *state_q, char **room,
                         char **tenant, struct br_jitsi_state *js, struct br_error *err);

/* Parses a token endpoint response of the given HTTP status and media type.
 * On success returns 0 with the id_token and access_token (new strings;
 * access_token may be NULL).  On failure -1 with BR_E_PROTOCOL and, when the
 * provider sent an OAuth error, its code in the message. */
int br_oidc_parse_token_response(long status, const char *content_type, const char *body,
                                 size_t len, char **id_token, char **access_token,
                                 struct br_error *err);

/* What a token endpoint answered.  All owned, NULL when absent. */
struct br_oidc_tokens {
	char *id_token;
	char *access_token;
	char *refresh_token;
};

/* Parses a token endpoint response like br_oidc_parse_token_response(),
 * and also keeps the refresh_token.  refresh: the answer to a refresh_token
 * grant, which may leave out the id_token (OIDC Core 12.2) but then needs
 * an access_token (for userinfo).  Release out with br_oidc_tokens_clear(). */
int br_oidc_parse_tokens(long status, const char *content_type, const char *body, size_t len,
                         bool refresh, struct br_oidc_tokens *out, struct br_error *err);

/* Wipes and frees what t holds. */
void br_oidc_tokens_clear(struct br_oidc_tokens *t);

#endif
