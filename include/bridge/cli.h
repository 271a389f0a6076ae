/*
 * cli.h - the one-shot commands: --check, --generate-key, --issue-token.
 * Each returns the process exit status.
 */
#ifndef BR_CLI_H
#define BR_CLI_H

enum br_exit {
	BR_EXIT_OK = 0,
	BR_EXIT_CONFIG = 1, /* configuration or key error */
	BR_EXIT_USAGE = 2,  /* bad command line */
	BR_EXIT_DENIED = 3, /* --issue-token: the rules deny this user */
	BR_EXIT_IDP = 4,    /* --check: the identity provider is unreachable or wrong */
};

int br_cli_check(const char *config_path);
int br_cli_generate_key(const char *path, int bits);
int br_cli_issue_token(const char *config_path, const char *room, const char *tenant,
                       const char *claims_path);

#endif
