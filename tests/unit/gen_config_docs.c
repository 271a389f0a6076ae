/* gen_config_docs.c - writes etc/bridge.conf.example or docs/bridge.conf.5
 * from the config key table, or etc/messages/<tag>.ini from the built-in
 * message catalogue (make config-docs). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bridge/catalogue.h"
#include "bridge/configuration.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "example") == 0)
		br_config_write_example(stdout);
	else if (argc == 2 && strcmp(argv[1], "man") == 0)
		br_config_write_man(stdout);
	else if (argc == 3 && strcmp(argv[1], "messages") == 0 &&
	         br_catalogue_find(br_catalogue_builtin(), argv[2]) >= 0)
		br_catalogue_write(stdout, br_catalogue_builtin(),
		                   (size_t)br_catalogue_find(br_catalogue_builtin(), argv[2]));
	else {
		fprintf(stderr, "usage: %s example|man|messages LANG\n", argv[0]);
		return 2;
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
