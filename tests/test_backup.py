"""make backup / make restore: a restored dump exports the same dataset, byte for byte.

Runs against the PostgreSQL server on 127.0.0.1:5432 in two throwaway databases of its own
(dropped at the end), whatever database the rest of the suite uses.
"""

import os
import shutil
import socket
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"
SCRIPT = ROOT / "scripts" / "backup.py"

# These make databases of their own on the server, whichever database the suite itself runs on.
pytestmark = pytest.mark.postgres_server


def server_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def run(*args, database_url: str | None, **extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CONFIRM"))}
    env = {**clean, "DJANGO_DEBUG": "1", **extra}
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def manage(*args, database_url):
    result = run("manage.py", *args, database_url=database_url)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def admin(statement: sql.Composable, *params):
    connection = psycopg2.connect(f"{SERVER}/postgres", connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
    finally:
        connection.close()


@pytest.fixture
def throwaway_databases():
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed (PostgreSQL's client tools)")
    if not server_answers():
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    names = [f"tracker_backup_{uuid.uuid4().hex[:10]}_{role}" for role in ("source", "restored")]
    try:
        for name in names:
            admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield [f"{SERVER}/{name}" for name in names]
    finally:
        # Side by side: each DROP DATABASE waits for a checkpoint, and two requested together share one.
        with ThreadPoolExecutor(len(names)) as pool:
            drops = [
                pool.submit(admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                for name in names
            ]
        for drop in drops:
            drop.result()


def exported_files(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()
    }


def test_restore_reproduces_the_dataset(throwaway_databases, tmp_path):
    source, restored = throwaway_databases
    manage("migrate", "--no-input", "-v", "0", database_url=source)
    manage("load_dataset", "-v", "0", database_url=source)

    backups = tmp_path / "backups"
    result = run(SCRIPT, "backup", "--directory", backups, database_url=source)
    assert result.returncode == 0, result.stdout + result.stderr
    (dump,) = backups.glob("tracker_backup_*_source-*.dump")

    result = run(SCRIPT, "restore", dump, database_url=restored, CONFIRM="1")
    assert result.returncode == 0, result.stdout + result.stderr
    # A second restore over the first replaces what is there (--clean), including a later change.
    connection = psycopg2.connect(restored, connect_timeout=5)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET summary = 'changed after the backup'")
            cursor.execute("DELETE FROM filings_filing_sources")
    finally:
        connection.close()
    result = run(SCRIPT, "restore", dump, database_url=restored, CONFIRM="1")
    assert result.returncode == 0, result.stdout + result.stderr

    manage("export_dataset", tmp_path / "from-source", "-v", "0", database_url=source)
    manage("export_dataset", tmp_path / "from-restored", "-v", "0", database_url=restored)
    original = exported_files(tmp_path / "from-source")
    assert len(original) > 3
    assert exported_files(tmp_path / "from-restored") == original


@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="pg_restore is not installed")
def test_restore_asks_before_replacing_a_database(tmp_path):
    dump = tmp_path / "any.dump"
    dump.write_bytes(b"PGDMP")
    # stdin is not a terminal and CONFIRM is unset: it refuses before connecting to anything.
    result = run(SCRIPT, "restore", dump, database_url=f"{SERVER}/tracker_never_touched")
    assert result.returncode == 2
    assert "CONFIRM=1" in result.stderr


@pytest.mark.parametrize("database_url", [None, "sqlite:///var/tracker.sqlite3"])
def test_backup_refuses_anything_but_postgresql(database_url, tmp_path):
    result = run(SCRIPT, "backup", "--directory", tmp_path, database_url=database_url)
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
    assert not list(tmp_path.iterdir())
