"""gunicorn for the tracker: `gunicorn -c gunicorn.conf.py` (gunicorn also reads this file from the
working directory by itself). `make serve` runs it locally with production settings.

Environment:
    WEB_CONCURRENCY       worker processes (default 3: sync workers, which beat threaded ones on 2 cores)
    GUNICORN_BIND         address to listen on, comma-separated for several (default 127.0.0.1:8000)
    GUNICORN_TIMEOUT      seconds before a silent worker is killed and replaced (default 30)
    GUNICORN_ACCESS_LOG   "-" for the terminal or a file path; unset: no access log (the proxy keeps one)
"""

import os

wsgi_app = "tracker.wsgi:application"
proc_name = "tracker"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"

# A worker stuck for longer than `timeout` is killed mid-request. PostgreSQL cancels any statement
# after DATABASE_STATEMENT_TIMEOUT_MS (5 s by default, see tracker/settings.py), so a slow query is
# answered (400 "too broad" or 503) long before that; keep the worker timeout well above it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
_statement_timeout_seconds = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000")) / 1000
if timeout <= _statement_timeout_seconds:
    raise SystemExit(
        f"GUNICORN_TIMEOUT ({timeout} s) must be longer than DATABASE_STATEMENT_TIMEOUT_MS "
        f"({_statement_timeout_seconds:g} s), or workers are killed before PostgreSQL cancels a slow query."
    )

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket in the home directory: several instances (make serve, make drills) may run at once.
control_socket_disable = True
