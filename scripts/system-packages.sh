#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing:
# Chromium for browser tests, the PostgreSQL server for the second database engine,
# gettext to check that every interface string is translated, Pango, which WeasyPrint
# (the PDF service reports) draws text with, Dovecot, the IMAP server the mail tests
# read from (the tests start private instances of their own), and the FusionInventory agent
# that the inventory tests run against the live test server.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
command -v openssl >/dev/null 2>&1 || need+=(openssl)  # the IMAP tests' TLS certificates
command -v fusioninventory-agent >/dev/null 2>&1 || need+=(fusioninventory-agent)
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=()
[ "$(id -u)" = "0" ] || SUDO=(sudo)
echo "Installing Debian packages: ${need[*]}" >&2
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
