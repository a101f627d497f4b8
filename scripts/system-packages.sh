#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing:
# Chromium for browser tests, the PostgreSQL server for the second database engine, and
# gettext to check that every interface string is translated.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=()
[ "$(id -u)" = "0" ] || SUDO=(sudo)
echo "Installing Debian packages: ${need[*]}" >&2
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
