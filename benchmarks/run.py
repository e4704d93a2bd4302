"""Benchmark the researcher pages and the API on the dataset plus synthetic volume.

    make benchmark                                   # SQLite, var/benchmark.sqlite3
    BENCHMARK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_benchmark make benchmark

Builds (once) a database holding the real dataset and BENCHMARK_CASES synthetic cases with their
filings, decisions, provisions, votes and claims, then times each URL in process with Django's
test client (no network: this measures the application and the database, not a web server) and
counts its queries. Results are appended to benchmarks/RESULTS.md with the machine and the date.
Timings live here, never in tests; the tests pin query counts instead.
"""

import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["DATABASE_URL"] = os.environ.get("BENCHMARK_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'benchmark.sqlite3'}")
SYNTHETIC_CASES = int(os.environ.get("BENCHMARK_CASES", "300"))
REPEAT = int(os.environ.get("BENCHMARK_REPEAT", "30"))


def ensure_database():
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg2
        from psycopg2 import sql

        base, name = url.rsplit("/", 1)
        connection = psycopg2.connect(f"{base}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.close()
    else:
        (ROOT / "var").mkdir(exist_ok=True)


def build_volume():
    """Synthetic cases shaped like the real ones, written with bulk_create (they are not history)."""
    from cases.models import Case, CaseParty
    from compliance.models import ComplianceClaim
    from decisions.models import BenchMember, Decision, Provision, Vote
    from filings.models import Filing
    from parties.models import Party, Person
    from sources.models import Source

    if Case.objects.filter(slug__startswith="bench-").exists():
        return
    court = Party.objects.get(code="ICJ")
    states = [Party.objects.get(code="ARM"), Party.objects.get(code="AZE")]
    judges = list(Person.objects.filter(bench_seats__isnull=False).distinct()[:15])
    source = Source.objects.create(key="benchmark-volume", kind="other", title="Synthetic benchmark volume")
    cases = Case.objects.bulk_create(
        Case(
            general_list_number=10_000 + i,
            title=f"Synthetic case {i} (Applicant v. Respondent)",
            short_title=f"Synthetic {i}",
            slug=f"bench-{i}",
            court=court,
            instituted_on=date(2000, 1, 1) + timedelta(days=i),
            summary="A synthetic case for measuring speed; its filings mention corridors and landmines.",
        )
        for i in range(SYNTHETIC_CASES)
    )
    CaseParty.objects.bulk_create(
        CaseParty(case=case, party=states[k], role=role)
        for case in cases
        for k, role in ((0, "applicant"), (1, "respondent"))
    )
    filings = Filing.objects.bulk_create(
        Filing(
            case=case,
            slug=f"filing-{j}",
            filed_by=states[j % 2],
            kind="letter",
            title=f"Letter {j} in synthetic case {case.general_list_number}",
            filed_on=case.instituted_on + timedelta(days=10 * j),
            summary="Reports on the situation along the corridor and the clearance of landmines.",
        )
        for case in cases
        for j in range(30)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            case=case,
            slug=f"order-{j}",
            kind="order",
            subject="provisional_measures",
            decided_on=case.instituted_on + timedelta(days=100 + 30 * j),
            title=f"Order {j}",
        )
        for case in cases
        for j in range(5)
    )
    BenchMember.objects.bulk_create(
        BenchMember(decision=d, judge=judge, office="judge", position=k)
        for d in decisions
        for k, judge in enumerate(judges)
    )
    provisions = Provision.objects.bulk_create(
        Provision(
            decision=d,
            paragraph=f"({k + 1})",
            position=k + 1,
            kind="measure",
            text="shall take all measures at its disposal to ensure unimpeded movement",
            votes_for=len(judges),
            votes_against=0,
        )
        for d in decisions
        for k in range(4)
    )
    Vote.objects.bulk_create(Vote(provision=p, judge=judge, vote="for") for p in provisions for judge in judges)
    claims = ComplianceClaim.objects.bulk_create(
        ComplianceClaim(
            slug=f"bench-claim-{p.pk}",
            decision_id=p.decision_id,
            provision=p,
            claimant=states[0],
            made_on=date(2024, 1, 1),
            assessment="not_complied",
            summary="Says the measure is ignored.",
        )
        for p in provisions[::2]
    )
    sourced = (
        (Case, cases),
        (Filing, filings),
        (Decision, decisions),
        (Provision, provisions),
        (ComplianceClaim, claims),
    )
    for model, rows in sourced:
        through = model.sources.through
        field = model._meta.model_name + "_id"
        through.objects.bulk_create(through(**{field: row.pk, "source_id": source.pk}) for row in rows)


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main():
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_dataset", verbosity=0)
    build_volume()

    from cases.models import Case
    from decisions.models import Decision

    lachin = Decision.objects.get(case__general_list_number=180, decided_on=date(2023, 2, 22))
    measure_url = lachin.provisions.get(kind="measure").get_absolute_url()
    urls = [
        ("home page", reverse("home")),
        ("case page, No. 180", reverse("case-detail", kwargs={"number": 180})),
        ("decision page, 22 Feb 2023", lachin.get_absolute_url()),
        ("measure page, Lachin Corridor", measure_url),
        ("case list", reverse("case-list")),
        ("search 'landmines'", reverse("search") + "?q=landmines"),
        ("API cases, page 1", reverse("api:case-list")),
        ("API filings, page 1", reverse("api:filing-list")),
        ("API filings, cursor", reverse("api:filing-list") + "?pagination=cursor"),
        ("API provisions addressed to AZE", reverse("api:provision-list") + "?addressee=AZE"),
        ("API filings q=landmines", reverse("api:filing-list") + "?q=landmines"),
        (
            "API timeline of No. 180",
            reverse("api:case-timeline", kwargs={"pk": Case.objects.get(general_list_number=180).pk}),
        ),
    ]
    client = Client()
    rows = []
    for name, url in urls:
        median, p95, queries = measure(client, url)
        rows.append(f"| {name} | `{url}` | {median:.1f} | {p95:.1f} | {queries} |")
        print(rows[-1])

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    header = (
        f"\n## {date.today():%-d %B %Y}, {engine}, {Case.objects.count()} cases\n\n"
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
        f"{REPEAT} requests per URL after 3 warm-ups, in process (Django test client).\n\n"
        "| what | URL | median ms | p95 ms | queries |\n|---|---|---|---|---|\n"
    )
    results = ROOT / "benchmarks" / "RESULTS.md"
    if not results.exists():
        results.write_text("# Benchmark results\n\nWritten by `make benchmark` (benchmarks/run.py).\n")
    with results.open("a") as out:
        out.write(header + "\n".join(rows) + "\n")
    print(f"Appended to {results}")


if __name__ == "__main__":
    main()
