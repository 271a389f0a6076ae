/* Stand-in for autoconf's config.h when building the fuzz targets: what
 * AC_USE_SYSTEM_EXTENSIONS defines and the library relies on (strdup,
 * strnlen, asprintf, ...).  Without it those are implicitly declared and
 * return int: truncated pointers. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#define PACKAGE_NAME    "jitsi-oidc-bridge"
#define PACKAGE_VERSION "fuzz"
