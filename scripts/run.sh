#!/usr/bin/env bash
# `make run`: migrate, load the demo organisation once, print the address and logins, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST="${NOFAULT_HOST:-127.0.0.1}"
PORT="${NOFAULT_PORT:-8000}"
"$BIN/nofault" demo
echo
echo "nofault is starting at http://$HOST:$PORT/  (log in with a demo account above; Ctrl-C stops it)"
echo
exec "$BIN/nofault" serve --host "$HOST" --port "$PORT" --workers "${NOFAULT_WORKERS:-2}"
