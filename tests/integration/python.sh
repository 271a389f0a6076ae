#!/bin/sh
# The automake log compiler of the .py tests: python3 is a test dependency,
# not a build one, so a tree built after `contrib/install-deps --build-only`
# skips (77) them and says why instead of failing with "not found".
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 not found (contrib/install-deps installs the test dependencies)"
	exit 77
fi
exec python3 "$@"
