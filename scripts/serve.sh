#!/usr/bin/env bash
# Start the background worker and the production web server together; stop both on Ctrl+C.
set -euo pipefail
BIN=${BIN:-.venv/bin}
"$BIN/guichet" worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  Guichet is starting on http://${HOST:-127.0.0.1}:${PORT:-8000}/

  Demo logins (password: demo):
    supervisor  superviseur    technician  tech1 … tech15
    requester   client1 (Cabinet Durand & Associés) · particulier1 (individual client)
    admin       admin
  API docs: http://${HOST:-127.0.0.1}:${PORT:-8000}/api/docs

MSG
"$BIN/guichet" serve
