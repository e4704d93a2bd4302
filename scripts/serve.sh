#!/usr/bin/env bash
# make serve: the production set-up on this machine, on the configured database (DATABASE_URL, or
# SQLite in var/): static files collected into var/static, migrations applied, gunicorn with
# gunicorn.conf.py and production settings (DEBUG off) on plain HTTP at HOST:PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

export DJANGO_DEBUG=0
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  DJANGO_SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
  echo "DJANGO_SECRET_KEY is not set: using a throwaway key for this local server only" \
       "(sessions and tokens signed with it end when it stops). Production sets its own."
fi
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Plain HTTP on this machine: no redirect to HTTPS (behind a TLS proxy, leave it on).
export DJANGO_SECURE_SSL_REDIRECT=0
export GUNICORN_BIND="$HOST:$PORT"

"$BIN/python" manage.py collectstatic --no-input -v 0
"$BIN/python" manage.py migrate --no-input
echo ""
echo "Serving http://$HOST:$PORT/ with production settings on ${DATABASE_URL:-SQLite in var/tracker.sqlite3}"
echo "(gunicorn.conf.py: ${WEB_CONCURRENCY:-3} workers; GUNICORN_ACCESS_LOG=- for an access log; Ctrl-C stops)."
echo "An empty database? Load the dataset: $BIN/python manage.py load_dataset (with the same environment)."
echo ""
exec "$BIN/gunicorn" -c gunicorn.conf.py
