"""Back up and restore the PostgreSQL database named by DATABASE_URL (make backup / make restore).

    DATABASE_URL=postgres://user@host:5432/tracker python scripts/backup.py backup
    DATABASE_URL=postgres://user@host:5432/tracker python scripts/backup.py restore var/backups/X.dump [--yes]

`backup` writes `pg_dump -Fc` to var/backups/<database>-<UTC timestamp>.dump and prints its path.
`restore` replaces the database's contents with the dump (`pg_restore --clean --if-exists --no-owner`
in one transaction, so a failed restore changes nothing); it asks first unless CONFIRM=1 or --yes.
The connection's details go to pg_dump/pg_restore through PG* variables, never on the command line,
so a password in DATABASE_URL does not show in the process list.
"""

import argparse
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRECTORY = ROOT / "var" / "backups"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}
# Query parameters of DATABASE_URL that libpq also reads from the environment.
LIBPQ_PARAMETERS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class Refused(Exception):
    """A clear reason not to go on; the message is for the person at the terminal."""


def connection_environment(url: str | None) -> tuple[dict[str, str], str]:
    """PG* variables for the database DATABASE_URL names, and that database's name."""
    if not url:
        raise Refused(
            "DATABASE_URL is not set, so the database is SQLite in var/tracker.sqlite3: make backup and "
            "make restore work on PostgreSQL only. Set DATABASE_URL=postgres://USER@HOST:5432/NAME, or, "
            "for SQLite, copy var/tracker.sqlite3 while the app is stopped."
        )
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise Refused(
            f"DATABASE_URL is not PostgreSQL (scheme {parts.scheme or 'missing'!r}): make backup and make "
            "restore use pg_dump and pg_restore, which work on PostgreSQL only."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise Refused("DATABASE_URL names no database: postgres://USER@HOST:5432/NAME.")
    env = {"PGDATABASE": name}
    if parts.hostname:
        env["PGHOST"] = unquote(parts.hostname)
    if parts.port:
        env["PGPORT"] = str(parts.port)
    if parts.username:
        env["PGUSER"] = unquote(parts.username)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    for parameter, values in parse_qs(parts.query).items():
        if parameter in LIBPQ_PARAMETERS:
            env[LIBPQ_PARAMETERS[parameter]] = values[-1]
    return env, name


def describe(env: dict[str, str]) -> str:
    return f"{env['PGDATABASE']} on {env.get('PGHOST', 'the local socket')}:{env.get('PGPORT', '5432')}"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Refused(
            f"{name} is not installed: it comes with PostgreSQL's client tools (apt-get install postgresql-client)."
        )
    return path


def run(command: list[str], env: dict[str, str]) -> None:
    # The command is a fixed tool with arguments built here; no shell is involved.
    result = subprocess.run(command, env={**os.environ, **env}, check=False)  # noqa: S603
    if result.returncode != 0:
        raise Refused(f"{Path(command[0]).name} failed (exit status {result.returncode}); see its message above.")


def backup(url: str | None, directory: Path) -> Path:
    env, name = connection_environment(url)
    pg_dump = tool("pg_dump")
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"{name}-{stamp}.dump"
    partial = target.with_suffix(".dump.partial")
    try:
        run([pg_dump, "--format=custom", "--file", str(partial)], env)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)  # Only a complete dump ever carries the .dump name.
    return target


def confirmed(question: str, assume_yes: bool) -> bool:
    if assume_yes or os.environ.get("CONFIRM") == "1":
        return True
    if not sys.stdin.isatty():
        raise Refused("Not on a terminal, so nobody can confirm: set CONFIRM=1 (or pass --yes) to restore.")
    return input(f"{question} [y/N] ").strip().lower() in {"y", "yes"}


def restore(url: str | None, dump: Path, assume_yes: bool) -> bool:
    env, _ = connection_environment(url)
    pg_restore = tool("pg_restore")
    if not dump.is_file():
        raise Refused(f"There is no dump at {dump}.")
    if not confirmed(f"Replace everything in {describe(env)} with {dump}?", assume_yes):
        return False
    run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # All or nothing: a failed restore leaves the database as it was.
            "--dbname",
            env["PGDATABASE"],
            str(dump),
        ],
        env,
    )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    backup_parser = commands.add_parser("backup", help="pg_dump -Fc into var/backups/<db>-<timestamp>.dump")
    backup_parser.add_argument("--directory", type=Path, default=DEFAULT_DIRECTORY)
    restore_parser = commands.add_parser("restore", help="pg_restore a dump into the DATABASE_URL database")
    restore_parser.add_argument("file", type=Path)
    restore_parser.add_argument("--yes", action="store_true", help="do not ask (the same as CONFIRM=1)")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    try:
        if args.command == "backup":
            target = backup(url, args.directory)
            print(f"Backed up {describe(connection_environment(url)[0])} to {target}")
        elif restore(url, args.file, args.yes):
            print(f"Restored {args.file} into {describe(connection_environment(url)[0])}.")
        else:
            print("Nothing restored.")
            return 1
    except Refused as reason:
        print(f"{args.command}: {reason}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
