#!/usr/bin/env bash
# `make run`: migrate, seed demo data, then run the web app and one worker until Ctrl-C.
set -euo pipefail
FLASK=".venv/bin/flask --app wsgi"
mkdir -p instance
export PORT=${PORT:-5000}
export PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:$PORT}
$FLASK db upgrade
$FLASK demo
$FLASK certificates demo   # idempotent: a few certificates so the quality dashboard has content
# The portal pushes approved records to its own passport API unless PASSPORT_API_URL says otherwise;
# it needs a write key for that, created once and kept under instance/.
if [ -z "${PASSPORT_API_KEY:-}" ]; then
  if [ ! -s instance/passport_api_key ]; then
    $FLASK apikeys create --name portal-push --scope write | tail -n 1 > instance/passport_api_key
    chmod 600 instance/passport_api_key
  fi
  export PASSPORT_API_KEY=$(cat instance/passport_api_key)
fi
$FLASK worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM
echo
echo "Portal: $PUBLIC_URL   (worker pid $WORKER; Ctrl-C stops both)"
echo
.venv/bin/gunicorn --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - wsgi:app
