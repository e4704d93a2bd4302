"""make benchmark: the app under gunicorn with production settings, driven by wrk on loopback.

    make benchmark                      # scale S: the dataset plus ~300 synthetic cases, ~10k filings
    make benchmark SCALE=L              # scale L: ~10k cases, ~1M filings (generated once: 1.5 to 4.5 min here)
    make benchmark ONLY=provisions      # only the URLs whose label or address contains "provisions"
    .venv/bin/python benchmarks/run.py --quick     # shorter runs, one round of the comparison

1. A PostgreSQL database of its own per scale (tracker_benchmark_s, tracker_benchmark_l;
   BENCHMARK_DATABASE_URL overrides, its name must contain "benchmark"): created if missing,
   migrated, the real dataset loaded (an idempotent upsert), and the synthetic volume written by
   ``manage.py generate_synthetic`` (timed) unless it already holds that scale. A database that
   holds the scale is reused whoever built it; one holding no more than scale S is disposable and
   built again when it holds another scale or the migrations no longer apply to it; a larger one is
   only dropped on ``--rebuild``, since generating it takes minutes.
2. Two gunicorns (gunicorn.conf.py when there is one: 3 sync workers each) serving benchmarks.wsgi
   with production settings: DJANGO_DEBUG off, a throwaway DJANGO_SECRET_KEY,
   DJANGO_ALLOWED_HOSTS=127.0.0.1, no HTTPS redirect, the API throttle raised out of the way, Redis
   (BENCHMARK_REDIS_URL, database 13 by default) as the cache when it answers. The second one runs
   with PAGE_CACHE_TIMEOUT=0 (no shared page cache) for the uncached figures of the home and case
   pages; it sits idle while the first is measured. Static files go to a temporary directory.
3. Every URL is fetched once and must give its expected answer (200; 200 or 400 "too broad" for a
   very common search term); the filings list of the project, of a conventional DRF implementation
   (benchmarks/conventional.py) and of a bare WSGI floor (benchmarks/floor.py) must return the same
   JSON. After waiting (boundedly) for the load average to fall, wrk (2 threads, 16 connections, a
   Lua script for the 50/75/90/95/99th percentiles and the status of every answer) runs against
   each URL after a warm-up, and against the three filings lists in interleaved rounds; before each
   run the server is let finish what the previous one left in flight. The CPU the gunicorn workers
   and the database's backends used per request is read from /proc: unlike req/s, it hardly moves
   when other work shares the machine.
4. Queries per request are counted in process (Django's test client and CaptureQueriesContext).
5. The figures go to benchmarks/results/<scale>.json and docs/performance.md (both scales), with a
   verdict on each target of issue 10 computed from them. A run with ``--only`` prints its figures
   and writes benchmarks/results/<scale>-only.json instead, leaving the full results alone.

Everything is on 127.0.0.1 and every loop is bounded; the gunicorns and the temporary directory are
removed on the way out, also on failure or Ctrl-C.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path[0:1] = [str(ROOT)]  # the project, not benchmarks/, first: `import benchmarks.wsgi`
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "performance.md"
LOOPBACK = "127.0.0.1"
SCALES = {"S": (300, 10_000), "L": (10_000, 1_000_000)}
# One database per scale, so that measuring one never rebuilds the other.
DEFAULT_DATABASE_URLS = {
    scale: f"postgres://postgres@127.0.0.1:5432/tracker_benchmark_{scale.lower()}" for scale in SCALES
}
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
MARKER = "Synthetic data for benchmarks"  # generate_synthetic's marker, in every synthetic fact's note
SERVER_START_LIMIT = 60  # seconds for gunicorn to answer
REQUEST_TIMEOUT = 30  # seconds, per request of the checks
WRK_TIMEOUT = "10s"  # a slower answer counts as a wrk timeout error
# Bumped when the URLs or their labels change: results of different versions are not compared.
RESULTS_VERSION = 2
SETTLE_LIMIT = 90  # seconds, at most, for the workers to finish what the previous wrk run left in flight
COMPARED = [
    ("project", "/api/v1/filings/?page_size=20"),
    ("conventional DRF", "/bench/conventional/filings/?page_size=20"),
    ("bare WSGI floor", "/bench/floor/filings/?page_size=20"),
]


def say(message: str) -> None:
    print(message, flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def wait_for_quiet(limit: int) -> None:
    """Wait (at most `limit` seconds) until other work leaves the cores alone: wrk, gunicorn and
    PostgreSQL share them, so another process's load shows up as a slower app."""
    quiet = max(0.5, (os.cpu_count() or 1) / 4)
    deadline = time.monotonic() + limit
    if load_average() > quiet and limit:
        say(f"Load average {load_average()} (other processes): waiting up to {limit} s for it to fall below {quiet}...")
    while load_average() > quiet and time.monotonic() < deadline:
        time.sleep(5)
    if load_average() > quiet:
        say(f"Warning: load average {load_average()} before measuring; other work on this machine slows the figures.")


# --- the database ------------------------------------------------------------------------------


def database_name(url: str) -> str:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not url.startswith(("postgres://", "postgresql://")) or not name:
        raise SystemExit(f"BENCHMARK_DATABASE_URL must name a PostgreSQL database: {url}")
    if "benchmark" not in name:
        raise SystemExit(f"Refusing to use {name!r}: the benchmark's database must have 'benchmark' in its name.")
    return name


def maintenance_connection(url: str):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection


def synthetic_scale(url: str) -> tuple[int, int] | None:
    """(synthetic cases, synthetic filings) in the database, or None when it does not exist or has no tables."""
    import psycopg2

    try:
        connection = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('filings_filing') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT count(*) FROM cases_case WHERE note = %s", [MARKER])
            cases = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM filings_filing WHERE note = %s", [MARKER])
            return cases, cursor.fetchone()[0]
    finally:
        connection.close()


def recreate_database(url: str, name: str, drop: bool) -> None:
    from psycopg2 import sql

    connection = maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            if drop:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def manage(env: dict, *args: str, check: bool = True) -> bool:
    """Run a manage.py command with the benchmark's environment; whether it succeeded."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if check and result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit status {result.returncode}).")
    return result.returncode == 0


def prepare_database(url: str, env: dict, scale: str, rebuild: bool) -> dict | None:
    """Migrate, load the dataset and, unless the database already holds the scale, generate it (timed)."""
    name = database_name(url)
    cases, filings = SCALES[scale]
    # Waits, through the tables' locks, for a generation another session is running to commit.
    current = synthetic_scale(url)
    # Building scale S takes seconds; a larger volume took minutes and is only dropped when asked.
    disposable = current is None or current[1] <= SCALES["S"][1]
    fresh = rebuild or current not in (None, (0, 0), (cases, filings))
    if fresh and current and not rebuild and not disposable:
        raise SystemExit(
            f"{name} holds {current[0]:,} synthetic cases and {current[1]:,} filings, not scale {scale}: "
            "run with --rebuild to drop and build it again, or name another database in BENCHMARK_DATABASE_URL."
        )
    if fresh and current:
        say(f"Rebuilding {name}: it held {current[0]:,} synthetic cases and {current[1]:,} filings.")
    recreate_database(url, name, drop=fresh)
    say(f"Migrating {name} and loading the dataset...")
    if not manage(env, "migrate", "--no-input", "-v", "0", check=fresh):
        if not disposable:
            raise SystemExit(
                f"The migrations do not apply to {name} ({current[1]:,} synthetic filings): run with --rebuild "
                "to build it again."
            )
        # The project's migrations changed under an older small benchmark database: it is disposable.
        say(f"The migrations do not apply to the existing {name}: rebuilding it.")
        recreate_database(url, name, drop=True)
        manage(env, "migrate", "--no-input", "-v", "0")
    if not manage(env, "load_dataset", "-v", "0", check=False):
        if case_id(url) is None:
            raise SystemExit("load_dataset failed and the benchmark database has no dataset to measure.")
        say("Warning: load_dataset failed (see above); measuring with the dataset loaded earlier.")
    if synthetic_scale(url) == (cases, filings):
        say(f"{name} already holds scale {scale} ({cases:,} synthetic cases, {filings:,} filings).")
        return None
    say(f"Generating scale {scale}: {cases:,} synthetic cases, {filings:,} filings...")
    started = time.monotonic()
    manage(env, "generate_synthetic", "--cases", str(cases), "--filings", str(filings))
    seconds = time.monotonic() - started
    return {"seconds": round(seconds, 1), "cases": cases, "filings": filings, "date": datetime.now().isoformat()}


def case_id(url: str, number: int = 180) -> int | None:
    """The id of a case by General List number, None when it (or the table) is not there."""
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('cases_case') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT id FROM cases_case WHERE general_list_number = %s", [number])
            row = cursor.fetchone()
            return row[0] if row else None
    finally:
        connection.close()


def row_counts(url: str) -> dict:
    import psycopg2

    tables = {
        "cases": "cases_case",
        "filings": "filings_filing",
        "decisions": "decisions_decision",
        "provisions": "decisions_provision",
        "votes": "decisions_vote",
        "claims": "compliance_complianceclaim",
        "sources": "sources_source",
    }
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            counts = {}
            for label, table in tables.items():
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
                if cursor.fetchone()[0]:
                    cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the dict above)
                    counts[label] = cursor.fetchone()[0]
            cursor.execute("SHOW server_version")
            counts["postgresql"] = cursor.fetchone()[0]
            return counts
    finally:
        connection.close()


# --- the environment and the server ------------------------------------------------------------


def redis_url() -> str | None:
    url = os.environ.get("BENCHMARK_REDIS_URL", DEFAULT_REDIS_URL)
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or LOOPBACK, parts.port or 6379), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            if conn.recv(16).startswith(b"+PONG"):
                return url
    except OSError:
        pass
    say(f"Redis does not answer at {url}: the throttle counts go to the database cache.")
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def production_env(database_url: str, static_root: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=LOOPBACK,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(static_root),
        API_THROTTLE_ANON="100000000/hour",
        API_THROTTLE_USER="100000000/hour",
        WEB_CONCURRENCY="3",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    redis = redis_url()
    if redis:
        env["REDIS_URL"] = redis
    return env


class Server:
    """gunicorn in a process group of its own, stopped (TERM, then KILL) on the way out."""

    def __init__(self, env: dict, port: int, log: Path):
        self.base = f"http://{LOOPBACK}:{port}"
        self.log = log
        command = [str(BIN / "gunicorn")]
        if (ROOT / "gunicorn.conf.py").exists():
            command += ["-c", str(ROOT / "gunicorn.conf.py")]
        else:
            command += ["--workers", "3", "--worker-class", "sync", "--bind", env["GUNICORN_BIND"]]
        command.append("benchmarks.wsgi:application")
        self.command = command
        self.env = env
        self.process = None

    def start(self):
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + SERVER_START_LIMIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + "/api/v1/", timeout=2):  # noqa: S310 (loopback)
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {SERVER_START_LIMIT} s:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:]) if self.log.exists() else ""

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def first_difference(a, b, path="$"):
    """Where two parsed JSON values first differ, for the error message."""
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f"{path}.{key}: present in only one"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
    elif isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
    elif a != b:
        return f"{path}: {a!r} != {b!r}"
    return None


def check_same_json(base: str) -> None:
    """The three filings lists return the same body for the same page, or nothing is measured."""
    for query in ("page_size=20", "page=2&page_size=20", ""):
        bodies = {}
        for name, path in COMPARED:
            url = base + path.split("?")[0] + (f"?{query}" if query else "")
            status, body = fetch(url)
            if status != 200:
                raise SystemExit(f"{url} answered {status}: {body[:300]!r}")
            bodies[name] = json.loads(body)
        reference = bodies["project"]
        for name, body in bodies.items():
            difference = first_difference(reference, body)
            if difference:
                raise SystemExit(f"The {name} filings list differs from the project's (?{query}): {difference}")
    say("The project's, the conventional and the floor's filings lists return the same JSON.")


# --- CPU per request -----------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int) -> float:
    """Seconds of CPU (user and system) a live process has used, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return pids


def _accept_queue(port: int) -> int:
    """Connections waiting in the accept queue of the socket listening on 127.0.0.1:port."""
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return 0
    local = f"0100007F:{port:04X}"
    for line in lines:
        fields = line.split()
        if fields[1] == local and fields[3] == "0A":  # LISTEN: rx_queue is the accept backlog
            return int(fields[4].split(":")[1], 16)
    return 0


class CpuMeter:
    """CPU used by the gunicorn workers and by the PostgreSQL backends of the benchmark's database.

    Other work on the machine slows every request down (fewer req/s, longer latencies) but hardly
    changes the CPU a request costs, so these columns stay comparable on a busy machine. Backends
    that exit during a run (a connection older than CONN_MAX_AGE is replaced) take their CPU with
    them: the database column can be a little low.
    """

    def __init__(self, server_pid: int, port: int, database_url: str, database: str):
        import psycopg2

        self.server_pid = server_pid
        self.port = port
        self.database = database
        self.monitor = psycopg2.connect(database_url)
        self.monitor.autocommit = True

    def _backends(self) -> list[int]:
        with self.monitor.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
                "AND pid <> pg_backend_pid()",
                [self.database],
            )
            return [row[0] for row in cursor.fetchall()]

    def sample(self) -> tuple[dict, dict]:
        return (
            {pid: _cpu(pid) for pid in _children(self.server_pid)},
            {pid: _cpu(pid) for pid in self._backends()},
        )

    def _busy(self) -> bool:
        """Whether the server still works on requests: queries running, or connections waiting to be accepted."""
        with self.monitor.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                [self.database],
            )
            if cursor.fetchone()[0]:
                return True
        return _accept_queue(self.port) > 0

    def settle(self, limit: float = SETTLE_LIMIT) -> bool:
        """Wait until the server is idle, and say whether it got there within `limit` seconds.

        wrk stops with requests in flight and more queued in the listening socket; the sync workers
        still answer them all (to nobody), so the next run would otherwise wait behind them.
        """
        deadline = time.monotonic() + limit
        last = sum(_cpu(pid) for pid in _children(self.server_pid))
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = sum(_cpu(pid) for pid in _children(self.server_pid))
            if now - last < 0.02 and not self._busy():
                return True
            last = now
        return False

    @staticmethod
    def used(before: dict, after: dict) -> float:
        return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())

    def close(self):
        self.monitor.close()


# --- wrk ---------------------------------------------------------------------------------------

# wrk's --latency prints 50/75/90/99 only and its "Non-2xx or 3xx" count lumps every status
# together: this script prints the percentiles the targets name and every status seen.
WRK_SCRIPT = """-- Written by benchmarks/run.py for one wrk run; run.py parses what done() prints.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, p in ipairs({50, 75, 90, 95, 99}) do
    io.write(string.format("percentile %d %d\\n", p, latency:percentile(p)))
  end
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\\n", status, count))
  end
end
"""
PERCENTILES = (50, 75, 90, 95, 99)


def parse_wrk(output: str, answers: tuple[int, ...] = (200,)) -> dict:
    """Figures of one wrk run: req/s, latency percentiles (ms), statuses, and what went wrong."""
    percentiles = {int(p): int(us) / 1000 for p, us in re.findall(r"^percentile (\d+) (\d+)$", output, re.MULTILINE)}
    statuses = {int(code): int(n) for code, n in re.findall(r"^status (\d+) (\d+)$", output, re.MULTILINE)}
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if not (rate and total and set(PERCENTILES) <= set(percentiles)):
        raise SystemExit(f"Could not read wrk's output:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    counts = list(map(int, errors.groups())) if errors else [0, 0, 0, 0]
    answered = int(total.group(1))
    return {
        "rps": float(rate.group(1)),
        **{f"p{p}": percentiles[p] for p in PERCENTILES},
        "requests": answered,
        "statuses": {str(code): n for code, n in sorted(statuses.items())},
        # Answers other than the expected ones (a 400 "too broad" is expected for a very common word).
        "non_2xx": sum(n for code, n in statuses.items() if code not in answers),
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "errors": sum(counts),
        "timeouts": counts[3],
    }


def wrk(url: str, seconds: int, threads: int, connections: int, meter: CpuMeter, script: Path, answers=(200,)) -> dict:
    settled = meter.settle()
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        f"--script={script}",
        url,
    ]
    before = meter.sample()
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)  # noqa: S603
    figures = parse_wrk(result.stdout, answers)
    after = meter.sample()
    answered = max(figures["requests"], 1)
    figures["app_cpu"] = 1000 * CpuMeter.used(before[0], after[0]) / answered
    figures["db_cpu"] = 1000 * CpuMeter.used(before[1], after[1]) / answered
    figures["settled"] = settled
    return figures


# --- in-process query counts ---------------------------------------------------------------------


def django_in_process(env: dict):
    """Django set up in this process with the benchmark's environment (for query counts)."""
    for key in [key for key in os.environ if key.startswith(("DJANGO_", "GUNICORN_"))]:
        del os.environ[key]
    os.environ.update(env)
    import benchmarks.wsgi  # noqa: F401 (sets Django up and configures the floor)


def count_queries(targets: list["Target"]) -> dict[str, int]:
    """Queries of the second request to each address (the first also loads what later ones reuse)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from benchmarks import floor

    client = Client(HTTP_HOST=LOOPBACK)
    counts = {}
    for target in targets:
        path = target.path
        if path.startswith("/bench/floor/"):
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path.split("?")[0],
                "QUERY_STRING": path.partition("?")[2],
                "wsgi.url_scheme": "http",
                "HTTP_HOST": LOOPBACK,
                "SERVER_NAME": LOOPBACK,
            }
            floor.application(environ, lambda status, headers: None)
            before = floor.queries
            floor.application(environ, lambda status, headers: None)
            counts[target.key] = floor.queries - before
            continue
        with override_settings(**({"PAGE_CACHE_TIMEOUT": 0} if target.uncached else {})):
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
        if response.status_code not in target.answers:
            raise SystemExit(f"{path} answered {response.status_code} in process, not {target.expected}.")
        counts[target.key] = len(queries)
    connection.close()
    return counts


# --- the run -----------------------------------------------------------------------------------


class Target(NamedTuple):
    """One URL measured on its own. `what` names it in the tables and across scales."""

    what: str
    path: str
    answers: tuple[int, ...] = (200,)
    # Served by the second gunicorn, the one without the shared page cache.
    uncached: bool = False

    @property
    def key(self) -> str:
        return f"{self.path} uncached" if self.uncached else self.path

    @property
    def expected(self) -> str:
        return " or ".join(map(str, self.answers))


# The rows the verdict reads, by their labels (the same at every scale).
FILINGS_20 = "API filings list, page_size=20"
PROVISIONS_AZE = "API provisions addressed to AZE"
SELECTIVE_API = "API filings q=lachin (selective)"
COMMON_API = "API filings q=synthetic (in every synthetic filing)"
SELECTIVE_PAGE = "search page q=lachin (selective)"
HOME = "home page"
CASE_PAGE = "case page, No. 180"
UNCACHED = ", without the page cache"
SELECTIVE_TERM = "lachin"  # in the real dataset only (the Lachin corridor, No. 180 and 181)
COMMON_TERM = "synthetic"  # in the title of every synthetic filing
# Searches whose latency target (SEARCH_P95_LIMIT) is also measured with one client.
LATENCY_TARGETS = (SELECTIVE_API, SELECTIVE_PAGE + UNCACHED)


def targets() -> list[Target]:
    """Every URL measured on its own; ids looked up in the benchmark database (Django set up in process)."""
    from django.urls import reverse

    from cases.models import Case
    from decisions.models import BenchMember, Decision
    from tracker.api_urls import router

    case = Case.objects.filter(general_list_number=180).first()
    if case is None:
        raise SystemExit("Case No. 180 is not in the benchmark database: did load_dataset run?")
    found = [
        Target(FILINGS_20, reverse("api:filing-list") + "?page_size=20"),
        Target("API filings list, default page", reverse("api:filing-list")),
    ]
    details = []
    for prefix, viewset, basename in router.registry:
        if basename != "filing":
            found.append(Target(f"API {prefix} list, page_size=20", reverse(f"api:{basename}-list") + "?page_size=20"))
        # The lowest id is a record of the real dataset (synthetic ids start above it): the same
        # record at every scale. For cases, No. 180 itself.
        model = resource_model(viewset)
        lowest = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        pk = case.pk if basename == "case" else lowest
        if pk is None:
            raise SystemExit(f"No {prefix} in the benchmark database to measure a detail with.")
        label = f"API {basename} detail" + (", No. 180" if basename == "case" else "")
        details.append(Target(label, reverse(f"api:{basename}-detail", args=[pk])))
    found += details
    decision = Decision.objects.filter(case=case).order_by("decided_on", "pk").first()
    judge = (
        BenchMember.objects.filter(decision__case=case)
        .select_related("judge")
        .order_by("decision__decided_on", "position")
        .first()
    )
    mirror = case.related_cases.order_by("general_list_number").first()
    found += [
        Target("API timeline of No. 180", reverse("api:case-timeline", args=[case.pk])),
        Target(PROVISIONS_AZE, reverse("api:provision-list") + "?addressee=AZE"),
        Target(SELECTIVE_API, reverse("api:filing-list") + f"?q={SELECTIVE_TERM}"),
        # 400 is PostgreSQL's statement timeout answered as "too broad": an answer, not a failure.
        Target(COMMON_API, reverse("api:filing-list") + f"?q={COMMON_TERM}", answers=(200, 400)),
        Target(SELECTIVE_PAGE, reverse("search") + f"?q={SELECTIVE_TERM}"),
        Target(SELECTIVE_PAGE + UNCACHED, reverse("search") + f"?q={SELECTIVE_TERM}", uncached=True),
        Target(HOME, reverse("home")),
        Target(HOME + UNCACHED, reverse("home"), uncached=True),
        Target("case list page", reverse("case-list")),
        Target(CASE_PAGE, reverse("case-detail", args=[180])),
        Target(CASE_PAGE + UNCACHED, reverse("case-detail", args=[180]), uncached=True),
    ]
    if mirror is not None:
        number = mirror.general_list_number
        found.append(Target(f"mirror page, No. 180 beside No. {number}", reverse("case-mirror", args=[180, number])))
    if decision is not None:
        found.append(Target("decision page (No. 180's first)", reverse("decision-detail", args=[180, decision.slug])))
    found.append(Target("judges page", reverse("judge-list")))
    if judge is not None:
        found.append(Target("judge page (a judge of No. 180)", reverse("person-detail", args=[judge.judge.slug])))
    found.append(Target("compliance page", reverse("compliance")))
    return found


def resource_model(viewset):
    """The model behind a registered viewset, whichever way the viewset names it."""
    serializer = getattr(viewset, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None and getattr(viewset, "queryset", None) is not None:
        model = viewset.queryset.model
    if model is None:
        raise SystemExit(f"{viewset.__name__} names no model (serializer_class.Meta.model or queryset).")
    return model


def _line(what: str, figures: dict) -> str:
    return (
        f"  {what:<60} {figures['rps']:>8.1f} req/s  p50 {figures['p50']:>7.1f}  p95 {figures['p95']:>7.1f}  "
        f"p99 {figures['p99']:>7.1f} ms  CPU/req: app {figures['app_cpu']:.1f} ms, db {figures['db_cpu']:.1f} ms"
        + (f"  answers {figures['statuses']}" if list(figures["statuses"]) != ["200"] else "")
        + (f"  {figures['errors']} socket errors ({figures['timeouts']} timeouts)" if figures["errors"] else "")
    )


def measure(args, servers: dict, urls: list[Target], compared: bool, queries, alone, script: Path):
    """wrk against every URL, then the three filings lists in interleaved rounds (when `compared`)."""
    seconds, warmup = (3, 1) if args.quick else (args.duration, 1)
    rounds = 1 if args.quick else args.rounds
    rows = []
    for target in urls:
        base, meter = servers["uncached" if target.uncached else "cached"]
        run = {"meter": meter, "script": script, "answers": target.answers}
        wrk(base + target.path, warmup, args.threads, args.connections, **run)
        figures = wrk(base + target.path, seconds, args.threads, args.connections, **run)
        row = {
            "what": target.what,
            "path": target.path,
            "server": "uncached" if target.uncached else "cached",
            "answers": list(target.answers),
            "queries": queries[target.key],
            "alone_ms": alone[target.key],
            **figures,
        }
        say(_line(target.what, figures))
        if target.what in LATENCY_TARGETS:
            # A search's latency is what one researcher or script waits for. With 16 connections on 2 cores
            # every request also queues behind 15 others (p95 ≈ 16 ÷ req/s), so the latency target is read
            # from one client asking again and again, and the 16-connection figures stay beside it.
            lone = wrk(base + target.path, seconds, 1, 1, **run)
            row["lone"] = {key: lone[key] for key in ("rps", *(f"p{p}" for p in PERCENTILES), "non_2xx", "errors")}
            say(_line(f"{target.what}, one client", lone))
        rows.append(row)
    if not compared:
        return rows, []
    base, meter = servers["cached"]
    say(f"Filings list, {rounds} interleaved round(s) of {seconds} s each:")
    runs = {name: [] for name, _ in COMPARED}
    for _name, path in COMPARED:
        wrk(base + path, warmup, args.threads, args.connections, meter, script)
    for round_number in range(rounds):
        order = COMPARED[round_number % len(COMPARED) :] + COMPARED[: round_number % len(COMPARED)]
        for name, path in order:
            runs[name].append(wrk(base + path, seconds, args.threads, args.connections, meter, script))
            say(_line(f"round {round_number + 1}: {name}", runs[name][-1]))
    comparison = []
    for name, path in COMPARED:
        taken = runs[name]
        comparison.append(
            {
                "what": name,
                "path": path,
                "queries": queries[path],
                "rps": statistics.median(r["rps"] for r in taken),
                **{f"p{p}": statistics.median(r[f"p{p}"] for r in taken) for p in PERCENTILES},
                "app_cpu": statistics.median(r["app_cpu"] for r in taken),
                "db_cpu": statistics.median(r["db_cpu"] for r in taken),
                "non_2xx": sum(r["non_2xx"] for r in taken),
                "errors": sum(r["errors"] for r in taken),
                "timeouts": sum(r["timeouts"] for r in taken),
                "rounds": taken,
            }
        )
    return rows, comparison


def machine(counts: dict) -> dict:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()  # noqa: S603,S607
    import django
    import gunicorn

    return {
        "nproc": os.cpu_count(),
        "arch": platform.machine(),
        "cpu": cpu,
        "kernel": platform.release(),
        "postgresql": counts.pop("postgresql"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "wrk": wrk_version,
    }


def selected(urls: list[Target], only: list[str]) -> tuple[list[Target], bool]:
    """The targets whose label or address contains one of `only` (all without it), and whether the
    filings comparison runs too."""
    if not only:
        return urls, True
    words = [word.lower() for word in only]

    def wanted(*texts: str) -> bool:
        return any(word in text.lower() for word in words for text in texts)

    chosen = [target for target in urls if wanted(target.what, target.path)]
    return chosen, any(wanted(name, path, "comparison") for name, path in COMPARED)


def unanswered(target: Target, status: int, alone_ms: float) -> dict:
    """The row of a URL whose check failed: no figures, its status in the verdict."""
    return {
        "what": target.what,
        "path": target.path,
        "server": "uncached" if target.uncached else "cached",
        "answers": list(target.answers),
        "queries": "–",
        "alone_ms": alone_ms,
        "rps": 0.0,
        **{f"p{p}": 0.0 for p in PERCENTILES},
        "requests": 0,
        "statuses": {str(status): 1},
        "non_2xx": 1,
        "server_errors": int(status >= 500),
        "errors": 0,
        "timeouts": 0,
        "app_cpu": 0.0,
        "db_cpu": 0.0,
        "failed": f"answered {status} alone, not {target.expected}: not measured",
    }


def timed_fetch(url: str) -> tuple[int, bytes, float]:
    """Status, body and milliseconds of one request; status 0 when no answer came within REQUEST_TIMEOUT."""
    started = time.monotonic()
    try:
        status, body = fetch(url)
    except (TimeoutError, urllib.error.URLError) as error:
        # A page that cannot answer alone is reported (and fails its target), not load-tested.
        status, body = 0, f"no answer within {REQUEST_TIMEOUT} s ({error})".encode()
    return status, body, round(1000 * (time.monotonic() - started), 1)


def start_servers(env: dict, workdir: Path, database_url: str, uncached: bool, started: list, meters: list) -> dict:
    """The gunicorn serving pages from the shared page cache and, when wanted, one without it."""
    servers = {}
    kinds = [("cached", {})] + ([("uncached", {"PAGE_CACHE_TIMEOUT": "0"})] if uncached else [])
    for kind, extra in kinds:
        port = free_port()
        server = Server({**env, **extra, "GUNICORN_BIND": f"{LOOPBACK}:{port}"}, port, workdir / f"gunicorn-{kind}.log")
        say(f"Starting gunicorn ({kind} pages) on {server.base} ({' '.join(server.command[1:])})...")
        started.append(server)
        server.start()
        meters.append(CpuMeter(server.process.pid, port, database_url, database_name(database_url)))
        servers[kind] = (server.base, meters[-1])
    return servers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default=os.environ.get("SCALE", "S").upper() or "S")
    parser.add_argument("--quick", action="store_true", help="3 s per URL and one round of the comparison.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk per URL and round (default 10).")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds of the filings comparison.")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rebuild", action="store_true", help="Drop the benchmark database and build it again.")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="Measure only the URLs whose label or address contains TEXT (case-insensitive, repeatable; "
        "'comparison' for the filings comparison). Writes results/<scale>-only.json and leaves the rest alone.",
    )
    parser.add_argument(
        "--wait-idle",
        type=int,
        default=120,
        help="Seconds to wait at most for the load average to fall before measuring (default 120, 0: do not wait).",
    )
    args = parser.parse_args()
    if args.scale not in SCALES:
        raise SystemExit(f"SCALE must be one of {', '.join(SCALES)}")
    if not (1 <= args.duration <= 120 and 1 <= args.rounds <= 10 and 0 <= args.wait_idle <= 3600):
        raise SystemExit("--duration is 1 to 120 seconds, --rounds 1 to 10, --wait-idle 0 to 3600 seconds.")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    database_url = os.environ.get("BENCHMARK_DATABASE_URL") or DEFAULT_DATABASE_URLS[args.scale]
    workdir = Path(tempfile.mkdtemp(prefix="tracker-benchmark-"))
    script = workdir / "figures.lua"
    script.write_text(WRK_SCRIPT)
    env = production_env(database_url, workdir / "static")
    started, meters = [], []

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        generation = prepare_database(database_url, env, args.scale, args.rebuild)
        manage(env, "collectstatic", "--no-input", "-v", "0")
        counts = row_counts(database_url)
        django_in_process(env)
        chosen, compared = selected(targets(), args.only)
        urls = chosen
        if not urls and not compared:
            raise SystemExit(f"--only {' '.join(args.only)} matches no URL.")
        servers = start_servers(env, workdir, database_url, any(t.uncached for t in urls), started, meters)
        alone, failed = {}, {}
        for target in urls:
            base = servers["uncached" if target.uncached else "cached"][0]
            status, body, alone[target.key] = timed_fetch(base + target.path)
            if status not in target.answers:
                # Not measured (a broken page under load says nothing more), but reported and in the verdict.
                failed[target.key] = status
                say(f"Warning: {target.path} answered {status}, not {target.expected}: {body[:200]!r}")
        if failed:
            say(f"The end of gunicorn's log:\n{started[0].tail()}")
        urls = [target for target in urls if target.key not in failed]
        if compared:
            check_same_json(servers["cached"][0])
        say("Counting queries per request in process...")
        queries = count_queries(urls + ([Target(name, path) for name, path in COMPARED] if compared else []))
        wait_for_quiet(args.wait_idle)
        load_before = load_average()
        say(f"wrk -t{args.threads} -c{args.connections}, {'quick' if args.quick else f'{args.duration} s'} per URL:")
        rows, comparison = measure(args, servers, urls, compared, queries, alone, script)
        rows += [unanswered(target, failed[target.key], alone[target.key]) for target in chosen if target.key in failed]
        rows.sort(key=lambda row: [target.what for target in chosen].index(row["what"]))
        if any(row["non_2xx"] or row["errors"] for row in rows + comparison):
            say(f"Some answers were not the expected ones; the end of gunicorn's log:\n{started[0].tail()}")
        load_after = load_average()
    except KeyboardInterrupt:
        raise SystemExit("Interrupted.") from None
    finally:
        for meter in meters:
            meter.close()
        for server in started:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    result = {
        "scale": args.scale,
        "version": RESULTS_VERSION,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/run.py", *sys.argv[1:]]),
        "database": database_name(database_url),
        "load_average": {"before": load_before, "after": load_after},
        "statement_timeout_ms": int(env.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000")),
        "wrk": {
            "threads": args.threads,
            "connections": args.connections,
            "duration": 3 if args.quick else args.duration,
            "rounds": 1 if args.quick else args.rounds,
            "timeout": WRK_TIMEOUT,
        },
        "machine": machine(counts),
        "rows": counts,
        "generation": generation or previous_generation(args.scale),
        "urls": rows,
        "comparison": comparison,
    }
    RESULTS.mkdir(exist_ok=True)
    if args.only:
        written = RESULTS / f"{args.scale}-only.json"
        written.write_text(json.dumps(result, indent=2) + "\n")
        say(f"\n{table(result)}\n" + (f"{comparison_table(result)}\n" if comparison else "") + f"Wrote {written}.")
    else:
        (RESULTS / f"{args.scale}.json").write_text(json.dumps(result, indent=2) + "\n")
        write_doc()
        say(
            f"\n{table(result)}\n{comparison_table(result)}\n\n{verdict_table(load_results())}\n"
            f"Wrote {RESULTS / f'{args.scale}.json'} and {DOC}."
        )
    if failed:
        raise SystemExit(f"{len(failed)} URL(s) did not answer as expected and were not measured: {', '.join(failed)}")


def previous_generation(scale: str):
    path = RESULTS / f"{scale}.json"
    return json.loads(path.read_text()).get("generation") if path.exists() else None


# --- the report --------------------------------------------------------------------------------

CHOICES = re.compile(r"<!-- choices -->.*?<!-- /choices -->", re.DOTALL)
GROWTH_LIMIT = 1.5  # L's req/s may be at most this many times lower than S's
SEARCH_P95_LIMIT = 50.0  # ms, a selective term at L
CACHED_PAGE_FLOOR = 300.0  # req/s, home and case page through the page cache
UNCACHED_CASE_PAGE_FLOOR = 50.0  # req/s
PROVISIONS_FLOOR = 100.0  # req/s
CONVENTIONAL_FACTOR = 3.0  # the project's filings list against the conventional DRF one
FLOOR_SHARE = 0.5  # the project's filings list against the bare WSGI floor


def _flags(row: dict) -> str:
    """What the figures of a row do not say by themselves."""
    if row.get("failed"):
        return f" ({row['failed']})"
    flags = []
    if row.get("requests", 1) == 0:
        flags.append("no answer within the run")
    statuses = row.get("statuses") or {}
    if set(statuses) - {"200"}:
        flags.append("answers " + ", ".join(f"{code} × {n:,}" for code, n in statuses.items()))
    elif row["non_2xx"]:
        flags.append(f"{row['non_2xx']} answers not 2xx")
    if row["errors"]:
        timeouts = row.get("timeouts")
        flags.append(f"{row['errors']} socket errors" + (f", {timeouts} of them wrk timeouts" if timeouts else ""))
    if not row.get("settled", True) or not all(r.get("settled", True) for r in row.get("rounds", [])):
        flags.append("started before the previous run's requests were done")
    return f" ({'; '.join(flags)})" if flags else ""


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _figures(row: dict) -> str:
    """req/s, p50, p95, p99, app and DB CPU per request as table cells; dashes when nothing was answered."""
    if not row["rps"]:
        return " | ".join(["–"] * 6)
    p95 = f"{row['p95']:.1f}" if "p95" in row else "–"
    return (
        f"{_number(row['rps'])} | {row['p50']:.1f} | {p95} | {row['p99']:.1f} | {row['app_cpu']:.1f} | "
        f"{row['db_cpu']:.1f}"
    )


def table(result: dict) -> str:
    lines = [
        "| what | URL | req/s | p50 ms | p95 ms | p99 ms | app CPU ms/req | DB CPU ms/req | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["urls"]:
        lines.append(f"| {row['what']}{_flags(row)} | `{row['path']}` | {_figures(row)} | {row['queries']} |")
    return "\n".join(lines)


def _ratios(result: dict) -> dict:
    """The project's filings list against the conventional one and the floor: (req/s ratio, CPU ratio).
    Both say "how many times the project's"; above 1 the project is ahead."""
    rows = {row["what"]: row for row in result.get("comparison", [])}
    project = rows.get("project")
    ratios = {}
    for name, row in rows.items():
        cpu = row["app_cpu"] + row["db_cpu"]
        project_cpu = project["app_cpu"] + project["db_cpu"]
        ratios[name] = (
            project["rps"] / row["rps"] if row["rps"] and project["rps"] else float("nan"),
            cpu / project_cpu if project_cpu else float("nan"),
        )
    return ratios


def comparison_table(result: dict) -> str:
    ratios = _ratios(result)
    lines = [
        "| filings list, 20 per page | URL | req/s | p50 ms | p95 ms | p99 ms | app CPU ms/req | DB CPU ms/req "
        "| queries | project's req/s ÷ this | this CPU/req ÷ project's |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["comparison"]:
        rps, cpu = ratios[row["what"]]
        lines.append(
            f"| {row['what']}{_flags(row)} | `{row['path']}` | {_figures(row)} | {row['queries']} "
            f"| {rps:.2f} | {cpu:.2f} |"
        )
    return "\n".join(lines)


def load_results() -> dict:
    """The latest full results of each scale, by scale, from this version of the benchmark only."""
    found = {}
    for scale in SCALES:
        path = RESULTS / f"{scale}.json"
        if path.exists():
            result = json.loads(path.read_text())
            if result.get("version") == RESULTS_VERSION:
                found[scale] = result
            else:
                say(f"Leaving out {path}: written by an older version of the benchmark (run scale {scale} again).")
    return found


def _met(ok: bool, measured: str, target: str) -> str:
    return f"met: {measured} (target {target})" if ok else f"**not met**: {measured} (target {target})"


def _row(result: dict, what: str) -> dict | None:
    return next((row for row in result.get("urls", []) if row["what"] == what), None)


def _verdicts(result: dict) -> dict:
    """Target -> verdict at one scale, for the targets that a single run decides."""
    verdicts = {}
    ratios = _ratios(result)
    if "conventional DRF" in ratios:
        rps, cpu = ratios["conventional DRF"]
        verdicts["conventional req/s"] = _met(rps >= CONVENTIONAL_FACTOR, f"{rps:.2f}×", f"≥ {CONVENTIONAL_FACTOR:g}×")
        verdicts["conventional CPU"] = _met(cpu >= CONVENTIONAL_FACTOR, f"{cpu:.2f}×", f"≥ {CONVENTIONAL_FACTOR:g}×")
    if "bare WSGI floor" in ratios:
        rps, cpu = ratios["bare WSGI floor"]
        verdicts["floor req/s"] = _met(rps >= FLOOR_SHARE, f"{rps:.0%}", f"≥ {FLOOR_SHARE:.0%}")
        verdicts["floor CPU"] = _met(cpu >= FLOOR_SHARE, f"{cpu:.0%}", f"≥ {FLOOR_SHARE:.0%}")
    for key in LATENCY_TARGETS:
        row = _row(result, key)
        if row and "lone" in row:
            lone = row["lone"]
            clean = not (lone["non_2xx"] or lone["errors"] or row["non_2xx"] or row["errors"])
            measured = f"p95 {lone['p95']:.1f} ms for one client (p95 {row['p95']:.1f} ms among 16 connections)" + (
                "" if clean else f"{_flags(row)}"
            )
            if result["scale"] != "L":
                verdicts[key] = f"{measured} (the target is at L)"
            else:
                verdicts[key] = _met(lone["p95"] <= SEARCH_P95_LIMIT and clean, measured, f"≤ {SEARCH_P95_LIMIT:g} ms")
        elif row and "p95" in row:
            clean = not (row["non_2xx"] or row["errors"])
            measured = f"p95 {row['p95']:.1f} ms" + ("" if clean else f"{_flags(row)}")
            if result["scale"] != "L":
                verdicts[key] = f"{measured} (the target is at L)"
            else:
                verdicts[key] = _met(row["p95"] <= SEARCH_P95_LIMIT and clean, measured, f"≤ {SEARCH_P95_LIMIT:g} ms")
    row = _row(result, COMMON_API)
    if row and "statuses" in row:
        limit = result.get("statement_timeout_ms", 5000)
        statuses = ", ".join(f"{code} × {n:,}" for code, n in row["statuses"].items()) or "none"
        problems = []
        if set(row["statuses"]) - {"200", "400"}:
            problems.append("other statuses")
        if row.get("server_errors"):
            problems.append(f"{row['server_errors']} 5xx")
        if row["errors"]:
            problems.append(f"{row['errors']} socket errors ({row.get('timeouts', 0)} wrk timeouts)")
        if row.get("alone_ms", 0) > limit:
            problems.append(f"a lone request took {row['alone_ms']:.0f} ms")
        measured = (
            f"answers {statuses}; a lone request {row.get('alone_ms', 0):.0f} ms; p99 under load {row['p99']:.0f} ms"
        )
        if problems:
            measured += "; " + "; ".join(problems)
        verdicts[COMMON_API] = _met(
            not problems, measured, f"200 or 400 within the {limit} ms statement timeout, no 5xx, no wrk timeouts"
        )
    for what, floor in (
        (HOME, CACHED_PAGE_FLOOR),
        (CASE_PAGE, CACHED_PAGE_FLOOR),
        (CASE_PAGE + UNCACHED, UNCACHED_CASE_PAGE_FLOOR),
        (PROVISIONS_AZE, PROVISIONS_FLOOR),
    ):
        row = _row(result, what)
        if row:
            clean = not (row["non_2xx"] or row["errors"])
            measured = f"{_number(row['rps'])} req/s" + ("" if clean else _flags(row))
            verdicts[what] = _met(row["rps"] >= floor and clean, measured, f"≥ {floor:g} req/s")
    return verdicts


def growth(results: dict) -> list[tuple[str, dict | None, dict | None, float | None]]:
    """(what, S row, L row, S req/s ÷ L req/s) for every URL measured at either scale."""
    small = {row["what"]: row for row in results.get("S", {}).get("urls", [])}
    large = {row["what"]: row for row in results.get("L", {}).get("urls", [])}
    found = []
    for what in list(small) + [what for what in large if what not in small]:
        s, big = small.get(what), large.get(what)
        ratio = None
        if s and big and not s.get("failed"):
            ratio = s["rps"] / big["rps"] if big["rps"] else float("inf")
        found.append((what, s, big, ratio))
    return found


def growth_table(results: dict) -> str:
    lines = [
        "| what | S req/s | L req/s | S ÷ L | S p95 ms | L p95 ms | S CPU ms/req | L CPU ms/req | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for what, s, big, ratio in growth(results):
        cells = []
        for row in (s, big):
            cells.append(_number(row["rps"]) if row else "–")
        p95 = [f"{row['p95']:.1f}" if row and "p95" in row else "–" for row in (s, big)]
        cpu = [f"{row['app_cpu'] + row['db_cpu']:.1f}" if row and row["rps"] else "–" for row in (s, big)]
        if s and s.get("failed"):
            verdict = f"not measured at S ({s['failed']})"
        elif ratio is None:
            verdict = "measured at one scale only"
        else:
            verdict = "met" if ratio <= GROWTH_LIMIT else f"**not met**: {ratio:.2f}× slower at L"
        shown = f"{ratio:.2f}" if ratio is not None else "–"
        lines.append(
            f"| {what} | {cells[0]} | {cells[1]} | {shown} | {p95[0]} | {p95[1]} | {cpu[0]} | {cpu[1]} | {verdict} |"
        )
    return "\n".join(lines)


def verdict_table(results: dict) -> str:
    """Every target of issue 10, met or not, by scale, from the latest results of each."""
    per_scale = {scale: _verdicts(result) for scale, result in results.items()}
    missing = "not measured"

    def cell(scale: str, key: str) -> str:
        if scale not in results:
            return f"no {scale} results"
        return per_scale[scale].get(key, missing)

    lines = ["| target (issue 10) | S | L |", "|---|---|---|"]
    rows = [
        ("Filings list, 20 per page: ≥ 3× the conventional DRF in req/s", "conventional req/s"),
        ("Filings list, 20 per page: ≥ 3× the conventional DRF in CPU per request", "conventional CPU"),
        ("Filings list, 20 per page: ≥ 50% of the bare WSGI floor in req/s", "floor req/s"),
        ("Filings list, 20 per page: ≥ 50% of the bare WSGI floor in CPU per request", "floor CPU"),
    ]
    for label, key in rows:
        lines.append(f"| {label} | {cell('S', key)} | {cell('L', key)} |")
    measured = growth(results)
    compared = [(what, ratio) for what, _s, _l, ratio in measured if ratio is not None]
    if "S" in results and "L" in results and compared:
        slower = sorted(((ratio, what) for what, ratio in compared if ratio > GROWTH_LIMIT), reverse=True)
        if slower:
            worst = "; ".join(f"{what} {ratio:.1f}×" for ratio, what in slower[:5])
            more = f" and {len(slower) - 5} more" if len(slower) > 5 else ""
            text = (
                f"**not met**: {len(slower)} of {len(compared)} URLs slower at L by more than "
                f"{GROWTH_LIMIT:g}× ({worst}{more}; target ≤ {GROWTH_LIMIT:g}×)"
            )
        else:
            worst = max(ratio for _what, ratio in compared)
            text = f"met: all {len(compared)} URLs within {worst:.2f}× (target ≤ {GROWTH_LIMIT:g}×)"
    else:
        text = "needs results at both scales"
    label = f"No request's cost grows with the table: every URL's L req/s within {GROWTH_LIMIT:g}× of S"
    lines.append(f"| {label} | – | {text} |")
    for label, key in (
        (f"API `?q={SELECTIVE_TERM}`", SELECTIVE_API),
        (f"search page `?q={SELECTIVE_TERM}` without the page cache", SELECTIVE_PAGE + UNCACHED),
    ):
        lines.append(
            f"| Search, a selective term: p95 ≤ {SEARCH_P95_LIMIT:g} ms at L ({label}) | {cell('S', key)} "
            f"| {cell('L', key)} |"
        )
    for label, key in (
        (f"A very common term (API `?q={COMMON_TERM}`) answered within the statement timeout", COMMON_API),
        (f"Home page ≥ {CACHED_PAGE_FLOOR:g} req/s, anonymous, through the page cache", HOME),
        (f"Case page of No. 180 ≥ {CACHED_PAGE_FLOOR:g} req/s, anonymous, through the page cache", CASE_PAGE),
        (f"Case page of No. 180 ≥ {UNCACHED_CASE_PAGE_FLOOR:g} req/s without the page cache", CASE_PAGE + UNCACHED),
        (f"`/api/v1/provisions/?addressee=AZE` ≥ {PROVISIONS_FLOOR:g} req/s", PROVISIONS_AZE),
    ):
        lines.append(f"| {label} | {cell('S', key)} | {cell('L', key)} |")
    return "\n".join(lines)


def _load(result: dict) -> str:
    load = result.get("load_average")
    if not load:
        return ""
    return (
        f"Load average (1 min) {load['before']} when wrk started and {load['after']} when it ended "
        "(wrk, gunicorn and PostgreSQL account for up to about 3 of it; more means other work shared the cores)."
    )


def verdict_section(results: dict) -> str:
    runs = []
    for scale, result in results.items():
        m = result["machine"]
        runs.append(
            f"- Scale {scale}: run {result['date']} (`{result['command']}`) on {m['nproc']} × {m['cpu']} "
            f"({m['arch']}), Linux {m['kernel']}, PostgreSQL {m['postgresql']}; load average (1 min) "
            f"{result['load_average']['before']} when wrk started, {result['load_average']['after']} when it ended."
        )
    return f"""## Verdict: the targets of issue 10

Computed by benchmarks/run.py from benchmarks/results/S.json and L.json (the latest full run of each
scale); "met" or "not met", with the measured figure and the target. Ratios compare figures taken in
the same run, so a busy machine moves them less than the req/s themselves.

{chr(10).join(runs)}

{verdict_table(results)}

### Scale S against scale L

Every URL measured at both scales: a cost that grows with the table shows as a ratio above
{GROWTH_LIMIT:g}. The very common search term may answer 400 "too broad" at L and 200 at S. The CPU
per request (app and database) moves less with the machine's other work than req/s does.

{growth_table(results)}
"""


def scale_section(result: dict) -> str:
    rows, m = result["rows"], result["machine"]
    generation = result.get("generation")
    generated = (
        f"Generating the synthetic volume (`manage.py generate_synthetic --cases {generation['cases']} "
        f"--filings {generation['filings']}`, COPY, then VACUUM ANALYZE) took **{generation['seconds']:.0f} s**."
        if generation
        else "The synthetic volume was already in the database; its generation time was not recorded."
    )
    w = result["wrk"]
    cases, filings = SCALES[result["scale"]]
    return f"""## Scale {result["scale"]}: the dataset plus {cases:,} synthetic cases and {filings:,} synthetic filings

Run {result["date"]} with `{result["command"]}` on {m["nproc"]} × {m["cpu"]} ({m["arch"]}), PostgreSQL
{m["postgresql"]}. The database in all: {", ".join(f"{v:,} {k}" for k, v in rows.items())}. {generated}

wrk {w["threads"]} threads, {w["connections"]} connections, {w["duration"]} s per URL after a warm-up; latency
percentiles and statuses from a wrk Lua script; queries per request counted in process (the rows
"without the page cache" with PAGE_CACHE_TIMEOUT=0, served by the second gunicorn). {_load(result)}

{table(result)}

The filings list three ways, in {w["rounds"]} interleaved round(s) of {w["duration"]} s (medians), all three
returning the same JSON body (checked before measuring):

{comparison_table(result)}
"""


def write_doc() -> None:
    results = load_results()
    latest = max(results.values(), key=lambda r: r["date"])
    m = latest["machine"]
    sections = "\n".join(scale_section(result) for result in results.values())
    # The hand-written account of the choices and their measured effect survives every run.
    kept = CHOICES.search(DOC.read_text()) if DOC.exists() else None
    choices = kept.group(0) if kept else "<!-- choices -->\n<!-- /choices -->"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(f"""# Performance

Written by `make benchmark` (benchmarks/run.py), except the part between the `choices` markers,
which is written by hand and kept by every run; measure again before quoting a number.

## What this measures

Throughput and latency of the app as production runs it, on one machine: gunicorn with 3 sync
workers (gunicorn.conf.py) and production settings (DEBUG off, persistent database connections,
Redis as the cache), PostgreSQL on the same machine, and wrk on loopback with 16 connections. wrk
shares the {m["nproc"]} cores with gunicorn and PostgreSQL, so the figures are for comparing one
change with another on this machine, not capacity planning. API throttling is raised out of the way.
The data: the curated dataset plus synthetic cases, filings, decisions, votes and claims (`manage.py
generate_synthetic`, marked "Synthetic data for benchmarks"); scale S is about 300 cases and 10k
filings, scale L about 10k cases and 1M filings, each in a database of its own.

Measured: every list of the API (20 per page, and the filings list's default page), a detail of
each resource, the timeline of No. 180, `?addressee=AZE` on the provisions, full-text search with a
selective term ("{SELECTIVE_TERM}", only in the real dataset) and with a term in every synthetic
filing ("{COMMON_TERM}", which may be answered 400 "too broad" when PostgreSQL's statement timeout
cuts it short: an answer, not an error), and the researchers' pages, as anonymous readers get them
(from the shared page cache once it holds them). The home page, the case page of No. 180 and the
search page are measured a second time on a second gunicorn started with PAGE_CACHE_TIMEOUT=0: what
a page costs when it is built, after every edit.

For the filings list, the project's endpoint is compared with a conventional DRF implementation
(ModelViewSet, nested ModelSerializers, PageNumberPagination, select_related/prefetch_related:
benchmarks/conventional.py) and with a bare WSGI function doing hand-written SQL through psycopg2 on
a persistent connection and `json.dumps` (benchmarks/floor.py), the three returning the same JSON.
The ratios say what the project's extra layers (strict filters, field selection, ETags, its own
pagination) cost over the conventional way, and what Django and DRF cost over the floor.
Queries per request are counted in process with Django's test client (the floor counts its own).

req/s and latencies depend on everything else the machine is doing (the load average of each run is
given: on a shared machine other work takes its share of the cores). The CPU columns do much less:
the CPU time the gunicorn workers (app) and the benchmark database's PostgreSQL backends (DB) used
during the run, divided by the requests answered, read from /proc. Compare those when the load
average was high.

## Machine

- {m["nproc"]} cores (`nproc`), {m["arch"]} (`uname -m`), {m["cpu"]} (/proc/cpuinfo), Linux {m["kernel"]}
- PostgreSQL {m["postgresql"]}, Python {m["python"]}, Django {m["django"]}, gunicorn {m["gunicorn"]}, {m["wrk"]}

## Commands

```sh
make benchmark                 # scale S (builds tracker_benchmark_s on first use)
make benchmark SCALE=L         # scale L: generates ~1M filings in tracker_benchmark_l once, then reuses it
make benchmark ONLY=provisions # only the URLs whose label or address says "provisions"
.venv/bin/python benchmarks/run.py --quick   # 3 s per URL, one round
```

BENCHMARK_DATABASE_URL (default {DEFAULT_DATABASE_URLS["S"]} or
{DEFAULT_DATABASE_URLS["L"]}) names the database; BENCHMARK_REDIS_URL (default
{DEFAULT_REDIS_URL}, empty for none) the cache.

{verdict_section(results)}
{choices}

{sections}""")


if __name__ == "__main__":
    main()
