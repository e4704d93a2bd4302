"""make benchmark: the app under gunicorn with production settings, driven by wrk on loopback.

    make benchmark                      # scale S: the dataset plus ~300 synthetic cases, ~10k filings
    make benchmark SCALE=L              # scale L: ~10k cases, ~1M filings (generated once: 1.5 to 4.5 min here)
    .venv/bin/python benchmarks/run.py --quick     # shorter runs, one round of the comparison

1. A PostgreSQL database of its own (BENCHMARK_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/tracker_benchmark; its name must contain "benchmark"): created
   if missing, migrated, the real dataset loaded (an idempotent upsert), and the synthetic volume
   written by ``manage.py generate_synthetic`` (timed) unless it already holds that scale; a
   database at another scale is dropped and built again.
2. gunicorn (gunicorn.conf.py when there is one: 3 sync workers) serving benchmarks.wsgi with
   production settings: DJANGO_DEBUG off, a throwaway DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS=127.0.0.1,
   no HTTPS redirect, the API throttle raised out of the way, Redis (BENCHMARK_REDIS_URL, database 13
   by default) as the cache when it answers. Static files are collected into a temporary directory.
3. Every URL is fetched once and must answer 200; the filings list of the project, of a conventional
   DRF implementation (benchmarks/conventional.py) and of a bare WSGI floor (benchmarks/floor.py) must
   return the same JSON. After waiting (boundedly) for the load average to fall, wrk (2 threads,
   16 connections, --latency) runs against each URL after a warm-up, and against the three filings
   lists in interleaved rounds; before each run the server is let finish what the previous one left
   in flight. The CPU the gunicorn workers and the database's backends used per request is read
   from /proc: unlike req/s, it hardly moves when other work shares the machine.
4. Queries per request are counted in process (Django's test client and CaptureQueriesContext).
5. The figures go to benchmarks/results/<scale>.json and docs/performance.md (both scales).

Everything is on 127.0.0.1 and every loop is bounded; gunicorn and the temporary directory are
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

ROOT = Path(__file__).resolve().parents[1]
sys.path[0:1] = [str(ROOT)]  # the project, not benchmarks/, first: `import benchmarks.wsgi`
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "performance.md"
LOOPBACK = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tracker_benchmark"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
MARKER = "Synthetic data for benchmarks"  # generate_synthetic's marker, in every synthetic fact's note
SCALES = {"S": (300, 10_000), "L": (10_000, 1_000_000)}
SERVER_START_LIMIT = 60  # seconds for gunicorn to answer
REQUEST_TIMEOUT = 30  # seconds, per request of the checks
WRK_TIMEOUT = "10s"  # a slower answer counts as a wrk timeout error
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
    current = synthetic_scale(url)
    fresh = rebuild or current not in (None, (0, 0), (cases, filings))
    if fresh and current:
        say(f"Rebuilding {name}: it held {current[0]:,} synthetic cases and {current[1]:,} filings.")
    recreate_database(url, name, drop=fresh)
    say(f"Migrating {name} and loading the dataset...")
    if not manage(env, "migrate", "--no-input", "-v", "0", check=fresh):
        # The project's migrations changed under an older benchmark database: it is disposable.
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
        "claims": "compliance_compliance_claim",
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


def production_env(database_url: str, static_root: Path, port: int) -> dict:
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
        GUNICORN_BIND=f"{LOOPBACK}:{port}",
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

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.MULTILINE))
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if not (rate and total and "50" in latency and "99" in latency):
        raise SystemExit(f"Could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(rate.group(1)),
        "p50": _milliseconds(latency["50"]),
        "p99": _milliseconds(latency["99"]),
        "requests": int(total.group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": sum(map(int, errors.groups())) if errors else 0,
    }


def wrk(url: str, seconds: int, threads: int, connections: int, meter: CpuMeter) -> dict:
    settled = meter.settle()
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={WRK_TIMEOUT}", "--latency", url]
    before = meter.sample()
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)  # noqa: S603
    figures = parse_wrk(result.stdout)
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


def count_queries(paths: list[str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks import floor

    client = Client(HTTP_HOST=LOOPBACK)
    counts = {}
    for path in paths:
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
            counts[path] = floor.queries - before
            continue
        client.get(path)  # the first request of a process also loads what later ones reuse
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} in process.")
        counts[path] = len(queries)
    connection.close()
    return counts


# --- the run -----------------------------------------------------------------------------------


def targets(database_url: str) -> list[tuple[str, str]]:
    """(what, path) for every URL measured on its own; ids looked up in the benchmark database."""
    import psycopg2

    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM cases_case WHERE general_list_number = 180")
            case = cursor.fetchone()
            if case is None:
                raise SystemExit("Case No. 180 is not in the benchmark database: did load_dataset run?")
            cursor.execute("SELECT id FROM filings_filing WHERE case_id = %s ORDER BY filed_on, id LIMIT 1", case)
            filing = cursor.fetchone()[0]
    finally:
        connection.close()
    case = case[0]
    return [
        ("API filings, page_size=20", "/api/v1/filings/?page_size=20"),
        ("API filings, default page (50)", "/api/v1/filings/"),
        ("API provisions addressed to AZE", "/api/v1/provisions/?addressee=AZE"),
        ("API cases", "/api/v1/cases/"),
        ("API filing detail", f"/api/v1/filings/{filing}/"),
        ("API case detail, No. 180", f"/api/v1/cases/{case}/"),
        ("API timeline of No. 180", f"/api/v1/cases/{case}/timeline/"),
        ("API filings q=lachin", "/api/v1/filings/?q=lachin"),
        ("search page q=landmines", "/search/?q=landmines"),
        ("home page", "/"),
        ("case list page", "/cases/"),
        ("case page, No. 180", "/cases/180/"),
    ]


def _line(what: str, figures: dict) -> str:
    return (
        f"  {what:<34} {figures['rps']:>8.1f} req/s  p50 {figures['p50']:>7.1f} ms  p99 {figures['p99']:>7.1f} ms  "
        f"CPU/req: app {figures['app_cpu']:.1f} ms, db {figures['db_cpu']:.1f} ms"
    )


def measure(args, base: str, urls, queries, meter: CpuMeter) -> tuple[list, list]:
    seconds, warmup = (3, 1) if args.quick else (args.duration, 2)
    rounds = 1 if args.quick else args.rounds
    rows = []
    for what, path in urls:
        wrk(base + path, warmup, args.threads, args.connections, meter)
        figures = wrk(base + path, seconds, args.threads, args.connections, meter)
        rows.append({"what": what, "path": path, "queries": queries[path], **figures})
        say(_line(what, figures))
    say(f"Filings list, {rounds} interleaved round(s) of {seconds} s each:")
    runs = {name: [] for name, _ in COMPARED}
    for _name, path in COMPARED:
        wrk(base + path, warmup, args.threads, args.connections, meter)
    for round_number in range(rounds):
        order = COMPARED[round_number % len(COMPARED) :] + COMPARED[: round_number % len(COMPARED)]
        for name, path in order:
            runs[name].append(wrk(base + path, seconds, args.threads, args.connections, meter))
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
                "p50": statistics.median(r["p50"] for r in taken),
                "p99": statistics.median(r["p99"] for r in taken),
                "app_cpu": statistics.median(r["app_cpu"] for r in taken),
                "db_cpu": statistics.median(r["db_cpu"] for r in taken),
                "non_2xx": sum(r["non_2xx"] for r in taken),
                "errors": sum(r["errors"] for r in taken),
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

    database_url = os.environ.get("BENCHMARK_DATABASE_URL", DEFAULT_DATABASE_URL)
    workdir = Path(tempfile.mkdtemp(prefix="tracker-benchmark-"))
    port = free_port()
    env = production_env(database_url, workdir / "static", port)
    server = None

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        generation = prepare_database(database_url, env, args.scale, args.rebuild)
        manage(env, "collectstatic", "--no-input", "-v", "0")
        counts = row_counts(database_url)
        urls = targets(database_url)
        server = Server(env, port, workdir / "gunicorn.log")
        say(f"Starting gunicorn on {server.base} ({' '.join(server.command[1:])})...")
        server.start()
        for _what, path in urls:
            status, body = fetch(server.base + path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}, not 200: {body[:300]!r}\n{server.tail()}")
        check_same_json(server.base)
        say("Counting queries per request in process...")
        django_in_process(env)
        queries = count_queries([path for _, path in urls] + [path for _, path in COMPARED])
        wait_for_quiet(args.wait_idle)
        load_before = load_average()
        say(f"wrk -t{args.threads} -c{args.connections}, {'quick' if args.quick else f'{args.duration} s'} per URL:")
        meter = CpuMeter(server.process.pid, port, database_url, database_name(database_url))
        try:
            rows, comparison = measure(args, server.base, urls, queries, meter)
        finally:
            meter.close()
        if any(row["non_2xx"] or row["errors"] for row in rows + comparison):
            say(f"Some answers were not 2xx; the end of gunicorn's log:\n{server.tail()}")
        load_after = load_average()
    except KeyboardInterrupt:
        raise SystemExit("Interrupted.") from None
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    result = {
        "scale": args.scale,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/run.py", *sys.argv[1:]]),
        "load_average": {"before": load_before, "after": load_after},
        "wrk": {
            "threads": args.threads,
            "connections": args.connections,
            "duration": 3 if args.quick else args.duration,
            "rounds": 1 if args.quick else args.rounds,
        },
        "machine": machine(counts),
        "rows": counts,
        "generation": generation or previous_generation(args.scale),
        "urls": rows,
        "comparison": comparison,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.scale}.json").write_text(json.dumps(result, indent=2) + "\n")
    write_doc()
    say(f"\n{table(result)}\n{comparison_table(result)}\nWrote {RESULTS / f'{args.scale}.json'} and {DOC}.")


def previous_generation(scale: str):
    path = RESULTS / f"{scale}.json"
    return json.loads(path.read_text()).get("generation") if path.exists() else None


# --- the report --------------------------------------------------------------------------------


def _flags(row: dict) -> str:
    """What the figures of a row do not say by themselves."""
    flags = []
    if row.get("requests", 1) == 0:
        flags.append("no answer within the run")
    if row["non_2xx"]:
        flags.append(f"{row['non_2xx']} answers not 2xx")
    if row["errors"]:
        flags.append(f"{row['errors']} socket errors or timeouts")
    if not row.get("settled", True) or not all(r.get("settled", True) for r in row.get("rounds", [])):
        flags.append("started before the previous run's requests were done")
    return f" ({'; '.join(flags)})" if flags else ""


def _figures(row: dict) -> str:
    """req/s, p50, p99, app and DB CPU per request as table cells; dashes when nothing was answered."""
    if not row["rps"]:
        return " | ".join(["–"] * 5)
    rps = f"{row['rps']:,.0f}" if row["rps"] >= 100 else f"{row['rps']:.1f}"
    return f"{rps} | {row['p50']:.1f} | {row['p99']:.1f} | {row['app_cpu']:.1f} | {row['db_cpu']:.1f}"


def table(result: dict) -> str:
    lines = [
        "| what | URL | req/s | p50 ms | p99 ms | app CPU ms/req | DB CPU ms/req | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["urls"]:
        lines.append(f"| {row['what']}{_flags(row)} | `{row['path']}` | {_figures(row)} | {row['queries']} |")
    return "\n".join(lines)


def comparison_table(result: dict) -> str:
    rows = {row["what"]: row for row in result["comparison"]}
    project = rows["project"]
    lines = [
        "| filings list, 20 per page | URL | req/s | p50 ms | p99 ms | app CPU ms/req | DB CPU ms/req | queries "
        "| project ÷ this, req/s | project ÷ this, CPU/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    project_cpu = project["app_cpu"] + project["db_cpu"]
    for row in result["comparison"]:
        ratio = project["rps"] / row["rps"] if row["rps"] and project["rps"] else float("nan")
        cpu = row["app_cpu"] + row["db_cpu"]
        cpu_ratio = project_cpu / cpu if cpu else float("nan")
        lines.append(
            f"| {row['what']}{_flags(row)} | `{row['path']}` | {_figures(row)} | {row['queries']} "
            f"| {ratio:.2f} | {cpu_ratio:.2f} |"
        )
    return "\n".join(lines)


def _load(result: dict) -> str:
    load = result.get("load_average")
    if not load:
        return ""
    return (
        f"Load average (1 min) {load['before']} when wrk started and {load['after']} when it ended "
        "(wrk, gunicorn and PostgreSQL account for up to about 3 of it; more means other work shared the cores)."
    )


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
percentiles from `wrk --latency`; queries per request counted in process. {_load(result)}

{table(result)}

The filings list three ways, in {w["rounds"]} interleaved round(s) of {w["duration"]} s (medians), all three
returning the same JSON body (checked before measuring):

{comparison_table(result)}
"""


def write_doc() -> None:
    results = [
        json.loads((RESULTS / f"{scale}.json").read_text()) for scale in SCALES if (RESULTS / f"{scale}.json").exists()
    ]
    latest = max(results, key=lambda r: r["date"])
    m = latest["machine"]
    sections = "\n".join(scale_section(result) for result in results)
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(f"""# Performance

Written by `make benchmark` (benchmarks/run.py); measure again before quoting a number.

## What this measures

Throughput and latency of the app as production runs it, on one machine: gunicorn with 3 sync
workers (gunicorn.conf.py) and production settings (DEBUG off, persistent database connections,
Redis as the cache), PostgreSQL on the same machine, and wrk on loopback with 16 connections. wrk
shares the {m["nproc"]} cores with gunicorn and PostgreSQL, so the figures are for comparing one
change with another on this machine, not capacity planning. API throttling is raised out of the way.
The data: the curated dataset plus synthetic cases, filings, decisions, votes and claims (`manage.py
generate_synthetic`, marked "Synthetic data for benchmarks"); scale S is about 300 cases and 10k
filings, scale L about 10k cases and 1M filings.

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
make benchmark             # scale S (builds tracker_benchmark on first use)
make benchmark SCALE=L     # scale L: generates ~1M filings once, then reuses the database
.venv/bin/python benchmarks/run.py --quick   # 3 s per URL, one round
```

BENCHMARK_DATABASE_URL (default {DEFAULT_DATABASE_URL}) names the database; BENCHMARK_REDIS_URL
(default {DEFAULT_REDIS_URL}, empty for none) the cache.

{sections}""")


if __name__ == "__main__":
    main()
