"""Fault drills: PostgreSQL restarted, PostgreSQL stopped, an app worker killed mid-write (make drills).

Starts a PostgreSQL cluster of its own in a temporary directory on a spare loopback port (never a
server that is already running), migrates it and loads the dataset, serves the app with gunicorn
(gunicorn.conf.py, production settings) on another spare loopback port, drives a bounded load of
reads and token-authenticated writes, and while it runs:

  (a) restarts PostgreSQL (pg_ctl restart -m fast): no error once it is back;
  (b) stops PostgreSQL: every answer is a 503 with Retry-After (JSON for the API, HTML for the
      site), never a 500; the first 200 within a second of `pg_ctl start` returning;
  (c) kills gunicorn workers with SIGKILL while they write: every write acknowledged with a 200 is
      in the database afterwards;
  (d) checks that PostgreSQL's statement timeout is shorter than gunicorn's worker timeout.

Prints a table of figures and writes it, with the machine and the date, into docs/reliability.md.
Exits non-zero if any expectation fails. Everything it starts is stopped, and its directory removed,
on the way out, also on Ctrl-C or failure (--keep keeps the directory and its logs).
"""

import argparse
import http.client
import json
import os
import platform
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reliability.md"
DOC_BEGIN = "<!-- drills:begin -->"
DOC_END = "<!-- drills:end -->"
DATABASE = "tracker_drills"
EDITOR = "drill-editor"
LOOPBACK = "127.0.0.1"

THREADS = 4  # load threads; each writes to a filing of its own
REQUEST_TIMEOUT = 10  # seconds, per request
MAX_REQUESTS = 20_000  # a hard bound on the whole drill's load
LOAD_AT_START = " ".join(f"{figure:.1f}" for figure in os.getloadavg())  # others' work skews latencies
DEADLINE = 240  # seconds: the whole drill, set-up included, or it stops with an error
RECOVERY_LIMIT = 1.0  # seconds from `pg_ctl start` returning to the first 200
KILLS = 5

API_READ = "/api/v1/filings/"
SITE_READ = "/cases/180/"


class DrillError(Exception):
    """The drill could not be carried out (as opposed to an expectation that failed)."""


# --- processes -------------------------------------------------------------------------------------


def spare_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def postgres_bindir() -> Path:
    """The server binaries (initdb, pg_ctl): PG_BIN, else Debian's newest, else the PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if debian:
        return debian[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise DrillError("initdb/pg_ctl not found: install PostgreSQL's server (apt-get install postgresql) or set PG_BIN.")


def run(command: list, *, env: dict | None = None, timeout: float = 120, what: str = "") -> str:
    # Fixed programs (PostgreSQL's tools, this project's manage.py) with arguments built here; no shell.
    result = subprocess.run(  # noqa: S603
        [str(part) for part in command],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise DrillError(f"{what or command[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


class Cluster:
    """A throwaway PostgreSQL cluster: its own directory, a spare loopback port, its own socket dir."""

    def __init__(self, workdir: Path):
        self.bindir = postgres_bindir()
        self.port = spare_port()
        self.dir = workdir / "pg"
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        # initdb refuses to run as root: run the server tools as the postgres account then.
        self.prefix: list[str] = []
        self.dir.mkdir()
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise DrillError("Running as root and there is no postgres account to run the server as.") from None
            os.chown(self.dir, account.pw_uid, account.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@{LOOPBACK}:{self.port}/{DATABASE}"

    def tool(self, name: str, *args, timeout: float = 60) -> str:
        return run([*self.prefix, self.bindir / name, *args], timeout=timeout, what=name)

    def ctl(self, *args) -> str:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses={LOOPBACK}"
        return self.tool("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", *args, "-o", options)

    def create(self) -> None:
        self.tool("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        self.ctl("start")
        self.tool("createdb", "-h", LOOPBACK, "-p", self.port, "-U", "postgres", DATABASE)

    def version(self) -> str:
        return self.tool("postgres", "--version").strip()

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        if not self.running():
            return
        try:
            self.tool("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", timeout=30)
        except (DrillError, subprocess.TimeoutExpired):
            pid = int((self.data / "postmaster.pid").read_text().split()[0])  # the postmaster this drill started
            os.kill(pid, signal.SIGKILL)


class Server:
    """gunicorn with the committed configuration, its own process group, logs in the work directory."""

    def __init__(self, env: dict, workdir: Path):
        self.port = spare_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        self.env = {**env, "GUNICORN_BIND": f"{LOOPBACK}:{self.port}"}
        self.log_path = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
                [str(gunicorn), "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: Ctrl-C reaches the drill, which stops it
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DrillError(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            if fetch(self.base, "probe", "/api/v1/").status == 200 and len(self.workers()) >= 1:
                return
            time.sleep(0.2)
        raise DrillError("gunicorn did not answer within 30 s")

    def workers(self) -> list[int]:
        """The worker processes: children of this gunicorn's master."""
        if self.process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                children.append(int(entry.name))
        return children

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def database_ports(pid: int, database_port: int) -> list[int]:
    """The local ports of process `pid`'s TCP connections to `database_port` (from /proc)."""
    try:
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        lines = Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]
    except OSError:  # the process just ended
        return []
    ports = []
    for line in lines:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if inode in inodes and int(remote.split(":")[1], 16) == database_port:
            ports.append(int(local.split(":")[1], 16))
    return ports


# --- load --------------------------------------------------------------------------------------------

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy


@dataclass
class Outcome:
    kind: str  # "api", "site", "write" or "probe"
    started: float
    ended: float
    status: int | None  # None: no answer (connection refused, reset or timed out)
    retry_after: str | None = None
    shape: str = ""  # "json" (with a "detail" for errors), "html" or "other"
    error: str = ""
    filing: int | None = None
    seq: int | None = None
    value: str | None = None
    document: dict | None = None  # the JSON body, kept only when asked for


def fetch(base: str, kind: str, path: str, *, method="GET", payload=None, headers=None, keep=False) -> Outcome:
    body = json.dumps(payload).encode() if payload is not None else None
    # Always http://127.0.0.1:<port> of the gunicorn this drill started.
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})  # noqa: S310
    started = time.monotonic()
    status, response_headers, content, error = None, None, b"", ""
    try:
        with OPENER.open(request, timeout=REQUEST_TIMEOUT) as response:
            status, response_headers, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as failure:
        status, response_headers = failure.code, failure.headers
        try:
            content = failure.read()
        except (OSError, http.client.HTTPException):
            content = b""
    except (urllib.error.URLError, http.client.HTTPException, OSError) as failure:
        error = f"{type(failure).__name__}: {failure}"
    outcome = Outcome(kind, started, time.monotonic(), status, error=error)
    if response_headers is not None:
        outcome.retry_after = response_headers.get("Retry-After")
        content_type = response_headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            try:
                document = json.loads(content)
                outcome.shape = "json" if status == 200 or "detail" in document else "other"
                outcome.document = document if keep else None
            except ValueError:
                outcome.shape = "other"
        elif content_type.startswith("text/html"):
            outcome.shape = "html"
        else:
            outcome.shape = "other"
    return outcome


class Load:
    """THREADS threads cycling API reads, page reads and writes until stopped (or MAX_REQUESTS)."""

    def __init__(self, base: str, token: str, filings: list[int], run_id: str):
        self.base, self.token, self.filings, self.run_id = base, token, filings, run_id
        self.outcomes: list[Outcome] = []
        self.writes_only = False
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.loop, args=(i,), daemon=True) for i in range(THREADS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)

    def loop(self, index: int) -> None:
        filing = self.filings[index]
        seq = 0
        for turn in range(MAX_REQUESTS):
            if self.stopping.is_set() or len(self.outcomes) >= MAX_REQUESTS:
                return
            if self.writes_only or turn % 3 == 2:
                seq += 1
                outcome = self.write(filing, f"drill {self.run_id}: filing {filing}, write {seq}")
                outcome.seq = seq
            elif turn % 3 == 0:
                outcome = self.read_api()
            else:
                outcome = self.read_page()
            self.outcomes.append(outcome)
            # Pace the loop; back off a little more while failing so a stopped database is not a busy loop.
            time.sleep(0.005 if outcome.status == 200 else 0.03)

    def read_api(self) -> Outcome:
        return fetch(self.base, "api", API_READ, headers={"Accept": "application/json"})

    def read_page(self) -> Outcome:
        return fetch(self.base, "site", SITE_READ, headers={"Accept": "text/html"})

    def write(self, filing: int, value: str) -> Outcome:
        outcome = fetch(
            self.base,
            "write",
            f"{API_READ}{filing}/",
            method="PATCH",
            payload={"summary": value},
            headers={
                "Authorization": f"Token {self.token}",
                "If-Match": "*",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        outcome.filing, outcome.value = filing, value
        return outcome

    def between(self, start: float, end: float | None = None) -> list[Outcome]:
        end = time.monotonic() if end is None else end
        return [o for o in list(self.outcomes) if start <= o.started < end]


def not_ok(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.status != 200]


def latencies(outcomes: list[Outcome]) -> str:
    """Median time to an answer of each kind, in ms: API read / page / write."""
    medians = []
    for kind in ("api", "site", "write"):
        times = [o.ended - o.started for o in outcomes if o.kind == kind and o.status is not None]
        medians.append(f"{statistics.median(times) * 1000:.0f}" if times else "-")
    return " / ".join(medians) + " ms"


def summary_of(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        key = str(outcome.status) if outcome.status is not None else "no answer"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items())) or "none"


# --- the drill -------------------------------------------------------------------------------------


@dataclass
class Figure:
    drill: str
    what: str
    value: str
    expected: str
    ok: bool | None  # None: a figure for information, with no expectation


class Drill:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.figures: list[Figure] = []
        self.cluster = Cluster(workdir)
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "API_THROTTLE", "REDIS_URL", "GUNICORN_BIND"))
            and key not in {"GUNICORN_ACCESS_LOG", "TRACKER_EDITOR_PASSWORD"}
        }
        self.env = {
            **inherited,  # keeps WEB_CONCURRENCY, GUNICORN_TIMEOUT, DATABASE_STATEMENT_TIMEOUT_MS if set
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
            "DATABASE_URL": self.cluster.url,
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            # The drill's own load must not be throttled: it comes from one address.
            "API_THROTTLE_ANON": "1000000/hour",
            "API_THROTTLE_USER": "1000000/hour",
        }
        self.server = Server(self.env, workdir)
        self.load: Load | None = None
        self.spare_filing = 0
        self.run_id = secrets.token_hex(3)

    def figure(self, drill, what, value, expected="", ok=None):
        self.figures.append(Figure(drill, what, str(value), expected, ok))
        mark = {True: "ok", False: "FAILED", None: ""}[ok]
        print(f"  {drill:<10} {what:<58} {value!s:<28} {mark}", flush=True)

    def manage(self, *args, **extra_env) -> str:
        return run(
            [sys.executable, "manage.py", *args],
            env={**self.env, **extra_env},
            timeout=180,
            what=f"manage.py {args[0]}",
        )

    # set-up

    def set_up(self) -> None:
        step = time.monotonic()
        print(f"PostgreSQL: a cluster of its own in {self.cluster.dir}, port {self.cluster.port}", flush=True)
        self.cluster.create()
        print("Migrating, loading the dataset, collecting static files, making an editor and a token", flush=True)
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("load_dataset", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.manage("createeditor", EDITOR, TRACKER_EDITOR_PASSWORD=secrets.token_urlsafe(24))
        match = re.search(r"Generated token (\w+)", self.manage("drf_create_token", EDITOR))
        if not match:
            raise DrillError("drf_create_token printed no token")
        token = match.group(1)
        filings = [int(line) for line in self.sql("SELECT id FROM filings_filing ORDER BY id").split()][: THREADS + 1]
        if len(filings) <= THREADS:
            raise DrillError("The dataset has too few filings to give each load thread one of its own")
        self.spare_filing = filings.pop()  # written to only while the database is stopped
        print(f"gunicorn (gunicorn.conf.py, production settings) on {self.server.base}", flush=True)
        self.server.start()
        self.load = Load(self.server.base, token, filings, self.run_id)
        print(f"Set up in {time.monotonic() - step:.1f} s; {THREADS} load threads start\n", flush=True)

    def sql(self, statement: str) -> str:
        psql = self.cluster.bindir / "psql"
        command = [psql, "-X", "-At", "-h", LOOPBACK, "-p", self.cluster.port, "-U", "postgres", "-d", DATABASE]
        return run([*command, "-c", statement], what="psql")

    # the drills

    def warm_up(self) -> None:
        start = time.monotonic()
        self.load.start()
        time.sleep(4)
        outcomes = self.load.between(start)
        self.figure("baseline", "requests before any fault, not 200", len(not_ok(outcomes)), "0", not not_ok(outcomes))
        self.figure("baseline", "median time to answer (API read / page / write)", latencies(outcomes))

    def restart(self) -> None:
        time.sleep(1)
        began = time.monotonic()
        self.cluster.ctl("restart", "-m", "fast")
        back = time.monotonic()
        time.sleep(5)
        during = self.load.between(began, back)
        after = self.load.between(back)
        self.figure("(a)", "pg_ctl restart -m fast took", f"{back - began:.2f} s")
        self.figure("(a)", "requests during the restart", f"{len(during)} ({summary_of(during)})")
        self.figure("(a)", "requests after it was back", len(after), ">0", len(after) > 0)
        self.figure("(a)", "errors after it was back", len(not_ok(after)), "0", not not_ok(after))

    def stop_start(self) -> None:
        time.sleep(1)
        self.cluster.ctl("stop", "-m", "fast")
        down = time.monotonic()
        # One request of each kind of its own, so that every kind is seen however slow the load is.
        time.sleep(0.5)
        probes = [self.load.read_api(), self.load.read_page(), self.load.write(self.spare_filing, "drill probe")]
        time.sleep(max(0.0, down + 4 - time.monotonic()))
        while_down = self.load.between(down) + probes
        api = [o for o in while_down if o.kind == "api"]
        site = [o for o in while_down if o.kind == "site"]
        writes = [o for o in while_down if o.kind == "write"]
        self.figure("(b)", "requests while PostgreSQL was stopped", f"{len(while_down)} ({summary_of(while_down)})")
        self.figure(
            "(b)",
            "of which 503 with Retry-After",
            f"{sum(o.status == 503 and bool(o.retry_after) for o in while_down)}/{len(while_down)}",
            "all",
            bool(while_down) and all(o.status == 503 and o.retry_after for o in while_down),
        )
        self.figure(
            "(b)",
            "500s while stopped",
            sum(o.status == 500 for o in while_down),
            "0",
            not any(o.status == 500 for o in while_down),
        )
        self.figure(
            "(b)",
            "API reads and writes answered in JSON with a detail",
            f"{sum(o.shape == 'json' for o in api + writes)}/{len(api + writes)}",
            "all",
            bool(api) and all(o.shape == "json" for o in api + writes),
        )
        self.figure(
            "(b)",
            "site pages answered in HTML",
            f"{sum(o.shape == 'html' for o in site)}/{len(site)}",
            "all",
            bool(site) and all(o.shape == "html" for o in site),
        )
        retry_after = sorted({(o.kind, o.retry_after) for o in while_down if o.retry_after})
        self.figure("(b)", "Retry-After sent (by kind)", ", ".join(f"{k} {v} s" for k, v in retry_after) or "none")

        self.figure("(b)", "median time to answer while stopped (API read / page / write)", latencies(while_down))

        self.cluster.ctl("start")
        back = time.monotonic()
        probe_first = None
        while time.monotonic() - back < 10:  # a probe of its own, back to back, beside the load
            probe = fetch(self.server.base, "probe", API_READ, headers={"Accept": "application/json"})
            if probe.status == 200:
                probe_first = probe.ended - back
                break
        time.sleep(3)
        after = self.load.between(back)
        answered = [o.ended - back for o in list(self.load.outcomes) if o.status == 200 and o.ended > back]
        if probe_first is not None:
            answered.append(probe_first)
        first = min(answered, default=None)
        self.figure(
            "(b)",
            "first 200 after `pg_ctl start` returned",
            f"{first * 1000:.0f} ms" if first is not None else "none within 10 s",
            f"< {RECOVERY_LIMIT:g} s",
            first is not None and first < RECOVERY_LIMIT,
        )
        probe_text = f"{probe_first * 1000:.0f} ms" if probe_first is not None else "none within 10 s"
        self.figure("(b)", "a new API read sent right then: its 200 after", probe_text)
        self.figure("(b)", "requests after it was back", f"{len(after)} ({summary_of(after)})")
        self.figure("(b)", "errors after it was back", len(not_ok(after)), "0", not not_ok(after))

    def kill_workers(self) -> None:
        import psycopg2  # the project's own dependency, in the venv that runs this script

        time.sleep(1)
        self.load.writes_only = True
        began = time.monotonic()
        killed = in_transaction = 0
        watcher = psycopg2.connect(host=LOOPBACK, port=self.cluster.port, user="postgres", dbname=DATABASE)
        watcher.autocommit = True
        try:
            for _ in range(KILLS):
                time.sleep(0.5)
                victim, caught = self.worker_in_a_transaction(watcher, within=3.0)
                if victim is not None:
                    os.kill(victim, signal.SIGKILL)  # a worker of the gunicorn this drill started
                    killed += 1
                    in_transaction += caught
        finally:
            watcher.close()
        time.sleep(2.5)
        self.load.writes_only = False
        time.sleep(1.5)
        window = self.load.between(began)
        writes = [o for o in window if o.kind == "write"]
        self.figure("(c)", "gunicorn workers killed with SIGKILL during writes", killed, str(KILLS), killed == KILLS)
        self.figure("(c)", "of which killed with a database transaction open", in_transaction)
        self.figure("(c)", "writes during the kills", f"{len(writes)} ({summary_of(writes)})")
        self.figure(
            "(c)",
            "500s during the kills",
            sum(o.status == 500 for o in window),
            "0",
            not any(o.status == 500 for o in window),
        )
        self.figure("(c)", "gunicorn workers afterwards", len(self.server.workers()))

    def worker_in_a_transaction(self, watcher, within: float) -> tuple[int | None, bool]:
        """A worker whose database session is inside a transaction right now, else (after `within`) any worker."""
        deadline = time.monotonic() + within
        while True:
            ports = {port: pid for pid in self.server.workers() for port in database_ports(pid, self.cluster.port)}
            if ports:
                with watcher.cursor() as cursor:
                    cursor.execute(
                        "SELECT client_port FROM pg_stat_activity"
                        " WHERE xact_start IS NOT NULL AND client_port = ANY(%s)",
                        [list(ports)],
                    )
                    busy = [ports[row[0]] for row in cursor.fetchall()]
                if busy:
                    return random.choice(busy), True
            if time.monotonic() > deadline:
                workers = self.server.workers()
                return (random.choice(workers) if workers else None), False
            time.sleep(0.005)

    def verify_writes(self) -> None:
        """Every write acknowledged with a 200, in the whole drill, is in the database."""
        self.load.stop()
        acknowledged = [o for o in self.load.outcomes if o.kind == "write" and o.status == 200]
        unanswered = [o for o in self.load.outcomes if o.kind == "write" and o.status is None]
        filings = sorted({o.filing for o in acknowledged})
        recorded = set()
        if filings:
            ids = ",".join(map(str, self.load.filings))  # integers, and run_id is hex: nothing to escape
            pattern = f"drill {self.run_id}:%"
            query = f"SELECT summary FROM filings_historicalfiling WHERE id IN ({ids}) AND summary LIKE '{pattern}'"  # noqa: S608
            history = self.sql(query)
            recorded = set(history.splitlines())
        lost = [o for o in acknowledged if o.value not in recorded]
        # What a client reads now: each filing's last acknowledged write, or a later one whose answer was lost.
        behind = []
        for filing in filings:
            current = fetch(self.server.base, "probe", f"{API_READ}{filing}/", keep=True)
            last = max(o.seq for o in acknowledged if o.filing == filing)
            seen = (current.document or {}).get("summary", "")
            seq = int(seen.rsplit(" ", 1)[1]) if seen.startswith(f"drill {self.run_id}:") else 0
            if current.status != 200 or seq < last:
                behind.append(filing)
        self.figure("(c)", "writes acknowledged with a 200 (whole drill)", len(acknowledged), ">0", bool(acknowledged))
        self.figure("(c)", "writes cut off without an answer (not acknowledged)", len(unanswered))
        committed = sum(o.value in recorded for o in unanswered)
        self.figure("(c)", "of which committed all the same (allowed: nobody was told)", committed)
        self.figure("(c)", "acknowledged writes missing from the database", len(lost), "0", not lost)
        self.figure("(c)", "filings whose current value is older than the last 200", len(behind), "0", not behind)
        everything = self.load.outcomes
        self.figure("all", "requests sent by the load", f"{len(everything)} ({summary_of(everything)})")
        self.figure(
            "all",
            "500s in the whole drill",
            sum(o.status == 500 for o in everything),
            "0",
            not any(o.status == 500 for o in everything),
        )

    def timeouts(self) -> None:
        statement_ms = int(
            self.manage(
                "shell",
                "--no-imports",
                "-c",
                "from django.db import connection\n"
                "with connection.cursor() as c:\n"
                "    c.execute(\"SELECT setting FROM pg_settings WHERE name = 'statement_timeout'\")\n"
                "    print(c.fetchone()[0])",
            ).strip()
        )
        config = run(
            [
                sys.executable,
                "-c",
                "import runpy; c = runpy.run_path('gunicorn.conf.py'); print(c['timeout'], c['workers'])",
            ],
            env=self.env,
            what="reading gunicorn.conf.py",
        ).split()
        worker_timeout, workers = int(config[0]), int(config[1])
        self.figure("(d)", "PostgreSQL statement_timeout in the app's sessions", f"{statement_ms / 1000:g} s")
        self.figure("(d)", "gunicorn worker timeout (gunicorn.conf.py)", f"{worker_timeout} s")
        self.figure(
            "(d)",
            "statement timeout shorter than worker timeout",
            statement_ms / 1000 < worker_timeout,
            "True",
            0 < statement_ms / 1000 < worker_timeout,
        )
        self.figure("setup", "gunicorn sync workers", workers)

    def carry_out(self) -> bool:
        self.set_up()
        print(f"  {'drill':<10} {'figure':<58} {'value':<28} result")
        self.warm_up()
        self.restart()
        self.stop_start()
        self.kill_workers()
        self.verify_writes()
        self.timeouts()
        return all(f.ok is not False for f in self.figures)

    def tear_down(self) -> None:
        if self.load is not None:
            self.load.stop()
        self.server.stop()
        self.cluster.destroy()


# --- report ---------------------------------------------------------------------------------------


def machine(cluster: Cluster) -> dict[str, str]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores (nproc)": str(len(os.sched_getaffinity(0))),
        "architecture (uname -m)": platform.machine(),
        "PostgreSQL": cluster.version(),
        "Python": platform.python_version(),
        "load average when it began": LOAD_AT_START,
    }


def report_markdown(drill: Drill, passed: bool, seconds: float) -> str:
    lines = [DOC_BEGIN, ""]
    facts = machine(drill.cluster)
    lines.append("; ".join(f"{key}: {value}" for key, value in facts.items()) + f"; drill took {seconds:.0f} s.")
    lines.append("")
    lines.append(f"Result: **{'all expectations met' if passed else 'SOME EXPECTATIONS FAILED'}**.")
    lines.append("")
    lines.append("| drill | figure | value | expected | result |")
    lines.append("|---|---|---|---|---|")
    for f in drill.figures:
        result = {True: "ok", False: "**failed**", None: ""}[f.ok]
        lines.append(f"| {f.drill} | {f.what} | {f.value} | {f.expected} | {result} |")
    lines += ["", DOC_END]
    return "\n".join(lines)


DOC_TEMPLATE = """# Reliability: fault drills

What the tracker does when PostgreSQL restarts, when it is away, and when an app server worker dies
in the middle of a write, measured by `make drills` (`scripts/drills.py`).

## How to run

```sh
make drills
```

It needs PostgreSQL's server programs (`initdb`, `pg_ctl`; Debian's `postgresql` package; `PG_BIN`
names another directory). It never touches a server that is already running: it creates a cluster
of its own in a temporary directory on a spare loopback port (as the `postgres` account when run
as root), migrates it, loads the dataset, and serves the app with gunicorn (`gunicorn.conf.py`,
production settings) on another loopback port. Four threads then read `/api/v1/filings/` and
`/cases/180/` and write filings' summaries through the API with an editor's token while the drill

- **(a)** restarts PostgreSQL (`pg_ctl restart -m fast`): once it is back, no request may fail;
- **(b)** stops PostgreSQL: every answer must be a 503 with `Retry-After` (JSON with a `detail` for
  the API, an HTML page for the site), never a 500, and the first 200 must come within 1 s of
  `pg_ctl start` returning;
- **(c)** sends only writes and kills gunicorn workers with `SIGKILL` in the middle of them (it
  picks a worker whose database session has a transaction open, from `pg_stat_activity`): every
  write answered with a 200 must be in the database afterwards (each write sets a distinct value;
  the drill looks for every acknowledged one in the filings' history and checks that each filing's
  current value, read through the API, is its last acknowledged one or later);
- **(d)** checks that PostgreSQL's `statement_timeout` (`DATABASE_STATEMENT_TIMEOUT_MS`, 5 s by
  default) is shorter than gunicorn's worker timeout (`GUNICORN_TIMEOUT`, 30 s by default), so a slow
  query is cancelled and answered before its worker is killed.

It takes one to two minutes, most of it setting up. It stops everything it started and removes its
directory on the way out (also on Ctrl-C or failure), exits non-zero when an expectation fails, and
rewrites the figures below.

## Why it holds

- `core.middleware.DatabaseUnavailableMiddleware` turns a database connection failure anywhere in a
  request (a view, the session or authentication middleware) into a 503 with `Retry-After`;
  the API's own exception handler (`core.api.exceptions`) does the same for DRF views.
- Persistent connections are checked before reuse (`CONN_HEALTH_CHECKS=True`), so the first request
  after PostgreSQL returns opens a new connection instead of failing on the dead one.
- Every write is one transaction, committed before the answer is sent: a worker killed before the
  commit leaves nothing, one killed after it leaves the write, and the client that got no answer
  does not know which, so nothing it was told about is lost.

## Reading the figures

Latencies depend on what else the machine is doing (the load average is given with the figures);
the expectations do not. Two things the figures have shown and that are worth knowing:

- While PostgreSQL is stopped, an anonymous API read takes about 2 s to get its 503: the API
  throttle's counter lives in the database cache, and its increment retries a failed database call
  for up to 2 s (`core/api/throttles.py`, meant for a busy SQLite). Pages, and writes (whose token
  check fails first), answer at once. Three sync workers each held for 2 s is the API's capacity
  during an outage.
- `Retry-After` is 30 s from the API's exception handler (`core/api/exceptions.py`) and 5 s from the
  middleware (pages, and anything under `/api/` that fails outside a DRF view).

## Figures (latest run)

{figures}
"""


def write_doc(markdown: str) -> None:
    DOC.parent.mkdir(exist_ok=True)
    if DOC.exists() and DOC_BEGIN in DOC.read_text() and DOC_END in DOC.read_text():
        text = DOC.read_text()
        head, rest = text.split(DOC_BEGIN, 1)
        tail = rest.split(DOC_END, 1)[1]
        DOC.write_text(head + markdown + tail)
    else:
        DOC.write_text(DOC_TEMPLATE.format(figures=markdown))


# --- main -----------------------------------------------------------------------------------------


def on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def on_deadline(signum, frame):
    raise DrillError(f"the drill took longer than {DEADLINE} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the work directory and its logs")
    parser.add_argument("--no-doc", action="store_true", help=f"do not rewrite {DOC.relative_to(ROOT)}")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, on_signal)  # also when started with SIGINT ignored (in the background)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    signal.signal(signal.SIGALRM, on_deadline)
    signal.alarm(DEADLINE)
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="tracker-drills-"))
    workdir.chmod(0o711)  # the postgres account must reach its directory inside
    drill = None
    passed = False
    try:
        drill = Drill(workdir)
        passed = drill.carry_out()
        signal.alarm(0)
        seconds = time.monotonic() - began
        markdown = report_markdown(drill, passed, seconds)
        if not args.no_doc:
            write_doc(markdown)
        print(f"\n{'All expectations met' if passed else 'SOME EXPECTATIONS FAILED'} in {seconds:.0f} s.", end=" ")
        print("" if args.no_doc else f"Figures written to {DOC.relative_to(ROOT)}.")
    except (DrillError, subprocess.TimeoutExpired) as failure:
        print(f"\nThe drill could not be completed: {failure}", file=sys.stderr)
        for log in (workdir / "gunicorn.log", workdir / "pg" / "postgres.log"):
            if log.exists():
                print(
                    f"--- last lines of {log.name}:\n" + "\n".join(log.read_text().splitlines()[-15:]), file=sys.stderr
                )
        passed = False
    except KeyboardInterrupt:
        print("\nInterrupted; cleaning up.", file=sys.stderr)
        passed = False
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
        if drill is not None:
            drill.tear_down()
        if args.keep:
            print(f"Kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
