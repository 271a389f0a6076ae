/*
 * config_doc.c - the example config and bridge.conf(5), written from the
 * key table (config_keys.h) so that neither can drift from what the loader
 * accepts (make config-docs; test_config compares them with the files in
 * the tree).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bridge/configuration.h"

#include "config_keys.h"

void br_config_write_example(FILE *out)
{
	fputs("# bridge.conf - jitsi-oidc-bridge configuration, see bridge.conf(5).\n"
	      "#\n"
	      "# Generated from the key table in bridge/configuration.c (make config-docs): every "
	      "key\n"
	      "# with its default.  Keys shown commented out have no default; the ones marked\n"
	      "# (required) must be set here or in the environment as\n"
	      "# JITSI_OIDC_BRIDGE_<SECTION>_<KEY>.  A ';' after a space starts a comment, so\n"
	      "# give secrets that may hold \" ;\" as <key>_file = PATH.\n",
	      out);
	for (size_t s = 0; s < br_config_n_sections; s++) {
		fprintf(out, "\n[%s]\n; %s\n", br_config_sections[s].name,
		        br_config_sections[s].doc);
		for (size_t i = 0; i < br_config_n_keys; i++) {
			const struct br_config_key *k = &br_config_keys[i];
			if (strcmp(k->section, br_config_sections[s].name) != 0)
				continue;
			fprintf(out, "\n; %s%s\n", k->doc,
			        (k->flags & F_REQUIRED) ? " (required)" : "");
			if (k->def != NULL && k->def[0] != '\0')
				fprintf(out, "%s = %s\n", k->name, k->def);
			else if (k->def != NULL)
				fprintf(out, "%s =\n", k->name);
			else
				fprintf(out, ";%s =%s%s\n", k->name, k->example ? " " : "",
				        k->example ? k->example : "");
		}
	}
	fputs(";recording = inGroup(\"jitsi-recorders\")\n"
	      ";livestreaming = false\n"
	      ";screen-sharing = true\n"
	      ";transcription = inGroup(\"staff\")\n",
	      out);
}

/* Writes s escaped for roff text. */
static void man_text(FILE *out, const char *s)
{
	bool bol = true;

	for (; *s != '\0'; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", out);
		bol = false;
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

static void man_par(FILE *out, const char *s)
{
	man_text(out, s);
	fputc('\n', out);
}

void br_config_write_man(FILE *out)
{
	fputs(".\\\" Generated from the key table in bridge/configuration.c by "
	      "br_config_write_man();\n"
	      ".\\\" edit the table and run make config-docs, not this file.\n"
	      ".TH BRIDGE.CONF 5 \"\" \"jitsi-oidc-bridge\" \"File Formats\"\n"
	      ".SH NAME\n"
	      "bridge.conf \\- configuration of jitsi\\-oidc\\-bridge\n"
	      ".SH SYNOPSIS\n"
	      ".I /etc/jitsi\\-oidc\\-bridge/bridge.conf\n"
	      ".SH DESCRIPTION\n",
	      out);
	man_par(out,
	        "An INI file: [section] headers, key = value lines, comments on lines that "
	        "start with ; or #. A ; after a space or tab starts an inline comment and cuts "
	        "the value there, so give secrets that may hold \" ;\" as <key>_file = PATH; "
	        "the bridge warns when an inline secret was cut. Lines are at most 8192 bytes. "
	        "Section and key names are case-sensitive. Unknown sections and keys, bad "
	        "values and missing required keys stop start-up with a message of the form");
	fputs(".PP\n.RS\n", out);
	man_par(out, "FILE:LINE: [section] key: what is wrong");
	fputs(".RE\n.PP\n", out);
	man_par(out, "A key given with an empty value counts as not given (its default applies "
	             "when it has none), except the address lists, which become empty, and the "
	             "[claims] keys other than id, which are then not mapped. A key given twice "
	             "is an error.");
	fputs(".SS Value types\n", out);
	static const char *const types[][2] = {
	        {"duration",
	         "a number of seconds, or a number with the unit s, m, h or d: 30, 30s, "
	         "10m, 1h, 2d. Positive unless said otherwise."},
	        {"boolean", "true, false, yes, no, on, off, 1, 0 (any case)."},
	        {"URL",
	         "an absolute http:// or https:// URL without #fragment, at most 2048 bytes "
	         "(public_url: a path of at most 200 bytes). Plain http:// to "
	         "another host gets a warning; only an IP literal in 127.0.0.0/8 or [::1] "
	         "counts as this host (not localhost, not a name such as 127.example.org). "
	         "With an https issuer every provider endpoint, discovered or set, must be "
	         "https too, or plain http to this host: a discovery document that breaks "
	         "this is refused (/healthz 503, --check FAIL), a [provider] key that breaks "
	         "it is a configuration error."},
	        {"address list", "space-separated numeric address:port, IPv6 in brackets: "
	                         "127.0.0.1:8800 [::1]:8800 0.0.0.0:80. Host names are not "
	                         "resolved."},
	        {"network list", "space-separated addresses or networks: 127.0.0.1 ::1 10.0.0.0/8 "
	                         "fd00::/8. A network must not have host bits set."},
	        {"secret", "the value itself, or <key>_file = PATH naming a file that holds it "
	                   "(one trailing newline is dropped). Give only one of the two."},
	        {"path", "a file name. A relative path is looked up in $CREDENTIALS_DIRECTORY "
	                 "(systemd LoadCredential=) first, then next to this file."},
	        {"rule", "an expression of the rule language (true, false, inGroup(\"g\"), "
	                 "email =~ \"@example\\\\.org$\" and email_verified == true, ...), "
	                 "checked at start-up."},
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		fputs(".TP\n.I ", out);
		man_par(out, types[i][0]);
		man_par(out, types[i][1]);
	}
	for (size_t s = 0; s < br_config_n_sections; s++) {
		fprintf(out, ".SH [%s]\n", br_config_sections[s].name);
		man_par(out, br_config_sections[s].doc);
		if (strcmp(br_config_sections[s].name, "features") == 0) {
			fputs(".PP\n", out);
			man_par(out,
			        "Any key whose name is 1 to 64 characters of A-Z a-z 0-9 _ - "
			        "is a feature rule; its result is sent as "
			        "context.features.<key> (true or false), which Jitsi applies "
			        "whenever the token carries them; names Jitsi does not know are "
			        "ignored. Example:");
			fputs(".PP\n.nf\n", out);
			man_par(out, "recording = inGroup(\"jitsi-recorders\")");
			man_par(out, "screen-sharing = true");
			fputs(".fi\n", out);
			continue;
		}
		for (size_t i = 0; i < br_config_n_keys; i++) {
			const struct br_config_key *k = &br_config_keys[i];
			if (strcmp(k->section, br_config_sections[s].name) != 0)
				continue;
			fputs(".TP\n.B ", out);
			man_text(out, k->name);
			if (k->type->has_file) {
				fputs(" \\fR|\\fB ", out);
				man_text(out, k->name);
				fputs("_file", out);
			}
			fputs("\n.RI \"(\" ", out);
			fputc('"', out);
			man_text(out, k->type->doc);
			fputs("\" \"", out);
			if (k->flags & F_REQUIRED)
				fputs(", required", out);
			else if (k->def != NULL && k->def[0] != '\0') {
				fputs(", default ", out);
				man_text(out, k->def);
			} else if (k->def != NULL)
				fputs(", default empty", out);
			fputs(")\"\n", out);
			man_par(out, k->doc);
		}
	}
	fputs(".SH RULES\n", out);
	man_par(out, "A rule is an expression over the claims of the ID token (and userinfo) and "
	             "the login: and, or, not (also &&, ||, !), parentheses, comparisons == != =~ "
	             "!~ (POSIX extended regular expressions, compiled at start-up) and in, "
	             "strings in double or single quotes, numbers, true, false, lists [a, b]. A "
	             "name is a claim or a dotted path (realm_access.roles), or "
	             "claims[\"https://x/y\"]; room (the readable, lower-cased room name), tenant "
	             "(lower-cased), "
	             "user.id, user.name, user.email and groups are the login's. Functions: "
	             "inGroup(\"g\") (matches g or Keycloak's /g), exists(path), lower(value), "
	             "startsWith(a, b), endsWith(a, b). x in path is true when the claim is an "
	             "array holding x or a space-separated string with the word x. Errors name "
	             "the file, line and column. With room = wildcard no rule may read room. "
	             "Match an email only with email_verified == true. Examples:");
	fputs(".PP\n.nf\n", out);
	man_par(out,
	        "allow = inGroup(\"jitsi\") and not room =~ \"^board-\" or inGroup(\"board\")");
	man_par(out, "moderator = \"admin\" in realm_access.roles");
	man_par(out, "allow = email =~ \"@example\\\\.org$\" and email_verified == true");
	fputs(".fi\n", out);
	fputs(".SH ENVIRONMENT\n", out);
	man_par(out, "Every key can be set in the environment as JITSI_OIDC_BRIDGE_<SECTION>_<KEY> "
	             "in upper case with - turned into _, for example "
	             "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET or "
	             "JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE. The environment wins over "
	             "the file; for a secret, either form in the environment replaces both forms "
	             "in the file. Any other variable that starts with JITSI_OIDC_BRIDGE_ is an "
	             "error.");
	fputs(".PP\n", out);
	man_par(out, "A feature rule comes from JITSI_OIDC_BRIDGE_FEATURES_<NAME>: the name is "
	             "lower-cased and every _ becomes - (Jitsi's feature names use -), so "
	             "JITSI_OIDC_BRIDGE_FEATURES_SCREEN_SHARING=true sets screen-sharing.");
	fputs(".TP\n.B CREDENTIALS_DIRECTORY\n", out);
	man_par(out, "set by systemd for LoadCredential=; relative secret and key paths are looked "
	             "up there first.");
	fputs(".SH FILES\n.TP\n.I /etc/jitsi\\-oidc\\-bridge/bridge.conf\n", out);
	man_par(out, "the default configuration file (jitsi-oidc-bridge -c FILE for another).");
	fputs(".SH SEE ALSO\n.BR jitsi\\-oidc\\-bridge (8)\n", out);
}
