"""Settings come from the environment; production refuses to start insecurely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x7Qp2Lz9" * 6,
        DJANGO_ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlite_in_var_by_default_and_postgres_from_database_url():
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"
    )
    default = manage("shell", "--no-imports", "-c", code, DJANGO_DEBUG="1")
    assert default.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "var" / "tracker.sqlite3")]
    postgres = manage(
        "shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/tracker"
    )
    assert postgres.stdout.split() == ["django.db.backends.postgresql", "tracker"]
